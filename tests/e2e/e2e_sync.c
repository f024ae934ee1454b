/*
 * e2e_sync.c - technician sync end to end (POST /sync/v1/sync) with a
 * simulated device against the real server: the first bundle carries the
 * technician's job sealed to the device; uploaded actions are applied
 * through the lifecycle and acknowledged; an exact retry of a batch gets
 * the identical reply and applies nothing twice; a reused batch number
 * with other content is refused; a mutation for a job reassigned away is
 * kept as a conflict and the job leaves the device by tombstone; a bad
 * mutation is rejected without blocking the ones after it; forged and
 * revoked devices are refused; a first sync of 500 jobs arrives in chunks
 * chained by bundle hash; other technicians' changes, however many, cost
 * a device one empty sync that moves its cursor to the log's end; a warranty decision made on an outdated job is a
 * conflict, not an overwrite; parts used on a visit come out of the
 * reservation, with serials, and not before arrival or beyond it.
 */
#include "common/sec.h"
#include "device.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Mutation storage for one batch. */
struct batch {
    Fsd__V1__Mutation m[4], *pm[4];
    Fsd__V1__EnRoute en_route;
    Fsd__V1__Arrive arrive;
    Fsd__V1__Note note;
    Fsd__V1__WarrantyDecision warranty;
    char ids[4][24];
};

static Fsd__V1__Mutation *mutation(struct batch *b, int i, int64_t dev,
                                   int counter, int64_t job)
{
    fsd__v1__mutation__init(&b->m[i]);
    snprintf(b->ids[i], sizeof b->ids[i], "%lld-%d", (long long)dev,
             counter);
    b->m[i].mutation_id = b->ids[i];
    b->m[i].job_id = (uint64_t)job;
    b->pm[i] = &b->m[i];
    return &b->m[i];
}

