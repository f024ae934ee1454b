/*
 * e2e_paths.c - every business path of a job, end to end over HTTP against
 * the real server: in-warranty repair, 60-day replacement, quote approved
 * (invoice, then the unpaid balance blocks the customer's next quote),
 * quote declined, quote expired (a server with a one-second quote TTL and
 * a fast scheduler), parts awaiting approval and back-ordered then
 * arriving, a follow-up visit, a rejected sign-off sent back for rework,
 * cancellation with the parts released, and the maintenance entitlement
 * counting down as maintenance visits are completed.
 *
 * Technicians' and customers' events are recorded by a dispatcher on their
 * behalf, the way a phoned-in update is.  Each path ends by reading the
 * job's audit trail and comparing the exact sequence of actions.
 */
#include "fixture.h"
#include "paths.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TO_SITE                                                                \
    "create", "book", "parts_reserved", "assign", "start_travel", "arrive"
#define FINISH "complete_work", "sign_off", "review", "close"

/* The sign-off's signature comes back as the PNG the device sent; no
 * other sign-off of the job has one. */
static void expect_signature(struct path *p, int64_t sign_off)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[120], type[40];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/sign-offs/%lld/signature",
             (long long)p->job, (long long)sign_off);
    e2e_get(&p->desk, path, &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(e2e_header(&r, "Content-Type", type, sizeof type), 0);
    ck_assert_str_eq(type, "image/png");
    ck_assert_uint_eq(r.body_len, 45);
    ck_assert_int_eq(memcmp(r.body, "\x89PNG\r\n\x1a\n", 8), 0);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/sign-offs/%lld/signature",
             (long long)p->job, (long long)sign_off + 1000);
    e2e_reply_release(&r);
    e2e_get(&p->desk, path, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
}

static const json_t *last_of(const json_t *arr)
{
    return json_array_get(arr, json_array_size(arr) - 1);
}

/* Units of part_id a report counts as used (0 when it is not listed). */
static json_int_t part_used(const json_t *rep, int64_t part_id)
{
    const json_t *p;
    size_t i;

    json_array_foreach(json_object_get(rep, "parts_by_part"), i, p)
        if (json_integer_value(json_object_get(p, "part_id")) == part_id)
            return json_integer_value(json_object_get(p, "quantity"));
    return 0;
}

START_TEST(in_warranty_repair)
{
    static const char *const trail[] = {TO_SITE, "decide_in_warranty", FINISH,
                                        NULL};
    struct path p;
    json_t *rec, *so, *before, *after;

    path_setup(&p, "regular", 200, 3, 0);
    before = path_report(&p.mgr);
    path_to_site(&p);
    path_behalf(&p, "technician", "decide_in_warranty",
                json_pack("{s:b}", "performance_fault", 1), "in_warranty");
    path_finish(&p, "OLD-1");
    path_expect_trail(&p, trail);
    path_expect_stock(&p, 2, 0); /* one used, none left reserved */
    rec = path_get(&p.desk, "/api/v1/jobs/%lld/record", p.job);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(rec, "warranty"), "outcome")),
                     "in_warranty");
    ck_assert(json_is_null(json_object_get(rec, "invoice")));
    so = json_array_get(json_object_get(rec, "sign_offs"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(so, "rating")), 5);
    ck_assert_int_eq(json_string_length(json_object_get(so, "at")), 20);
    ck_assert_int_eq(json_string_length(json_object_get(so, "summary_hash")),
                     64);
    ck_assert_int_eq(json_integer_value(json_object_get(so, "signature_size")),
                     45);
    expect_signature(&p, json_integer_value(json_object_get(so, "id")));
    ck_assert_int_eq(
        json_integer_value(json_object_get(
            json_object_get(json_object_get(so, "summary"), "charges"),
            "total_minor")),
        0);
    ck_assert_str_eq(
        json_string_value(json_object_get(
            json_array_get(
                json_object_get(
                    json_array_get(json_object_get(rec, "visits"), 0),
                    "parts_used"),
                0),
            "faulty_serial")),
        "OLD-1");
    json_decref(rec);
    after = path_report(&p.mgr);
    ck_assert_int_eq(path_figure(after, "ratings", "count"),
                     path_figure(before, "ratings", "count") + 1);
    ck_assert(json_is_real(
        json_object_get(json_object_get(after, "ratings"), "average")));
    ck_assert_int_eq(path_figure(after, NULL, "parts_used"),
                     path_figure(before, NULL, "parts_used") + 1);
    /* the trend has today's sign-off; the part used is counted by part */
    ck_assert_int_ge(json_integer_value(json_object_get(
                         last_of(json_object_get(after, "ratings_by_day")),
                         "count")),
                     1);
    ck_assert_int_eq(part_used(after, p.part), 1);
    ck_assert_int_eq(part_used(before, p.part), 0);
    ck_assert_str_eq(json_string_value(json_object_get(after, "currency")),
                     "EUR");
    json_decref(before);
    json_decref(after);
    path_release(&p);
}
END_TEST

