/*
 * store_stock_events.c - the use cases that move jobs waiting for parts
 * on: stock received at a location, and an expensive part line approved.
 *
 * Receiving stock at the warehouse tries, oldest first, every job waiting
 * for that part: each one whose lines can now all be reserved moves to
 * parts_reserved as a system event (store__job_apply, which reserves them
 * through store_parts.c); the others keep waiting.  A job whose visit
 * ended waiting for parts (follow_up_needed) has them held for its return
 * visit the same way, without a state change.  A job held up only by
 * an approval gets the same try once the line is approved.  Either way a
 * job whose parts got reserved and whose appointment holds a technician's
 * time is assigned to that technician at once.  A booking ends the same
 * way (store__job_book_follow): parts reserved and the technician
 * assigned, or, for parts expected later, the job waits in
 * awaiting_parts with the date.
 */
#include "rules/job.h"
#include "rules/parts.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

static const char sql_receive[] =
    "INSERT INTO stock(part_id, location, quantity) VALUES (:id, :location,"
    " :quantity) ON CONFLICT(part_id, location)"
    " DO UPDATE SET quantity = quantity + excluded.quantity";
static const char sql_part_exists[] =
    "SELECT EXISTS(SELECT 1 FROM parts WHERE id = :id)";
static const char sql_waiting_jobs[] =
    "SELECT DISTINCT j.id, j.status = 'follow_up_needed' AS return_visit"
    " FROM jobs j JOIN job_parts jp ON jp.job_id = j.id"
    " WHERE j.status IN ('awaiting_parts', 'follow_up_needed')"
    " AND jp.part_id = :id AND jp.state IN ('needed', 'back_ordered')"
    " ORDER BY j.id";

static const char sql_booked_tech[] =
    "SELECT technician_id FROM appointments WHERE job_id = :id";
static const char sql_latest_expected[] =
    "SELECT max(expected_on) AS expected_on FROM job_parts"
    " WHERE job_id = :id AND state = 'back_ordered'";

static const char sql_job_touch[] =
    "UPDATE jobs SET version = version + 1, updated_at = :now"
    " WHERE id = :id RETURNING status = 'awaiting_parts'";
static const char sql_version[] = "SELECT version FROM jobs WHERE id = :id";

struct receive_op {
    int64_t part_id;
    const char *location;
    int64_t quantity;
    const struct actor *who;
    json_t *jobs; /* ids of jobs whose parts got reserved */
};

int store__job_try_reserve(struct store_conn *c, int64_t id,
                           const struct actor *who, struct err *err)
{
    struct job_event_req ev = {.event = EV_PARTS_RESERVED,
                               .role = JR_SYSTEM};
    struct err skip = ERR_INIT;
    json_t *row = NULL;
    int applied;

    if (store__exec(c, "SAVEPOINT waiting_job", err))
        return err->rc;
    applied = store__job_apply(c, id, &ev, who, &row, &skip) == 0;
    if (!applied) /* still short: the job keeps waiting, untouched */
        store__exec(c, "ROLLBACK TO waiting_job", &skip);
    store__exec(c, "RELEASE waiting_job", &skip);
    json_decref(row);
    return applied;
}

/* A system event on job id with payload (may be NULL). */
static int system_event(struct store_conn *c, int64_t id, int event,
                        int64_t tech, const json_t *payload,
                        const struct actor *who, struct err *err)
{
    struct job_event_req r = {.event = event, .role = JR_SYSTEM,
                              .technician_id = tech, .payload = payload};
    json_t *row = NULL;
    int rc = store__job_apply(c, id, &r, who, &row, err);

    json_decref(row);
    return rc;
}

/* Rows of sql about job id. */
static json_t *job_rows(struct store_conn *c, const char *sql, int64_t id,
                        struct err *err)
{
    json_t *vals = json_pack("{s:I}", "id", (json_int_t)id);
    json_t *rows = store__rows(c, sql, vals, err);

    json_decref(vals);
    return rows;
}

