/*
 * test_tz.c - IANA time zones: offsets at instants, local wall-clock times
 * to UTC across DST gaps and overlaps, zone names, the cache, and TZif
 * files that are truncated or corrupt.
 *
 * Offsets and instants are exact, checked one second either side of the
 * 2026 transitions of Berlin and New York.  Local-to-UTC is also checked
 * as a round trip over every hour of 2026.  The parser is fed copies of a
 * real zone cut at each structural boundary (one byte short of a header
 * or data block, and exactly at the end of the data, which must load),
 * with its magic and version broken, and small hand-built v1 files with
 * one fault each.  Every refusal asserts rc, code, field and message.
 */
#include "common/err.h"
#include "common/timefmt.h"
#include "common/tz.h"
#include "testutil.h"

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H 3600
#define BERLIN "/usr/share/zoneinfo/Europe/Berlin"

/* Seconds since the epoch of y-mo-d h:mi:s, UTC or local alike. */
static int64_t at(int y, int mo, int d, int h, int mi, int s)
{
    return timefmt_days_from_civil(y, mo, d) * 86400 + h * H + mi * 60 + s;
}

/* A zone from the cache; aborts the test when it cannot be had. */
static const struct tz *zone(const char *name)
{
    const struct tz *z = NULL;
    struct err err = ERR_INIT;

    ck_assert_msg(tz_get(name, &z, &err) == 0, "%s: %s", name, err.msg);
    ck_assert_ptr_nonnull(z);
    return z;
}

/* rc and err are the refusal with message msg. */
static void refused(int rc, const struct err *err, const char *msg)
{
    ck_assert_int_eq(rc, ERR_INVALID);
    ck_assert_int_eq(err->rc, ERR_INVALID);
    ck_assert_str_eq(err->code, "invalid_timezone");
    ck_assert_str_eq(err->field, "timezone");
    ck_assert_str_eq(err->msg, msg);
}

/* tz_get(name) is refused with msg and leaves *out alone. */
static void bad_name(const char *name, const char *msg)
{
    const struct tz *z = (const struct tz *)&z;
    struct err err = ERR_INIT;

    refused(tz_get(name, &z, &err), &err, msg);
    ck_assert_ptr_eq(z, (const struct tz *)&z);
}

static void teardown(void)
{
    tz_cache_clear();
}

START_TEST(utc_is_zero)
{
    const struct tz *z = zone("UTC");

    ck_assert_int_eq(tz_offset_at(z, 0), 0);
    ck_assert_int_eq(tz_offset_at(z, at(2026, 1, 15, 12, 0, 0)), 0);
    ck_assert_int_eq(tz_offset_at(z, at(2026, 7, 15, 12, 0, 0)), 0);
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 29, 2, 30, 0)),
                     at(2026, 3, 29, 2, 30, 0));
}
END_TEST

START_TEST(shanghai_is_plus_eight_all_year)
{
    const struct tz *z = zone("Asia/Shanghai");

    for (int m = 1; m <= 12; m++)
        ck_assert_int_eq(tz_offset_at(z, at(2026, m, 15, 0, 0, 0)), 8 * H);
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 7, 1, 9, 0, 0)),
                     at(2026, 7, 1, 1, 0, 0));
}
END_TEST

START_TEST(berlin_winter_and_summer)
{
    const struct tz *z = zone("Europe/Berlin");

    ck_assert_int_eq(tz_offset_at(z, at(2026, 1, 15, 12, 0, 0)), H);
    ck_assert_int_eq(tz_offset_at(z, at(2026, 7, 15, 12, 0, 0)), 2 * H);
}
END_TEST

START_TEST(berlin_transitions_2026)
{
    const struct tz *z = zone("Europe/Berlin");
    int64_t spring = at(2026, 3, 29, 1, 0, 0), fall = at(2026, 10, 25, 1, 0, 0);

    ck_assert_int_eq(tz_offset_at(z, spring - 1), H);
    ck_assert_int_eq(tz_offset_at(z, spring), 2 * H);
    ck_assert_int_eq(tz_offset_at(z, spring + 1), 2 * H);
    ck_assert_int_eq(tz_offset_at(z, fall - 1), 2 * H);
    ck_assert_int_eq(tz_offset_at(z, fall), H);
    ck_assert_int_eq(tz_offset_at(z, fall + 1), H);
}
END_TEST

