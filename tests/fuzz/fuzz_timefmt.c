/*
 * fuzz_timefmt.c - the date and time parsers and formatters (timefmt.h).
 *
 * Feeds: the first byte picks the form; the rest is either text for
 * timefmt_parse_rfc3339 / _date / _hhmm, or numbers for the formatters
 * and the calendar helpers.
 * Checks: every accepted text is exactly the strict form the header
 * promises and denotes the instant glibc's timegm() computes for it;
 * parse -> format -> parse returns the same value (and the same text for
 * "Z" instants, dates and HH:MM); a formatted instant is always a
 * NUL-terminated 20-character "YYYY-MM-DDTHH:MM:SSZ" inside its
 * TIMEFMT_RFC3339_LEN buffer, and any 64-bit value at all formats into
 * that buffer with its NUL; weekday and valid_date agree with glibc.
 */
#include "common/timefmt.h"
#include "fuzz.h"

#include <time.h>

/* Instants the server can hold: whatever timefmt_parse_rfc3339 accepts,
 * 1900-01-01T00:00:00+23:59 .. 9999-12-31T23:59:59Z (an offset carrying
 * an instant into year 10000 is refused: the formatter cannot write it). */
#define T_MIN (-2208988800LL - 86340)
#define T_MAX 253402300799LL

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

/* The instant of a broken-down UTC time, as glibc computes it. */
static int64_t ref_timegm(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {0};

    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return (int64_t)timegm(&tm);
}

static int ref_valid_date(int y, int m, int d)
{
    struct tm tm = {0};

    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return 0;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = 12;
    timegm(&tm); /* normalises an impossible day into the next month */
    return tm.tm_mday == d && tm.tm_mon == m - 1;
}

/* Format t and check the buffer: 20 characters and a NUL, no more. */
static void format_checked(int64_t t, char out[TIMEFMT_RFC3339_LEN])
{
    char buf[TIMEFMT_RFC3339_LEN + 8];

    memset(buf, 0x7f, sizeof buf);
    timefmt_format_rfc3339(t, buf);
    FUZZ_CHECK(memchr(buf, '\0', TIMEFMT_RFC3339_LEN) != NULL,
               "formatting %lld left no NUL in the buffer", (long long)t);
    FUZZ_CHECK(strlen(buf) == 20, "formatting %lld gave \"%s\"",
               (long long)t, buf);
    for (size_t i = TIMEFMT_RFC3339_LEN; i < sizeof buf; i++)
        FUZZ_CHECK(buf[i] == 0x7f, "formatting wrote past the buffer");
    memcpy(out, buf, TIMEFMT_RFC3339_LEN);
}

