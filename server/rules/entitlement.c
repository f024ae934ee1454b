/*
 * entitlement.c - maintenance visits a customer is entitled to per year.
 *
 * The rule is a table scanned top-down, first match wins, so the thresholds
 * of procedure 002 §7.1.4 (docs/DOMAIN.md) read as data.  This file must
 * stay pure: it validates and computes over the caller's structs and never
 * touches the store, HTTP or the heap.
 */
#include "rules/entitlement.h"

#include <assert.h>
#include <limits.h>
#include <stddef.h>

#define NEVER INT_MAX /* a threshold no count reaches: "rule ignores this" */

static const struct entitlement_rule {
    int min_held;   /* applies when units_held >= min_held, or */
    int min_bought; /* largest_single_purchase >= min_bought */
    int visits;     /* visits per year granted */
    const char *basis;
} rules[] = {
    {ENTITLEMENT_HELD_TWO, NEVER, 2, "units_held_20"},
    {ENTITLEMENT_HELD_ONE, NEVER, 1, "units_held_10"},
    {NEVER, ENTITLEMENT_BULK_PURCHASE, 1, "bulk_purchase"},
};

static int check_counts(const struct entitlement_input *in, struct err *err)
{
    const struct {
        const char *name;
        int value;
    } fields[] = {
        {"largest_single_purchase", in->largest_single_purchase},
        {"units_held", in->units_held},
        {"visits_used_this_year", in->visits_used_this_year},
    };

    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].value < 0)
            return err_set(err, ERR_INVALID, "out_of_range", fields[i].name,
                           "%s must not be negative", fields[i].name);
    return 0;
}

int entitlement_compute(const struct entitlement_input *in,
                        struct entitlement *out, struct err *err)
{
    int visits = 0;
    const char *basis = "none";
    int rc;

    assert(in && out);
    rc = check_counts(in, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (in->units_held >= rules[i].min_held ||
            in->largest_single_purchase >= rules[i].min_bought) {
            visits = rules[i].visits;
            basis = rules[i].basis;
            break;
        }
    }
    out->visits_per_year = visits;
    /* used is >= 0 and visits <= 2, so the difference cannot overflow */
    out->visits_left = in->visits_used_this_year >= visits
                           ? 0
                           : visits - in->visits_used_this_year;
    out->basis = basis;
    return 0;
}
