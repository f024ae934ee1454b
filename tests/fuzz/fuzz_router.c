/*
 * fuzz_router.c - path matching against the real route table (router.h,
 * routes.c's api_routes) and what handlers do first with the captured
 * parameters: http_param_id for {id}-like ids, api_public_token for a
 * customer's {token}, www_content_type for /static/{version}/{file}.
 *
 * Feeds: mode 0, a request path (the rest of the input, cut at a NUL and
 * at ROUTER_MAX_PATH) matched against every pattern; mode 1, a route index
 * and one value per placeholder, substituted into that route's pattern.
 * Linking api_routes pulls in every handler, hence the whole server.
 * Checks: router_match agrees with an independent segment-by-segment
 * matcher; a match captures exactly the pattern's placeholders, each
 * non-empty, without '/', under 128 bytes, and substituting them back
 * into the pattern gives the path; router_param finds each by name; a
 * path built from valid values always matches its pattern with those
 * values; http_param_id accepts exactly [1-9][0-9]* that fits in int64,
 * as that number, and refuses anything else with the one 404 of a
 * resource that does not exist; api_public_token
 * accepts exactly 43 base64url characters and returns BLAKE2b-256 of
 * them, else the one 404; www_content_type accepts only plain names with
 * a served extension.
 */
#include "api/api.h"
#include "common/sec.h"
#include "fuzz.h"
#include "web/www.h"

#include <errno.h>

#define MAX_SEGS (ROUTER_MAX_PATH + 2)

/* Split s at '/' after its leading one: the segments (pointers into a
 * copy, which the caller frees) and their count; 0 when s does not start
 * with '/'. */
static size_t split(const char *s, char **copy, char *seg[MAX_SEGS])
{
    size_t n = 0;
    char *p;

    *copy = NULL;
    if (s[0] != '/')
        return 0;
    *copy = strdup(s + 1);
    for (p = *copy;; n++) {
        char *slash = strchr(p, '/');
        seg[n] = p;
        if (!slash)
            break;
        *slash = '\0';
        p = slash + 1;
    }
    return n + 1;
}

static int placeholder(const char *seg)
{
    size_t n = strlen(seg);

    return n >= 2 && seg[0] == '{' && seg[n - 1] == '}';
}

/* The reference: same segment count, literals equal, each placeholder
 * takes a non-empty segment under 128 bytes, at most 4 of them. */
static int ref_match(const char *pattern, const char *path)
{
    static char *ps[MAX_SEGS], *qs[MAX_SEGS];
    char *pc, *qc;
    size_t np = split(pattern, &pc, ps), nq = split(path, &qc, qs);
    int ok = np == nq && np > 0, params = 0;

    for (size_t i = 0; ok && i < np; i++) {
        if (placeholder(ps[i]))
            ok = qs[i][0] && strlen(qs[i]) < 128 && ++params <= 4;
        else
            ok = strcmp(ps[i], qs[i]) == 0;
    }
    free(pc);
    free(qc);
    return ok || (!*pattern && !*path);
}

static void check_id(struct req *req, const char *name, const char *v)
{
    struct err err = ERR_INIT;
    int64_t id = 0;
    char *end, want_msg[sizeof err.msg]; /* cut as err_set cuts */
    long long want;
    int ok;

    /* the reference: digits only, no leading zero, and strtoll reads it
     * whole without saturating */
    errno = 0;
    want = strtoll(v, &end, 10);
    ok = v[0] >= '1' && v[0] <= '9' && strspn(v, "0123456789") == strlen(v) &&
         !*end && errno != ERANGE;
    if (http_param_id(req, name, &id, &err) == 0) {
        char canon[24];

        FUZZ_CHECK(ok && id == want, "\"%s\" accepted as id %lld", v,
                   (long long)id);
        snprintf(canon, sizeof canon, "%lld", (long long)id);
        FUZZ_CHECK(strcmp(canon, v) == 0, "\"%s\" is id %s", v, canon);
    } else {
        FUZZ_CHECK(!ok, "\"%s\" refused as an id", v);
        snprintf(want_msg, sizeof want_msg, "no such resource: %s",
                 req->path);
        FUZZ_CHECK(err.rc == ERR_NOT_FOUND && !strcmp(err.code, "not_found") &&
                       !strcmp(err.msg, want_msg),
                   "refused with %d %s \"%s\"", err.rc, err.code, err.msg);
    }
}

static void check_token(struct req *req, const char *v)
{
    static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "abcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char hash[32], want[32];
    struct err err = ERR_INIT;
    int ok = strlen(v) == 43 && strspn(v, b64url) == 43;

    if (api_public_token(req, hash, &err) == 0) {
        FUZZ_CHECK(ok, "token \"%s\" accepted", v);
        crypto_generichash(want, 32, (const unsigned char *)v, strlen(v),
                           NULL, 0);
        FUZZ_CHECK(memcmp(hash, want, 32) == 0, "token hash");
    } else {
        FUZZ_CHECK(!ok, "token \"%s\" refused", v);
        FUZZ_CHECK(err.rc == ERR_NOT_FOUND &&
                       strcmp(err.msg, STORE_LINK_INVALID) == 0,
                   "token refused with %d \"%s\"", err.rc, err.msg);
    }
}

