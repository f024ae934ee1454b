/*
 * api_assign.c - assignment by skill and workload in the staff API:
 * GET /api/v1/jobs/{id}/candidates (every technician, ranked and
 * explained), POST /api/v1/jobs/{id}/assign (by hand, checked against the
 * hard constraints unless a manager overrides with a reason),
 * POST /api/v1/plans (a day's dry run as a diff with metrics),
 * GET /api/v1/plans/{id} and POST /api/v1/plans/{id}/apply.
 *
 * The engine (assign.c) decides; day_problem.c builds its input from the
 * store's rows and plan_view.c words its answers.  A dry run reads the day
 * on a reader connection and solves outside any transaction; applying it
 * is one write that first checks the day has not changed.
 */
#include "api/api.h"
#include "app.h"
#include "assign/day_problem.h"
#include "assign/plan_view.h"
#include "common/mem.h"
#include "common/timefmt.h"
#include "rules/job.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PLAN_TIME_LIMIT_MS 500

/* The day the request names, or the job's own. */
static int day_of(struct req *req, const json_t *vals, int64_t job_id,
                  char *date, struct err *err)
{
    const char *d = json_string_value(json_object_get(vals, "date"));

    if (d) {
        snprintf(date, TIMEFMT_DATE_LEN, "%s", d);
        return 0;
    }
    return store_job_plan_date(req->app->store, job_id, date, err);
}

/* Now plus the freeze horizon: the planner places nothing before it. */
static int64_t planning_bound(const struct req *req)
{
    return (int64_t)time(NULL) + req->app->cfg->plan_freeze_s;
}

/* Load the day; 0 or an error (day_problem released on failure). */
static int load_day(struct req *req, const char *date, int64_t job_id,
                    struct day_problem *d, struct err *err)
{
    json_t *rows;
    int rc;

    if (store_day_rows(req->app->store, date, job_id, &rows, err))
        return err->rc;
    rc = day_problem_build(rows, date, planning_bound(req), d, err);
    json_decref(rows);
    return rc;
}

static const struct jfield candidates_query[] = {
    {.name = "date", .type = JF_DATE, .flags = JF_NULLABLE}, JF_END};

int api_job_candidates(struct req *req, struct err *err)
{
    char date[TIMEFMT_DATE_LEN];
    struct day_problem d;
    struct assign_plan now;
    struct assign_candidate *c;
    json_t *q = NULL, *out;
    int64_t id;
    int j, feasible;

    if (http_param_id(req, "id", &id, err) ||
        http_query_parse(req, candidates_query, &q, err))
        return err->rc;
    if (day_of(req, q, id, date, err) || load_day(req, date, id, &d, err)) {
        json_decref(q);
        return err->rc;
    }
    json_decref(q);
    if ((j = day_problem_job_index(&d, id)) < 0 ||
        day_problem_current(&d, &now, err)) {
        day_problem_release(&d);
        return j < 0 ? err_set(err, ERR_NOT_FOUND, NULL, NULL,
                               "job %lld not found", (long long)id)
                     : err->rc;
    }
    c = xcalloc((size_t)d.problem.ntechs + 1, sizeof(*c));
    feasible = assign_explain(&d.problem, &now, j, c);
    out = json_pack("{s:I, s:s, s:i, s:o}", "job_id", (json_int_t)id, "date",
                    date, "feasible", feasible, "candidates",
                    plan_view_candidates(&d, j, c, d.problem.ntechs));
    free(c);
    assign_plan_release(&now);
    day_problem_release(&d);
    return http_json(req, 200, out);
}

static const struct jfield assign_fields[] = {
    {.name = "technician_id", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = JF_ID_MAX},
    {.name = "reason", .type = JF_TEXT, .flags = JF_NULLABLE, .min = 1,
     .max = 500},
    {.name = "override", .type = JF_BOOL, .dflt = "false"},
    {.name = "pin", .type = JF_BOOL, .dflt = "true"},
    {.name = "date", .type = JF_DATE, .flags = JF_NULLABLE},
    JF_END};

