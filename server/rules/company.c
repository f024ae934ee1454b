/*
 * company.c - the company profile's field table, the check of its
 * currency code, and its rendering (company.h).
 *
 * The currency is kept as the three capital letters of an ISO 4217 code;
 * whether the code is assigned is not checked (the list changes; the
 * pages format amounts with the browser's own currency data).
 */
#include "rules/company.h"
#include "model/jparse.h"

#include <string.h>

#define CURRENCY_LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static const struct jfield company_fields[] = {
    {.name = "name", .type = JF_TEXT, .min = 1, .max = COMPANY_NAME_MAX},
    {.name = "timezone", .type = JF_ZONE},
    {.name = "currency", .type = JF_TEXT, .max = 16},
    {.name = "phone", .type = JF_TEXT, .max = COMPANY_PHONE_MAX},
    {.name = "email", .type = JF_TEXT, .max = COMPANY_EMAIL_MAX},
    {.name = "callout_fee_minor", .type = JF_INT, .max = COMPANY_FEE_MAX},
    {.name = "updated_at", .type = JF_TIME, .flags = JF_READONLY},
    JF_END};

static int check_currency(const json_t *patch, struct err *err)
{
    const char *code = json_string_value(json_object_get(patch, "currency"));

    if (!code || (strlen(code) == 3 && strspn(code, CURRENCY_LETTERS) == 3))
        return 0;
    return err_set(err, ERR_INVALID, "invalid_currency", "currency",
                   "currency must be an ISO 4217 code: three capital"
                   " letters such as EUR or CNY");
}

int company_patch(const json_t *in, json_t **patch, struct err *err)
{
    json_t *vals;

    if (jparse_object(in, company_fields, JPARSE_PATCH, "", &vals, err))
        return err->rc;
    if (json_object_size(vals) == 0) {
        json_decref(vals);
        return err_set(err, ERR_INVALID, "empty_patch", NULL,
                       "the body names no field to change");
    }
    if (check_currency(vals, err)) {
        json_decref(vals);
        return err->rc;
    }
    *patch = vals;
    return 0;
}

json_t *company_json(const struct company *co)
{
    json_t *row = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "name", co->name, "timezone",
        co->timezone, "currency", co->currency, "phone", co->phone, "email",
        co->email, "callout_fee_minor", (json_int_t)co->callout_fee_minor,
        "updated_at",
        co->updated_at ? json_integer(co->updated_at) : json_null());
    json_t *out = jparse_render(row, company_fields);

    json_decref(row);
    return out;
}
