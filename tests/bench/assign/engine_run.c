/*
 * engine_run.c - timed engine runs in a forked child (see engine_run.h).
 *
 * The child inherits the loaded instance, so nothing is parsed inside the
 * measurement; it solves, measures, computes the metrics and the
 * independent check, writes one struct engine_out to the pipe and exits.
 * The parent only waits, with a timeout.  Both sides are the same binary,
 * so the struct is sent as bytes.
 */
#include "engine_run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void engine_trim(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long maxrss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void child(const struct instance *in, const unsigned char *coverable,
                  const struct engine_opts *o, int fd)
{
    struct engine_out r;
    struct assign_problem p = in->p;
    struct assign_plan plan;
    struct err err = ERR_INIT;
    struct inst_travel tr;
    long before = maxrss_kb(); /* a fresh child: its RSS at the fork */
    double t0;
    int rc;

    memset(&r, 0, sizeof r);
    memset(&plan, 0, sizeof plan);
    p.time_limit_ms = o->time_limit_ms;
    p.seed = in->seed;
    if (o->no_travel) {
        p.travel = assign_travel_none;
        p.travel_ctx = NULL;
    }
    t0 = now_ms();
    rc = assign_solve(&p, &plan, &err);
    r.ms = now_ms() - t0;
    r.mem_mb = (double)(maxrss_kb() - before) / 1024;
    if (rc) {
        snprintf(r.err, sizeof r.err, "assign_solve: %s (%s)", err.msg,
                 err.field);
    } else {
        r.ok = 1;
        metrics_of_plan(in, &p, &plan, coverable, &r.m);
        inst_travel_init(&tr, in, o->no_travel);
        r.m.check = metrics_check(
            in, &plan, &tr, o->no_travel ? "no travel" : "travel", o->show);
        inst_travel_release(&tr);
        assign_plan_release(&plan);
    }
    if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(1);
    _exit(0);
}

/* Read the child's report; 0 when it came whole within timeout_s. */
static int collect(int fd, struct engine_out *out, int timeout_s)
{
    size_t got = 0;
    double deadline = now_ms() + timeout_s * 1000.0;

    while (got < sizeof *out) {
        struct pollfd pfd = {fd, POLLIN, 0};
        double left = deadline - now_ms();
        ssize_t n;

        if (left <= 0)
            return -1;
        if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
            return -1;
        if (!pfd.revents)
            continue;
        n = read(fd, (char *)out + got, sizeof *out - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 1; /* the child died before reporting */
        got += (size_t)n;
    }
    return 0;
}

void engine_run(const struct instance *in, const unsigned char *coverable,
                const struct engine_opts *o, struct engine_out *out)
{
    int fds[2], status = 0, rc;
    pid_t pid;

    memset(out, 0, sizeof *out);
    fflush(NULL);
    if (pipe(fds) || (pid = fork()) < 0) {
        snprintf(out->err, sizeof out->err, "pipe/fork: %s", strerror(errno));
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        child(in, coverable, o, fds[1]);
    }
    close(fds[1]);
    rc = collect(fds[0], out, o->timeout_s);
    close(fds[0]);
    if (rc < 0)
        kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    if (rc < 0)
        snprintf(out->err, sizeof out->err, "no result after %d s: killed",
                 o->timeout_s);
    else if (rc > 0 && WIFSIGNALED(status))
        snprintf(out->err, sizeof out->err, "engine crashed: signal %d (%s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (rc > 0)
        snprintf(out->err, sizeof out->err, "child exited with status %d",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    if (rc)
        out->ok = 0;
}
