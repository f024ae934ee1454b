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
 */
#include "fsd_client.h"

#include <curl/curl.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define JOBS_PER_TECH 3
#define QUEUE_PER_DISPATCHER 25
#define SETUP_THREADS 8
#define DEVICE_WORKERS 32
#define CUSTOMER_WORKERS 8
#define BASE_N 10 /* assigns and bookings for the baseline */
#define MAX_DISPATCHERS 200
#define WAL_CHECKPOINT_MB (1000 * 4096 / 1048576.0) /* wal_autocheckpoint */
#define EVENTS "/api/v1/jobs/%lld/events"

static const char *const SKILLS[] = {"hvac", "appliance", "electrical",
                                     "refrigeration", "dental"};
static struct {
    const char *url, *db, *dir;
    int pid, devices, dispatchers, customers, per_tech;
    double seconds;
} o = {NULL, NULL, NULL, 0, 2000, 20, 200, 10, 300};

enum { R_SYNC, R_BOARD, R_CHANGES, R_CAND, R_ASSIGN, R_BOOKING, R_CONFIRM,
       R_HEALTH, NR };
static const char *const NAMES[NR] = {
    "sync, 1-3 notes (SDK)", "GET /api/v1/board", "GET /api/v1/changes",
    "GET /jobs/{id}/candidates", "POST /jobs/{id}/assign",
    "GET /public/bookings/{t}", "POST /public/bookings/{t}/confirm",
    "GET /healthz (probe)"};
static struct route {
    double *v, base_ms; /* samples (s) of answered requests; p50 alone */
    size_t n, cap;
    long errors, refused;
} R[NR];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long logged, notes_applied, failed_acks, bundles, max_bundles,
    no_candidate, booked, no_slots;
static volatile int setup_failed;

struct sess { char cookie[300], csrf[100]; };
static struct sess mgr, desk[MAX_DISPATCHERS + 1]; /* desk[D]: setup's */
static char date[11];
static int ntech, nqueue;
static int64_t *tech_id, *tech_job, *queue_job;
static char (*token)[64];
static pthread_mutex_t *dev_mu;
static double t0, t_end;
static _Thread_local struct { char *p; size_t n, cap; } tb; /* a reply */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
    if (t > now_s())
        usleep((useconds_t)((t - now_s()) * 1e6));
}

static double uniform(double a, double b)
{
    return a + (b - a) * randombytes_uniform(1000000) / 1e6;
}

static void bump(long *counter, long by)
{
    pthread_mutex_lock(&mu);
    *counter += by;
    pthread_mutex_unlock(&mu);
}

/* A sample of an answered request on route r, or an error (logged). */
static void record(int r, double secs, int error, int refused,
                   const char *what)
{
    pthread_mutex_lock(&mu);
    if (error && logged++ < 20)
        fprintf(stderr, "bench_load: %s: %.300s\n", NAMES[r], what);
    if (!error && R[r].n == R[r].cap)
        R[r].v = realloc(R[r].v, (R[r].cap = 2 * R[r].cap + 1024) *
                                     sizeof(double));
    if (!error)
        R[r].v[R[r].n++] = secs;
    R[r].errors += error;
    R[r].refused += refused;
    pthread_mutex_unlock(&mu);
}

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
    size_t add = size * n;

    (void)arg;
    if (tb.n + add + 1 > tb.cap)
        tb.p = realloc(tb.p, tb.cap = 2 * (tb.n + add + 1));
    memcpy(tb.p + tb.n, p, add);
    tb.p[tb.n += add] = '\0';
    return add;
}

static size_t take_cookie(char *p, size_t size, size_t n, void *arg)
{
    char *end = strchr(p, ';');

    if (!strncasecmp(p, "Set-Cookie: ", 12) && end)
        snprintf(arg, 300, "%.*s", (int)(end - p - 12), p + 12);
    return size * n;
}

/* One request on h (keep-alive) or, h NULL, on a new connection from the
 * address from (may be NULL); a session without a cookie takes the
 * reply's.  The status (0: no reply); the reply in tb, the time in *secs. */
