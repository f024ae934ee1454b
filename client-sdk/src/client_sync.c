/*
 * client_sync.c - fsd_sync: upload the outbox, check the bundle the way
 * PROTOCOL.md section 8 orders it, and apply it in one local transaction.
 *
 * The batch being sent is stored (its exact bytes) before it leaves, so a
 * retry after a lost reply sends the same bytes with the same batch number
 * and the server answers from its stored reply; new actions wait for the
 * next batch.  An outbox item goes only when a verified bundle
 * acknowledges it; refused ones stay, marked, and never block the rest.
 */
#include "client_int.h"
#include "common/envelope.h"
#include "common/sec.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 200 /* bundles in one fsd_sync, has_more included */

/* Pack a SyncRequest of the oldest pending items, signed by the device. */
static int build_batch(fsd_client *c, uint8_t **out, size_t *len)
{
    Fsd__V1__SyncRequest sr = FSD__V1__SYNC_REQUEST__INIT;
    Fsd__V1__Capabilities caps = FSD__V1__CAPABILITIES__INIT;
    Fsd__V1__Mutation *muts[CLIENT_MAX_BATCH];
    uint8_t sk[64], epoch[CLIENT_EPOCH_BYTES], *payload;
    size_t n, plen;

    if (client_meta_blob(c, "sign_sk", sk, sizeof sk) != 64)
        return client_fail(c, FSD_ERR_STATE, "this device is not enrolled");
    n = client_outbox_pending(c, muts, CLIENT_MAX_BATCH);
    sr.device_id = (uint64_t)client_meta_int(c, "device_id");
    sr.batch_seq = (uint64_t)client_meta_int(c, "batch_seq") + 1;
    sr.cursor = (uint64_t)client_meta_int(c, "cursor");
    sr.keyset_version = (uint64_t)client_meta_int(c, "keyset_version");
    if (client_meta_blob(c, "epoch", epoch, sizeof epoch) ==
        CLIENT_EPOCH_BYTES) {
        sr.epoch.data = epoch;
        sr.epoch.len = sizeof epoch;
    }
    caps.max_bundle_bytes = c->max_bundle_bytes;
    caps.max_jobs_per_bundle = c->max_jobs;
    sr.capabilities = &caps;
    sr.n_mutations = n;
    sr.mutations = muts;
    plen = fsd__v1__sync_request__get_packed_size(&sr);
    payload = malloc(plen + 1);
    fsd__v1__sync_request__pack(&sr, payload);
    envelope_seal_sign("fsd.v1.SyncRequest", payload, plen, sk, out, len);
    sodium_memzero(sk, sizeof sk);
    free(payload);
    for (size_t i = 0; i < n; i++)
        fsd__v1__mutation__free_unpacked(muts[i], NULL);
    /* remembered before it is sent: a retry sends these very bytes */
    if (client_exec(c, "BEGIN IMMEDIATE") ||
        client_meta_set_blob(c, "pending_batch", *out, *len) ||
        client_meta_set_int(c, "batch_seq", (int64_t)sr.batch_seq) ||
        client_exec(c, "COMMIT")) {
        free(*out);
        return FSD_ERR_IO;
    }
    return FSD_OK;
}

/* The batch to send: the stored one, or a new one. */
static int next_batch(fsd_client *c, uint8_t **out, size_t *len)
{
    return client_meta_bytes(c, "pending_batch", out, len) == FSD_OK
               ? FSD_OK
               : build_batch(c, out, len);
}

/* Full jitter: a random wait up to base * 2^attempt. */
static void backoff(const fsd_client *c, int attempt)
{
    long cap = c->base_ms << (attempt < 10 ? attempt : 10);

    if (cap > 0)
        usleep((useconds_t)(randombytes_uniform((uint32_t)cap) * 1000));
}

/* Send the batch, retrying transient failures; the reply on success. */
static int exchange(fsd_client *c, const uint8_t *body, size_t len,
                    uint8_t **reply, size_t *reply_len)
{
    char url[600], base[520];
    long status = 0;
    int rc = FSD_ERR_NETWORK;

    if (client_meta_blob(c, "server_url", base, sizeof base) < 0)
        return client_fail(c, FSD_ERR_STATE, "this device is not enrolled");
    snprintf(url, sizeof url, "%s/sync/v1/sync", base);
    for (int i = 0; i < c->attempts && rc == FSD_ERR_NETWORK; i++) {
        if (i)
            backoff(c, i - 1);
        rc = client_post(c, url, body, len, &status, reply, reply_len);
        if (rc == FSD_OK && status != 200) {
            rc = client_refused(c, status, *reply, *reply_len);
            free(*reply);
        }
    }
    return rc;
}

/* After a stale_batch refusal the device numbers its batches on from the
 * server's last accepted one (its own count fell behind: a store restored
 * from a copy); the batch is built again, its mutations answered from
 * the server's stored results where they were applied.  1 when done. */
static int renumber(fsd_client *c)
{
    if (strcmp(c->refusal, "stale_batch") != 0 ||
        c->server_batch_seq < (uint64_t)client_meta_int(c, "batch_seq"))
        return 0;
    return client_meta_set_int(c, "batch_seq",
                               (int64_t)c->server_batch_seq) == FSD_OK;
}

int fsd_sync(fsd_client *c, struct fsd_sync_result *out)
{
    struct fsd_sync_result res;
    int more = 1, rc = FSD_OK, renumbered = 0;

    memset(&res, 0, sizeof res);
    c->connects = 0;
    if (!fsd_device_id(c))
        return client_fail(c, FSD_ERR_STATE, "this device is not enrolled");
    for (int round = 0; rc == FSD_OK && more && round < MAX_ROUNDS;
         round++) {
        uint8_t *body = NULL, *reply = NULL;
        size_t len = 0, reply_len = 0;
        if ((rc = next_batch(c, &body, &len)) == FSD_OK &&
            (rc = exchange(c, body, len, &reply, &reply_len)) == FSD_OK) {
            rc = client_apply_bundle(c, reply, reply_len, &res, &more);
            free(reply);
        } else if (rc == FSD_ERR_REFUSED) {
            /* refused for good: this batch will not be answered */
            client_meta_del(c, "pending_batch");
            if (!renumbered && (renumbered = renumber(c)))
                rc = FSD_OK;
        }
        free(body);
    }
    res.connections = (int)c->connects;
    if (out)
        *out = res;
    return rc;
}
