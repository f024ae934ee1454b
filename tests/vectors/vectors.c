/*
 * vectors.c - the protocol's test vectors from their fixed inputs
 * (vectors.h).
 */
#include "vectors.h"
#include "common/envelope.h"
#include "common/sec.h"
#include "fsd.pb-c.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

const char *const vector_names[V__COUNT] = {"server_v1_public_key",
                                            "server_v2_public_key",
                                            "device_sign_public_key",
                                            "device_box_public_key",
                                            "enroll_request_payload",
                                            "enroll_request_envelope",
                                            "enroll_reply_payload",
                                            "enroll_reply_envelope",
                                            "sync_request_payload",
                                            "sync_request_envelope",
                                            "bundle_1_sealed_jobs_plaintext",
                                            "bundle_2_sealed_jobs_plaintext",
                                            "bundle_1_payload",
                                            "bundle_1_envelope",
                                            "bundle_1_payload_hash",
                                            "keyset_2_payload",
                                            "keyset_2_envelope",
                                            "bundle_2_payload",
                                            "bundle_2_envelope",
                                            "bundle_2_payload_hash"};

const struct vector_secrets vector_secrets = {
    "0101010101010101010101010101010101010101010101010101010101010101",
    "0202020202020202020202020202020202020202020202020202020202020202",
    "0303030303030303030303030303030303030303030303030303030303030303",
    "0404040404040404040404040404040404040404040404040404040404040404"};

#define DEVICE_ID 7
#define TECHNICIAN_ID 3
#define JOB_ID 42
#define T0 1800000000 /* 2027-01-15T08:00:00Z */

struct keys {
    uint8_t v1_pk[32], v1_sk[64], v2_pk[32], v2_sk[64];
    uint8_t dev_pk[32], dev_sk[64], box_pk[32], box_sk[32];
    char v1_id[SEC_KEY_ID_TEXT], v2_id[SEC_KEY_ID_TEXT];
    uint8_t epoch[16];
};

static void from_hex(const char *hex, uint8_t *out, size_t n)
{
    sodium_hex2bin(out, n, hex, strlen(hex), NULL, NULL, NULL);
}

static void make_keys(struct keys *k)
{
    uint8_t seed[32];

    from_hex(vector_secrets.server_v1_seed, seed, 32);
    crypto_sign_seed_keypair(k->v1_pk, k->v1_sk, seed);
    from_hex(vector_secrets.server_v2_seed, seed, 32);
    crypto_sign_seed_keypair(k->v2_pk, k->v2_sk, seed);
    from_hex(vector_secrets.device_sign_seed, seed, 32);
    crypto_sign_seed_keypair(k->dev_pk, k->dev_sk, seed);
    from_hex(vector_secrets.device_box_sk, k->box_sk, 32);
    crypto_scalarmult_base(k->box_pk, k->box_sk);
    sec_key_id(k->v1_pk, k->v1_id);
    sec_key_id(k->v2_pk, k->v2_id);
    for (int i = 0; i < 16; i++)
        k->epoch[i] = (uint8_t)(0xe0 + i);
}

static void copy(struct bytes_out *o, const uint8_t *b, size_t n)
{
    o->data = malloc(n + 1);
    memcpy(o->data, b, n);
    o->len = n;
}

/* A message's packed bytes into o (pack through protobuf-c's base). */
static void pack(const ProtobufCMessage *m, struct bytes_out *o)
{
    o->len = protobuf_c_message_get_packed_size(m);
    o->data = malloc(o->len + 1);
    protobuf_c_message_pack(m, o->data);
}

static void sign(const char *type, const struct bytes_out *payload,
                 const uint8_t *const *sks, size_t n, struct bytes_out *o)
{
    envelope_sign_all(type, payload->data, payload->len, sks, n, &o->data,
                      &o->len);
}

