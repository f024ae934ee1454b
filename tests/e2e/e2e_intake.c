/*
 * e2e_intake.c - what the desk's intake asks the server, on the real
 * server: customers found by part of the name, the phone (spaces ignored)
 * or a unit's serial/IMEI, and the skills earlier jobs on the same model
 * of unit needed, most used first at the highest level asked.
 */
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

/* The ids GET /api/v1/customers?q=... returns, as a count, and whether id
 * is among them. */
static int found(struct e2e_client *c, const char *q, int64_t id, int *n)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[160];
    const json_t *item;
    size_t i;
    int hit = 0;

    snprintf(path, sizeof path, "/api/v1/customers?q=%s", q);
    e2e_get(c, path, &r);
    e2e_expect_status(&r, 200);
    *n = (int)json_array_size(json_object_get(r.json, "items"));
    json_array_foreach(json_object_get(r.json, "items"), i, item)
        hit |= json_integer_value(json_object_get(item, "id")) == id;
    e2e_reply_release(&r);
    return hit;
}

START_TEST(customers_are_found_by_name_phone_or_serial)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    char serial[40], name[60], q[80];
    int64_t cust;
    int n;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_unique(serial, sizeof serial, "IMEI35");
    e2e_unique(name, sizeof name, "Qiao");
    cust = e2e_create(&desk, "/api/v1/customers",
                      json_pack("{s:s, s:s}", "name", name, "phone",
                                "+86 139 5550 7711"));
    e2e_create(&desk, "/api/v1/assets",
               json_pack("{s:I, s:s, s:s}", "customer_id", (json_int_t)cust,
                         "model", "Phone X2", "serial", serial));
    ck_assert(found(&desk, name + 1, cust, &n)); /* part of the name */
    snprintf(q, sizeof q, "%s", name);
    for (char *p = q; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p); /* any case */
    ck_assert(found(&desk, q, cust, &n));
    ck_assert(found(&desk, "13955507711", cust, &n)); /* spaces ignored */
    ck_assert(found(&desk, serial + 2, cust, &n));
    ck_assert(!found(&desk, "no-such-customer-anywhere", cust, &n));
    ck_assert_int_eq(n, 0);
    e2e_get(&desk, "/api/v1/customers?q=x", &r);
    e2e_expect_error(&r, 400, "invalid_length", "q");
    e2e_reply_release(&r);
    e2e_client_release(&desk);
}
END_TEST

/* A job on asset needing skill at level (NULL: none). */
static void job_on(struct e2e_client *c, int64_t cust, int64_t asset,
                   const char *skill, int level)
{
    json_t *body = json_pack("{s:I, s:I, s:s}", "customer_id",
                             (json_int_t)cust, "asset_id", (json_int_t)asset,
                             "kind", "repair");

    if (skill)
        json_object_set_new(body, "required_skills",
                            json_pack("[{s:s, s:i}]", "skill", skill,
                                      "level", level));
    e2e_create(c, "/api/v1/jobs", body);
}

START_TEST(a_units_model_suggests_the_skills_it_needed)
{
    struct e2e_client desk, mgr;
    struct e2e_reply r = E2E_REPLY_INIT;
    char model[40], cold[40], elec[40], path[96], serial[40];
    int64_t cust, a1, a2, fresh;
    const json_t *skills;

    e2e_as_role(&desk, "dispatcher", NULL);
    e2e_as_role(&mgr, "manager", NULL);
    e2e_unique(model, sizeof model, "IceMaker");
    e2e_unique(cold, sizeof cold, "cold");
    e2e_unique(elec, sizeof elec, "elec");
    e2e_create(&mgr, "/api/v1/skills", json_pack("{s:s, s:s}", "code", cold,
                                                 "name", "Refrigeration"));
    e2e_create(&mgr, "/api/v1/skills", json_pack("{s:s, s:s}", "code", elec,
                                                 "name", "Electrical"));
    cust = e2e_create(&desk, "/api/v1/customers",
                      json_pack("{s:s}", "name", "Harbour Cafe"));
    e2e_unique(serial, sizeof serial, "A");
    a1 = e2e_create(&desk, "/api/v1/assets",
                    json_pack("{s:I, s:s, s:s}", "customer_id",
                              (json_int_t)cust, "model", model, "serial",
                              serial));
    e2e_unique(serial, sizeof serial, "B");
    a2 = e2e_create(&desk, "/api/v1/assets",
                    json_pack("{s:I, s:s, s:s}", "customer_id",
                              (json_int_t)cust, "model", model, "serial",
                              serial));
    e2e_unique(serial, sizeof serial, "C");
    fresh = e2e_create(&desk, "/api/v1/assets",
                       json_pack("{s:I, s:s, s:s}", "customer_id",
                                 (json_int_t)cust, "model", model, "serial",
                                 serial));
    job_on(&desk, cust, a1, cold, 2);
    job_on(&desk, cust, a2, cold, 3);
    job_on(&desk, cust, a2, elec, 1);
    job_on(&desk, cust, a1, NULL, 0);
    /* a unit of the model with no job of its own gets the model's */
    snprintf(path, sizeof path, "/api/v1/assets/%lld/suggested-skills",
             (long long)fresh);
    e2e_get(&desk, path, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "model")),
                     model);
    skills = json_object_get(r.json, "skills");
    ck_assert_int_eq(json_array_size(skills), 2);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(skills, 0), "skill")), cold);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(skills, 0), "level")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(skills, 0), "jobs")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(skills, 1), "skill")), elec);
    e2e_reply_release(&r);
    e2e_get(&desk, "/api/v1/assets/999999/suggested-skills", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    e2e_client_release(&desk);
    e2e_client_release(&mgr);
}
END_TEST

Suite *e2e_intake_suite(void)
{
    Suite *s = suite_create("e2e_intake");
    TCase *tc = tcase_create("intake");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, customers_are_found_by_name_phone_or_serial);
    tcase_add_test(tc, a_units_model_suggests_the_skills_it_needed);
    suite_add_tcase(s, tc);
    return s;
}
