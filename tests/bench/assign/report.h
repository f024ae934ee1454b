/*
 * report.h - what bench_assign prints: a block per instance (the two
 * engine runs, the references and the gaps) and, at the end, a markdown
 * summary per group averaged over its runs, each line prefixed
 * "summary: " so that run.sh can gather the tables of several calls.
 */
#ifndef FSD_BENCH_REPORT_H
#define FSD_BENCH_REPORT_H

#include "engine_run.h"
#include "instance.h"
#include "reference.h"

#define REFS_MAX 8
#define GROUPS_MAX 64

struct ref_entry {
    const char *solver; /* "glpsol", "cbc" */
    int mip;            /* 1: the MIP; 0: the LP relaxation */
    enum ref_form form;
    struct ref_result r;
};

/* The references of one instance. */
struct refs {
    struct ref_entry e[REFS_MAX];
    int n;
    long pairs;            /* allowed (job, technician) pairs */
    struct ref_lp file[2]; /* per form, once written */
    int written[2];
    double mip; /* the MIP optimum, or its best upper bound
                   (mip_exact 0); < 0 when none */
    int mip_exact;
    double lp;    /* the LP bound; < 0 when none */
    int disagree; /* solvers' optima differ */
};

/* Fill rs->mip, mip_exact, lp and disagree from the entries. */
void refs_best(struct refs *rs);

/* Running means of one group (for example "S load 0.80"). */
struct group {
    char name[128];
    int runs, gap_runs;
    double jobs, coverable;
    double ms[2], mb[2], asg[2], wasg[2], prio[2][PRIO__N], travel_job[2];
    double util_mean[2], util_spread[2], gap[2];
    int prio_runs[2][PRIO__N];
    long viol[2], check[2], failed[2];
    long long late[2];
    double ref_s[2]; /* glpsol, cbc: time of the reference used */
    int ref_s_runs[2];
    char ref_kind[8]; /* "MIP", "LP" or "MIP<=": the gap's reference */
};

struct report {
    struct group g[GROUPS_MAX];
    int n;
};

/* The instance's header line and the plan columns' titles (m for the
 * coverable and unassignable counts). */
void report_header(const struct instance *in, const struct metrics *m);

/* The header and the instance's two engine runs (eo[0] with travel). */
void report_instance(const struct instance *in, const struct engine_out eo[2]);

/* One plan line, as for the engine runs (label "travel", "vroom", ...). */
void report_plan(const char *label, const struct engine_out *e);

/* The references and the gaps of both runs to them. */
void report_refs(const struct engine_out eo[2], const struct refs *rs);

/* Add the instance's runs to its group (rs NULL: no references). */
void report_add(struct report *rep, const struct instance *in,
                const struct engine_out eo[2], const struct refs *rs);

/* Instances of in's group added so far. */
int report_runs(const struct report *rep, const struct instance *in);

/* The summary table, every line prefixed "summary: ". */
void report_summary(const struct report *rep);

#endif
