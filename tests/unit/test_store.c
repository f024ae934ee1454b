/*
 * test_store.c - the store's lifecycle and its generic resources on a real
 * SQLite file: migrations, create/get/list/update/delete, references,
 * duplicates, job versions, and the change log and audit trail written in
 * the same transaction as each change (counted with SQLite directly).
 *
 * Group commit is in test_store_writer.c, accounts and tokens in
 * test_store_auth.c.
 */
#include "store/store.h"
#include "testutil.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Create from printf-formatted JSON; aborts the test on failure. */
static int64_t make(const struct resource *res, const char *fmt, ...)
{
    char text[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return tu_create(tu_st, res, text);
}

/* Try a create that the store should refuse; returns its rc. */
static int refuse(const struct resource *res, struct err *err,
                  const char *fmt, ...)
{
    char text[512];
    json_t *vals, *row = NULL;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    vals = tu_vals(res, JPARSE_CREATE, text);
    err_clear(err);
    rc = store_res_create(tu_st, res, vals, &tu_actor, &row, err);
    ck_assert_msg(rc != 0, "accepted %s", text);
    ck_assert_ptr_null(row);
    json_decref(vals);
    return rc;
}

static int64_t count(const char *sql)
{
    return tu_count(tu_db, sql);
}

START_TEST(migrations_apply_once)
{
    char *d = tu_tempdir(), path[600];
    struct store *s = NULL;
    struct err err = ERR_INIT;
    int applied = -1;

    snprintf(path, sizeof path, "%s/fsd.db", d);
    ck_assert_int_eq(store_open(path, &s, &applied, &err), 0);
    ck_assert_int_ge(applied, 1);
    ck_assert_int_eq(applied,
                     tu_count(path, "SELECT count(*) FROM schema_migrations"));
    ck_assert_int_eq(store_ping(s, &err), 0);
    store_close(s);
    applied = -1;
    ck_assert_int_eq(store_open(path, &s, &applied, &err), 0);
    ck_assert_int_eq(applied, 0);
    store_close(s);
    snprintf(path, sizeof path, "%s/missing/dir/fsd.db", d);
    s = NULL;
    ck_assert_int_eq(store_open(path, &s, &applied, &err), ERR_STORAGE);
    ck_assert_str_eq(err.code, "storage");
    ck_assert_ptr_null(s);
    store_close(NULL); /* a no-op */
    tu_rmtree(d);
    free(d);
}
END_TEST

START_TEST(customer_round_trip)
{
    struct err err = ERR_INIT;
    json_t *row = NULL, *patch, *got = NULL;
    char msg[64];
    int64_t id = make(&res_customer, "{\"name\":\"Lotus Hotel\",\"lat\":31.2}");

    ck_assert_int_eq(store_res_get(tu_st, &res_customer, id, &row, &err), 0);
    ck_assert_str_eq(json_string_value(json_object_get(row, "name")),
                     "Lotus Hotel");
    ck_assert_str_eq(json_string_value(json_object_get(row, "tier")),
                     "regular");
    ck_assert_str_eq(json_string_value(json_object_get(row, "timezone")),
                     "UTC");
    ck_assert(json_is_null(json_object_get(row, "phone")));
    ck_assert_double_eq(json_real_value(json_object_get(row, "lat")), 31.2);
    ck_assert_int_gt(json_integer_value(json_object_get(row, "created_at")),
                     1700000000);
    json_decref(row);

    patch = tu_vals(&res_customer, JPARSE_PATCH,
                    "{\"name\":\"Lotus\",\"tier\":\"key_account\","
                    "\"lat\":null}");
    ck_assert_int_eq(store_res_update(tu_st, &res_customer, id, patch,
                                      &tu_actor, &row, &err), 0);
    ck_assert_str_eq(json_string_value(json_object_get(row, "tier")),
                     "key_account");
    ck_assert(json_is_null(json_object_get(row, "lat")));
    ck_assert_int_eq(store_res_get(tu_st, &res_customer, id, &got, &err), 0);
    ck_assert(json_equal(row, got)); /* the reply is the row as stored */
    json_decref(row);
    json_decref(got);

    ck_assert_int_eq(store_res_delete(tu_st, &res_customer, id, &tu_actor,
                                      &err), 0);
    snprintf(msg, sizeof msg, "customer %lld not found", (long long)id);
    row = NULL;
    ck_assert_int_eq(store_res_get(tu_st, &res_customer, id, &row, &err),
                     ERR_NOT_FOUND);
    ck_assert_str_eq(err.code, "not_found");
    ck_assert_str_eq(err.msg, msg);
    ck_assert_ptr_null(row);
    ck_assert_int_eq(store_res_delete(tu_st, &res_customer, id, &tu_actor,
                                      &err), ERR_NOT_FOUND);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_int_eq(store_res_update(tu_st, &res_customer, id, patch,
                                      &tu_actor, &row, &err), ERR_NOT_FOUND);
    ck_assert_str_eq(err.msg, msg);
    json_decref(patch);
    /* create, update, delete: three log entries, none for the failures */
    ck_assert_int_eq(count("SELECT count(*) FROM changes"), 3);
    ck_assert_int_eq(count("SELECT count(*) FROM audit_events"), 3);
}
END_TEST

/* List res with filters (query JSON or NULL); assert the ids and cursor. */
static void list_eq(const struct resource *res, const char *query,
                    int64_t cursor, int limit, const int64_t *want,
                    size_t nwant, int64_t want_next)
{
    json_t *f = query ? tu_vals(res, JPARSE_QUERY, query) : NULL, *rows;
    struct err err = ERR_INIT;
    int64_t next = -1;

    ck_assert_int_eq(store_res_list(tu_st, res, f, cursor, limit, &rows, &next,
                                    &err), 0);
    ck_assert_uint_eq(json_array_size(rows), nwant);
    for (size_t i = 0; i < nwant; i++)
        ck_assert_int_eq(json_integer_value(json_object_get(
                             json_array_get(rows, i), "id")), want[i]);
    ck_assert_int_eq(next, want_next);
    json_decref(rows);
    json_decref(f);
}

START_TEST(list_pages_and_filters)
{
    int64_t c[5];

    for (int i = 0; i < 5; i++)
        c[i] = make(&res_customer, "{\"name\":\"c%d\",\"tier\":\"%s\"}", i,
                    i % 2 ? "key_account" : "regular");
    list_eq(&res_customer, NULL, 0, 2, c, 2, c[1]);
    list_eq(&res_customer, NULL, c[1], 2, c + 2, 2, c[3]);
    list_eq(&res_customer, NULL, c[3], 2, c + 4, 1, 0);
    list_eq(&res_customer, NULL, c[0], 4, c + 1, 4, 0); /* exactly full */
    list_eq(&res_customer, NULL, c[4], 10, NULL, 0, 0);
    {
        int64_t keys[] = {c[1], c[3]};
        list_eq(&res_customer, "{\"tier\":\"key_account\"}", 0, 1, keys, 1,
                c[1]);
        list_eq(&res_customer, "{\"tier\":\"key_account\"}", c[1], 1,
                keys + 1, 1, 0);
    }
}
END_TEST

START_TEST(job_and_technician_filters)
{
    int64_t cust = make(&res_customer, "{\"name\":\"a\"}");
    int64_t other = make(&res_customer, "{\"name\":\"b\"}");
    int64_t j1, j2, j3, t1, t2;
    char id[24], *q;
    json_t *filter;

    make(&res_skill, "{\"code\":\"hvac\",\"name\":\"HVAC\"}");
    j1 = make(&res_job, "{\"customer_id\":%lld,\"kind\":\"repair\","
              "\"window_start\":\"2026-11-23T09:00:00Z\","
              "\"window_end\":\"2026-11-23T11:00:00Z\"}", (long long)cust);
    j2 = make(&res_job, "{\"customer_id\":%lld,\"kind\":\"install\"}",
              (long long)other);
    j3 = make(&res_job, "{\"customer_id\":%lld,\"kind\":\"repair\","
              "\"window_start\":\"2026-11-24T00:00:00Z\","
              "\"window_end\":\"2026-11-24T01:00:00Z\"}", (long long)cust);
    list_eq(&res_job, "{\"date\":\"2026-11-23\"}", 0, 10, &j1, 1, 0);
    list_eq(&res_job, "{\"date\":\"2026-11-24\"}", 0, 10, &j3, 1, 0);
    snprintf(id, sizeof id, "%lld", (long long)other);
    filter = json_pack("{s:s}", "customer_id", id);
    q = json_dumps(filter, JSON_COMPACT);
    list_eq(&res_job, q, 0, 10, &j2, 1, 0);
    free(q);
    json_decref(filter);
    {
        int64_t all[] = {j1, j2, j3};
        list_eq(&res_job, "{\"status\":\"new\"}", 0, 10, all, 3, 0);
    }
    list_eq(&res_job, "{\"status\":\"closed\"}", 0, 10, NULL, 0, 0);

    t1 = make(&res_technician, "{\"name\":\"Li\",\"start_lat\":31,"
              "\"start_lon\":121,\"skills\":[{\"skill\":\"hvac\","
              "\"level\":3}]}");
    t2 = make(&res_technician, "{\"name\":\"Wu\",\"start_lat\":31,"
              "\"start_lon\":121,\"active\":false}");
    list_eq(&res_technician, "{\"skill\":\"hvac\"}", 0, 10, &t1, 1, 0);
    list_eq(&res_technician, "{\"active\":\"false\"}", 0, 10, &t2, 1, 0);
    list_eq(&res_technician, "{\"active\":\"true\"}", 0, 10, &t1, 1, 0);
}
END_TEST

START_TEST(children_round_trip)
{
    struct err err = ERR_INIT;
    json_t *row = NULL;
    char *s;
    int64_t t;

    make(&res_skill, "{\"code\":\"hvac\",\"name\":\"HVAC\"}");
    make(&res_skill, "{\"code\":\"appliance\",\"name\":\"Appliances\"}");
    t = make(&res_technician, "{\"name\":\"Li\",\"start_lat\":31,"
             "\"start_lon\":121,\"skills\":[{\"skill\":\"hvac\",\"level\":3},"
             "{\"skill\":\"appliance\",\"level\":1}],\"shifts\":[{\"weekday\":"
             "1,\"start\":\"08:00\",\"end\":\"17:00\"}]}");
    ck_assert_int_eq(store_res_get(tu_st, &res_technician, t, &row, &err), 0);
    s = json_dumps(json_object_get(row, "skills"), JSON_COMPACT);
    ck_assert_str_eq(s, "[{\"skill\":\"appliance\",\"level\":1},"
                        "{\"skill\":\"hvac\",\"level\":3}]");
    free(s);
    s = json_dumps(json_object_get(row, "shifts"), JSON_COMPACT);
    ck_assert_str_eq(s, "[{\"weekday\":1,\"start\":480,\"end\":1020}]");
    free(s);
    json_decref(row);
}
END_TEST

START_TEST(invalid_references)
{
    struct err err;
    int64_t cust = make(&res_customer, "{\"name\":\"a\"}");
    int64_t other = make(&res_customer, "{\"name\":\"b\"}");
    int64_t asset = make(&res_asset, "{\"customer_id\":%lld,\"model\":\"m\","
                         "\"serial\":\"S1\"}", (long long)other);

    ck_assert_int_eq(refuse(&res_asset, &err, "{\"customer_id\":999999,"
                            "\"model\":\"m\",\"serial\":\"S2\"}"),
                     ERR_INVALID);
    ck_assert_str_eq(err.code, "invalid_reference");
    ck_assert_str_eq(err.field, "customer_id");
    ck_assert_str_eq(err.msg,
                     "customer_id: customer_id does not name a customer");

    make(&res_skill, "{\"code\":\"hvac\",\"name\":\"HVAC\"}");
    ck_assert_int_eq(refuse(&res_technician, &err, "{\"name\":\"Li\","
                            "\"start_lat\":1,\"start_lon\":2,\"skills\":"
                            "[{\"skill\":\"plumbing\",\"level\":2}]}"),
                     ERR_INVALID);
    ck_assert_str_eq(err.code, "invalid_reference");
    ck_assert_str_eq(err.field, "skills[0].skill");
    ck_assert_str_eq(err.msg, "skills[0].skill: no skill has this code");
    /* the item failed after the technician's row was inserted: all gone */
    ck_assert_int_eq(refuse(&res_technician, &err, "{\"name\":\"Li\","
                            "\"start_lat\":1,\"start_lon\":2,\"skills\":"
                            "[{\"skill\":\"hvac\",\"level\":2},"
                            "{\"skill\":\"x\",\"level\":2}]}"), ERR_INVALID);
    ck_assert_str_eq(err.field, "skills[1].skill");
    ck_assert_int_eq(count("SELECT count(*) FROM technicians"), 0);
    ck_assert_int_eq(count("SELECT count(*) FROM technician_skills"), 0);

    ck_assert_int_eq(refuse(&res_job, &err, "{\"customer_id\":%lld,"
                            "\"asset_id\":%lld,\"kind\":\"repair\"}",
                            (long long)cust, (long long)asset), ERR_INVALID);
    ck_assert_str_eq(err.code, "invalid_reference");
    ck_assert_str_eq(err.field, "asset_id");
    ck_assert_int_eq(refuse(&res_job, &err, "{\"customer_id\":%lld,"
                            "\"kind\":\"repair\",\"window_start\":"
                            "\"2026-11-23T09:00:00Z\"}", (long long)cust),
                     ERR_INVALID);
    ck_assert_str_eq(err.code, "invalid_window");
    ck_assert_str_eq(err.field, "window_end");
    ck_assert_int_eq(refuse(&res_job, &err, "{\"customer_id\":%lld,"
                            "\"kind\":\"repair\",\"parts\":[{\"part_id\":7,"
                            "\"quantity\":1}]}", (long long)cust),
                     ERR_INVALID);
    ck_assert_str_eq(err.field, "parts[0].part_id");
    ck_assert_int_eq(count("SELECT count(*) FROM jobs"), 0);
}
END_TEST

START_TEST(duplicates_conflict)
{
    struct err err;
    int64_t cust = make(&res_customer, "{\"name\":\"a\"}");

    make(&res_asset, "{\"customer_id\":%lld,\"model\":\"m\","
         "\"serial\":\"SN-1\"}", (long long)cust);
    ck_assert_int_eq(refuse(&res_asset, &err, "{\"customer_id\":%lld,"
                            "\"model\":\"n\",\"serial\":\"SN-1\"}",
                            (long long)cust), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "duplicate");
    ck_assert_str_eq(err.field, "serial");
    ck_assert_str_eq(err.msg, "serial already exists");
    make(&res_skill, "{\"code\":\"hvac\",\"name\":\"HVAC\"}");
    ck_assert_int_eq(refuse(&res_skill, &err, "{\"code\":\"hvac\","
                            "\"name\":\"again\"}"), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "duplicate");
    ck_assert_str_eq(err.field, "code");
    /* the same skill twice in one list names the list item */
    ck_assert_int_eq(refuse(&res_job, &err, "{\"customer_id\":%lld,"
                            "\"kind\":\"repair\",\"required_skills\":["
                            "{\"skill\":\"hvac\",\"level\":1},"
                            "{\"skill\":\"hvac\",\"level\":2}]}",
                            (long long)cust), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "duplicate");
    ck_assert_str_eq(err.field, "required_skills[1]");
}
END_TEST

START_TEST(referenced_rows_are_in_use)
{
    struct err err = ERR_INIT;
    int64_t cust = make(&res_customer, "{\"name\":\"a\"}");
    int64_t job = make(&res_job, "{\"customer_id\":%lld,\"kind\":\"repair\"}",
                       (long long)cust);

    ck_assert_int_eq(store_res_delete(tu_st, &res_customer, cust, &tu_actor,
                                      &err), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "in_use");
    ck_assert_str_eq(err.field, "");
    ck_assert_str_eq(err.msg, "the record is referenced by other records");
    ck_assert_int_eq(count("SELECT count(*) FROM customers"), 1);
    ck_assert_int_eq(store_res_delete(tu_st, &res_job, job, &tu_actor, &err),
                     ERR_METHOD);
    ck_assert_str_eq(err.code, "method_not_allowed");
    ck_assert_str_eq(err.msg, "job cannot be deleted");
    ck_assert_int_eq(count("SELECT count(*) FROM changes"), 2);
}
END_TEST

/* Patch job id with JSON text; returns the rc, *version the new version. */
static int patch_job(int64_t id, const char *text, int64_t *version,
                     struct err *err)
{
    json_t *p = tu_vals(&res_job, JPARSE_PATCH, text), *row = NULL;
    int rc = store_res_update(tu_st, &res_job, id, p, &tu_actor, &row, err);

    if (rc == 0)
        *version = json_integer_value(json_object_get(row, "version"));
    json_decref(row);
    json_decref(p);
    return rc;
}

START_TEST(job_versions_and_log)
{
    struct err err = ERR_INIT;
    int64_t cust = make(&res_customer, "{\"name\":\"a\"}"), v = 0, job;
    char msg[80], sql[160];

    job = make(&res_job, "{\"customer_id\":%lld,\"kind\":\"repair\"}",
               (long long)cust);
    ck_assert_int_eq(patch_job(job, "{\"priority\":1}", &v, &err), 0);
    ck_assert_int_eq(v, 2);
    ck_assert_int_eq(patch_job(job, "{\"version\":1,\"priority\":2}", &v,
                               &err), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "version_conflict");
    ck_assert_str_eq(err.field, "version");
    snprintf(msg, sizeof msg, "job %lld is at version 2, not 1",
             (long long)job);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_int_eq(patch_job(job, "{\"version\":2,\"fault\":\"noisy\"}",
                               &v, &err), 0);
    ck_assert_int_eq(v, 3);
    ck_assert_int_eq(patch_job(job, "{\"customer_id\":424242}", &v, &err),
                     ERR_INVALID);
    ck_assert_str_eq(err.field, "customer_id");

    /* one change and one audit event per successful write, none else */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM changes WHERE entity ="
             " 'job' AND entity_id = %lld", (long long)job);
    ck_assert_int_eq(count(sql), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_events WHERE"
             " entity = 'job' AND entity_id = %lld AND actor = 'unit-test'",
             (long long)job);
    ck_assert_int_eq(count(sql), 3);
    ck_assert_int_eq(count("SELECT count(*) FROM changes WHERE entity = 'job'"
                           " AND op = 'update'"), 2);
    ck_assert_int_eq(count("SELECT max(version) FROM changes"
                           " WHERE entity = 'job'"), 3);
    ck_assert_int_eq(count("SELECT count(*) FROM audit_events WHERE"
                           " json_extract(detail, '$.fault') = 'noisy'"), 1);
    ck_assert_int_eq(count("SELECT version FROM jobs"), 3);
}
END_TEST

