/*
 * e2e_web.c - what the browser pages rely on, against the real server:
 * the pages and their versioned static files under a strict
 * Content-Security-Policy (the customer's page the same for every token,
 * nothing outside the static root), the CSRF token every
 * cookie-authenticated write must echo, the dispatcher's board of a day,
 * the change feed that keeps it live, and sync conflicts resolved from it.
 */
#include "berlin.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY                                                              \
    "default-src 'none'; script-src 'self'; style-src 'self';"              \
    " img-src 'self'; connect-src 'self'; manifest-src 'self';"             \
    " base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

static void expect_header(const struct e2e_reply *r, const char *name,
                          const char *want)
{
    char got[512];

    ck_assert_int_eq(e2e_header(r, name, got, sizeof got), 0);
    ck_assert_str_eq(got, want);
}

/* The "/static/<version>" a page names its files under (out: 25 bytes):
 * the first "/static/" followed by 16 hex digits. */
static void asset_base(const char *page, char *out, size_t n)
{
    const char *at = strstr(page, "/static/");

    while (at && strspn(at + 8, "0123456789abcdef") != 16)
        at = strstr(at + 8, "/static/");
    ck_assert_ptr_nonnull(at);
    ck_assert_uint_ge(n, 26);
    snprintf(out, n, "%.24s", at);
    ck_assert_uint_eq(strspn(out + 8, "0123456789abcdef"), 16);
}

START_TEST(the_page_is_the_same_for_every_token)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char token[64], path[120], base[32], *page;
    int64_t id;

    berlin_open(&b);
    make_link(&b, &id, token, sizeof token);
    snprintf(path, sizeof path, "/book/%s", token);
    anon_get(path, &r);
    e2e_expect_status(&r, 200);
    expect_header(&r, "Content-Type", "text/html; charset=utf-8");
    expect_header(&r, "Content-Security-Policy", POLICY);
    expect_header(&r, "Referrer-Policy", "no-referrer");
    expect_header(&r, "Cache-Control", "no-store");
    ck_assert_ptr_null(strstr(r.body, token));
    ck_assert_ptr_null(strstr(r.body, "{{static}}"));
    asset_base(r.body, base, sizeof base);
    snprintf(path, sizeof path, "%s/book.js\"", base);
    ck_assert_ptr_nonnull(strstr(r.body, path));
    page = strdup(r.body);
    anon_get("/book/not-a-token-at-all", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(r.body, page);
    anon_get("/quote/whatever", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(r.body, page);
    free(page);

    /* its files: kept a year under the current version, under the same
     * policy */
    snprintf(path, sizeof path, "%s/book.js", base);
    anon_get(path, &r);
    e2e_expect_status(&r, 200);
    expect_header(&r, "Content-Type", "text/javascript; charset=utf-8");
    expect_header(&r, "Cache-Control", "public, max-age=31536000, immutable");
    expect_header(&r, "Content-Security-Policy", POLICY);
    snprintf(path, sizeof path, "%s/book.css", base);
    anon_get(path, &r);
    expect_header(&r, "Content-Type", "text/css; charset=utf-8");
    /* an old version's address still answers, but not for keeps */
    anon_get("/static/0000000000000000/book.js", &r);
    e2e_expect_status(&r, 200);
    expect_header(&r, "Cache-Control", "no-cache");
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

START_TEST(the_technicians_app_is_served_with_its_worker)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char base[32], path[120];

    anon_get("/tech", &r);
    e2e_expect_status(&r, 200);
    expect_header(&r, "Content-Type", "text/html; charset=utf-8");
    expect_header(&r, "Content-Security-Policy", POLICY);
    expect_header(&r, "Cache-Control", "no-store");
    ck_assert_ptr_null(strstr(r.body, "{{static}}"));
    asset_base(r.body, base, sizeof base);
    snprintf(path, sizeof path, "%s/tech.webmanifest\"", base);
    ck_assert_ptr_nonnull(strstr(r.body, path));

    /* the worker's scope is the app's: /tech and below */
    anon_get("/tech/sw.js", &r);
    e2e_expect_status(&r, 200);
    expect_header(&r, "Content-Type", "text/javascript; charset=utf-8");
    expect_header(&r, "Service-Worker-Allowed", "/tech");
    expect_header(&r, "Cache-Control", "no-store");
    ck_assert_ptr_nonnull(strstr(r.body, base));
    ck_assert_ptr_null(strstr(r.body, "{{static}}"));

    snprintf(path, sizeof path, "%s/tech.webmanifest", base);
    anon_get(path, &r);
    e2e_expect_status(&r, 200);
    expect_header(&r, "Content-Type", "application/manifest+json");
    /* the page and the worker only at their own addresses */
    snprintf(path, sizeof path, "%s/tech-sw.js", base);
    anon_get(path, &r);
    e2e_expect_status(&r, 404);
    snprintf(path, sizeof path, "%s/tech.html", base);
    anon_get(path, &r);
    e2e_expect_status(&r, 404);
    e2e_reply_release(&r);
}
END_TEST

START_TEST(nothing_outside_the_static_root_is_served)
{
    static const char *const refused[] = {
        "/static/v/..%2fMakefile", "/static/v/%2e%2e%2fMakefile",
        "/static/v/.hidden.js",    "/static/v/app.html",
        "/static/v/book.html",     "/static/v/missing.js",
        "/static/v/Makefile",      "/static/v/fsd.db",
        "/book.js",                "/static/v/a/b.js",
    };
    struct e2e_reply r = E2E_REPLY_INIT;

    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        anon_get(refused[i], &r);
        ck_assert_msg(r.status == 404, "%s: %ld", refused[i], r.status);
    }
    /* the dispatcher's app is at the root, its files resolved */
    anon_get("/", &r);
    e2e_expect_status(&r, 200);
    expect_header(&r, "Content-Security-Policy", POLICY);
    ck_assert_ptr_null(strstr(r.body, "{{static}}"));
    ck_assert_ptr_nonnull(strstr(r.body, "/app.js\""));
    e2e_reply_release(&r);
}
END_TEST

