/*
 * client_store_read.c - reading the device's jobs and outbox for the
 * technician (fsd_jobs, fsd_outbox); one job's details are
 * client_job_detail.c's.
 */
#include "client_int.h"

#include <stdlib.h>
#include <string.h>

void client_job_view(const Fsd__V1__Job *j, struct fsd_job_view *v)
{
    v->id = j->id;
    v->version = j->version;
    v->status = j->status;
    v->kind = j->kind;
    v->fault = j->fault;
    v->customer = j->customer ? j->customer->name : "";
    v->address = j->customer ? j->customer->address : "";
    v->window_start = j->window_start;
    v->window_end = j->window_end;
    v->asset_model = j->asset ? j->asset->model : "";
    v->asset_serial = j->asset ? j->asset->serial : "";
    v->purchase_date = j->asset ? j->asset->purchase_date : "";
    v->warranty_months = j->asset ? j->asset->warranty_months : 0;
    v->expected_warranty = j->expected_warranty;
    v->expected_warranty_reason = j->expected_warranty_reason;
    v->timezone = j->timezone;
    v->currency = j->currency;
    v->callout_minor = j->callout_minor;
}

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
        client_job_view(j, &v);
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

int client_job_load(fsd_client *c, uint64_t job, Fsd__V1__Job **out)
{
    sqlite3_stmt *st = client_prepare(c, "SELECT snapshot FROM jobs"
                                         " WHERE id = ?1");

    *out = NULL;
    if (!st)
        return FSD_ERR_IO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)job);
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = fsd__v1__job__unpack(NULL,
                                    (size_t)sqlite3_column_bytes(st, 0),
                                    sqlite3_column_blob(st, 0));
    client_release(c, st);
    return FSD_OK;
}

int fsd_job_part_id(fsd_client *c, uint64_t job, const char *sku,
                    uint64_t *part_id)
{
    Fsd__V1__Job *j;
    int rc = FSD_ERR_INVALID;

    if (client_job_load(c, job, &j))
        return FSD_ERR_IO;
    for (size_t i = 0; j && sku && i < j->n_parts && rc; i++)
        if (!strcmp(j->parts[i]->sku, sku)) {
            *part_id = j->parts[i]->part_id;
            rc = FSD_OK;
        }
    if (j)
        fsd__v1__job__free_unpacked(j, NULL);
    return rc ? client_fail(c, rc, "job %llu has no part %s on this device",
                            (unsigned long long)job, sku ? sku : "")
              : FSD_OK;
}
