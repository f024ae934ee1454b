/*
 * test_openapi_schemas.c - the OpenAPI document's resource schemas say
 * what the field tables (server/model/resources.c) enforce.
 *
 * For each generic resource, its schema (Customer) lists every field of
 * the table in order, and its create and patch schemas (CustomerCreate,
 * CustomerPatch) every field that is not read-only; field by field, the
 * JSON type, nullable, readOnly, the bounds (minLength/maxLength,
 * minimum/maximum, maxItems) and an enum's values agree, read through a
 * $ref or allOf to the schema that carries them; and the create schema's
 * required list is the table's required fields.  A mismatch names the
 * schema, the field and what differs.
 */
#include "model/jparse.h"
#include "model/resource.h"
#include "testutil.h"
#include "yaml_lines.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char fsd_openapi_yaml[]; /* build/gen/openapi.c */

#define TEXT_MAX_DEFAULT 2000 /* jparse.h: JF_TEXT with max 0 */

/* One property of a schema, as the document states it. */
struct prop {
    char type[16];  /* "string", "integer", ... ("" when only a $ref) */
    char ref[48];   /* the schema named by $ref or allOf, or "" */
    int nullable, read_only;
    int has_min, has_max, has_min_len, has_max_len, has_max_items;
    long long min, max, min_len, max_len, max_items;
    char enums[512]; /* "a,b,c" from enum: [a, b, c] */
};

/* The block of components/schemas/name. */
static int schema_block(const char *name, struct span *out)
{
    struct span doc = {fsd_openapi_yaml,
                       fsd_openapi_yaml + strlen(fsd_openapi_yaml)};
    struct span comp, schemas;

    return key_block(&doc, 0, "components", &comp) &&
           key_block(&comp, 2, "schemas", &schemas) &&
           key_block(&schemas, 4, name, out);
}

/* The value after "key: " on a line at indent in b, into out; 0 if none. */
static int scalar(const struct span *b, size_t indent, const char *key,
                  char *out, size_t size)
{
    const char *p, *next, *e;
    size_t n = strlen(key);

    for (p = b->begin; p < b->end; p = next) {
        e = line_end(p, &next);
        if (indent_of(p, e) == indent && (size_t)(e - p) > indent + n + 1 &&
            memcmp(p + indent, key, n) == 0 && p[indent + n] == ':') {
            const char *v = p + indent + n + 1;

            while (v < e && *v == ' ')
                v++;
            snprintf(out, size, "%.*s", (int)(e - v), v);
            return 1;
        }
    }
    return 0;
}

static int number(const struct span *b, size_t indent, const char *key,
                  long long *out)
{
    char v[32];

    if (!scalar(b, indent, key, v, sizeof v))
        return 0;
    *out = strtoll(v, NULL, 10);
    return 1;
}

/* "#/components/schemas/Id" (quoted or not) -> "Id". */
static void ref_name(const char *v, char *out, size_t size)
{
    const char *slash = strrchr(v, '/');

    snprintf(out, size, "%.*s", (int)strcspn(slash ? slash + 1 : v, "\""),
             slash ? slash + 1 : v);
}

/* "[a, b, c]" -> "a,b,c" */
static void enum_list(const char *v, char *out, size_t size)
{
    size_t n = 0;

    for (; *v && n + 1 < size; v++)
        if (*v != '[' && *v != ']' && *v != ' ' && *v != '"')
            out[n++] = *v;
    out[n] = '\0';
}

/* A block-style list under "<indent>key:" ("- a" lines below it) as
 * "a,b,c"; 0 if there is none. */
static int block_list(const struct span *b, size_t indent, const char *key,
                      char *out, size_t size)
{
    struct span l;
    const char *p, *next, *e;

    if (!key_block(b, indent, key, &l))
        return 0;
    out[0] = '\0';
    for (p = l.begin; p < l.end; p = next) {
        e = line_end(p, &next);
        if (indent_of(p, e) == indent + 2 && p[indent + 2] == '-')
            snprintf(out + strlen(out), size - strlen(out), "%s%.*s",
                     out[0] ? "," : "", (int)(e - p - indent - 4),
                     p + indent + 4);
    }
    return 1;
}

/* What the block b (a property's, indented at indent) states, with what
 * its $ref's schema states filled in where the property is silent. */