/* POST a customer as c, with extra headers; returns the status. */
static long post_customer(struct e2e_client *c, const char *const *headers,
                          struct e2e_reply *r)
{
    json_t *customer = json_pack("{s:s}", "name", "Ada Ltd");
    char *body = json_dumps(customer, 0);
    long st = e2e_request(c, "POST", "/api/v1/customers", body, headers, r);

    free(body);
    json_decref(customer);
    return st;
}

START_TEST(cookie_writes_need_the_csrf_token)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    struct e2e_client c, token_client;
    char csrf[64];
    static const char *const wrong[] = {
        "X-CSRF-Token: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL};

    e2e_admin_client(&c, &e2e_srv);
    ck_assert_uint_eq(strlen(c.csrf), 43);
    snprintf(csrf, sizeof csrf, "%s", c.csrf);
    e2e_get(&c, "/api/v1/me", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "csrf_token")),
                     csrf);
    c.csrf[0] = '\0'; /* a forged form: the cookie goes, the token not */
    ck_assert_int_eq(post_customer(&c, NULL, &r), 403);
    e2e_expect_error(&r, 403, "csrf_required", NULL);
    ck_assert_int_eq(post_customer(&c, wrong, &r), 403);
    e2e_expect_error(&r, 403, "csrf_mismatch", NULL);
    snprintf(c.csrf, sizeof c.csrf, "%s", csrf);
    ck_assert_int_eq(post_customer(&c, NULL, &r), 201);
    /* an API token is no cookie: no CSRF token */
    e2e_as_role(&token_client, "dispatcher", NULL);
    e2e_get(&token_client, "/api/v1/me", &r);
    ck_assert(json_is_null(json_object_get(r.json, "csrf_token")));
    ck_assert_int_eq(post_customer(&token_client, NULL, &r), 201);
    /* logging out is a write too */
    c.csrf[0] = '\0';
    e2e_send(&c, "POST", "/api/v1/logout", NULL, &r);
    e2e_expect_error(&r, 403, "csrf_required", NULL);
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&token_client);
}
END_TEST

static const json_t *by_id(const json_t *arr, int64_t id)
{
    const json_t *v;
    size_t i;

    json_array_foreach(arr, i, v)
        if (json_integer_value(json_object_get(v, "id")) == id)
            return v;
    return NULL;
}

static void get_board(struct berlin *b, const char *date,
                      struct e2e_reply *r)
{
    char path[80];

    snprintf(path, sizeof path, "/api/v1/board?date=%s", date);
    e2e_reply_release(r);
    e2e_get(&b->desk, path, r);
}

