/*
 * e2e_attack_limits.c - resource limits under attack, each attempt
 * counted: bodies over --max-body (declared, lying and chunked lengths;
 * 413 body_too_large, too_large under /sync/v1/), heads over CivetWeb's
 * limit (refused or the connection closed, the server still serving), the
 * connection ended
 * after a 413 for a declared length.  Slow and idle clients are
 * e2e_attack_starve.c's.
 */
#include "attack.h"
#include "device.h"
#include "http/http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A JSON body of exactly n bytes (n >= 12) with one unknown field. */
static char *body_of(size_t n)
{
    char *b = malloc(n + 1);

    memcpy(b, "{\"bogus\":\"", 10);
    memset(b + 10, 'x', n - 12);
    memcpy(b + n - 2, "\"}", 3);
    return b;
}

/* A raw request: head lines (CRLF-ended, Host and Connection added) and a
 * body of n 'x' bytes. */
static long raw_with_body(const char *head, size_t n, struct raw_reply *r)
{
    size_t cap = strlen(head) + n + 128;
    char *req = malloc(cap);
    int k = snprintf(req, cap, "%sHost: x\r\nConnection: close\r\n\r\n",
                     head);

    memset(req + k, 'x', n);
    raw_http(NULL, req, (size_t)k + n, r);
    free(req);
    return r->status;
}