static long call(CURL *h, struct sess *s, const char *method,
                 const char *path, const char *body, const char *from,
                 double *secs)
{
    struct curl_slist *hd = NULL;
    char url[700], x[160];
    long code = 0;
    CURL *e = h ? h : curl_easy_init();

    curl_easy_reset(e); /* keeps the live connection */
    snprintf(url, sizeof url, "%s%s", o.url, path);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
    if (strcmp(method, "GET")) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
        hd = curl_slist_append(hd, "Content-Type: application/json");
    }
    if (s && s->cookie[0]) {
        curl_easy_setopt(e, CURLOPT_COOKIE, s->cookie);
        snprintf(x, sizeof x, "X-CSRF-Token: %s", s->csrf);
        hd = curl_slist_append(hd, x);
    } else if (s) {
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, take_cookie);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, s->cookie);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hd);
    if (from)
        curl_easy_setopt(e, CURLOPT_INTERFACE, from);
    tb.n = 0;
    sink("", 0, 0, NULL);
    *secs = now_s();
    if (curl_easy_perform(e) == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    *secs = now_s() - *secs;
    curl_slist_free_all(hd);
    if (!h)
        curl_easy_cleanup(e);
    return code;
}

/* A timed request on route r: 0 when answered 200, 1 when refused (409
 * naming refusal, which may be NULL), else -1, an error. */
static int req(int r, CURL *h, struct sess *s, const char *method,
               const char *path, const char *body, const char *from,
               const char *refusal)
{
    double t;
    long st = call(h, s, method, path, body, from, &t);
    int refused = refusal && st == 409 && strstr(tb.p, refusal);
    char what[400];

    snprintf(what, sizeof what, "HTTP %ld %.300s", st, tb.p);
    record(r, t, st != 200 && !refused, refused, what);
    return st == 200 ? 0 : refused ? 1 : -1;
}

/* --- setup ----------------------------------------------------------- */

/* POST (setup's session unless s) expecting want: the reply, or NULL and
 * setup fails.  Takes body. */
static json_t *post(struct sess *s, long want, json_t *body,
                    const char *fmt, ...)
{
    char path[200], *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    va_list ap;
    double t;
    long st;
    json_t *r;

    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    st = call(NULL, s ? s : &desk[o.dispatchers], "POST", path, text, NULL,
              &t);
    if (!(r = st == want ? json_loads(tb.p, 0, NULL) : NULL)) {
        fprintf(stderr, "bench_load: setup: POST %s: HTTP %ld %.300s\n",
                path, st, tb.p);
        setup_failed = 1;
    }
    free(text);
    json_decref(body);
    return r;
}

static long long id_of(json_t *r)
{
    long long id = json_integer_value(json_object_get(r, "id"));

    json_decref(r);
    return id;
}

static int ok(json_t *r)
{
    json_decref(r);
    return r != NULL;
}

/* A new customer's job of today, a 2-hour window from hour (none when
 * < 0); ready (booked, parts reserved: assignable) if asked. */
static long long job(int hour, int dur, int skill, int ready)
{
    long long cust = id_of(post(NULL, 201, json_pack(
        "{s:s, s:f, s:f}", "name", "busy hour", "lat", uniform(31.1, 31.3),
        "lon", uniform(121.3, 121.5)), "/api/v1/customers")), id;
    json_t *b = json_pack("{s:I, s:s, s:s, s:i, s:[{s:s, s:i}]}",
                          "customer_id", (json_int_t)cust, "kind", "repair",
                          "fault", "busy hour", "duration_minutes", dur,
                          "required_skills", "skill", SKILLS[skill % 5],
                          "level", 1);
    char w[2][32];

    for (int k = 0; k < 2 && hour >= 0; k++) {
        snprintf(w[k], sizeof w[k], "%sT%02d:00:00Z", date, hour + 2 * k);
        json_object_set_new(b, k ? "window_end" : "window_start",
                            json_string(w[k]));
    }
    id = cust ? id_of(post(NULL, 201, b, "/api/v1/jobs")) : (json_decref(b), 0);
    if (id && ready &&
        !(ok(post(NULL, 200, json_pack("{s:s}", "event", "book"), EVENTS,
                  id)) &&
          ok(post(NULL, 200, json_pack("{s:s}", "event", "parts_reserved"),
                  EVENTS, id))))
        id = 0;
    return id;
}

