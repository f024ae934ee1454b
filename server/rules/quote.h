/*
 * quote.h - totals and expiry of an out-of-warranty quote
 * (docs/DOMAIN.md "Quotes").
 *
 * A quote is a list of lines (parts, labour, at most one call-out fee); money
 * is always an integer count of minor units (cents, fen), never floating
 * point.  A quote not answered within QUOTE_TTL_SECONDS of being issued
 * expires.  Pure functions over caller-owned arrays: no SQL, no HTTP, no
 * allocation.
 */
#ifndef FSD_QUOTE_H
#define FSD_QUOTE_H

#include "common/err.h"

#include <stddef.h>
#include <stdint.h>

#define QUOTE_MAX_LINES 100
#define QUOTE_MAX_QUANTITY 10000
#define QUOTE_MAX_UNIT_PRICE_MINOR 1000000000000LL /* 10^12 minor units */
#define QUOTE_TTL_SECONDS (24 * 3600)

enum quote_line_kind { QUOTE_PART, QUOTE_LABOUR, QUOTE_CALLOUT };
/* "part", "labour", "callout" in enum order, NULL-terminated. */
extern const char *const quote_kind_names[];

struct quote_line {
    enum quote_line_kind kind;
    const char *description;  /* borrowed; required, non-empty */
    int64_t quantity;         /* 1..QUOTE_MAX_QUANTITY */
    int64_t unit_price_minor; /* 0..QUOTE_MAX_UNIT_PRICE_MINOR */
};

struct quote_totals {
    int64_t parts_minor;   /* sum of quantity * unit price of part lines */
    int64_t labour_minor;  /* ... of labour lines */
    int64_t callout_minor; /* ... of the call-out line, 0 without one */
    int64_t total_minor;   /* parts + labour + call-out */
};

/*
 * Validate the n lines and sum them into out.  On failure out is untouched
 * and the function returns ERR_INVALID with err's code and field set:
 *   no lines            "missing_field"      "lines"
 *   over 100 lines      "too_many_items"     "lines"
 *   unknown kind        "out_of_range"       "lines[i].kind"
 *   description NULL/"" "missing_field"      "lines[i].description"
 *   bad quantity        "out_of_range"       "lines[i].quantity"
 *   bad unit price      "out_of_range"       "lines[i].unit_price_minor"
 *   second call-out     "duplicate_callout"  "lines[i].kind"
 *   int64_t overflow    "out_of_range"       "lines[i]"
 * The first offending line is reported.  lines may be NULL only when n is
 * 0; out must not be NULL; err may be.
 */
int quote_total(const struct quote_line *lines, size_t n,
                struct quote_totals *out, struct err *err)
    __attribute__((warn_unused_result));

/*
 * 1 when a quote issued at issued_at (Unix seconds) has expired at now, that
 * is now >= issued_at + QUOTE_TTL_SECONDS; else 0.  An expiry instant past
 * INT64_MAX is never reached.
 */
int quote_expired(int64_t issued_at, int64_t now);

#endif
