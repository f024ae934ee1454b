/*
 * e2e_lifecycle.c - driving jobs through their lifecycle over HTTP:
 * POST /api/v1/jobs/{id}/events and GET /api/v1/jobs/{id}/timeline.
 *
 * Staff events (book, parts, assign, reassign, cancel, reschedule) are
 * applied and their audit trail read back; events reserved for technicians
 * and customers are refused with 403, events a state does not take with
 * 409, and a refused event changes neither status nor version.
 */
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct world {
    struct e2e_client desk;  /* a dispatcher */
    int64_t job, tech, tech2;
};

static int64_t make_world(struct world *w)
{
    struct e2e_client m;
    int64_t cust;

    e2e_as_role(&w->desk, "dispatcher", NULL);
    e2e_as_role(&m, "manager", NULL);
    w->tech = e2e_create(&m, "/api/v1/technicians",
                         json_pack("{s:s, s:f, s:f}", "name", "Ada",
                                   "start_lat", 31.2, "start_lon", 121.4));
    w->tech2 = e2e_create(&m, "/api/v1/technicians",
                          json_pack("{s:s, s:f, s:f}", "name", "Bo",
                                    "start_lat", 31.3, "start_lon", 121.5));
    cust = e2e_create(&w->desk, "/api/v1/customers",
                      json_pack("{s:s}", "name", "Lotus Hotel"));
    w->job = e2e_create(&w->desk, "/api/v1/jobs",
                        json_pack("{s:I, s:s}", "customer_id",
                                  (json_int_t)cust, "kind", "repair"));
    e2e_client_release(&m);
    return w->job;
}

/* POST an event; returns the status, r holds the reply. */
static long event(struct world *w, json_t *body, struct e2e_reply *r)
{
    char path[64];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events",
             (long long)w->job);
    e2e_reply_release(r);
    return e2e_send(&w->desk, "POST", path, body, r);
}

static void expect_job(const struct e2e_reply *r, const char *status,
                       int version)
{
    ck_assert_str_eq(json_string_value(json_object_get(r->json, "status")),
                     status);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "version")),
                     version);
}

START_TEST(staff_move_a_job_to_assigned_and_back)
{
    struct world w;
    struct e2e_reply r = E2E_REPLY_INIT;

    make_world(&w);
    event(&w, json_pack("{s:s}", "event", "offer_slots"), &r);
    e2e_expect_status(&r, 200);
    expect_job(&r, "slots_offered", 2);
    event(&w, json_pack("{s:s, s:i}", "event", "book", "version", 2), &r);
    /* booking holds the parts at once (the system's event after it) */
    expect_job(&r, "parts_reserved", 4);
    /* a back order says when the parts come */
    event(&w, json_pack("{s:s}", "event", "parts_missing"), &r);
    e2e_expect_error(&r, 400, "missing_field", "expected_on");
    event(&w, json_pack("{s:s, s:n}", "event", "parts_missing",
                        "expected_on"), &r);
    e2e_expect_error(&r, 400, "null_field", "expected_on");
    event(&w, json_pack("{s:s, s:s}", "event", "parts_missing", "expected_on",
                        "2030-01-15"), &r);
    expect_job(&r, "awaiting_parts", 5);
    event(&w, json_pack("{s:s}", "event", "parts_reserved"), &r);
    expect_job(&r, "parts_reserved", 6);
    event(&w, json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                        (json_int_t)w.tech), &r);
    expect_job(&r, "assigned", 7);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json,
                                                        "technician_id")),
                     w.tech);
    event(&w, json_pack("{s:s, s:I, s:s}", "event", "reassign",
                        "technician_id", (json_int_t)w.tech2, "reason",
                        "Ada is off sick"), &r);
    expect_job(&r, "assigned", 8);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json,
                                                        "technician_id")),
                     w.tech2);
    event(&w, json_pack("{s:s}", "event", "reschedule"), &r);
    expect_job(&r, "slots_offered", 9);
    e2e_reply_release(&r);
    e2e_client_release(&w.desk);
}
END_TEST

