/*
 * test_slots_days.c - the appointment slot search (slots.c) across days on
 * small hand-built offers: the minimum notice and back-ordered parts and
 * which of them a day is empty for, the reason of every empty day, days
 * without windows or technicians, and windows and shifts laid out in local
 * time across a daylight-saving change.  The rules within one day, the
 * ranking and validation are test_slots.c's.
 *
 * Travel is a matrix of exact seconds, so arrivals, added travel and loads
 * are asserted exactly, and every day's reason is asserted by its code.  A
 * start-time test pairs a case that fits exactly on its boundary with one
 * a second over, so that bound and nothing else decides.
 */
#include "common/err.h"
#include "common/timefmt.h"
#include "common/tz.h"
#include "slots/slots.h"
#include "slots_world.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>

/* ---- notice and parts --------------------------------------------------- */

/* Home 0, job 1 600 s away, shifts 08:00-17:00 on days 0 and 1; windows
 * 09-11, 11-13, 13-15 on day 0 and 09-11 on day 1. */
static void two_days(struct sw_world *w)
{
    sw_init(w, 2, 2, 1);
    sw_leg(w, 0, 1, 600);
    sw_tech(w, 0, NULL, 0);
    sw_shift(w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_shift(w, 0, 1, SW_AT(1, 8, 0, 0), SW_AT(1, 17, 0, 0));
    sw_window(w, 0, SW_AT(0, 9, 0, 0), SW_AT(0, 11, 0, 0));
    sw_window(w, 0, SW_AT(0, 11, 0, 0), SW_AT(0, 13, 0, 0));
    sw_window(w, 0, SW_AT(0, 13, 0, 0), SW_AT(0, 15, 0, 0));
    sw_window(w, 1, SW_AT(1, 9, 0, 0), SW_AT(1, 11, 0, 0));
}

/* With the earliest start at `from` (set as notice or parts by the
 * caller): the slots expected of two_days. */
static void from_noon(struct sw_world *w)
{
    sw_search(w);
    sw_nslots(w, 3);
    sw_slot(w, 0, 1, 0, SW_AT(0, 12, 0, 0), 1200, 125);
    sw_slot(w, 1, 2, 0, SW_AT(0, 13, 0, 0), 1200, 125);
    sw_slot(w, 2, 3, 0, SW_AT(1, 9, 0, 0), 1200, 125);
    sw_reason(w, 0, SR_OK);
    sw_reason(w, 1, SR_OK);
}

START_TEST(notice)
{
    struct sw_world w;

    two_days(&w);
    w.in.not_before = SW_AT(0, 12, 0, 0);
    from_noon(&w);
    /* a notice ending exactly at a window's end: arrives on its end */
    w.in.not_before = SW_AT(0, 13, 0, 0);
    sw_search(&w);
    sw_nslots(&w, 3);
    sw_slot(&w, 0, 1, 0, SW_AT(0, 13, 0, 0), 1200, 125);
    sw_slot(&w, 1, 2, 0, SW_AT(0, 13, 0, 0), 1200, 125);
    w.in.not_before = SW_AT(0, 13, 0, 1);
    sw_search(&w);
    sw_nslots(&w, 2);
    sw_slot(&w, 0, 2, 0, SW_AT(0, 13, 0, 1), 1200, 125);
    sw_slot(&w, 1, 3, 0, SW_AT(1, 9, 0, 0), 1200, 125);
    /* every window of day 0 ends before the notice */
    w.in.not_before = SW_AT(0, 15, 0, 1);
    sw_search(&w);
    sw_nslots(&w, 1);
    sw_slot(&w, 0, 3, 0, SW_AT(1, 9, 0, 0), 1200, 125);
    sw_reason(&w, 0, SR_TOO_SOON);
    sw_reason(&w, 1, SR_OK);
    /* and of day 1 too */
    w.in.not_before = SW_AT(1, 11, 0, 1);
    sw_search(&w);
    sw_nslots(&w, 0);
    sw_reason(&w, 0, SR_TOO_SOON);
    sw_reason(&w, 1, SR_TOO_SOON);
    slots_result_release(&w.res);
}
END_TEST

START_TEST(parts)
{
    struct sw_world w;

    two_days(&w);
    w.in.parts_from = SW_AT(0, 12, 0, 0);
    from_noon(&w);
    w.in.parts_from = SW_AT(0, 15, 0, 1);
    sw_search(&w);
    sw_nslots(&w, 1);
    sw_slot(&w, 0, 3, 0, SW_AT(1, 9, 0, 0), 1200, 125);
    sw_reason(&w, 0, SR_PARTS);
    sw_reason(&w, 1, SR_OK);
    /* parts due in the middle of day 1's window */
    w.in.parts_from = SW_AT(1, 10, 0, 0);
    sw_search(&w);
    sw_nslots(&w, 1);
    sw_slot(&w, 0, 3, 0, SW_AT(1, 10, 0, 0), 1200, 125);
    sw_reason(&w, 0, SR_PARTS);
    slots_result_release(&w.res);
}
END_TEST

/* Both rule a day out: the later of the two is its reason. */
START_TEST(notice_and_parts_later_decides)
{
    struct sw_world w;

    two_days(&w);
    /* notice at noon, parts the next morning: parts */
    w.in.not_before = SW_AT(0, 12, 0, 0);
    w.in.parts_from = SW_AT(1, 10, 0, 0);
    sw_search(&w);
    sw_nslots(&w, 1);
    sw_slot(&w, 0, 3, 0, SW_AT(1, 10, 0, 0), 1200, 125);
    sw_reason(&w, 0, SR_PARTS);
    sw_reason(&w, 1, SR_OK);
    /* the other way round: too soon */
    w.in.not_before = SW_AT(1, 10, 0, 0);
    w.in.parts_from = SW_AT(0, 12, 0, 0);
    sw_search(&w);
    sw_nslots(&w, 1);
    sw_slot(&w, 0, 3, 0, SW_AT(1, 10, 0, 0), 1200, 125);
    sw_reason(&w, 0, SR_TOO_SOON);
    sw_reason(&w, 1, SR_OK);
    /* parts after day 0's windows, notice after all of them */
    w.in.not_before = SW_AT(1, 12, 0, 0);
    w.in.parts_from = SW_AT(0, 16, 0, 0);
    sw_search(&w);
    sw_nslots(&w, 0);
    sw_reason(&w, 0, SR_TOO_SOON);
    sw_reason(&w, 1, SR_TOO_SOON);
    /* and the reverse */
    w.in.not_before = SW_AT(0, 16, 0, 0);
    w.in.parts_from = SW_AT(1, 12, 0, 0);
    sw_search(&w);
    sw_nslots(&w, 0);
    sw_reason(&w, 0, SR_PARTS);
    sw_reason(&w, 1, SR_PARTS);
    /* the notice alone rules day 0 out, parts came before: too soon */
    w.in.not_before = SW_AT(0, 16, 0, 0);
    w.in.parts_from = SW_AT(0, 10, 0, 0);
    sw_search(&w);
    sw_nslots(&w, 1);
    sw_reason(&w, 0, SR_TOO_SOON);
    slots_result_release(&w.res);
}
END_TEST

/* ---- empty days --------------------------------------------------------- */

START_TEST(empty_day_reasons)
{
    struct sw_world w;

    sw_init(&w, 2, 4, 1);
    sw_leg(&w, 0, 1, 600);
    w.in.skills = sw_need7_3;
    w.in.nskills = 1;
    sw_tech(&w, 0, sw_has7_3, 1);
    sw_tech(&w, 0, sw_has7_2, 1);
    w.techs[0].capacity = 10 * SW_H; /* capacity is not what decides */
    /* day 0: free; day 1: booked solid; day 2: only the unskilled one;
     * day 3: nobody */
    sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_busy(&w, sw_shift(&w, 0, 1, SW_AT(1, 8, 0, 0), SW_AT(1, 17, 0, 0)),
            SW_AT(1, 8, 30, 0), SW_AT(1, 16, 30, 0), 0);
    sw_shift(&w, 1, 1, SW_AT(1, 8, 0, 0), SW_AT(1, 17, 0, 0));
    sw_shift(&w, 1, 2, SW_AT(2, 8, 0, 0), SW_AT(2, 17, 0, 0));
    for (int d = 0; d < 4; d++)
        sw_window(&w, d, SW_AT(d, 9, 0, 0), SW_AT(d, 11, 0, 0));
    sw_search(&w);
    sw_nslots(&w, 1);
    sw_slot(&w, 0, 0, 0, SW_AT(0, 9, 0, 0), 1200, 100);
    sw_reason(&w, 0, SR_OK);
    sw_reason(&w, 1, SR_ALL_BUSY);
    sw_reason(&w, 2, SR_NO_SKILLED);
    sw_reason(&w, 3, SR_NO_SKILLED);
    /* (the unskilled one was free on day 1 and not asked); day 2's shift
     * given to the skilled one */
    w.shifts[3].tech = 0;
    sw_search(&w);
    sw_nslots(&w, 2);
    sw_slot(&w, 1, 2, 0, SW_AT(2, 9, 0, 0), 1200, 100);
    sw_reason(&w, 2, SR_OK);
    slots_result_release(&w.res);
}
END_TEST

/* ---- days without windows ---------------------------------------------- */

/* Work booked that day counts whole, even beyond what its busy time
 * shows (overlapping visits put there by a manager's override). */
START_TEST(booked_work_fills_the_day)
{
    struct sw_world w;

    two_days(&w);
    w.shifts[0].work = 4 * SW_H; /* no busy time, half the day's work */
    sw_search(&w);
    sw_nslots(&w, 4);
    sw_slot(&w, 0, 0, 0, SW_AT(0, 9, 0, 0), 1200, 625);
    w.shifts[0].work = 750 * 60; /* over the 8 hours */
    sw_search(&w);
    sw_nslots(&w, 1);
    sw_slot(&w, 0, 3, 0, SW_AT(1, 9, 0, 0), 1200, 125);
    sw_reason(&w, 0, SR_ALL_BUSY);
    sw_reason(&w, 1, SR_OK);
}
END_TEST

START_TEST(empty_offer)
{
    struct sw_world w;

    sw_init(&w, 1, 0, 0);
    sw_search(&w);
    sw_nslots(&w, 0);
    /* days without windows or technicians */
    w.in.ndays = 2;
    sw_search(&w);
    sw_nslots(&w, 0);
    sw_reason(&w, 0, SR_NO_SKILLED);
    sw_reason(&w, 1, SR_NO_SKILLED);
    slots_result_release(&w.res);
    ck_assert_ptr_null(w.res.slots);
    ck_assert_ptr_null(w.res.day_reason);
    ck_assert_int_eq(w.res.nslots, 0);
    slots_result_release(&w.res); /* twice is harmless */
}
END_TEST

/* ---- local time across a daylight-saving change ------------------------- */

/* Europe/Berlin local h:00 on 2026-03-d, as seconds after the origin
 * 2026-03-28T00:00Z. */
static int32_t berlin(const struct tz *z, int d, int h)
{
    int64_t origin = timefmt_days_from_civil(2026, 3, 28) * SW_DAY;
    int64_t local = timefmt_days_from_civil(2026, 3, d) * SW_DAY + h * SW_H;

    return (int32_t)(tz_local_to_utc(z, local) - origin);
}

START_TEST(dst_keeps_local_time)
{
    struct sw_world w;
    const struct tz *z = NULL;
    struct err err = ERR_INIT;

    ck_assert_msg(tz_get("Europe/Berlin", &z, &err) == 0, "%s", err.msg);
    /* days 0, 1, 2 are March 28 (CET), 29 (the change), 30 (CEST) */
    sw_init(&w, 2, 3, 1);
    sw_leg(&w, 0, 1, 600);
    sw_tech(&w, 0, NULL, 0);
    sw_shift(&w, 0, 0, berlin(z, 28, 8), berlin(z, 28, 17));
    sw_shift(&w, 0, 2, berlin(z, 30, 8), berlin(z, 30, 17));
    sw_window(&w, 0, berlin(z, 28, 9), berlin(z, 28, 11));
    sw_window(&w, 2, berlin(z, 30, 9), berlin(z, 30, 11));
    ck_assert_int_eq(w.shifts[0].start, SW_AT(0, 7, 0, 0));
    ck_assert_int_eq(w.shifts[1].start, SW_AT(2, 6, 0, 0));
    sw_search(&w);
    sw_nslots(&w, 2);
    /* local 09:00 both days: 08:00Z on the 28th, 07:00Z on the 30th */
    sw_slot(&w, 0, 0, 0, SW_AT(0, 8, 0, 0), 1200, 125);
    sw_slot(&w, 1, 1, 0, SW_AT(2, 7, 0, 0), 1200, 125);
    sw_reason(&w, 0, SR_OK);
    sw_reason(&w, 1, SR_NO_SKILLED);
    sw_reason(&w, 2, SR_OK);
    /* the local shift end holds too (16:00Z, then 15:00Z): from local
     * 09:00, 8 h less the drive home fits exactly, a second more does not */
    w.in.duration = 8 * SW_H - 600 + 1;
    sw_search(&w);
    sw_nslots(&w, 0);
    sw_reason(&w, 0, SR_ALL_BUSY);
    sw_reason(&w, 2, SR_ALL_BUSY);
    w.in.duration = 8 * SW_H - 600;
    sw_search(&w);
    sw_nslots(&w, 2);
    sw_slot(&w, 0, 0, 0, SW_AT(0, 8, 0, 0), 1200, 979);
    sw_slot(&w, 1, 1, 0, SW_AT(2, 7, 0, 0), 1200, 979);
    slots_result_release(&w.res);
}
END_TEST

static void teardown(void)
{
    tz_cache_clear();
}

int main(void)
{
    Suite *s = suite_create("slots_days");
    TCase *days = tcase_create("days");
    TCase *dst = tcase_create("dst");

    tcase_add_test(days, notice);
    tcase_add_test(days, parts);
    tcase_add_test(days, notice_and_parts_later_decides);
    tcase_add_test(days, empty_day_reasons);
    tcase_add_test(days, empty_offer);
    tcase_add_test(days, booked_work_fills_the_day);
    tcase_add_test(dst, dst_keeps_local_time);
    tcase_add_checked_fixture(dst, NULL, teardown);
    tcase_set_timeout(days, 30);
    tcase_set_timeout(dst, 30);
    suite_add_tcase(s, days);
    suite_add_tcase(s, dst);
    return tu_run_suite(s);
}
