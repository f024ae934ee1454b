/*
 * client_store_bundle.c - what applying a bundle writes to the device's
 * store: job snapshots, tombstones and the outbox's acknowledgements.
 * The caller (client_apply.c) wraps them in one transaction.
 */
#include "client_int.h"

#include <stdlib.h>
#include <time.h>

int client_job_put(fsd_client *c, const Fsd__V1__Job *j)
{
    sqlite3_stmt *st = client_prepare(c, "INSERT OR REPLACE INTO jobs(id, version,"
                               " status, window_start, snapshot)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)");
    size_t n = fsd__v1__job__get_packed_size(j);
    uint8_t *b = malloc(n + 1);
    int rc;

    fsd__v1__job__pack(j, b);
    if (st) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)j->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)j->version);
        sqlite3_bind_text(st, 3, j->status, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, j->window_start);
        sqlite3_bind_blob(st, 5, b, (int)n, SQLITE_STATIC);
    }
    rc = client_done(c, st);
    free(b);
    return rc;
}

int client_job_drop(fsd_client *c, uint64_t id)
{
    sqlite3_stmt *st = client_prepare(c, "DELETE FROM jobs WHERE id = ?1");

    if (st)
        sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    return client_done(c, st);
}

int client_sent_purge(fsd_client *c)
{
    sqlite3_stmt *st = client_prepare(c, "DELETE FROM sent"
                                         " WHERE acked_at < ?1");

    if (st)
        sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL) -
                                      CLIENT_SENT_KEEP_SECONDS);
    return client_done(c, st);
}

int client_sent_requeue(fsd_client *c)
{
    /* in their first order (seq), ahead of what was recorded since */
    if (client_exec(c, "INSERT OR IGNORE INTO outbox(seq, mutation_id,"
                       " job_id, kind, body, state, created_at) SELECT seq,"
                       " mutation_id, job_id, kind, body, 'pending',"
                       " created_at FROM sent") ||
        client_exec(c, "DELETE FROM sent") ||
        client_exec(c, "UPDATE outbox SET state = 'pending', code = NULL,"
                       " message = NULL WHERE state = 'conflict'"))
        return FSD_ERR_IO;
    return FSD_OK;
}

int client_enrollment_renewed(fsd_client *c, int forgotten)
{
    static const char *const chain[] = {
        "batch_seq", "cursor", "bundle_seq", "last_bundle_hash",
        "pending_batch", "highest_issued_at", "enrollment_lost"};
    int rc = client_exec(c, "BEGIN IMMEDIATE");

    for (size_t i = 0; rc == FSD_OK && i < sizeof chain / sizeof *chain; i++)
        rc = client_meta_del(c, chain[i]);
    if (rc == FSD_OK)
        rc = client_jobs_clear(c);
    /* a server that forgot the device lost what it applied for it too */
    if (rc == FSD_OK && forgotten)
        rc = client_sent_requeue(c);
    if (rc == FSD_OK)
        return client_exec(c, "COMMIT");
    client_exec(c, "ROLLBACK");
    return rc;
}

int client_jobs_clear(fsd_client *c)
{
    return client_done(c, client_prepare(c, "DELETE FROM jobs"));
}

/* An applied item leaves the outbox for sent, where it is kept a week. */
static int keep_sent(fsd_client *c, const char *mutation_id)
{
    sqlite3_stmt *st = client_prepare(
        c, "INSERT OR IGNORE INTO sent(seq, mutation_id, job_id, kind, body,"
           " created_at, acked_at) SELECT seq, mutation_id, job_id, kind,"
           " body, created_at, ?2 FROM outbox WHERE mutation_id = ?1");

    if (st) {
        sqlite3_bind_text(st, 1, mutation_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
    }
    return client_done(c, st);
}

int client_outbox_ack(fsd_client *c, const Fsd__V1__Ack *a,
                      struct fsd_sync_result *res)
{
    int applied = a->result == FSD__V1__ACK__RESULT__APPLIED;
    sqlite3_stmt *st;

    if (applied && keep_sent(c, a->mutation_id))
        return FSD_ERR_IO;
    st = client_prepare(
        c, applied ? "DELETE FROM outbox WHERE mutation_id = ?1"
                   : "UPDATE outbox SET state = ?2, code = ?3, message = ?4"
                     " WHERE mutation_id = ?1");

    res->acked++;
    if (a->result == FSD__V1__ACK__RESULT__CONFLICT)
        res->conflicts++;
    else if (!applied)
        res->rejected++;
    if (st) {
        sqlite3_bind_text(st, 1, a->mutation_id, -1, SQLITE_STATIC);
        if (!applied) {
            sqlite3_bind_text(st, 2, a->result ==
                                             FSD__V1__ACK__RESULT__CONFLICT
                                         ? "conflict"
                                         : "rejected",
                              -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, a->code, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, a->message, -1, SQLITE_STATIC);
        }
    }
    return client_done(c, st);
}
