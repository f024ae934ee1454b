/*
 * assign_world.h - small hand-built problems for the assignment engine's
 * unit suites (test_assign*.c): a world of a few places with an exact
 * travel matrix, technicians and jobs added one by one with plain
 * defaults, and the checks the suites make on the engine's answers.
 *
 * Every helper aborts the test when its own step fails (a full world, a
 * solve that returns an error), so none of them can hide a failure.  A
 * world points into itself, so it is built in place and never copied; it
 * owns no heap memory except w->plan, which the test releases with
 * assign_plan_release() when it is done.
 */
#ifndef FSD_ASSIGN_WORLD_H
#define FSD_ASSIGN_WORLD_H

#include "assign/assign.h"

#include <stdint.h>

#define AW_N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define AW_DAY 28800 /* the default shift and window: [0, AW_DAY] */
#define AW_MAXL 11   /* places */
#define AW_MAXJ 8    /* jobs */
#define AW_MAXT 10   /* technicians */
#define AW_MAXB 2    /* commitments per technician */

/* A small problem with exact travel: sec is the matrix behind p. */
struct aw_world {
    struct assign_loc locs[AW_MAXL];
    int32_t sec[AW_MAXL * AW_MAXL]; /* seconds[from * nlocs + to] */
    struct assign_matrix m;
    struct assign_job jobs[AW_MAXJ];
    struct assign_tech techs[AW_MAXT];
    struct assign_busy busy[AW_MAXT][AW_MAXB];
    int32_t capacity; /* what aw_tech gives a new technician */
    struct assign_problem p;
    struct assign_plan plan; /* the last aw_solve or aw_score */
};

/*
 * nlocs distinct places, all trips free until aw_leg sets them;
 * technicians get capacity AW_DAY; the default balance step; a search
 * long enough to reach a local optimum.
 */
void aw_init(struct aw_world *w, int nlocs);

/*
 * aw_init, but technicians get capacity 10000 and the balance step is
 * half the default (50 per mille): 1000 s of work is 2 steps, so balance
 * deltas are distinct small squares.
 */
void aw_init_fine(struct aw_world *w, int nlocs);

/* Travel between a and b, both ways. */
void aw_leg(struct aw_world *w, int a, int b, int32_t s);

/* A technician based at home, shift [0, AW_DAY], capacity w->capacity, no
 * skills, no commitments; returns its index. */
int aw_tech(struct aw_world *w, int home);

/* Technician t holds the n skills sk (borrowed: sk must outlive w). */
void aw_tech_has(struct aw_world *w, int t, const struct assign_skill *sk,
                 int n);

/* Append a commitment [start, end) at loc to technician t's day; the
 * caller appends them in start order, not overlapping. */
void aw_busy(struct aw_world *w, int t, int32_t start, int32_t end, int loc);

/* A job at loc lasting dur, window [0, AW_DAY], weight 1, no SLA, no
 * history; returns its index. */
int aw_job(struct aw_world *w, int loc, int32_t dur);

/* Job j needs the n skills req (borrowed: req must outlive w). */
void aw_job_needs(struct aw_world *w, int j, const struct assign_req *req,
                  int n);

/* Job j's visit starts in [start, end]. */
void aw_window(struct aw_world *w, int j, int32_t start, int32_t end);

/* aw_init with 3 places: technicians 0 and 1 based at places 0 and 1, d0
 * and d1 seconds from place 2, where one 1000 s job waits (its index is
 * returned); the trip between the homes is left free. */
int aw_two_techs_one_job(struct aw_world *w, int32_t d0, int32_t d1);

/*
 * assign_solve p into plan, overwriting it (arrays it held are not freed:
 * pass a fresh or released plan); the call must succeed.  The caller
 * releases plan.
 */
void aw_solve_problem(const struct assign_problem *p, struct assign_plan *plan);

/* Solve into w->plan (released first): the call succeeds, the plan has
 * every job and technician and, being the engine's, breaks no hard
 * constraint. */
void aw_solve(struct aw_world *w);

/* Score routes (off has ntechs + 1 entries into jobs) into w->plan
 * (released first) with assign_plan_from_routes; the call must succeed. */
void aw_score(struct aw_world *w, const int *off, const int *jobs);

/* Job j is on technician t, arriving at arrive and starting at start. */
void aw_on(const struct aw_world *w, int j, int t, int32_t arrive,
           int32_t start);

/* Job j is left out for reason why. */
void aw_off(const struct aw_world *w, int j, enum assign_reason why);

/* Technician t's route in w->plan is exactly jobs[0..n), in that order. */
void aw_route_is(const struct aw_world *w, int t, const int *jobs, int n);

/* Every field of got equals want's. */
void aw_cost_eq(const struct assign_cost *got, const struct assign_cost *want);

#endif
