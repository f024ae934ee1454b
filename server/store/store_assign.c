/*
 * store_assign.c - what the assignment engine reads and what its decisions
 * write: the rows of one day (for day_problem.c), a manual assignment checked
 * against the hard constraints, and a day's plan kept between its dry run
 * and its application.
 *
 * A manual assignment and a plan's application each run in one write
 * transaction on the single writer: the day is read again there, so the
 * check and the assignment cannot be separated by another writer.  A plan
 * applies only while the day still has the fingerprint its dry run had;
 * every assignment goes through the job state machine, so each is an
 * audit event and a change-log entry that devices receive through sync.
 */
#include "assign/day_problem.h"
#include "assign/plan_view.h"
#include "common/timefmt.h"
#include "common/tz.h"
#include "job_sets_sql.h"
#include "rules/job.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Jobs a day reads: the one explained, the plannable ones whose window
 * meets the two days around the date (day_problem.c narrows it to the working
 * hours) or that have none, and visits under way. */
#define DAY_JOBS                                                          \
    " FROM jobs j WHERE j.id = :job_id"                                    \
    " OR (j.status IN (" JOB_SQL_PLANNABLE ") AND (j.window_start IS NULL"  \
    "  OR (j.window_start < :hi AND j.window_end > :lo)))"                 \
    " OR (j.status IN (" JOB_SQL_COMMITTED ") AND j.window_start < :hi"     \
    "  AND j.window_end > :lo)"

static const char sql_technicians[] =
    "SELECT id, name, start_lat, start_lon, capacity_minutes, timezone,"
    " updated_at FROM technicians WHERE active ORDER BY id";
const char store__sql_active_skills[] =
    "SELECT s.technician_id, s.skill_id, s.level FROM technician_skills s"
    " JOIN technicians t ON t.id = s.technician_id WHERE t.active"
    " ORDER BY s.technician_id, s.skill_id";
static const char sql_shifts[] =
    "SELECT s.technician_id, s.weekday, s.start_minute, s.end_minute"
    " FROM shifts s JOIN technicians t ON t.id = s.technician_id"
    " WHERE t.active AND s.weekday = :weekday"
    " ORDER BY s.technician_id, s.start_minute";
static const char sql_skills[] = "SELECT id, code FROM skills ORDER BY id";
const char store__sql_time_off[] =
    "SELECT o.technician_id, o.first_day, o.last_day FROM time_off o"
    " JOIN technicians t ON t.id = o.technician_id WHERE t.active"
    " ORDER BY o.technician_id, o.first_day";
static const char sql_jobs[] =
    "SELECT j.id, j.version, j.status, j.priority, j.duration_minutes,"
    " j.sla_due_at, j.window_start, j.window_end, j.technician_id,"
    " j.preferred_technician_id, j.pinned, c.lat, c.lon,"
    " j.id = :job_id AS target"
    " FROM jobs j JOIN customers c ON c.id = j.customer_id"
    " WHERE j.id IN (SELECT j.id" DAY_JOBS ") ORDER BY j.id";
static const char sql_job_skills[] =
    "SELECT job_id, skill_id, min_level FROM job_skills"
    " WHERE job_id IN (SELECT j.id" DAY_JOBS ") ORDER BY job_id, skill_id";
static const char sql_job_place[] =
    "SELECT coalesce(j.window_start, :now) AS at, c.timezone"
    " FROM jobs j JOIN customers c ON c.id = j.customer_id WHERE j.id = :id";
static const char sql_pin[] = "UPDATE jobs SET pinned = :pin WHERE id = :id";

