/*
 * timefmt.h - strict parsing and formatting of the API's date and time forms.
 *
 * Instants are Unix seconds (UTC) internally and RFC 3339 on the wire
 * ("2026-11-23T09:30:00Z", offsets accepted on input, Z on output).  Calendar
 * dates are "YYYY-MM-DD"; times of day are "HH:MM" (minutes after midnight).
 * All parsers reject trailing characters and impossible calendar values.
 */
#ifndef FSD_TIMEFMT_H
#define FSD_TIMEFMT_H

#include <stdint.h>

#define TIMEFMT_RFC3339_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" plus NUL */
#define TIMEFMT_DATE_LEN 11    /* "YYYY-MM-DD" plus NUL */

/* Days since 1970-01-01 of a proleptic Gregorian date (no validation). */
int64_t timefmt_days_from_civil(int y, int m, int d);

/* Weekday of a day counted from 1970-01-01 (a Thursday): 0 = Sunday, as
 * shifts store it. */
int timefmt_weekday(int64_t days);

/* 1 when y-m-d is a real calendar date in years 1900..9999. */
int timefmt_valid_date(int y, int m, int d);

/* Parse "YYYY-MM-DD" into days since the epoch; 0 or ERR_INVALID. */
int timefmt_parse_date(const char *s, int64_t *days);

/* Parse an RFC 3339 instant; 0 or ERR_INVALID. */
int timefmt_parse_rfc3339(const char *s, int64_t *unix_s);

/* Format unix_s as "YYYY-MM-DDTHH:MM:SSZ" into buf (TIMEFMT_RFC3339_LEN). */
void timefmt_format_rfc3339(int64_t unix_s, char *buf);

/* Parse "HH:MM" (00:00..24:00) into minutes; 0 or ERR_INVALID. */
int timefmt_parse_hhmm(const char *s, int *minutes);

/* Format minutes as "HH:MM" into buf (6 bytes). */
void timefmt_format_hhmm(int minutes, char *buf);

#endif
