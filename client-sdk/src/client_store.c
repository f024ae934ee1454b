/*
 * client_store.c - the device's local SQLite store: settings and sync
 * state (meta), the job snapshots, the outbox of actions waiting to be
 * acknowledged, and the actions acknowledged in the last week (sent).  The file is opened in WAL mode with full sync, so an
 * action the SDK accepted survives a dead battery.
 */
#include "client_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value);"
    "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY,"
    " version INTEGER NOT NULL, status TEXT NOT NULL,"
    " window_start INTEGER, snapshot BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY"
    " AUTOINCREMENT, mutation_id TEXT NOT NULL UNIQUE, job_id INTEGER NOT"
    " NULL, kind TEXT NOT NULL, body BLOB NOT NULL, state TEXT NOT NULL"
    " DEFAULT 'pending' CHECK (state IN ('pending', 'rejected',"
    " 'conflict')), code TEXT, message TEXT, created_at INTEGER NOT NULL);"
    /* mutations the server applied, kept a week: a server restored from a
     * backup may have lost them, and then they are sent again */
    "CREATE TABLE IF NOT EXISTS sent (seq INTEGER PRIMARY KEY,"
    " mutation_id TEXT NOT NULL UNIQUE, job_id INTEGER NOT NULL, kind TEXT"
    " NOT NULL, body BLOB NOT NULL, created_at INTEGER NOT NULL, acked_at"
    " INTEGER NOT NULL);";

int client_fail(fsd_client *c, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    return rc;
}

int client_exec(fsd_client *c, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return FSD_OK;
    client_fail(c, FSD_ERR_IO, "local store: %s", msg ? msg : "error");
    sqlite3_free(msg);
    return FSD_ERR_IO;
}

int client_store_open(fsd_client *c, const char *path)
{
    if (sqlite3_open_v2(path, &c->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        return client_fail(c, FSD_ERR_IO, "cannot open %s: %s", path,
                           sqlite3_errmsg(c->db));
    sqlite3_busy_timeout(c->db, 5000);
    /* NORMAL: a commit is synced by the next checkpoint, except the
     * technician's own writes (client_durable_begin) */
    if (client_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"))
        return FSD_ERR_IO;
    return client_exec(c, schema);
}

int client_durable_begin(fsd_client *c)
{
    return client_exec(c, "PRAGMA synchronous=FULL; BEGIN IMMEDIATE");
}

int client_durable_commit(fsd_client *c)
{
    int rc = client_exec(c, "COMMIT");

    if (rc)
        client_exec(c, "ROLLBACK");
    return client_exec(c, "PRAGMA synchronous=NORMAL") || rc ? FSD_ERR_IO
                                                             : FSD_OK;
}

sqlite3_stmt *client_prepare(fsd_client *c, const char *sql)
{
    sqlite3_stmt *st = NULL;

    for (size_t i = 0; i < c->nstmts; i++)
        if (c->stmts[i].sql == sql)
            return c->stmts[i].st;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK) {
        client_fail(c, FSD_ERR_IO, "local store: %s", sqlite3_errmsg(c->db));
        return NULL;
    }
    if (c->nstmts < CLIENT_STMTS) {
        c->stmts[c->nstmts].sql = sql;
        c->stmts[c->nstmts++].st = st;
    }
    return st;
}

void client_release(fsd_client *c, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < c->nstmts; i++)
        if (c->stmts[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    sqlite3_finalize(st); /* one more than the cache holds */
}

void client_statements_close(fsd_client *c)
{
    for (size_t i = 0; i < c->nstmts; i++)
        sqlite3_finalize(c->stmts[i].st);
    c->nstmts = 0;
}

int client_done(fsd_client *c, sqlite3_stmt *st)
{
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

    if (rc != SQLITE_DONE && st)
        client_fail(c, FSD_ERR_IO, "local store: %s", sqlite3_errmsg(c->db));
    client_release(c, st);
    return rc == SQLITE_DONE ? FSD_OK : FSD_ERR_IO;
}

int64_t client_meta_int(fsd_client *c, const char *key)
{
    sqlite3_stmt *st = client_prepare(c, "SELECT value FROM meta WHERE key = ?1");
    int64_t v = 0;

    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    client_release(c, st);
    return v;
}

int client_meta_set_int(fsd_client *c, const char *key, int64_t v)
{
    sqlite3_stmt *st = client_prepare(c, "INSERT OR REPLACE INTO meta(key, value)"
                                  " VALUES (?1, ?2)");

    if (st) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, v);
    }
    return client_done(c, st);
}

long client_meta_blob(fsd_client *c, const char *key, void *buf,
                      size_t size)
{
    sqlite3_stmt *st = client_prepare(c, "SELECT value FROM meta WHERE key = ?1");
    long n = -1;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const void *b = sqlite3_column_blob(st, 0);
        n = sqlite3_column_bytes(st, 0);
        if ((size_t)n <= size && b)
            memcpy(buf, b, (size_t)n);
        else if ((size_t)n > size)
            n = -1;
    }
    client_release(c, st);
    return n;
}

