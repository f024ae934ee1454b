/*
 * test_assign_objective.c - the assignment engine's objective on small
 * hand-built problems, field by field in its order: weight assigned, SLA
 * lateness, workload balance (in steps, 100 per mille by default), travel,
 * stability, and the warm start from the current plan.
 *
 * Each test makes two plans differ in one field and lose in every later
 * one, so only the order of the fields can pick the expected plan; most
 * also flip the outcome by changing just that field's input (a weight, a
 * due time, the balance step, one trip).  Travel is a matrix of exact
 * seconds, so every start and cost is asserted exactly.
 */
#include "assign/assign.h"
#include "assign_world.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

/* ---- the objective, in order ----------------------------------------- */

START_TEST(obj_weight_wins_slot)
{
    /* one slot at 3600 for 3600 s; the heavy job is farther and would be
     * an hour late, and still wins, whichever index it has */
    for (int heavy_first = 0; heavy_first <= 1; heavy_first++) {
        struct aw_world w;
        int h, l;

        aw_init(&w, 3);
        aw_leg(&w, 0, 1, 100);
        aw_leg(&w, 0, 2, 500);
        aw_tech(&w, 0);
        h = heavy_first ? aw_job(&w, 2, 3600) : -1;
        l = aw_job(&w, 1, 3600);
        if (!heavy_first)
            h = aw_job(&w, 2, 3600);
        aw_window(&w, h, 3600, 3600);
        aw_window(&w, l, 3600, 3600);
        w.jobs[h].weight = 3;
        w.jobs[h].sla_due = 0;
        aw_solve(&w);
        aw_on(&w, h, 0, 500, 3600);
        aw_off(&w, l, AR_NO_ROOM);
        ck_assert_int_eq(w.plan.cost.weighted, 3);
        ck_assert_int_eq(w.plan.cost.lateness, 3600);
        assign_plan_release(&w.plan);
    }
}
END_TEST

