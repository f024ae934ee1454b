/*
 * test_slots.c - the appointment slot search (slots.c) within one day on
 * small hand-built offers: skills, the shift with the drive from and back
 * home, the wait for a window, existing visits with the drive to and from
 * them and the gap between them, capacity, the ranking and its one slot
 * per window, the straight-line default travel, validation and the reason
 * codes.  Notice, parts, the reasons of empty days and local time across a
 * daylight-saving change are test_slots_days.c's.
 *
 * Travel is a matrix of exact seconds, so arrivals, added travel and loads
 * are asserted exactly.  A constraint test pairs a case that fits exactly
 * on its boundary with one a second over, so that constraint and nothing
 * else decides.  Every refusal asserts rc, code, field and message, on an
 * element other than the first so the index is checked too.
 */
#include "common/err.h"
#include "slots/slots.h"
#include "slots_world.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>

/* ---- skills ----------------------------------------------------------- */

START_TEST(skill_missing)
{
    struct sw_world w;

    sw_two_techs(&w);
    w.in.skills = sw_need7_3;
    w.in.nskills = 1;
    w.techs[0].skills = sw_has9_5; /* the nearer one lacks skill 7 */
    w.techs[0].nskills = 1;
    w.techs[1].skills = sw_has7_3;
    w.techs[1].nskills = 1;
    sw_one(&w, 1, SW_AT(0, 9, 0, 0), 2400, 125);
    /* relaxed: the nearer one has it too, well above the level */
    w.techs[0].skills = sw_has7_5;
    sw_one(&w, 0, SW_AT(0, 9, 0, 0), 1200, 125);
    /* nobody has it */
    w.techs[0].nskills = w.techs[1].nskills = 0;
    sw_none(&w, SR_NO_SKILLED);
    /* a job needing nothing goes to the nearer one */
    w.in.nskills = 0;
    sw_one(&w, 0, SW_AT(0, 9, 0, 0), 1200, 125);
    slots_result_release(&w.res);
}
END_TEST

START_TEST(skill_level_below)
{
    struct sw_world w;

    sw_two_techs(&w);
    w.in.skills = sw_need7_3;
    w.in.nskills = 1;
    w.techs[0].skills = sw_has7_2;
    w.techs[0].nskills = 1;
    w.techs[1].skills = sw_has7_3; /* exactly the minimum is enough */
    w.techs[1].nskills = 1;
    sw_one(&w, 1, SW_AT(0, 9, 0, 0), 2400, 125);
    w.techs[0].skills = sw_has7_3;
    sw_one(&w, 0, SW_AT(0, 9, 0, 0), 1200, 125);
    /* below the level everywhere */
    w.techs[0].skills = w.techs[1].skills = sw_has7_2;
    sw_none(&w, SR_NO_SKILLED);
    /* the only technician, below the level */
    w.in.ntechs = w.in.nshifts = 1;
    sw_none(&w, SR_NO_SKILLED);
    slots_result_release(&w.res);
}
END_TEST

START_TEST(skill_every_one_required)
{
    struct sw_world w;

    sw_two_techs(&w);
    /* the nearer one has skill 7 well above the level but not skill 9 */
    w.in.skills = sw_need7_3_9_1;
    w.in.nskills = 2;
    w.techs[0].skills = sw_has7_5;
    w.techs[0].nskills = 1;
    w.techs[1].skills = sw_has7_3_9_2;
    w.techs[1].nskills = 2;
    sw_one(&w, 1, SW_AT(0, 9, 0, 0), 2400, 125);
    /* without skill 9 neither qualifies */
    w.techs[1].nskills = 1; /* {9, 2} only */
    sw_none(&w, SR_NO_SKILLED);
    slots_result_release(&w.res);
}
END_TEST

/* ---- the shift ---------------------------------------------------------- */

