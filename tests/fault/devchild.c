/*
 * devchild.c - the device child of the fault run, `fault --device-child
 * STORE MODE K`: one fsd_sync of an enrolled store (what `fsd-tech sync`
 * does), which may die in the middle of applying a bundle.
 *
 * sqlite3_auto_extension puts hooks on every connection this process
 * opens, which here is only the SDK's own store connection:
 *   row     SIGKILL this process when the K-th job row of this run is
 *           written (inside a bundle's local transaction, before commit);
 *   commit  SIGKILL it when the K-th transaction that wrote job rows is
 *           about to commit;
 *   timed   no hook: the parent kills it at a random moment.
 * Exit status: 0 synced to the end, 3 the sync failed, 2 bad usage.
 */
#include "fault.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MODE_TIMED, MODE_ROW, MODE_COMMIT };

static int mode;
static long target, rows, commits;
static int in_apply; /* the open transaction wrote job rows */

static void on_update(void *arg, int op, const char *dbname,
                      const char *table, sqlite3_int64 rowid)
{
    (void)arg, (void)op, (void)dbname, (void)rowid;
    if (strcmp(table, "jobs"))
        return;
    in_apply = 1;
    if (mode == MODE_ROW && ++rows == target)
        raise(SIGKILL);
}

static int on_commit(void *arg)
{
    (void)arg;
    if (in_apply && mode == MODE_COMMIT && ++commits == target)
        raise(SIGKILL);
    in_apply = 0;
    return 0; /* let it commit */
}

static void on_rollback(void *arg)
{
    (void)arg;
    in_apply = 0;
}

static int hooks(sqlite3 *db, char **err, const void *api)
{
    (void)err, (void)api;
    sqlite3_update_hook(db, on_update, NULL);
    sqlite3_commit_hook(db, on_commit, NULL);
    sqlite3_rollback_hook(db, on_rollback, NULL);
    return SQLITE_OK;
}

int fault_device_child(int argc, char **argv)
{
    char err[256];
    fsd_client *c;
    int rc;

    if (argc != 3)
        return 2;
    mode = !strcmp(argv[1], "row")      ? MODE_ROW
           : !strcmp(argv[1], "commit") ? MODE_COMMIT
                                        : MODE_TIMED;
    target = atol(argv[2]);
    sqlite3_auto_extension((void (*)(void))hooks);
    if (fsd_open(argv[0], &c, err, sizeof err) != FSD_OK) {
        fprintf(stderr, "device child: %s\n", err);
        return 3;
    }
    fsd_set_retry(c, 3, 50);
    rc = fsd_sync(c, NULL);
    if (rc != FSD_OK)
        fprintf(stderr, "device child: sync: %d %s\n", rc,
                fsd_last_error(c));
    fsd_close(c);
    return rc == FSD_OK ? 0 : 3;
}
