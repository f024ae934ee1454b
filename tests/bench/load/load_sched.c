/*
 * load_sched.c - schedules: events taken in time order by a pool of
 * workers, each event started at t0 plus its time, or skipped when it
 * could not start by the schedule's end; and parallel(), the same pool
 * running setup steps as fast as they go.  It knows nothing of what an
 * event does.
 */
#include "load.h"

#include <math.h>
#include <stdlib.h>

double t0, t_end;

void *sched_worker(void *arg)
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

void spawn(pthread_t *t, int n, void *(*fn)(void *), void *arg)
{
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, fn, arg ? arg : (void *)(intptr_t)i);
}

void join(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

/* fn(0..n-1) on SETUP_THREADS threads; 0 when all succeeded. */
int parallel(int n, void (*fn)(int))
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