/* A job whose parts are reserved goes to the technician its appointment
 * holds, when it has one. */
static int assign_booked(struct store_conn *c, int64_t id,
                         const struct actor *who, struct err *err)
{
    json_t *rows = job_rows(c, sql_booked_tech, id, err);
    const json_t *tech = json_object_get(json_array_get(rows, 0),
                                         "technician_id");
    int rc = rows ? 0 : err->rc;

    if (rc == 0 && json_integer_value(tech) > 0)
        rc = system_event(c, id, EV_ASSIGN, json_integer_value(tech), NULL,
                          who, err);
    json_decref(rows);
    return rc;
}

/* Reserve a waiting job's parts and, when that worked, assign it: 1, 0
 * when it keeps waiting, or an error. */
static int serve_job(struct store_conn *c, int64_t id,
                     const struct actor *who, struct err *err)
{
    int rc = store__job_try_reserve(c, id, who, err);

    if (rc == 1 && assign_booked(c, id, who, err))
        return err->rc;
    return rc;
}

int store__job_book_follow(struct store_conn *c, int64_t id,
                           const struct actor *who, struct err *err)
{
    json_t *rows;
    int rc = serve_job(c, id, who, err);

    if (rc != 0)
        return rc < 0 ? rc : 0;
    /* the slot search allowed this booking, so what is short now is
     * back-ordered with a date before the window */
    if (!(rows = job_rows(c, sql_latest_expected, id, err)))
        return err->rc;
    rc = system_event(c, id, EV_PARTS_MISSING, 0, json_array_get(rows, 0),
                      who, err);
    json_decref(rows);
    return rc;
}

/* A job whose visit ended for want of parts (an approved quote's, say)
 * gets them held for its return visit, all or nothing, without a state
 * change: the return visit is booked with its parts already reserved.
 * 1 when they were, 0 when it keeps waiting, or an error. */
static int hold_for_return(struct store_conn *c, int64_t id,
                           const struct actor *who, struct err *err)
{
    struct err short_of = ERR_INIT;
    json_t *vals;
    int64_t ignored, version = 0;
    int rc;

    if (store__exec(c, "SAVEPOINT return_parts", err))
        return err->rc;
    if (store__parts_reserve(c, id, &short_of)) {
        if (store__exec(c, "ROLLBACK TO return_parts", err) ||
            store__exec(c, "RELEASE return_parts", err))
            return err->rc;
        return 0;
    }
    /* the job changed: its version, its change-log entry, its audit */
    vals = json_pack("{s:I, s:I}", "id", (json_int_t)id, "now",
                     (json_int_t)store__now());
    rc = store__exec(c, "RELEASE return_parts", err);
    if (rc == 0)
        rc = store__scalar(c, sql_job_touch, vals, &ignored, err);
    if (rc == 0)
        rc = store__scalar(c, sql_version, vals, &version, err);
    if (rc == 0)
        rc = store__record(c, who, "job", id, version, "update",
                           "hold_parts", NULL, err);
    json_decref(vals);
    return rc ? rc : 1;
}

/* Give the new stock to waiting jobs, each all or nothing. */
static int serve_waiting(struct store_conn *c, struct receive_op *op,
                         const json_t *vals, struct err *err)
{
    static const struct actor system = {.name = "system",
                                        .reason = "stock received"};
    json_t *ids = store__rows(c, sql_waiting_jobs, vals, err), *j;
    size_t i;
    int rc = 0;

    if (!ids)
        return err->rc;
    json_array_foreach(ids, i, j) {
        int64_t id = json_integer_value(json_object_get(j, "id"));
        rc = json_integer_value(json_object_get(j, "return_visit"))
                 ? hold_for_return(c, id, &system, err)
                 : serve_job(c, id, &system, err);
        if (rc < 0)
            break;
        if (rc == 1)
            json_array_append_new(op->jobs, json_integer(id));
        rc = 0;
    }
    json_decref(ids);
    return rc;
}

