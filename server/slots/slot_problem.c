/*
 * slot_problem.c - turning the store's rows for one job into a slot search and
 * its result into JSON (see slot_problem.h).
 *
 * Places: index 0 is the job, then one per technician (home), then one per
 * booked visit.  A technician with several shifts on a day gets one
 * slots_shift per shift; a booked visit belongs to the shift it starts in.
 * A zone the system does not know counts as UTC (time zones are checked
 * when they are stored, so this is only a safety net).
 */
#include "slots/slot_problem.h"
#include "common/mem.h"
#include "common/timefmt.h"
#include "common/tz.h"
#include "model/rowindex.h"
#include "rules/time_off.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t ival(const json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

static const struct tz *zone(const json_t *row)
{
    return tz_get_or_utc(json_string_value(json_object_get(row,
                                                           "timezone")));
}

/* Local wall-clock seconds to Unix seconds; no zone at all is UTC. */
static int64_t utc(const struct tz *z, int64_t local)
{
    return z ? tz_local_to_utc(z, local) : local;
}

static void place(struct assign_loc *l, const json_t *row, const char *lat,
                  const char *lon)
{
    const json_t *a = json_object_get(row, lat), *b = json_object_get(row, lon);

    l->unknown = !json_is_number(a) || !json_is_number(b);
    l->lat = json_number_value(a);
    l->lon = json_number_value(b);
}

/* The rows a technician's part of the search is made of. */
struct by_tech {
    struct rowindex shifts, visits, skills;
};

/* Visits of technician id starting in [start, end), as busy blocks. */
static int visits_in(const struct slot_problem *p, const struct by_tech *x,
                     int64_t id, int64_t start, int64_t end, int loc_base,
                     struct assign_busy *out)
{
    size_t count;
    const struct rowindex_entry *v = rowindex_find(&x->visits, id, &count);
    int n = 0;

    for (size_t i = 0; i < count; i++) {
        int64_t at = ival(v[i].row, "window_start");

        if (at < start || at >= end)
            continue;
        out[n].start = (int32_t)(at - p->origin);
        out[n].end = out[n].start +
                     (int32_t)ival(v[i].row, "duration_minutes") * 60;
        if (n > 0 && out[n].start < out[n - 1].end) {
            /* overlapping bookings hold the time once */
            if (out[n].end > out[n - 1].end)
                out[n - 1].end = out[n].end;
            continue;
        }
        out[n].loc = loc_base + (int)v[i].at;
        n++;
    }
    return n;
}

/* Seconds of work technician id has booked on the local day [from, to):
 * every visit's whole duration, even where visits overlap (a manager's
 * override) or fall outside the shift. */
static int32_t work_on(const struct by_tech *x, int64_t id, int64_t from,
                       int64_t to)
{
    size_t count;
    const struct rowindex_entry *v = rowindex_find(&x->visits, id, &count);
    int64_t work = 0;

    for (size_t i = 0; i < count; i++) {
        int64_t at = ival(v[i].row, "window_start");

        if (at >= from && at < to)
            work += ival(v[i].row, "duration_minutes") * 60;
    }
    return work > INT32_MAX ? INT32_MAX : (int32_t)work;
}

/* Technician t's shifts over the horizon, with the visits in each. */
static void add_shifts(struct slot_problem *p, const struct by_tech *x, int t,
                       const json_t *row, int loc_base, int *nbusy)
{
    const struct tz *z = zone(row);
    size_t count;
    const struct rowindex_entry *s = rowindex_find(&x->shifts,
                                                   p->techs[t].id, &count);

    for (int d = 0; d < p->in.ndays; d++) {
        int64_t day = p->first_day + d, base = day * 86400;
        int weekday = timefmt_weekday(day);

        if (time_off_on(json_object_get(p->rows, "time_off"), p->techs[t].id,
                        day))
            continue; /* a day off beyond the rota */
        for (size_t i = 0; i < count; i++) {
            struct slots_shift *sh;
            int64_t from, to;

            if (ival(s[i].row, "weekday") != weekday)
                continue;
            sh = &p->shifts[p->in.nshifts++];
            from = utc(z, base + ival(s[i].row, "start_minute") * 60);
            to = utc(z, base + ival(s[i].row, "end_minute") * 60);
            sh->tech = t;
            sh->day = d;
            sh->start = (int32_t)(from - p->origin);
            sh->end = (int32_t)(to - p->origin);
            sh->busy = p->busy + *nbusy;
            sh->nbusy = visits_in(p, x, p->techs[t].id, from, to, loc_base,
                                  p->busy + *nbusy);
            sh->work = work_on(x, p->techs[t].id, utc(z, base),
                               utc(z, base + 86400));
            *nbusy += sh->nbusy;
        }
    }
}

