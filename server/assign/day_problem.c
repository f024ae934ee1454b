/*
 * day_problem.c - turning the store's rows for one date into the assignment
 * engine's problem (see day_problem.h).
 *
 * Choices made here, where the engine leaves room:
 *  - A technician works the date when a shift is stored for its weekday.
 *    Several shifts on one day become one span from the first start to the
 *    last end; each gap between them is a commitment at the start location,
 *    and the capacity grows by the gap so the break is not counted as work.
 *  - A visit already under way (en route, on site) is a commitment from its
 *    window start for its duration, clipped to the shift.
 *  - A job joins the day when its arrival window meets the day's working
 *    hours (the first shift start to the last shift end, any technician),
 *    or when it has no window; the job being explained always joins.
 *  - A customer without coordinates is a location with no known place:
 *    trips to or from it count as no travel.
 *  - Every technician starts and ends the day at its start location.
 *  - Past the freeze bound (not_before) nothing is placed: a shift starts
 *    there at the earliest, its work time shrinks to what is left, and
 *    breaks before it are dropped.  The bound does not enter the
 *    fingerprint: a plan stays the plan of the same day as time passes.
 */
#include "assign/day_problem.h"
#include "common/mem.h"
#include "common/sec.h"
#include "common/timefmt.h"
#include "common/tz.h"
#include "model/rowindex.h"
#include "rules/job_sets.h"
#include "rules/time_off.h"

#include <stdlib.h>
#include <string.h>

int day_problem_weight(int priority)
{
    static const int weights[] = {8, 4, 2, 1, 1};

    return priority >= 1 && priority <= 5 ? weights[priority - 1] : 1;
}

static int64_t ival(const json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

static int has(const json_t *row, const char *key)
{
    const json_t *v = json_object_get(row, key);

    return v && !json_is_null(v);
}

static const char *sval(const json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));

    return s ? s : "";
}

static int is_status(const json_t *row, enum job_set set)
{
    return job_in_set(sval(row, "status"), set);
}

struct build {
    struct day_problem *d;
    int64_t days;
    int nbusy, nreqs, nskills;
    int32_t lo, hi;           /* the day's working hours */
    int32_t not_before;       /* the freeze bound, after origin */
    struct rowindex shifts, visits, tech_skills, job_skills; /* by owner */
};

/* Shift span, gaps and commitments of one technician; 0 if off shift. */
static int tech_day(struct build *b, const json_t *t, struct assign_tech *at,
                    struct err *err)
{
    struct day_problem *d = b->d;
    const struct tz *z;
    int weekday = timefmt_weekday(b->days);
    int64_t base = b->days * 86400, prev_end = 0;
    int n = 0;
    size_t count;
    const struct rowindex_entry *e = rowindex_find(&b->shifts, ival(t, "id"),
                                                   &count);

    if (tz_get(sval(t, "timezone"), &z, err))
        return -1;
    at->busy = b->d->busy + b->nbusy;
    if (time_off_on(json_object_get(d->rows, "time_off"), ival(t, "id"),
                    b->days))
        return 0; /* a day off beyond the rota */
    for (size_t i = 0; i < count; i++) {
        const json_t *s = e[i].row;
        int64_t from, to;

        if (ival(s, "weekday") != weekday)
            continue;
        from = tz_local_to_utc(z, base + ival(s, "start_minute") * 60);
        to = tz_local_to_utc(z, base + ival(s, "end_minute") * 60);
        if (n == 0) {
            at->shift_start = (int32_t)(from - d->origin);
        } else if (from > prev_end) {
            struct assign_busy *gap = &d->busy[b->nbusy++];

            gap->start = (int32_t)(prev_end - d->origin);
            gap->end = (int32_t)(from - d->origin);
            gap->loc = at->start_loc;
            at->capacity += gap->end - gap->start;
            at->nbusy++;
        }
        at->shift_end = (int32_t)(to - d->origin);
        prev_end = to;
        n++;
    }
    return n > 0;
}

/* Start the shift no earlier than the freeze bound; 0 when nothing of it
 * is left. */
static int freeze(struct build *b, struct assign_tech *at)
{
    struct assign_busy *k = (struct assign_busy *)at->busy;
    int32_t left, n = 0;

    if (b->not_before <= at->shift_start)
        return 1;
    if (b->not_before >= at->shift_end)
        return 0;
    at->shift_start = b->not_before;
    left = at->shift_end - at->shift_start;
    for (int i = 0; i < at->nbusy; i++) {
        if (k[i].end <= at->shift_start)
            continue;
        if (k[i].start < at->shift_start)
            k[i].start = at->shift_start;
        left -= k[i].end - k[i].start;
        k[n++] = k[i];
    }
    b->nbusy -= at->nbusy - n; /* commitments follow on contiguously */
    at->nbusy = n;
    if (at->capacity > left)
        at->capacity = left > 0 ? left : 0;
    return 1;
}

