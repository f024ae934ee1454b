/*
 * paths.c - the helpers of paths.h: every request asserts its status, so a
 * path stops at the first step that goes wrong.
 */
#include "paths.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A date n days before today (UTC), "YYYY-MM-DD". */
void path_days_ago(int n, char out[11])
{
    time_t t = time(NULL) - (time_t)n * 86400;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A customer of tier with a unit bought bought_days_ago, a part with
 * stock units in the warehouse (needs_approval as given), and a repair
 * job needing one of it. */
void path_setup(struct path *p, const char *tier, int bought_days_ago,
                int stock, int needs_approval)
{
    char sku[40], serial[40], bought[11];

    e2e_as_role(&p->desk, "dispatcher", NULL);
    e2e_as_role(&p->mgr, "manager", NULL);
    e2e_unique(sku, sizeof sku, "SKU");
    e2e_unique(serial, sizeof serial, "SN");
    path_days_ago(bought_days_ago, bought);
    p->tech = e2e_create(&p->mgr, "/api/v1/technicians",
                         json_pack("{s:s, s:f, s:f}", "name", "Wei",
                                   "start_lat", 31.2, "start_lon", 121.4));
    p->part = e2e_create(&p->mgr, "/api/v1/parts",
                         json_pack("{s:s, s:s, s:i, s:i, s:b, s:[{s:s, s:i}]}",
                                   "sku", sku, "name", "Compressor",
                                   "cost_minor", 20000, "price_minor", 32000,
                                   "needs_approval", needs_approval, "stock",
                                   "location", "warehouse", "quantity", stock));
    p->cust = e2e_create(
        &p->desk, "/api/v1/customers",
        json_pack("{s:s, s:s}", "name", "Jade Bakery", "tier", tier));
    p->asset = e2e_create(&p->desk, "/api/v1/assets",
                          json_pack("{s:I, s:s, s:s, s:s}", "customer_id",
                                    (json_int_t)p->cust, "model", "CF-200",
                                    "serial", serial, "purchase_date", bought));
    p->job = e2e_create(
        &p->desk, "/api/v1/jobs",
        json_pack("{s:I, s:I, s:s, s:s, s:[{s:I, s:i}]}", "customer_id",
                  (json_int_t)p->cust, "asset_id", (json_int_t)p->asset, "kind",
                  "repair", "fault", "does not cool", "parts", "part_id",
                  (json_int_t)p->part, "quantity", 1));
}

void path_release(struct path *p)
{
    e2e_client_release(&p->desk);
    e2e_client_release(&p->mgr);
}

/* POST an event as c (body is stolen); assert the status; *r keeps the
 * reply. */
void path_event(struct path *p, struct e2e_client *c, json_t *body, long status,
                struct e2e_reply *r)
{
    char url[64];

    snprintf(url, sizeof url, "/api/v1/jobs/%lld/events", (long long)p->job);
    e2e_reply_release(r);
    e2e_send(c, "POST", url, body, r);
    e2e_expect_status(r, status);
}

/* A staff event that must move the job to state. */
void path_staff(struct path *p, struct e2e_client *c, json_t *body,
                const char *state)
{
    struct e2e_reply r = E2E_REPLY_INIT;

    path_event(p, c, body, 200, &r);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     state);
    e2e_reply_release(&r);
}

/* An event recorded on behalf of who ("technician", "customer"). */
void path_behalf(struct path *p, const char *who, const char *event,
                 json_t *fields, const char *state)
{
    json_t *body = fields ? fields : json_object();

    json_object_set_new(body, "event", json_string(event));
    json_object_set_new(body, "on_behalf_of", json_string(who));
    json_object_set_new(body, "reason", json_string(PHONED));
    path_staff(p, &p->desk, body, state);
}

/* book (which reserves the parts), assign, travel, arrive. */
void path_to_site(struct path *p)
{
    path_staff(p, &p->desk, json_pack("{s:s}", "event", "book"),
               "parts_reserved");
    path_staff(p, &p->desk,
               json_pack("{s:s, s:I}", "event", "assign", "technician_id",
                         (json_int_t)p->tech),
               "assigned");
    path_behalf(p, "technician", "start_travel", NULL, "en_route");
    path_behalf(p, "technician", "arrive", NULL, "on_site");
}

