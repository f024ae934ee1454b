/*
 * slots.c - the appointment slot search (see slots.h).
 *
 * For each window, every skilled technician on shift that day is tried in
 * each gap of the day: from the shift start at home (or the end of a
 * visit) to the next visit (or back home by the shift end).  The visit
 * must arrive inside the window, after the minimum notice and the parts,
 * and leave time to travel on.  The window's slot goes to the technician
 * adding the least travel, then the one with the lower load after it.
 *
 * Travel to and from the job is the same for every technician and window,
 * so it is computed once per place and kept; a travel between two other
 * places is needed only for a gap that fits.  Where the caller leaves
 * room: when both the notice and the parts rule out a day, the later of
 * the two is its reason.
 */
#include "slots/slots.h"
#include "common/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNKNOWN INT32_MIN

struct search {
    const struct slots_input *in;
    int32_t *to_job, *from_job;   /* per location, UNKNOWN until needed */
    char *skilled;                /* per technician */
    int *day_off, *by_day;        /* shifts grouped by day */
    int32_t *booked;              /* per shift: work already booked */
    int32_t earliest;             /* notice and parts */
};

const char *slots_reason_code(enum slots_reason r)
{
    static const char *const codes[SR__COUNT] = {
        "ok", "too_soon", "parts_not_in_stock", "no_skilled_technician",
        "all_busy"};

    return (unsigned)r < SR__COUNT ? codes[r] : "unknown";
}

static int32_t trip(const struct slots_input *in, int a, int b)
{
    if (in->travel)
        return in->travel(in->travel_ctx, a, b);
    return a == b ? 0
                  : assign_straight_seconds(&in->locs[a], &in->locs[b],
                                            in->detour, in->speed_kmh);
}

static int32_t to_job(struct search *x, int loc)
{
    if (x->to_job[loc] == UNKNOWN)
        x->to_job[loc] = trip(x->in, loc, x->in->loc);
    return x->to_job[loc];
}

static int32_t from_job(struct search *x, int loc)
{
    if (x->from_job[loc] == UNKNOWN)
        x->from_job[loc] = trip(x->in, x->in->loc, loc);
    return x->from_job[loc];
}

static int bad(struct err *err, const char *field, int i, const char *what)
{
    char f[64];

    snprintf(f, sizeof(f), "%s[%d]", field, i);
    return err_set(err, ERR_INVALID, "invalid_slots_input", f, "%s %s", f,
                   what);
}

static int check_shift(const struct slots_input *in, int i, struct err *err)
{
    const struct slots_shift *s = &in->shifts[i];

    if (s->tech < 0 || s->tech >= in->ntechs || s->day < 0 ||
        s->day >= in->ndays)
        return bad(err, "shifts", i, "names no technician or day");
    if (s->end <= s->start)
        return bad(err, "shifts", i, "ends before it starts");
    for (int k = 0; k < s->nbusy; k++)
        if (s->busy[k].loc < 0 || s->busy[k].loc >= in->nlocs ||
            s->busy[k].end <= s->busy[k].start ||
            (k > 0 && s->busy[k].start < s->busy[k - 1].end))
            return bad(err, "shifts", i, "has a visit out of order or at no"
                                         " known place");
    return 0;
}

static int check_input(const struct slots_input *in, struct err *err)
{
    if (in->duration < 1 || in->loc < 0 || in->loc >= in->nlocs ||
        in->ndays < 0 || in->nskills < 0)
        return err_set(err, ERR_INVALID, "invalid_slots_input", "job",
                       "the job needs a duration, a known place and days");
    for (int t = 0; t < in->ntechs; t++)
        if (in->techs[t].home < 0 || in->techs[t].home >= in->nlocs)
            return bad(err, "techs", t, "has no known home");
    for (int i = 0; i < in->nshifts; i++)
        if (check_shift(in, i, err))
            return err->rc;
    for (int w = 0; w < in->nwindows; w++)
        if (in->windows[w].day < 0 || in->windows[w].day >= in->ndays ||
            in->windows[w].end <= in->windows[w].start ||
            (w > 0 && in->windows[w].start < in->windows[w - 1].start))
            return bad(err, "windows", w, "is out of order or backwards");
    return 0;
}

static int skilled(const struct slots_input *in, const struct slots_tech *t)
{
    for (int i = 0; i < in->nskills; i++) {
        int ok = 0;

        for (int k = 0; k < t->nskills && !ok; k++)
            ok = t->skills[k].skill == in->skills[i].skill &&
                 t->skills[k].level >= in->skills[i].level;
        if (!ok)
            return 0;
    }
    return 1;
}

static void prepare(struct search *x, const struct slots_input *in)
{
    memset(x, 0, sizeof(*x));
    x->in = in;
    x->to_job = xmalloc(((size_t)in->nlocs + 1) * sizeof(int32_t));
    x->from_job = xmalloc(((size_t)in->nlocs + 1) * sizeof(int32_t));
    for (int l = 0; l < in->nlocs; l++)
        x->to_job[l] = x->from_job[l] = UNKNOWN;
    x->skilled = xcalloc((size_t)in->ntechs + 1, 1);
    for (int t = 0; t < in->ntechs; t++)
        x->skilled[t] = (char)skilled(in, &in->techs[t]);
    x->day_off = xcalloc((size_t)in->ndays + 2, sizeof(int));
    x->by_day = xmalloc(((size_t)in->nshifts + 1) * sizeof(int));
    x->booked = xcalloc((size_t)in->nshifts + 1, sizeof(int32_t));
    for (int i = 0; i < in->nshifts; i++) {
        x->day_off[in->shifts[i].day + 2]++;
        for (int k = 0; k < in->shifts[i].nbusy; k++)
            x->booked[i] += in->shifts[i].busy[k].end -
                            in->shifts[i].busy[k].start;
        if (in->shifts[i].work > x->booked[i])
            x->booked[i] = in->shifts[i].work;
    }
    for (int d = 0; d < in->ndays; d++)
        x->day_off[d + 2] += x->day_off[d + 1];
    for (int i = 0; i < in->nshifts; i++)
        x->by_day[x->day_off[in->shifts[i].day + 1]++] = i;
    x->earliest = in->not_before;
    if (in->parts_from != ASSIGN_NONE && in->parts_from > x->earliest)
        x->earliest = in->parts_from;
}

