/*
 * test_parts_outlook.c - when a job's parts can all be held for a visit
 * (parts_outlook()): now from the free stock, from the day after the
 * latest expected date of the parts short now, or not at all while a
 * short part has a line nobody dated or a line waits for approval.
 */
#include "rules/parts.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* A line: part, quantity, used, state, available, expected day. */
#define LINE(p, q, u, s, a, d) {(p), (q), (u), (s), (a), (d)}

static void expect(const struct parts_line *lines, size_t n,
                   enum parts_verdict verdict, size_t line, int64_t shortfall,
                   int64_t from_day)
{
    struct parts_outlook o = {(enum parts_verdict)-1, 999, -1, -1};

    parts_outlook(lines, n, &o);
    ck_assert_int_eq(o.verdict, verdict);
    ck_assert_uint_eq(o.line, line);
    ck_assert_int_eq(o.shortfall, shortfall);
    ck_assert_int_eq(o.from_day, from_day);
}

START_TEST(in_stock_is_ready_now)
{
    const struct parts_line l[] = {
        LINE(1, 2, 0, PL_NEEDED, 2, 0),
        LINE(2, 1, 0, PL_BACK_ORDERED, 5, 20000), /* arrived early */
        LINE(3, 9, 0, PL_RESERVED, 0, 0),
    };

    expect(NULL, 0, PARTS_READY, 0, 0, 0);
    expect(l, N(l), PARTS_READY, 0, 0, 0);
}
END_TEST

START_TEST(short_and_dated_is_ready_after_the_latest_date)
{
    const struct parts_line l[] = {
        LINE(1, 1, 0, PL_BACK_ORDERED, 0, 20100),
        LINE(2, 1, 0, PL_NEEDED, 4, 0),
        LINE(3, 2, 0, PL_BACK_ORDERED, 1, 20105),
        LINE(3, 1, 0, PL_BACK_ORDERED, 1, 20102),
    };

    expect(l, N(l), PARTS_READY, 0, 0, 20105);
}
END_TEST

START_TEST(short_without_a_date_is_not_ready)
{
    /* part 5: one line dated, the other not; the stock covers neither */
    const struct parts_line l[] = {
        LINE(4, 1, 0, PL_BACK_ORDERED, 0, 20100),
        LINE(5, 2, 0, PL_BACK_ORDERED, 1, 20101),
        LINE(5, 1, 0, PL_NEEDED, 1, 0),
    };
    const struct parts_line undated[] = {LINE(6, 3, 0, PL_BACK_ORDERED, 1, 0)};

    expect(l, N(l), PARTS_SHORT, 1, 2, 0);
    expect(undated, N(undated), PARTS_SHORT, 0, 2, 0);
}
END_TEST

START_TEST(approval_blocks_before_stock)
{
    const struct parts_line l[] = {
        LINE(1, 1, 0, PL_NEEDED, 0, 0),
        LINE(2, 1, 0, PL_AWAITING_APPROVAL, 5, 0),
    };

    expect(l, N(l), PARTS_NEED_APPROVAL, 1, 0, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parts_outlook");
    TCase *tc = tcase_create("outlook");

    tcase_add_test(tc, in_stock_is_ready_now);
    tcase_add_test(tc, short_and_dated_is_ready_after_the_latest_date);
    tcase_add_test(tc, short_without_a_date_is_not_ready);
    tcase_add_test(tc, approval_blocks_before_stock);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
