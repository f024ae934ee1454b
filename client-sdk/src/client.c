/*
 * client.c - opening a device store and enrolling it.
 *
 * Enrollment makes the device's key pairs here (the private keys never
 * leave the store), signs the EnrollRequest with the new key, checks that
 * the reply is signed by a key of the keyset it carries, and pins that
 * keyset.
 */
#include "client_int.h"
#include "common/envelope.h"
#include "common/sec.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fsd_open(const char *path, fsd_client **out, char *errbuf,
             size_t errlen)
{
    fsd_client *c = calloc(1, sizeof *c);

    *out = NULL;
    if (!c || sodium_init() < 0) {
        if (errbuf)
            snprintf(errbuf, errlen, "out of memory or no libsodium");
        free(c);
        return FSD_ERR_IO;
    }
    c->attempts = 4;
    c->base_ms = 500;
    if (client_store_open(c, path)) {
        if (errbuf)
            snprintf(errbuf, errlen, "%s", c->err);
        fsd_close(c);
        return FSD_ERR_IO;
    }
    *out = c;
    return FSD_OK;
}

void fsd_close(fsd_client *c)
{
    if (!c)
        return;
    client_http_close(c);
    client_statements_close(c);
    sqlite3_close(c->db);
    sodium_memzero(c, sizeof *c);
    free(c);
}

const char *fsd_last_error(const fsd_client *c)
{
    return c ? c->err : "no client";
}

int fsd_set_ca_file(fsd_client *c, const char *path)
{
    if (path && strlen(path) >= sizeof c->ca_file)
        return client_fail(c, FSD_ERR_INVALID, "the CA file's path is"
                           " longer than %zu bytes", sizeof c->ca_file - 1);
    snprintf(c->ca_file, sizeof c->ca_file, "%s", path ? path : "");
    return FSD_OK;
}

void fsd_set_retry(fsd_client *c, int attempts, long base_ms)
{
    c->attempts = attempts < 1 ? 1 : attempts;
    c->base_ms = base_ms < 0 ? 0 : base_ms;
}

void fsd_set_bundle_limits(fsd_client *c, uint32_t max_bytes,
                           uint32_t max_jobs)
{
    c->max_bundle_bytes = max_bytes;
    c->max_jobs = max_jobs;
}

size_t client_reply_cap(const fsd_client *c)
{
    if (c->max_bundle_bytes == 0 || c->max_bundle_bytes >= CLIENT_MAX_REPLY)
        return (size_t)CLIENT_MAX_REPLY;
    return c->max_bundle_bytes < CLIENT_MIN_REPLY ? CLIENT_MIN_REPLY
                                                  : c->max_bundle_bytes;
}

uint64_t fsd_device_id(const fsd_client *c)
{
    return (uint64_t)client_meta_int((fsd_client *)c, "device_id");
}

uint64_t fsd_technician_id(const fsd_client *c)
{
    return (uint64_t)client_meta_int((fsd_client *)c, "technician_id");
}

/* The EnrollRequest envelope for code, signed by the new key. */
static void request(const char *code, const char *name,
                    const uint8_t sign_pk[32], const uint8_t sign_sk[64],
                    const uint8_t box_pk[32], uint8_t **out, size_t *len)
{
    Fsd__V1__EnrollRequest er = FSD__V1__ENROLL_REQUEST__INIT;
    uint8_t *payload;
    size_t n;

    er.code = (char *)code;
    er.device_sign_pk.data = (uint8_t *)sign_pk;
    er.device_sign_pk.len = 32;
    er.device_box_pk.data = (uint8_t *)box_pk;
    er.device_box_pk.len = 32;
    er.device_name = (char *)(name ? name : "");
    n = fsd__v1__enroll_request__get_packed_size(&er);
    payload = malloc(n + 1);
    fsd__v1__enroll_request__pack(&er, payload);
    envelope_seal_sign("fsd.v1.EnrollRequest", payload, n, sign_sk, out,
                       len);
    free(payload);
}

