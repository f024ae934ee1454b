/*
 * store_sql.c - the SQL behind every generic resource.
 *
 * Statements use named parameters that match the resource's field names, so
 * store_crud.c binds a normalized row without knowing its columns.  Each
 * resource's get and list select the same columns.
 */
#include "store/store_int.h"

#define CUSTOMER_COLS                                                      \
    "SELECT id, name, phone, email, address, lat, lon, tier, timezone,"   \
    " created_at, updated_at FROM customers"
#define ASSET_COLS                                                         \
    "SELECT id, customer_id, model, serial, purchase_date,"               \
    " warranty_months, units, created_at, updated_at FROM assets"
#define SKILL_COLS "SELECT id, code, name, created_at, updated_at FROM skills"
#define TECHNICIAN_COLS                                                    \
    "SELECT id, name, phone, email, start_lat, start_lon,"                \
    " capacity_minutes, timezone, active, created_at, updated_at"        \
    " FROM technicians"
#define PART_COLS                                                          \
    "SELECT id, sku, name, cost_minor, price_minor, needs_approval,"      \
    " created_at, updated_at FROM parts"
#define JOB_COLS                                                           \
    "SELECT id, customer_id, asset_id, kind, fault, priority, status,"    \
    " duration_minutes, sla_due_at, window_start, window_end,"           \
    " technician_id, preferred_technician_id, pinned, warranty,"            \
    " callout_minor, version,"                                             \
    " respond_by, created_at, updated_at FROM jobs"
#define SLA_COLS                                                           \
    "SELECT id, respond_minutes, on_site_minutes, updated_at"             \
    " FROM sla_policies"
#define USER_COLS                                                          \
    "SELECT id, username, role, active, must_change_password,"            \
    " created_at, updated_at FROM users"
#define TOKEN_COLS                                                         \
    "SELECT id, user_id, name, created_at, revoked_at FROM api_tokens"
#define DEVICE_COLS                                                        \
    "SELECT id, technician_id, name, key_id, enrolled_at, revoked_at"     \
    " FROM devices"
#define PAGE " ORDER BY id LIMIT :limit"

static const struct check_sql customer_exists[] = {
    {"SELECT EXISTS(SELECT 1 FROM customers WHERE id = :customer_id)",
     ERR_INVALID, "invalid_reference", "customer_id",
     "customer_id does not name a customer"},
    {0}};

static const struct check_sql job_checks[] = {
    {"SELECT EXISTS(SELECT 1 FROM customers WHERE id = :customer_id)",
     ERR_INVALID, "invalid_reference", "customer_id",
     "customer_id does not name a customer"},
    {"SELECT :asset_id IS NULL OR EXISTS(SELECT 1 FROM assets"
     " WHERE id = :asset_id AND customer_id = :customer_id)",
     ERR_INVALID, "invalid_reference", "asset_id",
     "asset_id does not name an asset of this customer"},
    {"SELECT (:window_start IS NULL) = (:window_end IS NULL)"
     " AND (:window_end IS NULL OR :window_end > :window_start)",
     ERR_INVALID, "invalid_window", "window_end",
     "window_start and window_end go together and the end is after the start"},
    {0}};

static const struct check_sql user_checks[] = {
    {"SELECT (:role = 'admin' AND :active) OR EXISTS(SELECT 1 FROM users"
     " WHERE role = 'admin' AND active AND id != :id)",
     ERR_CONFLICT, "last_admin", "role",
     "the last active admin cannot be demoted or deactivated"},
    {0}};

static const struct check_sql skill_code_exists[] = {
    {"SELECT EXISTS(SELECT 1 FROM skills WHERE code = :skill)",
     ERR_INVALID, "invalid_reference", "skill", "no skill has this code"},
    {0}};
static const struct check_sql shift_checks[] = {
    {"SELECT :start < :end", ERR_INVALID, "invalid_shift", "end",
     "a shift must end after it starts"},
    {0}};
static const struct check_sql time_off_checks[] = {
    {"SELECT :first_day <= :last_day", ERR_INVALID, "invalid_time_off",
     "last_day", "time off must end on or after its first day"},
    {0}};
static const struct check_sql stock_checks[] = {
    {"SELECT :quantity >= coalesce((SELECT reserved FROM stock"
     " WHERE part_id = :parent_id AND location = :location), 0)",
     ERR_CONFLICT, "below_reserved", "quantity",
     "quantity is below what is reserved at this location"},
    {0}};
static const struct check_sql part_exists[] = {
    {"SELECT EXISTS(SELECT 1 FROM parts WHERE id = :part_id)",
     ERR_INVALID, "invalid_reference", "part_id",
     "part_id does not name a part"},
    {0}};