static void read_prop(const struct span *b, size_t indent, struct prop *p)
{
    char v[512], ref[48] = "";

    scalar(b, indent, "type", p->type, sizeof p->type);
    if (scalar(b, indent, "$ref", v, sizeof v) ||
        scalar(b, indent + 2, "- $ref", v, sizeof v))
        ref_name(v, ref, sizeof ref);
    if (!p->ref[0])
        snprintf(p->ref, sizeof p->ref, "%s", ref);
    if (scalar(b, indent, "nullable", v, sizeof v))
        p->nullable = strcmp(v, "true") == 0;
    if (scalar(b, indent, "readOnly", v, sizeof v))
        p->read_only = strcmp(v, "true") == 0;
    if (!p->has_min)
        p->has_min = number(b, indent, "minimum", &p->min);
    if (!p->has_max)
        p->has_max = number(b, indent, "maximum", &p->max);
    if (!p->has_min_len)
        p->has_min_len = number(b, indent, "minLength", &p->min_len);
    if (!p->has_max_len)
        p->has_max_len = number(b, indent, "maxLength", &p->max_len);
    if (!p->has_max_items)
        p->has_max_items = number(b, indent, "maxItems", &p->max_items);
    if (!p->enums[0] && scalar(b, indent, "enum", v, sizeof v))
        enum_list(v, p->enums, sizeof p->enums);
    else if (!p->enums[0])
        block_list(b, indent, "enum", p->enums, sizeof p->enums);
    if (ref[0]) { /* the referenced schema, at its own indentation */
        struct span r;

        if (schema_block(ref, &r)) {
            struct prop inner = *p;

            inner.type[0] = '\0';
            read_prop(&r, 6, &inner);
            if (!p->type[0])
                snprintf(p->type, sizeof p->type, "%s", inner.type);
            memcpy(p->enums, inner.enums, sizeof p->enums);
            p->has_min = inner.has_min, p->min = inner.min;
            p->has_max = inner.has_max, p->max = inner.max;
            p->has_min_len = inner.has_min_len, p->min_len = inner.min_len;
            p->has_max_len = inner.has_max_len, p->max_len = inner.max_len;
            p->nullable |= inner.nullable;
        }
    }
}

static const char *type_of_field(enum jf_type t)
{
    switch (t) {
    case JF_INT: return "integer";
    case JF_NUMBER: return "number";
    case JF_BOOL: return "boolean";
    case JF_ARRAY: return "array";
    default: return "string";
    }
}

/* Append "; what" to out. */
static void note(char *out, size_t size, const char *fmt, long long a,
                 long long b)
{
    size_t n = strlen(out);

    snprintf(out + n, size - n, "; ");
    n = strlen(out);
    snprintf(out + n, size - n, fmt, a, b);
}

static void check_bounds(const struct jfield *f, const struct prop *p,
                         char *out, size_t size)
{
    if (f->type == JF_TEXT) {
        long long max = f->max ? f->max : TEXT_MAX_DEFAULT;

        if (!p->has_max_len || p->max_len != max)
            note(out, size, "maxLength %lld, the table's %lld",
                 p->has_max_len ? p->max_len : -1, max);
        if ((p->has_min_len ? p->min_len : 0) != f->min)
            note(out, size, "minLength %lld, the table's %lld",
                 p->has_min_len ? p->min_len : 0, f->min);
    } else if (f->type == JF_INT || f->type == JF_NUMBER) {
        if (!p->has_min || p->min != f->min)
            note(out, size, "minimum %lld, the table's %lld",
                 p->has_min ? p->min : -1, f->min);
        if (!p->has_max || p->max != f->max)
            note(out, size, "maximum %lld, the table's %lld",
                 p->has_max ? p->max : -1, f->max);
    } else if (f->type == JF_ARRAY && (!p->has_max_items ||
                                       p->max_items != f->max)) {
        note(out, size, "maxItems %lld, the table's %lld",
             p->has_max_items ? p->max_items : -1, f->max);
    }
}

