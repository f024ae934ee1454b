/*
 * e2e_roles.c - the route table's role rules seen from outside: dispatchers
 * keep customers, assets and jobs; managers and admins keep master data
 * (skills, technicians, parts); only admins keep accounts and tokens.
 * Every refused write is checked to have changed nothing.
 */
#include "fixture.h"
#include "suites.h"

#include <string.h>

struct attempt {
    const char *path;
    const char *body; /* a valid body for path */
};

static const struct attempt master_data[] = {
    {"/api/v1/skills", "{\"code\":\"role-test\",\"name\":\"Role test\"}"},
    {"/api/v1/technicians",
     "{\"name\":\"Role Tech\",\"start_lat\":52.5,\"start_lon\":13.4}"},
    {"/api/v1/parts", "{\"sku\":\"ROLE-1\",\"name\":\"Role part\","
                      "\"cost_minor\":100,\"price_minor\":150}"},
};
#define NMASTER (sizeof master_data / sizeof master_data[0])

START_TEST(dispatcher_cannot_manage_accounts_or_master_data)
{
    struct e2e_client d, admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    size_t users, tokens, counts[NMASTER];

    e2e_as_admin(&admin);
    e2e_as_role(&d, "dispatcher", NULL);
    users = e2e_count(&admin, "/api/v1/users");
    tokens = e2e_count(&admin, "/api/v1/api-tokens");
    for (size_t i = 0; i < NMASTER; i++)
        counts[i] = e2e_count(&admin, master_data[i].path);

    e2e_send(&d, "POST", "/api/v1/users",
             json_pack("{s:s, s:s}", "username", "sneaky", "role", "admin"),
             &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    e2e_send(&d, "POST", "/api/v1/api-tokens",
             json_pack("{s:i, s:s}", "user_id", 1, "name", "sneaky"), &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    e2e_get(&d, "/api/v1/users", &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    for (size_t i = 0; i < NMASTER; i++) {
        e2e_request(&d, "POST", master_data[i].path, master_data[i].body,
                    NULL, &r);
        e2e_expect_error(&r, 403, "forbidden", NULL);
        /* Reading master data is open to all staff. */
        e2e_get(&d, master_data[i].path, &r);
        e2e_expect_status(&r, 200);
    }
    e2e_get(&d, "/metrics", &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);

    ck_assert_uint_eq(e2e_count(&admin, "/api/v1/users"), users);
    ck_assert_uint_eq(e2e_count(&admin, "/api/v1/api-tokens"), tokens);
    for (size_t i = 0; i < NMASTER; i++)
        ck_assert_uint_eq(e2e_count(&admin, master_data[i].path), counts[i]);
    e2e_reply_release(&r);
    e2e_client_release(&d);
    e2e_client_release(&admin);
}
END_TEST

START_TEST(manager_manages_master_data_but_not_accounts)
{
    struct e2e_client m, admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    size_t users;

    e2e_as_admin(&admin);
    e2e_as_role(&m, "manager", NULL);
    users = e2e_count(&admin, "/api/v1/users");
    for (size_t i = 0; i < NMASTER; i++) {
        size_t before = e2e_count(&admin, master_data[i].path);
        e2e_request(&m, "POST", master_data[i].path, master_data[i].body,
                    NULL, &r);
        e2e_expect_status(&r, 201);
        ck_assert_uint_eq(e2e_count(&admin, master_data[i].path), before + 1);
    }
    e2e_get(&m, "/metrics", &r);
    e2e_expect_status(&r, 200);
    e2e_send(&m, "POST", "/api/v1/users",
             json_pack("{s:s, s:s}", "username", "mgr-made", "role",
                       "dispatcher"), &r);
    e2e_expect_error(&r, 403, "forbidden", NULL);
    ck_assert_uint_eq(e2e_count(&admin, "/api/v1/users"), users);
    e2e_reply_release(&r);
    e2e_client_release(&m);
    e2e_client_release(&admin);
}
END_TEST

START_TEST(dispatcher_keeps_customers_assets_and_jobs)
{
    struct e2e_client d;
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[96];
    int64_t customer, asset, job;

    e2e_as_role(&d, "dispatcher", NULL);
    customer = e2e_create(&d, "/api/v1/customers",
                          json_pack("{s:s}", "name", "Dispatch Customer"));
    asset = e2e_create(&d, "/api/v1/assets",
                       json_pack("{s:I, s:s, s:s}", "customer_id",
                                 (json_int_t)customer, "model", "Boiler X",
                                 "serial", "SN-ROLE-1"));
    job = e2e_create(&d, "/api/v1/jobs",
                     json_pack("{s:I, s:I, s:s}", "customer_id",
                               (json_int_t)customer, "asset_id",
                               (json_int_t)asset, "kind", "repair"));
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
    e2e_send(&d, "PATCH", path, json_pack("{s:i}", "priority", 1), &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "priority")),
                     1);
    e2e_reply_release(&r);
    e2e_client_release(&d);
}
END_TEST

Suite *e2e_roles_suite(void)
{
    Suite *s = suite_create("e2e_roles");
    TCase *tc = tcase_create("roles");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, dispatcher_cannot_manage_accounts_or_master_data);
    tcase_add_test(tc, manager_manages_master_data_but_not_accounts);
    tcase_add_test(tc, dispatcher_keeps_customers_assets_and_jobs);
    suite_add_tcase(s, tc);
    return s;
}
