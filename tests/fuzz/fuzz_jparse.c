/*
 * fuzz_jparse.c - every JSON body and query parser the API reaches
 * through tables: jparse_body, jparse_object against each resource's
 * field table (resources.c) in create and patch mode, jparse_query_string
 * with jparse_object in query mode against each resource's list filters,
 * and job_input_parse, the per-event tables of POST .../events (the API
 * handlers' own static tables are not reachable from here).
 *
 * Feeds: the first byte picks the resource (or job events), the second
 * the mode (create, patch, query) or the staff role; the rest is the body
 * or the query string.
 * Checks: failures are ERR_INVALID with one of jparse's codes and, below
 * the top level, the offending field's path; a parsed object holds only
 * writable fields of the table, each of its declared type and within its
 * bounds (text length, integer range, enum choices, dates, times of day,
 * zones, array sizes, items recursively), every input key, and on create
 * every required field; rendering it (jparse_render) and parsing the
 * reply again gives the same object - for queries by writing the rendered
 * values back into a query string; a query string re-encoded parses to
 * the same parameters; job_input_parse fills its out-parameters from the
 * parsed fields and enforces reasons and on_behalf_of as documented.
 */
#include "api/job_input.h"
#include "common/timefmt.h"
#include "common/tz.h"
#include "fuzz.h"
#include "model/jdepth.h"
#include "model/resource.h"
#include "rules/job.h"

static const struct resource *const resources[] = {
    &res_customer, &res_asset, &res_skill, &res_technician, &res_part,
    &res_job, &res_sla_policy, &res_user, &res_api_token, &res_device};
#define NRES (sizeof resources / sizeof resources[0])

static const char *const codes[] = {
    "malformed_json", "invalid_type", "unknown_field", "read_only_field",
    "missing_field", "null_field", "invalid_text", "invalid_length",
    "invalid_choice", "out_of_range", "too_many_items", "invalid_timezone",
    "invalid_query", "duplicate_parameter", "too_deep", NULL};

static void check_err(const struct err *err, int rc)
{
    int known = 0;

    FUZZ_CHECK(rc == ERR_INVALID && err->rc == ERR_INVALID, "rc %d", rc);
    for (const char *const *c = codes; *c; c++)
        known |= err->code && strcmp(err->code, *c) == 0;
    FUZZ_CHECK(known, "code %s", err->code ? err->code : "(null)");
    FUZZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) && err->msg[0],
               "no message");
}

static void check_value(const struct jfield *f, const json_t *v,
                        const char *key);

/* out is what jparse_object made of in against fields in mode. */
static void check_norm(const json_t *in, const json_t *out,
                       const struct jfield *fields, enum jparse_mode mode)
{
    const char *key;
    json_t *v;

    FUZZ_CHECK(json_is_object(out), "not an object");
    json_object_foreach((json_t *)out, key, v) {
        const struct jfield *f = jparse_field(fields, key);
        FUZZ_CHECK(f && !(f->flags & JF_READONLY), "field %s", key);
        FUZZ_CHECK(mode != JPARSE_PATCH || json_object_get(in, key),
                   "patch adds %s", key);
        if (json_is_null(v))
            FUZZ_CHECK(f->flags & JF_NULLABLE, "%s is null", key);
        else
            check_value(f, v, key);
    }
    json_object_foreach((json_t *)in, key, v)
        FUZZ_CHECK(json_object_get(out, key), "input %s dropped", key);
    for (const struct jfield *f = fields; f->name; f++)
        if (mode != JPARSE_PATCH && !(f->flags & JF_READONLY) &&
            ((f->flags & JF_REQUIRED) || f->dflt))
            FUZZ_CHECK(json_object_get(out, f->name), "%s missing", f->name);
}

