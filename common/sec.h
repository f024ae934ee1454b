/*
 * sec.h - the server's use of libsodium: password hashing, random tokens,
 * token hashing and signing keys.
 *
 * Callers allocate every buffer.  Token hashes are BLAKE2b-256; passwords
 * are Argon2id strings (crypto_pwhash_str) at the interactive limits.
 */
#ifndef FSD_SEC_H
#define FSD_SEC_H

#include "common/err.h"

#include <stddef.h>

#define SEC_TOKEN_BYTES 32                          /* 256-bit tokens */
#define SEC_TOKEN_TEXT 44                           /* base64url + NUL */
#define SEC_HASH_BYTES 32
#define SEC_PWHASH_TEXT 128                         /* crypto_pwhash_STRBYTES */
#define SEC_KEY_ID_TEXT 17                          /* 16 hex digits + NUL */

/* Initialise libsodium; must be called once before anything else. */
int sec_init(struct err *err);

/* Hash a password into out (SEC_PWHASH_TEXT bytes). */
int sec_password_hash(const char *password, char *out, struct err *err)
    __attribute__((warn_unused_result));
/* 1 when password matches hash. */
int sec_password_verify(const char *hash, const char *password);
/* Spend the time a verification takes, for unknown users. */
void sec_password_dummy_verify(const char *password);

/* A fresh random token as base64url text (SEC_TOKEN_TEXT bytes). */
void sec_token_new(char *text);
/* A readable random password of len characters (buffer len + 1). */
void sec_password_new(char *out, size_t len);
/* A one-time code of len characters to type on a phone (buffer len + 1):
 * upper-case letters and digits, none that look alike. */
void sec_code_new(char *out, size_t len);
#define SEC_CODE_MAX 64
/* BLAKE2b-256 of a code as typed (at most SEC_CODE_MAX characters kept):
 * spaces and dashes dropped and letters upper-cased first, so "k7q2-m9x4"
 * is "K7Q2M9X4". */
void sec_code_hash(const char *typed, unsigned char hash[SEC_HASH_BYTES]);
/* BLAKE2b-256 of a token's text: what the database keeps. */
void sec_token_hash(const char *text, unsigned char hash[SEC_HASH_BYTES]);
/* The CSRF token of the session whose token hashes to session_hash:
 * base64url of BLAKE2b-256 over a fixed label and that hash, so it is
 * stable for the session's life and unknown to anyone without it
 * (SEC_TOKEN_TEXT bytes). */
void sec_csrf_token(const unsigned char session_hash[SEC_HASH_BYTES],
                    char *text);
/* BLAKE2b-256 of len bytes (signatures, signed summaries). */
void sec_hash(const void *data, size_t len,
              unsigned char hash[SEC_HASH_BYTES]);
/*
 * Decode standard base64 (RFC 4648 section 4, padded) text into out, at
 * most max bytes; *len gets the count.  -1 when text is not base64 (any
 * character outside A-Z a-z 0-9 + / and the = padding, or padding out of
 * place) or decodes to more than max bytes.
 */
int sec_base64_decode(const char *text, unsigned char *out, size_t max,
                      size_t *len);

/* A new Ed25519 key pair and its key id (hex of BLAKE2b-256(pk)[0..7]). */
void sec_sign_keypair(unsigned char pk[32], unsigned char sk[64],
                      char key_id[SEC_KEY_ID_TEXT]);
void sec_key_id(const unsigned char pk[32], char key_id[SEC_KEY_ID_TEXT]);

#endif
