/*
 * e2e_shown_summary.c - the summary a technician's device showed the
 * customer goes with the sign-off (proto SignOff.summary, PROTOCOL.md
 * section 7), against the real server and the real device client.
 *
 * Signed off through fsd-tech with --summary, the exact text and its
 * BLAKE2b-256 hash are what staff read in the job's record, with
 * summary_agrees when the total shown is the server's charges; a total
 * that differs is recorded and noted in the event, never refused (the
 * customer signed it).  A summary that fails any check (no hash, a hash
 * of the wrong size or not the text's, another job's, not UTF-8, not a
 * JSON object, no total or currency, over 16 KiB) is REJECTED
 * invalid_summary with a message naming what is wrong, and nothing of
 * the sign-off is kept.
 */
#include "common/sec.h"
#include "device.h"
#include "fixture.h"
#include "paths.h"
#include "sdk_device.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run fsd-tech on store with the formatted arguments for job, then sync;
 * both succeed. */
static void tech(const char *store, const char *fmt, int64_t job)
{
    char args[800], out[2000];

    snprintf(args, sizeof args, fmt, (long long)job);
    ck_assert_msg(tech_cli(store, args, out, sizeof out) == 0, "%s", args);
    ck_assert_int_eq(tech_cli(store, "sync", out, sizeof out), 0);
}

/* Write n bytes to a new file name in the server's scratch directory;
 * its path into path. */