json_t *store__day_rows(struct store_conn *c, const char *date,
                        int64_t job_id, struct err *err)
{
    static const struct {
        const char *key, *sql;
    } parts[] = {{"technicians", sql_technicians},
                 {"tech_skills", store__sql_active_skills},
                 {"shifts", sql_shifts},
                 {"time_off", store__sql_time_off},
                 {"skills", sql_skills},
                 {"jobs", sql_jobs},
                 {"job_skills", sql_job_skills}};
    json_t *out = json_object(), *vals;
    int64_t days;

    if (timefmt_parse_date(date, &days)) {
        json_decref(out);
        err_set(err, ERR_INVALID, "invalid_date", "date",
                "date must be YYYY-MM-DD");
        return NULL;
    }
    vals = json_pack("{s:I, s:I, s:I, s:I}", "lo",
                     (json_int_t)((days - 1) * 86400), "hi",
                     (json_int_t)((days + 2) * 86400), "weekday",
                     (json_int_t)timefmt_weekday(days), "job_id",
                     (json_int_t)job_id);
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        json_t *rows = store__rows(c, parts[i].sql, vals, err);

        if (!rows) {
            json_decref(out);
            out = NULL;
            break;
        }
        json_object_set_new(out, parts[i].key, rows);
    }
    json_decref(vals);
    return out;
}

/* The local date of a job's window start in its customer's time zone
 * (today's when it has no window; UTC when the zone is unknown). */
static int job_date(struct store_conn *c, int64_t id, char *date,
                    struct err *err)
{
    json_t *vals = json_pack("{s:I, s:I}", "id", (json_int_t)id, "now",
                             (json_int_t)store__now());
    json_t *rows = store__rows(c, sql_job_place, vals, err), *r;
    const struct tz *z;
    struct err ignored = ERR_INIT;
    char at[TIMEFMT_RFC3339_LEN];
    int64_t t;

    json_decref(vals);
    if (!rows)
        return err->rc;
    if (!(r = json_array_get(rows, 0))) {
        json_decref(rows);
        return err_set(err, ERR_NOT_FOUND, NULL, NULL, "job %lld not found",
                       (long long)id);
    }
    t = json_integer_value(json_object_get(r, "at"));
    if (tz_get(json_string_value(json_object_get(r, "timezone")), &z,
               &ignored) == 0)
        t += tz_offset_at(z, t);
    json_decref(rows);
    timefmt_format_rfc3339(t, at);
    snprintf(date, TIMEFMT_DATE_LEN, "%.10s", at);
    return 0;
}

int store_job_plan_date(struct store *s, int64_t job_id, char *date,
                        struct err *err)
{
    struct store_conn *c = store__reader(s, err);

    return c ? job_date(c, job_id, date, err) : err->rc;
}

int store_day_rows(struct store *s, const char *date, int64_t job_id,
                   json_t **rows, struct err *err)
{
    struct store_conn *c = store__reader(s, err);

    if (!c || !(*rows = store__day_rows(c, date, job_id, err)))
        return err->rc;
    return 0;
}

struct assign_op {
    const struct manual_assign *in;
    const struct actor *who;
    json_t *row, *verdict;
};

/* Technician in->technician_id's verdict on the job, against the day as it
 * stands; *t gets its index (-1 when it is off shift).  A pin keeps a job
 * from automatic re-plans, not from a person moving it, so it is ignored. */
static int verdict(struct day_problem *d, const struct manual_assign *in,
                   int *t, json_t **out, struct err *err)
{
    struct assign_plan now;
    struct assign_candidate c;
    char msg[200];
    int j = day_problem_job_index(d, in->job_id);
    size_t i;
    json_t *off;

    *t = day_problem_tech_index(d, in->technician_id);
    if (*t < 0) {
        json_array_foreach(d->off_shift, i, off)
            if (json_integer_value(json_object_get(off, "id")) ==
                in->technician_id) {
                snprintf(msg, sizeof(msg), "not on shift on %s", d->date);
                *out = json_pack("{s:b, s:s, s:s}", "feasible", 0, "reason",
                                 "outside_shift", "message", msg);
                return 0;
            }
        return err_set(err, ERR_INVALID, "invalid_reference", "technician_id",
                       "technician_id does not name an active technician");
    }
    d->ajobs[j].pinned = 0;
    if (day_problem_current(d, &now, err))
        return err->rc;
    assign_check(&d->problem, &now, j, *t, &c);
    assign_plan_release(&now);
    plan_view_sentence(d, j, &c, msg, sizeof(msg));
    *out = json_pack("{s:b, s:s, s:s}", "feasible", c.reason == AR_OK,
                     "reason", assign_reason_code(c.reason), "message", msg);
    return 0;
}

