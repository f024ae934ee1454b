/*
 * devkill.c - the device side of the fault run: a device killed while it
 * applies a bundle.  Each episode enrolls a fresh device for one of the
 * storm's technicians, records a few notes on it, and lets a child process
 * (this program with --device-child, see devchild.c) make its large first
 * sync: the whole change log the storm left, in bundles of at most 500
 * changes.  The child is SIGKILLed again and again - by itself in the
 * middle of a bundle's local transaction (after its K-th job row, or as
 * that transaction is about to commit), or by this process at a random
 * moment - and restarted on the same store until its sync finishes.
 * After every kill the store is compared with the server's database
 * (devstore.c): before the bundle or after it, never between; killed
 * inside the transaction it must be before.
 */
#define _GNU_SOURCE
#include "fault.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#define CHILD_TIMEOUT_MS 60000
#define MAX_ROUNDS 100
#define STEP_MS 2

struct run {
    struct fault_server *s;
    struct fault_api *api;
    sqlite3 *srv;
    const char *dir;
    unsigned seed;
    struct fault_devkill *out;
    long sync_ms; /* the longest child run that finished */
};

static void remove_store(const char *store)
{
    char path[320];

    unlink(store);
    snprintf(path, sizeof path, "%s-wal", store);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", store);
    unlink(path);
}

/* A fresh enrolled store with FAULT_EP_NOTES notes waiting in it. */
static int episode_start(struct run *r, struct fault_episode *e,
                         int64_t tech, int n)
{
    char code[32], err[256], sql[160];
    fsd_client *c;
    int rc = 0;

    memset(e, 0, sizeof *e);
    e->tech = tech;
    snprintf(e->store, sizeof e->store, "%s/killed-%d.db", r->dir, n);
    snprintf(sql, sizeof sql, "SELECT min(id) FROM jobs WHERE"
             " technician_id = %lld", (long long)tech);
    e->job = fault_sql_int(r->srv, sql, 0);
    remove_store(e->store);
    if (fsd_open(e->store, &c, err, sizeof err) != FSD_OK) {
        fault_violation("device episode %d: %s", n, err);
        return -1;
    }
    if (fault_api_code(r->api, tech, code, sizeof code) ||
        fsd_enroll(c, r->s->base, code, "killed-device") != FSD_OK)
        rc = -1;
    e->device_id = (int64_t)fsd_device_id(c);
    for (int i = 0; rc == 0 && i < FAULT_EP_NOTES; i++) {
        snprintf(e->texts[i], sizeof e->texts[i], "dp%d-%d", n, i);
        snprintf(e->mids[i], sizeof e->mids[i], "%lld-%d",
                 (long long)e->device_id, i + 1);
        rc = fsd_note(c, (uint64_t)e->job, e->texts[i]) == FSD_OK ? 0 : -1;
    }
    if (rc)
        fault_violation("device episode %d: %s", n, fsd_last_error(c));
    fsd_close(c);
    return rc;
}

static pid_t spawn_child(const struct run *r, const char *store,
                         const char *mode, long k)
{
    char kbuf[24], log[320];
    pid_t parent = getpid(), pid;
    int fd;

    snprintf(kbuf, sizeof kbuf, "%ld", k);
    snprintf(log, sizeof log, "%s/device-child.log", r->dir);
    fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execl("/proc/self/exe", "fault", "--device-child", store, mode,
              kbuf, (char *)NULL);
        _exit(127);
    }
    if (fd >= 0)
        close(fd);
    return pid;
}

/* Run one child on store; its wait status (-1 if it could not run).
 * kill_ms >= 0: SIGKILL it that long after it started. */
static int run_child(const struct run *r, const char *store,
                     const char *mode, long k, long kill_ms)
{
    pid_t pid = spawn_child(r, store, mode, k);
    int st = -1;

    if (pid < 0)
        return -1;
    for (long waited = 0; waited <= CHILD_TIMEOUT_MS; waited += STEP_MS) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            return st;
        if (kill_ms >= 0 && waited >= kill_ms)
            kill(pid, SIGKILL);
        fault_sleep_ms(STEP_MS);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    fault_violation("the device child on %s did not finish", store);
    return -1;
}

