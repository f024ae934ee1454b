/*
 * test_timefmt.c - strict RFC 3339, date and HH:MM parsing and formatting.
 *
 * Every parser must reject trailing characters and impossible calendar
 * values; offsets must be applied in the right direction; formatting is
 * always UTC with a Z suffix.
 */
#include "common/err.h"
#include "common/timefmt.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>

static int64_t rfc(const char *s)
{
    int64_t t = -1;

    ck_assert_msg(timefmt_parse_rfc3339(s, &t) == 0, "rejected %s", s);
    return t;
}

START_TEST(rfc3339_utc_and_offsets)
{
    ck_assert_int_eq(rfc("1970-01-01T00:00:00Z"), 0);
    ck_assert_int_eq(rfc("2026-11-23T09:30:00Z"), 1795426200);
    ck_assert_int_eq(rfc("2026-11-23t09:30:00z"), 1795426200);
    ck_assert_int_eq(rfc("2026-11-23T11:30:00+02:00"), 1795426200);
    ck_assert_int_eq(rfc("2026-11-23T04:00:00-05:30"), 1795426200);
    ck_assert_int_eq(rfc("2026-11-23T09:30:00+00:00"), 1795426200);
    ck_assert_int_eq(rfc("2026-11-23T09:30:00-00:00"), 1795426200);
    /* an offset can move the instant across a day and a year boundary */
    ck_assert_int_eq(rfc("2027-01-01T01:00:00+23:59"), 1798761600 - 82740);
    ck_assert_int_eq(rfc("1900-01-01T00:00:00Z"), -2208988800LL);
    ck_assert_int_eq(rfc("9999-12-31T23:59:59Z"), 253402300799LL);
    /* but never out of years 0001-9999, which could not be written back */
    int64_t t;
    ck_assert_int_ne(timefmt_parse_rfc3339("9999-12-31T23:59:59-00:01", &t),
                     0);
    ck_assert_int_ne(timefmt_parse_rfc3339("0001-01-01T00:00:00+00:01", &t),
                     0);
}
END_TEST

START_TEST(rfc3339_fractional_seconds_are_dropped)
{
    ck_assert_int_eq(rfc("2026-11-23T09:30:00.5Z"), 1795426200);
    ck_assert_int_eq(rfc("2026-11-23T09:30:00.999999999Z"), 1795426200);
    ck_assert_int_eq(rfc("2026-11-23T11:30:00.123+02:00"), 1795426200);
}
END_TEST

START_TEST(rfc3339_rejects_bad_forms)
{
    static const char *const bad[] = {
        "", "2026-11-23", "2026-11-23T09:30:00", "2026-11-23T09:30Z",
        "2026-11-23 09:30:00Z", "2026-11-23T09:30:00Zx",
        "2026-11-23T09:30:00Z ", " 2026-11-23T09:30:00Z",
        "2026-11-23T09:30:00+02:00x", "2026-11-23T09:30:00+0200",
        "2026-11-23T09:30:00+02", "2026-11-23T09:30:00.Z",
        "2026-11-23T09:30:00.", "2026-11-23T09:30:00.5",
        "2026-11-23T09:30:00+24:00", "2026-11-23T09:30:00+02:60",
        "2026-11-23T24:00:00Z", "2026-11-23T09:60:00Z",
        "2026-11-23T09:30:60Z", "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z",
        "1899-12-31T23:59:59Z", "2026-1-23T09:30:00Z",
        "2026/11/23T09:30:00Z", "+2026-11-23T09:30:00Z",
        "2026-11-23T9:30:00Z", "2026-11-23T09:30:00UTC",
    };
    int64_t t = 42;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(timefmt_parse_rfc3339(bad[i], &t) == ERR_INVALID,
                      "accepted '%s'", bad[i]);
        ck_assert_int_eq(t, 42); /* untouched on failure */
    }
}
END_TEST

START_TEST(leap_days)
{
    ck_assert_int_eq(rfc("2024-02-29T00:00:00Z"), 1709164800);
    ck_assert_int_eq(rfc("2000-02-29T12:00:00Z"), 951782400 + 43200);
    ck_assert_int_eq(timefmt_valid_date(2024, 2, 29), 1);
    ck_assert_int_eq(timefmt_valid_date(2000, 2, 29), 1);
    ck_assert_int_eq(timefmt_valid_date(2026, 2, 29), 0);
    ck_assert_int_eq(timefmt_valid_date(2100, 2, 29), 0);
    ck_assert_int_eq(timefmt_valid_date(1900, 2, 29), 0);
    ck_assert_int_eq(timefmt_valid_date(2026, 2, 28), 1);
    ck_assert_int_eq(timefmt_valid_date(2026, 12, 31), 1);
    ck_assert_int_eq(timefmt_valid_date(2026, 6, 31), 0);
    ck_assert_int_eq(timefmt_valid_date(2026, 0, 1), 0);
    ck_assert_int_eq(timefmt_valid_date(2026, 1, 0), 0);
    ck_assert_int_eq(timefmt_valid_date(1899, 12, 31), 0);
    ck_assert_int_eq(timefmt_valid_date(10000, 1, 1), 0);
}
END_TEST

