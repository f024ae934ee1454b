/*
 * instance.h - one assignment benchmark instance: a struct assign_problem
 * plus the storage it points into, loaded from and saved to the JSON format
 * "fsd-assign/1" described in FORMAT.md.
 *
 * The loader validates everything the engine relies on (indices in range,
 * windows and shifts forwards, busy blocks sorted, unique ids) and names
 * the offending element in err->field ("jobs[3].window"), so a hand-written
 * file fails with a message rather than inside the engine.
 */
#ifndef FSD_BENCH_INSTANCE_H
#define FSD_BENCH_INSTANCE_H

#include "assign/assign.h"
#include "common/err.h"

#include <stdint.h>

#define INSTANCE_FORMAT "fsd-assign/1"

enum inst_prio { PRIO_EMERGENCY, PRIO_HIGH, PRIO_NORMAL, PRIO_LOW, PRIO__N };

struct instance {
    char name[128];          /* "name" */
    char group[128];         /* "group": runs averaged together; name
                                when absent */
    uint64_t seed;           /* "seed": the engine's seed; 0 if absent */
    struct assign_problem p; /* points into the arrays below */
    struct assign_loc *locs;
    struct assign_tech *techs;
    struct assign_job *jobs;
    struct assign_skill *skills; /* every technician's skills, in order */
    struct assign_req *reqs;     /* every job's requirements, in order */
    struct assign_busy *busy;    /* every technician's busy blocks */
    unsigned char *prio;         /* per job: enum inst_prio */
    int32_t *matrix;             /* "matrix" (nlocs^2 seconds) or NULL */
    struct assign_matrix mx;     /* over matrix, when set */
};

/* "emergency", "high", "normal", "low"; the default weight 8, 4, 2, 1. */
const char *inst_prio_name(int prio);
int inst_prio_weight(int prio);

/*
 * Load path into in (zeroed first).  With a "matrix", in->p.travel_ctx
 * points into in itself, so in must not be copied or moved afterwards.  0, or
 * ERR_INVALID with code "invalid_instance", err->field the element and err->msg
 * the reason. On failure in holds nothing to release.  Release with
 * instance_release().
 */
int instance_load(struct instance *in, const char *path, struct err *err);

/* Write in as JSON to path: 0, or ERR_INTERNAL with err->msg. */
int instance_save(const struct instance *in, const char *path, struct err *err);

/* Free everything in owns and zero it. */
void instance_release(struct instance *in);

/*
 * Travel seconds as the engine sees them: the instance's matrix when it has
 * one, else the engine's default (equirectangular projection around the
 * mean latitude of the known locations, straight line times detour at
 * speed_kmh, trips to or from an unknown location free), or none at all
 * (every trip free: assign_travel_none).  Init allocates two doubles per
 * location; release frees them.  in must outlive tr.
 */
struct inst_travel {
    const struct instance *in;
    double *x, *y; /* projected locations, km */
    double sec_per_km;
    int none; /* every trip takes 0 s */
};

void inst_travel_init(struct inst_travel *tr, const struct instance *in,
                      int none);
int32_t inst_travel(const struct inst_travel *tr, int from, int to);
void inst_travel_release(struct inst_travel *tr);

#endif