START_TEST(shift_drive_from_home)
{
    struct sw_world w;

    sw_one_tech(&w);
    w.in.duration = 2 * SW_H;
    /* leaves home at 08:00, on site at 08:30: a window ending a second
     * earlier cannot be met */
    sw_only(&w, SW_AT(0, 7, 0, 0), SW_AT(0, 8, 29, 59));
    sw_none(&w, SR_ALL_BUSY);
    /* ... one ending at 08:30 is met on its last second */
    sw_only(&w, SW_AT(0, 7, 0, 0), SW_AT(0, 8, 30, 0));
    sw_one(&w, 0, SW_AT(0, 8, 30, 0), 3600, 250);
    /* a later shift start moves the arrival inside the window */
    w.shifts[0].start = SW_AT(0, 9, 0, 0);
    sw_only(&w, SW_AT(0, 9, 0, 0), SW_AT(0, 10, 0, 0));
    sw_one(&w, 0, SW_AT(0, 9, 30, 0), 3600, 250);
    slots_result_release(&w.res);
}
END_TEST

START_TEST(shift_drive_back_home)
{
    struct sw_world w;

    sw_one_tech(&w);
    w.in.duration = 2 * SW_H;
    /* 14:30 + 2 h + 30 min is home exactly at 17:00 */
    sw_only(&w, SW_AT(0, 14, 30, 0), SW_AT(0, 16, 0, 0));
    sw_one(&w, 0, SW_AT(0, 14, 30, 0), 3600, 250);
    sw_only(&w, SW_AT(0, 14, 30, 1), SW_AT(0, 16, 0, 0));
    sw_none(&w, SR_ALL_BUSY);
    /* a second more of shift makes room again */
    w.shifts[0].end = SW_AT(0, 17, 0, 1);
    sw_one(&w, 0, SW_AT(0, 14, 30, 1), 3600, 250);
    /* a window outside the shift is never met */
    w.shifts[0].end = SW_AT(0, 17, 0, 0);
    sw_only(&w, SW_AT(0, 18, 0, 0), SW_AT(0, 20, 0, 0));
    sw_none(&w, SR_ALL_BUSY);
    slots_result_release(&w.res);
}
END_TEST

START_TEST(arrive_waits_for_window)
{
    struct sw_world w;

    sw_one_tech(&w);
    w.in.duration = SW_H;
    /* on site at 08:30, the window opens at 10:00: waits, arrives 10:00 */
    sw_only(&w, SW_AT(0, 10, 0, 0), SW_AT(0, 12, 0, 0));
    sw_one(&w, 0, SW_AT(0, 10, 0, 0), 3600, 125);
    /* the window opened earlier: the earliest arrival is 08:30 */
    sw_only(&w, SW_AT(0, 6, 0, 0), SW_AT(0, 12, 0, 0));
    sw_one(&w, 0, SW_AT(0, 8, 30, 0), 3600, 125);
    slots_result_release(&w.res);
}
END_TEST

/* ---- existing visits ---------------------------------------------------- */

START_TEST(busy_blocks_with_travel_to_it)
{
    struct sw_world w;

    sw_busy_day(&w);
    /* 08:45 + 1 h + 15 min reaches the visit exactly at 10:00; the route
     * home-job-visit instead of home-visit adds 600 + 900 - 1200 */
    sw_only(&w, SW_AT(0, 8, 45, 0), SW_AT(0, 9, 30, 0));
    sw_one(&w, 0, SW_AT(0, 8, 45, 0), 300, 250);
    sw_only(&w, SW_AT(0, 8, 45, 1), SW_AT(0, 9, 30, 0));
    sw_none(&w, SR_ALL_BUSY);
    slots_result_release(&w.res);
}
END_TEST