START_TEST(sync_applies_once_and_answers_the_same)
{
    struct e2e_client desk;
    struct device d;
    struct bytes reply, again, sent, ignored;
    struct batch b;
    Fsd__V1__Bundle *bundle;
    Fsd__V1__SealedJobs *jobs;
    int64_t tech = make_technician(), job;
    uint64_t cursor;

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);

    /* first sync: the job arrives, sealed to this device */
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, NULL, 0, &reply, NULL),
                     200);
    bundle = device_open_bundle(&d, &reply, &jobs);
    ck_assert_uint_eq(bundle->bundle_seq, 1);
    ck_assert_int_eq((int64_t)bundle->technician_id, tech);
    ck_assert_uint_eq(jobs->n_jobs, 1);
    ck_assert_int_eq((int64_t)jobs->jobs[0]->id, job);
    ck_assert_str_eq(jobs->jobs[0]->status, "assigned");
    ck_assert_str_eq(jobs->jobs[0]->customer->name, "Harbour Cafe");
    cursor = bundle->checkpoint;
    ck_assert_uint_gt(cursor, 0);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    free(reply.data);

    /* travel, arrive and a note; the bad one in between does not block */
    fsd__v1__en_route__init(&b.en_route);
    fsd__v1__arrive__init(&b.arrive);
    fsd__v1__note__init(&b.note);
    b.note.text = "gate code 4411";
    mutation(&b, 0, d.id, 1, job)->kind_case =
        FSD__V1__MUTATION__KIND_EN_ROUTE;
    b.m[0].en_route = &b.en_route;
    mutation(&b, 1, d.id, 2, job)->kind_case =
        FSD__V1__MUTATION__KIND_EN_ROUTE; /* already en route: refused */
    b.m[1].en_route = &b.en_route;
    mutation(&b, 2, d.id, 3, job)->kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    b.m[2].arrive = &b.arrive;
    mutation(&b, 3, d.id, 4, job)->kind_case = FSD__V1__MUTATION__KIND_NOTE;
    b.m[3].note = &b.note;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 2, cursor, b.pm, 4, &reply,
                                 &sent), 200);
    bundle = device_open_bundle(&d, &reply, &jobs);
    ck_assert_uint_eq(bundle->n_acks, 4);
    ck_assert_int_eq(bundle->acks[0]->result, FSD__V1__ACK__RESULT__APPLIED);
    ck_assert_int_eq(bundle->acks[1]->result,
                     FSD__V1__ACK__RESULT__REJECTED);
    ck_assert_str_eq(bundle->acks[1]->code, "invalid_transition");
    ck_assert_int_eq(bundle->acks[2]->result, FSD__V1__ACK__RESULT__APPLIED);
    ck_assert_int_eq(bundle->acks[3]->result, FSD__V1__ACK__RESULT__APPLIED);
    ck_assert_uint_eq(bundle->bundle_seq, 2);
    ck_assert_str_eq(job_status(&desk, job), "on_site");
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(bundle, NULL);

    /* the reply was lost: the same bytes again get the same answer */
    ck_assert_int_eq(post_bytes("/sync/v1/sync", sent.data, sent.len,
                                "application/x-protobuf", &again), 200);
    ck_assert_uint_eq(again.len, reply.len);
    ck_assert_mem_eq(again.data, reply.data, reply.len);
    ck_assert_str_eq(job_status(&desk, job), "on_site");
    free(again.data);
    free(reply.data);
    free(sent.data);
    /* batch 2 again with other content */
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 2, cursor, b.pm, 1, &ignored,
                                 NULL), 409);
    expect_sync_error(409, &ignored, 409, "stale_batch");
    free(ignored.data);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(reassigned_job_conflicts_and_leaves_the_device)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d, forger;
    struct bytes reply;
    struct batch b;
    Fsd__V1__Bundle *bundle;
    Fsd__V1__SealedJobs *jobs;
    int64_t tech = make_technician(), other = make_technician(), job;
    char path[64];

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, NULL, 0, &reply, NULL),
                     200);
    free(reply.data);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(&desk, "POST", path,
             json_pack("{s:s, s:I, s:s}", "event", "reassign",
                       "technician_id", (json_int_t)other, "reason",
                       "Mei is ill"), &r);
    e2e_expect_status(&r, 200);
    /* offline, the technician set off anyway */
    fsd__v1__en_route__init(&b.en_route);
    mutation(&b, 0, d.id, 1, job)->kind_case =
        FSD__V1__MUTATION__KIND_EN_ROUTE;
    b.m[0].en_route = &b.en_route;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 2, 0, b.pm, 1, &reply, NULL),
                     200);
    bundle = device_open_bundle(&d, &reply, &jobs);
    ck_assert_int_eq(bundle->acks[0]->result,
                     FSD__V1__ACK__RESULT__CONFLICT);
    ck_assert_str_eq(bundle->acks[0]->code, "reassigned");
    ck_assert_uint_eq(bundle->n_removed_job_ids, 1);
    ck_assert_int_eq((int64_t)bundle->removed_job_ids[0], job);
    ck_assert_uint_eq(jobs->n_jobs, 0);
    ck_assert_str_eq(job_status(&desk, job), "assigned");
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    free(reply.data);
    /* queued behind the tombstone, the arrival comes in the next batch:
     * still a conflict, kept, however late */
    fsd__v1__arrive__init(&b.arrive);
    mutation(&b, 0, d.id, 2, job)->kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    b.m[0].arrive = &b.arrive;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 3, 0, b.pm, 1, &reply, NULL),
                     200);
    bundle = device_open_bundle(&d, &reply, &jobs);
    ck_assert_int_eq(bundle->acks[0]->result,
                     FSD__V1__ACK__RESULT__CONFLICT);
    ck_assert_str_eq(bundle->acks[0]->code, "reassigned");
    ck_assert_uint_eq(bundle->n_removed_job_ids, 0); /* already gone */
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    free(reply.data);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/conflicts",
             (long long)job);
    ck_assert_int_eq(e2e_get(&desk, path, &r), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "items")), 2);
    /* a forger cannot speak for the device; a revoked device is refused */
    device_new(&forger);
    forger.id = d.id;
    ck_assert_int_eq(device_sync(&forger, forger.sign_sk, 4, 0, NULL, 0,
                                 &reply, NULL), 404);
    expect_sync_error(404, &reply, 404, "unknown_device");
    free(reply.data);
    snprintf(path, sizeof path, "/api/v1/devices/%lld", (long long)d.id);
    e2e_send(&desk, "DELETE", path, NULL, &r);
    e2e_expect_status(&r, 204);
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 4, 0, NULL, 0, &reply, NULL),
                     403);
    expect_sync_error(403, &reply, 403, "device_revoked");
    free(reply.data);
    e2e_reply_release(&r);
    e2e_client_release(&desk);
}
END_TEST

