/*
 * vroom.h - the bridge to VROOM (vroom-project.org): an instance written as
 * VROOM's JSON input, and a VROOM JSON solution read back as routes that
 * assign_plan_from_routes() can score with the engine's own metrics.
 *
 * The mapping (FORMAT.md has it in full): vehicles and jobs keep the
 * instance's ids; travel is our own matrix ("matrices": {"car":
 * {"durations"}}); skill s at level L is held as ids s*10+1 .. s*10+L and
 * required as s*10+m; a pinned job requires a skill only its technician
 * holds; weights map to VROOM priorities as round(100 w / max weight);
 * busy blocks are breaks with a fixed start; capacity is in minutes of
 * free capacity (capacity minus busy), each job delivering its minutes.
 */
#ifndef FSD_BENCH_VROOM_H
#define FSD_BENCH_VROOM_H

#include "common/err.h"
#include "instance.h"

#define VROOM_MAX_LOCS 4000 /* the matrix is written in full: n^2 numbers */

/* Write in as VROOM input to path.  0, or ERR_INVALID (too many locations,
 * a negative id), or ERR_INTERNAL when the file cannot be written. */
int vroom_export(const struct instance *in, const char *path, struct err *err);

/* A VROOM solution as routes over the instance's indices. */
struct vroom_routes {
    int *off;       /* ntechs + 1 offsets into jobs */
    int *jobs;      /* job indices, each route in visit order */
    int unassigned; /* as VROOM reports it ("unassigned" array) */
};

/* Read the solution at path for in.  0, or ERR_INVALID with err->field
 * naming the offending element (an unknown vehicle or job id, a vehicle
 * twice, "code" not 0).  Release out with vroom_routes_release(). */
int vroom_read_solution(const struct instance *in, const char *path,
                        struct vroom_routes *out, struct err *err);

void vroom_routes_release(struct vroom_routes *r);

#endif
