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
#include "assign.h"
#include "err.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define DAY 28800 /* the default shift: [0, DAY] */
#define MAXL 10
#define MAXJ 8
#define MAXT 4

/* A small problem with exact travel: sec is the matrix behind p. */
struct world {
    struct assign_loc locs[MAXL];
    int32_t sec[MAXL * MAXL];
    struct assign_matrix m;
    struct assign_job jobs[MAXJ];
    struct assign_tech techs[MAXT];
    struct assign_busy busy[MAXT]; /* one block at most per technician */
    struct assign_problem p;
    struct assign_plan plan;
};

/* nlocs distinct places, all trips free until leg() sets them; search
 * long enough to reach a local optimum. */
static void world_init(struct world *w, int nlocs)
{
    memset(w, 0, sizeof(*w));
    for (int i = 0; i < nlocs; i++)
        w->locs[i] = (struct assign_loc){.lat = 31.0, .lon = 35.0 + 0.01 * i};
    w->m.n = nlocs;
    w->m.seconds = w->sec;
    w->p.jobs = w->jobs;
    w->p.techs = w->techs;
    w->p.locs = w->locs;
    w->p.nlocs = nlocs;
    w->p.travel = assign_travel_matrix;
    w->p.travel_ctx = &w->m;
    w->p.seed = 1;
    w->p.time_limit_ms = 1000;
}

/* Travel between a and b, both ways. */
static void leg(struct world *w, int a, int b, int32_t s)
{
    w->sec[a * w->m.n + b] = w->sec[b * w->m.n + a] = s;
}

/* A technician based at home, shift [0, DAY], capacity DAY, no skills. */
static int add_tech(struct world *w, int home)
{
    int t = w->p.ntechs++;

    w->techs[t] = (struct assign_tech){.id = 100 + t,
                                       .shift_end = DAY,
                                       .start_loc = home,
                                       .end_loc = home,
                                       .capacity = DAY};
    return t;
}

/* Give technician t one commitment [start, end) at loc. */
static void add_busy(struct world *w, int t, int32_t start, int32_t end,
                     int loc)
{
    w->busy[t] = (struct assign_busy){start, end, loc};
    w->techs[t].busy = &w->busy[t];
    w->techs[t].nbusy = 1;
}

/* A job at loc lasting dur, window [0, DAY], weight 1, no history. */
static int add_job(struct world *w, int loc, int32_t dur)
{
    int j = w->p.njobs++;

    w->jobs[j] = (struct assign_job){.id = 10 + j,
                                     .duration = dur,
                                     .win_end = DAY,
                                     .sla_due = ASSIGN_NONE,
                                     .loc = loc,
                                     .weight = 1,
                                     .current = -1,
                                     .preferred = -1,
                                     .current_start = ASSIGN_NONE};
    return j;
}

static void window(struct world *w, int j, int32_t start, int32_t end)
{
    w->jobs[j].win_start = start;
    w->jobs[j].win_end = end;
}

/* Solve into w->plan (released first); the engine's plans never break a
 * hard constraint. */
static void solve(struct world *w)
{
    struct err err = ERR_INIT;
    int rc;

    assign_plan_release(&w->plan);
    rc = assign_solve(&w->p, &w->plan, &err);
    ck_assert_msg(rc == 0, "assign_solve: %d %s %s", rc, err.field, err.msg);
    ck_assert_int_eq(w->plan.njobs, w->p.njobs);
    ck_assert_int_eq(w->plan.ntechs, w->p.ntechs);
    ck_assert_int_eq(w->plan.violations, 0);
}

/* Job j is on technician t, arriving at arrive and starting at start. */
static void on(const struct world *w, int j, int t, int32_t arrive,
               int32_t start)
{
    ck_assert_msg(w->plan.tech_of[j] == t, "job %d on %d, expected %d", j,
                  w->plan.tech_of[j], t);
    ck_assert_int_eq(w->plan.arrive_of[j], arrive);
    ck_assert_int_eq(w->plan.start_of[j], start);
}

/* Job j is left out for reason why. */
static void off(const struct world *w, int j, enum assign_reason why)
{
    ck_assert_msg(w->plan.tech_of[j] == -1, "job %d on %d, expected none", j,
                  w->plan.tech_of[j]);
    ck_assert_int_eq(w->plan.why[j], why);
}

/* ---- the objective, in order ----------------------------------------- */

