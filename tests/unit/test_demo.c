/*
 * test_demo.c - the demonstration data makes sense whenever it is loaded.
 *
 * The demo is loaded into a real database at fixed moments, Shanghai
 * time: a Wednesday just after midnight, at one in the afternoon and
 * twenty minutes before midnight, a Saturday evening and a Sunday
 * morning.  At each the same invariants must hold: the company is a
 * Shanghai one pricing in CNY; every phone number is a different one; a
 * serial number's year is its unit's purchase year; every unit fits its
 * customer and every job's kind, fault, skill and unit agree; today's
 * windows open after the moment of loading and on the company's date,
 * tomorrow's on the next; every job's skill is held by a technician whose
 * shift covers part of its window.  And what the day planner says: each
 * of tomorrow's jobs has a technician who can take it, one of them two
 * (the browser tests assign on tomorrow's board), and so has each of
 * today's when the day has room left.  Loaded in the evening it has not:
 * a visit must be over when its day's shifts end, a shift cannot run past
 * 24:00, so the longest visits no longer fit, and twenty minutes before
 * midnight none does.
 */
#include "assign/assign.h"
#include "assign/day_problem.h"
#include "common/timefmt.h"
#include "demo/demo.h"
#include "rules/company.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static const struct moment {
    const char *name, *at; /* at: the moment of loading, UTC */
    int today_plannable;   /* each of today's jobs has a technician */
} moments[] = {
    {"Wednesday 00:30", "2026-03-03T16:30:00Z", 1},
    {"Wednesday 13:00", "2026-03-04T05:00:00Z", 1},
    {"Wednesday 23:40", "2026-03-04T15:40:00Z", 0},
    {"Saturday 20:30", "2026-03-07T12:30:00Z", 0},
    {"Sunday 10:00", "2026-03-08T02:00:00Z", 1},
};

static char *dir;
static struct store *st;
static const struct tz *zone;

/* A new database with the demo loaded as of moment m; its instant. */
static int64_t load(const struct moment *m)
{
    struct err err = ERR_INIT;
    int64_t now;

    ck_assert_int_eq(timefmt_parse_rfc3339(m->at, &now), 0);
    ck_assert_int_eq(tz_get(DEMO_ZONE, &zone, &err), 0);
    dir = tu_tempdir();
    st = tu_store_open(dir);
    ck_assert_msg(demo_load_at(st, now, &err) == 0, "%s: %s", m->name, err.msg);
    return now;
}

static void unload(void)
{
    store_close(st);
    tu_rmtree(dir);
    free(dir);
}

/* Every row of res, in id order (caller owns). */
static json_t *all(const struct resource *res)
{
    struct err err = ERR_INIT;
    json_t *rows;
    int64_t next;

    ck_assert_msg(store_res_list(st, res, NULL, 0, 200, &rows, &next, &err) ==
                      0,
                  "%s", err.msg);
    ck_assert_int_eq(next, 0);
    return rows;
}

