/*
 * instance.c - load, validate and save benchmark instances (FORMAT.md) with
 * jansson, and the travel matrix the engine would use for one.
 *
 * Loading is strict: unknown fields are errors (a misspelt "sla_due" would
 * otherwise silently become "no SLA"), and every error names its element.
 * It must not judge whether an instance is solvable; that is the engine's
 * and the benchmark's business.
 */
#include "instance.h"
#include "common/mem.h"
#include "jget.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SKILLS 64 /* per technician or job */

static const char *const prio_names[PRIO__N] = {"emergency", "high", "normal",
                                                "low"};
static const int prio_weights[PRIO__N] = {8, 4, 2, 1};

static const char *const top_keys[] = {
    "format",    "name",      "group",       "seed",
    "origin",    "speed_kmh", "detour",      "balance_step_pm",
    "locations", "matrix",    "technicians", "jobs",
    "meta",      NULL};
static const char *const tech_keys[] = {"id",  "skills",   "shift", "start",
                                        "end", "capacity", "busy",  NULL};
static const char *const job_keys[] = {
    "id",       "skills", "duration", "window",    "sla_due", "loc",
    "priority", "weight", "current",  "preferred", "pinned",  NULL};

const char *inst_prio_name(int prio)
{
    return prio >= 0 && prio < PRIO__N ? prio_names[prio] : "?";
}

int inst_prio_weight(int prio)
{
    return prio >= 0 && prio < PRIO__N ? prio_weights[prio] : 1;
}

/* [[skill, level], ...] into out[MAX_SKILLS]. */
static int get_skills(const json_t *v, const char *path,
                      struct assign_skill *out, int *n, struct err *err)
{
    char f[JGET_PATH];
    size_t i;
    json_t *e;

    if (!json_is_array(v))
        return jget_bad(err, path, "expected [[skill, level], ...]");
    if (json_array_size(v) > MAX_SKILLS)
        return jget_bad(err, path, "more than %d skills", MAX_SKILLS);
    json_array_foreach(v, i, e)
    {
        snprintf(f, sizeof f, "%s[%zu]", path, i);
        if (!json_is_array(e) || json_array_size(e) != 2)
            return jget_bad(err, f, "expected [skill, level]");
        if (jget_i32(json_array_get(e, 0), f, 0, 100000, &out[i].skill, err) ||
            jget_i32(json_array_get(e, 1), f, 1, 5, &out[i].level, err))
            return err->rc;
        for (size_t k = 0; k < i; k++)
            if (out[k].skill == out[i].skill)
                return jget_bad(err, f, "skill %d listed twice",
                                (int)out[i].skill);
    }
    *n = (int)json_array_size(v);
    return 0;
}

static int load_busy(struct instance *in, const json_t *v, const char *p,
                     struct assign_tech *x, int *nbusy, struct err *err)
{
    char f[JGET_PATH];
    size_t i;
    json_t *e;

    x->busy = &in->busy[*nbusy];
    x->nbusy = 0;
    if (v && !json_is_array(v))
        return jget_bad(err, jget_at(f, p, "busy"),
                        "expected [[start, end, loc], ...]");
    json_array_foreach(v, i, e)
    {
        struct assign_busy *b = &in->busy[*nbusy + i];

        snprintf(f, sizeof f, "%s.busy[%zu]", p, i);
        if (!json_is_array(e) || json_array_size(e) != 3)
            return jget_bad(err, f, "expected [start, end, loc]");
        if (jget_i32(json_array_get(e, 0), f, -JGET_TIME_MAX, JGET_TIME_MAX,
                     &b->start, err) ||
            jget_i32(json_array_get(e, 1), f, -JGET_TIME_MAX, JGET_TIME_MAX,
                     &b->end, err) ||
            jget_index(json_array_get(e, 2), f, in->p.nlocs, 0, &b->loc, err))
            return err->rc;
        if (b->start >= b->end)
            return jget_bad(err, f, "ends before it starts");
        if (i > 0 && b->start < b[-1].end)
            return jget_bad(err, f, "overlaps or precedes the block before it");
        x->nbusy++;
    }
    *nbusy += x->nbusy;
    return 0;
}

