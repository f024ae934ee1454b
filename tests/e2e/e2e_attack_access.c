/*
 * e2e_attack_access.c - attacks on who may see and do what, each attempt
 * counted: a dispatcher or manager reaching for accounts, tokens, its own
 * role or master data (403 forbidden, or no route to do it); a booking
 * token reaching for another job (the routes take no id: the token is the
 * job, and a token one character off gets the one 404); 200 random and
 * malformed tokens, which all get that same 404 body; and a live token
 * sent on its path with another method, which must not reach the log.
 */
#include "attack.h"
#include "berlin.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Replace "{self}" in fmt with id. */
static void with_self(const char *fmt, int64_t id, char *out, size_t size)
{
    const char *at = strstr(fmt, "{self}");

    if (!at)
        snprintf(out, size, "%s", fmt);
    else
        snprintf(out, size, "%.*s%lld%s", (int)(at - fmt), fmt,
                 (long long)id, at + 6);
}

static const struct {
    const char *method, *path, *body;
    long status;
    const char *code;
    int all; /* 0: dispatchers only (managers may) */
} escalations[] = {
    {"POST", "/api/v1/users", "{\"username\":\"sneaky\",\"role\":\"admin\","
     "\"password\":\"sneaky-password-01\"}", 403, "forbidden", 1},
    {"POST", "/api/v1/api-tokens", "{\"user_id\":{self},\"name\":\"sneaky\"}",
     403, "forbidden", 1},
    {"POST", "/api/v1/api-tokens", "{\"user_id\":1,\"name\":\"sneaky\"}", 403,
     "forbidden", 1},
    {"PATCH", "/api/v1/users/{self}", "{\"role\":\"admin\"}", 403,
     "forbidden", 1},
    {"PATCH", "/api/v1/users/1", "{\"active\":false}", 403, "forbidden", 1},
    {"PATCH", "/api/v1/users/1", "{\"role\":\"dispatcher\"}", 403,
     "forbidden", 1},
    {"GET", "/api/v1/users", NULL, 403, "forbidden", 1},
    {"GET", "/api/v1/users/{self}", NULL, 403, "forbidden", 1},
    {"GET", "/api/v1/api-tokens", NULL, 403, "forbidden", 1},
    {"DELETE", "/api/v1/api-tokens/1", NULL, 403, "forbidden", 1},
    {"PATCH", "/api/v1/me", "{\"role\":\"admin\"}", 405,
     "method_not_allowed", 1},
    {"POST", "/api/v1/me", "{\"role\":\"admin\"}", 405, "method_not_allowed",
     1},
    {"POST", "/api/v1/me/password", "{\"current_password\":\""
     E2E_USER_PASSWORD "\",\"new_password\":\"sneaky-password-01\","
     "\"role\":\"admin\"}", 400, "unknown_field", 1},
    {"POST", "/api/v1/login", "{\"username\":\"admin\",\"password\":\"x\","
     "\"role\":\"admin\"}", 400, "unknown_field", 1},
    {"POST", "/api/v1/skills", "{\"code\":\"sneaky\",\"name\":\"S\"}", 403,
     "forbidden", 0},
    {"PATCH", "/api/v1/sla-policies/1", "{\"respond_minutes\":1}", 403,
     "forbidden", 0},
    {"POST", "/api/v1/technicians", "{\"name\":\"T\",\"start_lat\":1,"
     "\"start_lon\":2}", 403, "forbidden", 0},
    {"POST", "/api/v1/parts/1/receive", "{}", 403, "forbidden", 0},
    {"POST", "/api/v1/jobs/1/parts/1/approve", "{}", 403, "forbidden", 0},
    {"GET", "/metrics", NULL, 403, "forbidden", 0},
    {"GET", "/api/v1/reports/summary?from=2026-01-01&to=2026-12-31", NULL,
     403, "forbidden", 0},
};

