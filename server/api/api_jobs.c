/*
 * api_jobs.c - driving a job through its lifecycle from the staff API:
 * POST /api/v1/jobs/{id}/events and GET /api/v1/jobs/{id}/timeline.
 *
 * Staff act as dispatchers or managers (an admin acts as a manager); the
 * state machine in job.c decides what each may do.  Technicians' and
 * customers' events arrive through their devices and links, or are
 * recorded by staff on their behalf with a reason (job_input.c).
 */
#include "api/api.h"
#include "api/job_input.h"
#include "app.h"
#include "common/timefmt.h"
#include "config.h"
#include "rules/job.h"

#include <string.h>
#include <time.h>

unsigned api_job_role(const char *role)
{
    return strcmp(role, "dispatcher") == 0 ? JR_DISPATCHER : JR_MANAGER;
}

int api_job_event(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    struct job_event_req r = {0};
    json_t *body = NULL, *vals = NULL, *row;
    int64_t id;
    int rc;

    if (http_param_id(req, "id", &id, err) ||
        http_body_json(req, &body, err))
        return err->rc;
    rc = job_input_parse(body, api_job_role(req->user.role), &r, &vals,
                         &who.reason, err);
    r.quote_ttl = req->app->cfg->quote_ttl_s;
    if (rc == 0)
        rc = store_job_event(req->app->store, id, &r, &who, &row, err);
    json_decref(vals);
    json_decref(body);
    return rc ? rc : api_reply_row(req, 200, &res_job, row);
}

static json_t *render_event(const json_t *e)
{
    char at[TIMEFMT_RFC3339_LEN];
    json_t *detail = json_loads(json_string_value(json_object_get(e,
                                                                  "detail")),
                                0, NULL);

    const json_t *received = json_object_get(e, "received_at");
    json_t *out;

    timefmt_format_rfc3339(json_integer_value(json_object_get(e, "at")), at);
    out = json_pack("{s:O, s:s, s:O, s:O, s:O, s:o}", "id",
                    json_object_get(e, "id"), "at", at, "actor",
                    json_object_get(e, "actor"), "action",
                    json_object_get(e, "action"), "reason",
                    json_object_get(e, "reason"), "detail",
                    detail ? detail : json_object());
    /* a device's action uploaded later: when the server heard of it, and
     * the bound that clamped the time the device gave, if one did */
    if (json_is_integer(received)) {
        timefmt_format_rfc3339(json_integer_value(received), at);
        json_object_set_new(out, "received_at", json_string(at));
        json_object_set(out, "time_note", json_object_get(e, "time_note"));
    }
    return out;
}

int api_job_timeline(struct req *req, struct err *err)
{
    json_t *events, *items, *e;
    int64_t id;
    size_t i;

    if (http_param_id(req, "id", &id, err) ||
        store_job_timeline(req->app->store, id, &events, err))
        return err->rc;
    items = json_array();
    json_array_foreach(events, i, e)
        json_array_append_new(items, render_event(e));
    json_decref(events);
    return http_json(req, 200, json_pack("{s:o}", "items", items));
}

static const struct jfield at_risk_fields[] = {
    {.name = "within_minutes", .type = JF_INT, .max = 10080, .dflt = "120"},
    {.name = "limit", .type = JF_INT, .min = 1, .max = 500, .dflt = "200"},
    JF_END};

/* GET /api/v1/jobs/at-risk: deadlines already missed or due within the
 * window, soonest first, with the minutes left (negative when overdue). */
int api_jobs_at_risk(struct req *req, struct err *err)
{
    json_t *vals, *risks, *items, *r;
    int64_t now = (int64_t)time(NULL);
    size_t i;
    int rc;

    if (http_query_parse(req, at_risk_fields, &vals, err))
        return err->rc;
    rc = store_jobs_at_risk(
        req->app->store,
        now + json_integer_value(json_object_get(vals, "within_minutes")) * 60,
        (int)json_integer_value(json_object_get(vals, "limit")), &risks, err);
    json_decref(vals);
    if (rc)
        return rc;
    items = json_array();
    json_array_foreach(risks, i, r) {
        char due[TIMEFMT_RFC3339_LEN];
        int64_t at = json_integer_value(json_object_get(r, "due_at"));
        timefmt_format_rfc3339(at, due);
        json_array_append_new(items, json_pack(
            "{s:O, s:s, s:I, s:o}", "deadline", json_object_get(r, "deadline"),
            "due_at", due, "minutes_left",
            (json_int_t)((at - now) / 60 - (at < now && (at - now) % 60)),
            "job", jparse_render(json_object_get(r, "job"), res_job.fields)));
    }
    json_decref(risks);
    return http_json(req, 200, json_pack("{s:o}", "items", items));
}
