/*
 * api_bookings.c - what a customer does with a booking link, no login:
 * read the job in plain words and its open slots
 * (GET /api/v1/public/bookings/{token}), hold one for a few minutes
 * (.../hold), confirm one (.../confirm), move (.../reschedule) or cancel
 * (.../cancel) the visit, and take the confirmed window into a calendar
 * (GET /book/{token}/appointment.ics).
 *
 * Every route passes the gate of api_public.c first.  Offers are 2-hour
 * windows over 14 days from today, at least 2 hours ahead, in the
 * customer's own time zone.
 */
#include "api/api.h"
#include "app.h"
#include "common/sec.h"
#include "common/timefmt.h"
#include "rules/ics.h"
#include "rules/job_sets.h"
#include "slots/slot_problem.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* What a customer is offered: 2-hour windows over 14 days from today,
 * at least 2 hours ahead. */
static void customer_offer(struct slot_problem_want *want, char *from)
{
    memset(want, 0, sizeof(*want));
    want->now = (int64_t)time(NULL);
    timefmt_format_rfc3339(want->now, from);
    from[10] = '\0';
    want->from = from;
    want->days = 14;
    want->window_minutes = 120;
    want->notice_minutes = 120;
}

/* The call-out fee the customer is asked to accept, when one is due and
 * not yet accepted: {"fee_minor", "currency", "reason"}, else null. */
static int add_callout(struct req *req, int64_t job_id, json_t *out,
                       struct err *err)
{
    struct store_callout c;

    if (store_job_callout(req->app->store, job_id, (int64_t)time(NULL), &c,
                          err))
        return err->rc;
    json_object_set_new(out, "callout",
                        c.due && !c.accepted
                            ? json_pack("{s:I, s:s, s:s}", "fee_minor",
                                        (json_int_t)c.fee_minor, "currency",
                                        c.currency, "reason", c.reason)
                            : json_null());
    return 0;
}

int api_public_booking(struct req *req, struct err *err)
{
    struct slot_problem_want want;
    char from[TIMEFMT_RFC3339_LEN];
    json_t *job, *out;
    int rc;

    if (api_public_admit(req, err) ||
        api_public_link(req, "booking", &job, err))
        return err->rc;
    customer_offer(&want, from);
    rc = api_slots_answer(req, json_integer_value(json_object_get(job,
                                                                  "job_id")),
                          &want, 0, &out, err);
    if (rc == 0)
        rc = add_callout(req, json_integer_value(json_object_get(job,
                                                                 "job_id")),
                         out, err);
    if (rc == 0) {
        json_object_set_new(out, "job", api_public_job(job));
        rc = http_json(req, 200, out);
    } else {
        json_decref(out);
    }
    json_decref(job);
    return rc;
}

static const struct jfield confirm_fields[] = {
    {.name = "start", .type = JF_TIME, .flags = JF_REQUIRED},
    {.name = "accept_callout", .type = JF_BOOL, .dflt = "false"}, JF_END};

/* Confirm, reschedule to or hold the window starting at the body's
 * "start". */
static int book_window(struct req *req, enum store_booking_act act,
                       struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];
    struct slot_problem_want want;
    struct store_booking_want bw;
    char from[TIMEFMT_RFC3339_LEN];
    json_t *vals, *out;
    int rc;

    if (api_public_admit(req, err) || api_public_token(req, hash, err) ||
        http_body_parse(req, confirm_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    customer_offer(&want, from);
    bw.start = json_integer_value(json_object_get(vals, "start"));
    bw.accept_callout = json_is_true(json_object_get(vals, "accept_callout"));
    rc = store_booking_change(req->app->store, hash, act, &bw, &want, &out,
                              err);
    json_decref(vals);
    if (rc)
        return rc;
    api_public_window(out, out); /* in place */
    if (json_is_integer(json_object_get(out, "held_until"))) {
        char at[TIMEFMT_RFC3339_LEN];

        timefmt_format_rfc3339(json_integer_value(json_object_get(
                                   out, "held_until")),
                               at);
        json_object_set_new(out, "held_until", json_string(at));
    }
    return http_json(req, 200, out);
}

int api_public_hold(struct req *req, struct err *err)
{
    return book_window(req, STORE_BOOK_HOLD, err);
}

int api_public_confirm(struct req *req, struct err *err)
{
    return book_window(req, STORE_BOOK_CONFIRM, err);
}

int api_public_reschedule(struct req *req, struct err *err)
{
    return book_window(req, STORE_BOOK_RESCHEDULE, err);
}

int api_public_cancel(struct req *req, struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];
    json_t *row;

    if (api_public_admit(req, err) || api_public_token(req, hash, err) ||
        store_booking_change(req->app->store, hash, STORE_BOOK_CANCEL, NULL,
                             NULL, &row, err))
        return err->rc;
    json_decref(row);
    return http_json(req, 200, json_pack("{s:s}", "status", "cancelled"));
}

/* GET /book/{token}/appointment.ics: the confirmed window as a calendar
 * event; 409 not_booked before the customer confirms one. */
int api_public_ics(struct req *req, struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];
    char uid[40], summary[80];
    struct ics_event e = {0};
    json_t *job;
    size_t len;
    char *text;

    if (api_public_admit(req, err) || api_public_token(req, hash, err) ||
        store_link_job(req->app->store, hash, "booking", &job, err))
        return err->rc;
    /* only a booked visit still to come */
    if (!json_is_integer(json_object_get(job, "window_start")) ||
        !job_in_set(json_string_value(json_object_get(job, "status")),
                    JOB_SET_VISIT_UPCOMING)) {
        json_decref(job);
        return err_set(err, ERR_CONFLICT, "not_booked", NULL,
                       "no appointment is confirmed yet");
    }
    for (size_t i = 0; i < 8; i++)
        snprintf(uid + 2 * i, 3, "%02x", hash[i]);
    snprintf(uid + 16, sizeof uid - 16, "@fsd");
    snprintf(summary, sizeof summary, "Service visit (%s)",
             json_string_value(json_object_get(job, "kind")));
    e.uid = uid;
    e.stamp = (int64_t)time(NULL);
    e.start = json_integer_value(json_object_get(job, "window_start"));
    e.end = json_integer_value(json_object_get(job, "window_end"));
    e.summary = summary;
    e.description = json_string_value(json_object_get(job, "fault"));
    text = ics_event_new(&e, &len);
    json_decref(job);
    http_header(req, "Content-Disposition: attachment;"
                     " filename=\"appointment.ics\"");
    return http_text(req, 200, "text/calendar; charset=utf-8", text, len);
}
