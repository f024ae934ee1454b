/*
 * tz.c - IANA time zones from compiled TZif files (RFC 8536): a defensive
 * parser, offset lookup, local-to-UTC conversion and the zone cache.
 *
 * It must not use TZ, tzset, localtime or mktime (process-global state),
 * nor read past a file's bytes: counts are checked against the size, type
 * indices against the type count, and offsets and times are bounded so no
 * arithmetic overflows.  A zone keeps only its transitions with the offset
 * after each, and the offset before the first.  The cache is a list under
 * one mutex, held while a missing zone is read (once per zone per process)
 * so concurrent first look-ups load it once; failures are not cached.
 */
#include "common/tz.h"

#include "common/mem.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_DIR "/usr/share/zoneinfo"
#define TZ_FILE_MAX (256 * 1024)    /* real zones are a few KiB */
#define TZ_HEADER 44                /* magic, version, reserved, 6 counts */
#define TZ_OFF_MAX (26 * 3600)      /* RFC 8536: |utoff| under 26 hours */
#define TZ_T_MAX (INT64_C(1) << 60) /* times are clamped to +-2^60 */
#define TZ_ERR(err, ...)                                                       \
    err_set(err, ERR_INVALID, "invalid_timezone", "timezone", __VA_ARGS__)

struct tz_trans {
    int64_t at;  /* UTC instant of the transition, clamped */
    int32_t off; /* UTC offset from it on */
};

struct tz {
    struct tz *next;            /* next in the cache, under cache_mu */
    char name[TZ_NAME_MAX + 1]; /* cache key; "" when loaded uncached */
    int32_t off0;               /* offset before the first transition */
    size_t n;                   /* transitions */
    struct tz_trans tr[];       /* strictly ascending in the file */
};

/* The six counts of a TZif header, in file order. */
enum { ISUT, ISSTD, LEAP, TIME, TYPE, CHAR };

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tz *cache; /* guarded by cache_mu */

/* A big-endian two's complement integer of w bytes (4 or 8), read
 * without implementation-defined conversions. */
