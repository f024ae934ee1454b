/*
 * store_reports.c - the summary report, computed from jobs and their audit
 * trail over a period [from, to) of job creation times.
 *
 * Definitions (also in openapi.yaml):
 *  - first-time fix rate: of jobs signed off, the share whose timeline has
 *    no need_follow_up and no reject_sign_off;
 *  - respond SLA: of jobs past new/slots_offered, the share first booked
 *    by respond_by; on-site SLA: of jobs with an arrival and an on-site-by
 *    deadline, the share whose first arrival was by it;
 *  - quotes: counts of approve_quote, decline_quote and expire_quote
 *    events; parts used: units recorded as used on the jobs' visits;
 *  - ratings: how many sign-offs, and their average rating (null when
 *    none); outstanding: unpaid invoice totals of the period's jobs;
 *  - jobs per technician: jobs assigned to each, by status group;
 *  - ratings by day: sign-offs per UTC day of signing, with their average;
 *  - parts by part: units used of each part, most used first.
 */
#include "job_sets_sql.h"
#include "store/store_int.h"

static const char sql_totals[] =
    "WITH j AS (SELECT * FROM jobs WHERE created_at >= :from"
    "  AND created_at < :to),"
    " ev AS (SELECT a.entity_id AS job, a.action, min(a.at) AS at,"
    "  count(*) AS n FROM audit_events a JOIN j ON j.id = a.entity_id"
    "  WHERE a.entity = 'job' GROUP BY a.entity_id, a.action)"
    " SELECT (SELECT count(*) FROM j) AS jobs,"
    " (SELECT count(*) FROM ev WHERE action = 'sign_off') AS signed_off,"
    " (SELECT count(*) FROM ev s WHERE s.action = 'sign_off' AND NOT EXISTS("
    "   SELECT 1 FROM ev f WHERE f.job = s.job"
    "   AND f.action IN ('need_follow_up', 'reject_sign_off')))"
    "   AS fixed_first_time,"
    " (SELECT count(*) FROM ev WHERE action = 'book') AS responded,"
    " (SELECT count(*) FROM ev JOIN j ON j.id = ev.job"
    "   WHERE ev.action = 'book' AND ev.at <= j.respond_by)"
    "   AS responded_in_time,"
    " (SELECT count(*) FROM ev JOIN j ON j.id = ev.job"
    "   WHERE ev.action = 'arrive' AND j.sla_due_at IS NOT NULL)"
    "   AS arrived,"
    " (SELECT count(*) FROM ev JOIN j ON j.id = ev.job"
    "   WHERE ev.action = 'arrive' AND ev.at <= j.sla_due_at)"
    "   AS arrived_in_time,"
    " (SELECT coalesce(sum(n), 0) FROM ev WHERE action = 'approve_quote')"
    "   AS quotes_approved,"
    " (SELECT coalesce(sum(n), 0) FROM ev WHERE action = 'decline_quote')"
    "   AS quotes_declined,"
    " (SELECT coalesce(sum(n), 0) FROM ev WHERE action = 'expire_quote')"
    "   AS quotes_expired,"
    " (SELECT coalesce(sum(u.quantity), 0) FROM part_usage u"
    "   JOIN visits v ON v.id = u.visit_id JOIN j ON j.id = v.job_id)"
    "   AS parts_used,"
    " (SELECT count(*) FROM sign_offs s JOIN j ON j.id = s.job_id)"
    "   AS ratings,"
    " (SELECT round(avg(s.rating), 2) FROM sign_offs s"
    "   JOIN j ON j.id = s.job_id) AS average_rating,"
    " (SELECT coalesce(sum(i.total_minor), 0) FROM invoices i"
    "   JOIN j ON j.id = i.job_id WHERE i.paid_at IS NULL)"
    "   AS outstanding_minor";
static const char sql_by_status[] =
    "SELECT status, count(*) AS jobs FROM jobs WHERE created_at >= :from"
    " AND created_at < :to GROUP BY status ORDER BY status";
static const char sql_by_technician[] =
    "SELECT t.id AS technician_id, t.name, count(j.id) AS jobs,"
    " sum(j.status IN (" JOB_SQL_COMPLETED ")) AS completed"
    " FROM technicians t JOIN jobs j ON j.technician_id = t.id"
    " WHERE j.created_at >= :from AND j.created_at < :to"
    " GROUP BY t.id ORDER BY t.id";

static const char sql_ratings_by_day[] =
    "SELECT date(s.at, 'unixepoch') AS date, count(*) AS count,"
    " round(avg(s.rating), 2) AS average FROM sign_offs s"
    " JOIN jobs j ON j.id = s.job_id"
    " WHERE j.created_at >= :from AND j.created_at < :to"
    " GROUP BY date ORDER BY date";
static const char sql_parts_by_part[] =
    "SELECT p.id AS part_id, p.sku, p.name, sum(u.quantity) AS quantity"
    " FROM part_usage u JOIN parts p ON p.id = u.part_id"
    " JOIN visits v ON v.id = u.visit_id JOIN jobs j ON j.id = v.job_id"
    " WHERE j.created_at >= :from AND j.created_at < :to"
    " GROUP BY p.id ORDER BY quantity DESC, p.id";

int store_report_summary(struct store *s, int64_t from, int64_t to,
                         json_t **out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *vals, *totals = NULL, *status = NULL, *techs = NULL;
    json_t *ratings = NULL, *parts = NULL;
    int rc = c ? 0 : err->rc;

    if (rc)
        return rc;
    vals = json_pack("{s:I, s:I}", "from", (json_int_t)from, "to",
                     (json_int_t)to);
    if (!(totals = store__rows(c, sql_totals, vals, err)) ||
        !(status = store__rows(c, sql_by_status, vals, err)) ||
        !(techs = store__rows(c, sql_by_technician, vals, err)) ||
        !(ratings = store__rows(c, sql_ratings_by_day, vals, err)) ||
        !(parts = store__rows(c, sql_parts_by_part, vals, err)))
        rc = err->rc;
    else
        *out = json_pack("{s:O, s:O, s:O, s:O, s:O}", "totals",
                         json_array_get(totals, 0), "by_status", status,
                         "by_technician", techs, "ratings_by_day", ratings,
                         "parts_by_part", parts);
    json_decref(ratings);
    json_decref(parts);
    json_decref(vals);
    json_decref(totals);
    json_decref(status);
    json_decref(techs);
    return rc;
}
