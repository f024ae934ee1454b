/*
 * storm.c - simulated devices (the real SDK, one client per thread) keep
 * recording notes on their technician's jobs and syncing, while the main
 * thread SIGKILLs the server at random moments and restarts it on the
 * same database and port.
 *
 * A device knows an action was received only when a verified bundle
 * acknowledged it: the SDK then removes it from the outbox in the same
 * local transaction.  So after every sync each device reads its outbox:
 * a note no longer pending is acked; one still pending after a failed
 * sync is retried (the SDK sends the very same batch bytes again).
 * Notes are the only actions, so the k-th note of a device is its
 * mutation "<device id>-<k+1>".  Any sync error other than a transient
 * one (refused, verification, local store) is a violated invariant.  The
 * storm ends with a kill while the devices upload, and leaves the server
 * down.
 */
#include "fault.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RETRY_ATTEMPTS 3
#define RETRY_BASE_MS 100
#define DRAIN_ROUNDS 60

static atomic_int stop_flag;

void fault_note_text(char *out, size_t size, int dev, size_t k)
{
    snprintf(out, size, "f%d-%zu", dev, k);
}

static void collect_job(const struct fsd_job_view *j, void *arg)
{
    struct fault_device *d = arg;

    if (d->njobs < FAULT_MAX_JOBS)
        d->jobs[d->njobs++] = (int64_t)j->id;
}

static int device_setup(struct fault_device *d, struct fault_api *a,
                        const struct fault_server *s, const char *dir)
{
    char code[32], err[256];

    snprintf(d->store, sizeof d->store, "%s/device-%d.db", dir, d->index);
    if (fsd_open(d->store, &d->c, err, sizeof err) != FSD_OK) {
        fprintf(stderr, "fault: %s: %s\n", d->store, err);
        return -1;
    }
    /* even devices retry only by syncing again, odd ones also inside
     * fsd_sync (the SDK's backoff); both resend the same batch bytes */
    fsd_set_retry(d->c, d->index % 2 ? RETRY_ATTEMPTS : 1, RETRY_BASE_MS);
    if (fault_api_code(a, d->tech, code, sizeof code) ||
        fsd_enroll(d->c, s->base, code, "fault-device") != FSD_OK ||
        fsd_sync(d->c, NULL) != FSD_OK ||
        fsd_jobs(d->c, collect_job, d) != FSD_OK || d->njobs == 0) {
        fprintf(stderr, "fault: device %d: %s\n", d->index,
                fsd_last_error(d->c));
        return -1;
    }
    d->id = (int64_t)fsd_device_id(d->c);
    d->srv = fault_sql_open(s->db);
    d->seed = (unsigned)(d->id * 7919 + 17);
    return 0;
}

int fault_devices_setup(struct fault_storm *st, struct fault_api *a,
                        const struct fault_server *s, const int64_t *techs,
                        int ntech, int ndev)
{
    st->devs = calloc((size_t)ndev, sizeof *st->devs);
    st->ndev = ndev;
    for (int i = 0; i < ndev; i++) {
        st->devs[i].index = i;
        st->devs[i].tech = techs[i % ntech];
        if (device_setup(&st->devs[i], a, s, s->dir))
            return -1;
    }
    return 0;
}

static int add_note(struct fault_device *d)
{
    struct fault_note *n;
    char text[48];
    int64_t job = d->jobs[rand_r(&d->seed) % (unsigned)d->njobs];

    fault_note_text(text, sizeof text, d->index, d->nnotes);
    if (fsd_note(d->c, (uint64_t)job, text) != FSD_OK) {
        fault_violation("device %d: recording a note failed: %s", d->index,
                        fsd_last_error(d->c));
        return -1;
    }
    if (d->nnotes == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 256;
        d->notes = realloc(d->notes, d->cap * sizeof *d->notes);
    }
    n = &d->notes[d->nnotes++];
    memset(n, 0, sizeof *n);
    snprintf(n->mid, sizeof n->mid, "%lld-%zu", (long long)d->id, d->nnotes);
    return 0;
}

struct scan {
    struct fault_device *d;
    unsigned char *state; /* per note: 0 gone, 1 pending, 2 refused */
};

static void on_item(const struct fsd_outbox_view *o, void *arg)
{
    struct scan *s = arg;
    const char *dash = strrchr(o->mutation_id, '-');
    size_t k = dash ? strtoul(dash + 1, NULL, 10) : 0;

    if (k == 0 || k > s->d->nnotes ||
        strcmp(s->d->notes[k - 1].mid, o->mutation_id)) {
        fault_violation("device %d: unknown outbox item %s", s->d->index,
                        o->mutation_id);
        return;
    }
    s->state[k - 1] = strcmp(o->state, "pending") ? 2 : 1;
}

/* Read the outbox: notes gone from it were acked by a verified bundle;
 * ones created before a failed sync and still pending will be retried. */
