/*
 * report.c - bench_assign's output: per-instance blocks and the summary
 * table (see report.h).  Presentation only: every figure is computed by
 * metrics.c, engine_run.c or the solvers.
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const mode_name[2] = {"travel", "no travel"};

void refs_best(struct refs *rs)
{
    rs->mip = rs->lp = -1;
    rs->mip_exact = 0;
    rs->disagree = 0;
    for (int i = 0; i < rs->n; i++) {
        const struct ref_entry *e = &rs->e[i];
        double *best = e->mip ? &rs->mip : &rs->lp;

        if (e->r.status == REF_OPTIMAL) {
            if (*best >= 0 && fabs(*best - e->r.value) > 1e-6 * (1 + *best))
                rs->disagree = 1;
            if (e->mip)
                rs->mip_exact = 1;
            *best = e->r.value;
        } else if (e->mip && !rs->mip_exact && e->r.bound >= 0) {
            /* weights are integers, so is the optimum */
            double b = floor(e->r.bound + 1e-6);

            if (rs->mip < 0 || b < rs->mip)
                rs->mip = b; /* the tightest upper bound */
        }
    }
}

static double pct(double a, double b)
{
    return b > 0 ? 100.0 * a / b : 0;
}

/* The fields where re-scoring a plan's routes gives another figure. */
static void report_rescore(const struct metrics *m)
{
    const struct assign_cost *r = &m->rescored, *c = &m->cost;
    const int64_t a[] = {r->weighted, r->lateness, r->balance, r->travel,
                         r->unstable};
    const int64_t b[] = {c->weighted, c->lateness, c->balance, c->travel,
                         c->unstable};
    static const char *const names[] = {"weighted", "lateness", "balance",
                                        "travel", "unstable"};

    printf("  %-9s note: assign_plan_from_routes() on these routes gives", "");
    for (int i = 0; i < 5; i++)
        if (a[i] != b[i])
            printf(" %s %lld (plan %lld)", names[i], (long long)a[i],
                   (long long)b[i]);
    if (m->rescored_violations != m->violations)
        printf(" violations %d (plan %d)", m->rescored_violations,
               m->violations);
    printf("\n");
}

void report_plan(const char *label, const struct engine_out *e)
{
    const struct metrics *m = &e->m;
    char pr[PRIO__N][8];

    if (!e->ok) {
        printf("  %-9s FAILED: %s\n", label, e->err);
        return;
    }
    for (int p = 0; p < PRIO__N; p++)
        snprintf(pr[p], sizeof pr[p], m->prio_jobs[p] ? "%.0f" : "-",
                 pct(m->prio_assigned[p], m->prio_jobs[p]));
    printf("  %-9s %7.0f %6.1f %5d/%-5d %6.2f%% %4s %4s %4s %4s %7.0f %5.1f "
           "%4.2f %4.2f %4.2f %4.2f %4d %7lld %5d %6ld\n",
           label, e->ms, e->mem_mb, m->assigned, m->coverable,
           pct((double)m->weighted, (double)m->weighted_coverable), pr[0],
           pr[1], pr[2], pr[3], m->travel_s / 60.0,
           m->assigned ? m->travel_s / 60.0 / m->assigned : 0, m->util_max,
           m->util_min, m->util_mean, m->util_sd, m->violations,
           (long long)m->lateness_s, m->check, m->iterations);
    if (m->rescore_diff)
        report_rescore(m);
}

void report_header(const struct instance *in, const struct metrics *m)
{
    int64_t work = 0, free_s = 0;

    for (int j = 0; j < in->p.njobs; j++)
        work += in->p.jobs[j].duration;
    for (int t = 0; t < in->p.ntechs; t++) {
        free_s += in->p.techs[t].capacity;
        for (int b = 0; b < in->p.techs[t].nbusy; b++)
            free_s -= in->p.techs[t].busy[b].end - in->p.techs[t].busy[b].start;
    }
    printf("== %s: %d technicians, %d jobs, %d uncoverable (engine: %d "
           "unassignable), load %.2f, seed %llu\n",
           in->name, in->p.ntechs, in->p.njobs, in->p.njobs - m->coverable,
           m->engine_unassignable, free_s > 0 ? (double)work / free_s : 0,
           (unsigned long long)in->seed);
    printf("  %-9s %7s %6s %11s %7s %4s %4s %4s %4s %7s %5s %4s %4s %4s %4s "
           "%4s %7s %5s %6s\n",
           "plan", "ms", "MB", "assigned", "wtd", "E%", "H%", "N%", "L%",
           "trv min", "/job", "umax", "umin", "mean", "sd", "viol", "late s",
           "check", "moves");
}

