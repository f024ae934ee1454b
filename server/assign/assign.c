/*
 * assign.c - the assignment engine's entry points: validating a problem,
 * setting up the solver state, solving, re-planning one job, scoring a
 * plan given as routes, and turning the solver state into a plan.
 *
 * The engine itself is in assign_route.c (one route) and assign_search.c
 * (construction and local search); explanation is in assign_explain.c.
 * This file reads the monotonic clock only for the search's time limit.
 */
#include "assign/assign_int.h"
#include "common/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double asg_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int asg_timed_out(const struct asg *s)
{
    return s->deadline > 0 && asg_now() > s->deadline;
}

int32_t assign_travel_matrix(const void *matrix, int from, int to)
{
    const struct assign_matrix *m = matrix;

    return m->seconds[(size_t)from * (size_t)m->n + (size_t)to];
}

int32_t assign_straight_seconds(const struct assign_loc *a,
                                const struct assign_loc *b, double detour,
                                double speed_kmh)
{
    double k = M_PI / 180 * 6371.0088, dx, dy;

    if (a->unknown || b->unknown)
        return 0;
    detour = detour > 0 ? detour : 1.3;
    speed_kmh = speed_kmh > 0 ? speed_kmh : 40;
    dx = (a->lon - b->lon) * k * cos((a->lat + b->lat) / 2 * M_PI / 180);
    dy = (a->lat - b->lat) * k;
    return (int32_t)(sqrt(dx * dx + dy * dy) * detour / speed_kmh * 3600 + 0.5);
}

int32_t assign_travel_none(const void *ctx, int from, int to)
{
    (void)ctx;
    (void)from;
    (void)to;
    return 0;
}

int assign_cost_cmp(const struct assign_cost *a, const struct assign_cost *b)
{
    if (a->weighted != b->weighted)
        return a->weighted > b->weighted ? -1 : 1;
    if (a->lateness != b->lateness)
        return a->lateness < b->lateness ? -1 : 1;
    if (a->balance != b->balance)
        return a->balance < b->balance ? -1 : 1;
    if (a->travel != b->travel)
        return a->travel < b->travel ? -1 : 1;
    if (a->unstable != b->unstable)
        return a->unstable < b->unstable ? -1 : 1;
    return 0;
}

void asg_cost_sub(const struct assign_cost *a, const struct assign_cost *b,
                  struct assign_cost *d)
{
    d->weighted = a->weighted - b->weighted;
    d->lateness = a->lateness - b->lateness;
    d->balance = a->balance - b->balance;
    d->travel = a->travel - b->travel;
    d->unstable = a->unstable - b->unstable;
}

void asg_cost_add(struct assign_cost *acc, const struct assign_cost *x)
{
    acc->weighted += x->weighted;
    acc->lateness += x->lateness;
    acc->balance += x->balance;
    acc->travel += x->travel;
    acc->unstable += x->unstable;
}

const char *assign_reason_code(enum assign_reason r)
{
    static const char *const codes[AR__COUNT] = {
        "ok",      "missing_skill", "level_below", "outside_shift",
        "overlap", "over_capacity", "too_far",     "pinned",
        "no_qualified", "no_room",
    };

    return (unsigned)r < AR__COUNT ? codes[r] : "unknown";
}

int asg_qualified(const struct assign_problem *p, int j, int t)
{
    const struct assign_job *job = &p->jobs[j];
    const struct assign_tech *tech = &p->techs[t];

    for (int i = 0; i < job->nskills; i++) {
        int ok = 0;

        for (int k = 0; k < tech->nskills && !ok; k++)
            ok = tech->skills[k].skill == job->skills[i].skill &&
                 tech->skills[k].level >= job->skills[i].level;
        if (!ok)
            return 0;
    }
    return 1;
}

static int bad(struct err *err, const char *field, const char *what)
{
    return err_set(err, ERR_INVALID, "invalid_problem", field, "%s %s",
                   field, what);
}

static int check_job(const struct assign_problem *p, int j, struct err *err)
{
    const struct assign_job *x = &p->jobs[j];
    char f[64];

#define JOB_FIELD(name) (snprintf(f, sizeof(f), "jobs[%d]." name, j), f)
    if (x->loc < 0 || x->loc >= p->nlocs)
        return bad(err, JOB_FIELD("loc"), "is not a location index");
    if (x->duration < 1)
        return bad(err, JOB_FIELD("duration"), "must be at least 1 second");
    if (x->win_end < x->win_start)
        return bad(err, JOB_FIELD("win_end"), "is before win_start");
    if (x->weight < 1)
        return bad(err, JOB_FIELD("weight"), "must be at least 1");
    if (x->current < -1 || x->current >= p->ntechs)
        return bad(err, JOB_FIELD("current"), "is not a technician index");
    if (x->preferred < -1 || x->preferred >= p->ntechs)
        return bad(err, JOB_FIELD("preferred"), "is not a technician index");
    if (x->pinned && x->current < 0)
        return bad(err, JOB_FIELD("pinned"), "needs a current technician");
    if (x->nskills < 0 || (x->nskills > 0 && !x->skills))
        return bad(err, JOB_FIELD("skills"), "is missing");
#undef JOB_FIELD
    return 0;
}

