/*
 * test_assign_random.c - the assignment engine on a generated day of
 * 150 jobs and 15 technicians: determinism, stability under re-planning,
 * and every hard constraint checked independently of the engine.
 *
 * The problem comes from a small fixed PRNG, so it is the same on every
 * run and machine: places on a 20 km square with a travel matrix, four
 * skills, two-hour and all-day windows, SLA due times, lunch commitments
 * and more work than the technicians can do.  check_plan() re-walks every
 * route with the test's own arithmetic (skills, window, shift with travel
 * out and back, no overlap with jobs or commitments including travel,
 * capacity) and recomputes the cost, so it shares no code with the engine.
 * Determinism is promised only when the search stops at a local optimum,
 * so the search budget is far beyond what this day needs.
 */
#include "assign/assign.h"
#include "assign_world.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NJ 150
#define NT 15
#define NL (NT + NJ + 1) /* homes, job places, one spare for a new job */
#define NSKILL 4
#define HOUR 3600
#define LIMIT_MS 60000 /* never reached: the search ends at its optimum */

struct day {
    struct assign_loc locs[NL];
    int32_t sec[NL * NL];
    struct assign_matrix m;
    struct assign_req reqs[NJ + 1][2];
    struct assign_job jobs[NJ + 1];
    struct assign_skill skills[NT][NSKILL];
    struct assign_busy busy[NT];
    struct assign_tech techs[NT];
    struct assign_problem p;
};

/* splitmix64: small, fixed, the same everywhere */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int rnd(uint64_t *s, int n)
{
    return (int)(rng_next(s) % (uint64_t)n);
}

static void gen_job(struct day *d, uint64_t *r, int j)
{
    struct assign_job *x = &d->jobs[j];
    int kind = rnd(r, 10), first = rnd(r, NSKILL);

    *x = (struct assign_job){.id = 1000 + j,
                             .sla_due = ASSIGN_NONE,
                             .loc = NT + j,
                             .current = -1,
                             .preferred = -1,
                             .current_start = ASSIGN_NONE};
    x->nskills = kind == 0 ? 0 : kind == 1 ? 2 : 1;
    for (int k = 0; k < x->nskills; k++) /* distinct skills */
        d->reqs[j][k] =
            (struct assign_req){1 + (first + k) % NSKILL, 1 + rnd(r, 3)};
    if (x->nskills && rnd(r, 25) == 0) /* a skill nobody has */
        d->reqs[j][0].skill = NSKILL + 1;
    x->skills = d->reqs[j];
    x->duration = 1800 + 900 * rnd(r, 7); /* 30 min .. 2 h */
    if (rnd(r, 2)) {
        x->win_start = 7 * HOUR;
        x->win_end = 18 * HOUR;
    } else {
        x->win_start = (8 + rnd(r, 8)) * HOUR;
        x->win_end = x->win_start + 2 * HOUR;
    }
    if (rnd(r, 10) < 3)
        x->sla_due = x->win_start + HOUR;
    x->weight = 1 + rnd(r, 3);
    if (rnd(r, 10) == 0)
        x->preferred = rnd(r, NT);
}

static void gen_tech(struct day *d, uint64_t *r, int t)
{
    struct assign_tech *x = &d->techs[t];
    int n = 0;

    *x = (struct assign_tech){.id = 500 + t, .start_loc = t, .end_loc = t};
    for (int s = 1; s <= NSKILL; s++)
        if (rnd(r, 10) < 6 || (s == NSKILL && n == 0))
            d->skills[t][n++] = (struct assign_skill){s, 1 + rnd(r, 5)};
    x->skills = d->skills[t];
    x->nskills = n;
    x->shift_start = 7 * HOUR + 1800 * rnd(r, 5);
    x->shift_end = x->shift_start + 8 * HOUR + 1800 * rnd(r, 3);
    x->capacity = 7 * HOUR + 1800 * rnd(r, 3);
    if (rnd(r, 3) == 0) { /* lunch somewhere, reachable from any home */
        d->busy[t] = (struct assign_busy){12 * HOUR, 13 * HOUR, rnd(r, NL)};
        x->busy = &d->busy[t];
        x->nbusy = 1;
    }
}

