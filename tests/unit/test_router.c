/*
 * test_router.c - path pattern matching and parameter capture.
 */
#include "router.h"
#include "testutil.h"

#include <check.h>
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

int main(void)
{
    Suite *s = suite_create("router");
    TCase *tc = tcase_create("match");

    tcase_add_test(tc, literal_paths_match_exactly);
    tcase_add_test(tc, placeholders_capture_one_segment);
    tcase_add_test(tc, overlong_segment_never_matches);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
