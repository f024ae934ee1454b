/*
 * test_assign_explain.c - the assignment engine's explanations: every
 * technician's verdict on one job (assign_explain), one technician's
 * verdict (assign_check) and the stable reason codes.
 *
 * One hand-built day has a technician for each reason a technician can
 * fail (missing skill, level below, outside the shift, overlap, over
 * capacity, too far) and three feasible ones whose deltas differ in
 * balance, travel and stability, so the ranking, every delta field, the
 * utilisation and the current/preferred flags are asserted exactly.  Each
 * failing technician fails for that one reason only: the others would be
 * met.  assign_check must agree with assign_explain for every technician.
 */
#include "assign/assign.h"
#include "assign_world.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

static const struct assign_req need7_3[] = {{7, 3}};
static const struct assign_req need7_3_9_1[] = {{7, 3}, {9, 1}};
static const struct assign_skill has8_5[] = {{8, 5}};
static const struct assign_skill has7_2[] = {{7, 2}};
static const struct assign_skill has7_3[] = {{7, 3}};
static const struct assign_skill has7_5[] = {{7, 5}};
static const struct assign_skill has9_2[] = {{9, 2}};
static const struct assign_skill has7_2_9_1[] = {{7, 2}, {9, 1}};

/* c is technician t's failure for reason r. */
static void fails(const struct assign_candidate *c, int t, enum assign_reason r)
{
    ck_assert_msg(c->tech == t && c->reason == r,
                  "technician %d: %s, expected %d: %s", c->tech,
                  assign_reason_code(c->reason), t, assign_reason_code(r));
}

/* c is a skill failure of technician t: skill, level held, level needed. */
static void lacks(const struct assign_candidate *c, int t, enum assign_reason r,
                  int32_t skill, int32_t have, int32_t need)
{
    fails(c, t, r);
    ck_assert_int_eq(c->skill, skill);
    ck_assert_int_eq(c->have, have);
    ck_assert_int_eq(c->need, need);
}

/* c is technician t, feasible, starting at start at position pos with
 * delta {weighted, lateness, balance, travel, unstable}. */
static void takes(const struct assign_candidate *c, int t, int32_t start,
                  int pos, struct assign_cost delta)
{
    fails(c, t, AR_OK);
    ck_assert_int_eq(c->start, start);
    ck_assert_int_eq(c->position, pos);
    aw_cost_eq(&c->delta, &delta);
}

/* assign_check for each technician agrees with assign_explain's entry. */
static void check_agrees(const struct aw_world *w, int j,
                         const struct assign_candidate *all)
{
    for (int i = 0; i < w->p.ntechs; i++) {
        const struct assign_candidate *e = &all[i];
        struct assign_candidate c;

        memset(&c, 0xA5, sizeof(c));
        assign_check(&w->p, &w->plan, j, e->tech, &c);
        ck_assert_int_eq(c.tech, e->tech);
        ck_assert_int_eq(c.reason, e->reason);
        if (e->reason == AR_MISSING_SKILL || e->reason == AR_LEVEL_BELOW) {
            ck_assert_int_eq(c.skill, e->skill);
            ck_assert_int_eq(c.have, e->have);
            ck_assert_int_eq(c.need, e->need);
        }
        if (e->reason != AR_OK)
            continue;
        ck_assert_int_eq(c.start, e->start);
        ck_assert_int_eq(c.position, e->position);
        ck_assert_int_eq(assign_cost_cmp(&c.delta, &e->delta), 0);
        ck_assert(c.utilisation == e->utilisation);
        ck_assert_int_eq(c.is_current, e->is_current);
        ck_assert_int_eq(c.is_preferred, e->is_preferred);
    }
}

/* ---- the day of every reason ----------------------------------------- */

/*
 * The job at loc 0 needs skill 7 at level 3 for 1000 s, starting in
 * [3600, 3800].  Technicians 0-4 live at loc 1 (100 s away), 5 at loc 2
 * (300 s), 6 at 3 (600 s), 7 at 4 (100 s), 8 at 5 (50 s); capacity 10000,
 * so 1000 s of work is 2 balance steps of 500 s.
 */
enum {
    T_SKILL,
    T_LEVEL,
    T_SHIFT,
    T_OVERLAP,
    T_CAPACITY,
    T_FAR,
    T_PREFERRED,
    T_CURRENT,
    T_LOADED
};

