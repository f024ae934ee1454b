/*
 * e2e_crud.c - create, read, list, update and delete round trips for every
 * business resource, including nested arrays (technician skills and
 * shifts, part stock, job skills and parts), list filters, cursor paging,
 * job versions and deletes refused while a record is referenced.
 */
#include "fixture.h"
#include "suites.h"

#include <string.h>

static const char *id_path(char *buf, size_t size, const char *base,
                           int64_t id)
{
    snprintf(buf, size, "%s/%lld", base, (long long)id);
    return buf;
}

static int64_t id_of(const json_t *item)
{
    return json_integer_value(json_object_get(item, "id"));
}

/* 1 when the list (all pages) holds exactly the n ids given. */
static int list_is(struct e2e_client *c, const char *path,
                   const int64_t *ids, size_t n)
{
    json_t *all = e2e_list_all(c, path), *item;
    size_t i, found = 0;

    json_array_foreach(all, i, item)
        for (size_t k = 0; k < n; k++)
            found += id_of(item) == ids[k];
    i = json_array_size(all);
    json_decref(all);
    return i == n && found == n;
}

/* 1 when the list (all pages) holds id. */
static int list_has(struct e2e_client *c, const char *path, int64_t id)
{
    json_t *all = e2e_list_all(c, path), *item;
    size_t i;
    int found = 0;

    json_array_foreach(all, i, item)
        found |= id_of(item) == id;
    json_decref(all);
    return found;
}

/* DELETE path: assert 204, then that GET path is 404 not_found. */
static void delete_and_gone(struct e2e_client *c, const char *path,
                            struct e2e_reply *r)
{
    e2e_request(c, "DELETE", path, NULL, NULL, r);
    e2e_expect_status(r, 204);
    e2e_get(c, path, r);
    e2e_expect_error(r, 404, "not_found", NULL);
}

static int64_t new_customer(struct e2e_client *c, const char *name)
{
    return e2e_create(c, "/api/v1/customers", json_pack("{s:s}", "name",
                                                        name));
}

static int64_t new_asset(struct e2e_client *c, int64_t customer)
{
    char serial[64];

    e2e_unique(serial, sizeof serial, "SN");
    return e2e_create(c, "/api/v1/assets",
                      json_pack("{s:I, s:s, s:s}", "customer_id",
                                (json_int_t)customer, "model", "Heat pump",
                                "serial", serial));
}

static int64_t new_job(struct e2e_client *c, int64_t customer,
                       const char *start, const char *end)
{
    json_t *body = json_pack("{s:I, s:s}", "customer_id",
                             (json_int_t)customer, "kind", "maintenance");

    if (start) {
        json_object_set_new(body, "window_start", json_string(start));
        json_object_set_new(body, "window_end", json_string(end));
    }
    return e2e_create(c, "/api/v1/jobs", body);
}

