/*
 * api_slots.c - GET /api/v1/jobs/{id}/slots: the arrival windows a job can
 * be booked in over a horizon, and why each day without one has none.
 *
 * The store reads the rows (store_slots.c), slot_problem.c lays out the
 * customer's local windows and the technicians' shifts, and slots.c
 * searches them.  Staff see which technician each slot would go to.
 */
#include "api/api.h"
#include "app.h"
#include "common/timefmt.h"
#include "slots/slot_problem.h"

#include <stdio.h>
#include <time.h>

static const struct jfield slots_query[] = {
    {.name = "from", .type = JF_DATE, .flags = JF_NULLABLE},
    {.name = "days", .type = JF_INT, .min = 1, .max = 28, .dflt = "14"},
    {.name = "window_minutes", .type = JF_INT, .min = 30, .max = 600,
     .dflt = "120"},
    {.name = "notice_minutes", .type = JF_INT, .max = 10080, .dflt = "120"},
    JF_END};

static void want_of(const json_t *q, char *from, struct slot_problem_want *w)
{
    const char *f = json_string_value(json_object_get(q, "from"));

    w->now = (int64_t)time(NULL);
    if (f) {
        snprintf(from, TIMEFMT_DATE_LEN, "%s", f);
    } else {
        char at[TIMEFMT_RFC3339_LEN];

        timefmt_format_rfc3339(w->now, at);
        snprintf(from, TIMEFMT_DATE_LEN, "%.10s", at);
    }
    w->from = from;
    w->days = (int)json_integer_value(json_object_get(q, "days"));
    w->window_minutes =
        (int)json_integer_value(json_object_get(q, "window_minutes"));
    w->notice_minutes =
        (int)json_integer_value(json_object_get(q, "notice_minutes"));
}

int api_slots_answer(struct req *req, int64_t id,
                     const struct slot_problem_want *want, int staff,
                     json_t **out, struct err *err)
{
    struct slot_problem p;
    struct slots_result r;
    json_t *rows = NULL;
    int64_t first;
    int rc;

    rc = timefmt_parse_date(want->from, &first)
             ? err_set(err, ERR_INVALID, "invalid_date", "from",
                       "from must be YYYY-MM-DD")
             : store_slot_rows(req->app->store, id, (first - 1) * 86400,
                               (first + want->days + 1) * 86400, &rows, err);
    if (rc == 0)
        rc = slot_problem_build(rows, want, &p, err);
    json_decref(rows);
    if (rc)
        return rc;
    rc = slots_search(&p.in, &r, err);
    if (rc == 0) {
        *out = slot_problem_render(&p, &r, staff);
        slots_result_release(&r);
    }
    slot_problem_release(&p);
    return rc;
}

int api_job_slots(struct req *req, struct err *err)
{
    char from[TIMEFMT_DATE_LEN];
    struct slot_problem_want want;
    json_t *q = NULL, *out;
    int64_t id;
    int rc;

    if (http_param_id(req, "id", &id, err) ||
        http_query_parse(req, slots_query, &q, err))
        return err->rc;
    want_of(q, from, &want);
    rc = api_slots_answer(req, id, &want, 1, &out, err);
    json_decref(q);
    return rc ? rc : http_json(req, 200, out);
}
