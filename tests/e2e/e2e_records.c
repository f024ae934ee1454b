/*
 * e2e_records.c - what a technician's uploaded actions leave for the
 * office, against the real server: an action is recorded at the time it
 * happened on the device (within bounds, noted when clamped, with the
 * time the server received it beside it), visits and reports count that
 * time; a conflict shows the action, what it carried, the device's time
 * and the job as the server had it, and a note is never one; a
 * customer's reason for rejecting the work reaches the timeline.
 */
#include "common/timefmt.h"
#include "device.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The job was booked and the device enrolled this morning; the job made
 * alone on its day in 2001, so that a report sees only it; it was due on
 * site 2 hours ago. */
static void backdate(int64_t job, int64_t device, int64_t now)
{
    char sql[400];

    snprintf(sql, sizeof sql,
             "UPDATE audit_events SET at = at - 28800 WHERE entity = 'job'"
             " AND entity_id = %lld; UPDATE devices SET enrolled_at ="
             " enrolled_at - 28800 WHERE id = %lld; UPDATE jobs SET"
             " created_at = 978350400, sla_due_at = %lld WHERE id = %lld",
             (long long)job, (long long)device, (long long)(now - 7200),
             (long long)job);
    db_run(sql);
}

struct morning {
    Fsd__V1__Mutation m[4], *pm[4];
    Fsd__V1__EnRoute en_route;
    Fsd__V1__Arrive arrive;
    Fsd__V1__Note ahead, behind;
    char ids[4][32];
};

/* Offline all morning: on the way 4 hours ago, there at 3; then a note
 * by a clock that went back before the arrival, and one by a clock an
 * hour ahead, each in a sync of its own. */
static void offline_morning(struct morning *w, const struct device *d,
                            int64_t job, int64_t now)
{
    static const int64_t at[4] = {-4 * 3600, -3 * 3600, 3600, -5 * 3600};
    struct bytes reply;

    device_mutations(w->m, w->pm, w->ids, 4, d->id, job);
    for (int i = 0; i < 4; i++)
        w->m[i].device_time = now + at[i];
    fsd__v1__en_route__init(&w->en_route);
    fsd__v1__arrive__init(&w->arrive);
    fsd__v1__note__init(&w->ahead);
    fsd__v1__note__init(&w->behind);
    w->m[0].kind_case = FSD__V1__MUTATION__KIND_EN_ROUTE;
    w->m[0].en_route = &w->en_route;
    w->m[1].kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    w->m[1].arrive = &w->arrive;
    w->ahead.text = "clock ahead";
    w->m[2].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    w->m[2].note = &w->ahead;
    w->behind.text = "clock behind";
    w->m[3].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    w->m[3].note = &w->behind;
    ck_assert_int_eq(device_sync(d, d->sign_sk, 1, 0, w->pm, 2, &reply, NULL),
                     200);
    free(reply.data);
    ck_assert_int_eq(
        device_sync(d, d->sign_sk, 2, 0, w->pm + 3, 1, &reply, NULL), 200);
    free(reply.data);
    ck_assert_int_eq(
        device_sync(d, d->sign_sk, 3, 0, w->pm + 2, 1, &reply, NULL), 200);
    free(reply.data);
}

/* The notes: clamped, noted, and in the order they happened. */
static void expect_notes(struct e2e_client *desk, int64_t job, int64_t now)
{
    struct e2e_reply tl = E2E_REPLY_INIT;
    json_t *items, *last, *before_last;
    char path[64];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline", (long long)job);
    ck_assert_int_eq(e2e_get(desk, path, &tl), 200);
    items = json_object_get(tl.json, "items");
    last = json_array_get(items, json_array_size(items) - 1);
    before_last = json_array_get(items, json_array_size(items) - 2);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(last, "detail"), "text")),
                     "clock ahead");
    ck_assert_str_eq(json_string_value(json_object_get(last, "time_note")),
                     "device_clock_ahead");
    ck_assert_int_le(seconds_of(last, "at"), seconds_of(last, "received_at"));
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(before_last, "detail"), "text")),
                     "clock behind");
    ck_assert_str_eq(
        json_string_value(json_object_get(before_last, "time_note")),
        "before_previous_event");
    ck_assert_int_eq(seconds_of(before_last, "at"), now - 3 * 3600);
    e2e_reply_release(&tl);
}