static const struct child_sql technician_children[] = {
    {"skills", "DELETE FROM technician_skills WHERE technician_id = :parent_id",
     "INSERT INTO technician_skills(technician_id, skill_id, level)"
     " SELECT :parent_id, id, :level FROM skills WHERE code = :skill",
     "SELECT k.code AS skill, t.level FROM technician_skills t"
     " JOIN skills k ON k.id = t.skill_id"
     " WHERE t.technician_id = :parent_id ORDER BY k.code",
     skill_code_exists},
    {"shifts", "DELETE FROM shifts WHERE technician_id = :parent_id",
     "INSERT INTO shifts(technician_id, weekday, start_minute, end_minute)"
     " VALUES (:parent_id, :weekday, :start, :end)",
     "SELECT weekday, start_minute AS start, end_minute AS end FROM shifts"
     " WHERE technician_id = :parent_id ORDER BY weekday, start_minute",
     shift_checks},
    {"time_off", "DELETE FROM time_off WHERE technician_id = :parent_id",
     "INSERT INTO time_off(technician_id, first_day, last_day, reason)"
     " VALUES (:parent_id, :first_day, :last_day, coalesce(:reason, ''))",
     "SELECT first_day, last_day, reason FROM time_off"
     " WHERE technician_id = :parent_id ORDER BY first_day",
     time_off_checks},
    {0}};

static const struct child_sql part_children[] = {
    /* Locations holding reservations survive a replacement of the list. */
    {"stock", "DELETE FROM stock WHERE part_id = :parent_id AND reserved = 0",
     "INSERT INTO stock(part_id, location, quantity)"
     " VALUES (:parent_id, :location, :quantity)"
     " ON CONFLICT(part_id, location) DO UPDATE SET quantity = excluded.quantity",
     "SELECT location, quantity, reserved FROM stock"
     " WHERE part_id = :parent_id ORDER BY location",
     stock_checks},
    {0}};

static const struct child_sql job_children[] = {
    {"required_skills", "DELETE FROM job_skills WHERE job_id = :parent_id",
     "INSERT INTO job_skills(job_id, skill_id, min_level)"
     " SELECT :parent_id, id, :level FROM skills WHERE code = :skill",
     "SELECT k.code AS skill, j.min_level AS level FROM job_skills j"
     " JOIN skills k ON k.id = j.skill_id"
     " WHERE j.job_id = :parent_id ORDER BY k.code",
     skill_code_exists},
    {"parts", "DELETE FROM job_parts WHERE job_id = :parent_id",
     "INSERT INTO job_parts(job_id, part_id, quantity, state)"
     " SELECT :parent_id, :part_id, :quantity, CASE WHEN needs_approval"
     " THEN 'awaiting_approval' ELSE 'needed' END FROM parts"
     " WHERE id = :part_id",
     "SELECT id AS line_id, part_id, quantity, state, used, expected_on"
     " FROM job_parts WHERE job_id = :parent_id ORDER BY id",
     part_exists},
    {0}};

