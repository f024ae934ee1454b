/*
 * entitlement.h - the maintenance-visit entitlement rule (docs/DOMAIN.md,
 * procedure 002 §7.1.4).
 *
 * A customer holding 20 or more units gets two maintenance visits a year; one
 * holding 10 or more, or who bought 5 or more units in a single purchase,
 * gets one; everyone else none.  This is a pure rule over plain integers: no
 * SQL, no HTTP, no allocation.  The caller gathers the counts from the store
 * and owns both structs.
 */
#ifndef FSD_ENTITLEMENT_H
#define FSD_ENTITLEMENT_H

#include "common/err.h"

#define ENTITLEMENT_BULK_PURCHASE 5 /* units in one purchase for 1 visit */
#define ENTITLEMENT_HELD_ONE 10     /* units held for 1 visit a year */
#define ENTITLEMENT_HELD_TWO 20     /* units held for 2 visits a year */

struct entitlement_input {
    int largest_single_purchase; /* most units bought in one purchase, >= 0 */
    int units_held;              /* units the customer holds now, >= 0 */
    int visits_used_this_year;   /* maintenance visits already made, >= 0 */
};

struct entitlement {
    int visits_per_year; /* 0, 1 or 2 */
    int visits_left;     /* max(0, visits_per_year - visits_used_this_year) */
    const char *basis;   /* static: "none", "bulk_purchase", "units_held_10",
                            "units_held_20" */
};

/*
 * Compute the entitlement for in into out.  The holding rules take
 * precedence over the bulk-purchase rule, so a customer with 10+ units held
 * and a 5+ purchase has basis "units_held_10".  Using more visits than
 * allowed is not an error: visits_left is then 0.
 *
 * Returns 0, or ERR_INVALID with code "out_of_range" and the field name
 * ("units_held", ...) when a count is negative; out is untouched then.
 * in and out must not be NULL; err may be.
 */
int entitlement_compute(const struct entitlement_input *in,
                        struct entitlement *out, struct err *err)
    __attribute__((warn_unused_result));

#endif
