/*
 * ratelimit.h - counting attempts per key in a fixed window.
 *
 * Used for logins and customers' public routes: after `limit` attempts for
 * a key (a username, a client address) within `window` seconds, the key is
 * refused until the window that began with its first attempt ends.  An
 * attempt is taken before the work it stands for (a password check), so
 * concurrent ones cannot pass the limit; one that went well is given
 * back, and attempts waiting behind running ones get in when it is.
 * Thread-safe; the clock is passed in so tests control it.
 */
#ifndef FSD_RATELIMIT_H
#define FSD_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* Allocates; free with ratelimit_free.  Keys are hashed under a secret
 * drawn here. */
struct ratelimit *ratelimit_new(int limit, int64_t window);
/* The same with a given secret (crypto_shorthash_KEYBYTES), for tests. */
struct ratelimit *ratelimit_new_keyed(int limit, int64_t window,
                                      const unsigned char *secret);
void ratelimit_free(struct ratelimit *rl);
/* Count an attempt of key: 0 when it may go ahead, else the seconds until
 * it may (nothing counted). */
int64_t ratelimit_take(struct ratelimit *rl, const char *key, int64_t now);

/*
 * Begin an attempt of key whose outcome comes later (a password check):
 * it counts against the limit while it runs, and ratelimit_end() settles
 * it.  When the key's attempts are used up but some are still running,
 * one of which may yet go well and be given back, waits up to wait_ms for
 * them.  0: begun; > 0: seconds until the key has attempts again (nothing
 * begun); -1: the wait ran out with attempts still running.
 */
int64_t ratelimit_begin(struct ratelimit *rl, const char *key, int64_t now,
                        int wait_ms);

enum attempt_end {
    ATTEMPT_FAILED,    /* stays counted for the window */
    ATTEMPT_UNCOUNTED, /* did not happen, or went well: given back */
    ATTEMPT_CLEARS,    /* went well and forgives the key's failures */
};

void ratelimit_end(struct ratelimit *rl, const char *key,
                   enum attempt_end how);

/* 0 when key has attempts left now, else seconds until it has (counts
 * nothing). */
int64_t ratelimit_check(struct ratelimit *rl, const char *key, int64_t now);
/* The key's identity in rl's table (its keyed hash), for tests that place
 * keys. */
uint64_t ratelimit_id(const struct ratelimit *rl, const char *key);

#endif
