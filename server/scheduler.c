/*
 * scheduler.c - one thread that wakes every interval and applies what has
 * come due: today, quotes that expired unanswered.
 *
 * It waits on a condition variable with a monotonic deadline, so stopping
 * is immediate and a change of the wall clock cannot stall it.  A tick's
 * storage error is logged and retried on the next tick; nothing is lost,
 * because the due work stays in the database until it is applied.
 */
#include "scheduler.h"
#include "common/log.h"
#include "common/mem.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct scheduler {
    struct store *store;
    long interval_ms;
    scheduler_clock clock;
    void *clock_arg;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
    long ticks;
};

int64_t scheduler_wall_clock(void *arg)
{
    (void)arg;
    return (int64_t)time(NULL);
}

static void tick(struct scheduler *s)
{
    struct err err = ERR_INIT;
    int expired = 0;

    if (store_quotes_expire(s->store, s->clock(s->clock_arg), &expired,
                            &err))
        log_error("scheduler: expiring quotes: %s", err.msg);
    else if (expired)
        log_info("scheduler: %d quote(s) expired unanswered", expired);
}

static void deadline_after(struct timespec *ts, long ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *run(void *arg)
{
    struct scheduler *s = arg;
    struct timespec at;

    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->lock);
        tick(s);
        pthread_mutex_lock(&s->lock);
        s->ticks++;
        deadline_after(&at, s->interval_ms);
        while (!s->stopping &&
               pthread_cond_timedwait(&s->wake, &s->lock, &at) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

struct scheduler *scheduler_start(struct store *store, long interval_ms,
                                  scheduler_clock clock, void *clock_arg)
{
    struct scheduler *s = xcalloc(1, sizeof *s);
    pthread_condattr_t attr;

    s->store = store;
    s->interval_ms = interval_ms;
    s->clock = clock;
    s->clock_arg = clock_arg;
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        log_error("scheduler: cannot start its thread");
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    return s;
}

long scheduler_ticks(struct scheduler *s)
{
    long n;

    pthread_mutex_lock(&s->lock);
    n = s->ticks;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void scheduler_stop(struct scheduler *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
