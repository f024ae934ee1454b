/*
 * codec.c - the signed, sealed Bundle with the jobs' snapshots
 * (codec_job.c makes each), a stored reply issued again, and the
 * SyncError of a refusal.  Strings in the messages point into the JSON
 * rows they come from, so the rows outlive the packing.
 */
#include "sync/codec.h"
#include "common/envelope.h"
#include "common/mem.h"
#include "common/sec.h"
#include "fsd.pb-c.h"
#include "sync/codec_job.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The snapshots packed as SealedJobs and sealed to the device. */
static unsigned char *sealed_jobs(const json_t *jobs, const uint8_t pk[32],
                                  size_t *len)
{
    Fsd__V1__SealedJobs sj = FSD__V1__SEALED_JOBS__INIT;
    size_t n = json_array_size(jobs), plen;
    struct codec_job *m = xcalloc(n + 1, sizeof *m);
    Fsd__V1__Job **pj = xcalloc(n + 1, sizeof *pj);
    unsigned char *plain, *sealed;

    for (size_t i = 0; i < n; i++) {
        codec_job_fill(&m[i], json_array_get(jobs, i));
        pj[i] = &m[i].job;
    }
    sj.n_jobs = n;
    sj.jobs = pj;
    plen = fsd__v1__sealed_jobs__get_packed_size(&sj);
    plain = xmalloc(plen + 1);
    fsd__v1__sealed_jobs__pack(&sj, plain);
    *len = plen + crypto_box_SEALBYTES;
    sealed = xmalloc(*len);
    crypto_box_seal(sealed, plain, plen, pk);
    sodium_memzero(plain, plen);
    free(plain);
    for (size_t i = 0; i < n; i++)
        codec_job_release(&m[i]);
    free(m);
    free(pj);
    return sealed;
}

static Fsd__V1__Ack__Result ack_result(const char *r)
{
    return !strcmp(r, "applied")    ? FSD__V1__ACK__RESULT__APPLIED
           : !strcmp(r, "conflict") ? FSD__V1__ACK__RESULT__CONFLICT
                                    : FSD__V1__ACK__RESULT__REJECTED;
}

int codec_bundle(const struct bundle_keys *k, struct sync_content *c,
                 const struct sync_ack *acks, size_t n, unsigned char **out,
                 size_t *len, struct err *err)
{
    Fsd__V1__Bundle b = FSD__V1__BUNDLE__INIT;
    Fsd__V1__Ack *a = xcalloc(n + 1, sizeof *a), **pa = xcalloc(n + 1,
                                                               sizeof *pa);
    size_t nremoved = json_array_size(c->removed), plen;
    uint64_t *removed = xcalloc(nremoved + 1, sizeof *removed);
    unsigned char *payload;

    (void)err;
    for (size_t i = 0; i < n; i++) {
        fsd__v1__ack__init(&a[i]);
        a[i].mutation_id = (char *)acks[i].mutation_id;
        a[i].result = ack_result(acks[i].result);
        a[i].code = (char *)acks[i].code;
        a[i].message = (char *)acks[i].message;
        a[i].job_version = (uint64_t)acks[i].job_version;
        pa[i] = &a[i];
    }
    for (size_t i = 0; i < nremoved; i++)
        removed[i] = (uint64_t)json_integer_value(json_array_get(c->removed,
                                                                 i));
    b.technician_id = (uint64_t)k->dev->technician_id;
    b.device_id = (uint64_t)k->dev->id;
    b.bundle_seq = c->bundle_seq;
    b.prev_bundle_hash.data = c->prev_hash;
    b.prev_bundle_hash.len = 32;
    b.issued_at = k->now;
    b.expires_at = k->now + BUNDLE_TTL_SECONDS;
    b.checkpoint = c->checkpoint;
    b.sealed_jobs.data = sealed_jobs(c->jobs, k->dev->box_pk,
                                     &b.sealed_jobs.len);
    b.n_removed_job_ids = nremoved;
    b.removed_job_ids = removed;
    b.has_more = c->has_more;
    b.resync = c->resync;
    b.epoch.data = c->epoch;
    b.epoch.len = sizeof c->epoch;
    b.n_acks = n;
    b.acks = pa;
    b.signer_key_id = (char *)k->key_id;
    b.keyset_version = k->keyset_version;
    plen = fsd__v1__bundle__get_packed_size(&b);
    payload = xmalloc(plen + 1);
    fsd__v1__bundle__pack(&b, payload);
    sec_hash(payload, plen, c->hash);
    envelope_seal_sign(BUNDLE_TYPE, payload, plen, k->sk, out, len);
    free(payload);
    free(b.sealed_jobs.data);
    free(removed);
    free(a);
    free(pa);
    return 0;
}

int codec_bundle_reissue(const struct bundle_keys *k, const unsigned char *in,
                         size_t in_len, unsigned char **out, size_t *len,
                         unsigned char hash[32], struct err *err)
{
    Fsd__V1__Envelope *env = NULL;
    Fsd__V1__Bundle *b = NULL;
    unsigned char *payload;
    size_t plen;

    *out = NULL;
    if (envelope_unpack(in, in_len, in_len, &env, err))
        return err->rc;
    b = fsd__v1__bundle__unpack(NULL, env->payload.len, env->payload.data);
    fsd__v1__envelope__free_unpacked(env, NULL);
    if (!b)
        return err_set(err, ERR_STORAGE, "storage", NULL,
                       "a stored reply is not a Bundle");
    if (!strcmp(b->signer_key_id, k->key_id) && b->expires_at > k->now) {
        fsd__v1__bundle__free_unpacked(b, NULL);
        return 0; /* still good as it is */
    }
    if (b->signer_key_id != protobuf_c_empty_string)
        free(b->signer_key_id);
    b->signer_key_id = xstrdup(k->key_id);
    b->keyset_version = k->keyset_version;
    b->issued_at = k->now;
    b->expires_at = k->now + BUNDLE_TTL_SECONDS;
    plen = fsd__v1__bundle__get_packed_size(b);
    payload = xmalloc(plen + 1);
    fsd__v1__bundle__pack(b, payload);
    sec_hash(payload, plen, hash);
    envelope_seal_sign(BUNDLE_TYPE, payload, plen, k->sk, out, len);
    free(payload);
    fsd__v1__bundle__free_unpacked(b, NULL);
    return 0;
}

char *codec_sync_error(const char *code, const char *message,
                       uint64_t last_batch_seq, size_t *len)
{
    Fsd__V1__SyncError e = FSD__V1__SYNC_ERROR__INIT;
    char *body;

    e.code = (char *)code;
    e.message = (char *)message;
    e.last_batch_seq = last_batch_seq;
    *len = fsd__v1__sync_error__get_packed_size(&e);
    body = xmalloc(*len + 1);
    fsd__v1__sync_error__pack(&e, (uint8_t *)body);
    return body;
}
