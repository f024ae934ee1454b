/*
 * assign_search.c - how the assignment engine builds a plan: construction
 * by cheapest insertion, then local search.
 *
 * Construction keeps the warm start (pinned jobs and jobs with a current
 * technician go back to that technician first), then inserts the rest
 * hardest first: heavier jobs, then jobs fewer technicians can do, then
 * tighter windows.  It ranks positions by lateness and travel before
 * balance, so the first routes are tight and leave room for more jobs.
 *
 * The search applies only moves that make the plan's lexicographic cost
 * strictly better, so it cannot cycle: inserting unassigned jobs, ejecting
 * a lighter job for a heavier one (the lighter one is placed elsewhere if
 * it fits), relocating a job, swapping two jobs between routes, reversing
 * a stretch of a route (2-opt) and exchanging the tails of two routes.
 * Each pass visits the jobs in an order drawn from the seed.  It stops at
 * a local optimum or at the deadline, checked between moves.
 */
#include "assign/assign_int.h"
#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

#define PLACE_NEAR 48     /* technicians construction tries first */

/* splitmix64: a fixed, portable sequence for a given seed */
uint64_t asg_random(struct asg *s)
{
    uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void shuffle(struct asg *s, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int k = (int)(asg_random(s) % (uint64_t)(i + 1)), x = a[i];

        a[i] = a[k];
        a[k] = x;
    }
}

/* The technicians a move may send job j to: the nearest qualified ones,
 * plus its current and preferred technicians.  Returns the count. */
static int neighbours(const struct asg *s, int j, int *out)
{
    const struct assign_job *job = &s->p->jobs[j];
    int n = 0, have = s->qual_off[j + 1] - s->qual_off[j];

    for (int i = 0; i < have && i < ASG_NEIGHBOURS; i++)
        out[n++] = s->qual[s->qual_off[j] + i];
    for (int i = ASG_NEIGHBOURS; i < have; i++) {
        int t = s->qual[s->qual_off[j] + i];

        if (t == job->current || t == job->preferred)
            out[n++] = t;
    }
    return n;
}

/* Best insertion of j over the technicians in ts; 1 when one exists. */
static int best_over(const struct asg *s, int j, const int *ts, int n,
                     int *best_t, struct asg_slot *best)
{
    int found = 0;

    for (int i = 0; i < n; i++) {
        struct asg_slot slot;

        asg_best_insert(s, ts[i], j, &slot);
        if (slot.pos < 0)
            continue;
        if (!found || asg_cmp(s, &slot.delta, &best->delta) < 0) {
            *best = slot;
            *best_t = ts[i];
            found = 1;
        }
    }
    return found;
}

/*
 * Place j at its best position.  A route that had no room for j and has
 * not changed since still has none, so only routes changed since j last
 * fitted nowhere are tried again.  During construction the nearest
 * qualified technicians are tried first and the rest only when none of
 * them has room: the nearest routes hold the cheapest insertions.
 */
int asg_place(struct asg *s, int j)
{
    const int *ts = s->qual + s->qual_off[j];
    int n = s->qual_off[j + 1] - s->qual_off[j], t, m = 0;
    int near = s->constructing && s->tried[j] < 0 && n > PLACE_NEAR
                   ? PLACE_NEAR
                   : 0;
    struct asg_slot slot;

    if (near && best_over(s, j, ts, near, &t, &slot))
        goto found;
    for (int i = near; i < n; i++)
        if (s->routes[ts[i]].stamp > s->tried[j])
            s->techs[m++] = ts[i];
    if (!best_over(s, j, s->techs, m, &t, &slot)) {
        s->tried[j] = s->clock;
        return 0;
    }
found:
    asg_insert_at(s, t, j, slot.pos);
    return 1;
}

/* Hardest first: weight, fewest qualified technicians, tightest window. */
static _Thread_local const struct asg *sort_ctx;
static int harder_first(const void *a, const void *b)
{
    const struct asg *s = sort_ctx;
    int x = *(const int *)a, y = *(const int *)b;
    const struct assign_job *jx = &s->p->jobs[x], *jy = &s->p->jobs[y];
    int qx = s->qual_off[x + 1] - s->qual_off[x];
    int qy = s->qual_off[y + 1] - s->qual_off[y];
    int64_t wx = (int64_t)jx->win_end - jx->win_start;
    int64_t wy = (int64_t)jy->win_end - jy->win_start;

    if (jx->weight != jy->weight)
        return jy->weight - jx->weight;
    if (qx != qy)
        return qx - qy;
    if (wx != wy)
        return wx < wy ? -1 : 1;
    return x - y;
}

/* Current order: technician, current start, window start, index. */
static int current_first(const void *a, const void *b)
{
    const struct asg *s = sort_ctx;
    const struct assign_job *x = &s->p->jobs[*(const int *)a];
    const struct assign_job *y = &s->p->jobs[*(const int *)b];

    if (x->current != y->current)
        return x->current - y->current;
    if (x->current_start != y->current_start)
        return x->current_start < y->current_start ? -1 : 1;
    if (x->win_start != y->win_start)
        return x->win_start < y->win_start ? -1 : 1;
    return *(const int *)a - *(const int *)b;
}

