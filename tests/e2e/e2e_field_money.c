/*
 * e2e_field_money.c - what the technician records reaches the customer's
 * bill, through the real device client (fsd-tech on the C SDK's store).
 *
 * The device shows the unit's purchase date and what the warranty rule
 * expects before the visit.  An out-of-warranty repair: the technician
 * quotes a catalogue part and
 * labour on site; once the customer approves, the part is reserved for
 * the job without anyone re-keying it, the technician fits it on the same
 * visit and records the labour with the outcome, and the invoice charges
 * exactly the approved part and labour.  An approved part out of stock
 * waits; the visit ends for want of it, and when it arrives it is held
 * for the return visit, which is then booked with its part reserved.
 *
 * The call-out fee: a repair whose unit is out of warranty carries the
 * company's fee, which the customer's link shows with the reason and
 * which the customer must accept to book; the invoice charges it even
 * when the customer then declines the repair quote.
 */
#include "berlin.h"
#include "device.h"
#include "fixture.h"
#include "paths.h"
#include "sdk_device.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

/* POST an event on job as c with body (stolen); the job's new status. */
static void desk_event(struct e2e_client *c, int64_t job, json_t *body,
                       const char *status)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[64];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(c, "POST", path, body, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     status);
    e2e_reply_release(&r);
}

/* Run fsd-tech with the formatted job command, then sync; both succeed. */
static void on_device(const char *store, const char *args)
{
    char out[2000];

    ck_assert_msg(tech_cli(store, args, out, sizeof out) == 0, "%s", args);
    ck_assert_int_eq(tech_cli(store, "sync", out, sizeof out), 0);
}

/* The job's invoice has these amounts (minor units). */
static void expect_invoice(struct e2e_client *c, int64_t job, int64_t parts,
                           int64_t labour, int64_t callout, int64_t total)
{
    json_t *rec = path_get(c, "/api/v1/jobs/%lld/record", job);
    const json_t *inv = json_object_get(rec, "invoice");

    ck_assert_int_eq(json_integer_value(json_object_get(inv, "parts_minor")),
                     parts);
    ck_assert_int_eq(json_integer_value(json_object_get(inv,
                                                        "labour_minor")),
                     labour);
    ck_assert_int_eq(json_integer_value(json_object_get(inv,
                                                        "callout_minor")),
                     callout);
    ck_assert_int_eq(json_integer_value(json_object_get(inv, "total_minor")),
                     total);
    json_decref(rec);
}

START_TEST(approved_parts_and_labour_reach_the_invoice)
{
    struct e2e_client desk, mgr;
    fsd_client *c;
    char store[300], sku[32], args[300], out[2000];
    int64_t tech, job, pump;
    json_t *j, *line;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&mgr, "manager", NULL);
    e2e_unique(sku, sizeof sku, "PUMP");
    pump = e2e_create(&mgr, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i, s:[{s:s, s:i}]}", "sku",
                                sku, "name", "Drain pump", "cost_minor",
                                1800, "price_minor", 3900, "stock",
                                "location", "warehouse", "quantity", 1));
    /* bought in 2019: out of warranty, as the device says before the visit */
    c = sdk_device(&desk, "2019-05-01", &tech, &job, store, sizeof store);
    fsd_close(c);
    snprintf(args, sizeof args, "--json show %lld", (long long)job);
    ck_assert_int_eq(tech_cli(store, args, out, sizeof out), 0);
    j = json_loads(out, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(j, "asset"), "purchase_date")),
                     "2019-05-01");
    ck_assert_str_eq(json_string_value(json_object_get(j,
                                                       "expected_warranty")),
                     "out_of_warranty");
    ck_assert_str_eq(json_string_value(json_object_get(
                         j, "expected_warranty_reason")),
                     "warranty ended on 2020-04-30");
    json_decref(j);
    snprintf(args, sizeof args, "arrive %lld", (long long)job);
    on_device(store, args);
    snprintf(args, sizeof args,
             "quote %lld --line 'part=%lld:1:3900:Drain pump'"
             " --line labour:1:4500:Labour --findings liquid",
             (long long)job, (long long)pump);
    on_device(store, args);
    ck_assert_str_eq(job_status(&desk, job), "quoted");
    desk_event(&desk, job,
               json_pack("{s:s, s:s, s:s}", "event", "approve_quote",
                         "on_behalf_of", "customer", "reason", PHONED),
               "quote_approved");
    /* the approved part is the job's, reserved, with nobody re-keying */
    j = path_get(&desk, "/api/v1/jobs/%lld", job);
    line = json_array_get(json_object_get(j, "parts"), 0);
    ck_assert_int_eq(json_array_size(json_object_get(j, "parts")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(line, "part_id")),
                     pump);
    ck_assert_str_eq(json_string_value(json_object_get(line, "state")),
                     "reserved");
    json_decref(j);
    /* fitted on the same visit, the labour recorded with the outcome */
    on_device(store, "sync");
    snprintf(args, sizeof args, "parts %lld --sku %s --serial NEW-9",
             (long long)job, sku);
    on_device(store, args);
    snprintf(args, sizeof args,
             "outcome %lld completed --notes 'pump replaced'"
             " --labour 1:4500:Labour",
             (long long)job);
    on_device(store, args);
    ck_assert_str_eq(job_status(&desk, job), "work_done");
    desk_event(&desk, job,
               json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "event",
                         "sign_off", "on_behalf_of", "customer", "reason",
                         PHONED, "customer_name", "Ms. Lin", "signature",
                         SIGNATURE, "rating", 5),
               "signed_off");
    desk_event(&mgr, job, json_pack("{s:s}", "event", "review"), "reviewed");
    desk_event(&mgr, job, json_pack("{s:s}", "event", "close"), "closed");
    expect_invoice(&desk, job, 3900, 4500, 0, 8400);
    e2e_client_release(&desk);
    e2e_client_release(&mgr);
}
END_TEST

