/*
 * e2e_attack_device.c - attacks from technicians' devices, each attempt
 * counted: one technician's device reaching for another's job (never in
 * its bundle, its actions on it never applied, its key not usable for
 * another device, a captured request of the other device unreadable to
 * it), and text that is not UTF-8 in the protobuf fields a device fills
 * in (its name at enrollment, a mutation's id, a note), which must be
 * refused with the protocol's error for a bad payload or rejected, never
 * stored (see device_text_must_be_utf8).  B's action on A's job is
 * answered exactly as one on a job that does not exist (REJECTED
 * not_found, no oracle) and leaves no sync conflict on A's job.
 */
#include "attack.h"
#include "common/sec.h"
#include "device.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is a answered as for a job that does not exist? */
static int not_found(const Fsd__V1__Ack *a)
{
    return a->result == FSD__V1__ACK__RESULT__REJECTED &&
           strcmp(a->code, "not_found") == 0 &&
           strcmp(a->message, "no such job") == 0;
}

/* How many sync conflicts job has (-1 when they cannot be read). */
static long conflicts_on(struct e2e_client *desk, int64_t job)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[64];
    long n = -1;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/conflicts",
             (long long)job);
    if (e2e_get(desk, path, &r) == 200)
        n = (long)json_array_size(json_object_get(r.json, "items"));
    e2e_reply_release(&r);
    return n;
}

/* Sync d (batch seq, from cursor 0, the mutations); the status, the
 * bundle opened with d's keys when 200 (*jobs too; free both). */
static long sync_open(const struct device *d, uint64_t seq,
                      Fsd__V1__Mutation **muts, size_t n,
                      Fsd__V1__Bundle **bundle, Fsd__V1__SealedJobs **jobs)
{
    struct bytes reply;
    long st = device_sync(d, d->sign_sk, seq, 0, muts, n, &reply, NULL);

    *jobs = NULL;
    *bundle = st == 200 ? device_open_bundle(d, &reply, jobs) : NULL;
    free(reply.data);
    return st;
}

static int has_job(const Fsd__V1__SealedJobs *jobs, int64_t id)
{
    for (size_t i = 0; jobs && i < jobs->n_jobs; i++)
        if ((int64_t)jobs->jobs[i]->id == id)
            return 1;
    return 0;
}

/* The job and its timeline as staff see them (caller owns). */
static json_t *job_state(struct e2e_client *desk, int64_t job)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];
    json_t *out = json_object();

    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
    e2e_get(desk, path, &r);
    json_object_set(out, "job", r.json);
    strcat(path, "/timeline");
    e2e_get(desk, path, &r);
    json_object_set(out, "timeline", r.json);
    e2e_reply_release(&r);
    return out;
}

