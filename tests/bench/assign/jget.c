/*
 * jget.c - strict readers for fields of parsed JSON; see jget.h.
 *
 * Messages carry the element path so that an error in a hand-written
 * instance of thousands of jobs can be found; they never echo more than a
 * number of the offending value.
 */
#include "jget.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int jget_bad(struct err *err, const char *field, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_set(err, ERR_INVALID, "invalid_instance", field, "%s: %s", field,
                   msg);
}

int jget_keys(const json_t *o, const char *const *keys, const char *path,
              struct err *err)
{
    const char *k;
    json_t *v;
    char f[96];

    if (!json_is_object(o))
        return jget_bad(err, path, "expected an object");
    json_object_foreach((json_t *)o, k, v) {
        int i = 0;

        while (keys[i] && strcmp(keys[i], k))
            i++;
        if (!keys[i]) {
            snprintf(f, sizeof f, "%s.%s", path, k);
            return jget_bad(err, f, "unknown field");
        }
    }
    return 0;
}

/* An integer in [lo, hi]; v NULL means the field is missing. */
int jget_int(const json_t *v, const char *path, long long lo, long long hi,
             long long *out, struct err *err)
{
    if (!v)
        return jget_bad(err, path, "missing");
    if (!json_is_integer(v))
        return jget_bad(err, path, "expected an integer");
    *out = json_integer_value(v);
    if (*out < lo || *out > hi)
        return jget_bad(err, path, "%lld is outside [%lld, %lld]", *out, lo,
                        hi);
    return 0;
}

int jget_i32(const json_t *v, const char *path, long long lo, long long hi,
             int32_t *out, struct err *err)
{
    long long x = 0;

    if (jget_int(v, path, lo, hi, &x, err))
        return err->rc;
    *out = (int32_t)x;
    return 0;
}

/* An index in [0, n), or -1 for null / absent when nullable. */
int jget_index(const json_t *v, const char *path, int n, int nullable, int *out,
               struct err *err)
{
    long long x = 0;

    if (nullable && (!v || json_is_null(v))) {
        *out = -1;
        return 0;
    }
    if (jget_int(v, path, 0, (long long)n - 1, &x, err))
        return err->rc;
    *out = (int)x;
    return 0;
}

/* [a, b] with lo <= a <= b <= hi (a < b when strict). */
int jget_span(const json_t *v, const char *path, int strict, int32_t *a,
              int32_t *b, struct err *err)
{
    if (!json_is_array(v) || json_array_size(v) != 2)
        return jget_bad(err, path, "expected [start, end] in seconds");
    if (jget_i32(json_array_get(v, 0), path, -JGET_TIME_MAX, JGET_TIME_MAX, a,
                 err) ||
        jget_i32(json_array_get(v, 1), path, -JGET_TIME_MAX, JGET_TIME_MAX, b,
                 err))
        return err->rc;
    if (strict ? *a >= *b : *a > *b)
        return jget_bad(err, path, "ends (%d) before it starts (%d)", (int)*b,
                        (int)*a);
    return 0;
}

/* path.key into f (JGET_PATH bytes); returns f. */
const char *jget_at(char *f, const char *path, const char *key)
{
    snprintf(f, JGET_PATH, "%s.%s", path, key);
    return f;
}