/* complete the work using the reserved part, sign off, review, close. */
void path_finish(struct path *p, const char *faulty_serial)
{
    path_behalf(
        p, "technician", "complete_work",
        json_pack("{s:s, s:[{s:I, s:i, s:s, s:s}], s:[{s:s, s:i, s:i}]}",
                  "notes", "replaced the compressor", "parts_used", "part_id",
                  (json_int_t)p->part, "quantity", 1, "serial", "NEW-1",
                  "faulty_serial", faulty_serial, "labour", "description",
                  "labour, hours", "quantity", 2, "unit_price_minor", 6000),
        "work_done");
    path_behalf(p, "customer", "sign_off",
                json_pack("{s:s, s:s, s:i, s:s}", "customer_name", "Ms. Lin",
                          "signature", SIGNATURE, "rating", 5, "comment",
                          "quick and tidy"),
                "signed_off");
    path_staff(p, &p->mgr, json_pack("{s:s}", "event", "review"), "reviewed");
    path_staff(p, &p->mgr, json_pack("{s:s}", "event", "close"), "closed");
}

json_t *path_get(struct e2e_client *c, const char *fmt, int64_t id)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char url[96];
    json_t *out;

    snprintf(url, sizeof url, fmt, (long long)id);
    e2e_get(c, url, &r);
    e2e_expect_status(&r, 200);
    out = json_incref(r.json);
    e2e_reply_release(&r);
    return out;
}

/* The job's audit trail is exactly actions (NULL-terminated), in order. */
void path_expect_trail(struct path *p, const char *const *actions)
{
    json_t *t = path_get(&p->desk, "/api/v1/jobs/%lld/timeline", p->job);
    json_t *items = json_object_get(t, "items");
    size_t n = 0;

    for (; actions[n]; n++)
        ck_assert_msg(n < json_array_size(items) &&
                          !strcmp(json_string_value(json_object_get(
                                      json_array_get(items, n), "action")),
                                  actions[n]),
                      "timeline[%zu] is not %s", n, actions[n]);
    ck_assert_int_eq(json_array_size(items), n);
    json_decref(t);
}

/* Warehouse stock of the path's part: quantity and reserved. */
void path_expect_stock(struct path *p, int quantity, int reserved)
{
    json_t *part = path_get(&p->desk, "/api/v1/parts/%lld", p->part);
    json_t *s = json_array_get(json_object_get(part, "stock"), 0);

    ck_assert_int_eq(json_integer_value(json_object_get(s, "quantity")),
                     quantity);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "reserved")),
                     reserved);
    json_decref(part);
}

/* Today's summary report, read as manager c. */
json_t *path_report(struct e2e_client *c)
{
    char day[11], url[96];
    json_t *rep;

    path_days_ago(0, day);
    snprintf(url, sizeof url, "/api/v1/reports/summary?from=%s&to=%s", day,
             day);
    rep = path_get(c, url, 0);
    return rep;
}

json_int_t path_figure(const json_t *rep, const char *group, const char *key)
{
    return json_integer_value(
        json_object_get(group ? json_object_get(rep, group) : rep, key));
}

void path_issue_quote(struct path *p)
{
    path_behalf(
        p, "technician", "issue_quote",
        json_pack("{s:b, s:[{s:s, s:s, s:i, s:i}, {s:s, s:s, s:i, s:i},"
                  " {s:s, s:s, s:i, s:i}]}",
                  "liquid", 1, "lines", "kind", "part", "description",
                  "compressor", "quantity", 1, "unit_price_minor", 32000,
                  "kind", "labour", "description", "labour, hours", "quantity",
                  2, "unit_price_minor", 6000, "kind", "callout", "description",
                  "call-out fee", "quantity", 1, "unit_price_minor", 5000),
        "quoted");
}
