/*
 * keyset.h - rotating the server's bundle-signing key without
 * re-enrolling devices (proto/PROTOCOL.md section 11).
 */
#ifndef FSD_KEYSET_H
#define FSD_KEYSET_H

#include "store/store.h"
#include "sync/keyfile.h"

#define KEYSET_TYPE "fsd.v1.Keyset"

/*
 * Make a new bundle-signing key and keyset version n+1 = {the new key},
 * signed by every key of version n (their secrets from ring) and by the
 * new key, whose secret goes into ring's key file first; the old keys
 * stop signing.  *version and key_id (17 bytes) get the new version and
 * key id.
 */
int keyset_rotate(struct store *s, struct keyring *ring, uint64_t *version,
                  char *key_id, struct err *err);

#endif