START_TEST(roles_cannot_be_escalated)
{
    struct e2e_client callers[3], admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    const char *kinds[3] = {"dispatcher token", "dispatcher session",
                            "manager token"};
    char name[64], path[128], body[256];
    int64_t ids[3];

    e2e_as_role(&callers[0], "dispatcher", &ids[0]);
    ids[1] = session_user(&callers[1], "dispatcher", name, sizeof name);
    e2e_as_role(&callers[2], "manager", &ids[2]);
    tally_init(&t, "role_escalation");
    fp_take(&before);
    for (int c = 0; c < 3; c++)
        for (size_t i = 0; i < N(escalations); i++) {
            if (c == 2 && !escalations[i].all)
                continue;
            with_self(escalations[i].path, ids[c], path, sizeof path);
            if (escalations[i].body)
                with_self(escalations[i].body, ids[c], body, sizeof body);
            e2e_request(&callers[c], escalations[i].method, path,
                        escalations[i].body ? body : NULL, NULL, &r);
            tally_check(&t, e2e_error_is(&r, escalations[i].status,
                                         escalations[i].code, NULL),
                        "%s: %s %s: %ld %s", kinds[c],
                        escalations[i].method, path, r.status, r.body);
        }
    fp_take(&after);
    /* each still has the role it was given */
    e2e_as_admin(&admin);
    for (int c = 0; c < 3; c++) {
        snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)ids[c]);
        e2e_get(&admin, path, &r);
        tally_check(&t, r.status == 200 &&
                            !strcmp(json_string_value(json_object_get(
                                        r.json, "role")),
                                    c == 2 ? "manager" : "dispatcher") &&
                            json_is_true(json_object_get(r.json, "active")),
                    "%s afterwards: %s", kinds[c], r.body);
        e2e_client_release(&callers[c]);
    }
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_client_release(&admin);
}
END_TEST

