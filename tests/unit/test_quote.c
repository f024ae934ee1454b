/*
 * test_quote.c - quote totals in integer minor units and the 24-hour expiry.
 *
 * Totals are asserted exactly, including the largest quote the limits
 * allow; every validation error is asserted with its code, field and
 * message, on a line other than the first so the index is checked too, and
 * the output must be untouched after a failure.  Expiry is checked on both
 * sides of the 24-hour boundary and at the edges of int64_t.
 */
#include "common/err.h"
#include "rules/quote.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct quote_totals untouched = {-1, -2, -3, -4};

static void ck_untouched(const struct quote_totals *t)
{
    ck_assert_int_eq(t->parts_minor, -1);
    ck_assert_int_eq(t->labour_minor, -2);
    ck_assert_int_eq(t->callout_minor, -3);
    ck_assert_int_eq(t->total_minor, -4);
}

START_TEST(totals_exact)
{
    const struct quote_line lines[] = {
        {QUOTE_PART, "screen assembly", 1, 45999},
        {QUOTE_LABOUR, "replace screen, 1.5 h", 3, 2500},
        {QUOTE_PART, "adhesive strip", 2, 199},
        {QUOTE_CALLOUT, "call-out fee", 1, 3000},
        {QUOTE_PART, "goodwill screws", 4, 0},
    };
    struct quote_totals t = untouched;
    struct err err = ERR_INIT;

    ck_assert_int_eq(quote_total(lines, N(lines), &t, &err), 0);
    ck_assert_int_eq(err.rc, 0);
    ck_assert_int_eq(t.parts_minor, 45999 + 2 * 199);
    ck_assert_int_eq(t.labour_minor, 7500);
    ck_assert_int_eq(t.callout_minor, 3000);
    ck_assert_int_eq(t.total_minor, 46397 + 7500 + 3000);
}
END_TEST

START_TEST(totals_without_callout_or_parts)
{
    const struct quote_line labour[] = {{QUOTE_LABOUR, "diagnosis", 1, 0}};
    const struct quote_line callout[] = {{QUOTE_CALLOUT, "visit", 1, 5000}};
    struct quote_totals t = untouched;

    ck_assert_int_eq(quote_total(labour, 1, &t, NULL), 0);
    ck_assert_int_eq(t.parts_minor, 0);
    ck_assert_int_eq(t.labour_minor, 0);
    ck_assert_int_eq(t.callout_minor, 0);
    ck_assert_int_eq(t.total_minor, 0);
    ck_assert_int_eq(quote_total(callout, 1, &t, NULL), 0);
    ck_assert_int_eq(t.parts_minor, 0);
    ck_assert_int_eq(t.callout_minor, 5000);
    ck_assert_int_eq(t.total_minor, 5000);
}
END_TEST

/*
 * 100 lines at the largest quantity and price: 10^18 minor units, exact.
 * This is the most the limits admit and it still fits in int64_t, so the
 * overflow branch cannot be reached through valid-looking input; the largest
 * sums are checked here instead (see the _Static_assert in quote.c).
 */
START_TEST(largest_quote_is_exact)
{
    struct quote_line lines[QUOTE_MAX_LINES];
    struct quote_totals t = untouched;
    struct err err = ERR_INIT;

    for (size_t i = 0; i < N(lines); i++) {
        /* one call-out, then parts and labour alternating: 50 and 49 */
        enum quote_line_kind kind = i % 2 ? QUOTE_PART : QUOTE_LABOUR;

        lines[i] =
            (struct quote_line){i ? kind : QUOTE_CALLOUT, "max",
                                QUOTE_MAX_QUANTITY, QUOTE_MAX_UNIT_PRICE_MINOR};
    }
    ck_assert_int_eq(quote_total(lines, N(lines), &t, &err), 0);
    ck_assert_int_eq(t.callout_minor, 10000000000000000LL);
    ck_assert_int_eq(t.parts_minor, 50 * 10000000000000000LL);
    ck_assert_int_eq(t.labour_minor, 49 * 10000000000000000LL);
    ck_assert_int_eq(t.total_minor, 1000000000000000000LL);
}
END_TEST