START_TEST(new_york_2026)
{
    const struct tz *z = zone("America/New_York");
    int64_t spring = at(2026, 3, 8, 7, 0, 0), fall = at(2026, 11, 1, 6, 0, 0);

    ck_assert_int_eq(tz_offset_at(z, at(2026, 1, 15, 12, 0, 0)), -5 * H);
    ck_assert_int_eq(tz_offset_at(z, at(2026, 7, 15, 12, 0, 0)), -4 * H);
    ck_assert_int_eq(tz_offset_at(z, spring - 1), -5 * H);
    ck_assert_int_eq(tz_offset_at(z, spring), -4 * H);
    ck_assert_int_eq(tz_offset_at(z, fall - 1), -4 * H);
    ck_assert_int_eq(tz_offset_at(z, fall), -5 * H);
    /* 09:00 local, winter and summer */
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 1, 15, 9, 0, 0)),
                     at(2026, 1, 15, 14, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 7, 15, 9, 0, 0)),
                     at(2026, 7, 15, 13, 0, 0));
    /* 02:30 does not exist on 8 March: 03:30 EDT */
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 8, 2, 30, 0)),
                     at(2026, 3, 8, 7, 30, 0));
    /* 01:30 happens twice on 1 November: the EDT one */
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 11, 1, 1, 30, 0)),
                     at(2026, 11, 1, 5, 30, 0));
}
END_TEST

START_TEST(local_normal_times)
{
    const struct tz *z = zone("Europe/Berlin");

    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 1, 15, 12, 0, 0)),
                     at(2026, 1, 15, 11, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 7, 15, 12, 0, 0)),
                     at(2026, 7, 15, 10, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 1, 1, 0, 0, 0)),
                     at(2025, 12, 31, 23, 0, 0));
}
END_TEST

START_TEST(local_in_spring_gap_moves_forward)
{
    const struct tz *z = zone("Europe/Berlin");

    /* 02:00..02:59:59 do not exist on 29 March; 01:00 UTC is 03:00 */
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 29, 1, 59, 59)),
                     at(2026, 3, 29, 0, 59, 59));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 29, 2, 0, 0)),
                     at(2026, 3, 29, 1, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 29, 2, 30, 0)),
                     at(2026, 3, 29, 1, 30, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 29, 2, 59, 59)),
                     at(2026, 3, 29, 1, 59, 59));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 29, 3, 0, 0)),
                     at(2026, 3, 29, 1, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 29, 3, 30, 0)),
                     at(2026, 3, 29, 1, 30, 0));
}
END_TEST

START_TEST(local_in_fall_overlap_takes_earlier)
{
    const struct tz *z = zone("Europe/Berlin");

    /* 02:00..02:59:59 happen twice on 25 October: first in CEST */
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 10, 25, 1, 59, 59)),
                     at(2026, 10, 24, 23, 59, 59));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 10, 25, 2, 0, 0)),
                     at(2026, 10, 25, 0, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 10, 25, 2, 30, 0)),
                     at(2026, 10, 25, 0, 30, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 10, 25, 2, 59, 59)),
                     at(2026, 10, 25, 0, 59, 59));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 10, 25, 3, 0, 0)),
                     at(2026, 10, 25, 2, 0, 0));
}
END_TEST

START_TEST(booked_nine_around_spring_change)
{
    const struct tz *z = zone("Europe/Berlin");

    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 28, 9, 0, 0)),
                     at(2026, 3, 28, 8, 0, 0));
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 30, 9, 0, 0)),
                     at(2026, 3, 30, 7, 0, 0));
}
END_TEST

START_TEST(round_trip_every_hour_of_2026)
{
    const char *names[] = {"Europe/Berlin", "America/New_York",
                           "Australia/Lord_Howe", "Asia/Kolkata"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct tz *z = zone(names[i]);

        for (int64_t u = at(2026, 1, 1, 0, 0, 0); u < at(2027, 1, 1, 0, 0, 0);
             u += H / 2) {
            int64_t local = u + tz_offset_at(z, u);
            int64_t back = tz_local_to_utc(z, local);

            /* the same wall-clock time, and the earlier one if twice */
            ck_assert_int_eq(back + tz_offset_at(z, back), local);
            ck_assert_int_le(back, u);
            ck_assert_int_ge(back, u - H);
        }
    }
}
END_TEST

