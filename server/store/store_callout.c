/*
 * store_callout.c - the call-out fee of an out-of-warranty visit
 * (docs/DOMAIN.md "Call-out fee").
 *
 * A repair whose unit is expected out of warranty on the day of the visit
 * (warranty.c on the asset's purchase date, before anyone has looked at
 * it) carries the company's call-out fee.  The customer accepts it before
 * the visit is booked: a booking without accept_callout is refused, and a
 * booking with it keeps the fee on the job, so a later move of the visit
 * does not ask again.  What the invoice makes of it is store_signoff.c's.
 */
#include "common/timefmt.h"
#include "rules/warranty.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

static const char sql_job[] =
    "SELECT j.kind, j.callout_minor, a.purchase_date, a.warranty_months,"
    " (SELECT callout_fee_minor FROM company WHERE id = 1) AS fee,"
    " (SELECT currency FROM company WHERE id = 1) AS currency"
    " FROM jobs j LEFT JOIN assets a ON a.id = j.asset_id WHERE j.id = :id";
static const char sql_accept[] =
    "UPDATE jobs SET callout_minor = :fee WHERE id = :id";

int store__callout_due(struct store_conn *c, int64_t job_id, int64_t at,
                       struct store_callout *out, struct err *err)
{
    json_t *vals = json_pack("{s:I}", "id", (json_int_t)job_id);
    json_t *rows = store__rows(c, sql_job, vals, err);
    const json_t *j = json_array_get(rows, 0);
    struct warranty_input in = {0};
    struct warranty_decision d;
    char day[TIMEFMT_RFC3339_LEN];
    struct err ignored = ERR_INIT;

    json_decref(vals);
    memset(out, 0, sizeof *out);
    if (!rows)
        return err->rc;
    out->accepted = j && !json_is_null(json_object_get(j, "callout_minor"));
    out->fee_minor = json_integer_value(json_object_get(j, "fee"));
    snprintf(out->currency, sizeof out->currency, "%s",
             json_string_value(json_object_get(j, "currency"))
                 ? json_string_value(json_object_get(j, "currency"))
                 : "");
    timefmt_format_rfc3339(at, day);
    day[10] = '\0';
    in.purchase_date = json_string_value(json_object_get(j,
                                                         "purchase_date"));
    in.warranty_months = json_is_integer(json_object_get(j,
                                                         "warranty_months"))
                             ? (int)json_integer_value(json_object_get(
                                   j, "warranty_months"))
                             : WARRANTY_MONTHS_DEFAULT;
    in.visit_date = day;
    out->due = j && out->fee_minor > 0 &&
               strcmp(json_string_value(json_object_get(j, "kind")),
                      "repair") == 0 &&
               warranty_decide(&in, &d, &ignored) == 0 &&
               d.outcome == WARRANTY_OUT;
    if (out->due)
        snprintf(out->reason, sizeof out->reason, "%s", d.reason);
    json_decref(rows);
    return 0;
}

int store__callout_accept(struct store_conn *c, struct job_ctx *x,
                          int64_t at, struct err *err)
{
    struct store_callout due;
    json_t *vals;
    int rc;

    if (store__callout_due(c, x->id, at, &due, err))
        return err->rc;
    if (!due.due || due.accepted)
        return 0;
    if (!json_is_true(store__payload(x, "accept_callout")))
        return err_set(err, ERR_CONFLICT, "callout_not_accepted",
                       "accept_callout",
                       "this visit carries a call-out fee of %s %lld.%02lld"
                       " because %s; the customer accepts it before the"
                       " visit is booked",
                       due.currency, (long long)(due.fee_minor / 100),
                       (long long)(due.fee_minor % 100), due.reason);
    vals = json_pack("{s:I, s:I}", "id", (json_int_t)x->id, "fee",
                     (json_int_t)due.fee_minor);
    rc = store__run(c, sql_accept, vals, err);
    json_decref(vals);
    if (rc == 0)
        json_object_set_new(x->detail, "callout_minor",
                            json_integer(due.fee_minor));
    return rc;
}

int store_job_callout(struct store *s, int64_t job_id, int64_t at,
                      struct store_callout *out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);

    return c ? store__callout_due(c, job_id, at, out, err) : err->rc;
}