START_TEST(the_board_shows_lanes_and_the_queue)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char token[64], start[32], date[11], shift[32];
    const json_t *lane, *visit, *queued;
    int64_t booked, waiting;

    berlin_open(&b);
    waiting = b.job; /* a request still to book */
    booked = linked_job(&b, 90, token, sizeof token);
    public_get(token, &r);
    snprintf(start, sizeof start, "%s",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(r.json, "slots"), 0),
                 "start")));
    ck_assert_int_eq(public_confirm(token, start, &r), 200);
    snprintf(date, sizeof date, "%.10s", start);

    get_board(&b, date, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "date")), date);
    ck_assert_int_gt(json_integer_value(json_object_get(r.json, "seq")), 0);
    lane = by_id(json_object_get(r.json, "technicians"), b.tech);
    ck_assert_ptr_nonnull(lane);
    ck_assert_str_eq(json_string_value(json_object_get(lane, "name")),
                     "Jonas");
    ck_assert_int_eq(json_integer_value(json_object_get(lane,
                                                        "load_minutes")),
                     90);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(lane, "skills"), 0),
                         "code")),
                     b.skill);
    /* 08:00 in Berlin: 07:00Z in winter, 06:00Z in summer */
    snprintf(shift, sizeof shift, "%s",
             json_string_value(json_object_get(lane, "shift_start")));
    ck_assert(strstr(shift, "T07:00:00Z") || strstr(shift, "T06:00:00Z"));
    ck_assert_int_eq(strncmp(shift, date, 10), 0);
    visit = by_id(json_object_get(r.json, "jobs"), booked);
    ck_assert_ptr_nonnull(visit);
    ck_assert_int_eq(json_integer_value(json_object_get(visit,
                                                        "technician_id")),
                     b.tech);
    ck_assert_str_eq(json_string_value(json_object_get(visit,
                                                       "window_start")),
                     start);
    ck_assert(json_is_integer(json_object_get(visit, "travel_minutes")));
    /* planned no earlier than its window opens */
    ck_assert_int_ge(strcmp(json_string_value(json_object_get(visit,
                                                              "start")),
                            start),
                     0);
    ck_assert_str_eq(json_string_value(json_object_get(visit, "sla_risk")),
                     "ok");
    queued = by_id(json_object_get(r.json, "jobs"), waiting);
    ck_assert_ptr_nonnull(queued);
    ck_assert(json_is_null(json_object_get(queued, "technician_id")));
    ck_assert(json_is_null(json_object_get(queued, "start")));
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(queued,
                                                        "required_skills"),
                                        0),
                         "code")),
                     b.skill);

    get_board(&b, "2027-02-30", &r);
    e2e_expect_error(&r, 400, "invalid_type", "date");
    get_board(&b, "today", &r);
    e2e_expect_error(&r, 400, "invalid_type", "date");
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

/* PATCH path with body as c; asserts 200. */
static void patch_ok(struct e2e_client *c, const char *path, json_t *body)
{
    struct e2e_reply r = E2E_REPLY_INIT;

    e2e_send(c, "PATCH", path, body, &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
}

/* One rendering serves every dispatcher, but never past a change. */
START_TEST(a_kept_board_follows_every_change)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT, again = E2E_REPLY_INIT;
    char token[64], date[11], path[64];
    json_int_t seq;

    berlin_open(&b);
    linked_job(&b, 60, token, sizeof token);
    public_get(token, &r);
    snprintf(date, sizeof date, "%.10s",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(r.json, "slots"), 0),
                 "start")));
    get_board(&b, date, &r);
    e2e_expect_status(&r, 200);
    seq = json_integer_value(json_object_get(r.json, "seq"));
    get_board(&b, date, &again); /* nothing changed: the same picture */
    ck_assert_uint_eq(again.body_len, r.body_len);
    ck_assert_mem_eq(again.body, r.body, r.body_len);

    /* a job on the board changes: the next board shows it */
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)b.job);
    patch_ok(&b.desk, path, json_pack("{s:s}", "fault", "leaks at night"));
    get_board(&b, date, &r);
    ck_assert_int_gt(json_integer_value(json_object_get(r.json, "seq")), seq);
    ck_assert_str_eq(json_string_value(json_object_get(
                         by_id(json_object_get(r.json, "jobs"), b.job),
                         "fault")),
                     "leaks at night");
    /* so does a technician, which is not a job */
    snprintf(path, sizeof path, "/api/v1/technicians/%lld",
             (long long)b.tech);
    patch_ok(&b.mgr, path, json_pack("{s:s}", "name", "Jonas K."));
    get_board(&b, date, &r);
    ck_assert_str_eq(json_string_value(json_object_get(
                         by_id(json_object_get(r.json, "technicians"),
                               b.tech),
                         "name")),
                     "Jonas K.");
    e2e_reply_release(&again);
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

static void get_changes(struct e2e_client *c, const char *query,
                        struct e2e_reply *r)
{
    char path[80];

    snprintf(path, sizeof path, "/api/v1/changes?%s", query);
    e2e_reply_release(r);
    e2e_get(c, path, r);
}

static int has_id(const json_t *ids, int64_t id)
{
    const json_t *v;
    size_t i;

    json_array_foreach(ids, i, v)
        if (json_integer_value(v) == id)
            return 1;
    return 0;
}