START_TEST(failed_writes_leave_no_log)
{
    struct err err;
    int64_t before_c, before_a;

    make(&res_customer, "{\"name\":\"a\"}");
    before_c = count("SELECT count(*) FROM changes");
    before_a = count("SELECT count(*) FROM audit_events");
    ck_assert_int_eq(before_c, 1);
    ck_assert_int_eq(before_a, 1);
    refuse(&res_job, &err, "{\"customer_id\":999,\"kind\":\"repair\"}");
    refuse(&res_asset, &err, "{\"customer_id\":999,\"model\":\"m\","
           "\"serial\":\"x\"}");
    ck_assert_int_eq(count("SELECT count(*) FROM changes"), before_c);
    ck_assert_int_eq(count("SELECT count(*) FROM audit_events"), before_a);
    ck_assert_int_eq(count("SELECT count(*) FROM changes WHERE"
                           " entity = 'customer' AND op = 'create'"
                           " AND version IS NULL"), 1);
}
END_TEST

START_TEST(backup_and_ping)
{
    struct err err = ERR_INIT;
    char path[700];
    static const char *const tables[] = {
        "SELECT count(*) FROM customers", "SELECT count(*) FROM jobs",
        "SELECT count(*) FROM changes", "SELECT count(*) FROM audit_events",
        "SELECT count(*) FROM schema_migrations"};
    int64_t cust = make(&res_customer, "{\"name\":\"a\"}");

    for (int i = 0; i < 3; i++)
        make(&res_job, "{\"customer_id\":%lld,\"kind\":\"repair\"}",
             (long long)cust);
    ck_assert_int_eq(store_ping(tu_st, &err), 0);
    snprintf(path, sizeof path, "%s/backup.db", tu_dir);
    ck_assert_int_eq(store_backup(tu_st, path, &err), 0);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        ck_assert_int_eq(tu_count(path, tables[i]), count(tables[i]));
    ck_assert_int_eq(tu_count(path, "SELECT count(*) FROM jobs"), 3);
    ck_assert_int_eq(tu_count(path, "SELECT count(*) FROM"
                              " pragma_integrity_check WHERE"
                              " integrity_check = 'ok'"), 1);
    snprintf(path, sizeof path, "%s/no/such/dir/backup.db", tu_dir);
    ck_assert_int_eq(store_backup(tu_st, path, &err), ERR_STORAGE);
    ck_assert_str_eq(err.code, "storage");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("resources");

    tcase_add_checked_fixture(tc, tu_store_setup, tu_store_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, migrations_apply_once);
    tcase_add_test(tc, customer_round_trip);
    tcase_add_test(tc, list_pages_and_filters);
    tcase_add_test(tc, job_and_technician_filters);
    tcase_add_test(tc, children_round_trip);
    tcase_add_test(tc, invalid_references);
    tcase_add_test(tc, duplicates_conflict);
    tcase_add_test(tc, referenced_rows_are_in_use);
    tcase_add_test(tc, job_versions_and_log);
    tcase_add_test(tc, failed_writes_leave_no_log);
    tcase_add_test(tc, backup_and_ping);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
