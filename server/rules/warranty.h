/*
 * warranty.h - the warranty decision a technician records on site
 * (docs/DOMAIN.md "Warranty decision": procedure 000 §5.2.1, §5.2.4;
 * procedure 002 §7.1.6).
 *
 * A unit is in warranty when the visit falls within its warranty period and
 * it shows no customer-caused damage (liquid ingress, impact or deformation,
 * unauthorised repair or a broken seal).  A performance fault found within
 * 60 days of purchase earns a replacement unit instead of a repair.  This is
 * a pure rule over plain values: no SQL, no HTTP, no allocation, no clock
 * (the visit date is an input).  The caller owns every buffer.
 */
#ifndef FSD_WARRANTY_H
#define FSD_WARRANTY_H

#include "common/err.h"

#define WARRANTY_MONTHS_MAX 240      /* longest accepted warranty */
#define WARRANTY_MONTHS_DEFAULT 12   /* procedure 002 §7.1.6: a year */
#define WARRANTY_REPLACEMENT_DAYS 60 /* procedure 000 §5.2.4 */

enum warranty_outcome {
    WARRANTY_IN,          /* repair under warranty, no charge */
    WARRANTY_REPLACEMENT, /* early performance fault: swap the unit */
    WARRANTY_OUT,         /* chargeable: the technician issues one quote */
};

enum warranty_damage {
    DAMAGE_LIQUID = 1,   /* liquid ingress */
    DAMAGE_IMPACT = 2,   /* physical deformation or impact */
    DAMAGE_TAMPERED = 4, /* unauthorised repair or broken seal */
};
#define WARRANTY_DAMAGE_ALL (DAMAGE_LIQUID | DAMAGE_IMPACT | DAMAGE_TAMPERED)

struct warranty_input {
    const char *purchase_date;   /* "YYYY-MM-DD", or NULL when unknown */
    int warranty_months;         /* 0..WARRANTY_MONTHS_MAX; 12 by default */
    const char *visit_date;      /* "YYYY-MM-DD", required */
    unsigned damage;             /* enum warranty_damage bits found on site */
    int performance_fault;       /* nonzero: fails at its job, not cosmetic */
    const char *override_reason; /* dispatcher's reason to cover a unit with
                                    no purchase date, or NULL */
};

struct warranty_decision {
    enum warranty_outcome outcome;
    const char *reason_code; /* static, stable: see warranty_decide */
    char reason[160];        /* human-readable, for the job record */
    char period_end[11];     /* last covered day "YYYY-MM-DD", or "" */
};

/*
 * Decide the warranty outcome of in into out.
 *
 * The period.  Coverage runs from the purchase date P up to and including
 * the day before the anniversary A, where A is P's day of the month,
 * warranty_months calendar months later.  When that month is too short for
 * P's day, A is the month's last day (as java.time plusMonths and
 * dateutil's relativedelta do), so the period ends the day before that:
 *   2025-03-15 + 12 months: A = 2026-03-15, last covered day 2026-03-14
 *   2025-01-31 +  1 month:  A = 2025-02-28, last covered day 2025-02-27
 *   2024-02-29 + 12 months: A = 2025-02-28, last covered day 2025-02-27
 * so units bought on 2025-01-28, -29, -30 and -31 with 1 month all share
 * the last covered day 2025-02-27.  period_end holds the last
 * covered day whenever the purchase date is known and warranty_months > 0
 * (a period ending after 9999-12-31 is reported as 9999-12-31, which no
 * valid visit date exceeds); otherwise it is "".
 *
 * The replacement window.  With day n = visit_date - purchase_date in days
 * (the purchase day itself is day 0), a performance fault on day 0..60
 * inclusive qualifies; day 61 does not.  Replacement is a warranty remedy:
 * it also requires the visit to be within the period, so a 1-month warranty
 * yields "expired" on day 45 even for a performance fault.
 *
 * The first rule that applies decides (reason_code in quotes):
 *   1. any damage bit      OUT "liquid_damage", "impact_damage" or
 *                          "tampered", naming the first set in that order;
 *                          reason lists every damage found.  Damage beats
 *                          every other rule, including the override.
 *   2. warranty_months 0   OUT "no_warranty": the unit was sold without
 *                          warranty, so neither repair nor replacement is
 *                          covered, whatever the override says.
 *   3. no purchase date    IN "dispatcher_override" (reason quotes the
 *                          override, truncated to fit) when override_reason
 *                          has a non-blank character; else OUT
 *                          "purchase_date_unknown".  Without a date the
 *                          60-day window cannot be checked: no replacement.
 *   4. visit after the period              OUT "expired"
 *   5. performance fault on day 0..60      REPLACEMENT "early_failure"
 *   6. otherwise                           IN "within_period"
 * override_reason is ignored when the purchase date is known.
 *
 * Returns 0, or ERR_INVALID with err filled (code, field) and out untouched:
 *   "invalid_date"          "visit_date"      NULL or not a real YYYY-MM-DD
 *   "invalid_date"          "purchase_date"   non-NULL, not a real date
 *                                             ("" is invalid, not unknown)
 *   "out_of_range"          "warranty_months" outside 0..240
 *   "out_of_range"          "damage"          a bit outside
 *                                             WARRANTY_DAMAGE_ALL
 *   "visit_before_purchase" "visit_date"      visit earlier than purchase
 * Inputs are checked in that order.  in and out must not be NULL; err may.
 */
int warranty_decide(const struct warranty_input *in,
                    struct warranty_decision *out, struct err *err)
    __attribute__((warn_unused_result));

/* "in_warranty", "replacement", "out_of_warranty"; "unknown" otherwise. */
const char *warranty_outcome_name(enum warranty_outcome o);

#endif