START_TEST(busy_blocks_with_travel_from_it)
{
    struct sw_world w;

    sw_busy_day(&w);
    /* leaves the visit at 11:00, on site at 11:15 */
    sw_only(&w, SW_AT(0, 11, 0, 0), SW_AT(0, 11, 15, 0));
    sw_one(&w, 0, SW_AT(0, 11, 15, 0), 300, 250);
    sw_only(&w, SW_AT(0, 11, 0, 0), SW_AT(0, 11, 14, 59));
    sw_none(&w, SR_ALL_BUSY);
    /* both gaps fit a whole-day window and add the same: the earlier */
    sw_only(&w, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_one(&w, 0, SW_AT(0, 8, 10, 0), 300, 250);
    slots_result_release(&w.res);
}
END_TEST

/* Home 0, job 1, visits at 2 (09:00-10:00) and 3 (from 11:25); the gap
 * between them holds 10 min to the job, 1 h on site, 15 min on exactly. */
START_TEST(busy_gap_exactly_on_boundary)
{
    struct sw_world w;

    sw_init(&w, 4, 1, 1);
    sw_leg(&w, 0, 1, 600);
    sw_leg(&w, 0, 2, 600);
    sw_leg(&w, 0, 3, 600);
    sw_leg(&w, 1, 2, 600);
    sw_leg(&w, 1, 3, 900);
    sw_leg(&w, 2, 3, 300);
    sw_tech(&w, 0, NULL, 0);
    sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_busy(&w, 0, SW_AT(0, 9, 0, 0), SW_AT(0, 10, 0, 0), 2);
    sw_busy(&w, 0, SW_AT(0, 11, 25, 0), SW_AT(0, 12, 0, 0), 3);
    sw_only(&w, SW_AT(0, 10, 0, 0), SW_AT(0, 10, 30, 0));
    /* added 600 + 900 - 300; load (3600 + 2100 + 3600) / 28800 */
    sw_one(&w, 0, SW_AT(0, 10, 10, 0), 1200, 322);
    /* the second visit a second earlier: no room anywhere in the window */
    w.busy[0][1].start = SW_AT(0, 11, 24, 59);
    sw_none(&w, SR_ALL_BUSY);
    slots_result_release(&w.res);
}
END_TEST

/* Home 0, job 1; visits at 2 (near home, far from the job) 10:00-11:00
 * and at 3 (next to the job) 14:00-15:00: the middle gap adds least. */
START_TEST(busy_cheapest_gap_of_a_technician)
{
    struct sw_world w;

    sw_init(&w, 4, 1, 1);
    sw_leg(&w, 0, 1, 1800);
    sw_leg(&w, 0, 2, 60);
    sw_leg(&w, 1, 2, 1800);
    sw_leg(&w, 1, 3, 60);
    sw_leg(&w, 2, 3, 1800);
    sw_leg(&w, 0, 3, 1800);
    sw_tech(&w, 0, NULL, 0);
    sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_busy(&w, 0, SW_AT(0, 10, 0, 0), SW_AT(0, 11, 0, 0), 2);
    sw_busy(&w, 0, SW_AT(0, 14, 0, 0), SW_AT(0, 15, 0, 0), 3);
    sw_only(&w, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    /* first gap: 08:30, adds 1800 + 1800 - 60; middle gap: 11:30, adds
     * 1800 + 60 - 1800; last gap: 15:01, adds 60 + 1800 - 1800.  The
     * least travel wins, the earlier of the equal ones */
    sw_one(&w, 0, SW_AT(0, 11, 30, 0), 60, 375);
    /* only the first gap meets a morning window */
    sw_only(&w, SW_AT(0, 8, 0, 0), SW_AT(0, 9, 0, 0));
    sw_one(&w, 0, SW_AT(0, 8, 30, 0), 3540, 375);
    slots_result_release(&w.res);
}
END_TEST

/* ---- capacity ----------------------------------------------------------- */

START_TEST(capacity)
{
    struct sw_world w;

    sw_init(&w, 2, 1, 1);
    sw_leg(&w, 0, 1, 600);
    sw_tech(&w, 0, NULL, 0);
    sw_tech(&w, 0, NULL, 0);
    sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_busy(&w, 0, SW_AT(0, 14, 0, 0), SW_AT(0, 16, 0, 0), 0);
    sw_only(&w, SW_AT(0, 9, 0, 0), SW_AT(0, 11, 0, 0));
    w.techs[0].capacity = 3 * SW_H;
    /* 2 h booked + 1 h is exactly the capacity */
    sw_one(&w, 0, SW_AT(0, 9, 0, 0), 1200, 1000);
    w.in.duration = SW_H + 1;
    sw_none(&w, SR_ALL_BUSY);
    /* with a larger capacity the load is 3 h of 8 */
    w.in.duration = SW_H;
    w.techs[0].capacity = SW_CAP;
    sw_one(&w, 0, SW_AT(0, 9, 0, 0), 1200, 375);
    /* a full technician leaves the window to a second one with room */
    w.techs[0].capacity = 3 * SW_H;
    w.in.duration = SW_H + 1;
    sw_shift(&w, 1, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_one(&w, 1, SW_AT(0, 9, 0, 0), 1200, 125);
    slots_result_release(&w.res);
}
END_TEST

/* ---- ranking ------------------------------------------------------------ */

START_TEST(rank_earliest_window_first)
{
    struct sw_world w;

    /* the far one works the morning, the near one the afternoon and the
     * next day: earlier windows still come first */
    sw_near_and_far(&w, 2);
    sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 12, 0, 0));
    sw_shift(&w, 1, 0, SW_AT(0, 12, 0, 0), SW_AT(0, 17, 0, 0));
    sw_shift(&w, 1, 1, SW_AT(1, 8, 0, 0), SW_AT(1, 17, 0, 0));
    sw_window(&w, 0, SW_AT(0, 9, 0, 0), SW_AT(0, 11, 0, 0));
    sw_window(&w, 0, SW_AT(0, 13, 0, 0), SW_AT(0, 15, 0, 0));
    sw_window(&w, 1, SW_AT(1, 8, 0, 0), SW_AT(1, 10, 0, 0));
    sw_search(&w);
    sw_nslots(&w, 3);
    sw_slot(&w, 0, 0, 0, SW_AT(0, 9, 0, 0), 3600, 125);
    sw_slot(&w, 1, 1, 1, SW_AT(0, 13, 0, 0), 1200, 125);
    sw_slot(&w, 2, 2, 1, SW_AT(1, 8, 10, 0), 1200, 125);
    slots_result_release(&w.res);
}
END_TEST

START_TEST(rank_best_technician_of_window)
{
    struct sw_world w;

    sw_near_and_far(&w, 1);
    sw_leg(&w, 3, 2, 600); /* a third technician at 3, as near as 1 */
    sw_tech(&w, 3, NULL, 0);
    sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_busy(&w, sw_shift(&w, 1, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0)),
            SW_AT(0, 14, 0, 0), SW_AT(0, 16, 0, 0), 1);
    sw_shift(&w, 2, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_only(&w, SW_AT(0, 9, 0, 0), SW_AT(0, 11, 0, 0));
    /* all three fit; one slot: the near ones add least, 2 is less loaded */
    sw_one(&w, 2, SW_AT(0, 9, 0, 0), 1200, 125);
    /* equal load too: the lower index */
    sw_busy(&w, 2, SW_AT(0, 14, 0, 0), SW_AT(0, 16, 0, 0), 3);
    sw_one(&w, 1, SW_AT(0, 9, 0, 0), 1200, 375);
    /* travel before load: the far one, lightly loaded, still loses */
    w.techs[1].capacity = w.techs[2].capacity = 3 * SW_H;
    sw_one(&w, 1, SW_AT(0, 9, 0, 0), 1200, 1000);
    slots_result_release(&w.res);
}
END_TEST

/* Two windows opening together: the one whose slot adds less travel
 * ranks first, even though its arrival is later. */
START_TEST(rank_same_start_by_travel)
{
    struct sw_world w;

    sw_near_and_far(&w, 1);
    sw_leg(&w, 2, 3, 60); /* a visit of technician 1 next to the job */
    sw_leg(&w, 1, 3, 600);
    sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_busy(&w, sw_shift(&w, 1, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0)),
            SW_AT(0, 9, 0, 0), SW_AT(0, 10, 0, 0), 3);
    sw_window(&w, 0, SW_AT(0, 9, 0, 0), SW_AT(0, 9, 30, 0));
    sw_window(&w, 0, SW_AT(0, 9, 0, 0), SW_AT(0, 12, 0, 0));
    sw_search(&w);
    sw_nslots(&w, 2);
    /* window 1: technician 1 after the visit, adds 60 + 600 - 600 */
    sw_slot(&w, 0, 1, 1, SW_AT(0, 10, 1, 0), 60, 250);
    /* window 0: only technician 0 is there in time */
    sw_slot(&w, 1, 0, 0, SW_AT(0, 9, 0, 0), 3600, 125);
    slots_result_release(&w.res);
}
END_TEST

