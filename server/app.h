/*
 * app.h - what every request handler can reach: settings, storage, metrics
 * and the login rate limiter.  One per running server, built in main.c.
 */
#ifndef FSD_APP_H
#define FSD_APP_H

#include "config.h"
#include "web/www.h"

struct board_cache;
struct keyring;
struct pwgate;
struct store;
struct metrics;
struct ratelimit;
struct route;

struct app {
    const struct config *cfg;
    struct store *store;
    struct metrics *metrics;
    struct ratelimit *login_limit;
    struct ratelimit *public_limit; /* customers' link routes, per address */
    const struct route *routes; /* the route table (routes.c) */
    size_t nroutes;
    char www_version[WWW_VERSION_TEXT]; /* of the static root (www.c) */
    struct board_cache *boards; /* the last boards rendered (board_cache.c) */
    struct pwgate *passwords;   /* password hashes at once (pwgate.h) */
    struct keyring *keys;       /* bundle-signing secrets (keyfile.h) */
};

#endif
