/*
 * parts.h - the parts rules of a job (docs/DOMAIN.md "Parts"): whether its
 * part lines can be reserved now, and how parts used on site are taken
 * from what was reserved.
 *
 * Pure: plain structs in, decisions out; no SQL, no HTTP, no allocation.
 * The store gathers the job's lines with the free warehouse stock of each
 * part and applies the plan inside one transaction.
 */
#ifndef FSD_PARTS_H
#define FSD_PARTS_H

#include "common/err.h"

#include <stddef.h>
#include <stdint.h>

#define PARTS_MAX_USES 100

/* The states of a job's part line, as stored (job_parts.state). */
enum parts_line_state {
    PL_NEEDED,            /* to be reserved */
    PL_AWAITING_APPROVAL, /* a needs_approval part nobody approved yet */
    PL_RESERVED,          /* held in warehouse stock for this job */
    PL_BACK_ORDERED,      /* out of stock, expected later */
    PL_USED,              /* every reserved unit consumed on site */
    PL_RETURNED,          /* reservation given back */
    PL__STATES
};

struct parts_line {
    int64_t part_id;
    int64_t quantity;  /* units on the line, >= 1 */
    int64_t used;      /* units already consumed, 0..quantity */
    enum parts_line_state state;
    int64_t available; /* free warehouse stock of the part (quantity minus
                          reserved), the same for every line of a part */
    int64_t expected_day; /* back-ordered: the day its parts are expected
                             (days since 1970-01-01), 0 when none was said */
};

enum parts_verdict {
    PARTS_READY,         /* every pending line can be reserved now */
    PARTS_SHORT,         /* a line cannot: stock is short */
    PARTS_NEED_APPROVAL, /* a line still waits for a manager's approval */
};

struct parts_plan {
    enum parts_verdict verdict;
    size_t line;       /* PARTS_SHORT / NEED_APPROVAL: the first such line */
    int64_t shortfall; /* PARTS_SHORT: units missing for that part */
};

/*
 * Can the pending lines (needed, back_ordered) all be reserved from the
 * free stock?  Several lines of one part draw on the same stock, so their
 * quantities add up.  Lines awaiting approval block first (the lowest
 * index among them), then the first line whose part runs short.  Lines
 * already reserved, used or returned neither need nor consume stock.
 */
void parts_plan_reservation(const struct parts_line *lines, size_t n,
                            struct parts_plan *out);

/*
 * When the job's parts can all be held for a visit (docs/DOMAIN.md
 * "Parts"): no slot is offered and no booking accepted before.  READY with
 * from_day 0: the pending lines can be reserved from the free stock now.
 * READY with from_day > 0: a part is short now, but every pending line of
 * each short part is back-ordered with an expected date; from_day is the
 * latest of them, and visits may start the day after.  SHORT: a short part
 * has a pending line nobody gave a date (line: the first pending line of
 * that part; shortfall as in parts_plan).  NEED_APPROVAL: a line waits for a manager.
 */
struct parts_outlook {
    enum parts_verdict verdict;
    size_t line;
    int64_t shortfall;
    int64_t from_day;
};

void parts_outlook(const struct parts_line *lines, size_t n,
                   struct parts_outlook *out);

/* A part consumed on site; serial and faulty_serial may be NULL. */
struct parts_use {
    int64_t part_id;
    int64_t quantity;          /* 1..1000 */
    const char *serial;        /* the unit fitted, for serialised parts */
    const char *faulty_serial; /* the unit taken out, on a swap */
};

/*
 * Take each use from the job's reserved lines, first line first: take[i]
 * gets the units newly consumed from lines[i] (0 for lines not touched).
 * A reserved line can give quantity - used units.  Errors (err's field
 * names the use, "parts_used[k]..."), and take untouched:
 *   ERR_INVALID  "serial_needs_single_unit" parts_used[k].quantity
 *                a serial or faulty serial given with quantity != 1
 *   ERR_CONFLICT "part_not_reserved"        parts_used[k].part_id
 *                no reserved line of that part
 *   ERR_CONFLICT "exceeds_reserved"         parts_used[k].quantity
 *                more units of the part than are reserved and unused
 *                (counting the earlier uses of the same part)
 */
int parts_take(const struct parts_line *lines, size_t n,
               const struct parts_use *uses, size_t m, int64_t *take,
               struct err *err) __attribute__((warn_unused_result));

/* Units a line gives back when the job ends: reserved minus used. */
int64_t parts_unused(const struct parts_line *line);

/* "needed", "awaiting_approval", ...; parse returns 0 or ERR_INVALID. */
const char *parts_state_name(enum parts_line_state s);
int parts_state_parse(const char *name, enum parts_line_state *out);

#endif
