/*
 * e2e_auth.c - logging in and out, sessions, API tokens, the one-time
 * password flow, `fsd-server reset-password` and the login rate limit.
 *
 * Failed logins are counted per client address too, and every test talks
 * from 127.0.0.1: each test case keeps its failures under the limit, and
 * the rate-limit test has a server of its own.
 */
#include "fixture.h"
#include "suites.h"

#include <stdlib.h>
#include <string.h>

static long login(struct e2e_client *c, const char *user, const char *pw,
                  struct e2e_reply *r)
{
    return e2e_send(c, "POST", "/api/v1/login",
                    json_pack("{s:s, s:s}", "username", user, "password", pw),
                    r);
}

static long change_password(struct e2e_client *c, const char *current,
                            const char *next, struct e2e_reply *r)
{
    return e2e_send(c, "POST", "/api/v1/me/password",
                    json_pack("{s:s, s:s}", "current_password", current,
                              "new_password", next), r);
}

static int must_change(const struct e2e_reply *r)
{
    return json_is_true(json_object_get(json_object_get(r->json, "user"),
                                        "must_change_password"));
}

START_TEST(login_sets_a_strict_httponly_cookie)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    char cookie[300];

    e2e_client_init(&c, e2e_srv.base);
    login(&c, "admin", E2E_ADMIN_PASSWORD, &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(e2e_header(&r, "Set-Cookie", cookie, sizeof cookie), 0);
    ck_assert_msg(strncmp(cookie, "fsd_session=", 12) == 0 &&
                      strstr(cookie, "; HttpOnly") &&
                      strstr(cookie, "; SameSite=Strict") &&
                      strstr(cookie, "; Path=/"),
                  "cookie: %s", cookie);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "user"), "username")),
                     "admin");
    ck_assert(!must_change(&r));
    e2e_get(&c, "/api/v1/me", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "user"), "role")),
                     "admin");
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(bad_credentials_get_one_reply)
{
    struct e2e_client c;
    struct e2e_reply wrong = E2E_REPLY_INIT, unknown = E2E_REPLY_INIT;
    char cookie[300];

    e2e_client_init(&c, e2e_srv.base);
    login(&c, "admin", "not-the-admin-password", &wrong);
    e2e_expect_error(&wrong, 401, "invalid_credentials", "");
    login(&c, "nobody-at-all", "not-the-admin-password", &unknown);
    e2e_expect_error(&unknown, 401, "invalid_credentials", "");
    /* Nothing in the reply tells an unknown user from a wrong password. */
    ck_assert_str_eq(wrong.body, unknown.body);
    ck_assert_int_ne(e2e_header(&wrong, "Set-Cookie", cookie, sizeof cookie),
                     0);
    ck_assert_int_ne(e2e_header(&unknown, "Set-Cookie", cookie,
                                sizeof cookie), 0);
    ck_assert_str_eq(c.cookie, "");
    e2e_send(&c, "POST", "/api/v1/login",
             json_pack("{s:s}", "username", "admin"), &wrong);
    e2e_expect_error(&wrong, 400, "missing_field", "password");
    e2e_reply_release(&wrong);
    e2e_reply_release(&unknown);
    e2e_client_release(&c);
}
END_TEST

