/*
 * test_parts.c - the parts rules of a job: the reservation plan, taking
 * used parts from reserved lines, the units a line gives back, and the
 * line state names.
 *
 * Every verdict of the plan is asserted with its line and shortfall,
 * including lines of one part adding up and the order of the rules.
 * parts_take is checked for first-line-first allocation across lines and
 * uses, and every error with its code, field and message, on a use other
 * than the first so the index is checked too; take must be untouched after
 * a failure.
 */
#include "common/err.h"
#include "rules/parts.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A line: part, quantity, used, state, available. */
#define LINE(p, q, u, s, a) {(p), (q), (u), (s), (a), 0}
/* A use without serials. */
#define USE(p, q) {(p), (q), NULL, NULL}

/* Plan the lines and expect verdict, line and shortfall exactly. */
static void planned(const struct parts_line *lines, size_t n,
                    enum parts_verdict verdict, size_t line,
                    int64_t shortfall)
{
    struct parts_plan p = {(enum parts_verdict)-1, 999, -1};

    parts_plan_reservation(lines, n, &p);
    ck_assert_int_eq(p.verdict, verdict);
    ck_assert_uint_eq(p.line, line);
    ck_assert_int_eq(p.shortfall, shortfall);
}

START_TEST(plan_empty_job_is_ready)
{
    planned(NULL, 0, PARTS_READY, 0, 0);
}
END_TEST

START_TEST(plan_ready_with_mixed_states)
{
    /* settled lines need far more than there is: they are ignored */
    const struct parts_line l[] = {
        LINE(1, 500, 0, PL_RESERVED, 0),
        LINE(2, 2, 0, PL_NEEDED, 2),
        LINE(3, 900, 900, PL_USED, 0),
        LINE(4, 1, 0, PL_BACK_ORDERED, 7),
        LINE(5, 1000, 0, PL_RETURNED, 0),
        LINE(6, 3, 0, PL_NEEDED, 10),
    };

    planned(l, N(l), PARTS_READY, 0, 0);
}
END_TEST

START_TEST(plan_nothing_pending_is_ready)
{
    const struct parts_line l[] = {
        LINE(1, 5, 2, PL_RESERVED, 0),
        LINE(1, 5, 5, PL_USED, 0),
        LINE(2, 1, 0, PL_RETURNED, -3),
    };

    planned(l, N(l), PARTS_READY, 0, 0);
}
END_TEST

START_TEST(plan_short_with_shortfall)
{
    struct parts_line l[] = {
        LINE(1, 1, 0, PL_NEEDED, 1),
        LINE(7, 5, 0, PL_NEEDED, 3),
    };

    planned(l, N(l), PARTS_SHORT, 1, 2);
    /* a back-ordered line is pending just the same */
    l[1].state = PL_BACK_ORDERED;
    planned(l, N(l), PARTS_SHORT, 1, 2);
    /* exactly enough is enough */
    l[1].available = 5;
    planned(l, N(l), PARTS_READY, 0, 0);
    l[1].available = 4;
    planned(l, N(l), PARTS_SHORT, 1, 1);
}
END_TEST

START_TEST(plan_no_stock_at_all)
{
    struct parts_line l[] = {LINE(7, 4, 0, PL_NEEDED, 0)};

    planned(l, 1, PARTS_SHORT, 0, 4);
    /* over-reserved stock counts as none, not as a debt to the job */
    l[0].available = -6;
    planned(l, 1, PARTS_SHORT, 0, 4);
}
END_TEST

START_TEST(plan_lines_of_one_part_add_up)
{
    /* 2 + 3 of part 7 from 4 in stock: each fits alone, not both */
    struct parts_line l[] = {
        LINE(7, 2, 0, PL_NEEDED, 4),
        LINE(7, 3, 0, PL_BACK_ORDERED, 4),
    };
    const struct parts_line three[] = {
        LINE(7, 2, 0, PL_NEEDED, 4),
        LINE(7, 3, 0, PL_NEEDED, 4),
        LINE(7, 2, 0, PL_NEEDED, 4),
    };

    /* runs short at line 1; the part misses 1 unit */
    planned(l, N(l), PARTS_SHORT, 1, 1);
    l[0].available = l[1].available = 5;
    planned(l, N(l), PARTS_READY, 0, 0);
    /* still line 1, where the stock runs out; shortfall of the part: 7-4 */
    planned(three, N(three), PARTS_SHORT, 1, 3);
}
END_TEST

