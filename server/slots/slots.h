/*
 * slots.h - the appointment slots of one job (docs/DOMAIN.md "Appointment
 * slots"): the arrival windows over a horizon in which at least one
 * technician with every required skill at its level is on shift and free
 * for the job's duration, travel from the commitment before it and to the
 * one after included.
 *
 * Pure: plain structs in, ranked slots and a reason for every day without
 * one out; no SQL, no clock.  Times are seconds after an origin the caller
 * picks, as in assign.h.  The caller lays out the candidate windows in the
 * customer's local time and the shifts in each technician's, turning both
 * into instants through their IANA time zones (tz.c), so a daylight-saving
 * change never moves a local window or shift.  Allocates only inside
 * struct slots_result, freed by slots_result_release().
 */
#ifndef FSD_SLOTS_H
#define FSD_SLOTS_H

#include "assign/assign.h"
#include "common/err.h"

#include <stdint.h>

struct slots_tech {
    int64_t id;                        /* the caller's id, reported back */
    const struct assign_skill *skills;
    int nskills;
    int home;                          /* location index: each day starts
                                          and ends there */
    int32_t capacity;                  /* work seconds a day */
};

/* One technician's working day. */
struct slots_shift {
    int tech;                          /* index into techs */
    int day;                           /* index into days, 0..ndays-1 */
    int32_t start, end;                /* start < end */
    const struct assign_busy *busy;    /* that day's visits, sorted by
                                          start, not overlapping */
    int nbusy;
    int32_t work;                      /* seconds of work booked that day
                                          (every visit's whole duration,
                                          overlapping or out of the shift
                                          ones too); the busy time when
                                          more */
};

/* A candidate arrival window. */
struct slots_window {
    int day;                           /* index into days */
    int32_t start, end;                /* the technician arrives in
                                          [start, end]; start < end */
};

struct slots_input {
    /* the job */
    const struct assign_req *skills;
    int nskills;
    int32_t duration;                  /* seconds on site, > 0 */
    int loc;                           /* location index */
    int32_t not_before;                /* now plus the minimum notice */
    int32_t parts_from;                /* when back-ordered parts are
                                          expected, or ASSIGN_NONE */
    /* the offer */
    const struct slots_tech *techs;
    int ntechs;
    const struct slots_shift *shifts;
    int nshifts;
    const struct slots_window *windows;/* sorted by start */
    int nwindows;
    int ndays;
    /* places and travel, as in struct assign_problem */
    const struct assign_loc *locs;
    int nlocs;
    assign_travel_fn travel;           /* NULL: straight line */
    const void *travel_ctx;
    double detour, speed_kmh;          /* defaults 1.3 and 40 when 0 */
};

/* Why a day has no slot (SR_OK when it has one). */
enum slots_reason {
    SR_OK = 0,
    SR_TOO_SOON,     /* every window ends before the minimum notice */
    SR_PARTS,        /* every window ends before the parts arrive */
    SR_NO_SKILLED,   /* nobody with the skills at level is on shift */
    SR_ALL_BUSY,     /* the skilled technicians have no room */
    SR__COUNT
};

/* Stable code: "ok", "too_soon", "parts_not_in_stock",
 * "no_skilled_technician", "all_busy". */
const char *slots_reason_code(enum slots_reason r);

struct slots_slot {
    int window;            /* index into windows */
    int tech;              /* index into techs: who would go */
    int32_t arrive;        /* the arrival inside the window, in the gap
                              of the day that adds the least travel (the
                              earliest among equal ones) */
    int32_t added_travel;  /* seconds the visit adds to that day's route */
    int32_t load_after;    /* per mille of capacity booked with the visit */
};

struct slots_result {
    struct slots_slot *slots;       /* ranked: earliest window first, then
                                       least added travel, then the lower
                                       load (the engine's balancing rule) */
    int nslots;                     /* at most one per window */
    enum slots_reason *day_reason;  /* ndays entries */
};

/*
 * Search every window: 0, or ERR_INVALID "invalid_slots_input" for an
 * index out of range, a shift, visit or window backwards or out of order,
 * or a duration below 1; err's field names the element ("shifts[2]",
 * "techs[1]", "windows[0]") or "job" for the job's own fields.  When the
 * notice and the parts date are equal and rule a day out, the reason is
 * parts; a day offered no window at all is all_busy when a skilled
 * technician is on shift.  out is the caller's; release it with
 * slots_result_release().
 */
int slots_search(const struct slots_input *in, struct slots_result *out,
                 struct err *err);
void slots_result_release(struct slots_result *r);

#endif
