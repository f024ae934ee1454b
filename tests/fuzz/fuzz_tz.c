/*
 * fuzz_tz.c - the TZif reader and the zone arithmetic (tz.h).
 *
 * Feeds: mode 0, the input as a file for tz_load_file (written to one
 * temporary file, rewritten per input; the seeds are real zoneinfo
 * files); mode 1, a zone described compactly (type offsets, transition
 * times and type indices) and written as a well-formed TZif v2 file, so
 * the fuzzer explores zones rather than headers; mode 2, a name for
 * tz_get (the only file names a client chooses).
 * Checks: a raw file either loads or fails with "invalid_timezone"; a
 * built file loads exactly when every offset is within 26 hours, and then
 * tz_offset_at agrees with a linear scan of the transitions; for every
 * loaded zone and probe instant u (input values, each transition and its
 * neighbours) the offset is within 26 hours, and the local time
 * L = u + offset(u) converts back to an instant r with r + offset(r) = L
 * and r <= u (the earlier of an overlap); tz_local_to_utc never
 * overflows on any input (UBSan); tz_get accepts only well-formed names
 * (no "..", no leading '/', at most 64 bytes) and quotes refused ones as
 * printable ASCII.
 */
#include "common/tz.h"
#include "fuzz.h"

#include <fcntl.h>
#include <unistd.h>

#define OFF_MAX (26 * 3600)
#define MAX_TRANS 64

static char path[64];

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "%s/fsd-fuzz-tz-XXXXXX",
             dir && strlen(dir) < 40 ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    atexit(cleanup);
    return 0;
}

static void write_file(const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f))
        abort();
}

/* A described zone: the reference for tz_offset_at. */
struct zone {
    int32_t offs[8];
    int ntypes, n;
    int64_t at[MAX_TRANS];
    uint8_t idx[MAX_TRANS];
};

