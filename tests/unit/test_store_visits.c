/*
 * test_store_visits.c - the visit records a job collects, through the
 * store: quote expiry against an injected clock (directly and through the
 * scheduler thread), quote revision, the unpaid-balance rule, sign-off
 * hashes, parts used beyond the reservation, and part lines that hold
 * stock.
 *
 * Events are parsed from JSON the way the API parses them (job_input.c),
 * so the typed bodies are exercised too.  Every refused event is checked
 * to change nothing.
 */
#include "api/job_input.h"
#include "common/sec.h"
#include "rules/job.h"
#include "scheduler.h"
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TECH "\"on_behalf_of\":\"technician\",\"reason\":\"phoned in\""
#define CUST "\"on_behalf_of\":\"customer\",\"reason\":\"phoned in\""

static int64_t customer, part, tech;

/* json as compact text in out (json is stolen). */
static const char *text_of(json_t *json, char *out, size_t size)
{
    char *t = json_dumps(json, JSON_COMPACT);

    ck_assert_ptr_nonnull(t);
    ck_assert_uint_lt(strlen(t), size);
    memcpy(out, t, strlen(t) + 1);
    free(t);
    json_decref(json);
    return out;
}

static void setup(void)
{
    char text[200], day[11];
    time_t t = time(NULL) - 200 * 86400;
    struct tm tm;

    tu_store_setup();
    customer = tu_create(tu_st, &res_customer, "{\"name\":\"Jade\"}");
    tu_create(tu_st, &res_asset,
              "{\"customer_id\":1,\"model\":\"CF\",\"serial\":\"S1\","
              "\"purchase_date\":\"2020-01-01\"}");
    part = tu_create(tu_st, &res_part,
                     "{\"sku\":\"CMP\",\"name\":\"Compressor\","
                     "\"cost_minor\":100,\"price_minor\":200,\"stock\":"
                     "[{\"location\":\"warehouse\",\"quantity\":5}]}");
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    /* asset 2: in warranty */
    tu_create(tu_st, &res_asset,
              text_of(json_pack("{s:i, s:s, s:s, s:s}", "customer_id", 1,
                                "model", "CF", "serial", "S2",
                                "purchase_date", day),
                      text, sizeof text));
    tech = tu_create(tu_st, &res_technician,
                     "{\"name\":\"Wei\",\"start_lat\":1,\"start_lon\":2}");
}

/* Apply the event in json as a staff member of role; 0 or the error. */
static int ev(int64_t job, unsigned role, const char *json, struct err *err)
{
    json_t *body = json_loads(json, 0, NULL), *vals = NULL, *row = NULL;
    struct job_event_req r = {0};
    struct actor who = tu_actor;
    int rc;

    ck_assert_ptr_nonnull(body);
    err_clear(err);
    rc = job_input_parse(body, role, &r, &vals, &who.reason, err);
    if (rc == 0)
        rc = store_job_event(tu_st, job, &r, &who, &row, err);
    json_decref(row);
    json_decref(vals);
    json_decref(body);
    return rc;
}

static void ok(int64_t job, unsigned role, const char *json)
{
    struct err err = ERR_INIT;

    ck_assert_msg(ev(job, role, json, &err) == 0, "%s: %s", json, err.msg);
}

static int64_t q(const char *fmt, int64_t id)
{
    char sql[300];

    snprintf(sql, sizeof sql, fmt, (long long)id);
    return tu_count(tu_db, sql);
}

#define STATUS_IS(job, s)                                                   \
    ck_assert_int_eq(q("SELECT count(*) FROM jobs WHERE id = %lld"         \
                       " AND status = '" s "'", job), 1)

/* A job on asset 1 (bought 2020, out of warranty) or 2 (in warranty)
 * with one compressor, the technician on site. */