/* BLAKE2b-256 of the payload of the envelope in reply. */
static void payload_hash(const struct bytes *reply, uint8_t hash[32])
{
    Fsd__V1__Envelope *env = fsd__v1__envelope__unpack(NULL, reply->len,
                                                       reply->data);

    ck_assert_ptr_nonnull(env);
    sec_hash(env->payload.data, env->payload.len, hash);
    fsd__v1__envelope__free_unpacked(env, NULL);
}

START_TEST(first_sync_comes_in_chained_chunks)
{
    struct e2e_client desk;
    struct device d;
    struct bytes reply;
    int64_t tech = make_technician();
    uint8_t prev[32] = {0};
    uint64_t cursor = 0, seq = 0;
    json_t *seen = json_object();
    int more = 1, chunks = 0;

    e2e_as_role(&desk, "dispatcher", NULL);
    for (int i = 0; i < 500; i++) /* 4 changes each: several chunks */
        job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    while (more && chunks < 20) {
        Fsd__V1__SealedJobs *jobs;
        Fsd__V1__Bundle *b;
        ck_assert_int_eq(device_sync(&d, d.sign_sk, ++seq, cursor, NULL, 0,
                                     &reply, NULL), 200);
        b = device_open_bundle(&d, &reply, &jobs);
        ck_assert_uint_eq(b->bundle_seq, seq);
        ck_assert_uint_eq(b->prev_bundle_hash.len, 32);
        ck_assert_mem_eq(b->prev_bundle_hash.data, prev, 32);
        payload_hash(&reply, prev);
        device_seen_jobs(jobs, seen);
        ck_assert_uint_gt(b->checkpoint, cursor);
        cursor = b->checkpoint;
        more = b->has_more;
        chunks++;
        fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
        fsd__v1__bundle__free_unpacked(b, NULL);
        free(reply.data);
    }
    ck_assert_int_ge(chunks, 4);
    ck_assert_uint_eq(json_object_size(seen), 500);
    json_decref(seen);
    e2e_client_release(&desk);
}
END_TEST

/* The change log's last position, as the board's feed reports it. */
static uint64_t log_end(struct e2e_client *desk, uint64_t after)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];
    uint64_t seq;

    snprintf(path, sizeof path, "/api/v1/changes?after=%llu&limit=10000",
             (unsigned long long)after);
    ck_assert_int_eq(e2e_get(desk, path, &r), 200);
    ck_assert(json_is_false(json_object_get(r.json, "more")));
    seq = (uint64_t)json_integer_value(json_object_get(r.json, "seq"));
    e2e_reply_release(&r);
    return seq;
}

/* One sync of d with no mutations: the bundle's jobs, checkpoint, more. */
static size_t sync_jobs(const struct device *d, uint64_t seq, uint64_t cursor,
                        int64_t *first, uint64_t *checkpoint, int *more)
{
    struct bytes reply;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Bundle *b;
    size_t n;

    ck_assert_int_eq(device_sync(d, d->sign_sk, seq, cursor, NULL, 0, &reply,
                                 NULL), 200);
    b = device_open_bundle(d, &reply, &jobs);
    n = jobs->n_jobs;
    *first = n ? (int64_t)jobs->jobs[0]->id : 0;
    *checkpoint = b->checkpoint;
    *more = b->has_more;
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(b, NULL);
    free(reply.data);
    return n;
}

