/*
 * e2e_concurrency.c - many clients writing at once, and durability.
 *
 * 16 threads, each with its own keep-alive connection, create 25 jobs
 * each.  Every create must be acknowledged with 201 and a distinct id; the
 * job list must then hold exactly the acknowledged jobs, and the group-
 * commit metrics must account for at least that many writes.  The server is
 * then stopped with SIGTERM and started again on the same database: every
 * acknowledged job must still be there.
 *
 * The test owns its server (it restarts it), so the server is a child of
 * the forked test process; Check kills that process group when the test
 * ends, which also covers a failed assertion half-way through.
 */
#include "fixture.h"
#include "suites.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 16
#define PER_THREAD 25
#define TOTAL (THREADS * PER_THREAD)

struct worker {
    const struct e2e_server *srv;
    const char *token;
    int64_t customer;
    int64_t ids[PER_THREAD];  /* acknowledged job ids, 0 when refused */
    long statuses[PER_THREAD];
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;

    /*
     * Results are checked on the main thread once all workers are done;
     * only the helpers' out-of-memory guards could assert in here.
     */
    e2e_client_init(&c, w->srv->base);
    snprintf(c.bearer, sizeof c.bearer, "%s", w->token);
    for (int i = 0; i < PER_THREAD; i++) {
        w->statuses[i] = e2e_send(&c, "POST", "/api/v1/jobs",
                                  json_pack("{s:I, s:s, s:i}", "customer_id",
                                            (json_int_t)w->customer, "kind",
                                            "repair", "priority",
                                            1 + i % 5), &r);
        w->ids[i] = w->statuses[i] == 201
                        ? json_integer_value(json_object_get(r.json, "id"))
                        : 0;
    }
    e2e_reply_release(&r);
    e2e_client_release(&c);
    return NULL;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The value of a metric line "name VALUE", or -1. */
static long long metric(const char *text, const char *name)
{
    size_t n = strlen(name);
    const char *p = text;

    while (p && *p && (strncmp(p, name, n) != 0 || p[n] != ' ')) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return p && *p ? strtoll(p + n + 1, NULL, 10) : -1;
}

/* Sorted ids of the customer's jobs, as listed by the server. */
static size_t listed_ids(struct e2e_client *c, int64_t customer,
                         int64_t *out, size_t cap)
{
    char path[96];
    json_t *all, *item;
    size_t i, n = 0;

    snprintf(path, sizeof path, "/api/v1/jobs?customer_id=%lld",
             (long long)customer);
    all = e2e_list_all(c, path);
    json_array_foreach(all, i, item)
        if (n < cap)
            out[n++] = json_integer_value(json_object_get(item, "id"));
    json_decref(all);
    qsort(out, n, sizeof *out, cmp_id);
    return n;
}

/* Create the dispatcher whose token the workers share; returns a client. */
static void dispatcher(const struct e2e_server *srv, struct e2e_client *admin,
                       struct e2e_client *d)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    json_int_t uid;

    e2e_send(admin, "POST", "/api/v1/users",
             json_pack("{s:s, s:s, s:s}", "username", "load-dispatcher",
                       "role", "dispatcher", "password", E2E_USER_PASSWORD),
             &r);
    e2e_expect_status(&r, 201);
    uid = json_integer_value(json_object_get(r.json, "id"));
    e2e_send(admin, "POST", "/api/v1/api-tokens",
             json_pack("{s:I, s:s}", "user_id", uid, "name", "load"), &r);
    e2e_expect_status(&r, 201);
    e2e_client_init(d, srv->base);
    snprintf(d->bearer, sizeof d->bearer, "%s",
             json_string_value(json_object_get(r.json, "token")));
    e2e_reply_release(&r);
}

START_TEST(concurrent_creates_are_all_durable)
{
    static struct worker workers[THREADS];
    static int64_t acked[TOTAL], listed[TOTAL + 1];
    struct e2e_server srv;
    struct e2e_client admin, d;
    struct e2e_reply r = E2E_REPLY_INIT;
    pthread_t threads[THREADS];
    size_t nacked = 0, nlisted;
    long long batches, ops;
    int64_t customer;

    ck_assert_int_eq(e2e_server_init(&srv, NULL), 0);
    ck_assert_int_eq(e2e_server_start(&srv), 0);
    ck_assert_int_eq(e2e_admin_prepare(&srv), 0);
    e2e_admin_client(&admin, &srv);
    dispatcher(&srv, &admin, &d);
    customer = e2e_create(&d, "/api/v1/customers",
                          json_pack("{s:s}", "name", "Busy Customer"));

    for (int t = 0; t < THREADS; t++) {
        workers[t].srv = &srv;
        workers[t].token = d.bearer;
        workers[t].customer = customer;
        ck_assert_int_eq(pthread_create(&threads[t], NULL, worker_main,
                                        &workers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < PER_THREAD; i++) {
            ck_assert_msg(workers[t].statuses[i] == 201,
                          "thread %d request %d: HTTP %ld", t, i,
                          workers[t].statuses[i]);
            acked[nacked++] = workers[t].ids[i];
        }
    ck_assert_uint_eq(nacked, TOTAL);
    qsort(acked, nacked, sizeof *acked, cmp_id);
    for (size_t i = 1; i < nacked; i++)
        ck_assert_msg(acked[i] != acked[i - 1], "id %lld given twice",
                      (long long)acked[i]);

    nlisted = listed_ids(&d, customer, listed, TOTAL + 1);
    ck_assert_uint_eq(nlisted, nacked);
    ck_assert_mem_eq(listed, acked, nacked * sizeof *acked);

    e2e_get(&admin, "/metrics", &r);
    e2e_expect_status(&r, 200);
    batches = metric(r.body, "fsd_store_write_batch_size_count");
    ops = metric(r.body, "fsd_store_write_batch_size_sum");
    ck_assert_msg(batches >= 1, "batch count %lld", batches);
    ck_assert_msg(ops >= TOTAL, "batch sum %lld < %d writes", ops, TOTAL);
    ck_assert_msg(batches <= ops, "%lld batches for %lld writes", batches,
                  ops);

    /* Restart on the same database: every acknowledged job survives. */
    e2e_client_release(&admin);
    e2e_client_release(&d);
    ck_assert_int_eq(e2e_server_stop(&srv), 0);
    ck_assert_int_eq(e2e_server_start(&srv), 0);
    e2e_admin_client(&admin, &srv);
    nlisted = listed_ids(&admin, customer, listed, TOTAL + 1);
    ck_assert_uint_eq(nlisted, nacked);
    ck_assert_mem_eq(listed, acked, nacked * sizeof *acked);
    for (size_t i = 0; i < nacked; i++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)acked[i]);
        e2e_get(&admin, path, &r);
        e2e_expect_status(&r, 200);
        ck_assert_int_eq(json_integer_value(json_object_get(r.json,
                                                            "customer_id")),
                         customer);
    }
    e2e_reply_release(&r);
    e2e_client_release(&admin);
    ck_assert_int_eq(e2e_server_stop(&srv), 0);
    e2e_server_release(&srv);
}
END_TEST

Suite *e2e_concurrency_suite(void)
{
    Suite *s = suite_create("e2e_concurrency");
    TCase *tc = tcase_create("concurrency");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, concurrent_creates_are_all_durable);
    suite_add_tcase(s, tc);
    return s;
}
