/*
 * e2e_quote_answer.c - the customer answers the quote on the technician's
 * phone (proto QuoteAnswer, PROTOCOL.md section 7), against the real
 * server and the real device client.
 *
 * The answer goes through the quote link's rules and effects: approved on
 * the phone, the quote's catalogue part joins the job reserved; declined,
 * the job is quote_declined; the job's record and timeline say it was the
 * customer, on the technician's device, and by name.  An approval after
 * the quote expired, or a second answer, is refused with the code the
 * link gives, and changes nothing; the same answer sent again applies
 * once; an answer that fails its checks is REJECTED with the field's
 * code; one for a job reassigned since is a conflict kept for a
 * dispatcher.  The server here never sweeps expired quotes itself, so a
 * quote stays pending past its expiry.
 */
#include "device.h"
#include "fixture.h"
#include "paths.h"
#include "quotes.h"
#include "sdk_device.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ON_PHONE "on the technician's phone by "

/* A technician's phone (the SDK client returned, its store in store)
 * with p's job quoted on site for a unit bought in 2019: one catalogue
 * part (*part, one in stock) and labour. */
static fsd_client *quoted_job(struct path *p, int64_t *part, char *store,
                              size_t size)
{
    static const struct fsd_findings liquid = {.liquid = 1};
    struct fsd_line lines[2] = {
        {"part", "Drain pump", 1, 3900, 0},
        {"labour", "Labour", 1, 4500, 0},
    };
    char sku[32];
    fsd_client *c;

    e2e_as_role(&p->desk, "dispatcher", NULL);
    e2e_as_role(&p->mgr, "manager", NULL);
    e2e_unique(sku, sizeof sku, "PUMP");
    *part = e2e_create(&p->mgr, "/api/v1/parts",
                       json_pack("{s:s, s:s, s:i, s:i, s:[{s:s, s:i}]}", "sku",
                                 sku, "name", "Drain pump", "cost_minor", 1800,
                                 "price_minor", 3900, "stock", "location",
                                 "warehouse", "quantity", 1));
    lines[0].part_id = (uint64_t)*part;
    c = sdk_device(&p->desk, "2019-05-01", &p->tech, &p->job, store, size);
    ck_assert_int_eq(fsd_arrive(c, (uint64_t)p->job), FSD_OK);
    ck_assert_int_eq(fsd_quote(c, (uint64_t)p->job, &liquid, lines, 2), FSD_OK);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_OK);
    ck_assert_str_eq(job_status(&p->desk, p->job), "quoted");
    return c;
}

/* How many of the job's timeline entries are action; *last (if not NULL)
 * gets the last of them (caller frees). */
static int events_of(struct e2e_client *desk, int64_t job, const char *action,
                     json_t **last)
{
    json_t *t = path_get(desk, "/api/v1/jobs/%lld/timeline", job), *e;
    size_t i;
    int n = 0;

    if (last)
        *last = NULL;
    json_array_foreach(json_object_get(t, "items"), i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "action")), action))
            continue;
        n++;
        if (last) {
            json_decref(*last);
            *last = json_incref(e);
        }
    }
    json_decref(t);
    return n;
}

/* The job's live quote as staff read it in its record (caller frees). */
static json_t *live_quote(struct e2e_client *desk, int64_t job)
{
    json_t *rec = path_get(desk, "/api/v1/jobs/%lld/record", job);
    json_t *q = json_incref(json_array_get(json_object_get(rec, "quotes"), 0));

    ck_assert_uint_eq(json_array_size(json_object_get(rec, "quotes")), 1);
    json_decref(rec);
    return q;
}

static const char *str(const json_t *o, const char *key)
{
    ck_assert_msg(json_is_string(json_object_get(o, key)), "%s", key);
    return json_string_value(json_object_get(o, key));
}

/* The job's part lines (caller frees). */
static json_t *part_lines(struct e2e_client *desk, int64_t job)
{
    json_t *j = path_get(desk, "/api/v1/jobs/%lld", job);
    json_t *parts = json_incref(json_object_get(j, "parts"));

    json_decref(j);
    return parts;
}

/* The last entry of the job's history on the phone (fsd-tech show). */
static void phone_history_ends(const char *store, int64_t job, const char *kind,
                               const char *text, const char *by)
{
    char args[80], out[20000];
    json_t *j, *h;

    snprintf(args, sizeof args, "--json show %lld", (long long)job);
    ck_assert_int_eq(tech_cli(store, args, out, sizeof out), 0);
    j = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    h = json_object_get(j, "history");
    h = json_array_get(h, json_array_size(h) - 1);
    ck_assert_str_eq(str(h, "kind"), kind);
    ck_assert_str_eq(str(h, "text"), text);
    ck_assert_str_eq(str(h, "by"), by);
    json_decref(j);
}

