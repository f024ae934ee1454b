/*
 * test_time_off.c - whether a technician is off on a date (time_off.h):
 * both ends of a stretch count, other technicians' time off does not, and
 * a row whose dates do not parse puts nobody off.
 */
#include "common/timefmt.h"
#include "rules/time_off.h"
#include "testutil.h"

#include <check.h>

static int64_t day(const char *date)
{
    int64_t d;

    ck_assert_int_eq(timefmt_parse_date(date, &d), 0);
    return d;
}

START_TEST(both_ends_are_off)
{
    json_t *rows = json_pack(
        "[{s:i, s:s, s:s}, {s:i, s:s, s:s}, {s:i, s:s, s:s}]",
        "technician_id", 7, "first_day", "2027-03-26", "last_day",
        "2027-03-28", "technician_id", 8, "first_day", "2027-03-29",
        "last_day", "2027-03-29", "technician_id", 7, "first_day",
        "2027-13-01", "last_day", "2027-13-02");

    ck_assert_int_eq(time_off_on(rows, 7, day("2027-03-25")), 0);
    ck_assert_int_eq(time_off_on(rows, 7, day("2027-03-26")), 1);
    ck_assert_int_eq(time_off_on(rows, 7, day("2027-03-28")), 1);
    ck_assert_int_eq(time_off_on(rows, 7, day("2027-03-29")), 0);
    ck_assert_int_eq(time_off_on(rows, 8, day("2027-03-29")), 1);
    ck_assert_int_eq(time_off_on(rows, 9, day("2027-03-27")), 0);
    ck_assert_int_eq(time_off_on(NULL, 7, day("2027-03-27")), 0);
    json_decref(rows);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("time_off");
    TCase *tc = tcase_create("time_off");

    tcase_add_test(tc, both_ends_are_off);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