/* A random well-formed link token (44 bytes). */
static void random_token(char out[44])
{
    unsigned char rnd[32];

    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2base64(out, 44, rnd, sizeof rnd,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The public routes a token opens (format with the token). */
static const struct {
    const char *method, *path, *body;
} token_routes[] = {
    {"GET", "/api/v1/public/bookings/%s", NULL},
    {"POST", "/api/v1/public/bookings/%s/hold",
     "{\"start\":\"2030-01-07T09:00:00Z\"}"},
    {"POST", "/api/v1/public/bookings/%s/confirm",
     "{\"start\":\"2030-01-07T09:00:00Z\"}"},
    {"POST", "/api/v1/public/bookings/%s/reschedule",
     "{\"start\":\"2030-01-07T09:00:00Z\"}"},
    {"POST", "/api/v1/public/bookings/%s/cancel", "{}"},
    {"GET", "/book/%s/appointment.ics", NULL},
    {"GET", "/api/v1/public/quotes/%s", NULL},
    {"POST", "/api/v1/public/quotes/%s", "{\"decision\":\"approve\"}"},
};

/* Route i with token as an anonymous customer; 1 when the reply is
 * exactly the 404 baseline (status, type, body) and names no token. */
static int same_404(size_t i, const char *token, const struct e2e_reply *base,
                    struct e2e_reply *r)
{
    struct e2e_client anon;
    char path[400], type[64] = "", want_type[64] = "", cookie[8];

    snprintf(path, sizeof path, token_routes[i].path, token);
    e2e_client_init(&anon, e2e_srv.base);
    e2e_request(&anon, token_routes[i].method, path, token_routes[i].body,
                NULL, r);
    e2e_client_release(&anon);
    e2e_header(r, "Content-Type", type, sizeof type);
    e2e_header(base, "Content-Type", want_type, sizeof want_type);
    return r->status == 404 && !strcmp(r->body, base->body) &&
           !strcmp(type, want_type) && (!*token || !strstr(r->body, token)) &&
           e2e_header(r, "Set-Cookie", cookie, sizeof cookie) != 0;
}

START_TEST(a_booking_token_opens_only_its_own_job)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT, base = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    char tok_a[64], tok_b[64], fault_a[64], fault_b[64], path[220], bad[64];
    int64_t job_a, job_b;
    static const int positions[] = {0, 10, 21, 42};

    berlin_open(&b);
    job_a = linked_job(&b, 60, tok_a, sizeof tok_a);
    job_b = linked_job(&b, 90, tok_b, sizeof tok_b);
    e2e_unique(fault_a, sizeof fault_a, "fault-of-A");
    e2e_unique(fault_b, sizeof fault_b, "fault-of-B");
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job_a);
    e2e_send(&b.desk, "PATCH", path, json_pack("{s:s}", "fault", fault_a),
             &r);
    e2e_expect_status(&r, 200);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job_b);
    e2e_send(&b.desk, "PATCH", path, json_pack("{s:s}", "fault", fault_b),
             &r);
    e2e_expect_status(&r, 200);
    random_token(bad);
    public_get(bad, &base);
    e2e_expect_error(&base, 404, "not_found", NULL);

    tally_init(&t, "booking_token");
    fp_take(&before);
    /* the token is the job: A's token gives A's job, whatever else the
     * request names */
    {
        static const char *const extra[] = {"", "?job_id=%lld",
                                            "?id=%lld&token=%s"};
        for (size_t i = 0; i < N(extra); i++) {
            char q[120];
            snprintf(q, sizeof q, extra[i], (long long)job_b, tok_b);
            snprintf(path, sizeof path, "/api/v1/public/bookings/%.43s%.120s",
                     tok_a, q);
            anon_get(path, &r);
            const json_t *fault = json_object_get(
                json_object_get(r.json, "job"), "fault");
            tally_check(&t, (r.status == 200 && json_is_string(fault) &&
                             !strcmp(json_string_value(fault), fault_a) &&
                             !strstr(r.body, fault_b)) ||
                                e2e_error_is(&r, 400, "unknown_field", NULL),
                        "GET %s: %ld %s", path, r.status, r.body);
        }
    }
    /* one character off, anywhere, on every route: the one 404 */
    for (size_t p = 0; p < N(positions); p++) {
        snprintf(bad, sizeof bad, "%s", tok_a);
        bad[positions[p]] = bad[positions[p]] == 'A' ? 'B' : 'A';
        for (size_t i = 0; i < N(token_routes); i++) {
            int ok = same_404(i, bad, &base, &r);
            tally_check(&t, ok, "%s %s (one character off): %ld %s",
                        token_routes[i].method, token_routes[i].path,
                        r.status, r.body);
        }
    }
    /* a booking token is no quote token */
    for (size_t i = 6; i < 8; i++) {
        int ok = same_404(i, tok_a, &base, &r);
        tally_check(&t, ok, "%s quote route with a booking token: %ld %s",
                    token_routes[i].method, r.status, r.body);
    }
    /* and a booking cannot name another job */
    {
        struct e2e_client anon;
        char url[120];
        e2e_client_init(&anon, e2e_srv.base);
        snprintf(url, sizeof url, "/api/v1/public/bookings/%s/confirm",
                 tok_a);
        e2e_send(&anon, "POST", url,
                 json_pack("{s:s, s:I}", "start", "2030-01-07T09:00:00Z",
                           "job_id", (json_int_t)job_b),
                 &r);
        tally_check(&t, e2e_error_is(&r, 400, "unknown_field", "job_id"),
                    "confirm naming job B: %ld %s", r.status, r.body);
        e2e_client_release(&anon);
    }
    fp_take(&after);
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_reply_release(&base);
    berlin_close(&b);
}
END_TEST

