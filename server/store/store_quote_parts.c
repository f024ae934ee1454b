/*
 * store_quote_parts.c - the catalogue parts of a quote: checked when the
 * quote is issued, and joined to the job's part lines when the customer
 * approves it.
 *
 * A quote's part line may name the catalogue part it is for (part_id).
 * Issuing checks that every named part exists and sits on a part line.
 * Approving adds one job part line per named part (awaiting a manager's
 * approval for a part that needs one) and reserves the job's pending lines
 * at once when the stock allows, so the technician still on site can fit
 * what the customer just approved; when it does not, the lines stay
 * needed and the event's detail says so (parts_reserved false): the visit
 * ends with parts_missing and the return visit is booked once they come
 * (docs/DOMAIN.md "Parts").  Both run inside the quote event's
 * transaction (store_job_effects.c).
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>

static const char sql_unknown_part[] =
    "SELECT l.key FROM json_each(:lines) l"
    " WHERE json_extract(l.value, '$.part_id') IS NOT NULL"
    " AND (json_extract(l.value, '$.kind') <> 'part'"
    "  OR NOT EXISTS (SELECT 1 FROM parts"
    "   WHERE id = json_extract(l.value, '$.part_id')))"
    " ORDER BY l.key LIMIT 1";
static const char sql_add_lines[] =
    "INSERT INTO job_parts(job_id, part_id, quantity, state)"
    " SELECT :id, p.id, json_extract(l.value, '$.quantity'),"
    " CASE WHEN p.needs_approval THEN 'awaiting_approval' ELSE 'needed' END"
    " FROM quotes q, json_each(q.lines) l"
    " JOIN parts p ON p.id = json_extract(l.value, '$.part_id')"
    " WHERE q.id = :quote_id AND json_extract(l.value, '$.kind') = 'part'"
    " ORDER BY l.key";

int store__quote_parts_check(struct store_conn *c, const json_t *lines,
                             struct err *err)
{
    char *text = json_dumps(lines, JSON_COMPACT);
    json_t *vals = json_pack("{s:s}", "lines", text ? text : "[]");
    json_t *rows = store__rows(c, sql_unknown_part, vals, err);
    char field[40];
    int rc = rows ? 0 : err->rc;

    if (rc == 0 && json_array_size(rows)) {
        snprintf(field, sizeof field, "lines[%lld].part_id",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(rows, 0), "key")));
        rc = err_set(err, ERR_INVALID, "invalid_reference", field,
                     "%s must name a part of the catalogue, on a part line",
                     field);
    }
    json_decref(rows);
    json_decref(vals);
    free(text);
    return rc;
}

int store__quote_parts_add(struct store_conn *c, struct job_ctx *x,
                           const json_t *quote_id, struct err *err)
{
    json_t *vals = json_pack("{s:I, s:O}", "id", (json_int_t)x->id,
                             "quote_id", quote_id);
    struct err short_of = ERR_INIT;
    int rc = store__run(c, sql_add_lines, vals, err);
    int added = rc == 0 ? sqlite3_changes(c->db) : 0;

    json_decref(vals);
    if (rc || added == 0)
        return rc;
    if (store__exec(c, "SAVEPOINT quote_parts", err))
        return err->rc;
    if (store__parts_reserve(c, x->id, &short_of) == 0) {
        json_object_set_new(x->detail, "parts_reserved", json_true());
    } else { /* kept as needed lines: the stock decides later */
        store__exec(c, "ROLLBACK TO quote_parts", err);
        json_object_set_new(x->detail, "parts_reserved", json_false());
        json_object_set_new(x->detail, "parts_short",
                            json_string(short_of.msg));
    }
    return store__exec(c, "RELEASE quote_parts", err);
}
