/*
 * assign.h - the assignment engine: which technician does which job, and
 * in what order, for one planning horizon (normally a day).
 *
 * Pure: plain structs in, a plan out; no SQL, no HTTP, no clock, no global
 * state.  Times are whole seconds relative to an origin the caller picks
 * (the store uses the plan date's midnight UTC), so shifts arrive here
 * already converted from each technician's time zone.  The engine
 * allocates only inside struct assign_plan, freed by assign_plan_release().
 *
 * Hard constraints (never violated by a plan the engine makes):
 *   - every required skill at or above its minimum level;
 *   - the visit starts inside the job's arrival window;
 *   - the route leaves the start location no earlier than the shift start
 *     and is back at the end location by the shift end, travel included;
 *   - visits and existing commitments do not overlap (travel between them
 *     included);
 *   - the work minutes of the day (commitments plus visits) stay within
 *     the technician's capacity;
 *   - a pinned job stays with its current technician.
 *
 * Objective, lexicographic (struct assign_cost, compared field by field):
 *   1. priority-weighted jobs assigned (maximised);
 *   2. SLA lateness: seconds a visit starts after the job's SLA due time,
 *      summed (minimised);
 *   3. workload balance: the sum over technicians of the square of their
 *      utilisation (work / capacity) counted in whole steps of
 *      balance_step_pm per mille, 10 % by default (minimised; the step lets
 *      travel decide between plans whose loads differ by less than a step,
 *      and keeps a re-plan from rippling through the day for small gains);
 *   4. total travel seconds (minimised);
 *   5. stability: jobs not on their current technician, or, when they have
 *      none, not on their preferred one (minimised).
 *
 * Method: the current assignments are kept as a warm start (each
 * technician's current jobs in their current order when that order is
 * still feasible, else inserted one by one), the rest are
 * inserted hardest first (weight, then fewest qualified technicians, then
 * tightest window) at their cheapest feasible position, and local search
 * (insertion of unassigned jobs, ejection of lighter jobs, relocate, swap,
 * 2-opt within a route, exchange of route tails) runs until no move improves
 * the cost or the time limit passes.  On a fresh day (no current
 * assignments) a first search ranks travel before balance and is followed
 * by ruin and recreate rounds, bounded in number; a re-plan from current
 * assignments uses only the true order.  Candidate moves are tried in an order
 * drawn from the seed, so a given seed gives the same plan whenever the
 * search ends at a local optimum before the time limit.
 */
#ifndef FSD_ASSIGN_H
#define FSD_ASSIGN_H

#include "common/err.h"

#include <stddef.h>
#include <stdint.h>

#define ASSIGN_NONE INT32_MIN /* "no time": no SLA due time */

/* A place, in degrees. */
struct assign_loc {
    double lat, lon;
    int unknown; /* 1: no coordinates; with the default travel, trips to
                    or from it take no time */
};

/* Travel seconds from location index `from` to `to` (both >= 0). */
typedef int32_t (*assign_travel_fn)(const void *ctx, int from, int to);

struct assign_req {
    int32_t skill; /* skill id */
    int32_t level; /* minimum level, 1..5 */
};

struct assign_skill {
    int32_t skill; /* skill id */
    int32_t level; /* level held, 1..5 */
};

/* A commitment that is already fixed: a visit in progress, a meeting. */
struct assign_busy {
    int32_t start, end; /* start < end */
    int loc;            /* where it happens: a location index */
};

struct assign_job {
    int64_t id;                     /* the caller's id, reported back */
    const struct assign_req *skills;
    int nskills;
    int32_t duration;               /* seconds on site, > 0 */
    int32_t win_start, win_end;     /* the visit starts in [win_start, win_end] */
    int32_t sla_due;                /* ASSIGN_NONE, or when the visit should
                                       start by (lateness counts after it) */
    int loc;                        /* location index */
    int weight;                     /* priority weight, >= 1 */
    int current;                    /* technician index it has now, or -1 */
    int preferred;                  /* technician index of an earlier visit
                                       (rework, follow-up), or -1 */
    int pinned;                     /* 1: fixed by hand to `current` */
    int32_t current_start;          /* its start in the current plan, which
                                       orders the warm start (equal ones by
                                       window, then index); ASSIGN_NONE when
                                       unknown */
};

struct assign_tech {
    int64_t id;                        /* the caller's id, reported back */
    const struct assign_skill *skills;
    int nskills;
    int32_t shift_start, shift_end;    /* shift_start < shift_end */
    int start_loc, end_loc;            /* location indices */
    int32_t capacity;                  /* seconds of work in the horizon */
    const struct assign_busy *busy;    /* sorted by start, not overlapping */
    int nbusy;
};

struct assign_problem {
    const struct assign_job *jobs;
    int njobs;
    const struct assign_tech *techs;
    int ntechs;
    const struct assign_loc *locs;
    int nlocs;
    /* Travel: `travel` with `travel_ctx` when set (for example
     * assign_travel_matrix()), otherwise straight-line distance times
     * `detour` at `speed_kmh` (defaults 1.3 and 40 when 0). */
    assign_travel_fn travel;
    const void *travel_ctx;
    double detour;
    double speed_kmh;
    int balance_step_pm;   /* objective 3's step in per mille; 0: 100 */
    uint64_t seed;         /* move order; same seed, same plan */
    int time_limit_ms;     /* budget for the whole solve, set-up included;
                              0: construction only */
};

/* A precomputed travel matrix: seconds[from * n + to]. */
struct assign_matrix {
    int n;
    const int32_t *seconds;
};

/* assign_travel_fn over a struct assign_matrix. */
int32_t assign_travel_matrix(const void *matrix, int from, int to);