/* Run quote_total on lines and expect ERR_INVALID with code/field/msg. */
static void rejected(const struct quote_line *lines, size_t n, const char *code,
                     const char *field, const char *msg)
{
    struct quote_totals t = untouched;
    struct err err = ERR_INIT;

    ck_assert_int_eq(quote_total(lines, n, &t, &err), ERR_INVALID);
    ck_assert_int_eq(err.rc, ERR_INVALID);
    ck_assert_str_eq(err.code, code);
    ck_assert_str_eq(err.field, field);
    ck_assert_str_eq(err.msg, msg);
    ck_untouched(&t);
}

START_TEST(line_count)
{
    struct quote_line lines[QUOTE_MAX_LINES + 1];
    struct quote_totals t = untouched;

    rejected(NULL, 0, "missing_field", "lines",
             "a quote needs at least one line");
    for (size_t i = 0; i < N(lines); i++)
        lines[i] = (struct quote_line){QUOTE_PART, "p", 1, 1};
    rejected(lines, QUOTE_MAX_LINES + 1, "too_many_items", "lines",
             "lines has more than 100 items");
    ck_assert_int_eq(quote_total(lines, QUOTE_MAX_LINES, &t, NULL), 0);
    ck_assert_int_eq(t.total_minor, 100);
}
END_TEST

START_TEST(quantity_range)
{
    struct quote_line l[] = {{QUOTE_PART, "ok", 1, 100},
                             {QUOTE_PART, "bad", 0, 100}};
    const char *msg = "lines[1].quantity must be from 1 to 10000";

    rejected(l, 2, "out_of_range", "lines[1].quantity", msg);
    l[1].quantity = -1;
    rejected(l, 2, "out_of_range", "lines[1].quantity", msg);
    l[1].quantity = QUOTE_MAX_QUANTITY + 1;
    rejected(l, 2, "out_of_range", "lines[1].quantity", msg);
    l[1].quantity = INT64_MIN;
    rejected(l, 2, "out_of_range", "lines[1].quantity", msg);
    l[1].quantity = INT64_MAX;
    rejected(l, 2, "out_of_range", "lines[1].quantity", msg);
    l[1].quantity = QUOTE_MAX_QUANTITY;
    {
        struct quote_totals t = untouched;

        ck_assert_int_eq(quote_total(l, 2, &t, NULL), 0);
        ck_assert_int_eq(t.parts_minor, 100 + 10000 * 100);
    }
}
END_TEST

START_TEST(unit_price_range)
{
    struct quote_line l[] = {{QUOTE_LABOUR, "ok", 1, 100},
                             {QUOTE_LABOUR, "bad", 1, -1}};
    const char *msg =
        "lines[1].unit_price_minor must be from 0 to 1000000000000";
    struct quote_totals t = untouched;

    rejected(l, 2, "out_of_range", "lines[1].unit_price_minor", msg);
    l[1].unit_price_minor = INT64_MIN;
    rejected(l, 2, "out_of_range", "lines[1].unit_price_minor", msg);
    l[1].unit_price_minor = QUOTE_MAX_UNIT_PRICE_MINOR + 1;
    rejected(l, 2, "out_of_range", "lines[1].unit_price_minor", msg);
    l[1].unit_price_minor = INT64_MAX;
    rejected(l, 2, "out_of_range", "lines[1].unit_price_minor", msg);
    l[1].unit_price_minor = QUOTE_MAX_UNIT_PRICE_MINOR;
    ck_assert_int_eq(quote_total(l, 2, &t, NULL), 0);
    ck_assert_int_eq(t.labour_minor, 1000000000100LL);
}
END_TEST

START_TEST(one_callout_only)
{
    const struct quote_line l[] = {{QUOTE_CALLOUT, "fee", 1, 3000},
                                   {QUOTE_PART, "p", 1, 10},
                                   {QUOTE_CALLOUT, "fee again", 1, 3000}};

    rejected(l, 3, "duplicate_callout", "lines[2].kind",
             "lines[2].kind: a quote has at most one call-out fee");
}
END_TEST

