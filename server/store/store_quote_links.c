/*
 * store_quote_links.c - a customer reading and answering the job's quote
 * through a quote link.
 *
 * Reading shows the live quote (lines, totals, status, expiry) beside the
 * job.  Answering is the customer's own approve_quote or decline_quote
 * event, in one write transaction, so every rule of store_quotes.c holds:
 * only a pending quote, not after it expired, and not while a regular
 * customer owes for earlier work.
 */
#include "rules/job.h"
#include "store/store_int.h"

#include <stdlib.h>

static const char sql_quote[] =
    "SELECT status, lines, parts_minor, labour_minor, callout_minor,"
    " total_minor, issued_at, expires_at, answered_at,"
    " (SELECT warranty_reason FROM jobs WHERE id = :job_id) AS due_because"
    " FROM quotes WHERE job_id = :job_id AND status <> 'superseded'";

/* The live quote of job_id, its lines parsed; ERR_CONFLICT "no_quote"
 * when the job has none yet. */
static int live_quote(struct store_conn *c, const json_t *job, json_t **out,
                      struct err *err)
{
    json_t *vals = json_pack("{s:O}", "job_id",
                             json_object_get(job, "job_id"));
    json_t *rows = store__rows(c, sql_quote, vals, err), *q, *lines;

    json_decref(vals);
    if (!rows)
        return err->rc;
    q = json_array_get(rows, 0);
    if (!q) {
        json_decref(rows);
        return err_set(err, ERR_CONFLICT, "no_quote", NULL,
                       "there is no quote for this job yet");
    }
    lines = json_loads(json_string_value(json_object_get(q, "lines")), 0,
                       NULL);
    json_object_set_new(q, "lines", lines ? lines : json_array());
    *out = json_incref(q);
    json_decref(rows);
    return 0;
}

int store_quote_link_view(struct store *s, const unsigned char hash[32],
                          json_t **out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *job = NULL, *q = NULL;

    if (!c || store__link_job(c, hash, "quote", &job, err) ||
        live_quote(c, job, &q, err)) {
        json_decref(job);
        return err->rc;
    }
    *out = json_pack("{s:o, s:o}", "job", job, "quote", q);
    return 0;
}

struct answer_op {
    const unsigned char *hash;
    int approve;
    const char *note;
    json_t *out;
};

static int answer_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct answer_op *op = arg;
    json_t *job = NULL, *row = NULL, *q = NULL;
    int rc = store__link_job(c, op->hash, "quote", &job, err);

    if (rc == 0)
        rc = store__customer_event(
            c, json_integer_value(json_object_get(job, "job_id")),
            op->approve ? EV_APPROVE_QUOTE : EV_DECLINE_QUOTE, NULL,
            op->note ? op->note
                     : op->approve ? "approved through the customer's link"
                                   : "declined through the customer's link",
            &row, err);
    if (rc == 0)
        rc = live_quote(c, job, &q, err);
    if (rc == 0)
        op->out = json_pack("{s:O, s:O}", "status",
                            json_object_get(row, "status"), "quote_status",
                            json_object_get(q, "status"));
    json_decref(q);
    json_decref(row);
    json_decref(job);
    return rc;
}

int store_quote_link_answer(struct store *s, const unsigned char hash[32],
                            int approve, const char *note, json_t **out,
                            struct err *err)
{
    struct answer_op op = {hash, approve, note, NULL};
    int rc = store__write(s, answer_fn, &op, err);

    if (rc == 0)
        *out = op.out;
    return rc;
}