static const struct res_sql res_sqls[RES__COUNT] = {
    [RES_CUSTOMER] = {
        CUSTOMER_COLS " WHERE id = :id",
        CUSTOMER_COLS " WHERE id > :cursor AND (:tier IS NULL OR tier = :tier)"
        " AND (:q IS NULL OR instr(lower(name), lower(:q))"
        "  OR instr(replace(phone, ' ', ''), replace(:q, ' ', ''))"
        "  OR id IN (SELECT customer_id FROM assets"
        "   WHERE instr(lower(serial), lower(:q))))" PAGE,
        "INSERT INTO customers(name, phone, email, address, lat, lon, tier,"
        " timezone, created_at, updated_at) VALUES (:name, :phone, :email,"
        " :address, :lat, :lon, :tier, :timezone, :now, :now)",
        "UPDATE customers SET name = :name, phone = :phone, email = :email,"
        " address = :address, lat = :lat, lon = :lon, tier = :tier,"
        " timezone = :timezone, updated_at = :now WHERE id = :id",
        "DELETE FROM customers WHERE id = :id", NULL, NULL},
    [RES_ASSET] = {
        ASSET_COLS " WHERE id = :id",
        ASSET_COLS " WHERE id > :cursor"
        " AND (:customer_id IS NULL OR customer_id = :customer_id)" PAGE,
        "INSERT INTO assets(customer_id, model, serial, purchase_date,"
        " warranty_months, units, created_at, updated_at) VALUES"
        " (:customer_id, :model, :serial, :purchase_date, :warranty_months,"
        " :units, :now, :now)",
        "UPDATE assets SET customer_id = :customer_id, model = :model,"
        " serial = :serial, purchase_date = :purchase_date,"
        " warranty_months = :warranty_months, units = :units,"
        " updated_at = :now WHERE id = :id",
        "DELETE FROM assets WHERE id = :id", customer_exists, NULL},
    [RES_SKILL] = {
        SKILL_COLS " WHERE id = :id",
        SKILL_COLS " WHERE id > :cursor" PAGE,
        "INSERT INTO skills(code, name, created_at, updated_at)"
        " VALUES (:code, :name, :now, :now)",
        "UPDATE skills SET code = :code, name = :name, updated_at = :now"
        " WHERE id = :id",
        "DELETE FROM skills WHERE id = :id", NULL, NULL},
    [RES_TECHNICIAN] = {
        TECHNICIAN_COLS " WHERE id = :id",
        TECHNICIAN_COLS " WHERE id > :cursor"
        " AND (:active IS NULL OR active = :active)"
        " AND (:skill IS NULL OR EXISTS(SELECT 1 FROM technician_skills t"
        " JOIN skills k ON k.id = t.skill_id"
        " WHERE t.technician_id = technicians.id AND k.code = :skill))" PAGE,
        "INSERT INTO technicians(name, phone, email, start_lat, start_lon,"
        " capacity_minutes, timezone, active, created_at, updated_at) VALUES"
        " (:name, :phone, :email, :start_lat, :start_lon, :capacity_minutes,"
        " :timezone, :active, :now, :now)",
        "UPDATE technicians SET name = :name, phone = :phone, email = :email,"
        " start_lat = :start_lat, start_lon = :start_lon,"
        " capacity_minutes = :capacity_minutes, timezone = :timezone,"
        " active = :active, updated_at = :now WHERE id = :id",
        "DELETE FROM technicians WHERE id = :id", NULL, technician_children},
    [RES_PART] = {
        PART_COLS " WHERE id = :id",
        PART_COLS " WHERE id > :cursor"
        " AND (:needs_approval IS NULL OR needs_approval = :needs_approval)"
        PAGE,
        "INSERT INTO parts(sku, name, cost_minor, price_minor, needs_approval,"
        " created_at, updated_at) VALUES (:sku, :name, :cost_minor,"
        " :price_minor, :needs_approval, :now, :now)",
        "UPDATE parts SET sku = :sku, name = :name, cost_minor = :cost_minor,"
        " price_minor = :price_minor, needs_approval = :needs_approval,"
        " updated_at = :now WHERE id = :id",
        "DELETE FROM parts WHERE id = :id", NULL, part_children},
    [RES_JOB] = {
        JOB_COLS " WHERE id = :id",
        JOB_COLS " WHERE id > :cursor AND (:status IS NULL OR status = :status)"
        " AND (:date IS NULL OR (window_start >= :date"
        " AND window_start < :date + 86400))"
        " AND (:technician_id IS NULL OR technician_id = :technician_id)"
        " AND (:customer_id IS NULL OR customer_id = :customer_id)" PAGE,
        "INSERT INTO jobs(customer_id, asset_id, kind, fault, priority,"
        " duration_minutes, sla_due_at, window_start, window_end, respond_by,"
        " created_at, updated_at) SELECT :customer_id, :asset_id, :kind,"
        " coalesce(:fault, ''), :priority, :duration_minutes,"
        " coalesce(:sla_due_at, :now + on_site_minutes * 60), :window_start,"
        " :window_end, :now + respond_minutes * 60, :now, :now"
        " FROM sla_policies WHERE id = :priority",
        "UPDATE jobs SET customer_id = :customer_id, asset_id = :asset_id,"
        " kind = :kind, fault = :fault, priority = :priority,"
        " duration_minutes = :duration_minutes, sla_due_at = :sla_due_at,"
        " window_start = :window_start, window_end = :window_end,"
        " version = version + 1, updated_at = :now WHERE id = :id",
        NULL, job_checks, job_children},
    [RES_SLA_POLICY] = {
        SLA_COLS " WHERE id = :id",
        SLA_COLS " WHERE id > :cursor" PAGE,
        NULL,
        "UPDATE sla_policies SET respond_minutes = :respond_minutes,"
        " on_site_minutes = :on_site_minutes, updated_at = :now"
        " WHERE id = :id",
        NULL, NULL, NULL},
    [RES_USER] = {
        USER_COLS " WHERE id = :id",
        USER_COLS " WHERE id > :cursor AND (:role IS NULL OR role = :role)"
        " AND (:active IS NULL OR active = :active)" PAGE,
        NULL,
        "UPDATE users SET role = :role, active = :active, updated_at = :now"
        " WHERE id = :id",
        NULL, user_checks, NULL},
    [RES_API_TOKEN] = {
        TOKEN_COLS " WHERE id = :id",
        TOKEN_COLS " WHERE id > :cursor" PAGE,
        NULL, NULL,
        "UPDATE api_tokens SET revoked_at = :now"
        " WHERE id = :id AND revoked_at IS NULL",
        NULL, NULL},
    [RES_DEVICE] = {
        DEVICE_COLS " WHERE id = :id",
        DEVICE_COLS " WHERE id > :cursor"
        " AND (:technician_id IS NULL OR technician_id = :technician_id)"
        PAGE,
        NULL, NULL,
        "UPDATE devices SET revoked_at = :now"
        " WHERE id = :id AND revoked_at IS NULL",
        NULL, NULL},
};

const struct res_sql *store__res_sql(enum res_kind kind)
{
    return &res_sqls[kind];
}
