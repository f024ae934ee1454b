/*
 * company.h - the company profile's rules: what a change to it may hold
 * and how it reads in a reply.  Pure: no SQL, no HTTP.  The store keeps
 * the profile (store_company_get, store_company_update).
 */
#ifndef FSD_COMPANY_H
#define FSD_COMPANY_H

#include "common/err.h"
#include "common/tz.h"

#include <jansson.h>
#include <stdint.h>

#define COMPANY_NAME_MAX 200 /* bytes of its display name */
#define COMPANY_PHONE_MAX 40
#define COMPANY_EMAIL_MAX 200
#define COMPANY_FEE_MAX 100000000 /* minor units */

/* The company itself: one profile, made by the schema. */
struct company {
    char name[COMPANY_NAME_MAX + 1]; /* what its customers see */
    char timezone[TZ_NAME_MAX + 1];  /* IANA zone its working day runs in */
    char currency[4];                /* ISO 4217 code its prices are in */
    char phone[COMPANY_PHONE_MAX + 1]; /* how customers call it, or "" */
    char email[COMPANY_EMAIL_MAX + 1]; /* where customers write, or "" */
    int64_t callout_fee_minor;       /* an out-of-warranty visit's fee, 0:
                                        none */
    int64_t updated_at;              /* Unix seconds, 0 until changed */
};

/*
 * Validate a change to the profile: an object of "name" (1 to
 * COMPANY_NAME_MAX bytes), "timezone" (an IANA zone tz.c knows),
 * "currency" (three capital letters, an ISO 4217 code), "phone", "email"
 * (contact shown to customers, may be empty) and "callout_fee_minor"
 * (0..COMPANY_FEE_MAX), each optional but at least one present.  *patch gets the normalized change (caller's)
 * for store_company_update.  ERR_INVALID with jparse's codes, or
 * "invalid_currency", or "empty_patch".
 */
int company_patch(const json_t *in, json_t **patch, struct err *err);

/* The profile as a reply: name, timezone, currency, phone, email,
 * callout_fee_minor, updated_at (RFC 3339, null before the first change).
 * Caller owns it. */
json_t *company_json(const struct company *co);

#endif
