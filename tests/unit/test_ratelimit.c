/*
 * test_ratelimit.c - fixed-window attempt counting per key.
 *
 * The clock is passed in, so windows are exact: after `limit` attempts a
 * key waits until its window (begun at its first attempt) ends.  Attempts
 * are taken before the work, so concurrent takers never pass the limit
 * (those behind running attempts wait for them to end); a
 * flood of distinct keys never grows the table or evicts a key at its
 * limit, even keys chosen to land beside it.
 */
#include "http/ratelimit.h"
#include "testutil.h"

#include <check.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TABLE_SLOTS 65536 /* ratelimit.c's */

/* The i-th of many distinct IPv4-like keys: 10.x.y.z. */
static void nth_key(char *key, size_t size, int i)
{
    snprintf(key, size, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
}

START_TEST(limit_reached_gives_wait_seconds)
{
    struct ratelimit *rl = ratelimit_new(3, 60);

    ck_assert_int_eq(ratelimit_check(rl, "alice", 100), 0);
    ck_assert_int_eq(ratelimit_take(rl, "alice", 100), 0);
    ck_assert_int_eq(ratelimit_take(rl, "alice", 101), 0);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 101), 0);
    ck_assert_int_eq(ratelimit_take(rl, "alice", 102), 0);
    /* the window began at the first attempt, 100 */
    ck_assert_int_eq(ratelimit_check(rl, "alice", 102), 58);
    ck_assert_int_eq(ratelimit_take(rl, "alice", 102), 58);
    ck_assert_int_eq(ratelimit_take(rl, "alice", 130), 30);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 159), 1);
    ratelimit_free(rl);
}
END_TEST

START_TEST(window_expiry_starts_afresh)
{
    struct ratelimit *rl = ratelimit_new(2, 10);

    ratelimit_take(rl, "k", 1000);
    ratelimit_take(rl, "k", 1001);
    ck_assert_int_eq(ratelimit_take(rl, "k", 1009), 1);
    ck_assert_int_eq(ratelimit_take(rl, "k", 1010), 0); /* a new window */
    ck_assert_int_eq(ratelimit_check(rl, "k", 1010), 0);
    ck_assert_int_eq(ratelimit_take(rl, "k", 1015), 0);
    ck_assert_int_eq(ratelimit_check(rl, "k", 1015), 5);
    /* attempts in different windows do not add up */
    ratelimit_take(rl, "j", 2000);
    ratelimit_take(rl, "j", 2010);
    ck_assert_int_eq(ratelimit_check(rl, "j", 2010), 0);
    ratelimit_free(rl);
}
END_TEST

/* Begun attempts count while they run; ended, they stay counted, are
 * given back, or clear the key's failures. */
START_TEST(attempts_begun_and_ended)
{
    struct ratelimit *rl = ratelimit_new(2, 300);

    ck_assert_int_eq(ratelimit_begin(rl, "bob", 50, 0), 0);
    ck_assert_int_eq(ratelimit_begin(rl, "bob", 50, 0), 0);
    ck_assert_int_eq(ratelimit_check(rl, "bob", 50), 300);
    ratelimit_end(rl, "bob", ATTEMPT_UNCOUNTED); /* one went well */
    ck_assert_int_eq(ratelimit_check(rl, "bob", 51), 0);
    ratelimit_end(rl, "bob", ATTEMPT_FAILED);
    ck_assert_int_eq(ratelimit_begin(rl, "bob", 51, 0), 0);
    ratelimit_end(rl, "bob", ATTEMPT_FAILED);
    ck_assert_int_eq(ratelimit_check(rl, "bob", 51), 299);
    ck_assert_int_eq(ratelimit_begin(rl, "bob", 51, 1000), 299);
    ck_assert_int_eq(ratelimit_take(rl, "carol", 52), 0);
    ck_assert_int_eq(ratelimit_begin(rl, "carol", 52, 0), 0);
    ratelimit_end(rl, "carol", ATTEMPT_CLEARS); /* forgives the take too */
    ck_assert_int_eq(ratelimit_begin(rl, "carol", 52, 0), 0);
    ck_assert_int_eq(ratelimit_begin(rl, "carol", 52, 0), 0);
    ck_assert_int_eq(ratelimit_check(rl, "carol", 52), 300);
    ratelimit_end(rl, "never-seen", ATTEMPT_FAILED); /* a no-op */
    ck_assert_int_eq(ratelimit_check(rl, "never-seen", 52), 0);
    ratelimit_free(rl);
}
END_TEST

