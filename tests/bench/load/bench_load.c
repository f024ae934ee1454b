/*
 * bench_load.c - a service company's busy hour against a running
 * fsd-server (--pid, --db: its process and database): loopback only,
 * bounded in time, asserting no time.
 *
 * Setup, not timed, through the staff API (manager and dispatcher cookie
 * sessions, X-CSRF-Token) and the device SDK: a technician per --per-tech
 * devices (UTC, 07:00-19:00 daily) with 3 of today's jobs assigned; 25 of
 * today's jobs per dispatcher, ready and unassigned; a new job and booking
 * link per customer; every device enrolled and synced once.  For --seconds:
 * each device syncs once a minute at its own offset with 1-3 notes queued
 * (32 workers, through the SDK, a new connection per request, no retries);
 * each dispatcher (keep-alive) polls GET /api/v1/changes a second after the
 * last poll and re-fetches GET /api/v1/board when what it shows is out of
 * date (a job at a newer version or not on it, anything else changed), as
 * the board page does, and every 8-20 s assigns one of its queue jobs to the first
 * feasible of GET .../candidates; customers (8 workers) arrive at random
 * times, GET their booking and confirm one of the first 3 windows, each
 * from its own address 127.1.x.y; GET /healthz 4 times a second; the
 * server's VmRSS, open fds and WAL size every 2 s.  A sync or customer
 * not started by the end is skipped and counted, so the run ends at
 * --seconds plus the requests in flight (each with a timeout).  409
 * assignment_infeasible and slot_taken are expected refusals.  Baseline:
 * each route's p50 alone, on the same server and data just before (the
 * board's each just after an assignment: a rendering, not a kept one).  Prints
 * per route count, rate, p50/p99/p99.9, errors, refusals and loaded/alone
 * p50, RSS and fds at start and end, the WAL's maximum, "summary: " rows.
 * Exits 1 on any error (no reply, unexpected status, failed sync, a note
 * not applied) or failed setup.
 *
 *   bench_load --url URL --db PATH --pid PID --dir DIR [--devices 2000]
 *       [--dispatchers 20] [--customers 200] [--seconds 300] [--per-tech 10]
 *
 * Its files (tests/bench/load): this one, the command line and the run's
 * order; load_http.c, the requests and their samples; load_setup.c, the
 * data; load_sched.c, the schedules; load_work.c, the devices,
 * dispatchers and customers; load_report.c, the server's figures, the
 * baseline and the report; load.h, what they share.
 */
#include "load.h"

#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct options opt = {NULL, NULL, NULL, 0, 2000, 20, 200, 10, 300};

static int parse(int argc, char **argv)
{
    static const char *const keys[] = {"--url", "--db", "--dir", "--pid",
        "--devices", "--dispatchers", "--customers", "--per-tech",
        "--seconds"};
    const char **strs[] = {&opt.url, &opt.db, &opt.dir};
    int *ints[] = {&opt.pid, &opt.devices, &opt.dispatchers, &opt.customers,
                   &opt.per_tech};
    int i = 1, k;

    for (; i + 1 < argc; i += 2) {
        for (k = 0; k < 9 && strcmp(argv[i], keys[k]); k++)
            ;
        if (k == 9)
            return -1;
        if (k < 3)
            *strs[k] = argv[i + 1];
        else if (k < 8)
            *ints[k - 3] = atoi(argv[i + 1]);
        else
            opt.seconds = atof(argv[i + 1]);
    }
    return i == argc && opt.url && opt.db && opt.dir && opt.pid > 0 &&
                   opt.devices > 0 && opt.dispatchers > 0 &&
                   opt.dispatchers <= MAX_DISPATCHERS && opt.customers >= 0 &&
                   opt.customers <= 60000 && opt.per_tech > 0 &&
                   opt.seconds >= 10
               ? 0
               : -1;
}

