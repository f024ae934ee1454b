/*
 * store_quote_expiry.c - a quote still pending at its expiry is expired
 * (run by the scheduler): the job goes quoted -> quote_expired ->
 * returned_unrepaired as system events, both or neither.
 */
#include "common/log.h"
#include "rules/job.h"
#include "store/store_int.h"

static const char sql_due[] =
    "SELECT id, job_id FROM quotes WHERE status = 'pending'"
    " AND expires_at <= :now ORDER BY expires_at, id LIMIT 100";

struct expire_op {
    int64_t now;
    int expired;
};

/* One due quote: both system events, or (should the job have moved on by
 * another path) just the quote, so it is not picked up again. */
static int expire_one(struct store_conn *c, const json_t *due,
                      struct err *err)
{
    static const struct actor system = {.name = "system",
                                        .reason = "quote unanswered in time"};
    struct job_event_req expire = {.event = EV_EXPIRE_QUOTE,
                                   .role = JR_SYSTEM};
    struct job_event_req give_back = {.event = EV_RETURN_UNREPAIRED,
                                      .role = JR_SYSTEM};
    int64_t job = json_integer_value(json_object_get(due, "job_id"));
    struct err why = ERR_INIT;
    json_t *row = NULL, *vals;
    int rc;

    if (store__exec(c, "SAVEPOINT expire_quote", err))
        return err->rc;
    rc = store__job_apply(c, job, &expire, &system, &row, &why);
    json_decref(row);
    row = NULL;
    if (rc == 0)
        rc = store__job_apply(c, job, &give_back, &system, &row, &why);
    json_decref(row);
    if (rc == 0)
        return store__exec(c, "RELEASE expire_quote", err) ? err->rc : 1;
    store__exec(c, "ROLLBACK TO expire_quote", err);
    store__exec(c, "RELEASE expire_quote", err);
    log_warn("quote %lld of job %lld not expired through the lifecycle: %s",
             (long long)json_integer_value(json_object_get(due, "id")),
             (long long)job, why.msg);
    vals = json_pack("{s:O, s:s, s:I, s:s, s:n}", "quote_id",
                     json_object_get(due, "id"), "status", "expired", "now",
                     (json_int_t)store__now(), "by", "system", "note");
    rc = store__run(c, store__sql_quote_answer, vals, err);
    json_decref(vals);
    return rc;
}

static int expire_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct expire_op *op = arg;
    json_t *vals = json_pack("{s:I}", "now", (json_int_t)op->now);
    json_t *due = store__rows(c, sql_due, vals, err), *q;
    size_t i;
    int rc = due ? 0 : err->rc;

    json_decref(vals);
    json_array_foreach(due, i, q) {
        if ((rc = expire_one(c, q, err)) < 0)
            break;
        op->expired += rc;
        rc = 0;
    }
    json_decref(due);
    return rc;
}

int store_quotes_expire(struct store *s, int64_t now, int *expired,
                        struct err *err)
{
    struct expire_op op = {now, 0};

    if (store__write(s, expire_fn, &op, err))
        return err->rc;
    if (expired)
        *expired = op.expired;
    return 0;
}
