/*
 * store_quotes.c - the one quote of an out-of-warranty job: issuing it,
 * the customer's answer, and expiry when nobody answers.
 *
 * A job has one live quote (a partial unique index says so); only a
 * manager revises it, with a reason, and the old one is kept as
 * superseded.  Totals come from quote.c in integer minor units.  A
 * regular-tier customer with an unpaid invoice from another job cannot
 * approve a new quote; key accounts settle periodically and can.  These
 * are effects of job events (store_job_effects.c); expiry, which applies
 * events of its own, is store_quote_expiry.c's.
 */
#include "common/log.h"
#include "rules/job.h"
#include "rules/quote.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

static const char sql_live[] =
    "SELECT id, status, expires_at FROM quotes"
    " WHERE job_id = :id AND status <> 'superseded'";
static const char sql_supersede[] =
    "UPDATE quotes SET status = 'superseded' WHERE id = :quote_id";
static const char sql_insert[] =
    "INSERT INTO quotes(job_id, lines, parts_minor, labour_minor,"
    " callout_minor, total_minor, issued_at, expires_at) VALUES (:id,"
    " :lines, :parts_minor, :labour_minor, :callout_minor, :total_minor,"
    " :now, :now + :ttl) RETURNING id";
static const char sql_unpaid[] =
    "SELECT coalesce(sum(i.total_minor), 0) FROM invoices i"
    " JOIN customers c ON c.id = i.customer_id"
    " WHERE i.customer_id = :customer_id AND i.paid_at IS NULL"
    " AND i.job_id <> :id AND c.tier = 'regular'";
const char store__sql_quote_answer[] =
    "UPDATE quotes SET status = :status, answered_at = :now,"
    " answered_by = :by, note = :note WHERE id = :quote_id";

int store__quote_lines(const json_t *arr, struct quote_line *out,
                       size_t max)
{
    const json_t *l;
    size_t i, n = 0;

    json_array_foreach(arr, i, l) {
        const char *kind = json_string_value(json_object_get(l, "kind"));
        if (n == max)
            break;
        out[n].kind = QUOTE_PART;
        for (int k = 0; quote_kind_names[k]; k++)
            if (kind && !strcmp(kind, quote_kind_names[k]))
                out[n].kind = (enum quote_line_kind)k;
        out[n].description = json_string_value(json_object_get(
            l, "description"));
        out[n].quantity = json_integer_value(json_object_get(l, "quantity"));
        out[n].unit_price_minor = json_integer_value(json_object_get(
            l, "unit_price_minor"));
        n++;
    }
    return (int)n;
}

void store__quote_totals_set(json_t *vals, const struct quote_totals *t)
{
    json_object_set_new(vals, "parts_minor", json_integer(t->parts_minor));
    json_object_set_new(vals, "labour_minor", json_integer(t->labour_minor));
    json_object_set_new(vals, "callout_minor",
                        json_integer(t->callout_minor));
    json_object_set_new(vals, "total_minor", json_integer(t->total_minor));
}

/* The job's live quote into *q ({"id", "status", "expires_at"}), or NULL. */
static int live_quote(struct store_conn *c, const json_t *vals, json_t **q,
                      struct err *err)
{
    json_t *rows = store__rows(c, sql_live, vals, err);

    if (!rows)
        return err->rc;
    *q = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return 0;
}

/* A live quote may only be replaced by a manager's revision with a
 * reason; the state machine lets only managers revise. */
static int supersede(struct store_conn *c, const struct job_ctx *x,
                     json_t *vals, const json_t *q, struct err *err)
{
    if (x->from == JOB_ON_SITE)
        return err_set(err, ERR_CONFLICT, "quote_exists", "event",
                       "job %lld already has quote %lld: a revision needs"
                       " a manager", (long long)x->id,
                       (long long)json_integer_value(json_object_get(q,
                                                                     "id")));
    if (!x->who->reason)
        return err_set(err, ERR_INVALID, "missing_field", "reason",
                       "a revised quote needs a reason");
    json_object_set(vals, "quote_id", json_object_get(q, "id"));
    json_object_set(x->detail, "supersedes", json_object_get(q, "id"));
    return store__run(c, sql_supersede, vals, err);
}

