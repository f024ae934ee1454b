/*
 * e2e_attack_logins.c - the login limit under attack: 30 wrong passwords
 * for one user from one address at once get at most the limit (5) of
 * password checks, the rest 429, while 15 right ones at once all get in
 * (those behind running checks wait for them); failed logins for usernames chosen to
 * land beside a locked user's counter (in the table fsd once had: 4,096
 * slots, FNV-1a, 16 probes) from other addresses do not unlock it; and 64
 * logins at once from 64 addresses keep the server's memory under its
 * ceiling (--password-checks, 4, Argon2id checks of 64 MiB at once).
 */
#include "attack.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 5 /* --login-limit's default */
#define RACERS 30

struct racer {
    const char *user;
    const char *password; /* NULL: a wrong one */
    pthread_barrier_t *start;
    char src[16]; /* "" for 127.0.0.1 */
    long status;
};

static void *login_once(void *arg)
{
    struct racer *r = arg;
    struct raw_reply reply;

    pthread_barrier_wait(r->start);
    r->status = raw_login(r->src[0] ? r->src : NULL, r->user,
                          r->password ? r->password : "not-the-password", "",
                          &reply);
    raw_reply_release(&reply);
    return NULL;
}

/* n logins at once (racers r[0..n-1] set up), each in its thread. */
static void race(struct racer *r, int n)
{
    pthread_barrier_t start;
    pthread_t t[64];

    ck_assert_int_le(n, 64);
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        r[i].start = &start;
        ck_assert_int_eq(pthread_create(&t[i], NULL, login_once, &r[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start);
}

START_TEST(concurrent_logins_never_pass_the_limit)
{
    struct e2e_client admin;
    char name[64];
    struct racer r[RACERS] = {0};
    int checked = 0, limited = 0;

    e2e_as_admin(&admin);
    e2e_new_user(&admin, "dispatcher", name, sizeof name);
    for (int i = 0; i < RACERS; i++)
        r[i].user = name;
    race(r, RACERS);
    for (int i = 0; i < RACERS; i++) {
        checked += r[i].status == 401;
        limited += r[i].status == 429;
    }
    ck_assert_msg(checked <= LIMIT && checked + limited == RACERS,
                  "%d checked (401), %d limited (429) of %d", checked,
                  limited, RACERS);
    e2e_client_release(&admin);
}
END_TEST

/* More right logins for one user at once than the limit (a shared
 * account, an office behind one address): those behind the running
 * checks wait for them, and all get in. */
START_TEST(concurrent_right_logins_all_get_in)
{
    struct e2e_client user;
    char name[64];
    struct racer r[RACERS] = {0};
    int in = 0;

    session_user(&user, "dispatcher", name, sizeof name);
    for (int i = 0; i < 3 * LIMIT; i++) {
        r[i].user = name;
        r[i].password = E2E_USER_PASSWORD2;
    }
    race(r, 3 * LIMIT);
    for (int i = 0; i < 3 * LIMIT; i++)
        in += r[i].status == 200;
    ck_assert_msg(in == 3 * LIMIT, "%d of %d right logins at once got in",
                  in, 3 * LIMIT);
    e2e_client_release(&user);
}
END_TEST

/* The slot of "u:" + name in the old table: FNV-1a 32 mod 4096. */
static uint32_t old_slot(const char *name)
{
    uint32_t h = 2166136261u;

    for (const char *s = "u:"; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    for (; *name; name++)
        h = (h ^ (unsigned char)*name) * 16777619u;
    return h % 4096;
}

START_TEST(colliding_usernames_cannot_unlock_a_user)
{
    struct e2e_client admin;
    struct raw_reply r;
    char victim[64], name[32], src[16];
    uint32_t home;
    int sent = 0;

    e2e_as_admin(&admin);
    e2e_new_user(&admin, "dispatcher", victim, sizeof victim);
    for (int i = 0; i < LIMIT; i++) {
        ck_assert_int_eq(raw_login("127.0.0.2", victim, "guess", "", &r),
                         401);
        raw_reply_release(&r);
    }
    ck_assert_int_eq(raw_login("127.0.0.3", victim, "guess", "", &r), 429);
    raw_reply_release(&r);
    /* 32 failed logins for names in the victim's old neighbourhood, five
     * from each address (the per-address limit) */
    home = old_slot(victim);
    for (long i = 0; sent < 32 && i < 50000000L; i++) {
        snprintf(name, sizeof name, "n%ld", i);
        if (old_slot(name) != home)
            continue;
        snprintf(src, sizeof src, "127.0.1.%d", 1 + sent / LIMIT);
        raw_login(src, name, "guess", "", &r);
        raw_reply_release(&r);
        sent++;
    }
    ck_assert_int_eq(sent, 32);
    ck_assert_int_eq(raw_login("127.0.2.1", victim, "guess", "", &r), 429);
    raw_reply_release(&r);
    ck_assert_int_eq(raw_login("127.0.2.1", victim, E2E_USER_PASSWORD, "",
                               &r),
                     429);
    raw_reply_release(&r);
    e2e_client_release(&admin);
}
END_TEST

/* The server's peak resident memory (VmHWM), in KiB. */
static long peak_kib(void)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/status", (int)e2e_srv.pid);
    ck_assert_ptr_nonnull(f = fopen(path, "r"));
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

START_TEST(many_logins_at_once_stay_under_the_memory_ceiling)
{
    /* 4 checks of 64 MiB, and 32 MiB for everything else they touch */
    const long ceiling_kib = (4 * 64 + 32) * 1024;
    struct racer r[64] = {0};
    char names[64][16];
    long before = peak_kib(), after;
    int answered = 0;

    /* unknown users, each its own: no limit stops any of them */
    for (int i = 0; i < 64; i++) {
        snprintf(names[i], sizeof names[i], "nobody-%d", i);
        r[i].user = names[i];
        snprintf(r[i].src, sizeof r[i].src, "127.0.3.%d", i + 1);
    }
    race(r, 64);
    after = peak_kib();
    for (int i = 0; i < 64; i++)
        answered += r[i].status == 401 || r[i].status == 429;
    ck_assert_int_eq(answered, 64);
    ck_assert_msg(after - before <= ceiling_kib,
                  "peak memory grew by %ld MiB (ceiling %ld MiB)",
                  (after - before) / 1024, ceiling_kib / 1024);
    ck_assert(e2e_healthy(e2e_srv.base));
}
END_TEST

/* Each on a server of its own: the limiter starts empty. */
void attack_logins_tcases(Suite *s)
{
    TCase *tc = tcase_create("login_race");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, concurrent_logins_never_pass_the_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("login_shared");
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, concurrent_right_logins_all_get_in);
    suite_add_tcase(s, tc);
    tc = tcase_create("login_eviction");
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, colliding_usernames_cannot_unlock_a_user);
    suite_add_tcase(s, tc);
    tc = tcase_create("login_memory");
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, many_logins_at_once_stay_under_the_memory_ceiling);
    suite_add_tcase(s, tc);
}
