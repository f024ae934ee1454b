/*
 * metrics.h - what a plan is worth, measured the way the benchmark prints
 * it, plus an independent check of the plan against the hard constraints.
 *
 * The check does not trust the engine's bookkeeping: it replays each
 * technician's day from the plan's visit start times with its own travel
 * (inst_travel, the engine's formula) and counts every breach, so an
 * engine bug that its own `violations` counter shares still shows.
 */
#ifndef FSD_BENCH_METRICS_H
#define FSD_BENCH_METRICS_H

#include "assign/assign.h"
#include "instance.h"

/*
 * 1 when technician t may do job j in the assignment relaxation: every
 * required skill at level, the job not pinned elsewhere, and a visit that
 * starts in the window and ends within the shift.  The LP references use
 * exactly this relation; a job no technician may do is "uncoverable".
 */
int metrics_allowed(const struct assign_problem *p, int j, int t);

/* Per job: 1 when some technician is allowed (new array, free()). */
unsigned char *metrics_coverable_new(const struct assign_problem *p);

struct metrics {
    int jobs, coverable;     /* all jobs; jobs some technician may do */
    int engine_unassignable; /* the plan's own `unassignable` */
    int assigned;
    int64_t weighted;           /* weights of assigned jobs */
    int64_t weighted_coverable; /* weights of coverable jobs */
    int prio_jobs[PRIO__N];     /* coverable jobs per priority */
    int prio_assigned[PRIO__N];
    int64_t travel_s;                              /* plan.cost.travel */
    double util_max, util_min, util_mean, util_sd; /* work / capacity */
    int violations;                                /* plan.violations */
    int64_t lateness_s;                            /* plan.cost.lateness */
    int late_jobs;                     /* visits starting after their SLA due */
    int check;                         /* breaches found by metrics_check */
    int rescore_diff;                  /* 1: assign_plan_from_routes() on the
                                          plan's routes disagrees with it */
    struct assign_cost cost, rescored; /* the plan's, and the rescore's */
    int rescored_violations;
    long iterations;
};

/* Fill m from plan for in's problem p (p may differ from in->p in travel
 * and limits); coverable from metrics_coverable_new(). */
void metrics_of_plan(const struct instance *in, const struct assign_problem *p,
                     const struct assign_plan *plan,
                     const unsigned char *coverable, struct metrics *m);

/*
 * Replay plan: routes and tech_of agree, skills at level, starts inside
 * windows and after arrival with travel from tr, no overlap with busy
 * blocks, back by the shift end, capacity, pinned jobs, SLA lateness and
 * the plan's per-technician work and travel.  Returns the number of
 * breaches; the first `show` are described on stderr, after "check NAME
 * (label):".
 */
int metrics_check(const struct instance *in, const struct assign_plan *plan,
                  const struct inst_travel *tr, const char *label, int show);

#endif
