/*
 * store_parts.c - reserving and releasing a job's parts in stock.
 *
 * Runs inside a job event's write transaction.  Parts are reserved from the
 * "warehouse" location: a reservation only succeeds while quantity minus
 * what is already reserved covers it, and the stock table's CHECK
 * (reserved between 0 and quantity) makes overbooking impossible even for
 * a statement that forgot the condition.  If any line falls short the
 * whole event fails and the savepoint undoes the lines already reserved.
 *
 * Receiving stock at the warehouse then tries, oldest first, every job
 * waiting for that part: each one whose lines can now all be reserved moves
 * to parts_reserved as a system event; the others keep waiting.
 */
#include "job.h"
#include "store_int.h"

#include <stdio.h>
#include <string.h>

#define RESERVE_LOCATION "warehouse"

static const char sql_job_parts[] =
    "SELECT jp.id, jp.part_id, jp.quantity, jp.state, p.sku,"
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
    "UPDATE stock SET reserved = reserved - :quantity"
    " WHERE part_id = :part_id AND location = '" RESERVE_LOCATION "'";
static const char sql_line_state[] =
    "UPDATE job_parts SET state = :state WHERE id = :id";

static int set_state(struct store_conn *c, json_t *line, const char *state,
                     struct err *err)
{
    int64_t unused;

    json_object_set_new(line, "state", json_string(state));
    return store__scalar(c, sql_line_state, line, &unused, err);
}

static int reserve_line(struct store_conn *c, json_t *line, size_t i,
                        struct err *err)
{
    char field[32];
    int64_t unused;

    if (store__scalar(c, sql_reserve, line, &unused, err))
        return err->rc;
    if (sqlite3_changes(c->db) == 1)
        return set_state(c, line, "reserved", err);
    snprintf(field, sizeof field, "parts[%zu]", i);
    return err_set(err, ERR_CONFLICT, "out_of_stock", field,
                   "part %s: the job needs %lld, %lld available at the "
                   RESERVE_LOCATION,
                   json_string_value(json_object_get(line, "sku")),
                   (long long)json_integer_value(json_object_get(line,
                                                                 "quantity")),
                   (long long)json_integer_value(json_object_get(line,
                                                                 "available")));
}

int store__parts_apply(struct store_conn *c, int64_t job_id, int reserve,
                       struct err *err)
{
    json_t *vals = json_pack("{s:I}", "id", (json_int_t)job_id);
    json_t *lines = store__rows(c, sql_job_parts, vals, err), *line;
    size_t i;
    int64_t unused;
    int rc = lines ? 0 : err->rc;

    json_decref(vals);
    json_array_foreach(lines, i, line) {
        const char *state = json_string_value(json_object_get(line, "state"));
        if (rc)
            break;
        if (reserve && (!strcmp(state, "needed") ||
                        !strcmp(state, "back_ordered")))
            rc = reserve_line(c, line, i, err);
        else if (!reserve && !strcmp(state, "reserved") &&
                 (rc = store__scalar(c, sql_release, line, &unused, err)) == 0)
            rc = set_state(c, line, "returned", err);
    }
    json_decref(lines);
    return rc;
}

static const char sql_receive[] =
    "INSERT INTO stock(part_id, location, quantity) VALUES (:id, :location,"
    " :quantity) ON CONFLICT(part_id, location)"
    " DO UPDATE SET quantity = quantity + excluded.quantity";
static const char sql_part_exists[] =
    "SELECT EXISTS(SELECT 1 FROM parts WHERE id = :id)";
static const char sql_waiting_jobs[] =
    "SELECT DISTINCT j.id FROM jobs j JOIN job_parts jp ON jp.job_id = j.id"
    " WHERE j.status = 'awaiting_parts' AND jp.part_id = :id"
    " AND jp.state IN ('needed', 'back_ordered') ORDER BY j.id";

struct receive_op {
    int64_t part_id;
    const char *location;
    int64_t quantity;
    const struct actor *who;
    json_t *jobs; /* ids of jobs whose parts got reserved */
};

/* Give the new stock to waiting jobs, each all or nothing. */
static int serve_waiting(struct store_conn *c, struct receive_op *op,
                         const json_t *vals, struct err *err)
{
    static const struct actor system = {0, "system", "stock received"};
    struct job_event_req ev = {EV_PARTS_RESERVED, JR_SYSTEM, 0, 0};
    json_t *ids = store__rows(c, sql_waiting_jobs, vals, err), *j;
    size_t i;

    if (!ids)
        return err->rc;
    json_array_foreach(ids, i, j) {
        int64_t id = json_integer_value(json_object_get(j, "id"));
        struct err skip = ERR_INIT;
        json_t *row = NULL;

        if (store__exec(c, "SAVEPOINT waiting_job", err))
            break;
        if (store__job_apply(c, id, &ev, &system, &row, &skip) == 0)
            json_array_append_new(op->jobs, json_integer(id));
        else /* still short: this job keeps waiting, untouched */
            store__exec(c, "ROLLBACK TO waiting_job", &skip);
        store__exec(c, "RELEASE waiting_job", &skip);
        json_decref(row);
    }
    json_decref(ids);
    return err->rc;
}

static int receive_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct receive_op *op = arg;
    json_t *vals = json_pack("{s:I, s:s, s:I}", "id",
                             (json_int_t)op->part_id, "location",
                             op->location, "quantity",
                             (json_int_t)op->quantity);
    int64_t exists = 0, unused;
    int rc = store__scalar(c, sql_part_exists, vals, &exists, err);

    if (rc == 0 && !exists)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL, "part %lld not found",
                     (long long)op->part_id);
    if (rc == 0)
        rc = store__scalar(c, sql_receive, vals, &unused, err);
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
