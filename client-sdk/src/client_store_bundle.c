/*
 * client_store_bundle.c - what applying a bundle writes to the device's
 * store: job snapshots, tombstones and the outbox's acknowledgements.
 * The caller (client_apply.c) wraps them in one transaction.
 */
#include "client_int.h"

#include <stdlib.h>

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

int client_jobs_clear(fsd_client *c)
{
    return client_done(c, client_prepare(c, "DELETE FROM jobs"));
}

int client_outbox_ack(fsd_client *c, const Fsd__V1__Ack *a,
                      struct fsd_sync_result *res)
{
    int applied = a->result == FSD__V1__ACK__RESULT__APPLIED;
    sqlite3_stmt *st = client_prepare(
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
