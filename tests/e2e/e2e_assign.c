/*
 * e2e_assign.c - assignment by skill and workload over HTTP against the
 * real server: the ranked, explained candidates of a job; a manual
 * assignment checked against the hard constraints, with a manager's
 * override and its audit reason; a day's dry run, its application as
 * audited reassignments that reach both technicians' devices through
 * sync, the refusal of a plan whose day changed since, and hostile plan
 * requests that change nothing.
 *
 * Every test runs on its own server (a plan reads every technician and job
 * of its date), on Tuesday 2031-01-07 with shifts 08:00-17:00 UTC.
 */
#include "device.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY "2031-01-07"
#define TUESDAY 2

struct day {
    struct e2e_client mgr, desk;
    char skill[40];
};

static void day_open(struct day *d)
{
    e2e_as_role(&d->mgr, "manager", NULL);
    e2e_as_role(&d->desk, "dispatcher", NULL);
    e2e_unique(d->skill, sizeof d->skill, "hvac");
    e2e_create(&d->mgr, "/api/v1/skills",
               json_pack("{s:s, s:s}", "code", d->skill, "name", "Heating"));
}

static void day_close(struct day *d)
{
    e2e_client_release(&d->mgr);
    e2e_client_release(&d->desk);
}

/* A technician at (lat, lon) holding the day's skill at level (0: none),
 * with capacity minutes, on shift that Tuesday or not. */
static int64_t tech(struct day *d, const char *name, double lat, double lon,
                    int level, int capacity, int on_shift)
{
    json_t *skills = json_array(), *shifts = json_array();

    if (level)
        json_array_append_new(skills, json_pack("{s:s, s:i}", "skill",
                                                d->skill, "level", level));
    if (on_shift)
        json_array_append_new(shifts, json_pack("{s:i, s:s, s:s}", "weekday",
                                                TUESDAY, "start", "08:00",
                                                "end", "17:00"));
    return e2e_create(&d->mgr, "/api/v1/technicians",
                      json_pack("{s:s, s:f, s:f, s:i, s:o, s:o}", "name",
                                name, "start_lat", lat, "start_lon", lon,
                                "capacity_minutes", capacity, "skills",
                                skills, "shifts", shifts));
}

static void event(struct e2e_client *c, int64_t job, json_t *body)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[64];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(c, "POST", path, body, &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
}

/* A job at (lat, lon) needing the skill at level, arriving 09:00-12:00,
 * booked with its parts reserved, and assigned to `to` unless 0. */
static int64_t job(struct day *d, double lat, double lon, int level,
                   int64_t to)
{
    int64_t cust = e2e_create(&d->desk, "/api/v1/customers",
                              json_pack("{s:s, s:f, s:f}", "name", "Kiln Bakery",
                                        "lat", lat, "lon", lon));
    int64_t id = e2e_create(
        &d->desk, "/api/v1/jobs",
        json_pack("{s:I, s:s, s:i, s:s, s:s, s:[{s:s, s:i}]}", "customer_id",
                  (json_int_t)cust, "kind", "repair", "duration_minutes", 60,
                  "window_start", DAY "T09:00:00Z", "window_end",
                  DAY "T12:00:00Z", "required_skills", "skill", d->skill,
                  "level", level));

    event(&d->desk, id, json_pack("{s:s}", "event", "book"));
    if (to)
        event(&d->desk, id, json_pack("{s:s, s:I}", "event", "assign",
                                      "technician_id", (json_int_t)to));
    return id;
}

static json_t *get_job(struct e2e_client *c, int64_t id)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[64];
    json_t *out;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)id);
    e2e_get(c, path, &r);
    e2e_expect_status(&r, 200);
    out = json_incref(r.json);
    e2e_reply_release(&r);
    return out;
}

static json_int_t job_tech(struct e2e_client *c, int64_t id)
{
    json_t *j = get_job(c, id);
    json_int_t t = json_integer_value(json_object_get(j, "technician_id"));

    json_decref(j);
    return t;
}

/* The newest audit event of a job. */
static json_t *last_event(struct e2e_client *c, int64_t id)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[64];
    json_t *items, *out;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline", (long long)id);
    e2e_get(c, path, &r);
    e2e_expect_status(&r, 200);
    items = json_object_get(r.json, "items");
    out = json_incref(json_array_get(items, json_array_size(items) - 1));
    e2e_reply_release(&r);
    return out;
}