static int64_t on_site_with(int asset)
{
    char assign[80], text[120];
    int64_t job;

    job = tu_create(tu_st, &res_job,
                    text_of(json_pack("{s:i, s:i, s:s, s:[{s:i, s:i}]}",
                                      "customer_id", 1, "asset_id", asset,
                                      "kind", "repair", "parts", "part_id",
                                      1, "quantity", 1),
                            text, sizeof text));
    text_of(json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                      (json_int_t)tech),
            assign, sizeof assign);
    ok(job, JR_DISPATCHER, "{\"event\":\"book\"}"); /* reserves */
    ok(job, JR_DISPATCHER, assign);
    ok(job, JR_DISPATCHER, "{\"event\":\"arrive\"," TECH "}");
    return job;
}

static int64_t on_site(void)
{
    return on_site_with(1);
}

static const char quote_json[] =
    "{\"event\":\"issue_quote\"," TECH ",\"liquid\":true,\"lines\":["
    "{\"kind\":\"part\",\"description\":\"compressor\",\"quantity\":1,"
    "\"unit_price_minor\":200},{\"kind\":\"callout\",\"description\":"
    "\"call-out\",\"quantity\":1,\"unit_price_minor\":50}]}";

static int64_t issued_at(int64_t job)
{
    return q("SELECT issued_at FROM quotes WHERE job_id = %lld"
             " AND status = 'pending'", job);
}

START_TEST(quote_expires_exactly_at_its_ttl)
{
    struct err err = ERR_INIT;
    int64_t job = on_site(), at;
    int n = -1;

    ok(job, JR_DISPATCHER, quote_json);
    at = issued_at(job);
    ck_assert_int_eq(store_quotes_expire(tu_st, at + 86399, &n, &err), 0);
    ck_assert_int_eq(n, 0);
    STATUS_IS(job, "quoted");
    ck_assert_int_eq(store_quotes_expire(tu_st, at + 86400, &n, &err), 0);
    ck_assert_int_eq(n, 1);
    STATUS_IS(job, "returned_unrepaired");
    ck_assert_int_eq(q("SELECT count(*) FROM quotes WHERE job_id = %lld"
                       " AND status = 'expired' AND answered_by = 'system'",
                       job), 1);
    ck_assert_int_eq(q("SELECT count(*) FROM audit_events WHERE entity_id ="
                       " %lld AND actor = 'system' AND action IN"
                       " ('expire_quote', 'return_unrepaired')", job), 2);
    ck_assert_int_eq(q("SELECT reserved FROM stock WHERE part_id = %lld",
                       part), 0);
    ck_assert_int_eq(store_quotes_expire(tu_st, at + 999999, &n, &err), 0);
    ck_assert_int_eq(n, 0);
}
END_TEST

struct fake_clock {
    int64_t now;
};

static int64_t fake_now(void *arg)
{
    return ((struct fake_clock *)arg)->now;
}

/* Wait (bounded) for the scheduler to complete n more ticks. */
static void wait_ticks(struct scheduler *s, long n)
{
    long want = scheduler_ticks(s) + n;

    for (int i = 0; i < 500 && scheduler_ticks(s) < want; i++)
        usleep(10 * 1000);
    ck_assert_int_ge(scheduler_ticks(s), want);
}

START_TEST(scheduler_expires_by_its_clock)
{
    int64_t job = on_site();
    struct fake_clock clock;
    struct scheduler *s;

    ok(job, JR_DISPATCHER, quote_json);
    clock.now = issued_at(job) + 86399;
    s = scheduler_start(tu_st, 20, fake_now, &clock);
    ck_assert_ptr_nonnull(s);
    wait_ticks(s, 2);
    STATUS_IS(job, "quoted");
    scheduler_stop(s);
    clock.now += 1;
    s = scheduler_start(tu_st, 20, fake_now, &clock);
    wait_ticks(s, 2);
    scheduler_stop(s);
    STATUS_IS(job, "returned_unrepaired");
}
END_TEST

