/*
 * e2e_devices.c - enrolling a technician's device over the device
 * protocol (POST /sync/v1/enroll, protobuf envelopes) against the real
 * server: a fresh one-time code enrolls a device and the reply is signed
 * by the keyset it carries; a spent code, a forged or tampered envelope,
 * garbage and the wrong media type are refused with their SyncError code
 * and enroll nothing; a dispatcher lists and revokes devices.
 */
#include "common/envelope.h"
#include "common/sec.h"
#include "device.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

START_TEST(a_code_enrolls_one_device)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d, other;
    struct bytes reply;
    struct envelope_key key;
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env = NULL;
    Fsd__V1__EnrollReply *er;
    int64_t tech = make_technician();
    char code[16], path[80], kid[17];
    uint8_t *body;
    size_t len;
    long st;

    e2e_as_role(&desk, "dispatcher", NULL);
    new_code(&desk, tech, code, sizeof code);
    device_new(&d);
    enroll_envelope(&d, code, d.sign_sk, &body, &len);
    st = post_bytes("/sync/v1/enroll", body, len, "application/x-protobuf",
                    &reply);
    ck_assert_int_eq(st, 200);
    /* the reply is signed by the key of the keyset it carries */
    env = fsd__v1__envelope__unpack(NULL, reply.len, reply.data);
    ck_assert_ptr_nonnull(env);
    er = fsd__v1__enroll_reply__unpack(NULL, env->payload.len,
                                       env->payload.data);
    ck_assert_ptr_nonnull(er);
    ck_assert_int_eq((int64_t)er->technician_id, tech);
    ck_assert_uint_eq(er->keyset->n_keys, 1);
    memcpy(key.pk, er->keyset->keys[0]->ed25519.data, 32);
    sec_key_id(key.pk, key.key_id);
    ck_assert_str_eq(key.key_id, er->keyset->keys[0]->key_id);
    fsd__v1__envelope__free_unpacked(env, NULL);
    env = NULL;
    ck_assert_int_eq(envelope_open(reply.data, reply.len, reply.len,
                                   "fsd.v1.EnrollReply", &key, 1, &env,
                                   &err), 0);
    fsd__v1__envelope__free_unpacked(env, NULL);
    free(reply.data);
    /* the device is listed with its key id */
    snprintf(path, sizeof path, "/api/v1/devices?technician_id=%lld",
             (long long)tech);
    e2e_get(&desk, path, &r);
    e2e_expect_status(&r, 200);
    sec_key_id(d.sign_pk, kid);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
                         json_object_get(r.json, "items"), 0), "key_id")),
                     kid);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    /* the code is spent: a second device gets nothing */
    device_new(&other);
    free(body);
    enroll_envelope(&other, code, other.sign_sk, &body, &len);
    st = post_bytes("/sync/v1/enroll", body, len, "application/x-protobuf",
                    &reply);
    expect_sync_error(st, &reply, 400, "invalid_code");
    free(reply.data);
    free(body);
    /* revoke */
    snprintf(path, sizeof path, "/api/v1/devices/%lld",
             (long long)er->device_id);
    e2e_send(&desk, "DELETE", path, NULL, &r);
    e2e_expect_status(&r, 204);
    e2e_get(&desk, path, &r);
    ck_assert(json_is_string(json_object_get(r.json, "revoked_at")));
    e2e_send(&desk, "DELETE", path, NULL, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    fsd__v1__enroll_reply__free_unpacked(er, NULL);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(hostile_enrollments_enroll_nothing)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d, forger;
    struct bytes reply;
    int64_t tech = make_technician();
    char code[16], path[80];
    uint8_t *body;
    size_t len;
    long st;

    e2e_as_role(&desk, "dispatcher", NULL);
    new_code(&desk, tech, code, sizeof code);
    device_new(&d);
    device_new(&forger);
    /* signed by a key other than the one it enrolls */
    enroll_envelope(&d, code, forger.sign_sk, &body, &len);
    st = post_bytes("/sync/v1/enroll", body, len, "application/x-protobuf",
                    &reply);
    expect_sync_error(st, &reply, 403, "unknown_key");
    free(reply.data);
    free(body);
    /* tampered after signing */
    enroll_envelope(&d, code, d.sign_sk, &body, &len);
    body[len - 1] ^= 1;
    st = post_bytes("/sync/v1/enroll", body, len, "application/x-protobuf",
                    &reply);
    expect_sync_error(st, &reply, 403, "bad_signature");
    free(reply.data);
    st = post_bytes("/sync/v1/enroll", body, len, "application/json",
                    &reply);
    expect_sync_error(st, &reply, 415, "unsupported_media_type");
    free(reply.data);
    free(body);
    st = post_bytes("/sync/v1/enroll", (const uint8_t *)"\xff\xff", 2,
                    "application/x-protobuf", &reply);
    expect_sync_error(st, &reply, 400, "malformed_envelope");
    free(reply.data);
    body = calloc(1, 2 << 20); /* over the 1 MiB body limit */
    st = post_bytes("/sync/v1/enroll", body, 2 << 20,
                    "application/x-protobuf", &reply);
    expect_sync_error(st, &reply, 413, "too_large");
    free(reply.data);
    free(body);
    /* nothing was enrolled, and the code still works */
    snprintf(path, sizeof path, "/api/v1/devices?technician_id=%lld",
             (long long)tech);
    e2e_get(&desk, path, &r);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    enroll_envelope(&d, code, d.sign_sk, &body, &len);
    st = post_bytes("/sync/v1/enroll", body, len, "application/x-protobuf",
                    &reply);
    ck_assert_int_eq(st, 200);
    free(reply.data);
    free(body);
    snprintf(path, sizeof path, "/api/v1/technicians/999999/"
             "enrollment-codes");
    e2e_send(&desk, "POST", path, NULL, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    e2e_client_release(&desk);
}
END_TEST

Suite *e2e_devices_suite(void)
{
    Suite *s = suite_create("e2e_devices");
    TCase *tc = tcase_create("enroll");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, a_code_enrolls_one_device);
    tcase_add_test(tc, hostile_enrollments_enroll_nothing);
    suite_add_tcase(s, tc);
    return s;
}
