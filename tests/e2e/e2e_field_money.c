/*
 * e2e_field_money.c - what the technician records reaches the customer's
 * bill, through the real device client (fsd-tech on the C SDK's store).
 *
 * An out-of-warranty repair: the technician quotes a catalogue part and
 * labour on site; once the customer approves, the part is reserved for
 * the job without anyone re-keying it, the technician fits it on the same
 * visit and records the labour with the outcome, and the invoice charges
 * exactly the approved part and labour.
 */
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

static json_t *get_json(struct e2e_client *c, const char *fmt, int64_t id)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[96];
    json_t *out;

    snprintf(path, sizeof path, fmt, (long long)id);
    e2e_get(c, path, &r);
    e2e_expect_status(&r, 200);
    out = json_incref(r.json);
    e2e_reply_release(&r);
    return out;
}

START_TEST(approved_parts_and_labour_reach_the_invoice)
{
    struct e2e_client desk, mgr;
    fsd_client *c;
    char store[300], sku[32], args[300];
    int64_t tech, job, pump;
    json_t *j, *line, *rec, *inv;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&mgr, "manager", NULL);
    e2e_unique(sku, sizeof sku, "PUMP");
    pump = e2e_create(&mgr, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i, s:[{s:s, s:i}]}", "sku",
                                sku, "name", "Drain pump", "cost_minor",
                                1800, "price_minor", 3900, "stock",
                                "location", "warehouse", "quantity", 1));
    /* bought in 2019: out of warranty */
    c = sdk_device(&desk, "2019-05-01", &tech, &job, store, sizeof store);
    fsd_close(c);
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
    j = get_json(&desk, "/api/v1/jobs/%lld", job);
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
    rec = get_json(&desk, "/api/v1/jobs/%lld/record", job);
    inv = json_object_get(rec, "invoice");
    ck_assert_int_eq(json_integer_value(json_object_get(inv, "parts_minor")),
                     3900);
    ck_assert_int_eq(json_integer_value(json_object_get(inv,
                                                        "labour_minor")),
                     4500);
    ck_assert_int_eq(json_integer_value(json_object_get(inv, "total_minor")),
                     8400);
    json_decref(rec);
    e2e_client_release(&desk);
    e2e_client_release(&mgr);
}
END_TEST

Suite *e2e_field_money_suite(void)
{
    Suite *s = suite_create("e2e_field_money");
    TCase *tc = tcase_create("field_money");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, approved_parts_and_labour_reach_the_invoice);
    suite_add_tcase(s, tc);
    return s;
}
