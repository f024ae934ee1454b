/*
 * store_parts.c - reserving and releasing a job's parts in stock.
 *
 * Runs inside a job event's write transaction.  Parts are reserved from the
 * "warehouse" location: a reservation only succeeds while quantity minus
 * what is already reserved covers it, and the stock table's CHECK
 * (reserved between 0 and quantity) makes overbooking impossible even for
 * a statement that forgot the condition.  If any line falls short the
 * whole event fails and the savepoint undoes the lines already reserved.
 */
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
