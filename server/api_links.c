/*
 * api_links.c - customers' links: a dispatcher makes one for a job
 * (POST /api/v1/jobs/{id}/booking-link) or revokes it
 * (DELETE /api/v1/booking-links/{id}); the customer, with nothing but the
 * link, reads the job in plain words and its open slots
 * (GET /api/v1/public/bookings/{token}) and confirms one
 * (POST /api/v1/public/bookings/{token}/confirm).
 *
 * A token is 256 random bits as base64url, shown once and stored only as
 * its hash.  Public routes are rate-limited per address (429 with
 * Retry-After), and a malformed, unknown, revoked or expired token is the
 * same 404, so the answer says nothing about whether a job exists.  The
 * access log names the route pattern, never the token.
 */
#include "api.h"
#include "app.h"
#include "config.h"
#include "ics.h"
#include "ratelimit.h"
#include "sec.h"
#include "slotplan.h"
#include "timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define LINK_TOKEN_LEN (SEC_TOKEN_TEXT - 1)

static const char *const purposes[] = {"booking", "quote", 0};

static const struct jfield link_fields[] = {
    {"purpose", JF_ENUM, 0, 0, 0, purposes, "\"booking\"", 0},
    {"expires_hours", JF_INT, 0, 1, 720, 0, "72", 0},
    JF_END};

int api_link_create(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    char token[SEC_TOKEN_TEXT], url[SEC_TOKEN_TEXT + 16],
        at[TIMEFMT_RFC3339_LEN];
    unsigned char hash[SEC_HASH_BYTES];
    const char *purpose;
    json_t *vals;
    int64_t job, id, expires;
    int rc;

    if (http_param_id(req, "id", &job, err) ||
        http_body_parse(req, link_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    purpose = json_string_value(json_object_get(vals, "purpose"));
    expires = (int64_t)time(NULL) +
              json_integer_value(json_object_get(vals, "expires_hours")) * 3600;
    sec_token_new(token);
    sec_token_hash(token, hash);
    rc = store_link_create(req->app->store, job, purpose, hash, expires, &who,
                           &id, err);
    snprintf(url, sizeof url, "/%s/%s",
             strcmp(purpose, "quote") == 0 ? "quote" : "book", token);
    sodium_memzero(token, sizeof token);
    timefmt_format_rfc3339(expires, at);
    if (rc == 0)
        rc = http_json(req, 201, json_pack("{s:I, s:I, s:s, s:s, s:s}", "id",
                                           (json_int_t)id, "job_id",
                                           (json_int_t)job, "purpose", purpose,
                                           "url", url, "expires_at", at));
    sodium_memzero(url, sizeof url);
    json_decref(vals);
    return rc;
}

int api_link_revoke(struct req *req, struct err *err)
{
    int64_t id;

    if (http_param_id(req, "id", &id, err) ||
        store_link_revoke(req->app->store, id, err))
        return err->rc;
    return http_text(req, 204, "text/plain", NULL, 0);
}

/* Count this request against its address; 429 once over the limit. */
static int public_admit(struct req *req, struct err *err)
{
    int64_t now = (int64_t)time(NULL), wait;
    char key[64];

    snprintf(key, sizeof key, "public:%s", req->client);
    wait = ratelimit_check(req->app->public_limit, key, now);
    if (wait > 0) {
        http_header(req, "Retry-After: %lld", (long long)wait);
        return err_set(err, ERR_RATE_LIMITED, "rate_limited", NULL,
                       "too many requests; try again in %lld s",
                       (long long)wait);
    }
    ratelimit_fail(req->app->public_limit, key, now);
    return 0;
}

/* The hash of the {token} of this request's path; the one 404 for a
 * malformed token. */
static int token_hash(struct req *req, unsigned char *hash, struct err *err)
{
    const char *token = router_param(&req->params, "token");
    size_t n = token ? strlen(token) : 0;

    for (size_t i = 0; i < n && n == LINK_TOKEN_LEN; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789-_", token[i]))
            n = 0;
    if (n != LINK_TOKEN_LEN)
        return err_set(err, ERR_NOT_FOUND, NULL, NULL, "%s",
                       STORE_LINK_INVALID);
    sec_token_hash(token, hash);
    return 0;
}

/* The job behind this request's token, or one 404 for every way a token
 * can fail. */
static int link_job(struct req *req, const char *purpose, json_t **job,
                    struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];

    if (token_hash(req, hash, err))
        return err->rc;
    return store_link_job(req->app->store, hash, purpose, job, err);
}

/* What a customer is offered: 2-hour windows over 14 days from today,
 * at least 2 hours ahead. */
static void customer_offer(struct slotplan_want *want, char *from)
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

static const char *const window_keys[] = {"window_start", "window_end"};

static json_t *plain_job(const json_t *j)
{
    json_t *out = json_pack("{s:O, s:O, s:O, s:O, s:O}", "kind",
                            json_object_get(j, "kind"), "fault",
                            json_object_get(j, "fault"), "status",
                            json_object_get(j, "status"), "duration_minutes",
                            json_object_get(j, "duration_minutes"),
                            "customer_name",
                            json_object_get(j, "customer_name"));
    api_copy_instants(out, j, window_keys, 2);
    return out;
}

int api_public_booking(struct req *req, struct err *err)
{
    struct slotplan_want want;
    char from[TIMEFMT_RFC3339_LEN];
    json_t *job, *out;
    int rc;

    if (public_admit(req, err) || link_job(req, "booking", &job, err))
        return err->rc;
    customer_offer(&want, from);
    rc = api_slots_answer(req, json_integer_value(json_object_get(job,
                                                                  "job_id")),
                          &want, 0, &out, err);
    if (rc == 0) {
        json_object_set_new(out, "job", plain_job(job));
        rc = http_json(req, 200, out);
    }
    json_decref(job);
    return rc;
}

static const struct jfield confirm_fields[] = {
    {"start", JF_TIME, JF_REQUIRED, 0, 0, 0, 0, 0}, JF_END};

/* Confirm (move 0) or reschedule (move 1) to the window in the body. */
static int book_window(struct req *req, int move, struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];
    struct slotplan_want want;
    char from[TIMEFMT_RFC3339_LEN];
    json_t *vals, *out;
    int rc;

    if (public_admit(req, err) || token_hash(req, hash, err) ||
        http_body_parse(req, confirm_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    customer_offer(&want, from);
    rc = store_booking_change(req->app->store, hash,
                              json_integer_value(json_object_get(vals,
                                                                 "start")),
                              move, &want, &out, err);
    json_decref(vals);
    if (rc)
        return rc;
    api_copy_instants(out, out, window_keys, 2); /* in place */
    return http_json(req, 200, out);
}

int api_public_confirm(struct req *req, struct err *err)
{
    return book_window(req, 0, err);
}

int api_public_reschedule(struct req *req, struct err *err)
{
    return book_window(req, 1, err);
}

int api_public_cancel(struct req *req, struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];
    json_t *row;

    if (public_admit(req, err) || token_hash(req, hash, err) ||
        store_booking_change(req->app->store, hash, 0, 0, NULL, &row, err))
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

    if (public_admit(req, err) || token_hash(req, hash, err) ||
        store_link_job(req->app->store, hash, "booking", &job, err))
        return err->rc;
    snprintf(summary, sizeof summary, " %s ",
             json_string_value(json_object_get(job, "status")));
    if (!json_is_integer(json_object_get(job, "window_start")) ||
        !strstr(" booked awaiting_parts parts_reserved assigned en_route"
                " on_site ",
                summary)) { /* only a booked visit still to come */
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