START_TEST(booking_tokens_cannot_be_enumerated)
{
    static const char *const malformed[] = {
        "abc", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%2B%2B",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.A",
        "%27%20OR%201%3D1%20--",
        "%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9",
        "%FF%FE%FD",
        /* 127 bytes: the longest segment the router takes */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    };
    struct e2e_reply r = E2E_REPLY_INIT, base = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    char token[44];

    /* Not here: "/", dot segments and %00 change the path CivetWeb
     * routes (it decodes and normalises before the router sees it), and
     * a segment of 128 bytes or more matches no route: those get the
     * router's 404, which knows nothing of tokens. */
    random_token(token);
    public_get(token, &base);
    e2e_expect_error(&base, 404, "not_found", NULL);
    tally_init(&t, "token_enumeration");
    fp_take(&before);
    for (int i = 0; i < 200; i++) {
        size_t route = (size_t)i % N(token_routes);
        int ok;
        random_token(token);
        ok = same_404(route, token, &base, &r);
        tally_check(&t, ok, "%s %s with a random token: %ld %s",
                    token_routes[route].method, token_routes[route].path,
                    r.status, r.body);
    }
    for (size_t i = 0; i < N(malformed); i++)
        for (size_t route = 0; route < N(token_routes); route++) {
            int ok = same_404(route, malformed[i], &base, &r);
            tally_check(&t, ok, "%s %s with %s: %ld %s",
                        token_routes[route].method, token_routes[route].path,
                        malformed[i], r.status, r.body);
        }
    fp_take(&after);
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_reply_release(&base);
}
END_TEST

/*
 * README says the access log names the route pattern, never a customer's
 * token: that holds too for a request on a token's path that matches no
 * route (a link previewer's HEAD, another method, a trailing slash).
 */
START_TEST(a_token_never_reaches_the_log_whatever_the_method)
{
    static const char *const tries[] = {
        "HEAD /book/%s", "HEAD /api/v1/public/bookings/%s",
        "PUT /api/v1/public/bookings/%s", "GET /api/v1/public/bookings/%s/",
        "DELETE /book/%s/appointment.ics", "GET /quote/%s/x"};
    struct berlin b;
    struct raw_reply raw;
    struct fingerprint before, after;
    struct tally t;
    char token[64], req[300], *log;

    berlin_open(&b);
    linked_job(&b, 60, token, sizeof token);
    tally_init(&t, "token_in_log");
    fp_take(&before);
    for (size_t i = 0; i < N(tries); i++) {
        int n = snprintf(req, sizeof req, tries[i], token);
        n += snprintf(req + n, sizeof req - (size_t)n,
                      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        raw_http(NULL, req, (size_t)n, &raw);
        tally_check(&t, raw.status == 404 || raw.status == 405,
                    "%.60s: %ld", req, raw.status);
        raw_reply_release(&raw);
    }
    fp_take(&after);
    log = e2e_server_log();
    {
        const char *first = NULL;
        int lines = 0;
        for (char *l = strtok(log, "\n"); l; l = strtok(NULL, "\n"))
            if (strstr(l, token) && lines++ == 0)
                first = l;
        tally_check(&t, lines == 0, "the token is in %d log lines, the"
                    " first: %s", lines, first ? first : "");
    }
    free(log);
    tally_finish(&t, &before, &after);
    berlin_close(&b);
}
END_TEST

static void setup_open_public(void)
{
    static const char *const args[] = {"--public-limit", "100000", NULL};

    e2e_setup_with(args);
}

void attack_access_tcases(Suite *s)
{
    TCase *tc = tcase_create("escalation");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, roles_cannot_be_escalated);
    suite_add_tcase(s, tc);

    tc = tcase_create("links");
    tcase_add_unchecked_fixture(tc, setup_open_public, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_booking_token_opens_only_its_own_job);
    tcase_add_test(tc, booking_tokens_cannot_be_enumerated);
    tcase_add_test(tc, a_token_never_reaches_the_log_whatever_the_method);
    suite_add_tcase(s, tc);
}