static void check_rfc3339(const char *s)
{
    int64_t t, t2;
    char out[TIMEFMT_RFC3339_LEN];
    size_t n = strlen(s);
    int y, mo, d, h, mi, sec, off = 0;
    const char *z;

    if (timefmt_parse_rfc3339(s, &t))
        return;
    /* the accepted shape: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM) */
    FUZZ_CHECK(n >= 20, "accepted short \"%s\"", s);
    for (int i = 0; i < 19; i++)
        FUZZ_CHECK(i == 4 || i == 7 || i == 10 || i == 13 || i == 16
                       ? 1
                       : isdig(s[i]),
                   "accepted \"%s\"", s);
    z = s + 19;
    if (*z == '.') {
        FUZZ_CHECK(isdig(z[1]), "accepted \"%s\"", s);
        for (z++; isdig(*z); z++)
            ;
    }
    FUZZ_CHECK(((*z == 'Z' || *z == 'z') && !z[1]) ||
                   ((*z == '+' || *z == '-') && strlen(z) == 6 && isdig(z[1]) &&
                    isdig(z[2]) && z[3] == ':' && isdig(z[4]) && isdig(z[5])),
               "accepted zone \"%s\"", z);
    sscanf(s, "%4d-%2d-%2d%*c%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec);
    if (*z == '+' || *z == '-')
        off = (((z[1] - '0') * 10 + z[2] - '0') * 3600 +
               ((z[4] - '0') * 10 + z[5] - '0') * 60) *
              (*z == '-' ? -1 : 1);
    FUZZ_CHECK(ref_valid_date(y, mo, d) && h < 24 && mi < 60 && sec < 60,
               "accepted impossible \"%s\"", s);
    FUZZ_CHECK(t == ref_timegm(y, mo, d, h, mi, sec) - off,
               "\"%s\" parsed as %lld", s, (long long)t);
    FUZZ_CHECK(t >= T_MIN && t <= T_MAX, "%lld out of range", (long long)t);

    format_checked(t, out);
    FUZZ_CHECK(out[19] == 'Z', "formatted \"%s\"", out);
    if (timefmt_parse_rfc3339(out, &t2) == 0)
        FUZZ_CHECK(t2 == t, "\"%s\" -> %lld -> \"%s\" -> %lld", s,
                   (long long)t, out, (long long)t2);
    else /* only an offset can carry an instant before 1900 */
        FUZZ_CHECK(off != 0 && t < -2208988800LL,
                   "\"%s\" -> %lld formats as unparsable \"%s\"", s,
                   (long long)t, out);
    if (n == 20 && off == 0 && (s[10] == 'T') && (s[19] == 'Z'))
        FUZZ_CHECK(strcmp(out, s) == 0, "\"%s\" formats back as \"%s\"", s,
                   out);
}

static void check_date(const char *s)
{
    int64_t days, d2;
    char out[TIMEFMT_RFC3339_LEN];
    int y, m, d;

    if (timefmt_parse_date(s, &days))
        return;
    FUZZ_CHECK(strlen(s) == 10 && s[4] == '-' && s[7] == '-' && isdig(s[0]) &&
                   isdig(s[1]) && isdig(s[2]) && isdig(s[3]) && isdig(s[5]) &&
                   isdig(s[6]) && isdig(s[8]) && isdig(s[9]),
               "accepted date \"%s\"", s);
    sscanf(s, "%4d-%2d-%2d", &y, &m, &d);
    FUZZ_CHECK(ref_valid_date(y, m, d), "accepted impossible \"%s\"", s);
    FUZZ_CHECK(days * 86400 == ref_timegm(y, m, d, 0, 0, 0),
               "\"%s\" is day %lld", s, (long long)days);
    format_checked(days * 86400, out);
    FUZZ_CHECK(strncmp(out, s, 10) == 0 && strcmp(out + 10, "T00:00:00Z") == 0,
               "\"%s\" formats back as \"%s\"", s, out);
    out[10] = '\0';
    FUZZ_CHECK(timefmt_parse_date(out, &d2) == 0 && d2 == days,
               "date round trip of \"%s\"", s);
}

static void check_hhmm(const char *s)
{
    int m, m2;
    char out[8];

    if (timefmt_parse_hhmm(s, &m))
        return;
    FUZZ_CHECK(strlen(s) == 5 && isdig(s[0]) && isdig(s[1]) && s[2] == ':' &&
                   isdig(s[3]) && isdig(s[4]),
               "accepted \"%s\"", s);
    FUZZ_CHECK(m >= 0 && m <= 1440, "\"%s\" is %d minutes", s, m);
    FUZZ_CHECK(m == ((s[0] - '0') * 10 + s[1] - '0') * 60 +
                        (s[3] - '0') * 10 + s[4] - '0',
               "\"%s\" is %d minutes", s, m);
    timefmt_format_hhmm(m, out);
    FUZZ_CHECK(strcmp(out, s) == 0, "\"%s\" formats back as \"%s\"", s, out);
    FUZZ_CHECK(timefmt_parse_hhmm(out, &m2) == 0 && m2 == m, "round trip");
}

/* Numbers in: format -> parse, and the calendar helpers against glibc. */
static void check_numbers(struct fuzz_in *in)
{
    uint64_t r = fuzz_u64(in);
    int64_t t = T_MIN + (int64_t)(r % (uint64_t)(T_MAX - T_MIN + 1)), t2;
    char out[TIMEFMT_RFC3339_LEN], hm[8], any[TIMEFMT_RFC3339_LEN + 8];
    int y = (int)(int16_t)fuzz_u16(in), m = (int8_t)fuzz_u8(in),
        d = (int8_t)fuzz_u8(in), minutes = (int)fuzz_u32(in);
    struct tm tm;
    time_t tt = (time_t)t;

    /* any instant at all, even one no parser gives: a NUL-terminated
     * text inside the buffer, never an overrun */
    memset(any, 0x7f, sizeof any);
    timefmt_format_rfc3339((int64_t)r, any);
    FUZZ_CHECK(memchr(any, '\0', TIMEFMT_RFC3339_LEN) != NULL,
               "formatting %lld left no NUL in the buffer", (long long)r);
    for (size_t i = TIMEFMT_RFC3339_LEN; i < sizeof any; i++)
        FUZZ_CHECK(any[i] == 0x7f, "formatting %lld wrote past the buffer",
                   (long long)r);
    format_checked(t, out);
    if (t >= -2208988800LL)
        FUZZ_CHECK(timefmt_parse_rfc3339(out, &t2) == 0 && t2 == t,
                   "%lld -> \"%s\" does not parse back", (long long)t, out);
    gmtime_r(&tt, &tm);
    FUZZ_CHECK(timefmt_weekday(t >= 0 ? t / 86400 : -((-t + 86399) / 86400)) ==
                   tm.tm_wday,
               "weekday of %lld", (long long)t);
    FUZZ_CHECK(!!timefmt_valid_date(y, m, d) == ref_valid_date(y, m, d),
               "valid_date(%d, %d, %d)", y, m, d);
    if (ref_valid_date(y, m, d))
        FUZZ_CHECK(timefmt_days_from_civil(y, m, d) * 86400 ==
                       ref_timegm(y, m, d, 0, 0, 0),
                   "days_from_civil(%d, %d, %d)", y, m, d);
    timefmt_format_hhmm(minutes, hm);
    FUZZ_CHECK(strlen(hm) == 5 && hm[2] == ':', "hhmm(%d) = \"%s\"", minutes,
               hm);
    if (minutes >= 0 && minutes <= 1440) {
        int back;
        FUZZ_CHECK(timefmt_parse_hhmm(hm, &back) == 0 && back == minutes,
                   "%d -> \"%s\"", minutes, hm);
    }
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    uint8_t mode = fuzz_u8(&in);
    char *s;

    if (mode % 4 == 3) {
        check_numbers(&in);
        return 0;
    }
    s = fuzz_rest_str(&in);
    switch (mode % 4) {
    case 0: check_rfc3339(s); break;
    case 1: check_date(s); break;
    default: check_hhmm(s); break;
    }
    free(s);
    return 0;
}

FUZZ_TARGET(fuzz_one)