/* Setup steps, each for one i; each sets setup_failed when it fails. */
static void setup_login(int i)
{
    struct sess *s = i ? &desk[i - 1] : &mgr;
    json_t *r = post(s, 200, json_pack("{s:s, s:s}", "username",
                                       i ? "dispatcher" : "manager",
                                       "password", "dispatch-demo-2026"),
                     "/api/v1/login");

    snprintf(s->csrf, sizeof s->csrf, "%s",
             r ? json_string_value(json_object_get(r, "csrf_token")) : "");
    setup_failed |= !ok(r) || !s->cookie[0];
}

/* Technician i (UTC, 07:00-19:00 daily) and its jobs, assigned. */
static void setup_tech(int i)
{
    json_t *shifts = json_array();
    char name[40];

    for (int d = 0; d < 7; d++)
        json_array_append_new(shifts, json_pack("{s:i, s:s, s:s}", "weekday",
                                                d, "start", "07:00", "end",
                                                "19:00"));
    snprintf(name, sizeof name, "Load Tech %d", i + 1);
    tech_id[i] = id_of(post(
        &mgr, 201,
        json_pack("{s:s, s:s, s:i, s:f, s:f, s:o, s:[{s:s, s:i}, {s:s, s:i}]}",
                  "name", name, "timezone", "UTC", "capacity_minutes", 600,
                  "start_lat", 31.1 + (i % 10) * 0.02, "start_lon",
                  121.3 + (i / 10 % 10) * 0.02, "shifts", shifts, "skills",
                  "skill", SKILLS[i % 5], "level", 3, "skill",
                  SKILLS[(i + 2) % 5], "level", 2),
        "/api/v1/technicians"));
    for (int j = 0; j < JOBS_PER_TECH && tech_id[i] && !setup_failed; j++) {
        long long id = tech_job[i * JOBS_PER_TECH + j] =
            job(8 + 3 * j, 45, i, 1);
        ok(id ? post(NULL, 200, json_pack("{s:s, s:I}", "event", "assign",
                                          "technician_id",
                                          (json_int_t)tech_id[i]),
                     EVENTS, id)
              : NULL);
    }
}

static void setup_queue(int q)
{
    queue_job[q] = job(8 + q % 9, 30, q, 1);
}

/* A booking customer: a new job and its link, /book/<token>. */
static void setup_customer(int i)
{
    long long id = job(-1, 60, i, 0);
    json_t *r = id ? post(NULL, 201, json_object(),
                          "/api/v1/jobs/%lld/booking-link", id)
                   : NULL;

    snprintf(token[i], sizeof token[i], "%s",
             r ? json_string_value(json_object_get(r, "url")) + 6 : "");
    ok(r);
}

static void store_path(int i, char *path, size_t len)
{
    snprintf(path, len, "%s/device-%d.db", o.dir, i);
}

/* Device i, of technician i % ntech: enrolled and synced once. */
static void setup_device(int i)
{
    char store[600], err[200] = "";
    fsd_client *c = NULL;
    json_t *r = post(NULL, 201, NULL,
                     "/api/v1/technicians/%lld/enrollment-codes",
                     (long long)tech_id[i % ntech]);

    store_path(i, store, sizeof store);
    unlink(store);
    if (r && (fsd_open(store, &c, err, sizeof err) ||
              fsd_enroll(c, o.url,
                         json_string_value(json_object_get(r, "code")),
                         "busy hour") ||
              fsd_sync(c, NULL))) {
        fprintf(stderr, "bench_load: device %d: %s\n", i,
                c ? fsd_last_error(c) : err);
        setup_failed = 1;
    }
    fsd_close(c);
    ok(r);
}

/* --- schedules: events taken in time order by a pool of workers ------ */

