/*
 * job_sets.h - the sets of job states the rest of the server asks about
 * ("may the customer still pick a slot", "does it hold the technician's
 * time"), each defined once, here, from the states of job.h.
 *
 * C asks with job_in_set(); SQL gets each set as a list of quoted names,
 * JOB_SQL_<SET> (e.g. "'en_route', 'on_site'"), in build/gen/job_sets_sql.h,
 * which the build writes from job_sets.c (schema/gen_job_sets.c), so a
 * query reads `status IN (" JOB_SQL_COMMITTED ")`.
 */
#ifndef FSD_JOB_SETS_H
#define FSD_JOB_SETS_H

#include "rules/job.h"

enum job_set {
    JOB_SET_UNBOOKED,        /* the customer has not picked a slot yet */
    JOB_SET_LINKABLE,        /* a booking link may be sent */
    JOB_SET_REBOOKABLE,      /* the customer may (re)pick a slot */
    JOB_SET_BEFORE_ARRIVAL,  /* open, the technician not yet on site: the
                                on-site deadline runs */
    JOB_SET_OFF_LANES,       /* shown on no technician's lane */
    JOB_SET_UNASSIGNED_OPEN, /* open: in the board's queue while no
                                technician has it */
    JOB_SET_PLANNABLE,       /* the assignment engine may (re)place it */
    JOB_SET_COMMITTED,       /* under way: fixed on the technician's day */
    JOB_SET_VISIT_ASSIGNED,  /* a technician's time is given to it */
    JOB_SET_VISIT_UPCOMING,  /* a booked visit still to come or under way */
    JOB_SET_WORK_FINISHED,   /* the work is done: no deadline can be missed */
    JOB_SET_COMPLETED,       /* signed off and after (reports) */
    JOB_SET_ENDED,           /* holds nobody's time any more */
    JOB_SET_FINAL,           /* no event leaves it */
    JOB__SETS
};

/* A set's name in lower case ("before_arrival") and its states, ended by
 * JOB__STATES. */
struct job_set_def {
    const char *name;
    const enum job_state *states;
};

extern const struct job_set_def job_sets[JOB__SETS];

/* 1 when state s is in set. */
int job_state_in(enum job_state s, enum job_set set);
/* 1 when status (a state's name) is in set; 0 for an unknown name. */
int job_in_set(const char *status, enum job_set set);

#endif
