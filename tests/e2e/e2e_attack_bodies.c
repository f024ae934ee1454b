/*
 * e2e_attack_bodies.c - requests are taken only as sent.  A body is used
 * only when all of it arrived: one that ends before its Content-Length,
 * or a chunked one that ends before its last chunk, is a 400
 * incomplete_body that changes nothing; a Content-Length that is not
 * plain digits ("2abc", "+2", "2, 50") is a 400 before any of the body is
 * read; a whole chunked body is still taken.  And a path is not decoded
 * into another: %00 does not cut it, %2F does not split a segment.
 */
#include "attack.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A valid customer, 47 bytes. */
#define CUSTOMER "{\"name\":\"Short Body Ltd\",\"phone\":\"+49 30 1234\"}"

/* The error code of a raw reply's JSON body, or "". */
static const char *code_of(const struct raw_reply *r, char *out, size_t size)
{
    const char *p = strstr(r->body, "\"code\":\"");

    out[0] = '\0';
    if (p)
        snprintf(out, size, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
    return out;
}

/* POST /api/v1/customers as c with extra head lines and raw body bytes,
 * the sending side shut after them; the status. */
static long post_then_stop(const struct e2e_client *c, const char *head,
                           const char *body, struct raw_reply *r)
{
    char req[2048];
    int n = snprintf(req, sizeof req,
                     "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\n"
                     "Authorization: Bearer %s\r\n"
                     "Content-Type: application/json\r\n%s\r\n%s",
                     c->bearer, head, body);

    return raw_http_ended(NULL, req, (size_t)n, r);
}

START_TEST(bodies_are_taken_only_whole)
{
    static const char *const lengths[] = {"2abc", "+47", "47, 50", "0x2f",
                                          "47 47", "-0"};
    struct e2e_client c;
    struct raw_reply r;
    struct fingerprint before, after;
    struct tally t;
    char head[128], body[128], code[64];

    e2e_as_role(&c, "dispatcher", NULL);
    tally_init(&t, "incomplete_bodies");
    fp_take(&before);
    post_then_stop(&c, "Content-Length: 100\r\n", CUSTOMER, &r);
    tally_check(&t, r.status == 400 &&
                        !strcmp(code_of(&r, code, sizeof code),
                                "incomplete_body") &&
                        strstr(r.body, "request body ended after 47 of the"
                                       " 100 bytes its Content-Length"
                                       " announced"),
                "47 of 100 bytes: %ld %s", r.status, r.body);
    raw_reply_release(&r);
    snprintf(body, sizeof body, "%zx\r\n%s\r\n", strlen(CUSTOMER), CUSTOMER);
    post_then_stop(&c, "Transfer-Encoding: chunked\r\n", body, &r);
    tally_check(&t, r.status == 400 &&
                        !strcmp(code_of(&r, code, sizeof code),
                                "incomplete_body") &&
                        strstr(r.body, "request body ended before its last"
                                       " chunk"),
                "chunked without its last chunk: %ld %s", r.status, r.body);
    raw_reply_release(&r);
    for (size_t i = 0; i < N(lengths); i++) {
        snprintf(head, sizeof head, "Content-Length: %s\r\n", lengths[i]);
        post_then_stop(&c, head, CUSTOMER, &r);
        tally_check(&t, r.status == 400 &&
                            strstr(r.body, "Content-Length must be a decimal"
                                           " number of bytes"),
                    "Content-Length: %s: %ld %s", lengths[i], r.status,
                    r.body);
        raw_reply_release(&r);
        tally_check(&t, e2e_healthy(e2e_srv.base), "unhealthy after %s",
                    lengths[i]);
    }
    fp_take(&after);
    tally_finish(&t, &before, &after);

    /* whole, the same bodies are taken */
    snprintf(body, sizeof body, "%zx\r\n%s\r\n0\r\n\r\n", strlen(CUSTOMER),
             CUSTOMER);
    ck_assert_int_eq(post_then_stop(&c, "Transfer-Encoding: chunked\r\n",
                                    body, &r),
                     201);
    raw_reply_release(&r);
    snprintf(head, sizeof head, "Content-Length: %zu\r\n", strlen(CUSTOMER));
    ck_assert_int_eq(post_then_stop(&c, head, CUSTOMER, &r), 201);
    raw_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

/* GET path as c (raw, as written); the status. */
static long raw_get(const struct e2e_client *c, const char *path,
                    struct raw_reply *r)
{
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer"
                     " %s\r\nConnection: close\r\n\r\n", path, c->bearer);

    return raw_http(NULL, req, (size_t)n, r);
}

START_TEST(encoded_nul_and_slash_are_no_aliases)
{
    static const char *const aliases[] = {
        "/api/v1/customers/%ID%%00x", "/api/v1/customers/%ID%%2F",
        "/api/v1/customers/%ID%%00", "/api/v1/customers/%ID%%2f",
        "/api/v1/customers%2f%ID%", "/api/v1/customers/%ID%%2f..%2f%ID%"};
    struct e2e_client c;
    struct raw_reply r;
    struct tally t;
    char path[256], id[24];
    int64_t customer;

    e2e_as_role(&c, "dispatcher", NULL);
    customer = e2e_create(&c, "/api/v1/customers",
                          json_pack("{s:s}", "name", "Alias Target"));
    snprintf(id, sizeof id, "%lld", (long long)customer);
    snprintf(path, sizeof path, "/api/v1/customers/%s", id);
    ck_assert_int_eq(raw_get(&c, path, &r), 200); /* as itself, found */
    raw_reply_release(&r);

    tally_init(&t, "path_aliases");
    for (size_t i = 0; i < N(aliases); i++) {
        char *o = path;
        for (const char *p = aliases[i]; *p;) {
            if (!strncmp(p, "%ID%", 4))
                o += sprintf(o, "%s", id), p += 4;
            else
                *o++ = *p++;
        }
        *o = '\0';
        raw_get(&c, path, &r);
        tally_check(&t, r.status == 404, "GET %s: %ld", path, r.status);
        raw_reply_release(&r);
    }
    tally_finish(&t, NULL, NULL);
    e2e_client_release(&c);
}
END_TEST

void attack_bodies_tcases(Suite *s)
{
    TCase *tc = tcase_create("bodies");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bodies_are_taken_only_whole);
    tcase_add_test(tc, encoded_nul_and_slash_are_no_aliases);
    suite_add_tcase(s, tc);
}
