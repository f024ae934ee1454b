/*
 * load.h - what the files of the busy-hour benchmark (bench_load, told in
 * bench_load.c) share: its options, the route table and its samples, the
 * staff sessions, what setup made, the run's counters, the schedules and
 * the functions one file offers the others.
 *
 * Every global here has one definition, in the file named beside it.  mu
 * guards the routes' samples, the counters and a schedule's next event;
 * the rest is written before the workers start.  Nothing here is freed:
 * the process ends after the report.
 */
#ifndef FSD_BENCH_LOAD_H
#define FSD_BENCH_LOAD_H

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define JOBS_PER_TECH 3
#define QUEUE_PER_DISPATCHER 25
#define SETUP_THREADS 8
#define DEVICE_WORKERS 32
#define CUSTOMER_WORKERS 8
#define BASE_N 10 /* assigns and bookings for the baseline */
#define MAX_DISPATCHERS 200
#define WAL_CHECKPOINT_MB (1000 * 4096 / 1048576.0) /* wal_autocheckpoint */
#define EVENTS "/api/v1/jobs/%lld/events"

/* The command line (bench_load.c). */
struct options {
    const char *url, *db, *dir;
    int pid, devices, dispatchers, customers, per_tech;
    double seconds;
};
extern struct options opt;

/* --- requests and their samples (load_http.c) ------------------------ */

enum { R_SYNC, R_BOARD, R_CHANGES, R_CAND, R_ASSIGN, R_BOOKING, R_CONFIRM,
       R_HEALTH, NR };
extern const char *const NAMES[NR];
struct route {
    double *v, base_ms; /* samples (s) of answered requests; p50 alone */
    size_t n, cap;
    long errors, refused;
};
extern struct route routes[NR];
extern pthread_mutex_t mu;

/* The calling thread's last reply body, '\0'-terminated, in p. */
struct reply_buf { char *p; size_t n, cap; };
extern _Thread_local struct reply_buf reply;

/* A staff cookie session; cookie "" until a reply sets it. */
struct sess { char cookie[300], csrf[100]; };

double now_s(void);
void sleep_until(double t);
double uniform(double a, double b);
void bump(long *counter, long by);
/* A sample of an answered request on route r, or an error (logged). */
void record(int r, double secs, int error, int refused, const char *what);
/* One request, h keep-alive or NULL (a new connection): the status. */
long call(CURL *h, struct sess *s, const char *method, const char *path,
          const char *body, const char *from, double *secs);
/* A timed request on route r: 0 when answered 200, 1 refused, -1 error. */
int req(int r, CURL *h, struct sess *s, const char *method,
        const char *path, const char *body, const char *from,
        const char *refusal);

/* --- setup, not timed (load_setup.c) ---------------------------------- */

extern volatile int setup_failed;
extern struct sess mgr, desk[MAX_DISPATCHERS + 1]; /* desk[D]: setup's */
extern char date[11];                             /* today, UTC */
extern int ntech, nqueue;
extern int64_t *tech_id, *tech_job, *queue_job;   /* set by the steps */
extern char (*token)[64];                         /* customers' bookings */

/* Setup steps, each for one i; each sets setup_failed when it fails. */
void setup_login(int i);
void setup_tech(int i);
void setup_queue(int q);
void setup_customer(int i);
void setup_device(int i);
/* Device i's SDK store under --dir. */
void store_path(int i, char *path, size_t len);

/* --- schedules (load_sched.c) ----------------------------------------- */

extern double t0, t_end; /* the run's (or the baseline's) start and end */

struct sched {
    struct ev { double at; int who; } *e;
    int n, next, late, skipped; /* late: started > 1 s behind */
    double max_lag, until;      /* events not started by until: skipped */
    void (*fn)(int);
};

/* A worker of s: its events in time order, fn(who) at t0 + at. */
void *sched_worker(void *arg);
/* n threads of fn(arg), or of fn(i) when arg is NULL. */
void spawn(pthread_t *t, int n, void *(*fn)(void *), void *arg);
void join(pthread_t *t, int n);
/* fn(0..n-1) on SETUP_THREADS threads; 0 when all succeeded. */
int parallel(int n, void (*fn)(int));

/* --- the parties (load_work.c) ---------------------------------------- */

extern long notes_applied, failed_acks, bundles, max_bundles, no_candidate,
    booked, no_slots;
extern pthread_mutex_t *dev_mu; /* one per device: a store, one sync */

/* What a dispatcher's board page holds: its change-log position and the
 * version of every job it shows (id as text -> version). */
struct view {
    int64_t seq;
    json_t *versions;
};

void device_sync(int i);
void board(CURL *h, struct sess *s, struct view *v);
/* The delay to the next poll. */
double changes(CURL *h, struct sess *s, struct view *v);
void assign_one(CURL *h, struct sess *s, long long job_id);
void customer(int i);
/* Dispatcher (intptr_t)arg until t_end. */
void *dispatcher(void *arg);

/* --- the server's figures and ours (load_report.c) -------------------- */

struct sample { double rss_mb, wal_mb; long fds; };
extern struct sample peak; /* of every sample since it was cleared */

struct sample server_sample(void);
/* GET /healthz 4 times a second until *(double *)arg; the server every 2 s. */
void *watch(void *arg);
/* qsort's order of doubles (of structs that begin with one). */
int cmp(const void *a, const void *b);
double pct(double *v, size_t n, double q);
int baseline(void);
long report(double secs, struct sample a, struct sample z,
            const struct sched *dev, const struct sched *cust);

#endif
