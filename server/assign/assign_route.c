/*
 * assign_route.c - one technician's route in the assignment engine: travel
 * between items, evaluating an item sequence against the hard constraints,
 * the cached departure and latest-start times of a route, and the
 * cheapest feasible insertion of a job.
 *
 * Insertion is checked in constant time per position with the cached
 * times: the job must start inside its window after the previous item's
 * departure plus travel, and the next item must still start by its latest
 * start.  Only the SLA lateness of the items pushed later is walked, and
 * the walk stops where waiting absorbs the push.  No allocation here
 * beyond growing a route's arrays.
 */
#include "assign/assign_int.h"
#include "common/mem.h"

#include <math.h>
#include <string.h>

int32_t asg_travel(const struct asg *s, int from, int to)
{
    double dx, dy;

    if (s->travel)
        return s->travel(s->travel_ctx, from, to);
    if (from == to || s->p->locs[from].unknown || s->p->locs[to].unknown)
        return 0;
    dx = s->km_x[from] - s->km_x[to];
    dy = s->km_y[from] - s->km_y[to];
    return (int32_t)(sqrt(dx * dx + dy * dy) * s->sec_per_km + 0.5);
}

/* Location, window and duration of a route item of technician t. */
struct item {
    int loc;
    int32_t ws, we, dur;
};

static void item_get(const struct asg *s, int t, int it, struct item *out)
{
    if (it >= 0) {
        const struct assign_job *j = &s->p->jobs[it];

        out->loc = j->loc;
        out->ws = j->win_start;
        out->we = j->win_end;
        out->dur = j->duration;
    } else {
        const struct assign_busy *b =
            &s->p->techs[t].busy[ASG_BUSY_INDEX(it)];

        out->loc = b->loc;
        out->ws = out->we = b->start;
        out->dur = b->end - b->start;
    }
}

int asg_item_loc(const struct asg *s, int t, int item)
{
    struct item x;

    item_get(s, t, item, &x);
    return x.loc;
}

int asg_stable(const struct assign_problem *p, int j, int t)
{
    const struct assign_job *job = &p->jobs[j];

    if (job->current >= 0)
        return job->current == t;
    return job->preferred < 0 || job->preferred == t;
}

static int64_t lateness(const struct assign_job *j, int64_t start)
{
    if (j->sla_due == ASSIGN_NONE || start <= j->sla_due)
        return 0;
    return start - j->sla_due;
}

void asg_eval_items(const struct asg *s, int t, const int *items, int n,
                    int no_travel, struct asg_eval *out, int32_t *starts,
                    int32_t *arrives)
{
    const struct assign_tech *tech = &s->p->techs[t];
    int64_t time = tech->shift_start, tr;
    int loc = tech->start_loc;

    memset(out, 0, sizeof(*out));
    for (int i = 0; i < n; i++) {
        struct item x;
        int64_t arrive, start;

        item_get(s, t, items[i], &x);
        tr = no_travel ? 0 : asg_travel(s, loc, x.loc);
        arrive = time + tr;
        start = arrive > x.ws ? arrive : x.ws;
        if (start > x.we)
            out->violations++;
        if (items[i] >= 0) {
            const struct assign_job *j = &s->p->jobs[items[i]];

            out->weighted += j->weight;
            out->late += lateness(j, start);
            out->unstable += !asg_stable(s->p, items[i], t);
            if (starts)
                starts[items[i]] = (int32_t)start;
            if (arrives)
                arrives[items[i]] = (int32_t)arrive;
        }
        out->work += x.dur;
        out->travel += (int32_t)tr;
        time = start + x.dur;
        loc = x.loc;
    }
    tr = no_travel ? 0 : asg_travel(s, loc, tech->end_loc);
    out->travel += (int32_t)tr;
    if (time + tr > tech->shift_end)
        out->violations++;
    if (out->work > tech->capacity)
        out->violations++;
}

int64_t asg_balance(const struct asg *s, int t, int32_t work)
{
    int64_t cap = s->p->techs[t].capacity, steps;

    if (cap <= 0)
        return 0;
    steps = (int64_t)work * 1000 / cap / s->step_pm;
    return steps * steps;
}

void asg_eval_cost(const struct asg *s, int t, const struct asg_eval *e,
                   struct assign_cost *out)
{
    out->weighted = e->weighted;
    out->lateness = e->late;
    out->balance = asg_balance(s, t, e->work);
    out->travel = e->travel;
    out->unstable = e->unstable;
}

static void route_reserve(struct asg_route *r, int n)
{
    if (n <= r->cap)
        return;
    r->cap = n < 8 ? 8 : n * 2;
    r->items = xrealloc(r->items, (size_t)r->cap * sizeof(int));
    r->dep = xrealloc(r->dep, (size_t)r->cap * sizeof(int32_t));
    r->latest = xrealloc(r->latest, (size_t)r->cap * sizeof(int32_t));
}

void asg_route_refresh(struct asg *s, int t)
{
    const struct assign_tech *tech = &s->p->techs[t];
    struct asg_route *r = &s->routes[t];
    struct asg_eval e;
    int64_t time = tech->shift_start, next_latest = tech->shift_end;
    int loc = tech->start_loc, next_loc = tech->end_loc;

    for (int i = 0; i < r->n; i++) {
        struct item x;
        int64_t start;

        item_get(s, t, r->items[i], &x);
        start = time + asg_travel(s, loc, x.loc);
        if (start < x.ws)
            start = x.ws;
        r->dep[i] = (int32_t)(start + x.dur);
        time = r->dep[i];
        loc = x.loc;
    }
    for (int i = r->n - 1; i >= 0; i--) {
        struct item x;
        int64_t l;

        item_get(s, t, r->items[i], &x);
        l = next_latest - asg_travel(s, x.loc, next_loc) - x.dur;
        if (l > x.we)
            l = x.we;
        r->latest[i] = (int32_t)l;
        next_latest = l;
        next_loc = x.loc;
    }
    asg_eval_items(s, t, r->items, r->n, 0, &e, NULL, NULL);
    r->stamp = ++s->clock;
    r->work = e.work;
    r->travel = e.travel;
    r->late = e.late;
    r->weighted = e.weighted;
    r->unstable = e.unstable;
}

