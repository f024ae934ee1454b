/*
 * api_devices.c - enrolling technicians' devices.
 *
 * Staff side: POST /api/v1/technicians/{id}/enrollment-codes hands out a
 * one-time code (shown once, stored as a hash).  Device side:
 * POST /sync/v1/enroll takes an EnrollRequest envelope signed by the new
 * device key itself (proof that the device holds it; the code is what
 * authorises it) and answers with an EnrollReply signed by the server's
 * bundle-signing key, carrying the keyset the device pins.
 */
#include "api/api.h"
#include "app.h"
#include "common/envelope.h"
#include "common/mem.h"
#include "common/sec.h"
#include "common/timefmt.h"
#include "sync/pbtext.h"
#include "sync/signing_keys.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CODE_LEN 12               /* 31 symbols: about 59 bits */
#define CODE_TTL_SECONDS 86400    /* PROTOCOL.md section 5 */
#define ENROLL_TYPE "fsd.v1.EnrollRequest"
#define ENROLL_REPLY_TYPE "fsd.v1.EnrollReply"

int api_enrollment_code_create(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    char code[CODE_LEN + 1], at[TIMEFMT_RFC3339_LEN];
    unsigned char hash[SEC_HASH_BYTES];
    int64_t id, expires_at;

    if (http_param_id(req, "id", &id, err))
        return err->rc;
    sec_code_new(code, CODE_LEN);
    sec_code_hash(code, hash);
    if (store_enrollment_code_create(req->app->store, id, hash,
                                     CODE_TTL_SECONDS, &who, &expires_at,
                                     err))
        return err->rc;
    timefmt_format_rfc3339(expires_at, at);
    return http_json(req, 201, json_pack("{s:s, s:I, s:s}", "code", code,
                                         "technician_id", (json_int_t)id,
                                         "expires_at", at));
}

/* The request's device key, read from the payload it signs. */
static int enroll_request(const Fsd__V1__Envelope *env,
                          Fsd__V1__EnrollRequest **er, struct err *err)
{
    *er = NULL;
    if (strcmp(env->payload_type, ENROLL_TYPE) != 0) {
        err_set(err, ERR_INVALID, "wrong_type", NULL,
                "expected a " ENROLL_TYPE);
    } else if (!(*er = fsd__v1__enroll_request__unpack(
                     NULL, env->payload.len, env->payload.data)) ||
               (*er)->device_sign_pk.len != 32 ||
               (*er)->device_box_pk.len != 32 || !(*er)->code[0] ||
               strlen((*er)->code) > 64 || strlen((*er)->device_name) > 100) {
        err_set(err, ERR_INVALID, "malformed_payload", NULL,
                "an EnrollRequest needs a code, 32-byte keys and a name of"
                " at most 100 bytes");
    } else if (!pbtext_valid(&(*er)->base)) {
        err_set(err, ERR_INVALID, "malformed_payload", NULL,
                "every text of an EnrollRequest must be UTF-8");
    }
    if (err->rc && *er) {
        fsd__v1__enroll_request__free_unpacked(*er, NULL);
        *er = NULL;
    }
    return err->rc;
}

/* The rotations a device may walk: the signed Keyset envelopes of
 * versions 2..current (version 1 is never signed by a predecessor), each
 * unpacked from its stored bytes into chain[] (caller frees each). */
static int keyset_chain(struct req *req, Fsd__V1__Envelope ***chain,
                        size_t *n, struct err *err)
{
    json_t *envs, *e;
    size_t i;

    *chain = NULL;
    *n = 0;
    if (store_keysets_after(req->app->store, 1, &envs, err))
        return err->rc;
    *chain = xcalloc(json_array_size(envs) + 1, sizeof **chain);
    json_array_foreach(envs, i, e) {
        Fsd__V1__Envelope *env = fsd__v1__envelope__unpack(
            NULL, json_string_length(e), (const uint8_t *)json_string_value(e));
        if (!env)
            break;
        (*chain)[(*n)++] = env;
    }
    json_decref(envs);
    return i == *n ? 0
                   : err_set(err, ERR_INTERNAL, "storage", NULL,
                             "a stored keyset is not an envelope");
}

static void free_chain(Fsd__V1__Envelope **chain, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fsd__v1__envelope__free_unpacked(chain[i], NULL);
    free(chain);
}

/* The current keyset: as signed at its rotation (the last of chain), or
 * version 1 from the keys themselves, issued when its key was made. */
static Fsd__V1__Keyset *current_keyset(const struct signing_keys *sk,
                                       Fsd__V1__Envelope **chain, size_t n,
                                       Fsd__V1__Keyset *v1,
                                       Fsd__V1__PublicKey *pks,
                                       Fsd__V1__PublicKey **ppks)
{
    if (n)
        return fsd__v1__keyset__unpack(NULL, chain[n - 1]->payload.len,
                                       chain[n - 1]->payload.data);
    for (size_t i = 0; i < sk->n; i++) {
        fsd__v1__public_key__init(&pks[i]);
        pks[i].key_id = (char *)sk->keys[i].key_id;
        pks[i].ed25519.data = (uint8_t *)sk->keys[i].pk;
        pks[i].ed25519.len = 32;
        ppks[i] = &pks[i];
    }
    v1->version = sk->version;
    v1->n_keys = sk->n;
    v1->keys = ppks;
    v1->issued_at = sk->created_at;
    return v1;
}