START_TEST(device_time_is_when_it_happened)
{
    struct e2e_client desk, manager;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    struct morning w;
    int64_t tech = make_technician(), job, now = (int64_t)time(NULL);
    char path[64];
    json_t *e;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&manager, "manager", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    backdate(job, d.id, now);
    offline_morning(&w, &d, job, now);
    e = timeline_entry(&desk, job, "start_travel");
    ck_assert_int_eq(seconds_of(e, "at"), now - 4 * 3600);
    ck_assert_int_ge(seconds_of(e, "received_at"), now);
    ck_assert(json_is_null(json_object_get(e, "time_note")));
    json_decref(e);
    e = timeline_entry(&desk, job, "arrive");
    ck_assert_int_eq(seconds_of(e, "at"), now - 3 * 3600);
    json_decref(e);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/record", (long long)job);
    ck_assert_int_eq(e2e_get(&desk, path, &r), 200);
    ck_assert_int_eq(
        seconds_of(json_array_get(json_object_get(r.json, "visits"), 0),
                   "arrived_at"),
        now - 3 * 3600);
    e2e_reply_release(&r);
    expect_notes(&desk, job, now);
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

struct work {
    Fsd__V1__Mutation m[3], *pm[3];
    Fsd__V1__Arrive arrive;
    Fsd__V1__Note note;
    Fsd__V1__VisitOutcome done;
    Fsd__V1__LabourLine labour, *pl;
    char ids[3][32];
};

/* Offline, the technician went anyway and did the work: arrived, wrote a
 * note, completed it with labour; one sync. */
static void did_the_work(struct work *w, const struct device *d, int64_t job,
                         int64_t now)
{
    struct bytes reply;

    device_mutations(w->m, w->pm, w->ids, 3, d->id, job);
    for (int i = 0; i < 3; i++)
        w->m[i].device_time = now - 600 + i * 60;
    fsd__v1__arrive__init(&w->arrive);
    fsd__v1__note__init(&w->note);
    fsd__v1__visit_outcome__init(&w->done);
    fsd__v1__labour_line__init(&w->labour);
    w->m[0].kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    w->m[0].arrive = &w->arrive;
    w->note.text = "Gate code 7731";
    w->m[1].kind_case = FSD__V1__MUTATION__KIND_NOTE;
    w->m[1].note = &w->note;
    w->done.outcome = FSD__V1__VISIT_OUTCOME__OUTCOME__COMPLETED;
    w->done.notes = "replaced the drain pump";
    w->labour.description = "Diagnosis and repair";
    w->labour.quantity = 1;
    w->labour.unit_price_minor = 4500;
    w->pl = &w->labour;
    w->done.n_labour = 1;
    w->done.labour = &w->pl;
    w->m[2].kind_case = FSD__V1__MUTATION__KIND_OUTCOME;
    w->m[2].outcome = &w->done;
    ck_assert_int_eq(device_sync(d, d->sign_sk, 2, 0, w->pm, 3, &reply, NULL),
                     200);
    free(reply.data);
}

START_TEST(a_conflict_shows_what_the_technician_did)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device d;
    struct bytes reply;
    struct work w;
    int64_t tech = make_technician(), other = make_technician(), job;
    int64_t now = (int64_t)time(NULL);
    char path[80];
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
    did_the_work(&w, &d, job, now);
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

START_TEST(a_rejected_sign_off_keeps_the_customers_reason)
{
    struct e2e_client desk;
    struct device d;
    struct bytes reply;
    Fsd__V1__Mutation m[4], *pm[4];
    struct visit_done visit;
    Fsd__V1__SignOff no = FSD__V1__SIGN_OFF__INIT;
    int64_t tech = make_technician(), job;
    char ids[4][32];
    json_t *e;

    e2e_as_role(&desk, "dispatcher", NULL);
    {
        /* bought a month ago: under warranty */
        time_t bought = time(NULL) - 30 * 86400;
        char date[16];
        strftime(date, sizeof date, "%Y-%m-%d", gmtime(&bought));
        job = job_assigned(&desk, tech, date);
    }
    device_enroll(&desk, tech, &d);
    device_mutations(m, pm, ids, 4, d.id, job);
    visit_done(&visit, m);
    no.accepted = 0;
    no.reject_reason = "the drain still leaks";
    m[3].kind_case = FSD__V1__MUTATION__KIND_SIGN_OFF;
    m[3].sign_off = &no;
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, pm, 4, &reply, NULL),
                     200);
    {
        Fsd__V1__SealedJobs *jobs;
        Fsd__V1__Bundle *b = device_open_bundle(&d, &reply, &jobs);
        for (size_t i = 0; i < b->n_acks; i++)
            ck_assert_msg(b->acks[i]->result == FSD__V1__ACK__RESULT__APPLIED,
                          "%s: %s %s", b->acks[i]->mutation_id,
                          b->acks[i]->code, b->acks[i]->message);
        fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
        fsd__v1__bundle__free_unpacked(b, NULL);
    }
    free(reply.data);
    ck_assert_str_eq(job_status(&desk, job), "rework");
    /* the customer's words reach the office, as from the staff API */
    e = timeline_entry(&desk, job, "reject_sign_off");
    ck_assert_str_eq(json_string_value(json_object_get(e, "reason")),
                     "the drain still leaks");
    json_decref(e);
    e2e_client_release(&desk);
}
END_TEST

Suite *e2e_records_suite(void)
{
    Suite *s = suite_create("e2e_records");
    TCase *tc = tcase_create("records");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, device_time_is_when_it_happened);
    tcase_add_test(tc, a_conflict_shows_what_the_technician_did);
    tcase_add_test(tc, a_rejected_sign_off_keeps_the_customers_reason);
    suite_add_tcase(s, tc);
    return s;
}
