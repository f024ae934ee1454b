/*
 * test_openapi.c - server/openapi.yaml documents exactly the route table.
 *
 * Every row of api_routes (server/api/routes.c) must appear in the embedded
 * OpenAPI document as a path key under `paths:` ("  /api/v1/jobs/{id}:",
 * two spaces in) with its method ("    patch:", four spaces in) inside that
 * path's block, which runs to the next two-space-indented key.  And every
 * documented path and method must be a row of the table, so the document
 * neither lags behind the code nor describes routes that are gone.
 *
 * The checks read the YAML line by line (yaml_lines.h) rather than parsing
 * it.
 */
#include "api/api.h"
#include "testutil.h"
#include "yaml_lines.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char fsd_openapi_yaml[]; /* build/gen/openapi.c */

static const char *const http_methods[] = {
    "get", "put", "post", "delete", "options", "head", "patch", "trace", 0};

/* The lines below the top-level `paths:` key, up to the next top-level
 * key.  0 if there is no such section. */
static int paths_section(const char *doc, struct span *out)
{
    struct span all = {doc, doc + strlen(doc)};

    return key_block(&all, 0, "paths", out);
}

/* The block of the path key `path` in the paths section: the lines after
 * "  <path>:" up to the next two-space-indented key.  0 if absent. */
static int path_block(const char *doc, const char *path, struct span *out)
{
    struct span sec;

    return paths_section(doc, &sec) && key_block(&sec, 2, path, out);
}

/* Does the block hold the operation key "    <method>:" (lowercase)? */
static int block_has_method(const struct span *b, const char *method)
{
    char lower[16];
    const char *p, *next, *e;
    size_t n = strlen(method);

    if (n >= sizeof lower)
        return 0;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)tolower((unsigned char)method[i]);
    for (p = b->begin; p < b->end; p = next) {
        e = line_end(p, &next);
        if (is_key_line(p, e, 4, lower, n))
            return 1;
    }
    return 0;
}

/* Is method + path documented in doc? */
static int documented(const char *doc, const char *method, const char *path)
{
    struct span b;

    return path_block(doc, path, &b) && block_has_method(&b, method);
}

/* Is there a route with this pattern (and, if method is not NULL, this
 * method, compared case-insensitively)? */
static int routed(const char *method, const char *pattern, size_t len)
{
    for (size_t i = 0; i < api_nroutes; i++) {
        const struct route *r = &api_routes[i];
        if (strlen(r->pattern) != len || memcmp(r->pattern, pattern, len))
            continue;
        if (!method)
            return 1;
        if (strlen(r->method) == strlen(method)) {
            size_t k = 0;
            while (method[k] &&
                   tolower((unsigned char)r->method[k]) == method[k])
                k++;
            if (!method[k])
                return 1;
        }
    }
    return 0;
}

START_TEST(document_is_openapi_3_with_paths)
{
    struct span sec;

    ck_assert_msg(strncmp(fsd_openapi_yaml, "openapi: 3.0.3\n", 15) == 0,
                  "server/openapi.yaml must start with 'openapi: 3.0.3'");
    ck_assert_msg(paths_section(fsd_openapi_yaml, &sec),
                  "server/openapi.yaml has no top-level 'paths:' key");
    ck_assert_msg(sec.end > sec.begin, "the paths section is empty");
}
END_TEST

START_TEST(every_route_is_documented)
{
    ck_assert_uint_gt(api_nroutes, 0);
    for (size_t i = 0; i < api_nroutes; i++) {
        const struct route *r = &api_routes[i];
        char lower[16] = "";
        struct span b;

        for (size_t k = 0; r->method[k] && k + 1 < sizeof lower; k++)
            lower[k] = (char)tolower((unsigned char)r->method[k]);

        ck_assert_msg(path_block(fsd_openapi_yaml, r->pattern, &b),
                      "route %s %s: server/openapi.yaml has no path key"
                      " '  %s:' under paths",
                      r->method, r->pattern, r->pattern);
        ck_assert_msg(block_has_method(&b, r->method),
                      "route %s %s: server/openapi.yaml documents the path"
                      " but not the method (no '    %s:' in its block)",
                      r->method, r->pattern, lower);
    }
}
END_TEST