/* The signed EnrollReply for a new device, as the reply body. */
static int enroll_reply(struct req *req, const struct device_enrollment *e,
                        struct err *err)
{
    Fsd__V1__EnrollReply reply = FSD__V1__ENROLL_REPLY__INIT;
    Fsd__V1__Keyset v1 = FSD__V1__KEYSET__INIT, *keyset;
    Fsd__V1__PublicKey pks[SIGNING_KEYS_MAX], *ppks[SIGNING_KEYS_MAX];
    Fsd__V1__Envelope **chain;
    struct signing_keys sk;
    unsigned char epoch[STORE_EPOCH_BYTES], secret[64];
    uint8_t *payload, *out;
    size_t n, out_len, n_chain;

    if (store_epoch(req->app->store, epoch, err) ||
        signing_keys_current(req->app->store, req->app->keys, &sk, secret,
                             err))
        return err->rc;
    if (keyset_chain(req, &chain, &n_chain, err)) {
        sodium_memzero(secret, sizeof secret);
        return err->rc;
    }
    keyset = current_keyset(&sk, chain, n_chain, &v1, pks, ppks);
    if (!keyset) {
        sodium_memzero(secret, sizeof secret);
        free_chain(chain, n_chain);
        return err_set(err, ERR_INTERNAL, "storage", NULL,
                       "the current keyset cannot be read");
    }
    reply.device_id = (uint64_t)e->device_id;
    reply.technician_id = (uint64_t)e->technician_id;
    reply.keyset = keyset;
    reply.n_keyset_chain = n_chain;
    reply.keyset_chain = chain;
    reply.epoch.data = epoch;
    reply.epoch.len = sizeof epoch;
    n = fsd__v1__enroll_reply__get_packed_size(&reply);
    payload = xmalloc(n + 1);
    fsd__v1__enroll_reply__pack(&reply, payload);
    envelope_seal_sign(ENROLL_REPLY_TYPE, payload, n, secret, &out,
                       &out_len);
    sodium_memzero(secret, sizeof secret);
    free(payload);
    if (keyset != &v1)
        fsd__v1__keyset__free_unpacked(keyset, NULL);
    free_chain(chain, n_chain);
    return http_text(req, 200, PROTOBUF_TYPE, (char *)out, out_len);
}

int api_sync_enroll(struct req *req, struct err *err)
{
    Fsd__V1__EnrollRequest *er;
    Fsd__V1__Envelope *env = NULL;
    struct envelope_key key;
    struct device_enrollment e;
    unsigned char hash[SEC_HASH_BYTES];
    int rc;

    /* the envelope is read once: the key it must be signed with is in
     * its own payload */
    if (envelope_unpack((const uint8_t *)req->body, req->body_len,
                        req->body_len, &env, err))
        return err->rc;
    if (enroll_request(env, &er, err)) {
        fsd__v1__envelope__free_unpacked(env, NULL);
        return err->rc;
    }
    memcpy(key.pk, er->device_sign_pk.data, 32);
    sec_key_id(key.pk, key.key_id);
    rc = envelope_verify(env, ENROLL_TYPE, &key, 1, err);
    if (rc == 0) {
        sec_code_hash(er->code, hash);
        memset(&e, 0, sizeof e);
        e.code_hash = hash;
        e.sign_pk = er->device_sign_pk.data;
        e.box_pk = er->device_box_pk.data;
        e.key_id = key.key_id;
        e.name = er->device_name;
        rc = store_device_enroll(req->app->store, &e, err);
    }
    if (rc == 0)
        rc = enroll_reply(req, &e, err);
    fsd__v1__envelope__free_unpacked(env, NULL);
    fsd__v1__enroll_request__free_unpacked(er, NULL);
    return rc;
}

static const struct jfield keysets_fields[] = {
    {.name = "after", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = 1000000}, JF_END};

/* GET /sync/v1/keysets?after=N: the signed keysets a device walks. */
int api_sync_keysets(struct req *req, struct err *err)
{
    Fsd__V1__KeysetChain chain = FSD__V1__KEYSET_CHAIN__INIT;
    json_t *vals, *envs, *e;
    ProtobufCBinaryData *items;
    uint8_t *out;
    size_t i, n;

    if (http_query_parse(req, keysets_fields, &vals, err))
        return err->rc;
    if (store_keysets_after(req->app->store,
                            (uint64_t)json_integer_value(json_object_get(
                                vals, "after")),
                            &envs, err)) {
        json_decref(vals);
        return err->rc;
    }
    items = xcalloc(json_array_size(envs) + 1, sizeof *items);
    json_array_foreach(envs, i, e) {
        items[i].data = (uint8_t *)json_string_value(e);
        items[i].len = json_string_length(e);
    }
    chain.n_keysets = json_array_size(envs);
    chain.keysets = items;
    n = fsd__v1__keyset_chain__get_packed_size(&chain);
    out = xmalloc(n + 1);
    fsd__v1__keyset_chain__pack(&chain, out);
    free(items);
    json_decref(envs);
    json_decref(vals);
    return http_text(req, 200, PROTOBUF_TYPE, (char *)out, n);
}
