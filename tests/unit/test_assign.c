/*
 * test_assign.c - the assignment engine's hard constraints and travel on
 * small hand-built problems: each constraint deciding alone, the travel
 * matrix, assign_travel_none, the straight-line default and the order of
 * assign_cost_cmp.
 *
 * Travel is a matrix of exact seconds, so starts, arrivals and costs are
 * asserted exactly; only the straight-line default is checked within 1%.
 * A constraint test pairs a tight case with a relaxed one that flips the
 * outcome, often on a boundary (arriving exactly at the window's end, back
 * exactly at the shift's end), so that constraint and nothing else
 * decides.  The objective is in test_assign_objective.c, explanations in
 * test_assign_explain.c, validation, scoring a foreign plan and re-planning
 * one job in test_assign_plan.c, and a generated day (determinism,
 * stability, an independent check of every hard constraint) in
 * test_assign_random.c.
 */
#include "assign/assign.h"
#include "assign_world.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>

static const struct assign_req need7_3[] = {{7, 3}};
static const struct assign_req need7_3_9_1[] = {{7, 3}, {9, 1}};
static const struct assign_skill has7_2[] = {{7, 2}};
static const struct assign_skill has7_3[] = {{7, 3}};
static const struct assign_skill has7_5[] = {{7, 5}};
static const struct assign_skill has7_3_9_2[] = {{9, 2}, {7, 3}};

/* ---- hard constraints ------------------------------------------------ */

/* Locations: 0 and 1 are homes of technicians 0 and 1, 2 the job; 0 is
 * nearer, so technician 0 gets the job unless a constraint forbids it. */
static int two_techs_one_job(struct aw_world *w)
{
    int j = aw_two_techs_one_job(w, 100, 500);

    aw_leg(w, 0, 1, 600);
    return j;
}

/* Technician 0 at place 0, one job lasting dur at place 1, trip seconds
 * away. */
static int one_tech_one_job(struct aw_world *w, int32_t trip, int32_t dur)
{
    aw_init(w, 2);
    aw_leg(w, 0, 1, trip);
    aw_tech(w, 0);
    return aw_job(w, 1, dur);
}