static int load_tech(struct instance *in, const json_t *o, int t, int *nskill,
                     int *nbusy, struct err *err)
{
    struct assign_tech *x = &in->techs[t];
    const json_t *cap = json_object_get(o, "capacity");
    char p[64], f[JGET_PATH];
    long long id;

    snprintf(p, sizeof p, "technicians[%d]", t);
    x->skills = &in->skills[*nskill];
    if (jget_keys(o, tech_keys, p, err) ||
        jget_int(json_object_get(o, "id"), jget_at(f, p, "id"), INT64_MIN,
                 INT64_MAX, &id, err) ||
        get_skills(json_object_get(o, "skills"), jget_at(f, p, "skills"),
                   &in->skills[*nskill], &x->nskills, err) ||
        jget_span(json_object_get(o, "shift"), jget_at(f, p, "shift"), 1,
                  &x->shift_start, &x->shift_end, err) ||
        jget_index(json_object_get(o, "start"), jget_at(f, p, "start"),
                   in->p.nlocs, 0, &x->start_loc, err) ||
        jget_index(json_object_get(o, "end"), jget_at(f, p, "end"), in->p.nlocs,
                   1, &x->end_loc, err))
        return err->rc;
    x->id = id;
    *nskill += x->nskills;
    if (x->end_loc < 0)
        x->end_loc = x->start_loc;
    x->capacity = x->shift_end - x->shift_start;
    if (cap && jget_i32(cap, jget_at(f, p, "capacity"), 0, JGET_TIME_MAX,
                        &x->capacity, err))
        return err->rc;
    return load_busy(in, json_object_get(o, "busy"), p, x, nbusy, err);
}

static int get_prio(const json_t *v, const char *path, int *out,
                    struct err *err)
{
    if (!json_is_string(v))
        return jget_bad(err, path, "expected emergency, high, normal or low");
    for (*out = 0; *out < PRIO__N; (*out)++)
        if (!strcmp(json_string_value(v), prio_names[*out]))
            return 0;
    return jget_bad(err, path, "\"%s\" is not emergency, high, normal or low",
                    json_string_value(v));
}

static int load_job(struct instance *in, const json_t *o, int j, int *nreq,
                    struct err *err)
{
    struct assign_job *x = &in->jobs[j];
    struct assign_skill sk[MAX_SKILLS];
    const json_t *sla = json_object_get(o, "sla_due");
    const json_t *w = json_object_get(o, "weight");
    const json_t *pin = json_object_get(o, "pinned");
    char p[64], f[JGET_PATH];
    long long id;
    int prio;

    snprintf(p, sizeof p, "jobs[%d]", j);
    if (jget_keys(o, job_keys, p, err) ||
        jget_int(json_object_get(o, "id"), jget_at(f, p, "id"), INT64_MIN,
                 INT64_MAX, &id, err) ||
        get_skills(json_object_get(o, "skills"), jget_at(f, p, "skills"), sk,
                   &x->nskills, err) ||
        jget_i32(json_object_get(o, "duration"), jget_at(f, p, "duration"), 1,
                 JGET_TIME_MAX, &x->duration, err) ||
        jget_span(json_object_get(o, "window"), jget_at(f, p, "window"), 0,
                  &x->win_start, &x->win_end, err) ||
        jget_index(json_object_get(o, "loc"), jget_at(f, p, "loc"), in->p.nlocs,
                   0, &x->loc, err) ||
        get_prio(json_object_get(o, "priority"), jget_at(f, p, "priority"),
                 &prio, err) ||
        jget_index(json_object_get(o, "current"), jget_at(f, p, "current"),
                   in->p.ntechs, 1, &x->current, err) ||
        jget_index(json_object_get(o, "preferred"), jget_at(f, p, "preferred"),
                   in->p.ntechs, 1, &x->preferred, err))
        return err->rc;
    x->id = id;
    in->prio[j] = (unsigned char)prio;
    x->skills = &in->reqs[*nreq];
    for (int k = 0; k < x->nskills; k++) {
        in->reqs[*nreq + k].skill = sk[k].skill;
        in->reqs[*nreq + k].level = sk[k].level;
    }
    *nreq += x->nskills;
    x->sla_due = ASSIGN_NONE;
    if (sla && !json_is_null(sla) &&
        jget_i32(sla, jget_at(f, p, "sla_due"), -JGET_TIME_MAX, JGET_TIME_MAX,
                 &x->sla_due, err))
        return err->rc;
    x->weight = inst_prio_weight(prio);
    if (w && jget_i32(w, jget_at(f, p, "weight"), 1, 1000000, &x->weight, err))
        return err->rc;
    if (pin && !json_is_boolean(pin))
        return jget_bad(err, jget_at(f, p, "pinned"), "expected true or false");
    x->pinned = json_is_true(pin);
    if (x->pinned && x->current < 0)
        return jget_bad(err, jget_at(f, p, "pinned"),
                        "pinned without a current");
    return 0;
}

