/*
 * parts.c - the parts rules of a job: whether its pending lines can be
 * reserved from the free stock, and how parts used on site are taken from
 * its reserved lines.
 *
 * Pure: no store, no HTTP, no heap; the caller owns every buffer.  A job
 * has few lines, so every per-part sum is a plain rescan of the arrays
 * (quadratic, no scratch space and no limit on n or m).
 *
 * Where parts.h leaves room, this file reads it as follows:
 *
 *  - "The first line whose part runs short" is found walking the pending
 *    lines in order, as the store reserves them: it is the first line at
 *    which the quantities of its part's pending lines so far exceed the
 *    free stock.  The shortfall is for the whole part: every pending unit
 *    of it minus the free stock, i.e. what must arrive before the part no
 *    longer holds the job back.  The stock is read from that line's
 *    available; a negative available (over-reserved stock) counts as 0.
 *  - The plan is written in full every time: READY has line 0 and
 *    shortfall 0, NEED_APPROVAL has shortfall 0.
 *  - In parts_take a serial or faulty serial is "given" when the pointer
 *    is not NULL, even if the string is empty (the database's CHECK is on
 *    NULL).  "No reserved line of that part" is about the state: a
 *    reserved line with nothing left to give still makes the part
 *    reserved, so taking from it is exceeds_reserved, not
 *    part_not_reserved.
 *  - A use's quantity outside 1..1000 breaks the precondition of struct
 *    parts_use; rather than take a negative or absurd number of units it
 *    is refused with ERR_INVALID "out_of_range" on parts_used[k].quantity,
 *    checked before anything else about that use.  Uses are checked in
 *    order and, within a use, in the order parts.h lists the errors; the
 *    first failure is reported.
 *  - parts_take checks every use before it writes take, so take is either
 *    untouched (error) or fully written (success, 0 for untouched lines).
 *  - parts_unused is quantity - used for a reserved line and 0 in every
 *    other state: unreserved lines hold nothing, a used line has consumed
 *    everything and a returned line has already given its units back.
 *  - Line quantities and used counts outside their documented ranges are
 *    clamped (quantity to >= 0, used to 0..quantity) and sums saturate,
 *    so bad rows can never make a line give negative units or wrap.
 */
#include "rules/parts.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define USE_MAX_QUANTITY 1000 /* struct parts_use: quantity 1..1000 */

static const char *const state_names[PL__STATES] = {
    "needed", "awaiting_approval", "reserved",
    "back_ordered", "used", "returned",
};

static int64_t add_sat(int64_t a, int64_t b)
{
    int64_t sum;

    return __builtin_add_overflow(a, b, &sum) ? INT64_MAX : sum;
}

static int64_t nonneg(int64_t v)
{
    return v < 0 ? 0 : v;
}

/* A line still to be reserved: needed or back-ordered. */
static int pending(const struct parts_line *l)
{
    return l->state == PL_NEEDED || l->state == PL_BACK_ORDERED;
}

/* Units of part on the pending lines among lines[0..end). */
static int64_t pending_units(const struct parts_line *lines, size_t end,
                             int64_t part)
{
    int64_t sum = 0;

    for (size_t i = 0; i < end; i++)
        if (pending(&lines[i]) && lines[i].part_id == part)
            sum = add_sat(sum, nonneg(lines[i].quantity));
    return sum;
}

void parts_plan_reservation(const struct parts_line *lines, size_t n,
                            struct parts_plan *out)
{
    assert(out && (lines || n == 0));
    *out = (struct parts_plan){PARTS_READY, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (lines[i].state == PL_AWAITING_APPROVAL) {
            *out = (struct parts_plan){PARTS_NEED_APPROVAL, i, 0};
            return;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int64_t part = lines[i].part_id;
        int64_t stock = nonneg(lines[i].available);

        if (!pending(&lines[i]) || pending_units(lines, i + 1, part) <= stock)
            continue;
        /* total >= the units so far > stock >= 0: no overflow */
        *out = (struct parts_plan){
            PARTS_SHORT, i, pending_units(lines, n, part) - stock};
        return;
    }
}

/* The latest expected day over the pending lines of part, or 0 when one
 * of them has none. */
static int64_t part_expected(const struct parts_line *lines, size_t n,
                             int64_t part)
{
    int64_t latest = 0;

    for (size_t i = 0; i < n; i++) {
        if (!pending(&lines[i]) || lines[i].part_id != part)
            continue;
        if (lines[i].state != PL_BACK_ORDERED || lines[i].expected_day <= 0)
            return 0;
        if (lines[i].expected_day > latest)
            latest = lines[i].expected_day;
    }
    return latest;
}

void parts_outlook(const struct parts_line *lines, size_t n,
                   struct parts_outlook *out)
{
    struct parts_plan plan;

