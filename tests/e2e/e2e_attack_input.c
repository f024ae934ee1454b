/*
 * e2e_attack_input.c - hostile input, each attempt counted: SQL and LIKE
 * metacharacters, NUL and invalid UTF-8 in every text field of skills,
 * customers, technicians, parts and jobs (the first stored verbatim and
 * read back equal, the rest refused with 400), in filters and query
 * strings; and path traversal against the static files, which must answer
 * 404 and never a byte of a file outside the static root.
 */
#include "attack.h"
#include "berlin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Stored verbatim: SQL and LIKE metacharacters. */
static const char *const verbatim[] = {
    "' OR 1=1 --", "\"; DROP TABLE jobs; --", "%", "_", "%_\\",
    "'); DELETE FROM users; --"};

/* Refused: JSON text that is not UTF-8 (400 malformed_json), each a JSON
 * string literal, quotes included. */
static const struct {
    const char *json, *code;
} refused[] = {
    {"\"\xC3\x28\"", "malformed_json"},
    {"\"\xFF\"", "malformed_json"},
    {"\"\xC0\xAF\"", "malformed_json"}, /* overlong '/' */
    {"\"\\ud800\"", "malformed_json"},  /* lone surrogate */
};

/* One text field: top-level, or the key of the first item of an array. */
struct text_field {
    const char *res, *field, *item; /* item: NULL at top level */
    const char *path;               /* the error's field */
};

static const struct text_field fields[] = {
    {"skills", "code", NULL, "code"}, /* first: the others refer to them */
    {"skills", "name", NULL, "name"},
    {"customers", "name", NULL, "name"},
    {"customers", "phone", NULL, "phone"},
    {"customers", "email", NULL, "email"},
    {"customers", "address", NULL, "address"},
    {"technicians", "name", NULL, "name"},
    {"technicians", "phone", NULL, "phone"},
    {"technicians", "email", NULL, "email"},
    {"technicians", "skills", "skill", "skills[0].skill"},
    {"parts", "sku", NULL, "sku"},
    {"parts", "name", NULL, "name"},
    {"parts", "stock", "location", "stock[0].location"},
    {"jobs", "fault", NULL, "fault"},
    {"jobs", "required_skills", "skill", "required_skills[0].skill"},
};

/* A valid create body for f->res with value at f (stolen). */
static json_t *body_with(const struct text_field *f, int64_t customer,
                         json_t *value)
{
    char unique[64];
    json_t *b;

    e2e_unique(unique, sizeof unique, "inj");
    if (!strcmp(f->res, "skills"))
        b = json_pack("{s:s, s:s}", "code", unique, "name", "Inj skill");
    else if (!strcmp(f->res, "customers"))
        b = json_pack("{s:s}", "name", "Inj Ltd");
    else if (!strcmp(f->res, "technicians"))
        b = json_pack("{s:s, s:f, s:f}", "name", "Inj Tech", "start_lat",
                      52.5, "start_lon", 13.4);
    else if (!strcmp(f->res, "parts"))
        b = json_pack("{s:s, s:s, s:i, s:i}", "sku", unique, "name",
                      "Inj part", "cost_minor", 1, "price_minor", 2);
    else
        b = json_pack("{s:I, s:s}", "customer_id", (json_int_t)customer,
                      "kind", "repair");
    if (!f->item) {
        json_object_set_new(b, f->field, value);
        return b;
    }
    /* the item's other key: a stock quantity or a skill level */
    json_object_set_new(b, f->field,
                        json_pack("[{s:o, s:i}]", f->item, value,
                                  !strcmp(f->item, "location") ? "quantity"
                                                               : "level",
                                  1));
    return b;
}

/* The text at f in a stored record. */
static const json_t *field_of(const json_t *rec, const struct text_field *f)
{
    const json_t *v = json_object_get(rec, f->field);

    return f->item ? json_object_get(json_array_get(v, 0), f->item) : v;
}

/* 1 when v is the JSON string s, byte for byte. */
static int text_is(const json_t *v, const char *s)
{
    return json_is_string(v) && json_string_length(v) == strlen(s) &&
           memcmp(json_string_value(v), s, strlen(s)) == 0;
}

