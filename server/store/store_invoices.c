/*
 * store_invoices.c - settling a job's invoice.
 *
 * Invoices are issued when an out-of-warranty job closes
 * (store_signoff.c).  Recording the payment is what lets a regular
 * customer's next quote be approved; the payment is an event on the job's
 * audit trail.
 */
#include "store/store_int.h"

static const char sql_invoice[] =
    "SELECT id, paid_at FROM invoices WHERE job_id = :id";
static const char sql_pay[] =
    "UPDATE invoices SET paid_at = :now, payment_reference = :reference"
    " WHERE job_id = :id AND paid_at IS NULL";
static const char sql_version[] = "SELECT version FROM jobs WHERE id = :id";

struct pay_op {
    int64_t job_id;
    const char *reference;
    const struct actor *who;
    json_t *invoice;
};

static int pay_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct pay_op *op = arg;
    json_t *vals = json_pack("{s:I, s:s*, s:I}", "id", (json_int_t)op->job_id,
                             "reference", op->reference, "now",
                             (json_int_t)store__now());
    json_t *rows = store__rows(c, sql_invoice, vals, err);
    const json_t *inv = json_array_get(rows, 0);
    int64_t version = 0;
    int rc = rows ? 0 : err->rc;

    if (rc == 0 && !inv)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL,
                     "job %lld has no invoice", (long long)op->job_id);
    if (rc == 0 && !json_is_null(json_object_get(inv, "paid_at")))
        rc = err_set(err, ERR_CONFLICT, "already_paid", NULL,
                     "the invoice of job %lld is already paid",
                     (long long)op->job_id);
    if (rc == 0)
        rc = store__run(c, sql_pay, vals, err);
    if (rc == 0)
        rc = store__scalar(c, sql_version, vals, &version, err);
    if (rc == 0)
        rc = store__record(c, op->who, "job", op->job_id, version, "update",
                           "record_payment", vals, err);
    json_decref(rows);
    rows = rc ? NULL : store__rows(c, store__sql_invoice, vals, err);
    if (rc == 0 && !rows)
        rc = err->rc;
    if (rc == 0)
        op->invoice = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    json_decref(vals);
    return rc;
}

int store_invoice_pay(struct store *s, int64_t job_id, const char *reference,
                      const struct actor *who, json_t **invoice,
                      struct err *err)
{
    struct pay_op op = {job_id, reference, who, NULL};
    json_t *lines;

    if (store__write(s, pay_fn, &op, err)) {
        json_decref(op.invoice);
        return err->rc;
    }
    lines = json_loads(json_string_value(json_object_get(op.invoice,
                                                         "lines")),
                       0, NULL);
    json_object_set_new(op.invoice, "lines", lines ? lines : json_array());
    *invoice = op.invoice;
    return 0;
}