/* Differences between field f and property p, "" when none. */
static void compare(const struct jfield *f, const struct prop *p,
                    int in_output, char *out, size_t size)
{
    char want[512] = "";

    out[0] = '\0';
    if (strcmp(p->type, type_of_field(f->type)) != 0)
        snprintf(out, size, "; type %s, the table's %s",
                 p->type[0] ? p->type : "(none)", type_of_field(f->type));
    if (in_output && p->read_only != !!(f->flags & JF_READONLY))
        note(out, size, "readOnly %lld, the table's %lld", p->read_only,
             !!(f->flags & JF_READONLY));
    if (!(f->flags & JF_READONLY)) { /* the table bounds input only */
        if (p->nullable != !!(f->flags & JF_NULLABLE))
            note(out, size, "nullable %lld, the table's %lld", p->nullable,
                 !!(f->flags & JF_NULLABLE));
        check_bounds(f, p, out, size);
    }
    if (f->type == JF_ENUM) {
        for (const char *const *c = f->choices; *c; c++)
            snprintf(want + strlen(want), sizeof want - strlen(want),
                     "%s%s", want[0] ? "," : "", *c);
        if (strcmp(p->enums, want) != 0) {
            size_t n = strlen(out);
            snprintf(out + n, size - n, "; enum [%s], the table's [%s]",
                     p->enums, want);
        }
    }
}

/* Which of the table's fields a schema lists: all (a reply), those a
 * create takes, those a patch takes (the version it is checked against
 * too). */
enum shape { SHAPE_FULL, SHAPE_CREATE, SHAPE_PATCH };

static int listed(const struct jfield *f, enum shape shape)
{
    return shape == SHAPE_FULL ||
           !(f->flags & (JF_READONLY | (shape == SHAPE_CREATE ? JF_CHECK : 0)));
}

/* Every mismatch of schema name against fields, one per line, into out;
 * the count. */
static int schema_mismatches(const char *name, const struct jfield *fields,
                             enum shape shape, char *out, size_t size)
{
    struct span s, props;
    const char *p, *next, *e;
    const struct jfield *f = fields;
    int bad = 0;

    out[0] = '\0';
    if (!schema_block(name, &s) || !key_block(&s, 6, "properties", &props)) {
        snprintf(out, size, "%s: no such schema with properties\n", name);
        return 1;
    }
    for (p = props.begin; p < props.end; p = next) {
        char key[64], diff[1024];
        struct prop pr = {0};
        struct span b;

        e = line_end(p, &next);
        if (!is_any_key_at(p, e, 8))
            continue;
        snprintf(key, sizeof key, "%.*s", (int)(e - p - 9), p + 8);
        while (f->name && !listed(f, shape))
            f++;
        if (!f->name || strcmp(f->name, key) != 0) {
            snprintf(out + strlen(out), size - strlen(out),
                     "%s.%s: the table's next field is %s\n", name, key,
                     f->name ? f->name : "(none)");
            return bad + 1;
        }
        key_block(&props, 8, key, &b);
        read_prop(&b, 10, &pr);
        compare(f, &pr, shape == SHAPE_FULL, diff, sizeof diff);
        if (diff[0]) {
            snprintf(out + strlen(out), size - strlen(out), "%s.%s%s\n",
                     name, key, diff);
            bad++;
        }
        f++;
    }
    while (f->name && !listed(f, shape))
        f++;
    if (f->name) {
        snprintf(out + strlen(out), size - strlen(out),
                 "%s: the table's field %s is missing\n", name, f->name);
        bad++;
    }
    return bad;
}

/* The create schema's required list is the table's required fields. */
static int required_mismatch(const char *name, const struct jfield *fields,
                             char *out, size_t size)
{
    struct span s;
    char have[1024] = "", want[1024] = "";

    schema_block(name, &s);
    if (scalar(&s, 6, "required", have, sizeof have))
        enum_list(have, have, sizeof have);
    for (const struct jfield *f = fields; f->name; f++)
        if (f->flags & JF_REQUIRED)
            snprintf(want + strlen(want), sizeof want - strlen(want),
                     "%s%s", want[0] ? "," : "", f->name);
    if (strcmp(have, want) == 0)
        return 0;
    snprintf(out, size, "%s: required [%s], the table's [%s]\n", name, have,
             want);
    return 1;
}

static const struct {
    const struct resource *res;
    const char *full, *create, *patch;
} documented[] = {
    {&res_customer, "Customer", "CustomerCreate", "CustomerPatch"},
    {&res_asset, "Asset", "AssetCreate", "AssetPatch"},
    {&res_skill, "Skill", "SkillCreate", "SkillPatch"},
    {&res_technician, "Technician", "TechnicianCreate", "TechnicianPatch"},
    {&res_part, "Part", "PartCreate", "PartPatch"},
    {&res_job, "Job", "JobCreate", "JobPatch"},
    {&res_sla_policy, "SlaPolicy", NULL, "SlaPolicyPatch"},
    /* users and tokens are created by routes of their own (a one-time
     * password, a secret shown once): their create schemas are not the
     * table's */
    {&res_user, "User", NULL, "UserPatch"},
    {&res_api_token, "ApiToken", NULL, NULL},
    {&res_device, "Device", NULL, NULL},
};

