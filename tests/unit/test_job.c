/*
 * test_job.c - the job state machine.
 *
 * Walks every row of the transition table with every role, every (state,
 * event) pair outside the table, the table's shape (no duplicates, every
 * state reachable, final states final), name round trips against the
 * schema's status list, and the business paths of docs/DOMAIN.md end to end.
 */
#include "rules/job.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>

static const unsigned roles[] = {JR_DISPATCHER, JR_MANAGER, JR_TECHNICIAN,
                                 JR_CUSTOMER, JR_SYSTEM};
#define NROLES (sizeof roles / sizeof roles[0])

START_TEST(every_row_with_every_role)
{
    size_t n;
    const struct job_transition *t = job_transitions(&n);
    char want[256];

    ck_assert_uint_gt(n, 40);
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < NROLES; r++) {
            struct err err = ERR_INIT;
            enum job_state to = JOB__STATES;
            int rc = job_transition(t[i].from, t[i].event, roles[r], &to,
                                    &err);
            if (t[i].roles & roles[r]) {
                ck_assert_int_eq(rc, 0);
                ck_assert_int_eq(to, t[i].to);
                continue;
            }
            ck_assert_int_eq(rc, ERR_FORBIDDEN);
            ck_assert_int_eq(to, JOB__STATES);
            ck_assert_str_eq(err.code, "role_not_allowed");
            snprintf(want, sizeof want,
                     "a %s may not cause %s on a job in state %s",
                     job_role_name(roles[r]), job_event_name(t[i].event),
                     job_state_name(t[i].from));
            ck_assert_str_eq(err.msg, want);
        }
}
END_TEST

START_TEST(everything_else_is_a_conflict)
{
    char want[256];
    int refused = 0;

    for (int s = 0; s < JOB__STATES; s++)
        for (int e = 0; e < JOB__EVENTS; e++) {
            if (job_transition_find((enum job_state)s, (enum job_event)e))
                continue;
            for (size_t r = 0; r < NROLES; r++) {
                struct err err = ERR_INIT;
                enum job_state to = JOB__STATES;
                ck_assert_int_eq(job_transition((enum job_state)s,
                                                (enum job_event)e, roles[r],
                                                &to, &err),
                                 ERR_CONFLICT);
                ck_assert_int_eq(to, JOB__STATES);
                ck_assert_str_eq(err.code, "invalid_transition");
                ck_assert_str_eq(err.field, "event");
                snprintf(want, sizeof want,
                         "a job in state %s cannot take the event %s",
                         job_state_name((enum job_state)s),
                         job_event_name((enum job_event)e));
                ck_assert_str_eq(err.msg, want);
                refused++;
            }
        }
    ck_assert_int_gt(refused, 0);
}
END_TEST

START_TEST(table_shape)
{
    size_t n;
    const struct job_transition *t = job_transitions(&n);
    int reached[JOB__STATES] = {0}, used[JOB__EVENTS] = {0}, grew = 1;

    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(t[i].roles != 0, "row %zu allows nobody", i);
        ck_assert_msg((t[i].roles & ~(unsigned)JR__ALL) == 0, "row %zu", i);
        ck_assert_ptr_eq(job_transition_find(t[i].from, t[i].event), &t[i]);
        ck_assert_msg(!job_state_final(t[i].from), "row %zu leaves %s", i,
                      job_state_name(t[i].from));
        used[t[i].event] = 1;
    }
    for (int e = 0; e < JOB__EVENTS; e++)
        ck_assert_msg(used[e], "event %s is never used",
                      job_event_name((enum job_event)e));
    reached[JOB_NEW] = 1;
    while (grew) { /* every state is reachable from new */
        grew = 0;
        for (size_t i = 0; i < n; i++)
            if (reached[t[i].from] && !reached[t[i].to])
                reached[t[i].to] = grew = 1;
    }
    for (int s = 0; s < JOB__STATES; s++)
        ck_assert_msg(reached[s], "state %s is unreachable",
                      job_state_name((enum job_state)s));
}
END_TEST

START_TEST(names_match_the_schema)
{
    enum job_state s;
    enum job_event e;
    int i;

    for (i = 0; job_state_names[i]; i++) {
        ck_assert_int_eq(job_state_parse(job_state_names[i], &s), 0);
        ck_assert_int_eq(s, i);
        ck_assert_str_eq(job_state_name(s), job_state_names[i]);
    }
    ck_assert_int_eq(i, JOB__STATES);
    for (i = 0; i < JOB__EVENTS; i++) {
        ck_assert_int_eq(job_event_parse(job_event_name((enum job_event)i),
                                         &e), 0);
        ck_assert_int_eq(e, i);
    }
    ck_assert_int_eq(job_state_parse("done", &s), ERR_INVALID);
    ck_assert_int_eq(job_event_parse("", &e), ERR_INVALID);
    ck_assert_str_eq(job_state_name(JOB__STATES), "unknown");
    ck_assert_str_eq(job_role_name(JR_DISPATCHER | JR_MANAGER),
                     "unknown role");
}
END_TEST

struct step {
    enum job_event event;
    unsigned role;
};

/* Apply steps from new; the job must end in want. */
static void walk(const struct step *steps, size_t n, enum job_state want)
{
    enum job_state s = JOB_NEW;

    for (size_t i = 0; i < n; i++) {
        struct err err = ERR_INIT;
        ck_assert_msg(job_transition(s, steps[i].event, steps[i].role, &s,
                                     &err) == 0, "step %zu: %s", i, err.msg);
    }
    ck_assert_str_eq(job_state_name(s), job_state_name(want));
}

#define WALK(want, ...)                                                    \
    do {                                                                   \
        static const struct step steps_[] = {__VA_ARGS__};                 \
        walk(steps_, sizeof steps_ / sizeof steps_[0], want);              \
    } while (0)

