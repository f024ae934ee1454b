/*
 * vectors.h - the protocol's test vectors (proto/PROTOCOL.md section 13):
 * every signed message kind built from fixed keys and fixed contents — an
 * enrollment (request and reply), a sync request, a chain of two bundles
 * and the keyset rotation between them.
 *
 * Ed25519 signatures and protobuf encodings are deterministic, so every
 * byte follows from the inputs, except the sealed job lists: a sealed box
 * is made with a fresh key each time.  Those are inputs too, kept in the
 * vector file; what they must open to is checked.  make_vectors writes
 * proto/test-vectors.json; test_vectors rebuilds every item from the same
 * inputs and the file's sealed boxes and compares them byte for byte.
 */
#ifndef FSD_VECTORS_H
#define FSD_VECTORS_H

#include <stddef.h>
#include <stdint.h>

struct bytes_out {
    uint8_t *data;
    size_t len;
};

enum vector_item {
    V_SERVER_V1_PK,
    V_SERVER_V2_PK,
    V_DEVICE_SIGN_PK,
    V_DEVICE_BOX_PK,
    V_ENROLL_REQUEST_PAYLOAD,
    V_ENROLL_REQUEST,
    V_ENROLL_REPLY_PAYLOAD,
    V_ENROLL_REPLY,
    V_SYNC_REQUEST_PAYLOAD,
    V_SYNC_REQUEST,
    V_SEALED_JOBS_1, /* the plaintext sealed in bundle 1 */
    V_SEALED_JOBS_2, /* and in bundle 2 */
    V_BUNDLE_1_PAYLOAD, /* a bundle's payload, envelope, hash: in this order */
    V_BUNDLE_1,
    V_BUNDLE_1_HASH,
    V_KEYSET_2_PAYLOAD,
    V_KEYSET_2,
    V_BUNDLE_2_PAYLOAD,
    V_BUNDLE_2,
    V_BUNDLE_2_HASH,
    V__COUNT
};

extern const char *const vector_names[V__COUNT];

/* The fixed secret inputs, as hex, for the vector file. */
struct vector_secrets {
    const char *server_v1_seed, *server_v2_seed, *device_sign_seed,
        *device_box_sk;
};
extern const struct vector_secrets vector_secrets;

/* Build every item; sealed[0] and sealed[1] are the sealed boxes of
 * bundles 1 and 2 (NULL data: seal afresh).  out[] items are the
 * caller's to free. */
int vectors_build(const struct bytes_out sealed[2],
                  struct bytes_out out[V__COUNT], struct bytes_out made[2]);

#endif
