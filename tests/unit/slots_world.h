/*
 * slots_world.h - small hand-built offers for the appointment slot
 * search's unit suites (test_slots*.c): a few places with an exact travel
 * matrix, technicians, shifts with their booked visits and windows added
 * one by one with plain defaults, the skill lists the suites share, and
 * the checks the suites make on the search's answers.
 *
 * Every helper aborts the test when its own step fails (a full world, a
 * search that returns an error), so none of them can hide a failure.  A
 * world points into itself, so it is built in place and never copied; it
 * owns no heap memory except w->res, which the test releases with
 * slots_result_release() when it is done.
 */
#ifndef FSD_SLOTS_WORLD_H
#define FSD_SLOTS_WORLD_H

#include "slots/slots.h"

#include <stdint.h>

#define SW_H 3600
#define SW_DAY 86400
/* Seconds after the origin of day d, h:mi:s. */
#define SW_AT(d, h, mi, s) ((int32_t)((d)*SW_DAY + (h)*SW_H + (mi)*60 + (s)))
#define SW_CAP (8 * SW_H) /* what sw_tech gives a new technician */

#define SW_MAXL 8 /* places */
#define SW_MAXT 4 /* technicians */
#define SW_MAXS 8 /* shifts */
#define SW_MAXB 3 /* visits per shift */
#define SW_MAXW 8 /* windows */

/* A small offer with exact travel: sec is the matrix behind in.  res is
 * the last sw_search's result. */
struct sw_world {
    struct assign_loc locs[SW_MAXL];
    int32_t sec[SW_MAXL * SW_MAXL]; /* seconds[from * nlocs + to] */
    struct assign_matrix m;
    struct slots_tech techs[SW_MAXT];
    struct slots_shift shifts[SW_MAXS];
    struct assign_busy busy[SW_MAXS][SW_MAXB];
    struct slots_window windows[SW_MAXW];
    struct slots_input in;
    struct slots_result res;
};

/* Skill requirements {skill, minimum level} and holdings {skill, level}
 * the suites share, named after their contents. */
extern const struct assign_req sw_need7_3[1];
extern const struct assign_req sw_need7_3_9_1[2];
extern const struct assign_skill sw_has7_2[1];
extern const struct assign_skill sw_has7_3[1];
extern const struct assign_skill sw_has7_5[1];
extern const struct assign_skill sw_has9_5[1];
extern const struct assign_skill sw_has7_3_9_2[2]; /* {9, 2} first */

/* nlocs places (all trips free until sw_leg), ndays days, a job of one
 * hour at place job needing nothing, no notice, no parts awaited. */
void sw_init(struct sw_world *w, int nlocs, int ndays, int job);

/* Travel between a and b, both ways. */
void sw_leg(struct sw_world *w, int a, int b, int32_t s);

/* A technician based at home with the nsk skills sk (borrowed: sk must
 * outlive w), capacity SW_CAP; returns its index. */
int sw_tech(struct sw_world *w, int home, const struct assign_skill *sk,
            int nsk);

/* Technician tech's shift [start, end] on day, with no visits yet;
 * returns its index. */
int sw_shift(struct sw_world *w, int tech, int day, int32_t start, int32_t end);

/* A visit already booked on shift i, [start, end) at loc; the caller
 * appends them in order of start. */
void sw_busy(struct sw_world *w, int i, int32_t start, int32_t end, int loc);

/* A window [start, end] on day; returns its index. */
int sw_window(struct sw_world *w, int day, int32_t start, int32_t end);

/* Make [start, end] of day 0 the only window. */
void sw_only(struct sw_world *w, int32_t start, int32_t end);

/* Search into w->res (released first); the call must succeed, with no
 * more slots than windows and a reason for every day. */
void sw_search(struct sw_world *w);

/* The last search found exactly n slots. */
void sw_nslots(const struct sw_world *w, int n);

/* Slot k of the ranking is exactly this. */
void sw_slot(const struct sw_world *w, int k, int window, int tech,
             int32_t arrive, int32_t added, int32_t load);

/* Day d's reason is r. */
void sw_reason(const struct sw_world *w, int d, enum slots_reason r);

/* Search, expect the single slot of window 0 exactly, day 0 open. */
void sw_one(struct sw_world *w, int tech, int32_t arrive, int32_t added,
            int32_t load);

/* Search, expect no slot at all and day 0 empty for reason r. */
void sw_none(struct sw_world *w, enum slots_reason r);

/* ---- the fixed offers of test_slots.c's sections ---- */

/* Technicians 0 and 1 at places 0 and 1, 600 s and 1200 s from the job at
 * place 2, on shift 08:00-17:00; one window 09:00-11:00. */
void sw_two_techs(struct sw_world *w);

/* One technician at place 0, the job at place 1, 1800 s away; shift
 * 08:00-17:00. */
void sw_one_tech(struct sw_world *w);

/* Home 0, the job at 1, a booked visit at 2 from 10:00 to 11:00; home-job
 * 600 s, job-visit 900 s, home-visit 1200 s; a one-hour job. */
void sw_busy_day(struct sw_world *w);

/* Home 0 (1800 s from the job) and home 1 (600 s), job at 2. */
void sw_near_and_far(struct sw_world *w, int ndays);

/* Two technicians, two shifts (the second with two visits), two windows:
 * valid, with adjoining visits and windows opening together. */
void sw_valid(struct sw_world *w);

/* The search refuses w's input with field and msg; the result is empty. */
void sw_refused(struct sw_world *w, const char *field, const char *msg);

#endif