static int check_tech(const struct assign_problem *p, int t, struct err *err)
{
    const struct assign_tech *x = &p->techs[t];
    char f[64];

#define TECH_FIELD(name) (snprintf(f, sizeof(f), "techs[%d]." name, t), f)
    if (x->start_loc < 0 || x->start_loc >= p->nlocs)
        return bad(err, TECH_FIELD("start_loc"), "is not a location index");
    if (x->end_loc < 0 || x->end_loc >= p->nlocs)
        return bad(err, TECH_FIELD("end_loc"), "is not a location index");
    if (x->shift_end <= x->shift_start)
        return bad(err, TECH_FIELD("shift_end"), "is not after shift_start");
    if (x->capacity < 0)
        return bad(err, TECH_FIELD("capacity"), "is negative");
    if (x->nskills < 0 || (x->nskills > 0 && !x->skills))
        return bad(err, TECH_FIELD("skills"), "is missing");
    for (int b = 0; b < x->nbusy; b++) {
        const struct assign_busy *k = &x->busy[b];

        snprintf(f, sizeof(f), "techs[%d].busy[%d]", t, b);
        if (k->loc < 0 || k->loc >= p->nlocs)
            return bad(err, f, "is not at a location index");
        if (k->end <= k->start || (b > 0 && k->start < x->busy[b - 1].end))
            return bad(err, f, "must end after it starts and after the"
                               " block before it");
    }
#undef TECH_FIELD
    return 0;
}

static int check_problem(const struct assign_problem *p, struct err *err)
{
    if (p->njobs < 0 || p->ntechs < 0 || p->nlocs < 0 ||
        (p->njobs && !p->jobs) || (p->ntechs && !p->techs) ||
        (p->nlocs && !p->locs))
        return bad(err, "problem", "has a negative count or missing array");
    for (int j = 0; j < p->njobs; j++)
        if (check_job(p, j, err))
            return err->rc;
    for (int t = 0; t < p->ntechs; t++)
        if (check_tech(p, t, err))
            return err->rc;
    return 0;
}

/* Equirectangular projection around the mean latitude: exact enough for
 * one service area, and a distance is then one square root. */
static void project(struct asg *s)
{
    const struct assign_problem *p = s->p;
    double lat0 = 0, k = M_PI / 180 * 6371.0088;
    int known = 0;
    double speed = p->speed_kmh > 0 ? p->speed_kmh : 40;
    double detour = p->detour > 0 ? p->detour : 1.3;

    for (int i = 0; i < p->nlocs; i++)
        if (!p->locs[i].unknown) {
            lat0 += p->locs[i].lat;
            known++;
        }
    lat0 = known ? lat0 / known : 0;
    s->km_x = xcalloc((size_t)p->nlocs + 1, sizeof(double));
    s->km_y = xcalloc((size_t)p->nlocs + 1, sizeof(double));
    for (int i = 0; i < p->nlocs; i++) {
        s->km_x[i] = p->locs[i].lon * k * cos(lat0 * M_PI / 180);
        s->km_y[i] = p->locs[i].lat * k;
    }
    s->sec_per_km = detour / speed * 3600;
}

struct near {
    int32_t d;
    int t;
};

static int nearer(const void *a, const void *b)
{
    const struct near *x = a, *y = b;

    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return x->t - y->t;
}

/* Qualified technicians per job, nearest start first.  A pinned job may
 * only go to its current technician. */
static void qualify(struct asg *s)
{
    const struct assign_problem *p = s->p;
    struct near *tmp = xcalloc((size_t)p->ntechs + 1, sizeof(*tmp));
    size_t cap = (size_t)p->njobs * 4 + 16, used = 0;

    s->qual = xmalloc(cap * sizeof(int));
    s->qual_off = xcalloc((size_t)p->njobs + 1, sizeof(int));
    for (int j = 0; j < p->njobs; j++) {
        int n = 0;

        for (int t = 0; t < p->ntechs; t++)
            if ((!p->jobs[j].pinned || t == p->jobs[j].current) &&
                asg_qualified(p, j, t)) {
                tmp[n].d = asg_travel(s, p->techs[t].start_loc,
                                      p->jobs[j].loc);
                tmp[n++].t = t;
            }
        qsort(tmp, (size_t)n, sizeof(*tmp), nearer);
        if (used + (size_t)n > cap) {
            cap = (used + (size_t)n) * 2;
            s->qual = xrealloc(s->qual, cap * sizeof(int));
        }
        for (int i = 0; i < n; i++)
            s->qual[used++] = tmp[i].t;
        s->qual_off[j + 1] = (int)used;
    }
    free(tmp);
}

