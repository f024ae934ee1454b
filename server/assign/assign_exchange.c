/*
 * assign_exchange.c - the assignment engine's moves that rewrite whole
 * routes: trying replacement item lists for one or two routes, reversing
 * a stretch of a route (2-opt) and exchanging the tails of two nearby
 * routes (2-opt*), and the nearby technicians those exchanges pair up.
 *
 * Like every move of the search, a rewrite is applied only when it makes
 * the plan strictly better and breaks no hard constraint.
 */
#include "assign/assign_int.h"
#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

/* Evaluate replacement item lists for routes a and b (b may be -1) and
 * apply them when they make the plan better. */
int asg_try_routes(struct asg *s, int a, const int *ia, int na, int b,
                      const int *ib, int nb)
{
    struct assign_cost before, x, after, delta;
    struct asg_eval e;

    asg_route_cost(s, a, &before);
    asg_eval_items(s, a, ia, na, 0, &e, NULL, NULL);
    if (e.violations)
        return 0;
    asg_eval_cost(s, a, &e, &after);
    if (b >= 0) {
        asg_route_cost(s, b, &x);
        asg_cost_add(&before, &x);
        asg_eval_items(s, b, ib, nb, 0, &e, NULL, NULL);
        if (e.violations)
            return 0;
        asg_eval_cost(s, b, &e, &x);
        asg_cost_add(&after, &x);
    }
    asg_cost_sub(&after, &before, &delta);
    if (!asg_improves(s, &delta))
        return 0;
    asg_route_set(s, a, ia, na);
    if (b >= 0)
        asg_route_set(s, b, ib, nb);
    s->iterations++;
    return 1;
}

/* Reverse items[i..k] of route t when that is better (no commitment in
 * the stretch: commitments keep their place). */
static int two_opt(struct asg *s, int t)
{
    const struct asg_route *r = &s->routes[t];
    int *it = s->scratch;

    for (int i = 0; i < r->n; i++) {
        if (r->items[i] < 0)
            continue;
        for (int k = i + 1; k < r->n && r->items[k] >= 0; k++) {
            memcpy(it, r->items, (size_t)r->n * sizeof(int));
            for (int x = i, y = k; x < y; x++, y--) {
                int tmp = it[x];

                it[x] = it[y];
                it[y] = tmp;
            }
            if (asg_try_routes(s, t, it, r->n, -1, NULL, 0))
                return 1;
        }
    }
    return 0;
}

/* 1 when items[from..n) are jobs technician t may take. */
static int tail_movable(const struct asg *s, const int *items, int from,
                        int n, int t)
{
    for (int i = from; i < n; i++)
        if (items[i] < 0 || s->p->jobs[items[i]].pinned ||
            !asg_qualified(s->p, items[i], t))
            return 0;
    return 1;
}

/* Exchange the tails of routes a and b (2-opt*) when that is better. */
static int cross(struct asg *s, int a, int b)
{
    const struct asg_route *ra = &s->routes[a], *rb = &s->routes[b];
    int *ia = s->scratch, *ib = s->scratch + s->scratch_cap / 2;

    for (int i = ra->n; i >= 0; i--) {
        if (!tail_movable(s, ra->items, i, ra->n, b))
            break;
        for (int k = rb->n; k >= 0; k--) {
            int na = 0, nb = 0;

            if (!tail_movable(s, rb->items, k, rb->n, a))
                break;
            if (i == ra->n && k == rb->n)
                continue;
            if (i > 0)
                memcpy(ia, ra->items, (size_t)i * sizeof(int));
            na = i;
            for (int x = k; x < rb->n; x++)
                ia[na++] = rb->items[x];
            if (k > 0)
                memcpy(ib, rb->items, (size_t)k * sizeof(int));
            nb = k;
            for (int x = i; x < ra->n; x++)
                ib[nb++] = ra->items[x];
            if (asg_try_routes(s, a, ia, na, b, ib, nb))
                return 1;
        }
    }
    return 0;
}

int asg_pass_routes(struct asg *s, const int *tech_nb)
{
    int moved = 0, T = s->p->ntechs;

    for (int t = 0; t < T && !asg_timed_out(s); t++) {
        while (two_opt(s, t))
            moved = 1;
        for (int x = 0; x < ASG_TECH_NEIGHBOURS && x < T - 1; x++)
            if (cross(s, t, tech_nb[t * ASG_TECH_NEIGHBOURS + x]))
                moved = 1;
    }
    return moved;
}

/* For each technician, the ASG_TECH_NEIGHBOURS nearest by start location. */
int *asg_tech_neighbours(const struct asg *s)
{
    int T = s->p->ntechs, K = ASG_TECH_NEIGHBOURS;
    int *nb = xcalloc((size_t)T * K + 1, sizeof(int));
    int32_t *d = xcalloc((size_t)K + 1, sizeof(int32_t));

    for (int t = 0; t < T; t++) {
        int have = 0;

        for (int u = 0; u < T; u++) {
            int32_t du;
            int at;

            if (u == t)
                continue;
            du = asg_travel(s, s->p->techs[t].start_loc,
                            s->p->techs[u].start_loc);
            if (have == K && du >= d[K - 1])
                continue;
            at = have < K ? have++ : K - 1;
            while (at > 0 && d[at - 1] > du) {
                d[at] = d[at - 1];
                nb[t * K + at] = nb[t * K + at - 1];
                at--;
            }
            d[at] = du;
            nb[t * K + at] = u;
        }
        for (int x = have; x < K; x++)
            nb[t * K + x] = nb[t * K];
    }
    free(d);
    return nb;
}