/* %-encode s for a query string (out: 3 * strlen(s) + 1). */
static void url_encode(const char *s, char *out)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~", c)) {
            *out++ = (char)c;
        } else {
            *out++ = '%';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 15];
        }
    }
    *out = '\0';
}

/* Create f with text v and read it back byte for byte. */
static void store_verbatim(struct tally *t, struct e2e_client *c,
                           const struct text_field *f, int64_t customer,
                           const char *v)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[96];
    const json_t *got;
    int64_t id;

    snprintf(path, sizeof path, "/api/v1/%s", f->res);
    e2e_send(c, "POST", path, body_with(f, customer, json_string(v)), &r);
    id = json_integer_value(json_object_get(r.json, "id"));
    if (r.status != 201 || id <= 0) {
        tally_check(t, 0, "POST %s %s=%s: %ld %s", path, f->path, v,
                    r.status, r.body);
        e2e_reply_release(&r);
        return;
    }
    snprintf(path, sizeof path, "/api/v1/%s/%lld", f->res, (long long)id);
    e2e_get(c, path, &r);
    got = field_of(r.json, f);
    tally_check(t, r.status == 200 && text_is(got, v),
                "GET %s: %s is not %s: %s", path, f->path, v, r.body);
    e2e_reply_release(&r);
}

/* POST f's body with the raw JSON literal lit as the text; refused. */
static void refuse_text(struct tally *t, struct e2e_client *c,
                        const struct text_field *f, int64_t customer,
                        const char *lit, const char *code)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[64], *text, *at, *body;
    int nul = !strcmp(code, "invalid_text");
    json_t *j = body_with(f, customer, json_string("@"));

    text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    at = strstr(text, "\"@\"");
    ck_assert_ptr_nonnull(at);
    body = malloc(strlen(text) + strlen(lit) + 1);
    sprintf(body, "%.*s%s%s", (int)(at - text), text, lit, at + 3);
    snprintf(path, sizeof path, "/api/v1/%s", f->res);
    e2e_request(c, "POST", path, body, NULL, &r);
    tally_check(t, e2e_error_is(&r, 400, code, nul ? f->path : ""),
                "POST %s with %s=%s: %ld %s", path, f->path, lit, r.status,
                r.body);
    free(body);
    free(text);
    e2e_reply_release(&r);
}

START_TEST(text_fields_keep_metacharacters_and_refuse_bad_text)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    char path[200], enc[100], cust_path[64];
    int64_t customer;

    e2e_as_role(&c, "manager", NULL);
    customer = e2e_create(&c, "/api/v1/customers",
                          json_pack("{s:s}", "name", "Injection target"));
    snprintf(cust_path, sizeof cust_path, "/api/v1/customers/%lld",
             (long long)customer);
    tally_init(&t, "sql_and_utf8");
    /* refused first, all of them: the database must not move */
    fp_take(&before);
    for (size_t i = 0; i < N(fields); i++)
        for (size_t k = 0; k < N(refused); k++)
            refuse_text(&t, &c, &fields[i], customer, refused[k].json,
                        refused[k].code);
    for (size_t k = 0; k < N(refused); k++) {
        char *body = malloc(strlen(refused[k].json) + 16);
        sprintf(body, "{\"name\":%s}", refused[k].json);
        e2e_request(&c, "PATCH", cust_path, body, NULL, &r);
        tally_check(&t, e2e_error_is(&r, 400, refused[k].code, NULL),
                    "PATCH name=%s: %ld %s", refused[k].json, r.status,
                    r.body);
        free(body);
    }
    {
        static const char *const bad_query[] = {
            "/api/v1/technicians?skill=%00", "/api/v1/technicians?skill=%C3%28",
            "/api/v1/technicians?skill=%FF", "/api/v1/customers?tier=%C0%AF"};
        for (size_t k = 0; k < N(bad_query); k++) {
            e2e_get(&c, bad_query[k], &r);
            tally_check(&t, e2e_error_is(&r, 400, "invalid_query", NULL),
                        "GET %s: %ld %s", bad_query[k], r.status, r.body);
        }
    }
    fp_take(&after);
    /* then the metacharacters, which are plain text */
    for (size_t i = 0; i < N(fields); i++)
        for (size_t k = 0; k < N(verbatim); k++)
            store_verbatim(&t, &c, &fields[i], customer, verbatim[k]);
    for (size_t k = 0; k < N(verbatim); k++) {
        e2e_send(&c, "PATCH", cust_path,
                 json_pack("{s:s}", "address", verbatim[k]), &r);
        tally_check(&t, r.status == 200 &&
                            text_is(json_object_get(r.json, "address"),
                                    verbatim[k]),
                    "PATCH address=%s: %ld %s", verbatim[k], r.status,
                    r.body);
        /* a filter is a value, never a pattern: exactly the one
         * technician made with that skill */
        url_encode(verbatim[k], enc);
        snprintf(path, sizeof path, "/api/v1/technicians?skill=%s", enc);
        tally_check(&t, e2e_count(&c, path) == 1, "GET %s: not exactly one",
                    path);
        snprintf(path, sizeof path, "/api/v1/customers?tier=%s", enc);
        e2e_get(&c, path, &r);
        tally_check(&t, e2e_error_is(&r, 400, "invalid_choice", "tier"),
                    "GET %s: %ld %s", path, r.status, r.body);
    }
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