START_TEST(customer_round_trip)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    json_t *created;
    char path[96];
    size_t before;
    int64_t id;

    e2e_as_role(&c, "dispatcher", NULL);
    before = e2e_count(&c, "/api/v1/customers");
    e2e_send(&c, "POST", "/api/v1/customers",
             json_pack("{s:s, s:s, s:s, s:f, s:f, s:s, s:s}", "name",
                       "Round Trip GmbH", "phone", "+49 30 1234",
                       "email", "ops@example.test", "lat", 52.52, "lon",
                       13.405, "tier", "key_account", "timezone",
                       "Europe/Berlin"), &r);
    e2e_expect_status(&r, 201);
    created = json_incref(r.json);
    id = id_of(created);
    ck_assert_str_eq(json_string_value(json_object_get(created, "tier")),
                     "key_account");
    ck_assert(json_is_null(json_object_get(created, "address")));
    ck_assert(json_is_string(json_object_get(created, "created_at")));

    e2e_get(&c, id_path(path, sizeof path, "/api/v1/customers", id), &r);
    e2e_expect_status(&r, 200);
    ck_assert_msg(json_equal(r.json, created), "GET %s: %s", path, r.body);
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/customers"), before + 1);
    ck_assert(list_has(&c, "/api/v1/customers?tier=key_account", id));
    ck_assert(!list_has(&c, "/api/v1/customers?tier=regular", id));

    e2e_send(&c, "PATCH", path,
             json_pack("{s:s, s:n}", "name", "Renamed GmbH", "phone"), &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")),
                     "Renamed GmbH");
    ck_assert(json_is_null(json_object_get(r.json, "phone")));
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "email")),
                     "ops@example.test");
    e2e_get(&c, path, &r);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")),
                     "Renamed GmbH");

    e2e_request(&c, "DELETE", path, NULL, NULL, &r);
    e2e_expect_status(&r, 204);
    ck_assert_uint_eq(r.body_len, 0);
    e2e_get(&c, path, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_request(&c, "DELETE", path, NULL, NULL, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_send(&c, "PATCH", path, json_pack("{s:s}", "name", "Ghost"), &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/customers"), before);
    json_decref(created);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(lists_page_by_cursor)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t made[5], last = 0;
    size_t seen = 0, pages = 0, total, mine = 0;
    char url[128], cursor[32] = "";
    const json_t *next;

    e2e_as_role(&c, "dispatcher", NULL);
    for (int i = 0; i < 5; i++)
        made[i] = new_customer(&c, "Paged Customer");
    total = e2e_count(&c, "/api/v1/customers");
    do {
        json_t *item;
        size_t i;

        snprintf(url, sizeof url, "/api/v1/customers?limit=2%s%s",
                 cursor[0] ? "&cursor=" : "", cursor);
        e2e_get(&c, url, &r);
        e2e_expect_status(&r, 200);
        ck_assert_uint_le(json_array_size(json_object_get(r.json, "items")),
                          2);
        json_array_foreach(json_object_get(r.json, "items"), i, item) {
            ck_assert_int_gt(id_of(item), last); /* ascending, no repeats */
            last = id_of(item);
            for (int k = 0; k < 5; k++)
                mine += made[k] == last;
            seen++;
        }
        next = json_object_get(r.json, "next_cursor");
        ck_assert_msg(json_is_string(next) || json_is_null(next),
                      "next_cursor: %s", r.body);
        snprintf(cursor, sizeof cursor, "%s",
                 json_is_string(next) ? json_string_value(next) : "");
    } while (cursor[0] && ++pages < 1000);
    ck_assert_uint_eq(seen, total);
    ck_assert_uint_eq(mine, 5);
    ck_assert_uint_eq(pages + 1, (total + 1) / 2);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(asset_round_trip_and_customer_filter)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    int64_t a, b, a_assets[2], b_asset;
    char path[96], url[96];

    e2e_as_role(&c, "dispatcher", NULL);
    a = new_customer(&c, "Asset Owner A");
    b = new_customer(&c, "Asset Owner B");
    a_assets[0] = new_asset(&c, a);
    a_assets[1] = new_asset(&c, a);
    b_asset = new_asset(&c, b);
    snprintf(url, sizeof url, "/api/v1/assets?customer_id=%lld", (long long)a);
    ck_assert(list_is(&c, url, a_assets, 2));
    snprintf(url, sizeof url, "/api/v1/assets?customer_id=%lld", (long long)b);
    ck_assert(list_is(&c, url, &b_asset, 1));

    e2e_get(&c, id_path(path, sizeof path, "/api/v1/assets", b_asset), &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "customer_id")),
                     b);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json,
                                                        "warranty_months")),
                     12);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "units")), 1);
    e2e_send(&c, "PATCH", path,
             json_pack("{s:s, s:i}", "purchase_date", "2024-02-29",
                       "warranty_months", 24), &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "purchase_date")),
                     "2024-02-29");
    delete_and_gone(&c, path, &r);
    ck_assert(list_is(&c, url, NULL, 0));
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(skill_round_trip)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    char code[64], path[96];
    size_t before;
    int64_t id;

    e2e_as_role(&c, "manager", NULL);
    e2e_unique(code, sizeof code, "weld");
    before = e2e_count(&c, "/api/v1/skills");
    id = e2e_create(&c, "/api/v1/skills",
                    json_pack("{s:s, s:s}", "code", code, "name", "Welding"));
    e2e_send(&c, "POST", "/api/v1/skills",
             json_pack("{s:s, s:s}", "code", code, "name", "Again"), &r);
    e2e_expect_error(&r, 409, "duplicate", "code");
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/skills"), before + 1);
    e2e_get(&c, id_path(path, sizeof path, "/api/v1/skills", id), &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "code")), code);
    e2e_send(&c, "PATCH", path, json_pack("{s:s}", "name", "TIG welding"),
             &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "name")),
                     "TIG welding");
    delete_and_gone(&c, path, &r);
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/skills"), before);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(technician_with_skills_and_shifts)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    char s1[64], s2[64], path[96], url[128];
    json_t *created, *want_skills, *want_shifts;
    int64_t id;

    e2e_as_role(&c, "manager", NULL);
    e2e_unique(s1, sizeof s1, "hvac");
    e2e_unique(s2, sizeof s2, "plumb");
    e2e_create(&c, "/api/v1/skills",
               json_pack("{s:s, s:s}", "code", s1, "name", "HVAC"));
    e2e_create(&c, "/api/v1/skills",
               json_pack("{s:s, s:s}", "code", s2, "name", "Plumbing"));
    want_skills = json_pack("[{s:s, s:i}, {s:s, s:i}]", "skill", s1, "level",
                            3, "skill", s2, "level", 1);
    want_shifts = json_pack("[{s:i, s:s, s:s}, {s:i, s:s, s:s}]", "weekday",
                            1, "start", "08:00", "end", "16:30", "weekday", 2,
                            "start", "07:15", "end", "12:00");
    e2e_send(&c, "POST", "/api/v1/technicians",
             json_pack("{s:s, s:f, s:f, s:i, s:O, s:O}", "name", "Tess Tech",
                       "start_lat", 48.1, "start_lon", 11.6,
                       "capacity_minutes", 420, "skills", want_skills,
                       "shifts", want_shifts), &r);
    e2e_expect_status(&r, 201);
    created = json_incref(r.json);
    id = id_of(created);
    ck_assert_msg(json_equal(json_object_get(created, "skills"), want_skills),
                  "skills: %s", r.body);
    ck_assert_msg(json_equal(json_object_get(created, "shifts"), want_shifts),
                  "shifts: %s", r.body);
    ck_assert(json_is_true(json_object_get(created, "active")));
    e2e_get(&c, id_path(path, sizeof path, "/api/v1/technicians", id), &r);
    e2e_expect_status(&r, 200);
    ck_assert_msg(json_equal(r.json, created), "GET: %s", r.body);
    snprintf(url, sizeof url, "/api/v1/technicians?skill=%s", s2);
    ck_assert(list_is(&c, url, &id, 1));

    /* Arrays are replaced whole. */
    e2e_send(&c, "PATCH", path,
             json_pack("{s:[{s:s, s:i}], s:[], s:b}", "skills", "skill", s1,
                       "level", 5, "shifts", "active", 0), &r);
    e2e_expect_status(&r, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "skills")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
                         json_object_get(r.json, "skills"), 0), "level")), 5);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "shifts")), 0);
    ck_assert(list_is(&c, url, NULL, 0));
    e2e_get(&c, path, &r);
    ck_assert(json_is_false(json_object_get(r.json, "active")));

    delete_and_gone(&c, path, &r);
    json_decref(created);
    json_decref(want_skills);
    json_decref(want_shifts);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(part_with_stock)
{
    struct e2e_client c;
    struct e2e_reply r = E2E_REPLY_INIT;
    char sku[64], path[96];
    json_t *stock;
    int64_t id;

    e2e_as_role(&c, "manager", NULL);
    e2e_unique(sku, sizeof sku, "FLT");
    e2e_send(&c, "POST", "/api/v1/parts",
             json_pack("{s:s, s:s, s:i, s:i, s:b, s:[{s:s, s:i}, {s:s, s:i}]}",
                       "sku", sku, "name", "Filter", "cost_minor", 1250,
                       "price_minor", 1999, "needs_approval", 1, "stock",
                       "location", "van-7", "quantity", 4, "location",
                       "depot", "quantity", 40), &r);
    e2e_expect_status(&r, 201);
    id = id_of(r.json);
    stock = json_object_get(r.json, "stock");
    ck_assert_uint_eq(json_array_size(stock), 2);
    /* Listed by location, each with nothing reserved yet. */
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(stock, 0), "location")), "depot");
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(stock, 0), "quantity")), 40);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(stock, 1), "reserved")), 0);
    ck_assert(list_is(&c, "/api/v1/parts?needs_approval=true", &id, 1));

    e2e_send(&c, "PATCH", id_path(path, sizeof path, "/api/v1/parts", id),
             json_pack("{s:[{s:s, s:i}], s:i}", "stock", "location", "depot",
                       "quantity", 35, "price_minor", 2099), &r);
    e2e_expect_status(&r, 200);
    e2e_get(&c, path, &r);
    e2e_expect_status(&r, 200);
    stock = json_object_get(r.json, "stock");
    ck_assert_uint_eq(json_array_size(stock), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(stock, 0), "quantity")), 35);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json,
                                                        "price_minor")), 2099);
    delete_and_gone(&c, path, &r);
    e2e_reply_release(&r);
    e2e_client_release(&c);
}
END_TEST

