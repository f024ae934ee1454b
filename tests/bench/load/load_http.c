/*
 * load_http.c - the busy-hour benchmark's requests: one curl call on a
 * keep-alive handle or a new connection, a staff session's cookie and
 * X-CSRF-Token, and each timed request recorded as a sample (or an error)
 * of its route.  The clock and the random numbers the others use are here
 * too.  It knows no endpoint's meaning: what a reply says is the caller's.
 */
#include "load.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

const char *const NAMES[NR] = {
    "sync, 1-3 notes (SDK)", "GET /api/v1/board", "GET /api/v1/changes",
    "GET /jobs/{id}/candidates", "POST /jobs/{id}/assign",
    "GET /public/bookings/{t}", "POST /public/bookings/{t}/confirm",
    "GET /healthz (probe)"};
struct route routes[NR];
pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
_Thread_local struct reply_buf reply;
static long logged; /* errors written to stderr, the first 20 */

double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sleep_until(double t)
{
    if (t > now_s())
        usleep((useconds_t)((t - now_s()) * 1e6));
}

double uniform(double a, double b)
{
    return a + (b - a) * randombytes_uniform(1000000) / 1e6;
}

void bump(long *counter, long by)
{
    pthread_mutex_lock(&mu);
    *counter += by;
    pthread_mutex_unlock(&mu);
}

/* A sample of an answered request on route r, or an error (logged). */
void record(int r, double secs, int error, int refused, const char *what)
{
    pthread_mutex_lock(&mu);
    if (error && logged++ < 20)
        fprintf(stderr, "bench_load: %s: %.300s\n", NAMES[r], what);
    if (!error && routes[r].n == routes[r].cap)
        routes[r].v = realloc(routes[r].v,
                              (routes[r].cap = 2 * routes[r].cap + 1024) *
                                  sizeof(double));
    if (!error)
        routes[r].v[routes[r].n++] = secs;
    routes[r].errors += error;
    routes[r].refused += refused;
    pthread_mutex_unlock(&mu);
}

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
    size_t add = size * n;

    (void)arg;
    if (reply.n + add + 1 > reply.cap)
        reply.p = realloc(reply.p, reply.cap = 2 * (reply.n + add + 1));
    memcpy(reply.p + reply.n, p, add);
    reply.p[reply.n += add] = '\0';
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
 * reply's.  The status (0: no reply); its body in reply, the time in
 * *secs. */
long call(CURL *h, struct sess *s, const char *method, const char *path,
          const char *body, const char *from, double *secs)
{
    struct curl_slist *hd = NULL;
    char url[700], x[160];
    long code = 0;
    CURL *e = h ? h : curl_easy_init();

    curl_easy_reset(e); /* keeps the live connection */
    snprintf(url, sizeof url, "%s%s", opt.url, path);
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
    reply.n = 0;
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
int req(int r, CURL *h, struct sess *s, const char *method,
        const char *path, const char *body, const char *from,
        const char *refusal)
{
    double t;
    long st = call(h, s, method, path, body, from, &t);
    int refused = refusal && st == 409 && strstr(reply.p, refusal);
    char what[400];

    snprintf(what, sizeof what, "HTTP %ld %.300s", st, reply.p);
    record(r, t, st != 200 && !refused, refused, what);
    return st == 200 ? 0 : refused ? 1 : -1;
}
