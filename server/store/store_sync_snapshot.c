/*
 * store_sync_snapshot.c - one job as a technician's device receives it in
 * a bundle (PROTOCOL.md section 8): the job's fields, its customer and
 * unit, its part lines at their list price, the company's time zone and
 * currency, the live quote, and the last entries of its history.
 *
 * The history is the job's audit trail (lifecycle events, notes, parts
 * used, edits), the newest HISTORY_MAX entries in the order they happened,
 * each with a short text for a small screen and who did it: the staff
 * member's username, the technician's name for a device's action (the
 * technician the event names), else the actor ("customer", "system").  A
 * text is cut at HISTORY_TEXT_MAX bytes, on a character boundary, so the
 * size of a snapshot stays bounded whatever the notes hold.
 *
 * Read only, inside the sync's transaction; the codec (sync/codec_job.c)
 * turns the row into a Job message.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#define HISTORY_MAX 30
#define HISTORY_TEXT_MAX 500 /* bytes */

static const char sql_extra[] =
    "SELECT c.name AS customer_name, c.phone AS customer_phone,"
    " c.address AS customer_address, c.lat, c.lon, a.model, a.serial,"
    " a.purchase_date, a.warranty_months, co.timezone AS company_timezone,"
    " co.currency AS company_currency FROM jobs j"
    " JOIN customers c ON c.id = j.customer_id"
    " LEFT JOIN assets a ON a.id = j.asset_id"
    " LEFT JOIN company co ON co.id = 1 WHERE j.id = :job_id";
static const char sql_parts[] =
    "SELECT jp.part_id, p.sku, p.name, jp.quantity, jp.state, p.price_minor"
    " FROM job_parts jp JOIN parts p ON p.id = jp.part_id"
    " WHERE jp.job_id = :job_id ORDER BY jp.id";
/* the live quote; a revision supersedes the one before */
static const char sql_quote[] =
    "SELECT status, lines, total_minor, expires_at FROM quotes"
    " WHERE job_id = :job_id ORDER BY status = 'superseded', id DESC"
    " LIMIT 1";
static const char sql_history[] =
    "SELECT at, action, reason, detail, by_name FROM ("
    " SELECT a.id, a.at, a.action, a.reason, a.detail,"
    "  CASE WHEN a.actor = 'device' THEN coalesce((SELECT name"
    "   FROM technicians WHERE id = json_extract(a.detail,"
    "   '$.technician_id')), '') ELSE a.actor END AS by_name"
    " FROM audit_events a WHERE a.entity = 'job' AND a.entity_id = :job_id"
    " ORDER BY a.at DESC, a.id DESC LIMIT :limit"
    ") ORDER BY at, id";

/* Cut text at max bytes on a character boundary, ending in an ellipsis. */
static void cut(char *text, size_t max)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
    size_t n = strlen(text);

    if (n <= max)
        return;
    n = max - (sizeof ellipsis - 1);
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    memcpy(text + n, ellipsis, sizeof ellipsis);
}

/* How many parts a parts_used entry lists (their quantities added). */
static long long parts_count(const json_t *detail)
{
    const json_t *u;
    long long n = 0;
    size_t i;

    json_array_foreach(json_object_get(detail, "parts_used"), i, u) n +=
        json_integer_value(json_object_get(u, "quantity"));
    return n;
}

/* "changed: " and the fields a staff edit sent. */
static void changed(const json_t *detail, char *out, size_t size)
{
    const char *key;
    const json_t *v;
    size_t n = (size_t)snprintf(out, size, "changed:");

    json_object_foreach((json_t *)detail, key, v)
    {
        if (n < size && strcmp(key, "version"))
            n += (size_t)snprintf(out + n, size - n, "%s %s", n > 8 ? "," : "",
                                  key);
    }
}

/* The short text of an audit entry: a note's text, a lifecycle event's
 * move and reason, or what kind of change it was. */