struct later {
    struct ratelimit *rl;
    enum attempt_end how;
};

static void *end_later(void *arg)
{
    struct later *l = arg;
    struct timespec pause = {0, 100 * 1000000L};

    nanosleep(&pause, NULL);
    ratelimit_end(l->rl, "u:dana", l->how);
    return NULL;
}

/* With the limit taken by running attempts, the next waits: one that goes
 * well lets it in; one that fails refuses it for the window; none ending
 * in time is -1. */
START_TEST(attempts_wait_for_running_ones)
{
    struct ratelimit *rl = ratelimit_new(1, 300);
    struct later l = {rl, ATTEMPT_UNCOUNTED};
    pthread_t t;

    ck_assert_int_eq(ratelimit_begin(rl, "u:dana", 10, 0), 0);
    ck_assert_int_eq(ratelimit_begin(rl, "u:dana", 10, 0), -1);
    ck_assert_int_eq(pthread_create(&t, NULL, end_later, &l), 0);
    ck_assert_int_eq(ratelimit_begin(rl, "u:dana", 10, 10000), 0);
    pthread_join(t, NULL);
    l.how = ATTEMPT_FAILED;
    ck_assert_int_eq(pthread_create(&t, NULL, end_later, &l), 0);
    ck_assert_int_eq(ratelimit_begin(rl, "u:dana", 11, 10000), 299);
    pthread_join(t, NULL);
    ratelimit_free(rl);
}
END_TEST

START_TEST(keys_are_independent)
{
    struct ratelimit *rl = ratelimit_new(2, 60);

    ratelimit_take(rl, "alice", 10);
    ratelimit_take(rl, "alice", 10);
    ratelimit_take(rl, "bob", 10);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 10), 60);
    ck_assert_int_eq(ratelimit_check(rl, "bob", 10), 0);
    ck_assert_int_eq(ratelimit_check(rl, "alic", 10), 0);
    ck_assert_int_eq(ratelimit_check(rl, "alicea", 10), 0);
    ck_assert_int_eq(ratelimit_begin(rl, "bob", 10, 0), 0);
    ratelimit_end(rl, "bob", ATTEMPT_CLEARS);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 10), 60);
    ratelimit_free(rl);
}
END_TEST

START_TEST(keys_long_and_alike_are_apart)
{
    struct ratelimit *rl = ratelimit_new(1, 60);
    char a[300], b[300];

    memset(a, 'x', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memcpy(b, a, sizeof b);
    b[298] = 'y'; /* differs only in its last character */
    ratelimit_take(rl, a, 1);
    ck_assert_int_eq(ratelimit_check(rl, a, 1), 60);
    ck_assert_int_eq(ratelimit_check(rl, b, 1), 0);
    ratelimit_free(rl);
}
END_TEST

/* A flood of keys, each at its limit, fills the table; it does not grow,
 * no locked key is evicted, and a key with nowhere to go is refused until
 * the first counter beside it ends. */
START_TEST(a_flood_never_evicts_a_locked_key)
{
    struct ratelimit *rl = ratelimit_new(1, 1000);
    char key[32];
    int admitted = 0;

    ck_assert_int_eq(ratelimit_take(rl, "alice", 5000), 0);
    for (int i = 0; i < 3 * TABLE_SLOTS; i++) {
        nth_key(key, sizeof key, i);
        admitted += ratelimit_take(rl, key, 5000 + i / 100000) == 0;
    }
    ck_assert_int_le(admitted, TABLE_SLOTS - 1);
    ck_assert_int_gt(admitted, TABLE_SLOTS / 2);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 5002), 998);
    /* a new key now finds its slots locked: refused, not given alice's */
    ck_assert_int_gt(ratelimit_take(rl, "mallory", 5002), 0);
    /* once the windows end, everything works again */
    ck_assert_int_eq(ratelimit_take(rl, "mallory", 7000), 0);
    ck_assert_int_eq(ratelimit_check(rl, "alice", 7000), 0);
    ratelimit_free(rl);
}
END_TEST

