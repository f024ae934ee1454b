/*
 * client_keys.c - following a rotation of the server's bundle-signing key.
 *
 * When a bundle is signed by a key the device does not know, it fetches
 * the keysets after the one it pinned and walks them in order: each must
 * be signed by the keys it already trusts and by its own new key, and be
 * exactly the next version.  Only then is the new key pinned.
 */
#include "client_int.h"
#include "common/envelope.h"
#include "common/sec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Check one keyset envelope against the trusted key; the next key. */
static int step(fsd_client *c, const ProtobufCBinaryData *b,
                struct envelope_key *trusted, int64_t *version)
{
    struct err err = ERR_INIT;
    struct envelope_key next;
    Fsd__V1__Envelope *env = NULL, *own = NULL;
    Fsd__V1__Keyset *ks = NULL;
    int rc = FSD_ERR_VERIFY;

    if (envelope_open(b->data, b->len, b->len, "fsd.v1.Keyset", trusted, 1,
                      &env, &err))
        return client_fail(c, FSD_ERR_VERIFY, "keyset: %s: %s", err.code,
                           err.msg);
    ks = fsd__v1__keyset__unpack(NULL, env->payload.len, env->payload.data);
    if (ks && ks->n_keys >= 1 && (int64_t)ks->version == *version + 1) {
        /* every key of the new version signed it; the first signs bundles */
        rc = FSD_OK;
        for (size_t i = ks->n_keys; rc == FSD_OK && i-- > 0;) {
            if (ks->keys[i]->ed25519.len != 32) {
                rc = FSD_ERR_VERIFY;
                break;
            }
            memcpy(next.pk, ks->keys[i]->ed25519.data, 32);
            sec_key_id(next.pk, next.key_id);
            if (own)
                fsd__v1__envelope__free_unpacked(own, NULL);
            own = NULL;
            if (envelope_open(b->data, b->len, b->len, "fsd.v1.Keyset", &next,
                              1, &own, &err))
                rc = FSD_ERR_VERIFY;
        }
        if (rc == FSD_OK) {
            *trusted = next; /* keys[0], the last checked */
            *version = (int64_t)ks->version;
        }
    }
    if (rc)
        client_fail(c, FSD_ERR_VERIFY, "keyset: version %lld is not signed"
                    " by its own key or does not follow",
                    (long long)*version + 1);
    if (own)
        fsd__v1__envelope__free_unpacked(own, NULL);
    if (ks)
        fsd__v1__keyset__free_unpacked(ks, NULL);
    fsd__v1__envelope__free_unpacked(env, NULL);
    return rc;
}

int client_walk_keysets(fsd_client *c)
{
    int64_t version = client_meta_int(c, "keyset_version"), start = version;
    struct envelope_key trusted;
    Fsd__V1__KeysetChain *chain = NULL;
    char base[520], url[640];
    uint8_t *reply = NULL;
    size_t len = 0;
    long status = 0;
    int rc;

    if (client_meta_blob(c, "server_pk", trusted.pk, 32) != 32 ||
        client_meta_blob(c, "server_url", base, sizeof base) < 0)
        return client_fail(c, FSD_ERR_STATE, "this device is not enrolled");
    sec_key_id(trusted.pk, trusted.key_id);
    snprintf(url, sizeof url, "%s/sync/v1/keysets?after=%lld", base,
             (long long)version);
    if ((rc = client_post(c, url, NULL, 0, &status, &reply, &len)))
        return rc;
    if (status != 200)
        rc = client_refused(c, status, reply, len);
    else if (!(chain = fsd__v1__keyset_chain__unpack(NULL, len, reply)))
        rc = client_fail(c, FSD_ERR_VERIFY, "malformed_payload: not a"
                         " KeysetChain");
    for (size_t i = 0; rc == FSD_OK && i < chain->n_keysets; i++)
        rc = step(c, &chain->keysets[i], &trusted, &version);
    if (rc == FSD_OK && version == start)
        rc = client_fail(c, FSD_ERR_VERIFY, "unknown_key: the bundle is"
                         " signed by a key no keyset introduces");
    if (rc == FSD_OK &&
        (client_exec(c, "BEGIN IMMEDIATE") ||
         client_meta_set_blob(c, "server_pk", trusted.pk, 32) ||
         client_meta_set_int(c, "keyset_version", version) ||
         client_exec(c, "COMMIT")))
        rc = FSD_ERR_IO;
    if (chain)
        fsd__v1__keyset_chain__free_unpacked(chain, NULL);
    free(reply);
    return rc;
}
