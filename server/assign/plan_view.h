/*
 * plan_view.h - the assignment engine's answers in the API's words: a
 * technician's verdict on a job as a sentence and as JSON, a plan's
 * metrics, and the difference between the day as it stands and a
 * proposed plan.
 *
 * Pure: engine structs and a struct day_problem in, jansson values out (the
 * caller owns them).  Instants are RFC 3339 text.
 */
#ifndef FSD_PLAN_VIEW_H
#define FSD_PLAN_VIEW_H

#include "assign/assign.h"
#include "assign/day_problem.h"

#include <jansson.h>
#include <stddef.h>

/* One sentence saying why technician c->tech can or cannot take job j. */
void plan_view_sentence(const struct day_problem *d, int j,
                        const struct assign_candidate *c, char *buf,
                        size_t len);

/* The ranked candidates (assign_explain's order), then the technicians
 * off shift that day: [{"rank", "technician_id", "name", "feasible",
 * "reason", "message", ...}]. */
json_t *plan_view_candidates(const struct day_problem *d, int j,
                             const struct assign_candidate *c, int n);

/* {"jobs", "assigned", "unassignable", "weighted", "weighted_total",
 *  "lateness_minutes", "travel_minutes", "balance",
 *  "utilisation": {"max", "min", "mean", "spread"}} */
json_t *plan_view_metrics(const struct day_problem *d,
                          const struct assign_plan *p);

/* {"moves": [{"job_id", "from", "to", "start"}], "assignments": [{"job_id",
 *  "to", "start"}], "unassigned": [{"job_id", "reason", "message",
 *  "technician_id"}], "unchanged"}: what applying `after` changes. */
json_t *plan_view_diff(const struct day_problem *d,
                       const struct assign_plan *before,
                       const struct assign_plan *after);

#endif
