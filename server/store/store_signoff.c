/*
 * store_signoff.c - the customer's sign-off and the job's invoice.
 *
 * At sign-off the server writes down what the customer is signing: the
 * visits and their outcomes, the parts used with their serial numbers and
 * the charges.  That summary is stored as canonical JSON (sorted keys, no
 * whitespace) with its BLAKE2b-256 hash, next to the signature bytes and
 * their hash, the rating and the comment.
 *
 * Charges exist only for out-of-warranty work: the parts actually used at
 * their list price, the labour the technician recorded on each visit and
 * the call-out fee: the one the customer accepted when booking, or else
 * the approved quote's.  The accepted fee is charged even when the quote
 * was declined: the visit took place.  The approved quote's total goes
 * with the charges (quoted_minor), so a difference is there to see and
 * explain before the customer signs.  Closing such a job issues the
 * invoice from the same figures, unless nothing is due.
 *
 * A device also sends the summary it showed the customer (checked in
 * sync.c by rules/shown_summary.c): its text and hash are kept beside the
 * server's, with whether the total the customer saw is the charges'.  A
 * difference does not refuse the sign-off, since the customer signed
 * what they saw; the event's detail says it, for a dispatcher.
 */
#include "common/sec.h"
#include "common/timefmt.h"
#include "rules/quote.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIGNATURE_MAX (256 * 1024)

static const char sql_charge_lines[] =
    "SELECT kind, description, quantity, unit_price_minor FROM ("
    " SELECT 0 AS o, min(u.id) AS k, 'part' AS kind,"
    "  p.sku || ' ' || p.name AS description, sum(u.quantity) AS quantity,"
    "  p.price_minor AS unit_price_minor FROM part_usage u"
    "  JOIN visits v ON v.id = u.visit_id JOIN parts p ON p.id = u.part_id"
    "  WHERE v.job_id = :id GROUP BY u.part_id"
    " UNION ALL"
    " SELECT 1, v.id * 1000 + l.key, 'labour',"
    "  json_extract(l.value, '$.description'),"
    "  json_extract(l.value, '$.quantity'),"
    "  json_extract(l.value, '$.unit_price_minor')"
    "  FROM visits v, json_each(v.labour) l WHERE v.job_id = :id"
    " UNION ALL"
    " SELECT 2, 0, 'callout', 'Call-out fee', 1, callout_minor FROM jobs"
    "  WHERE id = :id AND callout_minor > 0"
    " UNION ALL"
    " SELECT 2, q.id, 'callout', json_extract(l.value, '$.description'),"
    "  json_extract(l.value, '$.quantity'),"
    "  json_extract(l.value, '$.unit_price_minor')"
    "  FROM quotes q, json_each(q.lines) l WHERE q.job_id = :id"
    "  AND q.status = 'approved'"
    "  AND json_extract(l.value, '$.kind') = 'callout'"
    "  AND NOT EXISTS(SELECT 1 FROM jobs WHERE id = :id"
    "   AND callout_minor > 0)"
    ") WHERE EXISTS(SELECT 1 FROM jobs WHERE id = :id"
    " AND warranty = 'out_of_warranty') ORDER BY o, k";
static const char sql_quoted[] =
    "SELECT total_minor FROM quotes WHERE job_id = :id"
    " AND status = 'approved'";
static const char sql_visits[] =
    "SELECT id, outcome, notes, arrived_at, ended_at FROM visits"
    " WHERE job_id = :id AND status = 'done' ORDER BY id";
static const char sql_parts_used[] =
    "SELECT u.part_id, p.sku, u.quantity, u.serial, u.faulty_serial"
    " FROM part_usage u JOIN visits v ON v.id = u.visit_id"
    " JOIN parts p ON p.id = u.part_id WHERE v.job_id = :id ORDER BY u.id";
