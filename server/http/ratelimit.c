/*
 * ratelimit.c - fixed-window attempt counters in an open-addressing table.
 *
 * An attempt is counted when it is taken, before the work it stands for,
 * under one lock: however many arrive at once, no more than the limit get
 * through in a window.  Keys are placed by SipHash (crypto_shorthash)
 * under a key drawn at start, so nobody can choose keys that land beside
 * another's counter; and a counter at its limit is never evicted while its
 * window lasts.  The table's size is fixed, so memory stays bounded
 * whatever an attacker sends: when every slot a key may use holds a
 * counter at its limit, that key is refused too (it waits for the first of
 * them to end).
 *
 * A slot counts failures and attempts still running (begun, not ended);
 * both count against the limit, and a slot with running attempts is not
 * evicted either.  Attempts that find the limit taken by running ones
 * wait on a condition variable that every end signals.
 */
#include "http/ratelimit.h"
#include "common/mem.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 65536 /* a power of two */
#define PROBES 32   /* slots a key may use, from its hash on */

struct slot {
    uint64_t id;   /* the key's SipHash */
    int64_t start; /* window start; 0 = empty */
    int failed;    /* attempts that count for the window */
    int running;   /* begun, not yet ended */
};

struct ratelimit {
    pthread_mutex_t mu;
    pthread_cond_t ended; /* an attempt ended */
    int limit;
    int64_t window;
    unsigned char secret[crypto_shorthash_KEYBYTES];
    struct slot slots[SLOTS];
};

struct ratelimit *ratelimit_new_keyed(int limit, int64_t window,
                                      const unsigned char *secret)
{
    struct ratelimit *rl = xcalloc(1, sizeof *rl);

    pthread_condattr_t attr;

    pthread_mutex_init(&rl->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&rl->ended, &attr);
    pthread_condattr_destroy(&attr);
    rl->limit = limit;
    rl->window = window;
    if (secret)
        memcpy(rl->secret, secret, sizeof rl->secret);
    else
        crypto_shorthash_keygen(rl->secret);
    return rl;
}

struct ratelimit *ratelimit_new(int limit, int64_t window)
{
    return ratelimit_new_keyed(limit, window, NULL);
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->mu);
    pthread_cond_destroy(&rl->ended);
    sodium_memzero(rl->secret, sizeof rl->secret);
    free(rl);
}

uint64_t ratelimit_id(const struct ratelimit *rl, const char *key)
{
    unsigned char h[crypto_shorthash_BYTES];
    uint64_t id;

    crypto_shorthash(h, (const unsigned char *)key, strlen(key), rl->secret);
    memcpy(&id, h, sizeof id);
    return id | 1; /* never 0 */
}

static int live(const struct ratelimit *rl, const struct slot *s, int64_t now)
{
    return s->start != 0 && now - s->start < rl->window;
}

static int used_up(const struct ratelimit *rl, const struct slot *s)
{
    return s->failed + s->running >= rl->limit;
}

static int locked(const struct ratelimit *rl, const struct slot *s,
                  int64_t now)
{
    return (live(rl, s, now) && used_up(rl, s)) || s->running > 0;
}

/*
 * The key's slot; else, with create, a free or ended one among its
 * probes, or the oldest that is not at its limit (emptied for the key).
 * NULL when there is none: every probe holds a locked counter, and
 * *wait is when the first of them ends.
 */
static struct slot *find(struct ratelimit *rl, uint64_t id, int64_t now,
                         int create, int64_t *wait)
{
    struct slot *victim = NULL;

    for (int p = 0; p < PROBES; p++) {
        struct slot *s = &rl->slots[(id + (uint64_t)p) & (SLOTS - 1)];

        if (s->start && s->id == id)
            return s;
        if (locked(rl, s, now)) {
            int64_t w = s->start + rl->window - now;
            if (w < 1) /* running past its window */
                w = 1;
            if (*wait == 0 || w < *wait)
                *wait = w;
            continue;
        }
        if (!victim || (live(rl, victim, now) &&
                        (!live(rl, s, now) || s->start < victim->start)))
            victim = s;
    }
    if (!create || !victim)
        return NULL;
    memset(victim, 0, sizeof *victim);
    victim->id = id;
    return victim;
}

/* The key's slot for an attempt now, its window begun afresh if the last
 * one ended; NULL as find()'s. */
static struct slot *slot_now(struct ratelimit *rl, const char *key,
                             int64_t now, int64_t *wait)
{
    struct slot *s = find(rl, ratelimit_id(rl, key), now, 1, wait);

    if (s && !live(rl, s, now)) {
        s->start = now;
        s->failed = 0;
    }
    return s;
}

int64_t ratelimit_take(struct ratelimit *rl, const char *key, int64_t now)
{
    int64_t wait = 0;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = slot_now(rl, key, now, &wait);
    if (s) {
        wait = used_up(rl, s) ? s->start + rl->window - now : 0;
        s->failed += !wait;
    }
    pthread_mutex_unlock(&rl->mu);
    return wait;
}

static struct timespec monotonic_after(int ms)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

int64_t ratelimit_begin(struct ratelimit *rl, const char *key, int64_t now,
                        int wait_ms)
{
    struct timespec until = monotonic_after(wait_ms);
    int64_t wait;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    for (;;) {
        wait = 0;
        s = slot_now(rl, key, now, &wait);
        if (!s)
            break;
        wait = 0;
        if (!used_up(rl, s)) {
            s->running++;
            break;
        }
        if (s->running == 0) {
            wait = s->start + rl->window - now;
            break;
        }
        if (pthread_cond_timedwait(&rl->ended, &rl->mu, &until) ==
            ETIMEDOUT) {
            wait = -1;
            break;
        }
    }
    pthread_mutex_unlock(&rl->mu);
    return wait;
}

void ratelimit_end(struct ratelimit *rl, const char *key,
                   enum attempt_end how)
{
    int64_t unused = 0;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = find(rl, ratelimit_id(rl, key), 0, 0, &unused);
    if (s && s->running > 0) {
        s->running--;
        if (how == ATTEMPT_FAILED)
            s->failed++;
        else if (how == ATTEMPT_CLEARS)
            s->failed = 0;
    }
    pthread_cond_broadcast(&rl->ended);
    pthread_mutex_unlock(&rl->mu);
}

int64_t ratelimit_check(struct ratelimit *rl, const char *key, int64_t now)
{
    int64_t wait = 0;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = find(rl, ratelimit_id(rl, key), now, 0, &wait);
    wait = s && live(rl, s, now) && used_up(rl, s)
               ? s->start + rl->window - now
               : 0;
    pthread_mutex_unlock(&rl->mu);
    return wait;
}
