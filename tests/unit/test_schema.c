/*
 * test_schema.c - the schema's own rules agree with the code's.
 *
 * The jobs.status CHECK constraint must accept exactly the states of the
 * state machine (job.c), so a transition can never be refused by the
 * database or a stray status slip in behind the code's back.
 */
#include "rules/job.h"
#include "testutil.h"

#include <sqlite3.h>
#include <stdlib.h>

static const char sql_set_status[] = "UPDATE jobs SET status = ?1 WHERE id = ?2";

/* Try to store status on job id through a connection of our own. */
static int set_status(sqlite3 *db, int64_t id, const char *status)
{
    sqlite3_stmt *st;
    int rc;

    ck_assert_int_eq(sqlite3_prepare_v2(db, sql_set_status, -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc;
}

START_TEST(status_check_matches_the_state_machine)
{
    int64_t cust = tu_create(tu_st, &res_customer, "{\"name\":\"a\"}");
    json_t *job = json_pack("{s:I, s:s}", "customer_id", (json_int_t)cust,
                            "kind", "repair");
    char *text = json_dumps(job, JSON_COMPACT);
    int64_t id = tu_create(tu_st, &res_job, text);
    sqlite3 *db;

    free(text);
    json_decref(job);
    ck_assert_int_eq(sqlite3_open(tu_db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    for (int s = 0; s < JOB__STATES; s++)
        ck_assert_msg(set_status(db, id, job_state_names[s]) == SQLITE_DONE,
                      "the schema refuses status %s", job_state_names[s]);
    ck_assert_int_eq(set_status(db, id, "done"), SQLITE_CONSTRAINT);
    ck_assert_int_eq(set_status(db, id, ""), SQLITE_CONSTRAINT);
    sqlite3_close(db);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("schema");

    tcase_add_checked_fixture(tc, tu_store_setup, tu_store_teardown);
    tcase_add_test(tc, status_check_matches_the_state_machine);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
