/*
 * vroom.c - VROOM input export and solution import (see vroom.h for the
 * mapping).  JSON only through jansson.
 *
 * The export must stay a faithful translation: where VROOM cannot say what
 * the engine's problem says (SLA lateness, the busy block's location, the
 * balance and stability objectives), it leaves it out rather than
 * approximating, and FORMAT.md lists what is lost.  The reader checks ids,
 * not feasibility: judging the plan is assign_plan_from_routes()'s job.
 */
#include "vroom.h"
#include "common/mem.h"
#include "jget.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIN_SKILL 2000000000u /* + technician index: pinned jobs */

static json_t *tech_skills(const struct assign_tech *t, int ti)
{
    json_t *a = json_array();

    for (int k = 0; k < t->nskills; k++)
        for (int l = 1; l <= t->skills[k].level; l++)
            json_array_append_new(
                a, json_integer((json_int_t)t->skills[k].skill * 10 + l));
    json_array_append_new(a, json_integer((json_int_t)PIN_SKILL + ti));
    return a;
}

static json_t *vehicle(const struct assign_tech *t, int ti)
{
    json_t *breaks = json_array();
    int32_t free_s = t->capacity;

    for (int b = 0; b < t->nbusy; b++) {
        free_s -= t->busy[b].end - t->busy[b].start;
        json_array_append_new(
            breaks, json_pack("{si s[[ii]] si}", "id", b + 1, "time_windows",
                              (json_int_t)t->busy[b].start,
                              (json_int_t)t->busy[b].start, "service",
                              (int)(t->busy[b].end - t->busy[b].start)));
    }
    return json_pack("{sI ss si si s[ii] so s[i] so}", "id", (json_int_t)t->id,
                     "profile", "car", "start_index", t->start_loc, "end_index",
                     t->end_loc, "time_window", (json_int_t)t->shift_start,
                     (json_int_t)t->shift_end, "skills", tech_skills(t, ti),
                     "capacity", free_s > 0 ? free_s / 60 : 0, "breaks",
                     breaks);
}

static json_t *job(const struct assign_job *j, int wmax)
{
    json_t *skills = json_array();
    int prio = (int)floor(100.0 * j->weight / wmax + 0.5);

    for (int r = 0; r < j->nskills; r++)
        json_array_append_new(skills,
                              json_integer((json_int_t)j->skills[r].skill * 10 +
                                           j->skills[r].level));
    if (j->pinned)
        json_array_append_new(skills,
                              json_integer((json_int_t)PIN_SKILL + j->current));
    return json_pack("{sI si si s[[ii]] so si s[i]}", "id", (json_int_t)j->id,
                     "location_index", j->loc, "service", (int)j->duration,
                     "time_windows", (json_int_t)j->win_start,
                     (json_int_t)j->win_end, "skills", skills, "priority",
                     prio > 100 ? 100 : prio, "delivery",
                     (int)((j->duration + 59) / 60));
}

static json_t *durations(const struct instance *in)
{
    struct inst_travel tr;
    json_t *rows = json_array();

    inst_travel_init(&tr, in, 0);
    for (int i = 0; i < in->p.nlocs; i++) {
        json_t *row = json_array();

        for (int k = 0; k < in->p.nlocs; k++)
            json_array_append_new(row, json_integer(inst_travel(&tr, i, k)));
        json_array_append_new(rows, row);
    }
    inst_travel_release(&tr);
    return rows;
}

static int check_exportable(const struct instance *in, struct err *err)
{
    if (in->p.nlocs > VROOM_MAX_LOCS)
        return err_set(err, ERR_INVALID, "too_large", "locations",
                       "VROOM export writes the full %d x %d matrix; more "
                       "than %d locations is not supported",
                       in->p.nlocs, in->p.nlocs, VROOM_MAX_LOCS);
    for (int t = 0; t < in->p.ntechs; t++)
        if (in->techs[t].id < 0)
            return jget_bad(err, "technicians", "VROOM needs ids >= 0");
    for (int j = 0; j < in->p.njobs; j++)
        if (in->jobs[j].id < 0)
            return jget_bad(err, "jobs", "VROOM needs ids >= 0");
    return 0;
}

int vroom_export(const struct instance *in, const char *path, struct err *err)
{
    json_t *root, *vehicles = json_array(), *jobs = json_array();
    int wmax = 1, rc = 0;

    if (check_exportable(in, err)) {
        json_decref(vehicles);
        json_decref(jobs);
        return err->rc;
    }
    for (int j = 0; j < in->p.njobs; j++)
        if (in->jobs[j].weight > wmax)
            wmax = in->jobs[j].weight;
    for (int t = 0; t < in->p.ntechs; t++)
        json_array_append_new(vehicles, vehicle(&in->techs[t], t));
    for (int j = 0; j < in->p.njobs; j++)
        json_array_append_new(jobs, job(&in->jobs[j], wmax));
    root = json_pack("{so so s{s{so}}}", "vehicles", vehicles, "jobs", jobs,
                     "matrices", "car", "durations", durations(in));
    if (!root)
        return err_set(err, ERR_INTERNAL, NULL, "", "%s: cannot build JSON",
                       path);
    if (json_dump_file(root, path, JSON_COMPACT))
        rc = err_set(err, ERR_INTERNAL, NULL, "", "%s: cannot write", path);
    json_decref(root);
    return rc;
}

/* id -> index through a sorted copy of the ids. */
struct id_index {
    int64_t id;
    int index;
};

static int cmp_id(const void *a, const void *b)
{
    const struct id_index *x = a, *y = b;

    return (x->id > y->id) - (x->id < y->id);
}