static const json_t *candidate(const json_t *list, int64_t tech_id)
{
    const json_t *c;
    size_t i;

    json_array_foreach(list, i, c)
        if (json_integer_value(json_object_get(c, "technician_id")) ==
            tech_id)
            return c;
    ck_abort_msg("technician %lld is not among the candidates",
                 (long long)tech_id);
    return NULL;
}

static void expect_candidate(const json_t *list, int64_t tech_id,
                             const char *reason, const char *message)
{
    const json_t *c = candidate(list, tech_id);

    ck_assert_str_eq(json_string_value(json_object_get(c, "reason")), reason);
    ck_assert_str_eq(json_string_value(json_object_get(c, "message")),
                     message);
    ck_assert(json_is_false(json_object_get(c, "feasible")));
}

START_TEST(candidates_are_ranked_and_explained)
{
    struct day d;
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80], want[120];
    int64_t a, b, c, off, small, j;
    const json_t *list, *first;

    day_open(&d);
    a = tech(&d, "Ana", 31.20, 121.40, 3, 480, 1);
    b = tech(&d, "Bo", 31.20, 121.41, 1, 480, 1);
    c = tech(&d, "Cai", 31.20, 121.42, 0, 480, 1);
    off = tech(&d, "Dee", 31.20, 121.43, 3, 480, 0);
    small = tech(&d, "Eun", 31.20, 121.44, 3, 30, 1);
    j = job(&d, 31.21, 121.41, 2, 0);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/candidates", (long long)j);
    e2e_get(&d.desk, path, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "date")), DAY);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "feasible")),
                     1);
    list = json_object_get(r.json, "candidates");
    ck_assert_int_eq(json_array_size(list), 5);
    first = json_array_get(list, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(first,
                                                        "technician_id")), a);
    ck_assert(json_is_true(json_object_get(first, "feasible")));
    ck_assert_int_eq(json_integer_value(json_object_get(first, "rank")), 1);
    /* Ana is 8 minutes away: she waits for the window to open */
    ck_assert_str_eq(json_string_value(json_object_get(first, "start")),
                     DAY "T09:00:00Z");
    /* the sentence gives the time in Ana's own zone, and names it */
    ck_assert_int_eq(strncmp(json_string_value(json_object_get(first,
                                                               "message")),
                             "can start at 09:00 UTC; ", 24), 0);
    snprintf(want, sizeof want, "holds skill %s at level 1; the job needs 2",
             d.skill);
    expect_candidate(list, b, "level_below", want);
    snprintf(want, sizeof want, "lacks skill %s (level 2 needed)", d.skill);
    expect_candidate(list, c, "missing_skill", want);
    expect_candidate(list, off, "outside_shift", "not on shift on " DAY);
    expect_candidate(list, small, "over_capacity",
                     "over capacity: the visit would book 200% of the day's"
                     " 30 min");
    e2e_reply_release(&r);

    e2e_get(&d.desk, "/api/v1/jobs/999999/candidates", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/candidates?date=2031-02-30",
             (long long)j);
    e2e_get(&d.desk, path, &r);
    e2e_expect_error(&r, 400, "invalid_type", "date");
    e2e_reply_release(&r);
    day_close(&d);
}
END_TEST

static void assign(struct e2e_client *c, int64_t j, json_t *body,
                   struct e2e_reply *r)
{
    char path[64];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/assign", (long long)j);
    e2e_reply_release(r);
    e2e_send(c, "POST", path, body, r);
}

