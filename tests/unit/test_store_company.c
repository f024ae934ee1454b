/*
 * test_store_company.c - the company profile: the row a new database
 * starts with, the rules a change must pass (company.c), a change stored
 * with its change-log entry and audit event, and the schema's own checks
 * behind them.
 */
#include "rules/company.h"
#include "store/store.h"
#include "testutil.h"

#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static struct company get(void)
{
    struct err err = ERR_INIT;
    struct company co;

    ck_assert_msg(store_company_get(tu_st, &co, &err) == 0, "%s", err.msg);
    return co;
}

/* company_patch of JSON text: its rc, and err's code and field. */
static int patch_of(const char *text, json_t **patch, struct err *err)
{
    json_t *in = json_loads(text, 0, NULL);
    int rc;

    ck_assert_ptr_nonnull(in);
    *patch = NULL;
    rc = company_patch(in, patch, err);
    json_decref(in);
    return rc;
}

static void rejected(const char *text, const char *code, const char *field)
{
    struct err err = ERR_INIT;
    json_t *patch;

    ck_assert_int_eq(patch_of(text, &patch, &err), ERR_INVALID);
    ck_assert_ptr_null(patch);
    ck_assert_str_eq(err.code, code);
    ck_assert_str_eq(err.field, field);
}

static struct company update(const char *text)
{
    struct err err = ERR_INIT;
    struct company co;
    json_t *patch;

    ck_assert_msg(patch_of(text, &patch, &err) == 0, "%s", err.msg);
    ck_assert_msg(store_company_update(tu_st, patch, &tu_actor, &co, &err) == 0,
                  "%s", err.msg);
    json_decref(patch);
    return co;
}

START_TEST(a_new_database_has_the_neutral_profile)
{
    struct company co = get();
    json_t *out = company_json(&co);

    ck_assert_str_eq(co.name, "Service company");
    ck_assert_str_eq(co.timezone, "UTC");
    ck_assert_str_eq(co.currency, "EUR");
    ck_assert_int_eq(co.updated_at, 0);
    ck_assert_str_eq(json_string_value(json_object_get(out, "name")),
                     "Service company");
    ck_assert(json_is_null(json_object_get(out, "updated_at")));
    /* no contact and no call-out fee until an admin sets them */
    ck_assert_str_eq(co.phone, "");
    ck_assert_str_eq(co.email, "");
    ck_assert_int_eq(co.callout_fee_minor, 0);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         out, "callout_fee_minor")), 0);
    ck_assert_int_eq(json_object_size(out), 7);
    json_decref(out);
}
END_TEST

START_TEST(a_change_keeps_the_fields_it_leaves_out_and_is_audited)
{
    struct company co = update("{\"currency\":\"CNY\"}");
    json_t *out;

    ck_assert_str_eq(co.currency, "CNY");
    ck_assert_str_eq(co.name, "Service company");
    ck_assert_str_eq(co.timezone, "UTC");
    ck_assert_int_gt(co.updated_at, 0);
    co = update("{\"name\":\"Huadong Cooling & Care\","
                "\"timezone\":\"Asia/Shanghai\"}");
    ck_assert_str_eq(co.name, "Huadong Cooling & Care");
    ck_assert_str_eq(co.timezone, "Asia/Shanghai");
    ck_assert_str_eq(co.currency, "CNY");
    co = get();
    ck_assert_str_eq(co.name, "Huadong Cooling & Care");
    out = company_json(&co);
    ck_assert_str_eq(json_string_value(json_object_get(out, "timezone")),
                     "Asia/Shanghai");
    ck_assert(json_is_string(json_object_get(out, "updated_at")));
    json_decref(out);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"
                                     " WHERE entity = 'company'"
                                     " AND entity_id = 1 AND action = 'update'"
                                     " AND actor = 'unit-test'"),
                     2);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"
                                     " WHERE entity = 'company' AND"
                                     " detail = '{\"currency\":\"CNY\"}'"),
                     1);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM changes"
                                     " WHERE entity = 'company'"
                                     " AND op = 'update'"),
                     2);
}
END_TEST

START_TEST(a_change_must_pass_the_rules)
{
    char name[COMPANY_NAME_MAX + 2];
    json_t *too_long;
    char *text;

    rejected("{}", "empty_patch", "");
    rejected("{\"currency\":\"eur\"}", "invalid_currency", "currency");
    rejected("{\"currency\":\"EURO\"}", "invalid_currency", "currency");
    rejected("{\"currency\":\"\"}", "invalid_currency", "currency");
    rejected("{\"currency\":\"E1R\"}", "invalid_currency", "currency");
    rejected("{\"currency\":978}", "invalid_type", "currency");
    rejected("{\"timezone\":\"Mars/Olympus_Mons\"}", "invalid_timezone",
             "timezone");
    rejected("{\"timezone\":\"../../etc/passwd\"}", "invalid_timezone",
             "timezone");
    rejected("{\"name\":\"\"}", "invalid_length", "name");
    rejected("{\"name\":null}", "null_field", "name");
    rejected("{\"vat_number\":\"x\"}", "unknown_field", "vat_number");
    rejected("{\"updated_at\":\"2026-01-01T00:00:00Z\"}", "read_only_field",
             "updated_at");
    memset(name, 'n', COMPANY_NAME_MAX + 1);
    name[COMPANY_NAME_MAX + 1] = '\0';
    too_long = json_pack("{s:s}", "name", name);
    text = json_dumps(too_long, 0);
    rejected(text, "invalid_length", "name");
    free(text);
    json_decref(too_long);
    /* nothing was stored on the way */
    ck_assert_str_eq(get().currency, "EUR");
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"
                                     " WHERE entity = 'company'"),
                     0);
}
END_TEST

/* Run sql on the database file directly; its SQLite result code. */
static int exec_direct(const char *sql)
{
    sqlite3 *db;
    int rc;

    ck_assert_int_eq(sqlite3_open(tu_db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

START_TEST(the_schema_keeps_one_row_of_valid_codes)
{
    ck_assert_int_eq(exec_direct("INSERT INTO company(id, name, timezone,"
                                 " currency, updated_at)"
                                 " VALUES (2, 'x', 'UTC', 'EUR', 0)"),
                     SQLITE_CONSTRAINT);
    ck_assert_int_eq(exec_direct("UPDATE company SET currency = 'eur'"),
                     SQLITE_CONSTRAINT);
    ck_assert_int_eq(exec_direct("UPDATE company SET currency = 'EURO'"),
                     SQLITE_CONSTRAINT);
    ck_assert_int_eq(exec_direct("UPDATE company SET name = ''"),
                     SQLITE_CONSTRAINT);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM company"), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_company");
    TCase *tc = tcase_create("company");

    tcase_add_checked_fixture(tc, tu_store_setup, tu_store_teardown);
    tcase_add_test(tc, a_new_database_has_the_neutral_profile);
    tcase_add_test(tc, a_change_keeps_the_fields_it_leaves_out_and_is_audited);
    tcase_add_test(tc, a_change_must_pass_the_rules);
    tcase_add_test(tc, the_schema_keeps_one_row_of_valid_codes);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
