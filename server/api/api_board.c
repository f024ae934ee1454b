/*
 * api_board.c - what the dispatcher's board asks for: the board of a day
 * (GET /api/v1/board, by default the company's today in its time zone;
 * one rendering serves every dispatcher while it is current, see
 * board_cache.h), what changed since the picture it shows
 * (GET /api/v1/changes, polled to stay live), and a job's sync conflicts
 * with their resolution (GET /api/v1/jobs/{id}/conflicts,
 * POST /api/v1/sync-conflicts/{id}/resolve).
 */
#include "api/api.h"
#include "app.h"
#include "board/board.h"
#include "board/board_cache.h"
#include "common/timefmt.h"
#include "common/tz.h"

#include <string.h>
#include <time.h>

static const struct jfield board_query[] = {
    {.name = "date", .type = JF_DATE}, JF_END};

static double monotonic(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Serve the board kept for date when nothing it shows changed since; 1
 * when served. */
static int kept_board(struct req *req, const char *date, struct err *err)
{
    struct board_kept k;
    json_t *found;
    int current;

    if (board_cache_get(req->app->boards, date, monotonic(),
                        BOARD_CACHE_MAX_AGE, &k))
        return 0;
    if (store_changes_since(req->app->store, k.seq, 10000, &found, err)) {
        board_kept_release(&k);
        return -1;
    }
    current = !json_is_true(json_object_get(found, "more")) &&
              board_cache_current(k.versions, json_object_get(found,
                                                              "changes"));
    json_decref(found);
    if (current) {
        http_text(req, 200, "application/json", k.text, k.len);
        k.text = NULL;
    }
    board_kept_release(&k);
    return current;
}

/* Render the board of date from the store and keep it for the others. */
static int new_board(struct req *req, const char *date, struct err *err)
{
    double at = monotonic();
    json_t *rows = NULL, *out = NULL;
    int64_t days, lo, hi;
    char *text;
    size_t len;

    timefmt_parse_date(date, &days);
    board_span(days, &lo, &hi);
    if (store_board_rows(req->app->store, date, lo, hi, &rows, err) == 0) {
        out = board_render(rows, date, err);
        json_decref(rows);
    }
    if (!out)
        return err->rc;
    text = http_json_text(out);
    len = strlen(text);
    board_cache_put(req->app->boards, date, at, out, text, len);
    json_decref(out);
    return http_text(req, 200, "application/json", text, len);
}

/* Today's date (YYYY-MM-DD) where the company works: its profile's zone. */
static int company_today(struct req *req, char today[TIMEFMT_RFC3339_LEN],
                         struct err *err)
{
    struct company co;
    const struct tz *z;
    int64_t now = (int64_t)time(NULL);

    if (store_company_get(req->app->store, &co, err) ||
        tz_get(co.timezone, &z, err))
        return err->rc;
    timefmt_format_rfc3339(now + tz_offset_at(z, now), today);
    today[10] = '\0';
    return 0;
}

int api_board(struct req *req, struct err *err)
{
    char today[TIMEFMT_RFC3339_LEN];
    const char *date;
    json_t *q;
    int rc, claim;

    if (http_query_parse(req, board_query, &q, err))
        return err->rc;
    if (!json_object_get(q, "date") && company_today(req, today, err)) {
        json_decref(q);
        return err->rc;
    }
    date = json_is_string(json_object_get(q, "date"))
               ? json_string_value(json_object_get(q, "date"))
               : today;
    /* the kept board, or the one rendered meanwhile (twice at most), or
     * a new one */
    for (int waited = 0;; waited++) {
        rc = kept_board(req, date, err);
        if (rc != 0) {
            rc = rc < 0 ? err->rc : 0;
            break;
        }
        claim = waited == 2 ? -1 : board_cache_claim(req->app->boards,
                                                     date);
        if (claim != 0) {
            rc = new_board(req, date, err);
            if (claim == 1)
                board_cache_unclaim(req->app->boards, date);
            break;
        }
    }
    json_decref(q);
    return rc;
}

static const struct jfield changes_query[] = {
    {.name = "after", .type = JF_INT, .max = JF_ID_MAX, .dflt = "0"},
    {.name = "limit", .type = JF_INT, .min = 1, .max = 10000, .dflt = "1000"},
    JF_END};

int api_changes(struct req *req, struct err *err)
{
    json_t *q, *found, *ids = json_array(), *jobs = json_array(), *ch, *out;
    int other = 0;
    size_t i;
    int rc;

    if (http_query_parse(req, changes_query, &q, err)) {
        json_decref(ids);
        json_decref(jobs);
        return err->rc;
    }
    rc = store_changes_since(
        req->app->store, json_integer_value(json_object_get(q, "after")),
        (int)json_integer_value(json_object_get(q, "limit")), &found, err);
    json_decref(q);
    if (rc) {
        json_decref(ids);
        json_decref(jobs);
        return rc;
    }
    json_array_foreach(json_object_get(found, "changes"), i, ch) {
        if (strcmp(json_string_value(json_object_get(ch, "entity")),
                   "job") == 0) {
            json_array_append(ids, json_object_get(ch, "entity_id"));
            json_array_append_new(jobs, json_pack(
                "{s:O, s:O}", "id", json_object_get(ch, "entity_id"),
                "version", json_object_get(ch, "version")));
        } else {
            other = 1;
        }
    }
    out = json_pack("{s:O, s:o, s:o, s:b, s:O}", "seq",
                    json_object_get(found, "seq"), "job_ids", ids, "jobs",
                    jobs, "others_changed", other, "more",
                    json_object_get(found, "more"));
    json_decref(found);
    return http_json(req, 200, out);
}

static const char *const conflict_times[] = {"created_at", "resolved_at",
                                             "device_time"};

/* A stored JSON text of row as the object it holds. */
static void unpack_text(json_t *row, const char *key)
{
    json_t *v = json_loads(json_string_value(json_object_get(row, key)), 0,
                           NULL);

    json_object_set_new(row, key, v ? v : json_object());
}

static json_t *conflict_out(json_t *row)
{
    api_copy_instants(row, row, conflict_times, 3);
    unpack_text(row, "content");
    unpack_text(row, "server_had");
    return row;
}

int api_job_conflicts(struct req *req, struct err *err)
{
    json_t *rows, *r;
    int64_t id;
    size_t i;

    if (http_param_id(req, "id", &id, err) ||
        store_job_conflicts(req->app->store, id, &rows, err))
        return err->rc;
    json_array_foreach(rows, i, r)
        conflict_out(r);
    return http_json(req, 200, json_pack("{s:o}", "items", rows));
}

static const struct jfield resolve_fields[] = {
    {.name = "note", .type = JF_TEXT, .flags = JF_NULLABLE, .min = 1,
     .max = 500}, JF_END};

int api_conflict_resolve(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    json_t *vals, *row;
    int64_t id;
    int rc;

    if (http_param_id(req, "id", &id, err) ||
        http_body_parse(req, resolve_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    rc = store_conflict_resolve(
        req->app->store, id, json_string_value(json_object_get(vals, "note")),
        &who, &row, err);
    json_decref(vals);
    return rc ? rc : http_json(req, 200, conflict_out(row));
}
