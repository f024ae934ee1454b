/*
 * test_vectors.c - the protocol's test vectors (proto/test-vectors.json,
 * PROTOCOL.md section 13) reproduce byte for byte: every item is built
 * again from the fixed inputs and the file's sealed boxes
 * (tests/vectors/vectors.c) and compared; and read as a device would,
 * they hold together: each envelope verifies with the key the protocol
 * names, the sealed boxes open to the job lists, bundle 2 follows bundle 1
 * by hash, and keyset 2 is signed by both its predecessor's key and its
 * own.
 */
#include "common/envelope.h"
#include "common/sec.h"
#include "fsd.pb-c.h"
#include "testutil.h"
#include "vectors.h"

#include <check.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define VECTOR_FILE "proto/test-vectors.json"

static json_t *doc;
static struct bytes_out built[V__COUNT], sealed[2];

static struct bytes_out unhex(const char *text)
{
    struct bytes_out b;
    size_t n = strlen(text) / 2;

    b.data = malloc(n + 1);
    ck_assert_int_eq(
        sodium_hex2bin(b.data, n, text, strlen(text), NULL, &b.len, NULL), 0);
    return b;
}

static struct bytes_out item(const char *group, const char *name)
{
    const char *text =
        json_string_value(json_object_get(json_object_get(doc, group), name));

    ck_assert_msg(text != NULL, "%s.%s missing from " VECTOR_FILE, group, name);
    return unhex(text);
}

static void setup(void)
{
    struct bytes_out made[2];

    ck_assert_int_eq(sodium_init() >= 0, 1);
    doc = json_load_file(VECTOR_FILE, 0, NULL);
    ck_assert_ptr_nonnull(doc);
    sealed[0] = item("sealed", "bundle_1_sealed_jobs");
    sealed[1] = item("sealed", "bundle_2_sealed_jobs");
    ck_assert_int_eq(vectors_build(sealed, built, made), 0);
    free(made[0].data);
    free(made[1].data);
}

static void teardown(void)
{
    for (int i = 0; i < V__COUNT; i++)
        free(built[i].data);
    free(sealed[0].data);
    free(sealed[1].data);
    json_decref(doc);
}

START_TEST(every_item_reproduces_byte_for_byte)
{
    for (int i = 0; i < V__COUNT; i++) {
        struct bytes_out want = item("vectors", vector_names[i]);
        ck_assert_msg(want.len == built[i].len &&
                          !memcmp(want.data, built[i].data, want.len),
                      "%s differs", vector_names[i]);
        free(want.data);
    }
}
END_TEST

/* The envelope item opens as type with the public key item. */
static void opens(enum vector_item env, const char *type, enum vector_item pk)
{
    struct envelope_key key;
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *e = NULL;

    memcpy(key.pk, built[pk].data, 32);
    sec_key_id(key.pk, key.key_id);
    ck_assert_msg(envelope_open(built[env].data, built[env].len, built[env].len,
                                type, &key, 1, &e, &err) == 0,
                  "%s: %s", vector_names[env], err.msg);
    fsd__v1__envelope__free_unpacked(e, NULL);
}

START_TEST(they_hold_together_as_a_device_reads_them)
{
    uint8_t plain[4096];
    uint8_t box_sk[32], box_pk[32];
    Fsd__V1__Bundle *b2;

    opens(V_ENROLL_REQUEST, "fsd.v1.EnrollRequest", V_DEVICE_SIGN_PK);
    opens(V_ENROLL_REPLY, "fsd.v1.EnrollReply", V_SERVER_V1_PK);
    opens(V_SYNC_REQUEST, "fsd.v1.SyncRequest", V_DEVICE_SIGN_PK);
    opens(V_BUNDLE_1, "fsd.v1.Bundle", V_SERVER_V1_PK);
    opens(V_KEYSET_2, "fsd.v1.Keyset", V_SERVER_V1_PK);
    opens(V_KEYSET_2, "fsd.v1.Keyset", V_SERVER_V2_PK);
    opens(V_BUNDLE_2, "fsd.v1.Bundle", V_SERVER_V2_PK);
    sodium_hex2bin(box_sk, 32, vector_secrets.device_box_sk, 64, NULL, NULL,
                   NULL);
    memcpy(box_pk, built[V_DEVICE_BOX_PK].data, 32);
    for (int i = 0; i < 2; i++) {
        enum vector_item want = i ? V_SEALED_JOBS_2 : V_SEALED_JOBS_1;
        ck_assert_int_eq(crypto_box_seal_open(plain, sealed[i].data,
                                              sealed[i].len, box_pk, box_sk),
                         0);
        ck_assert_uint_eq(sealed[i].len - crypto_box_SEALBYTES,
                          built[want].len);
        ck_assert_mem_eq(plain, built[want].data, built[want].len);
    }
    b2 = fsd__v1__bundle__unpack(NULL, built[V_BUNDLE_2_PAYLOAD].len,
                                 built[V_BUNDLE_2_PAYLOAD].data);
    ck_assert_ptr_nonnull(b2);
    ck_assert_uint_eq(b2->bundle_seq, 2);
    ck_assert_mem_eq(b2->prev_bundle_hash.data, built[V_BUNDLE_1_HASH].data,
                     32);
    fsd__v1__bundle__free_unpacked(b2, NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vectors");
    TCase *tc = tcase_create("vectors");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_item_reproduces_byte_for_byte);
    tcase_add_test(tc, they_hold_together_as_a_device_reads_them);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