/* The generated day: homes first, then one place per job. */
static void day_init(struct day *d, uint64_t seed)
{
    double km[NL][2];
    uint64_t r = seed;

    memset(d, 0, sizeof(*d));
    for (int i = 0; i < NL; i++) {
        km[i][0] = rnd(&r, 2001) / 100.0;
        km[i][1] = rnd(&r, 2001) / 100.0;
        d->locs[i] = (struct assign_loc){.lat = 31.0 + km[i][0] / 111.0,
                                         .lon = 35.0 + km[i][1] / 95.0};
    }
    for (int a = 0; a < NL; a++)
        for (int b = 0; b < NL; b++) /* 1.3 detour at 40 km/h */
            d->sec[a * NL + b] = (int32_t)lround(
                hypot(km[a][0] - km[b][0], km[a][1] - km[b][1]) * 117.0);
    for (int t = 0; t < NT; t++)
        gen_tech(d, &r, t);
    for (int j = 0; j <= NJ; j++)
        gen_job(d, &r, j);
    d->m = (struct assign_matrix){NL, d->sec};
    d->p = (struct assign_problem){.jobs = d->jobs,
                                   .njobs = NJ,
                                   .techs = d->techs,
                                   .ntechs = NT,
                                   .locs = d->locs,
                                   .nlocs = NL,
                                   .travel = assign_travel_matrix,
                                   .travel_ctx = &d->m,
                                   .seed = 42,
                                   .time_limit_ms = LIMIT_MS};
}

/* Solve d; the budget is far beyond what the search needs, so it always
 * ends at its local optimum and the plan depends on the seed alone. */
static void solve(const struct day *d, struct assign_plan *plan)
{
    aw_solve_problem(&d->p, plan);
}

/* ---- the independent check ------------------------------------------- */

static int qualified(const struct day *d, int j, int t)
{
    const struct assign_job *x = &d->jobs[j];
    const struct assign_tech *y = &d->techs[t];

    for (int i = 0; i < x->nskills; i++) {
        int ok = 0;

        for (int k = 0; k < y->nskills; k++)
            ok |= y->skills[k].skill == x->skills[i].skill &&
                  y->skills[k].level >= x->skills[i].level;
        if (!ok)
            return 0;
    }
    return 1;
}

/* One thing on a technician's day: a visit or a commitment. */
struct stop {
    int32_t start, end;
    int loc, job; /* job index, or -1 for a commitment */
};

/* Technician t's visits and commitments in time order; returns count. */
static int day_of(const struct day *d, const struct assign_plan *plan, int t,
                  struct stop *out)
{
    int n = 0;

    for (int i = plan->route_off[t]; i < plan->route_off[t + 1]; i++) {
        int j = plan->route_jobs[i];

        ck_assert_int_eq(plan->tech_of[j], t);
        if (n > 0) /* route_jobs is in visit order */
            ck_assert_int_gt(plan->start_of[j], out[n - 1].start);
        out[n++] = (struct stop){plan->start_of[j],
                                 plan->start_of[j] + d->jobs[j].duration,
                                 d->jobs[j].loc, j};
    }
    for (int b = 0; b < d->techs[t].nbusy; b++) {
        const struct assign_busy *k = &d->techs[t].busy[b];
        int i = n++;

        for (; i > 0 && out[i - 1].start > k->start; i--)
            out[i] = out[i - 1];
        out[i] = (struct stop){k->start, k->end, k->loc, -1};
    }
    return n;
}