void report_instance(const struct instance *in, const struct engine_out eo[2])
{
    report_header(in, &eo[eo[0].ok ? 0 : 1].m);
    for (int i = 0; i < 2; i++)
        report_plan(mode_name[i], &eo[i]);
}

static double gap(const struct engine_out *e, double ref)
{
    return e->ok && ref > 0 ? 100.0 * (1 - (double)e->m.weighted / ref) : NAN;
}

void report_refs(const struct engine_out eo[2], const struct refs *rs)
{
    printf("  reference (%ld allowed pairs)     value        bound  status  "
           "      s  LP file\n",
           rs->pairs);
    for (int i = 0; i < rs->n; i++) {
        const struct ref_entry *e = &rs->e[i];
        const struct ref_lp *lp = &rs->file[e->form];
        const char *st = e->r.status == REF_OPTIMAL ? "optimal"
                         : e->r.status == REF_LIMIT ? "limit"
                                                    : "failed";

        printf("  %-3s %-7s %-19s %9.1f %12.1f  %-8s %6.1f  %ld vars, %ld "
               "rows",
               e->mip ? "MIP" : "LP", e->solver,
               e->form == REF_DIRECT ? "direct" : "classes", e->r.value,
               e->r.bound, st, e->r.seconds, lp->vars, lp->rows);
        if (e->form == REF_CLASSES)
            printf(" (%d job x %d technician classes)", lp->job_classes,
                   lp->tech_classes);
        printf("%s%s\n", e->r.note[0] ? " - " : "", e->r.note);
    }
    if (rs->disagree)
        printf("  WARNING: the solvers' optima disagree\n");
    printf("  gap (1 - engine / reference):");
    for (int i = 0; i < 2; i++) {
        printf(" %s", mode_name[i]);
        if (rs->mip >= 0)
            printf(" %.2f%% to the MIP%s", gap(&eo[i], rs->mip),
                   rs->mip_exact ? "" : " bound");
        if (rs->lp >= 0)
            printf(" %.2f%% to the LP", gap(&eo[i], rs->lp));
        if (rs->mip < 0 && rs->lp < 0)
            printf(" -");
        printf(i ? "\n" : ";");
    }
}

static const char *group_name(const struct instance *in)
{
    return in->group[0] ? in->group : in->name;
}

int report_runs(const struct report *rep, const struct instance *in)
{
    for (int i = 0; i < rep->n; i++)
        if (!strcmp(rep->g[i].name, group_name(in)))
            return rep->g[i].runs;
    return 0;
}

static struct group *group_of(struct report *rep, const char *name)
{
    for (int i = 0; i < rep->n; i++)
        if (!strcmp(rep->g[i].name, name))
            return &rep->g[i];
    if (rep->n == GROUPS_MAX)
        return NULL;
    memset(&rep->g[rep->n], 0, sizeof rep->g[0]);
    snprintf(rep->g[rep->n].name, sizeof rep->g[0].name, "%s", name);
    return &rep->g[rep->n++];
}

static void add_run(struct group *g, int i, const struct engine_out *e)
{
    const struct metrics *m = &e->m;

    if (!e->ok) {
        g->failed[i]++;
        return;
    }
    g->ms[i] += e->ms;
    g->mb[i] += e->mem_mb;
    g->asg[i] += pct(m->assigned, m->coverable);
    g->wasg[i] += pct((double)m->weighted, (double)m->weighted_coverable);
    for (int p = 0; p < PRIO__N; p++)
        if (m->prio_jobs[p]) {
            g->prio[i][p] += pct(m->prio_assigned[p], m->prio_jobs[p]);
            g->prio_runs[i][p]++;
        }
    g->travel_job[i] += m->assigned ? m->travel_s / 60.0 / m->assigned : 0;
    g->util_mean[i] += m->util_mean;
    g->util_spread[i] += m->util_max - m->util_min;
    g->viol[i] += m->violations;
    g->late[i] += m->lateness_s;
    g->check[i] += m->check;
}

/* The gap's reference: the exact MIP, else the tighter of the LP and the
 * MIP's bound. */
