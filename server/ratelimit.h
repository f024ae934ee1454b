/*
 * ratelimit.h - counting attempts per key in a fixed window.
 *
 * Used for logins and customers' public routes: after `limit` attempts for
 * a key (a username, a client address) within `window` seconds, the key is
 * refused until the window that began with its first attempt ends.  An
 * attempt is taken before the work it stands for (a password check), so
 * concurrent ones cannot pass the limit; one that went well can be given
 * back.  Thread-safe; the clock is passed in so tests control it.
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
/* 0 when key has attempts left now, else seconds until it has (counts
 * nothing). */
int64_t ratelimit_check(struct ratelimit *rl, const char *key, int64_t now);
/* An attempt of key that went well no longer counts. */
void ratelimit_give_back(struct ratelimit *rl, const char *key);
/* Forget a key's attempts. */
void ratelimit_reset(struct ratelimit *rl, const char *key);
/* The key's identity in rl's table (its keyed hash), for tests that place
 * keys. */
uint64_t ratelimit_id(const struct ratelimit *rl, const char *key);

#endif