static void check_value(const struct jfield *f, const json_t *v,
                        const char *key)
{
    long long max = f->max ? f->max : 2000;
    json_int_t n = json_integer_value(v);
    double d = json_real_value(v);
    int64_t days;
    int found = 0;
    const struct tz *z;
    struct err err = ERR_INIT;
    size_t i;
    json_t *item;

    switch (f->type) {
    case JF_TEXT:
        FUZZ_CHECK(json_is_string(v), "%s", key);
        FUZZ_CHECK(strlen(json_string_value(v)) == json_string_length(v) &&
                       (long long)json_string_length(v) >= f->min &&
                       (long long)json_string_length(v) <= max,
                   "%s of %zu bytes", key, json_string_length(v));
        break;
    case JF_INT:
        FUZZ_CHECK(json_is_integer(v) && n >= f->min && n <= f->max,
                   "%s = %lld", key, (long long)n);
        break;
    case JF_NUMBER:
        FUZZ_CHECK(json_is_real(v) && d >= (double)f->min &&
                       d <= (double)f->max,
                   "%s = %g", key, d);
        break;
    case JF_BOOL:
        FUZZ_CHECK(json_is_boolean(v), "%s", key);
        break;
    case JF_ENUM:
        FUZZ_CHECK(json_is_string(v), "%s", key);
        for (const char *const *c = f->choices; *c; c++)
            found |= strcmp(*c, json_string_value(v)) == 0;
        FUZZ_CHECK(found, "%s = %s", key, json_string_value(v));
        break;
    case JF_DATE:
        FUZZ_CHECK(json_is_string(v) &&
                       timefmt_parse_date(json_string_value(v), &days) == 0,
                   "%s", key);
        break;
    case JF_DAY:
        FUZZ_CHECK(json_is_integer(v) && n % 86400 == 0, "%s = %lld", key,
                   (long long)n);
        break;
    case JF_TIME: /* what timefmt_parse_rfc3339 accepts, years to 9999 */
        FUZZ_CHECK(json_is_integer(v) && n >= -2208988800LL - 86340 &&
                       n <= 253402300799LL,
                   "%s = %lld", key, (long long)n);
        break;
    case JF_HHMM:
        FUZZ_CHECK(json_is_integer(v) && n >= 0 && n <= 1440, "%s = %lld",
                   key, (long long)n);
        break;
    case JF_ZONE:
        FUZZ_CHECK(json_is_string(v) &&
                       tz_get(json_string_value(v), &z, &err) == 0,
                   "%s", key);
        break;
    case JF_ARRAY:
        FUZZ_CHECK(json_is_array(v) && (long long)json_array_size(v) <= f->max,
                   "%s", key);
        json_array_foreach(v, i, item)
            check_norm(item, item, f->items, JPARSE_PATCH);
        json_array_foreach(v, i, item)
            for (const struct jfield *g = f->items; g->name; g++)
                if (!(g->flags & JF_READONLY) &&
                    ((g->flags & JF_REQUIRED) || g->dflt))
                    FUZZ_CHECK(json_object_get(item, g->name), "%s[%zu].%s",
                               key, i, g->name);
        break;
    }
}

/* Percent-encode every byte but unreserved ones. */
static void enc(char **o, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
            *(*o)++ = (char)*p;
        } else {
            *(*o)++ = '%';
            *(*o)++ = hex[*p >> 4];
            *(*o)++ = hex[*p & 15];
        }
    }
}

/* obj's values (strings, integers, booleans) as a query string. */
static char *to_query(const json_t *obj)
{
    size_t cap = 64;
    const char *key;
    json_t *v;
    char *q, *o, num[32];

    json_object_foreach((json_t *)obj, key, v)
        cap += 3 * strlen(key) + 3 * json_string_length(v) + 40;
    q = o = malloc(cap);
    json_object_foreach((json_t *)obj, key, v) {
        if (o != q)
            *o++ = '&';
        enc(&o, key);
        *o++ = '=';
        if (json_is_string(v))
            enc(&o, json_string_value(v));
        else if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
            enc(&o, num);
        } else
            enc(&o, json_is_true(v) ? "true" : "false");
    }
    *o = '\0';
    return q;
}

static void round_trip(const json_t *out, const struct jfield *fields,
                       enum jparse_mode mode)
{
    json_t *r, *again = NULL, *q = NULL;
    struct err err = ERR_INIT;
    char *query = NULL;
    int rc;

    r = jparse_render(out, fields);
    if (mode == JPARSE_QUERY) {
        query = to_query(r);
        FUZZ_CHECK(jparse_query_string(query, &q, &err) == 0, "%s: %s",
                   query, err.msg);
        rc = jparse_object(q, fields, mode, "", &again, &err);
    } else {
        rc = jparse_object(r, fields, mode, "", &again, &err);
    }
    FUZZ_CHECK(rc == 0, "the rendered reply does not parse: %s %s: %s",
               err.code, err.field, err.msg);
    FUZZ_CHECK(json_equal(out, again), "round trip changed the object");
    json_decref(again);
    json_decref(q);
    json_decref(r);
    free(query);
}

static void parse_table(const json_t *in, const struct jfield *fields,
                        enum jparse_mode mode)
{
    json_t *out = NULL;
    struct err err = ERR_INIT;
    int rc = jparse_object(in, fields, mode, "", &out, &err);

