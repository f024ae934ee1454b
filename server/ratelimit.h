/*
 * ratelimit.h - counting failures per key in a fixed window.
 *
 * Used for logins: after `limit` failures for a key (a username or a client
 * address) within `window` seconds, the key is refused until the window
 * that began with its first failure ends.  Thread-safe; the clock is passed
 * in so tests control it.
 */
#ifndef FSD_RATELIMIT_H
#define FSD_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* Allocates; free with ratelimit_free. */
struct ratelimit *ratelimit_new(int limit, int64_t window);
void ratelimit_free(struct ratelimit *rl);
/* 0 when key may try now, else seconds until it may. */
int64_t ratelimit_check(struct ratelimit *rl, const char *key, int64_t now);
void ratelimit_fail(struct ratelimit *rl, const char *key, int64_t now);
/* Forget a key's failures (after a success). */
void ratelimit_reset(struct ratelimit *rl, const char *key);

#endif
