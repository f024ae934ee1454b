/*
 * assign_world.c - builders and checks for small hand-built assignment
 * problems, shared by the assignment engine's unit suites.
 *
 * It only fills plain structs and asserts on the engine's answers; it must
 * not decide anything the engine decides (no feasibility, no cost of its
 * own), so a suite's expected values always come from the suite itself.
 * Every step that can go wrong aborts the test.
 */
#include "assign_world.h"
#include "common/err.h"

#include <check.h>
#include <string.h>

void aw_init(struct aw_world *w, int nlocs)
{
    ck_assert_msg(nlocs >= 1 && nlocs <= AW_MAXL, "%d places", nlocs);
    memset(w, 0, sizeof(*w));
    for (int i = 0; i < nlocs; i++)
        w->locs[i] = (struct assign_loc){.lat = 31.0, .lon = 35.0 + 0.01 * i};
    w->m.n = nlocs;
    w->m.seconds = w->sec;
    w->capacity = AW_DAY;
    w->p.jobs = w->jobs;
    w->p.techs = w->techs;
    w->p.locs = w->locs;
    w->p.nlocs = nlocs;
    w->p.travel = assign_travel_matrix;
    w->p.travel_ctx = &w->m;
    w->p.seed = 1;
    w->p.time_limit_ms = 1000;
}

void aw_init_fine(struct aw_world *w, int nlocs)
{
    aw_init(w, nlocs);
    w->capacity = 10000;
    w->p.balance_step_pm = 50;
}

void aw_leg(struct aw_world *w, int a, int b, int32_t s)
{
    w->sec[a * w->m.n + b] = w->sec[b * w->m.n + a] = s;
}

int aw_tech(struct aw_world *w, int home)
{
    int t = w->p.ntechs++;

    ck_assert_msg(t < AW_MAXT, "more than %d technicians", AW_MAXT);
    w->techs[t] = (struct assign_tech){.id = 100 + t,
                                       .shift_end = AW_DAY,
                                       .start_loc = home,
                                       .end_loc = home,
                                       .capacity = w->capacity};
    return t;
}

void aw_tech_has(struct aw_world *w, int t, const struct assign_skill *sk,
                 int n)
{
    w->techs[t].skills = sk;
    w->techs[t].nskills = n;
}

void aw_busy(struct aw_world *w, int t, int32_t start, int32_t end, int loc)
{
    int b = w->techs[t].nbusy++;

    ck_assert_msg(b < AW_MAXB, "technician %d: more than %d commitments", t,
                  AW_MAXB);
    w->busy[t][b] = (struct assign_busy){start, end, loc};
    w->techs[t].busy = w->busy[t];
}

int aw_job(struct aw_world *w, int loc, int32_t dur)
{
    int j = w->p.njobs++;

    ck_assert_msg(j < AW_MAXJ, "more than %d jobs", AW_MAXJ);
    w->jobs[j] = (struct assign_job){.id = 10 + j,
                                     .duration = dur,
                                     .win_end = AW_DAY,
                                     .sla_due = ASSIGN_NONE,
                                     .loc = loc,
                                     .weight = 1,
                                     .current = -1,
                                     .preferred = -1,
                                     .current_start = ASSIGN_NONE};
    return j;
}

void aw_job_needs(struct aw_world *w, int j, const struct assign_req *req,
                  int n)
{
    w->jobs[j].skills = req;
    w->jobs[j].nskills = n;
}

void aw_window(struct aw_world *w, int j, int32_t start, int32_t end)
{
    w->jobs[j].win_start = start;
    w->jobs[j].win_end = end;
}

int aw_two_techs_one_job(struct aw_world *w, int32_t d0, int32_t d1)
{
    aw_init(w, 3);
    aw_leg(w, 0, 2, d0);
    aw_leg(w, 1, 2, d1);
    aw_tech(w, 0);
    aw_tech(w, 1);
    return aw_job(w, 2, 1000);
}

void aw_solve_problem(const struct assign_problem *p, struct assign_plan *plan)
{
    struct err err = ERR_INIT;
    int rc;

    memset(plan, 0, sizeof(*plan));
    rc = assign_solve(p, plan, &err);
    ck_assert_msg(rc == 0, "assign_solve: %d %s %s", rc, err.field, err.msg);
}

void aw_solve(struct aw_world *w)
{
    assign_plan_release(&w->plan);
    aw_solve_problem(&w->p, &w->plan);
    ck_assert_int_eq(w->plan.njobs, w->p.njobs);
    ck_assert_int_eq(w->plan.ntechs, w->p.ntechs);
    ck_assert_int_eq(w->plan.violations, 0);
}

void aw_score(struct aw_world *w, const int *off, const int *jobs)
{
    struct err err = ERR_INIT;
    int rc;

    assign_plan_release(&w->plan);
    rc = assign_plan_from_routes(&w->p, off, jobs, &w->plan, &err);
    ck_assert_msg(rc == 0, "from_routes: %d %s %s", rc, err.code, err.msg);
}

void aw_on(const struct aw_world *w, int j, int t, int32_t arrive,
           int32_t start)
{
    ck_assert_msg(w->plan.tech_of[j] == t, "job %d on %d, expected %d", j,
                  w->plan.tech_of[j], t);
    ck_assert_int_eq(w->plan.arrive_of[j], arrive);
    ck_assert_int_eq(w->plan.start_of[j], start);
}

void aw_off(const struct aw_world *w, int j, enum assign_reason why)
{
    ck_assert_msg(w->plan.tech_of[j] == -1, "job %d on %d, expected none", j,
                  w->plan.tech_of[j]);
    ck_assert_int_eq(w->plan.why[j], why);
}

void aw_route_is(const struct aw_world *w, int t, const int *jobs, int n)
{
    const int *off = w->plan.route_off;

    ck_assert_int_eq(off[t + 1] - off[t], n);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(w->plan.route_jobs[off[t] + i], jobs[i]);
        ck_assert_int_eq(w->plan.tech_of[jobs[i]], t);
    }
}

void aw_cost_eq(const struct assign_cost *got, const struct assign_cost *want)
{
    ck_assert_int_eq(got->weighted, want->weighted);
    ck_assert_int_eq(got->lateness, want->lateness);
    ck_assert_int_eq(got->balance, want->balance);
    ck_assert_int_eq(got->travel, want->travel);
    ck_assert_int_eq(got->unstable, want->unstable);
}