void asg_init(struct asg *s, const struct assign_problem *p)
{
    int busy = 0;

    memset(s, 0, sizeof(*s));
    if (p->time_limit_ms > 0) /* the budget covers the set-up too */
        s->deadline = asg_now() + p->time_limit_ms / 1000.0;
    s->p = p;
    s->travel = p->travel;
    s->travel_ctx = p->travel_ctx;
    if (!s->travel)
        project(s);
    s->step_pm = p->balance_step_pm > 0 ? p->balance_step_pm : 100;
    s->rng = p->seed;
    s->routes = xcalloc((size_t)p->ntechs + 1, sizeof(*s->routes));
    s->tech_of = xmalloc(((size_t)p->njobs + 1) * sizeof(int));
    s->order = xmalloc(((size_t)p->njobs + 1) * sizeof(int));
    s->techs = xmalloc(((size_t)p->ntechs + 1) * sizeof(int));
    s->tried = xmalloc(((size_t)p->njobs + 1) * sizeof(long));
    for (int j = 0; j < p->njobs; j++) {
        s->tech_of[j] = -1;
        s->tried[j] = -1;
    }
    for (int t = 0; t < p->ntechs; t++) {
        int *items = xmalloc(((size_t)p->techs[t].nbusy + 1) * sizeof(int));

        for (int b = 0; b < p->techs[t].nbusy; b++)
            items[b] = ASG_BUSY(b);
        asg_route_set(s, t, items, p->techs[t].nbusy);
        busy += p->techs[t].nbusy;
        free(items);
    }
    s->scratch_cap = 2 * (p->njobs + busy + 1);
    s->scratch = xmalloc((size_t)s->scratch_cap * sizeof(int));
    qualify(s);
}

void asg_release(struct asg *s)
{
    for (int t = 0; s->routes && t < s->p->ntechs; t++) {
        free(s->routes[t].items);
        free(s->routes[t].dep);
        free(s->routes[t].latest);
    }
    free(s->routes);
    free(s->tech_of);
    free(s->order);
    free(s->techs);
    free(s->tried);
    free(s->scratch);
    free(s->qual);
    free(s->qual_off);
    free(s->km_x);
    free(s->km_y);
    memset(s, 0, sizeof(*s));
}

void assign_plan_release(struct assign_plan *plan)
{
    free(plan->tech_of);
    free(plan->start_of);
    free(plan->arrive_of);
    free(plan->why);
    free(plan->route_off);
    free(plan->route_jobs);
    free(plan->work_of);
    free(plan->travel_of);
    memset(plan, 0, sizeof(*plan));
}

static int any_qualified(const struct assign_problem *p, int j)
{
    for (int t = 0; t < p->ntechs; t++)
        if (asg_qualified(p, j, t))
            return 1;
    return 0;
}

void asg_fill_plan(const struct asg *s, struct assign_plan *plan)
{
    const struct assign_problem *p = s->p;
    size_t J = (size_t)p->njobs + 1, T = (size_t)p->ntechs + 1;
    int at = 0;

    assign_plan_release(plan);
    plan->njobs = p->njobs;
    plan->ntechs = p->ntechs;
    plan->tech_of = xmalloc(J * sizeof(int));
    plan->start_of = xcalloc(J, sizeof(int32_t));
    plan->arrive_of = xcalloc(J, sizeof(int32_t));
    plan->why = xcalloc(J, sizeof(enum assign_reason));
    plan->route_off = xcalloc(T, sizeof(int));
    plan->route_jobs = xmalloc(J * sizeof(int));
    plan->work_of = xcalloc(T, sizeof(int32_t));
    plan->travel_of = xcalloc(T, sizeof(int32_t));
    memcpy(plan->tech_of, s->tech_of, J * sizeof(int));
    for (int t = 0; t < p->ntechs; t++) {
        const struct asg_route *r = &s->routes[t];
        struct asg_eval e;
        struct assign_cost c;

        asg_eval_items(s, t, r->items, r->n, 0, &e, plan->start_of,
                       plan->arrive_of);
        asg_eval_cost(s, t, &e, &c);
        asg_cost_add(&plan->cost, &c);
        plan->work_of[t] = e.work;
        plan->travel_of[t] = e.travel;
        plan->violations += e.violations;
        plan->route_off[t] = at;
        for (int i = 0; i < r->n; i++) {
            int j = r->items[i];

            if (j < 0)
                continue;
            plan->route_jobs[at++] = j;
            plan->violations += !asg_qualified(p, j, t) +
                                (p->jobs[j].pinned && p->jobs[j].current != t);
        }
    }
    plan->route_off[p->ntechs] = at;
    for (int j = 0; j < p->njobs; j++) {
        int qualified = any_qualified(p, j);

        plan->unassignable += !qualified;
        if (plan->tech_of[j] >= 0)
            plan->why[j] = AR_OK;
        else
            plan->why[j] = !qualified         ? AR_NO_QUALIFIED
                           : p->jobs[j].pinned ? AR_PINNED
                                               : AR_NO_ROOM;
    }
    plan->iterations = s->iterations;
}

