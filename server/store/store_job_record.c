/*
 * store_job_record.c - reading everything recorded on a job beyond its own
 * fields: the warranty decision, quotes, visits with the parts used on
 * each, sign-offs and the invoice.
 *
 * JSON stored as text (quote and invoice lines, labour, the signed
 * summary) comes back as JSON, except the summary a device showed the
 * customer, which is sent as the exact text it hashed; hashes come back as
 * lowercase hex, and a signature as its size (the bytes stay in the
 * database, and are read one at a time by store_signature()).
 */
#include "store/store_int.h"

static const char sql_warranty[] =
    "SELECT warranty AS outcome, warranty_reason AS reason,"
    " preferred_technician_id FROM jobs WHERE id = :id";
static const char sql_quotes[] =
    "SELECT id, status, lines, parts_minor, labour_minor, callout_minor,"
    " total_minor, issued_at, expires_at, answered_at, answered_by, note"
    " FROM quotes WHERE job_id = :id ORDER BY id";
static const char sql_visits[] =
    "SELECT id, follows_visit_id, technician_id, status, arrived_at,"
    " ended_at, outcome, notes, labour FROM visits WHERE job_id = :id"
    " ORDER BY id";
static const char sql_usage[] =
    "SELECT u.visit_id, u.part_id, p.sku, u.quantity, u.serial,"
    " u.faulty_serial FROM part_usage u JOIN visits v ON v.id = u.visit_id"
    " JOIN parts p ON p.id = u.part_id WHERE v.job_id = :id ORDER BY u.id";
static const char sql_sign_offs[] =
    "SELECT id, visit_id, customer_name, rating, comment, at,"
    " length(signature) AS signature_size,"
    " lower(hex(signature_hash)) AS signature_hash, summary,"
    " lower(hex(summary_hash)) AS summary_hash, shown_summary,"
    " CASE WHEN shown_summary_hash IS NOT NULL"
    "  THEN lower(hex(shown_summary_hash)) END AS shown_summary_hash,"
    " summary_agrees FROM sign_offs WHERE job_id = :id ORDER BY id";
const char store__sql_invoice[] =
    "SELECT id, lines, parts_minor, labour_minor, callout_minor,"
    " total_minor, issued_at, paid_at, payment_reference FROM invoices"
    " WHERE job_id = :id";

/* Replace the JSON text in each row's field name by the JSON it holds. */
static void parse_text(json_t *rows, const char *name)
{
    json_t *row;
    size_t i;

    json_array_foreach(rows, i, row) {
        json_t *v = json_loads(json_string_value(json_object_get(row, name)),
                               0, NULL);
        json_object_set_new(row, name, v ? v : json_null());
    }
}

/* summary_agrees as true or false (null: no summary was shown). */
static void agrees_bool(json_t *sign_offs)
{
    json_t *row, *v;
    size_t i;

    json_array_foreach(sign_offs, i, row) {
        v = json_object_get(row, "summary_agrees");
        if (json_is_integer(v))
            json_object_set_new(row, "summary_agrees",
                                json_boolean(json_integer_value(v)));
    }
}

/* Attach to each visit the parts used on it. */
static void attach_usage(json_t *visits, json_t *usage)
{
    json_t *v, *u;
    size_t i, k;

    json_array_foreach(visits, i, v) {
        json_t *mine = json_array();
        json_array_foreach(usage, k, u)
            if (json_equal(json_object_get(u, "visit_id"),
                           json_object_get(v, "id")))
                json_array_append(mine, u);
        json_object_set_new(v, "parts_used", mine);
    }
}

/* Turn the array under key into its only row, or null. */
static void single(json_t *rec, const char *key)
{
    json_t *one = json_array_get(json_object_get(rec, key), 0);

    json_object_set(rec, key, one ? one : json_null());
}

static int read_record(struct store_conn *c, const json_t *vals,
                       json_t *out, struct err *err)
{
    static const struct {
        const char *key, *sql, *json_field;
    } parts[] = {
        {"warranty", sql_warranty, NULL},
        {"quotes", sql_quotes, "lines"},
        {"visits", sql_visits, "labour"},
        {"parts_used", sql_usage, NULL},
        {"sign_offs", sql_sign_offs, "summary"},
        {"invoice", store__sql_invoice, "lines"},
    };

    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        json_t *rows = store__rows(c, parts[i].sql, vals, err);
        if (!rows)
            return err->rc;
        if (parts[i].json_field)
            parse_text(rows, parts[i].json_field);
        json_object_set_new(out, parts[i].key, rows);
    }
    return 0;
}

int store_job_record(struct store *s, int64_t id, json_t **out,
                     struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *vals, *rec, *job = NULL;
    int rc;

    if (!c || store_res_get(s, &res_job, id, &job, err))
        return err->rc;
    json_decref(job);
    vals = json_pack("{s:I}", "id", (json_int_t)id);
    rec = json_object();
    rc = read_record(c, vals, rec, err);
    json_decref(vals);
    if (rc) {
        json_decref(rec);
        return rc;
    }
    single(rec, "warranty");
    single(rec, "invoice");
    agrees_bool(json_object_get(rec, "sign_offs"));
    attach_usage(json_object_get(rec, "visits"),
                 json_object_get(rec, "parts_used"));
    json_object_del(rec, "parts_used");
    *out = rec;
    return 0;
}

int store_signature(struct store *s, int64_t job_id, int64_t sign_off_id,
                    json_t **out, struct err *err)
{
    static const char sql[] =
        "SELECT signature FROM sign_offs WHERE id = :sign_off_id"
        " AND job_id = :id";
    struct store_conn *c = store__reader(s, err);
    json_t *vals, *rows;

    if (!c)
        return err->rc;
    vals = json_pack("{s:I, s:I}", "id", (json_int_t)job_id, "sign_off_id",
                     (json_int_t)sign_off_id);
    rows = store__rows(c, sql, vals, err);
    json_decref(vals);
    if (!rows)
        return err->rc;
    *out = json_incref(json_object_get(json_array_get(rows, 0),
                                       "signature"));
    json_decref(rows);
    return *out ? 0
                : err_set(err, ERR_NOT_FOUND, NULL, NULL,
                          "job %lld has no sign-off %lld",
                          (long long)job_id, (long long)sign_off_id);
}
