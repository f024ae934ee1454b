/*
 * moment.c - when to SIGKILL the server next.  Three kinds of random
 * moment, chosen at random:
 *
 *   timed   a random delay, on average the storm's length over the kills
 *           it needs (shorter when behind);
 *   soon    5-85 ms after the restart, while the devices' retries pour in;
 *   commit  right after the server wrote its WAL (inotify on fsd.db-wal),
 *           at once or when the writes went quiet for a millisecond: a
 *           commit is being written or synced, or is done and its replies
 *           are on their way, so the kill often takes acks of committed
 *           mutations with it - the retries must then be answered from
 *           the stored results.
 */
#include "fault.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

#define COMMIT_WAIT_MS 2000 /* for the first write */

static long timed_ms(unsigned *seed, const struct fault_plan *p)
{
    double avg = p->seconds / (p->min_kills + 5);
    double span;

    if (p->kills < p->min_kills && p->left / (p->min_kills - p->kills) < avg)
        avg = p->left > 0 ? p->left / (p->min_kills - p->kills) : 0.05;
    span = 2 * avg * 1000 - p->start_ms;
    if (span < 20)
        span = 20;
    return 10 + (long)(rand_r(seed) % (unsigned)span);
}

/* Drain the inotify events; 1 when there were any. */
static int drain(int fd)
{
    char buf[4096];
    struct pollfd pf = {fd, POLLIN, 0};
    int any = 0;

    while (poll(&pf, 1, 0) > 0 && read(fd, buf, sizeof buf) > 0)
        any = 1;
    return any;
}

int fault_await_commit(const struct fault_server *s, int quiet_ms)
{
    char wal[320];
    struct pollfd pf;
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK), rc = -1;

    snprintf(wal, sizeof wal, "%s-wal", s->db);
    if (fd < 0)
        return -1;
    pf.fd = fd;
    pf.events = POLLIN;
    if (inotify_add_watch(fd, wal, IN_MODIFY) >= 0 &&
        poll(&pf, 1, COMMIT_WAIT_MS) > 0) {
        drain(fd);
        while (quiet_ms > 0 && poll(&pf, 1, quiet_ms) > 0 && drain(fd))
            ;
        rc = 0;
    }
    close(fd);
    return rc;
}

int fault_kill_moment(const struct fault_server *s, unsigned *seed,
                      const struct fault_plan *p)
{
    int kind = (int)(rand_r(seed) % 3);

    if (kind == FAULT_KILL_COMMIT) {
        fault_sleep_ms(rand_r(seed) % 200);
        if (fault_await_commit(s, (int)(rand_r(seed) % 2)) == 0)
            return kind;
        kind = FAULT_KILL_TIMED;
    }
    fault_sleep_ms(kind == FAULT_KILL_SOON ? 5 + rand_r(seed) % 80
                                           : timed_ms(seed, p));
    return kind;
}
