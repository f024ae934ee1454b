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

int keyset_rotate(struct store *s, uint64_t *version, char *key_id,
                  struct err *err)
{
    Fsd__V1__Keyset ks = FSD__V1__KEYSET__INIT;
    Fsd__V1__PublicKey key = FSD__V1__PUBLIC_KEY__INIT, *keys[1] = {&key};
    const uint8_t *sks[SIGNING_KEYS_MAX + 1];
    unsigned char pk[32], sk[64], *payload, *env;
    struct signing_keys old;
    size_t n, len;
    int rc;

    if (store_signing_keys(s, &old, err))
        return err->rc;
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
        sks[i] = old.keys[i].sk;
    sks[old.n] = sk;
    envelope_sign_all(KEYSET_TYPE, payload, n, sks, old.n + 1, &env, &len);
    rc = store_key_rotate(s, key_id, pk, sk, ks.version, env, len, err);
    *version = ks.version;
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(&old, sizeof old);
    free(payload);
    free(env);
    return rc;
}
