/*
 * demo_visit.c - one visit of the demonstration already done today: the
 * Harbour Cafe's ice machine (today's job 7), out of warranty, repaired
 * for labour alone.  The technician on duty with the refrigeration skill
 * takes it, arrives, quotes two hours' labour, the customer approves on
 * the phone and the work is done with the labour recorded, so the desk
 * opens the demo on a job that waits for its sign-off with a quote, a
 * visit and labour to show.  Every step is the lifecycle event the API
 * would apply.
 */
#include "common/timefmt.h"
#include "demo/demo.h"
#include "demo/demo_int.h"
#include "rules/job.h"

#include <string.h>

#define DAY 86400
#define WORKED_JOB 7 /* today's ice machine repair */

/* The first refrigeration technician on duty on today's weekday (any
 * shift), as an id (technicians are made in demo_techs order), or 0. */
static int64_t on_duty(const struct demo *d)
{
    unsigned day = 1u << timefmt_weekday(d->local / DAY);

    for (size_t i = 0; i < demo_ntechs; i++) {
        const struct demo_tech *t = &demo_techs[i];
        int skilled = 0;
        for (int k = 0; k < 3; k++)
            skilled |= t->skills[k].skill &&
                       strcmp(t->skills[k].skill, "refrigeration") == 0;
        for (int s = 0; s < DEMO__SHIFTS && skilled; s++)
            if (t->rota[s] & day)
                return (int64_t)i + 1;
    }
    return 0;
}

static int step(struct store *s, int event, unsigned role, int64_t tech,
                json_t *payload, struct err *err)
{
    return demo__event(s, WORKED_JOB, event, role, tech, payload, err);
}

int demo__load_done_visit(struct store *s, const struct demo *d,
                          struct err *err)
{
    static const char labour[] = "Descale, new water valve seat, harvest"
                                 " cycle adjusted (hours)";
    int64_t tech = on_duty(d);

    if (!tech)
        return 0;
    return step(s, EV_ASSIGN, JR_DISPATCHER, tech, NULL, err) ||
                   step(s, EV_ARRIVE, JR_TECHNICIAN, 0, NULL, err) ||
                   step(s, EV_ISSUE_QUOTE, JR_TECHNICIAN, 0,
                        json_pack("{s:[{s:s, s:s, s:i, s:i}]}", "lines",
                                  "kind", "labour", "description", labour,
                                  "quantity", 2, "unit_price_minor", 15000),
                        err) ||
                   step(s, EV_APPROVE_QUOTE, JR_CUSTOMER, 0, NULL, err) ||
                   step(s, EV_COMPLETE_WORK, JR_TECHNICIAN, 0,
                        json_pack("{s:s, s:[], s:[{s:s, s:i, s:i}]}",
                                  "notes",
                                  "Scale in the water valve; descaled and"
                                  " set the harvest cycle, cubes full again",
                                  "parts_used", "labour", "description",
                                  labour, "quantity", 2, "unit_price_minor",
                                  15000),
                        err)
               ? err->rc
               : 0;
}