/* Straight-line travel seconds from a to b: the distance on a flat
 * projection around their mean latitude, times detour, at speed_kmh
 * (defaults 1.3 and 40 when 0); 0 when either place is unknown.  The
 * engine's default travel projects every place around the mean latitude of
 * all of them, which differs from this by metres within one city. */
int32_t assign_straight_seconds(const struct assign_loc *a,
                                const struct assign_loc *b, double detour,
                                double speed_kmh);

/* assign_travel_fn that makes every trip free (to measure the pure
 * assignment problem); ctx is ignored. */
int32_t assign_travel_none(const void *ctx, int from, int to);

/* The objective, in comparison order. */
struct assign_cost {
    int64_t weighted;  /* priority-weighted jobs assigned (higher is better) */
    int64_t lateness;  /* seconds after SLA due, summed */
    int64_t balance;   /* sum of squared utilisation steps */
    int64_t travel;    /* seconds */
    int64_t unstable;  /* jobs off their current / preferred technician */
};

/* <0 when a is better than b, 0 when equal, >0 when worse. */
int assign_cost_cmp(const struct assign_cost *a, const struct assign_cost *b);

/* Why a job is not assigned, or why a technician cannot take it. */
enum assign_reason {
    AR_OK = 0,
    AR_MISSING_SKILL,   /* the technician lacks a required skill */
    AR_LEVEL_BELOW,     /* holds the skill below the minimum level */
    AR_OUTSIDE_SHIFT,   /* the window does not meet the shift, travel incl. */
    AR_OVERLAP,         /* every free gap of the day is taken */
    AR_OVER_CAPACITY,   /* the day's work would exceed the capacity */
    AR_TOO_FAR,         /* a gap exists but travel makes the arrival late */
    AR_PINNED,          /* pinned to another technician */
    AR_NO_QUALIFIED,    /* (job) no technician has the skills at level */
    AR_NO_ROOM,         /* (job) qualified technicians have no room */
    AR__COUNT
};

/* Stable code ("missing_skill", ...) and an English sentence pattern. */
const char *assign_reason_code(enum assign_reason r);

struct assign_plan {
    int njobs, ntechs;
    int *tech_of;             /* per job: technician index, or -1 */
    int32_t *start_of;        /* per job: visit start (when assigned) */
    int32_t *arrive_of;       /* per job: arrival (<= start; waits) */
    enum assign_reason *why;  /* per job: AR_OK when assigned, else
                                 AR_NO_QUALIFIED (nobody has the skills),
                                 AR_PINNED (pinned, and no room on its
                                 technician) or AR_NO_ROOM */
    int *route_off;           /* ntechs + 1 offsets into route_jobs */
    int *route_jobs;          /* job indices, each route in visit order */
    struct assign_cost cost;
    int32_t *work_of;         /* per technician: work seconds incl. busy */
    int32_t *travel_of;       /* per technician: travel seconds */
    int unassignable;         /* jobs no technician is qualified for */
    int violations;           /* hard-constraint breaches (0 for the
                                 engine's plans; scored foreign plans may
                                 have some) */
    long iterations;          /* improving moves the search applied */
};

/* Release a plan's arrays; the struct can be reused. */
void assign_plan_release(struct assign_plan *plan);

/*
 * Plan every job: 0, or ERR_INVALID "invalid_problem" when the problem is
 * malformed (an index out of range, a window or shift backwards, a weight
 * below 1, a duration below 1; err's field names the element, for example
 * "jobs[3].loc").  out is filled and its arrays belong to the caller.
 */
int assign_solve(const struct assign_problem *p, struct assign_plan *out,
                 struct err *err);

/*
 * Re-plan one job without touching the rest: remove job j from plan (if it
 * is assigned) and insert it at its cheapest feasible position.  Returns
 * the technician index, or -1 when it fits nowhere (plan->why[j] says why).
 */
int assign_insert_one(const struct assign_problem *p, struct assign_plan *plan,
                      int j);

/*
 * Score a plan given as routes (for example another solver's): route_off
 * has ntechs + 1 offsets into route_jobs.  Visit times are the earliest
 * feasible; every hard-constraint breach adds to out->violations instead of
 * failing.  0, or ERR_INVALID "invalid_problem" as assign_solve, or
 * "invalid_route" for a job index out of range or a job in two places.
 */
int assign_plan_from_routes(const struct assign_problem *p,
                            const int *route_off, const int *route_jobs,
                            struct assign_plan *out, struct err *err);

/* One technician's verdict on one job. */
struct assign_candidate {
    int tech;                 /* technician index */
    enum assign_reason reason;/* AR_OK when feasible */
    int32_t skill, have, need;/* AR_MISSING_SKILL / AR_LEVEL_BELOW details */
    /* feasible only: */
    int32_t start;            /* where the visit would start */
    int position;             /* index in the technician's route */
    struct assign_cost delta; /* change of the plan's cost if inserted
                                 there (weighted is the job's weight) */
    double utilisation;       /* the technician's load with the visit
                                 (work / capacity; also set for
                                 AR_OVER_CAPACITY, where it exceeds 1) */
    int is_current, is_preferred;
};

/*
 * Every technician's verdict on job j against plan (with j taken out of its
 * route first, so its own technician is judged fairly): out gets ntechs
 * entries, feasible ones first, best first (by delta, then technician
 * index), then the infeasible ones by technician index.  Returns the
 * number of feasible technicians.
 */
int assign_explain(const struct assign_problem *p,
                   const struct assign_plan *plan, int j,
                   struct assign_candidate *out);

/* The verdict of technician t alone (for a manual assignment). */
void assign_check(const struct assign_problem *p,
                  const struct assign_plan *plan, int j, int t,
                  struct assign_candidate *out);

#endif
