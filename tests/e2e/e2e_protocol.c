/*
 * e2e_protocol.c - the device protocol where a second implementation
 * would find its edges (proto/PROTOCOL.md), against the real server: a
 * device's capabilities bound every bundle it gets and paging still
 * brings every job; a job too big for the device fails the sync whole;
 * a cursor past the end of the change log starts a resync instead of
 * being echoed; mutation ids out of bounds are answered REJECTED, never
 * dropped; stale_batch says the last batch accepted; one trusted
 * signature anywhere in the envelope suffices; revocation is told only
 * to a request that verifies; every reply under /sync/v1/ is a SyncError
 * with the spec's codes; the enrollment reply carries the keyset as
 * signed and the chain of rotations, and an exact retry after a rotation
 * gets its bundle signed anew; a device's action is recorded at
 * the time it happened (within bounds, noted when clamped), and reports
 * count that time; a conflict shows the action, what it carried, the
 * device's time and the job as the server had it, and a note is never
 * one.
 */
#include "common/sec.h"
#include "common/timefmt.h"
#include "device.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Mutation storage for one request. */
struct muts {
    Fsd__V1__Mutation m[4], *pm[4];
    Fsd__V1__Arrive arrive;
    Fsd__V1__EnRoute en_route;
};

static Fsd__V1__Mutation *en_route(struct muts *b, int i, const char *id,
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

/* A request of d for batch_seq from cursor with the given limits. */
static long sync_with(const struct device *d, uint64_t batch_seq,
                      uint64_t cursor, uint32_t max_bytes, uint32_t max_jobs,
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

/* Sync d from cursor 0 to the end with the limits, counting the distinct
 * jobs received and asserting each bundle's size and job count. */
static size_t walk(const struct device *d, uint64_t *batch_seq,
                   uint32_t max_bytes, uint32_t max_jobs, int *bundles)
{
    json_t *seen = json_object();
    uint64_t cursor = 0;
    int more = 1;
    size_t n;

    *bundles = 0;
    for (int round = 0; more && round < 200; round++) {
        struct bytes reply;
        Fsd__V1__SealedJobs *jobs;
        Fsd__V1__Bundle *b;
        ck_assert_int_eq(sync_with(d, ++*batch_seq, cursor, max_bytes, max_jobs,
                                   NULL, 0, &reply),
                         200);
        if (max_bytes)
            ck_assert_uint_le(reply.len, max_bytes);
        b = device_open_bundle(d, &reply, &jobs);
        if (max_jobs)
            ck_assert_uint_le(jobs->n_jobs + b->n_removed_job_ids, max_jobs);
        device_seen_jobs(jobs, seen);
        ck_assert_uint_ge(b->checkpoint, cursor);
        cursor = b->checkpoint;
        more = b->has_more;
        (*bundles)++;
        fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
        fsd__v1__bundle__free_unpacked(b, NULL);
        free(reply.data);
    }
    ck_assert_int_eq(more, 0);
    n = json_object_size(seen);
    json_decref(seen);
    return n;
}

START_TEST(capabilities_bound_every_bundle)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    char fault[501], path[64];
    int64_t tech = make_technician();
    uint64_t seq = 0;
    int bundles;

    e2e_as_role(&desk, "dispatcher", NULL);
    memset(fault, 'f', sizeof fault - 1);
    fault[sizeof fault - 1] = '\0';
    for (int i = 0; i < 30; i++) {
        /* about 600 bytes a job: 30 of them need several 8 KiB bundles */
        int64_t job = job_assigned(&desk, tech, "2026-01-15");
        snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
        e2e_send(&desk, "PATCH", path, json_pack("{s:s}", "fault", fault), &r);
        e2e_expect_status(&r, 200);
        e2e_reply_release(&r);
    }
    device_enroll(&desk, tech, &d);
    /* all at once by default; a page of at most 8 KiB, or one job, asked */
    ck_assert_uint_eq(walk(&d, &seq, 0, 0, &bundles), 30);
    ck_assert_int_eq(bundles, 1);
    ck_assert_uint_eq(walk(&d, &seq, 8192, 0, &bundles), 30);
    ck_assert_int_gt(bundles, 1);
    ck_assert_uint_eq(walk(&d, &seq, 0, 1, &bundles), 30);
    ck_assert_int_eq(bundles, 30);
    /* below the floor of 4096 bytes counts as 4096 */
    ck_assert_uint_eq(walk(&d, &seq, 4096, 0, &bundles), 30);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(a_job_too_big_for_the_device_fails_the_sync)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    struct bytes reply;
    struct muts b;
    Fsd__V1__SyncError *e;
    int64_t tech = make_technician(), job;
    char fault[4001], path[64], id[32];

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    memset(fault, 'x', 4000);
    fault[4000] = '\0';
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
    e2e_send(&desk, "PATCH", path, json_pack("{s:s}", "fault", fault), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    device_enroll(&desk, tech, &d);
    snprintf(id, sizeof id, "%lld-1", (long long)d.id);
    en_route(&b, 0, id, job);
    ck_assert_int_eq(sync_with(&d, 1, 0, 4096, 0, b.pm, 1, &reply), 413);
    e = fsd__v1__sync_error__unpack(NULL, reply.len, reply.data);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->code, "too_large");
    ck_assert_ptr_nonnull(strstr(e->message, "alone makes a bundle of"));
    fsd__v1__sync_error__free_unpacked(e, NULL);
    free(reply.data);
    /* nothing of the batch was applied; with room for it, it goes */
    ck_assert_str_eq(job_status(&desk, job), "assigned");
    ck_assert_int_eq(sync_with(&d, 2, 0, 16384, 0, b.pm, 1, &reply), 200);
    ck_assert_uint_le(reply.len, 16384);
    free(reply.data);
    ck_assert_str_eq(job_status(&desk, job), "en_route");
    e2e_client_release(&desk);
}
END_TEST

/* One sync of d from cursor: the bundle (and *jobs), asserting 200. */
static Fsd__V1__Bundle *sync_from(const struct device *d, uint64_t batch_seq,
                                  uint64_t cursor, Fsd__V1__SealedJobs **jobs)
{
    struct bytes reply;
    Fsd__V1__Bundle *b;

    ck_assert_int_eq(sync_with(d, batch_seq, cursor, 0, 0, NULL, 0, &reply),
                     200);
    b = device_open_bundle(d, &reply, jobs);
    free(reply.data);
    return b;
}

START_TEST(a_cursor_past_the_end_resyncs)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Bundle *b;
    int64_t tech = make_technician(), job;
    uint64_t end, far[] = {0, UINT64_C(1) << 63, UINT64_MAX};
    char path[64];

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    b = sync_from(&d, 1, 0, &jobs);
    ck_assert_int_eq(b->resync, 0);
    end = b->checkpoint;
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(b, NULL);
    far[0] = end + 1000;
    for (int i = 0; i < 3; i++) {
        /* not echoed: every job again, from the start, told to resync */
        b = sync_from(&d, (uint64_t)i + 2, far[i], &jobs);
        ck_assert_int_eq(b->resync, 1);
        ck_assert_uint_eq(jobs->n_jobs, 2);
        ck_assert_uint_ge(b->checkpoint, end);
        ck_assert_uint_lt(b->checkpoint, far[0]);
        end = b->checkpoint;
        fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
        fsd__v1__bundle__free_unpacked(b, NULL);
    }
    /* a later change reaches the device from there */
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
    e2e_send(&desk, "PATCH", path, json_pack("{s:s}", "fault", "louder"), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    b = sync_from(&d, 5, end, &jobs);
    ck_assert_int_eq(b->resync, 0);
    ck_assert_uint_eq(jobs->n_jobs, 1);
    ck_assert_str_eq(jobs->jobs[0]->fault, "louder");
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(b, NULL);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(mutation_ids_out_of_bounds_are_rejected)
{
    struct e2e_client desk;
    struct device d;
    struct muts b;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Bundle *bundle;
    struct bytes reply;
    int64_t tech = make_technician(), job;
    char long_id[66], good[32];

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    memset(long_id, '7', 65);
    long_id[65] = '\0';
    snprintf(good, sizeof good, "%lld-1", (long long)d.id);
    for (uint64_t seq = 1; seq <= 2; seq++) {
        en_route(&b, 0, "", job);
        en_route(&b, 1, long_id, job);
        en_route(&b, 2, good, job);
        ck_assert_int_eq(sync_with(&d, seq, 0, 0, 0, b.pm, 3, &reply), 200);
        bundle = device_open_bundle(&d, &reply, &jobs);
        ck_assert_uint_eq(bundle->n_acks, 3);
        for (int i = 0; i < 2; i++) {
            ck_assert_int_eq(bundle->acks[i]->result,
                             FSD__V1__ACK__RESULT__REJECTED);
            ck_assert_str_eq(bundle->acks[i]->code, "invalid_mutation_id");
        }
        ck_assert_str_eq(bundle->acks[0]->mutation_id, "");
        ck_assert_str_eq(bundle->acks[1]->mutation_id, long_id);
        ck_assert_str_eq(bundle->acks[2]->mutation_id, good);
        ck_assert_int_eq(bundle->acks[2]->result,
                         FSD__V1__ACK__RESULT__APPLIED);
        fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
        fsd__v1__bundle__free_unpacked(bundle, NULL);
        free(reply.data);
    }
    ck_assert_str_eq(job_status(&desk, job), "en_route");
    e2e_client_release(&desk);
}
END_TEST

START_TEST(unset_decisions_and_outsized_notes_are_rejected)
{
    struct e2e_client desk;
    struct device d;
    struct bytes reply;
    Fsd__V1__Mutation m[3], *pm[3];
    Fsd__V1__WarrantyDecision unset = FSD__V1__WARRANTY_DECISION__INIT;
    Fsd__V1__Note empty = FSD__V1__NOTE__INIT, huge = FSD__V1__NOTE__INIT;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Bundle *bundle;
    int64_t tech = make_technician(), job;
    char ids[3][32], *text = malloc(4002);

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    memset(text, 'n', 4001);
    text[4001] = '\0';
    huge.text = text;
    for (int i = 0; i < 3; i++) {
        fsd__v1__mutation__init(&m[i]);
        snprintf(ids[i], sizeof ids[i], "%lld-%d", (long long)d.id, i + 1);
        m[i].mutation_id = ids[i];
        m[i].job_id = (uint64_t)job;
        pm[i] = &m[i];
    }
    m[0].kind_case = FSD__V1__MUTATION__KIND_WARRANTY; /* OUTCOME_UNSPECIFIED */
    m[0].warranty = &unset;
    m[1].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    m[1].note = &empty;
    m[2].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    m[2].note = &huge;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, pm, 3, &reply, NULL),
                     200);
    bundle = device_open_bundle(&d, &reply, &jobs);
    ck_assert_uint_eq(bundle->n_acks, 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(bundle->acks[i]->result,
                         FSD__V1__ACK__RESULT__REJECTED);
        ck_assert_str_eq(bundle->acks[i]->code, "out_of_range");
    }
    ck_assert_ptr_nonnull(strstr(bundle->acks[0]->message, "outcome"));
    ck_assert_ptr_nonnull(strstr(bundle->acks[2]->message, "1 to 4000"));
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    free(reply.data);
    free(text);
    ck_assert_str_eq(job_status(&desk, job), "assigned");
    e2e_client_release(&desk);
}
END_TEST

