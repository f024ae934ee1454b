/*
 * resources.c - the shape of every generic API resource.
 *
 * Field order is the order of keys in replies.  Bounds here are the API's
 * promise; the schema's CHECK constraints are the last line behind them.
 */
#include "model/resource.h"
#include "rules/job.h"

#define MONEY_MAX 1000000000000LL /* minor units */

#define F_ID {.name = "id", .type = JF_INT, .flags = JF_READONLY}
#define F_CREATED {.name = "created_at", .type = JF_TIME, .flags = JF_READONLY}
#define F_UPDATED {.name = "updated_at", .type = JF_TIME, .flags = JF_READONLY}
#define F_REF(field, fl)                                                   \
    {.name = field, .type = JF_INT, .flags = fl, .min = 1, .max = JF_ID_MAX}
#define F_TEXT(field, fl, lo, hi)                                          \
    {.name = field, .type = JF_TEXT, .flags = fl, .min = lo, .max = hi}

static const char *const tiers[] = {"regular", "key_account", 0};
static const char *const job_kinds[] = {"repair", "install", "maintenance",
                                        "inspection", 0};
const char *const staff_roles[] = {"admin", "dispatcher", "manager", 0};
static const char *const part_states[] = {
    "needed", "awaiting_approval", "reserved", "back_ordered", "used",
    "returned", 0};

