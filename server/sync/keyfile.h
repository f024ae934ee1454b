/*
 * keyfile.h - the bundle-signing secret keys, kept outside the database.
 *
 * Whoever holds a bundle-signing secret key can sign bundles every device
 * accepts, so it never goes into the database (nor, with it, into a
 * backup): it lives in a key file readable only by the service's user
 * (docs/ARCHITECTURE.md, "Key custody").  The database keeps the public
 * keys and the keyset history.  One line a key, oldest first:
 *
 *   KEY_ID HEX-OF-THE-64-BYTE-SECRET
 *
 * `#` starts a comment line.  The file is written whole (a temporary file
 * beside it, fsync, rename), so a crash leaves the old one or the new one.
 * Several servers sharing a database read the same file (or a copy).
 */
#ifndef FSD_KEYFILE_H
#define FSD_KEYFILE_H

#include "common/err.h"
#include "common/sec.h"

#include <pthread.h>
#include <stddef.h>

#define KEYFILE_MAX_KEYS 64

struct config;

struct keyring {
    char path[600];
    pthread_mutex_t mu;
    size_t n;
    struct {
        char key_id[SEC_KEY_ID_TEXT];
        unsigned char sk[64];
    } keys[KEYFILE_MAX_KEYS];
};

/* The key file to use: --key-file (FSD_KEY_FILE); else the systemd
 * credential fsd-signing-keys when the service has one
 * ($CREDENTIALS_DIRECTORY); else the database's path with ".keys". */
void keyfile_path(const struct config *cfg, char *out, size_t size);

/* Read the key file at path into a new ring (empty when the file does
 * not exist).  ERR_FORBIDDEN when others than its owner may read it,
 * ERR_INVALID when a line is not a key. */
int keyring_open(struct keyring *ring, const char *path, struct err *err);
/* Wipe the secrets and free the ring's lock. */
void keyring_close(struct keyring *ring);

/* Add a key to the file at path (kept if its id is there already),
 * written whole and synced before this returns. */
int keyfile_add(const char *path, const char *key_id,
                const unsigned char sk[64], struct err *err);

/* Copy key_id's secret into sk; when the ring lacks it the file is read
 * again (a key rotated in by another process).  ERR_UNAVAILABLE
 * no_signing_key when it is not there either. */
int keyring_secret(struct keyring *ring, const char *key_id,
                   unsigned char sk[64], struct err *err);

#endif
