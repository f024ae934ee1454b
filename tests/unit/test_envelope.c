/*
 * test_envelope.c - signed envelopes against the test vectors published in
 * proto/PROTOCOL.md, and each way opening one can fail.
 *
 * The vectors fix a key pair (seed 00 01 .. 1f), a payload, its PAE bytes,
 * the Ed25519 signature and the packed envelope; an implementation in any
 * language must reproduce them byte for byte.
 */
#include "common/envelope.h"
#include "common/sec.h"
#include "testutil.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define V_PK "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
#define V_KEY_ID "9d24e2eeaf27c2a0"
#define V_TYPE "fsd.v1.Note"
#define V_PAYLOAD "0a0568656c6c6f"
#define V_PAE "4653447631203131206673642e76312e4e6f74652037200a0568656c6c6f"
#define V_SIG "45870e31a4b8434c80d81e4c982943d39ee40bceba5e9c7f6a28db907c33ff" \
              "d72bf128af77f74fcde3cf0a205cbf7b4419b40bc9aedf747d3bd858ccb44b" \
              "d009"
#define V_ENV "0a070a0568656c6c6f120b6673642e76312e4e6f74651a540a103964323465" \
              "32656561663237633261301240" V_SIG

static uint8_t pk[32], sk[64];
static struct envelope_key key;

static void setup(void)
{
    uint8_t seed[32];

    ck_assert_int_ge(sodium_init(), 0);
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    crypto_sign_seed_keypair(pk, sk, seed);
    sec_key_id(pk, key.key_id);
    memcpy(key.pk, pk, 32);
}

/* bytes as lowercase hex (caller frees) */
static char *hex(const uint8_t *b, size_t n)
{
    char *h = malloc(2 * n + 1);

    sodium_bin2hex(h, 2 * n + 1, b, n);
    return h;
}

static void ck_hex(const uint8_t *b, size_t n, const char *want)
{
    char *h = hex(b, n);

    ck_assert_str_eq(h, want);
    free(h);
}

static const uint8_t payload[] = {0x0a, 0x05, 'h', 'e', 'l', 'l', 'o'};

START_TEST(vectors_reproduce)
{
    uint8_t pae[64], sig[64], *env;
    size_t n = envelope_pae_len(V_TYPE, sizeof payload), len;

    ck_hex(pk, 32, V_PK);
    ck_assert_str_eq(key.key_id, V_KEY_ID);
    ck_hex(payload, sizeof payload, V_PAYLOAD);
    ck_assert_uint_eq(n, 30);
    envelope_pae(V_TYPE, payload, sizeof payload, pae);
    ck_hex(pae, n, V_PAE);
    crypto_sign_detached(sig, NULL, pae, n, sk);
    ck_hex(sig, 64, V_SIG);
    envelope_seal_sign(V_TYPE, payload, sizeof payload, sk, &env, &len);
    ck_hex(env, len, V_ENV);
    free(env);
}
END_TEST

/* The vector envelope as bytes (caller frees), *len its size. */
static uint8_t *vector_envelope(size_t *len)
{
    uint8_t *b = malloc(sizeof V_ENV / 2);

    ck_assert_int_eq(sodium_hex2bin(b, sizeof V_ENV / 2, V_ENV,
                                    strlen(V_ENV), NULL, len, NULL), 0);
    return b;
}

static void refused(const uint8_t *b, size_t len, size_t max,
                    const char *type, int rc, const char *code)
{
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env = NULL;

    ck_assert_int_eq(envelope_open(b, len, max, type, &key, 1, &env, &err),
                     rc);
    ck_assert_str_eq(err.code, code);
    ck_assert_ptr_null(env);
}

START_TEST(open_verifies_then_checks_type)
{
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env = NULL;
    size_t len;
    uint8_t *b = vector_envelope(&len);

    ck_assert_int_eq(envelope_open(b, len, 1024, V_TYPE, &key, 1, &env,
                                   &err), 0);
    ck_assert_uint_eq(env->payload.len, sizeof payload);
    ck_assert_mem_eq(env->payload.data, payload, sizeof payload);
    fsd__v1__envelope__free_unpacked(env, NULL);
    refused(b, len, len - 1, V_TYPE, ERR_TOO_LARGE, "too_large");
    refused(b, len, 1024, "fsd.v1.Bundle", ERR_INVALID, "wrong_type");
    refused((const uint8_t *)"\xff\xff\xff", 3, 1024, V_TYPE, ERR_INVALID,
            "malformed_envelope");
    b[6] ^= 1; /* a payload byte: 'h' */
    refused(b, len, 1024, V_TYPE, ERR_FORBIDDEN, "bad_signature");
    b[6] ^= 1;
    b[len - 1] ^= 0x80; /* the signature */
    refused(b, len, 1024, V_TYPE, ERR_FORBIDDEN, "bad_signature");
    free(b);
}
END_TEST

START_TEST(open_needs_a_trusted_key)
{
    uint8_t pk2[32], sk2[64], *b;
    struct envelope_key keys[2];
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env = NULL;
    size_t len;

    crypto_sign_keypair(pk2, sk2);
    envelope_seal_sign(V_TYPE, payload, sizeof payload, sk2, &b, &len);
    refused(b, len, 1024, V_TYPE, ERR_FORBIDDEN, "unknown_key");
    keys[0] = key;
    sec_key_id(pk2, keys[1].key_id);
    memcpy(keys[1].pk, pk2, 32);
    ck_assert_int_eq(envelope_open(b, len, 1024, V_TYPE, keys, 2, &env,
                                   &err), 0);
    fsd__v1__envelope__free_unpacked(env, NULL);
    /* the vector envelope with its key id altered */
    free(b);
    b = vector_envelope(&len);
    b[len - 70] ^= 1; /* a digit of the key id: no longer trusted */
    refused(b, len, 1024, V_TYPE, ERR_FORBIDDEN, "unknown_key");
    free(b);
}
END_TEST

/* The spec publishes exactly the vectors checked here. */
START_TEST(protocol_md_publishes_the_vectors)
{
    static const char *const vectors[] = {V_PK, V_KEY_ID, V_PAYLOAD, V_PAE,
                                          V_SIG, V_ENV};
    FILE *f = fopen("proto/PROTOCOL.md", "r");
    static char text[64 * 1024];
    size_t n;

    ck_assert_msg(f != NULL, "run from the source tree: proto/PROTOCOL.md");
    n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        ck_assert_msg(strstr(text, vectors[i]), "PROTOCOL.md lacks %s",
                      vectors[i]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("envelope");
    TCase *tc = tcase_create("envelope");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, vectors_reproduce);
    tcase_add_test(tc, open_verifies_then_checks_type);
    tcase_add_test(tc, open_needs_a_trusted_key);
    tcase_add_test(tc, protocol_md_publishes_the_vectors);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
