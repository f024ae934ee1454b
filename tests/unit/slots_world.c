/*
 * slots_world.c - builders and checks for small hand-built offers, shared
 * by the appointment slot search's unit suites.
 *
 * It only fills plain structs and asserts on the search's answers; it must
 * not decide anything the search decides (no feasibility, no ranking of
 * its own), so a suite's expected values always come from the suite
 * itself.  Every step that can go wrong aborts the test.
 */
#include "slots_world.h"
#include "common/err.h"

#include <check.h>
#include <string.h>

const struct assign_req sw_need7_3[1] = {{7, 3}};
const struct assign_req sw_need7_3_9_1[2] = {{7, 3}, {9, 1}};
const struct assign_skill sw_has7_2[1] = {{7, 2}};
const struct assign_skill sw_has7_3[1] = {{7, 3}};
const struct assign_skill sw_has7_5[1] = {{7, 5}};
const struct assign_skill sw_has9_5[1] = {{9, 5}};
const struct assign_skill sw_has7_3_9_2[2] = {{9, 2}, {7, 3}};

void sw_init(struct sw_world *w, int nlocs, int ndays, int job)
{
    memset(w, 0, sizeof(*w));
    ck_assert_int_le(nlocs, SW_MAXL);
    w->m.n = nlocs;
    w->m.seconds = w->sec;
    w->in.duration = SW_H;
    w->in.loc = job;
    w->in.not_before = 0;
    w->in.parts_from = ASSIGN_NONE;
    w->in.techs = w->techs;
    w->in.shifts = w->shifts;
    w->in.windows = w->windows;
    w->in.ndays = ndays;
    w->in.locs = w->locs;
    w->in.nlocs = nlocs;
    w->in.travel = assign_travel_matrix;
    w->in.travel_ctx = &w->m;
}

void sw_leg(struct sw_world *w, int a, int b, int32_t s)
{
    w->sec[a * w->m.n + b] = w->sec[b * w->m.n + a] = s;
}

int sw_tech(struct sw_world *w, int home, const struct assign_skill *sk,
            int nsk)
{
    int t = w->in.ntechs++;

    ck_assert_int_lt(t, SW_MAXT);
    w->techs[t] = (struct slots_tech){100 + t, sk, nsk, home, SW_CAP};
    return t;
}

int sw_shift(struct sw_world *w, int tech, int day, int32_t start, int32_t end)
{
    int i = w->in.nshifts++;

    ck_assert_int_lt(i, SW_MAXS);
    w->shifts[i] = (struct slots_shift){tech, day, start, end, w->busy[i], 0, 0};
    return i;
}

void sw_busy(struct sw_world *w, int i, int32_t start, int32_t end, int loc)
{
    ck_assert_int_lt(w->shifts[i].nbusy, SW_MAXB);
    w->busy[i][w->shifts[i].nbusy++] = (struct assign_busy){start, end, loc};
}

int sw_window(struct sw_world *w, int day, int32_t start, int32_t end)
{
    int k = w->in.nwindows++;

    ck_assert_int_lt(k, SW_MAXW);
    w->windows[k] = (struct slots_window){day, start, end};
    return k;
}

void sw_only(struct sw_world *w, int32_t start, int32_t end)
{
    w->in.nwindows = 0;
    sw_window(w, 0, start, end);
}

void sw_search(struct sw_world *w)
{
    struct err err = ERR_INIT;

    slots_result_release(&w->res);
    ck_assert_msg(slots_search(&w->in, &w->res, &err) == 0, "%s: %s", err.field,
                  err.msg);
    ck_assert_int_eq(err.rc, 0);
    ck_assert_int_le(w->res.nslots, w->in.nwindows);
    ck_assert_ptr_nonnull(w->res.day_reason);
}

void sw_nslots(const struct sw_world *w, int n)
{
    ck_assert_int_eq(w->res.nslots, n);
}