/* The best gap of shift i for window w: 1 and *out, or 0. */
static int try_shift(struct search *x, int i, const struct slots_window *w,
                     struct slots_slot *out)
{
    const struct slots_input *in = x->in;
    const struct slots_shift *s = &in->shifts[i];
    const struct slots_tech *t = &in->techs[s->tech];
    int64_t prev = s->start;
    int prev_loc = t->home, found = 0;

    if (x->booked[i] + (int64_t)in->duration > t->capacity)
        return 0;
    for (int k = 0; k <= s->nbusy; k++) {
        int64_t next = k < s->nbusy ? s->busy[k].start : s->end;
        int next_loc = k < s->nbusy ? s->busy[k].loc : t->home;
        int64_t arrive = prev + to_job(x, prev_loc);

        if (arrive < w->start)
            arrive = w->start;
        if (arrive < x->earliest)
            arrive = x->earliest;
        if (arrive <= w->end &&
            arrive + in->duration + from_job(x, next_loc) <= next) {
            int32_t added = to_job(x, prev_loc) + from_job(x, next_loc) -
                            trip(in, prev_loc, next_loc);

            if (!found || added < out->added_travel) {
                out->arrive = (int32_t)arrive;
                out->added_travel = added;
                found = 1;
            }
        }
        if (k < s->nbusy) {
            prev = s->busy[k].end;
            prev_loc = s->busy[k].loc;
        }
    }
    out->tech = s->tech;
    out->load_after = t->capacity > 0
                          ? (int32_t)((x->booked[i] + (int64_t)in->duration) *
                                      1000 / t->capacity)
                          : 1000;
    return found;
}

static int better(const struct slots_slot *a, const struct slots_slot *b)
{
    if (a->added_travel != b->added_travel)
        return a->added_travel < b->added_travel;
    if (a->load_after != b->load_after)
        return a->load_after < b->load_after;
    return a->tech < b->tech;
}

static _Thread_local const struct slots_input *rank_ctx;
static int ranked(const void *a, const void *b)
{
    const struct slots_slot *x = a, *y = b;
    int32_t sx = rank_ctx->windows[x->window].start;
    int32_t sy = rank_ctx->windows[y->window].start;

    if (sx != sy)
        return sx < sy ? -1 : 1;
    if (better(x, y) != better(y, x))
        return better(x, y) ? -1 : 1;
    return x->window - y->window;
}

/* Why day d has no slot. */
static enum slots_reason day_reason(const struct search *x, int d)
{
    const struct slots_input *in = x->in;
    int open = 0, windows = 0, skilled_on = 0;

    for (int w = 0; w < in->nwindows; w++)
        if (in->windows[w].day == d) {
            windows++;
            open += in->windows[w].end >= x->earliest;
        }
    if (windows && !open)
        return in->parts_from != ASSIGN_NONE &&
                       in->parts_from >= in->not_before
                   ? SR_PARTS
                   : SR_TOO_SOON;
    for (int k = x->day_off[d]; k < x->day_off[d + 1]; k++)
        skilled_on |= x->skilled[in->shifts[x->by_day[k]].tech];
    return skilled_on ? SR_ALL_BUSY : SR_NO_SKILLED;
}

int slots_search(const struct slots_input *in, struct slots_result *out,
                 struct err *err)
{
    struct search x;

    memset(out, 0, sizeof(*out));
    if (check_input(in, err))
        return err->rc;
    prepare(&x, in);
    out->slots = xcalloc((size_t)in->nwindows + 1, sizeof(*out->slots));
    out->day_reason = xcalloc((size_t)in->ndays + 1, sizeof(*out->day_reason));
    for (int d = 0; d < in->ndays; d++)
        out->day_reason[d] = SR__COUNT; /* not decided yet */
    for (int w = 0; w < in->nwindows; w++) {
        const struct slots_window *win = &in->windows[w];
        struct slots_slot best = {0}, cand = {0};
        int found = 0;

        if (win->end < x.earliest)
            continue;
        for (int k = x.day_off[win->day]; k < x.day_off[win->day + 1]; k++) {
            int i = x.by_day[k];

            if (x.skilled[in->shifts[i].tech] && try_shift(&x, i, win, &cand) &&
                (!found || better(&cand, &best))) {
                best = cand;
                found = 1;
            }
        }
        if (found) {
            best.window = w;
            out->slots[out->nslots++] = best;
            out->day_reason[win->day] = SR_OK;
        }
    }
    rank_ctx = in; /* qsort has no context argument in C11: per thread */
    qsort(out->slots, (size_t)out->nslots, sizeof(*out->slots), ranked);
    for (int d = 0; d < in->ndays; d++)
        if (out->day_reason[d] == SR__COUNT)
            out->day_reason[d] = day_reason(&x, d);
    free(x.to_job);
    free(x.from_job);
    free(x.skilled);
    free(x.day_off);
    free(x.by_day);
    free(x.booked);
    return 0;
}

void slots_result_release(struct slots_result *r)
{
    free(r->slots);
    free(r->day_reason);
    memset(r, 0, sizeof(*r));
}
