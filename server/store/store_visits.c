/*
 * store_visits.c - the visits of a job: each trip to the customer, what
 * came of it, and the next one when the work is not finished.
 *
 * A visit opens when the technician arrives (taking over a planned
 * follow-up visit if there is one) and is closed by complete_work or
 * need_follow_up with an explicit outcome, notes, the labour spent and the
 * parts used.  A follow-up or a rejected sign-off plans the next visit: it
 * points back at the visit before it, the job keeps its history and its
 * reserved parts, and the earlier technician becomes the preferred one.
 */
#include "rules/job.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

static const char sql_planned[] =
    "SELECT coalesce(max(id), 0) FROM visits"
    " WHERE job_id = :job_id AND status = 'planned'";
static const char sql_open_planned[] =
    "UPDATE visits SET status = 'open', technician_id = :technician_id,"
    " arrived_at = :at WHERE id = :visit_id";
static const char sql_open_new[] =
    "INSERT INTO visits(job_id, technician_id, status, arrived_at,"
    " created_at) VALUES (:job_id, :technician_id, 'open', :at, :now)"
    " RETURNING id";
static const char sql_current[] =
    "SELECT coalesce(max(id), 0) FROM visits"
    " WHERE job_id = :job_id AND status = 'open'";
static const char sql_done_new[] =
    "INSERT INTO visits(job_id, technician_id, status, created_at)"
    " VALUES (:job_id, :technician_id, 'open', :now) RETURNING id";
static const char sql_finish[] =
    "UPDATE visits SET status = 'done', ended_at = :at, outcome = :outcome,"
    " notes = coalesce(:notes, ''), labour = coalesce(:labour, '[]')"
    " WHERE id = :visit_id";
static const char sql_last_done[] =
    "SELECT coalesce(max(id), 0) FROM visits"
    " WHERE job_id = :job_id AND status = 'done'";
static const char sql_prefer[] =
    "UPDATE jobs SET preferred_technician_id = :technician_id"
    " WHERE id = :job_id";
static const char sql_plan[] =
    "INSERT INTO visits(job_id, follows_visit_id, technician_id, status,"
    " created_at) VALUES (:job_id, nullif(:visit_id, 0), :technician_id,"
    " 'planned', :now) RETURNING id";

/* The values every statement here binds from. */
static json_t *visit_vals(const struct job_ctx *x)
{
    return json_pack("{s:I, s:O, s:I, s:I}", "job_id", (json_int_t)x->id,
                     "technician_id", json_object_get(x->cur,
                                                      "technician_id"),
                     "now", (json_int_t)x->now, "at",
                     (json_int_t)x->occurred);
}

int store__visit_arrive(struct store_conn *c, struct job_ctx *x,
                        struct err *err)
{
    json_t *vals = visit_vals(x);
    int64_t visit = 0;
    int rc = store__scalar(c, sql_planned, vals, &visit, err);

    if (rc == 0 && visit) {
        json_object_set_new(vals, "visit_id", json_integer(visit));
        rc = store__run(c, sql_open_planned, vals, err);
    } else if (rc == 0) {
        rc = store__scalar(c, sql_open_new, vals, &visit, err);
    }
    if (rc == 0)
        json_object_set_new(x->detail, "visit_id", json_integer(visit));
    json_decref(vals);
    return rc;
}

/* The outcome an event records: complete_work always "completed". */
static const char *outcome_of(const struct job_ctx *x)
{
    const json_t *o = store__payload(x, "outcome");

    if (x->req->event == EV_COMPLETE_WORK)
        return "completed";
    return o ? json_string_value(o) : "needs_follow_up";
}

int store__visit_finish(struct store_conn *c, struct job_ctx *x,
                        struct err *err)
{
    const json_t *labour = store__payload(x, "labour");
    const json_t *notes = store__payload(x, "notes");
    json_t *vals = visit_vals(x);
    char *labour_text = labour ? json_dumps(labour, JSON_COMPACT) : NULL;
    int64_t visit = 0;
    int rc = store__scalar(c, sql_current, vals, &visit, err);

    /* turned back before arriving (not home, no access): a visit with no
     * arrival still records what happened */
    if (rc == 0 && !visit)
        rc = store__scalar(c, sql_done_new, vals, &visit, err);
    if (rc == 0) {
        json_object_set_new(vals, "visit_id", json_integer(visit));
        json_object_set_new(vals, "outcome", json_string(outcome_of(x)));
        json_object_set(vals, "notes", notes ? (json_t *)notes : json_null());
        json_object_set_new(vals, "labour", labour_text
                                                ? json_string(labour_text)
                                                : json_null());
        rc = store__run(c, sql_finish, vals, err);
    }
    if (rc == 0)
        rc = store__parts_use(c, x->id, visit,
                              store__payload(x, "parts_used"), err);
    if (rc == 0) {
        json_object_set_new(x->detail, "visit_id", json_integer(visit));
        json_object_set_new(x->detail, "outcome",
                            json_string(outcome_of(x)));
    }
    if (rc == 0 && x->req->event == EV_NEED_FOLLOW_UP)
        rc = store__visit_plan_return(c, x, visit, err);
    free(labour_text);
    json_decref(vals);
    return rc;
}

int store__visit_plan_return(struct store_conn *c, struct job_ctx *x,
                             int64_t after_visit, struct err *err)
{
    json_t *vals = visit_vals(x);
    int64_t planned = 0;
    int rc = after_visit ? 0
                         : store__scalar(c, sql_last_done, vals, &after_visit,
                                         err);

    json_object_set_new(vals, "visit_id", json_integer(after_visit));
    if (rc == 0)
        rc = store__run(c, sql_prefer, vals, err);
    if (rc == 0)
        rc = store__scalar(c, sql_plan, vals, &planned, err);
    if (rc == 0) {
        json_object_set_new(x->detail, "next_visit_id",
                            json_integer(planned));
        json_object_set(x->detail, "preferred_technician_id",
                        json_object_get(x->cur, "technician_id"));
    }
    json_decref(vals);
    return rc;
}

int store__visit_open(struct store_conn *c, int64_t job_id, int64_t *visit,
                      struct err *err)
{
    json_t *vals = json_pack("{s:I}", "job_id", (json_int_t)job_id);
    int rc = store__scalar(c, sql_current, vals, visit, err);

    json_decref(vals);
    return rc;
}