static void scan_outbox(struct fault_device *d, int failed, size_t before)
{
    struct scan s = {d, calloc(d->nnotes + 1, 1)};

    if (fsd_outbox(d->c, on_item, &s) != FSD_OK)
        fault_violation("device %d: reading the outbox: %s", d->index,
                        fsd_last_error(d->c));
    for (size_t k = 0; k < d->nnotes; k++) {
        struct fault_note *n = &d->notes[k];
        if (!n->acked && s.state[k] != 1) {
            n->acked = 1;
            n->refused = s.state[k] == 2;
        }
        if (failed && k < before && s.state[k] == 1)
            n->retried = 1;
    }
    free(s.state);
}

/* 1 when the server's database holds a result for the device's mid. */
static int committed(struct fault_device *d, const char *mid)
{
    sqlite3_stmt *st;
    int n = 0;

    if (!d->srv || sqlite3_prepare_v2(d->srv, "SELECT count(*) FROM"
                                              " device_mutations WHERE"
                                              " device_id = ?1 AND"
                                              " mutation_id = ?2", -1, &st,
                                      NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, d->id);
    sqlite3_bind_text(st, 2, mid, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n > 0;
}

/* After a failed sync: the notes the server committed all the same (the
 * kill took the reply); their retry must be answered, not applied. */
static void find_lost_acks(struct fault_device *d, size_t before)
{
    for (size_t k = 0; k < before; k++) {
        struct fault_note *n = &d->notes[k];
        if (!n->acked && !n->lost_ack && committed(d, n->mid))
            n->lost_ack = 1;
    }
}

/* One sync; transient failures are expected, anything else is not. */
static void sync_once(struct fault_device *d)
{
    size_t before = d->nnotes;
    int rc = fsd_sync(d->c, NULL);

    d->syncs++;
    if (rc == FSD_ERR_NETWORK) {
        d->failed++;
    } else if (rc != FSD_OK) {
        if (rc == FSD_ERR_REFUSED)
            d->refused++;
        else if (rc == FSD_ERR_VERIFY)
            d->verify++;
        else
            d->io++;
        fault_violation("device %d: sync failed (%d), which no kill"
                        " explains: %s", d->index, rc, fsd_last_error(d->c));
    }
    scan_outbox(d, rc != FSD_OK, before);
    if (rc != FSD_OK)
        find_lost_acks(d, before);
}

static void *device_main(void *arg)
{
    struct fault_device *d = arg;

    while (!atomic_load(&stop_flag)) {
        int add = 1 + (int)(rand_r(&d->seed) % 3);
        for (int i = 0; i < add; i++)
            if (add_note(d))
                return NULL;
        sync_once(d);
        fault_sleep_ms(10 + rand_r(&d->seed) % 50);
    }
    return NULL;
}

int fault_storm_run(struct fault_storm *st, struct fault_server *s,
                    double seconds, int min_kills)
{
    pthread_t *threads = calloc((size_t)st->ndev, sizeof *threads);
    double t0 = fault_now(), end = t0 + seconds, hard = end + seconds + 30;
    unsigned seed = (unsigned)t0 ^ 0x5eed;
    int rc = 0;

    atomic_store(&stop_flag, 0);
    for (int i = 0; i < st->ndev; i++)
        pthread_create(&threads[i], NULL, device_main, &st->devs[i]);
    while ((fault_now() < end || st->kills < min_kills) &&
           fault_now() < hard) {
        struct fault_plan p = {seconds, end - fault_now(), s->last_start_ms,
                               min_kills, st->kills};
        st->kinds[fault_kill_moment(s, &seed, &p)]++;
        fault_server_kill(s);
        st->kills++;
        if (fault_server_start(s)) {
            fault_violation("the server did not restart after kill %ld",
                            st->kills);
            rc = -1;
            break;
        }
    }
    /* the end is a kill too, just after a commit, with uploads in
     * flight: what they sent is un-acked, committed or not */
    if (rc == 0) {
        st->kinds[fault_await_commit(s, 0) == 0 ? FAULT_KILL_COMMIT
                                             : FAULT_KILL_TIMED]++;
        fault_server_kill(s);
        st->kills++;
    }
    atomic_store(&stop_flag, 1);
    for (int i = 0; i < st->ndev; i++)
        pthread_join(threads[i], NULL);
    st->seconds = fault_now() - t0;
    free(threads);
    return rc;
}

static size_t pending_notes(const struct fault_device *d)
{
    size_t n = 0;

    for (size_t k = 0; k < d->nnotes; k++)
        n += !d->notes[k].acked;
    return n;
}

int fault_devices_drain(struct fault_storm *st)
{
    int rc = 0;

    for (int i = 0; i < st->ndev; i++) {
        struct fault_device *d = &st->devs[i];
        for (int r = 0; r < DRAIN_ROUNDS && pending_notes(d); r++)
            sync_once(d);
        if (pending_notes(d)) {
            fault_violation("device %d: %zu notes never acked after the"
                            " storm: %s", i, pending_notes(d),
                            fsd_last_error(d->c));
            rc = -1;
        }
    }
    return rc;
}

void fault_devices_close(struct fault_storm *st)
{
    for (int i = 0; i < st->ndev; i++) {
        fsd_close(st->devs[i].c);
        sqlite3_close(st->devs[i].srv);
        free(st->devs[i].notes);
    }
    free(st->devs);
    st->devs = NULL;
}
