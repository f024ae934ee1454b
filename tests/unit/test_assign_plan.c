/*
 * test_assign_plan.c - the assignment engine's entry points around a plan:
 * problem validation (assign_solve and assign_plan_from_routes),
 * scoring a plan given as routes, and re-planning one job
 * (assign_insert_one).
 *
 * Every malformed problem is rejected with ERR_INVALID "invalid_problem"
 * and the offending element in err.field; a route plan with a job out of
 * range or in two places with "invalid_route".  A scored plan gets the
 * earliest feasible times and exact costs, and each single hard-constraint
 * breach counts once.  assign_insert_one must place its job at the
 * cheapest position and leave every other job where and in the order it
 * was, even where moving them would be cheaper.
 */
#include "assign/assign.h"
#include "assign_world.h"
#include "common/err.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

#define NPLACES 11 /* on a line, 60 s apart */

static const struct assign_req need7_3[] = {{7, 3}};

/* Places 0..10 on a line, 60 s apart; capacity 10000 and half the default
 * balance step, so 1000 s of work is 2 steps. */
static void line_world(struct aw_world *w)
{
    aw_init_fine(w, NPLACES);
    for (int a = 0; a < NPLACES; a++)
        for (int b = a + 1; b < NPLACES; b++)
            aw_leg(w, a, b, 60 * (b - a));
}

/* ---- validation ------------------------------------------------------ */

/* Two technicians (1 busy at loc 1), two jobs: valid until mutated. */
static void valid_world(struct aw_world *w)
{
    line_world(w);
    aw_tech(w, 0);
    aw_tech(w, 5);
    aw_busy(w, 1, 3600, 7200, 1);
    aw_job(w, 2, 1000);
    aw_job(w, 3, 1000);
}

static void bad_job0_loc(struct aw_world *w)
{
    w->jobs[0].loc = NPLACES;
}
static void bad_job1_loc(struct aw_world *w)
{
    w->jobs[1].loc = -1;
}
static void bad_current(struct aw_world *w)
{
    w->jobs[1].current = 2;
}
static void bad_preferred(struct aw_world *w)
{
    w->jobs[1].preferred = -2;
}
static void bad_weight(struct aw_world *w)
{
    w->jobs[1].weight = 0;
}
static void bad_duration(struct aw_world *w)
{
    w->jobs[1].duration = 0;
}
static void bad_window(struct aw_world *w)
{
    w->jobs[1].win_start = 5000;
    w->jobs[1].win_end = 4999;
}
static void bad_start_loc(struct aw_world *w)
{
    w->techs[1].start_loc = NPLACES;
}
static void bad_end_loc(struct aw_world *w)
{
    w->techs[1].end_loc = -1;
}
static void bad_shift(struct aw_world *w)
{
    w->techs[0].shift_end = -1;
}
static void bad_busy_loc(struct aw_world *w)
{
    w->busy[1][0].loc = NPLACES + 3;
}

/* field: the exact name, or with exact 0 its start (the header names only
 * "jobs[3].loc"; for ranges either end may be blamed) */
static const struct {
    void (*mutate)(struct aw_world *);
    const char *field;
    int exact;
} invalid[] = {
    {bad_job0_loc, "jobs[0].loc", 1},
    {bad_job1_loc, "jobs[1].loc", 1},
    {bad_current, "jobs[1].current", 1},
    {bad_preferred, "jobs[1].preferred", 1},
    {bad_weight, "jobs[1].weight", 1},
    {bad_duration, "jobs[1].duration", 1},
    {bad_window, "jobs[1].win_", 0},
    {bad_start_loc, "techs[1].start_loc", 1},
    {bad_end_loc, "techs[1].end_loc", 1},
    {bad_shift, "techs[0].shift_", 0},
    {bad_busy_loc, "techs[1].busy[0]", 0},
};

static void expect_invalid(int rc, const struct err *err, const char *code,
                           const char *field, int exact)
{
    ck_assert_int_eq(rc, ERR_INVALID);
    ck_assert_int_eq(err->rc, ERR_INVALID);
    ck_assert_str_eq(err->code, code);
    if (exact)
        ck_assert_str_eq(err->field, field);
    else
        ck_assert_msg(strncmp(err->field, field, strlen(field)) == 0,
                      "field \"%s\", expected \"%s...\"", err->field, field);
    ck_assert(err->msg[0] != '\0');
}

