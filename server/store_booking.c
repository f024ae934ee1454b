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
 * reserves its parts and assigns the technician.  Rescheduling
 * gives the appointment back and books again in the same transaction, so
 * a window that is gone leaves the old one in place; cancelling gives it
 * back and cancels the job.
 */
#include "job.h"
#include "slotplan.h"
#include "store_int.h"
#include "timefmt.h"

#include <string.h>

static const char sql_release[] =
    "DELETE FROM appointments WHERE job_id = :job_id";
static const char sql_hold[] =
    "INSERT INTO appointments(job_id, technician_id, starts_at, ends_at,"
    " window_start, window_end, created_at) VALUES (:job_id,"
    " :technician_id, :starts_at, :ends_at, :window_start, :window_end,"
    " :now)";

struct confirm_op {
    const unsigned char *hash;
    int64_t start;                   /* the window wanted; 0 to cancel */
    int move;                        /* reschedule a booked job */
    const struct slotplan_want *want;
    json_t *out;
};

/* The customer's own event on the job, recorded with reason. */
static int customer_event(struct store_conn *c, int64_t job_id, int event,
                          const json_t *payload, const char *reason,
                          json_t **row, struct err *err)
{
    struct actor who = {0, "customer", reason};
    struct job_event_req r = {0};

    r.event = event;
    r.role = JR_CUSTOMER;
    r.payload = payload;
    return store__job_apply(c, job_id, &r, &who, row, err);
}

/* Give the job's appointment back: the technician's time is free again. */
static int release(struct store_conn *c, int64_t job_id, struct err *err)
{
    json_t *vals = json_pack("{s:I}", "job_id", (json_int_t)job_id);
    int64_t unused;
    int rc = store__scalar(c, sql_release, vals, &unused, err);

    json_decref(vals);
    return rc;
}

/* The offered slot whose window starts at `start`, or NULL. */
static const struct slots_slot *offered(const struct slotplan *p,
                                        const struct slots_result *r,
                                        int64_t start)
{
    for (int i = 0; i < r->nslots; i++)
        if (p->origin + p->windows[r->slots[i].window].start == start)
            return &r->slots[i];
    return NULL;
}

/*
 * After booking, as the system: reserve the job's parts and, when they are
 * all in stock, assign the technician the slot found (tentatively: a later
 * plan may move the job to an equally qualified technician, never out of
 * its window).  Short parts leave the job booked for a dispatcher.
 */
static int reserve_and_assign(struct store_conn *c, int64_t job_id,
                              int64_t tech, json_t **row, struct err *err)
{
    static const struct actor system = {0, "system",
                                        "booked by the customer"};
    struct job_event_req r = {0};
    int rc = store__job_try_reserve(c, job_id, &system, err);

    if (rc <= 0)
        return rc;
    r.event = EV_ASSIGN;
    r.role = JR_SYSTEM;
    r.technician_id = tech;
    json_decref(*row);
    *row = NULL;
    return store__job_apply(c, job_id, &r, &system, row, err);
}

/* Hold the slot's technician and book the job as the customer. */
static int book(struct store_conn *c, struct confirm_op *op,
                const struct slotplan *p, const struct slots_slot *slot,
                int64_t job_id, struct err *err)
{
    const struct slots_window *w = &p->windows[slot->window];
    int64_t ws = p->origin + w->start, we = p->origin + w->end;
    int64_t arrive = p->origin + slot->arrive, unused;
    json_t *vals, *row = NULL;
    int rc;

    vals = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "job_id",
                     (json_int_t)job_id, "technician_id",
                     (json_int_t)p->techs[slot->tech].id, "starts_at",
                     (json_int_t)arrive, "ends_at",
                     (json_int_t)(arrive + p->in.duration), "window_start",
                     (json_int_t)ws, "window_end", (json_int_t)we, "now",
                     (json_int_t)store__now());
    rc = store__scalar(c, sql_hold, vals, &unused, err);
    json_decref(vals);
    if (rc)
        return rc;
    vals = json_pack("{s:I, s:I}", "window_start", (json_int_t)ws,
                     "window_end", (json_int_t)we);
    rc = customer_event(c, job_id, EV_BOOK, vals,
                        "booked through the customer's link", &row, err);
    json_decref(vals);
    if (rc == 0)
        rc = reserve_and_assign(c, job_id, p->techs[slot->tech].id, &row,
                                err);
    if (rc == 0)
        op->out = json_pack("{s:I, s:I, s:O}", "window_start", (json_int_t)ws,
                            "window_end", (json_int_t)we, "status",
                            json_object_get(row, "status"));
    json_decref(row);
    return rc;
}

static int confirm_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct confirm_op *op = arg;
    struct slotplan p;
    struct slots_result r;
    const struct slots_slot *slot;
    json_t *link = NULL, *rows;
    int64_t job_id, first;
    int rc;

    if (store__link_job(c, op->hash, "booking", &link, err))
        return err->rc;
    job_id = json_integer_value(json_object_get(link, "job_id"));
    json_decref(link);
    if (op->start == 0) /* cancel */
        return release(c, job_id, err) ||
                       customer_event(c, job_id, EV_CANCEL, NULL,
                                      "cancelled through the customer's link",
                                      &op->out, err)
                   ? err->rc
                   : 0;
    if (op->move && (release(c, job_id, err) ||
                     customer_event(c, job_id, EV_RESCHEDULE, NULL,
                                    "rescheduled through the customer's"
                                    " link",
                                    &link, err)))
        return err->rc;
    if (op->move)
        json_decref(link);
    if (timefmt_parse_date(op->want->from, &first))
        return err_set(err, ERR_INVALID, "invalid_date", "from",
                       "from must be YYYY-MM-DD");
    rows = store__slot_rows(c, job_id, (first - 1) * 86400,
                            (first + op->want->days + 1) * 86400, err);
    if (!rows)
        return err->rc;
    rc = slotplan_build(rows, op->want, &p, err);
    json_decref(rows);
    if (rc)
        return rc;
    rc = slots_search(&p.in, &r, err);
    if (rc == 0) {
        slot = offered(&p, &r, op->start);
        rc = slot ? book(c, op, &p, slot, job_id, err)
                  : err_set(err, ERR_CONFLICT, "slot_taken", "start",
                            "this time is no longer free; please choose"
                            " another");
        slots_result_release(&r);
    }
    slotplan_release(&p);
    return rc;
}

int store_booking_change(struct store *s, const unsigned char hash[32],
                         int64_t start, int move,
                         const struct slotplan_want *want, json_t **out,
                         struct err *err)
{
    struct confirm_op op = {hash, start, move, want, NULL};
    int rc = store__write(s, confirm_fn, &op, err);

    if (rc) {
        json_decref(op.out);
        return rc;
    }
    *out = op.out;
    return 0;
}