static int receive_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct receive_op *op = arg;
    json_t *vals = json_pack("{s:I, s:s, s:I}", "id",
                             (json_int_t)op->part_id, "location",
                             op->location, "quantity",
                             (json_int_t)op->quantity);
    int64_t exists = 0;
    int rc = store__scalar(c, sql_part_exists, vals, &exists, err);

    if (rc == 0 && !exists)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL, "part %lld not found",
                     (long long)op->part_id);
    if (rc == 0)
        rc = store__run(c, sql_receive, vals, err);
    if (rc == 0)
        rc = store__record(c, op->who, "part", op->part_id, 0, "update",
                           "receive_stock", vals, err);
    if (rc == 0 && strcmp(op->location, RESERVE_LOCATION) == 0)
        rc = serve_waiting(c, op, vals, err);
    json_decref(vals);
    return rc;
}

int store_part_receive(struct store *s, int64_t part_id,
                       const char *location, int64_t quantity,
                       const struct actor *who, json_t **jobs_reserved,
                       struct err *err)
{
    struct receive_op op = {part_id, location, quantity, who, json_array()};

    if (store__write(s, receive_fn, &op, err)) {
        json_decref(op.jobs);
        return err->rc;
    }
    *jobs_reserved = op.jobs;
    return 0;
}

static const char sql_line[] =
    "SELECT jp.id AS line_id, jp.state, p.sku FROM job_parts jp"
    " JOIN parts p ON p.id = jp.part_id"
    " WHERE jp.id = :line_id AND jp.job_id = :id";
static const char sql_approve[] =
    "UPDATE job_parts SET state = 'needed', approved_by = :by"
    " WHERE id = :line_id";

struct approve_op {
    int64_t id, line_id;
    const struct actor *who;
    json_t *row;
};

static int approve_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct approve_op *op = arg;
    json_t *vals = json_pack("{s:I, s:I, s:s, s:I}", "id",
                             (json_int_t)op->id, "line_id",
                             (json_int_t)op->line_id, "by", op->who->name,
                             "now", (json_int_t)store__now());
    json_t *rows = store__rows(c, sql_line, vals, err);
    const json_t *line = json_array_get(rows, 0);
    int64_t waiting = 0;
    int rc = rows ? 0 : err->rc;

    if (rc == 0 && !line)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL,
                     "job %lld has no part line %lld", (long long)op->id,
                     (long long)op->line_id);
    if (rc == 0 && strcmp(json_string_value(json_object_get(line, "state")),
                          "awaiting_approval"))
        rc = err_set(err, ERR_CONFLICT, "not_awaiting_approval", "line_id",
                     "part line %lld is %s, not awaiting approval",
                     (long long)op->line_id,
                     json_string_value(json_object_get(line, "state")));
    if (rc == 0)
        rc = store__run(c, sql_approve, vals, err);
    if (rc == 0)
        rc = store__scalar(c, sql_job_touch, vals, &waiting, err);
    if (rc == 0 && store__res_load(c, &res_job, op->id, &op->row, err) == 0)
        rc = store__record(c, op->who, "job", op->id,
                           json_integer_value(json_object_get(op->row,
                                                              "version")),
                           "update", "approve_part", line, err);
    else if (rc == 0)
        rc = err->rc;
    /* a job held up only by the approval gets its parts now if it can */
    if (rc == 0 && waiting &&
        (rc = serve_job(c, op->id, op->who, err)) == 1) {
        json_decref(op->row);
        op->row = NULL;
        rc = store__res_load(c, &res_job, op->id, &op->row, err);
    }
    json_decref(rows);
    json_decref(vals);
    return rc < 0 ? rc : 0;
}

int store_job_part_approve(struct store *s, int64_t id, int64_t line_id,
                           const struct actor *who, json_t **row,
                           struct err *err)
{
    struct approve_op op = {id, line_id, who, NULL};

    if (store__write(s, approve_fn, &op, err)) {
        json_decref(op.row);
        return err->rc;
    }
    *row = op.row;
    return 0;
}