static void enrollment(const struct keys *k, struct bytes_out *out)
{
    Fsd__V1__EnrollRequest rq = FSD__V1__ENROLL_REQUEST__INIT;
    Fsd__V1__EnrollReply rp = FSD__V1__ENROLL_REPLY__INIT;
    Fsd__V1__Keyset ks = FSD__V1__KEYSET__INIT;
    Fsd__V1__PublicKey pk = FSD__V1__PUBLIC_KEY__INIT, *pks[1] = {&pk};
    const uint8_t *dev[1] = {k->dev_sk}, *v1[1] = {k->v1_sk};

    rq.code = "K7Q2M9X4P3T8";
    rq.device_sign_pk = (ProtobufCBinaryData){32, (uint8_t *)k->dev_pk};
    rq.device_box_pk = (ProtobufCBinaryData){32, (uint8_t *)k->box_pk};
    rq.device_name = "handheld 1";
    rq.device_time = T0;
    pack(&rq.base, &out[V_ENROLL_REQUEST_PAYLOAD]);
    sign("fsd.v1.EnrollRequest", &out[V_ENROLL_REQUEST_PAYLOAD], dev, 1,
         &out[V_ENROLL_REQUEST]);
    pk.key_id = (char *)k->v1_id;
    pk.ed25519 = (ProtobufCBinaryData){32, (uint8_t *)k->v1_pk};
    ks.version = 1;
    ks.n_keys = 1;
    ks.keys = pks;
    ks.issued_at = T0 - 86400;
    rp.device_id = DEVICE_ID;
    rp.technician_id = TECHNICIAN_ID;
    rp.keyset = &ks;
    rp.epoch = (ProtobufCBinaryData){16, (uint8_t *)k->epoch};
    pack(&rp.base, &out[V_ENROLL_REPLY_PAYLOAD]);
    sign("fsd.v1.EnrollReply", &out[V_ENROLL_REPLY_PAYLOAD], v1, 1,
         &out[V_ENROLL_REPLY]);
}

static void sync_request(const struct keys *k, struct bytes_out *out)
{
    Fsd__V1__SyncRequest sr = FSD__V1__SYNC_REQUEST__INIT;
    Fsd__V1__Capabilities caps = FSD__V1__CAPABILITIES__INIT;
    Fsd__V1__Mutation m = FSD__V1__MUTATION__INIT, *pm[1] = {&m};
    Fsd__V1__Note note = FSD__V1__NOTE__INIT;
    const uint8_t *dev[1] = {k->dev_sk};

    note.text = "gate code 4411";
    m.mutation_id = "7-1";
    m.job_id = JOB_ID;
    m.base_version = 3;
    m.device_time = T0 + 60;
    m.kind_case = FSD__V1__MUTATION__KIND_NOTE;
    m.note = &note;
    caps.max_bundle_bytes = 65536;
    caps.max_jobs_per_bundle = 100;
    sr.device_id = DEVICE_ID;
    sr.batch_seq = 1;
    sr.cursor = 0;
    sr.n_mutations = 1;
    sr.mutations = pm;
    sr.capabilities = &caps;
    sr.keyset_version = 1;
    sr.epoch = (ProtobufCBinaryData){16, (uint8_t *)k->epoch};
    pack(&sr.base, &out[V_SYNC_REQUEST_PAYLOAD]);
    sign("fsd.v1.SyncRequest", &out[V_SYNC_REQUEST_PAYLOAD], dev, 1,
         &out[V_SYNC_REQUEST]);
}

/* The job lists: bundle 1 carries job 42, bundle 2 none (a tombstone). */
static void job_lists(struct bytes_out *out)
{
    Fsd__V1__SealedJobs one = FSD__V1__SEALED_JOBS__INIT,
                        none = FSD__V1__SEALED_JOBS__INIT;
    Fsd__V1__Job job = FSD__V1__JOB__INIT, *pj[1] = {&job};
    Fsd__V1__Customer c = FSD__V1__CUSTOMER__INIT;
    Fsd__V1__Asset a = FSD__V1__ASSET__INIT;

    c.name = "Ms Lin";
    c.phone = "+86 21 5555 0101";
    c.address = "Lane 5, Gubei Road, Shanghai";
    c.lat = 31.1925;
    c.lon = 121.3987;
    a.model = "KFR26-2019-GP24";
    a.serial = "SN-0042";
    a.purchase_date = "2025-03-01";
    a.warranty_months = 24;
    job.id = JOB_ID;
    job.version = 3;
    job.status = "assigned";
    job.kind = "repair";
    job.fault = "the indoor unit leaks water";
    job.priority = 3;
    job.window_start = T0 + 3600;
    job.window_end = T0 + 3 * 3600;
    job.duration_minutes = 60;
    job.customer = &c;
    job.asset = &a;
    one.n_jobs = 1;
    one.jobs = pj;
    pack(&one.base, &out[V_SEALED_JOBS_1]);
    pack(&none.base, &out[V_SEALED_JOBS_2]);
}

/* plain sealed to the device, unless a sealed box is given. */
static void seal(const struct keys *k, const struct bytes_out *plain,
                 const struct bytes_out *given, struct bytes_out *made)
{
    if (given && given->data) {
        copy(made, given->data, given->len);
        return;
    }
    made->len = plain->len + crypto_box_SEALBYTES;
    made->data = malloc(made->len);
    crypto_box_seal(made->data, plain->data, plain->len, k->box_pk);
}

