/*
 * bench_sync.c - technician sync under load, through the device SDK.
 *
 * Sets up --devices technicians, each with --jobs assigned jobs and an
 * enrolled device store (SDK) in --dir, then runs, each for --seconds with
 * one thread per device:
 *   1. no-change syncs (nothing to upload, nothing changed);
 *   2. syncs after 10 of the device's jobs changed (the time counted is
 *      the sync's, not the dispatcher's edits);
 *   3. durable mutations: 20 notes queued, then one sync uploads them; a
 *      mutation counts once its ack is verified.
 * Baselines from the same run: libsodium Ed25519 sign+verify of a 256-byte
 * message per second (the floor of any signed exchange), and the bare
 * CivetWeb handler rate run.sh measured (--civet-rps).  It also compares
 * the bytes of one job as a protobuf snapshot with the same job as the
 * staff API's JSON, and (with --server-pid) measures what one no-change
 * sync costs in CPU time: the SDK's (this thread's getrusage) and the
 * server's (its /proc/PID/stat), one device syncing alone, back to back,
 * against the Ed25519 sign+verify it cannot do without.  Prints a report
 * and "summary: " markdown rows.
 * Loopback only, bounded in time; asserts nothing about time.
 *
 *   bench_sync --url URL --dir DIR [--devices 8] [--jobs 20] [--seconds 3]
 *              [--civet-rps R] [--only-no-change LABEL] [--server-pid P]
 *
 * With --only-no-change it runs just phase 1 and labels its row: run.sh
 * uses it on a database holding a million more jobs, to show that a sync
 * with nothing new costs the same whatever the number of jobs.
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include "bench_csrf.h"
#include "fsd_client.h"

#include <curl/curl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEVICES 64
#define MAX_JOBS 100
#define MAX_SAMPLES 200000
#define DEMO_PASSWORD "dispatch-demo-2026"

struct opts {
    const char *url, *dir;
    int devices, jobs;
    double seconds, civet_rps;
    const char *only_no_change; /* label: run just the no-change phase */
    long server_pid;            /* for the server's CPU time, 0: none */
};

struct device {
    fsd_client *c;
    int64_t jobs[MAX_JOBS];
    char store[400];
};

static struct opts o = {NULL, NULL, 8, 20, 3, 0, NULL, 0};
static struct device devs[MAX_DEVICES];
static char desk_cookie[300], mgr_cookie[300];
static double samples[MAX_SAMPLES];
static int nsamples;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct sink {
    char buf[65536];
    size_t len;
};

static size_t keep(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t add = size * n;

    if (s->len + add < sizeof s->buf) {
        memcpy(s->buf + s->len, p, add);
        s->len += add;
        s->buf[s->len] = '\0';
    }
    return add;
}

static size_t take_cookie(char *p, size_t size, size_t n, void *arg)
{
    if (!strncasecmp(p, "Set-Cookie: ", 12)) {
        char *end = strchr(p + 12, ';');
        snprintf(arg, 300, "%.*s", end ? (int)(end - p - 12) : 0, p + 12);
    }
    return size * n;
}

/* One staff API call; the status, *out the reply (parsed JSON or NULL). */
static long api(const char *cookie, const char *method, const char *path,
                json_t *body, json_t **out, char *set_cookie)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = curl_slist_append(NULL,
                                               "Content-Type: application/json");
    char url[512], *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    static struct sink s; /* setup runs on one thread */
    char csrf[64];
    long code = 0;

    bench_csrf_header(cookie, csrf);
    if (csrf[0])
        hdr = curl_slist_append(hdr, csrf);

    s.len = 0;
    s.buf[0] = '\0';
    snprintf(url, sizeof url, "%s%s", o.url, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (text)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, text);
    else if (strcmp(method, "GET"))
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    if (cookie)
        curl_easy_setopt(h, CURLOPT_COOKIE, cookie);
    if (set_cookie) {
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, take_cookie);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, set_cookie);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (out)
        *out = json_loads(s.buf, 0, NULL);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    free(text);
    json_decref(body);
    return code;
}

static int64_t create(const char *cookie, const char *path, json_t *body)
{
    json_t *r = NULL;
    int64_t id = 0;

    if (api(cookie, "POST", path, body, &r, NULL) == 201)
        id = json_integer_value(json_object_get(r, "id"));
    json_decref(r);
    if (!id)
        fprintf(stderr, "bench_sync: POST %s failed\n", path);
    return id;
}

