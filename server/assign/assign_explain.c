/*
 * assign_explain.c - why a technician can or cannot take a job, in the
 * words a dispatcher uses: the first hard constraint that fails, or, when
 * none does, where the visit would go and what it would cost.
 *
 * The job is taken out of the plan first, so its own technician is judged
 * on the same terms as the others.  The checks run from the cheapest and
 * most permanent (pinning, skills, the shift) to the ones that depend on
 * the day's other visits (capacity, a free gap, travel).
 */
#include "assign/assign_int.h"
#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

/* The first required skill technician t lacks or holds too low. */
static int skill_gap(const struct assign_problem *p, int j, int t,
                     struct assign_candidate *out)
{
    const struct assign_job *job = &p->jobs[j];
    const struct assign_tech *tech = &p->techs[t];

    for (int i = 0; i < job->nskills; i++) {
        int have = 0;

        for (int k = 0; k < tech->nskills; k++)
            if (tech->skills[k].skill == job->skills[i].skill)
                have = tech->skills[k].level;
        if (have >= job->skills[i].level)
            continue;
        out->reason = have ? AR_LEVEL_BELOW : AR_MISSING_SKILL;
        out->skill = job->skills[i].skill;
        out->have = have;
        out->need = job->skills[i].level;
        return 1;
    }
    return 0;
}

/* Can the visit fit the shift at all, travel from and back included? */
static int fits_shift(const struct asg *s, int j, int t)
{
    const struct assign_job *job = &s->p->jobs[j];
    const struct assign_tech *tech = &s->p->techs[t];
    int64_t start = (int64_t)tech->shift_start +
                    asg_travel(s, tech->start_loc, job->loc);

    if (start < job->win_start)
        start = job->win_start;
    return start <= job->win_end &&
           start + job->duration + asg_travel(s, job->loc, tech->end_loc) <=
               tech->shift_end;
}

/* With travel ignored, is there a position where the visit fits? */
static int fits_without_travel(const struct asg *s, int j, int t)
{
    const struct asg_route *r = &s->routes[t];
    int *items = xmalloc(((size_t)r->n + 1) * sizeof(int));
    int found = 0;

    for (int pos = 0; pos <= r->n && !found; pos++) {
        struct asg_eval e;

        if (pos > 0)
            memcpy(items, r->items, (size_t)pos * sizeof(int));
        items[pos] = j;
        if (r->n > pos)
            memcpy(items + pos + 1, r->items + pos,
                   (size_t)(r->n - pos) * sizeof(int));
        asg_eval_items(s, t, items, r->n + 1, 1, &e, NULL, NULL);
        found = e.violations == 0;
    }
    free(items);
    return found;
}

static void judge(const struct asg *s, int j, int t,
                  struct assign_candidate *out)
{
    const struct assign_problem *p = s->p;
    const struct assign_job *job = &p->jobs[j];
    const struct asg_route *r = &s->routes[t];
    struct asg_slot slot;

    memset(out, 0, sizeof(*out));
    out->tech = t;
    out->position = -1;
    out->is_current = job->current == t;
    out->is_preferred = job->preferred == t;
    if (job->pinned && job->current != t) {
        out->reason = AR_PINNED;
        return;
    }
    if (skill_gap(p, j, t, out))
        return;
    if (!fits_shift(s, j, t)) {
        out->reason = AR_OUTSIDE_SHIFT;
        return;
    }
    out->utilisation = p->techs[t].capacity > 0
                           ? (double)(r->work + job->duration) /
                                 p->techs[t].capacity
                           : 1;
    if (r->work + (int64_t)job->duration > p->techs[t].capacity) {
        out->reason = AR_OVER_CAPACITY;
        return;
    }
    asg_best_insert(s, t, j, &slot);
    if (slot.pos < 0) {
        out->reason = fits_without_travel(s, j, t) ? AR_TOO_FAR : AR_OVERLAP;
        return;
    }
    out->reason = AR_OK;
    out->start = slot.start;
    out->position = slot.pos;
    out->delta = slot.delta;
}

static int ranked(const void *a, const void *b)
{
    const struct assign_candidate *x = a, *y = b;
    int c;

    if ((x->reason == AR_OK) != (y->reason == AR_OK))
        return x->reason == AR_OK ? -1 : 1;
    if (x->reason == AR_OK && (c = assign_cost_cmp(&x->delta, &y->delta)))
        return c;
    return x->tech - y->tech;
}

/* Solver state holding plan, with job j taken out. */
static void load_without(struct asg *s, const struct assign_problem *p,
                         const struct assign_plan *plan, int j)
{
    asg_init(s, p);
    asg_load_plan(s, plan);
    asg_remove(s, j);
}

int assign_explain(const struct assign_problem *p,
                   const struct assign_plan *plan, int j,
                   struct assign_candidate *out)
{
    struct asg s;
    int feasible = 0;

    load_without(&s, p, plan, j);
    for (int t = 0; t < p->ntechs; t++) {
        judge(&s, j, t, &out[t]);
        feasible += out[t].reason == AR_OK;
    }
    qsort(out, (size_t)p->ntechs, sizeof(*out), ranked);
    asg_release(&s);
    return feasible;
}

void assign_check(const struct assign_problem *p,
                  const struct assign_plan *plan, int j, int t,
                  struct assign_candidate *out)
{
    struct asg s;

    load_without(&s, p, plan, j);
    judge(&s, j, t, out);
    asg_release(&s);
}
