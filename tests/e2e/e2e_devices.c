/*
 * e2e_devices.c - enrolling a technician's device over the device
 * protocol (POST /sync/v1/enroll, protobuf envelopes) against the real
 * server: a fresh one-time code enrolls a device and the reply is signed
 * by the keyset it carries; a spent code, a forged or tampered envelope,
 * garbage and the wrong media type are refused with their SyncError code
 * and enroll nothing; a dispatcher lists and revokes devices.
 */
#include "envelope.h"
#include "fixture.h"
#include "sec.h"
#include "suites.h"

#include <check.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct bytes {
    uint8_t *data;
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct bytes *b = arg;

    b->data = realloc(b->data, b->len + size * n + 1);
    memcpy(b->data + b->len, p, size * n);
    b->len += size * n;
    return size * n;
}

/* POST raw bytes as content_type; the status, *reply the body. */
static long post_bytes(const char *path, const uint8_t *body, size_t len,
                       const char *content_type, struct bytes *reply)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdr;
    char url[256], ct[80];
    long status = 0;

    snprintf(url, sizeof url, "%s%s", e2e_srv.base, path);
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
    hdr = curl_slist_append(NULL, ct);
    reply->data = NULL;
    reply->len = 0;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, reply);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return status;
}

struct device {
    uint8_t sign_pk[32], sign_sk[64], box_pk[32], box_sk[32];
};

static void device_new(struct device *d)
{
    crypto_sign_keypair(d->sign_pk, d->sign_sk);
    crypto_box_keypair(d->box_pk, d->box_sk);
}

/* An EnrollRequest for code, signed by signer (the device's own key
 * unless a forger's), packed into *out. */
static void enroll_envelope(const struct device *d, const char *code,
                            const uint8_t *signer_sk, uint8_t **out,
                            size_t *len)
{
    Fsd__V1__EnrollRequest er = FSD__V1__ENROLL_REQUEST__INIT;
    size_t n;
    uint8_t *payload;

    er.code = (char *)code;
    er.device_sign_pk.data = (uint8_t *)d->sign_pk;
    er.device_sign_pk.len = 32;
    er.device_box_pk.data = (uint8_t *)d->box_pk;
    er.device_box_pk.len = 32;
    er.device_name = "handheld 7";
    n = fsd__v1__enroll_request__get_packed_size(&er);
    payload = malloc(n + 1);
    fsd__v1__enroll_request__pack(&er, payload);
    envelope_seal_sign("fsd.v1.EnrollRequest", payload, n, signer_sk, out,
                       len);
    free(payload);
}

/* A fresh code for technician tech, made by dispatcher desk. */
static void new_code(struct e2e_client *desk, int64_t tech, char *code,
                     size_t size)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];

    snprintf(path, sizeof path, "/api/v1/technicians/%lld/enrollment-codes",
             (long long)tech);
    e2e_send(desk, "POST", path, NULL, &r);
    e2e_expect_status(&r, 201);
    snprintf(code, size, "%s",
             json_string_value(json_object_get(r.json, "code")));
    ck_assert_uint_eq(strlen(code), 12);
    e2e_reply_release(&r);
}

/* Assert a refused request's status and SyncError code. */
static void expect_sync_error(long status, const struct bytes *b,
                              long want, const char *code)
{
    Fsd__V1__SyncError *e = fsd__v1__sync_error__unpack(NULL, b->len,
                                                        b->data);

    ck_assert_int_eq(status, want);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->code, code);
    fsd__v1__sync_error__free_unpacked(e, NULL);
}

static int64_t make_technician(void)
{
    struct e2e_client m;
    int64_t id;

    e2e_as_role(&m, "manager", NULL);
    id = e2e_create(&m, "/api/v1/technicians",
                    json_pack("{s:s, s:f, s:f}", "name", "Mei",
                              "start_lat", 31.2, "start_lon", 121.4));
    e2e_client_release(&m);
    return id;
}

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
