/*
 * e2e_attack_auth.c - attacks on authentication, each attempt counted and
 * refused with the API's exact error, the database unchanged: forged,
 * tampered, swapped, logged-out, expired, superseded (password change) and
 * deactivated session cookies (401 unauthorized); cookie writes without
 * their session's CSRF token (403 csrf_required / csrf_mismatch); and
 * brute-force logins past --login-limit (429 with Retry-After, even with
 * the right password), per user and per address, from other loopback
 * addresses (127.0.0.2-5), which a forwarding header does not change.
 */
#include "attack.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A GET and a write (with its session's CSRF token) as cookie: both
 * 401 unauthorized. */
static void expect_refused_cookie(struct tally *t, const char *what,
                                  const char *cookie, const char *csrf)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_client_init(&c, e2e_srv.base);
    snprintf(c.cookie, sizeof c.cookie, "%s", cookie);
    snprintf(c.csrf, sizeof c.csrf, "%s", csrf);
    e2e_get(&c, "/api/v1/me", &r);
    tally_check(t, e2e_error_is(&r, 401, "unauthorized", NULL),
                "GET /api/v1/me with %s: %ld %s", what, r.status, r.body);
    e2e_send(&c, "POST", "/api/v1/customers",
             json_pack("{s:s}", "name", "Stale cookie Ltd"), &r);
    tally_check(t, e2e_error_is(&r, 401, "unauthorized", NULL),
                "POST /api/v1/customers with %s: %ld %s", what, r.status,
                r.body);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}

