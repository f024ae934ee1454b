/*
 * demo.c - loads demonstration data through the same validation and store
 * paths as the API: skills, technicians with skills and shifts, customers
 * with assets, parts with stock, a day of jobs for today, and two staff
 * logins (dispatcher and manager).  Deterministic apart from today's date.
 */
#include "demo.h"
#include "job.h"
#include "sec.h"
#include "timefmt.h"

#include <stdio.h>
#include <time.h>

static const struct actor demo_actor = {0, "demo", "demo data"};

static const char *const skills[][2] = {
    {"hvac", "Air conditioning and heat pumps"},
    {"appliance", "Household appliances"},
    {"electrical", "Electrical installation"},
    {"refrigeration", "Commercial refrigeration"},
    {"dental", "Dental chairs and units"},
};
static const char *const tech_names[] = {
    "Li Wei", "Zhang Min", "Wang Fang", "Chen Jie",
    "Liu Yang", "Zhao Lei", "Sun Qing", "Zhou Hao"};
static const char *const customer_names[] = {
    "Huaxin Dental Clinic", "Lotus Hotel", "Mr. Gao", "Ms. Lin",
    "Riverside Supermarket", "Green Park Apartments", "Dr. Xu Dental",
    "Harbour Cafe", "Mrs. Tang", "Eastgate Office Tower", "Mr. He",
    "Blue Sky Kindergarten"};
static const char *const part_names[][2] = {
    {"CMP-200", "Compressor 2 kW"}, {"FAN-12", "Condenser fan motor"},
    {"PCB-7", "Control board"},     {"VLV-3", "Expansion valve"},
    {"SEAL-1", "Door seal"},        {"PUMP-5", "Drain pump"},
    {"HSE-9", "Suction hose, dental unit"}, {"SNS-2", "Temperature sensor"},
};

/* Validate src (JSON text or object) as res and create it; *id gets it. */
static int create(struct store *s, const struct resource *res, json_t *src,
                  int64_t *id, struct err *err)
{
    json_t *vals, *row;
    int rc = jparse_object(src, res->fields, JPARSE_CREATE, "", &vals, err);

    json_decref(src);
    if (rc)
        return rc;
    rc = store_res_create(s, res, vals, &demo_actor, &row, err);
    json_decref(vals);
    if (rc == 0 && id)
        *id = json_integer_value(json_object_get(row, "id"));
    json_decref(row);
    return rc;
}

static int load_skills(struct store *s, struct err *err)
{
    for (size_t i = 0; i < sizeof skills / sizeof skills[0]; i++)
        if (create(s, &res_skill, json_pack("{s:s, s:s}", "code",
                                            skills[i][0], "name",
                                            skills[i][1]),
                   NULL, err))
            return err->rc;
    return 0;
}

static int load_technicians(struct store *s, struct err *err)
{
    for (size_t i = 0; i < sizeof tech_names / sizeof tech_names[0]; i++) {
        json_t *shifts = json_array(), *sk = json_array();
        for (int d = 1; d <= 5 + (int)(i % 2); d++)
            json_array_append_new(shifts, json_pack(
                "{s:i, s:s, s:s}", "weekday", d, "start",
                i % 3 ? "08:00" : "09:00", "end", i % 3 ? "17:00" : "18:00"));
        json_array_append_new(sk, json_pack("{s:s, s:i}", "skill",
                                            skills[i % 5][0], "level",
                                            (int)(i % 5) + 1));
        json_array_append_new(sk, json_pack("{s:s, s:i}", "skill",
                                            skills[(i + 2) % 5][0], "level",
                                            3));
        if (create(s, &res_technician, json_pack(
                "{s:s, s:s, s:f, s:f, s:i, s:s, s:o, s:o}", "name",
                tech_names[i], "phone", "+86 21 5550 01", "start_lat",
                31.20 + 0.02 * (double)i, "start_lon",
                121.42 + 0.015 * (double)i, "capacity_minutes",
                i % 4 ? 480 : 360, "timezone", "Asia/Shanghai", "skills", sk,
                "shifts", shifts), NULL, err))
            return err->rc;
    }
    return 0;
}