START_TEST(a_second_quote_needs_a_manager_and_a_reason)
{
    struct err err = ERR_INIT;
    int64_t job = on_site();
    static const char revise[] =
        "{\"event\":\"issue_quote\",\"lines\":[{\"kind\":\"labour\","
        "\"description\":\"goodwill\",\"quantity\":1,"
        "\"unit_price_minor\":0}]}";

    ok(job, JR_DISPATCHER, quote_json);
    ck_assert_int_eq(ev(job, JR_DISPATCHER, quote_json, &err),
                     ERR_FORBIDDEN);
    ck_assert_str_eq(err.code, "role_not_allowed");
    ck_assert_int_eq(ev(job, JR_MANAGER, revise, &err), ERR_INVALID);
    ck_assert_str_eq(err.code, "missing_field");
    ck_assert_str_eq(err.msg, "a revised quote needs a reason");
    ck_assert_int_eq(q("SELECT count(*) FROM quotes WHERE job_id = %lld",
                       job), 1);
    ok(job, JR_MANAGER,
       "{\"event\":\"issue_quote\",\"reason\":\"supervisor waived it\","
       "\"lines\":[{\"kind\":\"labour\",\"description\":\"goodwill\","
       "\"quantity\":1,\"unit_price_minor\":0}]}");
    ck_assert_int_eq(q("SELECT count(*) FROM quotes WHERE job_id = %lld"
                       " AND status = 'superseded'", job), 1);
    ck_assert_int_eq(q("SELECT total_minor FROM quotes WHERE job_id = %lld"
                       " AND status = 'pending'", job), 0);
}
END_TEST