START_TEST(approved_on_the_phone_reserves_the_quoted_part)
{
    struct path p;
    char store[300], out[2000], args[200];
    int64_t part;
    fsd_client *c = quoted_job(&p, &part, store, sizeof store);
    uint64_t device = fsd_device_id(c);
    json_t *q, *parts, *ev;
    const json_t *d;

    fsd_close(c);
    /* either answer, never both; and who answered */
    snprintf(args, sizeof args,
             "quote-answer %lld --approve --decline"
             " --name 'Ms. Lin'",
             (long long)p.job);
    ck_assert_int_eq(tech_cli(store, args, out, sizeof out), 2);
    snprintf(args, sizeof args, "quote-answer %lld --approve",
             (long long)p.job);
    ck_assert_int_eq(tech_cli(store, args, out, sizeof out), 2);
    snprintf(args, sizeof args, "quote-answer %lld --approve --name 'Ms. Lin'",
             (long long)p.job);
    ck_assert_int_eq(tech_cli(store, args, out, sizeof out), 0);
    ck_assert_int_eq(tech_cli(store, "sync", out, sizeof out), 0);
    ck_assert_str_eq(job_status(&p.desk, p.job), "quote_approved");

    /* the approved part is the job's and held for it, as by the link */
    parts = part_lines(&p.desk, p.job);
    ck_assert_uint_eq(json_array_size(parts), 1);
    ck_assert_int_eq(json_integer_value(
                         json_object_get(json_array_get(parts, 0), "part_id")),
                     part);
    ck_assert_str_eq(str(json_array_get(parts, 0), "state"), "reserved");
    json_decref(parts);
    q = live_quote(&p.desk, p.job);
    ck_assert_str_eq(str(q, "status"), "approved");
    ck_assert_str_eq(str(q, "answered_by"), "customer");
    ck_assert_str_eq(str(q, "note"), "approved " ON_PHONE "Ms. Lin");
    json_decref(q);
    ck_assert_int_eq(events_of(&p.desk, p.job, "approve_quote", &ev), 1);
    ck_assert_str_eq(str(ev, "actor"), "customer");
    ck_assert_str_eq(str(ev, "reason"), "approved " ON_PHONE "Ms. Lin");
    d = json_object_get(ev, "detail");
    ck_assert_str_eq(str(d, "answered_on"), "technician_device");
    ck_assert_str_eq(str(d, "customer_name"), "Ms. Lin");
    ck_assert_int_eq(json_integer_value(json_object_get(d, "device_id")),
                     (json_int_t)device);
    ck_assert_str_eq(str(d, "by"), "customer");
    ck_assert(json_is_true(json_object_get(d, "parts_reserved")));
    ck_assert_ptr_nonnull(json_object_get(ev, "received_at"));
    json_decref(ev);
    /* and the phone shows it in the job's history */
    phone_history_ends(store, p.job, "approve_quote",
                       "quoted \xe2\x86\x92 quote_approved: approved " ON_PHONE
                       "Ms. Lin",
                       "customer");
    path_release(&p);
}
END_TEST

START_TEST(declined_on_the_phone_goes_where_the_link_takes_it)
{
    struct path p;
    struct fsd_sync_result res;
    char store[300];
    int64_t part;
    fsd_client *c = quoted_job(&p, &part, store, sizeof store);
    json_t *q, *parts, *ev;

    ck_assert_int_eq(fsd_quote_answer(c, (uint64_t)p.job, 0, "Mr. Okafor",
                                      "too dear for an old unit"),
                     FSD_OK);
    ck_assert_int_eq(fsd_sync(c, &res), FSD_OK);
    ck_assert_int_eq(res.acked, 1);
    ck_assert_int_eq(res.rejected, 0);
    ck_assert_str_eq(job_status(&p.desk, p.job), "quote_declined");
    q = live_quote(&p.desk, p.job);
    ck_assert_str_eq(str(q, "status"), "declined");
    ck_assert_str_eq(str(q, "note"), "declined " ON_PHONE
                                     "Mr. Okafor: too dear for an old unit");
    json_decref(q);
    /* nothing was reserved for a repair the customer declined */
    parts = part_lines(&p.desk, p.job);
    ck_assert_uint_eq(json_array_size(parts), 0);
    json_decref(parts);
    ck_assert_int_eq(events_of(&p.desk, p.job, "decline_quote", &ev), 1);
    ck_assert_str_eq(str(json_object_get(ev, "detail"), "customer_name"),
                     "Mr. Okafor");
    json_decref(ev);
    fsd_close(c);
    path_release(&p);
}
END_TEST

