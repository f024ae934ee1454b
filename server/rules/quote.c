/*
 * quote.c - validation and integer totals of a quote, and its 24-hour expiry.
 *
 * Lines are checked against fixed limits, then multiplied and summed with
 * checked arithmetic so a bad input can never wrap around into a plausible
 * price.  Money never passes through floating point.  This file must stay
 * pure: no store, no HTTP, no heap; the caller owns every buffer.
 */
#include "rules/quote.h"

#include <assert.h>
#include <stdio.h>

/*
 * Within the limits the largest quote is 100 * 10^4 * 10^12 = 10^18 minor
 * units, below INT64_MAX (~9.2 * 10^18), so the overflow checks below cannot
 * fire today.  They stay so that raising a limit cannot silently wrap; this
 * assertion says when they would start to matter.
 */
_Static_assert((INT64_MAX / QUOTE_MAX_LINES) / QUOTE_MAX_QUANTITY >=
                   QUOTE_MAX_UNIT_PRICE_MINOR,
               "quote limits allow a total past INT64_MAX");

const char *const quote_kind_names[] = {"part", "labour", "callout", 0};

static int check_line(const struct quote_line *l, size_t i, int *callouts,
                      struct err *err)
{
    char field[96];

    if (l->kind != QUOTE_PART && l->kind != QUOTE_LABOUR &&
        l->kind != QUOTE_CALLOUT) {
        snprintf(field, sizeof field, "lines[%zu].kind", i);
        return err_set(err, ERR_INVALID, "out_of_range", field,
                       "%s must be part, labour or callout", field);
    }
    if (!l->description || !l->description[0]) {
        snprintf(field, sizeof field, "lines[%zu].description", i);
        return err_set(err, ERR_INVALID, "missing_field", field,
                       "missing required field '%s'", field);
    }
    if (l->quantity < 1 || l->quantity > QUOTE_MAX_QUANTITY) {
        snprintf(field, sizeof field, "lines[%zu].quantity", i);
        return err_set(err, ERR_INVALID, "out_of_range", field,
                       "%s must be from 1 to %d", field, QUOTE_MAX_QUANTITY);
    }
    if (l->unit_price_minor < 0 ||
        l->unit_price_minor > QUOTE_MAX_UNIT_PRICE_MINOR) {
        snprintf(field, sizeof field, "lines[%zu].unit_price_minor", i);
        return err_set(err, ERR_INVALID, "out_of_range", field,
                       "%s must be from 0 to %lld", field,
                       (long long)QUOTE_MAX_UNIT_PRICE_MINOR);
    }
    if (l->kind == QUOTE_CALLOUT && ++*callouts > 1) {
        snprintf(field, sizeof field, "lines[%zu].kind", i);
        return err_set(err, ERR_INVALID, "duplicate_callout", field,
                       "%s: a quote has at most one call-out fee", field);
    }
    return 0;
}

/* Add quantity * unit price of l to its kind's subtotal in t and to the
 * total; ERR_INVALID when any of it overflows. */
static int add_line(const struct quote_line *l, size_t i,
                    struct quote_totals *t, struct err *err)
{
    int64_t amount;
    int64_t *sub = l->kind == QUOTE_PART     ? &t->parts_minor
                   : l->kind == QUOTE_LABOUR ? &t->labour_minor
                                             : &t->callout_minor;
    char field[96];

    if (__builtin_mul_overflow(l->quantity, l->unit_price_minor, &amount) ||
        __builtin_add_overflow(*sub, amount, sub) ||
        __builtin_add_overflow(t->total_minor, amount, &t->total_minor)) {
        snprintf(field, sizeof field, "lines[%zu]", i);
        return err_set(err, ERR_INVALID, "out_of_range", field,
                       "%s makes the quote total too large", field);
    }
    return 0;
}

int quote_total(const struct quote_line *lines, size_t n,
                struct quote_totals *out, struct err *err)
{
    struct quote_totals t = {0, 0, 0, 0};
    int callouts = 0;
    int rc;

    assert(out && (lines || n == 0));
    if (n == 0)
        return err_set(err, ERR_INVALID, "missing_field", "lines",
                       "a quote needs at least one line");
    if (n > QUOTE_MAX_LINES)
        return err_set(err, ERR_INVALID, "too_many_items", "lines",
                       "lines has more than %d items", QUOTE_MAX_LINES);
    for (size_t i = 0; i < n; i++) {
        rc = check_line(&lines[i], i, &callouts, err);
        if (!rc)
            rc = add_line(&lines[i], i, &t, err);
        if (rc)
            return rc; /* out untouched: t is only copied on success */
    }
    *out = t;
    return 0;
}

int quote_expired(int64_t issued_at, int64_t now)
{
    int64_t expires_at;

    /* an expiry instant beyond int64_t is one no clock will reach */
    if (__builtin_add_overflow(issued_at, (int64_t)QUOTE_TTL_SECONDS,
                               &expires_at))
        return 0;
    return now >= expires_at;
}
