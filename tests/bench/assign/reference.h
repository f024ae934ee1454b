/*
 * reference.h - the references the engine is measured against: the
 * assignment relaxation of an instance (no travel, no sequencing) written
 * as a CPLEX LP file and solved by glpsol or cbc when they are installed.
 *
 *   maximise  sum w_j x_jt
 *   s.t.      sum_t x_jt <= 1                 every job at most once
 *             sum_j d_j x_jt <= F_t           F_t = capacity - busy
 *             x_jt only where metrics_allowed(j, t)
 *
 * Binary x gives the relaxation's exact optimum (the MIP, for S); the LP
 * relaxation gives a bound (M, L).  The "classes" form aggregates jobs
 * that are interchangeable (same allowed technicians, weight, duration)
 * and technicians that are (same allowed jobs) into counts y_ck with
 * summed capacities; its LP optimum equals the direct LP's exactly (a
 * class solution splits back evenly over jobs and in proportion to F_t
 * over technicians), but it is not the MIP, so it is only solved as LP.
 */
#ifndef FSD_BENCH_REFERENCE_H
#define FSD_BENCH_REFERENCE_H

#include "common/err.h"
#include "instance.h"

enum ref_form { REF_DIRECT, REF_CLASSES };

struct ref_lp {
    long vars, rows;               /* of the file written */
    int job_classes, tech_classes; /* REF_CLASSES only */
    double write_s;                /* seconds to build and write it */
};

/* Write in's relaxation in form to path (CPLEX LP; REF_DIRECT declares x
 * binary).  0, or ERR_INTERNAL when the file cannot be written. */
int ref_write_lp(const struct instance *in, enum ref_form form,
                 const char *path, struct ref_lp *st, struct err *err);

/* Number of allowed (job, technician) pairs: the direct form's size. */
long ref_pairs(const struct instance *in);

enum ref_status {
    REF_OPTIMAL, /* value is the optimum */
    REF_LIMIT,   /* stopped at the time limit: value the best solution
                    found (MIP) or nothing, bound the best bound if known */
    REF_FAILED,  /* no figure: note says why */
};

struct ref_result {
    enum ref_status status;
    double value;   /* objective */
    double bound;   /* upper bound on the optimum (= value when optimal);
                       < 0 when unknown */
    double seconds; /* wall time of the solver process */
    char note[96];
};

/* 1 when the solver ("glpsol" or "cbc") is on PATH. */
int ref_have(const char *solver);

/* Run solver on the LP file at path, as a MIP (mip 1) or its LP relaxation,
 * stopping it after limit_s seconds.  Writes path.SOLVER.{log,sol}. */
void ref_solve(const char *solver, const char *path, int mip, int limit_s,
               struct ref_result *out);

#endif
