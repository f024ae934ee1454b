/*
 * codec.h - the server's side of the wire format: turning stored jobs into
 * protobuf Job snapshots and packing the signed, sealed Bundle a device
 * receives (proto/PROTOCOL.md section 8), and the SyncError of a refusal.
 */
#ifndef FSD_CODEC_H
#define FSD_CODEC_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define BUNDLE_TTL_SECONDS 86400
#define BUNDLE_TYPE "fsd.v1.Bundle"

/* Who a bundle is for and what signs it. */
struct bundle_keys {
    const struct sync_device *dev;
    const unsigned char *sk;  /* the bundle-signing secret key, 64 bytes */
    const char *key_id;       /* its key id */
    uint64_t keyset_version;
    int64_t now;
};

/*
 * Pack content and acks into a Bundle for k->dev, jobs sealed to its
 * X25519 key, signed with k->sk; *out (caller frees) gets the envelope and
 * content->hash the BLAKE2b-256 of the bundle payload.
 */
int codec_bundle(const struct bundle_keys *k, struct sync_content *content,
                 const struct sync_ack *acks, size_t n, unsigned char **out,
                 size_t *len, struct err *err);

/*
 * The stored reply in (in_len bytes) as it may be sent again: NULL in *out
 * when it still is (signed by the current key k and not expired); else the
 * same bundle issued again by k, now (signer, keyset version, issued and
 * expiry times updated), in *out (caller frees), with its payload's hash.
 */
int codec_bundle_reissue(const struct bundle_keys *k, const unsigned char *in,
                         size_t in_len, unsigned char **out, size_t *len,
                         unsigned char hash[32], struct err *err);

/* A device route's error reply: an unsigned SyncError of code and
 * message (and, for stale_batch, the last batch the server accepted from
 * the device), packed into a new buffer (caller frees) of *len bytes. */
char *codec_sync_error(const char *code, const char *message,
                       uint64_t last_batch_seq, size_t *len);

#endif