/* Visits under way for technician id, as commitments inside its shift. */
static void commitments(struct build *b, int64_t id, struct assign_tech *at,
                        int loc_base)
{
    struct day_problem *d = b->d;
    size_t count;
    const struct rowindex_entry *e = rowindex_find(&b->visits, id, &count);

    for (size_t i = 0; i < count; i++) {
        const json_t *j = e[i].row;
        struct assign_busy *k;
        int64_t start, end;

        if (!is_status(j, JOB_SET_COMMITTED) || !has(j, "window_start"))
            continue;
        start = ival(j, "window_start") - d->origin;
        end = start + ival(j, "duration_minutes") * 60;
        if (start < at->shift_start)
            start = at->shift_start;
        if (end > at->shift_end)
            end = at->shift_end;
        if (end <= start)
            continue;
        k = &d->busy[b->nbusy++];
        k->start = (int32_t)start;
        k->end = (int32_t)end;
        k->loc = loc_base + (int)e[i].at;
        at->nbusy++;
    }
}

static int by_start(const void *a, const void *b)
{
    const struct assign_busy *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort a technician's commitments and merge the ones that overlap. */
static void tidy_busy(struct assign_tech *at)
{
    struct assign_busy *k = (struct assign_busy *)at->busy;
    int n = 0;

    qsort(k, (size_t)at->nbusy, sizeof(*k), by_start);
    for (int i = 0; i < at->nbusy; i++) {
        if (n > 0 && k[i].start < k[n - 1].end) {
            if (k[i].end > k[n - 1].end)
                k[n - 1].end = k[i].end;
            continue;
        }
        k[n++] = k[i];
    }
    at->nbusy = n;
}

static int add_techs(struct build *b, struct err *err)
{
    struct day_problem *d = b->d;
    const json_t *techs = json_object_get(d->rows, "technicians"), *t;
    const struct rowindex_entry *s;
    size_t i, count;

    json_array_foreach(techs, i, t) {
        struct assign_tech *at = &d->atechs[d->problem.ntechs];
        int on;

        memset(at, 0, sizeof(*at));
        at->id = ival(t, "id");
        d->locs[i].lat = json_number_value(json_object_get(t, "start_lat"));
        d->locs[i].lon = json_number_value(json_object_get(t, "start_lon"));
        at->start_loc = at->end_loc = (int)i;
        at->capacity = (int32_t)ival(t, "capacity_minutes") * 60;
        if ((on = tech_day(b, t, at, err)) < 0)
            return err->rc;
        if (on)
            on = freeze(b, at);
        if (!on) {
            json_array_append_new(d->off_shift, json_pack(
                "{s:I, s:s}", "id", (json_int_t)at->id, "name",
                sval(t, "name")));
            b->nbusy -= at->nbusy;
            continue;
        }
        commitments(b, at->id, at, (int)json_array_size(techs));
        tidy_busy(at);
        at->skills = d->skills + b->nskills;
        s = rowindex_find(&b->tech_skills, at->id, &count);
        for (size_t k = 0; k < count; k++) {
            d->skills[b->nskills].skill = (int32_t)ival(s[k].row, "skill_id");
            d->skills[b->nskills++].level = (int32_t)ival(s[k].row, "level");
            at->nskills++;
        }
        if (d->problem.ntechs == 0 || at->shift_start < b->lo)
            b->lo = at->shift_start;
        if (d->problem.ntechs == 0 || at->shift_end > b->hi)
            b->hi = at->shift_end;
        d->tech_names[d->problem.ntechs] = sval(t, "name");
        d->tech_zones[d->problem.ntechs] = sval(t, "timezone");
        d->problem.ntechs++;
    }
    return 0;
}

/* A job joins the day when it can be planned and its window meets the
 * working hours, or when it is the job being explained. */
static int joins(const struct build *b, const json_t *j)
{
    int64_t ws, we;

    if (ival(j, "target"))
        return 1;
    if (!is_status(j, JOB_SET_PLANNABLE))
        return 0;
    if (!has(j, "window_start"))
        return 1;
    ws = ival(j, "window_start") - b->d->origin;
    we = ival(j, "window_end") - b->d->origin;
    return b->d->problem.ntechs > 0 && ws <= b->hi && we >= b->lo;
}

static void add_job(struct build *b, const json_t *j, int loc)
{
    struct day_problem *d = b->d;
    int n = d->problem.njobs;
    struct assign_job *aj = &d->ajobs[n];
    struct day_problem_job *dj = &d->jobs[n];
    const struct rowindex_entry *s;
    size_t count;

    memset(aj, 0, sizeof(*aj));
    aj->id = dj->id = ival(j, "id");
    dj->version = ival(j, "version");
    snprintf(dj->status, sizeof(dj->status), "%s", sval(j, "status"));
    dj->technician_id = ival(j, "technician_id");
    dj->priority = (int)ival(j, "priority");
    aj->duration = (int32_t)ival(j, "duration_minutes") * 60;
    aj->win_start = has(j, "window_start")
                        ? (int32_t)(ival(j, "window_start") - d->origin)
                        : b->lo;
    aj->win_end = has(j, "window_end")
                      ? (int32_t)(ival(j, "window_end") - d->origin)
                      : b->hi;
    aj->sla_due = has(j, "sla_due_at")
                      ? (int32_t)(ival(j, "sla_due_at") - d->origin)
                      : ASSIGN_NONE;
    aj->loc = loc;
    aj->weight = day_problem_weight(dj->priority);
    aj->current = strcmp(dj->status, "assigned") == 0
                      ? day_problem_tech_index(d, dj->technician_id)
                      : -1;
    aj->preferred =
        day_problem_tech_index(d, ival(j, "preferred_technician_id"));
    aj->pinned = ival(j, "pinned") && aj->current >= 0;
    aj->current_start = ASSIGN_NONE; /* the window orders the warm start */
    aj->skills = d->reqs + b->nreqs;
    s = rowindex_find(&b->job_skills, aj->id, &count);
    for (size_t k = 0; k < count; k++) {
        d->reqs[b->nreqs].skill = (int32_t)ival(s[k].row, "skill_id");
        d->reqs[b->nreqs++].level = (int32_t)ival(s[k].row, "min_level");
        aj->nskills++;
    }
    d->problem.njobs++;
}

static void add_jobs(struct build *b, int loc_base)
{
    const json_t *jobs = json_object_get(b->d->rows, "jobs"), *j;
    size_t i;

    json_array_foreach(jobs, i, j) {
        struct assign_loc *l = &b->d->locs[loc_base + (int)i];

        l->unknown = !has(j, "lat") || !has(j, "lon");
        l->lat = json_number_value(json_object_get(j, "lat"));
        l->lon = json_number_value(json_object_get(j, "lon"));
        if (joins(b, j))
            add_job(b, j, loc_base + (int)i);
    }
}

static void fingerprint(struct day_problem *d)
{
    char *text = json_dumps(d->rows, JSON_COMPACT | JSON_SORT_KEYS);
    size_t n = strlen(d->date) + 1 + (text ? strlen(text) : 0);
    char *all = xmalloc(n + 1);

    snprintf(all, n + 1, "%s\n%s", d->date, text ? text : "");
    sec_hash(all, n, d->fingerprint);
    free(all);
    free(text);
}

int day_problem_build(json_t *rows, const char *date, int64_t not_before,
                      struct day_problem *d, struct err *err)
{
    size_t nt = json_array_size(json_object_get(rows, "technicians"));
    size_t nj = json_array_size(json_object_get(rows, "jobs"));
    size_t ns = json_array_size(json_object_get(rows, "tech_skills"));
    size_t nr = json_array_size(json_object_get(rows, "job_skills"));
    size_t nb = json_array_size(json_object_get(rows, "shifts")) + nj;
    struct build b = {d, 0, 0, 0, 0, 0, 86400, INT32_MIN, {0}, {0}, {0}, {0}};
    int rc;

    memset(d, 0, sizeof(*d));
    snprintf(d->date, sizeof(d->date), "%s", date);
    if (timefmt_parse_date(date, &b.days))
        return err_set(err, ERR_INVALID, "invalid_date", "date",
                       "date must be YYYY-MM-DD");
    d->origin = b.days * 86400;
    if (not_before) {
        int64_t rel = not_before - d->origin;
        d->not_before = not_before;
        b.not_before = rel > INT32_MAX   ? INT32_MAX
                       : rel < INT32_MIN ? INT32_MIN
                                         : (int32_t)rel;
    }
    d->rows = json_incref(rows);
    d->off_shift = json_array();
    d->skill_codes = json_object();
    d->ajobs = xcalloc(nj + 1, sizeof(*d->ajobs));
    d->jobs = xcalloc(nj + 1, sizeof(*d->jobs));
    d->atechs = xcalloc(nt + 1, sizeof(*d->atechs));
    d->tech_names = xcalloc(nt + 1, sizeof(*d->tech_names));
    d->tech_zones = xcalloc(nt + 1, sizeof(*d->tech_zones));
    d->locs = xcalloc(nt + nj + 1, sizeof(*d->locs));
    d->skills = xcalloc(ns + 1, sizeof(*d->skills));
    d->reqs = xcalloc(nr + 1, sizeof(*d->reqs));
    d->busy = xcalloc(nb + 1, sizeof(*d->busy));
    d->problem.jobs = d->ajobs;
    d->problem.techs = d->atechs;
    d->problem.locs = d->locs;
    d->problem.nlocs = (int)(nt + nj);
    rowindex_build(&b.shifts, json_object_get(rows, "shifts"),
                   "technician_id");
    rowindex_build(&b.visits, json_object_get(rows, "jobs"), "technician_id");
    rowindex_build(&b.tech_skills, json_object_get(rows, "tech_skills"),
                   "technician_id");
    rowindex_build(&b.job_skills, json_object_get(rows, "job_skills"),
                   "job_id");
    rc = add_techs(&b, err);
    if (rc == 0) {
        const json_t *sk;
        size_t i;

        add_jobs(&b, (int)nt);
        json_array_foreach(json_object_get(rows, "skills"), i, sk) {
            char key[24];

            snprintf(key, sizeof(key), "%lld", (long long)ival(sk, "id"));
            json_object_set(d->skill_codes, key,
                            json_object_get(sk, "code"));
        }
        fingerprint(d);
    }
    rowindex_release(&b.shifts);
    rowindex_release(&b.visits);
    rowindex_release(&b.tech_skills);
    rowindex_release(&b.job_skills);
    if (rc)
        day_problem_release(d);
    return rc;
}

void day_problem_release(struct day_problem *d)
{
    free(d->ajobs);
    free(d->jobs);
    free(d->atechs);
    free(d->tech_names);
    free(d->tech_zones);
    free(d->locs);
    free(d->skills);
    free(d->reqs);
    free(d->busy);
    json_decref(d->rows);
    json_decref(d->off_shift);
    json_decref(d->skill_codes);
    memset(d, 0, sizeof(*d));
}

int day_problem_job_index(const struct day_problem *d, int64_t job_id)
{
    for (int j = 0; j < d->problem.njobs; j++)
        if (d->ajobs[j].id == job_id)
            return j;
    return -1;
}

int day_problem_tech_index(const struct day_problem *d, int64_t tech_id)
{
    for (int t = 0; tech_id && t < d->problem.ntechs; t++)
        if (d->atechs[t].id == tech_id)
            return t;
    return -1;
}

static _Thread_local const struct day_problem *order_ctx;
static int earlier_window(const void *a, const void *b)
{
    const struct assign_job *x = &order_ctx->ajobs[*(const int *)a];
    const struct assign_job *y = &order_ctx->ajobs[*(const int *)b];

    if (x->win_start != y->win_start)
        return x->win_start < y->win_start ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

int day_problem_current(const struct day_problem *d, struct assign_plan *out,
                    struct err *err)
{
    int T = d->problem.ntechs, J = d->problem.njobs, at = 0, rc;
    int *off = xcalloc((size_t)T + 1, sizeof(int));
    int *route = xcalloc((size_t)J + 1, sizeof(int));

    for (int t = 0; t < T; t++) {
        off[t] = at;
        for (int j = 0; j < J; j++)
            if (d->ajobs[j].current == t)
                route[at++] = j;
        order_ctx = d;
        qsort(route + off[t], (size_t)(at - off[t]), sizeof(int),
              earlier_window);
    }
    off[T] = at;
    rc = assign_plan_from_routes(&d->problem, off, route, out, err);
    free(off);
    free(route);
    return rc;
}

/* The one job the current plan leaves unassigned, or -1 (none, or more). */
static int only_unassigned(const struct assign_plan *plan)
{
    int found = -1;

    for (int j = 0; j < plan->njobs; j++) {
        if (plan->tech_of[j] >= 0)
            continue;
        if (found >= 0)
            return -1;
        found = j;
    }
    return found;
}

int day_problem_replan(const struct day_problem *d, struct assign_plan *out,
                       int *inserted, struct err *err)
{
    int j;

    *inserted = 0;
    if (day_problem_current(d, out, err))
        return err->rc;
    if ((j = only_unassigned(out)) >= 0 &&
        assign_insert_one(&d->problem, out, j) >= 0) {
        *inserted = 1;
        return 0;
    }
    assign_plan_release(out);
    return assign_solve(&d->problem, out, err);
}