START_TEST(manual_assignment_is_checked_and_overrides_are_audited)
{
    struct day d;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t a, b, j;
    json_t *ev, *row;

    day_open(&d);
    a = tech(&d, "Ana", 31.20, 121.40, 3, 480, 1);
    b = tech(&d, "Bo", 31.20, 121.41, 1, 480, 1);
    j = job(&d, 31.21, 121.41, 2, 0);

    assign(&d.desk, j, json_pack("{s:I}", "technician_id", (json_int_t)b),
           &r);
    e2e_expect_error(&r, 409, "assignment_infeasible", "technician_id");
    ck_assert_ptr_nonnull(strstr(
        json_string_value(json_object_get(json_object_get(r.json, "error"),
                                          "message")),
        "at level 1; the job needs 2"));
    assign(&d.desk, j, json_pack("{s:I, s:b, s:s}", "technician_id",
                                 (json_int_t)b, "override", 1, "reason", "x"),
           &r);
    e2e_expect_error(&r, 403, "override_not_allowed", "override");
    assign(&d.mgr, j, json_pack("{s:I, s:b}", "technician_id", (json_int_t)b,
                                "override", 1), &r);
    e2e_expect_error(&r, 400, "missing_field", "reason");
    assign(&d.mgr, j, json_pack("{s:I}", "technician_id", (json_int_t)999999),
           &r);
    e2e_expect_error(&r, 400, "invalid_reference", "technician_id");
    row = get_job(&d.desk, j);
    ck_assert_str_eq(json_string_value(json_object_get(row, "status")),
                     "parts_reserved");
    ck_assert(json_is_null(json_object_get(row, "technician_id")));
    json_decref(row);

    assign(&d.mgr, j, json_pack("{s:I, s:b, s:s}", "technician_id",
                                (json_int_t)b, "override", 1, "reason",
                                "the customer asked for Bo"), &r);
    e2e_expect_status(&r, 200);
    row = json_object_get(r.json, "job");
    ck_assert_int_eq(json_integer_value(json_object_get(row,
                                                        "technician_id")), b);
    ck_assert_str_eq(json_string_value(json_object_get(row, "status")),
                     "assigned");
    ck_assert(json_is_true(json_object_get(row, "pinned")));
    ck_assert(json_is_false(json_object_get(json_object_get(r.json, "check"),
                                            "feasible")));
    ev = last_event(&d.desk, j);
    ck_assert_str_eq(json_string_value(json_object_get(ev, "action")),
                     "assign");
    ck_assert_str_eq(json_string_value(json_object_get(ev, "reason")),
                     "override (level_below): the customer asked for Bo");
    json_decref(ev);

    /* moving it again is a reassignment, which needs a reason */
    assign(&d.desk, j, json_pack("{s:I}", "technician_id", (json_int_t)a),
           &r);
    e2e_expect_error(&r, 400, "missing_field", "reason");
    assign(&d.desk, j, json_pack("{s:I, s:s, s:b}", "technician_id",
                                 (json_int_t)a, "reason", "Bo is ill", "pin",
                                 0), &r);
    e2e_expect_status(&r, 200);
    ck_assert(json_is_true(json_object_get(json_object_get(r.json, "check"),
                                           "feasible")));
    ck_assert(json_is_false(json_object_get(json_object_get(r.json, "job"),
                                            "pinned")));
    ev = last_event(&d.desk, j);
    ck_assert_str_eq(json_string_value(json_object_get(ev, "action")),
                     "reassign");
    ck_assert_str_eq(json_string_value(json_object_get(ev, "reason")),
                     "Bo is ill");
    json_decref(ev);
    e2e_reply_release(&r);
    day_close(&d);
}
END_TEST

/* A first sync of d; *cursor gets the checkpoint. */
static void first_sync(const struct device *d, uint64_t *cursor)
{
    struct bytes reply;
    Fsd__V1__Bundle *b;
    Fsd__V1__SealedJobs *jobs;

    ck_assert_int_eq(device_sync(d, d->sign_sk, 1, 0, NULL, 0, &reply, NULL),
                     200);
    b = device_open_bundle(d, &reply, &jobs);
    *cursor = b->checkpoint;
    fsd__v1__bundle__free_unpacked(b, NULL);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    free(reply.data);
}

static int holds(const Fsd__V1__SealedJobs *jobs, int64_t id)
{
    for (size_t i = 0; i < jobs->n_jobs; i++)
        if ((int64_t)jobs->jobs[i]->id == id)
            return 1;
    return 0;
}

static int removed(const Fsd__V1__Bundle *b, int64_t id)
{
    for (size_t i = 0; i < b->n_removed_job_ids; i++)
        if ((int64_t)b->removed_job_ids[i] == id)
            return 1;
    return 0;
}

static json_t *plan_create(struct e2e_client *c, struct e2e_reply *r)
{
    e2e_reply_release(r);
    e2e_send(c, "POST", "/api/v1/plans",
             json_pack("{s:s, s:i}", "date", DAY, "seed", 7), r);
    e2e_expect_status(r, 201);
    return r->json;
}

static long plan_apply(struct e2e_client *c, json_int_t id,
                       struct e2e_reply *r)
{
    char path[64];

    snprintf(path, sizeof path, "/api/v1/plans/%lld/apply", (long long)id);
    e2e_reply_release(r);
    return e2e_send(c, "POST", path, json_object(), r);
}