/* Two windows opening together, equal travel: the lower load first. */
START_TEST(rank_same_start_by_load)
{
    struct sw_world w;

    sw_init(&w, 3, 1, 2);
    sw_leg(&w, 0, 2, 600);
    sw_leg(&w, 1, 2, 600);
    sw_tech(&w, 0, NULL, 0);
    sw_tech(&w, 1, NULL, 0);
    sw_busy(&w, sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0)),
            SW_AT(0, 14, 0, 0), SW_AT(0, 16, 0, 0), 0);
    sw_shift(&w, 1, 0, SW_AT(0, 9, 30, 0), SW_AT(0, 17, 0, 0));
    sw_window(&w, 0, SW_AT(0, 9, 0, 0), SW_AT(0, 9, 30, 0));
    sw_window(&w, 0, SW_AT(0, 9, 0, 0), SW_AT(0, 12, 0, 0));
    sw_search(&w);
    sw_nslots(&w, 2);
    sw_slot(&w, 0, 1, 1, SW_AT(0, 9, 40, 0), 1200, 125);
    sw_slot(&w, 1, 0, 0, SW_AT(0, 9, 0, 0), 1200, 375);
    slots_result_release(&w.res);
}
END_TEST

/* ---- travel ------------------------------------------------------------- */

START_TEST(travel_straight_line_default)
{
    struct sw_world w;
    int32_t there, back;

    sw_init(&w, 2, 1, 1);
    w.in.travel = NULL;
    w.in.travel_ctx = NULL;
    w.locs[0] = (struct assign_loc){31.0, 121.3, 0};
    w.locs[1] = (struct assign_loc){31.05, 121.35, 0};
    sw_tech(&w, 0, NULL, 0);
    sw_shift(&w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_only(&w, SW_AT(0, 8, 0, 0), SW_AT(0, 10, 0, 0));
    there = assign_straight_seconds(&w.locs[0], &w.locs[1], 0, 0);
    back = assign_straight_seconds(&w.locs[1], &w.locs[0], 0, 0);
    ck_assert_int_gt(there, 600);
    ck_assert_int_lt(there, 3600);
    sw_one(&w, 0, SW_AT(0, 8, 0, 0) + there, there + back, 125);
    /* a given detour and speed are used */
    w.in.detour = 2.0;
    w.in.speed_kmh = 20;
    there = assign_straight_seconds(&w.locs[0], &w.locs[1], 2.0, 20);
    back = assign_straight_seconds(&w.locs[1], &w.locs[0], 2.0, 20);
    ck_assert_int_gt(there, 1800);
    sw_one(&w, 0, SW_AT(0, 8, 0, 0) + there, there + back, 125);
    /* an unknown place is free to reach */
    w.locs[1].unknown = 1;
    sw_one(&w, 0, SW_AT(0, 8, 0, 0), 0, 125);
    slots_result_release(&w.res);
}
END_TEST

/* ---- validation --------------------------------------------------------- */

START_TEST(invalid_job)
{
    struct sw_world w;
    const char *msg = "the job needs a duration, a known place and days";

    sw_valid(&w);
    sw_search(&w); /* the base is valid */
    w.in.duration = 0;
    sw_refused(&w, "job", msg);
    w.in.duration = -5;
    sw_refused(&w, "job", msg);
    w.in.duration = 1; /* one second is enough */
    sw_search(&w);
    w.in.loc = 3;
    sw_refused(&w, "job", msg);
    w.in.loc = -1;
    sw_refused(&w, "job", msg);
    w.in.loc = 2;
    w.in.ndays = -1;
    sw_refused(&w, "job", msg);
    slots_result_release(&w.res);
}
END_TEST

START_TEST(invalid_tech_and_shift)
{
    struct sw_world w;
    const char *who = "shifts[1] names no technician or day";
    const char *visit = "shifts[1] has a visit out of order or at no known"
                        " place";

    sw_valid(&w);
    w.techs[1].home = 3;
    sw_refused(&w, "techs[1]", "techs[1] has no known home");
    w.techs[1].home = -1;
    sw_refused(&w, "techs[1]", "techs[1] has no known home");
    sw_valid(&w);
    w.shifts[1].tech = 2;
    sw_refused(&w, "shifts[1]", who);
    w.shifts[1].tech = -1;
    sw_refused(&w, "shifts[1]", who);
    sw_valid(&w);
    w.shifts[1].day = 2;
    sw_refused(&w, "shifts[1]", who);
    w.shifts[1].day = -1;
    sw_refused(&w, "shifts[1]", who);
    sw_valid(&w);
    w.shifts[1].end = w.shifts[1].start;
    sw_refused(&w, "shifts[1]", "shifts[1] ends before it starts");
    sw_valid(&w);
    w.busy[1][1].start = SW_AT(1, 9, 59, 59); /* overlaps the first */
    sw_refused(&w, "shifts[1]", visit);
    sw_valid(&w);
    w.busy[1][1].end = w.busy[1][1].start;
    sw_refused(&w, "shifts[1]", visit);
    sw_valid(&w);
    w.busy[1][1].loc = 3;
    sw_refused(&w, "shifts[1]", visit);
    w.busy[1][1].loc = -1;
    sw_refused(&w, "shifts[1]", visit);
}
END_TEST

START_TEST(invalid_window)
{
    struct sw_world w;
    const char *msg = "windows[1] is out of order or backwards";

    sw_valid(&w);
    w.windows[1].day = 2;
    sw_refused(&w, "windows[1]", msg);
    w.windows[1].day = -1;
    sw_refused(&w, "windows[1]", msg);
    sw_valid(&w);
    w.windows[1].end = w.windows[1].start;
    sw_refused(&w, "windows[1]", msg);
    sw_valid(&w);
    w.windows[1].start = SW_AT(1, 11, 59, 59); /* before windows[0] */
    sw_refused(&w, "windows[1]", msg);
}
END_TEST

START_TEST(reason_codes)
{
    ck_assert_str_eq(slots_reason_code(SR_OK), "ok");
    ck_assert_str_eq(slots_reason_code(SR_TOO_SOON), "too_soon");
    ck_assert_str_eq(slots_reason_code(SR_PARTS), "parts_not_in_stock");
    ck_assert_str_eq(slots_reason_code(SR_NO_SKILLED), "no_skilled_technician");
    ck_assert_str_eq(slots_reason_code(SR_ALL_BUSY), "all_busy");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("slots");
    TCase *rules = tcase_create("rules");
    TCase *rank = tcase_create("rank");
    TCase *input = tcase_create("input");

    tcase_add_test(rules, skill_missing);
    tcase_add_test(rules, skill_level_below);
    tcase_add_test(rules, skill_every_one_required);
    tcase_add_test(rules, shift_drive_from_home);
    tcase_add_test(rules, shift_drive_back_home);
    tcase_add_test(rules, arrive_waits_for_window);
    tcase_add_test(rules, busy_blocks_with_travel_to_it);
    tcase_add_test(rules, busy_blocks_with_travel_from_it);
    tcase_add_test(rules, busy_gap_exactly_on_boundary);
    tcase_add_test(rules, busy_cheapest_gap_of_a_technician);
    tcase_add_test(rules, capacity);
    tcase_add_test(rules, travel_straight_line_default);
    tcase_add_test(rank, rank_earliest_window_first);
    tcase_add_test(rank, rank_best_technician_of_window);
    tcase_add_test(rank, rank_same_start_by_travel);
    tcase_add_test(rank, rank_same_start_by_load);
    tcase_add_test(input, invalid_job);
    tcase_add_test(input, invalid_tech_and_shift);
    tcase_add_test(input, invalid_window);
    tcase_add_test(input, reason_codes);
    tcase_set_timeout(rules, 30);
    tcase_set_timeout(rank, 30);
    tcase_set_timeout(input, 30);
    suite_add_tcase(s, rules);
    suite_add_tcase(s, rank);
    suite_add_tcase(s, input);
    return tu_run_suite(s);
}
