/*
 * device.c - the simulated device of device.h.  It checks bundles in the
 * order PROTOCOL.md section 8 gives, asserting each step.
 */
#include "device.h"
#include "common/sec.h"

#include <check.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct bytes *b = arg;

    b->data = realloc(b->data, b->len + size * n + 1);
    memcpy(b->data + b->len, p, size * n);
    b->len += size * n;
    return size * n;
}

/* POST raw bytes as content_type; the status, *reply the body. */
/* One request of the fixture server: a POST of body as content_type, or a
 * GET when content_type is NULL. */
static long request(const char *path, const uint8_t *body, size_t len,
                    const char *content_type, struct bytes *reply)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = NULL;
    char url[256], ct[80];
    long status = 0;

    snprintf(url, sizeof url, "%s%s", e2e_srv.base, path);
    reply->data = NULL;
    reply->len = 0;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    if (content_type) {
        snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
        hdr = curl_slist_append(NULL, ct);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, reply);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return status;
}

long post_bytes(const char *path, const uint8_t *body, size_t len,
                const char *content_type, struct bytes *reply)
{
    return request(path, body, len, content_type, reply);
}

long get_bytes(const char *path, struct bytes *reply)
{
    return request(path, NULL, 0, NULL, reply);
}


void device_new(struct device *d)
{
    crypto_sign_keypair(d->sign_pk, d->sign_sk);
    crypto_box_keypair(d->box_pk, d->box_sk);
}

/* An EnrollRequest for code, signed by signer (the device's own key
 * unless a forger's), packed into *out. */
