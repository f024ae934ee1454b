/*
 * e2e_attack.c - the attack suite: what its files of test cases share
 * (attack.h: raw HTTP, the database fingerprint, the tally of a family of
 * attempts, staff sessions) and the suite itself.
 *
 * e2e_attack_input.c sends hostile input (injection and invalid UTF-8 in
 * every text field, path traversal); e2e_attack_limits.c attacks resource
 * limits (oversized bodies and heads); e2e_attack_starve.c holds slow and
 * idle clients against the worker threads; e2e_attack_auth.c
 * attacks authentication (forged and stale sessions, CSRF, brute-force
 * logins); e2e_attack_access.c attacks who may see and do what (privilege
 * escalation across roles, booking tokens and their enumeration);
 * e2e_attack_device.c attacks from technicians' devices.  Every attempt is
 * counted, must get a clear refusal, and must leave the database as it
 * was: the fingerprint hashes every row of every table through a
 * read-only connection, so "nothing changed" covers tables no API lists.
 */
#include "attack.h"
#include "suites.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define RAW_TIMEOUT_S 5
#define RAW_MAX_REPLY (4u << 20)

int raw_open(const char *src)
{
    struct sockaddr_in to, from;
    struct timeval tv = {RAW_TIMEOUT_S, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    to.sin_port = htons((unsigned short)e2e_srv.port);
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (src) {
        memset(&from, 0, sizeof from);
        from.sin_family = AF_INET;
        inet_pton(AF_INET, src, &from.sin_addr);
        if (bind(fd, (struct sockaddr *)&from, sizeof from) != 0) {
            close(fd);
            return -1;
        }
    }
    if (connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The header line "\r\nname:" in [data, end), or NULL. */
/* The reply is complete once its head and Content-Length bytes are in. */
static int reply_complete(const char *data, size_t len)
{
    const char *end = strstr(data, "\r\n\r\n");
    char cl[24];

    if (!end)
        return 0;
    if (e2e_head_value(data, end, "Content-Length", cl, sizeof cl))
        return 0; /* read until the server closes */
    return len >= (size_t)(end + 4 - data) + strtoul(cl, NULL, 10);
}

static void parse_reply(struct raw_reply *r)
{
    const char *end = strstr(r->data, "\r\n\r\n");

    r->status = 0;
    if (r->len >= 12 && strncmp(r->data, "HTTP/1.", 7) == 0)
        r->status = strtol(r->data + 9, NULL, 10);
    r->body = end ? end + 4 : r->data + r->len;
}

static long raw_exchange(const char *src, const char *req, size_t len,
                         int end_sending, struct raw_reply *r)
{
    int fd = raw_open(src);
    size_t sent = 0, cap = 65536;
    ssize_t n;

    ck_assert_msg(fd >= 0, "cannot connect to the server from %s: %s",
                  src ? src : "127.0.0.1", strerror(errno));
    memset(r, 0, sizeof *r);
    r->data = calloc(1, cap + 1);
    ck_assert_ptr_nonnull(r->data);
    /* the server may refuse before it has read everything: stop sending
     * then, and read what it answered */
    while (sent < len &&
           (n = send(fd, req + sent, len - sent, MSG_NOSIGNAL)) > 0)
        sent += (size_t)n;
    if (end_sending)
        shutdown(fd, SHUT_WR);
    while (r->len < RAW_MAX_REPLY && !reply_complete(r->data, r->len)) {
        if (r->len == cap) {
            r->data = realloc(r->data, 2 * cap + 1);
            ck_assert_ptr_nonnull(r->data);
            cap *= 2;
        }
        n = recv(fd, r->data + r->len, cap - r->len, 0);
        if (n <= 0)
            break;
        r->len += (size_t)n;
        r->data[r->len] = '\0';
    }
    close(fd);
    parse_reply(r);
    return r->status;
}

long raw_http(const char *src, const char *req, size_t len,
              struct raw_reply *r)
{
    return raw_exchange(src, req, len, 0, r);
}

long raw_http_ended(const char *src, const char *req, size_t len,
                    struct raw_reply *r)
{
    return raw_exchange(src, req, len, 1, r);
}

void raw_reply_release(struct raw_reply *r)
{
    free(r->data);
    memset(r, 0, sizeof *r);
}

int raw_header(const struct raw_reply *r, const char *name, char *out,
               size_t size)
{
    return r->data ? e2e_head_value(r->data, r->body, name, out, size) : -1;
}

long raw_login(const char *src, const char *user, const char *password,
               const char *extra, struct raw_reply *r)
{
    json_t *body = json_pack("{s:s, s:s}", "username", user, "password",
                             password);
    char *text = json_dumps(body, JSON_COMPACT), req[1024];
    int n = snprintf(req, sizeof req,
                     "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n%s\r\n%s",
                     strlen(text), extra, text);

    ck_assert(n > 0 && (size_t)n < sizeof req);
    free(text);
    json_decref(body);
    return raw_http(src, req, (size_t)n, r);
}

/* Hash every row of table into out. */
static void hash_table(sqlite3 *db, const char *table, unsigned char *out)
{
    crypto_generichash_state st;
    sqlite3_stmt *stmt;
    char sql[128];
    int rc;

    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    crypto_generichash_init(&st, NULL, 0, 16);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count(stmt); i++) {
            const void *v = sqlite3_column_blob(stmt, i);
            int len = sqlite3_column_bytes(stmt, i);
            unsigned char tag[5] = {(unsigned char)sqlite3_column_type(stmt, i),
                                    (unsigned char)(len >> 24),
                                    (unsigned char)(len >> 16),
                                    (unsigned char)(len >> 8),
                                    (unsigned char)len};
            crypto_generichash_update(&st, tag, sizeof tag);
            if (v && len > 0)
                crypto_generichash_update(&st, v, (size_t)len);
        }
    ck_assert_msg(rc == SQLITE_DONE, "reading %s: %s", table,
                  sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    crypto_generichash_final(&st, out, 16);
}

void fp_take(struct fingerprint *fp)
{
    sqlite3 *db;
    sqlite3_stmt *stmt;

    memset(fp, 0, sizeof *fp);
    ck_assert_int_eq(sqlite3_open_v2(e2e_srv.db, &db, SQLITE_OPEN_READONLY,
                                     NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    /* one read transaction: a consistent picture of all tables */
    ck_assert_int_eq(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master"
                                        " WHERE type = 'table' AND name NOT"
                                        " LIKE 'sqlite_%' ORDER BY name",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW && fp->n < FP_MAX_TABLES) {
        snprintf(fp->table[fp->n], sizeof fp->table[0], "%s",
                 (const char *)sqlite3_column_text(stmt, 0));
        hash_table(db, fp->table[fp->n], fp->hash[fp->n]);
        fp->n++;
    }
    sqlite3_finalize(stmt);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    ck_assert_int_gt(fp->n, 10);
}

int fp_same(const struct fingerprint *a, const struct fingerprint *b,
            char *what, size_t size)
{
    size_t used = 0;

    what[0] = '\0';
    if (a->n != b->n) {
        snprintf(what, size, "the set of tables");
        return 0;
    }
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->table[i], b->table[i]) != 0 ||
            memcmp(a->hash[i], b->hash[i], sizeof a->hash[i]) != 0)
            used += (size_t)snprintf(what + used, used < size ? size - used
                                                              : 0,
                                     "%s%s", used ? ", " : "", a->table[i]);
    return used == 0;
}

void tally_init(struct tally *t, const char *family)
{
    memset(t, 0, sizeof *t);
    t->family = family;
}

void tally_check(struct tally *t, int ok, const char *fmt, ...)
{
    int failed = t->attempts - t->ok;
    va_list ap;

    t->attempts++;
    if (ok) {
        t->ok++;
        return;
    }
    if (failed >= TALLY_NOTES)
        return;
    va_start(ap, fmt);
    vsnprintf(t->notes[failed], sizeof t->notes[0], fmt, ap);
    va_end(ap);
}

void tally_finish(struct tally *t, const struct fingerprint *before,
                  const struct fingerprint *after)
{
    char what[512] = "";
    int same = !before || fp_same(before, after, what, sizeof what);
    int failed = t->attempts - t->ok;

    printf("e2e %-24s %4d attempts, %4d as expected%s, %s\n",
           t->family, t->attempts, t->ok, failed ? " (FAILURES)" : "",
           !before ? "checked per attempt"
           : same  ? "nothing changed"
                   : "DATABASE CHANGED");
    for (int i = 0; i < failed && i < TALLY_NOTES; i++)
        printf("  %s: %s\n", t->family, t->notes[i]);
    fflush(stdout);
    ck_assert_msg(t->attempts > 0, "%s: no attempts", t->family);
    ck_assert_msg(failed == 0, "%s: %d of %d attempts not as expected;"
                  " first: %s", t->family, failed, t->attempts,
                  t->notes[0]);
    ck_assert_msg(same, "%s: the database changed: %s", t->family, what);
}

int64_t session_user(struct e2e_client *c, const char *role, char *name,
                     size_t size)
{
    struct e2e_client admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t id;

    e2e_as_admin(&admin);
    id = e2e_new_user(&admin, role, name, size);
    e2e_client_init(c, e2e_srv.base);
    e2e_send(c, "POST", "/api/v1/login",
             json_pack("{s:s, s:s}", "username", name, "password",
                       E2E_USER_PASSWORD), &r);
    e2e_expect_status(&r, 200);
    e2e_send(c, "POST", "/api/v1/me/password",
             json_pack("{s:s, s:s}", "current_password", E2E_USER_PASSWORD,
                       "new_password", E2E_USER_PASSWORD2), &r);
    e2e_expect_status(&r, 204);
    e2e_reply_release(&r);
    e2e_client_release(&admin);
    return id;
}

void login_again(struct e2e_client *c, const char *name)
{
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_client_init(c, e2e_srv.base);
    e2e_send(c, "POST", "/api/v1/login",
             json_pack("{s:s, s:s}", "username", name, "password",
                       E2E_USER_PASSWORD2), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
}

Suite *e2e_attack_suite(void)
{
    Suite *s = suite_create("e2e_attack");

    attack_input_tcases(s);
    attack_limits_tcases(s);
    attack_auth_tcases(s);
    attack_access_tcases(s);
    attack_device_tcases(s);
    attack_stack_tcases(s);
    attack_bodies_tcases(s);
    attack_logins_tcases(s);
    attack_proxy_tcases(s);
    attack_starve_tcases(s);
    return s;
}