START_TEST(job_round_trip_and_versions)
{
    struct e2e_client c, m;
    struct e2e_reply r = E2E_REPLY_INIT;
    char skill[64], sku[64], path[96], allow[64];
    int64_t customer, asset, part, id;
    json_t *created;

    e2e_as_role(&m, "manager", NULL);
    e2e_as_role(&c, "dispatcher", NULL);
    e2e_unique(skill, sizeof skill, "gas");
    e2e_unique(sku, sizeof sku, "VALVE");
    e2e_create(&m, "/api/v1/skills",
               json_pack("{s:s, s:s}", "code", skill, "name", "Gas safe"));
    part = e2e_create(&m, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i}", "sku", sku, "name",
                                "Valve", "cost_minor", 500, "price_minor",
                                900));
    customer = new_customer(&c, "Job Customer");
    asset = new_asset(&c, customer);
    e2e_send(&c, "POST", "/api/v1/jobs",
             json_pack("{s:I, s:I, s:s, s:s, s:i, s:i, s:s, s:s, s:s,"
                       " s:[{s:s, s:i}], s:[{s:I, s:i}]}",
                       "customer_id", (json_int_t)customer, "asset_id",
                       (json_int_t)asset, "kind", "repair", "fault",
                       "No hot water", "priority", 2, "duration_minutes", 90,
                       "sla_due_at", "2026-03-03T17:00:00Z", "window_start",
                       "2026-03-02T08:00:00Z", "window_end",
                       "2026-03-02T10:00:00Z", "required_skills", "skill",
                       skill, "level", 2, "parts", "part_id",
                       (json_int_t)part, "quantity", 2), &r);
    e2e_expect_status(&r, 201);
    created = json_incref(r.json);
    id = id_of(created);
    ck_assert_str_eq(json_string_value(json_object_get(created, "status")),
                     "new");
    ck_assert_int_eq(json_integer_value(json_object_get(created, "version")),
                     1);
    ck_assert(json_is_null(json_object_get(created, "technician_id")));
    ck_assert_str_eq(json_string_value(json_object_get(created,
                                                       "window_start")),
                     "2026-03-02T08:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
                         json_object_get(created, "required_skills"), 0),
                         "skill")), skill);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
                         json_object_get(created, "parts"), 0), "quantity")),
                     2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
                         json_object_get(created, "parts"), 0), "state")),
                     "needed");
    e2e_get(&c, id_path(path, sizeof path, "/api/v1/jobs", id), &r);
    e2e_expect_status(&r, 200);
    ck_assert_msg(json_equal(r.json, created), "GET: %s", r.body);

    e2e_send(&c, "PATCH", path, json_pack("{s:i, s:i}", "version", 1,
                                          "priority", 4), &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")),
                     2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "priority")),
                     4);
    /* A client still holding version 1 loses, and changes nothing. */
    e2e_send(&c, "PATCH", path, json_pack("{s:i, s:i}", "version", 1,
                                          "priority", 5), &r);
    e2e_expect_error(&r, 409, "version_conflict", "version");
    e2e_get(&c, path, &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")),
                     2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "priority")),
                     4);
    /* Without a version the change is unconditional. */
    e2e_send(&c, "PATCH", path, json_pack("{s:s}", "fault", "Boiler leaks"),
             &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")),
                     3);
    /* Jobs are never deleted (they are cancelled instead). */
    e2e_request(&c, "DELETE", path, NULL, NULL, &r);
    e2e_expect_error(&r, 405, "method_not_allowed", NULL);
    ck_assert_int_eq(e2e_header(&r, "Allow", allow, sizeof allow), 0);
    ck_assert_str_eq(allow, "GET, PATCH");
    e2e_get(&c, path, &r);
    e2e_expect_status(&r, 200);
    json_decref(created);
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&m);
}
END_TEST