/* Assert a 409 stale_batch naming last as the last batch accepted. */
static void expect_stale(const struct device *d, uint64_t batch_seq,
                         uint64_t last)
{
    struct bytes reply;
    Fsd__V1__SyncError *e;

    ck_assert_int_eq(sync_with(d, batch_seq, 0, 0, 0, NULL, 0, &reply), 409);
    e = fsd__v1__sync_error__unpack(NULL, reply.len, reply.data);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->code, "stale_batch");
    ck_assert_uint_eq(e->last_batch_seq, last);
    fsd__v1__sync_error__free_unpacked(e, NULL);
    free(reply.data);
}

START_TEST(stale_batch_says_the_last_batch)
{
    struct e2e_client desk;
    struct device d;
    struct bytes reply;
    int64_t tech = make_technician();

    e2e_as_role(&desk, "dispatcher", NULL);
    device_enroll(&desk, tech, &d);
    expect_stale(&d, 0, 0);
    ck_assert_int_eq(sync_with(&d, 3, 0, 0, 0, NULL, 0, &reply), 200);
    free(reply.data);
    expect_stale(&d, 2, 3);
    expect_stale(&d, 0, 3);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(one_trusted_signature_suffices)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d, forger;
    struct bytes reply;
    Fsd__V1__SyncRequest sr = FSD__V1__SYNC_REQUEST__INIT;
    int64_t tech = make_technician();
    char path[64];

    e2e_as_role(&desk, "dispatcher", NULL);
    device_enroll(&desk, tech, &d);
    device_new(&forger);
    sr.device_id = (uint64_t)d.id;
    sr.batch_seq = 1;
    {
        /* the device's signature second, after an unknown key's */
        const uint8_t *both[2] = {forger.sign_sk, d.sign_sk};
        ck_assert_int_eq(device_post_request(&sr, both, 2, &reply), 200);
        free(reply.data);
    }
    {
        /* only keys no device has: not a device of this server */
        const uint8_t *alone[1] = {forger.sign_sk};
        sr.batch_seq = 2;
        expect_sync_error(device_post_request(&sr, alone, 1, &reply), &reply,
                          404, "unknown_device");
        free(reply.data);
    }
    /* revoked: said only to a request the device's key verifies */
    snprintf(path, sizeof path, "/api/v1/devices/%lld", (long long)d.id);
    e2e_send(&desk, "DELETE", path, NULL, &r);
    e2e_expect_status(&r, 204);
    e2e_reply_release(&r);
    {
        struct bytes env;
        device_batch(&d, d.sign_sk, 3, 0, NULL, 0, &env);
        env.data[env.len - 1] ^= 1; /* the signature's last byte */
        expect_sync_error(post_bytes("/sync/v1/sync", env.data, env.len,
                                     "application/x-protobuf", &reply),
                          &reply, 403, "bad_signature");
        free(reply.data);
        free(env.data);
    }
    expect_sync_error(device_sync(&d, d.sign_sk, 3, 0, NULL, 0, &reply, NULL),
                      &reply, 403, "device_revoked");
    free(reply.data);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(device_paths_answer_in_sync_errors)
{
    struct bytes reply;
    uint8_t *big = calloc(1, 2u << 20);
    static const uint8_t junk[] = {0x0a, 0x01, 0x00};

    expect_sync_error(get_bytes("/sync/v1/sync", &reply), &reply, 405,
                      "method_not_allowed");
    free(reply.data);
    expect_sync_error(post_bytes("/sync/v1/nothing", junk, sizeof junk,
                                 "application/x-protobuf", &reply),
                      &reply, 404, "not_found");
    free(reply.data);
    expect_sync_error(post_bytes("/sync/v1/sync", junk, sizeof junk,
                                 "application/json", &reply),
                      &reply, 415, "unsupported_media_type");
    free(reply.data);
    expect_sync_error(post_bytes("/sync/v1/sync", big, 2u << 20,
                                 "application/x-protobuf", &reply),
                      &reply, 413, "too_large");
    free(reply.data);
    free(big);
}
END_TEST

/* The server's current bundle-signing key, as a new device pins it. */
static void current_key(struct e2e_client *desk, int64_t tech,
                        struct envelope_key *key)
{
    struct device fresh;

    device_enroll(desk, tech, &fresh);
    *key = fresh.server;
}

static void rotate_key(void)
{
    char cmd[800];

    snprintf(cmd, sizeof cmd,
             "%s rotate-key --db %s --log-level warn"
             " >/dev/null",
             getenv("FSD_SERVER") ? getenv("FSD_SERVER") : "build/fsd-server",
             e2e_srv.db);
    ck_assert_int_eq(system(cmd), 0);
}

/* The EnrollReply of a new device of tech, unpacked, with the envelope
 * verified by the key its own keyset names. */
static Fsd__V1__EnrollReply *enroll_reply(struct e2e_client *desk, int64_t tech)
{
    struct device d;
    struct bytes reply;
    struct envelope_key key;
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env;
    Fsd__V1__EnrollReply *er;
    char code[16];
    uint8_t *body;
    size_t len;

    device_new(&d);
    new_code(desk, tech, code, sizeof code);
    enroll_envelope(&d, code, d.sign_sk, &body, &len);
    ck_assert_int_eq(post_bytes("/sync/v1/enroll", body, len,
                                "application/x-protobuf", &reply),
                     200);
    ck_assert_int_eq(
        envelope_unpack(reply.data, reply.len, reply.len, &env, &err), 0);
    er = fsd__v1__enroll_reply__unpack(NULL, env->payload.len,
                                       env->payload.data);
    ck_assert_ptr_nonnull(er);
    ck_assert_uint_eq(er->keyset->n_keys, 1);
    memcpy(key.pk, er->keyset->keys[0]->ed25519.data, 32);
    sec_key_id(key.pk, key.key_id);
    ck_assert_int_eq(envelope_verify(env, "fsd.v1.EnrollReply", &key, 1, &err),
                     0);
    fsd__v1__envelope__free_unpacked(env, NULL);
    free(reply.data);
    free(body);
    return er;
}

START_TEST(the_enroll_reply_carries_the_keysets_as_signed)
{
    struct e2e_client desk;
    Fsd__V1__EnrollReply *er;
    Fsd__V1__Keyset *signed_ks;
    int64_t tech = make_technician();
    e2e_as_role(&desk, "dispatcher", NULL);
    er = enroll_reply(&desk, tech);
    ck_assert_uint_eq(er->keyset->version, 1);
    ck_assert_uint_eq(er->n_keyset_chain, 0);
    /* version 1 was issued with the server's key, before now */
    ck_assert_int_gt(er->keyset->issued_at, 0);
    ck_assert_int_le(er->keyset->issued_at, (int64_t)time(NULL));
    fsd__v1__enroll_reply__free_unpacked(er, NULL);
    rotate_key();
    er = enroll_reply(&desk, tech);
    ck_assert_uint_eq(er->keyset->version, 2);
    ck_assert_uint_eq(er->n_keyset_chain, 1);
    ck_assert_str_eq(er->keyset_chain[0]->payload_type, "fsd.v1.Keyset");
    signed_ks = fsd__v1__keyset__unpack(NULL, er->keyset_chain[0]->payload.len,
                                        er->keyset_chain[0]->payload.data);
    ck_assert_ptr_nonnull(signed_ks);
    /* the keyset handed out is the one signed at the rotation */
    ck_assert_uint_eq(signed_ks->version, 2);
    ck_assert_int_eq(signed_ks->issued_at, er->keyset->issued_at);
    ck_assert_str_eq(signed_ks->keys[0]->key_id, er->keyset->keys[0]->key_id);
    ck_assert_uint_eq(er->keyset_chain[0]->n_sigs, 2);
    fsd__v1__keyset__free_unpacked(signed_ks, NULL);
    fsd__v1__enroll_reply__free_unpacked(er, NULL);
    e2e_client_release(&desk);
}
END_TEST

/* The timeline entry of job with action, asserted to be there. */
static json_t *timeline_entry(struct e2e_client *desk, int64_t job,
                              const char *action)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    json_t *e, *found = NULL;
    char path[64];
    size_t i;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline", (long long)job);
    ck_assert_int_eq(e2e_get(desk, path, &r), 200);
    json_array_foreach(
        json_object_get(r.json, "items"), i,
        e) if (!strcmp(json_string_value(json_object_get(e, "action")), action))
        found = json_incref(e);
    e2e_reply_release(&r);
    ck_assert_msg(found != NULL, "no %s in the timeline", action);
    return found;
}