static void add_techs(struct slot_problem *p, int loc_base)
{
    struct by_tech x;
    const json_t *t;
    size_t i;
    int nskills = 0, nbusy = 0;

    rowindex_build(&x.shifts, json_object_get(p->rows, "shifts"),
                   "technician_id");
    rowindex_build(&x.visits, json_object_get(p->rows, "visits"),
                   "technician_id");
    rowindex_build(&x.skills, json_object_get(p->rows, "tech_skills"),
                   "technician_id");
    json_array_foreach(json_object_get(p->rows, "technicians"), i, t) {
        struct slots_tech *st = &p->techs[i];
        size_t count;
        const struct rowindex_entry *k;

        st->id = ival(t, "id");
        st->home = 1 + (int)i;
        place(&p->locs[st->home], t, "start_lat", "start_lon");
        st->capacity = (int32_t)ival(t, "capacity_minutes") * 60;
        st->skills = p->skills + nskills;
        k = rowindex_find(&x.skills, st->id, &count);
        for (size_t j = 0; j < count; j++) {
            p->skills[nskills].skill = (int32_t)ival(k[j].row, "skill_id");
            p->skills[nskills++].level = (int32_t)ival(k[j].row, "level");
            st->nskills++;
        }
        p->in.ntechs++;
        add_shifts(p, &x, (int)i, t, loc_base, &nbusy);
    }
    rowindex_release(&x.shifts);
    rowindex_release(&x.visits);
    rowindex_release(&x.skills);
}

/* Windows on each local date of the customer, 08:00 to 18:00. */
static void add_windows(struct slot_problem *p, const struct tz *z, int minutes)
{
    for (int d = 0; d < p->in.ndays; d++) {
        int64_t base = (p->first_day + d) * 86400;

        for (int m = SLOT_PROBLEM_DAY_START;
             m + minutes <= SLOT_PROBLEM_DAY_END; m += minutes) {
            struct slots_window *w = &p->windows[p->in.nwindows++];
            int64_t at = utc(z, base + m * 60);

            w->day = d;
            w->start = (int32_t)(at - p->origin);
            w->end = (int32_t)(utc(z, base + (m + minutes) * 60) -
                               p->origin);
        }
    }
}

/* Whether the job's parts can be held by some date (parts_status). */
static int parts_ready(const json_t *job)
{
    const char *s = json_string_value(json_object_get(job, "parts_status"));

    return !s || strcmp(s, "in_stock") == 0 || strcmp(s, "expected") == 0;
}

/* The job's own part: skills, duration, place, notice and parts date. */
static void add_job(struct slot_problem *p,
                    const struct slot_problem_want *want, const struct tz *z)
{
    const json_t *job = json_array_get(json_object_get(p->rows, "job"), 0);
    const json_t *k;
    const char *parts =
        json_string_value(json_object_get(job, "parts_expected_on"));
    int64_t day;
    size_t i;

    json_array_foreach(json_object_get(p->rows, "job_skills"), i, k) {
        p->reqs[i].skill = (int32_t)ival(k, "skill_id");
        p->reqs[i].level = (int32_t)ival(k, "min_level");
        p->in.nskills++;
    }
    p->in.skills = p->reqs;
    p->in.duration = (int32_t)ival(job, "duration_minutes") * 60;
    p->in.loc = 0;
    place(&p->locs[0], job, "lat", "lon");
    p->in.not_before = (int32_t)(want->now + want->notice_minutes * 60 -
                                 p->origin);
    p->in.parts_from = ASSIGN_NONE;
    if (!parts_ready(job))
        p->in.parts_from = INT32_MAX; /* no day is late enough */
    else if (parts && timefmt_parse_date(parts, &day) == 0)
        p->in.parts_from = (int32_t)(utc(z, (day + 1) * 86400) -
                                     p->origin);
}

int slot_problem_build(json_t *rows, const struct slot_problem_want *want,
                   struct slot_problem *p, struct err *err)
{
    const json_t *job = json_array_get(json_object_get(rows, "job"), 0);
    size_t nt = json_array_size(json_object_get(rows, "technicians"));
    size_t nv = json_array_size(json_object_get(rows, "visits"));
    size_t ns = json_array_size(json_object_get(rows, "shifts"));
    size_t days = (size_t)want->days;
    const struct tz *z = zone(job);

