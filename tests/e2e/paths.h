/*
 * paths.h - driving one job along a business path in the e2e suites: a
 * customer with a unit, a part in stock and a technician; events by staff
 * or recorded on a technician's or customer's behalf; reading back the
 * audit trail, the stock and the summary report.
 */
#ifndef FSD_E2E_PATHS_H
#define FSD_E2E_PATHS_H

#include "fixture.h"

#include <jansson.h>

/* "PNG" signature bytes, base64: what a handheld's signature pad sends. */
#define SIGNATURE "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
#define PHONED "phoned in by the technician"

struct path {
    struct e2e_client desk, mgr;
    int64_t tech, cust, asset, part, job;
};

/* A date n days before today (UTC), "YYYY-MM-DD". */
void path_days_ago(int n, char out[11]);
/* A customer of tier with a unit bought bought_days_ago, a part with
 * stock units in the warehouse (needs_approval as given), a technician,
 * and a repair job needing one of the part; a dispatcher and a manager. */
void path_setup(struct path *p, const char *tier, int bought_days_ago,
                int stock, int needs_approval);
void path_release(struct path *p);
/* POST an event as c (body is stolen); assert the status; *r keeps the
 * reply. */
void path_event(struct path *p, struct e2e_client *c, json_t *body, long status,
                struct e2e_reply *r);
/* A staff event that must move the job to state. */
void path_staff(struct path *p, struct e2e_client *c, json_t *body,
                const char *state);
/* An event recorded on behalf of who ("technician", "customer"). */
void path_behalf(struct path *p, const char *who, const char *event,
                 json_t *fields, const char *state);
/* book, reserve parts, assign, travel, arrive. */
void path_to_site(struct path *p);
/* Complete the work using the reserved part, sign off, review, close. */
void path_finish(struct path *p, const char *faulty_serial);
/* GET fmt (with id) as c, asserting 200; the reply's JSON (caller owns). */
json_t *path_get(struct e2e_client *c, const char *fmt, int64_t id);
/* The job's audit trail is exactly actions (NULL-terminated), in order. */
void path_expect_trail(struct path *p, const char *const *actions);
/* Warehouse stock of the path's part: quantity and reserved. */
void path_expect_stock(struct path *p, int quantity, int reserved);
/* Today's summary report, read as manager c (caller owns). */
json_t *path_report(struct e2e_client *c);
/* A figure of a report (group NULL for the top level). */
json_int_t path_figure(const json_t *rep, const char *group, const char *key);
/* The technician issues an out-of-warranty quote (liquid damage). */
void path_issue_quote(struct path *p);

#endif
