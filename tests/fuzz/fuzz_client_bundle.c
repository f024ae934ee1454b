/*
 * fuzz_client_bundle.c - the device SDK taking a bundle from the server
 * (client_apply_bundle, client_apply.c): verification, the protocol's
 * checks in order, opening the sealed jobs and applying it all to the
 * local store: an in-memory SQLite store enrolled as device 7 of
 * technician 3 with the fixed server key of fuzz.h, reset to "no bundle
 * yet" before each input (no server URL, so an unknown key ends in
 * FSD_ERR_STATE instead of a network call).
 *
 * Feeds: raw mode, the reply's bytes.  Built mode: a flags byte, a Bundle
 * template (16-bit length, then protobuf bytes) and a SealedJobs payload;
 * the target repairs what the flags say (audience, sequence, chain,
 * expiry, signer id), seals the jobs to the device, signs the bundle
 * (with the server's key, or a stranger's) and applies it.
 * Checks: raw bytes are applied only when they verify against the pinned
 * key, and a refused reply leaves the store untouched; a built bundle is
 * applied exactly when every check of PROTOCOL.md section 8 passes
 * (FSD_OK), else FSD_ERR_VERIFY (FSD_ERR_STATE for a stranger's key);
 * once applied, the device holds exactly the sealed jobs minus the
 * tombstones, the counters, cursor and bundle number are the bundle's,
 * and applying the same bytes again is a no-op that succeeds.
 */
#include "client_int.h"
#include "common/envelope.h"
#include "common/sec.h"
#include "fuzz.h"

#include <time.h>

static struct fuzz_sign_key server, stranger;
static unsigned char box_pk[32], box_sk[32];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    fuzz_sign_key(FUZZ_KEY_SERVER, &server);
    fuzz_sign_key(FUZZ_KEY_STRANGER, &stranger);
    fuzz_box_key(box_pk, box_sk);
    return 0;
}

/* The enrolled device, reset to before its first bundle: one store for
 * the whole run (opening one per input would cost most of the time). */
static fsd_client *device(void)
{
    static fsd_client *c;

    if (c) {
        if (client_exec(c, "DELETE FROM jobs; DELETE FROM outbox;"
                           " DELETE FROM meta WHERE key NOT IN"
                           " ('server_pk', 'box_pk', 'box_sk',"
                           " 'technician_id', 'device_id',"
                           " 'keyset_version')"))
            abort();
        return c;
    }
    if (fsd_open(":memory:", &c, NULL, 0) ||
        client_meta_set_blob(c, "server_pk", server.pk, 32) ||
        client_meta_set_blob(c, "box_pk", box_pk, 32) ||
        client_meta_set_blob(c, "box_sk", box_sk, 32) ||
        client_meta_set_int(c, "technician_id", FUZZ_TECHNICIAN_ID) ||
        client_meta_set_int(c, "device_id", FUZZ_DEVICE_ID) ||
        client_meta_set_int(c, "keyset_version", 1))
        abort();
    return c;
}

struct ids {
    int64_t v[4096];
    size_t n;
};

static void collect(const struct fsd_job_view *j, void *arg)
{
    struct ids *ids = arg;

    FUZZ_CHECK(ids->n < 4096, "too many jobs");
    ids->v[ids->n++] = (int64_t)j->id;
}

static int cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static void jobs_of(fsd_client *c, struct ids *ids)
{
    ids->n = 0;
    FUZZ_CHECK(fsd_jobs(c, collect, ids) == FSD_OK, "fsd_jobs");
    qsort(ids->v, ids->n, sizeof ids->v[0], cmp);
}

static void raw(const uint8_t *p, size_t n)
{
    fsd_client *c = device();
    struct fsd_sync_result res = {0};
    struct envelope_key key;
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env = NULL;
    struct ids ids;
    int more = 0, rc = client_apply_bundle(c, p, n, &res, &more);

    if (rc == FSD_OK) {
        memcpy(key.pk, server.pk, 32);
        memcpy(key.key_id, server.key_id, sizeof key.key_id);
        FUZZ_CHECK(envelope_open(p, n, n, "fsd.v1.Bundle", &key, 1, &env,
                                 &err) == 0,
                   "applied a bundle the server did not sign");
        fsd__v1__envelope__free_unpacked(env, NULL);
    } else {
        FUZZ_CHECK(rc == FSD_ERR_VERIFY || rc == FSD_ERR_STATE, "rc %d", rc);
        jobs_of(c, &ids);
        FUZZ_CHECK(ids.n == 0 && client_meta_int(c, "bundle_seq") == 0 &&
                       res.bundles == 0 && res.jobs_changed == 0,
                   "a refused bundle changed the store");
    }
}

/* The jobs a device must hold after applying b with jobs sj. */
static void expected(const Fsd__V1__Bundle *b, const Fsd__V1__SealedJobs *sj,
                     struct ids *ids)
{
    size_t k = 0;

    ids->n = 0;
    for (size_t i = 0; i < sj->n_jobs && ids->n < 4096; i++)
        ids->v[ids->n++] = (int64_t)sj->jobs[i]->id;
    qsort(ids->v, ids->n, sizeof ids->v[0], cmp);
    for (size_t i = 0; i < ids->n; i++) { /* distinct, minus tombstones */
        int gone = i && ids->v[i] == ids->v[i - 1];
        for (size_t r = 0; !gone && r < b->n_removed_job_ids; r++)
            gone = (int64_t)b->removed_job_ids[r] == ids->v[i];
        if (!gone)
            ids->v[k++] = ids->v[i];
    }
    ids->n = k;
}

