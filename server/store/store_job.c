/*
 * store_job.c - applying lifecycle events to jobs, and reading a job's
 * timeline.
 *
 * The decision is job.c's; this file reads the job's current state and
 * writes the outcome inside one write transaction, so two concurrent events
 * cannot both apply to the same state.  Assignment events also set the
 * technician, after checking the technician exists and is active.
 */
#include "job_sets_sql.h"
#include "rules/job.h"
#include "store/store_int.h"

static const char sql_job_state[] =
    "SELECT id, status, version, technician_id, customer_id, asset_id,"
    " warranty, window_start FROM jobs WHERE id = :id";
static const char sql_technician_active[] =
    "SELECT EXISTS(SELECT 1 FROM technicians"
    " WHERE id = :technician_id AND active)";
static const char sql_job_move[] =
    "UPDATE jobs SET status = :status, technician_id = :technician_id,"
    " version = version + 1, updated_at = :now WHERE id = :id";
static const char sql_timeline[] =
    "SELECT id, at, received_at, time_note, actor, action, reason, detail"
    " FROM audit_events WHERE entity = 'job' AND entity_id = :id"
    " ORDER BY at, id";

/* Jobs whose next deadline falls before :until: respond-by while nobody
 * has booked them, on-site-by until the technician is there. */
static const char sql_at_risk[] =
    "SELECT id, deadline, due_at FROM ("
    " SELECT id, 'respond_by' AS deadline, respond_by AS due_at FROM jobs"
    "  WHERE status IN (" JOB_SQL_UNBOOKED ") AND respond_by < :until"
    " UNION ALL"
    " SELECT id, 'on_site_by', sla_due_at FROM jobs"
    "  WHERE status IN (" JOB_SQL_BEFORE_ARRIVAL ") AND sla_due_at < :until"
    ") ORDER BY due_at, id LIMIT :limit";

struct job_event_op {
    int64_t id;
    const struct job_event_req *req;
    const struct actor *who;
    json_t *row;
};

static int load_state(struct store_conn *c, json_t *vals, json_t **cur,
                      struct err *err)
{
    sqlite3_stmt *st = store__stmt(c, sql_job_state, err);
    int rc;

    if (!st)
        return err->rc;
    store__bind(st, vals);
    rc = sqlite3_step(st);
    *cur = rc == SQLITE_ROW ? store__row(st) : NULL;
    store__done(st);
    if (rc == SQLITE_DONE)
        return err_set(err, ERR_NOT_FOUND, NULL, NULL, "job %lld not found",
                       (long long)json_integer_value(
                           json_object_get(vals, "id")));
    return rc == SQLITE_ROW ? 0 : store__sqlerr(c, rc, err);
}

/* Assignment rules: a technician is named, exists, is active, and a
 * reassignment names a different one. */
static int check_assignee(struct store_conn *c, const struct job_event_req *r,
                          const json_t *cur, json_t *vals, struct err *err)
{
    int assigning = r->event == EV_ASSIGN || r->event == EV_REASSIGN;
    int64_t ok = 0;

    if (!assigning) {
        if (r->technician_id)
            return err_set(err, ERR_INVALID, "unexpected_field",
                           "technician_id", "technician_id goes only with"
                           " assign and reassign");
        json_object_set(vals, "technician_id",
                        json_object_get(cur, "technician_id"));
        return 0;
    }
    if (!r->technician_id)
        return err_set(err, ERR_INVALID, "missing_field", "technician_id",
                       "%s needs technician_id", job_event_name(r->event));
    if (r->event == EV_REASSIGN &&
        json_integer_value(json_object_get(cur, "technician_id")) ==
            r->technician_id)
        return err_set(err, ERR_CONFLICT, "same_technician", "technician_id",
                       "the job is already assigned to technician %lld",
                       (long long)r->technician_id);
    json_object_set_new(vals, "technician_id",
                        json_integer(r->technician_id));
    if (store__scalar(c, sql_technician_active, vals, &ok, err))
        return err->rc;
    return ok ? 0 : err_set(err, ERR_INVALID, "invalid_reference",
                            "technician_id",
                            "technician_id does not name an active"
                            " technician");
}