START_TEST(plan_first_short_line_wins)
{
    struct parts_line l[] = {
        LINE(1, 1, 0, PL_NEEDED, 5),
        LINE(2, 4, 0, PL_NEEDED, 1),
        LINE(3, 9, 0, PL_NEEDED, 2),
    };
    /* part 7 runs short only at line 2, after part 8 at line 1 */
    struct parts_line mixed[] = {
        LINE(7, 2, 0, PL_NEEDED, 4),
        LINE(8, 5, 0, PL_NEEDED, 1),
        LINE(7, 3, 0, PL_NEEDED, 4),
    };

    planned(l, N(l), PARTS_SHORT, 1, 3);
    l[1].available = 4;
    planned(l, N(l), PARTS_SHORT, 2, 7);
    planned(mixed, N(mixed), PARTS_SHORT, 1, 4);
    mixed[1].available = 5;
    planned(mixed, N(mixed), PARTS_SHORT, 2, 1);
}
END_TEST

START_TEST(plan_settled_lines_neither_need_nor_consume)
{
    /* part 7 has 3 free; only the needed line draws on it */
    struct parts_line l[] = {
        LINE(7, 10, 0, PL_RESERVED, 3),
        LINE(7, 10, 10, PL_USED, 3),
        LINE(7, 10, 0, PL_RETURNED, 3),
        LINE(7, 3, 0, PL_NEEDED, 3),
    };

    planned(l, N(l), PARTS_READY, 0, 0);
    l[3].quantity = 4;
    planned(l, N(l), PARTS_SHORT, 3, 1);
}
END_TEST

START_TEST(plan_approval_blocks_before_shortness)
{
    const struct parts_line l[] = {
        LINE(1, 9, 0, PL_NEEDED, 0),
        LINE(2, 1, 0, PL_NEEDED, 5),
        LINE(3, 1, 0, PL_AWAITING_APPROVAL, 5),
        LINE(4, 1, 0, PL_AWAITING_APPROVAL, 0),
    };

    /* line 0 is short, but the lowest line awaiting approval comes first */
    planned(l, N(l), PARTS_NEED_APPROVAL, 2, 0);
    planned(&l[3], 1, PARTS_NEED_APPROVAL, 0, 0);
    /* without the approval lines, the short line shows */
    planned(l, 2, PARTS_SHORT, 0, 9);
}
END_TEST

START_TEST(plan_awaiting_line_needs_no_stock_itself)
{
    /* the awaiting line's part has stock; approval still blocks */
    const struct parts_line l[] = {
        LINE(1, 1, 0, PL_RESERVED, 0),
        LINE(2, 1, 0, PL_AWAITING_APPROVAL, 100),
    };

    planned(l, N(l), PARTS_NEED_APPROVAL, 1, 0);
}
END_TEST

/* Lines of the take tests: parts 7 and 8 reserved, part 9 only needed. */
static const struct parts_line job[] = {
    LINE(7, 2, 0, PL_RESERVED, 0),
    LINE(8, 1, 0, PL_RESERVED, 0),
    LINE(9, 4, 0, PL_NEEDED, 0),
    LINE(7, 3, 0, PL_RESERVED, 0),
};

#define UNTOUCHED -5

static void fill_untouched(int64_t *take, size_t n)
{
    for (size_t i = 0; i < n; i++)
        take[i] = UNTOUCHED;
}

