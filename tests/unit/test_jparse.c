/*
 * test_jparse.c - field-table validation of JSON input, request bodies,
 * query strings and rendering of normalized rows.
 *
 * Uses its own small field table so each rule (type, bounds, flags,
 * defaults, nesting) is exercised once and exactly: the error's rc, its
 * code string, the field path and the human message.
 */
#include "model/jdepth.h"
#include "model/jparse.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const colors[] = {"red", "green", 0};
static const struct jfield item_fields[] = {
    {"skill", JF_TEXT, JF_REQUIRED, 1, 40, 0, 0, 0},
    {"level", JF_INT, JF_REQUIRED, 1, 5, 0, 0, 0},
    JF_END};
static const struct jfield fields[] = {
    {"id", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
    {"name", JF_TEXT, JF_REQUIRED, 1, 10, 0, 0, 0},
    {"note", JF_TEXT, JF_NULLABLE, 0, 0, 0, 0, 0},
    {"count", JF_INT, 0, 0, 100, 0, "7", 0},
    {"ratio", JF_NUMBER, 0, -1, 1, 0, 0, 0},
    {"ok", JF_BOOL, 0, 0, 0, 0, "true", 0},
    {"color", JF_ENUM, 0, 0, 0, colors, "\"red\"", 0},
    {"day", JF_DATE, 0, 0, 0, 0, 0, 0},
    {"on", JF_DAY, 0, 0, 0, 0, 0, 0},
    {"at", JF_TIME, JF_NULLABLE, 0, 0, 0, 0, 0},
    {"start", JF_HHMM, 0, 0, 0, 0, 0, 0},
    {"skills", JF_ARRAY, 0, 0, 2, 0, "[]", item_fields},
    {"version", JF_INT, JF_CHECK, 1, 1000, 0, 0, 0},
    JF_END};

/* Parse text in mode; on failure *err is filled and NULL returned. */
static json_t *parse(const char *text, enum jparse_mode mode, struct err *err)
{
    json_error_t jerr;
    json_t *in = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    json_t *out = NULL;
    int rc;

    ck_assert_msg(in != NULL, "bad test JSON: %s", text);
    err_clear(err);
    rc = jparse_object(in, fields, mode, "", &out, err);
    json_decref(in);
    ck_assert_int_eq(rc, err->rc);
    return rc ? NULL : out;
}

/* Assert text is rejected in mode with exactly this code, field, msg. */
static void rejects(const char *text, enum jparse_mode mode, const char *code,
                    const char *field, const char *msg)
{
    struct err err;
    json_t *out = parse(text, mode, &err);

    ck_assert_msg(out == NULL, "accepted %s", text);
    ck_assert_int_eq(err.rc, ERR_INVALID);
    ck_assert_str_eq(err.code, code);
    ck_assert_str_eq(err.field, field);
    ck_assert_str_eq(err.msg, msg);
}

/* The compact, key-ordered dump of j; caller frees. */
static char *dump(const json_t *j)
{
    return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

static void dump_eq(const json_t *j, const char *want)
{
    char *s = dump(j);
    ck_assert_str_eq(s, want);
    free(s);
}

/* Assert text is accepted in mode and normalizes to exactly want. */
static void accepts(const char *text, enum jparse_mode mode, const char *want)
{
    struct err err;
    json_t *out = parse(text, mode, &err);

    ck_assert_ptr_nonnull(out);
    dump_eq(out, want);
    json_decref(out);
}

/* Assert body (read as strlen(body) bytes) is rejected with code and, unless
 * msg is NULL, exactly msg. */
static void body_rejects(const char *body, const char *code, const char *msg)
{
    struct err err = ERR_INIT;
    json_t *out = NULL;

    ck_assert_int_eq(jparse_body(body, strlen(body), &out, &err),
                     ERR_INVALID);
    ck_assert_str_eq(err.code, code);
    if (msg)
        ck_assert_str_eq(err.msg, msg);
}

START_TEST(create_applies_defaults_and_normalizes)
{
    struct err err;
    json_t *out;

    accepts("{\"name\":\"pump\"}", JPARSE_CREATE,
            "{\"color\":\"red\",\"count\":7,\"name\":\"pump\","
            "\"ok\":true,\"skills\":[]}");
    out = parse("{\"name\":\"pump\",\"note\":null,\"count\":0,\"ratio\":1,"
                "\"ok\":false,\"color\":\"green\",\"day\":\"2024-02-29\","
                "\"on\":\"2026-11-23\",\"at\":\"2026-11-23T11:30:00+02:00\","
                "\"start\":\"24:00\",\"skills\":[{\"skill\":\"hvac\","
                "\"level\":5}]}", JPARSE_CREATE, &err);
    ck_assert_ptr_nonnull(out);
    dump_eq(out, "{\"at\":1795426200,\"color\":\"green\",\"count\":0,"
                 "\"day\":\"2024-02-29\",\"name\":\"pump\",\"note\":null,"
                 "\"ok\":false,\"on\":1795392000,\"ratio\":1.0,"
                 "\"skills\":[{\"level\":5,\"skill\":\"hvac\"}],"
                 "\"start\":1440}");
    ck_assert(json_is_real(json_object_get(out, "ratio")));
    json_decref(out);
}
END_TEST

START_TEST(keys_are_checked_first)
{
    rejects("{\"name\":\"a\",\"bogus\":1}", JPARSE_CREATE, "unknown_field",
            "bogus", "unknown field 'bogus'");
    /* an unknown key wins over a missing required field */
    rejects("{\"bogus\":1}", JPARSE_CREATE, "unknown_field", "bogus",
            "unknown field 'bogus'");
    rejects("{\"name\":\"a\",\"id\":3}", JPARSE_CREATE, "read_only_field",
            "id", "field 'id' is read-only");
    rejects("{\"id\":3}", JPARSE_PATCH, "read_only_field", "id",
            "field 'id' is read-only");
    /* a check field (version) is read-only on create, allowed in a patch */
    rejects("{\"name\":\"a\",\"version\":1}", JPARSE_CREATE,
            "read_only_field", "version", "field 'version' is read-only");
}
END_TEST

START_TEST(missing_and_null)
{
    rejects("{}", JPARSE_CREATE, "missing_field", "name",
            "missing required field 'name'");
    rejects("{\"name\":null}", JPARSE_CREATE, "null_field", "name",
            "field 'name' must not be null");
    rejects("{\"name\":\"a\",\"count\":null}", JPARSE_CREATE, "null_field",
            "count", "field 'count' must not be null");
    rejects("{\"name\":null}", JPARSE_PATCH, "null_field", "name",
            "field 'name' must not be null");
}
END_TEST

START_TEST(types)
{
    rejects("[1]", JPARSE_CREATE, "invalid_type", "",
            "body must be a JSON object");
    rejects("{\"name\":5}", JPARSE_CREATE, "invalid_type", "name",
            "name must be a string");
    rejects("{\"name\":\"a\",\"count\":\"5\"}", JPARSE_CREATE,
            "invalid_type", "count", "count must be an integer");
    rejects("{\"name\":\"a\",\"count\":1.5}", JPARSE_CREATE, "invalid_type",
            "count", "count must be an integer");
    rejects("{\"name\":\"a\",\"ratio\":\"0.5\"}", JPARSE_CREATE,
            "invalid_type", "ratio", "ratio must be a number");
    rejects("{\"name\":\"a\",\"ok\":1}", JPARSE_CREATE, "invalid_type", "ok",
            "ok must be a boolean");
    rejects("{\"name\":\"a\",\"color\":1}", JPARSE_CREATE, "invalid_type",
            "color", "color must be a string");
    rejects("{\"name\":\"a\",\"day\":\"2026-02-29\"}", JPARSE_CREATE,
            "invalid_type", "day", "day must be a date (YYYY-MM-DD)");
    rejects("{\"name\":\"a\",\"on\":20}", JPARSE_CREATE, "invalid_type", "on",
            "on must be a date (YYYY-MM-DD)");
    rejects("{\"name\":\"a\",\"at\":\"2026-11-23T09:30:00\"}", JPARSE_CREATE,
            "invalid_type", "at", "at must be an RFC 3339 time");
    rejects("{\"name\":\"a\",\"start\":\"24:01\"}", JPARSE_CREATE,
            "invalid_type", "start", "start must be a time of day (HH:MM)");
    rejects("{\"name\":\"a\",\"skills\":{}}", JPARSE_CREATE, "invalid_type",
            "skills", "skills must be an array");
}
END_TEST

START_TEST(bounds_lengths_choices)
{
    char text[2100];

    rejects("{\"name\":\"a\",\"count\":101}", JPARSE_CREATE, "out_of_range",
            "count", "count must be from 0 to 100");
    rejects("{\"name\":\"a\",\"count\":-1}", JPARSE_CREATE, "out_of_range",
            "count", "count must be from 0 to 100");
    rejects("{\"name\":\"a\",\"ratio\":1.01}", JPARSE_CREATE, "out_of_range",
            "ratio", "ratio must be from -1 to 1");
    rejects("{\"name\":\"\"}", JPARSE_CREATE, "invalid_length", "name",
            "name must be 1 to 10 bytes long");
    rejects("{\"name\":\"abcdefghijk\"}", JPARSE_CREATE, "invalid_length",
            "name", "name must be 1 to 10 bytes long");
    /* max 0 means the 2000-byte default */
    strcpy(text, "{\"name\":\"a\",\"note\":\"");
    memset(text + strlen(text), 'x', 2001);
    strcpy(text + 20 + 2001, "\"}");
    rejects(text, JPARSE_CREATE, "invalid_length", "note",
            "note must be 0 to 2000 bytes long");
    rejects("{\"name\":\"a\\u0000b\"}", JPARSE_CREATE, "invalid_text",
            "name", "name must not contain NUL characters");
    rejects("{\"name\":\"a\",\"color\":\"blue\"}", JPARSE_CREATE,
            "invalid_choice", "color", "color must be one of: red, green");
    rejects("{\"name\":\"a\",\"color\":\"Red\"}", JPARSE_CREATE,
            "invalid_choice", "color", "color must be one of: red, green");
}
END_TEST

/* Forty choices of nine bytes: far more than a message holds. */
static const char *const shades[] = {
    "choice-00", "choice-01", "choice-02", "choice-03", "choice-04",
    "choice-05", "choice-06", "choice-07", "choice-08", "choice-09",
    "choice-10", "choice-11", "choice-12", "choice-13", "choice-14",
    "choice-15", "choice-16", "choice-17", "choice-18", "choice-19",
    "choice-20", "choice-21", "choice-22", "choice-23", "choice-24",
    "choice-25", "choice-26", "choice-27", "choice-28", "choice-29",
    "choice-30", "choice-31", "choice-32", "choice-33", "choice-34",
    "choice-35", "choice-36", "choice-37", "choice-38", "choice-39", 0};
static const struct jfield shade_fields[] = {
    {"shade", JF_ENUM, JF_REQUIRED, 0, 0, shades, 0, 0}, JF_END};

static int parse_shade(const char *text, json_t **out, struct err *err)
{
    json_t *in = json_loads(text, 0, NULL);
    int rc;

    ck_assert_ptr_nonnull(in);
    err_clear(err);
    rc = jparse_object(in, shade_fields, JPARSE_CREATE, "", out, err);
    json_decref(in);
    return rc;
}

START_TEST(long_choice_lists_are_cut_between_choices)
{
    json_t *out = NULL;
    struct err err;

    /* the last choice is found like the first */
    ck_assert_int_eq(parse_shade("{\"shade\":\"choice-39\"}", &out, &err), 0);
    dump_eq(out, "{\"shade\":\"choice-39\"}");
    json_decref(out);
    out = NULL;
    /* the message keeps the whole choices that fit, then says there are
     * more: 245 bytes of the 255 it can hold */
    ck_assert_int_eq(parse_shade("{\"shade\":\"none\"}", &out, &err),
                     ERR_INVALID);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.code, "invalid_choice");
    ck_assert_str_eq(err.field, "shade");
    ck_assert_str_eq(err.msg,
                     "shade must be one of: choice-00, choice-01, choice-02, "
                     "choice-03, choice-04, choice-05, choice-06, choice-07, "
                     "choice-08, choice-09, choice-10, choice-11, choice-12, "
                     "choice-13, choice-14, choice-15, choice-16, choice-17, "
                     "choice-18, choice-19, ...");
}
END_TEST

START_TEST(nested_array_paths)
{
    rejects("{\"name\":\"a\",\"skills\":[{\"skill\":\"x\",\"level\":1},"
            "{\"skill\":\"y\",\"level\":1},{\"skill\":\"z\",\"level\":1}]}",
            JPARSE_CREATE, "too_many_items", "skills",
            "skills has more than 2 items");
    rejects("{\"name\":\"a\",\"skills\":[{\"skill\":\"x\",\"level\":1},"
            "{\"skill\":\"y\",\"level\":6}]}", JPARSE_CREATE, "out_of_range",
            "skills[1].level", "skills[1].level must be from 1 to 5");
    rejects("{\"name\":\"a\",\"skills\":[{\"skill\":\"x\"}]}", JPARSE_CREATE,
            "missing_field", "skills[0].level",
            "missing required field 'skills[0].level'");
    rejects("{\"name\":\"a\",\"skills\":[{\"skill\":\"x\",\"level\":1,"
            "\"extra\":true}]}", JPARSE_CREATE, "unknown_field",
            "skills[0].extra", "unknown field 'skills[0].extra'");
    rejects("{\"name\":\"a\",\"skills\":[3]}", JPARSE_CREATE, "invalid_type",
            "skills[0]", "skills[0] must be a JSON object");
    /* items are complete objects even inside a patch */
    rejects("{\"skills\":[{\"level\":2}]}", JPARSE_PATCH, "missing_field",
            "skills[0].skill", "missing required field 'skills[0].skill'");
}
END_TEST

START_TEST(patch_mode_takes_only_present_fields)
{
    accepts("{}", JPARSE_PATCH, "{}"); /* no defaults, no required fields */
    accepts("{\"count\":9,\"at\":null,\"version\":4}", JPARSE_PATCH,
            "{\"at\":null,\"count\":9,\"version\":4}");
    rejects("{\"version\":0}", JPARSE_PATCH, "out_of_range", "version",
            "version must be from 1 to 1000");
}
END_TEST

START_TEST(query_mode_converts_strings)
{
    accepts("{\"name\":\"n\",\"count\":\"42\",\"ok\":\"false\","
            "\"color\":\"green\",\"on\":\"2026-11-23\"}", JPARSE_QUERY,
            "{\"color\":\"green\",\"count\":42,\"name\":\"n\",\"ok\":false,"
            "\"on\":1795392000,\"skills\":[]}");
    /* defaults apply in a query as on create, already typed */
    accepts("{\"name\":\"n\",\"ok\":\"true\"}", JPARSE_QUERY,
            "{\"color\":\"red\",\"count\":7,\"name\":\"n\",\"ok\":true,"
            "\"skills\":[]}");
    /* required parameters are required, as on create */
    rejects("{\"ok\":\"true\"}", JPARSE_QUERY, "missing_field", "name",
            "missing required field 'name'");
    rejects("{\"name\":\"n\",\"count\":\"4x\"}", JPARSE_QUERY,
            "invalid_type", "count",
            "count must be an integer");
    rejects("{\"name\":\"n\",\"count\":\"\"}", JPARSE_QUERY,
            "invalid_type", "count",
            "count must be an integer");
    rejects("{\"name\":\"n\",\"count\":\"101\"}", JPARSE_QUERY,
            "out_of_range", "count",
            "count must be from 0 to 100");
    rejects("{\"name\":\"n\",\"ok\":\"yes\"}", JPARSE_QUERY,
            "invalid_type", "ok",
            "ok must be a boolean");
    rejects("{\"name\":\"n\",\"ok\":\"1\"}", JPARSE_QUERY,
            "invalid_type", "ok",
            "ok must be a boolean");
    rejects("{\"bogus\":\"1\"}", JPARSE_QUERY, "unknown_field", "bogus",
            "unknown field 'bogus'");
}
END_TEST

/* {"a": + n [ + n ] + }: n + 1 levels. */
static char *nested(int n)
{
    char *t = malloc((size_t)(2 * n) + 7);
    char *p = t + sprintf(t, "{\"a\":");

    memset(p, '[', (size_t)n);
    memset(p + n, ']', (size_t)n);
    strcpy(p + 2 * n, "}");
    return t;
}

START_TEST(nesting_is_bounded_before_parsing)
{
    struct err err = ERR_INIT;
    json_t *out = NULL;
    char *ok = nested(JDEPTH_MAX - 1), *deep = nested(JDEPTH_MAX);
    char *deeper = nested(100000);
    const char *inside = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[\"}";

    ck_assert_int_eq(jparse_body(ok, strlen(ok), &out, &err), 0);
    json_decref(out);
    out = NULL;
    ck_assert_int_eq(jparse_body(deep, strlen(deep), &out, &err),
                     ERR_INVALID);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.code, "too_deep");
    ck_assert_str_eq(err.field, "");
    ck_assert_str_eq(err.msg, "request body nests arrays and objects more"
                              " than 32 levels deep");
    body_rejects(deeper, "too_deep", NULL);
    /* brackets in strings, escaped quotes among them, do not count */
    ck_assert_int_eq(jparse_body(inside, strlen(inside), &out, &err), 0);
    json_decref(out);
    ck_assert_int_eq(jdepth_exceeds("[[]][[]]", 8, 2), 0);
    ck_assert_int_eq(jdepth_exceeds("[[[]]]", 6, 2), 1);
    ck_assert_int_eq(jdepth_exceeds("\"\\\\\"[[[", 7, 2), 1);
    free(ok);
    free(deep);
    free(deeper);
}
END_TEST

START_TEST(bodies)
{
    struct err err = ERR_INIT;
    json_t *out = NULL;

    ck_assert_int_eq(jparse_body("{\"a\":1}", 7, &out, &err), 0);
    dump_eq(out, "{\"a\":1}");
    json_decref(out);
    /* only len bytes are read */
    ck_assert_int_eq(jparse_body("{}garbage", 2, &out, &err), 0);
    json_decref(out);

    ck_assert_int_eq(jparse_body("", 0, &out, &err), ERR_INVALID);
    ck_assert_str_eq(err.code, "malformed_json");
    ck_assert_str_eq(err.field, "");
    ck_assert_str_eq(err.msg,
                     "request body is empty; a JSON object is expected");
    ck_assert_int_eq(jparse_body("{\"a\":", 5, &out, &err), ERR_INVALID);
    ck_assert_str_eq(err.code, "malformed_json");
    ck_assert_msg(strncmp(err.msg, "malformed JSON at line 1 column ", 32) ==
                  0, "%s", err.msg);
    body_rejects("{} x", "malformed_json", NULL);
    body_rejects("{\"a\":1,\"a\":2}", "malformed_json", NULL);
    body_rejects("[1]", "invalid_type", "request body must be a JSON object");
    /* a scalar is valid JSON, just not an object (RFC 8259) */
    body_rejects("\"x\"", "invalid_type",
                 "request body must be a JSON object");
}
END_TEST

static void query_eq(const char *q, const char *want)
{
    struct err err = ERR_INIT;
    json_t *out = NULL;

    ck_assert_msg(jparse_query_string(q, &out, &err) == 0, "%s: %s", q,
                  err.msg);
    dump_eq(out, want);
    json_decref(out);
}

static void query_rejects(const char *q, const char *code, const char *field)
{
    struct err err = ERR_INIT;
    json_t *out = NULL;

    ck_assert_msg(jparse_query_string(q, &out, &err) == ERR_INVALID,
                  "accepted %s", q);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.code, code);
    ck_assert_str_eq(err.field, field);
}