START_TEST(obj_weight_is_summed)
{
    struct aw_world w;
    int h, l1, l2;

    /* h (3600 s at 3600) against l1 and l2, which fill the same hour */
    aw_init(&w, 2);
    aw_leg(&w, 0, 1, 100);
    aw_tech(&w, 0);
    h = aw_job(&w, 1, 3600);
    l1 = aw_job(&w, 1, 1800);
    l2 = aw_job(&w, 1, 1800);
    aw_window(&w, h, 3600, 3600);
    aw_window(&w, l1, 3600, 3600);
    aw_window(&w, l2, 5400, 5400);
    w.jobs[h].weight = 3;
    aw_solve(&w);
    aw_on(&w, h, 0, 100, 3600);
    ck_assert_int_eq(w.plan.tech_of[l1], -1);
    ck_assert_int_eq(w.plan.tech_of[l2], -1);
    ck_assert_int_eq(w.plan.cost.weighted, 3);
    w.jobs[h].weight = 1;
    aw_solve(&w);
    aw_off(&w, h, AR_NO_ROOM);
    aw_on(&w, l1, 0, 100, 3600);
    aw_on(&w, l2, 0, 5400, 5400);
    ck_assert_int_eq(w.plan.cost.weighted, 2);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(obj_lateness_before_travel)
{
    struct aw_world w;
    int a, b, t = 0;

    /* starts at 0, ends at 3; b at 1 is on the short way, a at 2 is due
     * at 300: a first costs 1080 s more travel but is only 300 s late */
    aw_init(&w, 4);
    aw_leg(&w, 0, 1, 60);
    aw_leg(&w, 0, 2, 600);
    aw_leg(&w, 1, 2, 300);
    aw_leg(&w, 2, 3, 60);
    aw_leg(&w, 1, 3, 600);
    aw_leg(&w, 0, 3, 600);
    aw_tech(&w, 0);
    w.techs[0].end_loc = 3;
    a = aw_job(&w, 2, 3600);
    b = aw_job(&w, 1, 3600);
    w.jobs[a].sla_due = 300;
    aw_solve(&w);
    aw_on(&w, a, t, 600, 600);
    aw_on(&w, b, t, 4500, 4500);
    ck_assert_int_eq(w.plan.route_off[1] - w.plan.route_off[0], 2);
    ck_assert_int_eq(w.plan.route_jobs[w.plan.route_off[0]], a);
    ck_assert_int_eq(w.plan.cost.lateness, 300);
    ck_assert_int_eq(w.plan.cost.travel, 1500);
    /* without the due time the short way wins */
    w.jobs[a].sla_due = ASSIGN_NONE;
    aw_solve(&w);
    aw_on(&w, b, t, 60, 60);
    aw_on(&w, a, t, 3960, 3960);
    ck_assert_int_eq(w.plan.cost.lateness, 0);
    ck_assert_int_eq(w.plan.cost.travel, 420);
    assign_plan_release(&w.plan);
}
END_TEST

/* Homes 0 and 1; jobs at 2 and 3, both nearer home 0.  Capacity 10000
 * with the default step of 100 per mille: 1000 s of work is 1 step. */
static void balance_world(struct aw_world *w, int *j0, int *j1)
{
    aw_init(w, 4);
    aw_leg(w, 0, 2, 100);
    aw_leg(w, 0, 3, 120);
    aw_leg(w, 1, 2, 150);
    aw_leg(w, 1, 3, 140);
    aw_leg(w, 2, 3, 50);
    aw_leg(w, 0, 1, 300);
    aw_tech(w, 0);
    aw_tech(w, 1);
    w->techs[0].capacity = w->techs[1].capacity = 10000;
    *j0 = aw_job(w, 2, 1000);
    *j1 = aw_job(w, 3, 1000);
}

START_TEST(obj_balance_splits_before_travel)
{
    struct aw_world w;
    int j0, j1;

    balance_world(&w, &j0, &j1);
    aw_solve(&w);
    /* split 1^2 + 1^2 = 2 beats 2^2 = 4; of the splits, 200 + 280 s
     * beats 300 + 240 s; both on 0 would be 270 s */
    aw_on(&w, j0, 0, 100, 100);
    aw_on(&w, j1, 1, 140, 140);
    ck_assert_int_eq(w.plan.cost.balance, 2);
    ck_assert_int_eq(w.plan.cost.travel, 480);
    ck_assert_int_eq(w.plan.work_of[0], 1000);
    ck_assert_int_eq(w.plan.work_of[1], 1000);
    ck_assert_int_eq(w.plan.travel_of[0], 200);
    ck_assert_int_eq(w.plan.travel_of[1], 280);
    /* one step per full day: both loads are 0 steps, travel decides (the
     * window only fixes the order of the round trip) */
    w.p.balance_step_pm = 1000;
    aw_window(&w, j0, 0, 500);
    aw_solve(&w);
    aw_on(&w, j0, 0, 100, 100);
    aw_on(&w, j1, 0, 1150, 1150);
    ck_assert_int_eq(w.plan.cost.balance, 0);
    ck_assert_int_eq(w.plan.cost.travel, 270);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(obj_travel_within_a_step)
{
    struct aw_world w;
    int j;

    /* technician 0 (nearer) already has 300 s of 10000; the 150 s job
     * keeps every load under one step (100 per mille by default) */
    aw_init(&w, 3);
    aw_leg(&w, 0, 2, 100);
    aw_leg(&w, 1, 2, 200);
    aw_leg(&w, 0, 1, 300);
    aw_tech(&w, 0);
    aw_tech(&w, 1);
    w.techs[0].capacity = w.techs[1].capacity = 10000;
    aw_busy(&w, 0, 20000, 20300, 0);
    j = aw_job(&w, 2, 150);
    aw_window(&w, j, 0, 10000);
    aw_solve(&w);
    aw_on(&w, j, 0, 100, 100);
    ck_assert_int_eq(w.plan.cost.balance, 0);
    ck_assert_int_eq(w.plan.cost.travel, 200);
    /* steps of 1 per mille: 45^2 + 0 = 2025 against 30^2 + 15^2 = 1125 */
    w.p.balance_step_pm = 1;
    aw_solve(&w);
    aw_on(&w, j, 1, 200, 200);
    ck_assert_int_eq(w.plan.cost.balance, 1125);
    ck_assert_int_eq(w.plan.cost.travel, 400);
    assign_plan_release(&w.plan);
}
END_TEST

/* Two identical technicians 100 s from the job: only stability differs. */
static int twins(struct aw_world *w, int current, int preferred)
{
    int j = aw_two_techs_one_job(w, 100, 100);

    w->jobs[j].current = current;
    w->jobs[j].preferred = preferred;
    return j;
}

START_TEST(obj_stability)
{
    static const struct {
        int current, preferred, expect;
    } cases[] = {
        {1, -1, 1}, {0, -1, 0}, /* stays where it is */
        {-1, 1, 1}, {-1, 0, 0}, /* goes to the earlier visit's technician */
        {0, 1, 0},  {1, 0, 1},  /* current outranks preferred */
    };

    for (int i = 0; i < AW_N(cases); i++) {
        struct aw_world w;
        int j = twins(&w, cases[i].current, cases[i].preferred);

        aw_solve(&w);
        ck_assert_msg(w.plan.tech_of[j] == cases[i].expect,
                      "case %d: on %d, expected %d", i, w.plan.tech_of[j],
                      cases[i].expect);
        ck_assert_int_eq(w.plan.cost.unstable, 0);
        assign_plan_release(&w.plan);
    }
}
END_TEST

START_TEST(obj_travel_before_stability)
{
    struct aw_world w;
    int j = twins(&w, 0, 0);

    aw_leg(&w, 1, 2, 99);
    aw_solve(&w);
    aw_on(&w, j, 1, 99, 99);
    ck_assert_int_eq(w.plan.cost.unstable, 1);
    ck_assert_int_eq(w.plan.cost.travel, 198);
    assign_plan_release(&w.plan);
}
END_TEST

/* Eight jobs for one technician (travel from a generated day, shrunk): a
 * plan with jobs 0, 5, 2, 6, 7, 4, 1 in that order is feasible. */
static void kept_world(struct aw_world *w)
{
    static const int32_t sec[10][10] = {
        {0, 306, 1308, 80, 469, 284, 746, 1487, 339, 831},
        {306, 0, 1569, 328, 264, 415, 1048, 1737, 229, 1060},
        {1308, 1569, 0, 1345, 1777, 1491, 937, 198, 1646, 535},
        {80, 328, 1345, 0, 444, 205, 724, 1528, 304, 884},
        {469, 264, 1777, 444, 0, 398, 1140, 1954, 146, 1288},
        {284, 415, 1491, 205, 398, 0, 754, 1679, 260, 1061},
        {746, 1048, 937, 724, 1140, 754, 0, 1135, 995, 767},
        {1487, 1737, 198, 1528, 1954, 1679, 1135, 0, 1825, 683},
        {339, 229, 1646, 304, 146, 260, 995, 1825, 0, 1168},
        {831, 1060, 535, 884, 1288, 1061, 767, 683, 1168, 0},
    };
    static const struct {
        int32_t dur, ws, we;
        int weight;
    } jobs[8] = {
        {4500, 25200, 64800, 3}, {1800, 46800, 54000, 3},
        {3600, 28800, 36000, 3}, {6300, 36000, 43200, 3},
        {1800, 25200, 64800, 3}, {2700, 25200, 64800, 3},
        {2700, 25200, 64800, 3}, {1800, 25200, 64800, 1},
    };

    aw_init(w, 10);
    memcpy(w->sec, sec, sizeof(sec));
    aw_tech(w, 0);
    w->techs[0].shift_start = 25200;
    w->techs[0].shift_end = 55800;
    aw_busy(w, 0, 43200, 46800, 1);
    for (int i = 0; i < 8; i++) {
        int j = aw_job(w, 2 + i, jobs[i].dur);

        aw_window(w, j, jobs[i].ws, jobs[i].we);
        w->jobs[j].weight = jobs[i].weight;
    }
}

START_TEST(obj_current_plan_is_kept)
{
    const int off[] = {0, 7}, route[] = {0, 5, 2, 6, 7, 4, 1};
    struct aw_world w;

    kept_world(&w);
    aw_score(&w, off, route);
    ck_assert_int_eq(w.plan.violations, 0);
    ck_assert_int_eq(w.plan.cost.weighted, 19);
    /* the day's plan, order and all, is its warm start: the search can
     * only improve it, so every job stays and the weight does not drop */
    for (int i = 0; i < AW_N(route); i++) {
        w.jobs[route[i]].current = 0;
        w.jobs[route[i]].current_start = w.plan.start_of[route[i]];
    }
    aw_solve(&w);
    for (int i = 0; i < AW_N(route); i++)
        ck_assert_msg(w.plan.tech_of[route[i]] == 0, "job %d left out",
                      route[i]);
    ck_assert_int_ge(w.plan.cost.weighted, 19);
    assign_plan_release(&w.plan);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assign_objective");
    TCase *obj = tcase_create("objective");

    tcase_add_test(obj, obj_weight_wins_slot);
    tcase_add_test(obj, obj_weight_is_summed);
    tcase_add_test(obj, obj_lateness_before_travel);
    tcase_add_test(obj, obj_balance_splits_before_travel);
    tcase_add_test(obj, obj_travel_within_a_step);
    tcase_add_test(obj, obj_stability);
    tcase_add_test(obj, obj_travel_before_stability);
    tcase_add_test(obj, obj_current_plan_is_kept);
    tcase_set_timeout(obj, 30);
    suite_add_tcase(s, obj);
    return tu_run_suite(s);
}