    assert(out && (lines || n == 0));
    parts_plan_reservation(lines, n, &plan);
    *out = (struct parts_outlook){plan.verdict, plan.line, plan.shortfall, 0};
    if (plan.verdict != PARTS_SHORT)
        return;
    for (size_t i = 0; i < n; i++) {
        int64_t part = lines[i].part_id, day;

        if (!pending(&lines[i]) ||
            pending_units(lines, n, part) <= nonneg(lines[i].available))
            continue;
        if ((day = part_expected(lines, n, part)) == 0) {
            *out = (struct parts_outlook){
                PARTS_SHORT, i,
                pending_units(lines, n, part) - nonneg(lines[i].available),
                0};
            return;
        }
        if (day > out->from_day)
            out->from_day = day;
    }
    out->verdict = PARTS_READY;
    out->line = 0;
    out->shortfall = 0;
}

/* Units a reserved line can still give: quantity - used, never < 0. */
static int64_t line_left(const struct parts_line *l)
{
    int64_t quantity = nonneg(l->quantity);
    int64_t used = l->used < 0 ? 0 : l->used > quantity ? quantity : l->used;

    return quantity - used;
}

/* Reserved and unused units of part over all lines, or -1 when no line
 * of the part is reserved. */
static int64_t reserved_left(const struct parts_line *lines, size_t n,
                             int64_t part)
{
    int64_t left = -1;

    for (size_t i = 0; i < n; i++)
        if (lines[i].state == PL_RESERVED && lines[i].part_id == part)
            left = add_sat(left < 0 ? 0 : left, line_left(&lines[i]));
    return left;
}

/* Check uses[k] given that uses[0..k) passed; 0 or an ERR_* code. */
static int check_use(const struct parts_line *lines, size_t n,
                     const struct parts_use *uses, size_t k,
                     struct err *err)
{
    const struct parts_use *u = &uses[k];
    int64_t left, wanted = 0;
    char field[96];

    snprintf(field, sizeof field, "parts_used[%zu].quantity", k);
    if (u->quantity < 1 || u->quantity > USE_MAX_QUANTITY)
        return err_set(err, ERR_INVALID, "out_of_range", field,
                       "part %lld: the quantity used must be from 1 to %d,"
                       " not %lld", (long long)u->part_id, USE_MAX_QUANTITY,
                       (long long)u->quantity);
    if ((u->serial || u->faulty_serial) && u->quantity != 1)
        return err_set(err, ERR_INVALID, "serial_needs_single_unit", field,
                       "part %lld: a serial number names a single unit, so"
                       " the quantity must be 1, not %lld",
                       (long long)u->part_id, (long long)u->quantity);
    left = reserved_left(lines, n, u->part_id);
    if (left < 0) {
        snprintf(field, sizeof field, "parts_used[%zu].part_id", k);
        return err_set(err, ERR_CONFLICT, "part_not_reserved", field,
                       "part %lld is not reserved for this job",
                       (long long)u->part_id);
    }
    /* every earlier quantity is 1..1000, so this sum cannot overflow */
    for (size_t j = 0; j <= k; j++)
        if (uses[j].part_id == u->part_id)
            wanted += uses[j].quantity;
    if (wanted > left)
        return err_set(err, ERR_CONFLICT, "exceeds_reserved", field,
                       "part %lld: %lld used, %lld reserved and unused",
                       (long long)u->part_id, (long long)wanted,
                       (long long)left);
    return 0;
}

int parts_take(const struct parts_line *lines, size_t n,
               const struct parts_use *uses, size_t m, int64_t *take,
               struct err *err)
{
    int rc;

    assert((lines && take) || n == 0);
    assert(uses || m == 0);
    for (size_t k = 0; k < m; k++)
        if ((rc = check_use(lines, n, uses, k, err)) != 0)
            return rc; /* take untouched: nothing is written before here */
    for (size_t i = 0; i < n; i++)
        take[i] = 0;
    for (size_t k = 0; k < m; k++) {
        int64_t need = uses[k].quantity;

        for (size_t i = 0; i < n && need > 0; i++) {
            int64_t room = line_left(&lines[i]) - take[i], t;

            if (lines[i].state != PL_RESERVED ||
                lines[i].part_id != uses[k].part_id || room <= 0)
                continue;
            t = need < room ? need : room;
            take[i] += t;
            need -= t;
        }
        assert(need == 0); /* check_use saw enough units left */
    }
    return 0;
}

int64_t parts_unused(const struct parts_line *line)
{
    assert(line);
    return line->state == PL_RESERVED ? line_left(line) : 0;
}

const char *parts_state_name(enum parts_line_state s)
{
    return (unsigned)s < PL__STATES ? state_names[s] : "unknown";
}

int parts_state_parse(const char *name, enum parts_line_state *out)
{
    if (!name)
        return ERR_INVALID;
    for (int i = 0; i < PL__STATES; i++) {
        if (strcmp(state_names[i], name) == 0) {
            *out = (enum parts_line_state)i;
            return 0;
        }
    }
    return ERR_INVALID;
}