struct sched {
    struct ev { double at; int who; } *e;
    int n, next, late, skipped; /* late: started > 1 s behind */
    double max_lag, until;      /* events not started by until: skipped */
    void (*fn)(int);
};

static void *sched_worker(void *arg)
{
    struct sched *s = arg;

    for (int k, skip;;) {
        double lag;

        pthread_mutex_lock(&mu);
        k = s->next < s->n && !setup_failed ? s->next++ : -1;
        pthread_mutex_unlock(&mu);
        if (k < 0)
            return NULL;
        sleep_until(t0 + s->e[k].at);
        lag = now_s() - t0 - s->e[k].at;
        skip = t0 + s->e[k].at + lag > s->until;
        pthread_mutex_lock(&mu);
        s->max_lag = fmax(s->max_lag, lag);
        s->late += lag > 1;
        s->skipped += skip;
        pthread_mutex_unlock(&mu);
        if (!skip)
            s->fn(s->e[k].who);
    }
}

static void spawn(pthread_t *t, int n, void *(*fn)(void *), void *arg)
{
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, fn, arg ? arg : (void *)(intptr_t)i);
}

static void join(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

/* fn(0..n-1) on SETUP_THREADS threads; 0 when all succeeded. */
static int parallel(int n, void (*fn)(int))
{
    struct sched s = {calloc((size_t)n + 1, sizeof(struct ev)), n, 0, 0, 0,
                      0, 1e300, fn};
    pthread_t t[SETUP_THREADS];

    for (int i = 0; i < n; i++)
        s.e[i].who = i;
    spawn(t, SETUP_THREADS, sched_worker, &s);
    join(t, SETUP_THREADS);
    free(s.e);
    return setup_failed;
}

/* --- the parties -------------------------------------------------------- */

/* Device i syncs with 1-3 notes queued on its technician's jobs. */
static void device_sync(int i)
{
    char store[600], err[300] = "";
    fsd_client *c = NULL;
    struct fsd_sync_result res = {0, 0, 0, 0, 0, 0};
    int notes = 1 + (int)randombytes_uniform(3), rc = -1;
    double t = now_s();

    store_path(i, store, sizeof store);
    pthread_mutex_lock(&dev_mu[i]);
    if (fsd_open(store, &c, err, sizeof err) == FSD_OK) {
        fsd_set_retry(c, 1, 0);
        for (int k = 0; k < notes; k++)
            fsd_note(c, (uint64_t)tech_job[(i % ntech) * JOBS_PER_TECH +
                                           (int)randombytes_uniform(3)],
                     "busy hour note");
        t = now_s();
        if ((rc = fsd_sync(c, &res)))
            snprintf(err, sizeof err, "device %d: %s", i, fsd_last_error(c));
        else if (res.acked < notes || res.rejected || res.conflicts)
            snprintf(err, sizeof err, "device %d: %d of %d notes acked, %d"
                     " rejected, %d conflicts", i, res.acked, notes,
                     res.rejected, res.conflicts);
        fsd_close(c);
    }
    record(R_SYNC, now_s() - t, err[0] != 0, 0, err);
    pthread_mutex_unlock(&dev_mu[i]);
    pthread_mutex_lock(&mu);
    notes_applied += rc ? 0 : res.acked - res.rejected - res.conflicts;
    failed_acks += rc == 0 && err[0];
    bundles += res.bundles;
    max_bundles = res.bundles > max_bundles ? res.bundles : max_bundles;
    pthread_mutex_unlock(&mu);
}

/* What a dispatcher's board page holds: its change-log position and the
 * version of every job it shows (id as text -> version). */
struct view {
    int64_t seq;
    json_t *versions;
};

/* GET the day's board into v. */
static void board(CURL *h, struct sess *s, struct view *v)
{
    char path[64], key[24];
    json_t *b;
    const json_t *j;
    size_t i;

    snprintf(path, sizeof path, "/api/v1/board?date=%s", date);
    if (req(R_BOARD, h, s, "GET", path, NULL, NULL, NULL) ||
        !(b = json_loads(tb.p, 0, NULL)))
        return;
    v->seq = json_integer_value(json_object_get(b, "seq"));
    json_object_clear(v->versions);
    json_array_foreach(json_object_get(b, "jobs"), i, j) {
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(j, "id")));
        json_object_set(v->versions, key, json_object_get(j, "version"));
    }
    json_decref(b);
}

