/*
 * store_warranty.c - recording the warranty decision on a job.
 *
 * The technician reports what was found (liquid, impact, tampering, a
 * performance fault); warranty.c decides from those findings, the asset's
 * purchase date and warranty months and the visit date.  The event must
 * match the decision: decide_in_warranty only for in_warranty,
 * decide_replacement only for replacement, issue_quote only for
 * out_of_warranty.  Only staff may cover a unit with no purchase date, and
 * only with a reason.  The outcome and its reason are kept on the job and
 * in the audit event.
 */
#include "common/timefmt.h"
#include "rules/job.h"
#include "rules/warranty.h"
#include "store/store_int.h"

#include <string.h>

static const char sql_asset[] =
    "SELECT a.purchase_date, a.warranty_months FROM jobs j"
    " JOIN assets a ON a.id = j.asset_id WHERE j.id = :id";
static const char sql_set[] =
    "UPDATE jobs SET warranty = :warranty, warranty_reason = :reason"
    " WHERE id = :id";

static enum warranty_outcome expected_outcome(enum job_event ev)
{
    return ev == EV_DECIDE_IN_WARRANTY  ? WARRANTY_IN
           : ev == EV_DECIDE_REPLACEMENT ? WARRANTY_REPLACEMENT
                                         : WARRANTY_OUT;
}

static const char *event_for(enum warranty_outcome o)
{
    return o == WARRANTY_IN ? "decide_in_warranty"
           : o == WARRANTY_REPLACEMENT ? "decide_replacement"
                                       : "issue_quote";
}

static int flag(const struct job_ctx *x, const char *name)
{
    return json_is_true(store__payload(x, name));
}

/* Gather the rule's input; *asset holds the strings it borrows. */
static int gather(struct store_conn *c, const struct job_ctx *x,
                  struct warranty_input *in, char *visit_date, json_t **asset,
                  struct err *err)
{
    json_t *vals = json_pack("{s:I}", "id", (json_int_t)x->id);
    json_t *rows = store__rows(c, sql_asset, vals, err);
    const json_t *a = json_array_get(rows, 0);
    const json_t *override = store__payload(x, "warranty_override");
    char now[TIMEFMT_RFC3339_LEN];

    json_decref(vals);
    if (!rows)
        return err->rc;
    if (override && !x->req->by_staff)
        return json_decref(rows),
               err_set(err, ERR_FORBIDDEN, "override_not_allowed",
                       "warranty_override",
                       "only a dispatcher or manager may override the"
                       " warranty rule");
    timefmt_format_rfc3339(x->now, now);
    memcpy(visit_date, now, 10);
    visit_date[10] = '\0';
    in->purchase_date = json_string_value(json_object_get(a,
                                                          "purchase_date"));
    in->warranty_months = a ? (int)json_integer_value(json_object_get(
                                  a, "warranty_months"))
                            : WARRANTY_MONTHS_DEFAULT;
    in->visit_date = visit_date;
    in->damage = (flag(x, "liquid") ? DAMAGE_LIQUID : 0) |
                 (flag(x, "impact") ? DAMAGE_IMPACT : 0) |
                 (flag(x, "tampered") ? DAMAGE_TAMPERED : 0);
    in->performance_fault = flag(x, "performance_fault");
    in->override_reason = json_string_value(override);
    *asset = rows;
    return 0;
}

int store__warranty_decide(struct store_conn *c, struct job_ctx *x,
                           struct err *err)
{
    struct warranty_input in;
    struct warranty_decision d;
    char visit_date[11];
    json_t *asset = NULL, *vals;
    int rc = gather(c, x, &in, visit_date, &asset, err);

    if (rc == 0)
        rc = warranty_decide(&in, &d, err);
    json_decref(asset);
    if (rc)
        return rc;
    if (d.outcome != expected_outcome((enum job_event)x->req->event))
        return err_set(err, ERR_CONFLICT, "warranty_mismatch", "event",
                       "the warranty rule decides %s (%s: %s); record %s",
                       warranty_outcome_name(d.outcome), d.reason_code,
                       d.reason, event_for(d.outcome));
    vals = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)x->id, "warranty",
                     warranty_outcome_name(d.outcome), "reason", d.reason);
    rc = store__run(c, sql_set, vals, err);
    json_decref(vals);
    json_object_set_new(x->detail, "warranty",
                        json_pack("{s:s, s:s, s:s, s:s}", "outcome",
                                  warranty_outcome_name(d.outcome),
                                  "reason_code", d.reason_code, "reason",
                                  d.reason, "period_end", d.period_end));
    return rc;
}

static const char sql_settled[] =
    "SELECT warranty IN ('in_warranty', 'replacement')"
    " OR (warranty = 'out_of_warranty' AND EXISTS(SELECT 1 FROM quotes"
    "  WHERE job_id = jobs.id AND status = 'approved'))"
    " FROM jobs WHERE id = :id";

int store__warranty_settled(struct store_conn *c, const struct job_ctx *x,
                            struct err *err)
{
    json_t *vals = json_pack("{s:I}", "id", (json_int_t)x->id);
    int64_t settled = 0;
    int rc = store__scalar(c, sql_settled, vals, &settled, err);

    json_decref(vals);
    if (rc == 0 && !settled)
        rc = err_set(err, ERR_CONFLICT, "warranty_undecided", "event",
                     "the job has no warranty decision (or no approved"
                     " quote) from an earlier visit: record the decision"
                     " before completing the work");
    return rc;
}
