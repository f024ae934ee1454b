/*
 * store_entitlement.c - gathering what the maintenance entitlement rule
 * (entitlement.c) needs about a customer: the units held, the largest
 * single purchase (the asset record with most units) and the maintenance
 * visits completed in the calendar year (UTC) so far.
 */
#include "common/timefmt.h"
#include "rules/entitlement.h"
#include "store/store_int.h"

#include <stdlib.h>

static const char sql_counts[] =
    "SELECT (SELECT coalesce(sum(units), 0) FROM assets"
    "  WHERE customer_id = :id) AS units_held,"
    " (SELECT coalesce(max(units), 0) FROM assets"
    "  WHERE customer_id = :id) AS largest_single_purchase,"
    " (SELECT count(*) FROM visits v JOIN jobs j ON j.id = v.job_id"
    "  WHERE j.customer_id = :id AND j.kind = 'maintenance'"
    "  AND v.outcome = 'completed' AND v.ended_at >= :year_start"
    "  AND v.ended_at < :year_end) AS visits_used_this_year";

int store_customer_entitlement(struct store *s, int64_t id, int64_t now,
                               json_t **out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    struct entitlement_input in;
    struct entitlement e;
    char at[TIMEFMT_RFC3339_LEN];
    json_t *vals, *rows, *cust = NULL, *r;
    int year;

    if (!c || store_res_get(s, &res_customer, id, &cust, err))
        return err->rc;
    json_decref(cust);
    timefmt_format_rfc3339(now, at);
    year = atoi(at);
    vals = json_pack("{s:I, s:I, s:I}", "id", (json_int_t)id, "year_start",
                     (json_int_t)(timefmt_days_from_civil(year, 1, 1) * 86400),
                     "year_end",
                     (json_int_t)(timefmt_days_from_civil(year + 1, 1, 1) *
                                  86400));
    rows = store__rows(c, sql_counts, vals, err);
    json_decref(vals);
    if (!rows)
        return err->rc;
    r = json_array_get(rows, 0);
    in.units_held = (int)json_integer_value(json_object_get(r, "units_held"));
    in.largest_single_purchase = (int)json_integer_value(
        json_object_get(r, "largest_single_purchase"));
    in.visits_used_this_year = (int)json_integer_value(
        json_object_get(r, "visits_used_this_year"));
    if (entitlement_compute(&in, &e, err)) {
        json_decref(rows);
        return err->rc;
    }
    *out = json_pack("{s:I, s:i, s:i, s:s, s:i, s:i, s:i}", "customer_id",
                     (json_int_t)id, "year", year, "visits_per_year",
                     e.visits_per_year, "basis", e.basis, "visits_used",
                     in.visits_used_this_year, "visits_left", e.visits_left,
                     "units_held", in.units_held);
    json_object_set_new(*out, "largest_single_purchase",
                        json_integer(in.largest_single_purchase));
    json_decref(rows);
    return 0;
}
