/*
 * store_parts.c - reserving and releasing a job's parts in stock.
 *
 * Runs inside a job event's write transaction.  Parts are reserved from the
 * "warehouse" location: a reservation only succeeds while quantity minus
 * what is already reserved covers it, and the stock table's CHECK
 * (reserved between 0 and quantity) makes overbooking impossible even for
 * a statement that forgot the condition.  If any line falls short the
 * whole event fails and the savepoint undoes the lines already reserved.
 * Which lines may be reserved, and how parts used on site are taken from
 * the reservation, is parts.c's decision; this file applies it.  Parts
 * used leave the stock; what is reserved and unused goes back when the job
 * ends.  These are effects of job events (store_job_effects.c); what
 * moves waiting jobs on when stock arrives is store_stock_events.c's.
 */
#include "common/timefmt.h"
#include "common/tz.h"
#include "rules/job.h"
#include "rules/parts.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#define MAX_LINES 100 /* a job's part lines (resources.c) */

static const char sql_job_parts[] =
    "SELECT jp.id, jp.part_id, jp.quantity, jp.used, jp.state, p.sku,"
    " jp.expected_on,"
    " coalesce((SELECT quantity - reserved FROM stock s"
    "  WHERE s.part_id = jp.part_id AND s.location = '" RESERVE_LOCATION
    "'), 0) AS available"
    " FROM job_parts jp JOIN parts p ON p.id = jp.part_id"
    " WHERE jp.job_id = :id ORDER BY jp.id";
static const char sql_reserve[] =
    "UPDATE stock SET reserved = reserved + :quantity"
    " WHERE part_id = :part_id AND location = '" RESERVE_LOCATION "'"
    " AND quantity - reserved >= :quantity";
static const char sql_release[] =
    "UPDATE stock SET reserved = reserved - :units"
    " WHERE part_id = :part_id AND location = '" RESERVE_LOCATION "'";
static const char sql_line_state[] =
    "UPDATE job_parts SET state = :state, expected_on = :expected_on"
    " WHERE id = :id";
static const char sql_consume[] =
    "UPDATE stock SET quantity = quantity - :units,"
    " reserved = reserved - :units"
    " WHERE part_id = :part_id AND location = '" RESERVE_LOCATION "'";
static const char sql_line_used[] =
    "UPDATE job_parts SET used = used + :units, state = CASE"
    " WHEN used + :units = quantity THEN 'used' ELSE state END"
    " WHERE id = :id";
static const char sql_usage[] =
    "INSERT INTO part_usage(visit_id, job_part_id, part_id, quantity,"
    " serial, faulty_serial) VALUES (:visit_id, :id, :part_id, :units,"
    " :serial, :faulty_serial)";

/* The job's lines as stored (*rows) and as parts.c sees them. */
struct job_lines {
    json_t *rows;
    struct parts_line pl[MAX_LINES];
    size_t n;
};

static int lines_load(struct store_conn *c, int64_t job_id,
                      struct job_lines *l, struct err *err)
{
    json_t *vals = json_pack("{s:I}", "id", (json_int_t)job_id), *row;
    size_t i;

    l->rows = store__rows(c, sql_job_parts, vals, err);
    json_decref(vals);
    if (!l->rows)
        return err->rc;
    l->n = 0;
    json_array_foreach(l->rows, i, row) {
        struct parts_line *p = &l->pl[l->n];
        const char *expected;
        if (i == MAX_LINES)
            break;
        p->part_id = json_integer_value(json_object_get(row, "part_id"));
        p->quantity = json_integer_value(json_object_get(row, "quantity"));
        p->used = json_integer_value(json_object_get(row, "used"));
        p->available = json_integer_value(json_object_get(row,
                                                          "available"));
        p->expected_day = 0;
        expected = json_string_value(json_object_get(row, "expected_on"));
        if (!expected || timefmt_parse_date(expected, &p->expected_day))
            p->expected_day = 0;
        if (parts_state_parse(json_string_value(json_object_get(row,
                                                                "state")),
                              &p->state)) {
            json_decref(l->rows);
            return err_set(err, ERR_STORAGE, NULL, NULL,
                           "a part line has an unknown state");
        }
        l->n++;
    }
    return 0;
}

