/*
 * fault_main.c - the crash-safety run (make fault): the real fsd-server
 * and the real device SDK, with SIGKILLs.
 *
 *   fault [--server build/fsd-server] [--dir build/fault/run]
 *         [--seconds 60] [--devices 12]
 *
 * 1. init + demo a scratch database, serve it on a loopback port, log in
 *    as the demo dispatcher, give every technician jobs, enroll devices.
 * 2. Storm (about half the time): the devices upload notes while the
 *    server is SIGKILLed and restarted at random moments (at least 20
 *    times); it ends with a kill.  The database is read: an acked note is
 *    there exactly once, an un-acked one absent or once, never twice.
 * 3. The server comes back, every device syncs its outbox empty: now
 *    every note is there exactly once (the retries were deduplicated).
 * 4. Devices killed mid-apply (a quarter of the time, at least 20 kills;
 *    devkill.c): their stores are before or after a bundle, never between.
 * 5. SIGTERM; integrity_check, foreign_key_check, gaps in the change log.
 * The figures go to stdout; the exit status is 1 when any invariant was
 * violated (each violation is printed on stderr), 2 when the run could
 * not be set up.  Scratch files stay in --dir for inspection.
 */
#define _GNU_SOURCE
#include "fault.h"

#include <curl/curl.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SHOWN 40

struct options {
    const char *server, *dir;
    double seconds;
    int devices;
};

static pthread_mutex_t violation_lock = PTHREAD_MUTEX_INITIALIZER;
static long violations;

