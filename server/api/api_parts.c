/*
 * api_parts.c - receiving stock: POST /api/v1/parts/{id}/receive.
 *
 * Adds delivered units to a location; at the warehouse the store hands
 * them to jobs waiting for the part (see store_part_receive).
 */
#include "api/api.h"

static const struct jfield receive_fields[] = {
    {.name = "location", .type = JF_TEXT, .min = 1, .max = 64,
     .dflt = "\"warehouse\""},
    {.name = "quantity", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = 1000000000},
    JF_END};

int api_part_receive(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    json_t *vals, *jobs = NULL, *part = NULL;
    int64_t id;
    int rc;

    if (http_param_id(req, "id", &id, err) ||
        http_body_parse(req, receive_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    rc = store_part_receive(
        req->app->store, id,
        json_string_value(json_object_get(vals, "location")),
        json_integer_value(json_object_get(vals, "quantity")), &who, &jobs,
        err);
    json_decref(vals);
    if (rc == 0)
        rc = store_res_get(req->app->store, &res_part, id, &part, err);
    if (rc) {
        json_decref(jobs);
        return rc;
    }
    vals = jparse_render(part, res_part.fields);
    json_decref(part);
    return http_json(req, 200, json_pack("{s:o, s:o}", "part", vals,
                                         "jobs_reserved", jobs));
}
