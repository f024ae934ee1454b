/*
 * resources.c - the shape of every generic API resource.
 *
 * Field order is the order of keys in replies.  Bounds here are the API's
 * promise; the schema's CHECK constraints are the last line behind them.
 */
#include "model/resource.h"
#include "rules/job.h"

#define MONEY_MAX 1000000000000LL /* minor units */

#define F_ID {"id", JF_INT, JF_READONLY, 0, 0, 0, 0, 0}
#define F_CREATED {"created_at", JF_TIME, JF_READONLY, 0, 0, 0, 0, 0}
#define F_UPDATED {"updated_at", JF_TIME, JF_READONLY, 0, 0, 0, 0, 0}
#define F_REF(name, flags) {name, JF_INT, flags, 1, JF_ID_MAX, 0, 0, 0}
#define F_TEXT(name, flags, lo, hi) {name, JF_TEXT, flags, lo, hi, 0, 0, 0}

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
    {"lat", JF_NUMBER, JF_NULLABLE, -90, 90, 0, 0, 0},
    {"lon", JF_NUMBER, JF_NULLABLE, -180, 180, 0, 0, 0},
    {"tier", JF_ENUM, 0, 0, 0, tiers, "\"regular\"", 0},
    {"timezone", JF_ZONE, 0, 0, 0, 0, "\"UTC\"", 0},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield customer_filters[] = {
    {"tier", JF_ENUM, 0, 0, 0, tiers, 0, 0}, JF_END};

static const struct jfield asset_fields[] = {
    F_ID,
    F_REF("customer_id", JF_REQUIRED),
    F_TEXT("model", JF_REQUIRED, 1, 200),
    F_TEXT("serial", JF_REQUIRED, 1, 100),
    {"purchase_date", JF_DATE, JF_NULLABLE, 0, 0, 0, 0, 0},
    {"warranty_months", JF_INT, 0, 0, 240, 0, "12", 0},
    {"units", JF_INT, 0, 1, 100000, 0, "1", 0},
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
    {"level", JF_INT, JF_REQUIRED, 1, 5, 0, 0, 0},
    JF_END};
static const struct jfield shift_items[] = {
    {"weekday", JF_INT, JF_REQUIRED, 0, 6, 0, 0, 0},
    {"start", JF_HHMM, JF_REQUIRED, 0, 0, 0, 0, 0},
    {"end", JF_HHMM, JF_REQUIRED, 0, 0, 0, 0, 0},
    JF_END};