/* What an answer left alone: the job quoted at version, its quote
 * pending, no part line, no answer in the timeline. */
static void unchanged(struct path *p, int64_t version)
{
    json_t *j = path_get(&p->desk, "/api/v1/jobs/%lld", p->job);
    json_t *q = live_quote(&p->desk, p->job);

    ck_assert_str_eq(str(j, "status"), "quoted");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "version")),
                     version);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "parts")), 0);
    ck_assert_str_eq(str(q, "status"), "pending");
    ck_assert_int_eq(events_of(&p->desk, p->job, "approve_quote", NULL), 0);
    ck_assert_int_eq(events_of(&p->desk, p->job, "decline_quote", NULL), 0);
    json_decref(q);
    json_decref(j);
}

static int64_t version_of(struct e2e_client *desk, int64_t job)
{
    json_t *j = path_get(desk, "/api/v1/jobs/%lld", job);
    int64_t v = json_integer_value(json_object_get(j, "version"));

    json_decref(j);
    return v;
}

/* The outbox's refused item of the phone: its code into code. */
static void on_refused(const struct fsd_outbox_view *o, void *arg)
{
    if (!strcmp(o->state, "rejected"))
        snprintf(arg, 64, "%s", o->code);
}

START_TEST(an_approval_after_expiry_is_refused_as_by_the_link)
{
    struct path p;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fsd_sync_result res;
    char store[300], sql[200], token[64], code[64] = "";
    int64_t part, version;
    fsd_client *c = quoted_job(&p, &part, store, sizeof store);

    version = version_of(&p.desk, p.job);
    /* answered offline; the quote runs out before the phone syncs */
    ck_assert_int_eq(fsd_quote_answer(c, (uint64_t)p.job, 1, "Ms. Lin", NULL),
                     FSD_OK);
    snprintf(sql, sizeof sql,
             "UPDATE quotes SET issued_at = issued_at -"
             " 172800, expires_at = expires_at - 172800 WHERE job_id = %lld"
             " AND status = 'pending'",
             (long long)p.job);
    db_exec(sql);
    ck_assert_int_eq(fsd_sync(c, &res), FSD_OK);
    ck_assert_int_eq(res.rejected, 1);
    ck_assert_int_eq(fsd_outbox(c, on_refused, code), FSD_OK);
    ck_assert_str_eq(code, "quote_expired");
    unchanged(&p, version);
    /* the customer's link says the same */
    quote_link(&p, token, sizeof token);
    ck_assert_int_eq(
        public_quote(token, json_pack("{s:s}", "decision", "approve"), &r),
        409);
    e2e_expect_error(&r, 409, code, "event");
    unchanged(&p, version);
    e2e_reply_release(&r);
    fsd_close(c);
    path_release(&p);
}
END_TEST

START_TEST(a_second_answer_is_refused_as_by_the_link)
{
    struct path p;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fsd_sync_result res;
    char store[300], token[64], code[64] = "";
    int64_t part;
    fsd_client *c = quoted_job(&p, &part, store, sizeof store);
    json_t *q;

    ck_assert_int_eq(fsd_quote_answer(c, (uint64_t)p.job, 1, "Ms. Lin", NULL),
                     FSD_OK);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_OK);
    ck_assert_str_eq(job_status(&p.desk, p.job), "quote_approved");
    /* the customer changes their mind: too late, on the phone or by link */
    ck_assert_int_eq(
        fsd_quote_answer(c, (uint64_t)p.job, 0, "Ms. Lin", "changed my mind"),
        FSD_OK);
    ck_assert_int_eq(fsd_sync(c, &res), FSD_OK);
    ck_assert_int_eq(res.rejected, 1);
    ck_assert_int_eq(fsd_outbox(c, on_refused, code), FSD_OK);
    ck_assert_str_eq(code, "invalid_transition");
    quote_link(&p, token, sizeof token);
    ck_assert_int_eq(
        public_quote(token, json_pack("{s:s}", "decision", "decline"), &r),
        409);
    e2e_expect_error(&r, 409, code, "event");
    ck_assert_str_eq(job_status(&p.desk, p.job), "quote_approved");
    q = live_quote(&p.desk, p.job);
    ck_assert_str_eq(str(q, "status"), "approved");
    json_decref(q);
    ck_assert_int_eq(events_of(&p.desk, p.job, "approve_quote", NULL), 1);
    ck_assert_int_eq(events_of(&p.desk, p.job, "decline_quote", NULL), 0);
    e2e_reply_release(&r);
    fsd_close(c);
    path_release(&p);
}
END_TEST

