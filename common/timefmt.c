/*
 * timefmt.c - calendar arithmetic and strict RFC 3339 / date / HH:MM parsing.
 *
 * Pure functions, no locale and no time zone database: the civil-date
 * conversions are Howard Hinnant's well-known days-from-civil algorithm.
 */
#include "common/timefmt.h"
#include "common/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t timefmt_days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int timefmt_valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* Read exactly n decimal digits from s into *v. */
static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
    if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, m) ||
        s[7] != '-' || digits(s + 8, 2, d) || !timefmt_valid_date(*y, *m, *d))
        return ERR_INVALID;
    return 0;
}

int timefmt_parse_date(const char *s, int64_t *days)
{
    int y, m, d;

    if (strlen(s) != 10 || parse_ymd(s, &y, &m, &d))
        return ERR_INVALID;
    *days = timefmt_days_from_civil(y, m, d);
    return 0;
}

/* Parse the zone suffix: "Z" or "+HH:MM" / "-HH:MM" into seconds east. */
static int parse_zone(const char *s, int *offset)
{
    int hh, mm;

    if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
        *offset = 0;
        return 0;
    }
    if ((s[0] != '+' && s[0] != '-') || digits(s + 1, 2, &hh) ||
        s[3] != ':' || digits(s + 4, 2, &mm) || s[6] != '\0' || hh > 23 ||
        mm > 59)
        return ERR_INVALID;
    *offset = (hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
    return 0;
}

int timefmt_parse_rfc3339(const char *s, int64_t *unix_s)
{
    int y, mo, d, h, mi, sec, offset;
    const char *p;

    if (strlen(s) < 20 || parse_ymd(s, &y, &mo, &d) ||
        (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
        digits(s + 17, 2, &sec) || h > 23 || mi > 59 || sec > 59)
        return ERR_INVALID;
    p = s + 19;
    if (*p == '.') { /* fractional seconds are accepted and dropped */
        if (p[1] < '0' || p[1] > '9')
            return ERR_INVALID;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    }
    if (parse_zone(p, &offset))
        return ERR_INVALID;
    *unix_s = timefmt_days_from_civil(y, mo, d) * 86400 + h * 3600 +
              mi * 60 + sec - offset;
    /* an offset may carry the instant out of years 0001-9999, which the
     * formatter (and RFC 3339) cannot write */
    if (*unix_s < timefmt_days_from_civil(1, 1, 1) * 86400 ||
        *unix_s > timefmt_days_from_civil(9999, 12, 31) * 86400 + 86399)
        return ERR_INVALID;
    return 0;
}

void timefmt_format_rfc3339(int64_t unix_s, char *buf)
{
    time_t t = (time_t)unix_s;
    struct tm tm;

    if (!gmtime_r(&t, &tm) ||
        strftime(buf, TIMEFMT_RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        buf[0] = '\0'; /* outside years 0-9999: nothing, never an overrun */
}

int timefmt_parse_hhmm(const char *s, int *minutes)
{
    int h, m;

    if (strlen(s) != 5 || digits(s, 2, &h) || s[2] != ':' ||
        digits(s + 3, 2, &m) || m > 59 || h > 24 || (h == 24 && m != 0))
        return ERR_INVALID;
    *minutes = h * 60 + m;
    return 0;
}

void timefmt_format_hhmm(int minutes, char *buf)
{
    unsigned m = minutes < 0 ? 0u : (unsigned)minutes % (25u * 60u);

    snprintf(buf, 6, "%02u:%02u", m / 60u, m % 60u);
}

int timefmt_weekday(int64_t days)
{
    return (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
}