START_TEST(obj_weight_wins_slot)
{
    /* one slot at 3600 for 3600 s; the heavy job is farther and would be
     * an hour late, and still wins, whichever index it has */
    for (int heavy_first = 0; heavy_first <= 1; heavy_first++) {
        struct world w;
        int h, l;

        world_init(&w, 3);
        leg(&w, 0, 1, 100);
        leg(&w, 0, 2, 500);
        add_tech(&w, 0);
        h = heavy_first ? add_job(&w, 2, 3600) : -1;
        l = add_job(&w, 1, 3600);
        if (!heavy_first)
            h = add_job(&w, 2, 3600);
        window(&w, h, 3600, 3600);
        window(&w, l, 3600, 3600);
        w.jobs[h].weight = 3;
        w.jobs[h].sla_due = 0;
        solve(&w);
        on(&w, h, 0, 500, 3600);
        off(&w, l, AR_NO_ROOM);
        ck_assert_int_eq(w.plan.cost.weighted, 3);
        ck_assert_int_eq(w.plan.cost.lateness, 3600);
        assign_plan_release(&w.plan);
    }
}
END_TEST

START_TEST(obj_weight_is_summed)
{
    struct world w;
    int h, l1, l2;

    /* h (3600 s at 3600) against l1 and l2, which fill the same hour */
    world_init(&w, 2);
    leg(&w, 0, 1, 100);
    add_tech(&w, 0);
    h = add_job(&w, 1, 3600);
    l1 = add_job(&w, 1, 1800);
    l2 = add_job(&w, 1, 1800);
    window(&w, h, 3600, 3600);
    window(&w, l1, 3600, 3600);
    window(&w, l2, 5400, 5400);
    w.jobs[h].weight = 3;
    solve(&w);
    on(&w, h, 0, 100, 3600);
    ck_assert_int_eq(w.plan.tech_of[l1], -1);
    ck_assert_int_eq(w.plan.tech_of[l2], -1);
    ck_assert_int_eq(w.plan.cost.weighted, 3);
    w.jobs[h].weight = 1;
    solve(&w);
    off(&w, h, AR_NO_ROOM);
    on(&w, l1, 0, 100, 3600);
    on(&w, l2, 0, 5400, 5400);
    ck_assert_int_eq(w.plan.cost.weighted, 2);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(obj_lateness_before_travel)
{
    struct world w;
    int a, b, t = 0;

    /* starts at 0, ends at 3; b at 1 is on the short way, a at 2 is due
     * at 300: a first costs 1080 s more travel but is only 300 s late */
    world_init(&w, 4);
    leg(&w, 0, 1, 60);
    leg(&w, 0, 2, 600);
    leg(&w, 1, 2, 300);
    leg(&w, 2, 3, 60);
    leg(&w, 1, 3, 600);
    leg(&w, 0, 3, 600);
    add_tech(&w, 0);
    w.techs[0].end_loc = 3;
    a = add_job(&w, 2, 3600);
    b = add_job(&w, 1, 3600);
    w.jobs[a].sla_due = 300;
    solve(&w);
    on(&w, a, t, 600, 600);
    on(&w, b, t, 4500, 4500);
    ck_assert_int_eq(w.plan.route_off[1] - w.plan.route_off[0], 2);
    ck_assert_int_eq(w.plan.route_jobs[w.plan.route_off[0]], a);
    ck_assert_int_eq(w.plan.cost.lateness, 300);
    ck_assert_int_eq(w.plan.cost.travel, 1500);
    /* without the due time the short way wins */
    w.jobs[a].sla_due = ASSIGN_NONE;
    solve(&w);
    on(&w, b, t, 60, 60);
    on(&w, a, t, 3960, 3960);
    ck_assert_int_eq(w.plan.cost.lateness, 0);
    ck_assert_int_eq(w.plan.cost.travel, 420);
    assign_plan_release(&w.plan);
}
END_TEST

/* Homes 0 and 1; jobs at 2 and 3, both nearer home 0.  Capacity 10000
 * with the default step of 100 per mille: 1000 s of work is 1 step. */
static void balance_world(struct world *w, int *j0, int *j1)
{
    world_init(w, 4);
    leg(w, 0, 2, 100);
    leg(w, 0, 3, 120);
    leg(w, 1, 2, 150);
    leg(w, 1, 3, 140);
    leg(w, 2, 3, 50);
    leg(w, 0, 1, 300);
    add_tech(w, 0);
    add_tech(w, 1);
    w->techs[0].capacity = w->techs[1].capacity = 10000;
    *j0 = add_job(w, 2, 1000);
    *j1 = add_job(w, 3, 1000);
}

START_TEST(obj_balance_splits_before_travel)
{
    struct world w;
    int j0, j1;

    balance_world(&w, &j0, &j1);
    solve(&w);
    /* split 1^2 + 1^2 = 2 beats 2^2 = 4; of the splits, 200 + 280 s
     * beats 300 + 240 s; both on 0 would be 270 s */
    on(&w, j0, 0, 100, 100);
    on(&w, j1, 1, 140, 140);
    ck_assert_int_eq(w.plan.cost.balance, 2);
    ck_assert_int_eq(w.plan.cost.travel, 480);
    ck_assert_int_eq(w.plan.work_of[0], 1000);
    ck_assert_int_eq(w.plan.work_of[1], 1000);
    ck_assert_int_eq(w.plan.travel_of[0], 200);
    ck_assert_int_eq(w.plan.travel_of[1], 280);
    /* one step per full day: both loads are 0 steps, travel decides (the
     * window only fixes the order of the round trip) */
    w.p.balance_step_pm = 1000;
    window(&w, j0, 0, 500);
    solve(&w);
    on(&w, j0, 0, 100, 100);
    on(&w, j1, 0, 1150, 1150);
    ck_assert_int_eq(w.plan.cost.balance, 0);
    ck_assert_int_eq(w.plan.cost.travel, 270);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(obj_travel_within_a_step)
{
    struct world w;
    int j;

    /* technician 0 (nearer) already has 300 s of 10000; the 150 s job
     * keeps every load under one step (100 per mille by default) */
    world_init(&w, 3);
    leg(&w, 0, 2, 100);
    leg(&w, 1, 2, 200);
    leg(&w, 0, 1, 300);
    add_tech(&w, 0);
    add_tech(&w, 1);
    w.techs[0].capacity = w.techs[1].capacity = 10000;
    add_busy(&w, 0, 20000, 20300, 0);
    j = add_job(&w, 2, 150);
    window(&w, j, 0, 10000);
    solve(&w);
    on(&w, j, 0, 100, 100);
    ck_assert_int_eq(w.plan.cost.balance, 0);
    ck_assert_int_eq(w.plan.cost.travel, 200);
    /* steps of 1 per mille: 45^2 + 0 = 2025 against 30^2 + 15^2 = 1125 */
    w.p.balance_step_pm = 1;
    solve(&w);
    on(&w, j, 1, 200, 200);
    ck_assert_int_eq(w.plan.cost.balance, 1125);
    ck_assert_int_eq(w.plan.cost.travel, 400);
    assign_plan_release(&w.plan);
}
END_TEST

/* Two identical technicians 100 s from the job: only stability differs. */
static int twins(struct world *w, int current, int preferred)
{
    int j;

    world_init(w, 3);
    leg(w, 0, 2, 100);
    leg(w, 1, 2, 100);
    add_tech(w, 0);
    add_tech(w, 1);
    j = add_job(w, 2, 1000);
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

    for (int i = 0; i < N(cases); i++) {
        struct world w;
        int j = twins(&w, cases[i].current, cases[i].preferred);

        solve(&w);
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
    struct world w;
    int j = twins(&w, 0, 0);

    leg(&w, 1, 2, 99);
    solve(&w);
    on(&w, j, 1, 99, 99);
    ck_assert_int_eq(w.plan.cost.unstable, 1);
    ck_assert_int_eq(w.plan.cost.travel, 198);
    assign_plan_release(&w.plan);
}
END_TEST

/* Eight jobs for one technician (travel from a generated day, shrunk): a
 * plan with jobs 0, 5, 2, 6, 7, 4, 1 in that order is feasible. */
static void kept_world(struct world *w)
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

    world_init(w, 10);
    memcpy(w->sec, sec, sizeof(sec));
    add_tech(w, 0);
    w->techs[0].shift_start = 25200;
    w->techs[0].shift_end = 55800;
    add_busy(w, 0, 43200, 46800, 1);
    for (int i = 0; i < 8; i++) {
        int j = add_job(w, 2 + i, jobs[i].dur);

        window(w, j, jobs[i].ws, jobs[i].we);
        w->jobs[j].weight = jobs[i].weight;
    }
}

START_TEST(obj_current_plan_is_kept)
{
    const int off[] = {0, 7}, route[] = {0, 5, 2, 6, 7, 4, 1};
    struct world w;
    struct err err = ERR_INIT;

    kept_world(&w);
    ck_assert_int_eq(assign_plan_from_routes(&w.p, off, route, &w.plan, &err),
                     0);
    ck_assert_int_eq(w.plan.violations, 0);
    ck_assert_int_eq(w.plan.cost.weighted, 19);
    /* the day's plan, order and all, is its warm start: the search can
     * only improve it, so every job stays and the weight does not drop */
    for (int i = 0; i < N(route); i++) {
        w.jobs[route[i]].current = 0;
        w.jobs[route[i]].current_start = w.plan.start_of[route[i]];
    }
    solve(&w);
    for (int i = 0; i < N(route); i++)
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