START_TEST(a_device_never_gets_another_technicians_job)
{
    struct e2e_client desk;
    struct device a, b, b_as_a;
    struct bytes reply, sent;
    Fsd__V1__Bundle *bundle;
    Fsd__V1__SealedJobs *jobs = NULL;
    Fsd__V1__Mutation m[2], *pm[2] = {&m[0], &m[1]};
    Fsd__V1__EnRoute en_route = FSD__V1__EN_ROUTE__INIT;
    Fsd__V1__Note note = FSD__V1__NOTE__INIT;
    Fsd__V1__Envelope *env;
    struct tally t;
    int64_t tech_a = make_technician(), tech_b = make_technician();
    int64_t job_a, job_b;
    json_t *was;
    char key_a[ENVELOPE_KEY_ID_LEN + 1];
    long st;

    e2e_as_role(&desk, "dispatcher", NULL);
    job_a = job_assigned(&desk, tech_a, NULL);
    job_b = job_assigned(&desk, tech_b, NULL);
    device_enroll(&desk, tech_a, &a);
    device_enroll(&desk, tech_b, &b);
    tally_init(&t, "technician_isolation");
    /* the control: A's device gets A's job; its request is captured */
    st = device_sync(&a, a.sign_sk, 1, 0, NULL, 0, &reply, &sent);
    ck_assert_int_eq(st, 200);
    bundle = device_open_bundle(&a, &reply, &jobs);
    ck_assert(has_job(jobs, job_a) && !has_job(jobs, job_b));
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(bundle, NULL);
    free(reply.data);
    was = job_state(&desk, job_a);

    /* B's first sync, and a full resync later: B's job, never A's */
    for (uint64_t seq = 1; seq <= 2; seq++) {
        st = sync_open(&b, seq, NULL, 0, &bundle, &jobs);
        tally_check(&t, bundle && has_job(jobs, job_b) &&
                            !has_job(jobs, job_a) &&
                            (int64_t)bundle->technician_id == tech_b,
                    "B's sync %llu: %ld, A's job %s", (unsigned long long)seq,
                    st, has_job(jobs, job_a) ? "PRESENT" : "absent");
        if (bundle) {
            fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
            fsd__v1__bundle__free_unpacked(bundle, NULL);
        }
    }
    /* B acts on A's job: never applied, and the job does not follow */
    for (int i = 0; i < 2; i++) {
        fsd__v1__mutation__init(&m[i]);
        m[i].mutation_id = i ? "b-note-1" : "b-travel-1";
        m[i].job_id = (uint64_t)job_a;
    }
    note.text = "opened by someone else";
    m[0].kind_case = FSD__V1__MUTATION__KIND_EN_ROUTE;
    m[0].en_route = &en_route;
    m[1].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    m[1].note = &note;
    st = sync_open(&b, 3, pm, 2, &bundle, &jobs);
    tally_check(&t, bundle && bundle->n_acks == 2 &&
                        not_found(bundle->acks[0]) &&
                        not_found(bundle->acks[1]) && !has_job(jobs, job_a) &&
                        conflicts_on(&desk, job_a) == 0,
                "B's actions on A's job: %ld, not answered as a missing job,"
                " applied, delivered or left a conflict", st);
    if (bundle) {
        fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
        fsd__v1__bundle__free_unpacked(bundle, NULL);
    }
    /* B's key speaking for A's device: the request must name B */
    b_as_a = b;
    b_as_a.id = a.id;
    st = device_sync(&b_as_a, b.sign_sk, 4, 0, NULL, 0, &reply, NULL);
    tally_check(&t, st == 400, "B's key for A's device id: %ld", st);
    expect_sync_error(st, &reply, 400, "malformed_payload");
    free(reply.data);
    /* B's signature under A's key id */
    device_batch(&b, b.sign_sk, 5, 0, NULL, 0, &reply);
    env = fsd__v1__envelope__unpack(NULL, reply.len, reply.data);
    ck_assert(env && env->n_sigs == 1);
    sec_key_id(a.sign_pk, key_a);
    free(env->sigs[0]->key_id);
    env->sigs[0]->key_id = strdup(key_a);
    free(reply.data);
    reply.len = fsd__v1__envelope__get_packed_size(env);
    reply.data = malloc(reply.len);
    fsd__v1__envelope__pack(env, reply.data);
    fsd__v1__envelope__free_unpacked(env, NULL);
    {
        struct bytes forged = reply;
        st = post_bytes("/sync/v1/sync", forged.data, forged.len,
                        "application/x-protobuf", &reply);
        free(forged.data);
    }
    tally_check(&t, st == 403, "B's signature under A's key id: %ld", st);
    expect_sync_error(st, &reply, 403, "bad_signature");
    free(reply.data);
    /* A's captured request replayed: the same bundle, sealed to A */
    st = post_bytes("/sync/v1/sync", sent.data, sent.len,
                    "application/x-protobuf", &reply);
    {
        Fsd__V1__Envelope *e = fsd__v1__envelope__unpack(NULL, reply.len,
                                                         reply.data);
        Fsd__V1__Bundle *bb = e ? fsd__v1__bundle__unpack(
                                      NULL, e->payload.len, e->payload.data)
                                : NULL;
        uint8_t plain[1 << 16];
        int opened = bb && bb->sealed_jobs.len >= crypto_box_SEALBYTES &&
                     bb->sealed_jobs.len < sizeof plain &&
                     crypto_box_seal_open(plain, bb->sealed_jobs.data,
                                          bb->sealed_jobs.len, b.box_pk,
                                          b.box_sk) == 0;
        tally_check(&t, st == 200 && bb && !opened,
                    "A's replayed request read with B's keys: %ld %s", st,
                    opened ? "OPENED" : "");
        if (bb)
            fsd__v1__bundle__free_unpacked(bb, NULL);
        if (e)
            fsd__v1__envelope__free_unpacked(e, NULL);
    }
    free(reply.data);
    free(sent.data);
    {
        json_t *now = job_state(&desk, job_a);
        tally_check(&t, json_equal(was, now), "A's job changed");
        json_decref(now);
    }
    json_decref(was);
    tally_finish(&t, NULL, NULL);
    e2e_client_release(&desk);
}
END_TEST

/* An EnrollRequest for code naming the device name (any bytes), signed
 * by the device; *out is the caller's to free. */
static void enroll_named(const struct device *d, const char *code,
                         const char *name, struct bytes *out)
{
    Fsd__V1__EnrollRequest er = FSD__V1__ENROLL_REQUEST__INIT;
    uint8_t *payload;
    size_t n;

    er.code = (char *)code;
    er.device_sign_pk.data = (uint8_t *)d->sign_pk;
    er.device_sign_pk.len = 32;
    er.device_box_pk.data = (uint8_t *)d->box_pk;
    er.device_box_pk.len = 32;
    er.device_name = (char *)name;
    n = fsd__v1__enroll_request__get_packed_size(&er);
    payload = malloc(n + 1);
    fsd__v1__enroll_request__pack(&er, payload);
    envelope_seal_sign("fsd.v1.EnrollRequest", payload, n, d->sign_sk,
                       &out->data, &out->len);
    free(payload);
}