static int32_t ref_offset(const struct zone *z, int64_t u)
{
    int32_t off = z->offs[0];

    for (int i = 0; i < z->n && z->at[i] <= u; i++)
        off = z->offs[z->idx[i]];
    return off;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* A TZif v2 file for z: an empty v1 block, then the 64-bit one. */
static size_t build_file(const struct zone *z, uint8_t *buf)
{
    size_t o = 0;

    memset(buf, 0, 44);
    memcpy(buf, "TZif2", 5);
    put32(buf + 20 + 4 * 4, 1); /* v1: one type, no transitions */
    put32(buf + 20 + 5 * 4, 1); /* one byte of names */
    o = 44;
    memset(buf + o, 0, 7); /* the v1 type (offset 0) and its name */
    o += 7;
    memset(buf + o, 0, 44);
    memcpy(buf + o, "TZif2", 5);
    put32(buf + o + 20 + 3 * 4, (uint32_t)z->n);
    put32(buf + o + 20 + 4 * 4, (uint32_t)z->ntypes);
    put32(buf + o + 20 + 5 * 4, 4);
    o += 44;
    for (int i = 0; i < z->n; i++, o += 8) {
        put32(buf + o, (uint32_t)((uint64_t)z->at[i] >> 32));
        put32(buf + o + 4, (uint32_t)z->at[i]);
    }
    memcpy(buf + o, z->idx, (size_t)z->n);
    o += (size_t)z->n;
    for (int i = 0; i < z->ntypes; i++, o += 6) {
        put32(buf + o, (uint32_t)z->offs[i]);
        buf[o + 4] = 0, buf[o + 5] = 0;
    }
    memcpy(buf + o, "XYZ", 4);
    buf[o + 4] = '\n'; /* the POSIX footer, empty */
    return o + 5;
}

static void probe(const struct tz *z, const struct zone *ref, int64_t u)
{
    int32_t off = tz_offset_at(z, u), off_r;
    int64_t local, r;

    FUZZ_CHECK(off >= -OFF_MAX && off <= OFF_MAX, "offset %d at %lld", off,
               (long long)u);
    if (ref)
        FUZZ_CHECK(off == ref_offset(ref, u), "offset %d at %lld, want %d",
                   off, (long long)u, ref_offset(ref, u));
    (void)tz_local_to_utc(z, u); /* any input: must not overflow */
    if (u < -(INT64_C(1) << 59) || u > (INT64_C(1) << 59))
        return; /* clamped times are not round-tripped */
    local = u + off;
    r = tz_local_to_utc(z, local);
    off_r = tz_offset_at(z, r);
    FUZZ_CHECK(r + off_r == local, "local %lld -> %lld (offset %d) for %lld",
               (long long)local, (long long)r, off_r, (long long)u);
    FUZZ_CHECK(r <= u, "local %lld -> %lld, after %lld", (long long)local,
               (long long)r, (long long)u);
}

static void probes(const struct tz *z, const struct zone *ref,
                   struct fuzz_in *in)
{
    static const int64_t fixed[] = {INT64_MIN, INT64_MAX, 0, -1,
                                    INT64_C(1) << 60, -(INT64_C(1) << 60),
                                    1774746000, 1792890000};

    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        probe(z, ref, fixed[i]);
    for (int i = 0; i < 8 && in->n; i++)
        probe(z, ref, (int64_t)fuzz_u64(in));
    if (ref)
        for (int i = 0; i < ref->n; i++)
            for (int64_t d = -2; d <= 2; d++)
                if ((d < 0 && ref->at[i] > INT64_MIN + 2) ||
                    (d >= 0 && ref->at[i] < INT64_MAX - 2))
                    probe(z, ref, ref->at[i] + d);
}

static void raw(const uint8_t *p, size_t n)
{
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    struct fuzz_in in = {p, n};

    write_file(p, n);
    if (tz_load_file(path, &z, &err)) {
        FUZZ_CHECK(err.rc == ERR_INVALID &&
                       strcmp(err.code, "invalid_timezone") == 0 &&
                       strcmp(err.field, "timezone") == 0,
                   "refused with %d %s", err.rc, err.code);
        return;
    }
    /* the tail of the file doubles as probe instants */
    if (n > 64) {
        in.p = p + n - 64;
        in.n = 64;
    }
    probes(z, NULL, &in);
    tz_free(z);
}

static void built(struct fuzz_in *in)
{
    static uint8_t buf[200 + MAX_TRANS * 9 + 8 * 6];
    struct zone ref;
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    int64_t t;
    int ok = 1, rc;
    size_t n;

    ref.ntypes = 1 + fuzz_u8(in) % 8;
    for (int i = 0; i < ref.ntypes; i++) {
        /* quarter hours up to +-32 h: some out of range on purpose */
        ref.offs[i] = (int8_t)fuzz_u8(in) * 900;
        ok &= ref.offs[i] >= -OFF_MAX && ref.offs[i] <= OFF_MAX;
    }
    ref.n = fuzz_u8(in) % (MAX_TRANS + 1);
    t = (int64_t)fuzz_u64(in) >> (fuzz_u8(in) % 64);
    for (int i = 0; i < ref.n; i++) {
        uint32_t step = fuzz_u32(in) >> (fuzz_u8(in) % 32);
        if (i && (step == 0 || t > INT64_MAX - step)) {
            ref.n = i;
            break;
        }
        t += i ? step : 0;
        ref.at[i] = t;
        ref.idx[i] = (uint8_t)(fuzz_u8(in) % ref.ntypes);
    }
    n = build_file(&ref, buf);
    write_file(buf, n);
    rc = tz_load_file(path, &z, &err);
    FUZZ_CHECK((rc == 0) == ok, "built zone: rc %d (%s), offsets ok %d", rc,
               err.msg, ok);
    if (rc)
        return;
    /* clamping to +-2^60 changes transitions beyond: compare only within */
    for (int i = 0; i < ref.n; i++)
        if (ref.at[i] < -(INT64_C(1) << 60) || ref.at[i] > INT64_C(1) << 60) {
            probes(z, NULL, in);
            tz_free(z);
            return;
        }
    probes(z, &ref, in);
    tz_free(z);
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);

    if (!n || n > 64 || s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789_+-/",
                    s[i]))
            return 0;
    return 1;
}

static void named(struct fuzz_in *in)
{
    char *name = fuzz_rest_str(in);
    const struct tz *z;
    struct err err = ERR_INIT;

    if (tz_get(name, &z, &err) == 0) {
        FUZZ_CHECK(name_ok(name) && !strstr(name, ".."), "loaded \"%s\"",
                   name);
        probe(z, NULL, 1774746000);
    } else {
        FUZZ_CHECK(strcmp(err.code, "invalid_timezone") == 0,
                   "refused with %s", err.code);
        for (const char *m = err.msg; *m; m++)
            FUZZ_CHECK(*m >= 0x20 && *m < 0x7f, "message byte %02x",
                       (unsigned char)*m);
        if (name_ok(name))
            FUZZ_CHECK(strstr(err.msg, "unknown time zone"),
                       "\"%s\": %s", name, err.msg);
    }
    free(name);
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};

    switch (fuzz_u8(&in) % 3) {
    case 0: raw(in.p, in.n); break;
    case 1: built(&in); break;
    default: named(&in); break;
    }
    return 0;
}

FUZZ_TARGET(fuzz_one)