START_TEST(hard_skill_missing)
{
    struct aw_world w;
    int j = two_techs_one_job(&w);

    aw_job_needs(&w, j, need7_3, 1);
    aw_tech_has(&w, 1, has7_3, 1);
    aw_solve(&w);
    aw_on(&w, j, 1, 500, 500);
    ck_assert_int_eq(w.plan.unassignable, 0);
    /* relaxed: the nearer technician has it too */
    aw_tech_has(&w, 0, has7_5, 1);
    aw_solve(&w);
    aw_on(&w, j, 0, 100, 100);
    /* nobody has it */
    w.techs[0].nskills = w.techs[1].nskills = 0;
    aw_solve(&w);
    aw_off(&w, j, AR_NO_QUALIFIED);
    ck_assert_int_eq(w.plan.unassignable, 1);
    ck_assert_int_eq(w.plan.cost.weighted, 0);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_every_skill_required)
{
    struct aw_world w;
    int j = two_techs_one_job(&w);

    /* the nearer one has skill 7 well above the level but not skill 9 */
    aw_job_needs(&w, j, need7_3_9_1, 2);
    aw_tech_has(&w, 0, has7_5, 1);
    aw_tech_has(&w, 1, has7_3_9_2, 2);
    aw_solve(&w);
    aw_on(&w, j, 1, 500, 500);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_level_below)
{
    struct aw_world w;
    int j = two_techs_one_job(&w);

    aw_job_needs(&w, j, need7_3, 1);
    aw_tech_has(&w, 0, has7_2, 1);
    aw_tech_has(&w, 1, has7_3, 1); /* exactly the minimum is enough */
    aw_solve(&w);
    aw_on(&w, j, 1, 500, 500);
    w.techs[0].skills = has7_3;
    aw_solve(&w);
    aw_on(&w, j, 0, 100, 100);
    /* below the level everywhere: no one is qualified */
    w.techs[0].skills = w.techs[1].skills = has7_2;
    aw_solve(&w);
    aw_off(&w, j, AR_NO_QUALIFIED);
    ck_assert_int_eq(w.plan.unassignable, 1);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_window_waiting_allowed)
{
    struct aw_world w;
    int j = one_tech_one_job(&w, 600, 1000);

    aw_window(&w, j, 7200, 7500);
    aw_solve(&w);
    aw_on(&w, j, 0, 600, 7200); /* arrives at 600, waits until 7200 */
    ck_assert_int_eq(w.plan.cost.travel, 1200);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_window_end_inclusive)
{
    struct aw_world w;
    int j = one_tech_one_job(&w, 300, 1000);

    aw_window(&w, j, 0, 300);
    aw_solve(&w);
    aw_on(&w, j, 0, 300, 300);
    aw_window(&w, j, 0, 299);
    aw_solve(&w);
    aw_off(&w, j, AR_NO_ROOM);
    ck_assert_int_eq(w.plan.unassignable, 0);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_window_decides_between_techs)
{
    struct aw_world w;
    int j = two_techs_one_job(&w);

    /* equal trips; technician 1, the current one, starts 300 s later */
    aw_leg(&w, 0, 2, 300);
    aw_leg(&w, 1, 2, 300);
    w.techs[1].shift_start = 300;
    w.jobs[j].current = 1;
    aw_window(&w, j, 0, 599);
    aw_solve(&w);
    aw_on(&w, j, 0, 300, 300);
    ck_assert_int_eq(w.plan.cost.unstable, 1);
    aw_window(&w, j, 0, 600);
    aw_solve(&w);
    aw_on(&w, j, 1, 600, 600);
    ck_assert_int_eq(w.plan.cost.unstable, 0);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_shift_drive_back)
{
    struct aw_world w;
    int j = two_techs_one_job(&w);

    /* 27000 + 1000 on site + 600 home = 28600: the current technician's
     * shift ends a second too early, then exactly on time */
    aw_leg(&w, 0, 2, 600);
    aw_leg(&w, 1, 2, 600);
    aw_window(&w, j, 27000, 27000);
    w.jobs[j].current = 0;
    w.techs[0].shift_end = 28599;
    aw_solve(&w);
    aw_on(&w, j, 1, 600, 27000);
    w.techs[0].shift_end = 28600;
    aw_solve(&w);
    aw_on(&w, j, 0, 600, 27000);
    /* nobody can make it back: the job ends too late */
    w.techs[1].shift_end = 28599;
    w.techs[0].shift_end = 28599;
    aw_solve(&w);
    aw_off(&w, j, AR_NO_ROOM);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_shift_drive_to_end_location)
{
    struct aw_world w;
    int j;

    /* starts at 0, ends at 3; the job at 2 is 100 s from 0, 900 from 3 */
    aw_init(&w, 4);
    aw_leg(&w, 0, 2, 100);
    aw_leg(&w, 2, 3, 900);
    aw_leg(&w, 0, 3, 950);
    aw_tech(&w, 0);
    w.techs[0].end_loc = 3;
    j = aw_job(&w, 2, 1000);
    aw_window(&w, j, 27000, 27000);
    aw_solve(&w);
    aw_off(&w, j, AR_NO_ROOM); /* 28000 + 900 > 28800 */
    w.techs[0].end_loc = 0;
    aw_solve(&w);
    aw_on(&w, j, 0, 100, 27000);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_shift_drive_to_first_job)
{
    struct aw_world w;
    int j = one_tech_one_job(&w, 600, 1000);

    w.techs[0].shift_start = 1000;
    aw_window(&w, j, 0, 1600);
    aw_solve(&w);
    aw_on(&w, j, 0, 1600, 1600);
    aw_window(&w, j, 0, 1599);
    aw_solve(&w);
    aw_off(&w, j, AR_NO_ROOM);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_no_overlap_with_job)
{
    struct aw_world w;
    int a, b;

    /* a (heavier) 3600..7200 at 1; b at 2, 300 s from 1 */
    aw_init(&w, 3);
    aw_leg(&w, 0, 1, 100);
    aw_leg(&w, 0, 2, 100);
    aw_leg(&w, 1, 2, 300);
    aw_tech(&w, 0);
    a = aw_job(&w, 1, 3600);
    aw_window(&w, a, 3600, 3600);
    w.jobs[a].weight = 2;
    b = aw_job(&w, 2, 600);
    aw_window(&w, b, 5000, 5000); /* inside a's visit */
    aw_solve(&w);
    aw_on(&w, a, 0, 100, 3600);
    aw_off(&w, b, AR_NO_ROOM);
    aw_window(&w, b, 7499, 7499); /* after it, but not after the drive */
    aw_solve(&w);
    aw_off(&w, b, AR_NO_ROOM);
    aw_window(&w, b, 7500, 7500);
    aw_solve(&w);
    aw_on(&w, a, 0, 100, 3600);
    aw_on(&w, b, 0, 7500, 7500);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_no_overlap_with_busy_after)
{
    struct aw_world w;
    int j;

    /* technician 0 (current) is busy 3600..7200 at 1, 200 s from the job
     * at 2; technician 1 at 3.  Loads round to equal balance and the extra
     * travel is 200 s for both, so stability decides when 0 can. */
    aw_init(&w, 4);
    aw_leg(&w, 0, 1, 100);
    aw_leg(&w, 0, 2, 100);
    aw_leg(&w, 1, 2, 200);
    aw_leg(&w, 3, 2, 100);
    aw_tech(&w, 0);
    aw_tech(&w, 3);
    aw_busy(&w, 0, 3600, 7200, 1);
    j = aw_job(&w, 2, 600);
    w.jobs[j].current = 0;
    aw_window(&w, j, 7399, 7399);
    aw_solve(&w);
    aw_on(&w, j, 1, 100, 7399);
    aw_window(&w, j, 7400, 7400);
    aw_solve(&w);
    aw_on(&w, j, 0, 7400, 7400);
    ck_assert_int_eq(w.plan.work_of[0], 4200);
    ck_assert_int_eq(w.plan.travel_of[0], 400); /* 0 -> 1 -> 2 -> 0 */
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_no_overlap_with_busy_before)
{
    struct aw_world w;
    int j;

    aw_init(&w, 3);
    aw_leg(&w, 0, 1, 100);
    aw_leg(&w, 0, 2, 100);
    aw_leg(&w, 1, 2, 200);
    aw_tech(&w, 0);
    aw_busy(&w, 0, 3600, 7200, 1);
    j = aw_job(&w, 2, 500);
    aw_window(&w, j, 2901, 2901); /* 3401 + 200 > 3600 */
    aw_solve(&w);
    aw_off(&w, j, AR_NO_ROOM);
    aw_window(&w, j, 2900, 2900);
    aw_solve(&w);
    aw_on(&w, j, 0, 100, 2900);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_capacity)
{
    struct aw_world w;
    int j = one_tech_one_job(&w, 500, 1000);

    /* 3000 s committed + a 1000 s job; travel is not work */
    aw_busy(&w, 0, 10000, 13000, 0);
    aw_window(&w, j, 0, 5000); /* before the commitment: one best place */
    w.techs[0].capacity = 4000;
    aw_solve(&w);
    aw_on(&w, j, 0, 500, 500);
    ck_assert_int_eq(w.plan.work_of[0], 4000);
    ck_assert_int_eq(w.plan.travel_of[0], 1000);
    w.techs[0].capacity = 3999;
    aw_solve(&w);
    aw_off(&w, j, AR_NO_ROOM);
    ck_assert_int_eq(w.plan.work_of[0], 3000);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_pinned_stays)
{
    struct aw_world w;
    int j = two_techs_one_job(&w);

    /* pinned to the far technician 1 although 0 is much nearer */
    w.jobs[j].current = 1;
    w.jobs[j].pinned = 1;
    aw_solve(&w);
    aw_on(&w, j, 1, 500, 500);
    ck_assert_int_eq(w.plan.cost.travel, 1000);
    /* unpinned, travel outranks stability */
    w.jobs[j].pinned = 0;
    aw_solve(&w);
    aw_on(&w, j, 0, 100, 100);
    ck_assert_int_eq(w.plan.cost.unstable, 1);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(hard_pinned_infeasible)
{
    struct aw_world w;
    int j = two_techs_one_job(&w);

    /* pinned to technician 1 whose shift ends before the window opens;
     * technician 0 could do it but must not */
    aw_window(&w, j, 20000, 20000);
    w.jobs[j].current = 1;
    w.jobs[j].pinned = 1;
    w.techs[1].shift_end = 10000;
    aw_solve(&w);
    ck_assert_int_eq(w.plan.tech_of[j], -1);
    /* why: "AR_PINNED's infeasibility", the pinned technician's verdict */
    ck_assert_int_eq(w.plan.why[j], AR_PINNED);
    ck_assert_int_eq(w.plan.unassignable, 0);
    assign_plan_release(&w.plan);
}
END_TEST

/* ---- travel ---------------------------------------------------------- */

START_TEST(travel_matrix_and_none)
{
    const int32_t sec[] = {0, 5, 7, 11, 0, 13, 17, 19, 0};
    const struct assign_matrix m = {3, sec};
    struct aw_world w;
    int j;

    /* seconds[from * n + to], not the other way round */
    ck_assert_int_eq(assign_travel_matrix(&m, 0, 1), 5);
    ck_assert_int_eq(assign_travel_matrix(&m, 1, 0), 11);
    ck_assert_int_eq(assign_travel_matrix(&m, 2, 1), 19);
    ck_assert_int_eq(assign_travel_matrix(&m, 1, 2), 13);
    ck_assert_int_eq(assign_travel_none(NULL, 0, 2), 0);
    ck_assert_int_eq(assign_travel_none(&m, 2, 0), 0);
    /* a 30 km trip is free with assign_travel_none */
    j = one_tech_one_job(&w, 0, 1000);
    w.locs[1].lon = 35.3;
    w.p.travel = assign_travel_none;
    w.p.travel_ctx = NULL;
    aw_solve(&w);
    aw_on(&w, j, 0, 0, 0);
    ck_assert_int_eq(w.plan.cost.travel, 0);
    ck_assert_int_eq(w.plan.travel_of[0], 0);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(travel_matrix_is_directed)
{
    struct aw_world w;
    int j = one_tech_one_job(&w, 0, 1000);

    /* 0 -> 1 takes 200 s, 1 -> 0 takes 700 s */
    w.sec[0 * 2 + 1] = 200;
    w.sec[1 * 2 + 0] = 700;
    aw_solve(&w);
    aw_on(&w, j, 0, 200, 200);
    ck_assert_int_eq(w.plan.travel_of[0], 900);
    assign_plan_release(&w.plan);
}
END_TEST

/* One technician at a, one job at b, straight-line travel with detour and
 * speed (0: the defaults): the one-way trip as the plan reports it,
 * checked against the totals. */
static int32_t straight_trip(struct assign_loc a, struct assign_loc b,
                             double detour, double speed_kmh)
{
    struct aw_world w;
    int32_t s;
    int j;

    j = one_tech_one_job(&w, 0, 1000);
    w.locs[0] = a;
    w.locs[1] = b;
    w.p.travel = NULL;
    w.p.travel_ctx = NULL;
    w.p.detour = detour;
    w.p.speed_kmh = speed_kmh;
    aw_solve(&w);
    ck_assert_int_eq(w.plan.tech_of[j], 0);
    ck_assert_int_eq(w.plan.start_of[j], w.plan.arrive_of[j]);
    ck_assert_int_eq(w.plan.travel_of[0], 2 * w.plan.arrive_of[j]);
    ck_assert_int_eq(w.plan.cost.travel, 2 * w.plan.arrive_of[j]);
    s = w.plan.arrive_of[j];
    assign_plan_release(&w.plan);
    return s;
}

#define KM_PER_DEG (6371.0 * M_PI / 180.0)

/* A place at 31 degrees north, and one 10 km north of it. */
static const struct assign_loc home = {.lat = 31.0, .lon = 35.0};
static const struct assign_loc north = {.lat = 31.0 + 10.0 / KM_PER_DEG,
                                        .lon = 35.0};

START_TEST(travel_straight_line_default)
{
    const struct assign_loc east = {
        .lat = 31.0,
        .lon = 35.0 + 10.0 / (KM_PER_DEG * cos(31.0 * M_PI / 180.0))};
    int32_t s;

    /* 10 km north-south: 10 km x 1.3 detour at 40 km/h = 1170 s */
    s = straight_trip(home, north, 0, 0);
    ck_assert_msg(fabs(s - 1170.0) <= 11.7, "north-south: %d s", (int)s);
    /* 10 km east-west at 31 degrees north: a degree of longitude is
     * shorter there */
    s = straight_trip(home, east, 0, 0);
    ck_assert_msg(fabs(s - 1170.0) <= 11.7, "east-west: %d s", (int)s);
    /* no detour at 60 km/h: 600 s */
    s = straight_trip(home, north, 1.0, 60);
    ck_assert_msg(fabs(s - 600.0) <= 6.0, "detour 1, 60 km/h: %d s", (int)s);
}
END_TEST

START_TEST(travel_unknown_location_is_free)
{
    struct assign_loc unknown = north, nowhere = {.lat = 0, .lon = 0};

    /* the job's place has no coordinates: no time to or from it */
    unknown.unknown = 1;
    ck_assert_int_eq(straight_trip(home, unknown, 0, 0), 0);
    /* nor from the technician's home when that is the unknown one */
    nowhere.unknown = 1;
    ck_assert_int_eq(straight_trip(nowhere, home, 0, 0), 0);
}
END_TEST

/* ---- the cost order -------------------------------------------------- */

START_TEST(cost_cmp_field_order)
{
    /* each row is better than base in its field and worse in every later
     * one, so only the field order makes it better */
    const struct assign_cost base = {5, 100, 10, 1000, 3};
    const struct assign_cost better[] = {
        {6, 999, 99, 9999, 9}, /* more weight assigned */
        {5, 99, 99, 9999, 9},  /* less lateness */
        {5, 100, 9, 9999, 9},  /* better balance */
        {5, 100, 10, 999, 9},  /* less travel */
        {5, 100, 10, 1000, 2}, /* more stable */
    };

    ck_assert_int_eq(assign_cost_cmp(&base, &base), 0);
    for (int i = 0; i < AW_N(better); i++) {
        struct assign_cost same = better[i];

        ck_assert_msg(assign_cost_cmp(&better[i], &base) < 0, "row %d", i);
        ck_assert_msg(assign_cost_cmp(&base, &better[i]) > 0, "row %d", i);
        ck_assert_int_eq(assign_cost_cmp(&better[i], &same), 0);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assign");
    TCase *hard = tcase_create("hard");
    TCase *travel = tcase_create("travel");

    tcase_add_test(hard, hard_skill_missing);
    tcase_add_test(hard, hard_every_skill_required);
    tcase_add_test(hard, hard_level_below);
    tcase_add_test(hard, hard_window_waiting_allowed);
    tcase_add_test(hard, hard_window_end_inclusive);
    tcase_add_test(hard, hard_window_decides_between_techs);
    tcase_add_test(hard, hard_shift_drive_back);
    tcase_add_test(hard, hard_shift_drive_to_end_location);
    tcase_add_test(hard, hard_shift_drive_to_first_job);
    tcase_add_test(hard, hard_no_overlap_with_job);
    tcase_add_test(hard, hard_no_overlap_with_busy_after);
    tcase_add_test(hard, hard_no_overlap_with_busy_before);
    tcase_add_test(hard, hard_capacity);
    tcase_add_test(hard, hard_pinned_stays);
    tcase_add_test(hard, hard_pinned_infeasible);
    tcase_add_test(travel, travel_matrix_and_none);
    tcase_add_test(travel, travel_matrix_is_directed);
    tcase_add_test(travel, travel_straight_line_default);
    tcase_add_test(travel, travel_unknown_location_is_free);
    tcase_add_test(travel, cost_cmp_field_order);
    tcase_set_timeout(hard, 30);
    tcase_set_timeout(travel, 30);
    suite_add_tcase(s, hard);
    suite_add_tcase(s, travel);
    return tu_run_suite(s);
}
