/*
 * demo_int.h - the demonstration company as data (demo_data.c) and what
 * its loaders share (demo.c, demo_jobs.c).  Nothing else includes it.
 *
 * The tables are indexed by the enums below, so a job names its customer
 * and its part by name; the order of the enums is the order of the ids
 * the loader creates (customer 1 is the hotel, part 1 the compressor).
 */
#ifndef FSD_DEMO_INT_H
#define FSD_DEMO_INT_H

#include "store/store.h"

#include <stddef.h>

/* Weekday bits, as shifts number them (0 = Sunday). */
#define SUN (1u << 0)
#define MON (1u << 1)
#define TUE (1u << 2)
#define WED (1u << 3)
#define THU (1u << 4)
#define FRI (1u << 5)
#define SAT (1u << 6)

/* The rota's shifts (times in demo.c): day, late, and the night shift
 * starting that weekday's evening and ending the next morning. */
enum demo_shift { DEMO_DAY, DEMO_LATE, DEMO_NIGHT, DEMO__SHIFTS };

struct demo_skill {
    const char *code, *name;
};

struct demo_level {
    const char *skill; /* a demo_skill code */
    int level;         /* 1-5 */
};

struct demo_tech {
    const char *name, *phone;
    double lat, lon; /* where the working day starts */
    struct demo_level skills[3];
    unsigned rota[DEMO__SHIFTS]; /* weekday bits worked, per shift */
};

enum demo_customer {
    C_HOTEL,
    C_HUAXIN_DENTAL,
    C_GAO,
    C_LIN,
    C_RIVERSIDE,
    C_GREEN_PARK,
    C_XU_DENTAL,
    C_HARBOUR_CAFE,
    C_TANG,
    C_EASTGATE,
    C_HE,
    C_BLUE_SKY,
    C__COUNT
};

struct demo_customer_row {
    const char *name, *phone, *address, *tier;
    double lat, lon;
    /* the customer's one asset */
    const char *model, *serial, *bought; /* bought: YYYY-MM-DD */
    int warranty_months, units;
};

enum demo_part {
    P_NONE,
    P_COMPRESSOR,
    P_FAN_MOTOR,
    P_VRF_BOARD,
    P_VALVE,
    P_GASKET,
    P_DRAIN_PUMP,
    P_SUCTION_HOSE,
    P_RCBO,
    P__COUNT
};

struct demo_part_row {
    const char *sku, *name;
    int cost_minor, price_minor; /* CNY fen */
    int needs_approval;
    int warehouse, van; /* stock at "warehouse" and "van:1" */
};

struct demo_job {
    enum demo_customer customer;
    const char *kind, *skill, *fault;
    int level, priority, minutes;
    enum demo_part part; /* its one part line, P_NONE for none */
    int back_order_days; /* its part is back-ordered, expected in this
                            many days (0: in stock) */
    int at;              /* tomorrow's: local start, minutes after
                            midnight; today's are placed by time */
};

extern const struct demo_skill demo_skills[];
extern const size_t demo_nskills;
extern const struct demo_tech demo_techs[];
extern const size_t demo_ntechs;
extern const struct demo_customer_row demo_customers[C__COUNT];
extern const struct demo_part_row demo_parts[P__COUNT];
extern const struct demo_job demo_today[];    /* DEMO_TODAY_JOBS of them */
extern const struct demo_job demo_tomorrow[]; /* DEMO_TOMORROW_JOBS */

/* What the jobs refer to, and when the demo is loaded (demo.c). */
struct demo {
    int64_t customers[C__COUNT], assets[C__COUNT]; /* ids, by customer */
    int64_t parts[P__COUNT];                       /* ids, by part */
    const struct tz *zone;                         /* DEMO_ZONE */
    int64_t local; /* the moment of loading, as local seconds since the
                      epoch */
};

/* Who the demo's records are made by, for the audit trail. */
extern const struct actor demo__actor;
/* Validate src (stolen) against res's fields as the API does and create
 * it; *id (may be NULL) gets its id. */
int demo__create(struct store *s, const struct resource *res, json_t *src,
                 int64_t *id, struct err *err);
/* Apply event to job id as role (technician for assign, 0 else), with
 * payload (stolen, may be NULL), as the API would; recorded for the
 * technician or customer by staff when role is theirs. */
int demo__event(struct store *s, int64_t id, int event, unsigned role,
                int64_t tech, json_t *payload, struct err *err);
/* Today's and tomorrow's jobs (demo_jobs.c). */
int demo__load_jobs(struct store *s, const struct demo *d, struct err *err);
/* Today's visit already done, priced by labour (demo_visit.c). */
int demo__load_done_visit(struct store *s, const struct demo *d,
                          struct err *err);

#endif