START_TEST(dates)
{
    int64_t d = -1;

    ck_assert_int_eq(timefmt_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(timefmt_days_from_civil(1969, 12, 31), -1);
    ck_assert_int_eq(timefmt_days_from_civil(2000, 3, 1), 11017);
    ck_assert_int_eq(timefmt_parse_date("2026-11-23", &d), 0);
    ck_assert_int_eq(d, 20780);
    ck_assert_int_eq(timefmt_parse_date("2024-02-29", &d), 0);
    ck_assert_int_eq(d, 19782);
    d = 7;
    ck_assert_int_eq(timefmt_parse_date("2026-02-29", &d), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_date("2026-11-23T", &d), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_date("2026-11-2", &d), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_date("2026-11-023", &d), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_date("2026_11_23", &d), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_date("", &d), ERR_INVALID);
    ck_assert_int_eq(d, 7);
}
END_TEST

START_TEST(rfc3339_formatting)
{
    char buf[TIMEFMT_RFC3339_LEN];

    timefmt_format_rfc3339(0, buf);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
    timefmt_format_rfc3339(1795426200, buf);
    ck_assert_str_eq(buf, "2026-11-23T09:30:00Z");
    timefmt_format_rfc3339(1709164800 + 86399, buf);
    ck_assert_str_eq(buf, "2024-02-29T23:59:59Z");
    timefmt_format_rfc3339(253402300799LL, buf);
    ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
    /* parse(format(t)) == t */
    ck_assert_int_eq(rfc(buf), 253402300799LL);
}
END_TEST

START_TEST(hhmm)
{
    char buf[6];
    int m = -1;

    ck_assert_int_eq(timefmt_parse_hhmm("00:00", &m), 0);
    ck_assert_int_eq(m, 0);
    ck_assert_int_eq(timefmt_parse_hhmm("09:30", &m), 0);
    ck_assert_int_eq(m, 570);
    ck_assert_int_eq(timefmt_parse_hhmm("23:59", &m), 0);
    ck_assert_int_eq(m, 1439);
    ck_assert_int_eq(timefmt_parse_hhmm("24:00", &m), 0);
    ck_assert_int_eq(m, 1440);
    m = 5;
    ck_assert_int_eq(timefmt_parse_hhmm("24:01", &m), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_hhmm("25:00", &m), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_hhmm("12:60", &m), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_hhmm("9:30", &m), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_hhmm("09:30:00", &m), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_hhmm("09:30 ", &m), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_hhmm("09-30", &m), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_hhmm("-1:00", &m), ERR_INVALID);
    ck_assert_int_eq(timefmt_parse_hhmm("", &m), ERR_INVALID);
    ck_assert_int_eq(m, 5);

    timefmt_format_hhmm(0, buf);
    ck_assert_str_eq(buf, "00:00");
    timefmt_format_hhmm(570, buf);
    ck_assert_str_eq(buf, "09:30");
    timefmt_format_hhmm(1440, buf);
    ck_assert_str_eq(buf, "24:00");
}
END_TEST

START_TEST(weekdays_count_from_a_thursday)
{
    ck_assert_int_eq(timefmt_weekday(0), 4); /* 1970-01-01 */
    ck_assert_int_eq(timefmt_weekday(-1), 3); /* 1969-12-31 */
    ck_assert_int_eq(timefmt_weekday(timefmt_days_from_civil(2031, 1, 7)), 2);
    ck_assert_int_eq(timefmt_weekday(timefmt_days_from_civil(2027, 3, 28)),
                     0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timefmt");
    TCase *tc = tcase_create("parse_format");

    tcase_add_test(tc, rfc3339_utc_and_offsets);
    tcase_add_test(tc, weekdays_count_from_a_thursday);
    tcase_add_test(tc, rfc3339_fractional_seconds_are_dropped);
    tcase_add_test(tc, rfc3339_rejects_bad_forms);
    tcase_add_test(tc, leap_days);
    tcase_add_test(tc, dates);
    tcase_add_test(tc, rfc3339_formatting);
    tcase_add_test(tc, hhmm);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