START_TEST(refused_events_change_nothing)
{
    struct world w;
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[64];

    make_world(&w);
    event(&w, json_pack("{s:s}", "event", "arrive"), &r);
    e2e_expect_error(&r, 409, "invalid_transition", "event");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "error"), "message")),
                     "a job in state new cannot take the event arrive");
    event(&w, json_pack("{s:s}", "event", "book"), &r);
    expect_job(&r, "parts_reserved", 3);
    event(&w, json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                        (json_int_t)w.tech), &r);
    expect_job(&r, "assigned", 4);
    event(&w, json_pack("{s:s}", "event", "arrive"), &r);
    e2e_expect_error(&r, 403, "role_not_allowed", "event");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "error"), "message")),
                     "a dispatcher may not cause arrive on a job in state"
                     " assigned");
    event(&w, json_pack("{s:s}", "event", "cancel"), &r);
    e2e_expect_error(&r, 400, "missing_field", "reason");
    event(&w, json_pack("{s:s, s:I, s:s}", "event", "reassign",
                        "technician_id", (json_int_t)w.tech, "reason", "x"),
          &r);
    e2e_expect_error(&r, 409, "same_technician", "technician_id");
    event(&w, json_pack("{s:s, s:i, s:s}", "event", "reassign",
                        "technician_id", 999999, "reason", "x"), &r);
    e2e_expect_error(&r, 400, "invalid_reference", "technician_id");
    event(&w, json_pack("{s:s, s:s, s:i}", "event", "cancel", "reason",
                        "customer called", "version", 3), &r);
    e2e_expect_error(&r, 409, "version_conflict", "version");
    event(&w, json_pack("{s:s}", "event", "teleport"), &r);
    e2e_expect_error(&r, 400, "invalid_choice", "event");
    /* typed bodies: each event takes its own fields, checked first */
    event(&w, json_pack("{s:s, s:s}", "event", "start_travel",
                        "expected_on", "2030-01-01"), &r);
    e2e_expect_error(&r, 400, "unknown_field", "expected_on");
    event(&w, json_pack("{s:s, s:s}", "event", "arrive", "on_behalf_of",
                        "technician"), &r);
    e2e_expect_error(&r, 400, "missing_field", "reason");
    event(&w, json_pack("{s:s, s:s, s:s}", "event", "arrive",
                        "on_behalf_of", "robot", "reason", "x"), &r);
    e2e_expect_error(&r, 400, "invalid_choice", "on_behalf_of");
    event(&w, json_pack("{s:s, s:s, s:s, s:[{s:s}]}", "event",
                        "complete_work", "on_behalf_of", "technician",
                        "reason", "x", "parts_used", "serial", "A1"), &r);
    e2e_expect_error(&r, 400, "missing_field", "parts_used[0].part_id");
    event(&w, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "event",
                        "sign_off", "on_behalf_of", "customer", "reason",
                        "x", "customer_name", "Lin", "signature", "AAAA",
                        "rating", 6), &r);
    e2e_expect_error(&r, 400, "out_of_range", "rating");
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)w.job);
    e2e_reply_release(&r);
    e2e_get(&w.desk, path, &r);
    expect_job(&r, "assigned", 4);
    e2e_reply_release(&r);
    e2e_client_release(&w.desk);
}
END_TEST

START_TEST(timeline_records_who_what_and_why)
{
    struct world w;
    struct e2e_reply r = E2E_REPLY_INIT;
    json_t *items, *last, *detail;
    char path[64];

    make_world(&w);
    event(&w, json_pack("{s:s}", "event", "book"), &r);
    event(&w, json_pack("{s:s, s:s}", "event", "cancel", "reason",
                        "customer sold the unit"), &r);
    expect_job(&r, "cancelled", 4);
    event(&w, json_pack("{s:s}", "event", "book"), &r);
    e2e_expect_error(&r, 409, "invalid_transition", "event");
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline",
             (long long)w.job);
    e2e_reply_release(&r);
    e2e_get(&w.desk, path, &r);
    e2e_expect_status(&r, 200);
    items = json_object_get(r.json, "items");
    /* create, book, the parts check the booking ran, cancel */
    ck_assert_int_eq(json_array_size(items), 4);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(items, 0), "action")), "create");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(items, 2), "action")),
                     "parts_reserved");
    last = json_array_get(items, 3);
    ck_assert_str_eq(json_string_value(json_object_get(last, "action")),
                     "cancel");
    ck_assert_str_eq(json_string_value(json_object_get(last, "reason")),
                     "customer sold the unit");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
                                     last, "actor")), "dispatcher"));
    detail = json_object_get(last, "detail");
    ck_assert_str_eq(json_string_value(json_object_get(detail, "from")),
                     "parts_reserved");
    ck_assert_str_eq(json_string_value(json_object_get(detail, "to")),
                     "cancelled");
    ck_assert_str_eq(json_string_value(json_object_get(detail, "by")),
                     "dispatcher");
    e2e_reply_release(&r);
    e2e_get(&w.desk, "/api/v1/jobs/999999/timeline", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    e2e_client_release(&w.desk);
}
END_TEST

/* The deadlines listed for job in an at-risk reply, as a bit set:
 * 1 respond_by, 2 on_site_by; *minutes gets the last one's minutes_left. */
