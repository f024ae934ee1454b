/*
 * deadline.c - a per-thread POSIX timer whose signal breaks a blocked read
 * once a time limit has passed (see deadline.h).
 *
 * The timer is created for one thread (SIGEV_THREAD_ID) and fires at an
 * absolute CLOCK_MONOTONIC time, then every REPEAT_NS: one signal could
 * land just before the thread enters poll(), the next one finds it there.
 * The handler only notes the expiry in a thread-local flag; the handler is
 * installed without SA_RESTART, so the interrupted call fails with EINTR.
 */
#define _GNU_SOURCE
#include "http/deadline.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* glibc names the thread's field only from 2.38 */
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define REPEAT_NS (20 * 1000000L)

static _Thread_local volatile sig_atomic_t expired;

static void on_deadline(int sig)
{
    (void)sig;
    expired = 1;
}

static int deadline_signal(void)
{
    return SIGRTMIN;
}

static void signal_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, deadline_signal());
}

int deadline_setup(void)
{
    struct sigaction sa;
    sigset_t set;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_deadline;
    sigemptyset(&sa.sa_mask);
    if (sigaction(deadline_signal(), &sa, NULL))
        return -1;
    signal_set(&set);
    errno = pthread_sigmask(SIG_BLOCK, &set, NULL);
    return errno ? -1 : 0;
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int arm(struct deadline *d)
{
    struct itimerspec when;

    memset(&when, 0, sizeof when);
    when.it_value.tv_sec = (time_t)(d->at_ns / 1000000000u);
    when.it_value.tv_nsec = (long)(d->at_ns % 1000000000u);
    when.it_interval.tv_nsec = REPEAT_NS;
    return timer_settime(d->timer, TIMER_ABSTIME, &when, NULL);
}

int deadline_start(struct deadline *d, long ms)
{
    struct sigevent ev;
    sigset_t set;

    memset(d, 0, sizeof *d);
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = deadline_signal();
    ev.sigev_notify_thread_id = gettid();
    if (timer_create(CLOCK_MONOTONIC, &ev, &d->timer))
        return -1;
    d->at_ns = monotonic_ns() + (uint64_t)ms * 1000000u;
    expired = 0;
    if (arm(d)) {
        int e = errno;

        timer_delete(d->timer);
        errno = e;
        return -1;
    }
    d->armed = 1;
    signal_set(&set);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return 0;
}

void deadline_extend(struct deadline *d, uint64_t ns)
{
    if (!d->armed || expired)
        return;
    d->at_ns += ns;
    arm(d);
}

int deadline_passed(const struct deadline *d)
{
    return d->armed && expired;
}

void deadline_stop(struct deadline *d)
{
    static const struct timespec now = {0, 0};
    sigset_t set;

    if (!d->armed)
        return;
    timer_delete(d->timer);
    signal_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    while (sigtimedwait(&set, NULL, &now) > 0)
        ;
    d->armed = 0;
}
