/*
 * store_int.h - what the store*.c files share and nothing else includes.
 *
 * Connections with their prepared-statement caches, the writer queue,
 * binding of normalized JSON objects to named SQL parameters, and the
 * mapping of SQLite result codes onto ERR_* codes.
 */
#ifndef FSD_STORE_INT_H
#define FSD_STORE_INT_H

#include "store/store.h"

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
/* Run fn on this thread's reader inside one read transaction, so every
 * query fn makes sees the same snapshot. */
int store__read(struct store *s, store_write_fn fn, void *arg,
                struct err *err);
/* The cached prepared statement for sql (static text); NULL + err. */
sqlite3_stmt *store__stmt(struct store_conn *c, const char *sql,
                          struct err *err);
/* Reset a statement and clear its bindings once a caller is done with it. */
void store__done(sqlite3_stmt *st);
/* Map a SQLite failure on c to an ERR_* code, filling err. */
int store__sqlerr(struct store_conn *c, int rc, struct err *err);
/* Run SQL without results (schema, pragmas, savepoints). */
int store__exec(struct store_conn *c, const char *sql, struct err *err);
/* Bind every :name parameter from vals (missing or null: NULL).  A string
 * bound to a parameter whose name ends in "_bytes" is a BLOB of its bytes
 * (make it with json_stringn_nocheck). */
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
/* Run a statement whose result, if any, is not wanted (an UPDATE, an
 * INSERT, a DELETE): 0 or the error. */
int store__run(struct store_conn *c, const char *sql, const json_t *vals,
               struct err *err);
int64_t store__now(void);

/* The epoch (store_epoch.c): a new one when c's database is a backup's
 * copy opened for the first time; marking a copy as a backup; reading. */
int store__epoch_begin_if_restored(struct store_conn *c, struct err *err);
int store__epoch_mark_backup(struct store_conn *c, struct err *err);
/* Copy the database on from over the one on to, page by page (SQLite's
 * backup API): a backup, or a restore. */
int store__copy(struct store_conn *from, struct store_conn *to,
                struct err *err);
int store__epoch(struct store_conn *c, unsigned char epoch[STORE_EPOCH_BYTES],
                 struct err *err);

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

/* The rows of job_id's slot search on c (store_slots.c); NULL + err. */
json_t *store__slot_rows(struct store_conn *c, int64_t job_id, int64_t lo,
                         int64_t hi, struct err *err);

/* store_link_job() on connection c. */
int store__link_job(struct store_conn *c, const unsigned char hash[32],
                    const char *purpose, json_t **out, struct err *err);
/* The customer's own lifecycle event on job_id (through a link),
 * audited with reason; *row gets the job. */
int store__customer_event(struct store_conn *c, int64_t job_id, int event,
                          const json_t *payload, const char *reason,
                          json_t **row, struct err *err);

/* The change log's last seq (0 when empty): one column, one row. */
extern const char store__sql_last_change[];

/* Every active technician's skills: technician_id, skill_id, level. */
extern const char store__sql_active_skills[];

/* The rows of one day for day_problem_build(): job_id (0: none) always
 * joins (store_assign.c).  NULL + err. */
json_t *store__day_rows(struct store_conn *c, const char *date,
                        int64_t job_id, struct err *err);

/* Apply a lifecycle event to job id inside a write (store_job.c). */
int store__job_apply(struct store_conn *c, int64_t id,
                     const struct job_event_req *r, const struct actor *who,
                     json_t **row, struct err *err);

/* One event being applied to a job, as the effects below see it. */
struct job_ctx {
    int64_t id;
    const struct job_event_req *req;
    const struct actor *who;
    const json_t *cur; /* the job before: id, status, version,
                          technician_id, customer_id, asset_id, warranty */
    int from, to;      /* enum job_state */
    int64_t now;
    int64_t occurred;  /* when it happened: now, or the actor's time */
    json_t *detail;    /* the audit event's detail: effects add to it */
};

/* What the event does beyond moving the state: parts, visits, warranty,
 * quote, sign-off, invoice (store_job_effects.c). */
int store__job_effects(struct store_conn *c, struct job_ctx *x,
                       struct err *err);
/* A field of the event's payload, or NULL (JSON null too). */
static inline const json_t *store__payload(const struct job_ctx *x,
                                           const char *name)
{
    const json_t *v =
        x->req->payload ? json_object_get(x->req->payload, name) : NULL;

    return json_is_null(v) ? NULL : v;
}

/* The stock location jobs' parts are reserved from. */
#define RESERVE_LOCATION "warehouse"

/* Set a quote's answer: status, now, by, note (store_quotes.c). */
extern const char store__sql_quote_answer[];

/* Every active technician's time off (store_assign.c), for the slot
 * search and the day's plan (time_off.h). */
extern const char store__sql_time_off[];

/* store_callout.c: the fee due on a visit at instant at, and the
 * booking's acceptance of it (ERR_CONFLICT callout_not_accepted without
 * the payload's accept_callout). */
int store__callout_due(struct store_conn *c, int64_t job_id, int64_t at,
                       struct store_callout *out, struct err *err);
int store__callout_accept(struct store_conn *c, struct job_ctx *x,
                          int64_t at, struct err *err);

/* store_quote_parts.c: a quote's lines name only catalogue parts, on part
 * lines (ERR_INVALID invalid_reference "lines[k].part_id"); an approved
 * quote's parts join the job's lines and are reserved when stock allows. */
int store__quote_parts_check(struct store_conn *c, const json_t *lines,
                             struct err *err);
int store__quote_parts_add(struct store_conn *c, struct job_ctx *x,
                           const json_t *quote_id, struct err *err);