static int set_state(struct store_conn *c, json_t *line,
                     enum parts_line_state state, const json_t *expected_on,
                     struct err *err)
{
    json_object_set_new(line, "state", json_string(parts_state_name(state)));
    json_object_set(line, "expected_on",
                    expected_on ? (json_t *)expected_on : json_null());
    return store__run(c, sql_line_state, line, err);
}

static int pending(enum parts_line_state s)
{
    return s == PL_NEEDED || s == PL_BACK_ORDERED;
}

static const char *line_sku(const struct job_lines *l, size_t i)
{
    return json_string_value(json_object_get(json_array_get(l->rows, i),
                                             "sku"));
}

static int plan_error(const struct job_lines *l, const struct parts_plan *p,
                      struct err *err)
{
    char field[32];

    snprintf(field, sizeof field, "parts[%zu]", p->line);
    if (p->verdict == PARTS_NEED_APPROVAL)
        return err_set(err, ERR_CONFLICT, "parts_awaiting_approval", field,
                       "part %s needs a manager's approval before it is"
                       " reserved", line_sku(l, p->line));
    return err_set(err, ERR_CONFLICT, "out_of_stock", field,
                   "part %s: the job needs %lld more than the %lld"
                   " available at the " RESERVE_LOCATION,
                   line_sku(l, p->line), (long long)p->shortfall,
                   (long long)l->pl[p->line].available);
}

int store__parts_reserve(struct store_conn *c, int64_t job_id,
                         struct err *err)
{
    struct job_lines l;
    struct parts_plan plan;
    int rc;

    if (lines_load(c, job_id, &l, err))
        return err->rc;
    parts_plan_reservation(l.pl, l.n, &plan);
    rc = plan.verdict == PARTS_READY ? 0 : plan_error(&l, &plan, err);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        json_t *line = json_array_get(l.rows, i);
        if (!pending(l.pl[i].state))
            continue;
        rc = store__run(c, sql_reserve, line, err);
        if (rc == 0 && sqlite3_changes(c->db) != 1) /* the plan said yes */
            rc = err_set(err, ERR_INTERNAL, NULL, NULL,
                         "stock changed while reserving");
        if (rc == 0)
            rc = set_state(c, line, PL_RESERVED, NULL, err);
    }
    json_decref(l.rows);
    return rc;
}

int store__parts_outlook(struct store_conn *c, int64_t job_id,
                         struct parts_outlook *out, struct err *err)
{
    struct job_lines l;

    if (lines_load(c, job_id, &l, err))
        return err->rc;
    parts_outlook(l.pl, l.n, out);
    json_decref(l.rows);
    return 0;
}

static const char sql_job_zone[] =
    "SELECT c.timezone FROM jobs j JOIN customers c ON c.id = j.customer_id"
    " WHERE j.id = :id";

/* The local day (days since 1970-01-01) of instant at in the job's
 * customer's time zone. */
static int local_day(struct store_conn *c, int64_t job_id, int64_t at,
                     int64_t *day, struct err *err)
{
    json_t *vals = json_pack("{s:I}", "id", (json_int_t)job_id);
    json_t *rows = store__rows(c, sql_job_zone, vals, err);
    const struct tz *z;

    json_decref(vals);
    if (!rows)
        return err->rc;
    z = tz_get_or_utc(json_string_value(json_object_get(
        json_array_get(rows, 0), "timezone")));
    json_decref(rows);
    at += z ? tz_offset_at(z, at) : 0;
    *day = at >= 0 ? at / 86400 : -((-at + 86399) / 86400);
    return 0;
}

int store__parts_check_visit(struct store_conn *c, int64_t job_id,
                             int64_t window_start, struct err *err)
{
    struct job_lines l;
    struct parts_outlook o;
    int64_t day = 0;
    char date[TIMEFMT_RFC3339_LEN];
    int rc = 0;

    if (lines_load(c, job_id, &l, err))
        return err->rc;
    parts_outlook(l.pl, l.n, &o);
    if (o.verdict == PARTS_NEED_APPROVAL) {
        struct parts_plan p = {o.verdict, o.line, 0};
        rc = plan_error(&l, &p, err);
    } else if (o.verdict == PARTS_SHORT) {
        char field[32];
        snprintf(field, sizeof field, "parts[%zu]", o.line);
        rc = err_set(err, ERR_CONFLICT, "parts_not_ready", field,
                     "part %s is out of stock with no expected date: record"
                     " when it arrives (parts_missing with expected_on)"
                     " before booking", line_sku(&l, o.line));
    } else if (window_start &&
               (rc = local_day(c, job_id, window_start, &day, err)) == 0 &&
               o.from_day && day <= o.from_day) {
        timefmt_format_rfc3339(o.from_day * 86400, date);
        date[10] = '\0';
        rc = err_set(err, ERR_CONFLICT, "parts_not_ready", "window_start",
                     "the parts are expected on %s: the visit can be from"
                     " the day after", date);
    }
    json_decref(l.rows);
    return rc;
}