/* Technician t takes back its current jobs js[0..n): in their current
 * order when that is still feasible, otherwise one by one, pinned first. */
static void warm_route(struct asg *s, int t, const int *js, int n)
{
    int *items = s->scratch, m = asg_route_items(s, t, js, n, NULL, items);
    struct asg_eval e;

    asg_eval_items(s, t, items, m, 0, &e, NULL, NULL);
    if (e.violations == 0) {
        asg_route_set(s, t, items, m);
        return;
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            struct asg_slot slot;

            if ((pass == 0) != (s->p->jobs[js[i]].pinned != 0))
                continue;
            asg_best_insert(s, t, js[i], &slot);
            if (slot.pos >= 0)
                asg_insert_at(s, t, js[i], slot.pos);
        }
}

void asg_sort_hardest(const struct asg *s, int *js, int n)
{
    sort_ctx = s;
    qsort(js, (size_t)n, sizeof(int), harder_first);
}

void asg_construct(struct asg *s)
{
    const struct assign_problem *p = s->p;
    int n = 0;

    s->travel_first = s->constructing = 1;
    sort_ctx = s; /* qsort has no context argument in C11: per thread */
    for (int j = 0; j < p->njobs; j++)
        if (p->jobs[j].current >= 0 && asg_qualified(p, j, p->jobs[j].current))
            s->order[n++] = j;
    qsort(s->order, (size_t)n, sizeof(int), current_first);
    for (int i = 0, k; i < n; i = k) {
        for (k = i; k < n && p->jobs[s->order[k]].current ==
                                 p->jobs[s->order[i]].current; k++)
            ;
        warm_route(s, p->jobs[s->order[i]].current, s->order + i, k - i);
    }
    n = 0;
    for (int j = 0; j < p->njobs; j++)
        if (s->tech_of[j] < 0 && !p->jobs[j].pinned)
            s->order[n++] = j;
    asg_sort_hardest(s, s->order, n);
    for (int i = 0; i < n; i++)
        asg_place(s, s->order[i]);
    s->constructing = 0;
}

static int unassigned_order(struct asg *s)
{
    int n = 0;

    for (int j = 0; j < s->p->njobs; j++)
        if (s->tech_of[j] < 0 && s->qual_off[j + 1] > s->qual_off[j])
            s->order[n++] = j;
    shuffle(s, s->order, n);
    return n;
}

static int pass_insert(struct asg *s)
{
    int n = unassigned_order(s), moved = 0;

    for (int i = 0; i < n && !asg_timed_out(s); i++)
        if (asg_place(s, s->order[i])) {
            s->iterations++;
            moved = 1;
        }
    return moved;
}

/*
 * In the first descent an exchange that keeps the weight and lateness but
 * books less work is also taken: the time it frees is where the next
 * unassigned job goes.  The search still cannot cycle: such a move lowers
 * the assigned work at equal weight, and nothing else raises the work
 * without raising the weight.
 */
static int frees_time(const struct asg *s, const struct assign_cost *delta,
                      int u, int v, int vt)
{
    return s->travel_first && vt < 0 && delta->weighted == 0 &&
           delta->lateness <= 0 &&
           s->p->jobs[u].duration < s->p->jobs[v].duration;
}

/* Try u in route t in place of its job at index k; keep it if better. */
static int try_eject(struct asg *s, int u, int t, int k)
{
    struct asg_route *r = &s->routes[t];
    int v = r->items[k], vt = -1, nb[ASG_NEIGHBOURS + 2], nn;
    struct assign_cost before, after, delta;
    struct asg_slot slot, vslot;

    asg_route_cost(s, t, &before);
    asg_remove(s, v);
    asg_best_insert(s, t, u, &slot);
    if (slot.pos < 0)
        goto undo;
    asg_insert_at(s, t, u, slot.pos);
    asg_route_cost(s, t, &after);
    asg_cost_sub(&after, &before, &delta);
    nn = neighbours(s, v, nb);
    if (best_over(s, v, nb, nn, &vt, &vslot))
        asg_cost_add(&delta, &vslot.delta);
    if (!asg_improves(s, &delta) && !frees_time(s, &delta, u, v, vt)) {
        asg_remove(s, u);
        goto undo;
    }
    if (vt >= 0)
        asg_insert_at(s, vt, v, vslot.pos);
    s->iterations++;
    return 1;
undo:
    asg_insert_at(s, t, v, k);
    return 0;
}