START_TEST(bodies_over_the_limit_are_refused)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct raw_reply raw;
    struct fingerprint before, after;
    struct bytes sync;
    struct tally t;
    char head[600], *b;
    int64_t cust;
    static const struct {
        const char *method, *path;
        size_t size;
        long status;
    } json[] = {
        {"POST", "/api/v1/customers", 4096, 400}, /* at the limit: parsed */
        {"POST", "/api/v1/customers", 4097, 413},
        {"POST", "/api/v1/customers", 1 << 20, 413},
        {"PATCH", "/api/v1/customers/%lld", 5000, 413},
        {"POST", "/api/v1/jobs/999999/events", 5000, 413},
        {"POST", "/api/v1/login", 5000, 413},
        {"POST", "/api/v1/public/bookings/"
                 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/confirm",
         5000, 413},
    };

    e2e_as_role(&c, "admin", NULL);
    cust = e2e_create(&c, "/api/v1/customers",
                      json_pack("{s:s}", "name", "Body target"));
    tally_init(&t, "oversized_body");
    fp_take(&before);
    for (size_t i = 0; i < N(json); i++) {
        char path[128];
        snprintf(path, sizeof path, json[i].path, (long long)cust);
        b = body_of(json[i].size);
        e2e_request(&c, json[i].method, path, b, NULL, &r);
        tally_check(&t, json[i].status == 413
                            ? e2e_error_is(&r, 413, "body_too_large", NULL)
                            : e2e_error_is(&r, 400, "unknown_field", "bogus"),
                    "%s %s with %zu bytes: %ld %s", json[i].method, path,
                    json[i].size, r.status, r.body);
        tally_check(&t, e2e_healthy(e2e_srv.base), "unhealthy after %s",
                    path);
        free(b);
    }
    /* the device protocol's limit answers in its own error type */
    b = body_of(5000);
    tally_check(&t, post_bytes("/sync/v1/sync", (const uint8_t *)b, 5000,
                               PROTOBUF_TYPE, &sync) == 413,
                "sync with 5000 bytes: not 413");
    expect_sync_error(413, &sync, 413, "too_large");
    free(sync.data);
    free(b);
    /* lengths that lie, and a chunked body with no length at all */
    snprintf(head, sizeof head,
             "POST /api/v1/customers HTTP/1.1\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/json\r\n"
             "Content-Length: 1000000000000\r\n", c.bearer);
    raw_with_body(head, 10, &raw);
    tally_check(&t, raw.status == 413 && strstr(raw.body, "body_too_large"),
                "a length of 10^12: %ld %s", raw.status, raw.body);
    raw_reply_release(&raw);
    snprintf(head, sizeof head,
             "POST /api/v1/login HTTP/1.1\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n");
    {
        char req[12000];
        int k = snprintf(req, sizeof req, "%sHost: x\r\nConnection: close"
                                          "\r\n\r\n", head);
        for (int chunk = 0; chunk < 8; chunk++) {
            k += sprintf(req + k, "400\r\n");
            memset(req + k, 'x', 1024);
            k += 1024;
            k += sprintf(req + k, "\r\n");
        }
        k += sprintf(req + k, "0\r\n\r\n");
        raw_http(NULL, req, (size_t)k, &raw);
        tally_check(&t, raw.status == 413 &&
                            strstr(raw.body, "body_too_large"),
                    "8 KB chunked: %ld %s", raw.status, raw.body);
        raw_reply_release(&raw);
    }
    {
        static const char *const lengths[] = {
            "Content-Length: -1\r\n", "Content-Length: abc\r\n",
            "Content-Length: 5\r\nContent-Length: 5000\r\n",
            "Content-Length: 99999999999999999999999\r\n"};
        for (size_t i = 0; i < N(lengths); i++) {
            snprintf(head, sizeof head,
                     "POST /api/v1/login HTTP/1.1\r\n"
                     "Content-Type: application/json\r\n%s", lengths[i]);
            raw_with_body(head, 5000, &raw);
            tally_check(&t, raw.status == 0 || raw.status == 400 ||
                                raw.status == 411 || raw.status == 413,
                        "%.40s: %ld %.200s", lengths[i], raw.status,
                        raw.body);
            tally_check(&t, e2e_healthy(e2e_srv.base), "unhealthy after %s",
                        lengths[i]);
            raw_reply_release(&raw);
        }
    }
    fp_take(&after);
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(heads_over_the_limit_are_refused)
{
    static const char *const big[] = {"GET /healthz HTTP/1.1\r\nX-Big: %s\r\n",
                                      "GET /healthz?x=%s HTTP/1.1\r\n",
                                      "GET /api/v1/me HTTP/1.1\r\nCookie: "
                                      "fsd_session=%s\r\n",
                                      "GET /api/v1/me HTTP/1.1\r\n"
                                      "Authorization: Bearer %s\r\n"};
    struct raw_reply raw;
    struct fingerprint before, after;
    struct tally t;
    size_t size = 100 * 1024;
    char *fill = malloc(size + 1), *head = malloc(size + 256);

    memset(fill, 'a', size);
    fill[size] = '\0';
    tally_init(&t, "oversized_head");
    fp_take(&before);
    for (size_t i = 0; i < N(big) + 1; i++) {
        if (i < N(big)) {
            snprintf(head, size + 256, big[i], fill);
        } else { /* 4000 small header lines */
            int k = sprintf(head, "GET /healthz HTTP/1.1\r\n");
            for (int h = 0; h < 4000; h++)
                k += sprintf(head + k, "X-%d: v\r\n", h);
        }
        raw_with_body(head, 0, &raw);
        tally_check(&t, raw.status == 0 || raw.status == 400 ||
                            raw.status == 413 || raw.status == 414 ||
                            raw.status == 431,
                    "head %zu: %ld %.200s", i, raw.status, raw.body);
        tally_check(&t, e2e_healthy(e2e_srv.base), "unhealthy after head %zu",
                    i);
        raw_reply_release(&raw);
    }
    /* 10 KB credentials fit CivetWeb's limit: the server refuses them */
    for (int i = 0; i < 2; i++) {
        snprintf(head, size + 256,
                 i ? "GET /api/v1/me HTTP/1.1\r\n"
                     "Authorization: Bearer %.10240s\r\n"
                   : "GET /api/v1/me HTTP/1.1\r\n"
                     "Cookie: fsd_session=%.10240s\r\n",
                 fill);
        raw_with_body(head, 0, &raw);
        tally_check(&t, raw.status == 401 && strstr(raw.body,
                                                     "\"unauthorized\""),
                    "10 KB %s: %ld %.200s", i ? "token" : "cookie",
                    raw.status, raw.body);
        raw_reply_release(&raw);
    }
    fp_take(&after);
    tally_finish(&t, &before, &after);
    free(fill);
    free(head);
}
END_TEST

/* Read what the server sends on fd into got (NUL-terminated; bytes past
 * size - 1 are read and dropped) until it ends the connection or wait_s
 * seconds pass without a byte: 1 when it ended it (end of file or a
 * reset), 0 when the connection was still open. */
static int read_until_end(int fd, int wait_s, char *got, size_t size)
{
    struct timeval tv = {wait_s, 0};
    char scratch[4096];
    size_t used = 0;
    ssize_t k;
    int ended;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (;;) {
        int keep = used + 1 < size;

        k = recv(fd, keep ? got + used : scratch,
                 keep ? size - 1 - used : sizeof scratch, 0);
        if (k > 0) {
            used += keep ? (size_t)k : 0;
        } else if (k == 0 || errno == ECONNRESET) {
            ended = 1;
            break;
        } else if (errno != EINTR) { /* the wait ran out */
            ended = 0;
            break;
        }
    }
    got[used] = '\0';
    return ended;
}

/* The replies in got: their number, their statuses into statuses
 * ("400 200 "); a reply's body has no line end, so the next status line
 * follows it. */
