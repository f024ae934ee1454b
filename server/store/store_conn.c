/*
 * store_conn.c - SQLite connections: opening with the project's pragmas,
 * the per-connection prepared-statement cache, per-thread read connections,
 * named-parameter binding and row conversion, and error mapping.
 *
 * Statements are cached by the address of their static SQL text, so a
 * caller never prepares the same statement twice on one connection.
 */
#include "common/log.h"
#include "common/mem.h"
#include "store/store_int.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define READER_SLOTS 4 /* stores one thread can hold a reader for at once */

static _Thread_local struct {
    uint64_t gen;
    struct store_conn *conn;
} tl_readers[READER_SLOTS];
static _Thread_local unsigned tl_next_slot;

int64_t store__now(void)
{
    return (int64_t)time(NULL);
}

int store__exec(struct store_conn *c, const char *sql, struct err *err)
{
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : store__sqlerr(c, rc, err);
}

int store__conn_open(const char *path, int readonly, struct store_conn **out,
                     struct err *err)
{
    int flags = readonly ? SQLITE_OPEN_READONLY
                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    struct store_conn *c = xcalloc(1, sizeof *c);
    int rc = sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL);

    if (rc != SQLITE_OK) {
        err_set(err, ERR_STORAGE, "storage", NULL, "cannot open %s: %s",
                path, c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        store__conn_close(c);
        return ERR_STORAGE;
    }
    sqlite3_busy_timeout(c->db, 5000);
    sqlite3_extended_result_codes(c->db, 1);
    if (store__exec(c, "PRAGMA foreign_keys=ON", err) ||
        (!readonly && store__exec(c,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
             "PRAGMA journal_size_limit=67108864;"
             "PRAGMA wal_autocheckpoint=1000", err))) {
        store__conn_close(c);
        return err->rc;
    }
    *out = c;
    return 0;
}

void store__conn_close(struct store_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nstmts; i++)
        sqlite3_finalize(c->stmts[i].stmt);
    free(c->stmts);
    sqlite3_close(c->db);
    free(c);
}

sqlite3_stmt *store__stmt(struct store_conn *c, const char *sql,
                          struct err *err)
{
    sqlite3_stmt *st;
    int rc;

    for (size_t i = 0; i < c->nstmts; i++)
        if (c->stmts[i].sql == sql)
            return c->stmts[i].stmt;
    rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                            NULL);
    if (rc != SQLITE_OK) {
        store__sqlerr(c, rc, err);
        log_error("store: cannot prepare \"%.80s\": %s", sql,
                  sqlite3_errmsg(c->db));
        return NULL;
    }
    if (c->nstmts == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->stmts = xrealloc(c->stmts, c->cap * sizeof *c->stmts);
    }
    c->stmts[c->nstmts].sql = sql;
    c->stmts[c->nstmts++].stmt = st;
    return st;
}

void store__done(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

struct store_conn *store__reader(struct store *s, struct err *err)
{
    struct store_conn *c;
    unsigned slot;

    for (int i = 0; i < READER_SLOTS; i++)
        if (tl_readers[i].gen == s->gen && tl_readers[i].conn)
            return tl_readers[i].conn;
    if (store__conn_open(s->path, 1, &c, err))
        return NULL;
    pthread_mutex_lock(&s->readers_mu);
    if (s->nreaders == s->readers_cap) {
        s->readers_cap = s->readers_cap ? s->readers_cap * 2 : 16;
        s->readers = xrealloc(s->readers, s->readers_cap * sizeof *s->readers);
    }
    s->readers[s->nreaders++] = c; /* closed by store_close */
    pthread_mutex_unlock(&s->readers_mu);
    slot = tl_next_slot++ % READER_SLOTS;
    tl_readers[slot].gen = s->gen;
    tl_readers[slot].conn = c;
    return c;
}

/* The column named in "UNIQUE constraint failed: table.column". */
static const char *constraint_column(const char *msg)
{
    const char *dot = strrchr(msg, '.');
    return dot && !strchr(dot, ' ') ? dot + 1 : "";
}

int store__sqlerr(struct store_conn *c, int rc, struct err *err)
{
    const char *msg = sqlite3_errmsg(c->db);

    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return err_set(err, ERR_CONFLICT, "duplicate",
                       constraint_column(msg), "%s already exists",
                       constraint_column(msg));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return err_set(err, ERR_CONFLICT, "in_use", NULL,
                       "the record is referenced by other records");
    case SQLITE_CONSTRAINT_TRIGGER: /* a rule a trigger guards */
        return err_set(err, ERR_CONFLICT, "rule_violated", NULL, "%s", msg);
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
        return err_set(err, ERR_INVALID, "constraint_failed", NULL, "%s",
                       msg);
    default:
        log_error("store: sqlite error %d: %s", rc, msg);
        return err_set(err, ERR_STORAGE, "storage", NULL,
                       "database error: %s", sqlite3_errstr(rc));
    }
}

