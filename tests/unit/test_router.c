/*
 * test_router.c - path pattern matching and parameter capture, and
 * http_param_id, the first thing a handler does with a captured {id}.
 */
#include "http/http.h"
#include "http/router.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

START_TEST(literal_paths_match_exactly)
{
    struct route_params p;

    ck_assert_int_eq(router_match("/api/v1/jobs", "/api/v1/jobs", &p), 1);
    ck_assert_int_eq(p.count, 0);
    ck_assert_int_eq(router_match("/api/v1/jobs", "/api/v1/jobs/", &p), 0);
    ck_assert_int_eq(router_match("/api/v1/jobs", "/api/v1/job", &p), 0);
    ck_assert_int_eq(router_match("/api/v1/jobs", "/api/v1", &p), 0);
    ck_assert_int_eq(router_match("/healthz", "/healthzz", &p), 0);
}
END_TEST

START_TEST(placeholders_capture_one_segment)
{
    struct route_params p;

    ck_assert_int_eq(router_match("/api/v1/jobs/{id}", "/api/v1/jobs/42", &p), 1);
    ck_assert_int_eq(p.count, 1);
    ck_assert_str_eq(router_param(&p, "id"), "42");
    ck_assert_ptr_null(router_param(&p, "other"));
    ck_assert_int_eq(router_match("/api/v1/jobs/{id}", "/api/v1/jobs/", &p), 0);
    ck_assert_int_eq(router_match("/api/v1/jobs/{id}", "/api/v1/jobs/4/x", &p), 0);
    ck_assert_int_eq(router_match("/a/{x}/b/{y}", "/a/1/b/two", &p), 1);
    ck_assert_str_eq(router_param(&p, "x"), "1");
    ck_assert_str_eq(router_param(&p, "y"), "two");
}
END_TEST

START_TEST(overlong_segment_never_matches)
{
    struct route_params p;
    char path[400] = "/a/";

    memset(path + 3, 'x', 300);
    path[303] = '\0';
    ck_assert_int_eq(router_match("/a/{id}", path, &p), 0);
}
END_TEST

/* The id http_param_id makes of the {id} in path; -1 when refused, and
 * then the error is exactly the one for a job that does not exist. */
static int64_t job_id(const char *path)
{
    struct req req;
    struct err err = ERR_INIT;
    char want[300];
    int64_t id = -1;

    memset(&req, 0, sizeof req);
    req.path = path;
    ck_assert_int_eq(router_match("/api/v1/jobs/{id}", path, &req.params), 1);
    if (http_param_id(&req, "id", &id, &err) == 0)
        return id;
    snprintf(want, sizeof want, "no such resource: %s", path);
    ck_assert_int_eq(err.rc, ERR_NOT_FOUND);
    ck_assert_str_eq(err.code, "not_found");
    ck_assert_str_eq(err.field, "");
    ck_assert_str_eq(err.msg, want);
    return -1;
}

START_TEST(ids_have_one_spelling)
{
    ck_assert_int_eq(job_id("/api/v1/jobs/1"), 1);
    ck_assert_int_eq(job_id("/api/v1/jobs/5"), 5);
    ck_assert_int_eq(job_id("/api/v1/jobs/1000"), 1000);
    ck_assert_int_eq(job_id("/api/v1/jobs/9223372036854775807"), INT64_MAX);
    /* what strtoll alone would take for job 5 or the largest id */
    ck_assert_int_eq(job_id("/api/v1/jobs/+5"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/ 5"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/\t5"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/\n5"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/9223372036854775808"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/99999999999999999999"), -1);
    /* refused before too */
    ck_assert_int_eq(job_id("/api/v1/jobs/05"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/0"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/-5"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/5 "), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/5x"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/0x5"), -1);
    ck_assert_int_eq(job_id("/api/v1/jobs/abc"), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("router");
    TCase *tc = tcase_create("match");

    tcase_add_test(tc, literal_paths_match_exactly);
    tcase_add_test(tc, placeholders_capture_one_segment);
    tcase_add_test(tc, overlong_segment_never_matches);
    tcase_add_test(tc, ids_have_one_spelling);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
