/*
 * test_warranty.c - the warranty decision rule (server/rules/warranty.c).
 *
 * Covers the period arithmetic (last covered day in, the day after out,
 * leap years, month-end clamping, year boundaries), the 60-day replacement
 * window on both sides, damage alone and combined and its precedence, a
 * missing purchase date with and without a dispatcher override, a 0-month
 * warranty, and every invalid input with its exact code and field.
 */
#include "common/err.h"
#include "rules/warranty.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct warranty_decision dec;
static struct err err;

/* Run one decision into dec / err; returns warranty_decide's result. */
static int decide(const char *purchase, int months, const char *visit,
                  unsigned damage, int fault, const char *override)
{
    struct warranty_input in = {purchase, months, visit,
                                damage,   fault,  override};

    err_clear(&err);
    memset(&dec, 0x5a, sizeof dec); /* so stale fields would show */
    return warranty_decide(&in, &dec, &err);
}

/* A successful decision with exactly this outcome, code and period end. */
#define ck_decision(rc_, o_, code_, end_)                                      \
    do {                                                                       \
        ck_assert_int_eq((rc_), 0);                                            \
        ck_assert_str_eq(warranty_outcome_name(dec.outcome),                   \
                         warranty_outcome_name(o_));                           \
        ck_assert_int_eq(dec.outcome, (o_));                                   \
        ck_assert_str_eq(dec.reason_code, (code_));                            \
        ck_assert_str_eq(dec.period_end, (end_));                              \
    } while (0)

/* A rejected input with exactly this code and field, dec left untouched. */
#define ck_invalid(rc_, code_, field_)                                         \
    do {                                                                       \
        unsigned char raw_[sizeof dec];                                        \
        memset(raw_, 0x5a, sizeof raw_);                                       \
        ck_assert_int_eq((rc_), ERR_INVALID);                                  \
        ck_assert_int_eq(err.rc, ERR_INVALID);                                 \
        ck_assert_str_eq(err.code, (code_));                                   \
        ck_assert_str_eq(err.field, (field_));                                 \
        ck_assert(memcmp(&dec, raw_, sizeof dec) == 0);                        \
    } while (0)