static const char *text(const json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

static int64_t num(const json_t *row, const char *key)
{
    return json_integer_value(json_object_get(row, key));
}

/* The company's local day number of instant t. */
static int64_t local_day(int64_t t)
{
    return (t + tz_offset_at(zone, t)) / DAY;
}

static void company_is_in_shanghai(void)
{
    struct err err = ERR_INIT;
    struct company co;

    ck_assert_int_eq(store_company_get(st, &co, &err), 0);
    ck_assert_str_eq(co.name, DEMO_COMPANY);
    ck_assert_str_eq(co.timezone, "Asia/Shanghai");
    ck_assert_str_eq(co.currency, "CNY");
}

/* Every customer and technician has a phone number, none the same. */
static void phones_are_distinct(const json_t *customers, const json_t *techs)
{
    const json_t *lists[] = {customers, techs}, *row;
    json_t *seen = json_object();
    size_t i;

    for (size_t l = 0; l < 2; l++)
        json_array_foreach(lists[l], i, row)
        {
            const char *phone = text(row, "phone");

            ck_assert_msg(phone && *phone, "%s has no phone",
                          text(row, "name"));
            ck_assert_msg(!json_object_get(seen, phone), "%s shares %s",
                          text(row, "name"), phone);
            json_object_set_new(seen, phone, json_true());
        }
    ck_assert_int_eq(json_object_size(seen), 20);
    json_decref(seen);
}

/* The year a serial number carries: its one dash-separated field of four
 * digits starting 19 or 20; 0 when it carries none, -1 for two. */
static int serial_year(const char *serial)
{
    char buf[101];
    int year = 0;

    snprintf(buf, sizeof buf, "%s", serial);
    for (char *f = strtok(buf, "-"); f; f = strtok(NULL, "-"))
        if (strlen(f) == 4 && strspn(f, "0123456789") == 4 &&
            (!strncmp(f, "19", 2) || !strncmp(f, "20", 2)))
            year = year ? -1 : atoi(f);
    return year;
}

/* The skill a unit's model needs, by what it is. */
static const char *skill_for(const char *model)
{
    static const char *const kinds[][2] = {{"dental", "dental"},
                                           {"cold room", "refrigeration"},
                                           {"ice machine", "refrigeration"},
                                           {"VRF", "hvac"},
                                           {"air conditioner", "hvac"},
                                           {"heat pump", "hvac"},
                                           {"switchboard", "electrical"},
                                           {"washing machine", "appliance"},
                                           {"dishwasher", "appliance"},
                                           {"refrigerator", "appliance"}};

    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strstr(model, kinds[i][0]))
            return kinds[i][1];
    return "";
}

/* What each kind of business owns. */
static void unit_fits_customer(const char *customer, const char *model)
{
    static const char *const fits[][2] = {{"Dental", "dental"},
                                          {"Supermarket", "cold room"},
                                          {"Apartments", "air conditioner"},
                                          {"Hotel", "VRF"},
                                          {"Cafe", "ice machine"},
                                          {"Office Tower", "switchboard"},
                                          {"Kindergarten", "heat pump"}};

    for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++)
        if (strstr(customer, fits[i][0]))
            ck_assert_msg(strstr(model, fits[i][1]), "%s owns %s", customer,
                          model);
}

static void units_fit(const json_t *assets, const json_t *customers,
                      int64_t now)
{
    char today[TIMEFMT_RFC3339_LEN];
    const json_t *a;
    size_t i;

    timefmt_format_rfc3339(now + tz_offset_at(zone, now), today);
    ck_assert_int_eq(json_array_size(assets), 12);
    json_array_foreach(assets, i, a)
    {
        const char *serial = text(a, "serial"),
                   *bought = text(a, "purchase_date");
        const json_t *c =
            json_array_get(customers, (size_t)num(a, "customer_id") - 1);

        ck_assert_msg(serial_year(serial) == atoi(bought), "%s bought %s",
                      serial, bought);
        ck_assert_msg(strncmp(bought, today, 10) < 0, "%s", bought);
        ck_assert_int_ge(num(a, "warranty_months"), 12);
        ck_assert_int_le(num(a, "warranty_months"), 60);
        ck_assert_str_ne(skill_for(text(a, "model")), "");
        unit_fits_customer(text(c, "name"), text(a, "model"));
    }
}

/* The kind a fault text is written for. */
static const char *kind_for(const char *fault)
{
    if (!strncmp(fault, "Annual service visit", 20))
        return "maintenance";
    if (!strncmp(fault, "Inspection:", 11))
        return "inspection";
    return strncmp(fault, "Install:", 8) ? "repair" : "install";
}

