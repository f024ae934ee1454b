/*
 * test_board_cache.c - kept boards: served only within their age, never
 * replaced by an older picture, the least recent day evicted; a kept
 * board is current only while every later change is a job it shows at
 * that version or later; one claim to render per day, for a bounded
 * number of days.
 */
#include "board/board_cache.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* A board at seq showing job ids 10 and 11 at version 3 and 5. */
static json_t *board_at(json_int_t seq)
{
    return json_pack("{s:I, s:[{s:i, s:i}, {s:i, s:i}]}", "seq", seq, "jobs",
                     "id", 10, "version", 3, "id", 11, "version", 5);
}

static void put(struct board_cache *c, const char *date, double at,
                json_int_t seq, const char *text)
{
    json_t *b = board_at(seq);

    board_cache_put(c, date, at, b, text, strlen(text));
    json_decref(b);
}

START_TEST(kept_within_its_age_only)
{
    struct board_cache *c = board_cache_new();
    struct board_kept k;

    ck_assert_int_eq(board_cache_get(c, "2026-11-23", 100, 2, &k), -1);
    put(c, "2026-11-23", 100, 42, "{\"a\":1}");
    ck_assert_int_eq(board_cache_get(c, "2026-11-23", 101.5, 2, &k), 0);
    ck_assert_str_eq(k.text, "{\"a\":1}");
    ck_assert_uint_eq(k.len, 7);
    ck_assert_int_eq(k.seq, 42);
    ck_assert_int_eq(json_integer_value(json_object_get(k.versions, "11")),
                     5);
    board_kept_release(&k);
    ck_assert_int_eq(board_cache_get(c, "2026-11-23", 102.5, 2, &k), -1);
    ck_assert_int_eq(board_cache_get(c, "2026-11-24", 101, 2, &k), -1);
    board_cache_free(c);
}
END_TEST

START_TEST(an_older_picture_never_replaces)
{
    struct board_cache *c = board_cache_new();
    struct board_kept k;

    put(c, "2026-11-23", 100, 42, "new");
    put(c, "2026-11-23", 100.5, 41, "older seq"); /* slower rendering */
    put(c, "2026-11-23", 99, 43, "read earlier");
    ck_assert_int_eq(board_cache_get(c, "2026-11-23", 100.6, 2, &k), 0);
    ck_assert_str_eq(k.text, "new");
    board_kept_release(&k);
    put(c, "2026-11-23", 101, 44, "newer");
    ck_assert_int_eq(board_cache_get(c, "2026-11-23", 101, 2, &k), 0);
    ck_assert_str_eq(k.text, "newer");
    ck_assert_int_eq(k.seq, 44);
    board_kept_release(&k);
    board_cache_free(c);
}
END_TEST

START_TEST(the_least_recent_day_goes)
{
    struct board_cache *c = board_cache_new();
    struct board_kept k;
    char date[32];

    for (int d = 0; d <= BOARD_CACHE_DAYS; d++) {
        snprintf(date, sizeof date, "2026-11-%02d", 10 + d);
        put(c, date, 100 + d, 1, date);
    }
    ck_assert_int_eq(board_cache_get(c, "2026-11-10", 104, 10, &k), -1);
    for (int d = 1; d <= BOARD_CACHE_DAYS; d++) {
        snprintf(date, sizeof date, "2026-11-%02d", 10 + d);
        ck_assert_int_eq(board_cache_get(c, date, 104, 10, &k), 0);
        ck_assert_str_eq(k.text, date);
        board_kept_release(&k);
    }
    board_cache_free(c);
}
END_TEST

/* board_cache_current(versions, changes), changes released. */
static int current(const json_t *versions, json_t *changes)
{
    int yes = board_cache_current(versions, changes);

    json_decref(changes);
    return yes;
}

START_TEST(current_while_changes_are_shown_versions)
{
    json_t *b = board_at(1);
    struct board_cache *c = board_cache_new();
    struct board_kept k;
    json_t *v;

    board_cache_put(c, "2026-11-23", 1, b, "{}", 2);
    ck_assert_int_eq(board_cache_get(c, "2026-11-23", 1, 2, &k), 0);
    v = k.versions;
    /* nothing, or notes on shown jobs (their version unchanged) */
    ck_assert(current(v, json_pack("[]")) == 1);
    ck_assert(current(
        v, json_pack("[{s:s, s:i, s:i}, {s:s, s:i, s:i}]", "entity", "job",
                     "entity_id", 10, "version", 3, "entity", "job",
                     "entity_id", 11, "version", 4)) == 1);
    /* a newer version, a job not shown, anything else, no version */
    ck_assert(current(
        v, json_pack("[{s:s, s:i, s:i}]", "entity", "job", "entity_id", 10,
                     "version", 4)) == 0);
    ck_assert(current(
        v, json_pack("[{s:s, s:i, s:i}]", "entity", "job", "entity_id", 12,
                     "version", 1)) == 0);
    ck_assert(current(
        v, json_pack("[{s:s, s:i, s:i}]", "entity", "technician",
                     "entity_id", 10, "version", 1)) == 0);
    ck_assert(current(
        v, json_pack("[{s:s, s:i, s:n}]", "entity", "job", "entity_id", 10,
                     "version")) == 0);
    board_kept_release(&k);
    board_cache_free(c);
    json_decref(b);
}
END_TEST

START_TEST(one_claim_per_day_and_a_bounded_number_of_days)
{
    struct board_cache *c = board_cache_new();
    char date[32];

    for (int d = 0; d < BOARD_CACHE_FLIGHTS; d++) {
        snprintf(date, sizeof date, "2026-11-%02d", 1 + d);
        ck_assert_int_eq(board_cache_claim(c, date), 1);
    }
    /* no room to keep track of one more day: render it unclaimed */
    ck_assert_int_eq(board_cache_claim(c, "2026-12-01"), -1);
    board_cache_unclaim(c, "2026-11-01");
    board_cache_unclaim(c, "2026-12-01"); /* not claimed: nothing */
    ck_assert_int_eq(board_cache_claim(c, "2026-12-01"), 1);
    /* a claim ended is free again */
    board_cache_unclaim(c, "2026-12-01");
    ck_assert_int_eq(board_cache_claim(c, "2026-12-01"), 1);
    board_cache_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("board_cache");
    TCase *tc = tcase_create("kept");

    tcase_add_test(tc, kept_within_its_age_only);
    tcase_add_test(tc, an_older_picture_never_replaces);
    tcase_add_test(tc, the_least_recent_day_goes);
    tcase_add_test(tc, current_while_changes_are_shown_versions);
    tcase_add_test(tc, one_claim_per_day_and_a_bounded_number_of_days);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
