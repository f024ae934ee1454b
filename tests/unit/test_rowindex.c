/*
 * test_rowindex.c - rows grouped by an integer column: every row of a key
 * and no other, in array order with their positions, for keys that are
 * missing, absent, negative or at the ends.
 */
#include "model/rowindex.h"
#include "testutil.h"

#include <check.h>

static json_t *rows_of_pairs(const int64_t (*pairs)[2], size_t n)
{
    json_t *rows = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(rows, json_pack("{s:I, s:I}", "tech",
                                              (json_int_t)pairs[i][0], "n",
                                              (json_int_t)pairs[i][1]));
    return rows;
}

START_TEST(groups_keep_array_order_and_positions)
{
    static const int64_t pairs[][2] = {{7, 0}, {3, 1}, {7, 2}, {5, 3},
                                       {3, 4}, {7, 5}};
    json_t *rows = rows_of_pairs(pairs, 6);
    struct rowindex x;
    size_t count;
    const struct rowindex_entry *e;

    rowindex_build(&x, rows, "tech");
    e = rowindex_find(&x, 7, &count);
    ck_assert_uint_eq(count, 3);
    ck_assert_uint_eq(e[0].at, 0);
    ck_assert_uint_eq(e[1].at, 2);
    ck_assert_uint_eq(e[2].at, 5);
    ck_assert_ptr_eq(e[1].row, json_array_get(rows, 2));
    e = rowindex_find(&x, 3, &count);
    ck_assert_uint_eq(count, 2);
    ck_assert_int_eq(json_integer_value(json_object_get(e[1].row, "n")), 4);
    e = rowindex_find(&x, 5, &count);
    ck_assert_uint_eq(count, 1);
    ck_assert_uint_eq(e[0].at, 3);
    rowindex_release(&x);
    json_decref(rows);
}
END_TEST

START_TEST(absent_keys_find_nothing)
{
    static const int64_t pairs[][2] = {{-2, 0}, {4, 1}, {9, 2}};
    json_t *rows = rows_of_pairs(pairs, 3);
    struct rowindex x;
    size_t count = 99;

    rowindex_build(&x, rows, "tech");
    ck_assert_ptr_null(rowindex_find(&x, -3, &count)); /* before the first */
    ck_assert_uint_eq(count, 0);
    ck_assert_ptr_null(rowindex_find(&x, 5, &count));  /* between */
    ck_assert_ptr_null(rowindex_find(&x, 10, &count)); /* after the last */
    ck_assert_ptr_nonnull(rowindex_find(&x, -2, &count));
    ck_assert_uint_eq(count, 1);
    rowindex_release(&x);
    json_decref(rows);
}
END_TEST

START_TEST(a_missing_column_counts_as_zero)
{
    json_t *rows = json_pack("[{s:I}, {}, {s:n}]", "tech", (json_int_t)1,
                             "tech");
    struct rowindex x;
    size_t count;
    const struct rowindex_entry *e;

    rowindex_build(&x, rows, "tech");
    e = rowindex_find(&x, 0, &count);
    ck_assert_uint_eq(count, 2);
    ck_assert_uint_eq(e[0].at, 1);
    ck_assert_uint_eq(e[1].at, 2);
    rowindex_release(&x);
    json_decref(rows);
}
END_TEST

START_TEST(not_an_array_is_empty)
{
    struct rowindex x;
    size_t count = 1;

    rowindex_build(&x, NULL, "tech");
    ck_assert_uint_eq(x.n, 0);
    ck_assert_ptr_null(rowindex_find(&x, 0, &count));
    ck_assert_uint_eq(count, 0);
    rowindex_release(&x);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rowindex");
    TCase *tc = tcase_create("groups");

    tcase_add_test(tc, groups_keep_array_order_and_positions);
    tcase_add_test(tc, absent_keys_find_nothing);
    tcase_add_test(tc, a_missing_column_counts_as_zero);
    tcase_add_test(tc, not_an_array_is_empty);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