/* The number of entries of the job's timeline. */
static size_t timeline_length(struct e2e_client *c, int64_t job)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];
    size_t n;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline",
             (long long)job);
    e2e_get(c, path, &r);
    e2e_expect_status(&r, 200);
    n = json_array_size(json_object_get(r.json, "items"));
    e2e_reply_release(&r);
    return n;
}

/* The status is 400 and the SyncError's code is code. */
static int sync_error_is(long st, const struct bytes *b, const char *code,
                         char *got, size_t size)
{
    Fsd__V1__SyncError *e = fsd__v1__sync_error__unpack(NULL, b->len,
                                                        b->data);

    snprintf(got, size, "%ld %s: %s", st, e ? e->code : "-",
             e ? e->message : "not a SyncError");
    st = st == 400 && e && !strcmp(e->code, code);
    if (e)
        fsd__v1__sync_error__free_unpacked(e, NULL);
    return (int)st;
}

/*
 * protobuf-c does not check that strings are UTF-8; the server does:
 *  - an EnrollRequest whose device name is not UTF-8 is 400
 *    malformed_payload, and its (good) code still enrolls afterwards;
 *  - a mutation whose text is not UTF-8 is acknowledged REJECTED, and
 *    nothing reaches the job's timeline;
 *  - a mutation id that is not UTF-8 makes the batch 400
 *    malformed_payload, naming no schema.
 */
START_TEST(device_text_must_be_utf8)
{
    static const char *const bad[] = {"\xC3\x28", "\xFF", "\xC0\xAF"};
    static const char *const shown[] = {"C3 28", "FF", "C0 AF"};
    struct e2e_client desk;
    struct device d, e;
    struct bytes env, reply;
    Fsd__V1__Bundle *bundle;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Mutation m, *pm = &m;
    Fsd__V1__Note note = FSD__V1__NOTE__INIT;
    struct tally t;
    int64_t tech = make_technician(), job;
    char code[16], id[16], got[300];
    uint64_t seq = 1;
    size_t before, after;
    long st;
    int ack;

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    tally_init(&t, "device_utf8");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* a device named in bytes that are not text; its code still good */
        device_new(&e);
        new_code(&desk, tech, code, sizeof code);
        enroll_named(&e, code, bad[i], &env);
        st = post_bytes("/sync/v1/enroll", env.data, env.len,
                        "application/x-protobuf", &reply);
        tally_check(&t, sync_error_is(st, &reply, "malformed_payload", got,
                                      sizeof got),
                    "enroll named %s: %s", shown[i], got);
        free(env.data);
        free(reply.data);
        enroll_named(&e, code, "handheld 9", &env);
        st = post_bytes("/sync/v1/enroll", env.data, env.len,
                        "application/x-protobuf", &reply);
        tally_check(&t, st == 200, "the same code, a good name: %ld", st);
        free(env.data);
        free(reply.data);
        /* a note that is not text: rejected, nothing recorded */
        before = timeline_length(&desk, job);
        fsd__v1__mutation__init(&m);
        snprintf(id, sizeof id, "note-%zu", i);
        m.mutation_id = id;
        m.job_id = (uint64_t)job;
        m.kind_case = FSD__V1__MUTATION__KIND_NOTE;
        note.text = (char *)bad[i];
        m.note = &note;
        st = device_sync(&d, d.sign_sk, seq++, 0, &pm, 1, &reply, NULL);
        bundle = st == 200 ? device_open_bundle(&d, &reply, &jobs) : NULL;
        ack = bundle && bundle->n_acks == 1 ? (int)bundle->acks[0]->result
                                            : -1;
        after = timeline_length(&desk, job);
        tally_check(&t, ack == FSD__V1__ACK__RESULT__REJECTED &&
                            after == before,
                    "a note of %s: %ld, ack %s, timeline %zu -> %zu",
                    shown[i], st,
                    ack == FSD__V1__ACK__RESULT__APPLIED ? "APPLIED"
                    : ack < 0                            ? "none"
                                                         : "not applied",
                    before, after);
        if (bundle) {
            fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
            fsd__v1__bundle__free_unpacked(bundle, NULL);
        }
        free(reply.data);
        /* a mutation id that is not text: a bad payload */
        m.mutation_id = (char *)bad[i];
        note.text = "plain text";
        st = device_sync(&d, d.sign_sk, seq++, 0, &pm, 1, &reply, NULL);
        tally_check(&t, sync_error_is(st, &reply, "malformed_payload", got,
                                      sizeof got),
                    "mutation id %s: %s", shown[i], got);
        free(reply.data);
    }
    tally_check(&t, e2e_healthy(e2e_srv.base), "unhealthy afterwards");
    tally_finish(&t, NULL, NULL);
    e2e_client_release(&desk);
}
END_TEST

void attack_device_tcases(Suite *s)
{
    TCase *tc = tcase_create("devices");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_device_never_gets_another_technicians_job);
    tcase_add_test(tc, device_text_must_be_utf8);
    suite_add_tcase(s, tc);
}