/* Does v show every {id, version} of changed at that version or later? */
static int shows_all(const struct view *v, const json_t *changed)
{
    const json_t *c, *have;
    char key[24];
    size_t i;

    json_array_foreach(changed, i, c) {
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(c, "id")));
        have = json_object_get(v->versions, key);
        if (!json_is_integer(json_object_get(c, "version")) || !have ||
            json_integer_value(have) <
                json_integer_value(json_object_get(c, "version")))
            return 0;
    }
    return 1;
}

/* Poll the changes after v's position as the page does: re-fetch the
 * board when it is out of date.  The delay to the next poll. */
static double changes(CURL *h, struct sess *s, struct view *v)
{
    char path[80];
    json_t *r;
    int more;

    snprintf(path, sizeof path, "/api/v1/changes?after=%lld",
             (long long)v->seq);
    if (req(R_CHANGES, h, s, "GET", path, NULL, NULL, NULL) ||
        !(r = json_loads(tb.p, 0, NULL)))
        return 1.0;
    more = json_is_true(json_object_get(r, "more"));
    if (more || json_is_true(json_object_get(r, "others_changed")) ||
        !shows_all(v, json_object_get(r, "jobs")))
        board(h, s, v);
    else
        v->seq = json_integer_value(json_object_get(r, "seq"));
    json_decref(r);
    return more ? 0 : 1.0;
}

/* v as compact JSON text (caller frees); v is released. */
static char *json_text(json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT);

    json_decref(v);
    return text;
}

/* GET the job's candidates and assign it to the first feasible one. */
static void assign_one(CURL *h, struct sess *s, long long job_id)
{
    char path[80], *body;
    long long tech = 0;
    json_t *r = NULL, *c;
    size_t i;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/candidates", job_id);
    if (!req(R_CAND, h, s, "GET", path, NULL, NULL, NULL))
        r = json_loads(tb.p, 0, NULL);
    json_array_foreach(json_object_get(r, "candidates"), i, c)
        if (!tech && json_is_true(json_object_get(c, "feasible")))
            tech = json_integer_value(json_object_get(c, "technician_id"));
    bump(&no_candidate, r && !tech);
    json_decref(r);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/assign", job_id);
    body = json_text(json_pack("{s:I}", "technician_id", (json_int_t)tech));
    if (tech)
        req(R_ASSIGN, h, s, "POST", path, body, NULL,
            "assignment_infeasible");
    free(body);
}

/* Customer i opens the link and confirms a window, from its own address. */
static void customer(int i)
{
    char path[160], *body, from[40];
    json_t *r, *slots;
    size_t n;

    snprintf(from, sizeof from, "host!127.1.%d.%d", i / 250, i % 250 + 1);
    for (int tries = 0, rc = 1; tries < 3 && rc == 1; tries++) {
        snprintf(path, sizeof path, "/api/v1/public/bookings/%s", token[i]);
        if (req(R_BOOKING, NULL, NULL, "GET", path, NULL, from, NULL))
            return;
        r = json_loads(tb.p, 0, NULL);
        if (!(n = json_array_size(slots = json_object_get(r, "slots")))) {
            if (!r)
                record(R_BOOKING, 0, 1, 0, "the reply is not JSON");
            bump(&no_slots, r != NULL);
            json_decref(r);
            return;
        }
        body = json_text(json_pack(
            "{s:O}", "start",
            json_object_get(json_array_get(slots,
                                           randombytes_uniform(
                                               n < 3 ? (uint32_t)n : 3)),
                            "start")));
        json_decref(r);
        strcat(path, "/confirm");
        rc = req(R_CONFIRM, NULL, NULL, "POST", path, body, from,
                 "slot_taken");
        free(body);
        bump(&booked, rc == 0);
    }
}

