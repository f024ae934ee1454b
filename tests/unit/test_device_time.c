/*
 * test_device_time.c - the bounds on the time a device claims for an
 * action (server/rules/device_time.c): taken as claimed inside them,
 * clamped to the receipt, the enrollment or the job's previous event
 * outside, noted only beyond the skew allowance; no claim means the
 * receipt.
 */
#include "rules/device_time.h"
#include "testutil.h"

#include <check.h>

#define RECEIVED 1800000000 /* the sync */
#define ENROLLED (RECEIVED - 86400)
#define PREVIOUS (RECEIVED - 3 * 3600)

static const char *note;
static int64_t at;

static void bound(int64_t claimed, int64_t previous)
{
    struct device_time t = {claimed, RECEIVED, ENROLLED, previous};

    at = -1;
    note = device_time_bound(&t, &at);
}

START_TEST(a_claim_inside_the_bounds_is_taken)
{
    bound(RECEIVED - 2 * 3600, PREVIOUS); /* offline since the morning */
    ck_assert_int_eq(at, RECEIVED - 2 * 3600);
    ck_assert_ptr_null(note);
    bound(PREVIOUS, PREVIOUS);
    ck_assert_int_eq(at, PREVIOUS);
    ck_assert_ptr_null(note);
    bound(RECEIVED, 0);
    ck_assert_int_eq(at, RECEIVED);
    ck_assert_ptr_null(note);
}
END_TEST

START_TEST(no_claim_is_the_receipt)
{
    bound(0, PREVIOUS);
    ck_assert_int_eq(at, RECEIVED);
    ck_assert_ptr_null(note);
    bound(-5, PREVIOUS);
    ck_assert_int_eq(at, RECEIVED);
    ck_assert_ptr_null(note);
}
END_TEST

START_TEST(the_future_is_the_receipt)
{
    bound(RECEIVED + DEVICE_TIME_SKEW, PREVIOUS); /* within the skew */
    ck_assert_int_eq(at, RECEIVED);
    ck_assert_ptr_null(note);
    bound(RECEIVED + DEVICE_TIME_SKEW + 1, PREVIOUS);
    ck_assert_int_eq(at, RECEIVED);
    ck_assert_str_eq(note, "device_clock_ahead");
    bound(INT64_MAX, PREVIOUS);
    ck_assert_int_eq(at, RECEIVED);
    ck_assert_str_eq(note, "device_clock_ahead");
}
END_TEST

START_TEST(nothing_before_enrollment)
{
    bound(ENROLLED - DEVICE_TIME_SKEW, 0);
    ck_assert_int_eq(at, ENROLLED);
    ck_assert_ptr_null(note);
    bound(ENROLLED - DEVICE_TIME_SKEW - 1, 0);
    ck_assert_int_eq(at, ENROLLED);
    ck_assert_str_eq(note, "before_enrollment");
    bound(1, 0); /* a clock that never was set */
    ck_assert_int_eq(at, ENROLLED);
    ck_assert_str_eq(note, "before_enrollment");
}
END_TEST

START_TEST(nothing_before_the_jobs_previous_event)
{
    bound(PREVIOUS - DEVICE_TIME_SKEW, PREVIOUS);
    ck_assert_int_eq(at, PREVIOUS);
    ck_assert_ptr_null(note);
    bound(PREVIOUS - DEVICE_TIME_SKEW - 1, PREVIOUS);
    ck_assert_int_eq(at, PREVIOUS);
    ck_assert_str_eq(note, "before_previous_event");
    /* before the enrollment too: the later bound holds and is named */
    bound(ENROLLED - 7200, PREVIOUS);
    ck_assert_int_eq(at, PREVIOUS);
    ck_assert_str_eq(note, "before_previous_event");
}
END_TEST

START_TEST(nothing_after_the_receipt_even_when_bounds_are)
{
    /* the server's clock went back after the previous event */
    bound(RECEIVED - 60, RECEIVED + 600);
    ck_assert_int_eq(at, RECEIVED);
    ck_assert_str_eq(note, "before_previous_event");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("device_time");
    TCase *tc = tcase_create("bound");

    tcase_add_test(tc, a_claim_inside_the_bounds_is_taken);
    tcase_add_test(tc, no_claim_is_the_receipt);
    tcase_add_test(tc, the_future_is_the_receipt);
    tcase_add_test(tc, nothing_before_enrollment);
    tcase_add_test(tc, nothing_before_the_jobs_previous_event);
    tcase_add_test(tc, nothing_after_the_receipt_even_when_bounds_are);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
