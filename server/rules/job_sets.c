/*
 * job_sets.c - the sets of job states (job_sets.h): one list each.
 */
#include "rules/job_sets.h"

#define STATES(...) ((const enum job_state[]){__VA_ARGS__, JOB__STATES})

const struct job_set_def job_sets[JOB__SETS] = {
    [JOB_SET_UNBOOKED] = {"unbooked", STATES(JOB_NEW, JOB_SLOTS_OFFERED)},
    [JOB_SET_LINKABLE] = {"linkable", STATES(JOB_NEW, JOB_FOLLOW_UP_NEEDED)},
    [JOB_SET_REBOOKABLE] = {"rebookable",
                            STATES(JOB_SLOTS_OFFERED, JOB_BOOKED,
                                   JOB_AWAITING_PARTS, JOB_PARTS_RESERVED,
                                   JOB_ASSIGNED)},
    [JOB_SET_BEFORE_ARRIVAL] = {"before_arrival",
                                STATES(JOB_NEW, JOB_SLOTS_OFFERED, JOB_BOOKED,
                                       JOB_AWAITING_PARTS, JOB_PARTS_RESERVED,
                                       JOB_ASSIGNED, JOB_EN_ROUTE,
                                       JOB_FOLLOW_UP_NEEDED, JOB_REWORK)},
    [JOB_SET_OFF_LANES] = {"off_lanes", STATES(JOB_CANCELLED, JOB_NEW,
                                               JOB_SLOTS_OFFERED)},
    [JOB_SET_UNASSIGNED_OPEN] = {"unassigned_open",
                                 STATES(JOB_NEW, JOB_SLOTS_OFFERED,
                                        JOB_BOOKED, JOB_AWAITING_PARTS,
                                        JOB_PARTS_RESERVED, JOB_REWORK,
                                        JOB_ASSIGNED)},
    [JOB_SET_PLANNABLE] = {"plannable", STATES(JOB_PARTS_RESERVED, JOB_REWORK,
                                               JOB_ASSIGNED)},
    [JOB_SET_COMMITTED] = {"committed", STATES(JOB_EN_ROUTE, JOB_ON_SITE)},
    [JOB_SET_VISIT_ASSIGNED] = {"visit_assigned",
                                STATES(JOB_ASSIGNED, JOB_EN_ROUTE,
                                       JOB_ON_SITE)},
    [JOB_SET_VISIT_UPCOMING] = {"visit_upcoming",
                                STATES(JOB_BOOKED, JOB_AWAITING_PARTS,
                                       JOB_PARTS_RESERVED, JOB_ASSIGNED,
                                       JOB_EN_ROUTE, JOB_ON_SITE)},
    [JOB_SET_WORK_FINISHED] = {"work_finished",
                               STATES(JOB_WORK_DONE, JOB_SIGNED_OFF,
                                      JOB_REVIEWED, JOB_CLOSED,
                                      JOB_RETURNED_UNREPAIRED)},
    [JOB_SET_COMPLETED] = {"completed", STATES(JOB_SIGNED_OFF, JOB_REVIEWED,
                                               JOB_CLOSED)},
    [JOB_SET_ENDED] = {"ended", STATES(JOB_CANCELLED, JOB_CLOSED,
                                       JOB_RETURNED_UNREPAIRED)},
    [JOB_SET_FINAL] = {"final", STATES(JOB_CLOSED, JOB_CANCELLED)},
};

int job_state_in(enum job_state s, enum job_set set)
{
    for (const enum job_state *p = job_sets[set].states; *p != JOB__STATES;
         p++)
        if (*p == s)
            return 1;
    return 0;
}

int job_in_set(const char *status, enum job_set set)
{
    enum job_state s;

    return status && job_state_parse(status, &s) == 0 && job_state_in(s, set);
}
