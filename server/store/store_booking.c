/*
 * store_booking.c - a customer confirming an appointment slot through a
 * booking link, in one write transaction on the single writer.
 *
 * The slot search runs again inside the transaction, so it sees every
 * booking committed before it: of two customers confirming windows that
 * need the same last free technician, the second finds the window gone
 * (409 slot_taken).  The appointment row that holds the technician's time
 * is guarded by a trigger as well (schema/010), so even a bug above cannot
 * double-book.  The job is then booked through the state machine as the
 * customer's event, with the window in its audit trail, and the system
 * reserves its parts and assigns the technician, or lets the job wait for
 * parts expected before the window (store__job_book_follow).  Rescheduling
 * gives the appointment back and books again in the same transaction, so
 * a window that is gone leaves the old one in place; cancelling gives it
 * back and cancels the job.  A hold keeps one offered window's technician
 * for STORE_HOLD_SECONDS while the customer decides: other jobs' searches
 * skip that time, and confirming the held window finds it free.  Lapsed
 * holds are swept by every booking transaction.
 */
#include "common/timefmt.h"
#include "job_sets_sql.h"
#include "rules/job.h"
#include "slots/slot_problem.h"
#include "store/store_int.h"

#include <string.h>

static const char sql_release[] =
    "DELETE FROM appointments WHERE job_id = :job_id";
static const char sql_unhold[] =
    "DELETE FROM slot_holds WHERE job_id = :job_id OR held_until <= :now";
static const char sql_holdable[] =
    "SELECT status IN (" JOB_SQL_REBOOKABLE ") FROM jobs"
    " WHERE id = :job_id";
static const char sql_slot_hold[] =
    "INSERT INTO slot_holds(job_id, technician_id, starts_at, ends_at,"
    " window_start, window_end, created_at, held_until) VALUES (:job_id,"
    " :technician_id, :starts_at, :ends_at, :window_start, :window_end,"
    " :now, :now + :hold_seconds)";
static const char sql_hold[] =
    "INSERT INTO appointments(job_id, technician_id, starts_at, ends_at,"
    " window_start, window_end, created_at) VALUES (:job_id,"
    " :technician_id, :starts_at, :ends_at, :window_start, :window_end,"
    " :now)";

struct confirm_op {
    const unsigned char *hash;
    enum store_booking_act act;
    int64_t start;                   /* the window wanted */
    int accept_callout;
    const struct slot_problem_want *want;
    json_t *out;
};

/* Run sql, a statement about job_id at this moment. */
static int job_sql(struct store_conn *c, const char *sql, int64_t job_id,
                   int64_t *out, struct err *err)
{
    json_t *vals = json_pack("{s:I, s:I}", "job_id", (json_int_t)job_id,
                             "now", (json_int_t)store__now());
    int64_t unused;
    int rc = store__scalar(c, sql, vals, out ? out : &unused, err);

    json_decref(vals);
    return rc;
}

/* Give the job's appointment back: the technician's time is free again. */
static int release(struct store_conn *c, int64_t job_id, struct err *err)
{
    return job_sql(c, sql_release, job_id, NULL, err);
}

/* The offered slot whose window starts at `start`, or NULL. */
static const struct slots_slot *offered(const struct slot_problem *p,
                                        const struct slots_result *r,
                                        int64_t start)
{
    for (int i = 0; i < r->nslots; i++)
        if (p->origin + p->windows[r->slots[i].window].start == start)
            return &r->slots[i];
    return NULL;
}

/* The slot's technician's time as statement parameters. */
static json_t *slot_vals(const struct slot_problem *p,
                         const struct slots_slot *slot, int64_t job_id)
{
    const struct slots_window *w = &p->windows[slot->window];
    int64_t arrive = p->origin + slot->arrive;

    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}", "job_id",
                     (json_int_t)job_id, "technician_id",
                     (json_int_t)p->techs[slot->tech].id, "starts_at",
                     (json_int_t)arrive, "ends_at",
                     (json_int_t)(arrive + p->in.duration), "window_start",
                     (json_int_t)(p->origin + w->start), "window_end",
                     (json_int_t)(p->origin + w->end), "now",
                     (json_int_t)store__now(), "hold_seconds",
                     STORE_HOLD_SECONDS);
}

/* Hold the slot's technician and book the job as the customer. */
static int book(struct store_conn *c, struct confirm_op *op,
                const struct slot_problem *p, const struct slots_slot *slot,
                int64_t job_id, struct err *err)
{
    static const struct actor system = {.name = "system",
                                        .reason = "booked by the customer"};
    json_t *vals = slot_vals(p, slot, job_id), *row = NULL, *window;
    int rc = store__run(c, sql_hold, vals, err);

    window = json_pack("{s:O, s:O, s:b}", "window_start",
                       json_object_get(vals, "window_start"), "window_end",
                       json_object_get(vals, "window_end"), "accept_callout",
                       op->accept_callout);
    if (rc == 0)
        rc = store__customer_event(c, job_id, EV_BOOK, window,
                            "booked through the customer's link", &row, err);
    if (rc == 0)
        rc = store__job_book_follow(c, job_id, &system, err);
    json_decref(row);
    row = NULL;
    if (rc == 0)
        rc = store__res_load(c, &res_job, job_id, &row, err);
    if (rc == 0) {
        json_object_set(window, "status", json_object_get(row, "status"));
        op->out = json_incref(window);
    }
    json_decref(window);
    json_decref(vals);
    json_decref(row);
    return rc;
}