static int load_customers(struct store *s, int64_t asset_ids[],
                          int64_t customer_ids[], struct err *err)
{
    char serial[32];

    for (size_t i = 0; i < 12; i++) {
        if (create(s, &res_customer, json_pack(
                "{s:s, s:s, s:s, s:f, s:f, s:s, s:s}", "name",
                customer_names[i], "phone", "+86 21 6000 0000", "address",
                "Shanghai", "lat", 31.18 + 0.013 * (double)i, "lon",
                121.40 + 0.017 * (double)i, "tier",
                i % 4 == 0 ? "key_account" : "regular", "timezone",
                "Asia/Shanghai"), &customer_ids[i], err))
            return err->rc;
        snprintf(serial, sizeof serial, "SN-%04zu-%03zu", 2024 + i % 3,
                 100 + i);
        if (create(s, &res_asset, json_pack(
                "{s:I, s:s, s:s, s:s, s:i, s:i}", "customer_id",
                (json_int_t)customer_ids[i], "model",
                i % 3 ? "AC Split 3.5 kW" : "Dental unit S200", "serial",
                serial, "purchase_date", i % 2 ? "2026-03-15" : "2024-06-01",
                "warranty_months", 12, "units", i % 5 ? 1 : 12),
                   &asset_ids[i], err))
            return err->rc;
    }
    return 0;
}

static int load_parts(struct store *s, struct err *err)
{
    for (size_t i = 0; i < sizeof part_names / sizeof part_names[0]; i++)
        if (create(s, &res_part, json_pack(
                "{s:s, s:s, s:i, s:i, s:b, s:[{s:s, s:i}, {s:s, s:i}]}",
                "sku", part_names[i][0], "name", part_names[i][1],
                "cost_minor", 2000 + 1500 * (int)i, "price_minor",
                3500 + 2500 * (int)i, "needs_approval", i == 0 || i == 2,
                "stock", "location", "warehouse", "quantity",
                i == 3 ? 0 : 10 + (int)i, "location", "van:1", "quantity",
                (int)(i % 3)), NULL, err))
            return err->rc;
    return 0;
}

static json_t *instant(int64_t t)
{
    char buf[TIMEFMT_RFC3339_LEN];

    timefmt_format_rfc3339(t, buf);
    return json_string(buf);
}

/* The first DEMO_READY jobs are booked with their parts reserved, ready
 * for the board; the rest are requests still to book. */
#define DEMO_READY 16

static int ready(struct store *s, int64_t id, struct err *err)
{
    static const int events[] = {EV_BOOK, EV_PARTS_RESERVED};
    json_t *row = NULL;

    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        struct job_event_req r = {0};

        r.event = events[i];
        r.role = JR_DISPATCHER;
        if (store_job_event(s, id, &r, &demo_actor, &row, err))
            return err->rc;
        json_decref(row);
    }
    return 0;
}

static int load_jobs(struct store *s, const int64_t asset_ids[],
                     const int64_t customer_ids[], struct err *err)
{
    static const char *const kinds[] = {"repair", "install", "maintenance",
                                        "inspection"};
    /* midnight UTC today is 08:00 in Asia/Shanghai (UTC+8, no DST) */
    int64_t day = (int64_t)time(NULL) / 86400 * 86400;

    for (int i = 0; i < 24; i++) {
        int64_t start = day + (int64_t)(i % 4) * 2 * 3600, id;
        size_t c = (size_t)i % 12;
        if (create(s, &res_job, json_pack(
                "{s:I, s:I, s:s, s:s, s:i, s:i, s:o, s:o, s:o,"
                " s:[{s:s, s:i}]}",
                "customer_id", (json_int_t)customer_ids[c], "asset_id",
                (json_int_t)asset_ids[c], "kind", kinds[i % 4], "fault",
                i % 4 ? "Unit not cooling; error E4 on display"
                      : "Annual service visit",
                "priority", 1 + i % 5, "duration_minutes", 60 + 30 * (i % 3),
                "sla_due_at", instant(day + 86400), "window_start",
                instant(start), "window_end", instant(start + 7200),
                "required_skills", "skill", skills[i % 5][0], "level",
                1 + i % 3), &id, err) ||
            (i < DEMO_READY && ready(s, id, err)))
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
                          &demo_actor, &id, err) ||
        store_user_create(s, "manager", "manager", hash, 0, &demo_actor,
                          &id, err))
        return err->rc;
    return 0;
}

int demo_load(struct store *s, struct err *err)
{
    struct user u;
    struct err ignored = ERR_INIT;
    int64_t assets[12], customers[12];

    if (store_user_by_name(s, DEMO_DISPATCHER, &u, &ignored) == 0)
        return err_set(err, ERR_CONFLICT, "demo_loaded", NULL,
                       "demo data is already loaded");
    if (load_staff(s, err) || load_skills(s, err) ||
        load_technicians(s, err) || load_customers(s, assets, customers, err) ||
        load_parts(s, err) || load_jobs(s, assets, customers, err))
        return err->rc;
    return 0;
}
