/*
 * demo_jobs.c - the demonstration's jobs in time: today's and tomorrow's
 * (demo_data.c), created through the API's validation, the ready ones
 * booked with their parts reserved as a dispatcher would.
 *
 * Today is the company's date in its zone at the moment of loading, and
 * today's arrival windows are laid out over what is left of it: from the
 * first quarter hour at least 15 minutes ahead (not before 08:00) to
 * 19:00, a pair of jobs per step; loaded after that, they all open at that
 * first quarter hour, as the evening's call-outs for the late and night
 * shifts (in the day's last minutes, at once).  Tomorrow's appointments
 * keep their local times.  Every window is two hours, and the on-site
 * deadline is its end.
 */
#include "common/timefmt.h"
#include "demo/demo.h"
#include "demo/demo_int.h"
#include "rules/job.h"

#define DAY 86400
#define QUARTER (15 * 60)
#define LEAD (15 * 60) /* the least notice a window gets */
/* Today's windows open from 08:00 to 19:00, so that the longest visit is
 * over before the late shift ends. */
#define FIRST_START (8 * 3600)
#define LAST_START (19 * 3600)
#define WINDOW (2 * 3600)
#define SLOTS 12 /* today's jobs come in pairs per step */

_Static_assert(DEMO_TODAY_JOBS == 2 * SLOTS, "two of today's jobs a step");

static json_t *instant(int64_t t)
{
    char buf[TIMEFMT_RFC3339_LEN];

    timefmt_format_rfc3339(t, buf);
    return json_string(buf);
}

/* The local start of today's job k (local seconds since the epoch). */
static int64_t today_start(const struct demo *d, size_t k)
{
    int64_t day = d->local / DAY * DAY, midnight = day + DAY;
    int64_t from = (d->local + LEAD + QUARTER - 1) / QUARTER * QUARTER;

    if (from >= midnight) /* the day's last minutes: open at once */
        from = d->local > midnight - 60 ? d->local : midnight - 60;
    if (from < day + FIRST_START)
        from = day + FIRST_START;
    if (from >= day + LAST_START)
        return from;
    return from + (day + LAST_START - from) * (int64_t)(k % SLOTS) /
                      (SLOTS - 1) / QUARTER * QUARTER;
}

/* Book a job as a dispatcher would on the phone: the customer accepted
 * any call-out fee, and the booking reserves its parts. */
static int ready(struct store *s, int64_t id, struct err *err)
{
    return demo__event(s, id, EV_BOOK, JR_DISPATCHER, 0,
                       json_pack("{s:b}", "accept_callout", 1), err);
}

/* Record when job id's back-ordered part comes: days after today. */
static int back_order(struct store *s, const struct demo *d, int64_t id,
                      int days, struct err *err)
{
    char date[TIMEFMT_RFC3339_LEN];

    timefmt_format_rfc3339((d->local / DAY + days) * DAY, date);
    date[10] = '\0';
    return demo__event(s, id, EV_PARTS_MISSING, JR_DISPATCHER, 0,
                       json_pack("{s:s}", "expected_on", date), err);
}

/* Create job j with its window opening at start (UTC); booked with its
 * parts reserved when ready.  The on-site deadline is the window's end. */
static int load_job(struct store *s, const struct demo *d,
                    const struct demo_job *j, int64_t start, int ready_now,
                    struct err *err)
{
    json_t *parts = json_array();
    int64_t id;

    if (j->part != P_NONE)
        json_array_append_new(parts, json_pack("{s:I, s:i}", "part_id",
                                               (json_int_t)d->parts[j->part],
                                               "quantity", 1));
    if (demo__create(
            s, &res_job,
            json_pack("{s:I, s:I, s:s, s:s, s:i, s:i, s:o, s:o, s:o,"
                      " s:[{s:s, s:i}], s:o}",
                      "customer_id", (json_int_t)d->customers[j->customer],
                      "asset_id", (json_int_t)d->assets[j->customer], "kind",
                      j->kind, "fault", j->fault, "priority", j->priority,
                      "duration_minutes", j->minutes, "sla_due_at",
                      instant(start + WINDOW), "window_start", instant(start),
                      "window_end", instant(start + WINDOW), "required_skills",
                      "skill", j->skill, "level", j->level, "parts", parts),
            &id, err) ||
        (j->back_order_days && back_order(s, d, id, j->back_order_days,
                                          err)) ||
        (ready_now && ready(s, id, err)))
        return err->rc;
    return 0;
}

int demo__load_jobs(struct store *s, const struct demo *d, struct err *err)
{
    int64_t tomorrow = (d->local / DAY + 1) * DAY;

    for (size_t k = 0; k < DEMO_TODAY_JOBS; k++)
        if (load_job(s, d, &demo_today[k],
                     tz_local_to_utc(d->zone, today_start(d, k)),
                     k < DEMO_READY, err))
            return err->rc;
    for (size_t k = 0; k < DEMO_TOMORROW_JOBS; k++)
        if (load_job(
                s, d, &demo_tomorrow[k],
                tz_local_to_utc(d->zone, tomorrow + demo_tomorrow[k].at * 60),
                k < DEMO_TOMORROW_READY, err))
            return err->rc;
    return 0;
}
