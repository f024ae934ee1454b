/*
 * test_metrics.c - request counters, latency histograms and the store's
 * figures in Prometheus text.
 *
 * Latencies are recorded as fixed numbers, never measured, so every line of
 * the exposition is known exactly: counters per route and status,
 * cumulative buckets ending in +Inf == count, the group-commit batch-size
 * histogram of a real store, and jobs by status.
 */
#include "http/metrics.h"
#include "store/store.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {"GET /a", "POST /b"};
/* Assert text holds line as a whole line. */
static void has_line(const char *text, const char *line)
{
    size_t n = strlen(line);

    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return;
    ck_abort_msg("missing line: %s\n--- in ---\n%s", line, text);
}

static void lacks(const char *text, const char *part)
{
    ck_assert_msg(strstr(text, part) == NULL, "unexpected: %s", part);
}

static char *render(struct metrics *m, struct buf *b)
{
    buf_release(b);
    metrics_render(m, tu_st, b);
    ck_assert_ptr_nonnull(b->data);
    return b->data;
}

START_TEST(request_counters)
{
    struct metrics *m = metrics_new(names, 2);
    struct buf b = BUF_INIT;
    char *t;

    metrics_record(m, 0, 200, 100);
    metrics_record(m, 0, 200, 3000);
    metrics_record(m, 0, 404, 2000000);
    metrics_record(m, 0, 599, 3000000);
    metrics_record(m, 2, 404, 10);  /* the unmatched slot */
    metrics_record(m, 99, 405, 10); /* out of range: also unmatched */
    t = render(m, &b);
    has_line(t, "# TYPE fsd_http_requests_total counter");
    has_line(t, "fsd_http_requests_total{route=\"GET /a\",status=\"200\"} 2");
    has_line(t, "fsd_http_requests_total{route=\"GET /a\",status=\"404\"} 1");
    has_line(t, "fsd_http_requests_total{route=\"GET /a\",status=\"other\"}"
                " 1");
    has_line(t, "fsd_http_requests_total{route=\"unmatched\",status=\"404\"}"
                " 1");
    has_line(t, "fsd_http_requests_total{route=\"unmatched\",status=\"405\"}"
                " 1");
    lacks(t, "route=\"POST /b\""); /* nothing recorded, nothing shown */
    lacks(t, "status=\"201\"");
    buf_release(&b);
    metrics_free(m);
}
END_TEST

START_TEST(latency_histogram_is_cumulative)
{
    struct metrics *m = metrics_new(names, 2);
    struct buf b = BUF_INIT;
    char *t;

    metrics_record(m, 1, 201, 100);     /* on the first bound: le=0.0001 */
    metrics_record(m, 1, 201, 101);     /* just above: le=0.00025 */
    metrics_record(m, 1, 201, 3000);    /* le=0.005 */
    metrics_record(m, 1, 201, 2000000); /* le=2.5 */
    metrics_record(m, 1, 201, 3000000); /* beyond the last bound: +Inf */
    t = render(m, &b);
    has_line(t, "# TYPE fsd_http_request_duration_seconds histogram");
#define BUCKET(le, n)                                                      \
    has_line(t, "fsd_http_request_duration_seconds_bucket{route=\"POST /b\"," \
                "le=\"" le "\"} " #n)
    BUCKET("0.0001", 1);
    BUCKET("0.00025", 2);
    BUCKET("0.0005", 2);
    BUCKET("0.001", 2);
    BUCKET("0.0025", 2);
    BUCKET("0.005", 3);
    BUCKET("0.01", 3);
    BUCKET("0.5", 3);
    BUCKET("1", 3);
    BUCKET("2.5", 4);
    BUCKET("+Inf", 5);
#undef BUCKET
    has_line(t, "fsd_http_request_duration_seconds_count{route=\"POST /b\"}"
                " 5");
    has_line(t, "fsd_http_request_duration_seconds_sum{route=\"POST /b\"}"
                " 5.003201");
    lacks(t, "fsd_http_request_duration_seconds_bucket{route=\"GET /a\"");
    buf_release(&b);
    metrics_free(m);
}
END_TEST

START_TEST(store_figures)
{
    struct metrics *m = metrics_new(names, 2);
    struct buf b = BUF_INIT;
    struct tu_op ops[4];
    char *text;
    json_t *job;
    int64_t cust;
    char *t;

    t = render(m, &b);
    has_line(t, "fsd_store_write_batch_size_bucket{le=\"+Inf\"} 0");
    has_line(t, "# TYPE fsd_jobs gauge");
    lacks(t, "fsd_jobs{");
    /* three writes one at a time, then four in one held batch */
    cust = tu_create(tu_st, &res_customer, "{\"name\":\"a\"}");
    job = json_pack("{s:I, s:s}", "customer_id", (json_int_t)cust, "kind",
                    "repair");
    text = json_dumps(job, JSON_COMPACT);
    json_decref(job);
    tu_create(tu_st, &res_job, text);
    tu_create(tu_st, &res_job, text);
    memset(ops, 0, sizeof ops);
    for (int i = 0; i < 4; i++) {
        ops[i].res = &res_job;
        snprintf(ops[i].json, sizeof ops[i].json, "%s", text);
    }
    free(text);
    tu_create_held(tu_st, ops, 4);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(ops[i].rc, 0);
    t = render(m, &b);
    has_line(t, "# TYPE fsd_store_write_batch_size histogram");
    has_line(t, "fsd_store_write_batch_size_bucket{le=\"1\"} 3");
    has_line(t, "fsd_store_write_batch_size_bucket{le=\"2\"} 3");
    has_line(t, "fsd_store_write_batch_size_bucket{le=\"4\"} 4");
    has_line(t, "fsd_store_write_batch_size_bucket{le=\"1024\"} 4");
    has_line(t, "fsd_store_write_batch_size_bucket{le=\"+Inf\"} 4");
    has_line(t, "fsd_store_write_batch_size_sum 7");
    has_line(t, "fsd_store_write_batch_size_count 4");
    has_line(t, "fsd_jobs{status=\"new\"} 6");
    lacks(t, "fsd_jobs{status=\"closed\"}");
    buf_release(&b);
    metrics_free(m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("prometheus");

    tcase_add_checked_fixture(tc, tu_store_setup, tu_store_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, request_counters);
    tcase_add_test(tc, latency_histogram_is_cumulative);
    tcase_add_test(tc, store_figures);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