START_TEST(query_strings)
{
    struct err err = ERR_INIT;
    json_t *out = NULL;

    query_eq(NULL, "{}");
    query_eq("", "{}");
    query_eq("a=1&b=x%20y", "{\"a\":\"1\",\"b\":\"x y\"}");
    query_eq("q=a+b%2Bc", "{\"q\":\"a b+c\"}");
    query_eq("%61%62=%e4%b8%ad", "{\"ab\":\"\xe4\xb8\xad\"}");
    query_eq("flag&&x=&", "{\"flag\":\"\",\"x\":\"\"}");
    query_eq("a=b=c", "{\"a\":\"b=c\"}");
    query_rejects("a=1&a=2", "duplicate_parameter", "a");
    ck_assert_int_eq(jparse_query_string("a=1&b=2&a=3", &out, &err),
                     ERR_INVALID);
    ck_assert_str_eq(err.msg, "query parameter 'a' is given twice");
    query_rejects("a=%00", "invalid_query", "");
    query_rejects("%00=1", "invalid_query", "");
    query_rejects("a=%zz", "invalid_query", "");
    query_rejects("a=%4", "invalid_query", "");
    query_rejects("a=%", "invalid_query", "");
    query_rejects("a=%ff", "invalid_query", ""); /* not UTF-8 */
    query_rejects("=1", "invalid_query", "");
}
END_TEST