static const char sql_sign[] =
    "INSERT INTO sign_offs(job_id, visit_id, customer_name, signature,"
    " signature_hash, summary, summary_hash, rating, comment, at,"
    " shown_summary, shown_summary_hash, summary_agrees)"
    " VALUES (:id, (SELECT max(id) FROM visits WHERE job_id = :id"
    " AND status = 'done'), :customer_name, :signature_bytes,"
    " :signature_hash_bytes, :summary, :summary_hash_bytes, :rating,"
    " :comment, :at, :shown_summary, :shown_summary_hash_bytes,"
    " :summary_agrees) RETURNING id";
static const char sql_invoice[] =
    "INSERT INTO invoices(job_id, customer_id, lines, parts_minor,"
    " labour_minor, callout_minor, total_minor, issued_at)"
    " VALUES (:id, :customer_id, :lines, :parts_minor, :labour_minor,"
    " :callout_minor, :total_minor, :now) RETURNING id";

/* The chargeable lines of job id and their totals: {"lines", totals...};
 * no lines and zero totals for work under warranty. */
static int charges(struct store_conn *c, const json_t *vals, json_t **out,
                   struct err *err)
{
    json_t *lines = store__rows(c, sql_charge_lines, vals, err);
    struct quote_line ql[QUOTE_MAX_LINES];
    struct quote_totals t = {0, 0, 0, 0};
    int n;

    if (!lines)
        return err->rc;
    n = store__quote_lines(lines, ql, QUOTE_MAX_LINES);
    if (n > 0 && quote_total(ql, (size_t)n, &t, err)) {
        json_decref(lines);
        return err->rc;
    }
    *out = json_pack("{s:o}", "lines", lines);
    store__quote_totals_set(*out, &t);
    if (!(lines = store__rows(c, sql_quoted, vals, err))) {
        json_decref(*out);
        return err->rc;
    }
    if (json_array_size(lines))
        json_object_set(*out, "quoted_minor",
                        json_object_get(json_array_get(lines, 0),
                                        "total_minor"));
    json_decref(lines);
    return 0;
}

static json_t *hex(const unsigned char *h, size_t n)
{
    char text[2 * SEC_HASH_BYTES + 1];

    for (size_t i = 0; i < n && i < SEC_HASH_BYTES; i++)
        snprintf(text + 2 * i, 3, "%02x", h[i]);
    return json_string(text);
}

/* What the customer signs, as canonical JSON text (caller frees), and
 * the total of its charges into *charged. */
static char *summary_text(struct store_conn *c, const struct job_ctx *x,
                          const json_t *vals, int64_t *charged,
                          struct err *err)
{
    json_t *visits = store__rows(c, sql_visits, vals, err);
    json_t *parts = visits ? store__rows(c, sql_parts_used, vals, err) : NULL;
    json_t *money = NULL, *summary;
    char at[TIMEFMT_RFC3339_LEN], *text = NULL;

    timefmt_format_rfc3339(x->now, at);
    if (parts && charges(c, vals, &money, err) == 0) {
        summary = json_pack("{s:I, s:O, s:O, s:O, s:O, s:O, s:s}", "job_id",
                            (json_int_t)x->id, "customer_name",
                            store__payload(x, "customer_name"), "warranty",
                            json_object_get(x->cur, "warranty"), "visits",
                            visits, "parts_used", parts, "charges", money,
                            "signed_at", at);
        text = json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(summary);
        *charged = json_integer_value(json_object_get(money, "total_minor"));
    }
    json_decref(money);
    json_decref(parts);
    json_decref(visits);
    return text;
}

/* The summary the device showed, if it sent one: its hash and whether
 * its total is the charges' go with the row (vals) and the detail. */
static void shown_summary(struct job_ctx *x, int64_t charged, json_t *vals)
{
    const json_t *text = store__payload(x, "shown_summary");
    const json_t *shown = store__payload(x, "shown_total_minor");
    unsigned char h[SEC_HASH_BYTES];
    int agrees = json_integer_value(shown) == charged;

    if (!json_is_string(text))
        return;
    sec_hash(json_string_value(text), json_string_length(text), h);
    json_object_set_new(vals, "shown_summary_hash_bytes",
                        json_stringn_nocheck((const char *)h,
                                             SEC_HASH_BYTES));
    json_object_set_new(vals, "summary_agrees", json_boolean(agrees));
    json_object_set_new(x->detail, "shown_summary_hash",
                        hex(h, SEC_HASH_BYTES));
    json_object_set_new(x->detail, "summary_agrees", json_boolean(agrees));
    json_object_set(x->detail, "shown_total_minor", (json_t *)shown);
    json_object_set_new(x->detail, "charged_total_minor",
                        json_integer((json_int_t)charged));
}

