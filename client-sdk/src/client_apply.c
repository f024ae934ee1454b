/*
 * client_apply.c - the device's checks on a bundle, in the order of
 * PROTOCOL.md section 8, and applying it: job snapshots, tombstones, acks,
 * cursor, bundle number and hash in one local transaction, so the store is
 * always before or after a bundle, never between.
 */
#include "client_int.h"
#include "common/envelope.h"
#include "common/sec.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int verify(fsd_client *c, const uint8_t *reply, size_t len,
                  Fsd__V1__Bundle **out, uint8_t hash[32], int walked)
{
    struct envelope_key key;
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env = NULL;

    if (client_meta_blob(c, "server_pk", key.pk, 32) != 32)
        return client_fail(c, FSD_ERR_STATE, "no pinned server key");
    sec_key_id(key.pk, key.key_id);
    if (envelope_open(reply, len, client_reply_cap(c), "fsd.v1.Bundle",
                      &key, 1, &env, &err) &&
        !strcmp(err.code, "unknown_key") && !walked) {
        /* perhaps the server rotated its key: follow the keysets once */
        int rc = client_walk_keysets(c);
        return rc ? rc : verify(c, reply, len, out, hash, 1);
    }
    if (err.rc)
        return client_fail(c, FSD_ERR_VERIFY, "%s: %s", err.code, err.msg);
    sec_hash(env->payload.data, env->payload.len, hash);
    *out = fsd__v1__bundle__unpack(NULL, env->payload.len,
                                   env->payload.data);
    fsd__v1__envelope__free_unpacked(env, NULL);
    if (!*out)
        return client_fail(c, FSD_ERR_VERIFY,
                           "malformed_payload: not a Bundle");
    if (strcmp((*out)->signer_key_id, key.key_id) != 0)
        return client_fail(c, FSD_ERR_VERIFY, "wrong_signer: the bundle"
                           " names another signing key");
    return FSD_OK;
}

/* 1 when epoch is one this device has left. */
static int left_before(fsd_client *c, const uint8_t *epoch)
{
    uint8_t left[CLIENT_LEFT_EPOCHS * CLIENT_EPOCH_BYTES];
    long n = client_meta_blob(c, "left_epochs", left, sizeof left);

    for (long i = 0; i + CLIENT_EPOCH_BYTES <= n; i += CLIENT_EPOCH_BYTES)
        if (!memcmp(left + i, epoch, CLIENT_EPOCH_BYTES))
            return 1;
    return 0;
}

/* The bundle's epoch against the pinned one: 0 the same (or none known
 * yet), NEW_EPOCH for a new one (the server's database was restored),
 * or an error. */
#define NEW_EPOCH 2
static int check_epoch(fsd_client *c, const Fsd__V1__Bundle *b)
{
    uint8_t pinned[CLIENT_EPOCH_BYTES];

    if (b->epoch.len != CLIENT_EPOCH_BYTES ||
        client_meta_blob(c, "epoch", pinned, sizeof pinned) !=
            CLIENT_EPOCH_BYTES ||
        !memcmp(pinned, b->epoch.data, CLIENT_EPOCH_BYTES))
        return FSD_OK;
    if (left_before(c, b->epoch.data))
        return client_fail(c, FSD_ERR_VERIFY, "rollback: the bundle is of"
                           " an epoch this device has left");
    if (!b->resync)
        return client_fail(c, FSD_ERR_VERIFY, "broken_chain: a new epoch"
                           " must begin with a resync");
    return NEW_EPOCH;
}

/* Audience, epoch, order, freshness; 1 for an exact repeat (nothing to
 * do), NEW_EPOCH for the first bundle of a new epoch (its number and
 * previous hash start a new chain). */
static int check(fsd_client *c, const Fsd__V1__Bundle *b,
                 const uint8_t hash[32])
{
    uint64_t last = (uint64_t)client_meta_int(c, "bundle_seq");
    int64_t seen = client_meta_int(c, "highest_issued_at");
    int64_t now = (int64_t)time(NULL);
    uint8_t prev[32] = {0};
    int epoch;

    if ((int64_t)b->technician_id != client_meta_int(c, "technician_id") ||
        (int64_t)b->device_id != client_meta_int(c, "device_id"))
        return client_fail(c, FSD_ERR_VERIFY, "wrong_audience: the bundle"
                           " is for another device");
    if ((epoch = check_epoch(c, b)) < 0)
        return epoch;
    if (epoch == NEW_EPOCH)
        return b->expires_at <= (now > seen ? now : seen)
                   ? client_fail(c, FSD_ERR_VERIFY,
                                 "expired: the bundle expired")
                   : NEW_EPOCH;
    client_meta_blob(c, "last_bundle_hash", prev, sizeof prev);
    if (b->bundle_seq == last && last && !memcmp(prev, hash, 32))
        return 1;
    if (b->bundle_seq <= last)
        return client_fail(c, FSD_ERR_VERIFY, "rollback: bundle %llu is not"
                           " after %llu", (unsigned long long)b->bundle_seq,
                           (unsigned long long)last);
    if (b->prev_bundle_hash.len != 32 ||
        memcmp(b->prev_bundle_hash.data, prev, 32))
        return client_fail(c, FSD_ERR_VERIFY, "broken_chain: the bundle"
                           " does not follow the last one applied");
    if (b->expires_at <= (now > seen ? now : seen))
        return client_fail(c, FSD_ERR_VERIFY, "expired: the bundle expired");
    return FSD_OK;
}

