/*
 * device.h - a simulated technician's device for the e2e suites: key
 * pairs, enrollment, signed sync requests, and opening the server's
 * bundles the way PROTOCOL.md tells a device to.
 */
#ifndef FSD_E2E_DEVICE_H
#define FSD_E2E_DEVICE_H

#include "common/envelope.h"
#include "fixture.h"

#include <stddef.h>
#include <stdint.h>

struct bytes {
    uint8_t *data;
    size_t len;
};

struct device {
    uint8_t sign_pk[32], sign_sk[64], box_pk[32], box_sk[32];
    int64_t id;                 /* once enrolled */
    struct envelope_key server; /* the server key it pinned */
};

/* POST raw bytes as content_type to the fixture server; the status,
 * *reply the body (caller frees reply->data). */
long post_bytes(const char *path, const uint8_t *body, size_t len,
                const char *content_type, struct bytes *reply);
/* Fresh key pairs. */
void device_new(struct device *d);
/* An EnrollRequest for code signed by signer_sk, packed into *out. */
void enroll_envelope(const struct device *d, const char *code,
                     const uint8_t *signer_sk, uint8_t **out, size_t *len);
/* A fresh enrollment code for tech, made by dispatcher desk. */
void new_code(struct e2e_client *desk, int64_t tech, char *code,
              size_t size);
/* Assert a refused request's status and SyncError code. */
void expect_sync_error(long status, const struct bytes *b, long want,
                       const char *code);
/* A new active technician (made by a new manager). */
int64_t make_technician(void);
/* A job of a new customer booked and assigned to tech by dispatcher
 * desk, for a unit bought on purchase_date ("YYYY-MM-DD"; NULL: no unit). */
int64_t job_assigned(struct e2e_client *desk, int64_t tech,
                     const char *purchase_date);
/* The job's status on the server, read by c (a static buffer). */
const char *job_status(struct e2e_client *c, int64_t job);
/* Enroll d for tech (asserting success); sets d->id and d->server. */
void device_enroll(struct e2e_client *desk, int64_t tech, struct device *d);
/* A SyncRequest envelope (batch_seq, cursor, n mutations) signed by
 * signer_sk, not sent; out->data is the caller's to free. */
void device_batch(const struct device *d, const uint8_t *signer_sk,
                  uint64_t batch_seq, uint64_t cursor,
                  Fsd__V1__Mutation **muts, size_t n, struct bytes *out);
/* POST a SyncRequest (batch_seq, cursor, n mutations) signed by signer_sk
 * (d->sign_sk normally); the status, *reply the body; *sent (if not NULL)
 * gets the request bytes (caller frees). */
long device_sync(const struct device *d, const uint8_t *signer_sk,
                 uint64_t batch_seq, uint64_t cursor,
                 Fsd__V1__Mutation **muts, size_t n, struct bytes *reply,
                 struct bytes *sent);
/* POST the SyncRequest sr signed by each of the n secret keys, in that
 * order; the status, *reply the body (caller frees reply->data). */
long device_post_request(const Fsd__V1__SyncRequest *sr,
                         const uint8_t *const *sks, size_t n,
                         struct bytes *reply);
/* Add the ids of jobs (as decimal text keys) to the object seen. */
void device_seen_jobs(const Fsd__V1__SealedJobs *jobs, json_t *seen);
/* GET path on the fixture server: the status, *reply the body (caller
 * frees reply->data). */
long get_bytes(const char *path, struct bytes *reply);
/* Mutation storage for one request. */
struct muts {
    Fsd__V1__Mutation m[4], *pm[4];
    Fsd__V1__Arrive arrive;
    Fsd__V1__EnRoute en_route;
};
/* Make m[0..n) mutations of job numbered "<device>-1".., ids[] holding
 * their ids, pm[] pointing at them; the caller sets each kind. */
void device_mutations(Fsd__V1__Mutation *m, Fsd__V1__Mutation **pm,
                      char (*ids)[32], int n, int64_t device, int64_t job);
/* The bodies of a visit done under warranty. */
struct visit_done {
    Fsd__V1__Arrive arrive;
    Fsd__V1__WarrantyDecision covered;
    Fsd__V1__VisitOutcome done;
};
/* m[0..2] (made by device_mutations) as that visit: arrived, decided in
 * warranty, completed; the bodies live in v. */
void visit_done(struct visit_done *v, Fsd__V1__Mutation *m);
/* Mutation i of b: en route to job, under id (a static string). */
Fsd__V1__Mutation *en_route(struct muts *b, int i, const char *id,
                            int64_t job);
/* POST a SyncRequest of d (batch_seq, cursor, n mutations) asking for
 * bundles of at most max_bytes and max_jobs (0: the server's defaults);
 * the status, *reply the body. */
long sync_with(const struct device *d, uint64_t batch_seq, uint64_t cursor,
               uint32_t max_bytes, uint32_t max_jobs,
               Fsd__V1__Mutation **muts, size_t n, struct bytes *reply);
/* Verify reply as a Bundle for d (asserting every device check) and
 * return it; *jobs gets the opened SealedJobs.  Free both. */
Fsd__V1__Bundle *device_open_bundle(const struct device *d,
                                    const struct bytes *reply,
                                    Fsd__V1__SealedJobs **jobs);

#endif