static void count_kill(struct run *r, int mode, int pos)
{
    struct fault_devkill *o = r->out;

    o->kills++;
    o->row_kills += mode == 1;
    o->commit_kills += mode == 2;
    o->timed_kills += mode == 0;
    o->before += pos == FAULT_BEFORE;
    o->after += pos == FAULT_AFTER;
    o->between += pos == FAULT_BETWEEN;
}

/* One child run, perhaps killed; 1 when the episode's sync is done. */
static int one_round(struct run *r, const struct fault_episode *e)
{
    static const char *const modes[] = {"timed", "row", "commit"};
    int mode = (int)(rand_r(&r->seed) % 3), st, pos;
    long k = mode == 1 ? 1 + rand_r(&r->seed) % 40
                       : mode == 2 ? 1 + rand_r(&r->seed) % 6 : 0;
    long kill_ms = mode == 0 ? (long)(rand_r(&r->seed) % r->sync_ms) : -1;
    double t0 = fault_now();

    st = run_child(r, e->store, modes[mode], k, kill_ms);
    if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
        long ms = (long)((fault_now() - t0) * 1000);
        if (ms > r->sync_ms) /* timed kills spread over a whole run */
            r->sync_ms = ms;
        fault_store_check(e, r->srv, 1);
        return 1;
    }
    if (st < 0 || !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
        fault_violation("the device child on %s ended with status %d"
                        " (see device-child.log)", e->store, st);
        return 1;
    }
    pos = fault_store_check(e, r->srv, 0);
    count_kill(r, mode, pos);
    if (mode != 0 && pos == FAULT_AFTER)
        fault_violation("device %lld was killed inside a bundle's"
                        " transaction (%s %ld) yet the bundle is applied",
                        (long long)e->device_id, modes[mode], k);
    return 0;
}

/* Note how many bundles the device's first sync took. */
static void bundles(struct run *r, int64_t device)
{
    char sql[96];
    int64_t n;

    snprintf(sql, sizeof sql, "SELECT bundle_seq FROM devices WHERE"
             " id = %lld", (long long)device);
    n = fault_sql_int(r->srv, sql, 0);
    if (n > r->out->bundles)
        r->out->bundles = (int)n;
}

/* One fresh device synced under kills until done; -1 if it cannot be
 * set up. */
static int episode(struct run *r, int64_t tech, int n, double hard)
{
    struct fault_episode e;
    int done = 0;

    if (episode_start(r, &e, tech, n))
        return -1;
    r->out->episodes++;
    r->out->notes += FAULT_EP_NOTES;
    for (int i = 0; i < MAX_ROUNDS && !done && fault_now() < hard; i++)
        done = one_round(r, &e);
    if (!done) { /* out of time: finish the sync unharmed */
        int st = run_child(r, e.store, "timed", 0, -1);
        if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
            fault_violation("device %lld could not finish its sync",
                            (long long)e.device_id);
        else
            fault_store_check(&e, r->srv, 1);
    }
    r->out->completed++;
    bundles(r, e.device_id);
    return 0;
}

int fault_devkill_run(struct fault_server *s, struct fault_api *a,
                      int64_t tech, const char *dir, double seconds,
                      int min_kills, struct fault_devkill *out)
{
    struct run r = {s, a, fault_sql_open(s->db), dir,
                    (unsigned)fault_now() ^ 0xdead, out, 100};
    double end = fault_now() + seconds, hard = end + seconds + 60;
    int rc = 0;

    memset(out, 0, sizeof *out);
    if (!r.srv)
        return -1;
    for (int n = 0; rc == 0 && (fault_now() < end || out->kills < min_kills)
                    && fault_now() < hard; n++)
        rc = episode(&r, tech, n, hard);
    sqlite3_close(r.srv);
    return rc;
}