START_TEST(early_failure_gets_a_replacement)
{
    static const char *const trail[] = {TO_SITE, "decide_replacement", FINISH,
                                        NULL};
    struct e2e_reply r = E2E_REPLY_INIT;
    struct path p;

    path_setup(&p, "regular", 30, 3, 0);
    path_to_site(&p);
    /* the rule, not the technician, decides: a repair is refused */
    path_event(&p, &p.desk,
               json_pack("{s:s, s:s, s:s, s:b}", "event", "decide_in_warranty",
                         "on_behalf_of", "technician", "reason", PHONED,
                         "performance_fault", 1),
               409, &r);
    e2e_expect_error(&r, 409, "warranty_mismatch", "event");
    ck_assert_ptr_nonnull(
        strstr(json_string_value(json_object_get(
                   json_object_get(r.json, "error"), "message")),
               "record decide_replacement"));
    e2e_reply_release(&r);
    path_behalf(&p, "technician", "decide_replacement",
                json_pack("{s:b}", "performance_fault", 1), "replacement");
    path_finish(&p, "OLD-2");
    path_expect_trail(&p, trail);
    path_release(&p);
}
END_TEST

START_TEST(quote_approved_then_invoiced_and_paid)
{
    static const char *const trail[] = {TO_SITE,          "issue_quote",
                                        "approve_quote",  FINISH,
                                        "record_payment", NULL};
    struct e2e_reply r = E2E_REPLY_INIT;
    struct path p, next;
    json_t *rec, *inv;
    char url[80];
    int64_t job2;

    path_setup(&p, "regular", 900, 3, 0);
    path_to_site(&p);
    path_issue_quote(&p);
    /* one quote per job: a second needs a manager */
    path_event(&p, &p.desk,
               json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:i, s:i}]}", "event",
                         "issue_quote", "on_behalf_of", "technician", "reason",
                         PHONED, "lines", "kind", "labour", "description", "x",
                         "quantity", 1, "unit_price_minor", 1),
               403, &r);
    e2e_expect_error(&r, 403, "role_not_allowed", "event");
    e2e_reply_release(&r);
    path_behalf(&p, "customer", "approve_quote", NULL, "quote_approved");
    path_finish(&p, "OLD-3");
    rec = path_get(&p.desk, "/api/v1/jobs/%lld/record", p.job);
    inv = json_object_get(rec, "invoice");
    /* used: 1 x 32000 part, 2 x 6000 labour, 5000 call-out */
    ck_assert_int_eq(json_integer_value(json_object_get(inv, "total_minor")),
                     32000 + 12000 + 5000);
    ck_assert(json_is_null(json_object_get(inv, "paid_at")));
    json_decref(rec);

    /* the same regular customer's next quote waits for the payment */
    next = p;
    job2 = e2e_create(&p.desk, "/api/v1/jobs",
                      json_pack("{s:I, s:I, s:s}", "customer_id",
                                (json_int_t)p.cust, "asset_id",
                                (json_int_t)p.asset, "kind", "repair"));
    next.job = job2;
    path_to_site(&next);
    path_issue_quote(&next);
    path_event(&next, &p.desk,
               json_pack("{s:s, s:s, s:s}", "event", "approve_quote",
                         "on_behalf_of", "customer", "reason", PHONED),
               409, &r);
    e2e_expect_error(&r, 409, "unpaid_balance", "event");
    e2e_reply_release(&r);
    snprintf(url, sizeof url, "/api/v1/jobs/%lld/invoice/payment",
             (long long)p.job);
    e2e_send(&p.desk, "POST", url, json_pack("{s:s}", "reference", "TX-1"), &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(
        json_string_value(json_object_get(r.json, "payment_reference")),
        "TX-1");
    e2e_reply_release(&r);
    e2e_send(&p.desk, "POST", url, json_pack("{s:s}", "reference", "TX-1"), &r);
    e2e_expect_error(&r, 409, "already_paid", NULL);
    e2e_reply_release(&r);
    path_behalf(&next, "customer", "approve_quote", NULL, "quote_approved");
    path_expect_trail(&p, trail);
    path_release(&p);
}
END_TEST

