/*
 * test_entitlement.c - the maintenance-visit entitlement rule.
 *
 * Every threshold is tested on both sides (4/5 bought, 9/10 and 19/20
 * held), as is the precedence of the holding rules over the bulk purchase,
 * visits_left never going negative, and each negative count being rejected
 * with its field name while the output is left untouched.
 */
#include "common/err.h"
#include "rules/entitlement.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* Compute for (bought, held, used), asserting success. */
static struct entitlement ent(int bought, int held, int used)
{
    struct entitlement_input in = {bought, held, used};
    struct entitlement out = {-1, -1, NULL};
    struct err err = ERR_INIT;

    ck_assert_int_eq(entitlement_compute(&in, &out, &err), 0);
    ck_assert_int_eq(err.rc, 0);
    ck_assert_ptr_nonnull(out.basis);
    return out;
}

#define ck_ent(e, per_year, left, basis_)                                      \
    do {                                                                       \
        struct entitlement e_ = (e);                                           \
        ck_assert_int_eq(e_.visits_per_year, (per_year));                      \
        ck_assert_int_eq(e_.visits_left, (left));                              \
        ck_assert_str_eq(e_.basis, (basis_));                                  \
    } while (0)

START_TEST(nothing_qualifies)
{
    ck_ent(ent(0, 0, 0), 0, 0, "none");
    ck_ent(ent(1, 1, 0), 0, 0, "none");
    ck_ent(ent(4, 9, 0), 0, 0, "none");
}
END_TEST

START_TEST(bulk_purchase_boundary)
{
    ck_ent(ent(4, 4, 0), 0, 0, "none");
    ck_ent(ent(5, 5, 0), 1, 1, "bulk_purchase");
    /* units sold on since: the purchase still counts */
    ck_ent(ent(5, 0, 0), 1, 1, "bulk_purchase");
    /* a huge single purchase is still one visit unless 20+ are held */
    ck_ent(ent(50, 9, 0), 1, 1, "bulk_purchase");
}
END_TEST

START_TEST(units_held_10_boundary)
{
    ck_ent(ent(0, 9, 0), 0, 0, "none");
    ck_ent(ent(0, 10, 0), 1, 1, "units_held_10");
    ck_ent(ent(1, 10, 0), 1, 1, "units_held_10");
}
END_TEST

START_TEST(units_held_20_boundary)
{
    ck_ent(ent(0, 19, 0), 1, 1, "units_held_10");
    ck_ent(ent(0, 20, 0), 2, 2, "units_held_20");
    ck_ent(ent(0, 2000000000, 0), 2, 2, "units_held_20");
}
END_TEST

START_TEST(holding_beats_bulk_purchase)
{
    ck_ent(ent(5, 10, 0), 1, 1, "units_held_10");
    ck_ent(ent(5, 19, 0), 1, 1, "units_held_10");
    ck_ent(ent(20, 20, 0), 2, 2, "units_held_20");
    ck_ent(ent(19, 9, 0), 1, 1, "bulk_purchase");
}
END_TEST

START_TEST(visits_left)
{
    ck_ent(ent(0, 20, 1), 2, 1, "units_held_20");
    ck_ent(ent(0, 20, 2), 2, 0, "units_held_20");
    ck_ent(ent(5, 0, 1), 1, 0, "bulk_purchase");
    /* more used than allowed: none left, never negative */
    ck_ent(ent(0, 20, 3), 2, 0, "units_held_20");
    ck_ent(ent(0, 10, 2), 1, 0, "units_held_10");
    ck_ent(ent(0, 0, 1), 0, 0, "none");
    ck_ent(ent(0, 20, 2147483647), 2, 0, "units_held_20");
}
END_TEST

/* Expect (bought, held, used) to be rejected for field; out untouched. */
static void rejected(int bought, int held, int used, const char *field)
{
    struct entitlement_input in = {bought, held, used};
    struct entitlement out = {7, 7, "sentinel"};
    struct err err = ERR_INIT;
    char msg[128];

    ck_assert_int_eq(entitlement_compute(&in, &out, &err), ERR_INVALID);
    ck_assert_int_eq(err.rc, ERR_INVALID);
    ck_assert_str_eq(err.code, "out_of_range");
    ck_assert_str_eq(err.field, field);
    snprintf(msg, sizeof msg, "%s must not be negative", field);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_int_eq(out.visits_per_year, 7);
    ck_assert_int_eq(out.visits_left, 7);
    ck_assert_str_eq(out.basis, "sentinel");
}

START_TEST(negative_counts_rejected)
{
    rejected(-1, 0, 0, "largest_single_purchase");
    rejected(0, -1, 0, "units_held");
    rejected(0, 0, -1, "visits_used_this_year");
    rejected(-2147483647 - 1, 20, 0, "largest_single_purchase");
    /* the first negative field in declaration order is reported */
    rejected(-1, -1, -1, "largest_single_purchase");
    rejected(5, -1, -1, "units_held");
}
END_TEST

START_TEST(null_err_is_allowed)
{
    struct entitlement_input in = {0, -1, 0};
    struct entitlement out;

    ck_assert_int_eq(entitlement_compute(&in, &out, NULL), ERR_INVALID);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("entitlement");
    TCase *tc = tcase_create("compute");

    tcase_add_test(tc, nothing_qualifies);
    tcase_add_test(tc, bulk_purchase_boundary);
    tcase_add_test(tc, units_held_10_boundary);
    tcase_add_test(tc, units_held_20_boundary);
    tcase_add_test(tc, holding_beats_bulk_purchase);
    tcase_add_test(tc, visits_left);
    tcase_add_test(tc, negative_counts_rejected);
    tcase_add_test(tc, null_err_is_allowed);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
