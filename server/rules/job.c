/*
 * job.c - the job lifecycle as one transition table.
 *
 * Each row says where an event takes a job and who may cause it.  The happy
 * path follows the five stages of docs/DOMAIN.md ("Job stages"); the side
 * paths are rescheduling, parts shortages, follow-up visits, quote
 * outcomes, rejected sign-off and cancellation.  Nothing here touches storage or the network.
 */
#include "rules/job.h"
#include "rules/job_sets.h"

#include <string.h>

#define D JR_DISPATCHER
#define M JR_MANAGER
#define T JR_TECHNICIAN
#define C JR_CUSTOMER
#define S JR_SYSTEM
#define DESK (D | M)

static const struct job_transition table[] = {
    /* 1. appointment */
    {JOB_NEW, EV_OFFER_SLOTS, JOB_SLOTS_OFFERED, DESK | S},
    {JOB_NEW, EV_BOOK, JOB_BOOKED, DESK},
    {JOB_SLOTS_OFFERED, EV_BOOK, JOB_BOOKED, DESK | C},
    {JOB_FOLLOW_UP_NEEDED, EV_OFFER_SLOTS, JOB_SLOTS_OFFERED, DESK | S},
    {JOB_FOLLOW_UP_NEEDED, EV_BOOK, JOB_BOOKED, DESK},
    {JOB_BOOKED, EV_RESCHEDULE, JOB_SLOTS_OFFERED, DESK | C},
    {JOB_AWAITING_PARTS, EV_RESCHEDULE, JOB_SLOTS_OFFERED, DESK | C},
    {JOB_PARTS_RESERVED, EV_RESCHEDULE, JOB_SLOTS_OFFERED, DESK | C},
    {JOB_ASSIGNED, EV_RESCHEDULE, JOB_SLOTS_OFFERED, DESK | C},
    /* 2. parts check */
    /* before booking, a back order only records when the parts come, so
     * that slots are offered from then on */
    {JOB_NEW, EV_PARTS_MISSING, JOB_NEW, DESK},
    {JOB_SLOTS_OFFERED, EV_PARTS_MISSING, JOB_SLOTS_OFFERED, DESK},
    {JOB_FOLLOW_UP_NEEDED, EV_PARTS_MISSING, JOB_FOLLOW_UP_NEEDED, DESK},
    {JOB_BOOKED, EV_PARTS_MISSING, JOB_AWAITING_PARTS, DESK | S},
    {JOB_BOOKED, EV_PARTS_RESERVED, JOB_PARTS_RESERVED, DESK | S},
    {JOB_AWAITING_PARTS, EV_PARTS_RESERVED, JOB_PARTS_RESERVED, DESK | S},
    {JOB_PARTS_RESERVED, EV_PARTS_MISSING, JOB_AWAITING_PARTS, DESK | S},
    /* 3. visit */
    {JOB_PARTS_RESERVED, EV_ASSIGN, JOB_ASSIGNED, DESK | S},
    {JOB_REWORK, EV_ASSIGN, JOB_ASSIGNED, DESK | S},
    {JOB_ASSIGNED, EV_REASSIGN, JOB_ASSIGNED, DESK | S},
    {JOB_ASSIGNED, EV_START_TRAVEL, JOB_EN_ROUTE, T},
    {JOB_ASSIGNED, EV_ARRIVE, JOB_ON_SITE, T},
    {JOB_EN_ROUTE, EV_ARRIVE, JOB_ON_SITE, T},
    {JOB_EN_ROUTE, EV_NEED_FOLLOW_UP, JOB_FOLLOW_UP_NEEDED, T | DESK},
    {JOB_ON_SITE, EV_NEED_FOLLOW_UP, JOB_FOLLOW_UP_NEEDED, T},
    /* 4. warranty decision */
    {JOB_ON_SITE, EV_DECIDE_IN_WARRANTY, JOB_IN_WARRANTY, T},
    {JOB_ON_SITE, EV_DECIDE_REPLACEMENT, JOB_REPLACEMENT, T},
    {JOB_ON_SITE, EV_ISSUE_QUOTE, JOB_QUOTED, T},
    /* no second quote: only a supervisor revises one, with a reason */
    {JOB_QUOTED, EV_ISSUE_QUOTE, JOB_QUOTED, M},
    {JOB_QUOTE_DECLINED, EV_ISSUE_QUOTE, JOB_QUOTED, M},
    {JOB_QUOTED, EV_APPROVE_QUOTE, JOB_QUOTE_APPROVED, C | DESK},
    {JOB_QUOTED, EV_DECLINE_QUOTE, JOB_QUOTE_DECLINED, C | DESK},
    {JOB_QUOTED, EV_EXPIRE_QUOTE, JOB_QUOTE_EXPIRED, S},
    {JOB_QUOTE_DECLINED, EV_RETURN_UNREPAIRED, JOB_RETURNED_UNREPAIRED,
     T | DESK | S},
    {JOB_QUOTE_EXPIRED, EV_RETURN_UNREPAIRED, JOB_RETURNED_UNREPAIRED,
     DESK | S},
    {JOB_IN_WARRANTY, EV_COMPLETE_WORK, JOB_WORK_DONE, T},
    /* a return visit whose warranty was decided on an earlier one */
    {JOB_ON_SITE, EV_COMPLETE_WORK, JOB_WORK_DONE, T},
    {JOB_REPLACEMENT, EV_COMPLETE_WORK, JOB_WORK_DONE, T},
    {JOB_QUOTE_APPROVED, EV_COMPLETE_WORK, JOB_WORK_DONE, T},
    {JOB_IN_WARRANTY, EV_NEED_FOLLOW_UP, JOB_FOLLOW_UP_NEEDED, T},
    {JOB_REPLACEMENT, EV_NEED_FOLLOW_UP, JOB_FOLLOW_UP_NEEDED, T},
    {JOB_QUOTE_APPROVED, EV_NEED_FOLLOW_UP, JOB_FOLLOW_UP_NEEDED, T},
    /* 5. sign-off and review */
    {JOB_WORK_DONE, EV_SIGN_OFF, JOB_SIGNED_OFF, T | C},
    {JOB_WORK_DONE, EV_REJECT_SIGN_OFF, JOB_REWORK, T | C},
    {JOB_SIGNED_OFF, EV_REVIEW, JOB_REVIEWED, M},
    {JOB_REVIEWED, EV_CLOSE, JOB_CLOSED, M | S},
    {JOB_RETURNED_UNREPAIRED, EV_CLOSE, JOB_CLOSED, M | S},
    /* cancellation: before anyone is on site */
    {JOB_NEW, EV_CANCEL, JOB_CANCELLED, DESK},
    {JOB_SLOTS_OFFERED, EV_CANCEL, JOB_CANCELLED, DESK | C},
    {JOB_BOOKED, EV_CANCEL, JOB_CANCELLED, DESK | C},
    {JOB_AWAITING_PARTS, EV_CANCEL, JOB_CANCELLED, DESK | C},
    {JOB_PARTS_RESERVED, EV_CANCEL, JOB_CANCELLED, DESK | C},
    {JOB_ASSIGNED, EV_CANCEL, JOB_CANCELLED, DESK | C},
    {JOB_FOLLOW_UP_NEEDED, EV_CANCEL, JOB_CANCELLED, DESK | C},
};
#define NTABLE (sizeof table / sizeof table[0])

