/*
 * e2e_snapshot.c - a job as a technician's phone receives it (PROTOCOL.md
 * section 8), through the real server and the device SDK: the company's
 * time zone and currency, the call-out fee the customer accepted, each
 * part line's list price, the live quote with its lines, status and
 * total, and the job's history, the technician's note among it, named
 * after who did each thing.  fsd-tech show --json prints the same.
 */
#include "device.h"
#include "fixture.h"
#include "paths.h"
#include "sdk_device.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The company in Berlin's zone, pricing in CHF, with a call-out fee. */
static void company_abroad(void)
{
    struct e2e_client admin;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_as_role(&admin, "admin", NULL);
    e2e_request(&admin, "PATCH", "/api/v1/company",
                "{\"timezone\":\"Europe/Berlin\",\"currency\":\"CHF\","
                "\"callout_fee_minor\":4500}",
                NULL, &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    e2e_client_release(&admin);
}

/* A repair of a unit bought in 2019 needing one of part, booked with the
 * call-out fee accepted and assigned to tech. */
static int64_t old_unit_job(struct e2e_client *desk, int64_t tech, int64_t part)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char serial[40], path[64];
    int64_t cust = e2e_create(desk, "/api/v1/customers",
                              json_pack("{s:s}", "name", "Harbour Cafe"));
    int64_t asset, job;

    e2e_unique(serial, sizeof serial, "SN");
    asset = e2e_create(desk, "/api/v1/assets",
                       json_pack("{s:I, s:s, s:s, s:s}", "customer_id",
                                 (json_int_t)cust, "model", "IM-4", "serial",
                                 serial, "purchase_date", "2019-05-01"));
    job = e2e_create(desk, "/api/v1/jobs",
                     json_pack("{s:I, s:I, s:s, s:[{s:I, s:i}]}", "customer_id",
                               (json_int_t)cust, "asset_id", (json_int_t)asset,
                               "kind", "repair", "parts", "part_id",
                               (json_int_t)part, "quantity", 1));
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(desk, "POST", path,
             json_pack("{s:s, s:b}", "event", "book", "accept_callout", 1), &r);
    e2e_expect_status(&r, 200);
    e2e_send(desk, "POST", path,
             json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                       (json_int_t)tech),
             &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    return job;
}

struct seen {
    int found;
    char timezone[64], currency[4], quote_status[16], note_by[64];
    char quote_kinds[64], arrive_text[80], quote_link[64];
    int64_t callout, part_price, quote_total, quote_expires;
    size_t history, quote_lines;
};

static void on_detail(const struct fsd_job_detail *d, void *arg)
{
    struct seen *s = arg;

    s->found = 1;
    snprintf(s->timezone, sizeof s->timezone, "%s", d->job.timezone);
    snprintf(s->currency, sizeof s->currency, "%s", d->job.currency);
    s->callout = d->job.callout_minor;
    s->part_price = d->nparts == 1 ? d->parts[0].price_minor : -1;
    snprintf(s->quote_status, sizeof s->quote_status, "%s", d->quote_status);
    snprintf(s->quote_link, sizeof s->quote_link, "%s", d->quote_link);
    s->quote_total = d->quote_total_minor;
    s->quote_expires = d->quote_expires_at;
    s->quote_lines = d->nquote_lines;
    for (size_t i = 0; i < d->nquote_lines; i++)
        snprintf(s->quote_kinds + strlen(s->quote_kinds),
                 sizeof s->quote_kinds - strlen(s->quote_kinds), "%s%s",
                 i ? "," : "", d->quote_lines[i].kind);
    s->history = d->nhistory;
    for (size_t i = 0; i < d->nhistory; i++) {
        if (!strcmp(d->history[i].kind, "note") &&
            !strcmp(d->history[i].text, "Gate code 4411"))
            snprintf(s->note_by, sizeof s->note_by, "%s", d->history[i].by);
        if (!strcmp(d->history[i].kind, "arrive"))
            snprintf(s->arrive_text, sizeof s->arrive_text, "%s",
                     d->history[i].text);
        /* oldest first */
        if (i > 0)
            ck_assert_int_ge(d->history[i].at, d->history[i - 1].at);
    }
}