static int64_t seconds_of(const json_t *e, const char *key)
{
    int64_t at = -1;

    ck_assert_int_eq(
        timefmt_parse_rfc3339(json_string_value(json_object_get(e, key)), &at),
        0);
    return at;
}

START_TEST(device_time_is_when_it_happened)
{
    struct e2e_client desk, manager;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    struct bytes reply;
    Fsd__V1__Mutation m[4], *pm[4];
    Fsd__V1__EnRoute en_route = FSD__V1__EN_ROUTE__INIT;
    Fsd__V1__Arrive arrive = FSD__V1__ARRIVE__INIT;
    Fsd__V1__Note note = FSD__V1__NOTE__INIT, early = FSD__V1__NOTE__INIT;
    int64_t tech = make_technician(), job, now = (int64_t)time(NULL);
    char ids[4][32], sql[400];
    json_t *e;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&manager, "manager", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    /* the job was booked and the device enrolled this morning, the job
     * made alone on its day in 2001 so that a report sees only it; it was
     * due on site 2 hours ago */
    snprintf(sql, sizeof sql,
             "UPDATE audit_events SET at = at - 28800 WHERE entity = 'job'"
             " AND entity_id = %lld; UPDATE devices SET enrolled_at ="
             " enrolled_at - 28800 WHERE id = %lld; UPDATE jobs SET"
             " created_at = 978350400, sla_due_at = %lld WHERE id = %lld",
             (long long)job, (long long)d.id, (long long)(now - 7200),
             (long long)job);
    db_run(sql);
    for (int i = 0; i < 4; i++) {
        fsd__v1__mutation__init(&m[i]);
        snprintf(ids[i], sizeof ids[i], "%lld-%d", (long long)d.id, i + 1);
        m[i].mutation_id = ids[i];
        m[i].job_id = (uint64_t)job;
        pm[i] = &m[i];
    }
    /* offline all morning: on the way at 4 hours ago, there at 3 */
    m[0].kind_case = FSD__V1__MUTATION__KIND_EN_ROUTE;
    m[0].en_route = &en_route;
    m[0].device_time = now - 4 * 3600;
    m[1].kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    m[1].arrive = &arrive;
    m[1].device_time = now - 3 * 3600;
    /* a clock an hour ahead, and (sent first) one that went back before
     * the arrival */
    note.text = "clock ahead";
    m[2].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    m[2].note = &note;
    m[2].device_time = now + 3600;
    early.text = "clock behind";
    m[3].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    m[3].note = &early;
    m[3].device_time = now - 5 * 3600;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, pm, 2, &reply, NULL),
                     200);
    free(reply.data);
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 2, 0, pm + 3, 1, &reply, NULL),
                     200);
    free(reply.data);
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 3, 0, pm + 2, 1, &reply, NULL),
                     200);
    free(reply.data);

    e = timeline_entry(&desk, job, "start_travel");
    ck_assert_int_eq(seconds_of(e, "at"), now - 4 * 3600);
    ck_assert_int_ge(seconds_of(e, "received_at"), now);
    ck_assert(json_is_null(json_object_get(e, "time_note")));
    json_decref(e);
    e = timeline_entry(&desk, job, "arrive");
    ck_assert_int_eq(seconds_of(e, "at"), now - 3 * 3600);
    json_decref(e);
    snprintf(sql, sizeof sql, "/api/v1/jobs/%lld/record", (long long)job);
    ck_assert_int_eq(e2e_get(&desk, sql, &r), 200);
    ck_assert_int_eq(
        seconds_of(json_array_get(json_object_get(r.json, "visits"), 0),
                   "arrived_at"),
        now - 3 * 3600);
    e2e_reply_release(&r);
    {
        /* the notes: clamped, noted, and in the order they happened */
        struct e2e_reply tl = E2E_REPLY_INIT;
        json_t *items, *last, *before_last;
        snprintf(sql, sizeof sql, "/api/v1/jobs/%lld/timeline", (long long)job);
        ck_assert_int_eq(e2e_get(&desk, sql, &tl), 200);
        items = json_object_get(tl.json, "items");
        last = json_array_get(items, json_array_size(items) - 1);
        before_last = json_array_get(items, json_array_size(items) - 2);
        ck_assert_str_eq(json_string_value(json_object_get(
                             json_object_get(last, "detail"), "text")),
                         "clock ahead");
        ck_assert_str_eq(json_string_value(json_object_get(last, "time_note")),
                         "device_clock_ahead");
        ck_assert_int_le(seconds_of(last, "at"),
                         seconds_of(last, "received_at"));
        ck_assert_str_eq(json_string_value(json_object_get(
                             json_object_get(before_last, "detail"), "text")),
                         "clock behind");
        ck_assert_str_eq(
            json_string_value(json_object_get(before_last, "time_note")),
            "before_previous_event");
        ck_assert_int_eq(seconds_of(before_last, "at"), now - 3 * 3600);
        e2e_reply_release(&tl);
    }
    /* the on-site SLA counts the arrival, not the sync */
    ck_assert_int_eq(e2e_get(&manager,
                             "/api/v1/reports/summary"
                             "?from=2001-01-01&to=2001-01-02",
                             &r),
                     200);
    e = json_object_get(json_object_get(r.json, "sla"), "on_site");
    ck_assert_int_eq(json_integer_value(json_object_get(e, "total")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "met")), 1);
    e2e_reply_release(&r);
    e2e_client_release(&manager);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(a_conflict_shows_what_the_technician_did)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    struct bytes reply;
    Fsd__V1__Mutation m[3], *pm[3];
    Fsd__V1__Arrive arrive = FSD__V1__ARRIVE__INIT;
    Fsd__V1__Note note = FSD__V1__NOTE__INIT;
    Fsd__V1__VisitOutcome done = FSD__V1__VISIT_OUTCOME__INIT;
    Fsd__V1__LabourLine labour = FSD__V1__LABOUR_LINE__INIT, *pl = &labour;
    int64_t tech = make_technician(), other = make_technician(), job;
    int64_t now = (int64_t)time(NULL);
    char ids[3][32], path[80];
    json_t *items, *c;
    json_t *note_entry;

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, NULL, 0, &reply, NULL),
                     200);
    free(reply.data);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(&desk, "POST", path,
             json_pack("{s:s, s:I, s:s}", "event", "reassign", "technician_id",
                       (json_int_t)other, "reason", "closer to the site"),
             &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    /* offline, the first technician went anyway and did the work */
    for (int i = 0; i < 3; i++) {
        fsd__v1__mutation__init(&m[i]);
        snprintf(ids[i], sizeof ids[i], "%lld-%d", (long long)d.id, i + 1);
        m[i].mutation_id = ids[i];
        m[i].job_id = (uint64_t)job;
        m[i].device_time = now - 600 + i * 60;
        pm[i] = &m[i];
    }
    m[0].kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    m[0].arrive = &arrive;
    note.text = "Gate code 7731";
    m[1].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    m[1].note = &note;
    done.outcome = FSD__V1__VISIT_OUTCOME__OUTCOME__COMPLETED;
    done.notes = "replaced the drain pump";
    labour.description = "Diagnosis and repair";
    labour.quantity = 1;
    labour.unit_price_minor = 4500;
    done.n_labour = 1;
    done.labour = &pl;
    m[2].kind_case = FSD__V1__MUTATION__KIND_OUTCOME;
    m[2].outcome = &done;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 2, 0, pm, 3, &reply, NULL),
                     200);
    free(reply.data);
    /* the note is not a conflict: it joined the job's history */
    note_entry = timeline_entry(&desk, job, "note");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(note_entry, "detail"), "text")),
                     "Gate code 7731");
    json_decref(note_entry);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/conflicts", (long long)job);
    ck_assert_int_eq(e2e_get(&desk, path, &r), 200);
    items = json_object_get(r.json, "items");
    ck_assert_uint_eq(json_array_size(items), 2);
    c = json_array_get(items, 0);
    ck_assert_str_eq(json_string_value(json_object_get(c, "action")), "arrive");
    ck_assert_int_eq(seconds_of(c, "device_time"), now - 600);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(c, "server_had"), "status")),
                     "assigned");
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(c, "server_had"), "technician_id")),
                     other);
    c = json_array_get(items, 1);
    ck_assert_str_eq(json_string_value(json_object_get(c, "action")),
                     "complete_work");
    ck_assert_int_eq(seconds_of(c, "device_time"), now - 480);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(c, "content"), "notes")),
                     "replaced the drain pump");
    ck_assert_str_eq(
        json_string_value(json_object_get(
            json_array_get(
                json_object_get(json_object_get(c, "content"), "labour"), 0),
            "description")),
        "Diagnosis and repair");
    e2e_reply_release(&r);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(a_retry_after_a_rotation_is_signed_anew)
{
    struct e2e_client desk;
    struct device d;
    struct bytes sent, lost, again, next;
    struct muts b;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Bundle *first, *second, *third;
    int64_t tech = make_technician(), job;
    unsigned char hash[32];
    char id[32];

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    snprintf(id, sizeof id, "%lld-1", (long long)d.id);
    en_route(&b, 0, id, job);
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, b.pm, 1, &lost, &sent),
                     200);
    first = device_open_bundle(&d, &lost, &jobs);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    /* the reply was lost; meanwhile the key was rotated, and the device
     * learned the new keyset before it sent the batch again */
    rotate_key();
    current_key(&desk, tech, &d.server);
    ck_assert_str_ne(d.server.key_id, first->signer_key_id);
    ck_assert_int_eq(post_bytes("/sync/v1/sync", sent.data, sent.len,
                                "application/x-protobuf", &again),
                     200);
    second = device_open_bundle(&d, &again, &jobs); /* the new key's */
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    ck_assert_uint_eq(second->bundle_seq, first->bundle_seq);
    ck_assert_uint_eq(second->n_acks, 1);
    ck_assert_str_eq(second->acks[0]->mutation_id, id);
    ck_assert_int_eq(second->acks[0]->result, FSD__V1__ACK__RESULT__APPLIED);
    ck_assert_uint_eq(second->keyset_version, first->keyset_version + 1);
    ck_assert_str_eq(job_status(&desk, job), "en_route"); /* once */
    {
        /* the chain goes on from the bundle issued again */
        Fsd__V1__Envelope *env =
            fsd__v1__envelope__unpack(NULL, again.len, again.data);
        sec_hash(env->payload.data, env->payload.len, hash);
        fsd__v1__envelope__free_unpacked(env, NULL);
    }
    ck_assert_int_eq(
        device_sync(&d, d.sign_sk, 2, second->checkpoint, NULL, 0, &next, NULL),
        200);
    third = device_open_bundle(&d, &next, &jobs);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    ck_assert_mem_eq(third->prev_bundle_hash.data, hash, 32);
    fsd__v1__bundle__free_unpacked(first, NULL);
    fsd__v1__bundle__free_unpacked(second, NULL);
    fsd__v1__bundle__free_unpacked(third, NULL);
    free(sent.data);
    free(lost.data);
    free(again.data);
    free(next.data);
    e2e_client_release(&desk);
}
END_TEST

