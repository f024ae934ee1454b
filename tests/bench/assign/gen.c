/*
 * gen.c - the seeded generator of assignment benchmark instances: a field
 * service day in a 60 km square around 31.0N 121.3E, written as an
 * "fsd-assign/1" file (FORMAT.md) and optionally as VROOM input.
 *
 *   assign_gen --size S|M|L --load X --seed N --out FILE
 *              [--techs N] [--name NAME] [--export-vroom FILE]
 *
 * The size fixes the number of technicians (S 30, M 200, L 1000); jobs are
 * drawn until their minutes reach load x the technicians' free capacity
 * (capacity minus what is already booked), so the job count follows the
 * load.  Every random number comes from xoshiro256** seeded through
 * splitmix64 with the seed, normals from Box-Muller, so a seed gives the
 * same file on every machine.  The parameters are the constants below; the
 * realism choices behind them are in FORMAT.md.  It must not look at the
 * engine: instances are the engine's exam, not its output.
 */
#include "common/mem.h"
#include "instance.h"
#include "rng.h"
#include "vroom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQUARE_KM 60.0
#define CENTRES 4
#define CLUSTERED 0.70 /* share of points around a population centre */
#define SIGMA_KM 6.0
#define BUSY_SIGMA_KM 2.0 /* commitments are near the technician's home */
#define BUSY_MARGIN 1800  /* s between a commitment and a shift edge */
#define LAT0 31.0
#define LON0 121.3
#define KM_PER_DEG 111.32
#define NSKILLS 8
#define ZIPF_S 0.8
#define HOUR 3600
#define DAY_START (8 * HOUR)
#define DAY_END (17 * HOUR)
#define HALF_DAY 0.15
#define PREFERRED 0.05 /* jobs that follow up an earlier visit */

static const double job_nskills_p[] = {0.70, 0.25, 0.05}; /* 1, 2, 3 */
static const double job_level_p[] = {0.60, 0.30, 0.10};   /* min 1, 2, 3 */
static const double tech_level_p[] = {0.40, 0.40, 0.20};  /* holds 1, 2, 3 */
static const double prio_p[PRIO__N] = {0.05, 0.15, 0.60, 0.20};
enum { WIN_MORNING, WIN_AFTERNOON, WIN_TWO_HOURS, WIN_ALL_DAY, WIN__N };
static const double window_p[WIN__N] = {0.35, 0.35, 0.10, 0.20};
static const int window_h[WIN__N][2] = {{8, 12}, {12, 17}, {0, 2}, {8, 17}};

static const struct size {
    const char *name;
    int techs;
} sizes[] = {{"S", 30}, {"M", 200}, {"L", 1000}};

struct gen {
    struct rng r;
    struct instance in;
    double cx[CENTRES], cy[CENTRES]; /* population centres, km */
    double zipf[NSKILLS];            /* skill popularity */
    double *x, *y;                   /* every location, km */
    int maxlocs, maxjobs;
};

