/*
 * plan_view.c - rendering the assignment engine's verdicts and plans for
 * the API (see plan_view.h).
 *
 * The sentences are what a dispatcher reads on the board, so they name
 * skills by code, times in UTC as HH:MM, and loads in percent of the
 * technician's capacity.  No decisions are made here.
 */
#include "assign/plan_view.h"
#include "common/timefmt.h"
#include "common/tz.h"

#include <stdio.h>
#include <string.h>

static void at_text(const struct day_problem *d, int32_t rel, char *buf)
{
    timefmt_format_rfc3339(d->origin + rel, buf);
}

/* "HH:MM" of an engine time in the zone z (UTC when NULL). */
static void hhmm(const struct day_problem *d, const struct tz *z, int32_t rel,
                 char *buf)
{
    char at[TIMEFMT_RFC3339_LEN];
    int64_t utc = d->origin + rel;

    timefmt_format_rfc3339(utc + (z ? tz_offset_at(z, utc) : 0), at);
    memcpy(buf, at + 11, 5);
    buf[5] = '\0';
}

static const char *skill_code(const struct day_problem *d, int32_t skill)
{
    char key[24];
    const char *code;

    snprintf(key, sizeof(key), "%d", skill);
    code = json_string_value(json_object_get(d->skill_codes, key));
    return code ? code : "?";
}

void plan_view_sentence(const struct day_problem *d, int j,
                        const struct assign_candidate *c, char *buf,
                        size_t len)
{
    const struct assign_job *job = &d->ajobs[j];
    const struct assign_tech *t = &d->atechs[c->tech];
    /* times in the technician's own zone, which the sentence names */
    const char *zone = d->tech_zones && d->tech_zones[c->tech] &&
                               *d->tech_zones[c->tech]
                           ? d->tech_zones[c->tech]
                           : "UTC";
    const struct tz *z = NULL;
    struct err ignored = ERR_INIT;
    char a[6], b[6], x[6], y[6];

    if (tz_get(zone, &z, &ignored))
        z = NULL, zone = "UTC";
    hhmm(d, z, job->win_start, a);
    hhmm(d, z, job->win_end, b);
    hhmm(d, z, t->shift_start, x);
    hhmm(d, z, t->shift_end, y);
    switch (c->reason) {
    case AR_OK:
        hhmm(d, z, c->start, a);
        snprintf(buf, len, "can start at %s %s; %+lld min travel, load %d%%"
                 " of capacity after", a, zone,
                 (long long)(c->delta.travel / 60),
                 (int)(c->utilisation * 100 + 0.5));
        break;
    case AR_MISSING_SKILL:
        snprintf(buf, len, "lacks skill %s (level %d needed)",
                 skill_code(d, c->skill), c->need);
        break;
    case AR_LEVEL_BELOW:
        snprintf(buf, len, "holds skill %s at level %d; the job needs %d",
                 skill_code(d, c->skill), c->have, c->need);
        break;
    case AR_OUTSIDE_SHIFT:
        snprintf(buf, len, "the arrival window %s-%s does not fit the"
                 " shift %s-%s (%s) with travel", a, b, x, y, zone);
        break;
    case AR_OVERLAP:
        snprintf(buf, len, "no free gap of %d min in the day's schedule",
                 job->duration / 60);
        break;
    case AR_OVER_CAPACITY:
        snprintf(buf, len, "over capacity: the visit would book %d%% of the"
                 " day's %d min", (int)(c->utilisation * 100 + 0.5),
                 t->capacity / 60);
        break;
    case AR_TOO_FAR:
        snprintf(buf, len, "a gap is free, but travel makes the arrival miss"
                 " the window %s-%s (%s)", a, b, zone);
        break;
    case AR_PINNED:
        snprintf(buf, len, "the job is pinned to technician %lld",
                 job->current >= 0 ? (long long)d->atechs[job->current].id
                                   : 0LL);
        break;
    default:
        snprintf(buf, len, "%s", assign_reason_code(c->reason));
    }
}

static json_t *candidate(const struct day_problem *d, int j,
                         const struct assign_candidate *c, int rank)
{
    char msg[200], at[TIMEFMT_RFC3339_LEN];
    json_t *o;

    plan_view_sentence(d, j, c, msg, sizeof(msg));
    o = json_pack("{s:I, s:s, s:b, s:s, s:s, s:b, s:b}", "technician_id",
                  (json_int_t)d->atechs[c->tech].id, "name",
                  d->tech_names[c->tech], "feasible", c->reason == AR_OK,
                  "reason", assign_reason_code(c->reason), "message", msg,
                  "current", c->is_current, "preferred", c->is_preferred);
    if (c->reason != AR_OK)
        return o;
    at_text(d, c->start, at);
    json_object_set_new(o, "rank", json_integer(rank));
    json_object_set_new(o, "start", json_string(at));
    json_object_set_new(o, "utilisation",
                        json_real((int)(c->utilisation * 1000 + 0.5) / 1000.0));
    json_object_set_new(o, "score", json_pack(
        "{s:I, s:I, s:I, s:I}", "lateness_seconds",
        (json_int_t)c->delta.lateness, "balance",
        (json_int_t)c->delta.balance, "travel_seconds",
        (json_int_t)c->delta.travel, "unstable",
        (json_int_t)c->delta.unstable));
    return o;
}