START_TEST(dry_run_then_apply_reaches_both_devices)
{
    struct day d;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device da, db;
    struct bytes reply;
    Fsd__V1__Bundle *bundle;
    Fsd__V1__SealedJobs *jobs;
    uint64_t ca, cb;
    int64_t a, b, j1, j2, j3;
    json_t *plan, *mv, *ev;
    json_int_t id;
    char why[40];

    day_open(&d);
    a = tech(&d, "Ana", 31.00, 121.00, 3, 480, 1);
    b = tech(&d, "Bo", 31.50, 121.50, 3, 480, 1);
    j1 = job(&d, 31.49, 121.49, 2, a); /* on Ana's day, next door to Bo */
    j2 = job(&d, 31.01, 121.01, 2, 0);
    j3 = job(&d, 31.51, 121.51, 2, 0);
    device_enroll(&d.desk, a, &da);
    device_enroll(&d.desk, b, &db);
    first_sync(&da, &ca);
    first_sync(&db, &cb);

    plan = plan_create(&d.desk, &r);
    id = json_integer_value(json_object_get(plan, "id"));
    ck_assert_str_eq(json_string_value(json_object_get(plan, "status")),
                     "proposed");
    mv = json_object_get(plan, "moves");
    ck_assert_int_eq(json_array_size(mv), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(mv, 0), "job_id")), j1);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(mv, 0), "from")), a);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(mv, 0), "to")), b);
    mv = json_object_get(plan, "assignments");
    ck_assert_int_eq(json_array_size(mv), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(mv, 0), "job_id")), j2);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(mv, 0), "to")), a);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(mv, 1), "to")), b);
    ck_assert_int_eq(json_array_size(json_object_get(plan, "unassigned")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(plan, "before"), "assigned")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(plan, "after"), "assigned")), 3);
    ck_assert_int_lt(json_integer_value(json_object_get(
                         json_object_get(plan, "after"), "travel_minutes")) /
                         3,
                     json_integer_value(json_object_get(
                         json_object_get(plan, "before"), "travel_minutes")));
    /* a dry run changes nothing */
    ck_assert_int_eq(job_tech(&d.desk, j1), a);
    ck_assert_int_eq(job_tech(&d.desk, j2), 0);

    ck_assert_int_eq(plan_apply(&d.desk, id, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "applied");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "applied")),
                     3);
    ck_assert_int_eq(job_tech(&d.desk, j1), b);
    ck_assert_int_eq(job_tech(&d.desk, j2), a);
    ck_assert_int_eq(job_tech(&d.desk, j3), b);
    ev = last_event(&d.desk, j1);
    snprintf(why, sizeof why, "plan %lld", (long long)id);
    ck_assert_str_eq(json_string_value(json_object_get(ev, "action")),
                     "reassign");
    ck_assert_str_eq(json_string_value(json_object_get(ev, "reason")), why);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
                                     ev, "actor")), "dispatcher"));
    json_decref(ev);
    ck_assert_int_eq(plan_apply(&d.desk, id, &r), 409);
    e2e_expect_error(&r, 409, "plan_applied", NULL);

    /* Ana's device loses j1 and gets j2; Bo's gets j1 and j3 */
    ck_assert_int_eq(device_sync(&da, da.sign_sk, 2, ca, NULL, 0, &reply,
                                 NULL), 200);
    bundle = device_open_bundle(&da, &reply, &jobs);
    ck_assert(removed(bundle, j1));
    ck_assert(holds(jobs, j2) && !holds(jobs, j1));
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    free(reply.data);
    ck_assert_int_eq(device_sync(&db, db.sign_sk, 2, cb, NULL, 0, &reply,
                                 NULL), 200);
    bundle = device_open_bundle(&db, &reply, &jobs);
    ck_assert(holds(jobs, j1) && holds(jobs, j3) && !holds(jobs, j2));
    ck_assert_uint_eq(bundle->n_removed_job_ids, 0);
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    free(reply.data);
    e2e_reply_release(&r);
    day_close(&d);
}
END_TEST

