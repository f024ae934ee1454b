/*
 * test_day_freeze.c - the planner never places work before now plus the
 * freeze horizon (day_problem_build()'s not_before).
 *
 * One UTC technician works 08:00-17:00 with a lunch break 12:00-13:00 on
 * a Monday.  With no bound, or a bound before the shift, the day is as
 * stored; with a bound at 12:30 the shift starts then, the half of the
 * break already over is dropped and the work time shrinks to what is
 * left; with a bound after 17:00 the technician is off for the day.  A
 * job whose window is over by the bound no longer joins the day, and the
 * solved plan puts nothing before the bound.
 */
#include "assign/day_problem.h"
#include "common/timefmt.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>

#define DATE "2031-01-06" /* a Monday */
#define H 3600

static int64_t origin(void)
{
    int64_t days;

    ck_assert_int_eq(timefmt_parse_date(DATE, &days), 0);
    return days * 86400;
}

/* The day's rows: the technician, its two Monday shifts and two jobs, one
 * in the morning, one in the afternoon. */
static json_t *rows(void)
{
    int64_t o = origin();

    return json_pack(
        "{s:[{s:i, s:s, s:f, s:f, s:i, s:s}], s:[], s:[{s:i, s:i, s:i, s:i},"
        " {s:i, s:i, s:i, s:i}], s:[], s:[{s:i, s:i, s:s, s:i, s:i, s:I,"
        " s:I, s:f, s:f}, {s:i, s:i, s:s, s:i, s:i, s:I, s:I, s:f, s:f}],"
        " s:[]}",
        "technicians", "id", 7, "name", "Mei", "start_lat", 31.2, "start_lon",
        121.4, "capacity_minutes", 480, "timezone", "UTC", "tech_skills",
        "shifts", "technician_id", 7, "weekday", 1, "start_minute", 8 * 60,
        "end_minute", 12 * 60, "technician_id", 7, "weekday", 1,
        "start_minute", 13 * 60, "end_minute", 17 * 60, "skills", "jobs",
        "id", 1, "version", 1, "status", "parts_reserved", "priority", 2,
        "duration_minutes", 60, "window_start", (json_int_t)(o + 8 * H),
        "window_end", (json_int_t)(o + 10 * H), "lat", 31.21, "lon", 121.41,
        "id", 2, "version", 1, "status", "parts_reserved", "priority", 2,
        "duration_minutes", 60, "window_start", (json_int_t)(o + 14 * H),
        "window_end", (json_int_t)(o + 16 * H), "lat", 31.22, "lon", 121.42,
        "job_skills");
}

static void build(int64_t not_before, struct day_problem *d)
{
    json_t *r = rows();
    struct err err = ERR_INIT;

    ck_assert_int_eq(day_problem_build(r, DATE, not_before, d, &err), 0);
    json_decref(r);
}

START_TEST(no_bound_or_an_early_one_leaves_the_day)
{
    int64_t bounds[] = {0, origin() - 86400, origin() + 7 * H};

    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        struct day_problem d;

        build(bounds[i], &d);
        ck_assert_int_eq(d.problem.ntechs, 1);
        ck_assert_int_eq(d.problem.techs[0].shift_start, 8 * H);
        ck_assert_int_eq(d.problem.techs[0].capacity, 9 * H);
        ck_assert_int_eq(d.problem.techs[0].nbusy, 1); /* lunch */
        ck_assert_int_eq(d.problem.njobs, 2);
        day_problem_release(&d);
    }
}
END_TEST

START_TEST(a_bound_in_the_break_starts_the_shift_there)
{
    struct day_problem d;
    const struct assign_tech *t;
    struct assign_plan plan;
    struct err err = ERR_INIT;

    build(origin() + 12 * H + H / 2, &d);
    t = &d.problem.techs[0];
    ck_assert_int_eq(t->shift_start, 12 * H + H / 2);
    ck_assert_int_eq(t->shift_end, 17 * H);
    ck_assert_int_eq(t->nbusy, 1);
    ck_assert_int_eq(t->busy[0].start, 12 * H + H / 2);
    ck_assert_int_eq(t->busy[0].end, 13 * H);
    ck_assert_int_eq(t->capacity, 4 * H);
    /* the morning job's window is over: only the afternoon one joins */
    ck_assert_int_eq(d.problem.njobs, 1);
    ck_assert_int_eq(d.problem.jobs[0].id, 2);
    ck_assert_int_eq(assign_solve(&d.problem, &plan, &err), 0);
    ck_assert_int_eq(plan.tech_of[0], 0);
    ck_assert_int_ge(plan.arrive_of[0], 13 * H);
    assign_plan_release(&plan);
    day_problem_release(&d);
}
END_TEST

START_TEST(a_bound_after_the_shift_takes_the_technician_off)
{
    struct day_problem d;

    build(origin() + 17 * H, &d);
    ck_assert_int_eq(d.problem.ntechs, 0);
    ck_assert_int_eq(json_array_size(d.off_shift), 1);
    ck_assert_int_eq(d.problem.njobs, 0);
    day_problem_release(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("day_freeze");
    TCase *tc = tcase_create("freeze");

    tcase_add_test(tc, no_bound_or_an_early_one_leaves_the_day);
    tcase_add_test(tc, a_bound_in_the_break_starts_the_shift_there);
    tcase_add_test(tc, a_bound_after_the_shift_takes_the_technician_off);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