static int replies_in(const char *got, char *statuses)
{
    int n = 0;

    statuses[0] = '\0';
    for (const char *p = got; (p = strstr(p, "HTTP/1.1 ")) && n < 8; p++)
        sprintf(statuses + 4 * n++, "%.3s ", p + 9);
    return n;
}

/* Send req on one connection and read every reply until the server
 * closes or 2 s pass; the number of responses, their statuses into
 * statuses ("400 200"). */
static int responses_to(const char *req, size_t len, char *statuses)
{
    int fd = raw_open(NULL);
    char got[16384];

    ck_assert_int_ge(fd, 0);
    send(fd, req, len, MSG_NOSIGNAL);
    read_until_end(fd, 2, got, sizeof got);
    close(fd);
    return replies_in(got, statuses);
}

/*
 * A declared length over --max-body is answered 413 and the connection
 * ends there, as the reply's "Connection: close" says: the server neither
 * waits for a body it will not read nor keeps the connection for another
 * request.  The wait for the end, 3 s, is under the server's keep-alive
 * (5 s), so an idle connection it kept is not taken for one it ended.
 */
START_TEST(over_limit_lengths_end_the_connection)
{
    static const char next[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    static const struct {
        const char *length;
        size_t sent;
        int then_next; /* a second request follows the body */
    } cases[] = {
        {"5000", 5000, 1},        /* the whole body, then another request */
        {"1000000000000", 10, 0}, /* a body that never comes */
    };
    struct fingerprint before, after;
    struct tally t;
    char req[8192], got[16384], statuses[40];

    tally_init(&t, "over_limit_closes");
    fp_take(&before);
    for (size_t i = 0; i < N(cases); i++) {
        int fd = raw_open(NULL), k, n, ended;

        ck_assert_int_ge(fd, 0);
        /* no Connection header: HTTP/1.1 keeps a connection by default */
        k = snprintf(req, sizeof req,
                     "POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %s\r\n\r\n", cases[i].length);
        memset(req + k, 'x', cases[i].sent);
        k += (int)cases[i].sent;
        if (cases[i].then_next)
            k += sprintf(req + k, "%s", next);
        send(fd, req, (size_t)k, MSG_NOSIGNAL);
        ended = read_until_end(fd, 3, got, sizeof got);
        close(fd);
        n = replies_in(got, statuses);
        tally_check(&t, n == 1 && !strncmp(statuses, "413", 3) &&
                            strstr(got, "body_too_large"),
                    "Content-Length %s: %d replies (%s)", cases[i].length, n,
                    statuses);
        tally_check(&t, ended,
                    "Content-Length %s: the connection still open 3 s after"
                    " the 413", cases[i].length);
    }
    tally_check(&t, e2e_healthy(e2e_srv.base), "unhealthy at the end");
    fp_take(&after);
    tally_finish(&t, &before, &after);
}
END_TEST

/*
 * A request with two Content-Length values, or with Transfer-Encoding and
 * Content-Length, is 400 and nothing after it on the connection is served
 * as a request (RFC 9112 6.3): a proxy in front that read the other length
 * could otherwise have a request smuggled past it.
 */
START_TEST(conflicting_lengths_smuggle_no_request)
{
    static const char second[] =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    struct fingerprint before, after;
    struct tally t;
    char req[1024], got[40];
    int n, k;

    tally_init(&t, "request_smuggling");
    fp_take(&before);
    k = snprintf(req, sizeof req,
                 "POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                 "Content-Type: application/json\r\nContent-Length: 2\r\n"
                 "Content-Length: %zu\r\n\r\n{}%s", 2 + strlen(second),
                 second);
    n = responses_to(req, (size_t)k, got);
    tally_check(&t, n == 1 && !strncmp(got, "400", 3),
                "two Content-Lengths: %d responses (%s), the bytes after"
                " the first length served as a request", n, got);
    k = snprintf(req, sizeof req,
                 "POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                 "Content-Type: application/json\r\nContent-Length: 2\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n%s",
                 second);
    n = responses_to(req, (size_t)k, got);
    tally_check(&t, n == 1, "Transfer-Encoding and Content-Length: %d"
                " responses (%s), the connection kept open", n, got);
    fp_take(&after);
    tally_finish(&t, &before, &after);
}
END_TEST

void attack_limits_tcases(Suite *s)
{
    TCase *tc = tcase_create("limits");

    tcase_add_unchecked_fixture(tc, e2e_setup_small_body, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bodies_over_the_limit_are_refused);
    tcase_add_test(tc, heads_over_the_limit_are_refused);
    tcase_add_test(tc, conflicting_lengths_smuggle_no_request);
    tcase_add_test(tc, over_limit_lengths_end_the_connection);
    suite_add_tcase(s, tc);
}