/* Rebuild technician t's items from a job sequence, putting each
 * commitment before the first job that could not finish, travel
 * included, before the commitment starts. */
int asg_route_items(const struct asg *s, int t, const int *jobs, int n,
                    const int32_t *starts, int *items)
{
    const struct assign_tech *tech = &s->p->techs[t];
    int64_t time = tech->shift_start;
    int loc = tech->start_loc, b = 0, m = 0;

    for (int i = 0; i < n; i++) {
        const struct assign_job *j = &s->p->jobs[jobs[i]];

        for (; b < tech->nbusy; b++) {
            const struct assign_busy *k = &tech->busy[b];
            int64_t start = time + asg_travel(s, loc, j->loc);

            if (start < j->win_start)
                start = j->win_start;
            if (starts ? starts[jobs[i]] < k->start
                       : start + j->duration +
                                 asg_travel(s, j->loc, k->loc) <= k->start)
                break;
            items[m++] = ASG_BUSY(b);
            time = k->end;
            loc = k->loc;
        }
        time += asg_travel(s, loc, j->loc);
        if (time < j->win_start)
            time = j->win_start;
        time += j->duration;
        loc = j->loc;
        items[m++] = jobs[i];
    }
    for (; b < tech->nbusy; b++)
        items[m++] = ASG_BUSY(b);
    return m;
}

void asg_load_plan(struct asg *s, const struct assign_plan *plan)
{
    for (int t = 0; t < s->p->ntechs; t++) {
        int off = plan->route_off[t], n = plan->route_off[t + 1] - off;
        int m = asg_route_items(s, t, plan->route_jobs + off, n,
                                plan->start_of, s->scratch);

        asg_route_set(s, t, s->scratch, m);
    }
}

int assign_solve(const struct assign_problem *p, struct assign_plan *out,
                 struct err *err)
{
    struct asg s;

    memset(out, 0, sizeof(*out));
    if (check_problem(p, err))
        return err->rc;
    asg_init(&s, p);
    asg_construct(&s);
    asg_search(&s);
    asg_fill_plan(&s, out);
    asg_release(&s);
    return 0;
}

int assign_insert_one(const struct assign_problem *p, struct assign_plan *plan,
                      int j)
{
    struct asg s;
    int t;

    asg_init(&s, p);
    asg_load_plan(&s, plan);
    asg_remove(&s, j);
    asg_place(&s, j);
    asg_fill_plan(&s, plan);
    t = s.tech_of[j];
    asg_release(&s);
    return t;
}

int assign_plan_from_routes(const struct assign_problem *p,
                            const int *route_off, const int *route_jobs,
                            struct assign_plan *out, struct err *err)
{
    struct asg s;
    int total = p->ntechs > 0 ? route_off[p->ntechs] : 0;
    char *seen;

    memset(out, 0, sizeof(*out));
    if (check_problem(p, err))
        return err->rc;
    for (int t = 0; t < p->ntechs; t++)
        if (route_off[t] > route_off[t + 1] || route_off[0] != 0)
            return err_set(err, ERR_INVALID, "invalid_route", "routes",
                           "route offsets must start at 0 and not"
                           " decrease (technician %d)", t);
    seen = xcalloc((size_t)p->njobs + 1, 1);
    for (int i = 0; i < total; i++) {
        int j = route_jobs[i];

        if (j < 0 || j >= p->njobs || seen[j]) {
            free(seen);
            return err_set(err, ERR_INVALID, "invalid_route", "routes",
                           "route entry %d names job %d, which is out of"
                           " range or already in a route", i, j);
        }
        seen[j] = 1;
    }
    free(seen);
    asg_init(&s, p);
    for (int t = 0; t < p->ntechs; t++) {
        int n = route_off[t + 1] - route_off[t];
        int m = asg_route_items(&s, t, route_jobs + route_off[t], n, NULL,
                                s.scratch);

        asg_route_set(&s, t, s.scratch, m);
    }
    asg_fill_plan(&s, out);
    asg_release(&s);
    return 0;
}