START_TEST(within_period)
{
    ck_decision(decide("2025-03-15", 12, "2025-06-01", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2026-03-14");
    ck_assert_str_eq(dec.reason, "in warranty until 2026-03-14");
    /* the purchase day itself, without a performance fault */
    ck_decision(decide("2025-03-15", 12, "2025-03-15", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2026-03-14");
    /* an override is only for a missing date and changes nothing here */
    ck_decision(decide("2025-03-15", 12, "2025-06-01", 0, 0, "VIP"),
                WARRANTY_IN, "within_period", "2026-03-14");
}
END_TEST

START_TEST(last_day_in_day_after_out)
{
    ck_decision(decide("2025-03-15", 12, "2026-03-14", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2026-03-14");
    ck_decision(decide("2025-03-15", 12, "2026-03-15", 0, 0, NULL),
                WARRANTY_OUT, "expired", "2026-03-14");
    ck_assert_str_eq(dec.reason, "warranty ended on 2026-03-14");
    ck_decision(decide("2025-03-15", 12, "2030-01-01", 0, 0, NULL),
                WARRANTY_OUT, "expired", "2026-03-14");
    /* the override does not revive an expired warranty */
    ck_decision(decide("2025-03-15", 12, "2026-03-15", 0, 0, "goodwill"),
                WARRANTY_OUT, "expired", "2026-03-14");
}
END_TEST

START_TEST(leap_years)
{
    /* 2025-02-29 does not exist: the anniversary is 2025-02-28 */
    ck_decision(decide("2024-02-29", 12, "2025-02-27", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2025-02-27");
    ck_decision(decide("2024-02-29", 12, "2025-02-28", 0, 0, NULL),
                WARRANTY_OUT, "expired", "2025-02-27");
    /* four years on, the anniversary exists again */
    ck_decision(decide("2024-02-29", 48, "2028-02-28", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2028-02-28");
    ck_decision(decide("2024-02-29", 48, "2028-02-29", 0, 0, NULL),
                WARRANTY_OUT, "expired", "2028-02-28");
    /* a period ending on a leap day */
    ck_decision(decide("2023-03-01", 12, "2024-02-29", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2024-02-29");
    ck_decision(decide("2023-03-01", 12, "2024-03-01", 0, 0, NULL),
                WARRANTY_OUT, "expired", "2024-02-29");
    ck_decision(decide("2024-02-28", 12, "2025-02-27", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2025-02-27");
}
END_TEST

START_TEST(period_end_clamping_and_boundaries)
{
    static const struct {
        const char *purchase;
        int months;
        const char *end;
    } cases[] = {
        {"2025-01-31", 1, "2025-02-27"}, /* anniversary clamped to 02-28 */
        {"2025-01-30", 1, "2025-02-27"},
        {"2025-01-29", 1, "2025-02-27"},
        {"2025-01-28", 1, "2025-02-27"}, /* no clamping needed */
        {"2024-01-31", 1, "2024-02-28"}, /* leap: clamped to 02-29 */
        {"2025-03-31", 1, "2025-04-29"}, /* 30-day month */
        {"2025-08-31", 6, "2026-02-27"}, /* across a year, clamped */
        {"2025-12-31", 2, "2026-02-27"},
        {"2025-03-01", 1, "2025-03-31"}, /* anniversary on the 1st */
        {"2024-12-01", 2, "2025-01-31"},
        {"2025-01-01", 12, "2025-12-31"}, /* ends on New Year's Eve */
        {"2025-12-15", 1, "2026-01-14"},
        {"2025-01-15", 240, "2045-01-14"}, /* the longest warranty */
        {"9998-12-31", 12, "9999-12-30"},
        {"9999-12-31", 1, "9999-12-31"}, /* past year 9999: capped */
        {"9999-06-15", 240, "9999-12-31"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(decide(cases[i].purchase, cases[i].months,
                                cases[i].purchase, 0, 0, NULL),
                         0);
        ck_assert_msg(strcmp(dec.period_end, cases[i].end) == 0,
                      "%s + %d: got %s, want %s", cases[i].purchase,
                      cases[i].months, dec.period_end, cases[i].end);
        ck_assert_str_eq(dec.reason_code, "within_period");
    }
    /* the clamped end is really the last covered day */
    ck_decision(decide("2025-01-31", 1, "2025-02-27", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2025-02-27");
    ck_decision(decide("2025-01-31", 1, "2025-02-28", 0, 0, NULL), WARRANTY_OUT,
                "expired", "2025-02-27");
    ck_decision(decide("9999-06-15", 240, "9999-12-31", 0, 0, NULL),
                WARRANTY_IN, "within_period", "9999-12-31");
}
END_TEST

START_TEST(replacement_window)
{
    /* 2025-01-01 + 60 days = 2025-03-02 */
    ck_decision(decide("2025-01-01", 12, "2025-03-02", 0, 1, NULL),
                WARRANTY_REPLACEMENT, "early_failure", "2025-12-31");
    ck_assert_str_eq(dec.reason,
                     "performance fault on day 60 after purchase, within 60");
    ck_decision(decide("2025-01-01", 12, "2025-03-03", 0, 1, NULL), WARRANTY_IN,
                "within_period", "2025-12-31");
    /* day 0 */
    ck_decision(decide("2025-01-01", 12, "2025-01-01", 0, 1, NULL),
                WARRANTY_REPLACEMENT, "early_failure", "2025-12-31");
    /* a leap February inside the window: 2024-01-01 + 60 = 2024-03-01 */
    ck_decision(decide("2024-01-01", 12, "2024-03-01", 0, 1, NULL),
                WARRANTY_REPLACEMENT, "early_failure", "2024-12-31");
    ck_decision(decide("2024-01-01", 12, "2024-03-02", 0, 1, NULL), WARRANTY_IN,
                "within_period", "2024-12-31");
    /* no performance fault (cosmetic): repair, not replacement */
    ck_decision(decide("2025-01-01", 12, "2025-01-10", 0, 0, NULL), WARRANTY_IN,
                "within_period", "2025-12-31");
    /* any nonzero flag counts */
    ck_decision(decide("2025-01-01", 12, "2025-01-10", 0, 7, NULL),
                WARRANTY_REPLACEMENT, "early_failure", "2025-12-31");
}
END_TEST

START_TEST(replacement_needs_the_period)
{
    /* 1 month ends 2025-01-31; day 45 is within 60 days but expired */
    ck_decision(decide("2025-01-01", 1, "2025-02-15", 0, 1, NULL), WARRANTY_OUT,
                "expired", "2025-01-31");
    ck_decision(decide("2025-01-01", 1, "2025-01-31", 0, 1, NULL),
                WARRANTY_REPLACEMENT, "early_failure", "2025-01-31");
}
END_TEST

START_TEST(damage_alone)
{
    ck_decision(decide("2025-01-01", 12, "2025-06-01", DAMAGE_LIQUID, 0, NULL),
                WARRANTY_OUT, "liquid_damage", "2025-12-31");
    ck_assert_str_eq(dec.reason, "customer-caused damage: liquid ingress");
    ck_decision(decide("2025-01-01", 12, "2025-06-01", DAMAGE_IMPACT, 0, NULL),
                WARRANTY_OUT, "impact_damage", "2025-12-31");
    ck_assert_str_eq(dec.reason,
                     "customer-caused damage: impact or deformation");
    ck_decision(
        decide("2025-01-01", 12, "2025-06-01", DAMAGE_TAMPERED, 0, NULL),
        WARRANTY_OUT, "tampered", "2025-12-31");
    ck_assert_str_eq(dec.reason, "customer-caused damage: unauthorised "
                                 "repair or broken seal");
}
END_TEST

START_TEST(damage_combined_and_precedence)
{
    ck_decision(
        decide("2025-01-01", 12, "2025-06-01", WARRANTY_DAMAGE_ALL, 0, NULL),
        WARRANTY_OUT, "liquid_damage", "2025-12-31");
    ck_assert_str_eq(dec.reason,
                     "customer-caused damage: liquid ingress, impact or "
                     "deformation, unauthorised repair or broken seal");
    ck_decision(decide("2025-01-01", 12, "2025-06-01",
                       DAMAGE_IMPACT | DAMAGE_TAMPERED, 0, NULL),
                WARRANTY_OUT, "impact_damage", "2025-12-31");
    ck_assert_str_eq(dec.reason,
                     "customer-caused damage: impact or deformation, "
                     "unauthorised repair or broken seal");
    /* damage beats early failure */
    ck_decision(decide("2025-01-01", 12, "2025-01-05", DAMAGE_LIQUID, 1, NULL),
                WARRANTY_OUT, "liquid_damage", "2025-12-31");
    /* damage is named even when the period has expired */
    ck_decision(
        decide("2025-01-01", 12, "2026-06-01", DAMAGE_TAMPERED, 0, NULL),
        WARRANTY_OUT, "tampered", "2025-12-31");
    /* and beats the override and a missing date */
    ck_decision(decide(NULL, 12, "2025-06-01", DAMAGE_IMPACT, 0, "receipt"),
                WARRANTY_OUT, "impact_damage", "");
    /* and a 0-month warranty */
    ck_decision(decide("2025-01-01", 0, "2025-01-05", DAMAGE_LIQUID, 1, NULL),
                WARRANTY_OUT, "liquid_damage", "");
}
END_TEST

START_TEST(missing_purchase_date)
{
    ck_decision(decide(NULL, 12, "2025-06-01", 0, 0, NULL), WARRANTY_OUT,
                "purchase_date_unknown", "");
    ck_assert_str_eq(dec.reason, "purchase date unknown");
    ck_decision(decide(NULL, 12, "2025-06-01", 0, 0, ""), WARRANTY_OUT,
                "purchase_date_unknown", "");
    ck_decision(decide(NULL, 12, "2025-06-01", 0, 0, " \t\n"), WARRANTY_OUT,
                "purchase_date_unknown", "");
    /* without a date the 60-day window cannot apply */
    ck_decision(decide(NULL, 12, "2025-06-01", 0, 1, NULL), WARRANTY_OUT,
                "purchase_date_unknown", "");
}
END_TEST

START_TEST(dispatcher_override)
{
    char longer[400];

    ck_decision(decide(NULL, 12, "2025-06-01", 0, 0, "receipt photo seen"),
                WARRANTY_IN, "dispatcher_override", "");
    ck_assert_str_eq(dec.reason, "purchase date unknown; dispatcher "
                                 "override: receipt photo seen");
    /* repair under the override, never a replacement */
    ck_decision(decide(NULL, 12, "2025-06-01", 0, 1, "receipt photo seen"),
                WARRANTY_IN, "dispatcher_override", "");
    /* a long reason is truncated to the buffer */
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    ck_decision(decide(NULL, 12, "2025-06-01", 0, 0, longer), WARRANTY_IN,
                "dispatcher_override", "");
    ck_assert_uint_eq(strlen(dec.reason), sizeof dec.reason - 1);
    ck_assert(strncmp(dec.reason,
                      "purchase date unknown; dispatcher "
                      "override: xxx",
                      47) == 0);
}
END_TEST

START_TEST(zero_months_is_no_warranty)
{
    ck_decision(decide("2025-01-01", 0, "2025-01-01", 0, 0, NULL), WARRANTY_OUT,
                "no_warranty", "");
    ck_assert_str_eq(dec.reason, "sold without warranty (0 months)");
    /* no replacement either, even on day 1 */
    ck_decision(decide("2025-01-01", 0, "2025-01-02", 0, 1, NULL), WARRANTY_OUT,
                "no_warranty", "");
    /* and the override cannot grant what was never sold */
    ck_decision(decide(NULL, 0, "2025-01-02", 0, 0, "receipt"), WARRANTY_OUT,
                "no_warranty", "");
}
END_TEST

START_TEST(invalid_dates)
{
    static const char *const bad[] = {
        "",
        "2025-02-29",
        "2025-13-01",
        "2025-1-01",
        "2025-01-01x",
        "2025-01-01T00:00:00Z",
        " 2025-01-01",
        "1899-12-31",
    };

    ck_invalid(decide("2025-01-01", 12, NULL, 0, 0, NULL), "invalid_date",
               "visit_date");
    ck_assert_str_eq(err.msg, "visit_date must be a date YYYY-MM-DD");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_invalid(decide("2025-01-01", 12, bad[i], 0, 0, NULL), "invalid_date",
                   "visit_date");
        ck_invalid(decide(bad[i], 12, "2025-01-01", 0, 0, NULL), "invalid_date",
                   "purchase_date");
    }
    /* the visit date is checked first */
    ck_invalid(decide("nope", -1, "nope", 8, 0, NULL), "invalid_date",
               "visit_date");
}
END_TEST

START_TEST(invalid_ranges)
{
    ck_invalid(decide("2025-01-01", -1, "2025-01-02", 0, 0, NULL),
               "out_of_range", "warranty_months");
    ck_assert_str_eq(err.msg, "warranty_months must be 0..240");
    ck_invalid(decide("2025-01-01", 241, "2025-01-02", 0, 0, NULL),
               "out_of_range", "warranty_months");
    ck_invalid(decide(NULL, 241, "2025-01-02", 0, 0, "x"), "out_of_range",
               "warranty_months");
    ck_invalid(decide("2025-01-01", 12, "2025-01-02", 8, 0, NULL),
               "out_of_range", "damage");
    ck_invalid(
        decide("2025-01-01", 12, "2025-01-02", DAMAGE_LIQUID | 0x100, 0, NULL),
        "out_of_range", "damage");
    ck_assert_str_eq(err.msg, "damage has unknown bits 0x100");
}
END_TEST

START_TEST(visit_before_purchase)
{
    ck_invalid(decide("2025-01-02", 12, "2025-01-01", 0, 0, NULL),
               "visit_before_purchase", "visit_date");
    ck_assert_str_eq(err.msg, "visit_date is before purchase_date");
    /* even with damage: the record itself is wrong */
    ck_invalid(decide("2025-01-02", 12, "2024-12-31", DAMAGE_LIQUID, 0, NULL),
               "visit_before_purchase", "visit_date");
    /* err may be NULL */
    {
        struct warranty_input in = {"2025-01-02", 12, "2025-01-01", 0, 0, NULL};
        ck_assert_int_eq(warranty_decide(&in, &dec, NULL), ERR_INVALID);
    }
}
END_TEST

START_TEST(outcome_names)
{
    ck_assert_str_eq(warranty_outcome_name(WARRANTY_IN), "in_warranty");
    ck_assert_str_eq(warranty_outcome_name(WARRANTY_REPLACEMENT),
                     "replacement");
    ck_assert_str_eq(warranty_outcome_name(WARRANTY_OUT), "out_of_warranty");
    ck_assert_str_eq(warranty_outcome_name((enum warranty_outcome)42),
                     "unknown");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("warranty");
    TCase *tc = tcase_create("decide");

    tcase_add_test(tc, within_period);
    tcase_add_test(tc, last_day_in_day_after_out);
    tcase_add_test(tc, leap_years);
    tcase_add_test(tc, period_end_clamping_and_boundaries);
    tcase_add_test(tc, replacement_window);
    tcase_add_test(tc, replacement_needs_the_period);
    tcase_add_test(tc, damage_alone);
    tcase_add_test(tc, damage_combined_and_precedence);
    tcase_add_test(tc, missing_purchase_date);
    tcase_add_test(tc, dispatcher_override);
    tcase_add_test(tc, zero_months_is_no_warranty);
    tcase_add_test(tc, invalid_dates);
    tcase_add_test(tc, invalid_ranges);
    tcase_add_test(tc, visit_before_purchase);
    tcase_add_test(tc, outcome_names);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