static struct id_index *ids_new(const struct instance *in, int jobs)
{
    int n = jobs ? in->p.njobs : in->p.ntechs;
    struct id_index *ids = xmalloc(((size_t)n + 1) * sizeof *ids);

    for (int i = 0; i < n; i++) {
        ids[i].id = jobs ? in->jobs[i].id : in->techs[i].id;
        ids[i].index = i;
    }
    qsort(ids, (size_t)n, sizeof *ids, cmp_id);
    return ids;
}

/* The index of the id in v (an integer), or an error naming path. */
static int lookup(const struct id_index *ids, int n, const json_t *v,
                  const char *path, int *out, struct err *err)
{
    struct id_index key, *hit;
    long long id;

    if (jget_int(v, path, INT64_MIN, INT64_MAX, &id, err))
        return err->rc;
    key.id = id;
    hit = bsearch(&key, ids, (size_t)n, sizeof *ids, cmp_id);
    if (!hit)
        return jget_bad(err, path, "no such id %lld in the instance", id);
    *out = hit->index;
    return 0;
}

struct reader {
    const struct instance *in;
    struct id_index *techs, *jobs;
    int *tech_of_route; /* per route: technician index */
    int *count;         /* per technician: jobs routed */
};

/* Pass 1 (fill 0) counts each technician's jobs; pass 2 writes them. */
static int read_routes(struct reader *rd, const json_t *routes,
                       struct vroom_routes *out, int fill, struct err *err)
{
    const struct instance *in = rd->in;
    char p[JGET_PATH], f[JGET_PATH];
    size_t r, s;
    json_t *route, *step;

    json_array_foreach(routes, r, route) {
        int t, *pos;

        snprintf(p, sizeof p, "routes[%zu]", r);
        if (!json_is_object(route))
            return jget_bad(err, p, "expected an object");
        if (lookup(rd->techs, in->p.ntechs, json_object_get(route, "vehicle"),
                   jget_at(f, p, "vehicle"), &t, err))
            return err->rc;
        rd->tech_of_route[r] = t;
        pos = &rd->count[t];
        json_array_foreach(json_object_get(route, "steps"), s, step) {
            const json_t *type = json_object_get(step, "type"), *id;
            int j;

            snprintf(p, sizeof p, "routes[%zu].steps[%zu]", r, s);
            if (!json_is_string(type))
                return jget_bad(err, p, "expected a \"type\"");
            if (strcmp(json_string_value(type), "job"))
                continue; /* start, end, break */
            id = json_object_get(step, "id");
            if (lookup(rd->jobs, in->p.njobs,
                       id ? id : json_object_get(step, "job"),
                       jget_at(f, p, "id"), &j, err))
                return err->rc;
            if (fill)
                out->jobs[out->off[t] + (*pos)++] = j;
            else
                rd->count[t]++;
        }
    }
    return 0;
}

static int read_solution(struct reader *rd, const json_t *root,
                         struct vroom_routes *out, struct err *err)
{
    const json_t *code = json_object_get(root, "code");
    const json_t *routes = json_object_get(root, "routes");
    int nt = rd->in->p.ntechs;

    if (!json_is_integer(code) || json_integer_value(code) != 0)
        return jget_bad(err, "code", "VROOM reported an error: %s",
                        json_string_value(json_object_get(root, "error"))
                            ? json_string_value(json_object_get(root, "error"))
                            : "(no message)");
    if (!json_is_array(routes))
        return jget_bad(err, "routes", "expected an array");
    rd->tech_of_route = xcalloc(json_array_size(routes) + 1, sizeof(int));
    rd->count = xcalloc((size_t)nt + 1, sizeof(int));
    if (read_routes(rd, routes, out, 0, err))
        return err->rc;
    for (size_t r = 0; r < json_array_size(routes); r++)
        for (size_t q = 0; q < r; q++)
            if (rd->tech_of_route[q] == rd->tech_of_route[r])
                return jget_bad(
                    err, "routes", "vehicle %lld has two routes",
                    (long long)rd->in->techs[rd->tech_of_route[r]].id);
    out->off = xcalloc((size_t)nt + 1, sizeof(int));
    for (int t = 0; t < nt; t++)
        out->off[t + 1] = out->off[t] + rd->count[t];
    out->jobs = xcalloc((size_t)out->off[nt] + 1, sizeof(int));
    memset(rd->count, 0, ((size_t)nt + 1) * sizeof(int));
    out->unassigned = (int)json_array_size(json_object_get(root, "unassigned"));
    return read_routes(rd, routes, out, 1, err);
}

int vroom_read_solution(const struct instance *in, const char *path,
                        struct vroom_routes *out, struct err *err)
{
    struct reader rd = {in, ids_new(in, 0), ids_new(in, 1), NULL, NULL};
    json_error_t je;
    json_t *root;
    int rc;

    memset(out, 0, sizeof *out);
    root = json_load_file(path, 0, &je);
    rc = root ? read_solution(&rd, root, out, err)
              : err_set(err, ERR_INVALID, "invalid_instance", "",
                        "%s:%d:%d: %s", path, je.line, je.column, je.text);
    json_decref(root);
    free(rd.techs);
    free(rd.jobs);
    free(rd.tech_of_route);
    free(rd.count);
    if (rc)
        vroom_routes_release(out);
    return rc;
}

void vroom_routes_release(struct vroom_routes *r)
{
    free(r->off);
    free(r->jobs);
    memset(r, 0, sizeof *r);
}
