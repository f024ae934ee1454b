/*
 * bench_assign.c - the assignment engine benchmark: runs assign_solve() on
 * instance files (FORMAT.md), with travel and with travel switched off,
 * measures each run, solves the assignment relaxation with glpsol and cbc
 * where installed, and prints per-run figures and a summary per group
 * (size and load) averaged over seeds.
 *
 *   bench_assign [--time-limit-ms N] [--refs mip,lp|lp|none]
 *                [--lp-form auto|direct|classes|both] [--direct-max-pairs N]
 *                [--solvers glpsol,cbc[:N]] [--ref-seconds S]
 *                [--mip-seconds S] [--work DIR] [--timeout S] FILE...
 *   bench_assign --score-vroom SOLUTION.json INSTANCE.json
 *
 * Gaps are 1 - engine / reference on priority-weighted assigned jobs.  The
 * reference ignores travel and sequencing, so the gap of the run without
 * travel is the pure assignment gap and the run with travel adds what
 * travel costs.  Nothing here asserts a figure; the exit status is 1 only
 * when a run failed or a plan broke a hard constraint.
 */
#include "engine_run.h"
#include "reference.h"
#include "report.h"
#include "vroom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const solvers[] = {"glpsol", "cbc"};
#define NSOLVERS 2

struct opts {
    struct engine_opts eng;
    int mip, lp;                  /* --refs */
    int form;                     /* --lp-form: FORM_* */
    long direct_max_pairs;        /* auto: direct up to this many pairs */
    int ref_seconds, mip_seconds; /* solver time limits: LP, MIP */
    int use[NSOLVERS];            /* --solvers, and installed */
    int per_group[NSOLVERS];      /* "cbc,glpsol:1": at most this many
                                     instances per group (0: all) */
    char work[512];               /* LP files go here */
    const char *score_vroom;
};

enum { FORM_AUTO, FORM_DIRECT, FORM_CLASSES, FORM_BOTH };

/* Write the LP in form (once per instance) and solve it with every
 * solver in use. */
static void solve_form(const struct instance *in, const struct opts *o,
                       enum ref_form form, int mip, int seen, struct refs *rs)
{
    char path[1024];
    struct err err = ERR_INIT;

    snprintf(path, sizeof path, "%s/%s.%s.lp", o->work, in->name,
             form == REF_DIRECT ? "direct" : "classes");
    if (!rs->written[form]) {
        if (ref_write_lp(in, form, path, &rs->file[form], &err)) {
            printf("  reference: %s\n", err.msg);
            return;
        }
        rs->written[form] = 1;
    }
    for (int s = 0; s < NSOLVERS && rs->n < REFS_MAX; s++) {
        struct ref_entry *e = &rs->e[rs->n];

        if (!o->use[s] || (o->per_group[s] && seen >= o->per_group[s]))
            continue;
        e->solver = solvers[s];
        e->mip = mip;
        e->form = form;
        ref_solve(solvers[s], path, mip, mip ? o->mip_seconds : o->ref_seconds,
                  &e->r);
        rs->n++;
    }
}

/* seen: instances of this group already measured. */
static void run_refs(const struct instance *in, const struct opts *o, int seen,
                     struct refs *rs)
{
    long pairs = ref_pairs(in);
    int direct = o->form == FORM_DIRECT || o->form == FORM_BOTH ||
                 (o->form == FORM_AUTO && pairs <= o->direct_max_pairs);
    int classes = o->form == FORM_CLASSES || o->form == FORM_BOTH ||
                  (o->form == FORM_AUTO && !direct);
    char path[1024];

    memset(rs, 0, sizeof *rs);
    rs->pairs = pairs;
    if (o->mip)
        solve_form(in, o, REF_DIRECT, 1, seen, rs);
    if (o->lp && direct)
        solve_form(in, o, REF_DIRECT, 0, seen, rs);
    if (o->lp && classes)
        solve_form(in, o, REF_CLASSES, 0, seen, rs);
    for (int f = 0; f < 2; f++) { /* the LP files are large: not kept */
        snprintf(path, sizeof path, "%s/%s.%s.lp", o->work, in->name,
                 f ? "classes" : "direct");
        remove(path);
    }
    refs_best(rs);
}

static int bench_file(const char *path, const struct opts *o,
                      struct report *rep)
{
    struct instance in;
    struct err err = ERR_INIT;
    struct engine_out eo[2];
    struct engine_opts eng = o->eng;
    struct refs rs;
    unsigned char *cov;
    int bad = 0;

    if (instance_load(&in, path, &err)) {
        printf("== %s: %s\n", path, err.msg);
        return 1;
    }
    engine_trim();
    cov = metrics_coverable_new(&in.p);
    for (int none = 0; none < 2; none++) {
        eng.no_travel = none;
        engine_run(&in, cov, &eng, &eo[none]);
        bad |= !eo[none].ok || eo[none].m.violations || eo[none].m.check;
    }
    report_instance(&in, eo);
    if (o->mip || o->lp) {
        run_refs(&in, o, report_runs(rep, &in), &rs);
        report_refs(eo, &rs);
    }
    report_add(rep, &in, eo, o->mip || o->lp ? &rs : NULL);
    free(cov);
    instance_release(&in);
    return bad;
}