/* Check schema name (if any) as shape of fields, adding to the report. */
static int check_schema(const char *name, const struct jfield *fields,
                        enum shape shape, char *report, size_t size)
{
    char one[4096];
    int bad;

    if (!name)
        return 0;
    bad = schema_mismatches(name, fields, shape, one, sizeof one);
    strncat(report, one, size - strlen(report) - 1);
    if (shape == SHAPE_CREATE) {
        one[0] = '\0';
        bad += required_mismatch(name, fields, one, sizeof one);
        strncat(report, one, size - strlen(report) - 1);
    }
    return bad;
}

START_TEST(every_schema_says_what_its_table_enforces)
{
    static char report[16384];
    int bad = 0;

    report[0] = '\0';
    for (size_t i = 0; i < sizeof documented / sizeof documented[0]; i++) {
        const struct jfield *fields = documented[i].res->fields;

        bad += check_schema(documented[i].full, fields, SHAPE_FULL, report,
                            sizeof report);
        bad += check_schema(documented[i].create, fields, SHAPE_CREATE,
                            report, sizeof report);
        bad += check_schema(documented[i].patch, fields, SHAPE_PATCH, report,
                            sizeof report);
    }
    ck_assert_msg(bad == 0, "%d mismatches:\n%s", bad, report);
}
END_TEST

/* The comparison can fail: a table that differs from the document in a
 * bound, a flag, a type, an enum value, a missing field and a required
 * field is reported for each. */
START_TEST(a_table_unlike_its_schema_is_reported)
{
    static const char *const tiers[] = {"regular", "vip", 0};
    static const struct jfield unlike[] = {
        {"id", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
        {"name", JF_TEXT, JF_REQUIRED, 1, 100, 0, 0, 0}, /* 200 there */
        {"phone", JF_TEXT, 0, 0, 40, 0, 0, 0},           /* nullable there */
        {"email", JF_INT, JF_NULLABLE, 0, 200, 0, 0, 0}, /* a string there */
        {"address", JF_TEXT, JF_NULLABLE, 0, 500, 0, 0, 0},
        {"lat", JF_NUMBER, JF_NULLABLE, -90, 90, 0, 0, 0},
        {"lon", JF_NUMBER, JF_NULLABLE, -180, 180, 0, 0, 0},
        {"tier", JF_ENUM, 0, 0, 0, tiers, 0, 0},  /* "key_account" there */
        {"timezone", JF_ZONE, 0, 0, 0, 0, 0, 0},
        {"created_at", JF_TIME, JF_READONLY, 0, 0, 0, 0, 0},
        {"updated_at", JF_TIME, JF_READONLY, 0, 0, 0, 0, 0},
        {"rating", JF_INT, 0, 0, 5, 0, 0, 0}, /* not documented */
        JF_END};
    char out[4096];

    ck_assert_int_eq(schema_mismatches("Customer", unlike, SHAPE_FULL, out,
                                       sizeof out), 5);
    ck_assert_ptr_nonnull(strstr(out, "Customer.name; maxLength 200, the"
                                      " table's 100"));
    ck_assert_ptr_nonnull(strstr(out, "Customer.phone; nullable 1, the"
                                      " table's 0"));
    ck_assert_ptr_nonnull(strstr(out, "Customer.email; type string, the"
                                      " table's integer"));
    ck_assert_ptr_nonnull(strstr(out, "Customer.tier; enum"
                                      " [regular,key_account], the table's"
                                      " [regular,vip]"));
    ck_assert_ptr_nonnull(strstr(out, "Customer: the table's field rating"
                                      " is missing"));
    ck_assert_int_eq(required_mismatch("CustomerCreate", unlike, out,
                                       sizeof out), 0);
    ck_assert_int_eq(required_mismatch("CustomerPatch", unlike, out,
                                       sizeof out), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("openapi_schemas");
    TCase *tc = tcase_create("schemas");

    tcase_add_test(tc, every_schema_says_what_its_table_enforces);
    tcase_add_test(tc, a_table_unlike_its_schema_is_reported);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
