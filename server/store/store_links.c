/*
 * store_links.c - customers' links (booking_links): making one for a job,
 * revoking it, and finding the job behind a presented token.
 *
 * Only the token's BLAKE2b-256 hash is stored or looked up.  Making a
 * booking link offers the job's slots (new -> slots_offered).  A token that
 * is unknown, revoked, expired or for another purpose finds nothing, and
 * the caller answers all of them the same way.  What the customer then
 * does is the customer's own event on the job.
 */
#include "job_sets_sql.h"
#include "rules/job.h"
#include "store/store_int.h"

#include <string.h>

static const char sql_link_insert[] =
    "INSERT INTO booking_links(job_id, purpose, token_hash, created_by,"
    " created_at, expires_at)"
    " SELECT :job_id, :purpose, :token_bytes, nullif(:user_id, 0), :now,"
    " :expires_at WHERE EXISTS (SELECT 1 FROM jobs WHERE id = :job_id)"
    " RETURNING id";
static const char sql_link_revoke[] =
    "UPDATE booking_links SET revoked_at = :now"
    " WHERE id = :id AND revoked_at IS NULL RETURNING id";
static const char sql_link_job[] =
    "SELECT l.id AS link_id, l.job_id, l.expires_at, j.kind, j.fault,"
    " j.status, j.duration_minutes, j.window_start, j.window_end,"
    " c.name AS customer_name, c.timezone"
    " FROM booking_links l JOIN jobs j ON j.id = l.job_id"
    " JOIN customers c ON c.id = j.customer_id"
    " WHERE l.token_hash = :token_bytes AND l.purpose = :purpose"
    " AND l.revoked_at IS NULL AND l.expires_at > :now";

struct link_op {
    json_t *vals;
    const char *sql;
    int64_t id;
    const struct actor *who; /* create: offer the job's slots as who */
};

/* A booking link offers the slots: a new job (or one needing a follow-up
 * visit) moves to slots_offered, audited as the dispatcher's event. */
static int offer_slots(struct store_conn *c, struct link_op *op,
                       struct err *err)
{
    static const char sql_status[] =
        "SELECT status IN (" JOB_SQL_LINKABLE ") FROM jobs"
        " WHERE id = :job_id";
    struct job_event_req r = {0};
    json_t *row = NULL;
    int64_t offer = 0;

    if (strcmp(json_string_value(json_object_get(op->vals, "purpose")),
               "booking") != 0 ||
        store__scalar(c, sql_status, op->vals, &offer, err) || !offer)
        return err->rc;
    r.event = EV_OFFER_SLOTS;
    r.role = JR_DISPATCHER;
    if (store__job_apply(c, json_integer_value(json_object_get(op->vals,
                                                               "job_id")),
                         &r, op->who, &row, err))
        return err->rc;
    json_decref(row);
    return 0;
}

static int link_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct link_op *op = arg;

    if (store__scalar(c, op->sql, op->vals, &op->id, err))
        return err->rc;
    return op->who && op->id ? offer_slots(c, op, err) : 0;
}

int store_link_create(struct store *s, int64_t job_id, const char *purpose,
                      const unsigned char hash[32], int64_t expires_at,
                      const struct actor *who, int64_t *id, struct err *err)
{
    struct link_op op = {
        json_pack("{s:I, s:s, s:o, s:I, s:I, s:I}", "job_id",
                  (json_int_t)job_id, "purpose", purpose, "token_bytes",
                  json_stringn_nocheck((const char *)hash, 32), "user_id",
                  (json_int_t)who->user_id, "now", (json_int_t)store__now(),
                  "expires_at", (json_int_t)expires_at),
        sql_link_insert, 0, who};
    int rc = store__write(s, link_fn, &op, err);

    json_decref(op.vals);
    if (rc == 0 && !op.id)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL, "job %lld not found",
                     (long long)job_id);
    *id = op.id;
    return rc;
}

int store_link_revoke(struct store *s, int64_t id, struct err *err)
{
    struct link_op op = {json_pack("{s:I, s:I}", "id", (json_int_t)id, "now",
                                   (json_int_t)store__now()),
                         sql_link_revoke, 0, NULL};
    int rc = store__write(s, link_fn, &op, err);

    json_decref(op.vals);
    if (rc == 0 && !op.id)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL,
                     "no active link %lld", (long long)id);
    return rc;
}

int store__link_job(struct store_conn *c, const unsigned char hash[32],
                    const char *purpose, json_t **out, struct err *err)
{
    json_t *vals, *rows;

    vals = json_pack("{s:o, s:s, s:I}", "token_bytes",
                     json_stringn_nocheck((const char *)hash, 32), "purpose",
                     purpose, "now", (json_int_t)store__now());
    rows = store__rows(c, sql_link_job, vals, err);
    json_decref(vals);
    if (!rows)
        return err->rc;
    *out = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return *out ? 0
                : err_set(err, ERR_NOT_FOUND, NULL, NULL, "%s",
                          STORE_LINK_INVALID);
}

int store_link_job(struct store *s, const unsigned char hash[32],
                   const char *purpose, json_t **out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);

    return c ? store__link_job(c, hash, purpose, out, err) : err->rc;
}

int store__customer_event(struct store_conn *c, int64_t job_id, int event,
                          const json_t *payload, const char *reason,
                          json_t **row, struct err *err)
{
    struct actor who = {.name = "customer", .reason = reason};
    struct job_event_req r = {0};

    r.event = event;
    r.role = JR_CUSTOMER;
    r.payload = payload;
    return store__job_apply(c, job_id, &r, &who, row, err);
}