static int job_event(int64_t job, json_t *body)
{
    char path[80];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    return api(desk_cookie, "POST", path, body, NULL, NULL) == 200 ? 0 : -1;
}

/* A technician with jobs assigned, and an enrolled, synced device. */
static int setup_device(struct device *d, int i)
{
    int64_t tech, cust;
    json_t *r = NULL;
    char path[80], err[200];

    tech = create(mgr_cookie, "/api/v1/technicians",
                  json_pack("{s:s, s:f, s:f}", "name", "bench", "start_lat",
                            31.0, "start_lon", 121.0));
    cust = create(desk_cookie, "/api/v1/customers",
                  json_pack("{s:s}", "name", "bench customer"));
    for (int j = 0; j < o.jobs && tech && cust; j++) {
        d->jobs[j] = create(desk_cookie, "/api/v1/jobs",
                            json_pack("{s:I, s:s, s:s}", "customer_id",
                                      (json_int_t)cust, "kind", "repair",
                                      "fault", "bench"));
        if (!d->jobs[j] ||
            job_event(d->jobs[j], json_pack("{s:s, s:b}", "event", "book",
                                            "accept_callout", 1)) ||
            job_event(d->jobs[j], json_pack("{s:s, s:I}", "event", "assign",
                                            "technician_id",
                                            (json_int_t)tech)))
            return -1;
    }
    snprintf(path, sizeof path, "/api/v1/technicians/%lld/enrollment-codes",
             (long long)tech);
    if (api(desk_cookie, "POST", path, NULL, &r, NULL) != 201)
        return -1;
    snprintf(d->store, sizeof d->store, "%s/device-%d.db", o.dir, i);
    if (fsd_open(d->store, &d->c, err, sizeof err) ||
        fsd_enroll(d->c, o.url,
                   json_string_value(json_object_get(r, "code")), "bench") ||
        fsd_sync(d->c, NULL)) {
        fprintf(stderr, "bench_sync: device %d: %s\n", i,
                d->c ? fsd_last_error(d->c) : err);
        json_decref(r);
        return -1;
    }
    json_decref(r);
    return 0;
}

enum phase { NO_CHANGE, TEN_CHANGED, MUTATIONS };

struct worker {
    struct device *d;
    enum phase phase;
    double end, busy;
    long syncs, mutations, failures;
    char cookie[300];
};

static void record(double t)
{
    pthread_mutex_lock(&lock);
    if (nsamples < MAX_SAMPLES)
        samples[nsamples++] = t;
    pthread_mutex_unlock(&lock);
}

/* The dispatcher edits 10 of the device's jobs (not timed). */
static void change_ten(struct worker *w, long round)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = curl_slist_append(NULL,
                                               "Content-Type: application/json");
    struct sink s;
    char csrf[64];

    bench_csrf_header(w->cookie, csrf);
    hdr = curl_slist_append(hdr, csrf);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_COOKIE, w->cookie);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PATCH");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    for (int j = 0; j < 10 && j < o.jobs; j++) {
        char url[512], fault[40];
        json_t *patch;
        char *body;
        snprintf(url, sizeof url, "%s/api/v1/jobs/%lld", o.url,
                 (long long)w->d->jobs[j]);
        snprintf(fault, sizeof fault, "round %ld", round);
        patch = json_pack("{s:s}", "fault", fault);
        body = json_dumps(patch, JSON_COMPACT);
        s.len = 0;
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_perform(h);
        free(body);
        json_decref(patch);
    }
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct fsd_sync_result res;

    for (long round = 0; now_s() < w->end; round++) {
        double t0;
        if (w->phase == TEN_CHANGED)
            change_ten(w, round);
        for (int k = 0; w->phase == MUTATIONS && k < 20; k++)
            fsd_note(w->d->c, (uint64_t)w->d->jobs[k % o.jobs], "bench");
        t0 = now_s();
        if (fsd_sync(w->d->c, &res) != FSD_OK) {
            w->failures++;
            continue;
        }
        w->busy += now_s() - t0;
        record(now_s() - t0);
        w->syncs++;
        w->mutations += res.acked;
    }
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct figures {
    double rate, p50, p99;
    long failures;
};

