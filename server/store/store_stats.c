/*
 * store_stats.c - figures the server publishes about what it stores.
 */
#include "store/store_int.h"

static const char sql_jobs_by_status[] =
    "SELECT status, count(*) FROM jobs GROUP BY status ORDER BY status";

int store_jobs_by_status(struct store *s,
                         void (*fn)(const char *status, int64_t count,
                                    void *arg),
                         void *arg, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    sqlite3_stmt *st = c ? store__stmt(c, sql_jobs_by_status, err) : NULL;
    int rc;

    if (!st)
        return err->rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(st, 0),
           sqlite3_column_int64(st, 1), arg);
    store__done(st);
    return rc == SQLITE_DONE ? 0 : store__sqlerr(c, rc, err);
}
