/*
 * bench_writes.c - durable job creations per second through fsd-server,
 * against the cost group commit avoids.
 *
 * For each client count (default 1, 8, 32) it starts that many threads,
 * each with its own libcurl easy handle (one keep-alive connection) carrying
 * the dispatcher's session, and has them POST /api/v1/jobs back to back for
 * a fixed time.  Every 201 is a job the server acknowledged after its
 * COMMIT with synchronous=FULL returned.  Around each run it scrapes
 * GET /metrics as the manager and reports, from the difference, how many
 * creations each committed transaction carried (the group-commit batch
 * sizes).  The baseline, measured in the same run for the same time, is raw
 * SQLite on a separate file in the same directory: WAL, synchronous=FULL,
 * one single-row INSERT per transaction from one thread -- one fsync per
 * row, which is what every creation would cost without group commit.
 *
 * It prints a human report and, prefixed "summary: ", one markdown table
 * row per client count, which run.sh gathers.  It asserts nothing about time; it exits non-zero
 * only when it cannot run (server unreachable, login refused).
 *
 *   bench_writes --url http://127.0.0.1:PORT --dir DIR [--seconds S]
 *                [--clients 1,8,32]
 */
#include "bench_csrf.h"
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_RUNS 8
#define MAX_BUCKETS 16
#define PASSWORD "dispatch-demo-2026" /* demo.h: both demo staff users */

struct opts {
    const char *url;      /* server root, no trailing slash */
    const char *dir;      /* where the SQLite baseline file goes */
    double seconds;       /* length of each measured run */
    int clients[MAX_RUNS];
    int nruns;
};

struct text {
    char *data; /* NUL-terminated, malloc'd */
    size_t len;
};

/* fsd_store_write_batch_size histogram as scraped from /metrics. */
struct batch_hist {
    double le[MAX_BUCKETS];      /* upper bounds; the last may be +Inf */
    double cum[MAX_BUCKETS];     /* cumulative counts */
    int n;
    double sum, count;           /* creations and transactions */
};

struct client {
    pthread_t thread;
    const struct opts *o;
    const char *cookie;          /* "fsd_session=..." */
    const char *body;            /* the job to create, as JSON */
    pthread_barrier_t *ready;
    atomic_int *stop;
    long created, failed;
};

struct result {
    int clients;
    long created, failed;        /* 201 replies; anything else */
    double secs;                 /* measured wall time */
    double batches, mean;        /* transactions committed; creations each */
    double p50, max;             /* bucket bounds of the batch sizes */
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

    nanosleep(&ts, NULL);
}

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
    struct text *t = arg;
    char *grown = realloc(t->data, t->len + size * n + 1);

    if (!grown)
        return 0; /* makes curl fail the transfer */
    t->data = grown;
    memcpy(t->data + t->len, p, size * n);
    t->len += size * n;
    t->data[t->len] = '\0';
    return size * n;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
    (void)p, (void)arg;
    return size * n;
}

/* Keep "fsd_session=VALUE" from a Set-Cookie header. */
static size_t grab_cookie(char *p, size_t size, size_t n, void *arg)
{
    char *cookie = arg;
    size_t len = size * n, k = strlen("Set-Cookie: fsd_session=");

    if (len > k && strncasecmp(p, "Set-Cookie: fsd_session=", k) == 0) {
        size_t v = strcspn(p + 12, ";\r\n");
        if (v < 256)
            snprintf(cookie, 257, "%.*s", (int)v, p + 12);
    }
    return len;
}

static CURL *handle_new(const struct opts *o, const char *path)
{
    CURL *h = curl_easy_init();
    char url[512];

    if (!h)
        abort();
    snprintf(url, sizeof url, "%s%s", o->url, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L); /* a hung server ends the run */
    return h;
}

/* POST /api/v1/login; fills cookie (257 bytes) or returns -1. */
static int login(const struct opts *o, const char *user, char *cookie)
{
    json_t *j = json_pack("{s:s, s:s}", "username", user, "password", PASSWORD);
    char *body = json_dumps(j, JSON_COMPACT);
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    CURL *h = handle_new(o, "/api/v1/login");
    long code = 0;

    cookie[0] = '\0';
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, grab_cookie);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, cookie);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdrs);
    free(body);
    json_decref(j);
    if (code != 200 || !cookie[0]) {
        fprintf(stderr, "bench_writes: login as %s failed (HTTP %ld)\n", user, code);
        return -1;
    }
    return 0;
}

