/*
 * router.c - segment-by-segment matching of paths against route patterns.
 *
 * It knows nothing of methods or roles; http.c walks the route table and
 * uses router_match() to decide between a handler, 404 and 405.
 */
#include "http/router.h"

#include <string.h>

/* Length of the segment starting at s (up to '/' or end). */
static size_t seg_len(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash ? (size_t)(slash - s) : strlen(s);
}

int router_match(const char *pattern, const char *path,
                 struct route_params *params)
{
    const char *p = pattern, *q = path;

    params->count = 0;
    while (*p && *q) {
        size_t pl, ql;

        if (*p != '/' || *q != '/')
            return 0;
        p++, q++;
        pl = seg_len(p);
        ql = seg_len(q);
        if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
            int i = params->count;
            if (ql == 0 || ql >= sizeof params->values[0] ||
                i == ROUTER_MAX_PARAMS)
                return 0;
            params->names[i] = p + 1;
            params->name_lens[i] = pl - 2;
            memcpy(params->values[i], q, ql);
            params->values[i][ql] = '\0';
            params->count++;
        } else if (pl != ql || memcmp(p, q, pl) != 0) {
            return 0;
        }
        p += pl;
        q += ql;
    }
    return *p == '\0' && *q == '\0';
}

const char *router_param(const struct route_params *params, const char *name)
{
    size_t n = strlen(name);

    for (int i = 0; i < params->count; i++)
        if (params->name_lens[i] == n && memcmp(params->names[i], name, n) == 0)
            return params->values[i];
    return NULL;
}
