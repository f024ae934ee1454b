/*
 * bench_slots.c - the appointment slot search (slots.c) for one job over
 * a 14-day horizon, at the size of a large operation.
 *
 * A seeded offer: 1,000 technicians (8 skills, 2-4 each at levels 1-3,
 * popular skills drawn more often, as in the assignment benchmark) with
 * one 08:00-17:00 shift a day for 14 days, 20,000 visits already booked
 * over those days (30-120 min each, at most 4 a day, never overlapping),
 * every place uniform in a 60 km square around 31.0N 121.3E, and five
 * 2-hour arrival windows a day from 08:00 to 18:00.  Each search is one
 * one-hour job at a new random place needing one skill at level 2, with
 * the straight-line default travel; it is timed with its result's release.
 *
 * Baselines, interleaved with the searches so that both see the same
 * machine: 14 straight-line travels from every technician's home to the
 * job (the least any search that drives each technician to the job every
 * day must do), and one plain pass over the 20,000 booked visits.  Prints a
 * report and one "summary: " markdown row (tests/bench/run.sh collects
 * it).  Bounded in time (well under a second at the defaults), no network;
 * it asserts nothing about time.  The target is a search well under 10 ms.
 *
 *   bench_slots [--searches 200] [--seed 1]
 */
#include "assign/rng.h"
#include "slots/slots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NTECHS 1000
#define NDAYS 14
#define NVISITS 20000
#define NSKILLS 8
#define PER_SHIFT 4 /* visits a shift holds at most: 4 x 2 h fit 9 h */
#define WINDOWS_PER_DAY 5
#define NSHIFTS (NTECHS * NDAYS)
#define NWINDOWS (NDAYS * WINDOWS_PER_DAY)
#define NLOCS (NTECHS + NVISITS + 1) /* homes, visits, the job */
#define JOB_LOC (NLOCS - 1)
#define HOUR 3600
#define DAY 86400
#define SQUARE_KM 60.0
#define MAX_SEARCHES 100000
#define WARMUP 10

static const double level_p[] = {0.40, 0.40, 0.20}; /* holds 1, 2, 3 */

/* The offer; the job's place and skill change per search. */
struct offer {
    struct assign_loc locs[NLOCS];
    struct assign_skill skills[NTECHS][4];
    struct slots_tech techs[NTECHS];
    struct slots_shift shifts[NSHIFTS];
    struct assign_busy busy[NSHIFTS][PER_SHIFT];
    int32_t dur[NSHIFTS][PER_SHIFT]; /* durations before laying out */
    struct slots_window windows[NWINDOWS];
    struct assign_req need;
    struct slots_input in;
};

/* Medians and 99th percentiles in ms, and what the searches found. */
struct figures {
    double search_p50, search_p99, straight_p50, straight_p99, visits_p50;
    double slots, days_open, reasons[SR__COUNT];
};

static struct offer o;
static double t_search[MAX_SEARCHES], t_straight[MAX_SEARCHES],
    t_visits[MAX_SEARCHES];
static volatile int64_t sink; /* keeps the baselines' work alive */

/* A skill 1..NSKILLS, Zipf-popular, not yet in taken[]. */
static int pick_skill(struct rng *r, const int *taken)
{
    double w[NSKILLS], sum = 0;

    for (int k = 0; k < NSKILLS; k++)
        sum += w[k] = taken[k] ? 0 : 1.0 / (k + 1);
    for (int k = 0; k < NSKILLS; k++)
        w[k] /= sum;
    return pick(r, w, NSKILLS) + 1;
}

/* A uniform place in the square around 31.0N 121.3E. */
static struct assign_loc place(struct rng *r)
{
    double x = (unit(r) - 0.5) * SQUARE_KM, y = (unit(r) - 0.5) * SQUARE_KM;

    return (struct assign_loc){
        31.0 + y / 111.32, 121.3 + x / (111.32 * cos(31.0 * M_PI / 180)), 0};
}

static void make_tech(struct rng *r, int t)
{
    int taken[NSKILLS] = {0};
    struct slots_tech *x = &o.techs[t];

    x->id = t + 1;
    x->skills = o.skills[t];
    x->nskills = 2 + below(r, 3);
    x->home = t;
    x->capacity = 8 * HOUR;
    for (int k = 0; k < x->nskills; k++) {
        o.skills[t][k].skill = pick_skill(r, taken);
        taken[o.skills[t][k].skill - 1] = 1;
        o.skills[t][k].level = 1 + pick(r, level_p, 3);
    }
    o.locs[t] = place(r);
}

