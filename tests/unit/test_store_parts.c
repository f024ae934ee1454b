/*
 * test_store_parts.c - parts reserved and released by job events.
 *
 * A booking reserves the job's parts in its own transaction.  Two jobs
 * compete for the last units of a part: exactly one booking wins even
 * when both are queued for the same group-commit batch, the loser is told
 * which line is short and keeps its state, stock never goes negative, and
 * cancelling the winner hands the units back so the other can be booked.
 */
#include "rules/job.h"
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int64_t customer, part;

/* A new job needing qty of the part. */
static int64_t new_job(int qty)
{
    char text[160];
    json_t *j;
    char *body;

    j = json_pack("{s:I, s:s, s:[{s:I, s:i}]}", "customer_id",
                  (json_int_t)customer, "kind", "repair", "parts", "part_id",
                  (json_int_t)part, "quantity", qty);
    body = json_dumps(j, JSON_COMPACT);
    snprintf(text, sizeof text, "%s", body);
    free(body);
    json_decref(j);
    return tu_create(tu_st, &res_job, text);
}

static void setup(void)
{
    tu_store_setup();
    customer = tu_create(tu_st, &res_customer, "{\"name\":\"c\"}");
    part = tu_create(tu_st, &res_part,
                     "{\"sku\":\"CMP-1\",\"name\":\"Compressor\","
                     "\"cost_minor\":100,\"price_minor\":200,\"stock\":"
                     "[{\"location\":\"warehouse\",\"quantity\":5}]}");
}

struct attempt {
    int64_t job;
    int rc;
    struct err err;
};

static void *book_main(void *arg)
{
    struct attempt *a = arg;
    struct job_event_req ev = {EV_BOOK, JR_DISPATCHER, 0, 0, NULL, 0, 0};
    json_t *row = NULL;

    a->rc = store_job_event(tu_st, a->job, &ev, &tu_actor, &row, &a->err);
    json_decref(row);
    return NULL;
}

static const char sql_reserved[] =
    "SELECT reserved FROM stock WHERE part_id = %lld";

static int64_t reserved(void)
{
    char sql[96];

    snprintf(sql, sizeof sql, sql_reserved, (long long)part);
    return tu_count(tu_db, sql);
}

START_TEST(last_units_go_to_one_job)
{
    struct attempt a[2] = {{new_job(3), 0, ERR_INIT},
                           {new_job(3), 0, ERR_INIT}};
    pthread_t t[2];
    int waited = 0, winner;
    char sql[96];

    store_writer_hold(tu_st, 1);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, book_main, &a[i]);
    while (store_writer_pending(tu_st) < 2 && waited++ < 2000)
        usleep(5000);
    ck_assert_int_eq(store_writer_pending(tu_st), 2);
    store_writer_hold(tu_st, 0); /* both in one batch */
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq((a[0].rc == 0) + (a[1].rc == 0), 1);
    winner = a[0].rc == 0 ? 0 : 1;
    ck_assert_int_eq(a[!winner].rc, ERR_CONFLICT);
    ck_assert_str_eq(a[!winner].err.code, "parts_not_ready");
    ck_assert_str_eq(a[!winner].err.field, "parts[0]");
    ck_assert_str_eq(a[!winner].err.msg,
                     "part CMP-1 is out of stock with no expected date:"
                     " record when it arrives (parts_missing with"
                     " expected_on) before booking");
    ck_assert_int_eq(reserved(), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM jobs WHERE id = %lld"
             " AND status = 'parts_reserved'", (long long)a[winner].job);
    ck_assert_int_eq(tu_count(tu_db, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM jobs WHERE id = %lld"
             " AND status = 'new'", (long long)a[!winner].job);
    ck_assert_int_eq(tu_count(tu_db, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM job_parts WHERE job_id ="
             " %lld AND state = 'needed'", (long long)a[!winner].job);
    ck_assert_int_eq(tu_count(tu_db, sql), 1);
}
END_TEST

START_TEST(cancel_releases_reserved_parts)
{
    int64_t first = new_job(4), second = new_job(4);
    struct job_event_req book = {EV_BOOK, JR_DISPATCHER, 0, 0, NULL, 0, 0};
    struct job_event_req cancel = {EV_CANCEL, JR_DISPATCHER, 0, 0, NULL, 0, 0};
    struct err err = ERR_INIT;
    json_t *row = NULL;
    char sql[96];

    ck_assert_int_eq(store_job_event(tu_st, first, &book, &tu_actor, &row,
                                     &err), 0);
    json_decref(row);
    ck_assert_int_eq(store_job_event(tu_st, second, &book, &tu_actor,
                                     &row, &err), ERR_CONFLICT);
    ck_assert_int_eq(reserved(), 4);
    ck_assert_int_eq(store_job_event(tu_st, first, &cancel, &tu_actor, &row,
                                     &err), 0);
    json_decref(row);
    ck_assert_int_eq(reserved(), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM job_parts WHERE job_id ="
             " %lld AND state = 'returned'", (long long)first);
    ck_assert_int_eq(tu_count(tu_db, sql), 1);
    row = NULL;
    ck_assert_int_eq(store_job_event(tu_st, second, &book, &tu_actor,
                                     &row, &err), 0);
    ck_assert_str_eq(json_string_value(json_object_get(row, "status")),
                     "parts_reserved");
    json_decref(row);
    ck_assert_int_eq(reserved(), 4);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM stock"
                                     " WHERE reserved > quantity"), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_parts");
    TCase *tc = tcase_create("reservations");

    tcase_add_checked_fixture(tc, setup, tu_store_teardown);
    tcase_add_test(tc, last_units_go_to_one_job);
    tcase_add_test(tc, cancel_releases_reserved_parts);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
