/*
 * test_job_sets.c - the sets of job states: each a list of distinct known
 * states; the SQL lists the build writes are the same sets, in the same
 * order; C asks by name; and the sets keep the relations the lifecycle
 * gives them (a visit under way is one assigned, a final state has ended,
 * a state is either before arrival or finished, never both).
 */
#include "job_sets_sql.h"
#include "rules/job_sets.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static int subset(enum job_set a, enum job_set b)
{
    for (int s = 0; s < JOB__STATES; s++)
        if (job_state_in(s, a) && !job_state_in(s, b))
            return 0;
    return 1;
}

static int disjoint(enum job_set a, enum job_set b)
{
    for (int s = 0; s < JOB__STATES; s++)
        if (job_state_in(s, a) && job_state_in(s, b))
            return 0;
    return 1;
}

START_TEST(each_set_lists_distinct_known_states)
{
    for (int set = 0; set < JOB__SETS; set++) {
        int seen[JOB__STATES] = {0}, n = 0;

        ck_assert_ptr_nonnull(job_sets[set].name);
        for (int other = 0; other < set; other++)
            ck_assert_str_ne(job_sets[set].name, job_sets[other].name);
        for (const enum job_state *s = job_sets[set].states;
             *s != JOB__STATES; s++, n++) {
            ck_assert_int_lt(*s, JOB__STATES);
            ck_assert_msg(!seen[*s], "%s lists %s twice", job_sets[set].name,
                          job_state_name(*s));
            seen[*s] = 1;
        }
        ck_assert_msg(n > 0, "%s is empty", job_sets[set].name);
    }
}
END_TEST

static const struct {
    enum job_set set;
    const char *sql;
} generated[] = {
    {JOB_SET_UNBOOKED, JOB_SQL_UNBOOKED},
    {JOB_SET_LINKABLE, JOB_SQL_LINKABLE},
    {JOB_SET_REBOOKABLE, JOB_SQL_REBOOKABLE},
    {JOB_SET_BEFORE_ARRIVAL, JOB_SQL_BEFORE_ARRIVAL},
    {JOB_SET_OFF_LANES, JOB_SQL_OFF_LANES},
    {JOB_SET_UNASSIGNED_OPEN, JOB_SQL_UNASSIGNED_OPEN},
    {JOB_SET_PLANNABLE, JOB_SQL_PLANNABLE},
    {JOB_SET_COMMITTED, JOB_SQL_COMMITTED},
    {JOB_SET_VISIT_ASSIGNED, JOB_SQL_VISIT_ASSIGNED},
    {JOB_SET_VISIT_UPCOMING, JOB_SQL_VISIT_UPCOMING},
    {JOB_SET_WORK_FINISHED, JOB_SQL_WORK_FINISHED},
    {JOB_SET_COMPLETED, JOB_SQL_COMPLETED},
    {JOB_SET_ENDED, JOB_SQL_ENDED},
    {JOB_SET_FINAL, JOB_SQL_FINAL},
};

START_TEST(the_sql_lists_are_the_sets)
{
    ck_assert_int_eq(sizeof generated / sizeof generated[0], JOB__SETS);
    for (size_t i = 0; i < JOB__SETS; i++) {
        char want[512] = "";

        for (const enum job_state *s = job_sets[generated[i].set].states;
             *s != JOB__STATES; s++)
            snprintf(want + strlen(want), sizeof want - strlen(want),
                     "%s'%s'", want[0] ? ", " : "", job_state_name(*s));
        ck_assert_str_eq(generated[i].sql, want);
    }
    ck_assert_str_eq(JOB_SQL_COMMITTED, "'en_route', 'on_site'");
}
END_TEST

START_TEST(c_asks_by_name)
{
    ck_assert(job_in_set("en_route", JOB_SET_COMMITTED));
    ck_assert(!job_in_set("assigned", JOB_SET_COMMITTED));
    ck_assert(job_in_set("assigned", JOB_SET_PLANNABLE));
    /* a name that only contains a member is not one */
    ck_assert(!job_in_set("route", JOB_SET_COMMITTED));
    ck_assert(!job_in_set("en_route ", JOB_SET_COMMITTED));
    ck_assert(!job_in_set("", JOB_SET_COMMITTED));
    ck_assert(!job_in_set(NULL, JOB_SET_COMMITTED));
    ck_assert(job_state_final(JOB_CANCELLED));
    ck_assert(!job_state_final(JOB_RETURNED_UNREPAIRED));
}
END_TEST

START_TEST(the_sets_keep_the_lifecycle_relations)
{
    ck_assert(subset(JOB_SET_COMMITTED, JOB_SET_VISIT_ASSIGNED));
    ck_assert(subset(JOB_SET_VISIT_ASSIGNED, JOB_SET_VISIT_UPCOMING));
    ck_assert(subset(JOB_SET_PLANNABLE, JOB_SET_UNASSIGNED_OPEN));
    ck_assert(subset(JOB_SET_UNBOOKED, JOB_SET_BEFORE_ARRIVAL));
    ck_assert(subset(JOB_SET_UNBOOKED, JOB_SET_OFF_LANES));
    ck_assert(subset(JOB_SET_FINAL, JOB_SET_ENDED));
    ck_assert(subset(JOB_SET_COMPLETED, JOB_SET_WORK_FINISHED));
    ck_assert(disjoint(JOB_SET_BEFORE_ARRIVAL, JOB_SET_WORK_FINISHED));
    ck_assert(disjoint(JOB_SET_OFF_LANES, JOB_SET_VISIT_ASSIGNED));
    ck_assert(disjoint(JOB_SET_ENDED, JOB_SET_REBOOKABLE));
    ck_assert(disjoint(JOB_SET_ENDED, JOB_SET_UNASSIGNED_OPEN));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("job_sets");
    TCase *tc = tcase_create("sets");

    tcase_add_test(tc, each_set_lists_distinct_known_states);
    tcase_add_test(tc, the_sql_lists_are_the_sets);
    tcase_add_test(tc, c_asks_by_name);
    tcase_add_test(tc, the_sets_keep_the_lifecycle_relations);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
