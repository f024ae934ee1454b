/*
 * demo.c - loads the demonstration company (demo_data.c) through the same
 * validation and store paths as the API: the company profile, skills,
 * technicians with their skills and rota, customers with their units,
 * parts with stock, two staff logins, and then the jobs (demo_jobs.c).
 * Deterministic apart from the moment it is loaded.
 */
#include "demo/demo.h"
#include "common/sec.h"
#include "demo/demo_int.h"
#include "rules/company.h"
#include "rules/job.h"

#include <stdio.h>
#include <time.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct actor demo__actor = {.name = "demo", .reason = "demo data"};

int demo__create(struct store *s, const struct resource *res, json_t *src,
                 int64_t *id, struct err *err)
{
    json_t *vals, *row;
    int rc = jparse_object(src, res->fields, JPARSE_CREATE, "", &vals, err);

    json_decref(src);
    if (rc)
        return rc;
    rc = store_res_create(s, res, vals, &demo__actor, &row, err);
    json_decref(vals);
    if (rc == 0 && id)
        *id = json_integer_value(json_object_get(row, "id"));
    json_decref(row);
    return rc;
}

int demo__event(struct store *s, int64_t id, int event, unsigned role,
                int64_t tech, json_t *payload, struct err *err)
{
    struct job_event_req r = {.event = event, .role = role,
                              .technician_id = tech, .payload = payload,
                              .by_staff = role != JR_DISPATCHER};
    json_t *row = NULL;
    int rc = store_job_event(s, id, &r, &demo__actor, &row, err);

    json_decref(row);
    json_decref(payload);
    return rc;
}

static int load_company(struct store *s, struct err *err)
{
    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "name",
                           DEMO_COMPANY, "timezone", DEMO_ZONE, "currency",
                           DEMO_CURRENCY, "phone", DEMO_PHONE, "email",
                           DEMO_EMAIL, "callout_fee_minor", DEMO_CALLOUT_FEE);
    json_t *patch;
    struct company co;
    int rc = company_patch(in, &patch, err);

    json_decref(in);
    if (rc)
        return rc;
    rc = store_company_update(s, patch, &demo__actor, &co, err);
    json_decref(patch);
    return rc;
}

static int load_skills(struct store *s, struct err *err)
{
    for (size_t i = 0; i < demo_nskills; i++)
        if (demo__create(s, &res_skill,
                         json_pack("{s:s, s:s}", "code", demo_skills[i].code,
                                   "name", demo_skills[i].name),
                         NULL, err))
            return err->rc;
    return 0;
}

/* The rota's shift times.  Day and late overlap for an hour, so a
 * two-hour window around the handover still fits a two-hour visit; a
 * shift ends by 24:00 of its own day, so a night is two rows. */
static const struct {
    enum demo_shift shift;
    int next_day;
    const char *start, *end;
} shift_rows[] = {
    {DEMO_DAY, 0, "06:00", "14:30"},
    {DEMO_LATE, 0, "13:30", "22:00"},
    {DEMO_NIGHT, 0, "22:00", "24:00"},
    {DEMO_NIGHT, 1, "00:00", "06:00"},
};

static json_t *rota_shifts(const struct demo_tech *t)
{
    json_t *out = json_array();

    for (size_t r = 0; r < N(shift_rows); r++)
        for (int d = 0; d < 7; d++)
            if (t->rota[shift_rows[r].shift] & (1u << d))
                json_array_append_new(
                    out,
                    json_pack("{s:i, s:s, s:s}", "weekday",
                              (d + shift_rows[r].next_day) % 7, "start",
                              shift_rows[r].start, "end", shift_rows[r].end));
    return out;
}