START_TEST(a_plan_whose_day_changed_is_refused)
{
    struct day d;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t a, j1;
    json_int_t id;

    day_open(&d);
    a = tech(&d, "Ana", 31.00, 121.00, 3, 480, 1);
    j1 = job(&d, 31.01, 121.01, 2, 0);
    id = json_integer_value(json_object_get(plan_create(&d.desk, &r), "id"));
    job(&d, 31.02, 121.02, 2, 0); /* another job joins the day */
    ck_assert_int_eq(plan_apply(&d.desk, id, &r), 409);
    e2e_expect_error(&r, 409, "plan_stale", NULL);
    ck_assert_int_eq(job_tech(&d.desk, j1), 0);
    /* a fresh dry run applies */
    id = json_integer_value(json_object_get(plan_create(&d.desk, &r), "id"));
    ck_assert_int_eq(plan_apply(&d.desk, id, &r), 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "applied")),
                     2);
    ck_assert_int_eq(job_tech(&d.desk, j1), a);
    e2e_reply_release(&r);
    day_close(&d);
}
END_TEST

START_TEST(a_job_whose_technician_is_off_that_day_is_moved)
{
    struct day d;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t a, off, j;
    json_t *plan, *mv;

    day_open(&d);
    a = tech(&d, "Ana", 31.00, 121.00, 3, 480, 1);
    off = tech(&d, "Dee", 31.00, 121.01, 3, 480, 0);
    j = job(&d, 31.01, 121.01, 2, off);
    plan = plan_create(&d.desk, &r);
    mv = json_array_get(json_object_get(plan, "moves"), 0);
    ck_assert_int_eq(json_array_size(json_object_get(plan, "moves")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(mv, "from")), off);
    ck_assert_int_eq(json_integer_value(json_object_get(mv, "to")), a);
    ck_assert_int_eq(json_array_size(json_object_get(plan, "assignments")),
                     0);
    ck_assert_int_eq(plan_apply(&d.desk, json_integer_value(json_object_get(
                                                 plan, "id")), &r), 200);
    ck_assert_int_eq(job_tech(&d.desk, j), a);
    e2e_reply_release(&r);
    day_close(&d);
}
END_TEST

START_TEST(hostile_plan_requests_change_nothing)
{
    static const struct {
        const char *body;
        const char *code, *field;
    } bad[] = {
        {"{}", "missing_field", "date"},
        {"{\"date\":\"2031-02-30\"}", "invalid_type", "date"},
        {"{\"date\":\"" DAY "\",\"time_limit_ms\":20000}", "out_of_range",
         "time_limit_ms"},
        {"{\"date\":\"" DAY "\",\"moves\":[]}", "unknown_field", "moves"},
        {"[]", "invalid_type", NULL},
        {"{\"date\":", "malformed_json", NULL},
    };
    struct day d;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t j;

    day_open(&d);
    tech(&d, "Ana", 31.00, 121.00, 3, 480, 1);
    j = job(&d, 31.01, 121.01, 2, 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e2e_request(&d.desk, "POST", "/api/v1/plans", bad[i].body, NULL, &r);
        e2e_expect_error(&r, 400, bad[i].code, bad[i].field);
        e2e_reply_release(&r);
    }
    e2e_get(&d.desk, "/api/v1/plans/999999", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    ck_assert_int_eq(plan_apply(&d.desk, 999999, &r), 404);
    e2e_reply_release(&r);
    e2e_get(&d.desk, "/api/v1/plans/1", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    ck_assert_int_eq(job_tech(&d.desk, j), 0);
    /* a time zone the system does not know would break every plan */
    e2e_send(&d.mgr, "POST", "/api/v1/technicians",
             json_pack("{s:s, s:f, s:f, s:s}", "name", "Zed", "start_lat",
                       31.0, "start_lon", 121.0, "timezone", "Mars/Olympus"),
             &r);
    e2e_expect_error(&r, 400, "invalid_timezone", "timezone");
    e2e_reply_release(&r);
    day_close(&d);
}
END_TEST

static TCase *own_server(const char *name, const TTest *t)
{
    TCase *tc = tcase_create(name);

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, t);
    return tc;
}

Suite *e2e_assign_suite(void)
{
    Suite *s = suite_create("e2e_assign");

    suite_add_tcase(s, own_server("candidates",
                                  candidates_are_ranked_and_explained));
    suite_add_tcase(
        s, own_server("manual",
                      manual_assignment_is_checked_and_overrides_are_audited));
    suite_add_tcase(s, own_server("plan", dry_run_then_apply_reaches_both_devices));
    suite_add_tcase(s, own_server("stale", a_plan_whose_day_changed_is_refused));
    suite_add_tcase(s, own_server("off", a_job_whose_technician_is_off_that_day_is_moved));
    suite_add_tcase(s, own_server("hostile", hostile_plan_requests_change_nothing));
    return s;
}
