/*
 * fixture.c - per-test-case servers and the helpers the e2e tests share.
 *
 * Setups run in the Check runner process (unchecked fixtures), so a failed
 * setup cleans up before it asserts: Check runs no teardown after it.  The
 * admin session made here is inherited by the forked tests as a cookie.
 */
#include "fixture.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_PAGES 1000

struct e2e_server e2e_srv;
static struct e2e_client admin_session; /* its cookie and CSRF token */

static int login(struct e2e_client *c, const char *user, const char *pw)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    long st = e2e_send(c, "POST", "/api/v1/login",
                       json_pack("{s:s, s:s}", "username", user,
                                 "password", pw), &r);

    if (st != 200)
        fprintf(stderr, "e2e: login %s: %ld %s\n", user, st, r.body);
    e2e_reply_release(&r);
    return st == 200 && c->cookie[0] ? 0 : -1;
}

/* Log in with the one-time password and set E2E_ADMIN_PASSWORD. */
static int prepare_admin(const struct e2e_server *s,
                         struct e2e_client *session)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    long st = 0;

    e2e_client_init(&c, s->base);
    if (login(&c, "admin", s->admin_password) == 0)
        st = e2e_send(&c, "POST", "/api/v1/me/password",
                      json_pack("{s:s, s:s}", "current_password",
                                s->admin_password, "new_password",
                                E2E_ADMIN_PASSWORD), &r);
    if (st != 204)
        fprintf(stderr, "e2e: admin password change: %ld %s\n", st, r.body);
    if (session) {
        memcpy(session->cookie, c.cookie, sizeof c.cookie);
        memcpy(session->csrf, c.csrf, sizeof c.csrf);
    }
    e2e_reply_release(&r);
    e2e_client_release(&c);
    return st == 204 ? 0 : -1;
}

int e2e_admin_prepare(const struct e2e_server *s)
{
    return prepare_admin(s, NULL);
}

static void setup(const char *const *args, int ready)
{
    int rc = e2e_server_init(&e2e_srv, args);

    if (rc == 0)
        rc = e2e_server_start(&e2e_srv);
    memset(&admin_session, 0, sizeof admin_session);
    if (rc == 0 && ready)
        rc = prepare_admin(&e2e_srv, &admin_session);
    if (rc != 0) {
        e2e_server_dump_log(&e2e_srv);
        e2e_server_release(&e2e_srv);
        ck_abort_msg("could not start fsd-server (FSD_SERVER=%s)",
                     getenv("FSD_SERVER") ? getenv("FSD_SERVER") : "");
    }
}

void e2e_setup_ready(void)
{
    setup(NULL, 1);
}

void e2e_setup_fresh(void)
{
    setup(NULL, 0);
}

void e2e_setup_small_body(void)
{
    static const char *const args[] = {"--max-body", "4096", NULL};
    setup(args, 1);
}

void e2e_setup_with(const char *const *args)
{
    setup(args, 1);
}

void e2e_teardown(void)
{
    int status = e2e_server_stop(&e2e_srv);

    if (status != 0) {
        fprintf(stderr, "e2e: server exited with status %d\n", status);
        e2e_server_dump_log(&e2e_srv);
    }
    e2e_server_release(&e2e_srv);
    /* Teardown failures are reported against the test case. */
    ck_assert_msg(status == 0, "fsd-server did not stop cleanly on SIGTERM"
                  " (status %d)", status);
}

void e2e_admin_client(struct e2e_client *c, const struct e2e_server *s)
{
    e2e_client_init(c, s->base);
    ck_assert_msg(login(c, "admin", E2E_ADMIN_PASSWORD) == 0,
                  "admin login failed");
}

void e2e_as_admin(struct e2e_client *c)
{
    e2e_client_init(c, e2e_srv.base);
    memcpy(c->cookie, admin_session.cookie, sizeof c->cookie);
    memcpy(c->csrf, admin_session.csrf, sizeof c->csrf);
}

void e2e_unique(char *out, size_t size, const char *prefix)
{
    static int n;

    snprintf(out, size, "%s-%d-%d", prefix, (int)getpid(), ++n);
}

