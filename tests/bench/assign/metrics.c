/*
 * metrics.c - the benchmark's measures of one plan and its independent
 * replay check (see metrics.h).
 *
 * Everything here reads the plan; nothing repairs it.  The replay orders a
 * technician's visits and busy blocks by start time, so it does not depend
 * on how the engine stores routes beyond "route_jobs lists each
 * technician's jobs".
 */
#include "metrics.h"
#include "common/mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int qualified(const struct assign_job *j, const struct assign_tech *t)
{
    for (int r = 0; r < j->nskills; r++) {
        int ok = 0;

        for (int k = 0; k < t->nskills && !ok; k++)
            ok = t->skills[k].skill == j->skills[r].skill &&
                 t->skills[k].level >= j->skills[r].level;
        if (!ok)
            return 0;
    }
    return 1;
}

static int32_t busy_total(const struct assign_tech *t)
{
    int32_t s = 0;

    for (int b = 0; b < t->nbusy; b++)
        s += t->busy[b].end - t->busy[b].start;
    return s;
}

int metrics_allowed(const struct assign_problem *p, int j, int t)
{
    const struct assign_job *job = &p->jobs[j];
    const struct assign_tech *tech = &p->techs[t];

    if (job->pinned && job->current != t)
        return 0;
    if (job->win_start > tech->shift_end - job->duration ||
        job->win_end < tech->shift_start)
        return 0;
    if (job->duration > tech->capacity - busy_total(tech))
        return 0;
    return qualified(job, tech);
}

unsigned char *metrics_coverable_new(const struct assign_problem *p)
{
    unsigned char *c = xcalloc((size_t)p->njobs + 1, 1);

    for (int j = 0; j < p->njobs; j++)
        for (int t = 0; t < p->ntechs && !c[j]; t++)
            c[j] = (unsigned char)metrics_allowed(p, j, t);
    return c;
}

static void utilisation(const struct assign_problem *p,
                        const struct assign_plan *plan, struct metrics *m)
{
    double sum = 0, sq = 0;
    int n = 0;

    m->util_max = 0;
    m->util_min = p->ntechs ? 1e9 : 0;
    for (int t = 0; t < p->ntechs; t++) {
        double u;

        if (p->techs[t].capacity <= 0)
            continue;
        u = (double)plan->work_of[t] / p->techs[t].capacity;
        m->util_max = u > m->util_max ? u : m->util_max;
        m->util_min = u < m->util_min ? u : m->util_min;
        sum += u;
        sq += u * u;
        n++;
    }
    m->util_mean = n ? sum / n : 0;
    m->util_sd = n ? sqrt(fmax(0, sq / n - m->util_mean * m->util_mean)) : 0;
    if (!n)
        m->util_min = 0;
}

/* assign_plan_from_routes() on plan's own routes must give plan's cost. */
static void rescore(const struct assign_problem *p,
                    const struct assign_plan *plan, struct metrics *m)
{
    struct assign_plan re;
    struct err err = ERR_INIT;

    memset(&re, 0, sizeof re);
    m->cost = plan->cost;
    if (assign_plan_from_routes(p, plan->route_off, plan->route_jobs, &re,
                                &err)) {
        fprintf(stderr, "rescore: %s\n", err.msg);
        m->rescore_diff = 1;
        return;
    }
    m->rescored = re.cost;
    m->rescored_violations = re.violations;
    m->rescore_diff = memcmp(&re.cost, &plan->cost, sizeof re.cost) != 0 ||
                      re.violations != plan->violations;
    assign_plan_release(&re);
}

void metrics_of_plan(const struct instance *in, const struct assign_problem *p,
                     const struct assign_plan *plan,
                     const unsigned char *coverable, struct metrics *m)
{
    memset(m, 0, sizeof *m);
    m->jobs = p->njobs;
    for (int j = 0; j < p->njobs; j++) {
        int pr = in->prio[j];

        if (coverable[j]) {
            m->coverable++;
            m->prio_jobs[pr]++;
            m->weighted_coverable += p->jobs[j].weight;
        }
        if (plan->tech_of[j] < 0)
            continue;
        m->assigned++;
        m->prio_assigned[pr]++;
        m->weighted += p->jobs[j].weight;
        if (p->jobs[j].sla_due != ASSIGN_NONE &&
            plan->start_of[j] > p->jobs[j].sla_due)
            m->late_jobs++;
    }
    m->engine_unassignable = plan->unassignable;
    m->travel_s = plan->cost.travel;
    m->violations = plan->violations;
    m->lateness_s = plan->cost.lateness;
    m->iterations = plan->iterations;
    utilisation(p, plan, m);
    rescore(p, plan, m);
}

struct checker {
    const struct instance *in;
    const struct assign_plan *plan;
    const struct inst_travel *tr;
    const char *label;
    int breaches, show;
    int64_t lateness;
};

