/*
 * test_day_replan.c - a re-plan with one new job moves nothing else when
 * the job fits without moves (day_problem_replan()).
 *
 * Two UTC technicians work 08:00-17:00 on a Monday.  Mei has six
 * assigned one-hour visits and Jun has none, so a full solve hands some
 * of Mei's to Jun for balance; one new urgent job is inserted where it is
 * cheapest and Mei's six stay as they are.  With two new jobs the day is
 * solved as a whole, and the balance moves some of Mei's.
 */
#include "assign/day_problem.h"
#include "common/timefmt.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>

#define DATE "2031-01-06" /* a Monday */
#define MEI 6                /* Mei's visits */
#define H 3600

static int64_t origin(void)
{
    int64_t days;

    ck_assert_int_eq(timefmt_parse_date(DATE, &days), 0);
    return days * 86400;
}

static json_t *tech(int id, const char *name)
{
    return json_pack("{s:i, s:s, s:f, s:f, s:i, s:s}", "id", id, "name", name,
                     "start_lat", 31.2, "start_lon", 121.4,
                     "capacity_minutes", 480, "timezone", "UTC");
}

static json_t *shift(int tech_id)
{
    return json_pack("{s:i, s:i, s:i, s:i}", "technician_id", tech_id,
                     "weekday", 1, "start_minute", 8 * 60, "end_minute",
                     17 * 60);
}

/* Job id at hour h's two-hour window, assigned to tech (0: none). */
static json_t *job(int id, int h, int tech, int priority)
{
    int64_t o = origin();
    json_t *j = json_pack(
        "{s:i, s:i, s:s, s:i, s:i, s:I, s:I, s:f, s:f}", "id", id, "version",
        1, "status", tech ? "assigned" : "parts_reserved", "priority",
        priority, "duration_minutes", 60, "window_start",
        (json_int_t)(o + h * H), "window_end", (json_int_t)(o + (h + 2) * H),
        "lat", 31.21 + id * 0.001, "lon", 121.41);

    json_object_set_new(j, "technician_id",
                        tech ? json_integer(tech) : json_null());
    return j;
}

static json_t *day(int new_jobs)
{
    static const int hours[MEI] = {8, 9, 10, 11, 13, 14};
    json_t *jobs = json_array();

    for (int k = 0; k < MEI; k++)
        json_array_append_new(jobs, job(1 + k, hours[k], 7, 3));
    for (int k = 0; k < new_jobs; k++)
        json_array_append_new(jobs, job(10 + k, 14 + k, 0, 1));
    return json_pack("{s:[o, o], s:[], s:[o, o], s:[], s:o, s:[]}",
                     "technicians", tech(7, "Mei"), tech(8, "Jun"),
                     "tech_skills", "shifts", shift(7), shift(8), "skills",
                     "jobs", jobs, "job_skills");
}

static void replan(int new_jobs, struct day_problem *d,
                   struct assign_plan *plan, int *inserted)
{
    json_t *rows = day(new_jobs);
    struct err err = ERR_INIT;

    ck_assert_int_eq(day_problem_build(rows, DATE, 0, d, &err), 0);
    json_decref(rows);
    d->problem.time_limit_ms = 200; /* the search, not construction only */
    ck_assert_int_eq(day_problem_replan(d, plan, inserted, &err), 0);
}

START_TEST(one_new_job_moves_nothing_else)
{
    struct day_problem d;
    struct assign_plan plan;
    int inserted;

    replan(1, &d, &plan, &inserted);
    ck_assert_int_eq(inserted, 1);
    for (int j = 0; j < MEI; j++) /* Mei's visits stay Mei's */
        ck_assert_int_eq(plan.tech_of[j], 0);
    ck_assert_int_ge(plan.tech_of[MEI], 0);
    assign_plan_release(&plan);
    day_problem_release(&d);
}
END_TEST

START_TEST(two_new_jobs_are_solved_as_a_day)
{
    struct day_problem d;
    struct assign_plan plan;
    int inserted, moved = 0;

    replan(2, &d, &plan, &inserted);
    ck_assert_int_eq(inserted, 0);
    for (int j = 0; j < MEI + 2; j++)
        ck_assert_int_ge(plan.tech_of[j], 0);
    for (int j = 0; j < MEI; j++)
        moved += plan.tech_of[j] != 0;
    ck_assert_int_gt(moved, 0); /* the balance the solve is for */
    assign_plan_release(&plan);
    day_problem_release(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("day_replan");
    TCase *tc = tcase_create("replan");

    tcase_add_test(tc, one_new_job_moves_nothing_else);
    tcase_add_test(tc, two_new_jobs_are_solved_as_a_day);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