static void exec(const char *sql)
{
    sqlite3 *db;

    ck_assert_int_eq(sqlite3_open(tu_db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

START_TEST(unpaid_balance_blocks_regular_customers_only)
{
    struct err err = ERR_INIT;
    int64_t old = tu_create(tu_st, &res_job,
                            "{\"customer_id\":1,\"kind\":\"repair\"}");
    int64_t job = on_site();
    json_t *vals, *row = NULL;
    char sql[200];

    snprintf(sql, sizeof sql,
             "INSERT INTO invoices(job_id, customer_id, lines, parts_minor,"
             " labour_minor, callout_minor, total_minor, issued_at)"
             " VALUES (%lld, 1, '[]', 700, 0, 0, 700, 1)", (long long)old);
    exec(sql);
    ok(job, JR_DISPATCHER, quote_json);
    ck_assert_int_eq(ev(job, JR_DISPATCHER,
                        "{\"event\":\"approve_quote\"," CUST "}", &err),
                     ERR_CONFLICT);
    ck_assert_str_eq(err.code, "unpaid_balance");
    ck_assert_str_eq(err.msg, "the customer owes 700 (minor units) for"
                              " earlier work; a regular customer settles"
                              " that before a new quote is approved");
    STATUS_IS(job, "quoted");
    vals = tu_vals(&res_customer, JPARSE_PATCH, "{\"tier\":\"key_account\"}");
    ck_assert_int_eq(store_res_update(tu_st, &res_customer, customer, vals,
                                      &tu_actor, &row, &err), 0);
    json_decref(vals);
    json_decref(row);
    ok(job, JR_DISPATCHER, "{\"event\":\"approve_quote\"," CUST "}");
    STATUS_IS(job, "quote_approved");
}
END_TEST

START_TEST(sign_off_hashes_what_was_signed)
{
    unsigned char h[SEC_HASH_BYTES];
    char hex[2 * SEC_HASH_BYTES + 1], sql[300];
    int64_t job = on_site_with(2);
    sqlite3 *db;
    sqlite3_stmt *st;

    ok(job, JR_DISPATCHER, "{\"event\":\"decide_in_warranty\"," TECH "}");
    ok(job, JR_DISPATCHER,
       "{\"event\":\"complete_work\"," TECH ",\"parts_used\":[{\"part_id\":1,"
       "\"quantity\":1,\"serial\":\"N1\",\"faulty_serial\":\"F1\"}]}");
    ok(job, JR_DISPATCHER,
       "{\"event\":\"sign_off\"," CUST ",\"customer_name\":\"Ms. Lin\","
       "\"signature\":\"AAECAwQ=\",\"rating\":4}");
    ck_assert_int_eq(sqlite3_open(tu_db, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                         "SELECT signature, signature_hash, summary,"
                         " summary_hash FROM sign_offs", -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_bytes(st, 0), 5);
    ck_assert_mem_eq(sqlite3_column_blob(st, 0), "\0\1\2\3\4", 5);
    sec_hash(sqlite3_column_blob(st, 0), 5, h);
    ck_assert_mem_eq(sqlite3_column_blob(st, 1), h, SEC_HASH_BYTES);
    sec_hash(sqlite3_column_text(st, 2), (size_t)sqlite3_column_bytes(st, 2),
             h);
    ck_assert_mem_eq(sqlite3_column_blob(st, 3), h, SEC_HASH_BYTES);
    ck_assert_ptr_nonnull(strstr((const char *)sqlite3_column_text(st, 2),
                                 "\"faulty_serial\":\"F1\""));
    for (int i = 0; i < SEC_HASH_BYTES; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    sqlite3_finalize(st);
    sqlite3_close(db);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_events"
             " WHERE entity_id = %lld AND action = 'sign_off'"
             " AND json_extract(detail, '$.summary_hash') = '%s'",
             (long long)job, hex);
    ck_assert_int_eq(tu_count(tu_db, sql), 1);
    STATUS_IS(job, "signed_off");
}
END_TEST

START_TEST(parts_used_must_be_reserved)
{
    struct err err = ERR_INIT;
    int64_t job = on_site_with(2);

    ok(job, JR_DISPATCHER, "{\"event\":\"decide_in_warranty\"," TECH "}");
    ck_assert_int_eq(ev(job, JR_DISPATCHER,
                        "{\"event\":\"complete_work\"," TECH ",\"parts_used\":"
                        "[{\"part_id\":1,\"quantity\":2}]}", &err),
                     ERR_CONFLICT);
    ck_assert_str_eq(err.code, "exceeds_reserved");
    ck_assert_str_eq(err.field, "parts_used[0].quantity");
    ck_assert_int_eq(ev(job, JR_DISPATCHER,
                        "{\"event\":\"complete_work\"," TECH ",\"parts_used\":"
                        "[{\"part_id\":9,\"quantity\":1}]}", &err),
                     ERR_CONFLICT);
    ck_assert_str_eq(err.code, "part_not_reserved");
    STATUS_IS(job, "in_warranty");
    ck_assert_int_eq(q("SELECT quantity * 10 + reserved FROM stock"
                       " WHERE part_id = %lld", part), 51);
    ck_assert_int_eq(q("SELECT count(*) FROM part_usage WHERE part_id ="
                       " %lld", part), 0);
    ck_assert_int_eq(q("SELECT count(*) FROM visits WHERE job_id = %lld"
                       " AND status = 'open'", job), 1);
}
END_TEST

START_TEST(held_part_lines_cannot_be_replaced)
{
    struct err err = ERR_INIT;
    int64_t job = on_site();
    json_t *vals = tu_vals(&res_job, JPARSE_PATCH,
                           "{\"parts\":[{\"part_id\":1,\"quantity\":3}]}");
    json_t *row = NULL;

    ck_assert_int_eq(store_res_update(tu_st, &res_job, job, vals, &tu_actor,
                                      &row, &err), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "rule_violated");
    ck_assert_str_eq(err.msg, "the job's part lines are reserved or used and"
                              " cannot be replaced");
    json_decref(vals);
    ck_assert_int_eq(q("SELECT reserved FROM stock WHERE part_id = %lld",
                       part), 1);
    ck_assert_int_eq(q("SELECT quantity FROM job_parts WHERE job_id = %lld",
                       job), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_visits");
    TCase *tc = tcase_create("visits");

    tcase_add_checked_fixture(tc, setup, tu_store_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, quote_expires_exactly_at_its_ttl);
    tcase_add_test(tc, scheduler_expires_by_its_clock);
    tcase_add_test(tc, a_second_quote_needs_a_manager_and_a_reason);
    tcase_add_test(tc, unpaid_balance_blocks_regular_customers_only);
    tcase_add_test(tc, sign_off_hashes_what_was_signed);
    tcase_add_test(tc, parts_used_must_be_reserved);
    tcase_add_test(tc, held_part_lines_cannot_be_replaced);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