static void breach(struct checker *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void breach(struct checker *c, const char *fmt, ...)
{
    va_list ap;

    if (c->breaches++ >= c->show)
        return;
    fprintf(stderr, "check %s (%s): ", c->in->name, c->label);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* A stop of a technician's day: a job (j >= 0) or busy block b. */
struct stop {
    int j, b;
    int32_t start, end;
    int loc;
};

/* Job j visited by t: skills, window, pinning, SLA lateness. */
static void check_job(struct checker *c, int t, int j)
{
    const struct assign_job *job = &c->in->p.jobs[j];
    int32_t s = c->plan->start_of[j];

    if (!qualified(job, &c->in->p.techs[t]))
        breach(c, "job %lld: technician %lld lacks a skill", (long long)job->id,
               (long long)c->in->p.techs[t].id);
    if (s < job->win_start || s > job->win_end)
        breach(c, "job %lld starts at %d, outside [%d, %d]", (long long)job->id,
               (int)s, (int)job->win_start, (int)job->win_end);
    if (job->pinned && job->current != t)
        breach(c, "pinned job %lld moved", (long long)job->id);
    if (job->sla_due != ASSIGN_NONE && s > job->sla_due)
        c->lateness += s - job->sla_due;
}

/* Technician t's jobs and busy blocks into out, in start order. */
static int day_of(struct checker *c, int t, struct stop *out)
{
    const struct assign_plan *plan = c->plan;
    const struct assign_tech *tech = &c->in->p.techs[t];
    int n = 0, b = 0;

    for (int i = plan->route_off[t]; i <= plan->route_off[t + 1]; i++) {
        int j = i < plan->route_off[t + 1] ? plan->route_jobs[i] : -1;
        int32_t s = j >= 0 ? plan->start_of[j] : INT32_MAX;

        while (b < tech->nbusy && tech->busy[b].start <= s) {
            out[n++] = (struct stop){-1, b, tech->busy[b].start,
                                     tech->busy[b].end, tech->busy[b].loc};
            b++;
        }
        if (j < 0)
            break;
        if (n && out[n - 1].j >= 0 && out[n - 1].start > s)
            breach(c, "technician %lld: route not in time order",
                   (long long)tech->id);
        out[n++] = (struct stop){j, -1, s, s + c->in->p.jobs[j].duration,
                                 c->in->p.jobs[j].loc};
    }
    return n;
}

/* Replay technician t's day from its start location. */
static void check_tech(struct checker *c, int t, struct stop *day)
{
    const struct assign_tech *tech = &c->in->p.techs[t];
    int n = day_of(c, t, day), loc = tech->start_loc;
    int64_t time = tech->shift_start, work = 0, travel = 0, tr;

    for (int i = 0; i < n; i++) {
        tr = inst_travel(c->tr, loc, day[i].loc);
        if (time + tr > day[i].start)
            breach(c,
                   "technician %lld: %s %lld at %d, cannot arrive before "
                   "%lld",
                   (long long)tech->id, day[i].j >= 0 ? "job" : "busy block",
                   day[i].j >= 0 ? (long long)c->in->p.jobs[day[i].j].id
                                 : (long long)day[i].b,
                   (int)day[i].start, (long long)(time + tr));
        if (day[i].j >= 0)
            check_job(c, t, day[i].j);
        travel += tr;
        work += day[i].end - day[i].start;
        time = day[i].end;
        loc = day[i].loc;
    }
    tr = inst_travel(c->tr, loc, tech->end_loc);
    travel += tr;
    if (time + tr > tech->shift_end)
        breach(c, "technician %lld back at %lld, after the shift end %d",
               (long long)tech->id, (long long)(time + tr),
               (int)tech->shift_end);
    if (work > tech->capacity)
        breach(c, "technician %lld works %lld s over capacity %d",
               (long long)tech->id, (long long)work, (int)tech->capacity);
    if (work != c->plan->work_of[t] || travel != c->plan->travel_of[t])
        breach(c,
               "technician %lld: plan says work %d travel %d, replay %lld "
               "%lld",
               (long long)tech->id, (int)c->plan->work_of[t],
               (int)c->plan->travel_of[t], (long long)work, (long long)travel);
}

/* Every assigned job is on exactly its technician's route. */
static void check_routes(struct checker *c, int *seen)
{
    const struct assign_plan *plan = c->plan;
    const struct assign_problem *p = &c->in->p;

    for (int t = 0; t < p->ntechs; t++)
        for (int i = plan->route_off[t]; i < plan->route_off[t + 1]; i++) {
            int j = plan->route_jobs[i];

            if (j < 0 || j >= p->njobs || plan->tech_of[j] != t || seen[j]++)
                breach(c,
                       "route of technician %lld: job index %d is "
                       "misplaced or repeated",
                       (long long)p->techs[t].id, j);
        }
    for (int j = 0; j < p->njobs; j++)
        if ((plan->tech_of[j] >= 0) != (seen[j] == 1))
            breach(c, "job %lld: tech_of and the routes disagree",
                   (long long)p->jobs[j].id);
}

int metrics_check(const struct instance *in, const struct assign_plan *plan,
                  const struct inst_travel *tr, const char *label, int show)
{
    const struct assign_problem *p = &in->p;
    struct checker c = {in, plan, tr, label, 0, show, 0};
    int *seen = xcalloc((size_t)p->njobs + 1, sizeof(int)), maxbusy = 0;
    struct stop *day;

    check_routes(&c, seen);
    for (int t = 0; t < p->ntechs; t++)
        maxbusy = p->techs[t].nbusy > maxbusy ? p->techs[t].nbusy : maxbusy;
    day = xcalloc((size_t)p->njobs + (size_t)maxbusy + 1, sizeof *day);
    if (!c.breaches)
        for (int t = 0; t < p->ntechs; t++)
            check_tech(&c, t, day);
    if (!c.breaches && c.lateness != plan->cost.lateness)
        breach(&c, "SLA lateness: plan says %lld s, replay %lld s",
               (long long)plan->cost.lateness, (long long)c.lateness);
    free(seen);
    free(day);
    return c.breaches;
}
