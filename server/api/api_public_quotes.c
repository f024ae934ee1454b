/*
 * api_public_quotes.c - what a customer does with a quote link, no login:
 * read the job's quote with its lines and totals
 * (GET /api/v1/public/quotes/{token}) and approve or decline it
 * (POST /api/v1/public/quotes/{token}, {"decision": "approve"|"decline"}).
 *
 * Every route passes the gate of api_public.c first.  Money is in integer
 * minor units of the company's currency (its profile, read once per
 * request with its name); each line gets its amount (quantity × unit
 * price, exact within quote.h's bounds).
 */
#include "api/api.h"
#include "app.h"
#include "common/sec.h"

#include <string.h>

static const char *const quote_times[] = {"issued_at", "expires_at",
                                          "answered_at"};

/* The quote as its customer sees it: amounts per line, instants as text. */
static json_t *public_quote(const json_t *q, const char *currency)
{
    json_t *out = json_deep_copy(q), *line;
    size_t i;

    json_array_foreach(json_object_get(out, "lines"), i, line) {
        json_int_t qty = json_integer_value(json_object_get(line, "quantity"));
        json_int_t unit = json_integer_value(json_object_get(
            line, "unit_price_minor"));
        json_object_set_new(line, "amount_minor", json_integer(qty * unit));
    }
    api_copy_instants(out, q, quote_times, 3);
    json_object_set_new(out, "currency", json_string(currency));
    return out;
}

int api_public_quote(struct req *req, struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];
    struct company co;
    json_t *view, *out;

    if (api_public_admit(req, err) || api_public_token(req, hash, err) ||
        store_quote_link_view(req->app->store, hash, &view, err))
        return err->rc;
    if (api_public_company(req, json_object_get(view, "job"), &co, err)) {
        json_decref(view);
        return err->rc;
    }
    out = json_pack("{s:o, s:o}", "job",
                    api_public_job(json_object_get(view, "job")), "quote",
                    public_quote(json_object_get(view, "quote"),
                                 co.currency));
    json_decref(view);
    return http_json(req, 200, out);
}

static const char *const decisions[] = {"approve", "decline", 0};

static const struct jfield answer_fields[] = {
    {.name = "decision", .type = JF_ENUM, .flags = JF_REQUIRED,
     .choices = decisions},
    {.name = "note", .type = JF_TEXT, .flags = JF_NULLABLE, .min = 1,
     .max = 500},
    JF_END};

int api_public_quote_answer(struct req *req, struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];
    json_t *vals, *out;
    int rc;

    if (api_public_admit(req, err) || api_public_token(req, hash, err) ||
        http_body_parse(req, answer_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    rc = store_quote_link_answer(
        req->app->store, hash,
        strcmp(json_string_value(json_object_get(vals, "decision")),
               "approve") == 0,
        json_string_value(json_object_get(vals, "note")), &out, err);
    json_decref(vals);
    return rc ? rc : http_json(req, 200, out);
}
