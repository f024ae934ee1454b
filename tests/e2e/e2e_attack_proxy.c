/*
 * e2e_attack_proxy.c - behind a proxy: with --trusted-proxy 127.0.0.1 the
 * login limit counts each client address X-Forwarded-For names (not the
 * proxy's one address for everybody), X-Forwarded-Proto: https puts
 * Secure on the session cookie, and the access log names the client;
 * without it, the same headers are ignored.
 */
#include "attack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 5

/* A wrong-password login for user through the "proxy" for client;
 * the status. */
static long via_proxy(const char *client, const char *user)
{
    struct raw_reply r;
    char extra[96];
    long status;

    snprintf(extra, sizeof extra, "X-Forwarded-For: 192.0.2.99, %s\r\n",
             client);
    status = raw_login(NULL, user, "guess", extra, &r);
    raw_reply_release(&r);
    return status;
}

/* Five users each fail once from client a: a's address is spent. */
static void spend_address(struct e2e_client *admin, const char *a)
{
    char name[64];

    for (int i = 0; i < LIMIT; i++) {
        e2e_new_user(admin, "dispatcher", name, sizeof name);
        ck_assert_int_eq(via_proxy(a, name), 401);
    }
}

START_TEST(a_trusted_proxy_names_the_client)
{
    struct e2e_client admin;
    struct raw_reply r;
    char name[64], cookie[256];
    char *log;

    e2e_as_admin(&admin);
    spend_address(&admin, "198.51.100.1");
    e2e_new_user(&admin, "dispatcher", name, sizeof name);
    ck_assert_int_eq(via_proxy("198.51.100.1", name), 429);
    ck_assert_int_eq(via_proxy("198.51.100.2", name), 401);

    ck_assert_int_eq(raw_login(NULL, name, E2E_USER_PASSWORD,
                               "X-Forwarded-Proto: https\r\n", &r), 200);
    ck_assert_int_eq(raw_header(&r, "Set-Cookie", cookie, sizeof cookie), 0);
    ck_assert_msg(strstr(cookie, "; Secure"), "cookie: %s", cookie);
    raw_reply_release(&r);
    ck_assert_int_eq(raw_login(NULL, name, E2E_USER_PASSWORD, "", &r), 200);
    ck_assert_int_eq(raw_header(&r, "Set-Cookie", cookie, sizeof cookie), 0);
    ck_assert_msg(!strstr(cookie, "Secure"), "cookie: %s", cookie);
    raw_reply_release(&r);

    log = e2e_server_log();
    ck_assert_ptr_nonnull(strstr(log, "198.51.100.2 POST /api/v1/login 401"));
    ck_assert_ptr_null(strstr(log, "192.0.2.99 POST")); /* the client's own */
    free(log);
    e2e_client_release(&admin);
}
END_TEST

START_TEST(without_it_the_headers_are_ignored)
{
    struct e2e_client admin;
    struct raw_reply r;
    char name[64], cookie[256];

    e2e_as_admin(&admin);
    spend_address(&admin, "198.51.100.1");
    e2e_new_user(&admin, "dispatcher", name, sizeof name);
    /* every "client" is the peer, 127.0.0.1, whose attempts are spent */
    ck_assert_int_eq(via_proxy("198.51.100.2", name), 429);
    ck_assert_int_eq(raw_login("127.0.0.2", name, E2E_USER_PASSWORD,
                               "X-Forwarded-Proto: https\r\n", &r), 200);
    ck_assert_int_eq(raw_header(&r, "Set-Cookie", cookie, sizeof cookie), 0);
    ck_assert_msg(!strstr(cookie, "Secure"), "cookie: %s", cookie);
    raw_reply_release(&r);
    e2e_client_release(&admin);
}
END_TEST

static void setup_trusting(void)
{
    static const char *const args[] = {"--trusted-proxy", "::1,127.0.0.1",
                                       NULL};

    e2e_setup_with(args);
}

void attack_proxy_tcases(Suite *s)
{
    TCase *tc = tcase_create("trusted_proxy");

    tcase_add_unchecked_fixture(tc, setup_trusting, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_trusted_proxy_names_the_client);
    suite_add_tcase(s, tc);
    tc = tcase_create("untrusted_proxy");
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, without_it_the_headers_are_ignored);
    suite_add_tcase(s, tc);
}