START_TEST(job_list_filters)
{
    struct e2e_client c;
    int64_t a, b, a_day1, a_day2, a_none, b_day1, all_a[3], day1[2];
    char url[160];

    e2e_as_role(&c, "dispatcher", NULL);
    a = new_customer(&c, "Filter A");
    b = new_customer(&c, "Filter B");
    /* 2031-05-06 is used by no other test on this server. */
    a_day1 = new_job(&c, a, "2031-05-06T09:00:00Z", "2031-05-06T11:00:00Z");
    a_day2 = new_job(&c, a, "2031-05-07T09:00:00Z", "2031-05-07T11:00:00Z");
    a_none = new_job(&c, a, NULL, NULL);
    b_day1 = new_job(&c, b, "2031-05-06T23:00:00Z", "2031-05-07T01:00:00Z");
    all_a[0] = a_day1, all_a[1] = a_day2, all_a[2] = a_none;
    day1[0] = a_day1, day1[1] = b_day1;

    snprintf(url, sizeof url, "/api/v1/jobs?customer_id=%lld", (long long)a);
    ck_assert(list_is(&c, url, all_a, 3));
    snprintf(url, sizeof url, "/api/v1/jobs?customer_id=%lld", (long long)b);
    ck_assert(list_is(&c, url, &b_day1, 1));
    ck_assert(list_is(&c, "/api/v1/jobs?date=2031-05-06", day1, 2));
    snprintf(url, sizeof url, "/api/v1/jobs?date=2031-05-07&customer_id=%lld",
             (long long)a);
    ck_assert(list_is(&c, url, &a_day2, 1));
    snprintf(url, sizeof url, "/api/v1/jobs?status=new&customer_id=%lld",
             (long long)a);
    ck_assert(list_is(&c, url, all_a, 3));
    snprintf(url, sizeof url, "/api/v1/jobs?status=closed&customer_id=%lld",
             (long long)a);
    ck_assert(list_is(&c, url, NULL, 0));
    /* Nothing assigns technicians yet, so no job has one. */
    snprintf(url, sizeof url, "/api/v1/jobs?technician_id=1&customer_id=%lld",
             (long long)a);
    ck_assert(list_is(&c, url, NULL, 0));
    e2e_client_release(&c);
}
END_TEST