static double normal(struct rng *r) /* Box-Muller, one of the pair */
{
    double u = 1.0 - unit(r), v = unit(r);

    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* A skill (1..NSKILLS) by Zipf popularity, not yet in taken[]. */
static int pick_skill(struct gen *g, const int *taken)
{
    double w[NSKILLS], sum = 0;

    for (int k = 0; k < NSKILLS; k++)
        sum += w[k] = taken[k] ? 0 : g->zipf[k];
    for (int k = 0; k < NSKILLS; k++)
        w[k] /= sum;
    return pick(&g->r, w, NSKILLS) + 1;
}

/* A new location at (x, y) km, clipped to the square. */
static int add_loc(struct gen *g, double x, double y)
{
    int i = g->in.p.nlocs++;

    x = x < 0 ? 0 : x > SQUARE_KM ? SQUARE_KM : x;
    y = y < 0 ? 0 : y > SQUARE_KM ? SQUARE_KM : y;
    g->x[i] = x;
    g->y[i] = y;
    g->in.locs[i].lat = LAT0 + (y - SQUARE_KM / 2) / KM_PER_DEG;
    g->in.locs[i].lon =
        LON0 + (x - SQUARE_KM / 2) / (KM_PER_DEG * cos(LAT0 * M_PI / 180));
    return i;
}

/* A customer or home: 70 % around a centre, the rest anywhere. */
static int add_point(struct gen *g)
{
    int c;

    if (unit(&g->r) >= CLUSTERED)
        return add_loc(g, unit(&g->r) * SQUARE_KM, unit(&g->r) * SQUARE_KM);
    c = below(&g->r, CENTRES);
    return add_loc(g, g->cx[c] + SIGMA_KM * normal(&g->r),
                   g->cy[c] + SIGMA_KM * normal(&g->r));
}

/* 0..120 minutes already booked, in one block or (over an hour) two, one
 * per half of the shift, each at a place near home and reachable in time:
 * the instance itself must be feasible, or the engine's violation count
 * would measure the generator. */
static void gen_busy(struct gen *g, struct assign_tech *t,
                     struct assign_busy *b)
{
    int total = 15 * 60 * below(&g->r, 9), n = total > HOUR ? 2 : 1;
    int32_t half = (t->shift_end - t->shift_start) / n;
    int32_t first = total / 900 / 2 * 900; /* of two: the shorter half */

    t->busy = b;
    t->nbusy = total ? n : 0;
    for (int i = 0; i < t->nbusy; i++) {
        int32_t len = n == 1 ? total : i ? total - first : first;
        /* 30 min clear of the half's edges: reachable from home at the
         * shift start, home by its end, and from one block to the next */
        int32_t from = t->shift_start + i * half + BUSY_MARGIN;
        int slots = (half - 2 * BUSY_MARGIN - len) / 900 + 1;

        b[i].start = from + 900 * below(&g->r, slots);
        b[i].end = b[i].start + len;
        b[i].loc =
            add_loc(g, g->x[t->start_loc] + BUSY_SIGMA_KM * normal(&g->r),
                    g->y[t->start_loc] + BUSY_SIGMA_KM * normal(&g->r));
    }
}

static void gen_tech(struct gen *g, int i, struct assign_skill *sk,
                     struct assign_busy *busy)
{
    struct assign_tech *t = &g->in.techs[i];
    int taken[NSKILLS] = {0};

    t->id = i + 1;
    t->start_loc = t->end_loc = add_point(g);
    t->skills = sk;
    t->nskills = 2 + below(&g->r, 3);
    for (int k = 0; k < t->nskills; k++) {
        sk[k].skill = pick_skill(g, taken);
        taken[sk[k].skill - 1] = 1;
        sk[k].level = 1 + pick(&g->r, tech_level_p, 3);
    }
    t->shift_start = DAY_START;
    t->shift_end = DAY_END;
    if (unit(&g->r) < HALF_DAY) { /* a morning or an afternoon */
        if (below(&g->r, 2))
            t->shift_start = DAY_START + (DAY_END - DAY_START) / 2;
        else
            t->shift_end = DAY_START + (DAY_END - DAY_START) / 2;
    }
    t->capacity = t->shift_end - t->shift_start;
    gen_busy(g, t, busy);
}

static int qualified(const struct assign_tech *t, const struct assign_job *j)
{
    for (int r = 0; r < j->nskills; r++) {
        int ok = 0;

        for (int k = 0; k < t->nskills; k++)
            ok |= t->skills[k].skill == j->skills[r].skill &&
                  t->skills[k].level >= j->skills[r].level;
        if (!ok)
            return 0;
    }
    return 1;
}

/* An earlier visit's technician: one qualified, drawn uniformly. */
static int gen_preferred(struct gen *g, const struct assign_job *j)
{
    int n = 0, pick_n;

    for (int t = 0; t < g->in.p.ntechs; t++)
        n += qualified(&g->in.techs[t], j);
    if (!n)
        return -1;
    pick_n = below(&g->r, n);
    for (int t = 0; t < g->in.p.ntechs; t++)
        if (qualified(&g->in.techs[t], j) && pick_n-- == 0)
            return t;
    return -1;
}

/* Lognormal, median 60 min, sigma 0.5, clipped to 15..240, 5-min steps. */
static int32_t gen_duration(struct gen *g)
{
    double m = 60 * exp(0.5 * normal(&g->r));

    m = m < 15 ? 15 : m > 240 ? 240 : m;
    return (int32_t)(floor(m / 5 + 0.5) * 5 * 60);
}

static void gen_window(struct gen *g, struct assign_job *j, int prio)
{
    int w, h;

    j->sla_due = ASSIGN_NONE;
    if (prio == PRIO_EMERGENCY) { /* reported 08:00..13:00, 4 h to come */
        j->win_start = DAY_START + 900 * below(&g->r, 21);
        j->win_end = j->sla_due = j->win_start + 4 * HOUR;
        return;
    }
    w = pick(&g->r, window_p, WIN__N);
    h = w == WIN_TWO_HOURS ? 8 + below(&g->r, 8) : 0; /* 08-10 .. 15-17 */
    j->win_start = (h + window_h[w][0]) * HOUR;
    j->win_end = (h + window_h[w][1]) * HOUR;
}

static void gen_job(struct gen *g, int i, struct assign_req *req)
{
    struct assign_job *j = &g->in.jobs[i];
    int taken[NSKILLS] = {0}, prio = pick(&g->r, prio_p, PRIO__N);

    j->id = i + 1;
    j->loc = add_point(g);
    j->skills = req;
    j->nskills = 1 + pick(&g->r, job_nskills_p, 3);
    for (int k = 0; k < j->nskills; k++) {
        req[k].skill = pick_skill(g, taken);
        taken[req[k].skill - 1] = 1;
        req[k].level = 1 + pick(&g->r, job_level_p, 3);
    }
    j->duration = gen_duration(g);
    gen_window(g, j, prio);
    g->in.prio[i] = (unsigned char)prio;
    j->weight = inst_prio_weight(prio);
    j->current = -1;
    j->preferred = unit(&g->r) < PREFERRED ? gen_preferred(g, j) : -1;
}

static void gen_setup(struct gen *g, uint64_t seed, int ntechs, double load)
{
    uint64_t x = seed;
    double sum = 0;

    for (int i = 0; i < 4; i++)
        g->r.s[i] = splitmix64(&x);
    for (int c = 0; c < CENTRES; c++) {
        g->cx[c] = 10 + unit(&g->r) * (SQUARE_KM - 20);
        g->cy[c] = 10 + unit(&g->r) * (SQUARE_KM - 20);
    }
    for (int k = 0; k < NSKILLS; k++)
        sum += g->zipf[k] = pow(k + 1, -ZIPF_S);
    for (int k = 0; k < NSKILLS; k++)
        g->zipf[k] /= sum;
    /* bounds: free capacity <= a full shift each, jobs >= 15 min */
    g->maxjobs = (int)(load * ntechs * (DAY_END - DAY_START) / 900) + 2;
    g->maxlocs = 3 * ntechs + g->maxjobs;
    g->x = xcalloc((size_t)g->maxlocs, sizeof(double));
    g->y = xcalloc((size_t)g->maxlocs, sizeof(double));
    g->in.locs = xcalloc((size_t)g->maxlocs, sizeof *g->in.locs);
    g->in.techs = xcalloc((size_t)ntechs, sizeof *g->in.techs);
    g->in.skills = xcalloc(4 * (size_t)ntechs, sizeof *g->in.skills);
    g->in.busy = xcalloc(2 * (size_t)ntechs, sizeof *g->in.busy);
    g->in.jobs = xcalloc((size_t)g->maxjobs, sizeof *g->in.jobs);
    g->in.reqs = xcalloc(3 * (size_t)g->maxjobs, sizeof *g->in.reqs);
    g->in.prio = xcalloc((size_t)g->maxjobs, 1);
}

/* Technicians, then jobs until their minutes reach load x free capacity.
 * Returns the free capacity in seconds. */
static int64_t generate(struct gen *g, uint64_t seed, int ntechs, double load)
{
    struct instance *in = &g->in;
    int64_t free_cap = 0, work = 0;

    gen_setup(g, seed, ntechs, load);
    for (int t = 0; t < ntechs; t++) {
        gen_tech(g, t, &in->skills[4 * t], &in->busy[2 * t]);
        in->p.ntechs++;
        free_cap += in->techs[t].capacity;
        for (int b = 0; b < in->techs[t].nbusy; b++)
            free_cap -= in->techs[t].busy[b].end - in->techs[t].busy[b].start;
    }
    while (work < load * (double)free_cap && in->p.njobs < g->maxjobs) {
        gen_job(g, in->p.njobs, &in->reqs[3 * in->p.njobs]);
        work += in->jobs[in->p.njobs++].duration;
    }
    in->seed = in->p.seed = seed;
    in->p.speed_kmh = 40;
    in->p.detour = 1.3;
    in->p.locs = in->locs;
    in->p.techs = in->techs;
    in->p.jobs = in->jobs;
    return free_cap;
}

static int usage(void)
{
    fprintf(stderr, "usage: assign_gen --size S|M|L --load X --seed N "
                    "--out FILE [--techs N] [--name NAME] "
                    "[--export-vroom FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *size = NULL, *out = NULL, *vroom = NULL, *name = NULL;
    double load = 0;
    long long seed = -1;
    int techs = 0;
    struct gen g;
    struct err err = ERR_INIT;
    int64_t free_cap, work = 0;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--size"))
            size = argv[i + 1];
        else if (!strcmp(argv[i], "--load"))
            load = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            seed = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
        else if (!strcmp(argv[i], "--techs"))
            techs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--name"))
            name = argv[i + 1];
        else if (!strcmp(argv[i], "--export-vroom"))
            vroom = argv[i + 1];
        else
            return usage();
    }
    for (size_t s = 0; size && !techs && s < sizeof sizes / sizeof *sizes; s++)
        if (!strcmp(size, sizes[s].name))
            techs = sizes[s].techs;
    if (argc % 2 == 0 || techs <= 0 || load <= 0 || load > 10 || seed < 0 ||
        !out)
        return usage();
    memset(&g, 0, sizeof g);
    free_cap = generate(&g, (uint64_t)seed, techs, load);
    for (int j = 0; j < g.in.p.njobs; j++)
        work += g.in.jobs[j].duration;
    snprintf(g.in.group, sizeof g.in.group, "%s load %.2f",
             size ? size : "custom", load);
    snprintf(g.in.name, sizeof g.in.name, "%s-%.2f-%lld",
             size ? size : "custom", load, seed);
    if (name)
        snprintf(g.in.name, sizeof g.in.name, "%s", name);
    if (instance_save(&g.in, out, &err) ||
        (vroom && vroom_export(&g.in, vroom, &err))) {
        fprintf(stderr, "assign_gen: %s\n", err.msg);
        return 1;
    }
    printf("%s: %d technicians, %d jobs, %d locations, %.0f job min / "
           "%.0f free min = load %.3f\n",
           g.in.name, g.in.p.ntechs, g.in.p.njobs, g.in.p.nlocs, work / 60.0,
           free_cap / 60.0, (double)work / (double)free_cap);
    free(g.x);
    free(g.y);
    instance_release(&g.in);
    return 0;
}