void fault_violation(const char *fmt, ...)
{
    va_list ap;

    pthread_mutex_lock(&violation_lock);
    if (++violations <= MAX_SHOWN) {
        va_start(ap, fmt);
        fputs("fault: VIOLATION: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
    pthread_mutex_unlock(&violation_lock);
}

double fault_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void fault_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static int parse(int argc, char **argv, struct options *o)
{
    const char *env = getenv("FAULT_SECONDS");

    o->server = "build/fsd-server";
    o->dir = "build/fault/run";
    o->seconds = env && atof(env) > 0 ? atof(env) : 60;
    o->devices = 12;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--server"))
            o->server = argv[i + 1];
        else if (!strcmp(argv[i], "--dir"))
            o->dir = argv[i + 1];
        else if (!strcmp(argv[i], "--seconds"))
            o->seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--devices"))
            o->devices = atoi(argv[i + 1]);
        else
            return -1;
    }
    return argc % 2 == 1 && o->seconds >= 10 && o->devices > 0 ? 0 : -1;
}

/* The server's children get no FSD_* settings from our environment. */
static void clear_fsd_env(void)
{
    extern char **environ;
    char name[128];

    for (int again = 1; again;) {
        again = 0;
        for (char **e = environ; *e; e++)
            if (!strncmp(*e, "FSD_", 4)) {
                snprintf(name, sizeof name, "%.*s",
                         (int)strcspn(*e, "="), *e);
                unsetenv(name);
                again = 1;
                break;
            }
    }
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* A fresh scratch directory (what a previous run left is removed; only
 * from a path that names the fault run, like build/fault/run). */
static int fresh_dir(const char *dir)
{
    char parent[256];
    char *slash;

    if (!strstr(dir, "fault")) {
        fprintf(stderr, "fault: --dir must have \"fault\" in its path\n");
        return -1;
    }
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    snprintf(parent, sizeof parent, "%s", dir);
    if ((slash = strrchr(parent, '/')))
        *slash = '\0', mkdir(parent, 0700);
    return mkdir(dir, 0700) == 0 ? 0 : -1;
}

/* Server up, jobs for every technician, devices enrolled. */
static int set_up(const struct options *o, struct fault_server *s,
                  struct fault_api **api, struct fault_storm *st,
                  int64_t *techs)
{
    int ntech;

    if (fresh_dir(o->dir) || fault_server_init(s, o->server, o->dir) ||
        fault_server_start(s) || !(*api = fault_api_login(s->base)))
        return -1;
    ntech = fault_api_technicians(*api, techs, FAULT_TECHS);
    if (ntech == 0)
        return -1;
    for (int t = 0; t < ntech; t++)
        for (int j = 0; j < FAULT_JOBS_PER_TECH; j++)
            if (!fault_api_assigned_job(*api, techs[t]))
                return -1;
    return fault_devices_setup(st, *api, s, techs, ntech, o->devices);
}

struct totals {
    long syncs, failed, refused, verify, io;
};

static struct totals device_totals(const struct fault_storm *st)
{
    struct totals t = {0, 0, 0, 0, 0};

    for (int i = 0; i < st->ndev; i++) {
        t.syncs += st->devs[i].syncs;
        t.failed += st->devs[i].failed;
        t.refused += st->devs[i].refused;
        t.verify += st->devs[i].verify;
        t.io += st->devs[i].io;
    }
    return t;
}

static void print_storm(const struct fault_storm *st,
                        const struct fault_counts *a,
                        const struct fault_counts *b)
{
    struct totals t = device_totals(st);

    printf("server kills:           %ld in %.1f s (%ld at random delays,"
           " %ld soon after a restart, %ld right after a commit), %d"
           " devices\n", st->kills, st->seconds,
           st->kinds[FAULT_KILL_TIMED], st->kinds[FAULT_KILL_SOON],
           st->kinds[FAULT_KILL_COMMIT], st->ndev);
    printf("syncs:                  %ld: %ld failed transiently, %ld"
           " refused, %ld failed verification, %ld local store errors\n",
           t.syncs, t.failed, t.refused, t.verify, t.io);
    printf("mutations sent:         %ld\n", b->sent);
    printf("acked during the storm: %ld (by verified bundles; %ld of them"
           " rejected or conflict)\n", a->acked, a->refused);
    printf("retried:                %ld (pending through a failed sync;"
           " %ld of them committed, their ack lost in the kill)\n",
           b->retried, b->lost_acks);
    printf("after the storm:        acked %ld: once %ld, lost %ld;"
           " un-acked %ld: once %ld, absent %ld; duplicated %ld\n",
           a->acked, a->acked - a->lost, a->lost, a->unacked,
           a->unacked_once, a->unacked_absent, a->duplicated);
    printf("after the retries:      found once %ld, absent %ld,"
           " duplicated %ld, results missing %ld\n", b->once, b->absent,
           b->duplicated, b->unremembered + a->unremembered);
}

static void print_health(const char *when, const struct fault_health *h)
{
    printf("%s: integrity_check %s, foreign_key_check rows %ld, change-log"
           " gaps %ld (%ld changes)\n", when, h->integrity, h->fk_rows,
           h->gaps, h->changes);
}

static void check_health(const char *db, const char *when,
                         struct fault_health *h)
{
    if (fault_check_health(db, h))
        fault_violation("%s the database is not healthy: integrity %s, %ld"
                        " foreign key rows, %ld gaps", when, h->integrity,
                        h->fk_rows, h->gaps);
}

static void print_devkill(const struct fault_devkill *d)
{
    printf("device kills:           %d mid-sync (%d at a job row inside"
           " the bundle's transaction, %d at its commit, %d at random"
           " moments) over %d devices, %d notes, first syncs of up to %d"
           " bundles\n", d->kills, d->row_kills, d->commit_kills,
           d->timed_kills, d->episodes, d->notes, d->bundles);
    printf("device store after kill: before the bundle %d, after it %d,"
           " between %d\n", d->before, d->after, d->between);
}

/* Phases 2-5 on a set-up world; the figures are printed. */
static void run(const struct options *o, struct fault_server *s,
                struct fault_api *api, struct fault_storm *st,
                int64_t tech)
{
    struct fault_counts after_storm, after_retry, final;
    struct fault_health crashed, health;
    struct fault_devkill dk;

    fault_storm_run(st, s, o->seconds * 0.5, FAULT_MIN_KILLS);
    if (fault_check_notes(s->db, st, 0, &after_storm)) /* server down */
        fault_violation("the database cannot be read after the storm");
    check_health(s->db, "after the last kill", &crashed);
    if (fault_server_start(s) == 0)
        fault_devices_drain(st);
    else
        fault_violation("the server did not start after the storm");
    if (fault_check_notes(s->db, st, 1, &after_retry))
        fault_violation("the database cannot be read after the retries");
    print_storm(st, &after_storm, &after_retry);
    fflush(stdout);
    if (fault_devkill_run(s, api, tech, o->dir, o->seconds * 0.25,
                          FAULT_MIN_KILLS, &dk))
        fault_violation("the devices to kill could not be set up");
    print_devkill(&dk);
    if (fault_server_stop(s) != 0)
        fault_violation("the server did not stop cleanly on SIGTERM");
    check_health(s->db, "at the end", &health);
    if (fault_check_notes(s->db, st, 1, &final) || final.once != final.sent)
        fault_violation("after the device phase %ld of %ld notes are there"
                        " once", final.once, final.sent);
    print_health("database after the last kill", &crashed);
    print_health("database at the end (SIGTERM)", &health);
}

int main(int argc, char **argv)
{
    struct options o;
    struct fault_server s = {0};
    struct fault_storm st = {0};
    struct fault_api *api = NULL;
    int64_t techs[FAULT_TECHS];
    double t0 = fault_now();

    if (argc > 1 && !strcmp(argv[1], "--device-child"))
        return fault_device_child(argc - 2, argv + 2);
    if (parse(argc, argv, &o)) {
        fprintf(stderr, "usage: %s [--server PATH] [--dir DIR] [--seconds"
                " N>=10] [--devices N]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* in order with stderr */
    clear_fsd_env();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    printf("fault: %.0f s, server %s, scratch %s\n", o.seconds, o.server,
           o.dir);
    if (set_up(&o, &s, &api, &st, techs)) {
        fprintf(stderr, "fault: FAIL: setting up failed (see %s/server.log)\n",
                o.dir);
        fault_server_kill(&s);
        return 2;
    }
    run(&o, &s, api, &st, st.devs[0].tech);
    fault_server_kill(&s);
    fault_devices_close(&st);
    fault_api_free(api);
    curl_global_cleanup();
    printf("fault: %s in %.1f s, %ld violations\n",
           violations ? "FAIL" : "PASS", fault_now() - t0, violations);
    return violations ? 1 : 0;
}
