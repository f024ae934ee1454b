/*
 * engine_run.h - one timed engine run in a child process: assign_solve()
 * on a loaded instance, its wall time, its peak memory and the plan's
 * metrics, sent back through a pipe.
 *
 * A fork per run makes the peak memory of each run its own (ru_maxrss is
 * a high-water mark that a long benchmark process could never lower) and
 * keeps a crash or a hang of the engine from ending the benchmark.
 */
#ifndef FSD_BENCH_ENGINE_RUN_H
#define FSD_BENCH_ENGINE_RUN_H

#include "instance.h"
#include "metrics.h"

struct engine_opts {
    int time_limit_ms; /* assign_problem.time_limit_ms */
    int no_travel;     /* 1: travel = assign_travel_none */
    int timeout_s;     /* kill the child after this long */
    int show;          /* check breaches described on stderr */
};

struct engine_out {
    int ok; /* 0: err says why (engine error, crash, hang) */
    char err[400];
    double ms;     /* assign_solve() wall time */
    double mem_mb; /* peak RSS during the solve minus RSS before */
    struct metrics m;
};

/* Run the engine on in (coverable from metrics_coverable_new()). */
void engine_run(const struct instance *in, const unsigned char *coverable,
                const struct engine_opts *o, struct engine_out *out);

/* Give freed heap back to the system before forking, so that the child's
 * peak-minus-start measures what the engine allocates (glibc only). */
void engine_trim(void);

#endif