/*
 * openapi.yaml says text with NUL characters is 400 invalid_text naming
 * the field; nothing is stored.
 */
START_TEST(text_with_nul_is_invalid_text)
{
    static const char *const nul[] = {"\"\\u0000\"",
                                      "\"x\\u0000' OR 1=1 --\""};
    struct e2e_client c;
    struct fingerprint before, after;
    struct tally t;
    int64_t customer;

    e2e_as_role(&c, "manager", NULL);
    customer = e2e_create(&c, "/api/v1/customers",
                          json_pack("{s:s}", "name", "NUL target"));
    tally_init(&t, "nul_text");
    fp_take(&before);
    for (size_t i = 0; i < N(fields); i++)
        for (size_t k = 0; k < N(nul); k++)
            refuse_text(&t, &c, &fields[i], customer, nul[k],
                        "invalid_text");
    fp_take(&after);
    tally_finish(&t, &before, &after);
    e2e_client_release(&c);
}
END_TEST

/*
 * An error whose message would quote a request path that is not UTF-8
 * (CivetWeb decodes %FF into the path) is still {"error": ...} JSON.
 */
START_TEST(errors_on_non_utf8_paths_are_json)
{
    static const struct {
        const char *method, *path;
        int admin;
        long status;
        const char *code;
    } tries[] = {
        {"GET", "/api/v1/nope%C3%28", 0, 404, "not_found"},
        {"GET", "/static/0000000000000000/%C0%AE%C0%AE.js", 0, 404,
         "not_found"},
        {"GET", "/api/v1/jobs/%FF", 1, 404, "not_found"},
        {"PUT", "/api/v1/customers/%FF", 1, 405, "method_not_allowed"},
        {"PUT", "/api/v1/login%FF", 0, 404, "not_found"},
    };
    struct e2e_client anon, admin;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    char type[64];

    e2e_client_init(&anon, e2e_srv.base);
    e2e_as_role(&admin, "admin", NULL);
    tally_init(&t, "non_utf8_path");
    fp_take(&before);
    for (size_t i = 0; i < N(tries); i++) {
        e2e_request(tries[i].admin ? &admin : &anon, tries[i].method,
                    tries[i].path, NULL, NULL, &r);
        if (e2e_header(&r, "Content-Type", type, sizeof type) != 0)
            type[0] = '\0';
        tally_check(&t, e2e_error_is(&r, tries[i].status, tries[i].code,
                                     NULL),
                    "%s %s: %ld, Content-Type \"%s\", body \"%.80s\"",
                    tries[i].method, tries[i].path, r.status, type, r.body);
    }
    tally_check(&t, e2e_healthy(e2e_srv.base), "unhealthy afterwards");
    fp_take(&after);
    tally_finish(&t, &before, &after);
    e2e_reply_release(&r);
    e2e_client_release(&anon);
    e2e_client_release(&admin);
}
END_TEST

/* A file's first line of at least 12 bytes (at most size - 1 of it), or
 * "": what its contents would show in a reply. */
