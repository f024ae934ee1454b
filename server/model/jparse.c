/*
 * jparse.c - field-table validation of JSON input and rendering of rows.
 *
 * This is the only place that decides whether a client's JSON is acceptable,
 * so every error names the field and says what was expected.  It does no I/O
 * and knows nothing of SQL.
 */
#include "model/jparse.h"
#include "common/timefmt.h"
#include "common/tz.h"
#include "model/jdepth.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_DEFAULT 2000

static const char *type_names[] = {
    [JF_TEXT] = "a string", [JF_INT] = "an integer",
    [JF_NUMBER] = "a number", [JF_BOOL] = "a boolean",
    [JF_ENUM] = "a string", [JF_DATE] = "a date (YYYY-MM-DD)",
    [JF_DAY] = "a date (YYYY-MM-DD)", [JF_TIME] = "an RFC 3339 time",
    [JF_HHMM] = "a time of day (HH:MM)", [JF_ARRAY] = "an array",
    [JF_ZONE] = "an IANA time zone name",
};

const struct jfield *jparse_field(const struct jfield *fields,
                                  const char *name)
{
    for (const struct jfield *f = fields; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

static int wrong_type(const struct jfield *f, const char *path,
                      struct err *err)
{
    return err_set(err, ERR_INVALID, "invalid_type", path, "%s must be %s",
                   path, type_names[f->type]);
}

static int out_of_range(const char *path, long long min, long long max,
                        struct err *err)
{
    return err_set(err, ERR_INVALID, "out_of_range", path,
                   "%s must be from %lld to %lld", path, min, max);
}

/* Query parameters arrive as strings: convert to the JSON type first. */
static json_t *from_query_string(const struct jfield *f, const json_t *v)
{
    const char *s = json_string_value(v);
    char *end;
    long long n;

    if (f->type == JF_INT) {
        n = strtoll(s, &end, 10);
        return (*s && !*end) ? json_integer(n) : NULL;
    }
    if (f->type == JF_BOOL) {
        if (strcmp(s, "true") == 0)
            return json_true();
        return strcmp(s, "false") == 0 ? json_false() : NULL;
    }
    return json_incref((json_t *)v);
}

static int parse_text(const struct jfield *f, const json_t *v,
                      const char *path, json_t **out, struct err *err)
{
    size_t len = json_string_length(v);
    long long max = f->max ? f->max : TEXT_MAX_DEFAULT;

    if (strlen(json_string_value(v)) != len)
        return err_set(err, ERR_INVALID, "invalid_text", path,
                       "%s must not contain NUL characters", path);
    if ((long long)len < f->min || (long long)len > max)
        return err_set(err, ERR_INVALID, "invalid_length", path,
                       "%s must be %lld to %lld bytes long", path, f->min,
                       max);
    *out = json_incref((json_t *)v);
    return 0;
}

/* The choices as "a, b, c" into list (size bytes with the NUL); when
 * they do not all fit, as many whole ones as do and then ", ...". */
static void choice_list(const char *const *choices, char *list, size_t size)
{
    static const char more[] = ", ...";
    size_t n = 0;

    assert(size > sizeof more);
    list[0] = '\0';
    for (const char *const *c = choices; *c; c++) {
        const char *sep = c == choices ? "" : ", ";
        size_t w = strlen(sep) + strlen(*c);
        size_t keep = c[1] ? sizeof more - 1 : 0; /* room for more */

        if (n + w + keep >= size) {
            strcpy(list + n, n ? more : more + 2); /* keep < size - n */
            return;
        }
        strcpy(list + n, sep);
        strcpy(list + n + strlen(sep), *c);
        n += w;
    }
}

static int parse_enum(const struct jfield *f, const json_t *v,
                      const char *path, json_t **out, struct err *err)
{
    static const char lead[] = " must be one of: ";
    char list[sizeof err->msg];

    for (const char *const *c = f->choices; *c; c++) {
        if (strcmp(*c, json_string_value(v)) == 0) {
            *out = json_incref((json_t *)v);
            return 0;
        }
    }
    /* cut the list, not the message: it must fit after path and lead */
    assert(strlen(path) < sizeof list / 2);
    choice_list(f->choices, list,
                sizeof list - strlen(path) - (sizeof lead - 1));
    return err_set(err, ERR_INVALID, "invalid_choice", path, "%s%s%s", path,
                   lead, list);
}

static int parse_formatted(const struct jfield *f, const json_t *v,
                           const char *path, json_t **out, struct err *err)
{
    const char *s = json_string_value(v);
    int64_t n;
    int minutes;

    switch (f->type) {
    case JF_DATE:
    case JF_DAY:
        if (timefmt_parse_date(s, &n))
            return wrong_type(f, path, err);
        *out = f->type == JF_DAY ? json_integer(n * 86400)
                                 : json_incref((json_t *)v);
        return 0;
    case JF_TIME:
        if (timefmt_parse_rfc3339(s, &n))
            return wrong_type(f, path, err);
        *out = json_integer(n);
        return 0;
    case JF_ZONE: {
        const struct tz *z;

        if (tz_get(s, &z, err)) {
            snprintf(err->field, sizeof(err->field), "%s", path);
            return err->rc;
        }
        *out = json_incref((json_t *)v);
        return 0;
    }
    default: /* JF_HHMM */
        if (timefmt_parse_hhmm(s, &minutes))
            return wrong_type(f, path, err);
        *out = json_integer(minutes);
        return 0;
    }
}

static int parse_array(const struct jfield *f, const json_t *v,
                       const char *path, json_t **out, struct err *err)
{
    char item_path[96];
    size_t i;
    json_t *item, *arr;

    if ((long long)json_array_size(v) > f->max)
        return err_set(err, ERR_INVALID, "too_many_items", path,
                       "%s has more than %lld items", path, f->max);
    arr = json_array();
    json_array_foreach(v, i, item) {
        json_t *norm;
        if (snprintf(item_path, sizeof item_path, "%s[%zu]", path, i) < 0)
            item_path[0] = '\0';
        if (jparse_object(item, f->items, JPARSE_CREATE, item_path, &norm,
                          err)) {
            json_decref(arr);
            return err->rc;
        }
        json_array_append_new(arr, norm);
    }
    *out = arr;
    return 0;
}

static int parse_value(const struct jfield *f, const json_t *v,
                       const char *path, json_t **out, struct err *err)
{
    double d;

    switch (f->type) {
    case JF_TEXT:
        return json_is_string(v) ? parse_text(f, v, path, out, err)
                                 : wrong_type(f, path, err);
    case JF_ENUM:
        return json_is_string(v) ? parse_enum(f, v, path, out, err)
                                 : wrong_type(f, path, err);
    case JF_INT:
        if (!json_is_integer(v))
            return wrong_type(f, path, err);
        if (json_integer_value(v) < f->min || json_integer_value(v) > f->max)
            return out_of_range(path, f->min, f->max, err);
        *out = json_incref((json_t *)v);
        return 0;
    case JF_NUMBER:
        if (!json_is_number(v))
            return wrong_type(f, path, err);
        d = json_number_value(v);
        if (d < (double)f->min || d > (double)f->max)
            return out_of_range(path, f->min, f->max, err);
        *out = json_real(d);
        return 0;
    case JF_BOOL:
        if (!json_is_boolean(v))
            return wrong_type(f, path, err);
        *out = json_incref((json_t *)v);
        return 0;
    case JF_ARRAY:
        return json_is_array(v) ? parse_array(f, v, path, out, err)
                                : wrong_type(f, path, err);
    default:
        return json_is_string(v) ? parse_formatted(f, v, path, out, err)
                                 : wrong_type(f, path, err);
    }
}

static void join_path(char *buf, size_t size, const char *prefix,
                      const char *name)
{
    if (snprintf(buf, size, "%s%s%s", prefix, *prefix ? "." : "", name) < 0)
        buf[0] = '\0'; /* paths longer than the buffer are cut short */
}

/* Reject unknown and read-only keys before looking at values. */
static int check_keys(const json_t *in, const struct jfield *fields,
                      enum jparse_mode mode, const char *prefix,
                      struct err *err)
{
    const char *key;
    const json_t *v;
    char path[96];

    json_object_foreach((json_t *)in, key, v) {
        const struct jfield *f = jparse_field(fields, key);
        join_path(path, sizeof path, prefix, key);
        if (!f)
            return err_set(err, ERR_INVALID, "unknown_field", path,
                           "unknown field '%s'", path);
        if ((f->flags & JF_READONLY) ||
            ((f->flags & JF_CHECK) && mode == JPARSE_CREATE))
            return err_set(err, ERR_INVALID, "read_only_field", path,
                           "field '%s' is read-only", path);
    }
    return 0;
}

static int parse_field(const struct jfield *f, const json_t *in,
                       enum jparse_mode mode, const char *prefix,
                       json_t *out, struct err *err)
{
    json_t *v = json_object_get(in, f->name), *norm = NULL, *tmp = NULL;
    char path[96];
    int rc;

    join_path(path, sizeof path, prefix, f->name);
    if (!v && mode != JPARSE_PATCH && f->dflt)
        v = tmp = json_loads(f->dflt, JSON_DECODE_ANY, NULL);
    if (!v) {
        if (mode != JPARSE_PATCH && (f->flags & JF_REQUIRED))
            return err_set(err, ERR_INVALID, "missing_field", path,
                           "missing required field '%s'", path);
        return 0;
    }
    if (json_is_null(v)) {
        if (!(f->flags & JF_NULLABLE))
            return err_set(err, ERR_INVALID, "null_field", path,
                           "field '%s' must not be null", path);
        json_object_set(out, f->name, v);
        return 0;
    }
    /* input query values are strings; a default is already typed */
    if (mode == JPARSE_QUERY && !tmp && !(tmp = from_query_string(f, v)))
        return wrong_type(f, path, err);
    rc = parse_value(f, tmp ? tmp : v, path, &norm, err);
    json_decref(tmp);
    if (rc == 0)
        json_object_set_new(out, f->name, norm);
    return rc;
}

int jparse_object(const json_t *in, const struct jfield *fields,
                  enum jparse_mode mode, const char *prefix, json_t **out,
                  struct err *err)
{
    json_t *obj;

    if (!json_is_object(in))
        return err_set(err, ERR_INVALID, "invalid_type", prefix,
                       "%s must be a JSON object", *prefix ? prefix : "body");
    if (check_keys(in, fields, mode, prefix, err))
        return err->rc;
    obj = json_object();
    for (const struct jfield *f = fields; f->name; f++) {
        if (f->flags & JF_READONLY)
            continue;
        if (parse_field(f, in, mode, prefix, obj, err)) {
            json_decref(obj);
            return err->rc;
        }
    }
    *out = obj;
    return 0;
}

/* 400 invalid_text naming the first string anywhere in v that holds a
 * NUL character (path: where v is, "" for the body).  Recursive: v nests
 * at most JDEPTH_MAX levels (jparse_body checked its text first). */
static int reject_nul(const json_t *v, const char *path, struct err *err)
{
    char inner[256];
    const char *key;
    const json_t *item;
    size_t i;

    if (json_is_string(v) &&
        strlen(json_string_value(v)) != json_string_length(v))
        return err_set(err, ERR_INVALID, "invalid_text", path,
                       "%s must not contain NUL characters", path);
    json_object_foreach((json_t *)v, key, item) {
        snprintf(inner, sizeof inner, "%s%s%s", path, *path ? "." : "", key);
        if (reject_nul(item, inner, err))
            return err->rc;
    }
    json_array_foreach(v, i, item) {
        snprintf(inner, sizeof inner, "%s[%zu]", path, i);
        if (reject_nul(item, inner, err))
            return err->rc;
    }
    return 0;
}

int jparse_body(const char *body, size_t len, json_t **out, struct err *err)
{
    json_error_t jerr;
    json_t *j;

    if (len == 0)
        return err_set(err, ERR_INVALID, "malformed_json", NULL,
                       "request body is empty; a JSON object is expected");
    if (jdepth_exceeds(body, len, JDEPTH_MAX))
        return err_set(err, ERR_INVALID, "too_deep", NULL,
                       "request body nests arrays and objects more than %d"
                       " levels deep", JDEPTH_MAX);
    /* NUL is let through the JSON parser so that the answer can name the
     * field (invalid_text) */
    j = json_loadb(body, len,
                   JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL,
                   &jerr);
    if (!j)
        return err_set(err, ERR_INVALID, "malformed_json", NULL,
                       "malformed JSON at line %d column %d: %s", jerr.line,
                       jerr.column, jerr.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return err_set(err, ERR_INVALID, "invalid_type", NULL,
                       "request body must be a JSON object");
    }
    if (reject_nul(j, "", err)) {
        json_decref(j);
        return err->rc;
    }
    *out = j;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode [s, s+n) into a new string; NULL on a bad escape or NUL. */
static char *url_decode(const char *s, size_t n)
{
    char *d = malloc(n + 1), *o = d;

    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;

        if (s[i] != '%') {
            *o++ = s[i] == '+' ? ' ' : s[i];
            continue;
        }
        hi = i + 2 < n ? hexval(s[i + 1]) : -1;
        lo = i + 2 < n ? hexval(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi | lo) == 0) {
            free(d);
            return NULL;
        }
        *o++ = (char)(hi * 16 + lo);
        i += 2;
    }
    *o = '\0';
    return d;
}

static int utf8_valid(const char *s)
{
    json_t *probe = json_string(s); /* NULL for invalid UTF-8 */

    json_decref(probe);
    return probe != NULL;
}

/* Add one "key=value" pair of length n to obj. */
static int query_pair(json_t *obj, const char *p, size_t n, struct err *err)
{
    const char *eq = memchr(p, '=', n);
    size_t klen = eq ? (size_t)(eq - p) : n;
    char *key = url_decode(p, klen);
    char *val = eq ? url_decode(eq + 1, n - klen - 1) : strdup("");
    json_t *jv = val ? json_string(val) : NULL;
    int rc = 0;

    if (!key || !jv || !*key || !utf8_valid(key))
        rc = err_set(err, ERR_INVALID, "invalid_query", NULL,
                     "query string is not valid percent-encoded UTF-8");
    else if (json_object_get(obj, key))
        rc = err_set(err, ERR_INVALID, "duplicate_parameter", key,
                     "query parameter '%s' is given twice", key);
    else
        json_object_set(obj, key, jv);
    json_decref(jv);
    free(key);
    free(val);
    return rc;
}

int jparse_query_string(const char *query, json_t **out, struct err *err)
{
    json_t *obj = json_object();
    const char *p = query ? query : "";

    while (*p) {
        size_t n = strcspn(p, "&");
        if (n && query_pair(obj, p, n, err)) {
            json_decref(obj);
            return err->rc;
        }
        p += n + (p[n] == '&');
    }
    *out = obj;
    return 0;
}

static json_t *render_value(const struct jfield *f, const json_t *v)
{
    char buf[TIMEFMT_RFC3339_LEN];
    json_int_t n = json_integer_value(v);

    if (json_is_null(v))
        return json_null();
    switch (f->type) {
    case JF_BOOL:
        return json_boolean(json_is_true(v) || n != 0);
    case JF_TIME:
        timefmt_format_rfc3339(n, buf);
        return json_string(buf);
    case JF_DAY:
        timefmt_format_rfc3339(n, buf);
        buf[10] = '\0';
        return json_string(buf);
    case JF_HHMM:
        timefmt_format_hhmm((int)n, buf);
        return json_string(buf);
    case JF_NUMBER:
        return json_real(json_number_value(v));
    case JF_ARRAY: {
        json_t *arr = json_array(), *item;
        size_t i;
        json_array_foreach(v, i, item)
            json_array_append_new(arr, jparse_render(item, f->items));
        return arr;
    }
    default:
        return json_incref((json_t *)v);
    }
}

json_t *jparse_render(const json_t *row, const struct jfield *fields)
{
    json_t *out = json_object();

    for (const struct jfield *f = fields; f->name; f++) {
        const json_t *v = json_object_get(row, f->name);
        if (v)
            json_object_set_new(out, f->name, render_value(f, v));
    }
    return out;
}