START_TEST(invalid_problem)
{
    const int off[] = {0, 1, 1}, jobs[] = {0};
    struct aw_world w;
    struct err err = ERR_INIT;
    struct assign_plan plan;

    valid_world(&w);
    memset(&plan, 0, sizeof(plan));
    ck_assert_int_eq(assign_solve(&w.p, &plan, &err), 0);
    assign_plan_release(&plan);
    for (int i = 0; i < AW_N(invalid); i++) {
        valid_world(&w);
        invalid[i].mutate(&w);
        err_clear(&err);
        memset(&plan, 0, sizeof(plan));
        expect_invalid(assign_solve(&w.p, &plan, &err), &err, "invalid_problem",
                       invalid[i].field, invalid[i].exact);
        assign_plan_release(&plan);
        /* scoring validates the problem the same way */
        err_clear(&err);
        memset(&plan, 0, sizeof(plan));
        expect_invalid(assign_plan_from_routes(&w.p, off, jobs, &plan, &err),
                       &err, "invalid_problem", invalid[i].field,
                       invalid[i].exact);
        assign_plan_release(&plan);
    }
}
END_TEST

START_TEST(empty_problem)
{
    struct aw_world w;
    struct err err = ERR_INIT;

    valid_world(&w);
    w.p.njobs = 0;
    ck_assert_int_eq(assign_solve(&w.p, &w.plan, &err), 0);
    ck_assert_int_eq(w.plan.route_off[0], 0);
    ck_assert_int_eq(w.plan.route_off[2], 0);
    ck_assert_int_eq(w.plan.cost.weighted, 0);
    ck_assert_int_eq(w.plan.work_of[1], 3600); /* its commitment */
    ck_assert_int_eq(w.plan.violations, 0);
    assign_plan_release(&w.plan);
}
END_TEST

/* ---- scoring a plan given as routes ---------------------------------- */

/* Technicians at 0 and 5; jobs 0, 1, 2 at places 1, 2, 4. */
static void three_jobs(struct aw_world *w)
{
    line_world(w);
    aw_tech(w, 0);
    aw_tech(w, 5);
    aw_job(w, 1, 1000);
    aw_job(w, 2, 1000);
    aw_job(w, 4, 1000);
}

START_TEST(routes_scored)
{
    const int off[] = {0, 2, 2}, jobs[] = {0, 1};
    struct aw_world w;

    three_jobs(&w);
    aw_score(&w, off, jobs);
    aw_route_is(&w, 0, jobs, 2);
    ck_assert_int_eq(w.plan.route_off[2], 2);
    ck_assert_int_eq(w.plan.tech_of[2], -1);
    ck_assert_int_eq(w.plan.arrive_of[0], 60);
    ck_assert_int_eq(w.plan.start_of[0], 60);
    ck_assert_int_eq(w.plan.start_of[1], 1120);
    ck_assert_int_eq(w.plan.cost.weighted, 2);
    ck_assert_int_eq(w.plan.cost.lateness, 0);
    ck_assert_int_eq(w.plan.cost.balance, 16);
    ck_assert_int_eq(w.plan.cost.travel, 240);
    ck_assert_int_eq(w.plan.cost.unstable, 0);
    ck_assert_int_eq(w.plan.work_of[0], 2000);
    ck_assert_int_eq(w.plan.work_of[1], 0);
    ck_assert_int_eq(w.plan.travel_of[0], 240);
    ck_assert_int_eq(w.plan.travel_of[1], 0);
    ck_assert_int_eq(w.plan.violations, 0);
    /* the earliest feasible start waits for the window; lateness and
     * stability are scored too */
    w.jobs[1].win_start = 5000;
    w.jobs[1].sla_due = 4000;
    w.jobs[0].current = 1;
    aw_score(&w, off, jobs);
    ck_assert_int_eq(w.plan.arrive_of[1], 1120);
    ck_assert_int_eq(w.plan.start_of[1], 5000);
    ck_assert_int_eq(w.plan.cost.lateness, 1000);
    ck_assert_int_eq(w.plan.cost.unstable, 1);
    ck_assert_int_eq(w.plan.violations, 0);
    assign_plan_release(&w.plan);
}
END_TEST

