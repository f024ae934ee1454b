/*
 * envelope.c - PAE, Ed25519 signing and the verification order of signed
 * envelopes (see envelope.h).  Nothing here parses a payload.
 */
#include "common/envelope.h"
#include "common/mem.h"
#include "common/sec.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t envelope_pae_len(const char *type, size_t len)
{
    size_t tl = strlen(type);

    return (size_t)snprintf(NULL, 0, ENVELOPE_DOMAIN " %zu ", tl) + tl +
           (size_t)snprintf(NULL, 0, " %zu ", len) + len;
}

void envelope_pae(const char *type, const uint8_t *payload, size_t len,
                  uint8_t *out)
{
    char head[40];
    size_t tl = strlen(type);
    int n = snprintf(head, sizeof head, ENVELOPE_DOMAIN " %zu ", tl);

    memcpy(out, head, (size_t)n);
    out += n;
    memcpy(out, type, tl);
    out += tl;
    n = snprintf(head, sizeof head, " %zu ", len);
    memcpy(out, head, (size_t)n);
    out += n;
    if (len)
        memcpy(out, payload, len);
}

/* Ed25519 over the PAE of payload. */
static void sign_pae(const char *type, const uint8_t *payload, size_t len,
                     const uint8_t sk[64], uint8_t sig[64])
{
    size_t n = envelope_pae_len(type, len);
    uint8_t *pae = xmalloc(n);

    envelope_pae(type, payload, len, pae);
    crypto_sign_detached(sig, NULL, pae, n, sk);
    free(pae);
}

void envelope_sign_all(const char *type, const uint8_t *payload,
                       size_t len, const uint8_t *const *sks, size_t n,
                       uint8_t **out, size_t *out_len)
{
    Fsd__V1__Envelope env = FSD__V1__ENVELOPE__INIT;
    Fsd__V1__Sig *sig = xcalloc(n + 1, sizeof *sig);
    Fsd__V1__Sig **sigs = xcalloc(n + 1, sizeof *sigs);
    char (*key_ids)[SEC_KEY_ID_TEXT] = xcalloc(n + 1, sizeof *key_ids);
    uint8_t (*s)[64] = xcalloc(n + 1, sizeof *s);

    for (size_t i = 0; i < n; i++) {
        fsd__v1__sig__init(&sig[i]);
        sec_key_id(sks[i] + 32, key_ids[i]); /* libsodium keeps pk in sk */
        sign_pae(type, payload, len, sks[i], s[i]);
        sig[i].key_id = key_ids[i];
        sig[i].sig.data = s[i];
        sig[i].sig.len = 64;
        sigs[i] = &sig[i];
    }
    env.payload.data = (uint8_t *)payload;
    env.payload.len = len;
    env.payload_type = (char *)type;
    env.n_sigs = n;
    env.sigs = sigs;
    *out_len = fsd__v1__envelope__get_packed_size(&env);
    *out = xmalloc(*out_len ? *out_len : 1);
    fsd__v1__envelope__pack(&env, *out);
    free(sig);
    free(sigs);
    free(key_ids);
    free(s);
}

void envelope_seal_sign(const char *type, const uint8_t *payload,
                        size_t len, const uint8_t sk[64], uint8_t **out,
                        size_t *out_len)
{
    envelope_sign_all(type, payload, len, &sk, 1, out, out_len);
}

static int verify_pae(const Fsd__V1__Envelope *env, const uint8_t *sig,
                      const uint8_t pk[32])
{
    size_t n = envelope_pae_len(env->payload_type, env->payload.len);
    uint8_t *pae = xmalloc(n);
    int ok;

    envelope_pae(env->payload_type, env->payload.data, env->payload.len,
                 pae);
    ok = crypto_sign_verify_detached(sig, pae, n, pk) == 0;
    free(pae);
    return ok;
}

/* The signature check of section 4, steps 3 and 4: 0 when one signature
 * by a trusted key verifies (one suffices, wherever it is in the list),
 * else 1 when a trusted key's signature does not verify, else -1 (no
 * signature by a trusted key). */
static int trusted_signature(const Fsd__V1__Envelope *env,
                             const struct envelope_key *keys, size_t n)
{
    int found = -1;

    for (size_t i = 0; i < env->n_sigs; i++)
        for (size_t k = 0; k < n; k++) {
            const Fsd__V1__Sig *s = env->sigs[i];
            if (!s->key_id || strcmp(s->key_id, keys[k].key_id) != 0)
                continue;
            if (s->sig.len == crypto_sign_BYTES &&
                verify_pae(env, s->sig.data, keys[k].pk))
                return 0;
            found = 1;
        }
    return found;
}

int envelope_unpack(const uint8_t *data, size_t len, size_t max,
                    Fsd__V1__Envelope **out, struct err *err)
{
    Fsd__V1__Envelope *env = NULL;

    if (len > max)
        return err_set(err, ERR_TOO_LARGE, "too_large", NULL,
                       "the envelope is %zu bytes, over the limit of %zu",
                       len, max);
    env = fsd__v1__envelope__unpack(NULL, len, data);
    if (!env || env->n_sigs == 0 || env->n_sigs > ENVELOPE_MAX_SIGS) {
        if (env)
            fsd__v1__envelope__free_unpacked(env, NULL);
        return err_set(err, ERR_INVALID, "malformed_envelope", NULL,
                       "not a signed envelope (1 to %d signatures)",
                       ENVELOPE_MAX_SIGS);
    }
    *out = env;
    return 0;
}

int envelope_verify(const Fsd__V1__Envelope *env, const char *want_type,
                    const struct envelope_key *keys, size_t n,
                    struct err *err)
{
    int found = trusted_signature(env, keys, n);

    if (found < 0)
        return err_set(err, ERR_FORBIDDEN, "unknown_key", NULL,
                       "the envelope is not signed by a trusted key");
    if (found > 0)
        return err_set(err, ERR_FORBIDDEN, "bad_signature", NULL,
                       "the envelope's signature does not verify");
    if (strcmp(env->payload_type, want_type) != 0)
        return err_set(err, ERR_INVALID, "wrong_type", NULL,
                       "expected a %s, got a %s", want_type,
                       env->payload_type);
    return 0;
}

int envelope_open(const uint8_t *data, size_t len, size_t max,
                  const char *want_type, const struct envelope_key *keys,
                  size_t n, Fsd__V1__Envelope **out, struct err *err)
{
    Fsd__V1__Envelope *env = NULL;

    if (envelope_unpack(data, len, max, &env, err))
        return err->rc;
    if (envelope_verify(env, want_type, keys, n, err)) {
        fsd__v1__envelope__free_unpacked(env, NULL);
        return err->rc;
    }
    *out = env;
    return 0;
}