/* --score-vroom: a VROOM solution scored as the engine's plans are. */
static int score_vroom(const char *solution, const char *path)
{
    struct instance in;
    struct vroom_routes vr;
    struct assign_plan plan;
    struct engine_out e;
    struct inst_travel tr;
    struct err err = ERR_INIT;
    unsigned char *cov;
    int rc;

    if (instance_load(&in, path, &err)) {
        fprintf(stderr, "bench_assign: %s\n", err.msg);
        return 1;
    }
    memset(&plan, 0, sizeof plan);
    memset(&e, 0, sizeof e);
    rc = vroom_read_solution(&in, solution, &vr, &err) ||
         assign_plan_from_routes(&in.p, vr.off, vr.jobs, &plan, &err);
    if (rc) {
        fprintf(stderr, "bench_assign: %s\n", err.msg);
    } else {
        cov = metrics_coverable_new(&in.p);
        metrics_of_plan(&in, &in.p, &plan, cov, &e.m);
        inst_travel_init(&tr, &in, 0);
        e.m.check = metrics_check(&in, &plan, &tr, "vroom", 10);
        inst_travel_release(&tr);
        e.ok = 1;
        report_header(&in, &e.m);
        report_plan("vroom", &e);
        printf("  VROOM left %d jobs unassigned; plan cost: weighted %lld, "
               "lateness %lld s, balance %lld, travel %lld s, unstable "
               "%lld\n",
               vr.unassigned, (long long)plan.cost.weighted,
               (long long)plan.cost.lateness, (long long)plan.cost.balance,
               (long long)plan.cost.travel, (long long)plan.cost.unstable);
        assign_plan_release(&plan);
        free(cov);
    }
    vroom_routes_release(&vr);
    instance_release(&in);
    return rc != 0;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: bench_assign [--time-limit-ms N] [--refs mip,lp|lp|none]\n"
            "         [--lp-form auto|direct|classes|both] "
            "[--direct-max-pairs N]\n"
            "         [--solvers glpsol,cbc[:N]] [--ref-seconds S] "
            "[--mip-seconds S]\n"
            "         [--work DIR] [--timeout S] FILE...\n"
            "       bench_assign --score-vroom SOLUTION INSTANCE\n");
    return 2;
}

static int parse_form(const char *v)
{
    static const char *const names[] = {"auto", "direct", "classes", "both"};

    for (int i = 0; i < 4; i++)
        if (!strcmp(v, names[i]))
            return i;
    return -1;
}

/* "glpsol,cbc:1": the solvers to use, each optionally on only the first
 * N instances of every group. */
static void parse_solvers(const char *v, struct opts *o)
{
    for (int s = 0; s < NSOLVERS; s++) {
        const char *at = strstr(v, solvers[s]);

        o->use[s] = at != NULL;
        o->per_group[s] = 0;
        if (at && at[strlen(solvers[s])] == ':')
            o->per_group[s] = atoi(at + strlen(solvers[s]) + 1);
    }
}

/* Options, then the index of the first file (or -1). */
static int parse(int argc, char **argv, struct opts *o)
{
    int i = 1;

    for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
        const char *k = argv[i], *v = argv[i + 1];

        if (!strcmp(k, "--time-limit-ms"))
            o->eng.time_limit_ms = atoi(v);
        else if (!strcmp(k, "--refs")) {
            o->mip = !!strstr(v, "mip");
            o->lp = !!strstr(v, "lp");
        } else if (!strcmp(k, "--lp-form")) {
            if ((o->form = parse_form(v)) < 0)
                return -1;
        } else if (!strcmp(k, "--direct-max-pairs"))
            o->direct_max_pairs = atol(v);
        else if (!strcmp(k, "--solvers"))
            parse_solvers(v, o);
        else if (!strcmp(k, "--ref-seconds"))
            o->ref_seconds = atoi(v);
        else if (!strcmp(k, "--mip-seconds"))
            o->mip_seconds = atoi(v);
        else if (!strcmp(k, "--work"))
            snprintf(o->work, sizeof o->work, "%s", v);
        else if (!strcmp(k, "--timeout"))
            o->eng.timeout_s = atoi(v);
        else if (!strcmp(k, "--score-vroom"))
            o->score_vroom = v;
        else
            return -1;
    }
    if (!o->mip_seconds)
        o->mip_seconds = o->ref_seconds;
    return i < argc && o->eng.time_limit_ms >= 0 && o->ref_seconds > 0 &&
                   o->mip_seconds > 0
               ? i
               : -1;
}

int main(int argc, char **argv)
{
    struct opts o = {{200, 0, 0, 5}, 1,      1,  FORM_AUTO, 1000000, 60, 0,
                     {1, 1},         {0, 0}, "", NULL};
    static struct report rep;
    int first = parse(argc, argv, &o), bad = 0;

    if (first < 0)
        return usage();
    if (o.score_vroom)
        return score_vroom(o.score_vroom, argv[first]);
    if (!o.eng.timeout_s)
        o.eng.timeout_s = 60 + 20 * (o.eng.time_limit_ms + 999) / 1000;
    if (!o.work[0])
        snprintf(o.work, sizeof o.work, "%s",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    printf("engine time limit %d ms; references:", o.eng.time_limit_ms);
    for (int s = 0; s < NSOLVERS; s++) {
        int have = ref_have(solvers[s]);

        printf(" %s %s", solvers[s],
               !o.use[s] ? "not used"
               : have    ? "installed"
                         : "NOT INSTALLED (skipped)");
        o.use[s] &= have;
    }
    printf("%s\n", o.mip || o.lp ? "" : " (none requested)");
    for (int i = first; i < argc; i++)
        bad |= bench_file(argv[i], &o, &rep);
    report_summary(&rep);
    return bad;
}
