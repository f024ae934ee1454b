/*
 * e2e_protocol.c - the device protocol where a second implementation
 * would find its edges (proto/PROTOCOL.md), against the real server: a
 * device's capabilities bound every bundle it gets and paging still
 * brings every job; a job too big for the device fails the sync whole;
 * a cursor past the end of the change log starts a resync instead of
 * being echoed; mutation ids out of bounds are answered REJECTED, never
 * dropped, and so are decisions left unset and notes too long;
 * stale_batch says the last batch accepted; one trusted signature
 * anywhere in the envelope suffices; revocation is told only to a
 * request that verifies; every reply under /sync/v1/ is a SyncError with
 * the spec's codes.
 */
#include "common/sec.h"
#include "device.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    device_mutations(m, pm, ids, 3, d.id, job);
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

Suite *e2e_protocol_suite(void)
{
    Suite *s = suite_create("e2e_protocol");
    TCase *tc = tcase_create("protocol");

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
    suite_add_tcase(s, tc);
    return s;
}