/* One line "NAME{le=\"X\"} N" or "NAME_sum N" into the histogram. */
static void hist_line(struct batch_hist *h, const char *line)
{
    const char *name = "fsd_store_write_batch_size";
    size_t k = strlen(name);
    const char *rest = line + k;
    char le[32];
    double v;

    if (strncmp(line, name, k) != 0)
        return;
    if (sscanf(rest, "_bucket{le=\"%31[^\"]\"} %lf", le, &v) == 2 &&
        h->n < MAX_BUCKETS) {
        h->le[h->n] = strcmp(le, "+Inf") == 0 ? -1 : atof(le);
        h->cum[h->n++] = v;
    } else if (sscanf(rest, "_sum %lf", &v) == 1) {
        h->sum = v;
    } else if (sscanf(rest, "_count %lf", &v) == 1) {
        h->count = v;
    }
}

/* GET /metrics as the manager and parse the batch-size histogram. */
static int scrape(const struct opts *o, const char *cookie, struct batch_hist *h)
{
    CURL *c = handle_new(o, "/metrics");
    struct text t = {NULL, 0};
    long code = 0;

    memset(h, 0, sizeof *h);
    curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    for (char *line = t.data ? strtok(t.data, "\n") : NULL; line;
         line = strtok(NULL, "\n"))
        hist_line(h, line);
    free(t.data);
    if (code != 200 || h->n == 0) {
        fprintf(stderr, "bench_writes: GET /metrics failed (HTTP %ld)\n", code);
        return -1;
    }
    return 0;
}

/* Smallest bucket bound holding at least the fraction q of the batches. */
static double hist_quantile(const struct batch_hist *a, const struct batch_hist *b,
                            double q)
{
    double total = b->count - a->count;

    for (int i = 0; i < b->n && i < a->n; i++)
        if (b->cum[i] - a->cum[i] >= q * total)
            return b->le[i];
    return -1;
}

static int post_job(CURL *h)
{
    long code = 0;

    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    return code == 201 ? 0 : -1;
}

static void *client_main(void *arg)
{
    struct client *c = arg;
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    CURL *h = handle_new(c->o, "/api/v1/jobs");
    char csrf[64];

    bench_csrf_header(c->cookie, csrf);
    hdrs = curl_slist_append(hdrs, csrf);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_COOKIE, c->cookie);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, c->body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    post_job(h); /* opens the connection; not counted */
    pthread_barrier_wait(c->ready); /* connected: main scrapes /metrics */
    pthread_barrier_wait(c->ready); /* go */
    while (!atomic_load(c->stop)) {
        if (post_job(h) == 0)
            c->created++;
        else
            c->failed++;
    }
    curl_easy_cleanup(h);
    curl_slist_free_all(hdrs);
    return NULL;
}

static char *job_body_new(void)
{
    json_t *j = json_pack("{s:i, s:s, s:s}", "customer_id", 1, "kind", "repair",
                          "fault", "bench_writes: boiler pressure drops overnight");
    char *s = json_dumps(j, JSON_COMPACT);

    json_decref(j);
    return s;
}


static void result_batches(struct result *r, const struct batch_hist *a,
                           const struct batch_hist *b)
{
    r->batches = b->count - a->count;
    r->mean = r->batches > 0 ? (b->sum - a->sum) / r->batches : 0;
    r->p50 = hist_quantile(a, b, 0.5);
    r->max = hist_quantile(a, b, 1.0);
}

static void start_clients(struct client *cs, int n, const struct opts *o,
                          const char *cookie, const char *body,
                          pthread_barrier_t *ready, atomic_int *stop)
{
    for (int i = 0; i < n; i++) {
        struct client c = {0, o, cookie, body, ready, stop, 0, 0};
        cs[i] = c;
        if (pthread_create(&cs[i].thread, NULL, client_main, &cs[i]) != 0)
            abort();
    }
}

static void join_clients(struct client *cs, int n, struct result *r)
{
    memset(r, 0, sizeof *r);
    r->clients = n;
    for (int i = 0; i < n; i++) {
        pthread_join(cs[i].thread, NULL);
        r->created += cs[i].created;
        r->failed += cs[i].failed;
    }
}

/*
 * n clients connect (one uncounted creation each), the histogram is
 * scraped, then they create jobs for o->seconds; the clock stops when the
 * last in-flight request has returned, so every counted creation is inside
 * the measured time.
 */
static int run_clients(const struct opts *o, int n, const char *disp,
                       const char *mgr, const char *body, struct result *r)
{
    struct client *cs = calloc((size_t)n, sizeof *cs);
    struct batch_hist before, after;
    pthread_barrier_t ready;
    atomic_int stop = 0;
    double t0;
    int rc;

    if (!cs)
        abort();
    pthread_barrier_init(&ready, NULL, (unsigned)n + 1);
    start_clients(cs, n, o, disp, body, &ready, &stop);
    pthread_barrier_wait(&ready); /* all connected */
    rc = scrape(o, mgr, &before);
    pthread_barrier_wait(&ready); /* go */
    t0 = now_s();
    sleep_s(o->seconds);
    atomic_store(&stop, 1);
    join_clients(cs, n, r);
    r->secs = now_s() - t0;
    if (rc == 0 && (rc = scrape(o, mgr, &after)) == 0)
        result_batches(r, &before, &after);
    pthread_barrier_destroy(&ready);
    free(cs);
    return rc;
}

