/*
 * signing_keys.h - the server's bundle-signing keys as the commands use
 * them: the public halves in the database, the secrets in the key file
 * (keyfile.h).
 */
#ifndef FSD_SIGNING_KEYS_H
#define FSD_SIGNING_KEYS_H

#include "store/store.h"
#include "sync/keyfile.h"

/* Move the secrets a database from before the key file holds into the
 * key file, before the database is opened (and the migration removes
 * them from it).  A no-op for a newer or missing database. */
int signing_keys_adopt(const struct config *cfg, struct err *err);

/* A new bundle-signing key for a new database: its secret written to the
 * key file (synced) before its public half is recorded. */
int signing_keys_create(const struct config *cfg, struct store *s,
                        char key_id[SEC_KEY_ID_TEXT], char *path, size_t size,
                        struct err *err);

/* The key ring a server signs with, checked to hold the newest key's
 * secret; *ring is the caller's (signing_keys_close). */
int signing_keys_open(const struct config *cfg, struct store *s,
                      struct keyring **ring, struct err *err);

void signing_keys_close(struct keyring *ring);

/* The current bundle-signing key: its id (keys->keys[0]) and secret. */
int signing_keys_current(struct store *s, struct keyring *ring,
                         struct signing_keys *keys, unsigned char sk[64],
                         struct err *err);

#endif
