/*
 * e2e_company.c - the company profile against the real server: every
 * staff role reads it, only an admin changes it, a change reaches what
 * customers see (the quote's currency, the company's name on booking and
 * quote links), the manager's report and the board's default day (today
 * in the company's zone), and bad values are refused with their exact
 * codes and change nothing.
 *
 * The tests share one server and run in order: the first reads the
 * profile a new database starts with, the last changes it.
 */
#include "berlin.h"
#include "fixture.h"
#include "quotes.h"
#include "suites.h"

#include <check.h>
#include <string.h>
#include <time.h>

#define NEW_NAME "Huadong Cooling & Care Service Co., Ltd."

static const char *text_of(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* GET /api/v1/company as c, asserting 200; r keeps the reply. */
static void get_company(struct e2e_client *c, struct e2e_reply *r)
{
    e2e_get(c, "/api/v1/company", r);
    e2e_expect_status(r, 200);
}

/* PATCH /api/v1/company as c with JSON text; returns the status. */
static long patch_company(struct e2e_client *c, const char *text,
                          struct e2e_reply *r)
{
    return e2e_request(c, "PATCH", "/api/v1/company", text, NULL, r);
}

/* The profile is still the one a new database starts with. */
static void expect_untouched(struct e2e_client *c)
{
    struct e2e_reply r = E2E_REPLY_INIT;

    get_company(c, &r);
    ck_assert_str_eq(text_of(r.json, "name"), "Service company");
    ck_assert_str_eq(text_of(r.json, "timezone"), "UTC");
    ck_assert_str_eq(text_of(r.json, "currency"), "EUR");
    ck_assert(json_is_null(json_object_get(r.json, "updated_at")));
    ck_assert_str_eq(text_of(r.json, "phone"), "");
    ck_assert_str_eq(text_of(r.json, "email"), "");
    ck_assert_int_eq(json_integer_value(json_object_get(
                         r.json, "callout_fee_minor")), 0);
    ck_assert_int_eq(json_object_size(r.json), 7);
    e2e_reply_release(&r);
}

START_TEST(every_staff_role_reads_the_profile)
{
    struct e2e_client desk, mgr, anon;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&mgr, "manager", NULL);
    expect_untouched(&desk);
    expect_untouched(&mgr);
    e2e_client_init(&anon, e2e_srv.base);
    e2e_get(&anon, "/api/v1/company", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_reply_release(&r);
    e2e_client_release(&anon);
    e2e_client_release(&desk);
    e2e_client_release(&mgr);
}
END_TEST

START_TEST(only_an_admin_changes_it)
{
    struct e2e_client desk, mgr;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&mgr, "manager", NULL);
    ck_assert_int_eq(patch_company(&desk, "{\"currency\":\"CNY\"}", &r), 403);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    ck_assert_str_eq(error_message(&r),
                     "the dispatcher role may not PATCH /api/v1/company");
    ck_assert_int_eq(patch_company(&mgr, "{\"currency\":\"CNY\"}", &r), 403);
    ck_assert_str_eq(error_message(&r),
                     "the manager role may not PATCH /api/v1/company");
    expect_untouched(&desk);
    e2e_reply_release(&r);
    e2e_client_release(&desk);
    e2e_client_release(&mgr);
}
END_TEST

/* PATCH text as the admin must be 400 code on field with message. */
static void refused(const char *text, const char *code, const char *field,
                    const char *message)
{
    struct e2e_client admin;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_as_admin(&admin);
    ck_assert_int_eq(patch_company(&admin, text, &r), 400);
    e2e_expect_error(&r, 400, code, field);
    ck_assert_str_eq(error_message(&r), message);
    e2e_reply_release(&r);
    e2e_client_release(&admin);
}

START_TEST(bad_values_are_refused_and_change_nothing)
{
    struct e2e_client admin;

    refused("{\"timezone\":\"Asia/Atlantis\"}", "invalid_timezone", "timezone",
            "unknown time zone \"Asia/Atlantis\"");
    refused("{\"currency\":\"cny\"}", "invalid_currency", "currency",
            "currency must be an ISO 4217 code: three capital letters such"
            " as EUR or CNY");
    refused("{\"currency\":\"RMB¥\"}", "invalid_currency", "currency",
            "currency must be an ISO 4217 code: three capital letters such"
            " as EUR or CNY");
    refused("{\"name\":\"\"}", "invalid_length", "name",
            "name must be 1 to 200 bytes long");
    refused("{\"name\":\"Huadong\",\"vat_number\":\"91310000\"}",
            "unknown_field", "vat_number", "unknown field 'vat_number'");
    refused("{\"updated_at\":\"2026-01-01T00:00:00Z\"}", "read_only_field",
            "updated_at", "field 'updated_at' is read-only");
    refused("{}", "empty_patch", NULL, "the body names no field to change");
    refused("{\"callout_fee_minor\":-1}", "out_of_range",
            "callout_fee_minor", "callout_fee_minor must be from 0 to"
            " 100000000");
    refused("{\"phone\":\"0123456789012345678901234567890123456789+\"}",
            "invalid_length", "phone", "phone must be 0 to 40 bytes long");
    e2e_as_admin(&admin);
    expect_untouched(&admin);
    e2e_client_release(&admin);
}
END_TEST

