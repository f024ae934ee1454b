/*
 * e2e_validation.c - requests the server must refuse, each with its exact
 * status, error code and field, and each leaving the data as it was:
 * broken JSON, unknown, mistyped, missing and read-only fields, wrong media
 * types, oversized bodies, bad ids, routes and methods, bad query
 * parameters and references to records that do not exist.
 *
 * The server runs with --max-body 4096.
 */
#include "fixture.h"
#include "suites.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BODY 4096

struct bad_body {
    const char *path;
    const char *body;
    long status;
    const char *code;
    const char *field; /* NULL: not checked, "": must be absent */
};

/* POST each body as the client c; all refused; path's count unchanged. */
static void refuse_all(struct e2e_client *c, const struct bad_body *cases,
                       size_t n)
{
    struct e2e_reply r = E2E_REPLY_INIT;

    for (size_t i = 0; i < n; i++) {
        size_t before = e2e_count(c, cases[i].path);
        e2e_request(c, "POST", cases[i].path, cases[i].body, NULL, &r);
        ck_assert_msg(e2e_error_is(&r, cases[i].status, cases[i].code,
                                   cases[i].field),
                      "POST %s %s: expected %ld %s (field %s), got %ld: %s",
                      cases[i].path, cases[i].body, cases[i].status,
                      cases[i].code, cases[i].field ? cases[i].field : "-",
                      r.status, r.body);
        ck_assert_uint_eq(e2e_count(c, cases[i].path), before);
    }
    e2e_reply_release(&r);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(malformed_json_is_refused)
{
    static const struct bad_body cases[] = {
        {"/api/v1/customers", "{\"name\":", 400, "malformed_json", ""},
        {"/api/v1/customers", "not json at all", 400, "malformed_json", ""},
        {"/api/v1/customers", "{\"name\":\"a\",\"name\":\"b\"}", 400,
         "malformed_json", ""},
        {"/api/v1/customers", "{\"name\":\"a\"} trailing", 400,
         "malformed_json", ""},
        {"/api/v1/customers", "[{\"name\":\"a\"}]", 400, "invalid_type", ""},
        {"/api/v1/jobs", "{\"customer_id\":1,", 400, "malformed_json", ""},
    };
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    size_t before;

    e2e_as_admin(&c);
    refuse_all(&c, cases, N(cases));
    before = e2e_count(&c, "/api/v1/customers");
    e2e_request(&c, "POST", "/api/v1/customers", NULL, NULL, &r);
    e2e_expect_error(&r, 400, "malformed_json", NULL); /* empty body */
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/customers"), before);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(unknown_mistyped_and_missing_fields_are_refused)
{
    static const struct bad_body cases[] = {
        {"/api/v1/customers", "{\"name\":\"x\",\"colour\":\"red\"}", 400,
         "unknown_field", "colour"},
        {"/api/v1/customers", "{\"name\":5}", 400, "invalid_type", "name"},
        {"/api/v1/customers", "{\"name\":\"x\",\"lat\":\"north\"}", 400,
         "invalid_type", "lat"},
        {"/api/v1/customers", "{\"phone\":\"+1 555\"}", 400, "missing_field",
         "name"},
        {"/api/v1/customers", "{\"name\":null}", 400, "null_field", "name"},
        {"/api/v1/customers", "{\"name\":\"\"}", 400, "invalid_length",
         "name"},
        {"/api/v1/customers", "{\"name\":\"x\",\"tier\":\"gold\"}", 400,
         "invalid_choice", "tier"},
        {"/api/v1/customers", "{\"name\":\"x\",\"lat\":91}", 400,
         "out_of_range", "lat"},
        {"/api/v1/technicians",
         "{\"name\":\"T\",\"start_lat\":1,\"start_lon\":2,"
         "\"skills\":[{\"skill\":\"x\",\"level\":1,\"bogus\":1}]}",
         400, "unknown_field", "skills[0].bogus"},
        {"/api/v1/technicians",
         "{\"name\":\"T\",\"start_lat\":1,\"start_lon\":2,"
         "\"shifts\":[{\"weekday\":1,\"start\":\"8am\",\"end\":\"16:00\"}]}",
         400, "invalid_type", "shifts[0].start"},
        {"/api/v1/technicians", "{\"name\":\"T\",\"start_lat\":1}", 400,
         "missing_field", "start_lon"},
        {"/api/v1/technicians",
         "{\"name\":\"T\",\"start_lat\":1,\"start_lon\":2,"
         "\"shifts\":[{\"weekday\":1,\"start\":\"16:00\",\"end\":\"08:00\"}]}",
         400, "invalid_shift", "shifts[0].end"},
        {"/api/v1/jobs", "{\"customer_id\":1}", 400, "missing_field", "kind"},
        {"/api/v1/jobs", "{\"customer_id\":\"1\",\"kind\":\"repair\"}", 400,
         "invalid_type", "customer_id"},
        {"/api/v1/jobs",
         "{\"customer_id\":1,\"kind\":\"repair\",\"priority\":\"high\"}", 400,
         "invalid_type", "priority"},
        {"/api/v1/jobs",
         "{\"customer_id\":1,\"kind\":\"repair\",\"priority\":9}", 400,
         "out_of_range", "priority"},
        {"/api/v1/jobs", "{\"customer_id\":1,\"kind\":\"demolition\"}", 400,
         "invalid_choice", "kind"},
        {"/api/v1/jobs",
         "{\"customer_id\":1,\"kind\":\"repair\",\"window_start\":\"soon\"}",
         400, "invalid_type", "window_start"},
    };
    struct e2e_client c;

    e2e_as_admin(&c);
    refuse_all(&c, cases, N(cases));
    e2e_client_release(&c);
}
END_TEST

START_TEST(read_only_fields_are_refused)
{
    static const struct bad_body cases[] = {
        {"/api/v1/jobs", "{\"customer_id\":1,\"kind\":\"repair\","
                         "\"status\":\"closed\"}", 400, "read_only_field",
         "status"},
        {"/api/v1/jobs", "{\"customer_id\":1,\"kind\":\"repair\","
                         "\"version\":7}", 400, "read_only_field", "version"},
        {"/api/v1/jobs", "{\"customer_id\":1,\"kind\":\"repair\","
                         "\"technician_id\":1}", 400, "read_only_field",
         "technician_id"},
        {"/api/v1/customers", "{\"id\":99,\"name\":\"x\"}", 400,
         "read_only_field", "id"},
        {"/api/v1/customers", "{\"name\":\"x\",\"created_at\":"
                              "\"2020-01-01T00:00:00Z\"}", 400,
         "read_only_field", "created_at"},
    };
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t customer, job;
    char path[96];
    json_t *before;

    e2e_as_admin(&c);
    refuse_all(&c, cases, N(cases));
    customer = e2e_create(&c, "/api/v1/customers",
                          json_pack("{s:s}", "name", "Read-only Ltd"));
    job = e2e_create(&c, "/api/v1/jobs",
                     json_pack("{s:I, s:s}", "customer_id",
                               (json_int_t)customer, "kind", "inspection"));
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
    e2e_get(&c, path, &r);
    before = json_incref(r.json);
    e2e_send(&c, "PATCH", path, json_pack("{s:s}", "status", "closed"), &r);
    e2e_expect_error(&r, 400, "read_only_field", "status");
    e2e_send(&c, "PATCH", path, json_pack("{s:i, s:s}", "version", 1,
                                          "status", "closed"), &r);
    e2e_expect_error(&r, 400, "read_only_field", "status");
    e2e_send(&c, "PATCH", path, json_pack("{}"), &r);
    e2e_expect_error(&r, 400, "empty_patch", "");
    e2e_send(&c, "PATCH", path, json_pack("{s:i}", "version", 1), &r);
    e2e_expect_error(&r, 400, "empty_patch", "");
    e2e_send(&c, "PATCH", path, json_pack("{s:n}", "kind"), &r);
    e2e_expect_error(&r, 400, "null_field", "kind");
    e2e_send(&c, "PATCH", path,
             json_pack("{s:s, s:s}", "window_start", "2026-05-01T10:00:00Z",
                       "window_end", "2026-05-01T09:00:00Z"), &r);
    e2e_expect_error(&r, 400, "invalid_window", "window_end");
    e2e_get(&c, path, &r);
    ck_assert_msg(json_equal(r.json, before), "job changed: %s", r.body);
    json_decref(before);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(bodies_must_be_json)
{
    static const char *const types[] = {
        "Content-Type: text/plain", "Content-Type: application/x-www-form-urlencoded",
        "Content-Type: application/jsonx", NULL};
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    size_t before;

    e2e_as_admin(&c);
    before = e2e_count(&c, "/api/v1/customers");
    for (size_t i = 0; types[i]; i++) {
        const char *h[] = {types[i], NULL};
        e2e_request(&c, "POST", "/api/v1/customers", "{\"name\":\"Typed\"}",
                    h, &r);
        ck_assert_msg(e2e_error_is(&r, 415, "unsupported_media_type", NULL),
                      "%s: got %ld %s", types[i], r.status, r.body);
    }
    /* Parameters after the media type are fine. */
    {
        const char *h[] = {"Content-Type: application/json; charset=utf-8",
                           NULL};
        e2e_request(&c, "POST", "/api/v1/customers", "{\"name\":\"Typed\"}",
                    h, &r);
        e2e_expect_status(&r, 201);
    }
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/customers"), before + 1);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(oversized_body_is_refused)
{
    struct e2e_client c, fresh;
    struct e2e_reply r = E2E_REPLY_INIT;
    size_t before, n = 10 * 1024;
    json_t *body = json_object();
    char *big = malloc(n + 1), *text;

    ck_assert_ptr_nonnull(big);
    memset(big, 'x', n);
    big[n] = '\0';
    json_object_set_new(body, "name", json_string(big));
    text = json_dumps(body, JSON_COMPACT);
    ck_assert_uint_gt(strlen(text), MAX_BODY);
    e2e_as_admin(&c);
    before = e2e_count(&c, "/api/v1/customers");
    e2e_request(&c, "POST", "/api/v1/customers", text, NULL, &r);
    e2e_expect_error(&r, 413, "body_too_large", NULL);
    /* The server stays up and nothing was stored. */
    e2e_as_admin(&fresh);
    ck_assert_uint_eq(e2e_count(&fresh, "/api/v1/customers"), before);
    free(text);
    free(big);
    json_decref(body);
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&fresh);
}
END_TEST

START_TEST(bad_ids_and_unknown_routes_are_not_found)
{
    static const char *const paths[] = {
        "/api/v1/jobs/abc", "/api/v1/jobs/0", "/api/v1/jobs/-1",
        "/api/v1/jobs/007", "/api/v1/jobs/1x", "/api/v1/jobs/99999999",
        "/api/v1/customers/99999999", "/api/v1/nope", "/api/v2/jobs",
        "/api/v1/jobs/1/extra", "/api/v1/jobs/", "/metricsx", NULL};
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    size_t before;

    e2e_as_admin(&c);
    for (size_t i = 0; paths[i]; i++) {
        e2e_get(&c, paths[i], &r);
        ck_assert_msg(e2e_error_is(&r, 404, "not_found", NULL),
                      "GET %s: got %ld %s", paths[i], r.status, r.body);
    }
    before = e2e_count(&c, "/api/v1/customers");
    e2e_send(&c, "PATCH", "/api/v1/customers/abc",
             json_pack("{s:s}", "name", "x"), &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_request(&c, "DELETE", "/api/v1/customers/abc", NULL, NULL, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/customers"), before);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(wrong_methods_name_the_allowed_ones)
{
    static const struct {
        const char *method, *path, *allow;
    } cases[] = {
        {"PUT", "/api/v1/customers", "GET, POST"},
        {"DELETE", "/api/v1/customers", "GET, POST"},
        {"PUT", "/api/v1/customers/1", "GET, PATCH, DELETE"},
        {"POST", "/api/v1/jobs/1", "GET, PATCH"},
        {"POST", "/healthz", "GET"},
        {"GET", "/api/v1/login", "POST"},
    };
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    char allow[96];

    e2e_as_admin(&c);
    for (size_t i = 0; i < N(cases); i++) {
        const char *body = strcmp(cases[i].method, "DELETE") &&
                                   strcmp(cases[i].method, "GET")
                               ? "{\"name\":\"x\"}"
                               : NULL;
        e2e_request(&c, cases[i].method, cases[i].path, body, NULL, &r);
        ck_assert_msg(e2e_error_is(&r, 405, "method_not_allowed", NULL),
                      "%s %s: got %ld %s", cases[i].method, cases[i].path,
                      r.status, r.body);
        ck_assert_int_eq(e2e_header(&r, "Allow", allow, sizeof allow), 0);
        ck_assert_str_eq(allow, cases[i].allow);
    }
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(bad_query_parameters_are_refused)
{
    static const struct {
        const char *path;
        const char *code, *field;
    } cases[] = {
        {"/api/v1/jobs?limit=0", "out_of_range", "limit"},
        {"/api/v1/jobs?limit=201", "out_of_range", "limit"},
        {"/api/v1/jobs?limit=abc", "invalid_type", "limit"},
        {"/api/v1/jobs?cursor=0", "out_of_range", "cursor"},
        {"/api/v1/jobs?bogus=1", "unknown_field", "bogus"},
        {"/api/v1/customers?limit=2&bogus=1", "unknown_field", "bogus"},
        {"/api/v1/jobs?status=nope", "invalid_choice", "status"},
        {"/api/v1/jobs?date=2026-13-01", "invalid_type", "date"},
        {"/api/v1/jobs?customer_id=x", "invalid_type", "customer_id"},
        {"/api/v1/jobs?limit=1&limit=2", "duplicate_parameter", "limit"},
        {"/api/v1/assets?customer_id=0", "out_of_range", "customer_id"},
        {"/api/v1/technicians?active=yes", "invalid_type", "active"},
    };
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_as_admin(&c);
    for (size_t i = 0; i < N(cases); i++) {
        e2e_get(&c, cases[i].path, &r);
        ck_assert_msg(e2e_error_is(&r, 400, cases[i].code, cases[i].field),
                      "GET %s: expected %s (%s), got %ld %s", cases[i].path,
                      cases[i].code, cases[i].field, r.status, r.body);
    }
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(references_must_exist)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t mine, other, others_asset;
    char serial[64];
    size_t jobs, assets;

    e2e_as_admin(&c);
    mine = e2e_create(&c, "/api/v1/customers",
                      json_pack("{s:s}", "name", "Referrer"));
    other = e2e_create(&c, "/api/v1/customers",
                       json_pack("{s:s}", "name", "Someone else"));
    e2e_unique(serial, sizeof serial, "SN-REF");
    others_asset = e2e_create(&c, "/api/v1/assets",
                              json_pack("{s:I, s:s, s:s}", "customer_id",
                                        (json_int_t)other, "model", "M",
                                        "serial", serial));
    jobs = e2e_count(&c, "/api/v1/jobs");
    assets = e2e_count(&c, "/api/v1/assets");

    e2e_send(&c, "POST", "/api/v1/jobs",
             json_pack("{s:i, s:s}", "customer_id", 99999999, "kind",
                       "repair"), &r);
    e2e_expect_error(&r, 400, "invalid_reference", "customer_id");
    e2e_send(&c, "POST", "/api/v1/jobs",
             json_pack("{s:I, s:I, s:s}", "customer_id", (json_int_t)mine,
                       "asset_id", (json_int_t)others_asset, "kind",
                       "repair"), &r);
    e2e_expect_error(&r, 400, "invalid_reference", "asset_id");
    e2e_send(&c, "POST", "/api/v1/jobs",
             json_pack("{s:I, s:s, s:[{s:s, s:i}]}", "customer_id",
                       (json_int_t)mine, "kind", "repair", "required_skills",
                       "skill", "no-such-skill", "level", 1), &r);
    e2e_expect_error(&r, 400, "invalid_reference", "required_skills[0].skill");
    e2e_send(&c, "POST", "/api/v1/jobs",
             json_pack("{s:I, s:s, s:[{s:i, s:i}]}", "customer_id",
                       (json_int_t)mine, "kind", "repair", "parts",
                       "part_id", 99999999, "quantity", 1), &r);
    e2e_expect_error(&r, 400, "invalid_reference", "parts[0].part_id");
    e2e_send(&c, "POST", "/api/v1/assets",
             json_pack("{s:i, s:s, s:s}", "customer_id", 99999999, "model",
                       "M", "serial", "SN-NOWHERE"), &r);
    e2e_expect_error(&r, 400, "invalid_reference", "customer_id");
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/jobs"), jobs);
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/assets"), assets);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

/*
 * A list naming the same skill twice is a duplicate; the error must point
 * at the offending item of the request, not at a database column.
 */
START_TEST(duplicate_list_items_name_the_item)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    char skill[64];
    int64_t customer;
    size_t jobs, technicians;

    e2e_as_admin(&c);
    e2e_unique(skill, sizeof skill, "dup");
    e2e_create(&c, "/api/v1/skills",
               json_pack("{s:s, s:s}", "code", skill, "name", "Dup"));
    customer = e2e_create(&c, "/api/v1/customers",
                          json_pack("{s:s}", "name", "Duplicates"));
    jobs = e2e_count(&c, "/api/v1/jobs");
    technicians = e2e_count(&c, "/api/v1/technicians");
    e2e_send(&c, "POST", "/api/v1/jobs",
             json_pack("{s:I, s:s, s:[{s:s, s:i}, {s:s, s:i}]}",
                       "customer_id", (json_int_t)customer, "kind", "repair",
                       "required_skills", "skill", skill, "level", 1,
                       "skill", skill, "level", 2), &r);
    e2e_expect_error(&r, 409, "duplicate", "required_skills[1]");
    e2e_send(&c, "POST", "/api/v1/technicians",
             json_pack("{s:s, s:i, s:i, s:[{s:s, s:i}, {s:s, s:i}]}", "name",
                       "Dup Tech", "start_lat", 1, "start_lon", 2, "skills",
                       "skill", skill, "level", 1, "skill", skill, "level",
                       2), &r);
    e2e_expect_error(&r, 409, "duplicate", "skills[1]");
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/jobs"), jobs);
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/technicians"), technicians);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

Suite *e2e_validation_suite(void)
{
    Suite *s = suite_create("e2e_validation");
    TCase *tc = tcase_create("validation");

    tcase_add_unchecked_fixture(tc, e2e_setup_small_body, e2e_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, malformed_json_is_refused);
    tcase_add_test(tc, unknown_mistyped_and_missing_fields_are_refused);
    tcase_add_test(tc, read_only_fields_are_refused);
    tcase_add_test(tc, bodies_must_be_json);
    tcase_add_test(tc, oversized_body_is_refused);
    tcase_add_test(tc, bad_ids_and_unknown_routes_are_not_found);
    tcase_add_test(tc, wrong_methods_name_the_allowed_ones);
    tcase_add_test(tc, bad_query_parameters_are_refused);
    tcase_add_test(tc, references_must_exist);
    tcase_add_test(tc, duplicate_list_items_name_the_item);
    suite_add_tcase(s, tc);
    return s;
}
