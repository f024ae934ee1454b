/*
 * keyset.h - rotating the server's bundle-signing key without
 * re-enrolling devices (proto/PROTOCOL.md section 11).
 */
#ifndef FSD_KEYSET_H
#define FSD_KEYSET_H

#include "store/store.h"

#define KEYSET_TYPE "fsd.v1.Keyset"

/*
 * Make a new bundle-signing key and keyset version n+1 = {the new key},
 * signed by every key of version n and by the new key; the old keys stop
 * signing.  *version and key_id (17 bytes) get the new version and key id.
 */
int keyset_rotate(struct store *s, uint64_t *version, char *key_id,
                  struct err *err);

#endif