int store__sign_off(struct store_conn *c, struct job_ctx *x,
                    struct err *err)
{
    unsigned char *sig = malloc(SIGNATURE_MAX), sig_hash[SEC_HASH_BYTES],
                  sum_hash[SEC_HASH_BYTES];
    json_t *vals = json_pack("{s:I, s:I, s:I}", "id", (json_int_t)x->id,
                             "now", (json_int_t)x->now, "at",
                             (json_int_t)x->occurred);
    char *summary = NULL;
    size_t len = 0;
    int64_t id = 0, charged = 0;
    int rc = 0;

    if (sec_base64_decode(json_string_value(store__payload(x, "signature")),
                          sig, SIGNATURE_MAX, &len) || len == 0)
        rc = err_set(err, ERR_INVALID, "invalid_signature", "signature",
                     "signature must be base64 (RFC 4648, padded) of 1 to"
                     " %d bytes", SIGNATURE_MAX);
    if (rc == 0 && !(summary = summary_text(c, x, vals, &charged, err)))
        rc = err->rc ? err->rc : ERR_INTERNAL;
    if (rc == 0) {
        sec_hash(sig, len, sig_hash);
        sec_hash(summary, strlen(summary), sum_hash);
        json_object_update(vals, (json_t *)x->req->payload);
        json_object_set_new(vals, "signature_bytes", json_stringn_nocheck(
                                                   (const char *)sig, len));
        json_object_set_new(vals, "signature_hash_bytes",
                            json_stringn_nocheck((const char *)sig_hash,
                                                 SEC_HASH_BYTES));
        json_object_set_new(vals, "summary", json_string(summary));
        json_object_set_new(vals, "summary_hash_bytes",
                            json_stringn_nocheck((const char *)sum_hash,
                                                 SEC_HASH_BYTES));
        shown_summary(x, charged, vals);
        rc = store__scalar(c, sql_sign, vals, &id, err);
    }
    if (rc == 0) {
        json_object_set_new(x->detail, "sign_off_id", json_integer(id));
        json_object_set(x->detail, "rating",
                        (json_t *)store__payload(x, "rating"));
        json_object_set_new(x->detail, "summary_hash",
                            hex(sum_hash, SEC_HASH_BYTES));
    }
    free(summary);
    free(sig);
    json_decref(vals);
    return rc;
}

int store__invoice_issue(struct store_conn *c, struct job_ctx *x,
                         struct err *err)
{
    json_t *vals, *money = NULL;
    char *lines;
    int64_t id = 0;
    int rc;

    if (!json_is_string(json_object_get(x->cur, "warranty")) ||
        strcmp(json_string_value(json_object_get(x->cur, "warranty")),
               "out_of_warranty"))
        return 0;
    vals = json_pack("{s:I, s:I, s:O}", "id", (json_int_t)x->id, "now",
                     (json_int_t)x->now, "customer_id",
                     json_object_get(x->cur, "customer_id"));
    if ((rc = charges(c, vals, &money, err)) == 0 &&
        json_integer_value(json_object_get(money, "total_minor")) == 0) {
        json_decref(money); /* nothing is due: no invoice */
        json_decref(vals);
        return 0;
    }
    if (rc == 0) {
        lines = json_dumps(json_object_get(money, "lines"), JSON_COMPACT);
        json_object_update(vals, money);
        json_object_set_new(vals, "lines", json_string(lines));
        free(lines);
        rc = store__scalar(c, sql_invoice, vals, &id, err);
    }
    if (rc == 0) {
        json_object_set_new(x->detail, "invoice_id", json_integer(id));
        json_object_set(x->detail, "total_minor",
                        json_object_get(money, "total_minor"));
    }
    json_decref(money);
    json_decref(vals);
    return rc;
}