static void check_file(const char *v)
{
    static const char *const ext[] = {".html", ".js", ".css", ".svg", ".png"};
    static const char ok_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "abcdefghijklmnopqrstuvwxyz0123456789-_.";
    size_t n = strlen(v);
    int ok = v[0] != '.' && strspn(v, ok_chars) == n, known = 0;

    for (size_t i = 0; i < 5; i++) {
        size_t e = strlen(ext[i]);
        known |= n > e && strcmp(v + n - e, ext[i]) == 0;
    }
    if (www_content_type(v))
        FUZZ_CHECK(ok && known, "\"%s\" would be served", v);
}

/* The handlers' first look at the captured values. */
static void check_params(const char *path, const struct route_params *p)
{
    struct req req;

    memset(&req, 0, sizeof req);
    req.path = path;
    req.params = *p;
    for (int i = 0; i < p->count; i++) {
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)p->name_lens[i],
                 p->names[i]);
        FUZZ_CHECK(router_param(p, name) == p->values[i] ||
                       strcmp(router_param(p, name), p->values[i]) == 0,
                   "router_param(%s)", name);
        if (strcmp(name, "token") == 0)
            check_token(&req, p->values[i]);
        else if (strcmp(name, "file") == 0)
            check_file(p->values[i]);
        else if (strcmp(name, "version") != 0)
            check_id(&req, name, p->values[i]);
    }
    FUZZ_CHECK(router_param(p, "no-such-param") == NULL, "unknown param");
}

/* Substitute p's values into pattern: must give path back. */
static void check_rebuild(const char *pattern, const char *path,
                          const struct route_params *p)
{
    char out[ROUTER_MAX_PATH * 2 + 8];
    size_t o = 0;
    int k = 0;

    for (const char *s = pattern; *s;) {
        size_t len = strcspn(s + 1, "/") + 1; /* "/seg" */
        if (len >= 3 && s[1] == '{' && s[len - 1] == '}') {
            FUZZ_CHECK(k < p->count, "too few params for %s", pattern);
            FUZZ_CHECK(p->name_lens[k] == len - 3 &&
                           memcmp(p->names[k], s + 2, len - 3) == 0,
                       "param %d name", k);
            o += (size_t)snprintf(out + o, sizeof out - o, "/%s",
                                  p->values[k]);
            k++;
        } else {
            memcpy(out + o, s, len);
            o += len;
        }
        s += len;
    }
    out[o] = '\0';
    FUZZ_CHECK(k == p->count, "%d params for %s", p->count, pattern);
    FUZZ_CHECK(strcmp(out, path) == 0, "%s rebuilt as %s", path, out);
}

static void match_all(const char *path)
{
    for (size_t i = 0; i < api_nroutes; i++) {
        const char *pattern = api_routes[i].pattern;
        struct route_params p;
        int m = router_match(pattern, path, &p);

        FUZZ_CHECK(m == ref_match(pattern, path), "%s vs %s: %d", pattern,
                   path, m);
        if (!m)
            continue;
        for (int k = 0; k < p.count; k++)
            FUZZ_CHECK(p.values[k][0] && !strchr(p.values[k], '/') &&
                           strlen(p.values[k]) < 128,
                       "value \"%s\"", p.values[k]);
        check_rebuild(pattern, path, &p);
        check_params(path, &p);
    }
}

/* Mode 1: a route's pattern with values from the input. */
static void build_one(struct fuzz_in *in)
{
    const char *pattern = api_routes[fuzz_u8(in) % api_nroutes].pattern;
    char path[ROUTER_MAX_PATH * 4], *vals[ROUTER_MAX_PARAMS + 1];
    size_t o = 0;
    int k = 0, valid = 1;
    struct route_params p;

    for (const char *s = pattern; *s;) {
        size_t len = strcspn(s + 1, "/") + 1;
        if (len >= 3 && s[1] == '{' && s[len - 1] == '}' && k <= 4) {
            size_t n;
            const uint8_t *b = fuzz_bytes(in, fuzz_u8(in), &n);
            char *v = fuzz_strndup(b, n);
            valid &= v[0] && strlen(v) == n && !strchr(v, '/') && n < 128;
            o += (size_t)snprintf(path + o, sizeof path - o, "/%s", v);
            vals[k++] = v;
        } else {
            memcpy(path + o, s, len);
            o += len;
        }
        s += len;
    }
    path[o] = '\0';
    if (valid) {
        FUZZ_CHECK(router_match(pattern, path, &p), "%s does not match %s",
                   path, pattern);
        FUZZ_CHECK(p.count == k, "%d of %d params", p.count, k);
        for (int i = 0; i < k; i++)
            FUZZ_CHECK(strcmp(p.values[i], vals[i]) == 0, "param %d", i);
        check_params(path, &p);
    }
    match_all(path);
    for (int i = 0; i < k; i++)
        free(vals[i]);
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    char *path;

    if (fuzz_u8(&in) & 1) {
        build_one(&in);
        return 0;
    }
    path = fuzz_rest_str(&in);
    if (strlen(path) < ROUTER_MAX_PATH)
        match_all(path);
    free(path);
    return 0;
}

FUZZ_TARGET(fuzz_one)