START_TEST(every_documented_operation_is_routed)
{
    struct span sec;
    const char *p, *next, *e;
    const char *path = NULL;
    size_t path_len = 0;
    int npaths = 0;

    ck_assert(paths_section(fsd_openapi_yaml, &sec));
    for (p = sec.begin; p < sec.end; p = next) {
        e = line_end(p, &next);
        if (is_any_key_at(p, e, 2)) {
            ck_assert_msg(p[2] == '/' && e[-1] == ':',
                          "paths: key '%.*s' is not an unquoted '/path:'",
                          (int)(e - p), p);
            path = p + 2;
            path_len = (size_t)(e - 1 - path);
            npaths++;
            ck_assert_msg(routed(NULL, path, path_len),
                          "server/openapi.yaml documents %.*s, which is not"
                          " in the route table (server/api/routes.c)",
                          (int)path_len, path);
            continue;
        }
        if (!path || !is_any_key_at(p, e, 4))
            continue;
        for (const char *const *m = http_methods; *m; m++)
            if (is_key_line(p, e, 4, *m, strlen(*m)))
                ck_assert_msg(routed(*m, path, path_len),
                              "server/openapi.yaml documents %s %.*s, which"
                              " is not in the route table", *m,
                              (int)path_len, path);
    }
    ck_assert_int_gt(npaths, 0);
}
END_TEST

/* The checks above must be able to fail: a made-up route, a method the
 * path does not have, and a method that belongs to a neighbouring path are
 * all reported as undocumented. */
START_TEST(undocumented_routes_are_detected)
{
    ck_assert(documented(fsd_openapi_yaml, "PATCH", "/api/v1/jobs/{id}"));
    ck_assert(!documented(fsd_openapi_yaml, "GET", "/api/v1/no-such-thing"));
    ck_assert(!documented(fsd_openapi_yaml, "DELETE", "/api/v1/jobs/{id}"));
    ck_assert(!documented(fsd_openapi_yaml, "GET", "/api/v1/jobs/{id}/x"));
    ck_assert(!documented(fsd_openapi_yaml, "GET", "/api/v1/job"));
    ck_assert(!routed(NULL, "/api/v1/no-such-thing", 21));
    ck_assert(!routed("delete", "/api/v1/jobs/{id}", 17));
    ck_assert(routed("patch", "/api/v1/jobs/{id}", 17));
}
END_TEST

START_TEST(blocks_end_at_the_next_path)
{
    static const char doc[] =
        "openapi: 3.0.3\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      description: |\n"
        "        post:\n"
        "    # patch:\n"
        "  /a/{id}:\n"
        "    parameters:\n"
        "      - name: id\n"
        "    delete:\n"
        "components:\n"
        "  /b:\n"
        "    get:\n";

    ck_assert(documented(doc, "GET", "/a"));
    ck_assert(!documented(doc, "DELETE", "/a"));  /* belongs to /a/{id} */
    ck_assert(!documented(doc, "POST", "/a"));    /* text, not a key */
    ck_assert(!documented(doc, "PATCH", "/a"));   /* a comment */
    ck_assert(documented(doc, "DELETE", "/a/{id}"));
    ck_assert(!documented(doc, "GET", "/a/{id}"));
    ck_assert(!documented(doc, "GET", "/b"));     /* not under paths */
    ck_assert(!documented("openapi: 3.0.3\n", "GET", "/a"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("openapi");
    TCase *tc = tcase_create("routes");

    tcase_add_test(tc, document_is_openapi_3_with_paths);
    tcase_add_test(tc, every_route_is_documented);
    tcase_add_test(tc, every_documented_operation_is_routed);
    tcase_add_test(tc, undocumented_routes_are_detected);
    tcase_add_test(tc, blocks_end_at_the_next_path);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