START_TEST(forged_and_stale_sessions_are_unauthorized)
{
    struct e2e_client live, gone, expired, s1, s2, off, admin, tok;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    char name[64], off_name[64], cookie[200], token[44], path[64];
    unsigned char rnd[32];
    int64_t off_id;

    /* the stale cookies, made first */
    session_user(&live, "dispatcher", name, sizeof name);
    session_user(&gone, "dispatcher", name, sizeof name);
    e2e_request(&gone, "POST", "/api/v1/logout", NULL, NULL, &r);
    e2e_expect_status(&r, 204);
    session_user(&s1, "manager", name, sizeof name);
    login_again(&s2, name);
    e2e_send(&s1, "POST", "/api/v1/me/password",
             json_pack("{s:s, s:s}", "current_password", E2E_USER_PASSWORD2,
                       "new_password", "e2e-user-password-0003"), &r);
    e2e_expect_status(&r, 204);
    off_id = session_user(&off, "dispatcher", off_name, sizeof off_name);
    e2e_as_admin(&admin);
    snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)off_id);
    e2e_send(&admin, "PATCH", path, json_pack("{s:b}", "active", 0), &r);
    e2e_expect_status(&r, 200);
    e2e_send(&admin, "PATCH", path, json_pack("{s:b}", "active", 1), &r);
    e2e_expect_status(&r, 200); /* reactivating restores no session */
    e2e_as_role(&tok, "admin", NULL);
    /* last: a login deletes expired sessions, and this one must still be
     * there, past its expiry, when it is used */
    session_user(&expired, "dispatcher", name, sizeof name);
    db_exec("UPDATE sessions SET created_at = created_at - 86400,"
            " expires_at = created_at - 1 WHERE id ="
            " (SELECT max(id) FROM sessions)");

    tally_init(&t, "session_cookies");
    fp_take(&before);
    for (int i = 0; i < 10; i++) { /* well-formed random session tokens */
        randombytes_buf(rnd, sizeof rnd);
        sodium_bin2base64(token, sizeof token, rnd, sizeof rnd,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        snprintf(cookie, sizeof cookie, "fsd_session=%s", token);
        expect_refused_cookie(&t, "a random cookie", cookie, token);
    }
    {
        static const char *const forged[] = {
            "fsd_session=", "fsd_session=' OR 1=1 --",
            "fsd_session=%00", "fsd_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                               "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                               "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "FSD_SESSION=x", "fsd_session =x"};
        for (size_t i = 0; i < N(forged); i++)
            expect_refused_cookie(&t, forged[i], forged[i], "x");
    }
    /* one character of a live session changed */
    snprintf(cookie, sizeof cookie, "%s", live.cookie);
    cookie[20] = cookie[20] == 'A' ? 'B' : 'A';
    expect_refused_cookie(&t, "a tampered cookie", cookie, live.csrf);
    /* an API token is no session, a session no API token */
    snprintf(cookie, sizeof cookie, "fsd_session=%s", tok.bearer);
    expect_refused_cookie(&t, "an API token as cookie", cookie, "x");
    {
        const char *h[] = {NULL, NULL};
        char line[400];
        snprintf(line, sizeof line, "Authorization: Bearer %s",
                 live.cookie + strlen("fsd_session="));
        h[0] = line;
        e2e_request(&tok, "GET", "/api/v1/me", NULL, h, &r);
        tally_check(&t, e2e_error_is(&r, 401, "unauthorized", NULL),
                    "a session as bearer: %ld %s", r.status, r.body);
    }
    expect_refused_cookie(&t, "a logged-out cookie", gone.cookie, gone.csrf);
    expect_refused_cookie(&t, "an expired cookie", expired.cookie,
                          expired.csrf);
    expect_refused_cookie(&t, "a session ended by a password change",
                          s2.cookie, s2.csrf);
    expect_refused_cookie(&t, "a deactivated user's cookie", off.cookie,
                          off.csrf);
    /* the controls: the live and the password-changing sessions work */
    e2e_get(&live, "/api/v1/me", &r);
    tally_check(&t, r.status == 200, "live session: %ld", r.status);
    e2e_get(&s1, "/api/v1/me", &r);
    tally_check(&t, r.status == 200, "the session that changed the"
                " password: %ld", r.status);
    fp_take(&after);
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_client_release(&live);
    e2e_client_release(&gone);
    e2e_client_release(&expired);
    e2e_client_release(&s1);
    e2e_client_release(&s2);
    e2e_client_release(&off);
    e2e_client_release(&admin);
    e2e_client_release(&tok);
}
END_TEST

START_TEST(cookie_writes_need_their_own_csrf_token)
{
    struct e2e_client a, b;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    char name[64], path[64], csrf[64], hdr[8][400];
    int64_t cust;
    struct {
        const char *method, *path;
        json_t *body;
    } writes[7];

    e2e_admin_client(&a, &e2e_srv);
    session_user(&b, "dispatcher", name, sizeof name);
    cust = e2e_create(&a, "/api/v1/customers",
                      json_pack("{s:s}", "name", "CSRF target"));
    snprintf(path, sizeof path, "/api/v1/customers/%lld", (long long)cust);
    snprintf(csrf, sizeof csrf, "%s", a.csrf);
    a.csrf[0] = '\0'; /* headers are given by hand below */
    snprintf(hdr[0], sizeof hdr[0], "X-CSRF-Token: %s", b.csrf);
    snprintf(hdr[1], sizeof hdr[1], "X-CSRF-Token;"); /* empty */
    snprintf(hdr[2], sizeof hdr[2], "X-CSRF-Token: %s", csrf);
    hdr[2][20] = hdr[2][20] == 'A' ? 'B' : 'A';
    snprintf(hdr[3], sizeof hdr[3], "X-CSRF-Token: %sx", csrf);
    snprintf(hdr[4], sizeof hdr[4], "X-CSRF-Token: %.42s", csrf);
    snprintf(hdr[5], sizeof hdr[5], "X-CSRF-Token: %s",
             a.cookie + strlen("fsd_session="));
    snprintf(hdr[6], sizeof hdr[6], "X-CSRF-Token: %s", b.cookie);
    snprintf(hdr[7], sizeof hdr[7], "X-Csrf-Token-Other: %s", csrf);

    tally_init(&t, "csrf");
    fp_take(&before);
    for (int k = -1; k < 8; k++) {
        int i = 0;
        writes[i].method = "POST", writes[i].path = "/api/v1/customers",
        writes[i++].body = json_pack("{s:s}", "name", "Forged Ltd");
        writes[i].method = "PATCH", writes[i].path = path,
        writes[i++].body = json_pack("{s:s}", "name", "Forged name");
        writes[i].method = "DELETE", writes[i].path = path,
        writes[i++].body = NULL;
        writes[i].method = "POST", writes[i].path = "/api/v1/logout",
        writes[i++].body = NULL;
        writes[i].method = "POST", writes[i].path = "/api/v1/me/password",
        writes[i++].body = json_pack("{s:s, s:s}", "current_password",
                                     E2E_ADMIN_PASSWORD, "new_password",
                                     "forged-password-0001");
        writes[i].method = "POST", writes[i].path = "/api/v1/users",
        writes[i++].body = json_pack("{s:s, s:s}", "username", "forged-user",
                                     "role", "admin");
        writes[i].method = "POST", writes[i].path = "/api/v1/api-tokens",
        writes[i++].body = json_pack("{s:i, s:s}", "user_id", 1, "name",
                                     "forged-token");
        for (i = 0; i < 7; i++) {
            const char *h[] = {k < 0 ? NULL : hdr[k], NULL};
            char *text = writes[i].body
                             ? json_dumps(writes[i].body, JSON_COMPACT)
                             : NULL;
            /* no token at all, or a header by another name: required */
            const char *want = k < 0 || k == 7 ? "csrf_required"
                                               : "csrf_mismatch";
            e2e_request(&a, writes[i].method, writes[i].path, text, h, &r);
            tally_check(&t, e2e_error_is(&r, 403, want, NULL),
                        "%s %s with %s: %ld %s", writes[i].method,
                        writes[i].path, k < 0 ? "no token" : hdr[k],
                        r.status, r.body);
            free(text);
            json_decref(writes[i].body);
        }
    }
    /* the token in the query string instead of the header */
    {
        char q[160];
        snprintf(q, sizeof q, "/api/v1/customers?csrf_token=%s", csrf);
        e2e_request(&a, "POST", q, "{\"name\":\"Forged Ltd\"}", NULL, &r);
        tally_check(&t, e2e_error_is(&r, 403, "csrf_required", NULL),
                    "token in the query: %ld %s", r.status, r.body);
    }
    fp_take(&after);
    /* the control: the session's own token works */
    snprintf(a.csrf, sizeof a.csrf, "%s", csrf);
    e2e_send(&a, "PATCH", path, json_pack("{s:s}", "name", "Real name"), &r);
    e2e_expect_status(&r, 200);
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_client_release(&a);
    e2e_client_release(&b);
}
END_TEST

/* One login attempt from src: the status must be want (401 with
 * invalid_credentials, 429 with too_many_attempts and a Retry-After of 1
 * to 300 s, or 200), and a refusal sets no cookie. */
static void attempt_login(struct tally *t, const char *src, const char *user,
                          const char *password, const char *extra, long want)
{
    struct raw_reply r;
    char retry[32] = "", cookie[8];
    long wait;
    int ok;

    raw_login(src, user, password, extra, &r);
    wait = raw_header(&r, "Retry-After", retry, sizeof retry) == 0
               ? strtol(retry, NULL, 10)
               : 0;
    ok = r.status == want &&
         (want == 200 || raw_header(&r, "Set-Cookie", cookie,
                                    sizeof cookie) != 0);
    if (want == 401)
        ok = ok && strstr(r.body, "\"invalid_credentials\"");
    if (want == 429)
        ok = ok && strstr(r.body, "\"too_many_attempts\"") && wait >= 1 &&
             wait <= 300;
    tally_check(t, ok, "login %s/%s from %s %s: want %ld, got %ld %s%s",
                user, password, src, extra, want, r.status, retry, r.body);
    raw_reply_release(&r);
}

START_TEST(brute_force_logins_are_locked_out)
{
    static const char *const spoof =
        "X-Forwarded-For: 10.9.8.7\r\nX-Real-IP: 10.9.8.7\r\n"
        "Forwarded: for=10.9.8.7\r\n";
    struct e2e_client u, v, admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    char victim[64], other[64], nobody[64], upper[80];

    session_user(&u, "admin", victim, sizeof victim);
    session_user(&v, "dispatcher", other, sizeof other);
    tally_init(&t, "brute_force_login");
    fp_take(&before);
    /* per user: three failures from one address lock the account out
     * everywhere, the right password included */
    for (int i = 0; i < 3; i++)
        attempt_login(&t, "127.0.0.2", victim, "wrong-guess-000", "", 401);
    attempt_login(&t, "127.0.0.2", victim, "wrong-guess-000", "", 429);
    attempt_login(&t, "127.0.0.2", victim, E2E_USER_PASSWORD2, "", 429);
    attempt_login(&t, "127.0.0.3", victim, E2E_USER_PASSWORD2, "", 429);
    attempt_login(&t, "127.0.0.3", victim, E2E_USER_PASSWORD2, spoof, 429);
    /* other spellings are other (unknown) users, never the account */
    snprintf(upper, sizeof upper, "%s", victim);
    upper[0] = (char)(upper[0] - 'a' + 'A');
    attempt_login(&t, "127.0.0.3", upper, E2E_USER_PASSWORD2, "", 401);
    snprintf(upper, sizeof upper, "%s ", victim);
    attempt_login(&t, "127.0.0.3", upper, E2E_USER_PASSWORD2, "", 401);
    /* per address: three failures for three users lock the address out,
     * for a fourth user with the right password too */
    for (int i = 0; i < 3; i++) {
        e2e_unique(nobody, sizeof nobody, "nobody");
        attempt_login(&t, "127.0.0.4", nobody, "wrong-guess-000", "", 401);
    }
    attempt_login(&t, "127.0.0.4", "yet-another-name", "x-wrong-guess-0", "",
                  429);
    attempt_login(&t, "127.0.0.4", other, E2E_USER_PASSWORD2, "", 429);
    attempt_login(&t, "127.0.0.4", other, E2E_USER_PASSWORD2, spoof, 429);
    fp_take(&after);
    /* the controls: that user from another address, and the sessions
     * made before, are not locked out */
    attempt_login(&t, "127.0.0.5", other, E2E_USER_PASSWORD2, "", 200);
    e2e_get(&u, "/api/v1/me", &r);
    tally_check(&t, r.status == 200, "the victim's own session: %ld",
                r.status);
    e2e_as_admin(&admin);
    e2e_get(&admin, "/api/v1/me", &r);
    tally_check(&t, r.status == 200, "the admin's session: %ld", r.status);
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_client_release(&u);
    e2e_client_release(&v);
    e2e_client_release(&admin);
}
END_TEST

static void setup_login_limit(void)
{
    static const char *const args[] = {"--login-limit", "3", "--login-window",
                                       "300", NULL};

    e2e_setup_with(args);
}

void attack_auth_tcases(Suite *s)
{
    TCase *tc = tcase_create("sessions");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, forged_and_stale_sessions_are_unauthorized);
    tcase_add_test(tc, cookie_writes_need_their_own_csrf_token);
    suite_add_tcase(s, tc);

    tc = tcase_create("brute_force");
    tcase_add_unchecked_fixture(tc, setup_login_limit, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, brute_force_logins_are_locked_out);
    suite_add_tcase(s, tc);
}