static int risks_of(const struct e2e_reply *r, int64_t job, int64_t *minutes)
{
    json_t *item;
    size_t i;
    int found = 0;

    json_array_foreach(json_object_get(r->json, "items"), i, item) {
        const char *d = json_string_value(json_object_get(item, "deadline"));
        if (json_integer_value(json_object_get(json_object_get(item, "job"),
                                               "id")) != job)
            continue;
        found |= strcmp(d, "respond_by") == 0 ? 1 : 2;
        *minutes = json_integer_value(json_object_get(item, "minutes_left"));
    }
    return found;
}

START_TEST(sla_deadlines_and_jobs_at_risk)
{
    struct world w;
    struct e2e_client m;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t cust, minutes = 0;

    make_world(&w);
    e2e_as_role(&m, "manager", NULL);
    e2e_send(&w.desk, "PATCH", "/api/v1/sla-policies/1",
             json_pack("{s:i}", "respond_minutes", 30), &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    e2e_reply_release(&r);
    e2e_send(&m, "PATCH", "/api/v1/sla-policies/1",
             json_pack("{s:i, s:i}", "respond_minutes", 30,
                       "on_site_minutes", 90), &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json,
                                                        "respond_minutes")),
                     30);
    e2e_reply_release(&r);
    cust = e2e_create(&w.desk, "/api/v1/customers",
                      json_pack("{s:s}", "name", "Urgent Clinic"));
    w.job = e2e_create(&w.desk, "/api/v1/jobs",
                       json_pack("{s:I, s:s, s:i}", "customer_id",
                                 (json_int_t)cust, "kind", "repair",
                                 "priority", 1));
    e2e_get(&w.desk, "/api/v1/jobs/at-risk?within_minutes=0", &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(risks_of(&r, w.job, &minutes), 0);
    e2e_reply_release(&r);
    e2e_get(&w.desk, "/api/v1/jobs/at-risk?within_minutes=60", &r);
    ck_assert_int_eq(risks_of(&r, w.job, &minutes), 1);
    ck_assert_int_ge(minutes, 28);
    ck_assert_int_le(minutes, 30);
    e2e_reply_release(&r);
    e2e_get(&w.desk, "/api/v1/jobs/at-risk?within_minutes=120", &r);
    ck_assert_int_eq(risks_of(&r, w.job, &minutes), 3);
    ck_assert_int_ge(minutes, 88); /* on-site-by sorts last */
    ck_assert_int_le(minutes, 90);
    event(&w, json_pack("{s:s}", "event", "book"), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    e2e_get(&w.desk, "/api/v1/jobs/at-risk?within_minutes=120", &r);
    ck_assert_int_eq(risks_of(&r, w.job, &minutes), 2); /* responded */
    e2e_reply_release(&r);
    e2e_get(&w.desk, "/api/v1/jobs/at-risk?within_minutes=-5", &r);
    e2e_expect_error(&r, 400, "out_of_range", "within_minutes");
    e2e_reply_release(&r);
    e2e_client_release(&m);
    e2e_client_release(&w.desk);
}
END_TEST

START_TEST(back_ordered_parts_arrive)
{
    struct world w;
    struct e2e_client m;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t cust, part;
    char path[64];

    make_world(&w);
    e2e_as_role(&m, "manager", NULL);
    part = e2e_create(&m, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i}", "sku", "VLV-3",
                                "name", "Expansion valve", "cost_minor",
                                900, "price_minor", 1500));
    cust = e2e_create(&w.desk, "/api/v1/customers",
                      json_pack("{s:s}", "name", "Mr. Gao"));
    w.job = e2e_create(&w.desk, "/api/v1/jobs",
                       json_pack("{s:I, s:s, s:[{s:I, s:i}]}", "customer_id",
                                 (json_int_t)cust, "kind", "repair", "parts",
                                 "part_id", (json_int_t)part, "quantity", 2));
    event(&w, json_pack("{s:s}", "event", "book"), &r);
    e2e_expect_error(&r, 409, "parts_not_ready", "parts[0]");
    ck_assert_str_eq(e2e_error_message(&r),
                     "part VLV-3 is out of stock with no expected date:"
                     " record when it arrives (parts_missing with"
                     " expected_on) before booking");
    event(&w, json_pack("{s:s, s:s}", "event", "parts_missing", "expected_on",
                        "2030-01-15"), &r);
    expect_job(&r, "new", 2);
    event(&w, json_pack("{s:s}", "event", "book"), &r);
    expect_job(&r, "awaiting_parts", 4);
    e2e_reply_release(&r);
    snprintf(path, sizeof path, "/api/v1/parts/%lld/receive",
             (long long)part);
    e2e_send(&w.desk, "POST", path, json_pack("{s:i}", "quantity", 5), &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    e2e_reply_release(&r);
    e2e_send(&m, "POST", path, json_pack("{s:i}", "quantity", 0), &r);
    e2e_expect_error(&r, 400, "out_of_range", "quantity");
    e2e_reply_release(&r);
    e2e_send(&m, "POST", path, json_pack("{s:i}", "quantity", 5), &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_integer_value(json_array_get(
                         json_object_get(r.json, "jobs_reserved"), 0)),
                     w.job);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
                         json_object_get(json_object_get(r.json, "part"),
                                         "stock"), 0), "reserved")), 2);
    e2e_reply_release(&r);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)w.job);
    e2e_get(&w.desk, path, &r);
    expect_job(&r, "parts_reserved", 5);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
                         json_object_get(r.json, "parts"), 0), "state")),
                     "reserved");
    e2e_reply_release(&r);
    event(&w, json_pack("{s:s, s:s}", "event", "cancel", "reason",
                        "customer bought a new unit"), &r);
    expect_job(&r, "cancelled", 6);
    e2e_reply_release(&r);
    snprintf(path, sizeof path, "/api/v1/parts/%lld", (long long)part);
    e2e_get(&w.desk, path, &r);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
                         json_object_get(r.json, "stock"), 0), "reserved")), 0);
    e2e_reply_release(&r);
    e2e_client_release(&m);
    e2e_client_release(&w.desk);
}
END_TEST

