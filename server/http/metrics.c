/*
 * metrics.c - per-route request counters and latency histograms, and the
 * Prometheus text rendering of them and of the store's figures (group
 * commit batch sizes, jobs by status).
 */
#include "http/metrics.h"
#include "common/mem.h"
#include "store/store.h"

#include <stdatomic.h>
#include <stdlib.h>

static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 405,
                               409, 413, 415, 429, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0])
static const double bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                1, 2.5};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

struct route_metrics {
    atomic_uint_fast64_t by_status[NSTATUS + 1]; /* last: any other */
    atomic_uint_fast64_t buckets[NBOUNDS + 1];   /* last: +Inf only */
    atomic_uint_fast64_t micros_sum;
};

struct metrics {
    const char *const *names;
    size_t nroutes;
    struct route_metrics *routes; /* nroutes + 1 */
};

struct metrics *metrics_new(const char *const *names, size_t nroutes)
{
    struct metrics *m = xcalloc(1, sizeof *m);

    m->names = names;
    m->nroutes = nroutes;
    m->routes = xcalloc(nroutes + 1, sizeof *m->routes);
    return m;
}

void metrics_free(struct metrics *m)
{
    if (m) {
        free(m->routes);
        free(m);
    }
}

void metrics_record(struct metrics *m, size_t route, int status,
                    uint64_t micros)
{
    struct route_metrics *r = &m->routes[route < m->nroutes ? route
                                                            : m->nroutes];
    size_t i = 0, b = 0;

    while (i < NSTATUS && statuses[i] != status)
        i++;
    atomic_fetch_add(&r->by_status[i], 1);
    while (b < NBOUNDS && (double)micros / 1e6 > bounds[b])
        b++;
    atomic_fetch_add(&r->buckets[b], 1);
    atomic_fetch_add(&r->micros_sum, micros);
}

static const char *route_name(const struct metrics *m, size_t i)
{
    return i < m->nroutes ? m->names[i] : "unmatched";
}

static void render_requests(struct metrics *m, struct buf *out)
{
    buf_printf(out, "# HELP fsd_http_requests_total HTTP requests by route"
                    " and status.\n# TYPE fsd_http_requests_total counter\n");
    for (size_t r = 0; r <= m->nroutes; r++)
        for (size_t i = 0; i <= NSTATUS; i++) {
            uint64_t n = atomic_load(&m->routes[r].by_status[i]);
            if (n == 0)
                continue;
            buf_printf(out, "fsd_http_requests_total{route=\"%s\",status=\"",
                       route_name(m, r));
            if (i < NSTATUS)
                buf_printf(out, "%d\"} %llu\n", statuses[i],
                           (unsigned long long)n);
            else
                buf_printf(out, "other\"} %llu\n", (unsigned long long)n);
        }
}

static void render_latency(struct metrics *m, struct buf *out)
{
    buf_printf(out, "# HELP fsd_http_request_duration_seconds Request"
                    " latency by route.\n"
                    "# TYPE fsd_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= m->nroutes; r++) {
        struct route_metrics *rm = &m->routes[r];
        uint64_t cum = 0;
        const char *name = route_name(m, r);

        for (size_t b = 0; b <= NBOUNDS; b++)
            cum += atomic_load(&rm->buckets[b]);
        if (cum == 0)
            continue;
        cum = 0;
        for (size_t b = 0; b < NBOUNDS; b++) {
            cum += atomic_load(&rm->buckets[b]);
            buf_printf(out, "fsd_http_request_duration_seconds_bucket{route="
                            "\"%s\",le=\"%g\"} %llu\n", name, bounds[b],
                       (unsigned long long)cum);
        }
        cum += atomic_load(&rm->buckets[NBOUNDS]);
        buf_printf(out, "fsd_http_request_duration_seconds_bucket{route=\"%s\","
                        "le=\"+Inf\"} %llu\n"
                        "fsd_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                        "fsd_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                   name, (unsigned long long)cum, name,
                   (double)atomic_load(&rm->micros_sum) / 1e6, name,
                   (unsigned long long)cum);
    }
}

static void render_batches(struct store *s, struct buf *out)
{
    struct store_batch_stats st;
    uint64_t cum = 0;

    store_batch_stats(s, &st);
    buf_printf(out, "# HELP fsd_store_write_batch_size Write requests per"
                    " committed transaction (group commit).\n"
                    "# TYPE fsd_store_write_batch_size histogram\n");
    for (int b = 0; b < STORE_BATCH_BUCKETS - 1; b++) {
        cum += st.buckets[b];
        buf_printf(out, "fsd_store_write_batch_size_bucket{le=\"%u\"} %llu\n",
                   1u << b, (unsigned long long)cum);
    }
    buf_printf(out, "fsd_store_write_batch_size_bucket{le=\"+Inf\"} %llu\n"
                    "fsd_store_write_batch_size_sum %llu\n"
                    "fsd_store_write_batch_size_count %llu\n",
               (unsigned long long)st.batches, (unsigned long long)st.ops,
               (unsigned long long)st.batches);
}

static void render_job(const char *status, int64_t count, void *arg)
{
    buf_printf(arg, "fsd_jobs{status=\"%s\"} %lld\n", status,
               (long long)count);
}

void metrics_render(struct metrics *m, struct store *s, struct buf *out)
{
    struct err ignored = ERR_INIT;

    render_requests(m, out);
    render_latency(m, out);
    render_batches(s, out);
    buf_printf(out, "# HELP fsd_jobs Jobs by status.\n"
                    "# TYPE fsd_jobs gauge\n");
    store_jobs_by_status(s, render_job, out, &ignored);
}