static int pass_eject(struct asg *s)
{
    int n = unassigned_order(s), moved = 0, nb[ASG_NEIGHBOURS + 2];

    for (int i = 0; i < n && !asg_timed_out(s); i++) {
        int u = s->order[i], nn = neighbours(s, u, nb), done = 0;

        if (s->tech_of[u] >= 0)
            continue;
        for (int a = 0; a < nn && !done; a++) {
            const struct asg_route *r = &s->routes[nb[a]];

            for (int k = 0; k < r->n && !done; k++) {
                int v = r->items[k];

                if (v >= 0 && !s->p->jobs[v].pinned &&
                    s->p->jobs[v].weight <= s->p->jobs[u].weight)
                    done = try_eject(s, u, nb[a], k);
            }
        }
        moved |= done;
    }
    return moved;
}

static int job_position(const struct asg *s, int j)
{
    const struct asg_route *r = &s->routes[s->tech_of[j]];

    for (int i = 0; i < r->n; i++)
        if (r->items[i] == j)
            return i;
    return -1;
}

static int relocate(struct asg *s, int j)
{
    int from = s->tech_of[j], pos = job_position(s, j), to, n;
    int nb[ASG_NEIGHBOURS + 3];
    struct assign_cost before, after, delta;
    struct asg_slot slot;

    asg_route_cost(s, from, &before);
    asg_remove(s, j);
    asg_route_cost(s, from, &after);
    asg_cost_sub(&after, &before, &delta);
    n = neighbours(s, j, nb);
    if (!s->p->jobs[j].pinned) {
        int own = 0;

        for (int i = 0; i < n; i++)
            own |= nb[i] == from;
        if (!own)
            nb[n++] = from;
    }
    if (best_over(s, j, nb, n, &to, &slot)) {
        asg_cost_add(&delta, &slot.delta);
        if (asg_improves(s, &delta) && !(to == from && slot.pos == pos)) {
            asg_insert_at(s, to, j, slot.pos);
            s->iterations++;
            return 1;
        }
    }
    asg_insert_at(s, from, j, pos);
    return 0;
}

static int swap_with(struct asg *s, int j)
{
    int a = s->tech_of[j], pa = job_position(s, j), nb[ASG_NEIGHBOURS + 2];
    int n = neighbours(s, j, nb);
    int *ia = s->scratch, *ib = s->scratch + s->scratch_cap / 2;

    for (int x = 0; x < n; x++) {
        const struct asg_route *rb = &s->routes[nb[x]];
        const struct asg_route *ra = &s->routes[a];

        if (nb[x] == a)
            continue;
        for (int pb = 0; pb < rb->n; pb++) {
            int k = rb->items[pb];

            if (k < 0 || s->p->jobs[k].pinned || !asg_qualified(s->p, k, a))
                continue;
            memcpy(ia, ra->items, (size_t)ra->n * sizeof(int));
            memcpy(ib, rb->items, (size_t)rb->n * sizeof(int));
            ia[pa] = k;
            ib[pb] = j;
            if (asg_try_routes(s, a, ia, ra->n, nb[x], ib, rb->n))
                return 1;
        }
    }
    return 0;
}

static int pass_jobs(struct asg *s)
{
    int n = 0, moved = 0;

    for (int j = 0; j < s->p->njobs; j++)
        if (s->tech_of[j] >= 0)
            s->order[n++] = j;
    shuffle(s, s->order, n);
    for (int i = 0; i < n && !asg_timed_out(s); i++) {
        int j = s->order[i];

        if (s->tech_of[j] < 0)
            continue;
        if (relocate(s, j))
            moved = 1;
        else if (!s->p->jobs[j].pinned && swap_with(s, j))
            moved = 1;
    }
    return moved;
}

static void descend(struct asg *s, const int *tech_nb)
{
    while (!asg_timed_out(s)) {
        int moved = pass_insert(s);

        moved |= pass_eject(s);
        moved |= pass_jobs(s);
        moved |= asg_pass_routes(s, tech_nb);
        if (!moved)
            break;
    }
}

static int warm_started(const struct assign_problem *p)
{
    for (int j = 0; j < p->njobs; j++)
        if (p->jobs[j].current >= 0)
            return 1;
    return 0;
}

/*
 * On a fresh day (no job has a current technician) a first descent ranks
 * travel before balance: short routes leave room, and room is what lets
 * more jobs in (objective 1); ruin and recreate then looks beyond its
 * local optimum.  Both get at most half the budget.  The last descent uses
 * the true order and cannot lose what they gained, since weight and
 * lateness still come first.  A re-plan runs only that last descent from
 * the current plan, so a plan re-planned unchanged stays as it is and one
 * new job does not reshuffle the day.
 */
void asg_search(struct asg *s)
{
    double end = s->deadline, start = asg_now();
    int *tech_nb;

    if (end <= 0)
        return;
    tech_nb = asg_tech_neighbours(s);
    if (!warm_started(s->p)) {
        s->travel_first = 1;
        s->deadline = start + (end - start) / 2;
        descend(s, tech_nb);
        asg_ruin_recreate(s, tech_nb, ASG_TECH_NEIGHBOURS + 1);
        s->deadline = end;
    }
    s->travel_first = 0;
    descend(s, tech_nb);
    free(tech_nb);
}