static const struct jfield technician_fields[] = {
    F_ID,
    F_TEXT("name", JF_REQUIRED, 1, 200),
    F_TEXT("phone", JF_NULLABLE, 0, 40),
    F_TEXT("email", JF_NULLABLE, 0, 200),
    {"start_lat", JF_NUMBER, JF_REQUIRED, -90, 90, 0, 0, 0},
    {"start_lon", JF_NUMBER, JF_REQUIRED, -180, 180, 0, 0, 0},
    {"capacity_minutes", JF_INT, 0, 0, 1440, 0, "480", 0},
    {"timezone", JF_ZONE, 0, 0, 0, 0, "\"UTC\"", 0},
    {"active", JF_BOOL, 0, 0, 0, 0, "true", 0},
    {"skills", JF_ARRAY, 0, 0, 50, 0, "[]", skill_level_items},
    {"shifts", JF_ARRAY, 0, 0, 21, 0, "[]", shift_items},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield technician_filters[] = {
    {"active", JF_BOOL, 0, 0, 0, 0, 0, 0},
    F_TEXT("skill", 0, 1, 40), JF_END};

static const struct jfield stock_items[] = {
    F_TEXT("location", JF_REQUIRED, 1, 64),
    {"quantity", JF_INT, JF_REQUIRED, 0, 1000000000, 0, 0, 0},
    {"reserved", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
    JF_END};
static const struct jfield part_fields[] = {
    F_ID,
    F_TEXT("sku", JF_REQUIRED, 1, 64),
    F_TEXT("name", JF_REQUIRED, 1, 200),
    {"cost_minor", JF_INT, JF_REQUIRED, 0, MONEY_MAX, 0, 0, 0},
    {"price_minor", JF_INT, JF_REQUIRED, 0, MONEY_MAX, 0, 0, 0},
    {"needs_approval", JF_BOOL, 0, 0, 0, 0, "false", 0},
    {"stock", JF_ARRAY, 0, 0, 100, 0, "[]", stock_items},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield part_filters[] = {
    {"needs_approval", JF_BOOL, 0, 0, 0, 0, 0, 0}, JF_END};

static const char *const warranty_outcomes[] = {
    "in_warranty", "replacement", "out_of_warranty", 0};

static const struct jfield job_part_items[] = {
    {"line_id", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
    F_REF("part_id", JF_REQUIRED),
    {"quantity", JF_INT, JF_REQUIRED, 1, 1000, 0, 0, 0},
    {"state", JF_ENUM, JF_READONLY, 0, 0, part_states, 0, 0},
    {"used", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
    {"expected_on", JF_DATE, JF_READONLY, 0, 0, 0, 0, 0},
    JF_END};
static const struct jfield job_fields[] = {
    F_ID,
    F_REF("customer_id", JF_REQUIRED),
    F_REF("asset_id", JF_NULLABLE),
    {"kind", JF_ENUM, JF_REQUIRED, 0, 0, job_kinds, 0, 0},
    F_TEXT("fault", 0, 0, 4000),
    {"priority", JF_INT, 0, 1, 5, 0, "3", 0},
    {"status", JF_ENUM, JF_READONLY, 0, 0, job_state_names, 0, 0},
    {"duration_minutes", JF_INT, 0, 5, 1440, 0, "60", 0},
    {"sla_due_at", JF_TIME, JF_NULLABLE, 0, 0, 0, 0, 0},
    {"window_start", JF_TIME, JF_NULLABLE, 0, 0, 0, 0, 0},
    {"window_end", JF_TIME, JF_NULLABLE, 0, 0, 0, 0, 0},
    {"technician_id", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
    {"preferred_technician_id", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
    {"pinned", JF_BOOL, JF_READONLY, 0, 0, 0, 0, 0},
    {"warranty", JF_ENUM, JF_READONLY, 0, 0, warranty_outcomes, 0, 0},
    {"required_skills", JF_ARRAY, 0, 0, 20, 0, "[]", skill_level_items},
    {"parts", JF_ARRAY, 0, 0, 100, 0, "[]", job_part_items},
    {"version", JF_INT, JF_CHECK, 1, JF_ID_MAX, 0, 0, 0},
    {"respond_by", JF_TIME, JF_READONLY, 0, 0, 0, 0, 0},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield job_filters[] = {
    {"status", JF_ENUM, 0, 0, 0, job_state_names, 0, 0},
    {"date", JF_DAY, 0, 0, 0, 0, 0, 0},
    F_REF("technician_id", 0),
    F_REF("customer_id", 0), JF_END};

static const struct jfield sla_policy_fields[] = {
    F_ID, /* the priority, 1 (most urgent) to 5 */
    {"respond_minutes", JF_INT, 0, 1, 43200, 0, 0, 0},
    {"on_site_minutes", JF_INT, 0, 1, 43200, 0, 0, 0},
    F_UPDATED, JF_END};

static const struct jfield user_fields[] = {
    F_ID,
    F_TEXT("username", JF_READONLY, 0, 0),
    {"role", JF_ENUM, 0, 0, 0, staff_roles, 0, 0},
    {"active", JF_BOOL, 0, 0, 0, 0, 0, 0},
    {"must_change_password", JF_BOOL, JF_READONLY, 0, 0, 0, 0, 0},
    F_CREATED, F_UPDATED, JF_END};
static const struct jfield user_filters[] = {
    {"role", JF_ENUM, 0, 0, 0, staff_roles, 0, 0},
    {"active", JF_BOOL, 0, 0, 0, 0, 0, 0}, JF_END};

static const struct jfield api_token_fields[] = {
    F_ID,
    {"user_id", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
    F_TEXT("name", 0, 1, 100),
    F_CREATED,
    {"revoked_at", JF_TIME, JF_READONLY, 0, 0, 0, 0, 0},
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
    {"technician_id", JF_INT, JF_READONLY, 0, 0, 0, 0, 0},
    {"name", JF_TEXT, JF_READONLY, 0, 0, 0, 0, 0},
    {"key_id", JF_TEXT, JF_READONLY, 0, 0, 0, 0, 0},
    {"enrolled_at", JF_TIME, JF_READONLY, 0, 0, 0, 0, 0},
    {"revoked_at", JF_TIME, JF_READONLY, 0, 0, 0, 0, 0},
    JF_END};
static const struct jfield device_filters[] = {
    F_REF("technician_id", 0), JF_END};
const struct resource res_device = {"device", RES_DEVICE, device_fields,
                                    device_filters, 0};