int api_job_assign(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    struct manual_assign in = {0};
    json_t *vals, *row, *verdict, *out;
    int rc;

    if (http_param_id(req, "id", &in.job_id, err) ||
        http_body_parse(req, assign_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    in.technician_id = json_integer_value(json_object_get(vals,
                                                          "technician_id"));
    in.date = json_string_value(json_object_get(vals, "date"));
    in.override = json_is_true(json_object_get(vals, "override"));
    in.pin = json_is_true(json_object_get(vals, "pin"));
    in.not_before = planning_bound(req);
    in.role = api_job_role(req->user.role);
    in.manager = strcmp(req->user.role, "dispatcher") != 0;
    who.reason = json_string_value(json_object_get(vals, "reason"));
    rc = store_job_assign(req->app->store, &in, &who, &row, &verdict, err);
    json_decref(vals);
    if (rc)
        return rc;
    out = json_pack("{s:o, s:o}", "job", jparse_render(row, res_job.fields),
                    "check", verdict);
    json_decref(row);
    return http_json(req, 200, out);
}

static const struct jfield plan_fields[] = {
    {.name = "date", .type = JF_DATE, .flags = JF_REQUIRED},
    {.name = "time_limit_ms", .type = JF_INT, .max = 10000, .dflt = "500"},
    {.name = "seed", .type = JF_INT, .max = JF_ID_MAX, .dflt = "1"},
    JF_END};

/* Solve the day from where it stands; *proposal gets the diff and the
 * metrics before and after. */
static int dry_run(struct day_problem *d, const json_t *vals, json_t **proposal,
                   struct err *err)
{
    struct assign_plan before, after;
    json_t *diff;
    int inserted;

    if (day_problem_current(d, &before, err))
        return err->rc;
    d->problem.seed = (uint64_t)json_integer_value(json_object_get(vals,
                                                                   "seed"));
    d->problem.time_limit_ms =
        (int)json_integer_value(json_object_get(vals, "time_limit_ms"));
    if (day_problem_replan(d, &after, &inserted, err)) {
        assign_plan_release(&before);
        return err->rc;
    }
    diff = plan_view_diff(d, &before, &after);
    json_object_set_new(diff, "method",
                        json_string(inserted ? "insertion" : "solve"));
    json_object_set_new(diff, "before", plan_view_metrics(d, &before));
    json_object_set_new(diff, "after", plan_view_metrics(d, &after));
    if (d->not_before > d->origin) { /* the day has begun: say from when */
        char from[TIMEFMT_RFC3339_LEN];
        timefmt_format_rfc3339(d->not_before, from);
        json_object_set_new(diff, "planned_from", json_string(from));
    }
    assign_plan_release(&before);
    assign_plan_release(&after);
    *proposal = diff;
    return 0;
}

int api_plan_create(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    struct day_problem d;
    json_t *vals, *proposal = NULL;
    char date[TIMEFMT_DATE_LEN];
    int64_t id;
    int rc;

    if (http_body_parse(req, plan_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    snprintf(date, sizeof(date), "%s",
             json_string_value(json_object_get(vals, "date")));
    rc = load_day(req, date, 0, &d, err);
    if (rc == 0) {
        rc = dry_run(&d, vals, &proposal, err);
        if (rc == 0)
            rc = store_plan_save(req->app->store, date, d.fingerprint,
                                 proposal, &who, &id, err);
        day_problem_release(&d);
    }
    json_decref(vals);
    if (rc) {
        json_decref(proposal);
        return rc;
    }
    json_object_set_new(proposal, "id", json_integer(id));
    json_object_set_new(proposal, "date", json_string(date));
    json_object_set_new(proposal, "status", json_string("proposed"));
    return http_json(req, 201, proposal);
}

static json_t *render_plan(json_t *row)
{
    static const char *const keys[] = {"created_at", "applied_at"};
    json_t *out = json_object_get(row, "proposal");

    out = out ? json_incref(out) : json_object();
    json_object_set(out, "id", json_object_get(row, "id"));
    json_object_set(out, "date", json_object_get(row, "date"));
    json_object_set(out, "status", json_object_get(row, "status"));
    api_copy_instants(out, row, keys, 2);
    json_decref(row);
    return out;
}

int api_plan_get(struct req *req, struct err *err)
{
    json_t *row;
    int64_t id;

    if (http_param_id(req, "id", &id, err) ||
        store_plan_get(req->app->store, id, &row, err))
        return err->rc;
    return http_json(req, 200, render_plan(row));
}

static const struct jfield apply_fields[] = {
    {.name = "reason", .type = JF_TEXT, .flags = JF_NULLABLE, .min = 1,
     .max = 500}, JF_END};

int api_plan_apply(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    json_t *vals, *row;
    int64_t id;
    int applied, rc;

    if (http_param_id(req, "id", &id, err) ||
        http_body_parse(req, apply_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    who.reason = json_string_value(json_object_get(vals, "reason"));
    rc = store_plan_apply(req->app->store, id, api_job_role(req->user.role),
                          &who, &applied, err);
    json_decref(vals);
    if (rc || store_plan_get(req->app->store, id, &row, err))
        return err->rc;
    row = render_plan(row);
    json_object_set_new(row, "applied", json_integer(applied));
    return http_json(req, 200, row);
}
