/*
 * store_board.c - what the dispatcher's board reads for one day: the
 * active technicians with their skills and that weekday's shifts, the
 * jobs on the day (visits of the day with a technician, and the plannable
 * ones nobody has yet, with their required skills), each job's SLA risk
 * now, and the change-log position the picture is taken at.
 *
 * One read transaction, so the picture is consistent; board.c turns the
 * rows into the board.
 */
#include "assign/day_problem.h"
#include "common/timefmt.h"
#include "job_sets_sql.h"
#include "store/store_int.h"

/* The day's jobs: a technician's visits meeting [:lo, :hi), and the jobs
 * still waiting for one (requests to book, booked, ready to assign),
 * windowed on the day or not at all. */
#define BOARD_JOBS                                                        \
    " FROM jobs j WHERE (j.technician_id IS NOT NULL"                     \
    "  AND j.status NOT IN (" JOB_SQL_OFF_LANES ")"                         \
    "  AND j.window_start < :hi AND j.window_end > :lo)"                    \
    " OR (j.technician_id IS NULL"                                          \
    "  AND j.status IN (" JOB_SQL_UNASSIGNED_OPEN ")"                       \
    "  AND (j.window_start IS NULL"                                         \
    "  OR (j.window_start < :hi AND j.window_end > :lo)))"

static const char sql_techs[] =
    "SELECT id, name, timezone, capacity_minutes, start_lat, start_lon"
    " FROM technicians WHERE active ORDER BY name, id";
static const char sql_tech_skills[] =
    "SELECT ts.technician_id, s.code, s.name, ts.level"
    " FROM technician_skills ts JOIN skills s ON s.id = ts.skill_id"
    " JOIN technicians t ON t.id = ts.technician_id WHERE t.active"
    " ORDER BY ts.technician_id, s.code";
static const char sql_shifts[] =
    "SELECT s.technician_id, s.start_minute, s.end_minute"
    " FROM shifts s JOIN technicians t ON t.id = s.technician_id"
    " WHERE t.active AND s.weekday = :weekday"
    " ORDER BY s.technician_id, s.start_minute";
/* late: the on-site deadline passed; at_risk: it falls within 2 hours */
static const char sql_jobs[] =
    "SELECT j.id, j.version, j.status, j.kind, j.fault, j.priority,"
    " c.name AS customer_name, c.timezone AS customer_timezone,"
    " j.duration_minutes, j.window_start,"
    " j.window_end, j.sla_due_at, j.technician_id, j.pinned, c.lat, c.lon,"
    " CASE WHEN j.sla_due_at IS NULL"
    "  OR j.status IN (" JOB_SQL_WORK_FINISHED ") THEN 'ok'"
    "  WHEN j.sla_due_at <= :now THEN 'late'"
    "  WHEN j.sla_due_at <= :now + 7200 THEN 'at_risk' ELSE 'ok' END"
    " AS sla_risk"
    " FROM jobs j JOIN customers c ON c.id = j.customer_id"
    " WHERE j.id IN (SELECT j.id" BOARD_JOBS ")"
    " ORDER BY CASE WHEN j.sla_due_at IS NULL THEN 2"
    "  WHEN j.sla_due_at <= :now THEN 0"
    "  WHEN j.sla_due_at <= :now + 7200 THEN 1 ELSE 2 END,"
    " j.priority, coalesce(j.sla_due_at, 9223372036854775807), j.id";
static const char sql_job_skills[] =
    "SELECT js.job_id, s.code, js.min_level FROM job_skills js"
    " JOIN skills s ON s.id = js.skill_id"
    " WHERE js.job_id IN (SELECT j.id" BOARD_JOBS ")"
    " ORDER BY js.job_id, s.code";

struct board_op {
    json_t *vals, *out;
};

static int board_fn(struct store_conn *c, void *arg, struct err *err)
{
    static const struct {
        const char *key, *sql;
    } parts[] = {{"technicians", sql_techs}, {"tech_skills", sql_tech_skills},
                 {"shifts", sql_shifts},     {"jobs", sql_jobs},
                 {"job_skills", sql_job_skills},
                 {"time_off", store__sql_time_off}};
    struct board_op *op = arg;
    int64_t seq = 0;

    if (store__scalar(c, store__sql_last_change, op->vals, &seq, err))
        return err->rc;
    json_object_set_new(op->out, "seq", json_integer(seq));
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        json_t *rows = store__rows(c, parts[i].sql, op->vals, err);
        if (!rows)
            return err->rc;
        json_object_set_new(op->out, parts[i].key, rows);
    }
    return 0;
}

int store_board_rows(struct store *s, const char *date, int64_t lo,
                     int64_t hi, json_t **out, struct err *err)
{
    struct board_op op;
    int64_t days;
    int rc;

    if (timefmt_parse_date(date, &days))
        return err_set(err, ERR_INVALID, "invalid_date", "date",
                       "date must be YYYY-MM-DD");
    op.vals = json_pack("{s:I, s:I, s:I, s:I}", "lo", (json_int_t)lo, "hi",
                        (json_int_t)hi, "now", (json_int_t)store__now(),
                        "weekday", (json_int_t)timefmt_weekday(days));
    op.out = json_object();
    rc = store__read(s, board_fn, &op, err);
    json_decref(op.vals);
    if (rc) {
        json_decref(op.out);
        return rc;
    }
    *out = op.out;
    return 0;
}