static void breach_window(struct aw_world *w)
{
    w->jobs[0].win_end = 500;
}
static void breach_skill(struct aw_world *w)
{
    aw_job_needs(w, 0, need7_3, 1);
}
static void breach_pinned(struct aw_world *w)
{
    w->jobs[0].current = 1;
    w->jobs[0].pinned = 1;
}
static void breach_capacity(struct aw_world *w)
{
    w->techs[0].capacity = 1999;
}
static void breach_shift(struct aw_world *w)
{
    w->techs[0].shift_end = 2239;
}

START_TEST(routes_breaches_counted)
{
    /* technician 0 does job 1 then job 0: job 0 arrives at 1180, the day
     * ends at 2240 and has 2000 s of work */
    static void (*const breach[])(struct aw_world *) = {
        breach_window,   breach_skill, breach_pinned,
        breach_capacity, breach_shift,
    };
    const int off[] = {0, 2, 2}, jobs[] = {1, 0};
    struct aw_world w;

    three_jobs(&w);
    aw_score(&w, off, jobs);
    ck_assert_int_eq(w.plan.violations, 0);
    ck_assert_int_eq(w.plan.start_of[0], 1180);
    assign_plan_release(&w.plan); /* three_jobs starts afresh */
    for (int i = 0; i < AW_N(breach); i++) {
        three_jobs(&w);
        breach[i](&w);
        aw_score(&w, off, jobs);
        ck_assert_msg(w.plan.violations == 1, "breach %d: %d violations", i,
                      w.plan.violations);
        ck_assert_int_eq(w.plan.cost.weighted, 2); /* scored all the same */
        aw_route_is(&w, 0, jobs, 2);
        assign_plan_release(&w.plan);
    }
    /* two breaches count twice */
    three_jobs(&w);
    breach_window(&w);
    breach_skill(&w);
    aw_score(&w, off, jobs);
    ck_assert_int_eq(w.plan.violations, 2);
    assign_plan_release(&w.plan);
    /* a visit running into a commitment (exact count depends on how the
     * engine orders the block among the jobs; at least one) */
    three_jobs(&w);
    aw_busy(&w, 0, 1500, 1600, 0);
    w.jobs[0].win_start = w.jobs[0].win_end = 1180;
    aw_score(&w, off, jobs);
    ck_assert_int_ge(w.plan.violations, 1);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(routes_invalid)
{
    static const struct {
        int off[3];
        int jobs[3];
    } bad[] = {
        {{0, 1, 2}, {0, 0}},    /* in both routes */
        {{0, 2, 2}, {1, 1}},    /* twice in one route */
        {{0, 1, 3}, {2, 0, 2}}, /* again, in the other route */
        {{0, 1, 1}, {3}},       /* past the last job */
        {{0, 0, 1}, {-1}},      /* negative */
    };
    struct aw_world w;

    three_jobs(&w);
    for (int i = 0; i < AW_N(bad); i++) {
        struct err err = ERR_INIT;
        struct assign_plan plan;
        int rc;

        memset(&plan, 0, sizeof(plan));
        rc =
            assign_plan_from_routes(&w.p, bad[i].off, bad[i].jobs, &plan, &err);
        ck_assert_msg(rc == ERR_INVALID, "case %d: rc %d", i, rc);
        ck_assert_int_eq(err.rc, ERR_INVALID);
        ck_assert_str_eq(err.code, "invalid_route");
        assign_plan_release(&plan);
    }
}
END_TEST

/* ---- re-planning one job --------------------------------------------- */

/* Technicians at 0 and 10; jobs 0 and 1 at places 8 and 2, and the job to
 * insert at 9 (its index is returned). */
static int job_to_insert(struct aw_world *w)
{
    line_world(w);
    aw_tech(w, 0);
    aw_tech(w, 10);
    aw_job(w, 8, 1000);
    aw_job(w, 2, 1000);
    return aw_job(w, 9, 1000);
}

START_TEST(insert_one_leaves_the_rest)
{
    /* technician 0 (at 0) has a at 8 and b at 2; job x at 9 is out.
     * Technician 1 (at 10) would be better for a too, but a stays. */
    const int off[] = {0, 2, 2}, jobs[] = {0, 1}, x_route[] = {2};
    struct aw_world w;
    int x;

    x = job_to_insert(&w);
    aw_score(&w, off, jobs);
    ck_assert_int_eq(w.plan.start_of[0], 480);
    ck_assert_int_eq(w.plan.start_of[1], 1840);
    /* on 0 the balance would grow by 6^2 - 4^2 = 20, on 1 by 4 */
    ck_assert_int_eq(assign_insert_one(&w.p, &w.plan, x), 1);
    aw_route_is(&w, 0, jobs, 2);
    aw_route_is(&w, 1, x_route, 1);
    ck_assert_int_eq(w.plan.start_of[0], 480);
    ck_assert_int_eq(w.plan.start_of[1], 1840);
    ck_assert_int_eq(w.plan.start_of[x], 60);
    ck_assert_int_eq(w.plan.cost.weighted, 3);
    ck_assert_int_eq(w.plan.cost.balance, 20);
    ck_assert_int_eq(w.plan.cost.travel, 960 + 120);
    ck_assert_int_eq(w.plan.violations, 0);
    /* placed badly at the end of 0's route, it is taken out and moved */
    {
        const int off2[] = {0, 3, 3}, jobs2[] = {0, 1, 2};

        aw_score(&w, off2, jobs2);
        ck_assert_int_eq(assign_insert_one(&w.p, &w.plan, x), 1);
        aw_route_is(&w, 0, jobs, 2);
        aw_route_is(&w, 1, x_route, 1);
        ck_assert_int_eq(w.plan.cost.travel, 960 + 120);
    }
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(insert_one_between)
{
    /* one technician: b at 2, a at 8; x at 5 belongs between them (the
     * way back from 5 to 0 is a 1000 s detour) */
    const int off[] = {0, 2}, jobs[] = {1, 0}, after[] = {1, 2, 0};
    struct aw_world w;
    int x;

    line_world(&w);
    aw_tech(&w, 0);
    aw_job(&w, 8, 1000);
    aw_job(&w, 2, 1000);
    x = aw_job(&w, 5, 1000);
    aw_leg(&w, 5, 0, 1000);
    aw_score(&w, off, jobs);
    ck_assert_int_eq(assign_insert_one(&w.p, &w.plan, x), 0);
    aw_route_is(&w, 0, after, 3);
    ck_assert_int_eq(w.plan.start_of[1], 120);
    ck_assert_int_eq(w.plan.start_of[x], 1300);
    ck_assert_int_eq(w.plan.start_of[0], 2480); /* pushed, not moved */
    ck_assert_int_eq(w.plan.cost.travel, 960);
    ck_assert_int_eq(w.plan.cost.balance, 36);
    ck_assert_int_eq(w.plan.work_of[0], 3000);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(insert_one_nowhere)
{
    const int off[] = {0, 2, 2}, jobs[] = {0, 1};
    struct aw_world w;
    int x;

    x = job_to_insert(&w);
    aw_job_needs(&w, x, need7_3, 1);
    aw_score(&w, off, jobs);
    ck_assert_int_eq(assign_insert_one(&w.p, &w.plan, x), -1);
    ck_assert_int_eq(w.plan.tech_of[x], -1);
    ck_assert_int_eq(w.plan.why[x], AR_NO_QUALIFIED);
    aw_route_is(&w, 0, jobs, 2);
    ck_assert_int_eq(w.plan.route_off[2], 2);
    /* qualified, but the nearer technician is 60 s away and the visit
     * must start by 50 */
    w.jobs[x].nskills = 0;
    w.jobs[x].win_end = 50;
    aw_score(&w, off, jobs);
    ck_assert_int_eq(assign_insert_one(&w.p, &w.plan, x), -1);
    ck_assert_int_eq(w.plan.why[x], AR_NO_ROOM);
    ck_assert_int_eq(w.plan.cost.weighted, 2);
    assign_plan_release(&w.plan);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assign_plan");
    TCase *valid = tcase_create("validation");
    TCase *routes = tcase_create("routes");
    TCase *insert = tcase_create("insert_one");

    tcase_add_test(valid, invalid_problem);
    tcase_add_test(valid, empty_problem);
    tcase_add_test(routes, routes_scored);
    tcase_add_test(routes, routes_breaches_counted);
    tcase_add_test(routes, routes_invalid);
    tcase_add_test(insert, insert_one_leaves_the_rest);
    tcase_add_test(insert, insert_one_between);
    tcase_add_test(insert, insert_one_nowhere);
    suite_add_tcase(s, valid);
    suite_add_tcase(s, routes);
    suite_add_tcase(s, insert);
    return tu_run_suite(s);
}