START_TEST(the_change_feed_names_what_moved)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char query[64], path[64];
    json_int_t seq, next, version;
    const json_t *moved;

    berlin_open(&b);
    get_changes(&b.desk, "after=0&limit=1", &r);
    e2e_expect_status(&r, 200);
    ck_assert(json_is_true(json_object_get(r.json, "more")));
    get_board(&b, "2027-03-29", &r);
    seq = json_integer_value(json_object_get(r.json, "seq"));
    snprintf(query, sizeof query, "after=%lld", (long long)seq);
    get_changes(&b.desk, query, &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "seq")), seq);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "job_ids")), 0);
    ck_assert(json_is_false(json_object_get(r.json, "more")));

    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)b.job);
    e2e_reply_release(&r);
    e2e_send(&b.desk, "PATCH", path, json_pack("{s:s}", "fault", "leaks"),
             &r);
    e2e_expect_status(&r, 200);
    version = json_integer_value(json_object_get(r.json, "version"));
    get_changes(&b.desk, query, &r);
    next = json_integer_value(json_object_get(r.json, "seq"));
    ck_assert_int_gt(next, seq);
    ck_assert(has_id(json_object_get(r.json, "job_ids"), b.job));
    ck_assert(json_is_false(json_object_get(r.json, "others_changed")));
    /* each job once, with the version the change left it at */
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "jobs")), 1);
    moved = json_array_get(json_object_get(r.json, "jobs"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(moved, "id")), b.job);
    ck_assert_int_eq(json_integer_value(json_object_get(moved, "version")),
                     version);

    get_changes(&b.desk, "after=-1", &r);
    e2e_expect_error(&r, 400, "out_of_range", "after");
    get_changes(&b.desk, "after=x", &r);
    e2e_expect_error(&r, 400, "invalid_type", "after");
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

/* A conflict device 1 raised on job, written as sync records one. */
static void raise_conflict(int64_t job)
{
    char sql[300];

    snprintf(sql, sizeof sql,
             "INSERT INTO sync_conflicts(device_id, job_id, mutation_id,"
             " code, message, created_at) VALUES (1, %lld, 'm-1',"
             " 'stale_version', 'the job changed on the server', 1)",
             (long long)job);
    db_exec(sql);
}

START_TEST(a_sync_conflict_is_resolved_once)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];
    const json_t *c, *items;
    int64_t id;

    berlin_open(&b);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/conflicts",
             (long long)b.job);
    e2e_get(&b.desk, path, &r);
    e2e_expect_status(&r, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "items")), 0);
    raise_conflict(b.job);
    e2e_reply_release(&r);
    e2e_get(&b.desk, path, &r);
    c = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(c, "code")),
                     "stale_version");
    ck_assert(json_is_null(json_object_get(c, "resolved_at")));
    id = json_integer_value(json_object_get(c, "id"));

    snprintf(path, sizeof path, "/api/v1/sync-conflicts/%lld/resolve",
             (long long)id);
    e2e_reply_release(&r);
    e2e_send(&b.desk, "POST", path,
             json_pack("{s:s}", "note", "phoned the technician"), &r);
    e2e_expect_status(&r, 200);
    ck_assert(json_is_string(json_object_get(r.json, "resolved_at")));
    e2e_reply_release(&r);
    e2e_send(&b.desk, "POST", path, json_object(), &r);
    e2e_expect_error(&r, 409, "already_resolved", NULL);
    e2e_reply_release(&r);
    e2e_send(&b.desk, "POST", "/api/v1/sync-conflicts/999999/resolve",
             json_object(), &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    e2e_get(&b.desk, "/api/v1/jobs/999999/conflicts", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline",
             (long long)b.job);
    e2e_reply_release(&r);
    e2e_get(&b.desk, path, &r);
    items = json_object_get(r.json, "items");
    c = json_array_get(items, json_array_size(items) - 1);
    ck_assert_str_eq(json_string_value(json_object_get(c, "action")),
                     "resolve_conflict");
    ck_assert_str_eq(json_string_value(json_object_get(c, "reason")),
                     "phoned the technician");
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

static void setup_web(void)
{
    static const char *const args[] = {"--public-limit", "100000", "--www",
                                       "server/www", NULL};

    e2e_setup_with(args);
}

Suite *e2e_web_suite(void)
{
    Suite *s = suite_create("e2e_web");
    TCase *tc = tcase_create("web");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup_web, e2e_teardown);
    tcase_add_test(tc, the_page_is_the_same_for_every_token);
    tcase_add_test(tc, the_technicians_app_is_served_with_its_worker);
    tcase_add_test(tc, nothing_outside_the_static_root_is_served);
    tcase_add_test(tc, cookie_writes_need_the_csrf_token);
    tcase_add_test(tc, the_board_shows_lanes_and_the_queue);
    tcase_add_test(tc, the_change_feed_names_what_moved);
    tcase_add_test(tc, a_kept_board_follows_every_change);
    tcase_add_test(tc, a_sync_conflict_is_resolved_once);
    suite_add_tcase(s, tc);
    return s;
}