START_TEST(quote_declined_returns_the_unit)
{
    static const char *const trail[] = {TO_SITE,         "issue_quote",
                                        "decline_quote", "return_unrepaired",
                                        "close",         NULL};
    struct path p;

    path_setup(&p, "key_account", 900, 3, 0);
    path_to_site(&p);
    path_issue_quote(&p);
    path_behalf(&p, "customer", "decline_quote", NULL, "quote_declined");
    path_behalf(&p, "technician", "return_unrepaired", NULL,
                "returned_unrepaired");
    path_expect_stock(&p, 3, 0); /* the reservation went back */
    path_staff(&p, &p.mgr, json_pack("{s:s}", "event", "close"), "closed");
    path_expect_trail(&p, trail);
    path_release(&p);
}
END_TEST

START_TEST(parts_approved_back_ordered_then_arrive)
{
    static const char *const trail[] = {
        "create", "approve_part", "parts_missing", "book", "parts_missing",
        "parts_reserved", "cancel", NULL};
    struct e2e_reply r = E2E_REPLY_INIT;
    struct path p;
    json_t *job;
    char url[96];

    path_setup(&p, "regular", 100, 0, 1);
    /* no booking until every part can be held */
    path_event(&p, &p.desk, json_pack("{s:s}", "event", "book"), 409, &r);
    e2e_expect_error(&r, 409, "parts_awaiting_approval", "parts[0]");
    job = path_get(&p.desk, "/api/v1/jobs/%lld", p.job);
    ck_assert_str_eq(json_string_value(json_object_get(job, "status")), "new");
    snprintf(url, sizeof url, "/api/v1/jobs/%lld/parts/%lld/approve",
             (long long)p.job,
             (long long)json_integer_value(json_object_get(
                 json_array_get(json_object_get(job, "parts"), 0), "line_id")));
    json_decref(job);
    e2e_reply_release(&r);
    e2e_send(&p.desk, "POST", url, NULL, &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    e2e_reply_release(&r);
    e2e_send(&p.mgr, "POST", url, NULL, &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    e2e_send(&p.mgr, "POST", url, NULL, &r);
    e2e_expect_error(&r, 409, "not_awaiting_approval", "line_id");
    path_event(&p, &p.desk, json_pack("{s:s}", "event", "book"), 409, &r);
    e2e_expect_error(&r, 409, "parts_not_ready", "parts[0]");
    ck_assert_ptr_nonnull(strstr(e2e_error_message(&r),
                                 "is out of stock with no expected date"));
    /* the back order's date, recorded before booking */
    path_staff(&p, &p.desk,
               json_pack("{s:s, s:s}", "event", "parts_missing", "expected_on",
                         "2031-03-02"),
               "new");
    job = path_get(&p.desk, "/api/v1/jobs/%lld", p.job);
    ck_assert_str_eq(
        json_string_value(json_object_get(
            json_array_get(json_object_get(job, "parts"), 0), "expected_on")),
        "2031-03-02");
    json_decref(job);
    path_event(&p, &p.desk,
               json_pack("{s:s, s:s, s:s}", "event", "book", "window_start",
                         "2031-03-02T09:00:00Z", "window_end",
                         "2031-03-02T11:00:00Z"),
               409, &r);
    e2e_expect_error(&r, 409, "parts_not_ready", "window_start");
    ck_assert_str_eq(e2e_error_message(&r),
                     "the parts are expected on 2031-03-02: the visit can be"
                     " from the day after");
    /* booked for the day after: the job waits for its part */
    path_staff(&p, &p.desk,
               json_pack("{s:s, s:s, s:s}", "event", "book", "window_start",
                         "2031-03-03T09:00:00Z", "window_end",
                         "2031-03-03T11:00:00Z"),
               "awaiting_parts");
    path_expect_stock(&p, 0, 0);
    snprintf(url, sizeof url, "/api/v1/parts/%lld/receive", (long long)p.part);
    e2e_reply_release(&r);
    e2e_send(&p.mgr, "POST", url, json_pack("{s:i}", "quantity", 4), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    path_expect_stock(&p, 4, 1);
    job = path_get(&p.desk, "/api/v1/jobs/%lld", p.job);
    ck_assert_str_eq(json_string_value(json_object_get(job, "status")),
                     "parts_reserved");
    json_decref(job);
    path_staff(&p, &p.desk,
               json_pack("{s:s, s:s}", "event", "cancel", "reason",
                         "customer moved away"),
               "cancelled");
    path_expect_stock(&p, 4, 0);
    path_expect_trail(&p, trail);
    path_release(&p);
}
END_TEST

START_TEST(follow_up_visit_keeps_parts_and_technician)
{
    static const char *const trail[] = {TO_SITE,
                                        "need_follow_up",
                                        "book",
                                        "parts_reserved",
                                        "assign",
                                        "arrive",
                                        "decide_in_warranty",
                                        FINISH,
                                        NULL};
    struct path p;
    json_t *job, *rec, *visits;

    path_setup(&p, "regular", 200, 1, 0);
    path_to_site(&p);
    path_behalf(&p, "technician", "need_follow_up",
                json_pack("{s:s, s:s}", "outcome", "parts_missing", "notes",
                          "needs a second valve"),
                "follow_up_needed");
    job = path_get(&p.desk, "/api/v1/jobs/%lld", p.job);
    ck_assert_int_eq(
        json_integer_value(json_object_get(job, "preferred_technician_id")),
        p.tech);
    ck_assert_str_eq(
        json_string_value(json_object_get(
            json_array_get(json_object_get(job, "parts"), 0), "state")),
        "reserved");
    json_decref(job);
    path_expect_stock(&p, 1, 1); /* still held for the return visit */
    path_staff(&p, &p.desk, json_pack("{s:s}", "event", "book"),
               "parts_reserved");
    path_staff(&p, &p.desk,
               json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                         (json_int_t)p.tech),
               "assigned");
    path_behalf(&p, "technician", "arrive", NULL, "on_site");
    path_behalf(&p, "technician", "decide_in_warranty", NULL, "in_warranty");
    path_finish(&p, "OLD-4");
    rec = path_get(&p.desk, "/api/v1/jobs/%lld/record", p.job);
    visits = json_object_get(rec, "visits");
    ck_assert_int_eq(json_array_size(visits), 2);
    ck_assert_str_eq(json_string_value(
                         json_object_get(json_array_get(visits, 0), "outcome")),
                     "parts_missing");
    ck_assert_int_eq(
        json_integer_value(
            json_object_get(json_array_get(visits, 1), "follows_visit_id")),
        json_integer_value(json_object_get(json_array_get(visits, 0), "id")));
    ck_assert_str_eq(json_string_value(
                         json_object_get(json_array_get(visits, 1), "outcome")),
                     "completed");
    json_decref(rec);
    path_expect_trail(&p, trail);
    path_release(&p);
}
END_TEST

START_TEST(rejected_sign_off_goes_to_rework)
{
    static const char *const trail[] = {TO_SITE,
                                        "decide_in_warranty",
                                        "complete_work",
                                        "reject_sign_off",
                                        "assign",
                                        "arrive",
                                        "complete_work",
                                        "sign_off",
                                        "review",
                                        "close",
                                        NULL};
    struct e2e_reply r = E2E_REPLY_INIT;
    struct path p;

    path_setup(&p, "regular", 200, 2, 0);
    path_to_site(&p);
    path_behalf(&p, "technician", "decide_in_warranty", NULL, "in_warranty");
    path_behalf(&p, "technician", "complete_work",
                json_pack("{s:s}", "notes", "cleaned the condenser"),
                "work_done");
    path_event(&p, &p.desk,
               json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "event", "sign_off",
                         "on_behalf_of", "customer", "reason", PHONED,
                         "customer_name", "Lin", "signature", "not base64!",
                         "rating", 2),
               400, &r);
    e2e_expect_error(&r, 400, "invalid_signature", "signature");
    e2e_reply_release(&r);
    path_behalf(&p, "customer", "reject_sign_off", NULL, "rework");
    path_staff(&p, &p.desk,
               json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                         (json_int_t)p.tech),
               "assigned");
    path_behalf(&p, "technician", "arrive", NULL, "on_site");
    /* each event takes only its own fields */
    path_event(&p, &p.desk,
               json_pack("{s:s, s:s, s:s, s:I}", "event", "complete_work",
                         "on_behalf_of", "technician", "reason", PHONED,
                         "technician_id", (json_int_t)p.tech),
               400, &r);
    e2e_expect_error(&r, 400, "unknown_field", "technician_id");
    e2e_reply_release(&r);
    /* the decision of the first visit stands on the return visit */
    path_finish(&p, "OLD-5");
    path_expect_trail(&p, trail);
    path_release(&p);
}
END_TEST

