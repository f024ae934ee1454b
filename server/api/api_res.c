/*
 * api_res.c - the generic handlers behind every resource collection:
 * list, get, create, update (PATCH) and delete.
 *
 * The route's arg is the struct resource; the handler parses with its field
 * table, calls the generic store function and renders the stored row.
 */
#include "api/api.h"
#include "common/timefmt.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 50
#define PAGE_MAX 200

static const struct jfield page_fields[] = {
    {.name = "limit", .type = JF_INT, .min = 1, .max = PAGE_MAX},
    {.name = "cursor", .type = JF_INT, .min = 1, .max = 9007199254740991LL},
    JF_END};

/* Split the query into paging values and the resource's filters. */
static int parse_list_query(const struct req *req, const struct resource *res,
                            int *limit, int64_t *cursor, json_t **filters,
                            struct err *err)
{
    json_t *q, *page = json_object(), *norm = NULL;
    int rc;

    if (jparse_query_string(req->query, &q, err)) {
        json_decref(page);
        return err->rc;
    }
    for (const struct jfield *f = page_fields; f->name; f++) {
        json_t *v = json_object_get(q, f->name);
        if (v) {
            json_object_set(page, f->name, v);
            json_object_del(q, f->name);
        }
    }
    rc = jparse_object(page, page_fields, JPARSE_QUERY, "", &norm, err);
    if (rc == 0)
        rc = jparse_object(q, res->filters, JPARSE_QUERY, "", filters, err);
    if (rc == 0) {
        json_t *l = json_object_get(norm, "limit");
        json_t *c = json_object_get(norm, "cursor");
        *limit = l ? (int)json_integer_value(l) : PAGE_DEFAULT;
        *cursor = c ? json_integer_value(c) : 0;
    }
    json_decref(norm);
    json_decref(page);
    json_decref(q);
    return rc;
}

int api_res_list(struct req *req, struct err *err)
{
    const struct resource *res = req->route->arg;
    json_t *filters = NULL, *rows, *items, *row;
    int64_t cursor = 0, next;
    int limit = PAGE_DEFAULT;
    size_t i;
    char next_text[24];

    if (parse_list_query(req, res, &limit, &cursor, &filters, err))
        return err->rc;
    if (store_res_list(req->app->store, res, filters, cursor, limit, &rows,
                       &next, err)) {
        json_decref(filters);
        return err->rc;
    }
    json_decref(filters);
    items = json_array();
    json_array_foreach(rows, i, row)
        json_array_append_new(items, jparse_render(row, res->fields));
    json_decref(rows);
    snprintf(next_text, sizeof next_text, "%lld", (long long)next);
    return http_json(req, 200, json_pack("{s:o, s:o}", "items", items,
                                         "next_cursor",
                                         next ? json_string(next_text)
                                              : json_null()));
}

int api_res_get(struct req *req, struct err *err)
{
    const struct resource *res = req->route->arg;
    json_t *row;
    int64_t id;

    if (http_param_id(req, "id", &id, err) ||
        store_res_get(req->app->store, res, id, &row, err))
        return err->rc;
    return api_reply_row(req, 200, res, row);
}

int api_res_create(struct req *req, struct err *err)
{
    const struct resource *res = req->route->arg;
    struct actor who = http_actor(req);
    json_t *vals, *row;
    int rc;

    if (http_body_parse(req, res->fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    rc = store_res_create(req->app->store, res, vals, &who, &row, err);
    json_decref(vals);
    if (rc)
        return rc;
    http_header(req, "Location: %s/%lld", req->path,
                (long long)json_integer_value(json_object_get(row, "id")));
    return api_reply_row(req, 201, res, row);
}

int api_res_update(struct req *req, struct err *err)
{
    const struct resource *res = req->route->arg;
    struct actor who = http_actor(req);
    json_t *patch, *row;
    int64_t id;
    int rc;

    if (http_param_id(req, "id", &id, err) ||
        http_body_parse(req, res->fields, JPARSE_PATCH, &patch, err))
        return err->rc;
    if (json_object_size(patch) == 0 ||
        (json_object_size(patch) == 1 && json_object_get(patch, "version")))
        rc = err_set(err, ERR_INVALID, "empty_patch", NULL,
                     "the body names no field to change");
    else
        rc = store_res_update(req->app->store, res, id, patch, &who, &row,
                              err);
    json_decref(patch);
    return rc ? rc : api_reply_row(req, 200, res, row);
}

int api_res_delete(struct req *req, struct err *err)
{
    const struct resource *res = req->route->arg;
    struct actor who = http_actor(req);
    int64_t id;

    if (http_param_id(req, "id", &id, err) ||
        store_res_delete(req->app->store, res, id, &who, err))
        return err->rc;
    return http_text(req, 204, "text/plain", NULL, 0);
}

int api_reply_row(struct req *req, int status, const struct resource *res,
                  json_t *row)
{
    json_t *out = jparse_render(row, res->fields);
    json_decref(row);
    return http_json(req, status, out);
}

void api_copy_instants(json_t *out, const json_t *row,
                       const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_object_get(row, keys[i]);
        char at[TIMEFMT_RFC3339_LEN];

        if (json_is_integer(v)) {
            timefmt_format_rfc3339(json_integer_value(v), at);
            json_object_set_new(out, keys[i], json_string(at));
        } else {
            json_object_set_new(out, keys[i], json_null());
        }
    }
}