int64_t e2e_token_client(struct e2e_client *admin, struct e2e_client *c,
                         int64_t user_id, const char *name)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t id;

    e2e_send(admin, "POST", "/api/v1/api-tokens",
             json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id, "name",
                       name), &r);
    e2e_expect_status(&r, 201);
    id = json_integer_value(json_object_get(r.json, "id"));
    e2e_client_init(c, e2e_srv.base);
    snprintf(c->bearer, sizeof c->bearer, "%s",
             json_string_value(json_object_get(r.json, "token")));
    ck_assert_msg(c->bearer[0], "no token in %s", r.body);
    e2e_reply_release(&r);
    return id;
}

int64_t e2e_new_user(struct e2e_client *admin, const char *role, char *name,
                     size_t size)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t id;

    e2e_unique(name, size, role);
    e2e_send(admin, "POST", "/api/v1/users",
             json_pack("{s:s, s:s, s:s}", "username", name, "role", role,
                       "password", E2E_USER_PASSWORD), &r);
    e2e_expect_status(&r, 201);
    id = json_integer_value(json_object_get(r.json, "id"));
    e2e_reply_release(&r);
    return id;
}

void e2e_as_role(struct e2e_client *c, const char *role, int64_t *user_id)
{
    struct e2e_client admin;
    char name[64];
    int64_t uid;

    e2e_as_admin(&admin);
    uid = e2e_new_user(&admin, role, name, sizeof name);
    e2e_token_client(&admin, c, uid, name);
    if (user_id)
        *user_id = uid;
    e2e_client_release(&admin);
}

int64_t e2e_create(struct e2e_client *c, const char *path, json_t *body)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char want[256], location[256];
    json_int_t id;

    e2e_send(c, "POST", path, body, &r);
    e2e_expect_status(&r, 201);
    id = json_integer_value(json_object_get(r.json, "id"));
    ck_assert_msg(id > 0, "no id in %s", r.body);
    snprintf(want, sizeof want, "%s/%lld", path, (long long)id);
    ck_assert_msg(e2e_header(&r, "Location", location, sizeof location) == 0,
                  "201 from POST %s without Location", path);
    ck_assert_str_eq(location, want);
    e2e_reply_release(&r);
    return id;
}

json_t *e2e_list_all(struct e2e_client *c, const char *path)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    json_t *all = json_array();
    char cursor[32] = "", url[512];
    const char *next;
    int pages = 0;

    do {
        snprintf(url, sizeof url, "%s%climit=200%s%s", path,
                 strchr(path, '?') ? '&' : '?', cursor[0] ? "&cursor=" : "",
                 cursor);
        e2e_get(c, url, &r);
        e2e_expect_status(&r, 200);
        ck_assert_msg(json_is_array(json_object_get(r.json, "items")),
                      "GET %s: no items array", url);
        json_array_extend(all, json_object_get(r.json, "items"));
        next = json_string_value(json_object_get(r.json, "next_cursor"));
        ck_assert_msg(next || json_is_null(json_object_get(r.json,
                                                           "next_cursor")),
                      "GET %s: next_cursor is neither a string nor null",
                      url);
        snprintf(cursor, sizeof cursor, "%s", next ? next : "");
    } while (cursor[0] && ++pages < MAX_PAGES);
    ck_assert_msg(pages < MAX_PAGES, "GET %s: paging does not end", path);
    e2e_reply_release(&r);
    return all;
}

size_t e2e_count(struct e2e_client *c, const char *path)
{
    json_t *all = e2e_list_all(c, path);
    size_t n = json_array_size(all);

    json_decref(all);
    return n;
}

char *e2e_server_log(void)
{
    char path[512];
    FILE *f;
    long size;
    char *log;

    snprintf(path, sizeof path, "%s/server.log", e2e_srv.dir);
    ck_assert_ptr_nonnull(f = fopen(path, "rb"));
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    log = calloc(1, (size_t)size + 1);
    ck_assert_uint_eq(fread(log, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    return log;
}

/* Run sql on the fixture server's database: the rows it changed. */
static int db_changes(const char *sql)
{
    sqlite3 *db;
    int n;

    ck_assert_int_eq(sqlite3_open(e2e_srv.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    n = sqlite3_changes(db);
    sqlite3_close(db);
    return n;
}

void db_exec(const char *sql)
{
    ck_assert_int_eq(db_changes(sql), 1);
}

void db_run(const char *sql)
{
    ck_assert_int_gt(db_changes(sql), 0);
}