START_TEST(logout_ends_the_session)
{
    struct e2e_client c, other;
    struct e2e_reply r = E2E_REPLY_INIT;
    char cookie[300];

    e2e_admin_client(&c, &e2e_srv);
    e2e_get(&c, "/api/v1/me", &r);
    e2e_expect_status(&r, 200);
    e2e_request(&c, "POST", "/api/v1/logout", NULL, NULL, &r);
    e2e_expect_status(&r, 204);
    ck_assert_int_eq(e2e_header(&r, "Set-Cookie", cookie, sizeof cookie), 0);
    ck_assert_msg(strncmp(cookie, "fsd_session=;", 13) == 0 &&
                      strstr(cookie, "Max-Age=0"),
                  "logout cookie: %s", cookie);
    /* The client still sends the old cookie: the server must refuse it. */
    ck_assert_str_ne(c.cookie, "");
    e2e_get(&c, "/api/v1/me", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_get(&c, "/api/v1/customers", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_request(&c, "POST", "/api/v1/logout", NULL, NULL, &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    /* Other sessions of the same user live on. */
    e2e_as_admin(&other);
    e2e_get(&other, "/api/v1/me", &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&other);
}
END_TEST

START_TEST(requests_without_credentials_are_unauthorized)
{
    static const char *const paths[] = {"/api/v1/me", "/api/v1/customers",
                                        "/api/v1/jobs", "/api/v1/users"};
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_client_init(&c, e2e_srv.base);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        e2e_get(&c, paths[i], &r);
        e2e_expect_error(&r, 401, "unauthorized", NULL);
    }
    snprintf(c.cookie, sizeof c.cookie, "fsd_session=forged-session-value");
    e2e_get(&c, "/api/v1/me", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_send(&c, "POST", "/api/v1/customers",
             json_pack("{s:s}", "name", "Anonymous Ltd"), &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(bad_bearer_tokens_are_unauthorized)
{
    static const char *const bad[] = {
        "Authorization: Bearer not-a-real-token",
        "Authorization: Bearer ",
        "Authorization: Basic YWRtaW46YWRtaW4=",
        NULL};
    struct e2e_client c, admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    size_t before;

    e2e_as_admin(&admin);
    before = e2e_count(&admin, "/api/v1/customers");
    e2e_client_init(&c, e2e_srv.base);
    for (size_t i = 0; bad[i]; i++) {
        const char *h[] = {bad[i], NULL};
        e2e_request(&c, "GET", "/api/v1/customers", NULL, h, &r);
        e2e_expect_error(&r, 401, "unauthorized", NULL);
        e2e_request(&c, "POST", "/api/v1/customers", "{\"name\":\"X\"}", h,
                    &r);
        e2e_expect_error(&r, 401, "unauthorized", NULL);
    }
    ck_assert_uint_eq(e2e_count(&admin, "/api/v1/customers"), before);
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&admin);
}
END_TEST

START_TEST(revoked_token_is_unauthorized)
{
    struct e2e_client admin, c;
    struct e2e_reply r = E2E_REPLY_INIT;
    char name[64], path[96];
    json_int_t token_id;
    size_t before;

    e2e_as_admin(&admin);
    e2e_unique(name, sizeof name, "revoked");
    before = e2e_count(&admin, "/api/v1/api-tokens");
    token_id = e2e_token_client(&admin, &c, 1, name);
    e2e_get(&c, "/api/v1/customers", &r);
    e2e_expect_status(&r, 200);

    snprintf(path, sizeof path, "/api/v1/api-tokens/%lld", (long long)token_id);
    e2e_get(&admin, path, &r);
    e2e_expect_status(&r, 200);
    ck_assert(json_is_null(json_object_get(r.json, "revoked_at")));
    ck_assert_ptr_null(json_object_get(r.json, "token")); /* shown once */
    e2e_request(&admin, "DELETE", path, NULL, NULL, &r);
    e2e_expect_status(&r, 204);

    e2e_get(&c, "/api/v1/customers", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    e2e_get(&admin, path, &r);
    e2e_expect_status(&r, 200);
    ck_assert(json_is_string(json_object_get(r.json, "revoked_at")));
    e2e_request(&admin, "DELETE", path, NULL, NULL, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    /* Revoking keeps the record. */
    ck_assert_uint_eq(e2e_count(&admin, "/api/v1/api-tokens"), before + 1);
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&admin);
}
END_TEST

START_TEST(new_user_must_replace_one_time_password)
{
    struct e2e_client admin, c;
    struct e2e_reply r = E2E_REPLY_INIT;
    char name[64], otp[64], path[96];
    json_int_t id;
    size_t before;

    e2e_as_admin(&admin);
    e2e_unique(name, sizeof name, "newbie");
    e2e_send(&admin, "POST", "/api/v1/users",
             json_pack("{s:s, s:s}", "username", name, "role", "dispatcher"),
             &r);
    e2e_expect_status(&r, 201);
    ck_assert(json_is_true(json_object_get(r.json, "must_change_password")));
    snprintf(otp, sizeof otp, "%s", json_string_value(
                 json_object_get(r.json, "one_time_password")));
    ck_assert_uint_ge(strlen(otp), 12);
    id = json_integer_value(json_object_get(r.json, "id"));
    before = e2e_count(&admin, "/api/v1/customers");

    e2e_client_init(&c, e2e_srv.base);
    login(&c, name, otp, &r);
    e2e_expect_status(&r, 200);
    ck_assert(must_change(&r));
    e2e_get(&c, "/api/v1/customers", &r);
    e2e_expect_error(&r, 403, "password_change_required", NULL);
    e2e_send(&c, "POST", "/api/v1/customers",
             json_pack("{s:s}", "name", "Too Early Ltd"), &r);
    e2e_expect_error(&r, 403, "password_change_required", NULL);
    ck_assert_uint_eq(e2e_count(&admin, "/api/v1/customers"), before);
    e2e_get(&c, "/api/v1/me", &r);
    e2e_expect_status(&r, 200);
    ck_assert(must_change(&r));

    change_password(&c, otp, E2E_USER_PASSWORD2, &r);
    e2e_expect_status(&r, 204);
    e2e_get(&c, "/api/v1/customers", &r);
    e2e_expect_status(&r, 200);
    e2e_get(&c, "/api/v1/me", &r);
    ck_assert(!must_change(&r));
    snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
    e2e_get(&admin, path, &r);
    e2e_expect_status(&r, 200);
    ck_assert(json_is_false(json_object_get(r.json, "must_change_password")));
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&admin);
}
END_TEST

/* Runs on a server whose admin still has the password init printed. */
START_TEST(admin_must_replace_one_time_password)
{
    const char *otp = e2e_srv.admin_password;
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_client_init(&c, e2e_srv.base);
    login(&c, "admin", otp, &r);
    e2e_expect_status(&r, 200);
    ck_assert(must_change(&r));
    e2e_get(&c, "/api/v1/users", &r);
    e2e_expect_error(&r, 403, "password_change_required", NULL);
    e2e_send(&c, "POST", "/api/v1/users",
             json_pack("{s:s, s:s}", "username", "early", "role", "manager"),
             &r);
    e2e_expect_error(&r, 403, "password_change_required", NULL);
    e2e_get(&c, "/metrics", &r);
    e2e_expect_error(&r, 403, "password_change_required", NULL);

    change_password(&c, "wrong-current-password", E2E_ADMIN_PASSWORD, &r);
    e2e_expect_error(&r, 403, "invalid_credentials", "current_password");
    change_password(&c, otp, "short", &r);
    e2e_expect_error(&r, 400, "invalid_length", "new_password");
    change_password(&c, otp, otp, &r);
    e2e_expect_error(&r, 400, "password_reused", "new_password");
    e2e_get(&c, "/api/v1/customers", &r);
    e2e_expect_error(&r, 403, "password_change_required", NULL);

    change_password(&c, otp, E2E_ADMIN_PASSWORD, &r);
    e2e_expect_status(&r, 204);
    /* The session that changed the password stays valid. */
    e2e_get(&c, "/api/v1/users", &r);
    e2e_expect_status(&r, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "items")), 1);
    e2e_get(&c, "/api/v1/me", &r);
    ck_assert(!must_change(&r));

    login(&c, "admin", otp, &r);
    e2e_expect_error(&r, 401, "invalid_credentials", NULL);
    login(&c, "admin", E2E_ADMIN_PASSWORD, &r);
    e2e_expect_status(&r, 200);
    ck_assert(!must_change(&r));
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

/* `fsd-server reset-password` on the serving database: the new password
 * is one-time, the old one and every session of that user end, others'
 * sessions live on; an unknown user changes nothing. */
START_TEST(reset_password_gives_a_new_one_time_password)
{
    struct e2e_client admin, staff, fresh;
    struct e2e_reply r = E2E_REPLY_INIT;
    char name[64], out[1024], otp[64];

    e2e_admin_client(&admin, &e2e_srv);
    e2e_new_user(&admin, "dispatcher", name, sizeof name);
    e2e_client_init(&staff, e2e_srv.base);
    login(&staff, name, E2E_USER_PASSWORD, &r);
    e2e_expect_status(&r, 200);

    ck_assert_int_eq(e2e_server_command(&e2e_srv, "reset-password", name,
                                        out, sizeof out), 0);
    ck_assert_msg(e2e_parse_login(out, name, otp, sizeof otp) == 0,
                  "reset-password printed: %s", out);
    ck_assert_msg(strstr(out, "dispatcher login: ") == out &&
                      strstr(out, "(one-time: change it at first login;"),
                  "reset-password printed: %s", out);
    ck_assert_uint_eq(strlen(otp), 16);
    e2e_get(&staff, "/api/v1/me", &r);
    e2e_expect_error(&r, 401, "unauthorized", NULL);
    login(&staff, name, E2E_USER_PASSWORD, &r);
    e2e_expect_error(&r, 401, "invalid_credentials", NULL);
    login(&staff, name, otp, &r);
    e2e_expect_status(&r, 200);
    ck_assert(must_change(&r));
    e2e_get(&staff, "/api/v1/customers", &r);
    e2e_expect_error(&r, 403, "password_change_required", NULL);
    change_password(&staff, otp, "a-new-password-of-mine", &r);
    e2e_expect_status(&r, 204);
    e2e_get(&staff, "/api/v1/customers", &r);
    e2e_expect_status(&r, 200);
    e2e_get(&admin, "/api/v1/me", &r); /* the admin's session lives on */
    e2e_expect_status(&r, 200);

    ck_assert_int_eq(e2e_server_command(&e2e_srv, "reset-password", "ghost",
                                        out, sizeof out), 1);
    ck_assert_msg(strstr(out, "fsd-server reset-password: no user named"
                              " 'ghost' in "),
                  "reset-password printed: %s", out);
    e2e_client_init(&fresh, e2e_srv.base);
    login(&fresh, name, "a-new-password-of-mine", &r);
    e2e_expect_status(&r, 200);
    ck_assert(!must_change(&r));
    e2e_reply_release(&r);
    e2e_client_release(&fresh);
    e2e_client_release(&staff);
    e2e_client_release(&admin);
}
END_TEST

START_TEST(failed_logins_are_rate_limited)
{
    struct e2e_client c, admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    char retry[32], *end;
    long wait;

    e2e_client_init(&c, e2e_srv.base);
    for (int i = 0; i < 5; i++) {
        login(&c, "admin", "wrong-password-guess", &r);
        e2e_expect_error(&r, 401, "invalid_credentials", NULL);
    }
    login(&c, "admin", "wrong-password-guess", &r);
    e2e_expect_error(&r, 429, "too_many_attempts", NULL);
    ck_assert_int_eq(e2e_header(&r, "Retry-After", retry, sizeof retry), 0);
    wait = strtol(retry, &end, 10);
    ck_assert_msg(*end == '\0' && wait >= 1 && wait <= 300,
                  "Retry-After: %s", retry);
    /* Locked out: even the right password, and any user from here. */
    login(&c, "admin", E2E_ADMIN_PASSWORD, &r);
    e2e_expect_error(&r, 429, "too_many_attempts", NULL);
    ck_assert_str_eq(c.cookie, "");
    login(&c, "someone-else", "another-password", &r);
    e2e_expect_error(&r, 429, "too_many_attempts", NULL);
    /* Sessions made before are not affected. */
    e2e_as_admin(&admin);
    e2e_get(&admin, "/api/v1/me", &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&admin);
}
END_TEST

static TCase *auth_tcase(const char *name, void (*setup)(void))
{
    TCase *tc = tcase_create(name);

    tcase_add_unchecked_fixture(tc, setup, e2e_teardown);
    tcase_set_timeout(tc, 20);
    return tc;
}

Suite *e2e_auth_suite(void)
{
    Suite *s = suite_create("e2e_auth");
    TCase *tc = auth_tcase("sessions_and_tokens", e2e_setup_ready);

    tcase_add_test(tc, login_sets_a_strict_httponly_cookie);
    tcase_add_test(tc, bad_credentials_get_one_reply);
    tcase_add_test(tc, logout_ends_the_session);
    tcase_add_test(tc, requests_without_credentials_are_unauthorized);
    tcase_add_test(tc, bad_bearer_tokens_are_unauthorized);
    tcase_add_test(tc, revoked_token_is_unauthorized);
    tcase_add_test(tc, new_user_must_replace_one_time_password);
    suite_add_tcase(s, tc);

    tc = auth_tcase("first_login", e2e_setup_fresh);
    tcase_add_test(tc, admin_must_replace_one_time_password);
    suite_add_tcase(s, tc);

    tc = auth_tcase("reset_password", e2e_setup_ready);
    tcase_add_test(tc, reset_password_gives_a_new_one_time_password);
    suite_add_tcase(s, tc);

    tc = auth_tcase("rate_limit", e2e_setup_ready);
    tcase_add_test(tc, failed_logins_are_rate_limited);
    suite_add_tcase(s, tc);
    return s;
}
