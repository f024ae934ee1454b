/*
 * e2e_ops.c - the operations endpoints: /healthz, the OpenAPI document and
 * who may read /metrics.
 */
#include "fixture.h"
#include "suites.h"

#include <string.h>

/* GET path without credentials into r; assert 200 with Content-Type type. */
static void get_public(const char *path, const char *type,
                       struct e2e_reply *r)
{
    struct e2e_client c;
    char got[100];

    e2e_client_init(&c, e2e_srv.base);
    e2e_get(&c, path, r);
    e2e_expect_status(r, 200);
    ck_assert_int_eq(e2e_header(r, "Content-Type", got, sizeof got), 0);
    ck_assert_str_eq(got, type);
    e2e_client_release(&c);
}

START_TEST(healthz_is_public_and_ok)
{
    struct e2e_reply r = E2E_REPLY_INIT;

    get_public("/healthz", "application/json", &r);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "ok");
    e2e_reply_release(&r);
}
END_TEST

START_TEST(openapi_is_served_as_yaml)
{
    struct e2e_reply r = E2E_REPLY_INIT;

    get_public("/api/v1/openapi.yaml", "application/yaml", &r);
    ck_assert_msg(strncmp(r.body, "openapi:", 8) == 0,
                  "does not start with 'openapi:': %.60s", r.body);
    ck_assert_ptr_nonnull(strstr(r.body, "/api/v1/jobs"));
    e2e_reply_release(&r);
}
END_TEST

START_TEST(metrics_need_admin_or_manager)
{
    struct e2e_client anon, admin, manager, dispatcher;
    struct e2e_reply r = E2E_REPLY_INIT;
    char type[100];

    e2e_client_init(&anon, e2e_srv.base);
    e2e_get(&anon, "/metrics", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);

    e2e_as_role(&dispatcher, "dispatcher", NULL);
    e2e_get(&dispatcher, "/metrics", &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);

    e2e_as_role(&manager, "manager", NULL);
    e2e_get(&manager, "/metrics", &r);
    e2e_expect_status(&r, 200);

    e2e_as_admin(&admin);
    e2e_get(&admin, "/metrics", &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(e2e_header(&r, "Content-Type", type, sizeof type), 0);
    ck_assert_msg(strncmp(type, "text/plain", 10) == 0, "type %s", type);
    ck_assert_ptr_nonnull(strstr(r.body, "fsd_http_requests_total{"));
    ck_assert_ptr_nonnull(strstr(r.body, "fsd_store_write_batch_size_count"));
    e2e_reply_release(&r);
    e2e_client_release(&anon);
    e2e_client_release(&dispatcher);
    e2e_client_release(&manager);
    e2e_client_release(&admin);
}
END_TEST

Suite *e2e_ops_suite(void)
{
    Suite *s = suite_create("e2e_ops");
    TCase *tc = tcase_create("ops");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, healthz_is_public_and_ok);
    tcase_add_test(tc, openapi_is_served_as_yaml);
    tcase_add_test(tc, metrics_need_admin_or_manager);
    suite_add_tcase(s, tc);
    return s;
}