START_TEST(outside_the_transitions)
{
    const struct tz *z = zone("Europe/Berlin");

    /* before the first transition: type 0, local mean time +0:53:28 */
    ck_assert_int_eq(tz_offset_at(z, at(1800, 1, 1, 0, 0, 0)), 3208);
    ck_assert_int_eq(tz_offset_at(z, INT64_MIN), 3208);
    /* after the last (2037): its type, standard time, for ever */
    ck_assert_int_eq(tz_offset_at(z, at(2040, 7, 1, 0, 0, 0)), H);
    ck_assert_int_eq(tz_offset_at(z, INT64_MAX), H);
    ck_assert_int_eq(tz_local_to_utc(z, at(2040, 7, 1, 9, 0, 0)),
                     at(2040, 7, 1, 8, 0, 0));
    /* extreme inputs are clamped, never overflow */
    ck_assert_int_lt(tz_local_to_utc(z, INT64_MIN), 0);
    ck_assert_int_gt(tz_local_to_utc(z, INT64_MAX), 0);
}
END_TEST

START_TEST(invalid_names)
{
    char long_name[80], msg[160];

    bad_name("", "invalid time zone name \"\"");
    bad_name("../etc/passwd", "invalid time zone name \"../etc/passwd\"");
    bad_name("/etc/passwd", "invalid time zone name \"/etc/passwd\"");
    bad_name("Europe/../UTC", "invalid time zone name \"Europe/../UTC\"");
    bad_name("Europe/./Berlin", "invalid time zone name \"Europe/./Berlin\"");
    bad_name("Europe//Berlin", "invalid time zone name \"Europe//Berlin\"");
    bad_name("Europe/", "invalid time zone name \"Europe/\"");
    bad_name("zone.tab", "invalid time zone name \"zone.tab\"");
    bad_name("Europe/Berlin ", "invalid time zone name \"Europe/Berlin \"");
    bad_name("Europe/\"Ber\nlin\xc3", "invalid time zone name "
                                      "\"Europe/?Ber?lin?\"");
    /* well formed, but no such file or no TZif file */
    bad_name("No/Such_Zone", "unknown time zone \"No/Such_Zone\"");
    bad_name("Europe", "unknown time zone \"Europe\"");
    bad_name("leapseconds", "unknown time zone \"leapseconds\"");
    bad_name("right/UTC", "unknown time zone \"right/UTC\"");
    /* 64 bytes is allowed (and unknown); of 65, 64 are quoted */
    memset(long_name, 'a', 64);
    long_name[64] = '\0';
    snprintf(msg, sizeof msg, "unknown time zone \"%s\"", long_name);
    bad_name(long_name, msg);
    snprintf(msg, sizeof msg, "invalid time zone name \"%s...\"", long_name);
    strcpy(long_name + 64, "b");
    bad_name(long_name, msg);
}
END_TEST

START_TEST(names_with_plus_minus_and_digits)
{
    ck_assert_int_eq(tz_offset_at(zone("Etc/GMT+5"), 0), -5 * H);
    ck_assert_int_eq(tz_offset_at(zone("Etc/GMT-14"), 0), 14 * H);
    ck_assert_int_eq(
        tz_offset_at(zone("America/Port-au-Prince"), at(2026, 1, 15, 0, 0, 0)),
        -5 * H);
}
END_TEST

START_TEST(cache_returns_the_same_zone)
{
    const struct tz *a = zone("Europe/Berlin");

    ck_assert_ptr_eq(zone("Europe/Berlin"), a);
    ck_assert_ptr_ne(zone("Europe/Paris"), a);
    ck_assert_ptr_eq(zone("Europe/Berlin"), a);
    tz_cache_clear();
    ck_assert_int_eq(tz_offset_at(zone("Europe/Berlin"), 0), H);
}
END_TEST

static void *get_berlin(void *arg)
{
    struct err err = ERR_INIT;

    if (tz_get("Europe/Berlin", (const struct tz **)arg, &err))
        *(const struct tz **)arg = NULL;
    return NULL;
}

START_TEST(cache_loads_once_under_contention)
{
    pthread_t t[8];
    const struct tz *got[8];

    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, get_berlin, &got[i]), 0);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 8; i++)
        ck_assert_ptr_eq(got[i], zone("Europe/Berlin"));
}
END_TEST

/* The whole of a file into *buf (malloc'd); its length. */
static size_t slurp(const char *path, unsigned char **buf)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    ck_assert_ptr_nonnull(f);
    *buf = malloc(1 << 16);
    n = fread(*buf, 1, 1 << 16, f);
    fclose(f);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_lt(n, 1 << 16);
    return n;
}