static Fsd__V1__SealedJobs *open_jobs(fsd_client *c,
                                      const Fsd__V1__Bundle *b)
{
    uint8_t pk[32], sk[32], *plain;
    Fsd__V1__SealedJobs *jobs = NULL;
    size_t n;

    if (b->sealed_jobs.len < crypto_box_SEALBYTES ||
        client_meta_blob(c, "box_pk", pk, 32) != 32 ||
        client_meta_blob(c, "box_sk", sk, 32) != 32)
        return NULL;
    n = b->sealed_jobs.len - crypto_box_SEALBYTES;
    plain = malloc(n + 1);
    if (crypto_box_seal_open(plain, b->sealed_jobs.data, b->sealed_jobs.len,
                             pk, sk) == 0)
        jobs = fsd__v1__sealed_jobs__unpack(NULL, n, plain);
    sodium_memzero(sk, sizeof sk);
    free(plain);
    return jobs;
}

/* Pin the bundle's epoch; leaving another, remember it as left and put
 * back what the restored server may have lost. */
static int enter_epoch(fsd_client *c, const Fsd__V1__Bundle *b, int is_new)
{
    uint8_t left[(CLIENT_LEFT_EPOCHS + 1) * CLIENT_EPOCH_BYTES];
    long n;

    if (b->epoch.len != CLIENT_EPOCH_BYTES)
        return FSD_OK;
    if (is_new) {
        n = client_meta_blob(c, "left_epochs", left,
                             CLIENT_LEFT_EPOCHS * CLIENT_EPOCH_BYTES);
        n = n < 0 ? 0 : n;
        if (client_meta_blob(c, "epoch", left + n, CLIENT_EPOCH_BYTES) !=
            CLIENT_EPOCH_BYTES)
            return FSD_ERR_IO;
        n += CLIENT_EPOCH_BYTES;
        if (n > CLIENT_LEFT_EPOCHS * CLIENT_EPOCH_BYTES) { /* the oldest go */
            memmove(left, left + CLIENT_EPOCH_BYTES,
                    (size_t)n - CLIENT_EPOCH_BYTES);
            n -= CLIENT_EPOCH_BYTES;
        }
        if (client_meta_set_blob(c, "left_epochs", left, (size_t)n) ||
            client_sent_requeue(c))
            return FSD_ERR_IO;
    }
    return client_meta_set_blob(c, "epoch", b->epoch.data,
                                CLIENT_EPOCH_BYTES);
}

static int apply(fsd_client *c, const Fsd__V1__Bundle *b,
                 const Fsd__V1__SealedJobs *jobs, const uint8_t hash[32],
                 int new_epoch, struct fsd_sync_result *res)
{
    int rc = client_exec(c, "BEGIN IMMEDIATE");

    if (rc == FSD_OK)
        rc = enter_epoch(c, b, new_epoch);
    /* a resync carries the jobs from the start: the old copies go */
    if (rc == FSD_OK && b->resync)
        rc = client_jobs_clear(c);
    for (size_t i = 0; rc == FSD_OK && i < jobs->n_jobs; i++) {
        rc = client_job_put(c, jobs->jobs[i]);
        res->jobs_changed++;
    }
    for (size_t i = 0; rc == FSD_OK && i < b->n_removed_job_ids; i++) {
        rc = client_job_drop(c, b->removed_job_ids[i]);
        res->jobs_removed++;
    }
    for (size_t i = 0; rc == FSD_OK && i < b->n_acks; i++)
        rc = client_outbox_ack(c, b->acks[i], res);
    if (rc == FSD_OK &&
        (client_meta_set_int(c, "cursor", (int64_t)b->checkpoint) ||
         client_meta_set_int(c, "bundle_seq", (int64_t)b->bundle_seq) ||
         client_meta_set_blob(c, "last_bundle_hash", hash, 32) ||
         (b->issued_at > client_meta_int(c, "highest_issued_at") &&
          client_meta_set_int(c, "highest_issued_at", b->issued_at)) ||
         client_meta_del(c, "pending_batch") || client_sent_purge(c)))
        rc = FSD_ERR_IO;
    if (rc == FSD_OK)
        return client_exec(c, "COMMIT");
    client_exec(c, "ROLLBACK");
    return rc;
}

int client_apply_bundle(fsd_client *c, const uint8_t *reply, size_t len,
                        struct fsd_sync_result *res, int *more)
{
    Fsd__V1__Bundle *b = NULL;
    Fsd__V1__SealedJobs *jobs = NULL;
    uint8_t hash[32];
    int rc = verify(c, reply, len, &b, hash, 0);

    *more = 0;
    if (rc == FSD_OK)
        rc = check(c, b, hash);
    if (rc == 1) { /* the same bundle again */
        rc = client_meta_del(c, "pending_batch");
    } else if (rc >= FSD_OK && !(jobs = open_jobs(c, b))) {
        rc = client_fail(c, FSD_ERR_VERIFY, "unsealable: the jobs cannot be"
                         " opened with this device's key");
    } else if (rc >= FSD_OK) {
        int new_epoch = rc == NEW_EPOCH;
        if ((rc = apply(c, b, jobs, hash, new_epoch, res)) == FSD_OK) {
            res->bundles++;
            /* after a new epoch, what was put back goes at once */
            *more = b->has_more || new_epoch;
        }
    }
    if (jobs)
        fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    if (b)
        fsd__v1__bundle__free_unpacked(b, NULL);
    return rc;
}