static int every_reason(struct aw_world *w)
{
    static const struct {
        int home;
        const struct assign_skill *has; /* one skill */
    } techs[] = {
        [T_SKILL] = {1, has8_5},     [T_LEVEL] = {1, has7_2},
        [T_SHIFT] = {1, has7_5},     [T_OVERLAP] = {1, has7_5},
        [T_CAPACITY] = {1, has7_5},  [T_FAR] = {2, has7_5},
        [T_PREFERRED] = {3, has7_5}, [T_CURRENT] = {4, has7_3},
        [T_LOADED] = {5, has7_5},
    };
    int j;

    aw_init_fine(w, 6);
    aw_leg(w, 1, 0, 100);
    aw_leg(w, 2, 0, 300);
    aw_leg(w, 3, 0, 600);
    aw_leg(w, 4, 0, 100);
    aw_leg(w, 5, 0, 50);
    for (int i = 0; i < AW_N(techs); i++)
        aw_tech_has(w, aw_tech(w, techs[i].home), techs[i].has, 1);
    /* [DAY, 2 DAY] misses the window */
    w->techs[T_SHIFT].shift_start = AW_DAY;
    w->techs[T_SHIFT].shift_end = 2 * AW_DAY;
    aw_busy(w, T_OVERLAP, 3000, 9000, 1);    /* covers the whole window */
    aw_busy(w, T_CAPACITY, 20000, 22500, 1); /* 2500 + 1000 > 3000 */
    w->techs[T_CAPACITY].capacity = 3000;
    /* free 3600..5000 at loc 2: room for 1000 s of work, not for the
     * 300 s drive there (arriving 3900, after 3800) and back */
    aw_busy(w, T_FAR, 0, 3600, 2);
    aw_busy(w, T_FAR, 5000, AW_DAY, 2);
    w->techs[T_FAR].capacity = 40000;
    aw_busy(w, T_LOADED, 20000, 21000, 5);
    j = aw_job(w, 0, 1000);
    aw_window(w, j, 3600, 3800);
    aw_job_needs(w, j, need7_3, 1);
    w->jobs[j].current = T_CURRENT;
    w->jobs[j].preferred = T_PREFERRED;
    return j;
}