START_TEST(unanswered_quote_expires)
{
    static const char *const trail[] = {TO_SITE, "issue_quote", "expire_quote",
                                        "return_unrepaired", NULL};
    struct path p;
    json_t *job = NULL;
    int i;

    path_setup(&p, "regular", 900, 3, 0);
    path_to_site(&p);
    path_issue_quote(&p);
    /* --quote-ttl 1 --sweep-ms 100: bounded wait for the scheduler */
    for (i = 0; i < 100; i++) {
        json_decref(job);
        job = path_get(&p.desk, "/api/v1/jobs/%lld", p.job);
        if (!strcmp(json_string_value(json_object_get(job, "status")),
                    "returned_unrepaired"))
            break;
        usleep(50 * 1000);
    }
    ck_assert_str_eq(json_string_value(json_object_get(job, "status")),
                     "returned_unrepaired");
    json_decref(job);
    path_expect_stock(&p, 3, 0);
    path_expect_trail(&p, trail);
    path_release(&p);
}
END_TEST

START_TEST(maintenance_entitlement_counts_down)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char serial[40];
    struct path p;
    json_t *e;

    path_setup(&p, "regular", 200, 3, 0);
    e2e_unique(serial, sizeof serial, "SN");
    e2e_create(&p.desk, "/api/v1/assets",
               json_pack("{s:I, s:s, s:s, s:i}", "customer_id",
                         (json_int_t)p.cust, "model", "CF-200", "serial",
                         serial, "units", 12));
    e = path_get(&p.desk, "/api/v1/customers/%lld/entitlement", p.cust);
    ck_assert_int_eq(path_figure(e, NULL, "units_held"), 13);
    ck_assert_int_eq(path_figure(e, NULL, "visits_per_year"), 1);
    ck_assert_int_eq(path_figure(e, NULL, "visits_left"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(e, "basis")),
                     "units_held_10");
    json_decref(e);
    p.job = e2e_create(&p.desk, "/api/v1/jobs",
                       json_pack("{s:I, s:I, s:s}", "customer_id",
                                 (json_int_t)p.cust, "asset_id",
                                 (json_int_t)p.asset, "kind", "maintenance"));
    path_to_site(&p);
    path_behalf(&p, "technician", "decide_in_warranty", NULL, "in_warranty");
    path_behalf(&p, "technician", "complete_work", NULL, "work_done");
    e = path_get(&p.desk, "/api/v1/customers/%lld/entitlement", p.cust);
    ck_assert_int_eq(path_figure(e, NULL, "visits_used"), 1);
    ck_assert_int_eq(path_figure(e, NULL, "visits_left"), 0);
    json_decref(e);
    e2e_get(&p.desk, "/api/v1/customers/999999/entitlement", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    path_release(&p);
}
END_TEST

static void setup_fast_expiry(void)
{
    static const char *const args[] = {"--quote-ttl", "1", "--sweep-ms", "100",
                                       NULL};
    e2e_setup_with(args);
}

Suite *e2e_paths_suite(void)
{
    Suite *s = suite_create("e2e_paths");
    TCase *tc = tcase_create("paths");
    TCase *exp = tcase_create("expiry");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, in_warranty_repair);
    tcase_add_test(tc, early_failure_gets_a_replacement);
    tcase_add_test(tc, quote_approved_then_invoiced_and_paid);
    tcase_add_test(tc, quote_declined_returns_the_unit);
    tcase_add_test(tc, parts_approved_back_ordered_then_arrive);
    tcase_add_test(tc, follow_up_visit_keeps_parts_and_technician);
    tcase_add_test(tc, rejected_sign_off_goes_to_rework);
    tcase_add_test(tc, maintenance_entitlement_counts_down);
    suite_add_tcase(s, tc);
    tcase_set_timeout(exp, 60);
    tcase_add_unchecked_fixture(exp, setup_fast_expiry, e2e_teardown);
    tcase_add_test(exp, unanswered_quote_expires);
    suite_add_tcase(s, exp);
    return s;
}
