/*
 * e2e_accounts.c - staff accounts as the admin keeps them: creating users
 * (and what is refused), deactivating them, the last-admin rule, and a
 * password change ending the user's other sessions.
 *
 * Logging in as a deactivated user is a failed login; this test case stays
 * well under the per-address limit.
 */
#include "fixture.h"
#include "suites.h"

#include <string.h>

static int64_t new_user(struct e2e_client *admin, const char *name,
                        const char *role)
{
    return e2e_create(admin, "/api/v1/users",
                      json_pack("{s:s, s:s, s:s}", "username", name, "role",
                                role, "password", E2E_USER_PASSWORD));
}

static void login_as(struct e2e_client *c, const char *name, const char *pw)
{
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_client_init(c, e2e_srv.base);
    e2e_send(c, "POST", "/api/v1/login",
             json_pack("{s:s, s:s}", "username", name, "password", pw), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
}

START_TEST(bad_new_users_are_refused)
{
    static const struct {
        const char *body, *code, *field;
        long status;
    } cases[] = {
        {"{\"username\":\"admin\",\"role\":\"admin\"}", "duplicate",
         "username", 409},
        {"{\"username\":\"Has Space\",\"role\":\"admin\"}", "invalid_username",
         "username", 400},
        {"{\"username\":\"ok-name\",\"role\":\"root\"}", "invalid_choice",
         "role", 400},
        {"{\"username\":\"ok-name\",\"role\":\"manager\",\"password\":\"short\"}",
         "invalid_length", "password", 400},
        {"{\"username\":\"ok-name\"}", "missing_field", "role", 400},
        {"{\"username\":\"ok-name\",\"role\":\"manager\",\"active\":false}",
         "unknown_field", "active", 400},
    };
    struct e2e_client admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    size_t users = 0, tokens;

    e2e_as_admin(&admin);
    users = e2e_count(&admin, "/api/v1/users");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        e2e_request(&admin, "POST", "/api/v1/users", cases[i].body, NULL, &r);
        ck_assert_msg(e2e_error_is(&r, cases[i].status, cases[i].code,
                                   cases[i].field),
                      "%s: got %ld %s", cases[i].body, r.status, r.body);
    }
    ck_assert_uint_eq(e2e_count(&admin, "/api/v1/users"), users);

    tokens = e2e_count(&admin, "/api/v1/api-tokens");
    e2e_send(&admin, "POST", "/api/v1/api-tokens",
             json_pack("{s:i, s:s}", "user_id", 99999999, "name", "ghost"),
             &r);
    e2e_expect_error(&r, 400, "invalid_reference", "user_id");
    ck_assert_uint_eq(e2e_count(&admin, "/api/v1/api-tokens"), tokens);
    e2e_reply_release(&r);
    e2e_client_release(&admin);
}
END_TEST

START_TEST(last_admin_cannot_be_demoted)
{
    struct e2e_client admin;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_as_admin(&admin);
    /* The fixture's admin (id 1) is the only admin on this server. */
    e2e_send(&admin, "PATCH", "/api/v1/users/1",
             json_pack("{s:s}", "role", "manager"), &r);
    e2e_expect_error(&r, 409, "last_admin", "role");
    e2e_send(&admin, "PATCH", "/api/v1/users/1",
             json_pack("{s:b}", "active", 0), &r);
    e2e_expect_error(&r, 409, "last_admin", NULL);
    e2e_get(&admin, "/api/v1/users/1", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "role")),
                     "admin");
    ck_assert(json_is_true(json_object_get(r.json, "active")));
    e2e_send(&admin, "PATCH", "/api/v1/users/1",
             json_pack("{s:s}", "username", "root"), &r);
    e2e_expect_error(&r, 400, "read_only_field", "username");
    e2e_reply_release(&r);
    e2e_client_release(&admin);
}
END_TEST

START_TEST(deactivated_users_are_locked_out)
{
    struct e2e_client admin, session, token;
    struct e2e_reply r = E2E_REPLY_INIT;
    char name[64], path[96];
    int64_t id;

    e2e_as_admin(&admin);
    e2e_unique(name, sizeof name, "leaver");
    id = new_user(&admin, name, "dispatcher");
    login_as(&session, name, E2E_USER_PASSWORD);
    e2e_token_client(&admin, &token, id, name);
    e2e_get(&token, "/api/v1/customers", &r);
    e2e_expect_status(&r, 200);

    snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
    e2e_send(&admin, "PATCH", path, json_pack("{s:b}", "active", 0), &r);
    e2e_expect_status(&r, 200);
    ck_assert(json_is_false(json_object_get(r.json, "active")));
    e2e_get(&session, "/api/v1/me", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_get(&token, "/api/v1/customers", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_send(&session, "POST", "/api/v1/login",
             json_pack("{s:s, s:s}", "username", name, "password",
                       E2E_USER_PASSWORD), &r);
    e2e_expect_error(&r, 401, "invalid_credentials", NULL);
    e2e_reply_release(&r);
    e2e_client_release(&admin);
    e2e_client_release(&session);
    e2e_client_release(&token);
}
END_TEST

START_TEST(password_change_ends_other_sessions)
{
    struct e2e_client admin, first, second;
    struct e2e_reply r = E2E_REPLY_INIT;
    char name[64];

    e2e_as_admin(&admin);
    e2e_unique(name, sizeof name, "twice");
    new_user(&admin, name, "manager");
    login_as(&first, name, E2E_USER_PASSWORD);
    login_as(&second, name, E2E_USER_PASSWORD);
    ck_assert_str_ne(first.cookie, second.cookie);
    e2e_send(&first, "POST", "/api/v1/me/password",
             json_pack("{s:s, s:s}", "current_password", E2E_USER_PASSWORD,
                       "new_password", E2E_USER_PASSWORD2), &r);
    e2e_expect_status(&r, 204);
    e2e_get(&first, "/api/v1/skills", &r);
    e2e_expect_status(&r, 200);
    e2e_get(&second, "/api/v1/me", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_reply_release(&r);
    e2e_client_release(&admin);
    e2e_client_release(&first);
    e2e_client_release(&second);
}
END_TEST

Suite *e2e_accounts_suite(void)
{
    Suite *s = suite_create("e2e_accounts");
    TCase *tc = tcase_create("accounts");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, bad_new_users_are_refused);
    tcase_add_test(tc, last_admin_cannot_be_demoted);
    tcase_add_test(tc, deactivated_users_are_locked_out);
    tcase_add_test(tc, password_change_ends_other_sessions);
    suite_add_tcase(s, tc);
    return s;
}
