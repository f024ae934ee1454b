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
 */
#include "ratelimit.h"
#include "mem.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 65536 /* a power of two */
#define PROBES 32   /* slots a key may use, from its hash on */

struct slot {
    uint64_t id;   /* the key's SipHash */
    int64_t start; /* window start; 0 = empty */
    int attempts;
};

struct ratelimit {
    pthread_mutex_t mu;
    int limit;
    int64_t window;
    unsigned char secret[crypto_shorthash_KEYBYTES];
    struct slot slots[SLOTS];
};

struct ratelimit *ratelimit_new_keyed(int limit, int64_t window,
                                      const unsigned char *secret)
{
    struct ratelimit *rl = xcalloc(1, sizeof *rl);

    pthread_mutex_init(&rl->mu, NULL);
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

static int locked(const struct ratelimit *rl, const struct slot *s,
                  int64_t now)
{
    return live(rl, s, now) && s->attempts >= rl->limit;
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
    victim->id = id;
    victim->start = 0;
    victim->attempts = 0;
    return victim;
}

int64_t ratelimit_take(struct ratelimit *rl, const char *key, int64_t now)
{
    uint64_t id = ratelimit_id(rl, key);
    int64_t wait = 0;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = find(rl, id, now, 1, &wait);
    if (s) {
        wait = 0;
        if (!live(rl, s, now)) {
            s->start = now;
            s->attempts = 0;
        }
        if (s->attempts >= rl->limit)
            wait = s->start + rl->window - now;
        else
            s->attempts++;
    }
    pthread_mutex_unlock(&rl->mu);
    return wait;
}

int64_t ratelimit_check(struct ratelimit *rl, const char *key, int64_t now)
{
    int64_t wait = 0;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = find(rl, ratelimit_id(rl, key), now, 0, &wait);
    wait = s && locked(rl, s, now) ? s->start + rl->window - now : 0;
    pthread_mutex_unlock(&rl->mu);
    return wait;
}

void ratelimit_give_back(struct ratelimit *rl, const char *key)
{
    int64_t unused = 0;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = find(rl, ratelimit_id(rl, key), 0, 0, &unused);
    if (s && s->attempts > 0)
        s->attempts--;
    pthread_mutex_unlock(&rl->mu);
}

void ratelimit_reset(struct ratelimit *rl, const char *key)
{
    int64_t unused = 0;
    struct slot *s;

    pthread_mutex_lock(&rl->mu);
    s = find(rl, ratelimit_id(rl, key), 0, 0, &unused);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&rl->mu);
}