static void marker(const char *file, char *out, size_t size)
{
    FILE *f = fopen(file, "r");
    char line[512];

    out[0] = '\0';
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strlen(line) >= 12) {
            snprintf(out, size, "%.*s", (int)size - 1, line);
            break;
        }
    }
    if (f)
        fclose(f);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Rewrite the relative path rel with each "/" as slash and each "." of a
 * ".." as dot (NULL: unchanged). */
static void encode_path(const char *rel, const char *slash, const char *dot,
                        char *out, size_t size)
{
    size_t n = 0;

    for (const char *p = rel; *p && n + 16 < size; p++) {
        const char *put = *p == '/' && slash             ? slash
                          : *p == '.' && p[1] == '.' && dot ? dot
                          : *p == '.' && p > rel && p[-1] == '.' && dot
                              ? dot
                              : NULL;
        n += put ? (size_t)snprintf(out + n, size - n, "%s", put)
                 : (size_t)snprintf(out + n, size - n, "%c", *p);
    }
    out[n] = '\0';
}

#define TRAV_MARKERS 6
#define TRAV_PATHS 96

/* Every way to write a path to each target, under /static/<v>/ and from
 * the top; n paths into paths (each malloc'd). */
static size_t traversal_paths(char *targets[], size_t nt, char **paths)
{
    static const char *const enc[][2] = {
        {NULL, NULL},          {"%2f", NULL},         {"%2f", "%2e"},
        {"%252f", "%252e"},    {"\\", NULL},          {"%5c", NULL},
        {"%c0%af", "%c0%ae"},  {"%2f%2f", NULL},      {"%2f", ".%2e"},
        {"/./", NULL}};
    char rel[2048];
    size_t n = 0;

    for (size_t i = 0; i < nt; i++)
        for (size_t e = 0; e < N(enc) && n + 3 < TRAV_PATHS; e++) {
            encode_path(targets[i], enc[e][0], enc[e][1], rel, sizeof rel);
            paths[n] = malloc(strlen(rel) + 64);
            sprintf(paths[n++], "/static/0000000000000000/%s", rel);
            if (e == 1) { /* a NUL before a servable extension */
                paths[n] = malloc(strlen(rel) + 64);
                sprintf(paths[n++], "/static/0000000000000000/%s%%00.js",
                        rel);
            }
            if (e == 0) { /* from the top and as the version segment */
                paths[n] = malloc(strlen(rel) + 64);
                sprintf(paths[n++], "/%s", rel);
                paths[n] = malloc(strlen(rel) + 64);
                sprintf(paths[n++], "/static/%s/x.js", rel);
            }
        }
    return n;
}