static void jobs_agree(const json_t *jobs, const json_t *assets)
{
    const json_t *j;
    size_t i;

    json_array_foreach(jobs, i, j)
    {
        const json_t *a =
            json_array_get(assets, (size_t)num(j, "asset_id") - 1);
        const json_t *skills = json_object_get(j, "required_skills");

        ck_assert_int_eq(num(a, "customer_id"), num(j, "customer_id"));
        ck_assert_str_eq(text(j, "kind"), kind_for(text(j, "fault")));
        ck_assert_int_eq(json_array_size(skills), 1);
        ck_assert_msg(!strcmp(text(json_array_get(skills, 0), "skill"),
                              skill_for(text(a, "model"))),
                      "job %lld (%s) needs %s on a %s", (long long)num(j, "id"),
                      text(j, "fault"),
                      text(json_array_get(skills, 0), "skill"),
                      text(a, "model"));
    }
}

/* Today's (1-24) open after now on its date, tomorrow's (25-36) on the
 * next; the first DEMO_READY of each day's set ready with parts held. */
static void jobs_in_time(const json_t *jobs, int64_t now)
{
    const json_t *j, *line;
    size_t i, k;

    ck_assert_int_eq(json_array_size(jobs),
                     DEMO_TODAY_JOBS + DEMO_TOMORROW_JOBS);
    json_array_foreach(jobs, i, j)
    {
        int today = i < DEMO_TODAY_JOBS;
        size_t n = today ? i : i - DEMO_TODAY_JOBS;
        int ready = n < (today ? DEMO_READY : DEMO_TOMORROW_READY);

        ck_assert_int_eq(num(j, "id"), (int64_t)i + 1);
        ck_assert_int_eq(local_day(num(j, "window_start")),
                         local_day(now) + !today);
        if (today)
            ck_assert_int_ge(num(j, "window_start"), now);
        ck_assert_int_eq(num(j, "window_end"), num(j, "window_start") + 7200);
        /* today's 7 is done already, priced by labour (demo_visit.c) */
        ck_assert_str_eq(text(j, "status"), i + 1 == 7 ? "work_done"
                                            : ready  ? "parts_reserved"
                                                     : "new");
        /* today's 22 waits for a valve expected in three days */
        json_array_foreach(json_object_get(j, "parts"), k, line) {
            int64_t due;
            if (i + 1 != 22) {
                ck_assert_str_eq(text(line, "state"), "reserved");
                continue;
            }
            ck_assert_str_eq(text(line, "state"), "back_ordered");
            ck_assert_int_eq(timefmt_parse_date(text(line, "expected_on"),
                                                &due), 0);
            ck_assert_int_eq(due, local_day(now) + 3);
        }
        if (i + 1 == 22)
            ck_assert_int_eq(json_array_size(json_object_get(j, "parts")), 1);
    }
}

/* Does one of t's shifts, on the local days around [from, to), meet it? */
static int on_shift(const json_t *t, int64_t from, int64_t to)
{
    const json_t *s;
    size_t i;

    for (int64_t d = local_day(from) - 1; d <= local_day(to); d++)
        json_array_foreach(json_object_get(t, "shifts"), i, s)
        {
            int64_t start =
                tz_local_to_utc(zone, d * DAY + num(s, "start") * 60);
            int64_t end = tz_local_to_utc(zone, d * DAY + num(s, "end") * 60);

            if (num(s, "weekday") == timefmt_weekday(d) && start < to &&
                end > from)
                return 1;
        }
    return 0;
}

static int has_skill(const json_t *t, const json_t *need)
{
    const json_t *s;
    size_t i;

    json_array_foreach(json_object_get(t, "skills"), i,
                       s) if (!strcmp(text(s, "skill"), text(need, "skill")) &&
                              num(s, "level") >= num(need, "level")) return 1;
    return 0;
}

static void every_job_is_covered(const json_t *jobs, const json_t *techs)
{
    const json_t *j, *t;
    size_t i, k;

    json_array_foreach(jobs, i, j)
    {
        const json_t *need =
            json_array_get(json_object_get(j, "required_skills"), 0);
        int covered = 0;

        json_array_foreach(techs, k, t) covered |=
            has_skill(t, need) &&
            on_shift(t, num(j, "window_start"), num(j, "window_end"));
        ck_assert_msg(covered, "nobody with %s is on shift for job %lld",
                      text(need, "skill"), (long long)num(j, "id"));
    }
}

