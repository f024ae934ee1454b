/*
 * test_deadline.c - a thread's read deadline: once passed it breaks a
 * blocked poll() (EINTR) and keeps breaking the next ones until stopped;
 * an extended deadline has not passed at the old time; a stopped one
 * leaves no signal behind, pending or delivered.
 */
#include "http/deadline.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

static int pair[2];

static void setup(void)
{
    ck_assert_int_eq(deadline_setup(), 0);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
}

static void teardown(void)
{
    close(pair[0]);
    close(pair[1]);
}

/* poll() on the quiet end of the pair for ms: 0 (nothing came), or -1
 * with errno EINTR when a signal broke it. */
static int wait_quietly(int ms)
{
    struct pollfd p = {pair[0], POLLIN, 0};

    return poll(&p, 1, ms);
}

static int deadline_signal_pending(void)
{
    sigset_t set;

    sigpending(&set);
    return sigismember(&set, SIGRTMIN);
}

START_TEST(a_passed_deadline_breaks_every_blocked_wait)
{
    struct deadline d;

    ck_assert_int_eq(deadline_start(&d, 50), 0);
    ck_assert_int_eq(deadline_passed(&d), 0);
    ck_assert_int_eq(wait_quietly(10000), -1);
    ck_assert_int_eq(errno, EINTR);
    ck_assert_int_eq(deadline_passed(&d), 1);
    /* one signal could come before the next wait: they keep coming */
    ck_assert_int_eq(wait_quietly(10000), -1);
    ck_assert_int_eq(errno, EINTR);
    deadline_stop(&d);
    ck_assert_int_eq(deadline_passed(&d), 0);
}
END_TEST

START_TEST(a_stopped_deadline_leaves_no_signal)
{
    struct deadline d;

    ck_assert_int_eq(deadline_start(&d, 20), 0);
    ck_assert_int_eq(wait_quietly(10000), -1);
    deadline_stop(&d);
    ck_assert_int_eq(deadline_signal_pending(), 0);
    ck_assert_int_eq(wait_quietly(100), 0);

    ck_assert_int_eq(deadline_start(&d, 10000), 0);
    deadline_stop(&d);
    ck_assert_int_eq(wait_quietly(100), 0);
    ck_assert_int_eq(deadline_passed(&d), 0);
}
END_TEST

START_TEST(an_extended_deadline_has_not_passed_at_its_old_time)
{
    struct deadline d;

    ck_assert_int_eq(deadline_start(&d, 100), 0);
    deadline_extend(&d, 10ull * 1000000000u);
    ck_assert_int_eq(wait_quietly(300), 0);
    ck_assert_int_eq(deadline_passed(&d), 0);
    deadline_stop(&d);
}
END_TEST

START_TEST(data_that_comes_in_time_is_read)
{
    struct deadline d;
    char c = 'x';

    ck_assert_int_eq(deadline_start(&d, 10000), 0);
    ck_assert_int_eq(write(pair[1], &c, 1), 1);
    ck_assert_int_eq(wait_quietly(10000), 1);
    ck_assert_int_eq(read(pair[0], &c, 1), 1);
    ck_assert_int_eq(deadline_passed(&d), 0);
    deadline_stop(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("deadline");
    TCase *tc = tcase_create("deadline");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_passed_deadline_breaks_every_blocked_wait);
    tcase_add_test(tc, a_stopped_deadline_leaves_no_signal);
    tcase_add_test(tc, an_extended_deadline_has_not_passed_at_its_old_time);
    tcase_add_test(tc, data_that_comes_in_time_is_read);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
