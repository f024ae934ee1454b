/*
 * resource.h - the API's resources described as data.
 *
 * A resource is a collection the staff API can create, read, list, update
 * and delete generically: its JSON shape (a jparse field table), its list
 * filters and a few flags.  Its SQL lives in store_sql.c under the same
 * kind, so this header carries no SQL and the store carries no JSON shapes.
 */
#ifndef FSD_RESOURCE_H
#define FSD_RESOURCE_H

#include "model/jparse.h"

enum res_kind {
    RES_CUSTOMER,
    RES_ASSET,
    RES_SKILL,
    RES_TECHNICIAN,
    RES_PART,
    RES_JOB,
    RES_SLA_POLICY,
    RES_USER,
    RES_API_TOKEN,
    RES_DEVICE,
    RES__COUNT
};

enum res_flags {
    RES_VERSIONED = 1 << 0, /* has a version bumped on every change */
};

struct resource {
    const char *name;              /* singular, for messages and the log */
    enum res_kind kind;            /* selects its SQL in store_sql.c */
    const struct jfield *fields;   /* the full shape, id and read-only too */
    const struct jfield *filters;  /* list query parameters */
    unsigned flags;                /* res_flags */
};

/* The staff roles, NULL-terminated: admin, dispatcher, manager. */
extern const char *const staff_roles[];

extern const struct resource res_customer, res_asset, res_skill,
    res_technician, res_part, res_job, res_sla_policy, res_user,
    res_api_token, res_device;

#endif