static void *dispatcher(void *arg)
{
    int k = (int)(intptr_t)arg, q = k;
    CURL *h = curl_easy_init();
    struct view v = {0, json_object()};
    double next = t0 + uniform(0, 1), next_assign = t0 + uniform(5, 20);

    board(h, &desk[k], &v);
    while (next < t_end) {
        sleep_until(next);
        next = now_s() + changes(h, &desk[k], &v);
        if (now_s() >= next_assign && q < nqueue) {
            assign_one(h, &desk[k], queue_job[q]);
            q += o.dispatchers;
            next_assign = now_s() + uniform(8, 20);
        }
    }
    json_decref(v.versions);
    curl_easy_cleanup(h);
    return NULL;
}

struct sample { double rss_mb, wal_mb; long fds; };
static struct sample peak;

static struct sample server_sample(void)
{
    struct sample s = {0, 0, 0};
    char path[600], line[256];
    struct dirent *d;
    struct stat st;
    FILE *f;
    DIR *dir;

    snprintf(path, sizeof path, "/proc/%d/status", o.pid);
    for (f = fopen(path, "r"); f && fgets(line, sizeof line, f);)
        if (!strncmp(line, "VmRSS:", 6))
            s.rss_mb = atof(line + 6) / 1024;
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "/proc/%d/fd", o.pid);
    for (dir = opendir(path); dir && (d = readdir(dir));)
        s.fds += d->d_name[0] != '.';
    if (dir)
        closedir(dir);
    snprintf(path, sizeof path, "%s-wal", o.db);
    if (stat(path, &st) == 0)
        s.wal_mb = (double)st.st_size / 1048576;
    peak.rss_mb = fmax(peak.rss_mb, s.rss_mb);
    peak.wal_mb = fmax(peak.wal_mb, s.wal_mb);
    peak.fds = s.fds > peak.fds ? s.fds : peak.fds;
    return s;
}

/* GET /healthz 4 times a second until *arg; the server every 2 s. */
static void *watch(void *arg)
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
                       R[R_SYNC].n);
            fflush(stdout);
        }
    }
    curl_easy_cleanup(h);
    return NULL;
}

/* --- figures ------------------------------------------------------------ */

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (nearest rank) of v[0..n), sorted here, in ms. */
static double pct(double *v, size_t n, double q)
{
    size_t k = (size_t)ceil(q * (double)n);

    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, cmp);
    return v[k ? k - 1 : 0] * 1000;
}

/* Each route's p50 with nothing else running; then the samples cleared. */
static int baseline(void)
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
        customer(o.customers + i);
    json_decref(v.versions);
    curl_easy_cleanup(h);
    for (int r = 0; r < NR; r++) {
        setup_failed |= R[r].errors > 0;
        R[r].base_ms = pct(R[r].v, R[r].n, 0.5);
        R[r].n = R[r].refused = 0;
    }
    notes_applied = bundles = max_bundles = no_candidate = booked = 0;
    no_slots = 0;
    return setup_failed;
}

static int parse(int argc, char **argv)
{
    static const char *const keys[] = {"--url", "--db", "--dir", "--pid",
        "--devices", "--dispatchers", "--customers", "--per-tech",
        "--seconds"};
    const char **strs[] = {&o.url, &o.db, &o.dir};
    int *ints[] = {&o.pid, &o.devices, &o.dispatchers, &o.customers,
                   &o.per_tech};
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
            o.seconds = atof(argv[i + 1]);
    }
    return i == argc && o.url && o.db && o.dir && o.pid > 0 &&
                   o.devices > 0 && o.dispatchers > 0 &&
                   o.dispatchers <= MAX_DISPATCHERS && o.customers >= 0 &&
                   o.customers <= 60000 && o.per_tech > 0 && o.seconds >= 10
               ? 0
               : -1;
}

