/*
 * test_store_writer.c - the single writer's group commit.
 *
 * Deterministic: the writer is held while threads queue their writes, so
 * the batch they form is known exactly; the batch statistics must show one
 * transaction carrying all of them, and a failing write in the batch must
 * fail alone.  Then many unsynchronized writers: every write lands once,
 * ids are distinct and the change log has no gaps.
 */
#include "store/store.h"
#include "testutil.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELD 32
#define WRITERS 16
#define PER_WRITER 50

START_TEST(held_writes_commit_as_one_batch)
{
    struct store_batch_stats before, after;
    static struct tu_op ops[HELD];
    int64_t cust = tu_create(tu_st, &res_customer, "{\"name\":\"a\"}");
    int ok = 0;

    for (int i = 0; i < HELD; i++) {
        ops[i].res = &res_job;
        /* op 7 names a customer that does not exist */
        snprintf(ops[i].json, sizeof ops[i].json,
                 "{\"customer_id\":%lld,\"kind\":\"repair\","
                 "\"fault\":\"op %d\"}",
                 i == 7 ? 987654LL : (long long)cust, i);
    }
    store_batch_stats(tu_st, &before);
    ck_assert_uint_eq(before.batches, 1); /* the customer */
    tu_create_held(tu_st, ops, HELD);
    store_batch_stats(tu_st, &after);

    ck_assert_uint_eq(after.batches - before.batches, 1);
    ck_assert_uint_eq(after.ops - before.ops, HELD);
    ck_assert_uint_eq(after.max_batch, HELD);
    ck_assert_uint_eq(after.buckets[5] - before.buckets[5], 1); /* <= 32 */
    ck_assert_int_eq(store_writer_pending(tu_st), 0);

    for (int i = 0; i < HELD; i++) {
        if (i == 7) {
            ck_assert_int_eq(ops[i].rc, ERR_INVALID);
            ck_assert_str_eq(ops[i].err.code, "invalid_reference");
            ck_assert_str_eq(ops[i].err.field, "customer_id");
            continue;
        }
        ck_assert_msg(ops[i].rc == 0, "op %d: %s", i, ops[i].err.msg);
        ok++;
    }
    ck_assert_int_eq(ok, HELD - 1);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM jobs"), HELD - 1);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM jobs"
                                  " WHERE fault = 'op 7'"), 0);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM changes"
                                  " WHERE entity = 'job'"), HELD - 1);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"
                                  " WHERE entity = 'job'"), HELD - 1);
}
END_TEST

START_TEST(held_writes_fail_independently_of_order)
{
    struct store_batch_stats before, after;
    static struct tu_op ops[4];

    /* a duplicate inside one batch: exactly one of the two wins */
    for (int i = 0; i < 4; i++) {
        ops[i].res = &res_skill;
        snprintf(ops[i].json, sizeof ops[i].json,
                 "{\"code\":\"%s\",\"name\":\"n\"}",
                 i < 2 ? "dup" : i == 2 ? "x" : "y");
    }
    store_batch_stats(tu_st, &before);
    tu_create_held(tu_st, ops, 4);
    store_batch_stats(tu_st, &after);
    ck_assert_uint_eq(after.batches - before.batches, 1);
    ck_assert_uint_eq(after.ops - before.ops, 4);
    ck_assert_int_eq((ops[0].rc == 0) + (ops[1].rc == 0), 1);
    ck_assert_int_eq(ops[0].rc + ops[1].rc, ERR_CONFLICT);
    ck_assert_str_eq(ops[0].rc ? ops[0].err.code : ops[1].err.code,
                     "duplicate");
    ck_assert_int_eq(ops[2].rc, 0);
    ck_assert_int_eq(ops[3].rc, 0);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM skills"), 3);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM changes"), 3);
}
END_TEST

static int64_t ids[WRITERS * PER_WRITER];
static int rcs[WRITERS];

static void *writer_main(void *arg)
{
    int w = (int)(intptr_t)arg;
    char name[32];

    for (int i = 0; i < PER_WRITER; i++) {
        json_t *raw, *vals, *row = NULL;
        struct err err = ERR_INIT;

        snprintf(name, sizeof name, "w%d-%d", w, i);
        raw = json_pack("{s:s}", "name", name);
        if (jparse_object(raw, res_customer.fields, JPARSE_CREATE, "", &vals,
                          &err) != 0)
            vals = json_object(); /* cannot happen; the create then fails */
        json_decref(raw);
        if (store_res_create(tu_st, &res_customer, vals, &tu_actor, &row,
                             &err) != 0)
            rcs[w] = err.rc;
        else
            ids[w * PER_WRITER + i] =
                json_integer_value(json_object_get(row, "id"));
        json_decref(row);
        json_decref(vals);
    }
    return NULL;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

START_TEST(many_writers)
{
    pthread_t th[WRITERS];
    struct store_batch_stats stats;
    const int n = WRITERS * PER_WRITER;

    for (int w = 0; w < WRITERS; w++)
        ck_assert_int_eq(pthread_create(&th[w], NULL, writer_main,
                                        (void *)(intptr_t)w), 0);
    for (int w = 0; w < WRITERS; w++)
        pthread_join(th[w], NULL);
    for (int w = 0; w < WRITERS; w++)
        ck_assert_int_eq(rcs[w], 0);
    qsort(ids, (size_t)n, sizeof ids[0], cmp_id);
    ck_assert_int_gt(ids[0], 0);
    for (int i = 1; i < n; i++)
        ck_assert_int_lt(ids[i - 1], ids[i]);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM customers"), n);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(DISTINCT name)"
                                  " FROM customers"), n);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM changes"), n);
    ck_assert_int_eq(tu_count(tu_db, "SELECT max(seq) - min(seq) + 1"
                                  " FROM changes"), n);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"), n);
    store_batch_stats(tu_st, &stats);
    ck_assert_uint_eq(stats.ops, (uint64_t)n);
    ck_assert_uint_le(stats.batches, (uint64_t)n);
    ck_assert_uint_ge(stats.max_batch, 1);
    ck_assert_uint_le(stats.max_batch, WRITERS);
}
END_TEST

START_TEST(acknowledged_writes_survive_reopen)
{
    struct err err = ERR_INIT;

    tu_create(tu_st, &res_customer, "{\"name\":\"kept\"}");
    store_close(tu_st);
    tu_st = tu_store_open(tu_dir);
    ck_assert_int_eq(store_ping(tu_st, &err), 0);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM customers"
                                  " WHERE name = 'kept'"), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_writer");
    TCase *tc = tcase_create("group_commit");

    tcase_add_checked_fixture(tc, tu_store_setup, tu_store_teardown);
    tcase_set_timeout(tc, 120); /* hundreds of fsyncs, slower under ASan */
    tcase_add_test(tc, held_writes_commit_as_one_batch);
    tcase_add_test(tc, held_writes_fail_independently_of_order);
    tcase_add_test(tc, many_writers);
    tcase_add_test(tc, acknowledged_writes_survive_reopen);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