static struct figures run_phase(enum phase p)
{
    struct worker w[MAX_DEVICES];
    pthread_t t[MAX_DEVICES];
    struct figures f = {0, 0, 0, 0};
    double t0 = now_s(), busy = 0;
    long count = 0;

    nsamples = 0;
    for (int i = 0; i < o.devices; i++) {
        w[i] = (struct worker){&devs[i], p, t0 + o.seconds, 0, 0, 0, 0, ""};
        snprintf(w[i].cookie, sizeof w[i].cookie, "%s", desk_cookie);
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    for (int i = 0; i < o.devices; i++) {
        pthread_join(t[i], NULL);
        count += p == MUTATIONS ? w[i].mutations : w[i].syncs;
        busy += w[i].busy;
        f.failures += w[i].failures;
    }
    /* for TEN_CHANGED, count against the time spent syncing only */
    f.rate = p == TEN_CHANGED ? (busy > 0 ? count * o.devices / busy : 0)
                              : count / (now_s() - t0);
    qsort(samples, (size_t)nsamples, sizeof samples[0], cmp);
    if (nsamples) {
        f.p50 = samples[nsamples / 2] * 1000;
        f.p99 = samples[(nsamples * 99) / 100] * 1000;
    }
    return f;
}

/* This thread's CPU time in seconds. */
static double thread_cpu(void)
{
    struct rusage ru;

    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The server's CPU time in seconds (user + system), -1 when unknown. */
static double server_cpu(void)
{
    char path[64], buf[1024], *p;
    unsigned long user = 0, sys = 0;
    FILE *f;
    size_t n;

    snprintf(path, sizeof path, "/proc/%ld/stat", o.server_pid);
    if (!(f = fopen(path, "r")))
        return -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* fields 14 and 15, counted after the ")" that ends the name */
    if (!(p = strrchr(buf, ')')) ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
               &user, &sys) != 2)
        return -1;
    return (double)(user + sys) / (double)sysconf(_SC_CLK_TCK);
}

struct cost {
    double sdk_us, server_us; /* CPU per sync */
    long syncs, connections;  /* connections: TCP connections opened */
};

/* One device syncing alone, back to back, for o.seconds: CPU per sync. */
static struct cost sync_cost(void)
{
    struct cost c = {0, 0, 0, 0};
    struct fsd_sync_result res;
    double end = now_s() + o.seconds, mine = thread_cpu();
    double theirs = server_cpu();

    while (now_s() < end && fsd_sync(devs[0].c, &res) == FSD_OK) {
        c.syncs++;
        c.connections += res.connections;
    }
    if (c.syncs) {
        c.sdk_us = (thread_cpu() - mine) * 1e6 / c.syncs;
        c.server_us = theirs < 0 ? 0 : (server_cpu() - theirs) * 1e6 / c.syncs;
    }
    return c;
}

/* Ed25519 sign + verify of a 256-byte message per second, for o.seconds. */
static double sodium_rate(void)
{
    unsigned char pk[32], sk[64], msg[256] = {0}, sig[64];
    double t0 = now_s();
    long n = 0;

    crypto_sign_keypair(pk, sk);
    while (now_s() - t0 < o.seconds) {
        crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
        if (crypto_sign_verify_detached(sig, msg, sizeof msg, pk) == 0)
            n++;
        msg[0]++;
    }
    return n / (now_s() - t0);
}

/* Average bytes of a job snapshot on a device vs the staff API's JSON. */
static void job_sizes(double *proto, double *json)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    json_t *r = NULL;
    char path[80];