/* Knowing the secret (which an attacker does not), choose keys that land
 * exactly on the victim's slot: they still cannot push it out. */
START_TEST(keys_chosen_to_collide_cannot_evict)
{
    unsigned char secret[crypto_shorthash_KEYBYTES] = {1, 2, 3};
    struct ratelimit *rl = ratelimit_new_keyed(5, 300, secret);
    uint64_t home = ratelimit_id(rl, "u:alice") & (TABLE_SLOTS - 1);
    char key[32];
    int found = 0;

    for (int i = 0; i < 5; i++)
        ratelimit_take(rl, "u:alice", 100);
    ck_assert_int_eq(ratelimit_check(rl, "u:alice", 100), 300);
    for (long i = 0; found < 200 && i < 100000000L; i++) {
        snprintf(key, sizeof key, "u:m%ld", i);
        if ((ratelimit_id(rl, key) & (TABLE_SLOTS - 1)) != home)
            continue;
        found++;
        ratelimit_take(rl, key, 101); /* one attempt each: not locked */
    }
    ck_assert_int_eq(found, 200);
    ck_assert_int_eq(ratelimit_check(rl, "u:alice", 102), 298);
    ck_assert_int_eq(ratelimit_take(rl, "u:alice", 102), 298);
    ratelimit_free(rl);
}
END_TEST

struct race {
    struct ratelimit *rl;
    pthread_barrier_t *start;
    int admitted;
};

static void *take_once(void *arg)
{
    struct race *r = arg;

    pthread_barrier_wait(r->start);
    r->admitted = ratelimit_take(r->rl, "u:bob", 500) == 0;
    return NULL;
}

/* 30 takers at once, a limit of 5: exactly 5 go ahead. */
START_TEST(concurrent_takers_never_pass_the_limit)
{
    struct ratelimit *rl = ratelimit_new(5, 300);
    pthread_barrier_t start;
    pthread_t t[30];
    struct race r[30];
    int admitted = 0;

    pthread_barrier_init(&start, NULL, 30);
    for (int i = 0; i < 30; i++) {
        r[i] = (struct race){rl, &start, 0};
        ck_assert_int_eq(pthread_create(&t[i], NULL, take_once, &r[i]), 0);
    }
    for (int i = 0; i < 30; i++) {
        pthread_join(t[i], NULL);
        admitted += r[i].admitted;
    }
    ck_assert_int_eq(admitted, 5);
    pthread_barrier_destroy(&start);
    ratelimit_free(rl);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("windows");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, limit_reached_gives_wait_seconds);
    tcase_add_test(tc, window_expiry_starts_afresh);
    tcase_add_test(tc, attempts_begun_and_ended);
    tcase_add_test(tc, attempts_wait_for_running_ones);
    tcase_add_test(tc, keys_are_independent);
    tcase_add_test(tc, keys_long_and_alike_are_apart);
    tcase_add_test(tc, a_flood_never_evicts_a_locked_key);
    tcase_add_test(tc, keys_chosen_to_collide_cannot_evict);
    tcase_add_test(tc, concurrent_takers_never_pass_the_limit);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