/* Shift i's visits in a random order at random places in the 9 hours,
 * the free time cut at sorted random points between them. */
static void lay_out(struct rng *r, int i)
{
    struct slots_shift *s = &o.shifts[i];
    int32_t cut[PER_SHIFT], free_s = s->end - s->start, at = s->start;

    for (int k = 0; k < s->nbusy; k++)
        free_s -= o.dur[i][k];
    for (int k = 0; k < s->nbusy; k++)
        cut[k] = (int32_t)(unit(r) * (free_s + 1));
    for (int k = 1; k < s->nbusy; k++) /* insertion sort of <= 4 */
        for (int j = k; j > 0 && cut[j] < cut[j - 1]; j--) {
            int32_t c = cut[j];

            cut[j] = cut[j - 1];
            cut[j - 1] = c;
        }
    for (int k = 0; k < s->nbusy; k++) {
        o.busy[i][k].start = at + cut[k] - (k ? cut[k - 1] : 0);
        o.busy[i][k].end = o.busy[i][k].start + o.dur[i][k];
        at = o.busy[i][k].end;
    }
}

static void make_offer(uint64_t seed, struct rng *r)
{
    for (int k = 0; k < 4; k++)
        r->s[k] = splitmix64(&seed);
    for (int t = 0; t < NTECHS; t++)
        make_tech(r, t);
    for (int i = 0; i < NSHIFTS; i++) {
        int d = i / NTECHS;

        o.shifts[i] = (struct slots_shift){
            i % NTECHS,          d,         d * DAY + 8 * HOUR,
            d * DAY + 17 * HOUR, o.busy[i], 0};
    }
    for (int v = 0; v < NVISITS; v++) {
        int i;

        do
            i = below(r, NSHIFTS);
        while (o.shifts[i].nbusy == PER_SHIFT);
        o.dur[i][o.shifts[i].nbusy] = (30 + below(r, 91)) * 60;
        o.busy[i][o.shifts[i].nbusy++].loc = NTECHS + v;
        o.locs[NTECHS + v] = place(r);
    }
    for (int i = 0; i < NSHIFTS; i++)
        lay_out(r, i);
    for (int w = 0; w < NWINDOWS; w++) {
        int d = w / WINDOWS_PER_DAY, h = 8 + 2 * (w % WINDOWS_PER_DAY);

        o.windows[w] = (struct slots_window){d, d * DAY + h * HOUR,
                                             d * DAY + (h + 2) * HOUR};
    }
    o.in = (struct slots_input){.skills = &o.need,
                                .nskills = 1,
                                .duration = HOUR,
                                .loc = JOB_LOC,
                                .not_before = 0,
                                .parts_from = ASSIGN_NONE,
                                .techs = o.techs,
                                .ntechs = NTECHS,
                                .shifts = o.shifts,
                                .nshifts = NSHIFTS,
                                .windows = o.windows,
                                .nwindows = NWINDOWS,
                                .ndays = NDAYS,
                                .locs = o.locs,
                                .nlocs = NLOCS};
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The search of the current job: its time in ms; adds what it found. */
static double time_search(struct figures *f)
{
    struct slots_result res;
    struct err err = ERR_INIT;
    double t0 = now_ms(), t;
    int rc = slots_search(&o.in, &res, &err);

    if (rc) {
        fprintf(stderr, "bench_slots: %s: %s\n", err.field, err.msg);
        exit(1);
    }
    f->slots += res.nslots;
    for (int d = 0; d < NDAYS; d++) {
        f->days_open += res.day_reason[d] == SR_OK;
        f->reasons[res.day_reason[d]]++;
    }
    slots_result_release(&res);
    t = now_ms() - t0;
    return t;
}

/* Baseline: every home to the job, once per day of the horizon. */
static double time_straight(void)
{
    double t0 = now_ms();
    int64_t sum = 0;

    for (int d = 0; d < NDAYS; d++)
        for (int t = 0; t < NTECHS; t++)
            sum += assign_straight_seconds(&o.locs[t], &o.locs[JOB_LOC], 0, 0);
    sink += sum;
    return now_ms() - t0;
}

/* Baseline: one pass over every booked visit. */
static double time_visits(void)
{
    double t0 = now_ms();
    int64_t sum = 0;

    for (int i = 0; i < NSHIFTS; i++)
        for (int k = 0; k < o.shifts[i].nbusy; k++)
            sum += o.busy[i][k].end - o.busy[i][k].start + o.busy[i][k].loc;
    sink += sum;
    return now_ms() - t0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The q-quantile (nearest rank) of n samples, sorted in place. */
static double quantile(double *v, int n, double q)
{
    int k = (int)ceil(q * n) - 1;

    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[k < 0 ? 0 : k];
}

/* n searches, each a new place and skill, the baselines interleaved. */
static void run(struct rng *r, int n, struct figures *f)
{
    int taken[NSKILLS] = {0};

    memset(f, 0, sizeof(*f));
    for (int s = -WARMUP; s < n; s++) {
        o.locs[JOB_LOC] = place(r);
        o.need = (struct assign_req){pick_skill(r, taken), 2};
        if (s < 0) { /* warm the caches and the allocator; not counted */
            struct figures scratch;

            time_search(&scratch);
            time_straight();
            continue;
        }
        t_search[s] = time_search(f);
        t_straight[s] = time_straight();
        t_visits[s] = time_visits();
    }
    f->slots /= n;
    f->days_open /= n;
    for (int k = 0; k < SR__COUNT; k++)
        f->reasons[k] /= n;
    f->search_p50 = quantile(t_search, n, 0.50);
    f->search_p99 = quantile(t_search, n, 0.99);
    f->straight_p50 = quantile(t_straight, n, 0.50);
    f->straight_p99 = quantile(t_straight, n, 0.99);
    f->visits_p50 = quantile(t_visits, n, 0.50);
}

static int parse(int argc, char **argv, int *n, uint64_t *seed)
{
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return -1;
        if (!strcmp(argv[i], "--searches"))
            *n = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed"))
            *seed = strtoull(argv[++i], NULL, 10);
        else
            return -1;
    }
    return *n >= 1 && *n <= MAX_SEARCHES ? 0 : -1;
}

static void report(const struct figures *f, int n, uint64_t seed)
{
    double ratio = f->straight_p50 > 0 ? f->search_p50 / f->straight_p50 : 0;

    printf("== slot search: %d technicians, %d days, %d booked visits, %d"
           " windows; %d searches, seed %llu\n",
           NTECHS, NDAYS, NVISITS, NWINDOWS, n, (unsigned long long)seed);
    printf("  one job, 14 days:            p50 %7.3f ms  p99 %7.3f ms"
           "  (target: well under 10 ms)\n",
           f->search_p50, f->search_p99);
    printf("  found: %.1f slots of %d windows, %.1f days of %d open; empty"
           " days: %.2f all_busy, %.2f no_skilled_technician\n",
           f->slots, NWINDOWS, f->days_open, NDAYS, f->reasons[SR_ALL_BUSY],
           f->reasons[SR_NO_SKILLED]);
    printf("  baseline: %d x %d straight-line travels home-job: p50 %7.3f ms"
           "  p99 %7.3f ms\n",
           NDAYS, NTECHS, f->straight_p50, f->straight_p99);
    printf("  baseline: one pass over the %d visits:  p50 %7.3f ms\n", NVISITS,
           f->visits_p50);
    printf("  ratio search / straight-line baseline (p50): %.2f\n", ratio);
    printf("summary: | slot search, one job over %d days (%d technicians,"
           " %d booked visits, %d windows), %d searches | p50 %.3f ms, p99"
           " %.3f ms | %.3f ms (%d x %d straight-line travels home-job)"
           " | %.2f |\n",
           NDAYS, NTECHS, NVISITS, NWINDOWS, n, f->search_p50, f->search_p99,
           f->straight_p50, NDAYS, NTECHS, ratio);
}

int main(int argc, char **argv)
{
    int n = 200;
    uint64_t seed = 1;
    struct rng r;
    struct figures f;

    if (parse(argc, argv, &n, &seed)) {
        fprintf(stderr, "usage: bench_slots [--searches N] [--seed S]\n");
        return 2;
    }
    make_offer(seed, &r);
    run(&r, n, &f);
    report(&f, n, seed);
    return 0;
}