static int job_event_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct job_event_op *op = arg;

    if (store__job_apply(c, op->id, op->req, op->who, &op->row, err))
        return err->rc;
    if (op->req->event != EV_BOOK)
        return 0;
    /* a booking holds the parts at once, or waits for them */
    json_decref(op->row);
    op->row = NULL;
    if (store__job_book_follow(c, op->id, op->who, err))
        return err->rc;
    return store__res_load(c, &res_job, op->id, &op->row, err);
}

int store__job_apply(struct store_conn *c, int64_t id,
                     const struct job_event_req *r, const struct actor *who,
                     json_t **row, struct err *err)
{
    int64_t now = store__now();
    struct job_ctx x = {.id = id, .req = r, .who = who, .now = now,
                        .occurred = who->occurred_at ? who->occurred_at
                                                     : now};
    json_t *vals = json_pack("{s:I, s:I}", "id", (json_int_t)id, "now",
                             (json_int_t)x.now);
    json_t *cur = NULL;
    enum job_state from, to;
    int rc = load_state(c, vals, &cur, err);

    if (rc == 0 && job_state_parse(json_string_value(json_object_get(
                                       cur, "status")), &from))
        rc = err_set(err, ERR_STORAGE, NULL, NULL, "job has an unknown status");
    if (rc == 0)
        rc = store__check_version("job", cur, r->version, err);
    if (rc == 0)
        rc = job_transition(from, (enum job_event)r->event, r->role, &to, err);
    if (rc == 0)
        rc = check_assignee(c, r, cur, vals, err);
    if (rc == 0) {
        x.cur = cur;
        x.from = (int)from;
        x.to = (int)to;
        x.detail = json_pack("{s:s, s:s, s:s, s:O}", "from",
                             job_state_name(from), "to", job_state_name(to),
                             "by", job_role_name(r->role), "technician_id",
                             json_object_get(vals, "technician_id"));
        if (r->by_staff && !(r->role & (JR_DISPATCHER | JR_MANAGER)))
            json_object_set_new(x.detail, "recorded_by_staff", json_true());
        rc = store__job_effects(c, &x, err);
    }
    if (rc == 0) {
        json_object_set_new(vals, "status", json_string(job_state_name(to)));
        rc = store__run(c, sql_job_move, vals, err);
    }
    if (rc == 0)
        rc = store__res_load(c, &res_job, id, row, err);
    if (rc == 0)
        rc = store__record(c, who, "job", id,
                           json_integer_value(json_object_get(*row,
                                                              "version")),
                           "update", job_event_name((enum job_event)r->event),
                           x.detail, err);
    json_decref(x.detail);
    json_decref(cur);
    json_decref(vals);
    return rc;
}

int store_job_event(struct store *s, int64_t id,
                    const struct job_event_req *req, const struct actor *who,
                    json_t **row, struct err *err)
{
    struct job_event_op op = {id, req, who, NULL};

    if (store__write(s, job_event_fn, &op, err)) {
        json_decref(op.row);
        return err->rc;
    }
    *row = op.row;
    return 0;
}

int store_job_timeline(struct store *s, int64_t id, json_t **events,
                       struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *vals, *job = NULL;

    if (!c || store_res_get(s, &res_job, id, &job, err))
        return err->rc;
    json_decref(job);
    vals = json_pack("{s:I}", "id", (json_int_t)id);
    *events = store__rows(c, sql_timeline, vals, err);
    json_decref(vals);
    return *events ? 0 : err->rc;
}

int store_jobs_at_risk(struct store *s, int64_t until, int limit,
                       json_t **risks, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *vals, *arr, *r;
    size_t i;

    if (!c)
        return err->rc;
    vals = json_pack("{s:I, s:i}", "until", (json_int_t)until, "limit",
                     limit);
    arr = store__rows(c, sql_at_risk, vals, err);
    json_decref(vals);
    if (!arr)
        return err->rc;
    json_array_foreach(arr, i, r) {
        json_t *job;
        if (store__res_load(c, &res_job, json_integer_value(json_object_get(
                                              r, "id")), &job, err)) {
            json_decref(arr);
            return err->rc;
        }
        json_object_set_new(r, "job", job);
    }
    *risks = arr;
    return 0;
}
