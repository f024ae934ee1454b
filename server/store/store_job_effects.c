/*
 * store_job_effects.c - what each lifecycle event does besides moving the
 * job's state, inside the same transaction.
 *
 * One switch routes the event to the module that owns the record it
 * touches: parts (store_parts.c), visits (store_visits.c), the warranty
 * decision and the quote (store_quotes.c), sign-off and invoice
 * (store_signoff.c).  A failure in any of them undoes the whole event.
 */
#include "rules/job.h"
#include "store/store_int.h"

static const char sql_window[] =
    "UPDATE jobs SET window_start = :window_start, window_end = :window_end"
    " WHERE id = :id";
/* a booked appointment follows its job to the technician now doing it */
static const char sql_appointment_tech[] =
    "UPDATE appointments SET technician_id = :technician_id"
    " WHERE job_id = :id";

/* assign, reassign: the customer's window stays, the technician moves. */
static int appointment_follows(struct store_conn *c, const struct job_ctx *x,
                               struct err *err)
{
    json_t *vals = json_pack("{s:I, s:I}", "id", (json_int_t)x->id,
                             "technician_id",
                             (json_int_t)x->req->technician_id);
    int rc = store__run(c, sql_appointment_tech, vals, err);

    json_decref(vals);
    return rc;
}

/* book: a window given with the booking becomes the appointment, when
 * the job's parts can all be held by its start (without one, by the start
 * of the window the job has, if any) and the customer accepted the
 * call-out fee it carries. */
static int book_window(struct store_conn *c, struct job_ctx *x,
                       struct err *err)
{
    const json_t *start = store__payload(x, "window_start");
    const json_t *end = store__payload(x, "window_end");
    json_t *vals;
    int rc;

    if (!start && !end) { /* booked for the window the job already has */
        int64_t at = json_integer_value(json_object_get(x->cur,
                                                        "window_start"));
        return store__parts_check_visit(c, x->id, at, err) ||
                       store__callout_accept(c, x, at ? at : x->now, err)
                   ? err->rc
                   : 0;
    }
    if (!start || !end ||
        json_integer_value(end) <= json_integer_value(start))
        return err_set(err, ERR_INVALID, "invalid_window", "window_end",
                       "window_start and window_end go together and the"
                       " end is after the start");
    if (store__parts_check_visit(c, x->id, json_integer_value(start), err) ||
        store__callout_accept(c, x, json_integer_value(start), err))
        return err->rc;
    vals = json_pack("{s:I, s:O, s:O}", "id", (json_int_t)x->id,
                     "window_start", start, "window_end", end);
    rc = store__run(c, sql_window, vals, err);
    json_decref(vals);
    return rc;
}

int store__job_effects(struct store_conn *c, struct job_ctx *x,
                       struct err *err)
{
    enum job_event ev = (enum job_event)x->req->event;
    int rc = 0;

    switch (ev) {
    case EV_BOOK:
        rc = book_window(c, x, err);
        break;
    case EV_ASSIGN:
    case EV_REASSIGN:
        rc = appointment_follows(c, x, err);
        break;
    case EV_PARTS_RESERVED:
        rc = store__parts_reserve(c, x->id, err);
        break;
    case EV_PARTS_MISSING:
        rc = store__parts_back_order(c, x, err);
        break;
    case EV_ARRIVE:
        rc = store__visit_arrive(c, x, err);
        break;
    case EV_DECIDE_IN_WARRANTY:
    case EV_DECIDE_REPLACEMENT:
        rc = store__warranty_decide(c, x, err);
        break;
    case EV_ISSUE_QUOTE:
        /* the first quote is the out-of-warranty decision; a revision
         * keeps the decision already made */
        if (x->from == JOB_ON_SITE)
            rc = store__warranty_decide(c, x, err);
        if (rc == 0)
            rc = store__quote_issue(c, x, err);
        break;
    case EV_APPROVE_QUOTE:
    case EV_DECLINE_QUOTE:
    case EV_EXPIRE_QUOTE:
        rc = store__quote_answer(c, x, err);
        break;
    case EV_COMPLETE_WORK:
        if (x->from == JOB_ON_SITE)
            rc = store__warranty_settled(c, x, err);
        if (rc == 0)
            rc = store__visit_finish(c, x, err);
        break;
    case EV_NEED_FOLLOW_UP:
        rc = store__visit_finish(c, x, err);
        break;
    case EV_SIGN_OFF:
        rc = store__sign_off(c, x, err);
        break;
    case EV_REJECT_SIGN_OFF:
        rc = store__visit_plan_return(c, x, 0, err);
        break;
    case EV_CLOSE:
        rc = store__invoice_issue(c, x, err);
        break;
    default:
        break;
    }
    if (rc == 0 &&
        job_parts_effect(ev, (enum job_state)x->to) == PARTS_RELEASE)
        rc = store__parts_release(c, x->id, err);
    return rc;
}
