/*
 * test_sec.c - the libsodium wrappers: Argon2id password strings, random
 * base64url tokens, BLAKE2b token hashes, signing key ids and strict
 * base64 decoding.
 *
 * Known-answer values are BLAKE2b-256 test values, so a change of hash
 * function or truncation would fail here, not in production.
 */
#include "common/sec.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void setup(void)
{
    struct err err = ERR_INIT;

    ck_assert_int_eq(sec_init(&err), 0);
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

START_TEST(password_hash_and_verify)
{
    char h1[SEC_PWHASH_TEXT], h2[SEC_PWHASH_TEXT];
    struct err err = ERR_INIT;

    ck_assert_int_eq(sec_password_hash("correct horse", h1, &err), 0);
    ck_assert_int_eq(sec_password_hash("correct horse", h2, &err), 0);
    ck_assert_int_eq(strncmp(h1, "$argon2id$", 10), 0);
    ck_assert_str_ne(h1, h2); /* salted */
    ck_assert_int_eq(sec_password_verify(h1, "correct horse"), 1);
    ck_assert_int_eq(sec_password_verify(h2, "correct horse"), 1);
    ck_assert_int_eq(sec_password_verify(h1, "correct horse "), 0);
    ck_assert_int_eq(sec_password_verify(h1, "Correct horse"), 0);
    ck_assert_int_eq(sec_password_verify(h1, ""), 0);
    ck_assert_int_eq(sec_password_verify("not a hash", "correct horse"), 0);
    ck_assert_int_eq(sec_password_verify("", ""), 0);
    sec_password_dummy_verify("anything"); /* must simply return */
}
END_TEST

START_TEST(tokens_are_base64url)
{
    char a[SEC_TOKEN_TEXT], b[SEC_TOKEN_TEXT];

    ck_assert_int_eq(SEC_TOKEN_TEXT, 44);
    sec_token_new(a);
    sec_token_new(b);
    ck_assert_uint_eq(strlen(a), 43);
    ck_assert_uint_eq(strlen(b), 43);
    ck_assert_uint_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                "qrstuvwxyz0123456789-_"), 43);
    ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(generated_passwords)
{
    char p[25];

    sec_password_new(p, 24);
    ck_assert_uint_eq(strlen(p), 24);
    /* no characters that are misread aloud or by eye */
    ck_assert_uint_eq(strspn(p, "abcdefghijkmnpqrstuvwxyz"
                                "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), 24);
    sec_password_new(p, 0);
    ck_assert_str_eq(p, "");
}
END_TEST

START_TEST(enrollment_codes_survive_typing)
{
    unsigned char want[SEC_HASH_BYTES], got[SEC_HASH_BYTES];
    char c[13];

    sec_code_new(c, 12);
    ck_assert_uint_eq(strlen(c), 12);
    ck_assert_uint_eq(strspn(c, "ABCDEFGHJKMNPQRSTUVWXYZ23456789"), 12);
    sec_token_hash("K7Q2M9X4P3T8", want);
    sec_code_hash("K7Q2M9X4P3T8", got);
    ck_assert_int_eq(memcmp(want, got, sizeof want), 0);
    sec_code_hash("k7q2 m9x4-p3T8", got);
    ck_assert_int_eq(memcmp(want, got, sizeof want), 0);
    sec_code_hash("K7Q2M9X4P3T9", got);
    ck_assert_int_ne(memcmp(want, got, sizeof want), 0);
}
END_TEST

START_TEST(token_hash_is_blake2b_256)
{
    unsigned char h1[SEC_HASH_BYTES], h2[SEC_HASH_BYTES];
    char text[2 * SEC_HASH_BYTES + 1];

    sec_token_hash("abc", h1);
    hex(h1, sizeof h1, text);
    ck_assert_str_eq(text, "bddd813c634239723171ef3fee98579b"
                           "94964e3bb1cb3e427262c8c068d52319");
    sec_token_hash("abc", h2);
    ck_assert_int_eq(memcmp(h1, h2, sizeof h1), 0);
    sec_token_hash("abd", h2);
    ck_assert_int_ne(memcmp(h1, h2, sizeof h1), 0);
}
END_TEST

START_TEST(key_ids)
{
    unsigned char zero[32] = {0}, pk[32], sk[64];
    char id[SEC_KEY_ID_TEXT], again[SEC_KEY_ID_TEXT];

    sec_key_id(zero, id);
    ck_assert_str_eq(id, "89eb0d6a8a691dae"); /* BLAKE2b-256(0^32)[0..7] */
    sec_sign_keypair(pk, sk, id);
    ck_assert_uint_eq(strlen(id), 16);
    ck_assert_uint_eq(strspn(id, "0123456789abcdef"), 16);
    sec_key_id(pk, again);
    ck_assert_str_eq(id, again); /* stable for the same public key */
    /* the secret key carries the public key in its second half */
    ck_assert_int_eq(memcmp(sk + 32, pk, 32), 0);
    sec_sign_keypair(pk, sk, again);
    ck_assert_str_ne(id, again);
}
END_TEST

START_TEST(base64_takes_only_its_alphabet)
{
    unsigned char out[16];
    size_t len = 0;

    ck_assert_int_eq(sec_base64_decode("aGk=", out, sizeof out, &len), 0);
    ck_assert_uint_eq(len, 2);
    ck_assert_int_eq(memcmp(out, "hi", 2), 0);
    ck_assert_int_eq(sec_base64_decode("+/+/", out, sizeof out, &len), 0);
    ck_assert_uint_eq(len, 3);
    ck_assert_int_eq(memcmp(out, "\xfb\xff\xbf", 3), 0);
    ck_assert_int_eq(sec_base64_decode("", out, sizeof out, &len), 0);
    ck_assert_uint_eq(len, 0);
    /* bytes from 0x80 up are not base64, whatever libsodium makes of them */
    ck_assert_int_eq(sec_base64_decode("AAA\xc3", out, sizeof out, &len), -1);
    ck_assert_int_eq(sec_base64_decode("AAA\x80", out, sizeof out, &len), -1);
    ck_assert_int_eq(sec_base64_decode("\xff\xff\xff\xff", out, sizeof out,
                                       &len),
                     -1);
    /* the other alphabet, white space, missing padding, too long */
    ck_assert_int_eq(sec_base64_decode("-_-_", out, sizeof out, &len), -1);
    ck_assert_int_eq(sec_base64_decode("aG k=", out, sizeof out, &len), -1);
    ck_assert_int_eq(sec_base64_decode("aGk", out, sizeof out, &len), -1);
    ck_assert_int_eq(sec_base64_decode("aGk=", out, 1, &len), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sec");
    TCase *tc = tcase_create("sodium");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60); /* Argon2id is slow, more so under ASan */
    tcase_add_test(tc, password_hash_and_verify);
    tcase_add_test(tc, tokens_are_base64url);
    tcase_add_test(tc, generated_passwords);
    tcase_add_test(tc, enrollment_codes_survive_typing);
    tcase_add_test(tc, token_hash_is_blake2b_256);
    tcase_add_test(tc, key_ids);
    tcase_add_test(tc, base64_takes_only_its_alphabet);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
