/*
 * ratelimit.c - fixed-window failure counters in a small open-addressing
 * table.  When the table is full the oldest window is evicted, so memory
 * stays bounded whatever an attacker sends.
 */
#include "ratelimit.h"
#include "mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096
#define KEY_MAX 96

struct slot {
    char key[KEY_MAX];
    int64_t start; /* window start; 0 = empty */
    int failures;
};

struct ratelimit {
    pthread_mutex_t mu;
    int limit;
    int64_t window;
    struct slot slots[SLOTS];
};

struct ratelimit *ratelimit_new(int limit, int64_t window)
{
    struct ratelimit *rl = xcalloc(1, sizeof *rl);

    pthread_mutex_init(&rl->mu, NULL);
    rl->limit = limit;
    rl->window = window;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* The key's slot, or (create) a free, expired or oldest one nearby. */
static struct slot *find(struct ratelimit *rl, const char *key, int64_t now,
                         int create)
{
    uint32_t h = hash(key);
    struct slot *victim = NULL;
    int victim_free = 0;

    for (int probe = 0; probe < 16; probe++) {
        struct slot *s = &rl->slots[(h + (uint32_t)probe) % SLOTS];
        int expired = s->start == 0 || now - s->start >= rl->window;
        if (s->start && strncmp(s->key, key, KEY_MAX - 1) == 0)
            return s;
        if (!victim || (!victim_free && (expired || s->start < victim->start))) {
            victim = s;
            victim_free = expired;
        }
    }
    if (!create)
        return NULL;
    snprintf(victim->key, KEY_MAX, "%s", key);
    victim->start = 0;
    victim->failures = 0;
    return victim;
}

int64_t ratelimit_check(struct ratelimit *rl, const char *key, int64_t now)
{
    int64_t wait = 0;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = find(rl, key, now, 0);
    if (s && now - s->start < rl->window && s->failures >= rl->limit)
        wait = s->start + rl->window - now;
    pthread_mutex_unlock(&rl->mu);
    return wait;
}

void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now)
{
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = find(rl, key, now, 1);
    if (s->start == 0 || now - s->start >= rl->window) {
        s->start = now;
        s->failures = 0;
    }
    s->failures++;
    pthread_mutex_unlock(&rl->mu);
}

void ratelimit_reset(struct ratelimit *rl, const char *key)
{
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    if ((s = find(rl, key, 0, 0)) != NULL)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&rl->mu);
}
