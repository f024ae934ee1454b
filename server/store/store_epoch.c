/*
 * store_epoch.c - the database's epoch: the identity devices check their
 * cursor and bundle chain against (proto/PROTOCOL.md section 12).
 *
 * A backup's copy is marked as one.  The first time a server opens a
 * marked copy (fsd-server restore, or a file put back by hand) it starts
 * a new epoch, so every device notices that the database went back in
 * time: it resyncs, and sends again what it remembers and the restored
 * database may have lost.  fsd-server restore copies a backup over the
 * database and always starts a new epoch, whatever the copy says.
 */
#include "common/log.h"
#include "store/store_int.h"

#include <string.h>

static const char sql_restored[] =
    "UPDATE server_epoch SET epoch = randomblob(16), started_at = :now,"
    " is_backup = 0 WHERE is_backup = 1";
static const char sql_mark_backup[] = "UPDATE server_epoch SET is_backup = 1";
static const char sql_epoch[] = "SELECT epoch FROM server_epoch";
static const char sql_quick_check[] = "PRAGMA quick_check";
static const char sql_has_epoch[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
    " AND name = 'server_epoch'";
static const char sql_is_fsd[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
    " AND name = 'schema_migrations'";

int store__epoch_begin_if_restored(struct store_conn *c, struct err *err)
{
    json_t *vals = json_pack("{s:I}", "now", (json_int_t)store__now());
    int rc = store__run(c, sql_restored, vals, err);

    if (rc == 0 && sqlite3_changes(c->db) > 0)
        log_info("store: this database is a restored backup: a new epoch"
                 " begins; devices resync and send again what it lacks");
    json_decref(vals);
    return rc;
}

int store__epoch_mark_backup(struct store_conn *c, struct err *err)
{
    int64_t has = 0;

    /* a copy from before epochs gets one from its migration anyway */
    if (store__scalar(c, sql_has_epoch, NULL, &has, err))
        return err->rc;
    return has ? store__exec(c, sql_mark_backup, err) : 0;
}

int store__epoch(struct store_conn *c, unsigned char epoch[STORE_EPOCH_BYTES],
                 struct err *err)
{
    json_t *rows = store__rows(c, sql_epoch, NULL, err);
    const json_t *e = json_object_get(json_array_get(rows, 0), "epoch");
    int rc = rows ? 0 : err->rc;

    if (rc == 0 && json_string_length(e) != STORE_EPOCH_BYTES)
        rc = err_set(err, ERR_STORAGE, "storage", NULL,
                     "the database has no epoch");
    if (rc == 0)
        memcpy(epoch, json_string_value(e), STORE_EPOCH_BYTES);
    json_decref(rows);
    return rc;
}

int store_epoch(struct store *s, unsigned char epoch[STORE_EPOCH_BYTES],
                struct err *err)
{
    struct store_conn *c = store__reader(s, err);

    return c ? store__epoch(c, epoch, err) : err->rc;
}

int store__copy(struct store_conn *from, struct store_conn *to,
                struct err *err)
{
    sqlite3_backup *b = sqlite3_backup_init(to->db, "main", from->db, "main");
    int rc;

    if (!b)
        return store__sqlerr(to, sqlite3_errcode(to->db), err);
    do {
        rc = sqlite3_backup_step(b, 256);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    return rc == SQLITE_DONE ? 0 : store__sqlerr(to, rc, err);
}

/* 0 when the database on c is a sound fsd database. */
static int check_backup(struct store_conn *c, const char *path, struct err *err)
{
    json_t *rows;
    const char *verdict;
    int64_t fsd = 0;
    int rc = store__scalar(c, sql_is_fsd, NULL, &fsd, err);

    if (rc == 0 && !fsd)
        return err_set(err, ERR_INVALID, "not_a_backup", NULL,
                       "%s is not an fsd database", path);
    if (rc || !(rows = store__rows(c, sql_quick_check, NULL, err)))
        return err->rc;
    verdict = json_string_value(
        json_object_get(json_array_get(rows, 0), "quick_check"));
    if (!verdict || strcmp(verdict, "ok") != 0)
        rc = err_set(err, ERR_INVALID, "not_a_backup", NULL,
                     "%s is damaged: %s", path, verdict ? verdict : "?");
    json_decref(rows);
    return rc;
}

int store_restore(const char *backup_path, const char *db_path, struct err *err)
{
    struct store_conn *from = NULL, *to = NULL;
    int rc = store__conn_open(backup_path, 1, &from, err);

    if (rc == 0)
        rc = check_backup(from, backup_path, err);
    if (rc == 0)
        rc = store__conn_open(db_path, 0, &to, err);
    if (rc == 0)
        rc = store__copy(from, to, err);
    /* whatever the copy says of itself, the next open starts an epoch */
    if (rc == 0)
        rc = store__epoch_mark_backup(to, err);
    store__conn_close(to);
    store__conn_close(from);
    return rc;
}
