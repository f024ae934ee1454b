/*
 * client_store_read.c - reading the device's jobs and outbox for the
 * technician (fsd_jobs, fsd_outbox).
 */
#include "client_int.h"

#include <stdlib.h>

int fsd_jobs(fsd_client *c, fsd_job_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(c->db, "SELECT snapshot FROM jobs ORDER BY"
                                  " window_start, id", -1, &st, NULL))
        return client_fail(c, FSD_ERR_IO, "local store: %s",
                           sqlite3_errmsg(c->db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        Fsd__V1__Job *j = fsd__v1__job__unpack(
            NULL, (size_t)sqlite3_column_bytes(st, 0),
            sqlite3_column_blob(st, 0));
        struct fsd_job_view v;
        if (!j)
            continue;
        v.id = j->id;
        v.version = j->version;
        v.status = j->status;
        v.kind = j->kind;
        v.fault = j->fault;
        v.customer = j->customer ? j->customer->name : "";
        v.address = j->customer ? j->customer->address : "";
        v.window_start = j->window_start;
        v.window_end = j->window_end;
        fn(&v, arg);
        fsd__v1__job__free_unpacked(j, NULL);
    }
    sqlite3_finalize(st);
    return FSD_OK;
}

int fsd_outbox(fsd_client *c, fsd_outbox_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(c->db,
                           "SELECT seq, mutation_id, kind, job_id, state,"
                           " coalesce(code, ''), coalesce(message, '')"
                           " FROM outbox ORDER BY state <> 'pending', seq",
                           -1, &st, NULL))
        return client_fail(c, FSD_ERR_IO, "local store: %s",
                           sqlite3_errmsg(c->db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct fsd_outbox_view v;
        v.seq = sqlite3_column_int64(st, 0);
        v.mutation_id = (const char *)sqlite3_column_text(st, 1);
        v.kind = (const char *)sqlite3_column_text(st, 2);
        v.job = (uint64_t)sqlite3_column_int64(st, 3);
        v.state = (const char *)sqlite3_column_text(st, 4);
        v.code = (const char *)sqlite3_column_text(st, 5);
        v.message = (const char *)sqlite3_column_text(st, 6);
        fn(&v, arg);
    }
    sqlite3_finalize(st);
    return FSD_OK;
}