Suite *e2e_protocol_suite(void)
{
    Suite *s = suite_create("e2e_protocol");
    TCase *tc = tcase_create("protocol");
    TCase *keys = tcase_create("keys");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, capabilities_bound_every_bundle);
    tcase_add_test(tc, a_job_too_big_for_the_device_fails_the_sync);
    tcase_add_test(tc, a_cursor_past_the_end_resyncs);
    tcase_add_test(tc, mutation_ids_out_of_bounds_are_rejected);
    tcase_add_test(tc, unset_decisions_and_outsized_notes_are_rejected);
    tcase_add_test(tc, stale_batch_says_the_last_batch);
    tcase_add_test(tc, one_trusted_signature_suffices);
    tcase_add_test(tc, device_paths_answer_in_sync_errors);
    tcase_add_test(tc, device_time_is_when_it_happened);
    tcase_add_test(tc, a_conflict_shows_what_the_technician_did);
    suite_add_tcase(s, tc);
    /* a rotation changes the server's keys: a server of its own */
    tcase_set_timeout(keys, 60);
    tcase_add_unchecked_fixture(keys, e2e_setup_ready, e2e_teardown);
    tcase_add_test(keys, the_enroll_reply_carries_the_keysets_as_signed);
    tcase_add_test(keys, a_retry_after_a_rotation_is_signed_anew);
    suite_add_tcase(s, keys);
    return s;
}
