/*
 * job.h - the job state machine: states, events, who may cause them.
 *
 * Pure: no SQL, no HTTP, no allocation.  The transition table in job.c is
 * the single statement of the lifecycle appointment -> parts check -> visit
 * -> warranty decision -> sign-off; storage applies a transition together
 * with the version bump, change-log entry and audit event.
 *
 * A (state, event) pair missing from the table is ERR_CONFLICT (code
 * "invalid_transition"); a pair in the table caused by a role it does not
 * allow is ERR_FORBIDDEN (code "role_not_allowed").  Both messages name the
 * current state and the event.
 */
#ifndef FSD_JOB_H
#define FSD_JOB_H

#include "common/err.h"

#include <stddef.h>

enum job_state {
    JOB_NEW,
    JOB_SLOTS_OFFERED,
    JOB_BOOKED,
    JOB_AWAITING_PARTS,
    JOB_PARTS_RESERVED,
    JOB_ASSIGNED,
    JOB_EN_ROUTE,
    JOB_ON_SITE,
    JOB_IN_WARRANTY,
    JOB_REPLACEMENT,
    JOB_QUOTED,
    JOB_QUOTE_APPROVED,
    JOB_QUOTE_DECLINED,
    JOB_QUOTE_EXPIRED,
    JOB_WORK_DONE,
    JOB_SIGNED_OFF,
    JOB_REWORK,
    JOB_REVIEWED,
    JOB_CLOSED,
    JOB_CANCELLED,
    JOB_RETURNED_UNREPAIRED,
    JOB_FOLLOW_UP_NEEDED,
    JOB__STATES
};

enum job_event {
    EV_OFFER_SLOTS,      /* a booking link with slots went out */
    EV_BOOK,             /* an appointment window is confirmed */
    EV_PARTS_MISSING,    /* a needed part is out of stock */
    EV_PARTS_RESERVED,   /* every needed part is reserved */
    EV_ASSIGN,           /* a technician takes the visit */
    EV_REASSIGN,         /* another technician takes it */
    EV_START_TRAVEL,     /* the technician sets off */
    EV_ARRIVE,           /* the technician is on site */
    EV_DECIDE_IN_WARRANTY,
    EV_DECIDE_REPLACEMENT,
    EV_ISSUE_QUOTE,      /* out of warranty: the one quote */
    EV_APPROVE_QUOTE,
    EV_DECLINE_QUOTE,
    EV_EXPIRE_QUOTE,     /* unanswered for 24 hours */
    EV_COMPLETE_WORK,
    EV_NEED_FOLLOW_UP,   /* not home, part missing, partly done */
    EV_SIGN_OFF,         /* the customer signs and rates */
    EV_REJECT_SIGN_OFF,  /* the customer rejects the work */
    EV_REVIEW,           /* QC review by a manager */
    EV_CLOSE,
    EV_RETURN_UNREPAIRED,
    EV_RESCHEDULE,       /* the appointment is offered again */
    EV_CANCEL,
    JOB__EVENTS
};

enum job_role {
    JR_DISPATCHER = 1 << 0,
    JR_MANAGER = 1 << 1,
    JR_TECHNICIAN = 1 << 2,
    JR_CUSTOMER = 1 << 3,
    JR_SYSTEM = 1 << 4,
};
#define JR__ALL (JR_DISPATCHER | JR_MANAGER | JR_TECHNICIAN | JR_CUSTOMER | \
                 JR_SYSTEM)

struct job_transition {
    enum job_state from;
    enum job_event event;
    enum job_state to;
    unsigned roles; /* job_role bits allowed to cause it */
};

/*
 * Where event takes a job in state from when caused by role (one
 * job_role bit).  0 and *to set, or ERR_CONFLICT / ERR_FORBIDDEN.
 */
int job_transition(enum job_state from, enum job_event event, unsigned role,
                   enum job_state *to, struct err *err);

/* The table's row for (from, event), or NULL. */
const struct job_transition *job_transition_find(enum job_state from,
                                                 enum job_event event);
/* The whole table: *n gets its length. */
const struct job_transition *job_transitions(size_t *n);

/* Every state's name in enum order, NULL-terminated (the schema's list). */
extern const char *const job_state_names[JOB__STATES + 1];

extern const char *const job_event_names[JOB__EVENTS + 1];

/* Names as stored and sent ("slots_offered", "offer_slots", "technician"). */
const char *job_state_name(enum job_state s);
const char *job_event_name(enum job_event e);
const char *job_role_name(unsigned role);
/* Parse a name; 0 or ERR_INVALID. */
int job_state_parse(const char *name, enum job_state *out);
int job_event_parse(const char *name, enum job_event *out);
/* 1 when the event must carry a reason (reassign, cancel, a rejected
 * sign-off). */
int job_event_needs_reason(enum job_event e);
enum job_parts_effect { PARTS_KEEP, PARTS_RESERVE, PARTS_RELEASE };
/* What a transition does to the job's parts: reserve them when the parts
 * check passes; give back what is still reserved and unused when the job
 * ends (cancelled, returned unrepaired, closed). */
enum job_parts_effect job_parts_effect(enum job_event e, enum job_state to);
/* 1 for closed, cancelled: no event leaves them. */
int job_state_final(enum job_state s);

#endif