    if (rc) {
        check_err(&err, rc);
        /* every error inside an object names its field ("" only for a
         * key that is itself "") */
        FUZZ_CHECK(!json_is_object(in) || err.field[0] ||
                       json_object_get(in, ""),
                   "%s without a field", err.code);
        return;
    }
    check_norm(in, out, fields, mode);
    round_trip(out, fields, mode);
    json_decref(out);
}

static void check_query(const char *s, const struct jfield *filters)
{
    json_t *q = NULL, *again = NULL, *v;
    struct err err = ERR_INIT;
    const char *key;
    char *re;
    int rc = jparse_query_string(s, &q, &err);

    if (rc) {
        check_err(&err, rc);
        return;
    }
    json_object_foreach(q, key, v)
        FUZZ_CHECK(key[0] && json_is_string(v), "parameter %s", key);
    re = to_query(q);
    FUZZ_CHECK(jparse_query_string(re, &again, &err) == 0 &&
                   json_equal(q, again),
               "\"%s\" re-encoded as \"%s\"", s, re);
    parse_table(q, filters, JPARSE_QUERY);
    free(re);
    json_decref(again);
    json_decref(q);
}

static void check_event(const json_t *body, unsigned role)
{
    struct job_event_req r;
    json_t *vals = NULL;
    const char *reason = NULL, *behalf;
    struct err err = ERR_INIT;
    enum job_event ev;
    int rc;

    memset(&r, 0, sizeof r);
    rc = job_input_parse(body, role, &r, &vals, &reason, &err);
    if (rc) {
        check_err(&err, rc);
        json_decref(vals);
        return;
    }
    FUZZ_CHECK(vals && r.payload == vals && r.by_staff == 1, "out");
    FUZZ_CHECK(job_event_parse(json_string_value(json_object_get(body,
                                                                 "event")),
                               &ev) == 0 &&
                   r.event == (int)ev,
               "event %d", r.event);
    FUZZ_CHECK(reason == json_string_value(json_object_get(vals, "reason")),
               "reason");
    FUZZ_CHECK(!job_event_needs_reason(ev) || reason, "%s without a reason",
               job_event_name(ev));
    FUZZ_CHECK(r.technician_id ==
                   json_integer_value(json_object_get(vals, "technician_id")),
               "technician_id");
    FUZZ_CHECK(r.version == json_integer_value(json_object_get(vals,
                                                               "version")),
               "version");
    behalf = json_string_value(json_object_get(vals, "on_behalf_of"));
    if (behalf)
        FUZZ_CHECK(reason && r.role == (strcmp(behalf, "technician") == 0
                                            ? JR_TECHNICIAN
                                            : JR_CUSTOMER),
                   "on behalf of %s", behalf);
    else
        FUZZ_CHECK(r.role == role, "role %u", r.role);
    json_decref(vals);
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    uint8_t which = fuzz_u8(&in) % (NRES + 1), mode = fuzz_u8(&in) % 3;
    json_t *body = NULL;
    struct err err = ERR_INIT;
    int rc;

    if (which < NRES && mode == JPARSE_QUERY) {
        char *s = fuzz_rest_str(&in);
        check_query(s, resources[which]->filters);
        free(s);
        return 0;
    }
    rc = jparse_body((const char *)in.p, in.n, &body, &err);
    if (rc) {
        check_err(&err, rc);
        FUZZ_CHECK(!strcmp(err.code, "malformed_json") ||
                       !strcmp(err.code, "invalid_type") ||
                       !strcmp(err.code, "invalid_text") ||
                       !strcmp(err.code, "too_deep"),
                   "body refused with %s", err.code);
        FUZZ_CHECK((strcmp(err.code, "too_deep") == 0) ==
                       (jdepth_exceeds((const char *)in.p, in.n,
                                       JDEPTH_MAX) != 0),
                   "too_deep is the text's depth alone");
        return 0;
    }
    FUZZ_CHECK(!jdepth_exceeds((const char *)in.p, in.n, JDEPTH_MAX),
               "a body nested over %d levels was parsed", JDEPTH_MAX);
    FUZZ_CHECK(json_is_object(body), "body is not an object");
    if (which == NRES)
        check_event(body, mode == 0 ? JR_DISPATCHER : JR_MANAGER);
    else
        parse_table(body, resources[which]->fields,
                    mode == 0 ? JPARSE_CREATE : JPARSE_PATCH);
    json_decref(body);
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* jansson's hash seed from a fixed value: runs are reproducible */
    json_object_seed(1);
    return 0;
}

FUZZ_TARGET(fuzz_one)