START_TEST(approved_parts_out_of_stock_are_held_for_the_return_visit)
{
    struct e2e_client desk, mgr;
    struct e2e_reply r = E2E_REPLY_INIT;
    fsd_client *c;
    char store[300], sku[32], args[300], path[80];
    int64_t tech, job, motor;
    json_t *j;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&mgr, "manager", NULL);
    e2e_unique(sku, sizeof sku, "MOTOR");
    motor = e2e_create(&mgr, "/api/v1/parts",
                       json_pack("{s:s, s:s, s:i, s:i}", "sku", sku, "name",
                                 "Drum motor", "cost_minor", 9000,
                                 "price_minor", 16000));
    c = sdk_device(&desk, "2019-05-01", &tech, &job, store, sizeof store);
    fsd_close(c);
    snprintf(args, sizeof args, "arrive %lld", (long long)job);
    on_device(store, args);
    snprintf(args, sizeof args, "quote %lld --line 'part=%lld:1:16000:Drum"
             " motor' --findings impact", (long long)job, (long long)motor);
    on_device(store, args);
    desk_event(&desk, job,
               json_pack("{s:s, s:s, s:s}", "event", "approve_quote",
                         "on_behalf_of", "customer", "reason", PHONED),
               "quote_approved");
    /* none in stock: the line waits, the visit ends for want of it */
    j = path_get(&desk, "/api/v1/jobs/%lld", job);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(j, "parts"), 0),
                         "state")),
                     "needed");
    json_decref(j);
    snprintf(args, sizeof args, "outcome %lld parts_missing --notes 'motor"
             " ordered'", (long long)job);
    on_device(store, args);
    ck_assert_str_eq(job_status(&desk, job), "follow_up_needed");
    /* the motor arrives: held for the return visit at once */
    snprintf(path, sizeof path, "/api/v1/parts/%lld/receive",
             (long long)motor);
    e2e_send(&mgr, "POST", path, json_pack("{s:i}", "quantity", 1), &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_integer_value(json_array_get(
                         json_object_get(r.json, "jobs_reserved"), 0)),
                     job);
    e2e_reply_release(&r);
    j = path_get(&desk, "/api/v1/jobs/%lld", job);
    ck_assert_str_eq(json_string_value(json_object_get(j, "status")),
                     "follow_up_needed");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(j, "parts"), 0),
                         "state")),
                     "reserved");
    json_decref(j);
    desk_event(&desk, job, json_pack("{s:s}", "event", "book"),
               "parts_reserved");
    e2e_client_release(&desk);
    e2e_client_release(&mgr);
}
END_TEST

/* A repair at a new Berlin customer of Jonas's skill, for a unit bought
 * in 2019, with a booking link (token). */