START_TEST(explain_every_reason)
{
    struct aw_world w;
    struct assign_candidate c[AW_MAXT];
    int j = every_reason(&w), n;

    w.jobs[j].sla_due = 3500; /* every feasible start is 100 s late */
    aw_solve(&w);
    ck_assert_int_eq(w.plan.tech_of[j], T_CURRENT);
    memset(c, 0xA5, sizeof(c));
    n = assign_explain(&w.p, &w.plan, j, c);
    ck_assert_int_eq(n, 3);
    /* equal balance: less travel first; then the loaded one */
    takes(&c[0], T_CURRENT, 3600, 0, (struct assign_cost){1, 100, 4, 200, 0});
    takes(&c[1], T_PREFERRED, 3600, 0,
          (struct assign_cost){1, 100, 4, 1200, 1});
    takes(&c[2], T_LOADED, 3600, 0, (struct assign_cost){1, 100, 12, 100, 1});
    ck_assert_double_eq_tol(c[0].utilisation, 0.1, 1e-9);
    ck_assert_double_eq_tol(c[1].utilisation, 0.1, 1e-9);
    ck_assert_double_eq_tol(c[2].utilisation, 0.2, 1e-9);
    ck_assert_int_eq(c[0].is_current, 1);
    ck_assert_int_eq(c[0].is_preferred, 0);
    ck_assert_int_eq(c[1].is_current, 0);
    ck_assert_int_eq(c[1].is_preferred, 1);
    ck_assert_int_eq(c[2].is_current, 0);
    ck_assert_int_eq(c[2].is_preferred, 0);
    /* then the infeasible ones by technician index */
    lacks(&c[3], T_SKILL, AR_MISSING_SKILL, 7, 0, 3);
    lacks(&c[4], T_LEVEL, AR_LEVEL_BELOW, 7, 2, 3);
    fails(&c[5], T_SHIFT, AR_OUTSIDE_SHIFT);
    fails(&c[6], T_OVERLAP, AR_OVERLAP);
    fails(&c[7], T_CAPACITY, AR_OVER_CAPACITY);
    ck_assert_double_eq_tol(c[7].utilisation, 3500.0 / 3000.0, 1e-9);
    fails(&c[8], T_FAR, AR_TOO_FAR);
    check_agrees(&w, j, c);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(explain_unassigned_job)
{
    struct aw_world w;
    struct assign_candidate c[AW_MAXT];
    int j = every_reason(&w), n;

    /* without the three feasible technicians nobody can: 6 verdicts, none
     * feasible, and the job itself has no room */
    w.p.ntechs = T_PREFERRED;
    w.jobs[j].current = w.jobs[j].preferred = -1;
    aw_solve(&w);
    ck_assert_int_eq(w.plan.tech_of[j], -1);
    ck_assert_int_eq(w.plan.why[j], AR_NO_ROOM);
    n = assign_explain(&w.p, &w.plan, j, c);
    ck_assert_int_eq(n, 0);
    for (int t = 0; t < T_PREFERRED; t++)
        ck_assert_int_eq(c[t].tech, t);
    ck_assert_int_eq(c[T_OVERLAP].reason, AR_OVERLAP);
    ck_assert_int_eq(c[T_FAR].reason, AR_TOO_FAR);
    check_agrees(&w, j, c);
    /* and with the two unqualified ones only, no one is qualified */
    w.p.ntechs = T_SHIFT;
    aw_solve(&w);
    ck_assert_int_eq(w.plan.why[j], AR_NO_QUALIFIED);
    ck_assert_int_eq(w.plan.unassignable, 1);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(explain_the_detour_is_the_reason)
{
    struct aw_world w;
    struct assign_candidate c;
    int j = every_reason(&w);

    /* the too-far technician's home moves next door: the gap suffices */
    aw_leg(&w, 2, 0, 0);
    aw_solve(&w);
    assign_check(&w.p, &w.plan, j, T_FAR, &c);
    fails(&c, T_FAR, AR_OK);
    ck_assert_int_eq(c.start, 3600);
    /* 199 s away: 3600 + 199 + 1000 + 199 = 4998, inside the gap */
    aw_leg(&w, 2, 0, 199);
    aw_solve(&w);
    assign_check(&w.p, &w.plan, j, T_FAR, &c);
    fails(&c, T_FAR, AR_OK);
    ck_assert_int_eq(c.start, 3799);
    ck_assert_int_eq(c.delta.travel, 398);
    aw_leg(&w, 2, 0, 201); /* arrives 3801 */
    aw_solve(&w);
    assign_check(&w.p, &w.plan, j, T_FAR, &c);
    fails(&c, T_FAR, AR_TOO_FAR);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(explain_which_skill)
{
    static const struct {
        const struct assign_skill *has;
        int nhas;
        enum assign_reason r;
        int32_t skill, have, need;
    } cases[] = {
        {has7_5, 1, AR_MISSING_SKILL, 9, 0, 1},
        {has9_2, 1, AR_MISSING_SKILL, 7, 0, 3},
        {has7_2_9_1, 2, AR_LEVEL_BELOW, 7, 2, 3},
    };
    struct aw_world w;
    struct assign_candidate c;
    int j;

    aw_init_fine(&w, 2);
    aw_tech(&w, 1);
    j = aw_job(&w, 0, 1000);
    aw_job_needs(&w, j, need7_3_9_1, 2);
    for (int i = 0; i < AW_N(cases); i++) {
        aw_tech_has(&w, 0, cases[i].has, cases[i].nhas);
        aw_solve(&w);
        assign_check(&w.p, &w.plan, j, 0, &c);
        lacks(&c, 0, cases[i].r, cases[i].skill, cases[i].have, cases[i].need);
    }
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(explain_position_in_route)
{
    struct aw_world w;
    struct assign_candidate c[1];
    int a, b, j, n;

    /* all at loc 1, 100 s from home: a at 1000, j at 5000, b at 9000 */
    aw_init_fine(&w, 2);
    aw_leg(&w, 0, 1, 100);
    aw_tech(&w, 0);
    a = aw_job(&w, 1, 500);
    j = aw_job(&w, 1, 500);
    b = aw_job(&w, 1, 500);
    aw_window(&w, a, 1000, 1000);
    aw_window(&w, j, 5000, 5000);
    aw_window(&w, b, 9000, 9000);
    aw_solve(&w);
    ck_assert_int_eq(w.plan.cost.weighted, 3);
    n = assign_explain(&w.p, &w.plan, j, c);
    ck_assert_int_eq(n, 1);
    /* 1000 s of work is 2 steps, 1500 s is 3: balance 9 - 4 */
    takes(&c[0], 0, 5000, 1, (struct assign_cost){1, 0, 5, 0, 0});
    ck_assert_double_eq_tol(c[0].utilisation, 0.15, 1e-9);
    n = assign_explain(&w.p, &w.plan, b, c);
    ck_assert_int_eq(n, 1);
    takes(&c[0], 0, 9000, 2, (struct assign_cost){1, 0, 5, 0, 0});
    n = assign_explain(&w.p, &w.plan, a, c);
    ck_assert_int_eq(n, 1);
    takes(&c[0], 0, 1000, 0, (struct assign_cost){1, 0, 5, 0, 0});
    /* the plan is not changed by explaining */
    ck_assert_int_eq(w.plan.tech_of[j], 0);
    ck_assert_int_eq(w.plan.route_off[1], 3);
    ck_assert_int_eq(w.plan.route_jobs[1], j);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(explain_overlap_with_a_job)
{
    struct aw_world w;
    struct assign_candidate c[1];
    int h, l;

    /* the heavier job takes the only slot; the lighter one overlaps it */
    aw_init_fine(&w, 2);
    aw_leg(&w, 0, 1, 100);
    aw_tech(&w, 0);
    h = aw_job(&w, 1, 3600);
    l = aw_job(&w, 1, 600);
    aw_window(&w, h, 3600, 3600);
    aw_window(&w, l, 5000, 5000);
    w.jobs[h].weight = 2;
    aw_solve(&w);
    ck_assert_int_eq(w.plan.tech_of[l], -1);
    ck_assert_int_eq(w.plan.why[l], AR_NO_ROOM);
    ck_assert_int_eq(assign_explain(&w.p, &w.plan, l, c), 0);
    fails(&c[0], 0, AR_OVERLAP);
    assign_plan_release(&w.plan);
}
END_TEST

START_TEST(explain_pinned)
{
    struct aw_world w;
    struct assign_candidate c[3];
    int j;

    /* pinned to technician 0, the farthest; 1 and 2 could take it */
    aw_init_fine(&w, 4);
    aw_leg(&w, 1, 0, 500);
    aw_leg(&w, 2, 0, 100);
    aw_leg(&w, 3, 0, 100);
    for (int home = 1; home <= 3; home++)
        aw_tech_has(&w, aw_tech(&w, home), has7_3, 1);
    j = aw_job(&w, 0, 1000);
    aw_job_needs(&w, j, need7_3, 1);
    w.jobs[j].current = 0;
    w.jobs[j].pinned = 1;
    aw_solve(&w);
    ck_assert_int_eq(w.plan.tech_of[j], 0);
    ck_assert_int_eq(assign_explain(&w.p, &w.plan, j, c), 1);
    takes(&c[0], 0, 500, 0, (struct assign_cost){1, 0, 4, 1000, 0});
    ck_assert_int_eq(c[0].is_current, 1);
    fails(&c[1], 1, AR_PINNED);
    fails(&c[2], 2, AR_PINNED);
    check_agrees(&w, j, c);
    /* its technician loses the skill: it is pinned to nobody able */
    w.techs[0].skills = has7_2;
    aw_solve(&w);
    ck_assert_int_eq(w.plan.tech_of[j], -1);
    ck_assert_int_eq(w.plan.why[j], AR_PINNED);
    ck_assert_int_eq(assign_explain(&w.p, &w.plan, j, c), 0);
    lacks(&c[0], 0, AR_LEVEL_BELOW, 7, 2, 3);
    fails(&c[1], 1, AR_PINNED);
    fails(&c[2], 2, AR_PINNED);
    assign_plan_release(&w.plan);
}
END_TEST

/* ---- reason codes ---------------------------------------------------- */

START_TEST(reason_codes)
{
    static const struct {
        enum assign_reason r;
        const char *code;
    } codes[] = {
        {AR_OK, "ok"},
        {AR_MISSING_SKILL, "missing_skill"},
        {AR_LEVEL_BELOW, "level_below"},
        {AR_OUTSIDE_SHIFT, "outside_shift"},
        {AR_OVERLAP, "overlap"},
        {AR_OVER_CAPACITY, "over_capacity"},
        {AR_TOO_FAR, "too_far"},
        {AR_PINNED, "pinned"},
        {AR_NO_QUALIFIED, "no_qualified"},
        {AR_NO_ROOM, "no_room"},
    };

    ck_assert_int_eq(AW_N(codes), AR__COUNT);
    for (int i = 0; i < AW_N(codes); i++)
        ck_assert_str_eq(assign_reason_code(codes[i].r), codes[i].code);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("assign_explain");
    TCase *tc = tcase_create("explain");

    tcase_add_test(tc, explain_every_reason);
    tcase_add_test(tc, explain_unassigned_job);
    tcase_add_test(tc, explain_the_detour_is_the_reason);
    tcase_add_test(tc, explain_which_skill);
    tcase_add_test(tc, explain_position_in_route);
    tcase_add_test(tc, explain_overlap_with_a_job);
    tcase_add_test(tc, explain_pinned);
    tcase_add_test(tc, reason_codes);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