void sw_slot(const struct sw_world *w, int k, int window, int tech,
             int32_t arrive, int32_t added, int32_t load)
{
    const struct slots_slot *s = &w->res.slots[k];

    ck_assert_int_lt(k, w->res.nslots);
    ck_assert_int_eq(s->window, window);
    ck_assert_int_eq(s->tech, tech);
    ck_assert_int_eq(s->arrive, arrive);
    ck_assert_int_eq(s->added_travel, added);
    ck_assert_int_eq(s->load_after, load);
}

void sw_reason(const struct sw_world *w, int d, enum slots_reason r)
{
    ck_assert_int_lt(d, w->in.ndays);
    ck_assert_str_eq(slots_reason_code(w->res.day_reason[d]),
                     slots_reason_code(r));
}

void sw_one(struct sw_world *w, int tech, int32_t arrive, int32_t added,
            int32_t load)
{
    sw_search(w);
    sw_nslots(w, 1);
    sw_slot(w, 0, 0, tech, arrive, added, load);
    sw_reason(w, 0, SR_OK);
}

void sw_none(struct sw_world *w, enum slots_reason r)
{
    sw_search(w);
    sw_nslots(w, 0);
    sw_reason(w, 0, r);
}

void sw_two_techs(struct sw_world *w)
{
    sw_init(w, 3, 1, 2);
    sw_leg(w, 0, 2, 600);
    sw_leg(w, 1, 2, 1200);
    sw_leg(w, 0, 1, 900);
    sw_tech(w, 0, NULL, 0);
    sw_tech(w, 1, NULL, 0);
    sw_shift(w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_shift(w, 1, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_window(w, 0, SW_AT(0, 9, 0, 0), SW_AT(0, 11, 0, 0));
}

void sw_one_tech(struct sw_world *w)
{
    sw_init(w, 2, 1, 1);
    sw_leg(w, 0, 1, 1800);
    sw_tech(w, 0, NULL, 0);
    sw_shift(w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
}

void sw_busy_day(struct sw_world *w)
{
    sw_init(w, 3, 1, 1);
    sw_leg(w, 0, 1, 600);
    sw_leg(w, 1, 2, 900);
    sw_leg(w, 0, 2, 1200);
    sw_tech(w, 0, NULL, 0);
    sw_shift(w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_busy(w, 0, SW_AT(0, 10, 0, 0), SW_AT(0, 11, 0, 0), 2);
}

void sw_near_and_far(struct sw_world *w, int ndays)
{
    sw_init(w, 4, ndays, 2);
    sw_leg(w, 0, 2, 1800);
    sw_leg(w, 1, 2, 600);
    sw_tech(w, 0, NULL, 0);
    sw_tech(w, 1, NULL, 0);
}

void sw_valid(struct sw_world *w)
{
    sw_init(w, 3, 2, 2);
    sw_tech(w, 0, NULL, 0);
    sw_tech(w, 1, NULL, 0);
    sw_shift(w, 0, 0, SW_AT(0, 8, 0, 0), SW_AT(0, 17, 0, 0));
    sw_shift(w, 1, 1, SW_AT(1, 8, 0, 0), SW_AT(1, 17, 0, 0));
    sw_busy(w, 1, SW_AT(1, 9, 0, 0), SW_AT(1, 10, 0, 0), 0);
    sw_busy(w, 1, SW_AT(1, 10, 0, 0), SW_AT(1, 11, 0, 0), 2);
    sw_window(w, 1, SW_AT(1, 12, 0, 0), SW_AT(1, 14, 0, 0));
    sw_window(w, 1, SW_AT(1, 12, 0, 0), SW_AT(1, 13, 0, 0));
}

void sw_refused(struct sw_world *w, const char *field, const char *msg)
{
    struct err err = ERR_INIT;
    struct slots_result r = {(struct slots_slot *)&r, 99,
                             (enum slots_reason *)&r};

    ck_assert_int_eq(slots_search(&w->in, &r, &err), ERR_INVALID);
    ck_assert_int_eq(err.rc, ERR_INVALID);
    ck_assert_str_eq(err.code, "invalid_slots_input");
    ck_assert_str_eq(err.field, field);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_ptr_null(r.slots);
    ck_assert_int_eq(r.nslots, 0);
    ck_assert_ptr_null(r.day_reason);
    slots_result_release(&r);
}
