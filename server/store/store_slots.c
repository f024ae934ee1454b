/*
 * store_slots.c - what the slot search (slots.c through slot_problem.c) reads
 * about one job and the technicians over a horizon: the job's skills,
 * duration, place and time zone, when its parts can all be held
 * (parts_outlook(): parts_status and parts_expected_on), the active technicians with their skills and
 * weekly shifts, and the visits already booked or held in the horizon.
 *
 * Read-only, on the caller's reader connection; the rows go to
 * slot_problem_build() unchanged.
 */
#include "common/timefmt.h"
#include "job_sets_sql.h"
#include "rules/parts.h"
#include "slots/slot_problem.h"
#include "store/store_int.h"

static const char sql_job[] =
    "SELECT j.id, j.status, j.duration_minutes, c.lat, c.lon, c.timezone"
    " FROM jobs j JOIN customers c ON c.id = j.customer_id WHERE j.id = :id";
static const char sql_job_skills[] =
    "SELECT skill_id, min_level FROM job_skills WHERE job_id = :id"
    " ORDER BY skill_id";
static const char sql_techs[] =
    "SELECT id, name, start_lat, start_lon, capacity_minutes, timezone"
    " FROM technicians WHERE active ORDER BY id";
static const char sql_shifts[] =
    "SELECT s.technician_id, s.weekday, s.start_minute, s.end_minute"
    " FROM shifts s JOIN technicians t ON t.id = s.technician_id"
    " WHERE t.active ORDER BY s.technician_id, s.weekday, s.start_minute";
/* what holds a technician's time: confirmed appointments, other jobs'
 * live slot holds, and visits assigned with a window that have none */
static const char sql_visits[] =
    "SELECT technician_id, window_start, duration_minutes, lat, lon FROM ("
    " SELECT coalesce(j.technician_id, a.technician_id) AS technician_id,"
    "  a.starts_at AS window_start,"
    "  (a.ends_at - a.starts_at) / 60 AS duration_minutes, c.lat, c.lon"
    "  FROM appointments a JOIN jobs j ON j.id = a.job_id"
    "  JOIN customers c ON c.id = j.customer_id"
    "  WHERE a.job_id <> :id AND j.status NOT IN (" JOB_SQL_ENDED ")"
    "  AND a.starts_at >= :lo AND a.starts_at < :hi"
    " UNION ALL"
    " SELECT h.technician_id, h.starts_at,"
    "  (h.ends_at - h.starts_at) / 60, c.lat, c.lon"
    "  FROM slot_holds h JOIN jobs j ON j.id = h.job_id"
    "  JOIN customers c ON c.id = j.customer_id"
    "  WHERE h.job_id <> :id AND h.held_until > :now"
    "  AND h.starts_at >= :lo AND h.starts_at < :hi"
    " UNION ALL"
    " SELECT j.technician_id, j.window_start, j.duration_minutes, c.lat, c.lon"
    "  FROM jobs j JOIN customers c ON c.id = j.customer_id"
    "  WHERE j.technician_id IS NOT NULL AND j.id <> :id"
    "  AND j.status IN (" JOB_SQL_VISIT_ASSIGNED ")"
    "  AND j.window_start >= :lo AND j.window_start < :hi"
    "  AND NOT EXISTS (SELECT 1 FROM appointments WHERE job_id = j.id))"
    " ORDER BY technician_id, window_start";

/* The job's parts outlook as the row's parts_status and
 * parts_expected_on. */
static int add_parts(struct store_conn *c, int64_t job_id, json_t *job,
                     struct err *err)
{
    static const char *const status[] = {
        [PARTS_READY] = "in_stock", [PARTS_SHORT] = "not_in_stock",
        [PARTS_NEED_APPROVAL] = "awaiting_approval"};
    struct parts_outlook o;
    char day[TIMEFMT_RFC3339_LEN];

    if (store__parts_outlook(c, job_id, &o, err))
        return err->rc;
    json_object_set_new(job, "parts_status",
                        json_string(o.verdict == PARTS_READY && o.from_day
                                        ? "expected"
                                        : status[o.verdict]));
    timefmt_format_rfc3339(o.from_day * 86400, day);
    day[10] = '\0';
    json_object_set_new(job, "parts_expected_on",
                        o.from_day ? json_string(day) : json_null());
    return 0;
}

json_t *store__slot_rows(struct store_conn *c, int64_t job_id, int64_t lo,
                        int64_t hi, struct err *err)
{
    static const struct {
        const char *key, *sql;
    } parts[] = {
        {"job", sql_job},           {"job_skills", sql_job_skills},
        {"technicians", sql_techs}, {"tech_skills", store__sql_active_skills},
        {"shifts", sql_shifts},     {"visits", sql_visits},
        {"time_off", store__sql_time_off}};
    json_t *vals, *rows, *out = json_object();

    vals = json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)job_id, "lo",
                     (json_int_t)lo, "hi", (json_int_t)hi, "now",
                     (json_int_t)store__now());
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (!(rows = store__rows(c, parts[i].sql, vals, err))) {
            json_decref(vals);
            json_decref(out);
            return NULL;
        }
        json_object_set_new(out, parts[i].key, rows);
    }
    json_decref(vals);
    if (json_array_size(json_object_get(out, "job")) == 0) {
        json_decref(out);
        err_set(err, ERR_NOT_FOUND, NULL, NULL, "job %lld not found",
                (long long)job_id);
        return NULL;
    }
    if (add_parts(c, job_id, json_array_get(json_object_get(out, "job"), 0),
                  err)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int store_slot_rows(struct store *s, int64_t job_id, int64_t lo, int64_t hi,
                    json_t **out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);

    if (!c || !(*out = store__slot_rows(c, job_id, lo, hi, err)))
        return err->rc;
    return 0;
}
