/*
 * pwgate.c - a counting gate with a timed wait (see pwgate.h): a mutex, a
 * condition variable on the monotonic clock and the number of free slots.
 */
#include "http/pwgate.h"
#include "common/mem.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct pwgate {
    pthread_mutex_t mu;
    pthread_cond_t freed;
    int free_slots;
};

struct pwgate *pwgate_new(int slots)
{
    struct pwgate *g = xcalloc(1, sizeof *g);
    pthread_condattr_t attr;

    pthread_mutex_init(&g->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&g->freed, &attr);
    pthread_condattr_destroy(&attr);
    g->free_slots = slots;
    return g;
}

void pwgate_free(struct pwgate *g)
{
    if (!g)
        return;
    pthread_cond_destroy(&g->freed);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

int pwgate_enter(struct pwgate *g, long wait_ms)
{
    struct timespec until;
    int rc = 0;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&g->mu);
    while (g->free_slots == 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&g->freed, &g->mu, &until);
    if (g->free_slots > 0) {
        g->free_slots--;
        rc = 0;
    }
    pthread_mutex_unlock(&g->mu);
    return rc == 0 ? 0 : -1;
}

void pwgate_leave(struct pwgate *g)
{
    pthread_mutex_lock(&g->mu);
    g->free_slots++;
    pthread_cond_signal(&g->freed);
    pthread_mutex_unlock(&g->mu);
}