json_t *plan_view_candidates(const struct day_problem *d, int j,
                             const struct assign_candidate *c, int n)
{
    json_t *out = json_array(), *off;
    size_t i;

    for (int k = 0; k < n; k++)
        json_array_append_new(out, candidate(d, j, &c[k], k + 1));
    json_array_foreach(d->off_shift, i, off) {
        char msg[80];

        snprintf(msg, sizeof(msg), "not on shift on %s", d->date);
        json_array_append_new(out, json_pack(
            "{s:O, s:O, s:b, s:s, s:s, s:b, s:b}", "technician_id",
            json_object_get(off, "id"), "name", json_object_get(off, "name"),
            "feasible", 0, "reason", assign_reason_code(AR_OUTSIDE_SHIFT),
            "message", msg, "current", 0, "preferred", 0));
    }
    return out;
}

json_t *plan_view_metrics(const struct day_problem *d,
                          const struct assign_plan *p)
{
    double max = 0, min = 0, mean = 0;
    int64_t total = 0;
    int assigned = 0, techs = 0;

    for (int j = 0; j < d->problem.njobs; j++) {
        total += d->ajobs[j].weight;
        assigned += p->tech_of[j] >= 0;
    }
    for (int t = 0; t < d->problem.ntechs; t++) {
        double u;

        if (d->atechs[t].capacity <= 0)
            continue;
        u = (double)p->work_of[t] / d->atechs[t].capacity;
        max = techs == 0 || u > max ? u : max;
        min = techs == 0 || u < min ? u : min;
        mean += u;
        techs++;
    }
    mean = techs ? mean / techs : 0;
#define R3(x) ((int)((x) * 1000 + 0.5) / 1000.0)
    return json_pack(
        "{s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:{s:f, s:f, s:f, s:f}}",
        "jobs", d->problem.njobs, "assigned", assigned, "unassignable",
        p->unassignable, "weighted", (json_int_t)p->cost.weighted,
        "weighted_total", (json_int_t)total, "lateness_minutes",
        (json_int_t)(p->cost.lateness / 60), "travel_minutes",
        (json_int_t)(p->cost.travel / 60), "balance",
        (json_int_t)p->cost.balance, "utilisation", "max", R3(max), "min",
        R3(min), "mean", R3(mean), "spread", R3(max - min));
#undef R3
}

json_t *plan_view_diff(const struct day_problem *d,
                       const struct assign_plan *before,
                       const struct assign_plan *after)
{
    json_t *moves = json_array(), *adds = json_array(), *left = json_array();
    int unchanged = 0;

    for (int j = 0; j < d->problem.njobs; j++) {
        int from = before->tech_of[j], to = after->tech_of[j];
        json_int_t id = (json_int_t)d->ajobs[j].id, was, now;
        char at[TIMEFMT_RFC3339_LEN];

        /* an assigned job whose technician is off that day is still his */
        was = from >= 0 ? (json_int_t)d->atechs[from].id
              : strcmp(d->jobs[j].status, "assigned") == 0
                  ? (json_int_t)d->jobs[j].technician_id
                  : 0;
        if (to < 0) {
            const char *msg = after->why[j] == AR_NO_QUALIFIED
                                  ? "no technician has the required skills"
                              : after->why[j] == AR_PINNED
                                  ? "pinned, and does not fit its technician"
                                  : "no qualified technician has room";

            json_array_append_new(left, json_pack(
                "{s:I, s:s, s:s, s:o}", "job_id", id, "reason",
                assign_reason_code(after->why[j]), "message", msg,
                "technician_id", was ? json_integer(was) : json_null()));
            continue;
        }
        now = (json_int_t)d->atechs[to].id;
        at_text(d, after->start_of[j], at);
        if (was == now)
            unchanged++;
        else if (!was)
            json_array_append_new(adds, json_pack(
                "{s:I, s:I, s:s}", "job_id", id, "to", now, "start", at));
        else
            json_array_append_new(moves, json_pack(
                "{s:I, s:I, s:I, s:s}", "job_id", id, "from", was, "to", now,
                "start", at));
    }
    return json_pack("{s:o, s:o, s:o, s:i}", "moves", moves, "assignments",
                     adds, "unassigned", left, "unchanged", unchanged);
}
