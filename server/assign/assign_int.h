/*
 * assign_int.h - the assignment engine's internals, shared by its files:
 * assign_route.c (one technician's route: evaluation and insertion),
 * assign_search.c (construction and local search) and assign.c (the public
 * entry points, validation, explanation).  Nothing outside assign*.c
 * includes this.
 *
 * A route is the time-ordered list of one technician's items: a job index
 * (>= 0) or one of the technician's fixed commitments (busy block b is
 * stored as -(b + 1)).  Commitments never move; moves act on jobs only.
 */
#ifndef FSD_ASSIGN_INT_H
#define FSD_ASSIGN_INT_H

#include "assign/assign.h"

#define ASG_BUSY(b) (-(b) - 1)       /* item code of busy block b */
#define ASG_BUSY_INDEX(it) (-(it) - 1)
#define ASG_NEIGHBOURS 24            /* technicians tried per job in moves */
#define ASG_TECH_NEIGHBOURS 8        /* routes a route exchanges tails with */

struct asg_route {
    int *items;       /* jobs and busy blocks in visit order */
    int n, cap;
    /* cached for the items as they stand (asg_route_refresh): */
    int32_t *dep;     /* departure time from item i */
    int32_t *latest;  /* latest start of item i keeping the rest feasible */
    int32_t work;     /* seconds of work: jobs and busy blocks */
    int32_t travel;   /* seconds */
    int64_t late;     /* SLA lateness, seconds */
    int64_t weighted; /* sum of job weights */
    int64_t unstable; /* jobs off their current / preferred technician */
    long stamp;       /* s->clock when the route last changed */
};

struct asg {
    const struct assign_problem *p;
    assign_travel_fn travel;
    const void *travel_ctx;
    double *km_x, *km_y;     /* default travel: projected locations, km */
    double sec_per_km;
    int step_pm;             /* balance step, per mille */
    struct asg_route *routes;
    int *tech_of;            /* per job */
    int *qual;               /* per job: qualified technicians, nearest first */
    int *qual_off;           /* njobs + 1 offsets into qual */
    int *order;              /* scratch: a permutation of jobs */
    int *techs;              /* scratch: a list of technicians */
    long clock;              /* counts route changes */
    long *tried;             /* per job: clock when it last fitted nowhere,
                                -1 when never tried */
    int *scratch;            /* scratch items, 2 * (njobs + busy) + 2 */
    int scratch_cap;
    int travel_first;        /* construction and the search's first phase:
                                compare travel before balance (asg_cmp) */
    int constructing;        /* asg_place tries the nearest first */
    uint64_t rng;
    long iterations;
    double deadline;         /* monotonic seconds; 0: no search */
};

/* The outcome of evaluating an item sequence for a technician. */
struct asg_eval {
    int violations;      /* hard-constraint breaches; 0 is feasible */
    int32_t work, travel;
    int64_t late, weighted, unstable;
};

/* The best place for a job in one route. */
struct asg_slot {
    int pos;                   /* insert before items[pos]; -1: none */
    int32_t start;
    struct assign_cost delta;  /* cost change of the whole plan */
};

int32_t asg_travel(const struct asg *s, int from, int to);
int asg_item_loc(const struct asg *s, int t, int item);

/* Evaluate items for technician t; starts/arrives (may be NULL) receive
 * each job's times, indexed by job.  no_travel ignores travel. */
void asg_eval_items(const struct asg *s, int t, const int *items, int n,
                    int no_travel, struct asg_eval *out, int32_t *starts,
                    int32_t *arrives);

/* Balance term of technician t carrying `work` seconds. */
int64_t asg_balance(const struct asg *s, int t, int32_t work);

/* Cost of a route's evaluation as plan-level cost parts. */
void asg_eval_cost(const struct asg *s, int t, const struct asg_eval *e,
                   struct assign_cost *out);

/* Route t's part of the plan's cost, from its cached totals. */
void asg_route_cost(const struct asg *s, int t, struct assign_cost *c);

/* 1 when delta makes the plan better (asg_cmp against no change). */
int asg_improves(const struct asg *s, const struct assign_cost *delta);

/* 1 once the search's deadline has passed. */
int asg_timed_out(const struct asg *s);

/* Recompute a route's cached times and totals after its items changed. */
void asg_route_refresh(struct asg *s, int t);

/* Replace route t's items; refreshes it. */
void asg_route_set(struct asg *s, int t, const int *items, int n);

/* Cheapest feasible insertion of job j into route t (j not in it). */
void asg_best_insert(const struct asg *s, int t, int j, struct asg_slot *out);

/* Insert job j at position pos of route t and record it. */
void asg_insert_at(struct asg *s, int t, int j, int pos);

/* Remove job j from its route (if any). */
void asg_remove(struct asg *s, int j);

/* 1 when technician t holds every skill job j needs at its level. */
int asg_qualified(const struct assign_problem *p, int j, int t);

/* Is job j stable on technician t (objective 5)? */
int asg_stable(const struct assign_problem *p, int j, int t);

/* Like assign_cost_cmp, but with travel before balance while
 * s->travel_first is set. */
int asg_cmp(const struct asg *s, const struct assign_cost *a,
            const struct assign_cost *b);

/* delta = a - b field by field. */
void asg_cost_sub(const struct assign_cost *a, const struct assign_cost *b,
                  struct assign_cost *delta);
void asg_cost_add(struct assign_cost *acc, const struct assign_cost *x);

/* Set up and tear down the solver state for problem p (validated). */
void asg_init(struct asg *s, const struct assign_problem *p);
void asg_release(struct asg *s);

/* Insert job j at its best place over every qualified technician; 1 when
 * it found one. */
int asg_place(struct asg *s, int j);

/* The next number of the seeded sequence (splitmix64 over s->rng). */
uint64_t asg_random(struct asg *s);

/* assign_exchange.c: replace routes a and b's items (b -1 for one route)
 * when that is better; 2-opt and tail exchange over every route; each
 * technician's ASG_TECH_NEIGHBOURS nearest by start (caller frees). */
int asg_try_routes(struct asg *s, int a, const int *ia, int na, int b,
                   const int *ib, int nb);
int asg_pass_routes(struct asg *s, const int *tech_nb);
int *asg_tech_neighbours(const struct asg *s);

/* Sort jobs hardest first, as construction places them. */
void asg_sort_hardest(const struct asg *s, int *js, int n);

/* Ruin and recreate around random routes and their tech_nb neighbours
 * (k - 1 per technician) until the round budget or the deadline. */
void asg_ruin_recreate(struct asg *s, const int *tech_nb, int k);

/* Construction, then local search until a local optimum or the deadline. */
void asg_construct(struct asg *s);
void asg_search(struct asg *s);

/* Fill plan from the solver state (routes, times, totals). */
void asg_fill_plan(const struct asg *s, struct assign_plan *plan);

/* Technician t's items for a job sequence.  With starts (per job), each
 * commitment goes before the first job starting after it; without, before
 * the first job that could not finish, travel included, before it starts.
 * Returns the item count (items holds n + the technician's busy blocks). */
int asg_route_items(const struct asg *s, int t, const int *jobs, int n,
                    const int32_t *starts, int *items);

/* Load a plan's routes back into the solver state. */
void asg_load_plan(struct asg *s, const struct assign_plan *plan);

double asg_now(void);

#endif