/* How many technicians the day planner finds for job id, as GET
 * /api/v1/jobs/{id}/candidates counts them. */
static int feasible(int64_t id)
{
    char date[TIMEFMT_DATE_LEN];
    struct err err = ERR_INIT;
    struct day_problem d;
    struct assign_plan plan;
    struct assign_candidate *c;
    json_t *rows;
    int j, n;

    ck_assert_int_eq(store_job_plan_date(st, id, date, &err), 0);
    ck_assert_int_eq(store_day_rows(st, date, id, &rows, &err), 0);
    ck_assert_int_eq(day_problem_build(rows, date, 0, &d, &err), 0);
    json_decref(rows);
    ck_assert_int_ge(j = day_problem_job_index(&d, id), 0);
    ck_assert_int_eq(day_problem_current(&d, &plan, &err), 0);
    c = calloc((size_t)d.problem.ntechs + 1, sizeof *c);
    n = assign_explain(&d.problem, &plan, j, c);
    free(c);
    assign_plan_release(&plan);
    day_problem_release(&d);
    return n;
}

static void jobs_are_plannable(const struct moment *m)
{
    int two = 0;

    for (int64_t id = DEMO_TODAY_JOBS + 1;
         id <= DEMO_TODAY_JOBS + DEMO_TOMORROW_JOBS; id++) {
        int n = feasible(id);

        ck_assert_msg(n > 0, "%s: nobody can take tomorrow's job %lld", m->name,
                      (long long)id);
        two |= id <= DEMO_TODAY_JOBS + DEMO_TOMORROW_READY && n > 1;
    }
    ck_assert_msg(two, "%s: no ready job tomorrow two can take", m->name);
    for (int64_t id = 1; m->today_plannable && id <= DEMO_TODAY_JOBS; id++)
        ck_assert_msg(feasible(id) > 0, "%s: nobody can take job %lld", m->name,
                      (long long)id);
}

START_TEST(the_demo_makes_sense_whenever_it_is_loaded)
{
    const struct moment *m = &moments[_i];
    int64_t now = load(m);
    json_t *customers = all(&res_customer), *techs = all(&res_technician);
    json_t *assets = all(&res_asset), *jobs = all(&res_job);
    json_t *parts = all(&res_part), *p;
    size_t i;

    company_is_in_shanghai();
    ck_assert_int_eq(json_array_size(techs), 8);
    ck_assert_int_eq(json_array_size(customers), 12);
    phones_are_distinct(customers, techs);
    units_fit(assets, customers, now);
    jobs_agree(jobs, assets);
    jobs_in_time(jobs, now);
    every_job_is_covered(jobs, techs);
    jobs_are_plannable(m);
    json_array_foreach(parts, i, p)
    { /* plausible in CNY fen */
        ck_assert_int_ge(num(p, "cost_minor"), 1000);
        ck_assert_int_gt(num(p, "price_minor"), num(p, "cost_minor"));
        ck_assert_int_le(num(p, "price_minor"), 500000);
    }
    json_decref(customers);
    json_decref(techs);
    json_decref(assets);
    json_decref(jobs);
    json_decref(parts);
    unload();
}
END_TEST

START_TEST(the_demo_loads_once)
{
    struct err err = ERR_INIT;
    int64_t now = load(&moments[1]);

    ck_assert_int_eq(demo_load_at(st, now, &err), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "demo_loaded");
    ck_assert_str_eq(err.msg, "demo data is already loaded");
    unload();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("demo");
    TCase *tc = tcase_create("demo");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, the_demo_makes_sense_whenever_it_is_loaded, 0,
                        (int)(sizeof moments / sizeof moments[0]));
    tcase_add_test(tc, the_demo_loads_once);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