/* Write n bytes to dir/name and load that file: rc, *out and err. */
static int load_bytes(const char *dir, const unsigned char *b, size_t n,
                      struct tz **out, struct err *err, char *path)
{
    FILE *f;

    snprintf(path, 512, "%s/zone", dir);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
    return tz_load_file(path, out, err);
}

/* The first n bytes of b fail to load with reason why. */
static void corrupt(const char *dir, const unsigned char *b, size_t n,
                    const char *why)
{
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    char path[512], msg[600];
    int rc = load_bytes(dir, b, n, &z, &err, path);

    snprintf(msg, sizeof msg, "\"%s\" is not a valid TZif file (%s)", path,
             why);
    ck_assert_msg(rc == ERR_INVALID, "%zu bytes loaded", n);
    refused(rc, &err, msg);
    ck_assert_ptr_null(z);
}

/* Bytes in a data block after header h, times w bytes wide. */
static size_t block_len(const unsigned char *h, size_t w)
{
    size_t c[6];

    for (int i = 0; i < 6; i++)
        c[i] = (size_t)h[20 + 4 * i] << 24 | (size_t)h[21 + 4 * i] << 16 |
               (size_t)h[22 + 4 * i] << 8 | h[23 + 4 * i];
    return c[3] * (w + 1) + c[4] * 6 + c[5] + c[2] * (w + 4) + c[1] + c[0];
}

