/*
 * shown_summary.h - the summary a technician's device showed the customer
 * before the customer signed (SignOff.summary and summary_hash,
 * proto/PROTOCOL.md section 7).  Pure: bytes in, a verdict out; no SQL,
 * no protobuf.  sync.c checks a sign-off mutation with it, the store keeps
 * the text beside the server's own summary (store_signoff.c).
 */
#ifndef FSD_SHOWN_SUMMARY_H
#define FSD_SHOWN_SUMMARY_H

#include "common/err.h"

#include <stddef.h>
#include <stdint.h>

#define SHOWN_SUMMARY_MAX 16384 /* bytes of the summary's text */
#define SHOWN_SUMMARY_HASH_BYTES 32

/* What a valid summary says. */
struct shown_summary {
    int present;         /* 0: the device sent none (both fields empty) */
    int64_t total_minor; /* its "total_minor" */
};

/*
 * Check the summary text (len bytes) and hash (hash_len bytes) a device
 * sent with a sign-off of job job_id, and fill out.  Both empty is no
 * summary (out->present 0).  Otherwise the hash must be the 32-byte
 * BLAKE2b-256 of the text, and the text at most SHOWN_SUMMARY_MAX bytes
 * of UTF-8 holding a JSON object with integers "job_id" (= job_id) and
 * "total_minor" and a string "currency".  ERR_INVALID "invalid_summary"
 * with field "summary" or "summary_hash" and a message saying what is
 * wrong.
 */
int shown_summary_check(const unsigned char *text, size_t len,
                        const unsigned char *hash, size_t hash_len,
                        int64_t job_id, struct shown_summary *out,
                        struct err *err);

#endif