int main(int argc, char **argv)
{
    pthread_t w[DEVICE_WORKERS + CUSTOMER_WORKERS + MAX_DISPATCHERS + 1];
    struct sched dev = {0}, cust = {0};
    struct sample start, end;
    double setup_t = now_s(), secs;
    time_t wall = time(NULL);
    int nw = DEVICE_WORKERS + CUSTOMER_WORKERS;

    if (parse(argc, argv)) {
        fprintf(stderr, "usage: bench_load --url URL --db PATH --pid PID --dir"
                " DIR [--devices 2000] [--dispatchers 20] [--customers 200]"
                " [--seconds 300] [--per-tech 10]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT))
        return 1;
    strftime(date, sizeof date, "%Y-%m-%d", gmtime(&wall));
    ntech = (opt.devices + opt.per_tech - 1) / opt.per_tech;
    nqueue = opt.dispatchers * QUEUE_PER_DISPATCHER;
    tech_id = calloc((size_t)ntech, sizeof *tech_id);
    tech_job = calloc((size_t)ntech * JOBS_PER_TECH, sizeof *tech_job);
    queue_job = calloc((size_t)nqueue + BASE_N, sizeof *queue_job);
    token = calloc((size_t)opt.customers + BASE_N, sizeof *token);
    dev_mu = calloc((size_t)opt.devices, sizeof *dev_mu);
    for (int i = 0; i < opt.devices; i++)
        pthread_mutex_init(&dev_mu[i], NULL);
    printf("== busy hour on %s: %d devices of %d technicians, %d dispatchers,"
           " %d customers, %.0f s\n", date, opt.devices, ntech, opt.dispatchers,
           opt.customers, opt.seconds);
    fflush(stdout);
    if (server_sample().rss_mb <= 0 ||
        parallel(opt.dispatchers + 2, setup_login) ||
        parallel(ntech, setup_tech) || parallel(nqueue + BASE_N, setup_queue) ||
        parallel(opt.customers + BASE_N, setup_customer) ||
        parallel(opt.devices, setup_device) || baseline()) {
        fprintf(stderr, "bench_load: setup failed (is --pid the server's?)\n");
        return 1;
    }
    printf("  setup %.0f s: %d jobs on technicians' lanes, %d in the queue,"
           " %d booking links\n", now_s() - setup_t, ntech * JOBS_PER_TECH,
           nqueue + BASE_N, opt.customers + BASE_N);
    dev.e = calloc((size_t)opt.devices * (size_t)(opt.seconds / 60 + 2),
                   sizeof *dev.e);
    for (int i = 0; i < opt.devices; i++)
        for (double t = uniform(0, 60); t < opt.seconds; t += 60)
            dev.e[dev.n++] = (struct ev){t, i};
    cust.e = calloc((size_t)opt.customers + 1, sizeof *cust.e);
    for (int i = 0; i < opt.customers; i++)
        cust.e[cust.n++] = (struct ev){uniform(0, opt.seconds * 0.9), i};
    qsort(dev.e, (size_t)dev.n, sizeof *dev.e, cmp); /* by .at, first */
    qsort(cust.e, (size_t)cust.n, sizeof *cust.e, cmp);
    dev.fn = device_sync;
    cust.fn = customer;

    peak = (struct sample){0, 0, 0};
    start = server_sample();
    t0 = now_s();
    dev.until = cust.until = t_end = t0 + opt.seconds;
    spawn(w, DEVICE_WORKERS, sched_worker, &dev);
    spawn(w + DEVICE_WORKERS, CUSTOMER_WORKERS, sched_worker, &cust);
    spawn(w + nw, opt.dispatchers, dispatcher, NULL);
    pthread_create(&w[nw + opt.dispatchers], NULL, watch, &t_end);
    join(w, nw + opt.dispatchers + 1);
    secs = now_s() - t0;
    sleep(2); /* closed connections leave the server */
    end = server_sample();
    nw = report(secs, start, end, &dev, &cust) ? 1 : 0;
    curl_global_cleanup();
    return nw;
}