const char *const job_state_names[JOB__STATES + 1] = {
    "new", "slots_offered", "booked", "awaiting_parts", "parts_reserved",
    "assigned", "en_route", "on_site", "in_warranty", "replacement",
    "quoted", "quote_approved", "quote_declined", "quote_expired",
    "work_done", "signed_off", "rework", "reviewed", "closed", "cancelled",
    "returned_unrepaired", "follow_up_needed", NULL};
const char *const job_event_names[JOB__EVENTS + 1] = {
    "offer_slots", "book", "parts_missing", "parts_reserved", "assign",
    "reassign", "start_travel", "arrive", "decide_in_warranty",
    "decide_replacement", "issue_quote", "approve_quote", "decline_quote",
    "expire_quote", "complete_work", "need_follow_up", "sign_off",
    "reject_sign_off", "review", "close", "return_unrepaired", "reschedule",
    "cancel", NULL};

const struct job_transition *job_transitions(size_t *n)
{
    *n = NTABLE;
    return table;
}

const struct job_transition *job_transition_find(enum job_state from,
                                                 enum job_event event)
{
    for (size_t i = 0; i < NTABLE; i++)
        if (table[i].from == from && table[i].event == event)
            return &table[i];
    return NULL;
}

int job_transition(enum job_state from, enum job_event event, unsigned role,
                   enum job_state *to, struct err *err)
{
    const struct job_transition *t = job_transition_find(from, event);

    if (!t)
        return err_set(err, ERR_CONFLICT, "invalid_transition", "event",
                       "a job in state %s cannot take the event %s",
                       job_state_name(from), job_event_name(event));
    if (!(t->roles & role))
        return err_set(err, ERR_FORBIDDEN, "role_not_allowed", "event",
                       "a %s may not cause %s on a job in state %s",
                       job_role_name(role), job_event_name(event),
                       job_state_name(from));
    *to = t->to;
    return 0;
}

const char *job_state_name(enum job_state s)
{
    return (unsigned)s < JOB__STATES ? job_state_names[s] : "unknown";
}

const char *job_event_name(enum job_event e)
{
    return (unsigned)e < JOB__EVENTS ? job_event_names[e] : "unknown";
}

const char *job_role_name(unsigned role)
{
    switch (role) {
    case JR_DISPATCHER: return "dispatcher";
    case JR_MANAGER: return "manager";
    case JR_TECHNICIAN: return "technician";
    case JR_CUSTOMER: return "customer";
    case JR_SYSTEM: return "system";
    default: return "unknown role";
    }
}

/* Index of name in names[0..n), or -1. */
static int lookup(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int job_state_parse(const char *name, enum job_state *out)
{
    int i = lookup(job_state_names, JOB__STATES, name);

    if (i < 0)
        return ERR_INVALID;
    *out = (enum job_state)i;
    return 0;
}

int job_event_parse(const char *name, enum job_event *out)
{
    int i = lookup(job_event_names, JOB__EVENTS, name);

    if (i < 0)
        return ERR_INVALID;
    *out = (enum job_event)i;
    return 0;
}

int job_state_final(enum job_state s)
{
    return job_state_in(s, JOB_SET_FINAL);
}

int job_event_needs_reason(enum job_event e)
{
    /* handovers, cancellations and rejected work are explained in the
     * audit trail */
    return e == EV_REASSIGN || e == EV_CANCEL || e == EV_REJECT_SIGN_OFF;
}

enum job_parts_effect job_parts_effect(enum job_event e, enum job_state to)
{
    if (e == EV_PARTS_RESERVED)
        return PARTS_RESERVE;
    if (to == JOB_CANCELLED || to == JOB_RETURNED_UNREPAIRED ||
        to == JOB_CLOSED)
        return PARTS_RELEASE;
    return PARTS_KEEP;
}
