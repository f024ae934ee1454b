/*
 * load_report.c - the busy hour's figures: the server's VmRSS, open fds
 * and WAL size (sampled from /proc and the file system, with GET /healthz
 * probes, by watch), each route's p50 alone on the same server and data
 * (the baseline, one party at a time), the percentiles, and the printed
 * report with its "summary: " rows for tests/bench/run.sh.  The run's
 * schedules are bench_load.c's; nothing here asserts a time.
 */
#include "load.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sample peak;

struct sample server_sample(void)
{
    struct sample s = {0, 0, 0};
    char path[600], line[256];
    struct dirent *d;
    struct stat st;
    FILE *f;
    DIR *dir;

    snprintf(path, sizeof path, "/proc/%d/status", opt.pid);
    for (f = fopen(path, "r"); f && fgets(line, sizeof line, f);)
        if (!strncmp(line, "VmRSS:", 6))
            s.rss_mb = atof(line + 6) / 1024;
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "/proc/%d/fd", opt.pid);
    for (dir = opendir(path); dir && (d = readdir(dir));)
        s.fds += d->d_name[0] != '.';
    if (dir)
        closedir(dir);
    snprintf(path, sizeof path, "%s-wal", opt.db);
    if (stat(path, &st) == 0)
        s.wal_mb = (double)st.st_size / 1048576;
    peak.rss_mb = fmax(peak.rss_mb, s.rss_mb);
    peak.wal_mb = fmax(peak.wal_mb, s.wal_mb);
    peak.fds = s.fds > peak.fds ? s.fds : peak.fds;
    return s;
}

/* GET /healthz 4 times a second until *arg; the server every 2 s. */
void *watch(void *arg)
{
    CURL *h = curl_easy_init();

    for (long tick = 1; t0 + tick * 0.25 < *(double *)arg; tick++) {
        sleep_until(t0 + tick * 0.25);
        req(R_HEALTH, h, NULL, "GET", "/healthz", NULL, NULL, NULL);
        if (tick % 8 == 0) {
            struct sample s = server_sample();
            if (tick % 240 == 0)
                printf("  %4.0f s: RSS %.1f MB, %ld fds, WAL %.2f MB; %zu"
                       " syncs\n", tick * 0.25, s.rss_mb, s.fds, s.wal_mb,
                       routes[R_SYNC].n);
            fflush(stdout);
        }
    }
    curl_easy_cleanup(h);
    return NULL;
}

int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (nearest rank) of v[0..n), sorted here, in ms. */
double pct(double *v, size_t n, double q)
{
    size_t k = (size_t)ceil(q * (double)n);

    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, cmp);
    return v[k ? k - 1 : 0] * 1000;
}

/* Each route's p50 with nothing else running; then the samples cleared. */
int baseline(void)
{
    CURL *h = curl_easy_init();
    struct view v = {0, json_object()};
    double end = now_s() + 4;

    t0 = now_s();
    watch(&end);
    for (int i = 0; i < 20; i++)
        device_sync(0);
    /* each board after an assignment: a rendering, never a kept one */
    for (int i = 0; i < BASE_N; i++, usleep(50000)) {
        assign_one(h, &desk[0], queue_job[nqueue + i]);
        board(h, &desk[0], &v);
        (void)changes(h, &desk[0], &v);
    }
    for (int i = 0; i < BASE_N; i++)
        customer(opt.customers + i);
    json_decref(v.versions);
    curl_easy_cleanup(h);
    for (int r = 0; r < NR; r++) {
        setup_failed |= routes[r].errors > 0;
        routes[r].base_ms = pct(routes[r].v, routes[r].n, 0.5);
        routes[r].n = routes[r].refused = 0;
    }
    notes_applied = bundles = max_bundles = no_candidate = booked = 0;
    no_slots = 0;
    return setup_failed;
}

long report(double secs, struct sample a, struct sample z,
            const struct sched *dev, const struct sched *cust)
{
    long errors = failed_acks;

    printf("summary: | busy hour: %d devices of %d technicians, %d"
           " dispatchers, %d customers, %.0f s | | | |\n", opt.devices, ntech,
           opt.dispatchers, opt.customers, secs);
    printf("  %-34s %6s %6s %8s %8s %8s %6s %7s %8s %6s\n", "route", "count",
           "per s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "refused",
           "alone", "ratio");
    for (int r = 0; r < NR; r++) {
        struct route *x = &routes[r];
        double p50 = pct(x->v, x->n, 0.5), p99 = pct(x->v, x->n, 0.99),
               p999 = pct(x->v, x->n, 0.999);

        errors += x->errors;
        printf("  %-34s %6zu %6.2f %8.2f %8.2f %8.2f %6ld %7ld %8.2f %6.2f\n",
               NAMES[r], x->n, x->n / secs, p50, p99, p999, x->errors,
               x->refused, x->base_ms, p50 / x->base_ms);
        printf("summary: | busy hour: %s | %.2f/s, p50 %.2f ms, p99 %.2f ms,"
               " p99.9 %.2f ms; %ld errors, %ld refused | p50 %.2f ms with"
               " nothing else running | %.2f |\n", NAMES[r], x->n / secs,
               p50, p99, p999, x->errors, x->refused, x->base_ms,
               p50 / x->base_ms);
    }
    printf("  syncs: %d scheduled, %d not started by the end, %d started over"
           " 1 s late (max %.1f s); %.1f bundles per sync (max %ld); %ld"
           " notes applied, %ld failed acks\n", dev->n, dev->skipped,
           dev->late, dev->max_lag, (double)bundles / (double)routes[R_SYNC].n,
           max_bundles, notes_applied, failed_acks);
    printf("  dispatchers: %zu assigns (%ld refused: assignment_infeasible),"
           " %ld jobs without a feasible candidate\n", routes[R_ASSIGN].n,
           routes[R_ASSIGN].refused, no_candidate);
    printf("  customers: %ld booked, %ld slot_taken answers, %ld saw no slots,"
           " %d not started by the end\n", booked, routes[R_CONFIRM].refused,
           no_slots, cust->skipped);
    printf("  server: RSS %.1f -> %.1f MB (max %.1f); fds %ld -> %ld (max"
           " %ld); WAL max %.2f MB, %.2f MB at the end\n", a.rss_mb, z.rss_mb,
           peak.rss_mb, a.fds, z.fds, peak.fds, peak.wal_mb, z.wal_mb);
    printf("summary: | busy hour: server RSS, start -> end | %.1f -> %.1f MB"
           " (max %.1f) | %.1f MB at the start | %.2f |\n", a.rss_mb,
           z.rss_mb, peak.rss_mb, a.rss_mb, z.rss_mb / a.rss_mb);
    printf("summary: | busy hour: server open fds, start -> end | %ld -> %ld"
           " (max %ld) | %ld at the start | %.2f |\n", a.fds, z.fds, peak.fds,
           a.fds, (double)z.fds / (double)a.fds);
    printf("summary: | busy hour: WAL file, max of 2 s samples | %.2f MB (%.2f"
           " at the end) | wal_autocheckpoint 1000 pages: %.2f MB | %.2f |\n",
           peak.wal_mb, z.wal_mb, WAL_CHECKPOINT_MB,
           peak.wal_mb / WAL_CHECKPOINT_MB);
    printf("  result: %ld errors (failed acks included)\n", errors);
    return errors;
}