START_TEST(other_technicians_changes_cost_a_device_nothing)
{
    struct e2e_client desk;
    struct device d;
    int64_t mine = make_technician(), other = make_technician(), job, first;
    uint64_t cursor, end;
    int more;

    e2e_as_role(&desk, "dispatcher", NULL);
    job_assigned(&desk, mine, NULL);
    device_enroll(&desk, mine, &d);
    ck_assert_uint_eq(sync_jobs(&d, 1, 0, &first, &cursor, &more), 1);
    ck_assert_int_eq(more, 0);
    ck_assert_uint_eq(cursor, log_end(&desk, 0));

    /* a busy company: four pages' worth of someone else's changes */
    for (int i = 0; i < 500; i++)
        job_assigned(&desk, other, NULL);
    end = log_end(&desk, cursor);
    ck_assert_uint_gt(end, cursor + 2000);
    /* one sync, nothing in it, and the cursor jumps to the log's end */
    ck_assert_uint_eq(sync_jobs(&d, 2, cursor, &first, &cursor, &more), 0);
    ck_assert_int_eq(more, 0);
    ck_assert_uint_eq(cursor, end);

    /* a change of its own still arrives, and only it */
    job = job_assigned(&desk, mine, NULL);
    job_assigned(&desk, other, NULL);
    ck_assert_uint_eq(sync_jobs(&d, 3, cursor, &first, &cursor, &more), 1);
    ck_assert_int_eq(first, job);
    ck_assert_uint_eq(cursor, log_end(&desk, end));
    e2e_client_release(&desk);
}
END_TEST

START_TEST(stale_warranty_decision_is_a_conflict)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    struct bytes reply;
    struct batch b;
    Fsd__V1__Bundle *bundle;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Findings f = FSD__V1__FINDINGS__INIT;
    int64_t tech = make_technician(), job;
    char path[64], bought[11];
    time_t t = time(NULL) - 100 * 86400;

    strftime(bought, sizeof bought, "%Y-%m-%d", gmtime(&t));
    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, bought);
    device_enroll(&desk, tech, &d);
    fsd__v1__arrive__init(&b.arrive);
    mutation(&b, 0, d.id, 1, job)->kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    b.m[0].arrive = &b.arrive;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, b.pm, 1, &reply, NULL),
                     200);
    free(reply.data);
    /* the office records a decision first (a phoned-in one) */
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(&desk, "POST", path,
             json_pack("{s:s, s:s, s:s}", "event", "decide_in_warranty",
                       "on_behalf_of", "technician", "reason", "phoned in"),
             &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    /* the device's own decision, made on the version it had */
    fsd__v1__warranty_decision__init(&b.warranty);
    b.warranty.outcome = FSD__V1__WARRANTY_DECISION__OUTCOME__IN_WARRANTY;
    b.warranty.findings = &f;
    mutation(&b, 0, d.id, 2, job)->kind_case =
        FSD__V1__MUTATION__KIND_WARRANTY;
    b.m[0].warranty = &b.warranty;
    b.m[0].base_version = 5; /* after arrive, before the office's decision */
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 2, 0, b.pm, 1, &reply, NULL),
                     200);
    bundle = device_open_bundle(&d, &reply, &jobs);
    ck_assert_int_eq(bundle->acks[0]->result,
                     FSD__V1__ACK__RESULT__CONFLICT);
    ck_assert_str_eq(bundle->acks[0]->code, "stale_warranty");
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    free(reply.data);
    ck_assert_str_eq(job_status(&desk, job), "in_warranty");
    e2e_client_release(&desk);
}
END_TEST

