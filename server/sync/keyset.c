/*
 * keyset.c - a new bundle-signing key and the keyset that introduces it.
 *
 * A device trusts the keyset it pinned at enrollment.  Each later version
 * carries the signatures of the previous version's keys (so the device can
 * trust it) and of its own keys (so a stolen old key alone cannot name a
 * successor without also holding the new one).
 */
#include "sync/keyset.h"
#include "common/envelope.h"
#include "common/mem.h"
#include "common/sec.h"
#include "fsd.pb-c.h"

#include <sodium.h>
#include <stdlib.h>
#include <time.h>

/* The secrets of every key of the current version, from the ring. */
static int old_secrets(struct keyring *ring, const struct signing_keys *old,
                       unsigned char (*sks)[64], struct err *err)
{
    for (size_t i = 0; i < old->n; i++)
        if (keyring_secret(ring, old->keys[i].key_id, sks[i], err))
            return err->rc;
    return 0;
}

int keyset_rotate(struct store *s, struct keyring *ring, uint64_t *version,
                  char *key_id, struct err *err)
{
    Fsd__V1__Keyset ks = FSD__V1__KEYSET__INIT;
    Fsd__V1__PublicKey key = FSD__V1__PUBLIC_KEY__INIT, *keys[1] = {&key};
    const uint8_t *sks[SIGNING_KEYS_MAX + 1];
    unsigned char pk[32], sk[64], *payload, *env;
    unsigned char old_sk[SIGNING_KEYS_MAX][64];
    struct signing_keys old;
    size_t n, len;
    int rc;

    if (store_signing_keys(s, &old, err) ||
        old_secrets(ring, &old, old_sk, err)) {
        sodium_memzero(old_sk, sizeof old_sk);
        return err->rc;
    }
    sec_sign_keypair(pk, sk, key_id);
    key.key_id = key_id;
    key.ed25519.data = pk;
    key.ed25519.len = 32;
    ks.version = old.version + 1;
    ks.n_keys = 1;
    ks.keys = keys;
    ks.issued_at = (int64_t)time(NULL);
    n = fsd__v1__keyset__get_packed_size(&ks);
    payload = xmalloc(n + 1);
    fsd__v1__keyset__pack(&ks, payload);
    for (size_t i = 0; i < old.n; i++)
        sks[i] = old_sk[i];
    sks[old.n] = sk;
    envelope_sign_all(KEYSET_TYPE, payload, n, sks, old.n + 1, &env, &len);
    /* the secret is on disk before the database names its key */
    rc = keyfile_add(ring->path, key_id, sk, err);
    if (rc == 0)
        rc = store_key_rotate(s, key_id, pk, ks.version, env, len, err);
    *version = ks.version;
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(old_sk, sizeof old_sk);
    free(payload);
    free(env);
    return rc;
}