START_TEST(render_converts_back)
{
    json_t *row = json_pack("{s:I, s:s, s:n, s:i, s:f, s:i, s:s, s:s, s:I,"
                            " s:I, s:i, s:[{s:s, s:i}], s:i, s:i}",
                            "id", (json_int_t)9, "name", "pump", "note",
                            "count", 7, "ratio", 0.5, "ok", 1, "color", "red",
                            "day", "2024-02-29", "on", (json_int_t)1795392000,
                            "at", (json_int_t)1795426200, "start", 570,
                            "skills", "skill", "hvac", "level", 2,
                            "version", 3, "extra", 1);
    json_t *out = jparse_render(row, fields);
    char *s = json_dumps(out, JSON_COMPACT);

    /* table order, conversions applied, unknown columns dropped */
    ck_assert_str_eq(s, "{\"id\":9,\"name\":\"pump\",\"note\":null,"
                        "\"count\":7,\"ratio\":0.5,\"ok\":true,"
                        "\"color\":\"red\",\"day\":\"2024-02-29\","
                        "\"on\":\"2026-11-23\","
                        "\"at\":\"2026-11-23T09:30:00Z\",\"start\":\"09:30\","
                        "\"skills\":[{\"skill\":\"hvac\",\"level\":2}],"
                        "\"version\":3}");
    free(s);
    json_decref(out);
    json_object_set_new(row, "ok", json_integer(0));
    json_object_set_new(row, "start", json_integer(1440));
    json_object_set_new(row, "at", json_null());
    out = jparse_render(row, fields);
    ck_assert(json_is_false(json_object_get(out, "ok")));
    ck_assert_str_eq(json_string_value(json_object_get(out, "start")),
                     "24:00");
    ck_assert(json_is_null(json_object_get(out, "at")));
    json_decref(out);
    json_decref(row);
}
END_TEST

START_TEST(field_lookup)
{
    ck_assert_ptr_eq(jparse_field(fields, "count"), &fields[3]);
    ck_assert_ptr_null(jparse_field(fields, "counts"));
    ck_assert_ptr_null(jparse_field(fields, ""));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jparse");
    TCase *tc = tcase_create("objects");
    TCase *tq = tcase_create("bodies_queries_render");

    tcase_add_test(tc, create_applies_defaults_and_normalizes);
    tcase_add_test(tc, keys_are_checked_first);
    tcase_add_test(tc, missing_and_null);
    tcase_add_test(tc, types);
    tcase_add_test(tc, bounds_lengths_choices);
    tcase_add_test(tc, long_choice_lists_are_cut_between_choices);
    tcase_add_test(tc, nested_array_paths);
    tcase_add_test(tc, patch_mode_takes_only_present_fields);
    tcase_add_test(tc, query_mode_converts_strings);
    tcase_add_test(tq, bodies);
    tcase_add_test(tq, nesting_is_bounded_before_parsing);
    tcase_add_test(tq, query_strings);
    tcase_add_test(tq, render_converts_back);
    tcase_add_test(tq, field_lookup);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tq);
    return tu_run_suite(s);
}