/* May the assignment go ahead with this verdict? */
static int allowed(const struct manual_assign *in, const struct actor *who,
                   const json_t *v, struct err *err)
{
    if (json_is_true(json_object_get(v, "feasible")))
        return 0;
    if (!in->override)
        return err_set(err, ERR_CONFLICT, "assignment_infeasible",
                       "technician_id", "technician %lld cannot take job"
                       " %lld: %s (a manager may override with a reason)",
                       (long long)in->technician_id, (long long)in->job_id,
                       json_string_value(json_object_get(v, "message")));
    if (!in->manager)
        return err_set(err, ERR_FORBIDDEN, "override_not_allowed", "override",
                       "only a manager may override the assignment rules");
    if (!who->reason)
        return err_set(err, ERR_INVALID, "missing_field", "reason",
                       "an override needs a reason");
    return 0;
}

static int assign_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct assign_op *op = arg;
    const struct manual_assign *in = op->in;
    struct job_event_req r = {0};
    struct day_problem d;
    struct actor who = *op->who;
    char date[TIMEFMT_DATE_LEN], why[400];
    json_t *rows, *vals;
    int rc, t, j;

    if (in->date)
        snprintf(date, sizeof(date), "%s", in->date);
    else if (job_date(c, in->job_id, date, err))
        return err->rc;
    if (!(rows = store__day_rows(c, date, in->job_id, err)))
        return err->rc;
    rc = day_problem_build(rows, date, in->not_before, &d, err);
    json_decref(rows);
    if (rc)
        return rc;
    j = day_problem_job_index(&d, in->job_id);
    if (j < 0)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL, "job %lld not found",
                     (long long)in->job_id);
    if (rc == 0)
        rc = verdict(&d, in, &t, &op->verdict, err);
    if (rc == 0)
        rc = allowed(in, op->who, op->verdict, err);
    r.event = strcmp(d.jobs[j < 0 ? 0 : j].status, "assigned") == 0
                  ? EV_REASSIGN
                  : EV_ASSIGN;
    if (rc == 0 && r.event == EV_REASSIGN && !who.reason)
        rc = err_set(err, ERR_INVALID, "missing_field", "reason",
                     "a reassignment needs a reason");
    day_problem_release(&d);
    if (rc)
        return rc;
    if (!json_is_true(json_object_get(op->verdict, "feasible"))) {
        snprintf(why, sizeof(why), "override (%s): %s",
                 json_string_value(json_object_get(op->verdict, "reason")),
                 who.reason);
        who.reason = why;
    }
    r.role = in->role;
    r.technician_id = in->technician_id;
    r.by_staff = 1;
    if (store__job_apply(c, in->job_id, &r, &who, &op->row, err))
        return err->rc;
    vals = json_pack("{s:I, s:i}", "id", (json_int_t)in->job_id, "pin",
                     in->pin);
    rc = store__run(c, sql_pin, vals, err);
    json_decref(vals);
    json_object_set_new(op->row, "pinned", json_integer(in->pin));
    return rc;
}

int store_job_assign(struct store *s, const struct manual_assign *in,
                     const struct actor *who, json_t **row, json_t **verdict,
                     struct err *err)
{
    struct assign_op op = {in, who, NULL, NULL};
    int rc = store__write(s, assign_fn, &op, err);

    if (rc) {
        json_decref(op.row);
        json_decref(op.verdict);
        return rc;
    }
    *row = op.row;
    *verdict = op.verdict;
    return 0;
}