int store__parts_release(struct store_conn *c, int64_t job_id,
                         struct err *err)
{
    struct job_lines l;
    int rc;

    if ((rc = lines_load(c, job_id, &l, err)))
        return rc;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        json_t *line = json_array_get(l.rows, i);
        int64_t units = parts_unused(&l.pl[i]);
        if (units == 0)
            continue;
        json_object_set_new(line, "units", json_integer(units));
        rc = store__run(c, sql_release, line, err);
        if (rc == 0)
            rc = set_state(c, line, l.pl[i].used ? PL_USED : PL_RETURNED,
                           NULL, err);
    }
    json_decref(l.rows);
    return rc;
}

int store__parts_back_order(struct store_conn *c, struct job_ctx *x,
                            struct err *err)
{
    const json_t *expected = store__payload(x, "expected_on");
    struct job_lines l;
    int rc;

    if ((rc = lines_load(c, x->id, &l, err)))
        return rc;
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        if (pending(l.pl[i].state) && l.pl[i].available < l.pl[i].quantity)
            rc = set_state(c, json_array_get(l.rows, i), PL_BACK_ORDERED,
                           expected, err);
    if (expected)
        json_object_set(x->detail, "expected_on", (json_t *)expected);
    json_decref(l.rows);
    return rc;
}

/* Fill use from the payload item u. */
static void use_from(const json_t *u, struct parts_use *use)
{
    use->part_id = json_integer_value(json_object_get(u, "part_id"));
    use->quantity = json_integer_value(json_object_get(u, "quantity"));
    use->serial = json_string_value(json_object_get(u, "serial"));
    use->faulty_serial = json_string_value(json_object_get(u,
                                                           "faulty_serial"));
}

/* Take one use from the lines, recording where it came from. */
static int consume(struct store_conn *c, struct job_lines *l,
                   const json_t *u, int64_t visit_id, struct err *err)
{
    int64_t take[MAX_LINES] = {0};
    struct parts_use use;
    int rc;

    use_from(u, &use);
    if ((rc = parts_take(l->pl, l->n, &use, 1, take, err)))
        return rc;
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        json_t *v;
        if (!take[i])
            continue;
        v = json_deep_copy(json_array_get(l->rows, i));
        json_object_update(v, (json_t *)u);
        json_object_set_new(v, "units", json_integer(take[i]));
        json_object_set_new(v, "visit_id", json_integer(visit_id));
        if ((rc = store__run(c, sql_consume, v, err)) == 0 &&
            (rc = store__run(c, sql_line_used, v, err)) == 0)
            rc = store__run(c, sql_usage, v, err);
        l->pl[i].used += take[i];
        json_decref(v);
    }
    return rc;
}

int store__parts_use(struct store_conn *c, int64_t job_id, int64_t visit_id,
                     const json_t *uses, struct err *err)
{
    struct parts_use all[PARTS_MAX_USES];
    int64_t take[MAX_LINES];
    struct job_lines l;
    size_t i, m = json_array_size(uses);
    const json_t *u;
    int rc;

    if (m == 0)
        return 0;
    if ((rc = lines_load(c, job_id, &l, err)))
        return rc;
    json_array_foreach(uses, i, u)
        if (i < PARTS_MAX_USES)
            use_from(u, &all[i]);
    /* all or nothing: check every use before taking any */
    rc = parts_take(l.pl, l.n, all, m < PARTS_MAX_USES ? m : PARTS_MAX_USES,
                    take, err);
    json_array_foreach(uses, i, u)
        if (rc == 0)
            rc = consume(c, &l, u, visit_id, err);
    json_decref(l.rows);
    return rc;
}