/* store_parts.c: reserve every pending line (ERR_CONFLICT out_of_stock or
 * parts_awaiting_approval naming the line), give back what is reserved and
 * unused, mark short lines back-ordered (payload expected_on), and take
 * parts used on a visit from the reservation. */
int store__parts_reserve(struct store_conn *c, int64_t job_id,
                         struct err *err);
int store__parts_release(struct store_conn *c, int64_t job_id,
                         struct err *err);
/* When the job's parts can all be held for a visit (parts_outlook()). */
struct parts_outlook;
int store__parts_outlook(struct store_conn *c, int64_t job_id,
                         struct parts_outlook *out, struct err *err);
/* A visit from window_start (0: no window yet) is allowed by the parts:
 * 0, or ERR_CONFLICT parts_not_ready (short with no date, or expected too
 * late) or parts_awaiting_approval. */
int store__parts_check_visit(struct store_conn *c, int64_t job_id,
                             int64_t window_start, struct err *err);
int store__parts_back_order(struct store_conn *c, struct job_ctx *x,
                            struct err *err);
int store__parts_use(struct store_conn *c, int64_t job_id, int64_t visit_id,
                     const json_t *uses, struct err *err);
/* store_stock_events.c: try the parts check of a job waiting for parts
 * as a system event, in a savepoint: 1 when its parts got reserved, 0
 * when it keeps waiting (nothing changed), or an error. */
int store__job_try_reserve(struct store_conn *c, int64_t id,
                           const struct actor *who, struct err *err);
/* After a booking, as the system: reserve the job's parts and assign the
 * technician its appointment holds, or, when parts are expected later,
 * move it to awaiting_parts with their date. */
int store__job_book_follow(struct store_conn *c, int64_t id,
                           const struct actor *who, struct err *err);

/* store_visits.c: open the visit on arrival, record its outcome (with
 * parts and labour), plan the next visit after a follow-up or rework. */
int store__visit_arrive(struct store_conn *c, struct job_ctx *x,
                        struct err *err);
int store__visit_finish(struct store_conn *c, struct job_ctx *x,
                        struct err *err);
int store__visit_plan_return(struct store_conn *c, struct job_ctx *x,
                             int64_t after_visit, struct err *err);
/* The job's open visit into *visit, 0 when none. */
int store__visit_open(struct store_conn *c, int64_t job_id, int64_t *visit,
                      struct err *err);

/* store_quotes.c: the warranty decision, the one quote and its answer. */
int store__warranty_decide(struct store_conn *c, struct job_ctx *x,
                           struct err *err);
/* On a return visit the work may be completed straight from on_site only
 * when an earlier visit decided the warranty (and any quote was
 * approved); else ERR_CONFLICT warranty_undecided. */
int store__warranty_settled(struct store_conn *c, const struct job_ctx *x,
                            struct err *err);
int store__quote_issue(struct store_conn *c, struct job_ctx *x,
                       struct err *err);
int store__quote_answer(struct store_conn *c, struct job_ctx *x,
                        struct err *err);

/* Quote lines (as stored: kind, description, quantity, unit_price_minor)
 * into out, at most max; returns how many.  quote.c checks them. */
struct quote_line;
struct quote_totals;
int store__quote_lines(const json_t *arr, struct quote_line *out,
                       size_t max);
/* Set parts_minor, labour_minor, callout_minor, total_minor in vals. */
void store__quote_totals_set(json_t *vals, const struct quote_totals *t);

/* The invoice of job :id, as the API shows it (store_job_record.c). */
extern const char store__sql_invoice[];

/* store_signoff.c: the customer's sign-off over a summary of the work,
 * and the invoice for chargeable work when the job closes. */
int store__sign_off(struct store_conn *c, struct job_ctx *x,
                    struct err *err);
int store__invoice_issue(struct store_conn *c, struct job_ctx *x,
                         struct err *err);

/* Embedded schema migrations, generated from schema/NNN_*.sql. */
struct store_migration {
    const char *name;
    const char *sql;
};
extern const struct store_migration store_migrations[];
extern const size_t store_nmigrations;

/* --- a sync's page of jobs and its bundle (store_sync_page.c) --- */

/* Job id as a device receives it (store_sync_snapshot.c): its fields,
 * "customer_*", the unit's, "company_timezone", "company_currency",
 * "part_lines" (with price_minor), "quote" (absent when none) and
 * "history" [{at, kind, text, by}].  vals holds :job_id (and gets
 * :limit). */
int store__sync_snapshot(struct store_conn *c, int64_t id, json_t *vals,
                         json_t **out, struct err *err);

struct sync_page_entry {
    int64_t job_id;
    uint64_t first_seq; /* its first change after the cursor */
    json_t *job;        /* its snapshot; NULL: a tombstone */
};
struct sync_page {
    struct sync_page_entry *entries; /* in the order of first change */
    size_t n;
    uint64_t cursor; /* the one read from: 0 on a resync */
    uint64_t end;    /* the checkpoint when every entry is sent */
    int full;        /* the read stopped at max_changes */
    int resync;      /* the device's cursor was past the log's end */
};
/* Read the page after b's cursor. */
int store__sync_page_read(struct store_conn *c, const struct sync_batch *b,
                          struct sync_page *p, struct err *err);
/* Build b's reply (b->build) with as much of the page and of b's acks as
 * the device's limits take; *sent entries went into it. */
int store__sync_page_fit(struct sync_batch *b, const struct sync_page *p,
                         struct sync_content *ct, size_t *sent,
                         struct err *err);
/* Record that the device now holds the jobs sent and no longer the ones
 * whose tombstones were sent. */
int store__sync_page_hold(struct store_conn *c, const struct sync_batch *b,
                          const struct sync_page *p, size_t sent,
                          struct err *err);
void store__sync_page_free(struct sync_page *p);

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