START_TEST(load_file_truncated_at_every_boundary)
{
    char *dir = tu_tempdir();
    unsigned char *b;
    size_t size = slurp(BERLIN, &b), v2 = 44 + block_len(b, 4), end = size - 2;
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    char path[512];

    while (b[end] != '\n') /* the footer: "\n<POSIX TZ>\n" */
        end--;
    ck_assert_uint_eq(end, v2 + 44 + block_len(b + v2, 8));
    corrupt(dir, b, 0, "truncated header");
    corrupt(dir, b, 4, "truncated header");
    corrupt(dir, b, 43, "truncated header");
    corrupt(dir, b, 44, "truncated data");
    corrupt(dir, b, v2 - 1, "truncated data");
    corrupt(dir, b, v2, "truncated header");
    corrupt(dir, b, v2 + 43, "truncated header");
    corrupt(dir, b, v2 + 44, "truncated data");
    corrupt(dir, b, (v2 + end) / 2, "truncated data");
    corrupt(dir, b, end - 1, "truncated data");
    /* without its footer the file is whole: nothing here reads it */
    ck_assert_int_eq(load_bytes(dir, b, end, &z, &err, path), 0);
    ck_assert_int_eq(tz_offset_at(z, at(2026, 7, 1, 0, 0, 0)), 2 * H);
    ck_assert_int_eq(tz_local_to_utc(z, at(2026, 3, 29, 2, 30, 0)),
                     at(2026, 3, 29, 1, 30, 0));
    tz_free(z);
    free(b);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(load_file_bad_magic_and_version)
{
    char *dir = tu_tempdir();
    unsigned char *b;
    size_t size = slurp(BERLIN, &b), v2 = 44 + block_len(b, 4);

    b[3] = 'F';
    corrupt(dir, b, size, "bad magic");
    b[3] = 'f';
    b[v2] = 't';
    corrupt(dir, b, size, "bad magic");
    b[v2] = 'T';
    b[4] = '1';
    corrupt(dir, b, size, "unknown version");
    b[4] = '2';
    b[v2 + 4] = '5';
    corrupt(dir, b, size, "unknown version");
    free(b);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* A v1 file: n transitions at t[] to types idx[], ntypes offsets off[]. */
struct fake {
    uint32_t leaps, n, ntypes;
    int32_t t[3];
    unsigned char idx[3];
    int32_t off[3];
};

static void put32(unsigned char **p, uint32_t v)
{
    for (int i = 3; i >= 0; i--)
        *(*p)++ = (unsigned char)(v >> (8 * i));
}

static size_t fake_file(const struct fake *f, unsigned char *b)
{
    unsigned char *p = b + 20;
    const uint32_t counts[6] = {0, 0, f->leaps, f->n, f->ntypes, 4};

    memset(b, 0, 1024);
    memcpy(b, "TZif", 4);
    for (int i = 0; i < 6; i++)
        put32(&p, counts[i]);
    for (uint32_t i = 0; i < f->n; i++)
        put32(&p, (uint32_t)f->t[i]);
    for (uint32_t i = 0; i < f->n; i++)
        *p++ = f->idx[i];
    for (uint32_t i = 0; i < f->ntypes; i++) {
        put32(&p, (uint32_t)f->off[i]);
        *p++ = 0;
        *p++ = 0; /* isdst, abbreviation index */
    }
    memcpy(p, "ABC", 4);
    return (size_t)(p + 4 - b) + 8 * f->leaps;
}

START_TEST(load_file_v1_and_faults)
{
    char *dir = tu_tempdir();
    unsigned char b[1024];
    struct fake f = {0, 2, 2, {-100000, 100000}, {1, 0}, {-H, 2 * H}};
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    char path[512];

    ck_assert_int_eq(load_bytes(dir, b, fake_file(&f, b), &z, &err, path), 0);
    ck_assert_int_eq(tz_offset_at(z, -100001), -H); /* type 0 before */
    ck_assert_int_eq(tz_offset_at(z, -100000), 2 * H);
    ck_assert_int_eq(tz_offset_at(z, 99999), 2 * H);
    ck_assert_int_eq(tz_offset_at(z, 100000), -H);
    /* a 3-hour gap at -100000 and a 3-hour overlap at 100000 */
    ck_assert_int_eq(tz_local_to_utc(z, -100000 - H + 60), -100000 + 60);
    ck_assert_int_eq(tz_local_to_utc(z, 100000 - H + 60), 100000 - 3 * H + 60);
    tz_free(z);
    f.idx[1] = 2;
    corrupt(dir, b, fake_file(&f, b), "bad type index");
    f.idx[1] = 0;
    f.t[1] = -100000;
    corrupt(dir, b, fake_file(&f, b), "transitions out of order");
    f.t[1] = 100000;
    f.off[1] = 26 * H + 1;
    corrupt(dir, b, fake_file(&f, b), "offset out of range");
    f.off[1] = 2 * H;
    f.leaps = 1;
    corrupt(dir, b, fake_file(&f, b), "leap seconds are not supported");
    f.leaps = 0;
    f.n = 0;
    f.ntypes = 0;
    corrupt(dir, b, fake_file(&f, b), "bad type count");
    tz_free(NULL);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(load_file_that_is_not_there)
{
    char *dir = tu_tempdir();
    struct tz *z = NULL;
    struct err err = ERR_INIT;
    char path[512], msg[600];

    snprintf(path, sizeof path, "%s/none", dir);
    snprintf(msg, sizeof msg, "cannot open time zone file \"%s\"", path);
    refused(tz_load_file(path, &z, &err), &err, msg);
    snprintf(msg, sizeof msg, "\"%s\" is not a valid TZif file (unreadable)",
             dir);
    refused(tz_load_file(dir, &z, &err), &err, msg);
    ck_assert_ptr_null(z);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tz");
    TCase *offsets = tcase_create("offsets");
    TCase *local = tcase_create("local_to_utc");
    TCase *names = tcase_create("names_and_cache");
    TCase *files = tcase_create("files");
    TCase *all[] = {offsets, local, names, files};

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        tcase_add_checked_fixture(all[i], NULL, teardown);
        suite_add_tcase(s, all[i]);
    }
    tcase_add_test(offsets, utc_is_zero);
    tcase_add_test(offsets, shanghai_is_plus_eight_all_year);
    tcase_add_test(offsets, berlin_winter_and_summer);
    tcase_add_test(offsets, berlin_transitions_2026);
    tcase_add_test(offsets, new_york_2026);
    tcase_add_test(offsets, outside_the_transitions);
    tcase_add_test(local, local_normal_times);
    tcase_add_test(local, local_in_spring_gap_moves_forward);
    tcase_add_test(local, local_in_fall_overlap_takes_earlier);
    tcase_add_test(local, booked_nine_around_spring_change);
    tcase_add_test(local, round_trip_every_hour_of_2026);
    tcase_add_test(names, invalid_names);
    tcase_add_test(names, names_with_plus_minus_and_digits);
    tcase_add_test(names, cache_returns_the_same_zone);
    tcase_add_test(names, cache_loads_once_under_contention);
    tcase_add_test(files, load_file_truncated_at_every_boundary);
    tcase_add_test(files, load_file_bad_magic_and_version);
    tcase_add_test(files, load_file_v1_and_faults);
    tcase_add_test(files, load_file_that_is_not_there);
    return tu_run_suite(s);
}