START_TEST(the_snapshot_carries_what_the_phone_shows)
{
    struct e2e_client desk, mgr;
    struct seen s;
    fsd_client *c;
    char code[16], store[300], errbuf[200], sku[32];
    int64_t tech = make_technician(), part, job;

    company_abroad();
    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&mgr, "manager", NULL);
    e2e_unique(sku, sizeof sku, "PUMP");
    part = e2e_create(&mgr, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i, s:[{s:s, s:i}]}", "sku",
                                sku, "name", "Drain pump", "cost_minor", 1800,
                                "price_minor", 3900, "stock", "location",
                                "warehouse", "quantity", 1));
    job = old_unit_job(&desk, tech, part);
    new_code(&desk, tech, code, sizeof code);
    snprintf(store, sizeof store, "%s/snapshot-%lld.db", e2e_srv.dir,
             (long long)tech);
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    ck_assert_int_eq(fsd_enroll(c, e2e_srv.base, code, "phone"), FSD_OK);
    ck_assert_int_eq(fsd_arrive(c, (uint64_t)job), FSD_OK);
    ck_assert_int_eq(fsd_note(c, (uint64_t)job, "Gate code 4411"), FSD_OK);
    {
        const struct fsd_line lines[] = {
            {"part", "Drain pump", 1, 3900, (uint64_t)part},
            {"labour", "Labour", 1, 4500, 0}};
        const struct fsd_findings f = {1, 0, 0, 0};
        ck_assert_int_eq(fsd_quote(c, (uint64_t)job, &f, lines, 2), FSD_OK);
    }
    ck_assert_msg(fsd_sync(c, NULL) == FSD_OK, "%s", fsd_last_error(c));
    ck_assert_str_eq(job_status(&desk, job), "quoted");

    memset(&s, 0, sizeof s);
    ck_assert_int_eq(fsd_job_detail(c, (uint64_t)job, on_detail, &s), FSD_OK);
    ck_assert_int_eq(s.found, 1);
    ck_assert_str_eq(s.timezone, "Europe/Berlin");
    ck_assert_str_eq(s.currency, "CHF");
    ck_assert_int_eq(s.callout, 4500);
    ck_assert_int_eq(s.part_price, 3900);
    ck_assert_str_eq(s.quote_status, "pending");
    ck_assert_uint_eq(s.quote_lines, 2);
    ck_assert_str_eq(s.quote_kinds, "part,labour");
    ck_assert_int_eq(s.quote_total, 8400);
    ck_assert_int_gt(s.quote_expires, 0);
    ck_assert_str_eq(s.quote_link, ""); /* tokens are kept hashed only */
    ck_assert_str_eq(s.note_by, "Mei");
    ck_assert_str_eq(s.arrive_text, "assigned \xe2\x86\x92 on_site");
    /* create, book, reserve, assign, arrive, note, quote */
    ck_assert_uint_ge(s.history, 6);
    ck_assert_int_eq(fsd_job_detail(c, 999999999, on_detail, &s),
                     FSD_ERR_INVALID);
    ck_assert_str_eq(fsd_last_error(c), "job 999999999 is not on this device");
    fsd_close(c);
    e2e_client_release(&desk);
    e2e_client_release(&mgr);
}
END_TEST

START_TEST(fsd_tech_shows_the_same)
{
    struct e2e_client desk;
    fsd_client *c;
    char store[300], args[64], out[8000];
    int64_t tech, job;
    json_t *j, *h, *e;
    size_t i;
    char bought[11];
    int note = 0;

    company_abroad();
    e2e_as_role(&desk, "dispatcher", NULL);
    /* in warranty: no call-out fee */
    path_days_ago(30, bought);
    c = sdk_device(&desk, bought, &tech, &job, store, sizeof store);
    ck_assert_int_eq(fsd_note(c, (uint64_t)job, "dog on site"), FSD_OK);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_OK);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_OK);
    fsd_close(c);
    snprintf(args, sizeof args, "--json show %lld", (long long)job);
    ck_assert_int_eq(tech_cli(store, args, out, sizeof out), 0);
    j = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "currency")), "CHF");
    ck_assert_str_eq(json_string_value(json_object_get(j, "timezone")),
                     "Europe/Berlin");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "callout_minor")),
                     0);
    ck_assert(json_is_null(json_object_get(j, "quote")));
    h = json_object_get(j, "history");
    json_array_foreach(
        h, i, e) if (!strcmp(json_string_value(json_object_get(e, "kind")),
                             "note")) note =
        !strcmp(json_string_value(json_object_get(e, "text")), "dog on site") &&
        !strcmp(json_string_value(json_object_get(e, "by")), "Mei");
    ck_assert_int_eq(note, 1);
    json_decref(j);
    e2e_client_release(&desk);
}
END_TEST

Suite *e2e_snapshot_suite(void)
{
    Suite *s = suite_create("e2e_snapshot");
    TCase *tc = tcase_create("snapshot");

    /* the company abroad: a server of its own */
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, the_snapshot_carries_what_the_phone_shows);
    tcase_add_test(tc, fsd_tech_shows_the_same);
    suite_add_tcase(s, tc);
    return s;
}