/* ":..._bytes" parameters carry raw bytes (hashes, signatures). */
static int is_bytes_param(const char *name)
{
    size_t n = strlen(name);

    return n > 6 && strcmp(name + n - 6, "_bytes") == 0;
}

void store__bind(sqlite3_stmt *st, const json_t *vals)
{
    int n = sqlite3_bind_parameter_count(st);

    for (int i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        const json_t *v = name ? json_object_get(vals, name + 1) : NULL;

        if (!v || json_is_null(v))
            sqlite3_bind_null(st, i);
        else if (json_is_string(v) && is_bytes_param(name))
            sqlite3_bind_blob(st, i, json_string_value(v),
                              (int)json_string_length(v), SQLITE_TRANSIENT);
        else if (json_is_string(v))
            sqlite3_bind_text(st, i, json_string_value(v),
                              (int)json_string_length(v), SQLITE_TRANSIENT);
        else if (json_is_integer(v))
            sqlite3_bind_int64(st, i, json_integer_value(v));
        else if (json_is_real(v))
            sqlite3_bind_double(st, i, json_real_value(v));
        else if (json_is_boolean(v))
            sqlite3_bind_int(st, i, json_is_true(v));
        else
            sqlite3_bind_null(st, i);
    }
}

json_t *store__row(sqlite3_stmt *st)
{
    json_t *row = json_object();
    int n = sqlite3_column_count(st);

    for (int i = 0; i < n; i++) {
        json_t *v;
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            v = json_integer(sqlite3_column_int64(st, i));
            break;
        case SQLITE_FLOAT:
            v = json_real(sqlite3_column_double(st, i));
            break;
        case SQLITE_TEXT:
            v = json_stringn((const char *)sqlite3_column_text(st, i),
                             (size_t)sqlite3_column_bytes(st, i));
            break;
        case SQLITE_BLOB: /* raw bytes: read back with json_string_length */
            v = json_stringn_nocheck((const char *)sqlite3_column_blob(st, i),
                                     (size_t)sqlite3_column_bytes(st, i));
            break;
        default:
            v = json_null();
        }
        json_object_set_new(row, sqlite3_column_name(st, i),
                            v ? v : json_null());
    }
    return row;
}

int store__scalar(struct store_conn *c, const char *sql, const json_t *vals,
                  int64_t *value, struct err *err)
{
    sqlite3_stmt *st = store__stmt(c, sql, err);
    int rc;

    if (!st)
        return err->rc;
    store__bind(st, vals);
    rc = sqlite3_step(st);
    *value = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        store__sqlerr(c, rc, err);
    store__done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : err->rc;
}

int store__run(struct store_conn *c, const char *sql, const json_t *vals,
               struct err *err)
{
    int64_t ignored;

    return store__scalar(c, sql, vals, &ignored, err);
}

json_t *store__rows(struct store_conn *c, const char *sql, const json_t *vals,
                   struct err *err)
{
    sqlite3_stmt *st = store__stmt(c, sql, err);
    json_t *arr;
    int rc;

    if (!st)
        return NULL;
    store__bind(st, vals);
    arr = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, store__row(st));
    store__done(st);
    if (rc != SQLITE_DONE) {
        store__sqlerr(c, rc, err);
        json_decref(arr);
        return NULL;
    }
    return arr;
}

int store__read(struct store *s, store_write_fn fn, void *arg,
                struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    struct err ignored = ERR_INIT;
    int rc;

    if (!c || store__exec(c, "BEGIN", err))
        return err->rc;
    rc = fn(c, arg, err);
    store__exec(c, rc ? "ROLLBACK" : "COMMIT", &ignored);
    return rc;
}