static void scratch_file(const char *name, const void *bytes, size_t n,
                         char *path, size_t size)
{
    FILE *f;

    snprintf(path, size, "%s/%s", e2e_srv.dir, name);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

/* A summary as a device would show it: job, total, currency, a line. */
static char *summary_of(int64_t job, int64_t total)
{
    json_t *s = json_pack("{s:I, s:s, s:I, s:s, s:[{s:s, s:I}]}", "job_id",
                          (json_int_t)job, "customer", "Ms. Lin", "total_minor",
                          (json_int_t)total, "currency", "EUR", "lines", "text",
                          "Diagnosis and repair", "minor", (json_int_t)total);
    char *text = json_dumps(s, JSON_INDENT(2));

    json_decref(s);
    return text;
}

/* BLAKE2b-256 of text as lowercase hex. */
static void hash_hex(const char *text, char out[65])
{
    unsigned char h[SEC_HASH_BYTES];

    sec_hash(text, strlen(text), h);
    for (int i = 0; i < SEC_HASH_BYTES; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The job's only sign-off as staff read it (caller frees the record). */
static json_t *the_sign_off(struct e2e_client *desk, int64_t job, json_t **rec)
{
    const json_t *all;

    *rec = path_get(desk, "/api/v1/jobs/%lld/record", job);
    all = json_object_get(*rec, "sign_offs");
    ck_assert_uint_eq(json_array_size(all), 1);
    return json_array_get(all, 0);
}

/* The detail of the job's sign_off event (caller frees). */
static json_t *sign_off_detail(struct e2e_client *desk, int64_t job)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    json_t *e, *found = NULL;
    char path[64];
    size_t i;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline", (long long)job);
    ck_assert_int_eq(e2e_get(desk, path, &r), 200);
    json_array_foreach(
        json_object_get(r.json, "items"), i,
        e) if (!strcmp(json_string_value(json_object_get(e, "action")),
                       "sign_off")) found =
        json_incref(json_object_get(e, "detail"));
    e2e_reply_release(&r);
    ck_assert_msg(found != NULL, "no sign_off in the timeline");
    return found;
}

static int64_t int_of(const json_t *o, const char *key)
{
    ck_assert_msg(json_is_integer(json_object_get(o, key)), "%s", key);
    return json_integer_value(json_object_get(o, key));
}

/* A device (SDK) whose technician's job, for a unit bought a month ago,
 * is done in warranty and waits for the customer's signature. */
static fsd_client *work_done_in_warranty(struct e2e_client *desk, int64_t *job,
                                         char *store, size_t size)
{
    char bought[11];
    int64_t tech_id;
    fsd_client *c;

    path_days_ago(30, bought);
    c = sdk_device(desk, bought, &tech_id, job, store, size);
    ck_assert_int_eq(fsd_arrive(c, (uint64_t)*job), FSD_OK);
    ck_assert_int_eq(fsd_warranty(c, (uint64_t)*job, 0, NULL), FSD_OK);
    ck_assert_int_eq(
        fsd_outcome(c, (uint64_t)*job, "completed", "fixed", NULL, 0), FSD_OK);
    return c;
}

START_TEST(the_summary_shown_is_kept_with_the_sign_off)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    fsd_client *c;
    char store[300], sig[400], sum[400], cmd[900], hex[65];
    char *text;
    int64_t tech_id, job;
    json_t *rec, *detail;
    const json_t *so;

    e2e_as_role(&desk, "dispatcher", NULL);
    /* bought in 2019: out of warranty, so the labour is charged */
    c = sdk_device(&desk, "2019-05-01", &tech_id, &job, store, sizeof store);
    fsd_close(c);
    tech(store, "arrive %lld", job);
    tech(store, "quote %lld --line labour:1:4500:Labour --findings liquid",
         job);
    snprintf(cmd, sizeof cmd, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(&desk, "POST", cmd,
             json_pack("{s:s, s:s, s:s}", "event", "approve_quote",
                       "on_behalf_of", "customer", "reason", PHONED),
             &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    tech(store, "outcome %lld completed --labour 1:4500:Labour", job);
    ck_assert_str_eq(job_status(&desk, job), "work_done");
    text = summary_of(job, 4500);
    scratch_file("shown.json", text, strlen(text), sum, sizeof sum);
    scratch_file("sig.png", "\x89PNG\r\n", 6, sig, sizeof sig);
    snprintf(cmd, sizeof cmd,
             "sign-off %%lld --name 'Ms. Lin' --rating 5 --signature %s"
             " --summary %s",
             sig, sum);
    tech(store, cmd, job);
    ck_assert_str_eq(job_status(&desk, job), "signed_off");

    /* staff read exactly what the customer saw, its hash, and agreement */
    so = the_sign_off(&desk, job, &rec);
    ck_assert_str_eq(json_string_value(json_object_get(so, "shown_summary")),
                     text);
    hash_hex(text, hex);
    ck_assert_str_eq(
        json_string_value(json_object_get(so, "shown_summary_hash")), hex);
    ck_assert(json_is_true(json_object_get(so, "summary_agrees")));
    ck_assert_int_eq(
        int_of(json_object_get(json_object_get(so, "summary"), "charges"),
               "total_minor"),
        4500);
    json_decref(rec);
    detail = sign_off_detail(&desk, job);
    ck_assert(json_is_true(json_object_get(detail, "summary_agrees")));
    ck_assert_str_eq(
        json_string_value(json_object_get(detail, "shown_summary_hash")), hex);
    ck_assert_int_eq(int_of(detail, "shown_total_minor"), 4500);
    ck_assert_int_eq(int_of(detail, "charged_total_minor"), 4500);
    json_decref(detail);
    free(text);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(a_total_that_differs_is_noted_not_refused)
{
    struct e2e_client desk;
    struct fsd_sync_result res;
    static const uint8_t png[] = {0x89, 'P', 'N', 'G'};
    fsd_client *c;
    char store[300];
    char *text;
    int64_t job;
    json_t *rec, *detail;
    const json_t *so;

    e2e_as_role(&desk, "dispatcher", NULL);
    /* in warranty: nothing is charged, whatever the device showed */
    c = work_done_in_warranty(&desk, &job, store, sizeof store);
    text = summary_of(job, 9900);
    ck_assert_int_eq(fsd_sign_off_summary(c, (uint64_t)job, "Mr. Okafor", 4,
                                          png, sizeof png, NULL, "", 0),
                     FSD_ERR_INVALID);
    ck_assert_str_eq(fsd_last_error(c), "the summary shown to the customer"
                                        " is 1 to 16384 bytes of JSON");
    ck_assert_int_eq(fsd_sign_off_summary(c, (uint64_t)job, "Mr. Okafor", 4,
                                          png, sizeof png, NULL, text,
                                          strlen(text)),
                     FSD_OK);
    ck_assert_int_eq(fsd_sync(c, &res), FSD_OK);
    ck_assert_int_eq(res.acked, 4);
    ck_assert_int_eq(res.rejected, 0);
    ck_assert_str_eq(job_status(&desk, job), "signed_off");
    so = the_sign_off(&desk, job, &rec);
    ck_assert_str_eq(json_string_value(json_object_get(so, "shown_summary")),
                     text);
    ck_assert(json_is_false(json_object_get(so, "summary_agrees")));
    json_decref(rec);
    detail = sign_off_detail(&desk, job);
    ck_assert(json_is_false(json_object_get(detail, "summary_agrees")));
    ck_assert_int_eq(int_of(detail, "shown_total_minor"), 9900);
    ck_assert_int_eq(int_of(detail, "charged_total_minor"), 0);
    json_decref(detail);
    free(text);
    fsd_close(c);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(a_sign_off_without_a_summary_has_none)
{
    struct e2e_client desk;
    static const uint8_t png[] = {0x89, 'P', 'N', 'G'};
    fsd_client *c;
    char store[300];
    int64_t job;
    json_t *rec, *detail;
    const json_t *so;

    e2e_as_role(&desk, "dispatcher", NULL);
    c = work_done_in_warranty(&desk, &job, store, sizeof store);
    ck_assert_int_eq(fsd_sign_off(c, (uint64_t)job, "Mr. Okafor", 4, png,
                                  sizeof png, NULL, 1),
                     FSD_OK);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_OK);
    ck_assert_str_eq(job_status(&desk, job), "signed_off");
    so = the_sign_off(&desk, job, &rec);
    ck_assert(json_is_null(json_object_get(so, "shown_summary")));
    ck_assert(json_is_null(json_object_get(so, "shown_summary_hash")));
    ck_assert(json_is_null(json_object_get(so, "summary_agrees")));
    json_decref(rec);
    detail = sign_off_detail(&desk, job);
    ck_assert_ptr_null(json_object_get(detail, "summary_agrees"));
    json_decref(detail);
    fsd_close(c);
    e2e_client_release(&desk);
}
END_TEST

/* A summary a device might send, and the message it earns. */
struct bad_summary {
    const char *text; /* "%lld" is the job; NULL: none sent */
    int hash;         /* 1: its hash, 0: none, -1: another text's,
                         31: only 31 bytes of it */
    const char *message;
};

static const struct bad_summary bad[] = {
    {"{\"job_id\":%lld,\"total_minor\":0,\"currency\":\"EUR\"}", 0,
     "summary_hash: the summary was sent without summary_hash"},
    {NULL, 1,
     "summary: summary_hash was sent without the summary it is"
     " the hash of"},
    {"{\"job_id\":%lld,\"total_minor\":0,\"currency\":\"EUR\"}", -1,
     "summary_hash: summary_hash is not the BLAKE2b-256 of the summary"
     " sent"},
    {"{\"job_id\":%lld,\"total_minor\":0,\"currency\":\"EUR\"}", 31,
     "summary_hash: summary_hash is 31 bytes; a BLAKE2b-256 hash is 32"},
    {"{\"job_id\":1%lld,\"total_minor\":0,\"currency\":\"EUR\"}", 1,
     "summary: the summary is of job 1%lld, not of job %lld"},
    {"{\"job_id\":%lld,\"total\":\"\xff\"}", 1,
     "summary: the summary is not UTF-8 text"},
    {"[%lld]", 1, "summary: the summary is not a JSON object"},
    {"{\"job_id\":%lld,\"total_minor\":0.5,\"currency\":\"EUR\"}", 1,
     "summary: the summary has no integer \"total_minor\""},
    {"{\"job_id\":%lld,\"total_minor\":0}", 1,
     "summary: the summary has no \"currency\" (an ISO 4217 code)"},
    {"{\"job_id\":\"%lld\",\"total_minor\":0,\"currency\":\"EUR\"}", 1,
     "summary: the summary has no integer \"job_id\""},
};

/* Mutation m: the sign-off of job with bad summary b (text kept in buf,
 * the hash in hash). */
static void bad_sign_off(Fsd__V1__Mutation *m, Fsd__V1__SignOff *s,
                         const struct bad_summary *b, int64_t job, char *buf,
                         size_t size, unsigned char *hash)
{
    static uint8_t png[] = {0x89, 'P', 'N', 'G'};

    fsd__v1__sign_off__init(s);
    s->customer_name = "Ms. Lin";
    s->rating = 5;
    s->accepted = 1;
    s->signature_png.data = png;
    s->signature_png.len = sizeof png;
    snprintf(buf, size, b->text ? b->text : "{}", (long long)job);
    sec_hash(buf, strlen(buf), hash);
    if (b->hash == -1)
        sec_hash("{}", 2, hash);
    if (b->text) {
        s->summary.data = (uint8_t *)buf;
        s->summary.len = strlen(buf);
    }
    s->summary_hash.data = hash;
    s->summary_hash.len = b->hash == 0 ? 0 : b->hash == 31 ? 31 : 32;
    m->kind_case = FSD__V1__MUTATION__KIND_SIGN_OFF;
    m->sign_off = s;
}

/* Send mutations [0, n) of job in batch seq; assert each is REJECTED
 * invalid_summary with want[i]'s message. */
static void expect_rejected(const struct device *d, uint64_t seq,
                            Fsd__V1__Mutation **pm, size_t n,
                            const struct bad_summary *want, int64_t job)
{
    struct bytes reply;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Bundle *b;
    char msg[300];

    ck_assert_int_eq(device_sync(d, d->sign_sk, seq, 0, pm, n, &reply, NULL),
                     200);
    b = device_open_bundle(d, &reply, &jobs);
    ck_assert_uint_eq(b->n_acks, n);
    for (size_t i = 0; i < n; i++) {
        snprintf(msg, sizeof msg, want[i].message, (long long)job,
                 (long long)job);
        ck_assert_int_eq(b->acks[i]->result, FSD__V1__ACK__RESULT__REJECTED);
        ck_assert_str_eq(b->acks[i]->code, "invalid_summary");
        ck_assert_str_eq(b->acks[i]->message, msg);
    }
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    fsd__v1__bundle__free_unpacked(b, NULL);
    free(reply.data);
}

START_TEST(a_summary_that_fails_its_checks_changes_nothing)
{
    enum { N = sizeof bad / sizeof bad[0] };
    struct e2e_client desk;
    struct device d;
    struct bytes reply;
    Fsd__V1__Mutation m[N + 1], *pm[N + 1];
    Fsd__V1__SignOff s[N + 1];
    struct visit_done visit;
    static char texts[N + 1][17000];
    unsigned char hashes[N + 1][32];
    char ids[N + 1][32];
    int64_t tech_id = make_technician(), job;
    char bought[11];
    json_t *rec;

    e2e_as_role(&desk, "dispatcher", NULL);
    path_days_ago(30, bought);
    job = job_assigned(&desk, tech_id, bought);
    device_enroll(&desk, tech_id, &d);
    device_mutations(m, pm, ids, 3, d.id, job);
    visit_done(&visit, m);
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, pm, 3, &reply, NULL),
                     200);
    free(reply.data);
    ck_assert_str_eq(job_status(&desk, job), "work_done");

    device_mutations(m, pm, ids, N, d.id, job);
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "%lld-s%d", (long long)d.id, i);
        bad_sign_off(&m[i], &s[i], &bad[i], job, texts[i], sizeof texts[i],
                     hashes[i]);
    }
    expect_rejected(&d, 2, pm, N, bad, job);
    /* over 16 KiB, whatever it holds */
    {
        static const struct bad_summary big = {
            "", 1, "summary: the summary is 16385 bytes; at most 16384"};
        device_mutations(m, pm, ids, 1, d.id, job);
        snprintf(ids[0], sizeof ids[0], "%lld-big", (long long)d.id);
        bad_sign_off(&m[0], &s[0], &big, job, texts[0], sizeof texts[0],
                     hashes[0]);
        memset(texts[0], ' ', 16385);
        texts[0][0] = '{';
        texts[0][16384] = '}';
        texts[0][16385] = '\0';
        s[0].summary.len = 16385;
        sec_hash(texts[0], 16385, hashes[0]);
        expect_rejected(&d, 3, pm, 1, &big, job);
    }
    /* nothing of any of them was kept */
    ck_assert_str_eq(job_status(&desk, job), "work_done");
    rec = path_get(&desk, "/api/v1/jobs/%lld/record", job);
    ck_assert_uint_eq(json_array_size(json_object_get(rec, "sign_offs")), 0);
    json_decref(rec);
    e2e_client_release(&desk);
}
END_TEST

Suite *e2e_shown_summary_suite(void)
{
    Suite *s = suite_create("e2e_shown_summary");
    TCase *tc = tcase_create("shown_summary");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, the_summary_shown_is_kept_with_the_sign_off);
    tcase_add_test(tc, a_total_that_differs_is_noted_not_refused);
    tcase_add_test(tc, a_sign_off_without_a_summary_has_none);
    tcase_add_test(tc, a_summary_that_fails_its_checks_changes_nothing);
    suite_add_tcase(s, tc);
    return s;
}