static int64_t old_unit_repair(struct berlin *b, char *token, size_t n)
{
    char serial[40];
    int64_t link, cust = e2e_create(&b->desk, "/api/v1/customers",
                                    json_pack("{s:s, s:f, s:f, s:s}", "name",
                                              "Wedding Bakery", "lat", 52.54,
                                              "lon", 13.36, "timezone",
                                              "Europe/Berlin"));
    int64_t asset;

    e2e_unique(serial, sizeof serial, "OVEN");
    asset = e2e_create(&b->desk, "/api/v1/assets",
                       json_pack("{s:I, s:s, s:s, s:s}", "customer_id",
                                 (json_int_t)cust, "model", "Deck oven",
                                 "serial", serial, "purchase_date",
                                 "2019-05-01"));
    b->job = e2e_create(
        &b->desk, "/api/v1/jobs",
        json_pack("{s:I, s:I, s:s, s:i, s:[{s:s, s:i}]}", "customer_id",
                  (json_int_t)cust, "asset_id", (json_int_t)asset, "kind",
                  "repair", "duration_minutes", 60, "required_skills",
                  "skill", b->skill, "level", 2));
    make_link(b, &link, token, n);
    return b->job;
}

static long confirm_with(const char *token, const char *start, int accept,
                         struct e2e_reply *r)
{
    return public_post(token, "confirm",
                       json_pack("{s:s, s:b}", "start", start,
                                 "accept_callout", accept),
                       r);
}

START_TEST(the_callout_fee_is_accepted_before_booking_and_charged)
{
    struct berlin b;
    struct e2e_client admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    char token[64], start[32];
    const json_t *callout;
    json_t *j;
    int64_t job;

    berlin_open(&b);
    e2e_as_role(&admin, "admin", NULL);
    e2e_request(&admin, "PATCH", "/api/v1/company",
                "{\"callout_fee_minor\":4500,\"phone\":\"+49 30 1234567\"}",
                NULL, &r);
    e2e_expect_status(&r, 200);
    job = old_unit_repair(&b, token, sizeof token);
    public_get(token, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "job"), "company_phone")),
                     "+49 30 1234567");
    callout = json_object_get(r.json, "callout");
    ck_assert_int_eq(json_integer_value(json_object_get(callout,
                                                        "fee_minor")),
                     4500);
    ck_assert_str_eq(json_string_value(json_object_get(callout, "currency")),
                     "EUR");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
                                     callout, "reason")),
                                 "2020"));
    snprintf(start, sizeof start, "%s",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(r.json, "slots"), 0),
                 "start")));
    /* not accepted: not booked */
    ck_assert_int_eq(confirm_with(token, start, 0, &r), 409);
    e2e_expect_error(&r, 409, "callout_not_accepted", "accept_callout");
    ck_assert_str_eq(e2e_error_message(&r),
                     "this visit carries a call-out fee of EUR 45.00 because"
                     " warranty ended on 2020-04-30; the customer accepts it"
                     " before the visit is booked");
    ck_assert_str_eq(job_status(&b.desk, job), "slots_offered");
    ck_assert_int_eq(confirm_with(token, start, 1, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "assigned");
    j = path_get(&b.desk, "/api/v1/jobs/%lld", job);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "callout_minor")),
                     4500);
    json_decref(j);
    public_get(token, &r);
    ck_assert(json_is_null(json_object_get(r.json, "callout")));

    /* on site: out of warranty, and the customer declines the repair */
    desk_event(&b.desk, job,
               json_pack("{s:s, s:s, s:s}", "event", "arrive", "on_behalf_of",
                         "technician", "reason", PHONED),
               "on_site");
    desk_event(&b.desk, job,
               json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:i, s:i}]}",
                         "event", "issue_quote", "on_behalf_of", "technician",
                         "reason", PHONED, "lines", "kind", "labour",
                         "description", "New burner", "quantity", 1,
                         "unit_price_minor", 30000),
               "quoted");
    desk_event(&b.desk, job,
               json_pack("{s:s, s:s, s:s}", "event", "decline_quote",
                         "on_behalf_of", "customer", "reason", PHONED),
               "quote_declined");
    desk_event(&b.desk, job,
               json_pack("{s:s, s:s}", "event", "return_unrepaired", "reason",
                         "the customer keeps the old oven"),
               "returned_unrepaired");
    desk_event(&b.mgr, job, json_pack("{s:s}", "event", "close"), "closed");
    expect_invoice(&b.desk, job, 0, 0, 4500, 4500);
    e2e_reply_release(&r);
    e2e_client_release(&admin);
    berlin_close(&b);
}
END_TEST

Suite *e2e_field_money_suite(void)
{
    Suite *s = suite_create("e2e_field_money");
    TCase *tc = tcase_create("field_money");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, approved_parts_and_labour_reach_the_invoice);
    tcase_add_test(tc, approved_parts_out_of_stock_are_held_for_the_return_visit);
    suite_add_tcase(s, tc);
    /* the company's fee applies to every job: a server of its own */
    tc = tcase_create("callout");
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, the_callout_fee_is_accepted_before_booking_and_charged);
    suite_add_tcase(s, tc);
    return s;
}
