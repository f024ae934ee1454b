/*
 * e2e_parts_first.c - every part in stock before the appointment, on the
 * real server through the customer's booking link.
 *
 * A job whose part has no stock and no expected date is offered no slot
 * (every day says why, and the answer says the part is not in stock).
 * Once the dispatcher records when the part comes, slots open from the
 * day after; the customer's booking leaves the job waiting for the part,
 * a reschedule keeps it waiting, and the stock's arrival reserves the
 * part and assigns the technician whose time the booking holds.  A desk
 * booking without a window is held to the window the job already has.
 */
#include "berlin.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The UTC date n days from now, "YYYY-MM-DD". */
static void date_in(int n, char out[11])
{
    time_t t = time(NULL) + (time_t)n * 86400;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A job at a new Berlin customer needing one unit of part, with a booking
 * link (token). */
static int64_t job_with_part(struct berlin *b, int64_t part, char *token,
                             size_t n)
{
    int64_t cust = e2e_create(&b->desk, "/api/v1/customers",
                              json_pack("{s:s, s:f, s:f, s:s}", "name",
                                        "Kreuzberg Laundry", "lat", 52.50,
                                        "lon", 13.42, "timezone",
                                        "Europe/Berlin"));
    int64_t link;

    b->job = e2e_create(
        &b->desk, "/api/v1/jobs",
        json_pack("{s:I, s:s, s:i, s:[{s:s, s:i}], s:[{s:I, s:i}]}",
                  "customer_id", (json_int_t)cust, "kind", "repair",
                  "duration_minutes", 60, "required_skills", "skill",
                  b->skill, "level", 2, "parts", "part_id", (json_int_t)part,
                  "quantity", 1));
    make_link(b, &link, token, n);
    return b->job;
}

static const char *status_of(struct berlin *b, int64_t job,
                             struct e2e_reply *r)
{
    char path[64];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
    e2e_reply_release(r);
    e2e_get(&b->desk, path, r);
    e2e_expect_status(r, 200);
    return json_string_value(json_object_get(r->json, "status"));
}

static const char *slot_start(const struct e2e_reply *r, size_t i)
{
    return json_string_value(json_object_get(
        json_array_get(json_object_get(r->json, "slots"), i), "start"));
}

START_TEST(no_slot_before_the_part_and_the_part_books_the_technician)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char token[64], sku[32], expected[11], start[32], path[80];
    const json_t *days, *day;
    int64_t part, job;
    size_t i;

    berlin_open(&b);
    e2e_unique(sku, sizeof sku, "PUMP");
    part = e2e_create(&b.mgr, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i}", "sku", sku, "name",
                                "Drain pump", "cost_minor", 1800,
                                "price_minor", 3900));
    job = job_with_part(&b, part, token, sizeof token);

    /* no stock, no date: no slot, and every day says why */
    public_get(token, &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "slots")), 0);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "parts"), "status")),
                     "not_in_stock");
    days = json_object_get(r.json, "days");
    ck_assert_int_eq(json_array_size(days), 14);
    json_array_foreach(days, i, day)
        ck_assert_str_eq(json_string_value(json_object_get(day, "reason")),
                         "parts_not_in_stock");

    /* the back order's date opens the days after it */
    date_in(2, expected);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_reply_release(&r);
    e2e_send(&b.desk, "POST", path,
             json_pack("{s:s, s:s}", "event", "parts_missing", "expected_on",
                       expected), &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "slots_offered");
    public_get(token, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "parts"), "status")),
                     "expected");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "parts"), "expected_on")),
                     expected);
    ck_assert_uint_gt(json_array_size(json_object_get(r.json, "slots")), 1);
    ck_assert_int_gt(strncmp(slot_start(&r, 0), expected, 10), 0);

    /* booked: the job waits for its part, nobody assigned yet */
    snprintf(start, sizeof start, "%s", slot_start(&r, 0));
    ck_assert_int_eq(public_confirm(token, start, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "awaiting_parts");
    ck_assert_str_eq(status_of(&b, job, &r), "awaiting_parts");
    ck_assert(json_is_null(json_object_get(r.json, "technician_id")));

    /* moved: still waiting (it was booked again, not ready) */
    public_get(token, &r);
    snprintf(start, sizeof start, "%s", slot_start(&r, 1));
    ck_assert_int_eq(public_change(token, "reschedule", start, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "awaiting_parts");
    public_get(token, &r);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "job"), "status")),
                     "awaiting_parts");

    /* the part arrives: reserved, and the booked technician assigned */
    snprintf(path, sizeof path, "/api/v1/parts/%lld/receive",
             (long long)part);
    e2e_reply_release(&r);
    e2e_send(&b.mgr, "POST", path, json_pack("{s:i}", "quantity", 1), &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(json_integer_value(json_array_get(
                         json_object_get(r.json, "jobs_reserved"), 0)),
                     job);
    ck_assert_str_eq(status_of(&b, job, &r), "assigned");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json,
                                                       "technician_id")),
                     b.tech);
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "window_start")),
                     start);
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

START_TEST(a_desk_booking_keeps_to_the_jobs_own_window)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char sku[32], day[11], before[11], path[80], start[32], end[32];
    int64_t part, cust, job;

    berlin_open(&b);
    e2e_unique(sku, sizeof sku, "BELT");
    part = e2e_create(&b.mgr, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i}", "sku", sku, "name",
                                "Drive belt", "cost_minor", 500,
                                "price_minor", 1200));
    cust = e2e_create(&b.desk, "/api/v1/customers",
                      json_pack("{s:s, s:s}", "name", "Neukoelln Bakery",
                                "timezone", "Europe/Berlin"));
    date_in(5, day);
    date_in(4, before);
    snprintf(start, sizeof start, "%sT09:00:00Z", day);
    snprintf(end, sizeof end, "%sT11:00:00Z", day);
    job = e2e_create(&b.desk, "/api/v1/jobs",
                     json_pack("{s:I, s:s, s:s, s:s, s:[{s:I, s:i}]}",
                               "customer_id", (json_int_t)cust, "kind",
                               "install", "window_start", start, "window_end",
                               end, "parts", "part_id", (json_int_t)part,
                               "quantity", 1));
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    /* the belt comes on the window's own day: too late for it */
    e2e_send(&b.desk, "POST", path,
             json_pack("{s:s, s:s}", "event", "parts_missing", "expected_on",
                       day), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    e2e_send(&b.desk, "POST", path, json_pack("{s:s}", "event", "book"), &r);
    e2e_expect_error(&r, 409, "parts_not_ready", "window_start");
    e2e_reply_release(&r);
    /* the day before: the visit waits for it */
    e2e_send(&b.desk, "POST", path,
             json_pack("{s:s, s:s}", "event", "parts_missing", "expected_on",
                       before), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
    e2e_send(&b.desk, "POST", path, json_pack("{s:s}", "event", "book"), &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "awaiting_parts");
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

Suite *e2e_parts_first_suite(void)
{
    Suite *s = suite_create("e2e_parts_first");
    TCase *tc = tcase_create("parts_first");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, no_slot_before_the_part_and_the_part_books_the_technician);
    tcase_add_test(tc, a_desk_booking_keeps_to_the_jobs_own_window);
    suite_add_tcase(s, tc);
    return s;
}
