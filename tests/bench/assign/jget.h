/*
 * jget.h - strict readers for fields of parsed JSON (jansson), shared by
 * the instance loader and the VROOM solution reader.
 *
 * Each reader takes the element's path ("jobs[3].window") for its message;
 * a missing or mistyped value is ERR_INVALID with code "invalid_instance",
 * err->field the path and err->msg "path: reason".  Nothing allocates.
 */
#ifndef FSD_BENCH_JGET_H
#define FSD_BENCH_JGET_H

#include "common/err.h"

#include <jansson.h>
#include <stdint.h>

#define JGET_PATH 96            /* bytes for an element path */
#define JGET_TIME_MAX (1 << 30) /* times stay within +-12 days of origin */

/* Fill err for path and return ERR_INVALID. */
int jget_bad(struct err *err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* path.key into f (JGET_PATH bytes); returns f. */
const char *jget_at(char *f, const char *path, const char *key);

/* o is an object whose keys are all in the NULL-terminated keys. */
int jget_keys(const json_t *o, const char *const *keys, const char *path,
              struct err *err);

/* An integer in [lo, hi]; v NULL means the field is missing. */
int jget_int(const json_t *v, const char *path, long long lo, long long hi,
             long long *out, struct err *err);
int jget_i32(const json_t *v, const char *path, long long lo, long long hi,
             int32_t *out, struct err *err);

/* An index in [0, n); null or absent gives -1 when nullable. */
int jget_index(const json_t *v, const char *path, int n, int nullable, int *out,
               struct err *err);

/* [a, b] of times with a <= b (a < b when strict). */
int jget_span(const json_t *v, const char *path, int strict, int32_t *a,
              int32_t *b, struct err *err);

#endif
