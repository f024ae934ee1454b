/*
 * store_int.h - what the store*.c files share and nothing else includes.
 *
 * Connections with their prepared-statement caches, the writer queue,
 * binding of normalized JSON objects to named SQL parameters, and the
 * mapping of SQLite result codes onto ERR_* codes.
 */
#ifndef FSD_STORE_INT_H
#define FSD_STORE_INT_H

#include "store.h"

#include <pthread.h>
#include <sqlite3.h>

struct stmt_entry {
    const char *sql;   /* static SQL text; its address is the cache key */
    sqlite3_stmt *stmt;
};

struct store_conn {
    sqlite3 *db;
    struct stmt_entry *stmts; /* prepared-statement cache */
    size_t nstmts, cap;
};

struct write_op;

struct store {
    char *path;
    uint64_t gen;              /* unique per open: keys thread-local readers */
    pthread_mutex_t readers_mu;
    struct store_conn **readers; /* every read connection ever opened */
    size_t nreaders, readers_cap;

    /* the writer (store_writer.c) */
    struct store_conn *wconn;
    pthread_t writer;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    struct write_op *head, *tail; /* queue of pending writes */
    int pending;
    int stopping, held;
    struct store_batch_stats stats;
};

/* A write function runs inside the writer's transaction, under a savepoint:
 * returning non-zero rolls back its own changes only. */
typedef int (*store_write_fn)(struct store_conn *c, void *arg,
                              struct err *err);

int store__conn_open(const char *path, int readonly, struct store_conn **out,
                     struct err *err);
void store__conn_close(struct store_conn *c);
/* This thread's read connection for s. */
struct store_conn *store__reader(struct store *s, struct err *err);
/* The cached prepared statement for sql (static text); NULL + err. */
sqlite3_stmt *store__stmt(struct store_conn *c, const char *sql,
                          struct err *err);
/* Reset a statement and clear its bindings once a caller is done with it. */
void store__done(sqlite3_stmt *st);
/* Map a SQLite failure on c to an ERR_* code, filling err. */
int store__sqlerr(struct store_conn *c, int rc, struct err *err);
/* Run SQL without results (schema, pragmas, savepoints). */
int store__exec(struct store_conn *c, const char *sql, struct err *err);
/* Bind every :name parameter from vals (missing or null: NULL). */
void store__bind(sqlite3_stmt *st, const json_t *vals);
/* The current result row as an object of column name to value. */
json_t *store__row(sqlite3_stmt *st);
/* Every result row of sql bound from vals, as an array; NULL + err. */
json_t *store__rows(struct store_conn *c, const char *sql, const json_t *vals,
                   struct err *err);
/* Run a statement bound from vals; *value gets column 0 of the first row
 * (0 when no row).  Returns 0 or an error. */
int store__scalar(struct store_conn *c, const char *sql, const json_t *vals,
                  int64_t *value, struct err *err);
int64_t store__now(void);

/* Queue fn on the writer and wait until its batch commits. */
int store__write(struct store *s, store_write_fn fn, void *arg,
                 struct err *err);
int store__writer_start(struct store *s, struct err *err);
void store__writer_stop(struct store *s);

/* Append to the change log and the audit trail (inside a write). */
int store__record(struct store_conn *c, const struct actor *who,
                  const char *entity, int64_t id, int64_t version,
                  const char *op, const char *action, const json_t *detail,
                  struct err *err);

/* Apply a lifecycle event to job id inside a write (store_job.c). */
int store__job_apply(struct store_conn *c, int64_t id,
                     const struct job_event_req *r, const struct actor *who,
                     json_t **row, struct err *err);

/* Reserve (reserve=1) a job's needed part lines from stock, or release
 * (0) its reserved ones; ERR_CONFLICT out_of_stock names the line
 * (store_parts.c). */
int store__parts_apply(struct store_conn *c, int64_t job_id, int reserve,
                       struct err *err);

/* Embedded schema migrations, generated from schema/NNN_*.sql. */
struct store_migration {
    const char *name;
    const char *sql;
};
extern const struct store_migration store_migrations[];
extern const size_t store_nmigrations;

#endif

/* --- per-resource SQL (store_sql.c) --- */

/* A rule checked in SQL: the statement yields 1 when it holds. */
struct check_sql {
    const char *sql;
    int rc;            /* ERR_* when it does not hold */
    const char *code;  /* error code string */
    const char *field; /* offending field name (relative) */
    const char *msg;
};

/* An array field stored in a child table, replaced as a whole. */
struct child_sql {
    const char *name;      /* the array field's name */
    const char *del_all;   /* :parent_id */
    const char *insert;    /* :parent_id and the item's fields */
    const char *select;    /* :parent_id; columns named as item fields */
    const struct check_sql *checks; /* per item, NULL-sql terminated */
};

struct res_sql {
    const char *get;    /* :id */
    const char *list;   /* :cursor, :limit and the filters */
    const char *insert; /* fields and :now */
    const char *update; /* fields, :id and :now */
    const char *del;    /* :id and :now; no change means not found */
    const struct check_sql *checks;   /* on the whole row, may be NULL */
    const struct child_sql *children; /* NULL-name terminated, may be NULL */
};

const struct res_sql *store__res_sql(enum res_kind kind);
/* 0 when want is 0 or row's "version"; else ERR_CONFLICT version_conflict
 * naming entity and row's "id" (store_crud.c). */
int store__check_version(const char *entity, const json_t *row,
                         int64_t want, struct err *err);
/* Read one resource row with its child arrays on c (store_crud.c). */
int store__res_load(struct store_conn *c, const struct resource *res,
                    int64_t id, json_t **out, struct err *err);