static int load_locs(struct instance *in, const json_t *v, struct err *err)
{
    char f[JGET_PATH];
    size_t i;
    json_t *e;

    if (!json_is_array(v) || !json_array_size(v))
        return jget_bad(err, "locations",
                        "expected [[lat, lon], ...], not empty");
    in->p.nlocs = (int)json_array_size(v);
    in->locs = xcalloc(json_array_size(v), sizeof *in->locs);
    json_array_foreach(v, i, e)
    {
        json_t *a = json_array_get(e, 0), *b = json_array_get(e, 1);

        snprintf(f, sizeof f, "locations[%zu]", i);
        if (json_is_null(e)) { /* no coordinates: trips to it are free */
            in->locs[i].unknown = 1;
            continue;
        }
        if (!json_is_array(e) || json_array_size(e) != 2 ||
            !json_is_number(a) || !json_is_number(b))
            return jget_bad(err, f, "expected [lat, lon] in degrees, or null");
        in->locs[i].lat = json_number_value(a);
        in->locs[i].lon = json_number_value(b);
        if (fabs(in->locs[i].lat) > 90 || fabs(in->locs[i].lon) > 180)
            return jget_bad(err, f, "latitude or longitude out of range");
    }
    return 0;
}

static int load_matrix(struct instance *in, const json_t *v, struct err *err)
{
    size_t n = (size_t)in->p.nlocs, i;
    char f[JGET_PATH];
    json_t *row;

    if (!v)
        return 0;
    if (!json_is_array(v) || json_array_size(v) != n)
        return jget_bad(err, "matrix", "expected %zu rows (one per location)",
                        n);
    in->matrix = xmalloc(n * n * sizeof(int32_t));
    json_array_foreach(v, i, row)
    {
        snprintf(f, sizeof f, "matrix[%zu]", i);
        if (!json_is_array(row) || json_array_size(row) != n)
            return jget_bad(err, f, "expected %zu travel seconds", n);
        for (size_t k = 0; k < n; k++)
            if (jget_i32(json_array_get(row, k), f, 0, JGET_TIME_MAX,
                         &in->matrix[i * n + k], err))
                return err->rc;
    }
    in->mx.n = (int)n;
    in->mx.seconds = in->matrix;
    in->p.travel = assign_travel_matrix;
    in->p.travel_ctx = &in->mx;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* Ids must be unique per kind: VROOM solutions name jobs by id. */
static int check_ids(const struct instance *in, int jobs, struct err *err)
{
    int n = jobs ? in->p.njobs : in->p.ntechs, rc = 0;
    int64_t *ids = xmalloc(((size_t)n + 1) * sizeof *ids);

    for (int i = 0; i < n; i++)
        ids[i] = jobs ? in->jobs[i].id : in->techs[i].id;
    qsort(ids, (size_t)n, sizeof *ids, cmp_i64);
    for (int i = 1; i < n && !rc; i++)
        if (ids[i] == ids[i - 1])
            rc = jget_bad(err, jobs ? "jobs" : "technicians",
                          "id %lld used twice", (long long)ids[i]);
    free(ids);
    return rc;
}

/* Sum of the sizes of key's arrays over the objects of list. */
static size_t count_items(const json_t *list, const char *key)
{
    size_t n = 0;

    for (size_t i = 0; i < json_array_size(list); i++)
        n += json_array_size(json_object_get(json_array_get(list, i), key));
    return n;
}

static int load_head(struct instance *in, const json_t *root, struct err *err)
{
    const json_t *v;

    if (jget_keys(root, top_keys, "instance", err))
        return err->rc;
    v = json_object_get(root, "format");
    if (!json_is_string(v) || strcmp(json_string_value(v), INSTANCE_FORMAT))
        return jget_bad(err, "format", "expected \"" INSTANCE_FORMAT "\"");
    v = json_object_get(root, "name");
    snprintf(in->name, sizeof in->name, "%s",
             json_is_string(v) ? json_string_value(v) : "");
    v = json_object_get(root, "group");
    snprintf(in->group, sizeof in->group, "%s",
             json_is_string(v) ? json_string_value(v) : in->name);
    if ((v = json_object_get(root, "seed"))) {
        long long s;

        if (jget_int(v, "seed", 0, INT64_MAX, &s, err))
            return err->rc;
        in->seed = (uint64_t)s;
        in->p.seed = in->seed;
    }
    if ((v = json_object_get(root, "speed_kmh")) &&
        (!json_is_number(v) || json_number_value(v) <= 0))
        return jget_bad(err, "speed_kmh", "expected a positive number");
    in->p.speed_kmh = v ? json_number_value(v) : 40;
    if ((v = json_object_get(root, "detour")) &&
        (!json_is_number(v) || json_number_value(v) < 1))
        return jget_bad(err, "detour", "expected a number >= 1");
    in->p.detour = v ? json_number_value(v) : 1.3;
    if ((v = json_object_get(root, "balance_step_pm")) &&
        jget_index(v, "balance_step_pm", 1001, 0, &in->p.balance_step_pm, err))
        return err->rc;
    return load_locs(in, json_object_get(root, "locations"), err);
}

static int load_root(struct instance *in, const json_t *root, struct err *err)
{
    const json_t *techs = json_object_get(root, "technicians");
    const json_t *jobs = json_object_get(root, "jobs");
    int nskill = 0, nbusy = 0, nreq = 0;

    if (load_head(in, root, err) ||
        load_matrix(in, json_object_get(root, "matrix"), err))
        return err->rc;
    if (!json_is_array(techs) || !json_is_array(jobs))
        return jget_bad(err, json_is_array(techs) ? "jobs" : "technicians",
                        "expected an array");
    in->p.ntechs = (int)json_array_size(techs);
    in->p.njobs = (int)json_array_size(jobs);
    in->techs = xcalloc(json_array_size(techs) + 1, sizeof *in->techs);
    in->jobs = xcalloc(json_array_size(jobs) + 1, sizeof *in->jobs);
    in->prio = xcalloc(json_array_size(jobs) + 1, 1);
    in->skills = xcalloc(count_items(techs, "skills") + 1, sizeof *in->skills);
    in->busy = xcalloc(count_items(techs, "busy") + 1, sizeof *in->busy);
    in->reqs = xcalloc(count_items(jobs, "skills") + 1, sizeof *in->reqs);
    for (size_t i = 0; i < json_array_size(techs); i++)
        if (load_tech(in, json_array_get(techs, i), (int)i, &nskill, &nbusy,
                      err))
            return err->rc;
    for (size_t i = 0; i < json_array_size(jobs); i++)
        if (load_job(in, json_array_get(jobs, i), (int)i, &nreq, err))
            return err->rc;
    if (check_ids(in, 0, err) || check_ids(in, 1, err))
        return err->rc;
    in->p.locs = in->locs;
    in->p.techs = in->techs;
    in->p.jobs = in->jobs;
    return 0;
}

int instance_load(struct instance *in, const char *path, struct err *err)
{
    json_error_t je;
    json_t *root;
    int rc;

    memset(in, 0, sizeof *in);
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return err_set(err, ERR_INVALID, "invalid_instance", "", "%s:%d:%d: %s",
                       path, je.line, je.column, je.text);
    rc = load_root(in, root, err);
    json_decref(root);
    if (rc)
        instance_release(in);
    return rc;
}

void instance_release(struct instance *in)
{
    free(in->locs);
    free(in->techs);
    free(in->jobs);
    free(in->skills);
    free(in->reqs);
    free(in->busy);
    free(in->prio);
    free(in->matrix);
    memset(in, 0, sizeof *in);
}