START_TEST(no_path_leaves_the_static_root)
{
    static const char *const fixed[] = {
        "/static/x/../../etc/passwd", "/static/v/..%2f..%2fMakefile",
        "/static/v/%2e%2e/server/main.c", "/static/v/..%252f..%252fMakefile",
        "/static/v/%00", "/static/v/..", "/static/v/%2e%2e", "/static/v/.",
        "/static/v/..%2f", "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/v//etc/passwd", "/static/v/%2fetc%2fpasswd"};
    struct e2e_reply r = E2E_REPLY_INIT;
    struct raw_reply raw;
    struct fingerprint before, after;
    struct tally t;
    char markers[TRAV_MARKERS][64], *targets[TRAV_MARKERS], *paths[TRAV_PATHS];
    char dir[300], up[300] = "", cwd[256], file[600], *big;
    size_t n;

    /* the static root is the server's scratch directory: a file in it, one
     * in a directory below it and one beside it, and files of the tree */
    ck_assert_ptr_nonnull(realpath(e2e_srv.dir, dir));
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    for (const char *p = dir; *p; p++)
        if (*p == '/')
            strcat(up, "../");
    snprintf(file, sizeof file, "%s/inside-%d.js", dir, (int)getpid());
    write_file(file, "inside the static root, served\n");
    snprintf(file, sizeof file, "%s/sub-%d", dir, (int)getpid());
    ck_assert_int_eq(mkdir(file, 0700), 0);
    strcat(file, "/deep.js");
    write_file(file, "below the static root, never served\n");
    snprintf(file, sizeof file, "%s/../decoy-%d.js", dir, (int)getpid());
    write_file(file, "beside the static root, never served\n");
    for (int i = 0; i < TRAV_MARKERS; i++)
        targets[i] = malloc(900);
    sprintf(targets[0], "sub-%d/deep.js", (int)getpid());
    sprintf(targets[1], "../decoy-%d.js", (int)getpid());
    sprintf(targets[2], "%s%s/Makefile", up, cwd + 1);
    sprintf(targets[3], "%s%s/server/main.c", up, cwd + 1);
    sprintf(targets[4], "%setc/passwd", up);
    sprintf(targets[5], "../../../../../../../../../../../../etc/passwd");
    marker(file, markers[1], sizeof markers[0]);
    snprintf(file, sizeof file, "%s/sub-%d/deep.js", dir, (int)getpid());
    marker(file, markers[0], sizeof markers[0]);
    marker("Makefile", markers[2], sizeof markers[0]);
    marker("server/main.c", markers[3], sizeof markers[0]);
    marker("/etc/passwd", markers[4], sizeof markers[0]);
    marker("README.md", markers[5], sizeof markers[0]);
    for (int i = 0; i < TRAV_MARKERS; i++)
        ck_assert_msg(strlen(markers[i]) >= 12, "no marker for %d", i);
    /* the control: the handler does serve a file of its root */
    snprintf(file, sizeof file, "/static/0000000000000000/inside-%d.js",
             (int)getpid());
    anon_get(file, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(r.body, "inside the static root, served\n");
    e2e_reply_release(&r);

    n = traversal_paths(targets, TRAV_MARKERS, paths);
    for (size_t i = 0; i < N(fixed); i++)
        paths[n++] = strdup(fixed[i]);
    big = malloc(110000); /* a name, dot segments, a 100 KB path */
    tally_init(&t, "path_traversal");
    fp_take(&before);
    for (size_t i = 0; i < n + 3; i++) {
        const char *p = i < n ? paths[i] : big;
        size_t len = i == n ? 300 : i == n + 1 ? 9000 : 100000;
        int k, leaked = 0;
        char *line;

        if (i >= n) {
            k = sprintf(big, "/static/v/");
            for (size_t j = 0; j + 5 < len; j += 5)
                k += sprintf(big + k, "%s", i == n + 1 ? "..%2f" : "aaaaa");
            sprintf(big + k, "%s", i == n + 1 ? "etc/passwd" : ".js");
        }
        line = malloc(strlen(p) + 64);
        k = sprintf(line, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close"
                          "\r\n\r\n", p);
        raw_http(NULL, line, (size_t)k, &raw);
        free(line);
        for (int m = 0; m < TRAV_MARKERS; m++)
            leaked |= strstr(raw.body, markers[m]) != NULL;
        /* a 100 KB request line is over CivetWeb's limit: refused before
         * routing, or the connection closed */
        tally_check(&t, !leaked && (raw.status == 404 ||
                                    (strlen(p) > 16384 &&
                                     (raw.status == 0 || raw.status == 400 ||
                                      raw.status == 413 || raw.status == 414 ||
                                      raw.status == 431))),
                    "GET %.160s: %ld%s %.80s", p, raw.status,
                    leaked ? " LEAKED FILE CONTENTS" : "", raw.body);
        raw_reply_release(&raw);
    }
    tally_check(&t, e2e_healthy(e2e_srv.base), "not healthy afterwards");
    fp_take(&after);
    tally_finish(&t, &before, &after);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    for (int i = 0; i < TRAV_MARKERS; i++)
        free(targets[i]);
    free(big);
    snprintf(file, sizeof file, "%s/../decoy-%d.js", dir, (int)getpid());
    unlink(file);
}
END_TEST

void attack_input_tcases(Suite *s)
{
    TCase *tc = tcase_create("injection");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, text_fields_keep_metacharacters_and_refuse_bad_text);
    tcase_add_test(tc, text_with_nul_is_invalid_text);
    tcase_add_test(tc, errors_on_non_utf8_paths_are_json);
    suite_add_tcase(s, tc);

    tc = tcase_create("traversal");
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, no_path_leaves_the_static_root);
    suite_add_tcase(s, tc);
}