static int baseline_open(const struct opts *o, sqlite3 **db, sqlite3_stmt **ins)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/sqlite_baseline.db", o->dir);
    if (sqlite3_open(path, db) != SQLITE_OK ||
        sqlite3_exec(*db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "CREATE TABLE IF NOT EXISTS jobs(id INTEGER PRIMARY KEY,"
                          " customer_id INTEGER NOT NULL, kind TEXT NOT NULL,"
                          " fault TEXT, created_at TEXT NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(*db, "INSERT INTO jobs(customer_id, kind, fault,"
                                " created_at) VALUES (?1, ?2, ?3,"
                                " strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                           -1, ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_writes: SQLite baseline on %s: %s\n", path,
                sqlite3_errmsg(*db));
        return -1;
    }
    return 0;
}

/* One INSERT per transaction (autocommit), one thread, o->seconds. */
static int baseline_run(const struct opts *o, double *rows_per_s)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    double t0, t = 0;
    long rows = 0;
    int rc = baseline_open(o, &db, &ins);

    for (t0 = now_s(); rc == 0 && (t = now_s() - t0) < o->seconds; rows++) {
        sqlite3_bind_int(ins, 1, 1);
        sqlite3_bind_text(ins, 2, "repair", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, "bench_writes: baseline row", -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            rc = -1;
        sqlite3_reset(ins);
    }
    if (rc)
        fprintf(stderr, "bench_writes: baseline INSERT: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(ins);
    sqlite3_close(db);
    *rows_per_s = t > 0 ? (double)rows / t : 0;
    return rc;
}

static void print_result(const struct opts *o, const struct result *r,
                         double baseline)
{
    double rate = (double)r->created / r->secs;

    printf("  %7d  %8.0f  %6ld  %7.0f  %10.1f  %5.0f  %5.0f  %6.2f\n",
           r->clients, rate, r->failed, r->batches, r->mean, r->p50, r->max,
           rate / baseline);
    printf("summary: | POST /api/v1/jobs, %d client%s, %.0f s | %.0f jobs/s"
           "%s, batch mean %.1f (p50 <= %.0f, max <= %.0f) | %.0f rows/s"
           " (SQLite, 1 INSERT/txn, WAL, FULL, 1 thread) | %.2f |\n", r->clients, r->clients == 1 ? "" : "s", o->seconds,
           rate, r->failed ? " (some failed)" : "", r->mean, r->p50, r->max,
           baseline, rate / baseline);
}

static int parse_clients(const char *s, struct opts *o)
{
    char *end;

    for (o->nruns = 0; *s && o->nruns < MAX_RUNS; s = *end ? end + 1 : end) {
        long n = strtol(s, &end, 10);
        if (n < 1 || n > 1000 || (*end && *end != ','))
            return -1;
        o->clients[o->nruns++] = (int)n;
    }
    return o->nruns > 0 ? 0 : -1;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    o->url = NULL, o->dir = NULL, o->seconds = 3;
    if (parse_clients("1,8,32", o))
        return -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--url"))
            o->url = v;
        else if (!strcmp(k, "--dir"))
            o->dir = v;
        else if (!strcmp(k, "--seconds"))
            o->seconds = atof(v);
        else if (strcmp(k, "--clients") || parse_clients(v, o))
            return -1;
    }
    return (argc % 2 == 1 && o->url && o->dir && o->seconds > 0 &&
            o->seconds <= 60) ? 0 : -1;
}

static int run_all(const struct opts *o, double baseline)
{
    char disp[257], mgr[257];
    char *body = job_body_new();
    struct result r;
    int rc = login(o, "dispatcher", disp) || login(o, "manager", mgr);

    printf("  clients     jobs/s  failed  batches  mean batch  p50<=  max<="
           "  ratio\n");
    for (int i = 0; rc == 0 && i < o->nruns; i++)
        if ((rc = run_clients(o, o->clients[i], disp, mgr, body, &r)) == 0)
            print_result(o, &r, baseline);
    free(body);
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o;
    double baseline;
    int rc;

    if (parse_opts(argc, argv, &o)) {
        fprintf(stderr, "usage: bench_writes --url http://127.0.0.1:PORT --dir DIR"
                        " [--seconds S] [--clients 1,8,32]\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    printf("durable writes: %.0f s per run; ratio = jobs/s / baseline rows/s\n",
           o.seconds);
    if ((rc = baseline_run(&o, &baseline)) == 0) {
        printf("  baseline: SQLite %s, WAL, synchronous=FULL, 1 INSERT per"
               " transaction, 1 thread: %.0f rows/s\n", sqlite3_libversion(),
               baseline);
        rc = run_all(&o, baseline);
    }
    curl_global_cleanup();
    return rc ? 1 : 0;
}
