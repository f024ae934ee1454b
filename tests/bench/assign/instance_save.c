/*
 * instance_save.c - what is derived from a loaded or generated instance:
 * its JSON file (instance_save) and the travel seconds the engine would
 * use for it (inst_travel).
 *
 * The travel formula repeats the engine's default (server/assign/assign.c:
 * equirectangular projection around the mean latitude of the known
 * locations, Earth radius 6371.0088 km, rounded to the second; trips to or
 * from an unknown location are free) in the same floating-point order, so
 * an exported matrix gives VROOM exactly the engine's seconds and the
 * benchmark's own plan check agrees with the engine to the second.  If the
 * engine's formula changes, change this with it.
 */
#include "common/mem.h"
#include "instance.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *span(int32_t a, int32_t b)
{
    return json_pack("[ii]", (json_int_t)a, (json_int_t)b);
}

static json_t *tech_skills(const struct assign_tech *t)
{
    json_t *a = json_array();

    for (int i = 0; i < t->nskills; i++)
        json_array_append_new(a, span(t->skills[i].skill, t->skills[i].level));
    return a;
}

static json_t *job_skills(const struct assign_job *j)
{
    json_t *a = json_array();

    for (int i = 0; i < j->nskills; i++)
        json_array_append_new(a, span(j->skills[i].skill, j->skills[i].level));
    return a;
}

static json_t *tech_json(const struct assign_tech *t)
{
    json_t *busy = json_array();

    for (int b = 0; b < t->nbusy; b++)
        json_array_append_new(busy,
                              json_pack("[iii]", (json_int_t)t->busy[b].start,
                                        (json_int_t)t->busy[b].end,
                                        (json_int_t)t->busy[b].loc));
    return json_pack("{sI so so si si si so}", "id", (json_int_t)t->id,
                     "skills", tech_skills(t), "shift",
                     span(t->shift_start, t->shift_end), "start", t->start_loc,
                     "end", t->end_loc, "capacity", (int)t->capacity, "busy",
                     busy);
}

static json_t *index_or_null(int i)
{
    return i < 0 ? json_null() : json_integer(i);
}

static json_t *job_json(const struct assign_job *j, int prio)
{
    return json_pack(
        "{sI so si so so si ss si so so sb}", "id", (json_int_t)j->id, "skills",
        job_skills(j), "duration", (int)j->duration, "window",
        span(j->win_start, j->win_end), "sla_due",
        j->sla_due == ASSIGN_NONE ? json_null() : json_integer(j->sla_due),
        "loc", j->loc, "priority", inst_prio_name(prio), "weight", j->weight,
        "current", index_or_null(j->current), "preferred",
        index_or_null(j->preferred), "pinned", j->pinned);
}

static json_t *matrix_json(const struct instance *in)
{
    json_t *rows = json_array();
    int n = in->p.nlocs;

    for (int i = 0; i < n; i++) {
        json_t *row = json_array();

        for (int k = 0; k < n; k++)
            json_array_append_new(row,
                                  json_integer(in->matrix[(size_t)i * n + k]));
        json_array_append_new(rows, row);
    }
    return rows;
}

static json_t *instance_json(const struct instance *in)
{
    const struct assign_problem *p = &in->p;
    json_t *root, *locs = json_array(), *techs = json_array();
    json_t *jobs = json_array();

    for (int i = 0; i < p->nlocs; i++)
        json_array_append_new(
            locs, p->locs[i].unknown
                      ? json_null()
                      : json_pack("[ff]", p->locs[i].lat, p->locs[i].lon));
    for (int t = 0; t < p->ntechs; t++)
        json_array_append_new(techs, tech_json(&p->techs[t]));
    for (int j = 0; j < p->njobs; j++)
        json_array_append_new(jobs, job_json(&p->jobs[j], in->prio[j]));
    root = json_pack("{ss ss ss sI sf sf so so so}", "format", INSTANCE_FORMAT,
                     "name", in->name, "group", in->group, "seed",
                     (json_int_t)in->seed, "speed_kmh", p->speed_kmh, "detour",
                     p->detour, "locations", locs, "technicians", techs, "jobs",
                     jobs);
    if (root && p->balance_step_pm)
        json_object_set_new(root, "balance_step_pm",
                            json_integer(p->balance_step_pm));
    if (root && in->matrix)
        json_object_set_new(root, "matrix", matrix_json(in));
    return root;
}

int instance_save(const struct instance *in, const char *path, struct err *err)
{
    json_t *root = instance_json(in);
    int rc = 0;

    if (!root)
        return err_set(err, ERR_INTERNAL, NULL, "", "%s: cannot build JSON",
                       path);
    if (json_dump_file(root, path, JSON_COMPACT | JSON_REAL_PRECISION(10)))
        rc = err_set(err, ERR_INTERNAL, NULL, "", "%s: cannot write", path);
    json_decref(root);
    return rc;
}

void inst_travel_init(struct inst_travel *tr, const struct instance *in,
                      int none)
{
    const struct assign_problem *p = &in->p;
    double lat0 = 0, k = M_PI / 180 * 6371.0088;
    int known = 0;

    memset(tr, 0, sizeof *tr);
    tr->in = in;
    tr->none = none;
    if (none || in->matrix)
        return;
    tr->sec_per_km = (p->detour > 0 ? p->detour : 1.3) /
                     (p->speed_kmh > 0 ? p->speed_kmh : 40) * 3600;
    for (int i = 0; i < p->nlocs; i++)
        if (!p->locs[i].unknown) {
            lat0 += p->locs[i].lat;
            known++;
        }
    lat0 = known ? lat0 / known : 0;
    tr->x = xcalloc((size_t)p->nlocs + 1, sizeof(double));
    tr->y = xcalloc((size_t)p->nlocs + 1, sizeof(double));
    for (int i = 0; i < p->nlocs; i++) {
        tr->x[i] = p->locs[i].lon * k * cos(lat0 * M_PI / 180);
        tr->y[i] = p->locs[i].lat * k;
    }
}

int32_t inst_travel(const struct inst_travel *tr, int from, int to)
{
    const struct assign_loc *l = tr->in->p.locs;
    double dx, dy;

    if (tr->none)
        return 0;
    if (tr->in->matrix)
        return tr->in->matrix[(size_t)from * tr->in->p.nlocs + to];
    if (from == to || l[from].unknown || l[to].unknown)
        return 0;
    dx = tr->x[from] - tr->x[to];
    dy = tr->y[from] - tr->y[to];
    return (int32_t)(sqrt(dx * dx + dy * dy) * tr->sec_per_km + 0.5);
}

void inst_travel_release(struct inst_travel *tr)
{
    free(tr->x);
    free(tr->y);
    memset(tr, 0, sizeof *tr);
}