/* Take uses from lines and expect success with take == want. */
static void taken(const struct parts_line *lines, size_t n,
                  const struct parts_use *uses, size_t m, const int64_t *want)
{
    int64_t take[8];
    struct err err = ERR_INIT;

    ck_assert_uint_le(n, N(take));
    fill_untouched(take, N(take));
    ck_assert_int_eq(parts_take(lines, n, uses, m, take, &err), 0);
    ck_assert_int_eq(err.rc, 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(take[i], want[i]);
    for (size_t i = n; i < N(take); i++)
        ck_assert_int_eq(take[i], UNTOUCHED);
}

/* Take uses from lines and expect rc with code/field/msg, take untouched. */
static void refused(const struct parts_line *lines, size_t n,
                    const struct parts_use *uses, size_t m, int rc,
                    const char *code, const char *field, const char *msg)
{
    int64_t take[8];
    struct err err = ERR_INIT;

    ck_assert_uint_le(n, N(take));
    fill_untouched(take, N(take));
    ck_assert_int_eq(parts_take(lines, n, uses, m, take, &err), rc);
    ck_assert_int_eq(err.rc, rc);
    ck_assert_str_eq(err.code, code);
    ck_assert_str_eq(err.field, field);
    ck_assert_str_eq(err.msg, msg);
    for (size_t i = 0; i < N(take); i++)
        ck_assert_int_eq(take[i], UNTOUCHED);
}

START_TEST(take_first_line_first)
{
    const struct parts_use one[] = {USE(7, 1)};
    const struct parts_use two[] = {USE(7, 2)};
    const struct parts_use four[] = {USE(7, 4)};
    const struct parts_use all[] = {USE(7, 5), USE(8, 1)};

    taken(job, N(job), one, 1, (const int64_t[]){1, 0, 0, 0});
    taken(job, N(job), two, 1, (const int64_t[]){2, 0, 0, 0});
    /* spills over from line 0 into line 3, the next line of part 7 */
    taken(job, N(job), four, 1, (const int64_t[]){2, 0, 0, 2});
    taken(job, N(job), all, 2, (const int64_t[]){2, 1, 0, 3});
}
END_TEST

START_TEST(take_successive_uses_continue)
{
    /* each use picks up where the previous use of the part left off */
    const struct parts_use uses[] = {USE(7, 1), USE(8, 1), USE(7, 2),
                                     USE(7, 1)};

    taken(job, N(job), uses, N(uses), (const int64_t[]){2, 1, 0, 2});
}
END_TEST

START_TEST(take_nothing)
{
    /* no uses: every line gets 0, none left as it was */
    taken(job, N(job), NULL, 0, (const int64_t[]){0, 0, 0, 0});
    taken(NULL, 0, NULL, 0, NULL);
}
END_TEST

START_TEST(take_counts_what_was_used_before)
{
    /* line 0 is used up, line 2 has 1 of 2 left */
    const struct parts_line l[] = {
        LINE(7, 3, 3, PL_RESERVED, 0),
        LINE(8, 5, 1, PL_RESERVED, 0),
        LINE(7, 2, 1, PL_RESERVED, 0),
    };
    const struct parts_use one[] = {USE(7, 1)};
    const struct parts_use two[] = {USE(7, 2)};
    const struct parts_use rest[] = {USE(8, 4)};

    taken(l, N(l), one, 1, (const int64_t[]){0, 0, 1});
    taken(l, N(l), rest, 1, (const int64_t[]){0, 4, 0});
    refused(l, N(l), two, 1, ERR_CONFLICT, "exceeds_reserved",
            "parts_used[0].quantity", "part 7: 2 used, 1 reserved and unused");
}
END_TEST

START_TEST(take_only_from_reserved_lines)
{
    /* part 7 also sits on lines in every other state; only line 3 gives */
    const struct parts_line l[] = {
        LINE(7, 5, 0, PL_NEEDED, 9),
        LINE(7, 5, 0, PL_AWAITING_APPROVAL, 9),
        LINE(7, 5, 0, PL_BACK_ORDERED, 9),
        LINE(7, 2, 0, PL_RESERVED, 9),
        LINE(7, 5, 2, PL_USED, 9),
        LINE(7, 5, 0, PL_RETURNED, 9),
    };
    const struct parts_use two[] = {USE(7, 2)};
    const struct parts_use three[] = {USE(7, 3)};

    taken(l, N(l), two, 1, (const int64_t[]){0, 0, 0, 2, 0, 0});
    refused(l, N(l), three, 1, ERR_CONFLICT, "exceeds_reserved",
            "parts_used[0].quantity", "part 7: 3 used, 2 reserved and unused");
}
END_TEST

START_TEST(take_serialised_single_units)
{
    const struct parts_use uses[] = {
        {7, 1, "SN-1001", "SN-0042"},
        {7, 1, "SN-1002", NULL},
        {8, 1, NULL, "SN-0007"},
    };

    taken(job, N(job), uses, N(uses), (const int64_t[]){2, 1, 0, 0});
}
END_TEST

START_TEST(error_serial_needs_single_unit)
{
    struct parts_use uses[] = {USE(8, 1), {7, 2, "SN-1", NULL}};
    const char *msg = "part 7: a serial number names a single unit, so the"
                      " quantity must be 1, not 2";

    refused(job, N(job), uses, 2, ERR_INVALID, "serial_needs_single_unit",
            "parts_used[1].quantity", msg);
    uses[1].serial = NULL;
    uses[1].faulty_serial = "SN-OLD";
    refused(job, N(job), uses, 2, ERR_INVALID, "serial_needs_single_unit",
            "parts_used[1].quantity", msg);
    /* an empty string is still a serial given */
    uses[1].faulty_serial = "";
    refused(job, N(job), uses, 2, ERR_INVALID, "serial_needs_single_unit",
            "parts_used[1].quantity", msg);
    /* checked before the reservation: part 9 is not reserved */
    uses[1].part_id = 9;
    refused(job, N(job), uses, 2, ERR_INVALID, "serial_needs_single_unit",
            "parts_used[1].quantity",
            "part 9: a serial number names a single unit, so the"
            " quantity must be 1, not 2");
}
END_TEST

START_TEST(error_part_not_reserved)
{
    struct parts_use uses[] = {USE(7, 1), USE(9, 1)};

    /* part 9 has a line, but only a needed one */
    refused(job, N(job), uses, 2, ERR_CONFLICT, "part_not_reserved",
            "parts_used[1].part_id", "part 9 is not reserved for this job");
    /* part 12 has no line at all */
    uses[1].part_id = 12;
    refused(job, N(job), uses, 2, ERR_CONFLICT, "part_not_reserved",
            "parts_used[1].part_id", "part 12 is not reserved for this job");
    /* a job without lines has nothing reserved */
    refused(NULL, 0, uses, 1, ERR_CONFLICT, "part_not_reserved",
            "parts_used[0].part_id", "part 7 is not reserved for this job");
}
END_TEST

START_TEST(error_used_line_is_not_reserved)
{
    const struct parts_line l[] = {
        LINE(7, 2, 2, PL_USED, 0),
        LINE(7, 2, 0, PL_RETURNED, 0),
    };
    const struct parts_use uses[] = {USE(7, 1)};

    refused(l, N(l), uses, 1, ERR_CONFLICT, "part_not_reserved",
            "parts_used[0].part_id", "part 7 is not reserved for this job");
}
END_TEST

START_TEST(error_exceeds_reserved)
{
    struct parts_use uses[] = {USE(8, 1), USE(7, 6)};

    /* 5 of part 7 reserved over lines 0 and 3 */
    refused(job, N(job), uses, 2, ERR_CONFLICT, "exceeds_reserved",
            "parts_used[1].quantity", "part 7: 6 used, 5 reserved and unused");
    uses[1].quantity = 5;
    taken(job, N(job), uses, 2, (const int64_t[]){2, 1, 0, 3});
}
END_TEST

START_TEST(error_exceeds_with_earlier_uses)
{
    /* 2 + 1 + 3 of part 7 against 5 reserved: the third use fails */
    const struct parts_use uses[] = {USE(7, 2), USE(8, 1), USE(7, 1),
                                     USE(7, 3)};
    const struct parts_use twice[] = {USE(8, 1), USE(8, 1)};

    refused(job, N(job), uses, N(uses), ERR_CONFLICT, "exceeds_reserved",
            "parts_used[3].quantity", "part 7: 6 used, 5 reserved and unused");
    /* the uses before it fit */
    taken(job, N(job), uses, 3, (const int64_t[]){2, 1, 0, 1});
    refused(job, N(job), twice, 2, ERR_CONFLICT, "exceeds_reserved",
            "parts_used[1].quantity", "part 8: 2 used, 1 reserved and unused");
}
END_TEST

START_TEST(error_reserved_line_used_up)
{
    /* the part is reserved, with nothing left: exceeds, not unreserved */
    const struct parts_line l[] = {LINE(7, 2, 2, PL_RESERVED, 0)};
    const struct parts_use uses[] = {USE(7, 1)};

    refused(l, 1, uses, 1, ERR_CONFLICT, "exceeds_reserved",
            "parts_used[0].quantity", "part 7: 1 used, 0 reserved and unused");
}
END_TEST

START_TEST(error_quantity_out_of_range)
{
    struct parts_use uses[] = {USE(7, 1), USE(8, 0)};

    refused(job, N(job), uses, 2, ERR_INVALID, "out_of_range",
            "parts_used[1].quantity",
            "part 8: the quantity used must be from 1 to 1000, not 0");
    uses[1].quantity = -1;
    refused(job, N(job), uses, 2, ERR_INVALID, "out_of_range",
            "parts_used[1].quantity",
            "part 8: the quantity used must be from 1 to 1000, not -1");
    uses[1].quantity = 1001;
    refused(job, N(job), uses, 2, ERR_INVALID, "out_of_range",
            "parts_used[1].quantity",
            "part 8: the quantity used must be from 1 to 1000, not 1001");
    uses[1].quantity = INT64_MIN;
    refused(job, N(job), uses, 2, ERR_INVALID, "out_of_range",
            "parts_used[1].quantity",
            "part 8: the quantity used must be from 1 to 1000,"
            " not -9223372036854775808");
    /* 1000 is in range, and then more than is reserved */
    uses[1].quantity = 1000;
    refused(job, N(job), uses, 2, ERR_CONFLICT, "exceeds_reserved",
            "parts_used[1].quantity",
            "part 8: 1000 used, 1 reserved and unused");
}
END_TEST

START_TEST(error_first_use_wins)
{
    /* use 1 names an unreserved part, use 2 a serial on 3 units */
    const struct parts_use uses[] = {USE(7, 1), USE(12, 1),
                                     {7, 3, "SN-1", NULL}};

    refused(job, N(job), uses, N(uses), ERR_CONFLICT, "part_not_reserved",
            "parts_used[1].part_id", "part 12 is not reserved for this job");
}
END_TEST

START_TEST(error_without_err_record)
{
    const struct parts_use uses[] = {USE(9, 1)};
    int64_t take[N(job)] = {UNTOUCHED, UNTOUCHED, UNTOUCHED, UNTOUCHED};

    ck_assert_int_eq(parts_take(job, N(job), uses, 1, take, NULL),
                     ERR_CONFLICT);
    for (size_t i = 0; i < N(take); i++)
        ck_assert_int_eq(take[i], UNTOUCHED);
}
END_TEST

START_TEST(unused_for_each_state)
{
    struct parts_line l = LINE(7, 3, 1, PL_RESERVED, 0);

    ck_assert_int_eq(parts_unused(&l), 2);
    l.used = 0;
    ck_assert_int_eq(parts_unused(&l), 3);
    l.used = 3;
    ck_assert_int_eq(parts_unused(&l), 0);
    /* only a reserved line holds units to give back */
    l.used = 1;
    l.state = PL_NEEDED;
    ck_assert_int_eq(parts_unused(&l), 0);
    l.state = PL_AWAITING_APPROVAL;
    ck_assert_int_eq(parts_unused(&l), 0);
    l.state = PL_BACK_ORDERED;
    ck_assert_int_eq(parts_unused(&l), 0);
    l.state = PL_USED;
    ck_assert_int_eq(parts_unused(&l), 0);
    l.state = PL_RETURNED;
    ck_assert_int_eq(parts_unused(&l), 0);
}
END_TEST

START_TEST(unused_never_negative)
{
    struct parts_line l = LINE(7, 3, 4, PL_RESERVED, 0);

    ck_assert_int_eq(parts_unused(&l), 0);
    l.used = -2;
    ck_assert_int_eq(parts_unused(&l), 3);
}
END_TEST

START_TEST(state_names)
{
    static const char *const names[PL__STATES] = {
        "needed", "awaiting_approval", "reserved",
        "back_ordered", "used", "returned",
    };

    ck_assert_int_eq(PL__STATES, 6);
    for (int i = 0; i < PL__STATES; i++) {
        enum parts_line_state s = (enum parts_line_state)-1;

        ck_assert_str_eq(parts_state_name((enum parts_line_state)i),
                         names[i]);
        ck_assert_int_eq(parts_state_parse(names[i], &s), 0);
        ck_assert_int_eq(s, i);
    }
    ck_assert_str_eq(parts_state_name(PL_BACK_ORDERED), "back_ordered");
    ck_assert_str_eq(parts_state_name(PL__STATES), "unknown");
    ck_assert_str_eq(parts_state_name((enum parts_line_state)-1), "unknown");
}
END_TEST

START_TEST(state_parse_unknown)
{
    static const char *const bad[] = {
        "", "Reserved", "reserved ", "back-ordered", "approved", "unknown",
    };
    enum parts_line_state s = PL_USED;

    for (size_t i = 0; i < N(bad); i++) {
        ck_assert_int_eq(parts_state_parse(bad[i], &s), ERR_INVALID);
        ck_assert_int_eq(s, PL_USED);
    }
    ck_assert_int_eq(parts_state_parse(NULL, &s), ERR_INVALID);
    ck_assert_int_eq(s, PL_USED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parts");
    TCase *plan = tcase_create("plan");
    TCase *take = tcase_create("take");
    TCase *unused = tcase_create("unused");
    TCase *states = tcase_create("states");

    tcase_add_test(plan, plan_empty_job_is_ready);
    tcase_add_test(plan, plan_ready_with_mixed_states);
    tcase_add_test(plan, plan_nothing_pending_is_ready);
    tcase_add_test(plan, plan_short_with_shortfall);
    tcase_add_test(plan, plan_no_stock_at_all);
    tcase_add_test(plan, plan_lines_of_one_part_add_up);
    tcase_add_test(plan, plan_first_short_line_wins);
    tcase_add_test(plan, plan_settled_lines_neither_need_nor_consume);
    tcase_add_test(plan, plan_approval_blocks_before_shortness);
    tcase_add_test(plan, plan_awaiting_line_needs_no_stock_itself);
    tcase_add_test(take, take_first_line_first);
    tcase_add_test(take, take_successive_uses_continue);
    tcase_add_test(take, take_nothing);
    tcase_add_test(take, take_counts_what_was_used_before);
    tcase_add_test(take, take_only_from_reserved_lines);
    tcase_add_test(take, take_serialised_single_units);
    tcase_add_test(take, error_serial_needs_single_unit);
    tcase_add_test(take, error_part_not_reserved);
    tcase_add_test(take, error_used_line_is_not_reserved);
    tcase_add_test(take, error_exceeds_reserved);
    tcase_add_test(take, error_exceeds_with_earlier_uses);
    tcase_add_test(take, error_reserved_line_used_up);
    tcase_add_test(take, error_quantity_out_of_range);
    tcase_add_test(take, error_first_use_wins);
    tcase_add_test(take, error_without_err_record);
    tcase_add_test(unused, unused_for_each_state);
    tcase_add_test(unused, unused_never_negative);
    tcase_add_test(states, state_names);
    tcase_add_test(states, state_parse_unknown);
    suite_add_tcase(s, plan);
    suite_add_tcase(s, take);
    suite_add_tcase(s, unused);
    suite_add_tcase(s, states);
    return tu_run_suite(s);
}