static void keyset_2(const struct keys *k, struct bytes_out *out)
{
    Fsd__V1__Keyset ks = FSD__V1__KEYSET__INIT;
    Fsd__V1__PublicKey pk = FSD__V1__PUBLIC_KEY__INIT, *pks[1] = {&pk};
    const uint8_t *both[2] = {k->v1_sk, k->v2_sk};

    pk.key_id = (char *)k->v2_id;
    pk.ed25519 = (ProtobufCBinaryData){32, (uint8_t *)k->v2_pk};
    ks.version = 2;
    ks.n_keys = 1;
    ks.keys = pks;
    ks.issued_at = T0 + 120;
    pack(&ks.base, &out[V_KEYSET_2_PAYLOAD]);
    sign("fsd.v1.Keyset", &out[V_KEYSET_2_PAYLOAD], both, 2, &out[V_KEYSET_2]);
}

/* Pack b into the payload item, sign it with sk into the next item and
 * put the payload's hash in the one after, also into hash. */
static void sign_bundle(const Fsd__V1__Bundle *b, const uint8_t *sk,
                        struct bytes_out *items, uint8_t hash[32])
{
    const uint8_t *sks[1] = {sk};

    pack(&b->base, &items[0]);
    sign("fsd.v1.Bundle", &items[0], sks, 1, &items[1]);
    sec_hash(items[0].data, items[0].len, hash);
    copy(&items[2], hash, 32);
}

/* Bundle 1 (job 42, the note's ack, signed by v1) and bundle 2 (job 42
 * reassigned away: a tombstone; signed by v2 after the rotation). */
static void bundles(const struct keys *k, const struct bytes_out made[2],
                    struct bytes_out *out)
{
    Fsd__V1__Bundle b = FSD__V1__BUNDLE__INIT;
    Fsd__V1__Ack ack = FSD__V1__ACK__INIT, *pa[1] = {&ack};
    uint64_t removed[1] = {JOB_ID};
    uint8_t zeros[32] = {0}, hash1[32], hash2[32];

    ack.mutation_id = "7-1";
    ack.result = FSD__V1__ACK__RESULT__APPLIED;
    ack.job_version = 3;
    b.technician_id = TECHNICIAN_ID;
    b.device_id = DEVICE_ID;
    b.bundle_seq = 1;
    b.prev_bundle_hash = (ProtobufCBinaryData){32, zeros};
    b.issued_at = T0 + 61;
    b.expires_at = T0 + 61 + 86400;
    b.checkpoint = 120;
    b.sealed_jobs = (ProtobufCBinaryData){made[0].len, made[0].data};
    b.n_acks = 1;
    b.acks = pa;
    b.signer_key_id = (char *)k->v1_id;
    b.keyset_version = 1;
    b.epoch = (ProtobufCBinaryData){16, (uint8_t *)k->epoch};
    sign_bundle(&b, k->v1_sk, &out[V_BUNDLE_1_PAYLOAD], hash1);
    b.bundle_seq = 2;
    b.prev_bundle_hash = (ProtobufCBinaryData){32, hash1};
    b.issued_at = T0 + 180;
    b.expires_at = T0 + 180 + 86400;
    b.checkpoint = 125;
    b.sealed_jobs = (ProtobufCBinaryData){made[1].len, made[1].data};
    b.n_removed_job_ids = 1;
    b.removed_job_ids = removed;
    b.n_acks = 0;
    b.acks = NULL;
    b.signer_key_id = (char *)k->v2_id;
    b.keyset_version = 2;
    sign_bundle(&b, k->v2_sk, &out[V_BUNDLE_2_PAYLOAD], hash2);
}

int vectors_build(const struct bytes_out sealed[2],
                  struct bytes_out out[V__COUNT], struct bytes_out made[2])
{
    struct keys k;

    if (sodium_init() < 0)
        return -1;
    memset(out, 0, sizeof *out * V__COUNT);
    make_keys(&k);
    copy(&out[V_SERVER_V1_PK], k.v1_pk, 32);
    copy(&out[V_SERVER_V2_PK], k.v2_pk, 32);
    copy(&out[V_DEVICE_SIGN_PK], k.dev_pk, 32);
    copy(&out[V_DEVICE_BOX_PK], k.box_pk, 32);
    enrollment(&k, out);
    sync_request(&k, out);
    job_lists(out);
    seal(&k, &out[V_SEALED_JOBS_1], sealed ? &sealed[0] : NULL, &made[0]);
    seal(&k, &out[V_SEALED_JOBS_2], sealed ? &sealed[1] : NULL, &made[1]);
    keyset_2(&k, out);
    bundles(&k, made, out);
    sodium_memzero(&k, sizeof k);
    return 0;
}