/* One figure of today's summary report, read as manager m. */
static json_int_t report_figure(struct e2e_client *m, const char *path,
                                const char *group, const char *key)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    json_t *node;
    json_int_t v;

    e2e_get(m, path, &r);
    e2e_expect_status(&r, 200);
    node = group ? json_object_get(json_object_get(json_object_get(
                                       r.json, "sla"), group), key)
                 : json_object_get(r.json, key);
    v = json_integer_value(node);
    e2e_reply_release(&r);
    return v;
}

START_TEST(summary_report_counts_the_period)
{
    struct world w;
    struct e2e_client m;
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[96], today[16];
    time_t now = time(NULL);
    json_int_t jobs0, met0, total0;
    const json_t *techs;

    strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
    snprintf(path, sizeof path, "/api/v1/reports/summary?from=%s&to=%s",
             today, today);
    e2e_as_role(&m, "manager", NULL);
    /* the test case's server is shared: measure what this test adds */
    jobs0 = report_figure(&m, path, NULL, "jobs");
    met0 = report_figure(&m, path, "respond", "met");
    total0 = report_figure(&m, path, "respond", "total");
    make_world(&w);
    event(&w, json_pack("{s:s}", "event", "book"), &r);
    event(&w, json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                        (json_int_t)w.tech), &r);
    expect_job(&r, "assigned", 4);
    e2e_reply_release(&r);
    e2e_get(&w.desk, path, &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    e2e_reply_release(&r);
    ck_assert_int_eq(report_figure(&m, path, NULL, "jobs"), jobs0 + 1);
    ck_assert_int_eq(report_figure(&m, path, "respond", "met"), met0 + 1);
    ck_assert_int_eq(report_figure(&m, path, "respond", "total"),
                     total0 + 1);
    e2e_get(&m, path, &r);
    techs = json_object_get(r.json, "by_technician");
    {
        const json_t *t;
        size_t i;
        int seen = 0;
        json_array_foreach(techs, i, t)
            if (json_integer_value(json_object_get(t, "technician_id")) ==
                w.tech) {
                ck_assert_int_eq(json_integer_value(json_object_get(t,
                                                                    "jobs")),
                                 1);
                seen = 1;
            }
        ck_assert(seen);
    }
    e2e_reply_release(&r);
    e2e_get(&m, "/api/v1/reports/summary?from=2020-01-01&to=2020-01-31", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "jobs")), 0);
    ck_assert(json_is_null(json_object_get(json_object_get(
        r.json, "first_time_fix"), "rate")));
    e2e_reply_release(&r);
    snprintf(path, sizeof path, "/api/v1/reports/summary?from=%s", today);
    e2e_get(&m, path, &r);
    e2e_expect_error(&r, 400, "missing_field", "to");
    e2e_reply_release(&r);
    e2e_get(&m, "/api/v1/reports/summary?from=2026-02-01&to=2026-01-31", &r);
    e2e_expect_error(&r, 400, "invalid_period", "to");
    e2e_reply_release(&r);
    e2e_client_release(&m);
    e2e_client_release(&w.desk);
}
END_TEST

Suite *e2e_lifecycle_suite(void)
{
    Suite *s = suite_create("e2e_lifecycle");
    TCase *tc = tcase_create("lifecycle");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, staff_move_a_job_to_assigned_and_back);
    tcase_add_test(tc, refused_events_change_nothing);
    tcase_add_test(tc, timeline_records_who_what_and_why);
    tcase_add_test(tc, sla_deadlines_and_jobs_at_risk);
    tcase_add_test(tc, back_ordered_parts_arrive);
    tcase_add_test(tc, summary_report_counts_the_period);
    suite_add_tcase(s, tc);
    return s;
}