/* Mutation m of job under id: the customer's answer. */
static Fsd__V1__Mutation *answer(Fsd__V1__Mutation *m, Fsd__V1__QuoteAnswer *a,
                                 const char *id, int64_t job, int approved,
                                 const char *name, const char *reason)
{
    fsd__v1__mutation__init(m);
    fsd__v1__quote_answer__init(a);
    m->mutation_id = (char *)id;
    m->job_id = (uint64_t)job;
    a->approved = approved != 0;
    a->customer_name = (char *)name;
    a->reason = (char *)reason;
    m->kind_case = FSD__V1__MUTATION__KIND_QUOTE_ANSWER;
    m->quote_answer = a;
    return m;
}

/* Send pm[0..n) as d in batch seq; the verified bundle (caller frees). */
static Fsd__V1__Bundle *send_batch(const struct device *d, uint64_t seq,
                                   Fsd__V1__Mutation **pm, size_t n)
{
    struct bytes reply;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Bundle *b;

    ck_assert_int_eq(device_sync(d, d->sign_sk, seq, 0, pm, n, &reply, NULL),
                     200);
    b = device_open_bundle(d, &reply, &jobs);
    ck_assert_uint_eq(b->n_acks, n);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    free(reply.data);
    return b;
}

START_TEST(the_same_answer_sent_again_applies_once)
{
    struct path p;
    struct device d;
    char store[300], id[32];
    int64_t part;
    fsd_client *c = quoted_job(&p, &part, store, sizeof store);
    Fsd__V1__Mutation m, *pm = &m;
    Fsd__V1__QuoteAnswer a;
    Fsd__V1__Bundle *b;
    uint64_t version;
    json_t *parts;

    fsd_close(c);
    /* the technician's second phone, driven byte by byte */
    device_enroll(&p.desk, p.tech, &d);
    snprintf(id, sizeof id, "%lld-7", (long long)d.id);
    answer(&m, &a, id, p.job, 1, "Ms. Lin", "");
    b = send_batch(&d, 1, &pm, 1);
    ck_assert_int_eq(b->acks[0]->result, FSD__V1__ACK__RESULT__APPLIED);
    version = b->acks[0]->job_version;
    fsd__v1__bundle__free_unpacked(b, NULL);
    /* its reply lost, the phone sends the answer again in a new batch */
    b = send_batch(&d, 2, &pm, 1);
    ck_assert_int_eq(b->acks[0]->result, FSD__V1__ACK__RESULT__APPLIED);
    ck_assert_uint_eq(b->acks[0]->job_version, version);
    fsd__v1__bundle__free_unpacked(b, NULL);
    ck_assert_int_eq(version_of(&p.desk, p.job), (int64_t)version);
    ck_assert_int_eq(events_of(&p.desk, p.job, "approve_quote", NULL), 1);
    parts = part_lines(&p.desk, p.job);
    ck_assert_uint_eq(json_array_size(parts), 1);
    json_decref(parts);
    path_release(&p);
}
END_TEST

/* An answer that fails a check, and what its ack says. */
struct bad_answer {
    const char *name, *reason, *code, *message;
};