START_TEST(referenced_records_cannot_be_deleted)
{
    struct e2e_client c, m;
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[96], skill[64], sku[64];
    int64_t with_job, with_asset, asset, skill_id, part_id;
    size_t customers;

    e2e_as_role(&c, "dispatcher", NULL);
    e2e_as_role(&m, "manager", NULL);
    with_job = new_customer(&c, "Has a job");
    new_job(&c, with_job, NULL, NULL);
    with_asset = new_customer(&c, "Has an asset");
    asset = new_asset(&c, with_asset);
    customers = e2e_count(&c, "/api/v1/customers");

    e2e_request(&c, "DELETE", id_path(path, sizeof path, "/api/v1/customers",
                                      with_job), NULL, NULL, &r);
    e2e_expect_error(&r, 409, "in_use", NULL);
    e2e_get(&c, path, &r);
    e2e_expect_status(&r, 200);
    e2e_request(&c, "DELETE", id_path(path, sizeof path, "/api/v1/customers",
                                      with_asset), NULL, NULL, &r);
    e2e_expect_error(&r, 409, "in_use", NULL);
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/customers"), customers);

    /* Once the asset is gone its customer can go too. */
    e2e_request(&c, "DELETE", id_path(path, sizeof path, "/api/v1/assets",
                                      asset), NULL, NULL, &r);
    e2e_expect_status(&r, 204);
    e2e_request(&c, "DELETE", id_path(path, sizeof path, "/api/v1/customers",
                                      with_asset), NULL, NULL, &r);
    e2e_expect_status(&r, 204);
    ck_assert_uint_eq(e2e_count(&c, "/api/v1/customers"), customers - 1);

    /* Skills held by a technician and parts on a job are in use too. */
    e2e_unique(skill, sizeof skill, "lift");
    e2e_unique(sku, sizeof sku, "BELT");
    skill_id = e2e_create(&m, "/api/v1/skills",
                          json_pack("{s:s, s:s}", "code", skill, "name",
                                    "Lifts"));
    e2e_create(&m, "/api/v1/technicians",
               json_pack("{s:s, s:i, s:i, s:[{s:s, s:i}]}", "name", "Lift Tech",
                         "start_lat", 50, "start_lon", 8, "skills", "skill",
                         skill, "level", 2));
    e2e_request(&m, "DELETE", id_path(path, sizeof path, "/api/v1/skills",
                                      skill_id), NULL, NULL, &r);
    e2e_expect_error(&r, 409, "in_use", NULL);
    part_id = e2e_create(&m, "/api/v1/parts",
                         json_pack("{s:s, s:s, s:i, s:i}", "sku", sku, "name",
                                   "Belt", "cost_minor", 1, "price_minor", 2));
    e2e_create(&c, "/api/v1/jobs",
               json_pack("{s:I, s:s, s:[{s:I, s:i}]}", "customer_id",
                         (json_int_t)with_job, "kind", "repair", "parts",
                         "part_id", (json_int_t)part_id, "quantity", 1));
    e2e_request(&m, "DELETE", id_path(path, sizeof path, "/api/v1/parts",
                                      part_id), NULL, NULL, &r);
    e2e_expect_error(&r, 409, "in_use", NULL);
    e2e_get(&m, path, &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    e2e_client_release(&c);
    e2e_client_release(&m);
}
END_TEST

Suite *e2e_crud_suite(void)
{
    Suite *s = suite_create("e2e_crud");
    TCase *tc = tcase_create("crud");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, customer_round_trip);
    tcase_add_test(tc, lists_page_by_cursor);
    tcase_add_test(tc, asset_round_trip_and_customer_filter);
    tcase_add_test(tc, skill_round_trip);
    tcase_add_test(tc, technician_with_skills_and_shifts);
    tcase_add_test(tc, part_with_stock);
    tcase_add_test(tc, job_round_trip_and_versions);
    tcase_add_test(tc, job_list_filters);
    tcase_add_test(tc, referenced_records_cannot_be_deleted);
    suite_add_tcase(s, tc);
    return s;
}
