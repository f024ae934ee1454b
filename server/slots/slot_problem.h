/*
 * slot_problem.h - one job's slot search as slots.c sees it, built from the
 * rows the store reads (store_slots.c), and its answer in the API's words.
 *
 * Days are the customer's local dates; windows are laid out on each of
 * them from 08:00 to 18:00 local time, and every technician's weekly
 * shifts are turned into instants through the technician's own time zone,
 * so a daylight-saving change never moves a local window or shift.  A
 * back-ordered part expected on a date allows slots from the next local
 * day on.  No SQL and no HTTP.
 */
#ifndef FSD_SLOT_PROBLEM_H
#define FSD_SLOT_PROBLEM_H

#include "common/err.h"
#include "slots/slots.h"

#include <jansson.h>
#include <stdint.h>

#define SLOT_PROBLEM_DAY_START (8 * 60)  /* first window, local minutes */
#define SLOT_PROBLEM_DAY_END (18 * 60)   /* last window ends by, local */

struct slot_problem_want {
    const char *from;     /* first local date, "YYYY-MM-DD" */
    int days;             /* horizon, >= 1 */
    int window_minutes;   /* length of each arrival window */
    int notice_minutes;   /* minimum notice before a window ends */
    int64_t now;          /* Unix seconds */
};

struct slot_problem {
    int64_t origin;           /* midnight UTC of the first date */
    int64_t first_day;        /* days since the epoch of the first date */
    struct slots_input in;
    json_t *rows;             /* the rows it was built from (a reference) */
    struct slots_tech *techs;
    struct slots_shift *shifts;
    struct slots_window *windows;
    struct assign_busy *busy;
    struct assign_skill *skills;
    struct assign_req *reqs;
    struct assign_loc *locs;
};

/*
 * Build the search from rows (store_slot_rows()): 0, or ERR_INVALID
 * "invalid_date" for a bad from.  p keeps a reference to rows; release it
 * with slot_problem_release().
 */
int slot_problem_build(json_t *rows, const struct slot_problem_want *want,
                   struct slot_problem *p, struct err *err);
void slot_problem_release(struct slot_problem *p);

/* {"job_id", "from", "days": [{"date", "reason", "slots"}], "slots":
 * [{"start", "end", "technician_id", "added_travel_minutes", "load"}]};
 * for a customer (staff 0) the slots carry only start and end, and the
 * job id is left out. */
json_t *slot_problem_render(const struct slot_problem *p,
                            const struct slots_result *r, int staff);

#endif