static void built(struct fuzz_in *in)
{
    uint8_t flags = fuzz_u8(in);
    size_t alen, blen;
    const uint8_t *a = fuzz_bytes(in, fuzz_u16(in), &alen);
    const uint8_t *bj = fuzz_bytes(in, in->n, &blen);
    Fsd__V1__Bundle *tpl = fsd__v1__bundle__unpack(NULL, alen, a), b;
    Fsd__V1__SealedJobs *sj = fsd__v1__sealed_jobs__unpack(NULL, blen, bj);
    Fsd__V1__Bundle *again;
    int64_t now = (int64_t)time(NULL);
    uint8_t zero[32] = {0}, *sealed = NULL, *payload, *reply;
    size_t plen, rlen;
    struct fsd_sync_result res = {0}, res2 = {0};
    struct ids got, want;
    fsd_client *c;
    int ok, rc, more = 0;

    if (tpl)
        b = *tpl;
    else
        fsd__v1__bundle__init(&b);
    if (flags & 1) {
        b.technician_id = FUZZ_TECHNICIAN_ID;
        b.device_id = FUZZ_DEVICE_ID;
    }
    if ((flags & 2) && b.bundle_seq == 0)
        b.bundle_seq = 1;
    if (flags & 4) {
        b.prev_bundle_hash.data = zero;
        b.prev_bundle_hash.len = 32;
    }
    if (flags & 8)
        b.expires_at = now + 3600;
    if (flags & 16)
        b.signer_key_id = server.key_id;
    if (flags & 32) {
        sealed = malloc(blen + crypto_box_SEALBYTES);
        crypto_box_seal(sealed, bj, blen, box_pk);
        b.sealed_jobs.data = sealed;
        b.sealed_jobs.len = blen + crypto_box_SEALBYTES;
    }
    ok = b.technician_id == FUZZ_TECHNICIAN_ID &&
         b.device_id == FUZZ_DEVICE_ID && b.bundle_seq > 0 &&
         b.prev_bundle_hash.len == 32 &&
         !memcmp(b.prev_bundle_hash.data, zero, 32) && b.expires_at > now &&
         !strcmp(b.signer_key_id, server.key_id) && (flags & 32) && sj;
    plen = fsd__v1__bundle__get_packed_size(&b);
    payload = malloc(plen + 1);
    fsd__v1__bundle__pack(&b, payload);
    /* protobuf-c keeps a field numbered 0 (an overlong tag) as unknown
     * and writes it back undecodable: such a template makes a bundle the
     * device must refuse as malformed */
    if ((again = fsd__v1__bundle__unpack(NULL, plen, payload)))
        fsd__v1__bundle__free_unpacked(again, NULL);
    else
        ok = 0;
    envelope_seal_sign("fsd.v1.Bundle", payload, plen,
                       flags & 128 ? stranger.sk : server.sk, &reply, &rlen);

    c = device();
    rc = client_apply_bundle(c, reply, rlen, &res, &more);
    if (flags & 128)
        FUZZ_CHECK(rc == FSD_ERR_STATE, "a stranger's bundle: %d %s", rc,
                   fsd_last_error(c));
    else
        FUZZ_CHECK(rc == (ok ? FSD_OK : FSD_ERR_VERIFY),
                   "bundle (ok %d) applied with %d: %s", ok, rc,
                   fsd_last_error(c));
    jobs_of(c, &got);
    if (rc == FSD_OK) {
        expected(&b, sj, &want);
        FUZZ_CHECK(got.n == want.n &&
                       !memcmp(got.v, want.v, got.n * sizeof got.v[0]),
                   "%zu jobs held, %zu expected", got.n, want.n);
        FUZZ_CHECK(res.bundles == 1 && (size_t)res.jobs_changed == sj->n_jobs &&
                       (size_t)res.jobs_removed == b.n_removed_job_ids &&
                       (size_t)res.acked == b.n_acks && more == b.has_more,
                   "counters");
        FUZZ_CHECK((uint64_t)client_meta_int(c, "bundle_seq") == b.bundle_seq &&
                       (uint64_t)client_meta_int(c, "cursor") == b.checkpoint,
                   "bundle number or cursor");
        if (flags & 64) { /* the same bytes again: nothing to do */
            rc = client_apply_bundle(c, reply, rlen, &res2, &more);
            jobs_of(c, &want);
            FUZZ_CHECK(rc == FSD_OK && res2.bundles == 0 && want.n == got.n &&
                           !memcmp(got.v, want.v, got.n * sizeof got.v[0]),
                       "replay: %d %s", rc, fsd_last_error(c));
        }
    } else {
        FUZZ_CHECK(got.n == 0 && client_meta_int(c, "bundle_seq") == 0,
                   "a refused bundle changed the store");
    }
    free(reply);
    free(payload);
    free(sealed);
    if (sj)
        fsd__v1__sealed_jobs__free_unpacked(sj, NULL);
    if (tpl)
        fsd__v1__bundle__free_unpacked(tpl, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};

    if (fuzz_u8(&in) & 1)
        built(&in);
    else
        raw(in.p, in.n);
    return 0;
}
