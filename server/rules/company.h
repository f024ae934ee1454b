/*
 * company.h - the company profile's rules: what a change to it may hold
 * and how it reads in a reply.  Pure: no SQL, no HTTP.  The profile
 * itself (struct company) is kept by the store (store.h).
 */
#ifndef FSD_COMPANY_H
#define FSD_COMPANY_H

#include "store.h"

/*
 * Validate a change to the profile: an object of "name" (1 to
 * COMPANY_NAME_MAX bytes), "timezone" (an IANA zone tz.c knows) and
 * "currency" (three capital letters, an ISO 4217 code), each optional
 * but at least one present.  *patch gets the normalized change (caller's)
 * for store_company_update.  ERR_INVALID with jparse's codes, or
 * "invalid_currency", or "empty_patch".
 */
int company_patch(const json_t *in, json_t **patch, struct err *err);

/* The profile as a reply: name, timezone, currency, updated_at (RFC 3339,
 * null before the first change).  Caller owns it. */
json_t *company_json(const struct company *co);

#endif