#define VISIT {EV_OFFER_SLOTS, JR_DISPATCHER}, {EV_BOOK, JR_CUSTOMER},      \
    {EV_PARTS_RESERVED, JR_SYSTEM}, {EV_ASSIGN, JR_DISPATCHER},             \
    {EV_START_TRAVEL, JR_TECHNICIAN}, {EV_ARRIVE, JR_TECHNICIAN}
#define FINISH {EV_COMPLETE_WORK, JR_TECHNICIAN}, {EV_SIGN_OFF, JR_CUSTOMER}, \
    {EV_REVIEW, JR_MANAGER}, {EV_CLOSE, JR_MANAGER}

START_TEST(business_paths)
{
    WALK(JOB_CLOSED, VISIT, {EV_DECIDE_IN_WARRANTY, JR_TECHNICIAN}, FINISH);
    WALK(JOB_CLOSED, VISIT, {EV_DECIDE_REPLACEMENT, JR_TECHNICIAN}, FINISH);
    WALK(JOB_CLOSED, VISIT, {EV_ISSUE_QUOTE, JR_TECHNICIAN},
         {EV_APPROVE_QUOTE, JR_CUSTOMER}, FINISH);
    WALK(JOB_CLOSED, VISIT, {EV_ISSUE_QUOTE, JR_TECHNICIAN},
         {EV_DECLINE_QUOTE, JR_DISPATCHER},
         {EV_RETURN_UNREPAIRED, JR_TECHNICIAN}, {EV_CLOSE, JR_MANAGER});
    WALK(JOB_RETURNED_UNREPAIRED, VISIT, {EV_ISSUE_QUOTE, JR_TECHNICIAN},
         {EV_EXPIRE_QUOTE, JR_SYSTEM}, {EV_RETURN_UNREPAIRED, JR_SYSTEM});
    /* parts back-ordered, then arriving */
    WALK(JOB_ASSIGNED, {EV_BOOK, JR_DISPATCHER},
         {EV_PARTS_MISSING, JR_SYSTEM}, {EV_PARTS_RESERVED, JR_SYSTEM},
         {EV_ASSIGN, JR_SYSTEM});
    /* a follow-up visit keeps the job */
    WALK(JOB_ON_SITE, VISIT, {EV_NEED_FOLLOW_UP, JR_TECHNICIAN},
         {EV_BOOK, JR_DISPATCHER}, {EV_PARTS_RESERVED, JR_SYSTEM},
         {EV_ASSIGN, JR_DISPATCHER}, {EV_ARRIVE, JR_TECHNICIAN});
    /* rejected sign-off goes back for rework */
    WALK(JOB_SIGNED_OFF, VISIT, {EV_DECIDE_IN_WARRANTY, JR_TECHNICIAN},
         {EV_COMPLETE_WORK, JR_TECHNICIAN},
         {EV_REJECT_SIGN_OFF, JR_CUSTOMER}, {EV_ASSIGN, JR_DISPATCHER},
         {EV_ARRIVE, JR_TECHNICIAN}, {EV_DECIDE_IN_WARRANTY, JR_TECHNICIAN},
         {EV_COMPLETE_WORK, JR_TECHNICIAN}, {EV_SIGN_OFF, JR_TECHNICIAN});
    WALK(JOB_CANCELLED, {EV_BOOK, JR_DISPATCHER},
         {EV_PARTS_RESERVED, JR_SYSTEM}, {EV_CANCEL, JR_CUSTOMER});
    WALK(JOB_SLOTS_OFFERED, {EV_BOOK, JR_DISPATCHER},
         {EV_RESCHEDULE, JR_CUSTOMER});
}
END_TEST

START_TEST(final_states_take_no_event)
{
    for (int e = 0; e < JOB__EVENTS; e++) {
        ck_assert_ptr_null(job_transition_find(JOB_CLOSED, (enum job_event)e));
        ck_assert_ptr_null(
            job_transition_find(JOB_CANCELLED, (enum job_event)e));
    }
    ck_assert(job_state_final(JOB_CLOSED));
    ck_assert(job_state_final(JOB_CANCELLED));
    ck_assert(!job_state_final(JOB_RETURNED_UNREPAIRED));
}
END_TEST

START_TEST(parts_follow_the_lifecycle)
{
    ck_assert_int_eq(job_parts_effect(EV_PARTS_RESERVED, JOB_PARTS_RESERVED),
                     PARTS_RESERVE);
    ck_assert_int_eq(job_parts_effect(EV_CANCEL, JOB_CANCELLED),
                     PARTS_RELEASE);
    ck_assert_int_eq(job_parts_effect(EV_RETURN_UNREPAIRED,
                                      JOB_RETURNED_UNREPAIRED),
                     PARTS_RELEASE);
    ck_assert_int_eq(job_parts_effect(EV_CLOSE, JOB_CLOSED), PARTS_RELEASE);
    ck_assert_int_eq(job_parts_effect(EV_ASSIGN, JOB_ASSIGNED), PARTS_KEEP);
    ck_assert_int_eq(job_parts_effect(EV_PARTS_MISSING, JOB_AWAITING_PARTS),
                     PARTS_KEEP);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("job");
    TCase *tc = tcase_create("transitions");

    tcase_add_test(tc, every_row_with_every_role);
    tcase_add_test(tc, everything_else_is_a_conflict);
    tcase_add_test(tc, table_shape);
    tcase_add_test(tc, names_match_the_schema);
    tcase_add_test(tc, business_paths);
    tcase_add_test(tc, final_states_take_no_event);
    tcase_add_test(tc, parts_follow_the_lifecycle);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