/* Walk technician t's day; add its work, travel and cost parts. */
static void check_tech(const struct day *d, const struct assign_plan *plan,
                       int t, struct assign_cost *cost)
{
    const struct assign_tech *y = &d->techs[t];
    struct stop s[NJ + 2];
    int n = day_of(d, plan, t, s), loc = y->start_loc;
    int64_t time = y->shift_start, work = 0, travel = 0, steps;

    for (int i = 0; i < n; i++) {
        int32_t leg = d->sec[loc * NL + s[i].loc];

        ck_assert_msg(s[i].start >= time + leg,
                      "tech %d: stop %d at %d, reachable at %lld", t, i,
                      (int)s[i].start, (long long)(time + leg));
        if (s[i].job >= 0) {
            const struct assign_job *x = &d->jobs[s[i].job];

            ck_assert(qualified(d, s[i].job, t));
            ck_assert(!x->pinned || x->current == t);
            ck_assert_int_ge(s[i].start, x->win_start);
            ck_assert_int_le(s[i].start, x->win_end);
            ck_assert_int_ge(plan->arrive_of[s[i].job], time + leg);
            ck_assert_int_le(plan->arrive_of[s[i].job], s[i].start);
            cost->weighted += x->weight;
            if (x->sla_due != ASSIGN_NONE && s[i].start > x->sla_due)
                cost->lateness += s[i].start - x->sla_due;
            cost->unstable += x->current >= 0
                                  ? x->current != t
                                  : x->preferred >= 0 && x->preferred != t;
        }
        work += s[i].end - s[i].start;
        travel += leg;
        time = s[i].end;
        loc = s[i].loc;
    }
    travel += d->sec[loc * NL + y->end_loc];
    ck_assert_int_le(time + d->sec[loc * NL + y->end_loc], y->shift_end);
    ck_assert_int_le(work, y->capacity);
    ck_assert_int_eq(plan->work_of[t], work);
    ck_assert_int_eq(plan->travel_of[t], travel);
    steps = work * 1000 / y->capacity /
            (d->p.balance_step_pm ? d->p.balance_step_pm : 100);
    cost->balance += steps * steps;
    cost->travel += travel;
}

/* Every hard constraint, the cost and the bookkeeping of plan. */
static void check_plan(const struct day *d, const struct assign_plan *plan)
{
    struct assign_cost cost = {0, 0, 0, 0, 0};
    int assigned = 0, unqualified = 0;

    ck_assert_int_eq(plan->violations, 0);
    ck_assert_int_eq(plan->route_off[0], 0);
    for (int t = 0; t < d->p.ntechs; t++)
        check_tech(d, plan, t, &cost);
    for (int j = 0; j < d->p.njobs; j++) {
        int any = 0;

        for (int t = 0; t < d->p.ntechs; t++)
            any |= qualified(d, j, t);
        unqualified += !any;
        if (plan->tech_of[j] >= 0)
            assigned++;
        else
            ck_assert_int_eq(plan->why[j], any ? AR_NO_ROOM : AR_NO_QUALIFIED);
    }
    /* each assigned job is in exactly one route (check_tech saw them all) */
    ck_assert_int_eq(plan->route_off[d->p.ntechs], assigned);
    ck_assert_int_eq(plan->unassignable, unqualified);
    aw_cost_eq(&plan->cost, &cost);
}

/* ---- tests ----------------------------------------------------------- */

static struct day D; /* large; one per test process */

START_TEST(generated_day_is_hard)
{
    struct assign_plan plan;
    int out = 0, unq;

    /* the generator makes what the other tests need: work left over,
     * some jobs nobody can do, commitments, waiting */
    day_init(&D, 7);
    solve(&D, &plan);
    for (int j = 0; j < NJ; j++)
        out += plan.tech_of[j] < 0;
    unq = plan.unassignable;
    ck_assert_msg(out > unq && out < NJ / 2, "%d out, %d unqualified", out,
                  unq);
    ck_assert_int_gt(unq, 0);
    assign_plan_release(&plan);
}
END_TEST

START_TEST(construction_is_feasible)
{
    struct assign_plan plan, searched;

    day_init(&D, 7);
    D.p.time_limit_ms = 0;
    solve(&D, &plan);
    check_plan(&D, &plan);
    ck_assert_int_eq(plan.iterations, 0);
    /* the search only ever improves on it */
    D.p.time_limit_ms = LIMIT_MS;
    solve(&D, &searched);
    check_plan(&D, &searched);
    ck_assert_int_le(assign_cost_cmp(&searched.cost, &plan.cost), 0);
    assign_plan_release(&plan);
    assign_plan_release(&searched);
}
END_TEST

