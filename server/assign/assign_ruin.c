/*
 * assign_ruin.c - ruin and recreate, the assignment engine's way out of a
 * local optimum: take a share of the jobs out of a few neighbouring routes,
 * put them back together with the unassigned jobs those technicians could
 * do (heaviest first, each at its best place), and keep the result only
 * when the whole plan is better; otherwise every changed route is put
 * back as it was.
 *
 * Rounds are drawn from the seed and bounded in number as well as by the
 * deadline, so a small day still gets the same plan for the same seed.
 */
#include "assign/assign_int.h"
#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

#define RUIN_SHARE 3      /* one job in RUIN_SHARE leaves a ruined route */
#define RUIN_ROUNDS_PER_JOB 2

struct ruin {
    int *snap, *snap_off;  /* every route's items before the round */
    int *snap_tech;        /* tech_of before the round */
    int *by_tech, *by_off; /* jobs each technician is qualified for */
    char *mark;            /* per job: already a candidate this round */
    int *cand;
};

static void total(const struct asg *s, struct assign_cost *c)
{
    memset(c, 0, sizeof(*c));
    for (int t = 0; t < s->p->ntechs; t++) {
        struct assign_cost route;

        asg_route_cost(s, t, &route);
        asg_cost_add(c, &route);
    }
}

/* The inverse of s->qual: for each technician, the jobs it may take. */
static void invert(const struct asg *s, struct ruin *x)
{
    int T = s->p->ntechs, J = s->p->njobs, n = s->qual_off[J];

    x->by_off = xcalloc((size_t)T + 2, sizeof(int));
    x->by_tech = xmalloc(((size_t)n + 1) * sizeof(int));
    for (int i = 0; i < n; i++)
        x->by_off[s->qual[i] + 2]++;
    for (int t = 0; t < T; t++)
        x->by_off[t + 2] += x->by_off[t + 1];
    for (int j = 0; j < J; j++)
        for (int i = s->qual_off[j]; i < s->qual_off[j + 1]; i++)
            x->by_tech[x->by_off[s->qual[i] + 1]++] = j;
}

static void snapshot(const struct asg *s, struct ruin *x)
{
    int at = 0;

    for (int t = 0; t < s->p->ntechs; t++) {
        const struct asg_route *r = &s->routes[t];

        x->snap_off[t] = at;
        if (r->n > 0)
            memcpy(x->snap + at, r->items, (size_t)r->n * sizeof(int));
        at += r->n;
    }
    x->snap_off[s->p->ntechs] = at;
    memcpy(x->snap_tech, s->tech_of, (size_t)s->p->njobs * sizeof(int));
}

static void restore(struct asg *s, const struct ruin *x, long since)
{
    memcpy(s->tech_of, x->snap_tech, (size_t)s->p->njobs * sizeof(int));
    for (int t = 0; t < s->p->ntechs; t++)
        if (s->routes[t].stamp > since)
            asg_route_set(s, t, x->snap + x->snap_off[t],
                          x->snap_off[t + 1] - x->snap_off[t]);
}

/* Ruin the routes in R, then place back what left them and every
 * unassigned job their technicians could take, hardest first. */
static void round_trip(struct asg *s, struct ruin *x, const int *R, int nr)
{
    int n = 0;

    for (int a = 0; a < nr; a++) {
        const struct asg_route *r = &s->routes[R[a]];

        for (int k = r->n - 1; k >= 0; k--) {
            int j = r->items[k];

            if (j >= 0 && !s->p->jobs[j].pinned &&
                asg_random(s) % RUIN_SHARE == 0) {
                asg_remove(s, j);
                x->mark[j] = 1;
                x->cand[n++] = j;
            }
        }
    }
    for (int a = 0; a < nr; a++)
        for (int i = x->by_off[R[a]]; i < x->by_off[R[a] + 1]; i++) {
            int j = x->by_tech[i];

            if (s->tech_of[j] < 0 && !x->mark[j]) {
                x->mark[j] = 1;
                x->cand[n++] = j;
            }
        }
    asg_sort_hardest(s, x->cand, n);
    for (int i = 0; i < n; i++) {
        x->mark[x->cand[i]] = 0;
        asg_place(s, x->cand[i]);
    }
}

void asg_ruin_recreate(struct asg *s, const int *tech_nb, int k)
{
    const struct assign_problem *p = s->p;
    long rounds = (long)RUIN_ROUNDS_PER_JOB * p->njobs;
    struct ruin x;
    int busy = 0, *R;

    if (p->ntechs == 0 || p->njobs == 0)
        return;
    for (int t = 0; t < p->ntechs; t++)
        busy += p->techs[t].nbusy;
    memset(&x, 0, sizeof(x));
    x.snap = xmalloc(((size_t)p->njobs + busy + 1) * sizeof(int));
    x.snap_off = xmalloc(((size_t)p->ntechs + 1) * sizeof(int));
    x.snap_tech = xmalloc(((size_t)p->njobs + 1) * sizeof(int));
    x.mark = xcalloc((size_t)p->njobs + 1, 1);
    x.cand = xmalloc(((size_t)p->njobs + 1) * sizeof(int));
    R = xmalloc(((size_t)k + 1) * sizeof(int));
    invert(s, &x);
    for (long i = 0; i < rounds && asg_now() < s->deadline; i++) {
        struct assign_cost before, after;
        long since = s->clock;
        int t0 = (int)(asg_random(s) % (uint64_t)p->ntechs), nr = 0;

        R[nr++] = t0;
        for (int a = 0; a < k - 1 && a < p->ntechs - 1; a++)
            R[nr++] = tech_nb[t0 * (k - 1) + a];
        total(s, &before);
        snapshot(s, &x);
        round_trip(s, &x, R, nr);
        total(s, &after);
        if (asg_cmp(s, &after, &before) < 0)
            s->iterations++;
        else
            restore(s, &x, since);
    }
    free(R);
    free(x.snap);
    free(x.snap_off);
    free(x.snap_tech);
    free(x.mark);
    free(x.cand);
    free(x.by_tech);
    free(x.by_off);
}
