/*
 * gen_layout.c - the seeds in the targets' own binary layouts (see
 * gen_corpus.h): routes built from the route table's indexes
 * (fuzz_router mode 1), an appointment (fuzz_ics), numbers for
 * fuzz_timefmt, time zone files from the system's tzdata and zones
 * described by types and transitions (fuzz_tz), and quotes (fuzz_quote).
 */
#include "api/api.h"
#include "gen_corpus.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static size_t route_index(const char *method, const char *pattern)
{
    for (size_t i = 0; i < api_nroutes; i++)
        if (!strcmp(api_routes[i].method, method) &&
            !strcmp(api_routes[i].pattern, pattern))
            return i;
    abort();
}

/* fuzz_router mode 1: a route index, then length-prefixed values */
static void router_built(void)
{
    uint8_t b[64];
    size_t n = 0;

    b[n++] = 1;
    b[n++] = (uint8_t)route_index("POST", "/api/v1/jobs/{id}/events");
    b[n++] = 3, memcpy(b + n, "123", 3), n += 3;
    gen_put("router", "built-job-events", b, n, NULL, 0);
    n = 0;
    b[n++] = 1;
    b[n++] = (uint8_t)route_index("GET", "/static/{version}/{file}");
    b[n++] = 16, memcpy(b + n, "3f9a1c0d2b7e4a56", 16), n += 16;
    b[n++] = 9, memcpy(b + n, "style.css", 9), n += 9;
    gen_put("router", "built-static", b, n, NULL, 0);
}

static void ics_seed(void)
{
    uint8_t head[25];
    static const char tail[] =
        "0c2f7a91d3e84b56@fsd\0Service visit (repair)\0Drum does not turn, "
        "error E21; customer: \"ring twice\", back door.\nSecond line \xc3\xbc"
        "ber die T\xc3\xbcr \xe2\x82\xac 89,00 \xf0\x9f\x94\xa7 and a long "
        "tail so the line has to fold more than once at 75 octets each.";

    head[0] = 3;
    /* instant() takes each 64-bit value modulo the range from its low end */
    be64(head + 1, (uint64_t)(1795070000LL + 2208988800LL + 86340));
    be64(head + 9, (uint64_t)(1795075200LL + 2208988800LL + 86340));
    be64(head + 17, (uint64_t)(1795082400LL + 2208988800LL + 86340));
    gen_put("ics", "visit", head, sizeof head, tail, sizeof tail - 1);
}

static void timefmt_numbers(void)
{
    uint8_t b[17] = {3};

    be64(b + 1, (uint64_t)(1795070000LL + 2208988800LL + 86340));
    b[9] = 0x07, b[10] = 0xea, b[11] = 2, b[12] = 29; /* 2026-02-29 */
    b[13] = 0, b[14] = 0, b[15] = 0x05, b[16] = 0xa0; /* 1440 minutes */
    gen_put("timefmt", "numbers", b, sizeof b, NULL, 0);
}

/* fuzz_tz mode 1: types, then transitions (see built() there) */
static size_t tz_described(uint8_t *b, const int8_t *offs, int ntypes,
                           const uint8_t *idx, int n)
{
    size_t o = 0;

    b[o++] = 1;
    b[o++] = (uint8_t)(ntypes - 1);
    for (int i = 0; i < ntypes; i++)
        b[o++] = (uint8_t)offs[i]; /* quarter hours */
    b[o++] = (uint8_t)n;
    be64(b + o, 1774746000); /* 2026-03-29T01:00:00Z */
    o += 8;
    b[o++] = 0; /* no shift */
    for (int i = 0; i < n; i++) {
        b[o] = 0x00, b[o + 1] = 0xef, b[o + 2] = 0xf1, b[o + 3] = 0x00;
        o += 4;          /* a step of 15724800 s, about half a year */
        b[o++] = 0;      /* no shift */
        b[o++] = idx[i]; /* type */
    }
    return o;
}

static void tz_seeds(void)
{
    static const char *const zones[][2] = {
        {"Europe/Berlin", "file-berlin"}, {"America/New_York", "file-new-york"},
        {"Australia/Lord_Howe", "file-lord-howe"},
        {"Asia/Kolkata", "file-kolkata"}, {"Etc/UTC", "file-utc"},
        {"Pacific/Chatham", "file-chatham"}};
    static const int8_t cet[] = {4, 8}, bad[] = {4, 8, -120};
    static const uint8_t idx[] = {1, 0, 1, 0, 1, 0};
    uint8_t b[128];

    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        char path[128];
        uint8_t buf[8192];
        size_t n;
        FILE *f;

        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zones[i][0]);
        if (!(f = fopen(path, "rb")))
            continue; /* tzdata missing: keep the checked-in seed */
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        gen_put("tz", zones[i][1], "\0", 1, buf, n);
    }
    gen_put("tz", "built-cet", b, tz_described(b, cet, 2, idx, 6), NULL, 0);
    gen_put("tz", "built-bad-offset", b, tz_described(b, bad, 3, idx, 4), NULL,
            0);
}

/* fuzz_quote: a number read raw (flag 1, then 8 bytes) */
static size_t raw_number(uint8_t *b, int64_t v)
{
    b[0] = 1;
    be64(b + 1, (uint64_t)v);
    return 9;
}

static size_t quote_line(uint8_t *b, int kind, int desc, int64_t qty,
                         int64_t price)
{
    size_t o = 0;

    b[o++] = (uint8_t)kind;
    b[o++] = (uint8_t)desc; /* index into the target's descriptions */
    o += raw_number(b + o, qty);
    o += raw_number(b + o, price);
    return o;
}

static void quote_seeds(void)
{
    uint8_t b[256];
    size_t o = 0;

    o += raw_number(b + o, 1795070000);         /* issued */
    o += raw_number(b + o, 1795070000 + 86400); /* now: just expired */
    b[o++] = 3;
    o += quote_line(b + o, 0, 0, 1, 8900);
    o += quote_line(b + o, 1, 3, 2, 6500);
    o += quote_line(b + o, 2, 4, 1, 3500);
    gen_put("quote", "three-lines", b, o, NULL, 0);
    o = 0;
    o += raw_number(b + o, INT64_MAX - 100);
    o += raw_number(b + o, INT64_MAX);
    b[o++] = 3;
    o += quote_line(b + o, 2, 4, 1, 3500);
    o += quote_line(b + o, 0, 0, 10000, 1000000000000LL);
    o += quote_line(b + o, 2, 4, 1, 3500);
    gen_put("quote", "second-callout", b, o, NULL, 0);
}

void gen_layout_seeds(void)
{
    router_built();
    ics_seed();
    timefmt_numbers();
    tz_seeds();
    quote_seeds();
}
