/*
 * envelope.h - signed envelopes: the only form in which a message crosses
 * between fsd-server and a device (proto/PROTOCOL.md, "Signing").
 *
 * A signature is Ed25519 over the pre-authentication encoding
 *   PAE = "FSDv1" SP len(type) SP type SP len(payload) SP payload
 * (lengths in ASCII decimal), so the signed bytes are exactly the bytes
 * carried, and a payload cannot be replayed as another type.  Opening an
 * envelope checks, in this order: size, outer structure, a signature by a
 * trusted key (by key id), the payload type; only then may the caller
 * parse the payload.
 */
#ifndef FSD_ENVELOPE_H
#define FSD_ENVELOPE_H

#include "common/err.h"
#include "fsd.pb-c.h"

#include <stddef.h>
#include <stdint.h>

#define ENVELOPE_DOMAIN "FSDv1"
/* At most this many signatures in an envelope (PROTOCOL.md section 4):
 * a keyset signed by every key of two versions needs 16. */
#define ENVELOPE_MAX_SIGS 16
#define ENVELOPE_KEY_ID_LEN 16 /* hex digits */

/* Bytes of the PAE of a payload of len bytes with type. */
size_t envelope_pae_len(const char *type, size_t len);
/* Write the PAE into out (envelope_pae_len bytes). */
void envelope_pae(const char *type, const uint8_t *payload, size_t len,
                  uint8_t *out);

/* A key an envelope may be signed by; key_id as sec_key_id makes it. */
struct envelope_key {
    char key_id[ENVELOPE_KEY_ID_LEN + 1];
    uint8_t pk[32];
};

/*
 * Sign payload as type with the Ed25519 secret key sk (64 bytes, libsodium
 * layout) and pack the Envelope; *out (malloc'd, caller frees) and
 * *out_len get its bytes.
 */
void envelope_seal_sign(const char *type, const uint8_t *payload,
                        size_t len, const uint8_t sk[64], uint8_t **out,
                        size_t *out_len);

/* The same with one signature by each of the n secret keys (a keyset
 * signed by the old and the new keys). */
void envelope_sign_all(const char *type, const uint8_t *payload,
                       size_t len, const uint8_t *const *sks, size_t n,
                       uint8_t **out, size_t *out_len);

/*
 * Check data (len bytes) as an envelope of want_type signed by one of the
 * n keys.  On success *env is the unpacked envelope (free with
 * fsd__v1__envelope__free_unpacked(env, NULL)) whose payload was verified.
 * Errors, each with its code (ERR_INVALID unless said):
 *   "too_large"          len over max (ERR_TOO_LARGE)
 *   "malformed_envelope" not an Envelope, or no signature
 *   "unknown_key"        no signature by a trusted key id (ERR_FORBIDDEN)
 *   "bad_signature"      no signature by a trusted key verifies
 *                        (ERR_FORBIDDEN); one that does suffices,
 *                        wherever it is among the signatures
 *   "wrong_type"         payload_type is not want_type
 */
int envelope_open(const uint8_t *data, size_t len, size_t max,
                  const char *want_type, const struct envelope_key *keys,
                  size_t n, Fsd__V1__Envelope **env, struct err *err);

/* envelope_open() in two steps, for a caller that must read the envelope
 * (its key id) before it knows the keys: envelope_unpack() checks size
 * and structure (at least one signature) and gives *env (the caller's to
 * free); envelope_verify() checks signature and type.  Errors
 * as envelope_open()'s. */
int envelope_unpack(const uint8_t *data, size_t len, size_t max,
                    Fsd__V1__Envelope **env, struct err *err);
int envelope_verify(const Fsd__V1__Envelope *env, const char *want_type,
                    const struct envelope_key *keys, size_t n,
                    struct err *err);

#endif
