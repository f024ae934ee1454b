/*
 * router.h - matching request paths against route patterns.
 *
 * A pattern is a path whose segments are literals or {name} placeholders,
 * e.g. "/api/v1/jobs/{id}".  A placeholder matches one non-empty segment.
 * Pure string work: no HTTP, no allocation; captured values point into a
 * caller buffer.
 */
#ifndef FSD_ROUTER_H
#define FSD_ROUTER_H

#include <stddef.h>

#define ROUTER_MAX_PARAMS 4
#define ROUTER_MAX_PATH 1024

struct route_params {
    int count;
    const char *names[ROUTER_MAX_PARAMS];  /* borrowed from the pattern */
    size_t name_lens[ROUTER_MAX_PARAMS];
    char values[ROUTER_MAX_PARAMS][128];   /* captured segments, NUL-ended */
};

/*
 * 1 when path matches pattern (params filled), 0 otherwise.  A segment
 * longer than a params value buffer never matches.
 */
int router_match(const char *pattern, const char *path,
                 struct route_params *params);

/* The captured value for name, or NULL. */
const char *router_param(const struct route_params *params, const char *name);

#endif