    memset(p, 0, sizeof(*p));
    if (timefmt_parse_date(want->from, &p->first_day))
        return err_set(err, ERR_INVALID, "invalid_date", "from",
                       "from must be YYYY-MM-DD");
    p->origin = p->first_day * 86400;
    p->rows = json_incref(rows);
    p->in.ndays = want->days;
    p->techs = xcalloc(nt + 1, sizeof(*p->techs));
    p->shifts = xcalloc(ns * days + 1, sizeof(*p->shifts));
    p->busy = xcalloc(nv + 1, sizeof(*p->busy));
    p->skills = xcalloc(json_array_size(json_object_get(rows, "tech_skills")) +
                            1, sizeof(*p->skills));
    p->reqs = xcalloc(json_array_size(json_object_get(rows, "job_skills")) + 1,
                      sizeof(*p->reqs));
    p->locs = xcalloc(1 + nt + nv, sizeof(*p->locs));
    p->windows =
        xcalloc(days * (SLOT_PROBLEM_DAY_END - SLOT_PROBLEM_DAY_START) /
                        (size_t)want->window_minutes +
                    1,
                sizeof(*p->windows));
    p->in.techs = p->techs;
    p->in.shifts = p->shifts;
    p->in.windows = p->windows;
    p->in.locs = p->locs;
    p->in.nlocs = (int)(1 + nt + nv);
    add_job(p, want, z);
    add_techs(p, (int)(1 + nt));
    {
        const json_t *v;
        size_t i;

        json_array_foreach(json_object_get(rows, "visits"), i, v)
            place(&p->locs[1 + nt + i], v, "lat", "lon");
    }
    add_windows(p, z, want->window_minutes);
    return 0;
}

void slot_problem_release(struct slot_problem *p)
{
    free(p->techs);
    free(p->shifts);
    free(p->busy);
    free(p->skills);
    free(p->reqs);
    free(p->locs);
    free(p->windows);
    json_decref(p->rows);
    memset(p, 0, sizeof(*p));
}

json_t *slot_problem_render(const struct slot_problem *p,
                            const struct slots_result *r, int staff)
{
    json_t *days = json_array(), *slots = json_array(), *parts;
    const json_t *job;
    char a[TIMEFMT_RFC3339_LEN], b[TIMEFMT_RFC3339_LEN];
    int *count = xcalloc((size_t)p->in.ndays + 1, sizeof(int));

    for (int i = 0; i < r->nslots; i++) {
        const struct slots_slot *s = &r->slots[i];
        const struct slots_window *w = &p->windows[s->window];

        count[w->day]++;
        timefmt_format_rfc3339(p->origin + w->start, a);
        timefmt_format_rfc3339(p->origin + w->end, b);
        json_array_append_new(
            slots, staff ? json_pack("{s:s, s:s, s:I, s:i, s:f}", "start", a,
                                     "end", b, "technician_id",
                                     (json_int_t)p->techs[s->tech].id,
                                     "added_travel_minutes",
                                     (s->added_travel + 59) / 60, "load",
                                     s->load_after / 1000.0)
                         : json_pack("{s:s, s:s}", "start", a, "end", b));
    }
    for (int d = 0; d < p->in.ndays; d++) {
        timefmt_format_rfc3339((p->first_day + d) * 86400, a);
        a[10] = '\0';
        json_array_append_new(days, json_pack(
            "{s:s, s:s, s:i}", "date", a, "reason",
            slots_reason_code(r->day_reason[d]), "slots", count[d]));
    }
    free(count);
    timefmt_format_rfc3339(p->origin, a);
    a[10] = '\0';
    job = json_array_get(json_object_get(p->rows, "job"), 0);
    parts = json_pack("{s:O*, s:O*}", "status",
                      json_object_get(job, "parts_status"), "expected_on",
                      json_object_get(job, "parts_expected_on"));
    if (!staff)
        return json_pack("{s:s, s:o, s:o, s:o}", "from", a, "days", days,
                         "slots", slots, "parts", parts);
    return json_pack("{s:I, s:s, s:o, s:o, s:o}", "job_id",
                     (json_int_t)ival(job, "id"), "from", a, "days", days,
                     "slots", slots, "parts", parts);
}
