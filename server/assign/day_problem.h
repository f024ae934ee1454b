/*
 * day_problem.h - one day of field work as the assignment engine sees it,
 * built from the rows the store reads (store_assign.c): the technicians on
 * shift that day with their skills and commitments, and the jobs that can
 * be planned on it.
 *
 * No SQL and no HTTP: rows in, a struct assign_problem out.  Shifts are
 * stored per weekday in each technician's local time; they are turned into
 * instants through that technician's IANA time zone (tz.c), so a daylight
 * saving change moves the UTC hours, never the local ones.  Engine times
 * are seconds after `origin`, midnight UTC of the date.
 */
#ifndef FSD_DAY_PROBLEM_H
#define FSD_DAY_PROBLEM_H

#include "assign/assign.h"
#include "common/err.h"

#include <jansson.h>
#include <stdint.h>

struct day_problem_job {
    int64_t id;
    int64_t version;
    char status[24];
    int64_t technician_id;   /* as stored, 0 for none */
    int priority;            /* 1 (most urgent) .. 5 */
};

struct day_problem {
    char date[11];             /* "YYYY-MM-DD" */
    int64_t origin;            /* midnight UTC of date, Unix seconds */
    int64_t not_before;        /* no work placed before (Unix seconds), 0:
                                  no bound */
    struct assign_problem problem;
    struct day_problem_job *jobs;  /* per problem job */
    const char **tech_names;   /* per problem technician (borrowed from rows) */
    const char **tech_zones;   /* per problem technician: its IANA zone */
    json_t *rows;              /* the rows it was built from (a reference) */
    json_t *skill_codes;       /* skill id (as text) -> code */
    json_t *off_shift;         /* active technicians without a shift that
                                  day: [{"id", "name"}] */
    unsigned char fingerprint[32]; /* BLAKE2b-256 of the date and the rows */
    /* storage behind problem */
    struct assign_job *ajobs;
    struct assign_tech *atechs;
    struct assign_loc *locs;
    struct assign_req *reqs;
    struct assign_skill *skills;
    struct assign_busy *busy;
};

/* Priority 1..5 to the engine's weight (8, 4, 2, 1, 1). */
int day_problem_weight(int priority);

/*
 * Build the day from rows (store_day_rows()): 0, or ERR_INVALID
 * "invalid_timezone" when a technician's time zone is unknown.  No work is
 * placed before not_before (Unix seconds; now plus the freeze horizon, 0
 * for no bound): each shift starts no earlier, and a technician whose
 * shift ends by then is off for the rest of the day.  d keeps a reference
 * to rows.  Release with day_problem_release().
 */
int day_problem_build(json_t *rows, const char *date, int64_t not_before,
                      struct day_problem *d, struct err *err);
void day_problem_release(struct day_problem *d);

/* Problem index of a job or technician id, or -1. */
int day_problem_job_index(const struct day_problem *d, int64_t job_id);
int day_problem_tech_index(const struct day_problem *d, int64_t tech_id);

/* The day as it stands: every assigned job with its technician, in the
 * order of its arrival window. */
int day_problem_current(const struct day_problem *d, struct assign_plan *out,
                    struct err *err);

/*
 * Re-plan the day from where it stands (*out, the caller's): when exactly
 * one job is unassigned and it fits somewhere without moving anything, it
 * is inserted at its cheapest place and nothing else changes (a dispatcher
 * who adds one urgent job does not want the day reshuffled for balance);
 * otherwise the engine solves the whole day.  *inserted is 1 in the first
 * case.
 */
int day_problem_replan(const struct day_problem *d, struct assign_plan *out,
                       int *inserted, struct err *err);

#endif
