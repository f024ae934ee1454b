/*
 * store_plans.c - a day's plan between its dry run and its application.
 *
 * A dry run is kept with the fingerprint of every row it read
 * (day_problem.c).  Applying it reads the day again inside the write
 * transaction: a different fingerprint means something changed (a job, a
 * technician, a shift, a skill) and the plan is refused as stale, so a
 * plan is applied exactly as it was shown or not at all.  Each move is a
 * reassignment and each new assignment an assignment, through the job
 * state machine.
 */
#include "assign/day_problem.h"
#include "common/timefmt.h"
#include "rules/job.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sql_plan_insert[] =
    "INSERT INTO plans(plan_date, fingerprint, proposal, created_by,"
    " created_at) VALUES (:date, :fingerprint_bytes, :proposal,"
    " nullif(:user_id, 0), :now) RETURNING id";
static const char sql_plan_get[] =
    "SELECT id, plan_date AS date, status, proposal, created_at, applied_at,"
    " fingerprint = :fingerprint_bytes AS same FROM plans WHERE id = :id";
static const char sql_plan_applied[] =
    "UPDATE plans SET status = 'applied', applied_at = :now,"
    " applied_by = nullif(:user_id, 0) WHERE id = :id";

struct save_op {
    json_t *vals;
    int64_t id;
};

static int save_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct save_op *op = arg;

    return store__scalar(c, sql_plan_insert, op->vals, &op->id, err);
}

int store_plan_save(struct store *s, const char *date,
                    const unsigned char fingerprint[32],
                    const json_t *proposal, const struct actor *who,
                    int64_t *id, struct err *err)
{
    char *text = json_dumps(proposal, JSON_COMPACT);
    struct save_op op = {
        json_pack("{s:s, s:o, s:s, s:I, s:I}", "date", date,
                  "fingerprint_bytes",
                  json_stringn_nocheck((const char *)fingerprint, 32),
                  "proposal", text ? text : "{}", "user_id",
                  (json_int_t)who->user_id, "now",
                  (json_int_t)store__now()),
        0};
    int rc = store__write(s, save_fn, &op, err);

    free(text);
    json_decref(op.vals);
    *id = op.id;
    return rc;
}

/* The plan row; when fp is given, "same" says whether it still matches. */
static json_t *plan_row(struct store_conn *c, int64_t id,
                        const unsigned char *fp, struct err *err)
{
    static const unsigned char none[32];
    json_t *vals = json_pack(
        "{s:I, s:o}", "id", (json_int_t)id, "fingerprint_bytes",
        json_stringn_nocheck((const char *)(fp ? fp : none), 32));
    json_t *rows = store__rows(c, sql_plan_get, vals, err), *row;

    json_decref(vals);
    if (!rows)
        return NULL;
    row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (!row) {
        err_set(err, ERR_NOT_FOUND, NULL, NULL, "plan %lld not found",
                (long long)id);
        return NULL;
    }
    json_object_set_new(row, "proposal",
                        json_loads(json_string_value(json_object_get(
                                       row, "proposal")),
                                   0, NULL));
    return row;
}

int store_plan_get(struct store *s, int64_t id, json_t **out,
                   struct err *err)
{
    struct store_conn *c = store__reader(s, err);

    if (!c || !(*out = plan_row(c, id, NULL, err)))
        return err->rc;
    json_object_del(*out, "same");
    return 0;
}

struct apply_op {
    int64_t id;
    unsigned role;
    const struct actor *who;
    int applied;
};

/* Apply each entry of list as event, to the technician in "to". */
static int apply_list(struct store_conn *c, struct apply_op *op,
                      const json_t *list, int event, struct err *err)
{
    struct actor who = *op->who;
    char why[300];
    const json_t *m;
    size_t i;

    snprintf(why, sizeof(why), "plan %lld%s%s", (long long)op->id,
             who.reason ? ": " : "", who.reason ? who.reason : "");
    who.reason = why;
    json_array_foreach(list, i, m) {
        struct job_event_req r = {0};
        json_t *row = NULL;

        r.event = event;
        r.role = op->role;
        r.technician_id = json_integer_value(json_object_get(m, "to"));
        r.by_staff = 1;
        if (store__job_apply(c, json_integer_value(json_object_get(m,
                                                                   "job_id")),
                             &r, &who, &row, err))
            return err->rc;
        json_decref(row);
        op->applied++;
    }
    return 0;
}

static int apply_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct apply_op *op = arg;
    json_t *plan = plan_row(c, op->id, NULL, err), *rows = NULL, *vals;
    const json_t *proposal;
    struct day_problem d;
    int rc = plan ? 0 : err->rc;

    if (rc == 0 && strcmp(json_string_value(json_object_get(plan, "status")),
                          "applied") == 0)
        rc = err_set(err, ERR_CONFLICT, "plan_applied", NULL,
                     "plan %lld was applied already", (long long)op->id);
    if (rc == 0 && !(rows = store__day_rows(
                         c, json_string_value(json_object_get(plan, "date")),
                         0, err)))
        rc = err->rc;
    /* only the fingerprint counts here, which no time bound enters */
    if (rc == 0 && (rc = day_problem_build(
                        rows, json_string_value(json_object_get(plan, "date")),
                        0, &d, err)) == 0) {
        json_decref(plan);
        plan = plan_row(c, op->id, d.fingerprint, err);
        day_problem_release(&d);
        rc = plan ? 0 : err->rc;
    }
    json_decref(rows);
    if (rc == 0 && !json_integer_value(json_object_get(plan, "same")))
        rc = err_set(err, ERR_CONFLICT, "plan_stale", NULL,
                     "the day changed since plan %lld was made; make a new"
                     " dry run", (long long)op->id);
    proposal = json_object_get(plan, "proposal");
    if (rc == 0)
        rc = apply_list(c, op, json_object_get(proposal, "moves"),
                        EV_REASSIGN, err);
    if (rc == 0)
        rc = apply_list(c, op, json_object_get(proposal, "assignments"),
                        EV_ASSIGN, err);
    if (rc == 0) {
        vals = json_pack("{s:I, s:I, s:I}", "id", (json_int_t)op->id, "now",
                         (json_int_t)store__now(), "user_id",
                         (json_int_t)op->who->user_id);
        rc = store__run(c, sql_plan_applied, vals, err);
        json_decref(vals);
    }
    json_decref(plan);
    return rc;
}

int store_plan_apply(struct store *s, int64_t id, unsigned role,
                     const struct actor *who, int *applied, struct err *err)
{
    struct apply_op op = {id, role, who, 0};
    int rc = store__write(s, apply_fn, &op, err);

    *applied = rc ? 0 : op.applied;
    return rc;
}