START_TEST(description_required)
{
    struct quote_line l[] = {{QUOTE_PART, "ok", 1, 1},
                             {QUOTE_PART, NULL, 1, 1}};

    rejected(l, 2, "missing_field", "lines[1].description",
             "missing required field 'lines[1].description'");
    l[1].description = "";
    rejected(l, 2, "missing_field", "lines[1].description",
             "missing required field 'lines[1].description'");
}
END_TEST

START_TEST(unknown_kind)
{
    struct quote_line l[] = {{QUOTE_PART, "ok", 1, 1},
                             {(enum quote_line_kind)3, "x", 1, 1}};

    rejected(l, 2, "out_of_range", "lines[1].kind",
             "lines[1].kind must be part, labour or callout");
    l[1].kind = (enum quote_line_kind)(-1);
    rejected(l, 2, "out_of_range", "lines[1].kind",
             "lines[1].kind must be part, labour or callout");
}
END_TEST

START_TEST(first_error_wins)
{
    /* line 0 is fine, line 1 has a bad price and line 2 a bad quantity */
    const struct quote_line l[] = {{QUOTE_PART, "ok", 1, 1},
                                   {QUOTE_PART, "p", 0, -5},
                                   {QUOTE_PART, "q", 0, 1}};

    /* within a line, quantity is checked before price */
    rejected(l, 3, "out_of_range", "lines[1].quantity",
             "lines[1].quantity must be from 1 to 10000");
}
END_TEST

START_TEST(null_err_is_allowed)
{
    struct quote_totals t = untouched;

    ck_assert_int_eq(quote_total(NULL, 0, &t, NULL), ERR_INVALID);
    ck_untouched(&t);
}
END_TEST

START_TEST(expiry_boundary)
{
    const int64_t at = 1795426200; /* 2026-11-23T09:30:00Z */

    ck_assert_int_eq(QUOTE_TTL_SECONDS, 86400);
    ck_assert_int_eq(quote_expired(at, at), 0);
    ck_assert_int_eq(quote_expired(at, at + 23 * 3600 + 59 * 60 + 59), 0);
    ck_assert_int_eq(quote_expired(at, at + 24 * 3600), 1);
    ck_assert_int_eq(quote_expired(at, at + 24 * 3600 + 1), 1);
    /* a clock behind the issue time never expires the quote */
    ck_assert_int_eq(quote_expired(at, at - 1), 0);
    ck_assert_int_eq(quote_expired(0, 86399), 0);
    ck_assert_int_eq(quote_expired(0, 86400), 1);
}
END_TEST

START_TEST(expiry_at_int64_edges)
{
    /* issued_at + 24 h would overflow: the expiry is never reached */
    ck_assert_int_eq(quote_expired(INT64_MAX, INT64_MAX), 0);
    ck_assert_int_eq(quote_expired(INT64_MAX - 86399, INT64_MAX), 0);
    ck_assert_int_eq(quote_expired(INT64_MAX - 86400, INT64_MAX), 1);
    ck_assert_int_eq(quote_expired(INT64_MIN, INT64_MIN + 86399), 0);
    ck_assert_int_eq(quote_expired(INT64_MIN, INT64_MIN + 86400), 1);
    ck_assert_int_eq(quote_expired(INT64_MIN, INT64_MAX), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("quote");
    TCase *totals = tcase_create("totals");
    TCase *expiry = tcase_create("expiry");

    tcase_add_test(totals, totals_exact);
    tcase_add_test(totals, totals_without_callout_or_parts);
    tcase_add_test(totals, largest_quote_is_exact);
    tcase_add_test(totals, line_count);
    tcase_add_test(totals, quantity_range);
    tcase_add_test(totals, unit_price_range);
    tcase_add_test(totals, one_callout_only);
    tcase_add_test(totals, description_required);
    tcase_add_test(totals, unknown_kind);
    tcase_add_test(totals, first_error_wins);
    tcase_add_test(totals, null_err_is_allowed);
    tcase_add_test(expiry, expiry_boundary);
    tcase_add_test(expiry, expiry_at_int64_edges);
    suite_add_tcase(s, totals);
    suite_add_tcase(s, expiry);
    return tu_run_suite(s);
}