static const struct jfield customer_fields[] = {
    F_ID,
    F_TEXT("name", JF_REQUIRED, 1, 200),
    F_TEXT("phone", JF_NULLABLE, 0, 40),
    F_TEXT("email", JF_NULLABLE, 0, 200),
    F_TEXT("address", JF_NULLABLE, 0, 500),
    {.name = "lat", .type = JF_NUMBER, .flags = JF_NULLABLE, .min = -90,
     .max = 90},
    {.name = "lon", .type = JF_NUMBER, .flags = JF_NULLABLE, .min = -180,
     .max = 180},
    {.name = "tier", .type = JF_ENUM, .choices = tiers, .dflt = "\"regular\""},
    {.name = "timezone", .type = JF_ZONE, .dflt = "\"UTC\""},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield customer_filters[] = {
    {.name = "tier", .type = JF_ENUM, .choices = tiers},
    /* part of the name or phone, or of a unit's serial number (IMEI) */
    {.name = "q", .type = JF_TEXT, .min = 2, .max = 100}, JF_END};

static const struct jfield asset_fields[] = {
    F_ID,
    F_REF("customer_id", JF_REQUIRED),
    F_TEXT("model", JF_REQUIRED, 1, 200),
    F_TEXT("serial", JF_REQUIRED, 1, 100),
    {.name = "purchase_date", .type = JF_DATE, .flags = JF_NULLABLE},
    {.name = "warranty_months", .type = JF_INT, .max = 240, .dflt = "12"},
    {.name = "units", .type = JF_INT, .min = 1, .max = 100000, .dflt = "1"},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield asset_filters[] = {
    F_REF("customer_id", 0), JF_END};

static const struct jfield skill_fields[] = {
    F_ID,
    F_TEXT("code", JF_REQUIRED, 1, 40),
    F_TEXT("name", JF_REQUIRED, 1, 200),
    F_CREATED, F_UPDATED, JF_END};

static const struct jfield skill_level_items[] = {
    F_TEXT("skill", JF_REQUIRED, 1, 40),
    {.name = "level", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = 5},
    JF_END};
static const struct jfield shift_items[] = {
    {.name = "weekday", .type = JF_INT, .flags = JF_REQUIRED, .max = 6},
    {.name = "start", .type = JF_HHMM, .flags = JF_REQUIRED},
    {.name = "end", .type = JF_HHMM, .flags = JF_REQUIRED},
    JF_END};
static const struct jfield time_off_items[] = {
    {.name = "first_day", .type = JF_DATE, .flags = JF_REQUIRED},
    {.name = "last_day", .type = JF_DATE, .flags = JF_REQUIRED},
    F_TEXT("reason", 0, 0, 200),
    JF_END};
static const struct jfield technician_fields[] = {
    F_ID,
    F_TEXT("name", JF_REQUIRED, 1, 200),
    F_TEXT("phone", JF_NULLABLE, 0, 40),
    F_TEXT("email", JF_NULLABLE, 0, 200),
    {.name = "start_lat", .type = JF_NUMBER, .flags = JF_REQUIRED, .min = -90,
     .max = 90},
    {.name = "start_lon", .type = JF_NUMBER, .flags = JF_REQUIRED, .min = -180,
     .max = 180},
    {.name = "capacity_minutes", .type = JF_INT, .max = 1440, .dflt = "480"},
    {.name = "timezone", .type = JF_ZONE, .dflt = "\"UTC\""},
    {.name = "active", .type = JF_BOOL, .dflt = "true"},
    {.name = "skills", .type = JF_ARRAY, .max = 50, .dflt = "[]",
     .items = skill_level_items},
    {.name = "shifts", .type = JF_ARRAY, .max = 21, .dflt = "[]",
     .items = shift_items},
    /* days off beyond the rota, local dates, both included */
    {.name = "time_off", .type = JF_ARRAY, .max = 50, .dflt = "[]",
     .items = time_off_items},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield technician_filters[] = {
    {.name = "active", .type = JF_BOOL},
    F_TEXT("skill", 0, 1, 40), JF_END};

static const struct jfield stock_items[] = {
    F_TEXT("location", JF_REQUIRED, 1, 64),
    {.name = "quantity", .type = JF_INT, .flags = JF_REQUIRED,
     .max = 1000000000},
    {.name = "reserved", .type = JF_INT, .flags = JF_READONLY},
    JF_END};
static const struct jfield part_fields[] = {
    F_ID,
    F_TEXT("sku", JF_REQUIRED, 1, 64),
    F_TEXT("name", JF_REQUIRED, 1, 200),
    {.name = "cost_minor", .type = JF_INT, .flags = JF_REQUIRED,
     .max = MONEY_MAX},
    {.name = "price_minor", .type = JF_INT, .flags = JF_REQUIRED,
     .max = MONEY_MAX},
    {.name = "needs_approval", .type = JF_BOOL, .dflt = "false"},
    {.name = "stock", .type = JF_ARRAY, .max = 100, .dflt = "[]",
     .items = stock_items},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield part_filters[] = {
    {.name = "needs_approval", .type = JF_BOOL}, JF_END};

static const char *const warranty_outcomes[] = {
    "in_warranty", "replacement", "out_of_warranty", 0};

static const struct jfield job_part_items[] = {
    {.name = "line_id", .type = JF_INT, .flags = JF_READONLY},
    F_REF("part_id", JF_REQUIRED),
    {.name = "quantity", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = 1000},
    {.name = "state", .type = JF_ENUM, .flags = JF_READONLY,
     .choices = part_states},
    {.name = "used", .type = JF_INT, .flags = JF_READONLY},
    {.name = "expected_on", .type = JF_DATE, .flags = JF_READONLY},
    JF_END};
static const struct jfield job_fields[] = {
    F_ID,
    F_REF("customer_id", JF_REQUIRED),
    F_REF("asset_id", JF_NULLABLE),
    {.name = "kind", .type = JF_ENUM, .flags = JF_REQUIRED,
     .choices = job_kinds},
    F_TEXT("fault", 0, 0, 4000),
    {.name = "priority", .type = JF_INT, .min = 1, .max = 5, .dflt = "3"},
    {.name = "status", .type = JF_ENUM, .flags = JF_READONLY,
     .choices = job_state_names},
    {.name = "duration_minutes", .type = JF_INT, .min = 5, .max = 1440,
     .dflt = "60"},
    {.name = "sla_due_at", .type = JF_TIME, .flags = JF_NULLABLE},
    {.name = "window_start", .type = JF_TIME, .flags = JF_NULLABLE},
    {.name = "window_end", .type = JF_TIME, .flags = JF_NULLABLE},
    {.name = "technician_id", .type = JF_INT, .flags = JF_READONLY},
    {.name = "preferred_technician_id", .type = JF_INT, .flags = JF_READONLY},
    {.name = "pinned", .type = JF_BOOL, .flags = JF_READONLY},
    {.name = "warranty", .type = JF_ENUM, .flags = JF_READONLY,
     .choices = warranty_outcomes},
    {.name = "callout_minor", .type = JF_INT, .flags = JF_READONLY},
    {.name = "required_skills", .type = JF_ARRAY, .max = 20, .dflt = "[]",
     .items = skill_level_items},
    {.name = "parts", .type = JF_ARRAY, .max = 100, .dflt = "[]",
     .items = job_part_items},
    {.name = "version", .type = JF_INT, .flags = JF_CHECK, .min = 1,
     .max = JF_ID_MAX},
    {.name = "respond_by", .type = JF_TIME, .flags = JF_READONLY},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield job_filters[] = {
    {.name = "status", .type = JF_ENUM, .choices = job_state_names},
    {.name = "date", .type = JF_DAY},
    F_REF("technician_id", 0),
    F_REF("customer_id", 0), JF_END};

static const struct jfield sla_policy_fields[] = {
    F_ID, /* the priority, 1 (most urgent) to 5 */
    {.name = "respond_minutes", .type = JF_INT, .min = 1, .max = 43200},
    {.name = "on_site_minutes", .type = JF_INT, .min = 1, .max = 43200},
    F_UPDATED, JF_END};

static const struct jfield user_fields[] = {
    F_ID,
    F_TEXT("username", JF_READONLY, 0, 0),
    {.name = "role", .type = JF_ENUM, .choices = staff_roles},
    {.name = "active", .type = JF_BOOL},
    {.name = "must_change_password", .type = JF_BOOL, .flags = JF_READONLY},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield user_filters[] = {
    {.name = "role", .type = JF_ENUM, .choices = staff_roles},
    {.name = "active", .type = JF_BOOL}, JF_END};

static const struct jfield api_token_fields[] = {
    F_ID,
    {.name = "user_id", .type = JF_INT, .flags = JF_READONLY},
    F_TEXT("name", 0, 1, 100),
    F_CREATED,
    {.name = "revoked_at", .type = JF_TIME, .flags = JF_READONLY},
    JF_END};
static const struct jfield no_filters[] = {JF_END};

const struct resource res_customer = {"customer", RES_CUSTOMER,
    customer_fields, customer_filters, 0};
const struct resource res_asset = {"asset", RES_ASSET, asset_fields,
    asset_filters, 0};
const struct resource res_skill = {"skill", RES_SKILL, skill_fields,
    no_filters, 0};
const struct resource res_technician = {"technician", RES_TECHNICIAN,
    technician_fields, technician_filters, 0};
const struct resource res_part = {"part", RES_PART, part_fields,
    part_filters, 0};
const struct resource res_job = {"job", RES_JOB, job_fields, job_filters,
    RES_VERSIONED};
const struct resource res_sla_policy = {"sla_policy", RES_SLA_POLICY,
    sla_policy_fields, no_filters, 0};
const struct resource res_user = {"user", RES_USER, user_fields,
    user_filters, 0};
const struct resource res_api_token = {"api_token", RES_API_TOKEN,
    api_token_fields, no_filters, 0};

/* Devices are enrolled through /sync/v1/enroll, never created here;
 * "deleting" one revokes it. */
static const struct jfield device_fields[] = {
    F_ID,
    {.name = "technician_id", .type = JF_INT, .flags = JF_READONLY},
    {.name = "name", .type = JF_TEXT, .flags = JF_READONLY},
    {.name = "key_id", .type = JF_TEXT, .flags = JF_READONLY},
    {.name = "enrolled_at", .type = JF_TIME, .flags = JF_READONLY},
    {.name = "revoked_at", .type = JF_TIME, .flags = JF_READONLY},
    JF_END};
static const struct jfield device_filters[] = {
    F_REF("technician_id", 0), JF_END};
const struct resource res_device = {"device", RES_DEVICE, device_fields,
                                    device_filters, 0};
