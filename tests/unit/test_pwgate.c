/*
 * test_pwgate.c - the bound on password hashes at once: no more than its
 * slots enter, a waiter gives up after its wait, and a slot left lets a
 * waiter in.
 */
#include "http/pwgate.h"
#include "testutil.h"

#include <check.h>
#include <pthread.h>
#include <time.h>

START_TEST(no_more_than_its_slots_enter)
{
    struct pwgate *g = pwgate_new(2);

    ck_assert_int_eq(pwgate_enter(g, 0), 0);
    ck_assert_int_eq(pwgate_enter(g, 0), 0);
    ck_assert_int_eq(pwgate_enter(g, 200), -1); /* waits, then gives up */
    pwgate_leave(g);
    ck_assert_int_eq(pwgate_enter(g, 0), 0);
    pwgate_leave(g);
    pwgate_leave(g);
    pwgate_free(g);
}
END_TEST

static void *leave_soon(void *arg)
{
    struct timespec pause = {0, 100 * 1000000L};

    nanosleep(&pause, NULL);
    pwgate_leave(arg);
    return NULL;
}

START_TEST(a_slot_left_lets_a_waiter_in)
{
    struct pwgate *g = pwgate_new(1);
    pthread_t t;

    ck_assert_int_eq(pwgate_enter(g, 0), 0);
    ck_assert_int_eq(pthread_create(&t, NULL, leave_soon, g), 0);
    ck_assert_int_eq(pwgate_enter(g, 5000), 0);
    pthread_join(t, NULL);
    ck_assert_int_eq(pwgate_enter(g, 0), -1);
    pwgate_leave(g);
    pwgate_free(g);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pwgate");
    TCase *tc = tcase_create("slots");

    tcase_add_test(tc, no_more_than_its_slots_enter);
    tcase_add_test(tc, a_slot_left_lets_a_waiter_in);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
