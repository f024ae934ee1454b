/*
 * jparse.h - strict, table-driven validation of JSON input and rendering of
 * stored rows back to JSON.
 *
 * A field table describes an object: each field's name, type, bounds and
 * flags.  Parsing turns client JSON into a "normalized" object (instants as
 * Unix seconds, times of day as minutes, booleans as true/false) that the
 * storage layer binds by name; rendering does the reverse for replies.
 * Unknown fields, wrong types, missing required fields and out-of-range
 * values are ERR_INVALID with a specific code and the field's path.
 */
#ifndef FSD_JPARSE_H
#define FSD_JPARSE_H

#include "common/err.h"

#include <jansson.h>

enum jf_type {
    JF_TEXT,   /* string, min..max bytes (max 0: 2000) */
    JF_INT,    /* integer, min..max */
    JF_NUMBER, /* integer or real, min..max, stored as real */
    JF_BOOL,   /* true or false */
    JF_ENUM,   /* one of choices */
    JF_DATE,   /* "YYYY-MM-DD", stored as text */
    JF_DAY,    /* "YYYY-MM-DD", stored as Unix seconds of its UTC midnight */
    JF_TIME,   /* RFC 3339 instant, stored as Unix seconds */
    JF_HHMM,   /* "HH:MM", stored as minutes after midnight */
    JF_ZONE,   /* an IANA time zone name the system knows (tz.c) */
    JF_ARRAY,  /* array of objects described by items, at most max */
};

enum jf_flags {
    JF_REQUIRED = 1 << 0, /* must be present (and non-null) on create */
    JF_NULLABLE = 1 << 1, /* null is accepted */
    JF_READONLY = 1 << 2, /* output only; rejected in input */
    JF_CHECK = 1 << 3,    /* patch input compared, never written (version) */
};

enum jparse_mode {
    JPARSE_CREATE, /* required fields enforced, defaults applied */
    JPARSE_PATCH,  /* only present fields; required ones may not be null */
    JPARSE_QUERY,  /* values arrive as strings (query parameters);
                      required fields and defaults as on create */
};

struct jfield {
    const char *name;
    enum jf_type type;
    unsigned flags;
    long long min, max;          /* range or length bounds, see jf_type */
    const char *const *choices;  /* JF_ENUM: NULL-terminated */
    const char *dflt;            /* JSON text used on create when absent */
    const struct jfield *items;  /* JF_ARRAY: element fields */
};

/* The largest id a field accepts: 2^53 - 1, exact in JavaScript clients. */
#define JF_ID_MAX 9007199254740991LL

/* Field tables end with an entry whose name is NULL. */
#define JF_END {0}

/*
 * Validate in against fields.  On success *out is a new normalized object
 * (caller owns it, json_decref).  prefix names the enclosing field in error
 * paths ("" at top level).
 */
int jparse_object(const json_t *in, const struct jfield *fields,
                  enum jparse_mode mode, const char *prefix, json_t **out,
                  struct err *err);

/* Parse a request body into a JSON object; 400 malformed_json,
 * invalid_type, invalid_text (a NUL in a string) or too_deep (nesting
 * over JDEPTH_MAX levels, refused before any recursive parsing). */
int jparse_body(const char *body, size_t len, json_t **out, struct err *err);

/*
 * Parse a URL query string ("a=1&b=x%20y") into an object of strings.
 * Duplicate keys are ERR_INVALID.  Caller owns *out.
 */
int jparse_query_string(const char *query, json_t **out, struct err *err);

/* A new reply object from a normalized row, fields in table order. */
json_t *jparse_render(const json_t *row, const struct jfield *fields);

/* The field named name in a table, or NULL. */
const struct jfield *jparse_field(const struct jfield *fields,
                                  const char *name);

#endif