void enroll_envelope(const struct device *d, const char *code,
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
void new_code(struct e2e_client *desk, int64_t tech, char *code,
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
void expect_sync_error(long status, const struct bytes *b,
                              long want, const char *code)
{
    Fsd__V1__SyncError *e = fsd__v1__sync_error__unpack(NULL, b->len,
                                                        b->data);

    ck_assert_int_eq(status, want);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->code, code);
    fsd__v1__sync_error__free_unpacked(e, NULL);
}

int64_t make_technician(void)
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

void device_enroll(struct e2e_client *desk, int64_t tech, struct device *d)
{
    Fsd__V1__Envelope *env;
    Fsd__V1__EnrollReply *er;
    struct bytes reply;
    char code[16];
    uint8_t *body;
    size_t len;

    device_new(d);
    new_code(desk, tech, code, sizeof code);
    enroll_envelope(d, code, d->sign_sk, &body, &len);
    ck_assert_int_eq(post_bytes("/sync/v1/enroll", body, len,
                                "application/x-protobuf", &reply), 200);
    env = fsd__v1__envelope__unpack(NULL, reply.len, reply.data);
    ck_assert_ptr_nonnull(env);
    er = fsd__v1__enroll_reply__unpack(NULL, env->payload.len,
                                       env->payload.data);
    ck_assert_ptr_nonnull(er);
    d->id = (int64_t)er->device_id;
    memcpy(d->server.pk, er->keyset->keys[0]->ed25519.data, 32);
    sec_key_id(d->server.pk, d->server.key_id);
    fsd__v1__enroll_reply__free_unpacked(er, NULL);
    fsd__v1__envelope__free_unpacked(env, NULL);
    free(reply.data);
    free(body);
}

void device_batch(const struct device *d, const uint8_t *signer_sk,
                  uint64_t batch_seq, uint64_t cursor,
                  Fsd__V1__Mutation **muts, size_t n, struct bytes *out)
{
    Fsd__V1__SyncRequest sr = FSD__V1__SYNC_REQUEST__INIT;
    uint8_t *payload;
    size_t plen;

    sr.device_id = (uint64_t)d->id;
    sr.batch_seq = batch_seq;
    sr.cursor = cursor;
    sr.n_mutations = n;
    sr.mutations = muts;
    plen = fsd__v1__sync_request__get_packed_size(&sr);
    payload = malloc(plen + 1);
    fsd__v1__sync_request__pack(&sr, payload);
    envelope_seal_sign("fsd.v1.SyncRequest", payload, plen, signer_sk,
                       &out->data, &out->len);
    free(payload);
}

void device_seen_jobs(const Fsd__V1__SealedJobs *jobs, json_t *seen)
{
    for (size_t i = 0; i < jobs->n_jobs; i++) {
        char key[24];
        snprintf(key, sizeof key, "%llu",
                 (unsigned long long)jobs->jobs[i]->id);
        json_object_set_new(seen, key, json_true());
    }
}

long device_post_request(const Fsd__V1__SyncRequest *sr,
                         const uint8_t *const *sks, size_t n,
                         struct bytes *reply)
{
    size_t plen = fsd__v1__sync_request__get_packed_size(sr);
    uint8_t *payload = malloc(plen + 1);
    struct bytes env;
    long st;

    fsd__v1__sync_request__pack(sr, payload);
    envelope_sign_all("fsd.v1.SyncRequest", payload, plen, sks, n, &env.data,
                      &env.len);
    free(payload);
    st = post_bytes("/sync/v1/sync", env.data, env.len,
                    "application/x-protobuf", reply);
    free(env.data);
    return st;
}

void device_mutations(Fsd__V1__Mutation *m, Fsd__V1__Mutation **pm,
                      char (*ids)[32], int n, int64_t device, int64_t job)
{
    for (int i = 0; i < n; i++) {
        fsd__v1__mutation__init(&m[i]);
        snprintf(ids[i], 32, "%lld-%d", (long long)device, i + 1);
        m[i].mutation_id = ids[i];
        m[i].job_id = (uint64_t)job;
        pm[i] = &m[i];
    }
}

void visit_done(struct visit_done *v, Fsd__V1__Mutation *m)
{
    fsd__v1__arrive__init(&v->arrive);
    fsd__v1__warranty_decision__init(&v->covered);
    fsd__v1__visit_outcome__init(&v->done);
    m[0].kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    m[0].arrive = &v->arrive;
    v->covered.outcome = FSD__V1__WARRANTY_DECISION__OUTCOME__IN_WARRANTY;
    m[1].kind_case = FSD__V1__MUTATION__KIND_WARRANTY;
    m[1].warranty = &v->covered;
    v->done.outcome = FSD__V1__VISIT_OUTCOME__OUTCOME__COMPLETED;
    m[2].kind_case = FSD__V1__MUTATION__KIND_OUTCOME;
    m[2].outcome = &v->done;
}

Fsd__V1__Mutation *en_route(struct muts *b, int i, const char *id,
                            int64_t job)
{
    fsd__v1__mutation__init(&b->m[i]);
    fsd__v1__en_route__init(&b->en_route);
    b->m[i].mutation_id = (char *)id;
    b->m[i].job_id = (uint64_t)job;
    b->m[i].kind_case = FSD__V1__MUTATION__KIND_EN_ROUTE;
    b->m[i].en_route = &b->en_route;
    b->pm[i] = &b->m[i];
    return &b->m[i];
}

long sync_with(const struct device *d, uint64_t batch_seq, uint64_t cursor,
               uint32_t max_bytes, uint32_t max_jobs,
               Fsd__V1__Mutation **muts, size_t n, struct bytes *reply)
{
    Fsd__V1__SyncRequest sr = FSD__V1__SYNC_REQUEST__INIT;
    Fsd__V1__Capabilities caps = FSD__V1__CAPABILITIES__INIT;
    const uint8_t *sks[1] = {d->sign_sk};

    caps.max_bundle_bytes = max_bytes;
    caps.max_jobs_per_bundle = max_jobs;
    sr.device_id = (uint64_t)d->id;
    sr.batch_seq = batch_seq;
    sr.cursor = cursor;
    sr.capabilities = &caps;
    sr.n_mutations = n;
    sr.mutations = muts;
    return device_post_request(&sr, sks, 1, reply);
}

long device_sync(const struct device *d, const uint8_t *signer_sk,
                 uint64_t batch_seq, uint64_t cursor,
                 Fsd__V1__Mutation **muts, size_t n, struct bytes *reply,
                 struct bytes *sent)
{
    struct bytes env;
    long st;

    device_batch(d, signer_sk, batch_seq, cursor, muts, n, &env);
    st = post_bytes("/sync/v1/sync", env.data, env.len,
                    "application/x-protobuf", reply);
    if (sent)
        *sent = env;
    else
        free(env.data);
    return st;
}

Fsd__V1__Bundle *device_open_bundle(const struct device *d,
                                    const struct bytes *reply,
                                    Fsd__V1__SealedJobs **jobs)
{
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env = NULL;
    Fsd__V1__Bundle *b;
    uint8_t *plain;
    size_t n;

    ck_assert_int_eq(envelope_open(reply->data, reply->len, 8 << 20,
                                   "fsd.v1.Bundle", &d->server, 1, &env,
                                   &err), 0);
    b = fsd__v1__bundle__unpack(NULL, env->payload.len, env->payload.data);
    fsd__v1__envelope__free_unpacked(env, NULL);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq((int64_t)b->device_id, d->id);
    ck_assert_str_eq(b->signer_key_id, d->server.key_id);
    ck_assert_int_gt(b->expires_at, b->issued_at);
    ck_assert_uint_ge(b->sealed_jobs.len, crypto_box_SEALBYTES);
    n = b->sealed_jobs.len - crypto_box_SEALBYTES;
    plain = malloc(n + 1);
    ck_assert_int_eq(crypto_box_seal_open(plain, b->sealed_jobs.data,
                                          b->sealed_jobs.len, d->box_pk,
                                          d->box_sk), 0);
    *jobs = fsd__v1__sealed_jobs__unpack(NULL, n, plain);
    ck_assert_ptr_nonnull(*jobs);
    free(plain);
    return b;
}

/* A job booked and assigned to tech by dispatcher desk, for a unit bought
 * on purchase_date (NULL: no unit). */
int64_t job_assigned(struct e2e_client *desk, int64_t tech,
                             const char *purchase_date)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t cust = e2e_create(desk, "/api/v1/customers",
                              json_pack("{s:s}", "name", "Harbour Cafe"));
    json_t *body = json_pack("{s:I, s:s}", "customer_id", (json_int_t)cust,
                             "kind", "repair");
    char path[64];
    int64_t job;

    if (purchase_date) {
        char serial[40];
        e2e_unique(serial, sizeof serial, "SN");
        json_object_set_new(
            body, "asset_id",
            json_integer(e2e_create(
                desk, "/api/v1/assets",
                json_pack("{s:I, s:s, s:s, s:s}", "customer_id",
                          (json_int_t)cust, "model", "IM-4", "serial", serial,
                          "purchase_date", purchase_date))));
    }
    job = e2e_create(desk, "/api/v1/jobs", body);

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    /* booking reserves the parts */
    e2e_send(desk, "POST", path, json_pack("{s:s}", "event", "book"), &r);
    e2e_expect_status(&r, 200);
    e2e_send(desk, "POST", path,
             json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                       (json_int_t)tech), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    return job;
}

const char *job_status(struct e2e_client *c, int64_t job)
{
    static char status[40];
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[64];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
    e2e_get(c, path, &r);
    snprintf(status, sizeof status, "%s",
             json_string_value(json_object_get(r.json, "status")));
    e2e_reply_release(&r);
    return status;
}