    *proto = *json = 0;
    if (sqlite3_open(devs[0].store, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT avg(length(snapshot)) FROM jobs", -1,
                           &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            *proto = sqlite3_column_double(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    for (int j = 0; j < o.jobs; j++) {
        char *text;
        snprintf(path, sizeof path, "/api/v1/jobs/%lld",
                 (long long)devs[0].jobs[j]);
        api(desk_cookie, "GET", path, NULL, &r, NULL);
        text = json_dumps(r, JSON_COMPACT);
        *json += text ? (double)strlen(text) / o.jobs : 0;
        free(text);
        json_decref(r);
    }
}

static int parse(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--url"))
            o.url = argv[i + 1];
        else if (!strcmp(argv[i], "--dir"))
            o.dir = argv[i + 1];
        else if (!strcmp(argv[i], "--devices"))
            o.devices = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--jobs"))
            o.jobs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds"))
            o.seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--civet-rps"))
            o.civet_rps = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--only-no-change"))
            o.only_no_change = argv[i + 1];
        else if (!strcmp(argv[i], "--server-pid"))
            o.server_pid = atol(argv[i + 1]);
        else
            return -1;
    }
    return o.url && o.dir && o.devices > 0 && o.devices <= MAX_DEVICES &&
                   o.jobs >= 10 && o.jobs <= MAX_JOBS && o.seconds > 0
               ? 0
               : -1;
}

static void row(const char *name, const char *unit, struct figures f,
                double sodium)
{
    char civet[64] = "n/a";

    if (o.civet_rps > 0)
        snprintf(civet, sizeof civet, "%.3f", f.rate / o.civet_rps);
    printf("  %-28s %10.0f %s  p50 %.2f ms  p99 %.2f ms  failures %ld\n",
           name, f.rate, unit, f.p50, f.p99, f.failures);
    printf("summary: | %s, %d devices | %.0f %s (p50 %.2f ms, p99 %.2f ms)"
           " | %.0f sign+verify/s; bare CivetWeb %.0f req/s | %.3f of"
           " sign+verify; %s of CivetWeb |\n",
           name, o.devices, f.rate, unit, f.p50, f.p99, sodium, o.civet_rps,
           f.rate / sodium, civet);
}

int main(int argc, char **argv)
{
    struct figures none, ten, muts;
    double sodium, proto, json;

    if (parse(argc, argv)) {
        fprintf(stderr, "usage: bench_sync --url URL --dir DIR [--devices N]"
                        " [--jobs N] [--seconds S] [--civet-rps R]"
                        " [--only-no-change LABEL]\n");
        return 2;
    }
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT))
        return 1;
    if (api(NULL, "POST", "/api/v1/login",
            json_pack("{s:s, s:s}", "username", "dispatcher", "password",
                      DEMO_PASSWORD), NULL, desk_cookie) != 200 ||
        api(NULL, "POST", "/api/v1/login",
            json_pack("{s:s, s:s}", "username", "manager", "password",
                      DEMO_PASSWORD), NULL, mgr_cookie) != 200) {
        fprintf(stderr, "bench_sync: demo logins failed\n");
        return 1;
    }
    for (int i = 0; i < o.devices; i++)
        if (setup_device(&devs[i], i))
            return 1;
    sodium = sodium_rate();
    none = run_phase(NO_CHANGE);
    if (o.only_no_change) {
        row(o.only_no_change, "syncs/s", none, sodium);
        for (int i = 0; i < o.devices; i++)
            fsd_close(devs[i].c);
        return 0;
    }
    ten = run_phase(TEN_CHANGED);
    muts = run_phase(MUTATIONS);
    job_sizes(&proto, &json);
    printf("  baseline: %.0f Ed25519 sign+verify/s (256 B); bare CivetWeb"
           " %.0f req/s\n", sodium, o.civet_rps);
    row("no-change sync", "syncs/s", none, sodium);
    row("sync, 10 jobs changed", "syncs/s", ten, sodium);
    row("durable mutations (20/sync)", "mutations/s", muts, sodium);
    printf("  bytes per job: %.0f as a protobuf snapshot, %.0f as JSON\n",
           proto, json);
    printf("summary: | bytes per job in a bundle | %.0f B (protobuf) | %.0f B"
           " (the staff API's JSON) | %.2f |\n", proto, json,
           json > 0 ? proto / json : 0);
    if (o.server_pid) {
        struct cost c = sync_cost();
        double pair_us = sodium > 0 ? 1e6 / sodium : 0;
        printf("  CPU per no-change sync, one device alone (%ld syncs, %ld"
               " TCP connections): SDK %.0f us, server %.0f us; Ed25519"
               " sign+verify %.0f us\n", c.syncs, c.connections, c.sdk_us,
               c.server_us, pair_us);
        printf("summary: | CPU per no-change sync, one device alone | SDK %.0f"
               " us, server %.0f us | Ed25519 sign+verify %.0f us | SDK %.1f,"
               " server %.1f |\n", c.sdk_us, c.server_us, pair_us,
               pair_us > 0 ? c.sdk_us / pair_us : 0,
               pair_us > 0 ? c.server_us / pair_us : 0);
    }
    for (int i = 0; i < o.devices; i++)
        fsd_close(devs[i].c);
    curl_global_cleanup();
    return 0;
}
