/*
 * quotes.h - a job's quote link as staff make it, and the public quote
 * route as its customer calls it (defined in e2e_public.c), for the
 * suites that read a quote the way its customer sees it.
 */
#ifndef FSD_E2E_QUOTES_H
#define FSD_E2E_QUOTES_H

#include "paths.h"

#include <stddef.h>

/* A quote link (POST booking-link with purpose "quote") for p's job: its
 * token into token (n bytes). */
void quote_link(struct path *p, char *token, size_t n);
/* GET (body NULL) or POST body to /api/v1/public/quotes/{token} as an
 * anonymous customer; returns the status. */
long public_quote(const char *token, json_t *body, struct e2e_reply *r);

#endif