static int64_t sbe(const unsigned char *p, int w)
{
    uint64_t u = p[0] & 0x80 ? UINT64_MAX : 0; /* sign-extended */

    for (int i = 0; i < w; i++)
        u = u << 8 | p[i];
    return u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

static int64_t clamp(int64_t t)
{
    return t < -TZ_T_MAX ? -TZ_T_MAX : t > TZ_T_MAX ? TZ_T_MAX : t;
}

/* Bytes in a data block with counts c and times w bytes wide (each count
 * is below 2^32, so the sum cannot overflow). */
static uint64_t block_len(const uint64_t c[6], int w)
{
    return c[TIME] * (w + 1) + c[TYPE] * 6 + c[CHAR] + c[LEAP] * (w + 4) +
           c[ISSTD] + c[ISUT];
}

/* Check the header at buf[*off] and that its data block, times w bytes
 * wide, fits in the file: its counts in c, *off moved to the block. */
static const char *header(const unsigned char *buf, size_t size, size_t *off,
                          int w, uint64_t c[6])
{
    const unsigned char *p = buf + *off;

    if (size - *off < TZ_HEADER)
        return "truncated header";
    if (memcmp(p, "TZif", 4))
        return "bad magic";
    if (p[4] != 0 && (p[4] < '2' || p[4] > '4'))
        return "unknown version";
    for (int i = 0; i < 6; i++)
        c[i] = (uint32_t)sbe(p + 20 + 4 * i, 4);
    *off += TZ_HEADER;
    if (block_len(c, w) > size - *off)
        return "truncated data";
    return NULL;
}

/* The zone in the checked data block at p, times w bytes wide. */
static const char *build(const unsigned char *p, const uint64_t c[6], int w,
                         struct tz **out)
{
    const unsigned char *idx = p + c[TIME] * w, *types = idx + c[TIME];
    int32_t offs[256];
    struct tz *z;

    for (size_t i = 0; i < c[TYPE]; i++) {
        int64_t o = sbe(types + 6 * i, 4);

        if (o < -TZ_OFF_MAX || o > TZ_OFF_MAX)
            return "offset out of range";
        offs[i] = (int32_t)o;
    }
    for (size_t i = 0; i < c[TIME]; i++) {
        if (idx[i] >= c[TYPE])
            return "bad type index";
        if (i && sbe(p + i * w, w) <= sbe(p + (i - 1) * w, w))
            return "transitions out of order";
    }
    z = xcalloc(1, sizeof *z + c[TIME] * sizeof z->tr[0]);
    z->off0 = offs[0]; /* RFC 8536: type 0 applies before the first */
    z->n = c[TIME];
    for (size_t i = 0; i < c[TIME]; i++) {
        z->tr[i].at = clamp(sbe(p + i * w, w)); /* may now tie */
        z->tr[i].off = offs[idx[i]];
    }
    *out = z;
    return NULL;
}

/* Parse a whole file, from its v2+ (64-bit) part when there is one. */
static const char *parse(const unsigned char *buf, size_t size, struct tz **out)
{
    uint64_t c[6];
    size_t off = 0;
    int w = 4;
    const char *why = header(buf, size, &off, w, c);

    if (!why && buf[4]) { /* skip the v1 data to the second header */
        off += block_len(c, w);
        w = 8;
        why = header(buf, size, &off, w, c);
    }
    if (why)
        return why;
    if (c[TYPE] == 0 || c[TYPE] > 256) /* type indices are one byte */
        return "bad type count";
    if (c[LEAP])
        return "leap seconds are not supported";
    return build(buf + off, c, w, out);
}

int tz_load_file(const char *path, struct tz **out, struct err *err)
{
    FILE *f = fopen(path, "rbe"); /* e: no descriptor leaks to children */
    unsigned char *buf;
    size_t size;
    const char *why;

    assert(path && out);
    if (!f)
        return TZ_ERR(err, "cannot open time zone file \"%s\"", path);
    buf = xmalloc(TZ_FILE_MAX + 1);
    size = fread(buf, 1, TZ_FILE_MAX + 1, f);
    why = ferror(f)            ? "unreadable" /* e.g. a directory */
          : size > TZ_FILE_MAX ? "too large"
                               : parse(buf, size, out);
    fclose(f);
    free(buf);
    if (why)
        return TZ_ERR(err, "\"%s\" is not a valid TZif file (%s)", path, why);
    return 0;
}

void tz_free(struct tz *z)
{
    free(z);
}

/* Index of the first transition after utc; n when there is none. */
static size_t after(const struct tz *z, int64_t utc)
{
    size_t lo = 0, hi = z->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (z->tr[mid].at <= utc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Offset in period k, the span between transitions k - 1 and k. */
static int32_t period_off(const struct tz *z, size_t k)
{
    return k ? z->tr[k - 1].off : z->off0;
}

int32_t tz_offset_at(const struct tz *z, int64_t utc)
{
    return period_off(z, after(z, utc));
}

/*
 * local - off is valid when it falls in the period whose offset is off;
 * only periods within TZ_OFF_MAX can, and the first valid one is the
 * earlier instant of an overlap.  With none, local is in the gap of a
 * transition t (t + before <= local < t + after): local - before.
 */
int64_t tz_local_to_utc(const struct tz *z, int64_t local)
{
    int64_t gap = INT64_MIN; /* none found */

    local = clamp(local);
    for (size_t k = after(z, local - TZ_OFF_MAX); k <= z->n; k++) {
        int32_t off = period_off(z, k);
        int64_t u = local - off;

        if (k > 0 && z->tr[k - 1].at > local + TZ_OFF_MAX)
            break;
        if ((k == 0 || u >= z->tr[k - 1].at) && (k == z->n || u < z->tr[k].at))
            return u;
        if (k < z->n && gap == INT64_MIN && z->tr[k].at + off <= local &&
            local < z->tr[k].at + z->tr[k].off)
            gap = u;
    }
    /* wall-clock time covers every value, so the fallback is unreachable */
    return gap != INT64_MIN ? gap : local - tz_offset_at(z, local);
}

/* Non-empty [A-Za-z0-9_+-] segments between single '/'s, so never "."
 * or "..", at most TZ_NAME_MAX bytes. */
static int name_ok(const char *s)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "abcdefghijklmnopqrstuvwxyz0123456789_+-";
    size_t seg;

    if (strnlen(s, TZ_NAME_MAX + 1) > TZ_NAME_MAX)
        return 0;
    while ((seg = strspn(s, ok)) > 0 && s[seg] == '/')
        s += seg + 1;
    return seg > 0 && !s[seg];
}

/* A bad name as a message may quote it: printable ASCII, cut short (the
 * message goes into JSON, and jansson refuses invalid UTF-8). */
static void shown(char *dst, const char *s)
{
    size_t i;

    for (i = 0; s[i] && i < TZ_NAME_MAX; i++)
        dst[i] = s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' ? '?' : s[i];
    strcpy(dst + i, s[i] ? "..." : "");
}

int tz_get(const char *name, const struct tz **out, struct err *err)
{
    char path[sizeof TZ_DIR + TZ_NAME_MAX + 1], quoted[TZ_NAME_MAX + 4];
    struct tz *z;
    int rc = 0;

    assert(name && out);
    if (!name_ok(name)) {
        shown(quoted, name);
        return TZ_ERR(err, "invalid time zone name \"%s\"", quoted);
    }
    pthread_mutex_lock(&cache_mu);
    for (z = cache; z && strcmp(z->name, name); z = z->next)
        ;
    if (!z) {
        snprintf(path, sizeof path, "%s/%s", TZ_DIR, name);
        /* the reason a system file is bad is not the client's business */
        if (tz_load_file(path, &z, NULL))
            rc = TZ_ERR(err, "unknown time zone \"%s\"", name);
        else {
            strcpy(z->name, name); /* name_ok: at most TZ_NAME_MAX */
            z->next = cache;
            cache = z;
        }
    }
    if (rc == 0)
        *out = z;
    pthread_mutex_unlock(&cache_mu);
    return rc;
}

void tz_cache_clear(void)
{
    pthread_mutex_lock(&cache_mu);
    while (cache) {
        struct tz *z = cache;

        cache = z->next;
        free(z);
    }
    pthread_mutex_unlock(&cache_mu);
}

const struct tz *tz_get_or_utc(const char *name)
{
    const struct tz *z = NULL;
    struct err ignored = ERR_INIT;

    if ((!name || tz_get(name, &z, &ignored)) && tz_get("UTC", &z, &ignored))
        z = NULL;
    return z;
}
