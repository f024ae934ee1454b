/*
 * codec_job.h - one stored job snapshot (store_sync_snapshot.c) as the
 * protobuf Job a device receives (proto/PROTOCOL.md section 8), for
 * codec.c.  Strings in the message point into the JSON row, so the row
 * outlives the packing.
 */
#ifndef FSD_CODEC_JOB_H
#define FSD_CODEC_JOB_H

#include "fsd.pb-c.h"
#include "rules/warranty.h"

#include <jansson.h>

/* A Job and everything it points to, allocated together. */
struct codec_job {
    Fsd__V1__Job job;
    Fsd__V1__Customer customer;
    Fsd__V1__Asset asset;
    Fsd__V1__JobQuote quote;
    Fsd__V1__JobPart *parts, **pparts;
    Fsd__V1__QuoteLine *lines, **plines;
    Fsd__V1__HistoryEntry *history, **phistory;
    struct warranty_decision expected;
};

/* Fill m from row (borrowed for as long as m is used). */
void codec_job_fill(struct codec_job *m, const json_t *row);
/* Free what codec_job_fill allocated (not m itself). */
void codec_job_release(struct codec_job *m);

#endif