START_TEST(same_seed_same_plan)
{
    struct assign_plan a, b;

    day_init(&D, 7);
    solve(&D, &a);
    solve(&D, &b);
    check_plan(&D, &a);
    for (int j = 0; j < NJ; j++) {
        ck_assert_msg(a.tech_of[j] == b.tech_of[j], "job %d: %d then %d", j,
                      a.tech_of[j], b.tech_of[j]);
        if (a.tech_of[j] >= 0)
            ck_assert_int_eq(a.start_of[j], b.start_of[j]);
    }
    ck_assert_int_eq(assign_cost_cmp(&a.cost, &b.cost), 0);
    ck_assert_int_eq(a.iterations, b.iterations);
    assign_plan_release(&a);
    assign_plan_release(&b);
}
END_TEST

START_TEST(local_optimum_leaves_no_room)
{
    struct assign_plan plan;
    struct assign_candidate c[NT];

    /* no left-out job fits anywhere (else inserting it would improve),
     * and every assigned job is feasible where it is */
    day_init(&D, 7);
    solve(&D, &plan);
    for (int j = 0; j < NJ; j++) {
        int n = assign_explain(&D.p, &plan, j, c), t = plan.tech_of[j];

        if (t < 0) {
            ck_assert_msg(n == 0, "job %d is out but fits %d", j, n);
            continue;
        }
        ck_assert_int_gt(n, 0);
        for (int i = 0; i < NT; i++)
            if (c[i].tech == t)
                ck_assert_int_eq(c[i].reason, AR_OK);
    }
    assign_plan_release(&plan);
}
END_TEST

/* Make plan the current one: each job's technician and start. */
static void keep(struct day *d, const struct assign_plan *plan)
{
    for (int j = 0; j < plan->njobs; j++) {
        d->jobs[j].current = plan->tech_of[j];
        d->jobs[j].current_start =
            plan->tech_of[j] >= 0 ? plan->start_of[j] : ASSIGN_NONE;
    }
}

/* Jobs of first whose technician differs in again. */
static int moved(const struct assign_plan *first,
                 const struct assign_plan *again)
{
    int n = 0;

    for (int j = 0; j < NJ; j++)
        n += first->tech_of[j] >= 0 && again->tech_of[j] != first->tech_of[j];
    return n;
}

/* Solve the day into first, make it the current plan, let njobs jobs in
 * and solve again into again, which passes check_plan. */
static void replan(int njobs, struct assign_plan *first,
                   struct assign_plan *again)
{
    day_init(&D, 7);
    solve(&D, first);
    keep(&D, first);
    D.p.njobs = njobs;
    solve(&D, again);
    check_plan(&D, again);
}

START_TEST(replanning_keeps_the_plan)
{
    struct assign_plan first, again;
    struct assign_cost a, b;

    /* nothing changed but `current`: the warm start is the first plan,
     * so the plan is no worse (stability aside) and barely moves */
    replan(NJ, &first, &again);
    a = again.cost;
    b = first.cost;
    a.unstable = b.unstable = 0;
    ck_assert_msg(assign_cost_cmp(&a, &b) <= 0,
                  "worse: weighted %lld lateness %lld, was %lld %lld",
                  (long long)a.weighted, (long long)a.lateness,
                  (long long)b.weighted, (long long)b.lateness);
    ck_assert_msg(moved(&first, &again) <= 5, "%d jobs changed technician",
                  moved(&first, &again));
    assign_plan_release(&first);
    assign_plan_release(&again);
}
END_TEST

START_TEST(replanning_is_stable)
{
    struct assign_plan first, again;

    replan(NJ + 1, &first, &again); /* one new job comes in */
    ck_assert_msg(moved(&first, &again) <= 5, "%d jobs changed technician",
                  moved(&first, &again));
    assign_plan_release(&first);
    assign_plan_release(&again);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assign_random");
    TCase *tc = tcase_create("generated");

    tcase_add_test(tc, generated_day_is_hard);
    tcase_add_test(tc, construction_is_feasible);
    tcase_add_test(tc, same_seed_same_plan);
    tcase_add_test(tc, local_optimum_leaves_no_room);
    tcase_add_test(tc, replanning_keeps_the_plan);
    tcase_add_test(tc, replanning_is_stable);
    tcase_set_timeout(tc, 120); /* a few 2 s searches, slower under ASan */
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