START_TEST(an_answer_that_fails_its_checks_changes_nothing)
{
    static char long_name[202], long_reason[1002];
    static const struct bad_answer bad[] = {
        {"", "", "out_of_range",
         "customer_name: the name of who answered is 1 to 200 bytes"},
        {long_name, "", "out_of_range",
         "customer_name: the name of who answered is 1 to 200 bytes"},
        {"Ms. Lin", long_reason, "out_of_range",
         "reason: a reason is at most 1000 bytes"},
        {"Ms. L\xff", "", "invalid_text",
         "every text of the mutation must be UTF-8"},
        {"Ms. Lin", "no\xc3", "invalid_text",
         "every text of the mutation must be UTF-8"},
    };
    enum { N = sizeof bad / sizeof bad[0] };
    struct path p;
    struct device d;
    char store[300], ids[N][32];
    int64_t part, version;
    fsd_client *c = quoted_job(&p, &part, store, sizeof store);
    Fsd__V1__Mutation m[N], *pm[N];
    Fsd__V1__QuoteAnswer a[N];
    Fsd__V1__Bundle *b;

    memset(long_name, 'n', 201);
    memset(long_reason, 'r', 1001);
    /* the SDK refuses what it can tell is wrong */
    ck_assert_int_eq(fsd_quote_answer(c, (uint64_t)p.job, 1, NULL, NULL),
                     FSD_ERR_INVALID);
    ck_assert_int_eq(fsd_quote_answer(c, (uint64_t)p.job, 1, long_name, NULL),
                     FSD_ERR_INVALID);
    ck_assert_int_eq(
        fsd_quote_answer(c, (uint64_t)p.job, 0, "Ms. Lin", long_reason),
        FSD_ERR_INVALID);
    fsd_close(c);
    version = version_of(&p.desk, p.job);
    device_enroll(&p.desk, p.tech, &d);
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "%lld-b%d", (long long)d.id, i);
        pm[i] = answer(&m[i], &a[i], ids[i], p.job, i % 2, bad[i].name,
                       bad[i].reason);
    }
    b = send_batch(&d, 1, pm, N);
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(b->acks[i]->result, FSD__V1__ACK__RESULT__REJECTED);
        ck_assert_str_eq(b->acks[i]->code, bad[i].code);
        ck_assert_str_eq(b->acks[i]->message, bad[i].message);
    }
    fsd__v1__bundle__free_unpacked(b, NULL);
    unchanged(&p, version);
    path_release(&p);
}
END_TEST

START_TEST(an_answer_for_a_reassigned_job_is_kept_for_a_dispatcher)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    int64_t tech = make_technician(), other = make_technician(), job;
    char path[64], id[32];
    Fsd__V1__Mutation m, *pm = &m;
    Fsd__V1__QuoteAnswer a;
    Fsd__V1__Bundle *b;
    json_t *conflict;

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, "2019-05-01");
    device_enroll(&desk, tech, &d);
    b = send_batch(&d, 1, &pm, 0); /* the phone holds the job */
    fsd__v1__bundle__free_unpacked(b, NULL);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(&desk, "POST", path,
             json_pack("{s:s, s:I, s:s}", "event", "reassign", "technician_id",
                       (json_int_t)other, "reason", "the van broke down"),
             &r);
    e2e_expect_status(&r, 200);
    snprintf(id, sizeof id, "%lld-1", (long long)d.id);
    answer(&m, &a, id, job, 1, "Ms. Lin", "");
    b = send_batch(&d, 2, &pm, 1);
    ck_assert_int_eq(b->acks[0]->result, FSD__V1__ACK__RESULT__CONFLICT);
    ck_assert_str_eq(b->acks[0]->code, "reassigned");
    fsd__v1__bundle__free_unpacked(b, NULL);
    /* kept with what the customer said, for a dispatcher */
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/conflicts", (long long)job);
    ck_assert_int_eq(e2e_get(&desk, path, &r), 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "items")), 1);
    conflict = json_array_get(json_object_get(r.json, "items"), 0);
    ck_assert_str_eq(str(conflict, "action"), "approve_quote");
    ck_assert_str_eq(str(json_object_get(conflict, "content"), "customer_name"),
                     "Ms. Lin");
    ck_assert_str_eq(job_status(&desk, job), "assigned");
    e2e_reply_release(&r);
    e2e_client_release(&desk);
}
END_TEST

static void setup_no_sweep(void)
{
    /* expired quotes stay pending: the answer meets the expiry itself */
    static const char *const args[] = {"--sweep-ms", "3600000", NULL};

    e2e_setup_with(args);
}

Suite *e2e_quote_answer_suite(void)
{
    Suite *s = suite_create("e2e_quote_answer");
    TCase *tc = tcase_create("quote_answer");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup_no_sweep, e2e_teardown);
    tcase_add_test(tc, approved_on_the_phone_reserves_the_quoted_part);
    tcase_add_test(tc, declined_on_the_phone_goes_where_the_link_takes_it);
    tcase_add_test(tc, an_approval_after_expiry_is_refused_as_by_the_link);
    tcase_add_test(tc, a_second_answer_is_refused_as_by_the_link);
    tcase_add_test(tc, the_same_answer_sent_again_applies_once);
    tcase_add_test(tc, an_answer_that_fails_its_checks_changes_nothing);
    tcase_add_test(tc, an_answer_for_a_reassigned_job_is_kept_for_a_dispatcher);
    suite_add_tcase(s, tc);
    return s;
}