static int load_technicians(struct store *s, struct err *err)
{
    for (size_t i = 0; i < demo_ntechs; i++) {
        const struct demo_tech *t = &demo_techs[i];
        json_t *skills = json_array();

        for (size_t k = 0; k < N(t->skills); k++)
            json_array_append_new(skills, json_pack("{s:s, s:i}", "skill",
                                                    t->skills[k].skill, "level",
                                                    t->skills[k].level));
        if (demo__create(s, &res_technician,
                         json_pack("{s:s, s:s, s:f, s:f, s:i, s:s, s:o, s:o}",
                                   "name", t->name, "phone", t->phone,
                                   "start_lat", t->lat, "start_lon", t->lon,
                                   "capacity_minutes", 480, "timezone",
                                   DEMO_ZONE, "skills", skills, "shifts",
                                   rota_shifts(t)),
                         NULL, err))
            return err->rc;
    }
    return 0;
}

static int load_customers(struct store *s, struct demo *d, struct err *err)
{
    for (int i = 0; i < C__COUNT; i++) {
        const struct demo_customer_row *c = &demo_customers[i];
        char address[200];

        snprintf(address, sizeof address, "%s, Shanghai", c->address);
        if (demo__create(s, &res_customer,
                         json_pack("{s:s, s:s, s:s, s:f, s:f, s:s, s:s}",
                                   "name", c->name, "phone", c->phone,
                                   "address", address, "lat", c->lat, "lon",
                                   c->lon, "tier", c->tier, "timezone",
                                   DEMO_ZONE),
                         &d->customers[i], err) ||
            demo__create(s, &res_asset,
                         json_pack("{s:I, s:s, s:s, s:s, s:i, s:i}",
                                   "customer_id", (json_int_t)d->customers[i],
                                   "model", c->model, "serial", c->serial,
                                   "purchase_date", c->bought,
                                   "warranty_months", c->warranty_months,
                                   "units", c->units),
                         &d->assets[i], err))
            return err->rc;
    }
    return 0;
}

static int load_parts(struct store *s, struct demo *d, struct err *err)
{
    for (int i = P_NONE + 1; i < P__COUNT; i++) {
        const struct demo_part_row *p = &demo_parts[i];

        if (demo__create(
                s, &res_part,
                json_pack(
                    "{s:s, s:s, s:i, s:i, s:b, s:[{s:s, s:i}, {s:s, s:i}]}",
                    "sku", p->sku, "name", p->name, "cost_minor", p->cost_minor,
                    "price_minor", p->price_minor, "needs_approval",
                    p->needs_approval, "stock", "location", "warehouse",
                    "quantity", p->warehouse, "location", "van:1", "quantity",
                    p->van),
                &d->parts[i], err))
            return err->rc;
    }
    return 0;
}

static int load_staff(struct store *s, struct err *err)
{
    char hash[SEC_PWHASH_TEXT];
    int64_t id;

    if (sec_password_hash(DEMO_DISPATCHER_PASSWORD, hash, err) ||
        store_user_create(s, DEMO_DISPATCHER, "dispatcher", hash, 0,
                          &demo__actor, &id, err) ||
        store_user_create(s, DEMO_MANAGER, "manager", hash, 0, &demo__actor,
                          &id, err))
        return err->rc;
    return 0;
}

int demo_load_at(struct store *s, int64_t now, struct err *err)
{
    struct demo d = {0};
    struct user u;
    struct err ignored = ERR_INIT;

    if (store_user_by_name(s, DEMO_DISPATCHER, &u, &ignored) == 0)
        return err_set(err, ERR_CONFLICT, "demo_loaded", NULL,
                       "demo data is already loaded");
    if (tz_get(DEMO_ZONE, &d.zone, err))
        return err->rc;
    d.local = now + tz_offset_at(d.zone, now);
    if (load_staff(s, err) || load_company(s, err) || load_skills(s, err) ||
        load_technicians(s, err) || load_customers(s, &d, err) ||
        load_parts(s, &d, err) || demo__load_jobs(s, &d, err) ||
        demo__load_done_visit(s, &d, err))
        return err->rc;
    return 0;
}

int demo_load(struct store *s, struct err *err)
{
    return demo_load_at(s, (int64_t)time(NULL), err);
}