/* Check the reply against the keyset it carries; pin it. */
static int accept_reply(fsd_client *c, const uint8_t *reply, size_t len,
                        const char *url)
{
    Fsd__V1__Envelope *env = fsd__v1__envelope__unpack(NULL, len, reply);
    Fsd__V1__EnrollReply *er = env ? fsd__v1__enroll_reply__unpack(
                                         NULL, env->payload.len,
                                         env->payload.data)
                                   : NULL;
    struct envelope_key key;
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *ok = NULL;
    int rc = FSD_OK;

    if (!er || !er->keyset || er->keyset->n_keys == 0 ||
        er->keyset->keys[0]->ed25519.len != 32) {
        rc = client_fail(c, FSD_ERR_VERIFY, "malformed_payload: not an"
                         " EnrollReply with a keyset");
    } else {
        memcpy(key.pk, er->keyset->keys[0]->ed25519.data, 32);
        sec_key_id(key.pk, key.key_id);
        if (envelope_open(reply, len, (size_t)CLIENT_MAX_REPLY,
                          "fsd.v1.EnrollReply", &key, 1, &ok, &err))
            rc = client_fail(c, FSD_ERR_VERIFY, "%s: %s", err.code, err.msg);
    }
    if (rc == FSD_OK &&
        (client_durable_begin(c) ||
         client_meta_set_int(c, "device_id", (int64_t)er->device_id) ||
         client_meta_set_int(c, "technician_id",
                             (int64_t)er->technician_id) ||
         client_meta_set_blob(c, "server_pk", key.pk, 32) ||
         client_meta_set_int(c, "keyset_version",
                             (int64_t)er->keyset->version) ||
         client_meta_set_blob(c, "server_url", url, strlen(url) + 1) ||
         (er->epoch.len == CLIENT_EPOCH_BYTES &&
          client_meta_set_blob(c, "epoch", er->epoch.data,
                               CLIENT_EPOCH_BYTES)) ||
         client_durable_commit(c)))
        rc = FSD_ERR_IO;
    if (ok)
        fsd__v1__envelope__free_unpacked(ok, NULL);
    if (er)
        fsd__v1__enroll_reply__free_unpacked(er, NULL);
    if (env)
        fsd__v1__envelope__free_unpacked(env, NULL);
    return rc;
}

int fsd_enroll(fsd_client *c, const char *server_url, const char *code,
               const char *device_name)
{
    uint8_t sign_pk[32], sign_sk[64], box_pk[32], box_sk[32], *body;
    char lost[48] = "";
    uint8_t *reply = NULL;
    size_t len, reply_len;
    char url[600];
    long status = 0;
    int rc;

    if (fsd_device_id(c) && client_meta_blob(c, "enrollment_lost", lost,
                                             sizeof lost) < 0)
        return client_fail(c, FSD_ERR_STATE, "this store is already"
                           " enrolled as device %llu",
                           (unsigned long long)fsd_device_id(c));
    if (!server_url || !code || strlen(server_url) > 500)
        return client_fail(c, FSD_ERR_INVALID, "a server URL and a code");
    crypto_sign_keypair(sign_pk, sign_sk);
    crypto_box_keypair(box_pk, box_sk);
    snprintf(url, sizeof url, "%s/sync/v1/enroll", server_url);
    request(code, device_name, sign_pk, sign_sk, box_pk, &body, &len);
    rc = client_post(c, url, body, len, &status, &reply, &reply_len);
    free(body);
    if (rc == FSD_OK && status != 200)
        rc = client_refused(c, status, reply, reply_len);
    else if (rc == FSD_OK &&
             (client_meta_set_blob(c, "sign_sk", sign_sk, 64) ||
              client_meta_set_blob(c, "box_pk", box_pk, 32) ||
              client_meta_set_blob(c, "box_sk", box_sk, 32)))
        rc = FSD_ERR_IO;
    if (rc == FSD_OK)
        rc = accept_reply(c, reply, reply_len, server_url);
    if (rc == FSD_OK && lost[0])
        rc = client_enrollment_renewed(c, !strcmp(lost, "unknown_device"));
    free(reply);
    sodium_memzero(sign_sk, sizeof sign_sk);
    sodium_memzero(box_sk, sizeof box_sk);
    return rc;
}
