/*
 * client_job_detail.c - one job as the device holds it, for a technician's
 * screen (fsd_job_detail): the job's view, its part lines at their list
 * price, its live quote and the last entries of its history, all read
 * from the snapshot of the last bundle (PROTOCOL.md section 8).
 */
#include "client_int.h"

#include <stdlib.h>

static const char *const kind_names[] = {"", "part", "labour", "callout"};

struct detail_arrays {
    struct fsd_part_view *parts;
    struct fsd_quote_line_view *lines;
    struct fsd_history_view *history;
};

static void parts_of(const Fsd__V1__Job *j, struct fsd_job_detail *d,
                     struct fsd_part_view *p)
{
    for (size_t i = 0; i < j->n_parts; i++)
        p[i] = (struct fsd_part_view){.part_id = j->parts[i]->part_id,
                                      .sku = j->parts[i]->sku,
                                      .name = j->parts[i]->name,
                                      .state = j->parts[i]->state,
                                      .quantity = j->parts[i]->quantity,
                                      .price_minor = j->parts[i]->price_minor};
    d->parts = p;
    d->nparts = j->n_parts;
}

static void quote_of(const Fsd__V1__Job *j, struct fsd_job_detail *d,
                     struct fsd_quote_line_view *l)
{
    const Fsd__V1__JobQuote *q = j->quote;

    d->quote_status = q ? q->status : "";
    d->quote_link = q ? q->link : "";
    d->quote_total_minor = q ? q->total_minor : 0;
    d->quote_expires_at = q ? q->expires_at : 0;
    d->nquote_lines = q ? q->n_lines : 0;
    for (size_t i = 0; i < d->nquote_lines; i++) {
        const Fsd__V1__QuoteLine *ql = q->lines[i];
        l[i] = (struct fsd_quote_line_view){
            .kind = (unsigned)ql->kind < 4 ? kind_names[ql->kind] : "",
            .description = ql->description,
            .quantity = ql->quantity,
            .unit_price_minor = ql->unit_price_minor,
            .part_id = ql->part_id};
    }
    d->quote_lines = l;
}

static void history_of(const Fsd__V1__Job *j, struct fsd_job_detail *d,
                       struct fsd_history_view *h)
{
    for (size_t i = 0; i < j->n_history; i++)
        h[i] = (struct fsd_history_view){.at = j->history[i]->at,
                                         .kind = j->history[i]->kind,
                                         .text = j->history[i]->text,
                                         .by = j->history[i]->by};
    d->history = h;
    d->nhistory = j->n_history;
}

int fsd_job_detail(fsd_client *c, uint64_t job, fsd_job_detail_fn fn, void *arg)
{
    Fsd__V1__Job *j;
    struct fsd_job_detail d;
    struct detail_arrays a;
    int rc = FSD_OK;

    if (client_job_load(c, job, &j))
        return FSD_ERR_IO;
    if (!j)
        return client_fail(c, FSD_ERR_INVALID, "job %llu is not on this device",
                           (unsigned long long)job);
    a.parts = calloc(j->n_parts + 1, sizeof *a.parts);
    a.lines = calloc((j->quote ? j->quote->n_lines : 0) + 1, sizeof *a.lines);
    a.history = calloc(j->n_history + 1, sizeof *a.history);
    if (!a.parts || !a.lines || !a.history) {
        rc = client_fail(c, FSD_ERR_IO, "out of memory");
    } else {
        client_job_view(j, &d.job);
        parts_of(j, &d, a.parts);
        quote_of(j, &d, a.lines);
        history_of(j, &d, a.history);
        fn(&d, arg);
    }
    free(a.parts);
    free(a.lines);
    free(a.history);
    fsd__v1__job__free_unpacked(j, NULL);
    return rc;
}
