/*
 * api_records.c - what is recorded on a job and its customer beyond their
 * own fields: GET /api/v1/jobs/{id}/record, approving a part line that
 * needs approval, recording an invoice's payment, a customer's
 * maintenance entitlement, the skills a unit's model usually needs, and
 * the image of a sign-off's signature.
 *
 * Instants stored as Unix seconds ("at", "..._at") are sent as RFC 3339 text,
 * except inside a signed summary, which is sent exactly as it was signed.
 */
#include "api/api.h"
#include "common/mem.h"
#include "common/timefmt.h"

#include <string.h>
#include <time.h>

/* Turn every integer "at" or "..._at" member of v (and of what it holds) into RFC
 * 3339 text, leaving signed summaries as they are. */
static void render_times(json_t *v)
{
    const char *key;
    json_t *m;
    size_t i, n;

    if (json_is_array(v))
        json_array_foreach(v, i, m)
            render_times(m);
    if (!json_is_object(v))
        return;
    json_object_foreach(v, key, m) {
        n = strlen(key);
        if ((!strcmp(key, "at") || (n > 3 && !strcmp(key + n - 3, "_at"))) &&
            json_is_integer(m)) {
            char at[TIMEFMT_RFC3339_LEN];
            timefmt_format_rfc3339(json_integer_value(m), at);
            json_object_set_new(v, key, json_string(at));
        } else if (strcmp(key, "summary") != 0) {
            render_times(m);
        }
    }
}

int api_job_record(struct req *req, struct err *err)
{
    json_t *rec;
    int64_t id;

    if (http_param_id(req, "id", &id, err) ||
        store_job_record(req->app->store, id, &rec, err))
        return err->rc;
    render_times(rec);
    return http_json(req, 200, rec);
}

/* GET /api/v1/jobs/{id}/sign-offs/{sign_off}/signature: the image the
 * customer drew, as the device sent it (PNG or JPEG, told by its first
 * bytes; anything else is offered as a download). */
int api_job_signature(struct req *req, struct err *err)
{
    json_t *sig;
    int64_t id, sign_off;
    const char *bytes, *type = "application/octet-stream";
    size_t n;
    char *copy;

    if (http_param_id(req, "id", &id, err) ||
        http_param_id(req, "sign_off", &sign_off, err) ||
        store_signature(req->app->store, id, sign_off, &sig, err))
        return err->rc;
    bytes = json_string_value(sig);
    n = json_string_length(sig);
    if (n >= 8 && memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) == 0)
        type = "image/png";
    else if (n >= 3 && memcmp(bytes, "\xff\xd8\xff", 3) == 0)
        type = "image/jpeg";
    else
        http_header(req, "Content-Disposition: attachment;"
                         " filename=\"signature.bin\"");
    copy = xmalloc(n + 1);
    memcpy(copy, bytes, n);
    json_decref(sig);
    return http_text(req, 200, type, copy, n);
}

int api_job_part_approve(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    json_t *row;
    int64_t id, line;

    if (http_param_id(req, "id", &id, err) ||
        http_param_id(req, "line", &line, err) ||
        store_job_part_approve(req->app->store, id, line, &who, &row, err))
        return err->rc;
    return api_reply_row(req, 200, &res_job, row);
}

static const struct jfield payment_fields[] = {
    {.name = "reference", .type = JF_TEXT, .flags = JF_NULLABLE, .min = 1,
     .max = 200}, JF_END};

int api_invoice_payment(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    json_t *vals, *invoice;
    int64_t id;
    int rc;

    if (http_param_id(req, "id", &id, err) ||
        http_body_parse(req, payment_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    rc = store_invoice_pay(req->app->store, id,
                           json_string_value(json_object_get(vals,
                                                             "reference")),
                           &who, &invoice, err);
    json_decref(vals);
    if (rc)
        return rc;
    render_times(invoice);
    return http_json(req, 200, invoice);
}

int api_asset_skills(struct req *req, struct err *err)
{
    json_t *out;
    int64_t id;

    if (http_param_id(req, "id", &id, err) ||
        store_model_skills(req->app->store, id, &out, err))
        return err->rc;
    return http_json(req, 200, out);
}

int api_customer_entitlement(struct req *req, struct err *err)
{
    json_t *out;
    int64_t id;

    if (http_param_id(req, "id", &id, err) ||
        store_customer_entitlement(req->app->store, id, (int64_t)time(NULL),
                                   &out, err))
        return err->rc;
    return http_json(req, 200, out);
}
