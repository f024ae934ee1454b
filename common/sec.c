/*
 * sec.c - thin wrappers over libsodium (see sec.h).  Secrets that pass
 * through a local buffer are wiped before returning.
 */
#include "common/sec.h"

#include <sodium.h>
#include <string.h>

int sec_init(struct err *err)
{
    if (sodium_init() < 0)
        return err_set(err, ERR_INTERNAL, NULL, NULL,
                       "libsodium failed to initialise");
    return 0;
}

int sec_password_hash(const char *password, char *out, struct err *err)
{
    if (crypto_pwhash_str(out, password, strlen(password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(err, ERR_INTERNAL, NULL, NULL,
                       "out of memory while hashing a password");
    return 0;
}

int sec_password_verify(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void sec_password_dummy_verify(const char *password)
{
    static char dummy[SEC_PWHASH_TEXT];
    struct err ignored = ERR_INIT;

    if (!dummy[0] && sec_password_hash("fsd-dummy-password", dummy,
                                       &ignored))
        return;
    (void)sec_password_verify(dummy, password);
}

void sec_token_new(char *text)
{
    unsigned char raw[SEC_TOKEN_BYTES];

    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(text, SEC_TOKEN_TEXT, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void sec_password_new(char *out, size_t len)
{
    /* no 0/O, 1/l/I: passwords are read aloud and typed by hand */
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz"
                                   "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    for (size_t i = 0; i < len; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[len] = '\0';
}

void sec_code_new(char *out, size_t len)
{
    /* upper case only, and no 0/O, 1/I/L: phones capitalise what is typed */
    static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    for (size_t i = 0; i < len; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[len] = '\0';
}

void sec_code_hash(const char *typed, unsigned char hash[SEC_HASH_BYTES])
{
    char code[SEC_CODE_MAX + 1];
    size_t n = 0;

    for (const char *p = typed; *p && n < SEC_CODE_MAX; p++)
        if (*p != ' ' && *p != '-')
            code[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    sec_hash(code, n, hash);
}

void sec_token_hash(const char *text, unsigned char hash[SEC_HASH_BYTES])
{
    sec_hash(text, strlen(text), hash);
}

void sec_csrf_token(const unsigned char session_hash[SEC_HASH_BYTES],
                    char *text)
{
    static const char label[] = "fsd csrf v1";
    unsigned char h[SEC_HASH_BYTES];
    crypto_generichash_state st;

    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)label,
                              sizeof label - 1);
    crypto_generichash_update(&st, session_hash, SEC_HASH_BYTES);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2base64(text, SEC_TOKEN_TEXT, h, sizeof h,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void sec_hash(const void *data, size_t len,
              unsigned char hash[SEC_HASH_BYTES])
{
    crypto_generichash(hash, SEC_HASH_BYTES, data, len, NULL, 0);
}

int sec_base64_decode(const char *text, unsigned char *out, size_t max,
                      size_t *len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "abcdefghijklmnopqrstuvwxyz0123456789+/=";
    size_t n = strlen(text);
    const char *end;

    /* libsodium 1.0.18 maps every byte from 0x80 up to '/' (its
     * constant-time lookup), so it cannot be left to refuse them */
    if (strspn(text, alphabet) != n ||
        sodium_base642bin(out, max, text, n, NULL, len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || *end)
        return -1;
    return 0;
}

void sec_key_id(const unsigned char pk[32], char key_id[SEC_KEY_ID_TEXT])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
    sodium_bin2hex(key_id, SEC_KEY_ID_TEXT, h, 8);
}

void sec_sign_keypair(unsigned char pk[32], unsigned char sk[64],
                      char key_id[SEC_KEY_ID_TEXT])
{
    crypto_sign_keypair(pk, sk);
    sec_key_id(pk, key_id);
}