void asg_route_set(struct asg *s, int t, const int *items, int n)
{
    struct asg_route *r = &s->routes[t];

    route_reserve(r, n);
    if (n > 0)
        memmove(r->items, items, (size_t)n * sizeof(int));
    r->n = n;
    for (int i = 0; i < n; i++)
        if (items[i] >= 0)
            s->tech_of[items[i]] = t;
    asg_route_refresh(s, t);
}

/* Extra SLA lateness of the items from pos on when the item at pos now
 * starts at `start` instead of its cached time. */
static int64_t push_lateness(const struct asg *s, int t, int pos,
                             int64_t start)
{
    const struct asg_route *r = &s->routes[t];
    int64_t extra = 0;

    for (int k = pos; k < r->n; k++) {
        struct item x;
        int64_t old;

        item_get(s, t, r->items[k], &x);
        old = r->dep[k] - x.dur;
        if (start <= old)
            break;
        if (r->items[k] >= 0) {
            const struct assign_job *j = &s->p->jobs[r->items[k]];

            extra += lateness(j, start) - lateness(j, old);
        }
        if (k + 1 < r->n) {
            struct item y;

            item_get(s, t, r->items[k + 1], &y);
            start += x.dur + asg_travel(s, x.loc, y.loc);
            if (start < y.ws)
                start = y.ws;
        }
    }
    return extra;
}

int asg_cmp(const struct asg *s, const struct assign_cost *a,
            const struct assign_cost *b)
{
    if (s->travel_first && a->weighted == b->weighted &&
        a->lateness == b->lateness && a->travel != b->travel)
        return a->travel < b->travel ? -1 : 1;
    return assign_cost_cmp(a, b);
}

void asg_best_insert(const struct asg *s, int t, int j, struct asg_slot *out)
{
    const struct assign_tech *tech = &s->p->techs[t];
    const struct assign_job *job = &s->p->jobs[j];
    const struct asg_route *r = &s->routes[t];
    int64_t bal0 = asg_balance(s, t, r->work);
    int64_t bal1 = asg_balance(s, t, r->work + job->duration);

    out->pos = -1;
    if (r->work + (int64_t)job->duration > tech->capacity)
        return;
    for (int pos = 0; pos <= r->n; pos++) {
        struct item nx = {tech->end_loc, 0, 0, 0};
        int prev_loc = pos ? asg_item_loc(s, t, r->items[pos - 1])
                           : tech->start_loc;
        int64_t prev_dep = pos ? r->dep[pos - 1] : tech->shift_start;
        int64_t to_j = asg_travel(s, prev_loc, job->loc), from_j, start, next;
        struct assign_cost c;

        start = prev_dep + to_j;
        if (start < job->win_start)
            start = job->win_start;
        if (start > job->win_end)
            continue;
        if (pos < r->n)
            item_get(s, t, r->items[pos], &nx);
        from_j = asg_travel(s, job->loc, nx.loc);
        next = start + job->duration + from_j;
        if (pos == r->n ? next > tech->shift_end
                        : (next > nx.ws ? next : nx.ws) > r->latest[pos])
            continue;
        c.weighted = job->weight;
        c.lateness = lateness(job, start);
        if (pos < r->n)
            c.lateness += push_lateness(s, t, pos,
                                        next > nx.ws ? next : nx.ws);
        c.balance = bal1 - bal0;
        c.travel = to_j + from_j - asg_travel(s, prev_loc, nx.loc);
        c.unstable = !asg_stable(s->p, j, t);
        if (out->pos < 0 || asg_cmp(s, &c, &out->delta) < 0) {
            out->pos = pos;
            out->start = (int32_t)start;
            out->delta = c;
        }
    }
}

void asg_insert_at(struct asg *s, int t, int j, int pos)
{
    struct asg_route *r = &s->routes[t];

    route_reserve(r, r->n + 1);
    memmove(r->items + pos + 1, r->items + pos,
            (size_t)(r->n - pos) * sizeof(int));
    r->items[pos] = j;
    r->n++;
    s->tech_of[j] = t;
    asg_route_refresh(s, t);
}

void asg_remove(struct asg *s, int j)
{
    int t = s->tech_of[j];
    struct asg_route *r;

    if (t < 0)
        return;
    r = &s->routes[t];
    for (int i = 0; i < r->n; i++)
        if (r->items[i] == j) {
            memmove(r->items + i, r->items + i + 1,
                    (size_t)(r->n - i - 1) * sizeof(int));
            r->n--;
            break;
        }
    s->tech_of[j] = -1;
    asg_route_refresh(s, t);
}

void asg_route_cost(const struct asg *s, int t, struct assign_cost *c)
{
    const struct asg_route *r = &s->routes[t];

    c->weighted = r->weighted;
    c->lateness = r->late;
    c->balance = asg_balance(s, t, r->work);
    c->travel = r->travel;
    c->unstable = r->unstable;
}

int asg_improves(const struct asg *s, const struct assign_cost *delta)
{
    static const struct assign_cost zero;

    return asg_cmp(s, delta, &zero) < 0;
}