int store__quote_issue(struct store_conn *c, struct job_ctx *x,
                       struct err *err)
{
    const json_t *lines = store__payload(x, "lines");
    struct quote_line ql[QUOTE_MAX_LINES];
    struct quote_totals t;
    json_t *vals = json_pack("{s:I, s:I, s:I}", "id", (json_int_t)x->id,
                             "now", (json_int_t)x->now, "ttl",
                             (json_int_t)(x->req->quote_ttl
                                              ? x->req->quote_ttl
                                              : QUOTE_TTL_SECONDS));
    json_t *q = NULL;
    char *text = NULL;
    int64_t id = 0;
    int n = store__quote_lines(lines, ql, QUOTE_MAX_LINES);
    int rc = quote_total(ql, (size_t)n, &t, err);

    if (rc == 0)
        rc = store__quote_parts_check(c, lines, err);
    if (rc == 0)
        rc = live_quote(c, vals, &q, err);
    if (rc == 0 && q)
        rc = supersede(c, x, vals, q, err);
    if (rc == 0) {
        text = json_dumps(lines, JSON_COMPACT);
        json_object_set_new(vals, "lines", json_string(text));
        store__quote_totals_set(vals, &t);
        rc = store__scalar(c, sql_insert, vals, &id, err);
    }
    if (rc == 0) {
        json_object_set_new(x->detail, "quote_id", json_integer(id));
        json_object_set_new(x->detail, "total_minor",
                            json_integer(t.total_minor));
    }
    free(text);
    json_decref(q);
    json_decref(vals);
    return rc;
}

static int check_approvable(struct store_conn *c, const struct job_ctx *x,
                            const json_t *vals, const json_t *q,
                            struct err *err)
{
    int64_t unpaid = 0;

    if (x->now >= json_integer_value(json_object_get(q, "expires_at")))
        return err_set(err, ERR_CONFLICT, "quote_expired", "event",
                       "the quote expired unanswered");
    if (store__scalar(c, sql_unpaid, vals, &unpaid, err))
        return err->rc;
    if (unpaid)
        return err_set(err, ERR_CONFLICT, "unpaid_balance", "event",
                       "the customer owes %lld (minor units) for earlier"
                       " work; a regular customer settles that before a"
                       " new quote is approved", (long long)unpaid);
    return 0;
}

/* Where and from whom an answer given on a technician's device came
 * (sync.c puts them in the payload), for the event's detail. */
static void answered_on_device(const struct job_ctx *x)
{
    static const char *const keys[] = {"answered_on", "device_id",
                                       "customer_name", NULL};

    for (int i = 0; keys[i]; i++)
        if (store__payload(x, keys[i]))
            json_object_set(x->detail, keys[i],
                            (json_t *)store__payload(x, keys[i]));
}

/* The customer's answer (or the expiry), however it came (the quote
 * link, the desk, the technician's device): on the live quote only while
 * it is pending; an approval only before it expires - judged at the
 * server's now, whenever the answer was given - and not while a regular
 * customer owes for other work.  answered_at is when it was given. */
int store__quote_answer(struct store_conn *c, struct job_ctx *x,
                        struct err *err)
{
    enum job_event ev = (enum job_event)x->req->event;
    json_t *vals = json_pack("{s:I, s:I, s:O, s:s, s:s*}", "id",
                             (json_int_t)x->id, "now",
                             (json_int_t)x->occurred,
                             "customer_id",
                             json_object_get(x->cur, "customer_id"), "by",
                             job_role_name(x->req->role), "note",
                             x->who->reason);
    json_t *q = NULL;
    int rc = live_quote(c, vals, &q, err);

    if (rc == 0 && (!q || strcmp(json_string_value(json_object_get(
                                     q, "status")), "pending")))
        rc = err_set(err, ERR_CONFLICT, "no_pending_quote", "event",
                     "job %lld has no quote waiting for an answer",
                     (long long)x->id);
    if (rc == 0 && ev == EV_APPROVE_QUOTE)
        rc = check_approvable(c, x, vals, q, err);
    if (rc == 0) {
        json_object_set_new(vals, "status",
                            json_string(ev == EV_APPROVE_QUOTE   ? "approved"
                                        : ev == EV_DECLINE_QUOTE ? "declined"
                                                                 : "expired"));
        json_object_set(vals, "quote_id", json_object_get(q, "id"));
        json_object_set(x->detail, "quote_id", json_object_get(q, "id"));
        answered_on_device(x);
        rc = store__run(c, store__sql_quote_answer, vals, err);
    }
    if (rc == 0 && ev == EV_APPROVE_QUOTE)
        rc = store__quote_parts_add(c, x, json_object_get(q, "id"), err);
    json_decref(q);
    json_decref(vals);
    return rc;
}
