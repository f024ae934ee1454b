/*
 * signing_keys.c - the server's bundle-signing keys: public halves in the
 * database, secrets in the key file (signing_keys.h).
 */
#include "sync/signing_keys.h"
#include "common/log.h"
#include "config.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int signing_keys_adopt(const struct config *cfg, struct err *err)
{
    char path[600];
    json_t *keys, *k;
    size_t i;
    int rc = 0;

    if (store_legacy_secret_keys(cfg->db, &keys, err))
        return err->rc;
    keyfile_path(cfg, path, sizeof path);
    json_array_foreach(keys, i, k)
    {
        const json_t *sk = json_object_get(k, "secret_key");
        if (rc || json_string_length(sk) != 64)
            continue;
        rc = keyfile_add(path, json_string_value(json_object_get(k, "key_id")),
                         (const unsigned char *)json_string_value(sk), err);
    }
    if (rc == 0 && json_array_size(keys))
        log_info("moved %zu bundle-signing secret key(s) from %s to %s",
                 json_array_size(keys), cfg->db, path);
    json_decref(keys);
    return rc;
}

int signing_keys_create(const struct config *cfg, struct store *s,
                        char key_id[SEC_KEY_ID_TEXT], char *path, size_t size,
                        struct err *err)
{
    unsigned char pk[32], sk[64];
    int rc;

    keyfile_path(cfg, path, size);
    sec_sign_keypair(pk, sk, key_id);
    rc = keyfile_add(path, key_id, sk, err);
    sodium_memzero(sk, sizeof sk);
    return rc ? rc : store_key_create(s, "bundle_signing", key_id, pk, err);
}

int signing_keys_current(struct store *s, struct keyring *ring,
                         struct signing_keys *keys, unsigned char sk[64],
                         struct err *err)
{
    if (store_signing_keys(s, keys, err))
        return err->rc;
    return keyring_secret(ring, keys->keys[0].key_id, sk, err);
}

int signing_keys_open(const struct config *cfg, struct store *s,
                      struct keyring **ring, struct err *err)
{
    struct signing_keys keys;
    unsigned char sk[64];
    char path[600];
    int rc;

    keyfile_path(cfg, path, sizeof path);
    *ring = sodium_malloc(sizeof **ring);
    if (!*ring)
        return err_set(err, ERR_INTERNAL, NULL, NULL, "out of memory");
    rc = keyring_open(*ring, path, err);
    if (rc == 0)
        rc = signing_keys_current(s, *ring, &keys, sk, err);
    sodium_memzero(sk, sizeof sk);
    if (rc) {
        signing_keys_close(*ring);
        *ring = NULL;
    }
    return rc;
}

void signing_keys_close(struct keyring *ring)
{
    if (!ring)
        return;
    keyring_close(ring);
    sodium_free(ring);
}