static void add_refs(struct group *g, const struct engine_out eo[2],
                     const struct refs *rs)
{
    int use_mip =
        rs->mip >= 0 && (rs->mip_exact || rs->lp < 0 || rs->mip < rs->lp);
    double ref = use_mip ? rs->mip : rs->lp;

    if (ref <= 0)
        return;
    snprintf(g->ref_kind, sizeof g->ref_kind, "%s",
             !use_mip        ? "LP"
             : rs->mip_exact ? "MIP"
                             : "MIP<=");
    for (int i = 0; i < 2; i++)
        g->gap[i] += eo[i].ok ? gap(&eo[i], ref) : 0;
    g->gap_runs++;
    for (int s = 0; s < 2; s++) {
        double best = -1;

        for (int k = 0; k < rs->n; k++)
            if (rs->e[k].mip == use_mip &&
                !strcmp(rs->e[k].solver, s ? "cbc" : "glpsol") &&
                (best < 0 || rs->e[k].r.seconds < best))
                best = rs->e[k].r.seconds;
        if (best >= 0) {
            g->ref_s[s] += best;
            g->ref_s_runs[s]++;
        }
    }
}

void report_add(struct report *rep, const struct instance *in,
                const struct engine_out eo[2], const struct refs *rs)
{
    struct group *g = group_of(rep, group_name(in));

    if (!g)
        return;
    g->runs++;
    g->jobs += in->p.njobs;
    g->coverable += eo[0].m.coverable;
    for (int i = 0; i < 2; i++)
        add_run(g, i, &eo[i]);
    if (rs)
        add_refs(g, eo, rs);
}

static void summary_row(const struct group *g, int i)
{
    int n = g->runs - (int)g->failed[i];
    char pr[PRIO__N][8], runs[16] = "", jobs[32] = "", trav[16] = "-";
    char gapc[32] = "-", refs[32] = "";

    if (!i) {
        snprintf(runs, sizeof runs, "%d", g->runs);
        snprintf(jobs, sizeof jobs, "%.0f (%.0f)", g->jobs / g->runs,
                 g->coverable / g->runs);
    }
    if (n <= 0) {
        printf("summary: | %s | %s | %s | %s | all runs failed |\n",
               i ? "" : g->name, runs, jobs, mode_name[i]);
        return;
    }
    for (int p = 0; p < PRIO__N; p++)
        snprintf(pr[p], sizeof pr[p], g->prio_runs[i][p] ? "%.0f" : "-",
                 g->prio[i][p] / (g->prio_runs[i][p] ? g->prio_runs[i][p] : 1));
    if (!i)
        snprintf(trav, sizeof trav, "%.1f", g->travel_job[i] / n);
    if (g->gap_runs)
        snprintf(gapc, sizeof gapc, "%.2f (%s)", g->gap[i] / g->gap_runs,
                 g->ref_kind);
    for (int s = 0; s < 2 && !i; s++) {
        char one[16] = "-";

        if (g->ref_s_runs[s])
            snprintf(one, sizeof one, "%.1f", g->ref_s[s] / g->ref_s_runs[s]);
        snprintf(refs + strlen(refs), sizeof refs - strlen(refs), "%s%s",
                 s ? " / " : "", one);
    }
    printf("summary: | %s | %s | %s | %s | %.0f | %.1f | %.1f | %.1f | "
           "%s / %s / %s / %s | %s | %.2f / %.2f | %ld / %lld / %ld | %s | "
           "%s |\n",
           i ? "" : g->name, runs, jobs, mode_name[i], g->ms[i] / n,
           g->mb[i] / n, g->asg[i] / n, g->wasg[i] / n, pr[0], pr[1], pr[2],
           pr[3], trav, g->util_mean[i] / n, g->util_spread[i] / n, g->viol[i],
           g->late[i], g->check[i], gapc, refs);
}

void report_summary(const struct report *rep)
{
    printf("summary: | group | runs | jobs (coverable) | engine run | ms | "
           "MB | assigned %% | weighted %% | E / H / N / L %% | travel "
           "min/job | util mean / spread | viol / late s / check | gap %% "
           "(ref) | ref s glpsol / cbc |\n");
    printf("summary: |---|---|---|---|---|---|---|---|---|---|---|---|---|"
           "---|\n");
    for (int k = 0; k < rep->n; k++)
        for (int i = 0; i < 2; i++)
            summary_row(&rep->g[k], i);
}