/* The quote behind token as its customer reads it; r keeps it. */
static void read_quote(const char *token, struct e2e_reply *r)
{
    ck_assert_int_eq(public_quote(token, NULL, r), 200);
}

START_TEST(an_admins_change_reaches_quotes_links_and_reports)
{
    struct e2e_client admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct berlin b;
    struct path p;
    char token[64], booking[64];
    int64_t link;

    path_setup(&p, "regular", 900, 3, 0);
    path_to_site(&p);
    path_issue_quote(&p);
    quote_link(&p, token, sizeof token);
    read_quote(token, &r);
    ck_assert_str_eq(text_of(json_object_get(r.json, "quote"), "currency"),
                     "EUR");
    ck_assert_str_eq(text_of(json_object_get(r.json, "job"), "company"),
                     "Service company");

    e2e_as_admin(&admin);
    ck_assert_int_eq(patch_company(&admin,
                                   "{\"name\":\"" NEW_NAME "\","
                                   "\"timezone\":\"Asia/Shanghai\","
                                   "\"currency\":\"CNY\"}",
                                   &r),
                     200);
    ck_assert_str_eq(text_of(r.json, "name"), NEW_NAME);
    ck_assert_str_eq(text_of(r.json, "timezone"), "Asia/Shanghai");
    ck_assert_str_eq(text_of(r.json, "currency"), "CNY");
    ck_assert_uint_eq(strlen(text_of(r.json, "updated_at")), 20);

    /* the quote already issued is now shown in the company's currency */
    read_quote(token, &r);
    ck_assert_str_eq(text_of(json_object_get(r.json, "quote"), "currency"),
                     "CNY");
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(r.json, "quote"), "total_minor")),
                     49000);
    ck_assert_str_eq(text_of(json_object_get(r.json, "job"), "company"),
                     NEW_NAME);
    e2e_reply_release(&r);
    r.json = path_report(&p.mgr);
    ck_assert_str_eq(text_of(r.json, "currency"), "CNY");
    json_decref(r.json);
    r.json = NULL;

    berlin_open(&b);
    make_link(&b, &link, booking, sizeof booking);
    public_get(booking, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(text_of(json_object_get(r.json, "job"), "company"),
                     NEW_NAME);

    /* every staff role reads the change */
    get_company(&p.desk, &r);
    ck_assert_str_eq(text_of(r.json, "currency"), "CNY");
    e2e_reply_release(&r);
    berlin_close(&b);
    e2e_client_release(&admin);
    path_release(&p);
}
END_TEST

/* The UTC date of now + offset seconds, "YYYY-MM-DD". */
static void date_at(long offset, char out[11])
{
    time_t t = time(NULL) + offset;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* With the company in zone (UTC offset seconds, no DST), the board asked
 * for no date is that zone's today (either side of a midnight passing
 * during the request). */
static void board_opens_on(struct e2e_client *admin, const char *zone,
                           long offset)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char before[11], after[11];
    const char *date;

    ck_assert_int_eq(e2e_send(admin, "PATCH", "/api/v1/company",
                              json_pack("{s:s}", "timezone", zone), &r),
                     200);
    date_at(offset, before);
    e2e_get(admin, "/api/v1/board", &r);
    date_at(offset, after);
    e2e_expect_status(&r, 200);
    date = text_of(r.json, "date");
    ck_assert_msg(!strcmp(date, before) || !strcmp(date, after),
                  "%s: board of %s, today there is %s", zone, date, after);
    e2e_reply_release(&r);
}

START_TEST(the_board_opens_on_the_companys_today)
{
    struct e2e_client admin;

    e2e_as_admin(&admin);
    /* 25 hours apart: at every moment their dates differ from each other */
    board_opens_on(&admin, "Pacific/Kiritimati", 14 * 3600);
    board_opens_on(&admin, "Pacific/Pago_Pago", -11 * 3600);
    board_opens_on(&admin, "UTC", 0);
    e2e_client_release(&admin);
}
END_TEST

static void setup_company(void)
{
    static const char *const args[] = {"--public-limit", "100000", NULL};

    e2e_setup_with(args);
}

Suite *e2e_company_suite(void)
{
    Suite *s = suite_create("e2e_company");
    TCase *tc = tcase_create("company");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup_company, e2e_teardown);
    tcase_add_test(tc, every_staff_role_reads_the_profile);
    tcase_add_test(tc, only_an_admin_changes_it);
    tcase_add_test(tc, bad_values_are_refused_and_change_nothing);
    tcase_add_test(tc, an_admins_change_reaches_quotes_links_and_reports);
    tcase_add_test(tc, the_board_opens_on_the_companys_today);
    suite_add_tcase(s, tc);
    return s;
}
