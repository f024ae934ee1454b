/*
 * berlin.c - the customer-link tests' world (see berlin.h).
 */
#include "berlin.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

static int64_t berlin_job(struct berlin *b, int64_t cust, const char *skill)
{
    return e2e_create(&b->desk, "/api/v1/jobs",
                      json_pack("{s:I, s:s, s:i, s:[{s:s, s:i}]}",
                                "customer_id", (json_int_t)cust, "kind",
                                "maintenance", "duration_minutes", 60,
                                "required_skills", "skill", skill, "level",
                                2));
}

void berlin_open(struct berlin *b)
{
    json_t *shifts = json_array();
    char other[40];
    int64_t cust;

    e2e_as_role(&b->mgr, "manager", NULL);
    e2e_as_role(&b->desk, "dispatcher", NULL);
    e2e_unique(b->skill, sizeof b->skill, "boiler");
    e2e_unique(other, sizeof other, "crane");
    e2e_create(&b->mgr, "/api/v1/skills",
               json_pack("{s:s, s:s}", "code", b->skill, "name", "Boilers"));
    e2e_create(&b->mgr, "/api/v1/skills",
               json_pack("{s:s, s:s}", "code", other, "name", "Cranes"));
    for (int day = 0; day < 7; day++)
        json_array_append_new(shifts, json_pack("{s:i, s:s, s:s}", "weekday",
                                                day, "start", "08:00", "end",
                                                "17:00"));
    b->tech = e2e_create(
        &b->mgr, "/api/v1/technicians",
        json_pack("{s:s, s:f, s:f, s:s, s:[{s:s, s:i}], s:o}", "name",
                  "Jonas", "start_lat", 52.52, "start_lon", 13.40, "timezone",
                  "Europe/Berlin", "skills", "skill", b->skill, "level", 3,
                  "shifts", shifts));
    cust = e2e_create(&b->desk, "/api/v1/customers",
                      json_pack("{s:s, s:f, s:f, s:s}", "name", "Spree Kiosk",
                                "lat", 52.51, "lon", 13.41, "timezone",
                                "Europe/Berlin"));
    b->job = berlin_job(b, cust, b->skill);
    b->unskilled_job = berlin_job(b, cust, other);
}

void berlin_close(struct berlin *b)
{
    e2e_client_release(&b->mgr);
    e2e_client_release(&b->desk);
}

/* POST a booking link for the job; *id gets its id, token its token. */
void make_link(struct berlin *b, int64_t *id, char *token, size_t n)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];
    const char *url;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/booking-link",
             (long long)b->job);
    e2e_send(&b->desk, "POST", path, json_object(), &r);
    e2e_expect_status(&r, 201);
    url = json_string_value(json_object_get(r.json, "url"));
    ck_assert_int_eq(strncmp(url, "/book/", 6), 0);
    ck_assert_uint_eq(strlen(url + 6), 43);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "purpose")),
                     "booking");
    snprintf(token, n, "%s", url + 6);
    *id = json_integer_value(json_object_get(r.json, "id"));
    e2e_reply_release(&r);
}

void public_get(const char *token, struct e2e_reply *r)
{
    char path[120];

    snprintf(path, sizeof path, "/api/v1/public/bookings/%s", token);
    anon_get(path, r);
}

const char *error_message(const struct e2e_reply *r)
{
    return json_string_value(json_object_get(json_object_get(r->json,
                                                              "error"),
                                             "message"));
}

/* A job for the Berlin technician lasting duration minutes, at a new
 * customer; its booking link's token goes to token. */
int64_t linked_job(struct berlin *b, int duration, char *token,
                          size_t n)
{
    int64_t cust = e2e_create(&b->desk, "/api/v1/customers",
                              json_pack("{s:s, s:f, s:f, s:s}", "name",
                                        "Spree Kiosk", "lat", 52.51, "lon",
                                        13.41, "timezone", "Europe/Berlin"));
    int64_t id, link;

    b->job = e2e_create(&b->desk, "/api/v1/jobs",
                        json_pack("{s:I, s:s, s:i, s:[{s:s, s:i}]}",
                                  "customer_id", (json_int_t)cust, "kind",
                                  "install", "duration_minutes", duration,
                                  "required_skills", "skill", b->skill,
                                  "level", 2));
    make_link(b, &link, token, n);
    id = b->job;
    return id;
}

long public_post(const char *token, const char *action, json_t *body,
                 struct e2e_reply *r)
{
    struct e2e_client anon;
    char path[160];
    long status;

    e2e_client_init(&anon, e2e_srv.base);
    snprintf(path, sizeof path, "/api/v1/public/bookings/%s/%s", token,
             action);
    e2e_reply_release(r);
    status = e2e_send(&anon, "POST", path, body, r);
    e2e_client_release(&anon);
    return status;
}

/* POST .../{token}/{action} (confirm, reschedule, cancel) as the
 * customer, with {"start"} unless start is NULL. */
long public_change(const char *token, const char *action,
                          const char *start, struct e2e_reply *r)
{
    return public_post(token, action,
                       start ? json_pack("{s:s}", "start", start)
                             : json_object(),
                       r);
}

long public_confirm(const char *token, const char *start,
                           struct e2e_reply *r)
{
    return public_change(token, "confirm", start, r);
}

void public_ics(const char *token, struct e2e_reply *r)
{
    char path[120];

    snprintf(path, sizeof path, "/book/%s/appointment.ics", token);
    anon_get(path, r);
}


void anon_get(const char *path, struct e2e_reply *r)
{
    struct e2e_client anon;

    e2e_client_init(&anon, e2e_srv.base);
    e2e_reply_release(r);
    e2e_get(&anon, path, r);
    e2e_client_release(&anon);
}