int client_meta_set_blob(fsd_client *c, const char *key, const void *b,
                         size_t n)
{
    sqlite3_stmt *st = client_prepare(c, "INSERT OR REPLACE INTO meta(key, value)"
                                  " VALUES (?1, ?2)");

    if (st) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, b, (int)n, SQLITE_TRANSIENT);
    }
    return client_done(c, st);
}

int client_meta_del(fsd_client *c, const char *key)
{
    sqlite3_stmt *st = client_prepare(c, "DELETE FROM meta WHERE key = ?1");

    if (st)
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return client_done(c, st);
}

int client_outbox_add(fsd_client *c, Fsd__V1__Mutation *m, const char *kind)
{
    int64_t dev = client_meta_int(c, "device_id");
    int64_t counter;
    char id[48];
    uint8_t *body;
    size_t n;
    sqlite3_stmt *st;
    int rc;

    if (!dev)
        return client_fail(c, FSD_ERR_STATE, "this device is not enrolled");
    /* the technician's action: durable before this returns */
    if (client_durable_begin(c))
        return FSD_ERR_IO;
    counter = client_meta_int(c, "counter") + 1;
    snprintf(id, sizeof id, "%lld-%lld", (long long)dev, (long long)counter);
    m->mutation_id = id;
    m->device_time = (int64_t)time(NULL);
    n = fsd__v1__mutation__get_packed_size(m);
    body = sqlite3_malloc64(n + 1);
    fsd__v1__mutation__pack(m, body);
    st = client_prepare(c, "INSERT INTO outbox(mutation_id, job_id, kind, body,"
                    " created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (st) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)m->job_id);
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, body, (int)n, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, m->device_time);
    }
    rc = client_done(c, st);
    sqlite3_free(body);
    m->mutation_id = NULL;
    if (rc == 0)
        rc = client_meta_set_int(c, "counter", counter);
    if (rc == 0)
        return client_durable_commit(c);
    client_exec(c, "ROLLBACK");
    client_exec(c, "PRAGMA synchronous=NORMAL");
    return rc;
}

int client_meta_bytes(fsd_client *c, const char *key, uint8_t **out,
                      size_t *len)
{
    sqlite3_stmt *st = client_prepare(c, "SELECT value FROM meta"
                                         " WHERE key = ?1");
    int rc = FSD_ERR_STATE;

    if (!st)
        return FSD_ERR_IO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) == SQLITE_BLOB) {
        *len = (size_t)sqlite3_column_bytes(st, 0);
        *out = malloc(*len + 1);
        memcpy(*out, sqlite3_column_blob(st, 0), *len);
        rc = FSD_OK;
    }
    client_release(c, st);
    return rc;
}

uint64_t client_job_version(fsd_client *c, uint64_t job)
{
    sqlite3_stmt *st = client_prepare(c, "SELECT version FROM jobs"
                                         " WHERE id = ?1");
    uint64_t v = 0;

    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)job);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = (uint64_t)sqlite3_column_int64(st, 0);
    client_release(c, st);
    return v;
}

size_t client_outbox_pending(fsd_client *c, Fsd__V1__Mutation **muts,
                             size_t max)
{
    sqlite3_stmt *st = client_prepare(c, "SELECT body FROM outbox WHERE"
                                         " state = 'pending' ORDER BY seq"
                                         " LIMIT ?1");
    size_t n = 0;

    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        muts[n] = fsd__v1__mutation__unpack(
            NULL, (size_t)sqlite3_column_bytes(st, 0),
            sqlite3_column_blob(st, 0));
        if (muts[n])
            n++;
    }
    client_release(c, st);
    return n;
}