/* Keep the slot's technician for STORE_HOLD_SECONDS; the job stays as it
 * is. */
static int hold(struct store_conn *c, struct confirm_op *op,
                const struct slot_problem *p, const struct slots_slot *slot,
                int64_t job_id, struct err *err)
{
    json_t *vals = slot_vals(p, slot, job_id);
    int rc = store__run(c, sql_slot_hold, vals, err);

    if (rc == 0)
        op->out = json_pack("{s:O, s:O, s:I}", "window_start",
                            json_object_get(vals, "window_start"),
                            "window_end", json_object_get(vals, "window_end"),
                            "held_until",
                            (json_int_t)(store__now() + STORE_HOLD_SECONDS));
    json_decref(vals);
    return rc;
}

/* Search job_id's slots again on the writer and act on the one whose
 * window starts at op->start: 409 slot_taken when it is not offered. */
static int take_slot(struct store_conn *c, struct confirm_op *op,
                     int64_t job_id, struct err *err)
{
    struct slot_problem p;
    struct slots_result r;
    const struct slots_slot *slot;
    json_t *rows;
    int64_t first;
    int rc;

    if (timefmt_parse_date(op->want->from, &first))
        return err_set(err, ERR_INVALID, "invalid_date", "from",
                       "from must be YYYY-MM-DD");
    rows = store__slot_rows(c, job_id, (first - 1) * 86400,
                            (first + op->want->days + 1) * 86400, err);
    if (!rows)
        return err->rc;
    rc = slot_problem_build(rows, op->want, &p, err);
    json_decref(rows);
    if (rc)
        return rc;
    rc = slots_search(&p.in, &r, err);
    if (rc == 0) {
        slot = offered(&p, &r, op->start);
        rc = !slot ? err_set(err, ERR_CONFLICT, "slot_taken", "start",
                             "this time is no longer free; please choose"
                             " another")
             : op->act == STORE_BOOK_HOLD ? hold(c, op, &p, slot, job_id, err)
                                          : book(c, op, &p, slot, job_id, err);
        slots_result_release(&r);
    }
    slot_problem_release(&p);
    return rc;
}

/* A hold is for a job a customer may still book or move. */
static int check_holdable(struct store_conn *c, int64_t job_id,
                          struct err *err)
{
    int64_t ok = 0;

    if (job_sql(c, sql_holdable, job_id, &ok, err))
        return err->rc;
    return ok ? 0
              : err_set(err, ERR_CONFLICT, "not_bookable", NULL,
                        "this visit can no longer be booked through the"
                        " link");
}

static int confirm_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct confirm_op *op = arg;
    json_t *link = NULL;
    int64_t job_id;

    if (store__link_job(c, op->hash, "booking", &link, err))
        return err->rc;
    job_id = json_integer_value(json_object_get(link, "job_id"));
    json_decref(link);
    link = NULL;
    if (job_sql(c, sql_unhold, job_id, NULL, err))
        return err->rc;
    switch (op->act) {
    case STORE_BOOK_CANCEL:
        return release(c, job_id, err) ||
                       store__customer_event(c, job_id, EV_CANCEL, NULL,
                                      "cancelled through the customer's link",
                                      &op->out, err)
                   ? err->rc
                   : 0;
    case STORE_BOOK_RESCHEDULE:
        if (release(c, job_id, err) ||
            store__customer_event(c, job_id, EV_RESCHEDULE, NULL,
                           "rescheduled through the customer's link", &link,
                           err))
            return err->rc;
        json_decref(link);
        break;
    case STORE_BOOK_HOLD:
        if (check_holdable(c, job_id, err))
            return err->rc;
        break;
    case STORE_BOOK_CONFIRM:
        break;
    }
    return take_slot(c, op, job_id, err);
}

int store_booking_change(struct store *s, const unsigned char hash[32],
                         enum store_booking_act act,
                         const struct store_booking_want *bw,
                         const struct slot_problem_want *want, json_t **out,
                         struct err *err)
{
    struct confirm_op op = {hash, act, bw ? bw->start : 0,
                            bw ? bw->accept_callout : 0, want, NULL};
    int rc = store__write(s, confirm_fn, &op, err);

    if (rc) {
        json_decref(op.out);
        return rc;
    }
    *out = op.out;
    return 0;
}
