/*
 * board.c - the dispatcher's board of one day from its rows (board.h).
 *
 * Pure: no SQL, no HTTP.  Local days and shifts become instants through
 * each technician's or customer's IANA zone (tz.c; UTC when a zone is
 * unknown).  Drives are straight-line estimates like the assignment
 * engine's default travel.
 */
#include "board/board.h"
#include "assign/assign.h"
#include "common/timefmt.h"
#include "common/tz.h"
#include "model/rowindex.h"
#include "rules/time_off.h"

#include <stdlib.h>
#include <string.h>

#define DAY 86400

/* The day's rows grouped by the columns the board joins on. */
struct board_rows {
    struct rowindex tech_skills, shifts, job_skills, techs;
    const json_t *time_off;   /* the rows' time_off */
};

static int64_t ival(const json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

void board_span(int64_t days, int64_t *lo, int64_t *hi)
{
    *lo = days * DAY - 14 * 3600; /* UTC+14 starts the day first */
    *hi = (days + 1) * DAY + 12 * 3600;
}

/* The instant of local time `local` (seconds since the epoch, as if UTC)
 * in zone name. */
static int64_t local_instant(const char *name, int64_t local)
{
    const struct tz *z;
    struct err ignored = ERR_INIT;

    if (!name || tz_get(name, &z, &ignored))
        return local;
    return tz_local_to_utc(z, local);
}

static json_t *instant(int64_t t)
{
    char at[TIMEFMT_RFC3339_LEN];

    timefmt_format_rfc3339(t, at);
    return json_string(at);
}

/* Set key to the instant held as Unix seconds in the row, or null. */
static void set_instant(json_t *out, const char *key, const json_t *row)
{
    const json_t *v = json_object_get(row, key);

    json_object_set_new(out, key, json_is_integer(v)
                                      ? instant(json_integer_value(v))
                                      : json_null());
}

/* Does [start, end) of row meet the local day `days` in zone? */
static int meets_day(const json_t *row, const char *zone, int64_t days)
{
    int64_t from = local_instant(zone, days * DAY);
    int64_t to = local_instant(zone, (days + 1) * DAY);

    return ival(row, "window_start") < to && ival(row, "window_end") > from;
}

static struct assign_loc place(const json_t *row, const char *lat,
                               const char *lon)
{
    struct assign_loc l = {0, 0, 1};
    const json_t *a = json_object_get(row, lat), *o = json_object_get(row, lon);

    if (json_is_number(a) && json_is_number(o)) {
        l.lat = json_number_value(a);
        l.lon = json_number_value(o);
        l.unknown = 0;
    }
    return l;
}

/* The lane of technician t: skills, shifts, and (filled later) load. */
static json_t *lane(const json_t *t, const struct board_rows *x,
                    int64_t days)
{
    const char *zone = json_string_value(json_object_get(t, "timezone"));
    json_t *skills = json_array(), *shifts = json_array(), *out;
    const struct rowindex_entry *e;
    const json_t *r;
    size_t i, n;

    e = rowindex_find(&x->tech_skills, ival(t, "id"), &n);
    for (i = 0; i < n; i++) {
        r = e[i].row;
        json_array_append_new(skills, json_pack(
            "{s:O, s:O, s:O}", "code", json_object_get(r, "code"), "name",
            json_object_get(r, "name"), "level", json_object_get(r, "level")));
    }
    /* a day off beyond the rota shows as no shift */
    e = rowindex_find(&x->shifts, ival(t, "id"), &n);
    if (time_off_on(x->time_off, ival(t, "id"), days))
        n = 0;
    for (i = 0; i < n; i++) {
        r = e[i].row;
        json_array_append_new(shifts, json_pack(
                "{s:o, s:o}", "start",
                instant(local_instant(zone, days * DAY +
                                                ival(r, "start_minute") * 60)),
                "end",
                instant(local_instant(zone, days * DAY +
                                                ival(r, "end_minute") * 60))));
    }
    out = json_pack("{s:O, s:O, s:O, s:O, s:i, s:o}", "id",
                    json_object_get(t, "id"), "name",
                    json_object_get(t, "name"), "timezone",
                    json_object_get(t, "timezone"), "capacity_minutes",
                    json_object_get(t, "capacity_minutes"), "load_minutes", 0,
                    "skills", skills);
    json_object_set(out, "shift_start",
                    json_array_size(shifts)
                        ? json_object_get(json_array_get(shifts, 0), "start")
                        : json_null());
    json_object_set(out, "shift_end",
                    json_array_size(shifts)
                        ? json_object_get(json_array_get(
                                              shifts,
                                              json_array_size(shifts) - 1),
                                          "end")
                        : json_null());
    json_object_set_new(out, "shifts", shifts);
    return out;
}

static const json_t *tech_by_id(const struct board_rows *x, int64_t id)
{
    size_t n;
    const struct rowindex_entry *e = rowindex_find(&x->techs, id, &n);

    return e ? e->row : NULL;
}

/* The job as the board shows it; travel and skills are added later. */
static json_t *board_job(const json_t *j, const struct board_rows *x)
{
    static const char *const keys[] = {
        "id", "version", "status", "kind", "fault", "priority",
        "customer_name", "duration_minutes", "technician_id", "sla_risk"};
    json_t *out = json_object(), *skills = json_array();
    const struct rowindex_entry *e;
    size_t i, n;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        json_object_set(out, keys[i], json_object_get(j, keys[i]));
    json_object_set_new(out, "pinned", json_boolean(ival(j, "pinned")));
    set_instant(out, "window_start", j);
    set_instant(out, "window_end", j);
    set_instant(out, "sla_due_at", j);
    e = rowindex_find(&x->job_skills, ival(j, "id"), &n);
    for (i = 0; i < n; i++)
        json_array_append_new(skills, json_pack(
            "{s:O, s:O}", "code", json_object_get(e[i].row, "code"),
            "min_level", json_object_get(e[i].row, "min_level")));
    json_object_set_new(out, "required_skills", skills);
    json_object_set_new(out, "travel_minutes", json_null());
    json_object_set_new(out, "start", json_null());
    return out;
}

/* Visit order on a lane: by window start, then id. */
struct stop {
    int64_t window_start, id;
    size_t row;
};

static int by_window(const void *a, const void *b)
{
    const struct stop *x = a, *y = b;

    if (x->window_start != y->window_start)
        return x->window_start < y->window_start ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* The planned start of each visit on lane l (in window order, each as
 * early as its window, the drive from the stop before and the visit
 * before allow, from the shift's start), the drive to it, and the lane's
 * load.  src holds the source row of each of jobs, at the same index. */
static void plan_lane(json_t *l, const json_t *t, json_t *jobs,
                      const json_t *src, const struct rowindex *by_tech,
                      int64_t shift_start)
{
    size_t i, n;
    const struct rowindex_entry *e = rowindex_find(by_tech, ival(l, "id"),
                                                   &n);
    struct stop *stops = calloc(n + 1, sizeof *stops);
    struct assign_loc prev = place(t, "start_lat", "start_lon");
    int64_t free_at = shift_start, load = 0;

    for (i = 0; i < n; i++) {
        stops[i].window_start = ival(e[i].row, "window_start");
        stops[i].id = ival(e[i].row, "id");
        stops[i].row = e[i].at;
    }
    qsort(stops, n, sizeof *stops, by_window);
    for (i = 0; i < n; i++) {
        const json_t *row = json_array_get(src, stops[i].row);
        struct assign_loc here = place(row, "lat", "lon");
        int64_t drive = assign_straight_seconds(&prev, &here, 0, 0);
        int64_t start = stops[i].window_start;
        json_t *out = json_array_get(jobs, stops[i].row);

        if (free_at + drive > start)
            start = free_at + drive;
        json_object_set_new(out, "travel_minutes",
                            json_integer((drive + 59) / 60));
        json_object_set_new(out, "start", instant(start));
        free_at = start + ival(row, "duration_minutes") * 60;
        load += ival(row, "duration_minutes");
        prev = here;
    }
    json_object_set_new(l, "load_minutes", json_integer(load));
    free(stops);
}

/* Plan every lane from its shift's start (its local midnight when off). */
static void drives(json_t *lanes, json_t *jobs, const json_t *src,
                   const struct board_rows *x, int64_t days)
{
    struct rowindex by_tech;
    json_t *l;
    size_t li;

    rowindex_build(&by_tech, src, "technician_id");
    json_array_foreach(lanes, li, l) {
        const json_t *t = tech_by_id(x, ival(l, "id"));
        const char *shift = json_string_value(json_object_get(l,
                                                              "shift_start"));
        int64_t start;

        if (!shift || timefmt_parse_rfc3339(shift, &start))
            start = local_instant(json_string_value(json_object_get(
                                      t, "timezone")),
                                  days * DAY);
        plan_lane(l, t, jobs, src, &by_tech, start);
    }
    rowindex_release(&by_tech);
}

json_t *board_render(const json_t *rows, const char *date, struct err *err)
{
    struct board_rows x;
    json_t *lanes, *jobs, *kept, *out;
    const json_t *t, *j;
    int64_t days;
    size_t i;

    if (timefmt_parse_date(date, &days)) {
        err_set(err, ERR_INVALID, "invalid_date", "date",
                "date must be YYYY-MM-DD");
        return NULL;
    }
    rowindex_build(&x.tech_skills, json_object_get(rows, "tech_skills"),
                   "technician_id");
    rowindex_build(&x.shifts, json_object_get(rows, "shifts"),
                   "technician_id");
    rowindex_build(&x.job_skills, json_object_get(rows, "job_skills"),
                   "job_id");
    rowindex_build(&x.techs, json_object_get(rows, "technicians"), "id");
    x.time_off = json_object_get(rows, "time_off");
    lanes = json_array();
    jobs = json_array();
    json_array_foreach(json_object_get(rows, "technicians"), i, t)
        json_array_append_new(lanes, lane(t, &x, days));
    /* kept: the source rows of the jobs shown, parallel to jobs */
    kept = json_array();
    json_array_foreach(json_object_get(rows, "jobs"), i, j) {
        const json_t *tech = NULL;
        int windowed = json_is_integer(json_object_get(j, "window_start"));

        if (json_is_integer(json_object_get(j, "technician_id"))) {
            tech = tech_by_id(&x, ival(j, "technician_id"));
            if (!tech || !windowed ||
                !meets_day(j, json_string_value(json_object_get(
                                  tech, "timezone")),
                           days))
                continue;
        } else if (windowed &&
                   !meets_day(j, json_string_value(json_object_get(
                                     j, "customer_timezone")),
                              days)) {
            continue;
        }
        json_array_append_new(jobs, board_job(j, &x));
        json_array_append(kept, (json_t *)j);
    }
    drives(lanes, jobs, kept, &x, days);
    json_decref(kept);
    rowindex_release(&x.tech_skills);
    rowindex_release(&x.shifts);
    rowindex_release(&x.job_skills);
    rowindex_release(&x.techs);
    out = json_pack("{s:s, s:O, s:o, s:o}", "date", date, "seq",
                    json_object_get(rows, "seq"), "technicians", lanes,
                    "jobs", jobs);
    return out;
}