static long report(double secs, struct sample a, struct sample z,
                   const struct sched *dev, const struct sched *cust)
{
    long errors = failed_acks;

    printf("summary: | busy hour: %d devices of %d technicians, %d"
           " dispatchers, %d customers, %.0f s | | | |\n", o.devices, ntech,
           o.dispatchers, o.customers, secs);
    printf("  %-34s %6s %6s %8s %8s %8s %6s %7s %8s %6s\n", "route", "count",
           "per s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "refused",
           "alone", "ratio");
    for (int r = 0; r < NR; r++) {
        struct route *x = &R[r];
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
           dev->late, dev->max_lag, (double)bundles / (double)R[R_SYNC].n,
           max_bundles, notes_applied, failed_acks);
    printf("  dispatchers: %zu assigns (%ld refused: assignment_infeasible),"
           " %ld jobs without a feasible candidate\n", R[R_ASSIGN].n,
           R[R_ASSIGN].refused, no_candidate);
    printf("  customers: %ld booked, %ld slot_taken answers, %ld saw no slots,"
           " %d not started by the end\n", booked, R[R_CONFIRM].refused,
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
    ntech = (o.devices + o.per_tech - 1) / o.per_tech;
    nqueue = o.dispatchers * QUEUE_PER_DISPATCHER;
    tech_id = calloc((size_t)ntech, sizeof *tech_id);
    tech_job = calloc((size_t)ntech * JOBS_PER_TECH, sizeof *tech_job);
    queue_job = calloc((size_t)nqueue + BASE_N, sizeof *queue_job);
    token = calloc((size_t)o.customers + BASE_N, sizeof *token);
    dev_mu = calloc((size_t)o.devices, sizeof *dev_mu);
    for (int i = 0; i < o.devices; i++)
        pthread_mutex_init(&dev_mu[i], NULL);
    printf("== busy hour on %s: %d devices of %d technicians, %d dispatchers,"
           " %d customers, %.0f s\n", date, o.devices, ntech, o.dispatchers,
           o.customers, o.seconds);
    fflush(stdout);
    if (server_sample().rss_mb <= 0 ||
        parallel(o.dispatchers + 2, setup_login) ||
        parallel(ntech, setup_tech) || parallel(nqueue + BASE_N, setup_queue) ||
        parallel(o.customers + BASE_N, setup_customer) ||
        parallel(o.devices, setup_device) || baseline()) {
        fprintf(stderr, "bench_load: setup failed (is --pid the server's?)\n");
        return 1;
    }
    printf("  setup %.0f s: %d jobs on technicians' lanes, %d in the queue,"
           " %d booking links\n", now_s() - setup_t, ntech * JOBS_PER_TECH,
           nqueue + BASE_N, o.customers + BASE_N);
    dev.e = calloc((size_t)o.devices * (size_t)(o.seconds / 60 + 2),
                   sizeof *dev.e);
    for (int i = 0; i < o.devices; i++)
        for (double t = uniform(0, 60); t < o.seconds; t += 60)
            dev.e[dev.n++] = (struct ev){t, i};
    cust.e = calloc((size_t)o.customers + 1, sizeof *cust.e);
    for (int i = 0; i < o.customers; i++)
        cust.e[cust.n++] = (struct ev){uniform(0, o.seconds * 0.9), i};
    qsort(dev.e, (size_t)dev.n, sizeof *dev.e, cmp); /* by .at, first */
    qsort(cust.e, (size_t)cust.n, sizeof *cust.e, cmp);
    dev.fn = device_sync;
    cust.fn = customer;

    peak = (struct sample){0, 0, 0};
    start = server_sample();
    t0 = now_s();
    dev.until = cust.until = t_end = t0 + o.seconds;
    spawn(w, DEVICE_WORKERS, sched_worker, &dev);
    spawn(w + DEVICE_WORKERS, CUSTOMER_WORKERS, sched_worker, &cust);
    spawn(w + nw, o.dispatchers, dispatcher, NULL);
    pthread_create(&w[nw + o.dispatchers], NULL, watch, &t_end);
    join(w, nw + o.dispatchers + 1);
    secs = now_s() - t0;
    sleep(2); /* closed connections leave the server */
    end = server_sample();
    nw = report(secs, start, end, &dev, &cust) ? 1 : 0;
    curl_global_cleanup();
    return nw;
}