static void entry_text(const char *action, const char *reason,
                       const json_t *detail, char *out, size_t size)
{
    const char *from = json_string_value(json_object_get(detail, "from"));
    const char *to = json_string_value(json_object_get(detail, "to"));
    const char *note = json_string_value(json_object_get(detail, "text"));

    if (!strcmp(action, "note") && note)
        snprintf(out, size, "%s", note);
    else if (from && to)
        snprintf(out, size, "%s \xe2\x86\x92 %s%s%s%s", from, to,
                 reason ? ": " : "", reason ? reason : "",
                 json_is_false(json_object_get(detail, "summary_agrees"))
                     ? " (the total the customer was shown is not the"
                       " charges')"
                     : "");
    else if (!strcmp(action, "parts_used"))
        snprintf(out, size, "%lld part(s) used", parts_count(detail));
    else if (!strcmp(action, "create"))
        snprintf(out, size, "job created");
    else if (!strcmp(action, "update"))
        changed(detail, out, size);
    else if (!strcmp(action, "approve_part"))
        snprintf(out, size, "part %s approved",
                 json_string_value(json_object_get(detail, "sku"))
                     ? json_string_value(json_object_get(detail, "sku"))
                     : "line");
    else if (!strcmp(action, "record_payment"))
        snprintf(out, size, "invoice paid");
    else
        snprintf(out, size, "%s", action);
    cut(out, HISTORY_TEXT_MAX);
}

/* The job's last audit entries as {at, kind, text, by}, oldest first. */
static json_t *history(struct store_conn *c, json_t *vals, struct err *err)
{
    json_t *rows, *row, *out;
    size_t i;

    json_object_set_new(vals, "limit", json_integer(HISTORY_MAX));
    if (!(rows = store__rows(c, sql_history, vals, err)))
        return NULL;
    out = json_array();
    json_array_foreach(rows, i, row)
    {
        char text[4200 + HISTORY_TEXT_MAX];
        json_t *detail = json_loads(
            json_string_value(json_object_get(row, "detail")), 0, NULL);
        entry_text(json_string_value(json_object_get(row, "action")),
                   json_string_value(json_object_get(row, "reason")), detail,
                   text, sizeof text);
        json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:O}", "at",
                                             json_object_get(row, "at"), "kind",
                                             json_object_get(row, "action"),
                                             "text", text, "by",
                                             json_object_get(row, "by_name")));
        json_decref(detail);
    }
    json_decref(rows);
    return out;
}

/* The live quote with its lines as JSON, or NULL when there is none;
 * *failed on a read error. */
static json_t *quote(struct store_conn *c, const json_t *vals, int *failed,
                     struct err *err)
{
    json_t *rows = store__rows(c, sql_quote, vals, err), *q, *lines;

    *failed = rows == NULL;
    q = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (!q)
        return NULL;
    lines = json_loads(json_string_value(json_object_get(q, "lines")), 0, NULL);
    json_object_set_new(q, "lines", lines ? lines : json_array());
    return q;
}

int store__sync_snapshot(struct store_conn *c, int64_t id, json_t *vals,
                         json_t **out, struct err *err)
{
    json_t *extra = NULL, *parts = NULL, *q = NULL, *hist = NULL;
    int failed = 0;

    if (store__res_load(c, &res_job, id, out, err))
        return err->rc;
    if ((extra = store__rows(c, sql_extra, vals, err)) &&
        (parts = store__rows(c, sql_parts, vals, err)) &&
        ((q = quote(c, vals, &failed, err)) || !failed))
        hist = history(c, vals, err);
    if (!hist) {
        json_decref(extra);
        json_decref(parts);
        json_decref(q);
        json_decref(*out);
        return err->rc;
    }
    json_object_update(*out, json_array_get(extra, 0));
    json_object_set_new(*out, "part_lines", parts);
    if (q)
        json_object_set_new(*out, "quote", q);
    json_object_set_new(*out, "history", hist);
    json_decref(extra);
    return 0;
}
