/*
 * berlin.h - a small world for the customer-link tests: a Berlin
 * technician (skill at level 3, on shift 08:00-17:00 every day), a
 * customer beside him, jobs needing that skill, their booking links, and
 * the public routes called as an anonymous customer.
 */
#ifndef FSD_E2E_BERLIN_H
#define FSD_E2E_BERLIN_H

#include "fixture.h"

#include <stddef.h>
#include <stdint.h>

struct berlin {
    struct e2e_client mgr, desk;
    char skill[40];
    int64_t tech, job, unskilled_job;
};

/* Open the world on the running server: b->job needs b->skill at level 2,
 * b->unskilled_job a skill nobody has. */
void berlin_open(struct berlin *b);
void berlin_close(struct berlin *b);
/* POST a booking link for b->job; *id gets its id, token its token. */
void make_link(struct berlin *b, int64_t *id, char *token, size_t n);
/* A new job of duration minutes at a new Berlin customer (b->job), with
 * a booking link whose token goes to token; returns the job's id. */
int64_t linked_job(struct berlin *b, int duration, char *token, size_t n);
/* GET /api/v1/public/bookings/{token} as an anonymous customer. */
void public_get(const char *token, struct e2e_reply *r);
/* POST /api/v1/public/bookings/{token}/{action} as an anonymous customer,
 * with {"start"} unless start is NULL; returns the status. */
long public_change(const char *token, const char *action, const char *start,
                   struct e2e_reply *r);
long public_confirm(const char *token, const char *start,
                    struct e2e_reply *r);
/* The same with any body (stolen). */
long public_post(const char *token, const char *action, json_t *body,
                 struct e2e_reply *r);
/* GET /book/{token}/appointment.ics as an anonymous customer. */
void public_ics(const char *token, struct e2e_reply *r);
/* GET path as an anonymous browser would. */
void anon_get(const char *path, struct e2e_reply *r);
/* The message of an error reply. */
const char *error_message(const struct e2e_reply *r);

#endif
