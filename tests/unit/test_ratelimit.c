/*
 * test_ratelimit.c - fixed-window failure counting per key.
 *
 * The clock is passed in, so windows are exact: after `limit` failures a
 * key waits until its window (begun at its first failure) ends.  A flood of
 * distinct keys must evict old entries, never grow or crash.
 */
#include "ratelimit.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* The i-th of many distinct IPv4-like keys: 10.x.y.z. */
static void nth_key(char *key, size_t size, int i)
{
    snprintf(key, size, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
}

START_TEST(limit_reached_gives_wait_seconds)
{
    struct ratelimit *rl = ratelimit_new(3, 60);

    ck_assert_int_eq(ratelimit_check(rl, "alice", 100), 0);
    ratelimit_fail(rl, "alice", 100);
    ratelimit_fail(rl, "alice", 101);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 101), 0);
    ratelimit_fail(rl, "alice", 102);
    /* the window began at the first failure, t=100 */
    ck_assert_int_eq(ratelimit_check(rl, "alice", 102), 58);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 130), 30);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 159), 1);
    ratelimit_free(rl);
}
END_TEST

START_TEST(window_expiry_starts_afresh)
{
    struct ratelimit *rl = ratelimit_new(2, 10);

    ratelimit_fail(rl, "k", 1000);
    ratelimit_fail(rl, "k", 1001);
    ck_assert_int_eq(ratelimit_check(rl, "k", 1009), 1);
    ck_assert_int_eq(ratelimit_check(rl, "k", 1010), 0);
    /* a failure after expiry opens a new window with one failure */
    ratelimit_fail(rl, "k", 1010);
    ck_assert_int_eq(ratelimit_check(rl, "k", 1010), 0);
    ratelimit_fail(rl, "k", 1015);
    ck_assert_int_eq(ratelimit_check(rl, "k", 1015), 5);
    /* failures spread over two windows never add up */
    ratelimit_fail(rl, "j", 2000);
    ratelimit_fail(rl, "j", 2010);
    ck_assert_int_eq(ratelimit_check(rl, "j", 2010), 0);
    ratelimit_free(rl);
}
END_TEST

START_TEST(reset_forgets_a_key)
{
    struct ratelimit *rl = ratelimit_new(1, 300);

    ratelimit_fail(rl, "bob", 50);
    ck_assert_int_eq(ratelimit_check(rl, "bob", 50), 300);
    ratelimit_reset(rl, "bob");
    ck_assert_int_eq(ratelimit_check(rl, "bob", 51), 0);
    ratelimit_reset(rl, "never-seen"); /* a no-op */
    ratelimit_fail(rl, "bob", 52);
    ck_assert_int_eq(ratelimit_check(rl, "bob", 52), 300);
    ratelimit_free(rl);
}
END_TEST

START_TEST(keys_are_independent)
{
    struct ratelimit *rl = ratelimit_new(2, 60);

    ratelimit_fail(rl, "alice", 10);
    ratelimit_fail(rl, "alice", 10);
    ratelimit_fail(rl, "bob", 10);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 10), 60);
    ck_assert_int_eq(ratelimit_check(rl, "bob", 10), 0);
    ck_assert_int_eq(ratelimit_check(rl, "alic", 10), 0);
    ck_assert_int_eq(ratelimit_check(rl, "alicea", 10), 0);
    ck_assert_int_eq(ratelimit_check(rl, "10.0.0.1", 10), 0);
    ratelimit_reset(rl, "bob");
    ck_assert_int_eq(ratelimit_check(rl, "alice", 10), 60);
    ratelimit_free(rl);
}
END_TEST

START_TEST(many_keys_stay_bounded)
{
    struct ratelimit *rl = ratelimit_new(1, 1000);
    char key[32];
    int blocked = 0;

    /* far more keys than the table has slots, all inside one window */
    for (int i = 0; i < 20000; i++) {
        nth_key(key, sizeof key, i);
        ratelimit_fail(rl, key, 5000 + i / 1000);
    }
    for (int i = 0; i < 20000; i++) {
        nth_key(key, sizeof key, i);
        blocked += ratelimit_check(rl, key, 5020) > 0;
    }
    /* the table holds 4096 entries: some were evicted, not all */
    ck_assert_int_gt(blocked, 0);
    ck_assert_int_le(blocked, 4096);
    /* the newest key was just inserted and cannot have been evicted */
    ck_assert_int_eq(ratelimit_check(rl, "10.0.78.31", 5020), 999);
    /* after the flood, a key still works normally */
    ratelimit_fail(rl, "alice", 6000);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 6000), 1000);
    ratelimit_free(rl);
}
END_TEST

START_TEST(long_keys)
{
    struct ratelimit *rl = ratelimit_new(1, 60);
    char key[300];

    for (int i = 0; i < 299; i++)
        key[i] = (char)('a' + i % 26);
    key[299] = '\0';
    ratelimit_fail(rl, key, 1);
    ck_assert_int_eq(ratelimit_check(rl, key, 1), 60);
    ratelimit_reset(rl, key);
    ck_assert_int_eq(ratelimit_check(rl, key, 1), 0);
    ratelimit_free(rl);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("windows");

    tcase_add_test(tc, limit_reached_gives_wait_seconds);
    tcase_add_test(tc, window_expiry_starts_afresh);
    tcase_add_test(tc, reset_forgets_a_key);
    tcase_add_test(tc, keys_are_independent);
    tcase_add_test(tc, many_keys_stay_bounded);
    tcase_add_test(tc, long_keys);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
