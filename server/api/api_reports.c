/*
 * api_reports.c - GET /api/v1/reports/summary?from=&to= for managers:
 * first-time fix rate, SLA compliance, quote outcomes, parts used, jobs by
 * status and per technician, over jobs created between two dates
 * (inclusive, UTC).  The counting is store_report_summary's; this file
 * turns counts into rates and names the currency of the money in it (the
 * company's).
 */
#include "api/api.h"
#include "app.h"

static const struct jfield summary_fields[] = {
    {.name = "from", .type = JF_DAY, .flags = JF_REQUIRED},
    {.name = "to", .type = JF_DAY, .flags = JF_REQUIRED},
    JF_END};

static json_int_t count(const json_t *totals, const char *key)
{
    return json_integer_value(json_object_get(totals, key));
}

/* {met, total, rate}; rate is null when there is nothing to measure. */
static json_t *ratio(const json_t *totals, const char *met, const char *all)
{
    json_int_t m = count(totals, met), n = count(totals, all);

    return json_pack("{s:I, s:I, s:o}", "met", m, "total", n, "rate",
                     n ? json_real((double)m / (double)n) : json_null());
}

static json_t *summary_json(const json_t *period, const json_t *rep,
                            const char *currency)
{
    const json_t *t = json_object_get(rep, "totals");
    json_t *ftf = ratio(t, "fixed_first_time", "signed_off");
    json_t *out = json_pack(
        "{s:O, s:O, s:I, s:O, s:{s:o, s:o}, s:{s:I, s:I, s:I}, s:I,"
        " s:O, s:O}",
        "from", json_object_get(period, "from"), "to",
        json_object_get(period, "to"), "jobs", count(t, "jobs"),
        "first_time_fix", ftf, "sla", "respond",
        ratio(t, "responded_in_time", "responded"), "on_site",
        ratio(t, "arrived_in_time", "arrived"), "quotes", "approved",
        count(t, "quotes_approved"), "declined", count(t, "quotes_declined"),
        "expired", count(t, "quotes_expired"), "parts_used",
        count(t, "parts_used"), "by_status", json_object_get(rep, "by_status"),
        "by_technician", json_object_get(rep, "by_technician"));

    json_decref(ftf);
    json_object_set_new(out, "ratings",
                        json_pack("{s:I, s:O}", "count", count(t, "ratings"),
                                  "average",
                                  json_object_get(t, "average_rating")));
    json_object_set_new(out, "outstanding_minor",
                        json_integer(count(t, "outstanding_minor")));
    json_object_set_new(out, "currency", json_string(currency));
    json_object_set(out, "ratings_by_day",
                    json_object_get(rep, "ratings_by_day"));
    json_object_set(out, "parts_by_part",
                    json_object_get(rep, "parts_by_part"));
    return out;
}

int api_report_summary(struct req *req, struct err *err)
{
    struct company co;
    json_t *vals, *period, *rep;
    int64_t from, to;
    int rc;

    if (http_query_parse(req, summary_fields, &vals, err))
        return err->rc;
    from = json_integer_value(json_object_get(vals, "from"));
    to = json_integer_value(json_object_get(vals, "to")) + 86400;
    rc = to <= from ? err_set(err, ERR_INVALID, "invalid_period", "to",
                              "to must not be before from")
                    : store_company_get(req->app->store, &co, err);
    if (rc == 0 &&
        (rc = store_report_summary(req->app->store, from, to, &rep,
                                   err)) == 0) {
        period = jparse_render(vals, summary_fields); /* dates as text */
        http_json(req, 200, summary_json(period, rep, co.currency));
        json_decref(period);
        json_decref(rep);
    }
    json_decref(vals);
    return rc;
}