START_TEST(parts_used_come_out_of_the_reservation)
{
    struct e2e_client desk, m;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    struct bytes reply;
    struct batch b;
    Fsd__V1__PartsUsed pu = FSD__V1__PARTS_USED__INIT;
    Fsd__V1__PartUse use = FSD__V1__PART_USE__INIT, *puse = &use;
    Fsd__V1__Bundle *bundle;
    Fsd__V1__SealedJobs *jobs;
    int64_t tech = make_technician(), part, cust, job;
    char sku[32], path[80];

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&m, "manager", NULL);
    e2e_unique(sku, sizeof sku, "VLV");
    part = e2e_create(&m, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i, s:[{s:s, s:i}]}", "sku",
                                sku, "name", "Valve", "cost_minor", 100,
                                "price_minor", 250, "stock", "location",
                                "warehouse", "quantity", 3));
    cust = e2e_create(&desk, "/api/v1/customers",
                      json_pack("{s:s}", "name", "Mill Lane Bakery"));
    job = e2e_create(&desk, "/api/v1/jobs",
                     json_pack("{s:I, s:s, s:[{s:I, s:i}]}", "customer_id",
                               (json_int_t)cust, "kind", "repair", "parts",
                               "part_id", (json_int_t)part, "quantity", 1));
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(&desk, "POST", path, json_pack("{s:s}", "event", "book"), &r);
    e2e_expect_status(&r, 200);
    e2e_send(&desk, "POST", path,
             json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                       (json_int_t)tech), &r);
    e2e_expect_status(&r, 200);
    device_enroll(&desk, tech, &d);
    fsd__v1__arrive__init(&b.arrive);
    use.part_id = (uint64_t)part;
    use.quantity = 1;
    use.serial = "VLV-NEW-1";
    use.faulty_serial = "VLV-OLD-7";
    pu.n_parts = 1;
    pu.parts = &puse;
    mutation(&b, 0, d.id, 1, job)->kind_case =
        FSD__V1__MUTATION__KIND_PARTS_USED; /* before arriving: refused */
    b.m[0].parts_used = &pu;
    mutation(&b, 1, d.id, 2, job)->kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    b.m[1].arrive = &b.arrive;
    mutation(&b, 2, d.id, 3, job)->kind_case =
        FSD__V1__MUTATION__KIND_PARTS_USED;
    b.m[2].parts_used = &pu;
    mutation(&b, 3, d.id, 4, job)->kind_case =
        FSD__V1__MUTATION__KIND_PARTS_USED; /* nothing left reserved */
    b.m[3].parts_used = &pu;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, b.pm, 4, &reply, NULL),
                     200);
    bundle = device_open_bundle(&d, &reply, &jobs);
    ck_assert_str_eq(bundle->acks[0]->code, "no_open_visit");
    ck_assert_int_eq(bundle->acks[1]->result, FSD__V1__ACK__RESULT__APPLIED);
    ck_assert_int_eq(bundle->acks[2]->result, FSD__V1__ACK__RESULT__APPLIED);
    ck_assert_str_eq(bundle->acks[3]->code, "part_not_reserved");
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    free(reply.data);
    snprintf(path, sizeof path, "/api/v1/parts/%lld", (long long)part);
    e2e_get(&desk, path, &r);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
                         json_object_get(r.json, "stock"), 0), "quantity")),
                     2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
                         json_object_get(r.json, "stock"), 0), "reserved")),
                     0);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/record", (long long)job);
    e2e_get(&desk, path, &r);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
                         json_object_get(json_array_get(json_object_get(
                             r.json, "visits"), 0), "parts_used"), 0),
                         "faulty_serial")), "VLV-OLD-7");
    e2e_reply_release(&r);
    e2e_client_release(&desk);
    e2e_client_release(&m);
}
END_TEST

Suite *e2e_sync_suite(void)
{
    Suite *s = suite_create("e2e_sync");
    TCase *tc = tcase_create("sync");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, sync_applies_once_and_answers_the_same);
    tcase_add_test(tc, reassigned_job_conflicts_and_leaves_the_device);
    tcase_add_test(tc, first_sync_comes_in_chained_chunks);
    tcase_add_test(tc, other_technicians_changes_cost_a_device_nothing);
    tcase_add_test(tc, stale_warranty_decision_is_a_conflict);
    tcase_add_test(tc, parts_used_come_out_of_the_reservation);
    suite_add_tcase(s, tc);
    return s;
}
