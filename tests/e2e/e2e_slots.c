/*
 * e2e_slots.c - a job's appointment slots over HTTP against the real
 * server (GET /api/v1/jobs/{id}/slots): windows laid out in the customer's
 * local time keep their local hours across the spring daylight-saving
 * change, a day in the past is too soon, a job nobody has the skills for
 * gets no slot and says why, and bad queries change nothing.
 *
 * Customers' links: a dispatcher's booking link shows the job in plain
 * words and its open slots to anyone holding it, without the technicians
 * or any id; a wrong, malformed or revoked token is one and the same 404;
 * public routes are rate-limited per address.  Confirming a slot books the
 * job, reserves its parts and assigns the technician, and the customer can
 * move it or cancel it; a hundred customers
 * confirming the same last free window at once get exactly one booking
 * and ninety-nine clear refusals.
 *
 * Berlin, end of March 2027: clocks go forward on Sunday the 28th, so
 * 08:00 local is 07:00Z on the Friday and 06:00Z from the Sunday on.
 */
#include "berlin.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void get_slots(struct berlin *b, int64_t job, const char *query,
                      struct e2e_reply *r)
{
    char path[160];

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/slots?%s", (long long)job,
             query);
    e2e_reply_release(r);
    e2e_get(&b->desk, path, r);
}

/* The first slot starting on date ("YYYY-MM-DD", UTC), or NULL. */
static const json_t *first_on(const json_t *slots, const char *date)
{
    const json_t *s;
    size_t i;

    json_array_foreach(slots, i, s)
        if (strncmp(json_string_value(json_object_get(s, "start")), date,
                    10) == 0)
            return s;
    return NULL;
}

static const char *reason_of(const json_t *reply, size_t day)
{
    return json_string_value(json_object_get(
        json_array_get(json_object_get(reply, "days"), day), "reason"));
}

START_TEST(local_windows_keep_their_hours_across_dst)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    const json_t *slots, *fri, *mon;

    berlin_open(&b);
    get_slots(&b, b.job, "from=2027-03-26&days=4&notice_minutes=0", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "from")),
                     "2027-03-26");
    for (size_t d = 0; d < 4; d++)
        ck_assert_str_eq(reason_of(r.json, d), "ok");
    slots = json_object_get(r.json, "slots");
    /* 08:00-18:00 in 2 h windows, but from 16:00 the hour's visit and the
     * drive home no longer fit Jonas's shift, which ends at 17:00 */
    ck_assert_int_eq(json_array_size(slots), 4 * 4);
    fri = first_on(slots, "2027-03-26");
    mon = first_on(slots, "2027-03-29");
    ck_assert_ptr_nonnull(fri);
    ck_assert_ptr_nonnull(mon);
    ck_assert_str_eq(json_string_value(json_object_get(fri, "start")),
                     "2027-03-26T07:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(fri, "end")),
                     "2027-03-26T09:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(mon, "start")),
                     "2027-03-29T06:00:00Z");
    ck_assert_int_eq(json_integer_value(json_object_get(fri,
                                                        "technician_id")),
                     b.tech);
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

/* A job of Jonas's skill in the morning of 2027-04-06, booked (its parts
 * held) and given to Jonas by a manager's override. */
static void overbook(struct berlin *b, int minutes)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];
    int64_t cust = e2e_create(&b->desk, "/api/v1/customers",
                              json_pack("{s:s, s:f, s:f, s:s}", "name",
                                        "Moabit Diner", "lat", 52.53, "lon",
                                        13.34, "timezone", "Europe/Berlin"));
    int64_t job = e2e_create(
        &b->desk, "/api/v1/jobs",
        json_pack("{s:I, s:s, s:i, s:s, s:s, s:[{s:s, s:i}]}", "customer_id",
                  (json_int_t)cust, "kind", "repair", "duration_minutes",
                  minutes, "window_start", "2027-04-06T06:00:00Z",
                  "window_end", "2027-04-06T08:00:00Z", "required_skills",
                  "skill", b->skill, "level", 2));

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    e2e_send(&b->desk, "POST", path, json_pack("{s:s}", "event", "book"), &r);
    e2e_expect_status(&r, 200);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/assign", (long long)job);
    e2e_reply_release(&r);
    e2e_send(&b->mgr, "POST", path,
             json_pack("{s:I, s:b, s:s}", "technician_id",
                       (json_int_t)b->tech, "override", 1, "reason",
                       "the customer asked for Jonas"), &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);
}

START_TEST(an_overbooked_day_offers_no_slot)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;

    berlin_open(&b);
    /* 750 minutes of overlapping visits on a 480-minute day */
    for (int i = 0; i < 3; i++)
        overbook(&b, 250);
    get_slots(&b, b.job, "from=2027-04-06&days=2&notice_minutes=0", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(reason_of(r.json, 0), "all_busy");
    ck_assert_str_eq(reason_of(r.json, 1), "ok");
    ck_assert_ptr_null(first_on(json_object_get(r.json, "slots"),
                                "2027-04-06"));
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

START_TEST(a_day_off_offers_no_slot_and_plans_nothing)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];

    berlin_open(&b);
    snprintf(path, sizeof path, "/api/v1/technicians/%lld",
             (long long)b.tech);
    e2e_send(&b.mgr, "PATCH", path,
             json_pack("{s:[{s:s, s:s, s:s}]}", "time_off", "first_day",
                       "2027-04-13", "last_day", "2027-04-14", "reason",
                       "training"), &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
                         json_object_get(r.json, "time_off"), 0), "reason")),
                     "training");
    e2e_reply_release(&r);
    e2e_send(&b.mgr, "PATCH", path,
             json_pack("{s:[{s:s, s:s}]}", "time_off", "first_day",
                       "2027-04-14", "last_day", "2027-04-13"), &r);
    e2e_expect_error(&r, 400, "invalid_time_off", "time_off[0].last_day");
    get_slots(&b, b.job, "from=2027-04-12&days=4&notice_minutes=0", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(reason_of(r.json, 0), "ok");
    ck_assert_str_eq(reason_of(r.json, 1), "no_skilled_technician");
    ck_assert_str_eq(reason_of(r.json, 2), "no_skilled_technician");
    ck_assert_str_eq(reason_of(r.json, 3), "ok");
    /* and the day's plan has him off shift */
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/candidates?date=2027-04-13",
             (long long)b.job);
    e2e_reply_release(&r);
    e2e_get(&b.desk, path, &r);
    e2e_expect_status(&r, 200);
    {
        const json_t *c, *jonas = NULL;
        size_t i;
        json_array_foreach(json_object_get(r.json, "candidates"), i, c)
            if (json_integer_value(json_object_get(c, "technician_id")) ==
                b.tech)
                jonas = c;
        ck_assert_ptr_nonnull(jonas);
        ck_assert_str_eq(json_string_value(json_object_get(jonas, "message")),
                         "not on shift on 2027-04-13");
    }
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

START_TEST(empty_days_say_why)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;

    berlin_open(&b);
    get_slots(&b, b.job, "from=2026-01-05&days=1", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(reason_of(r.json, 0), "too_soon");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "slots")), 0);
    get_slots(&b, b.unskilled_job, "from=2027-03-26&days=2", &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(reason_of(r.json, 0), "no_skilled_technician");
    ck_assert_str_eq(reason_of(r.json, 1), "no_skilled_technician");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "slots")), 0);

    get_slots(&b, b.job, "days=0", &r);
    e2e_expect_error(&r, 400, "out_of_range", "days");
    get_slots(&b, b.job, "from=2027-02-30", &r);
    e2e_expect_error(&r, 400, "invalid_type", "from");
    get_slots(&b, b.job, "window=5", &r);
    e2e_expect_error(&r, 400, "unknown_field", "window");
    get_slots(&b, 999999, "days=1", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

START_TEST(a_booking_link_shows_the_job_and_its_slots)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char token[64], wrong[64], message[256], path[64];
    const json_t *job, *slot;
    int64_t id;

    berlin_open(&b);
    make_link(&b, &id, token, sizeof token);
    public_get(token, &r);
    e2e_expect_status(&r, 200);
    job = json_object_get(r.json, "job");
    ck_assert_str_eq(json_string_value(json_object_get(job, "kind")),
                     "maintenance");
    ck_assert_str_eq(json_string_value(json_object_get(job,
                                                       "customer_name")),
                     "Spree Kiosk");
    ck_assert_ptr_null(json_object_get(job, "id"));
    ck_assert_ptr_null(json_object_get(r.json, "job_id"));
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "days")), 14);
    ck_assert_uint_gt(json_array_size(json_object_get(r.json, "slots")), 0);
    slot = json_array_get(json_object_get(r.json, "slots"), 0);
    ck_assert_uint_eq(json_object_size(slot), 2); /* start and end only */

    /* wrong, malformed and revoked tokens: one answer */
    snprintf(wrong, sizeof wrong, "%s", token);
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    public_get(wrong, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    snprintf(message, sizeof message, "%s", error_message(&r));
    public_get("abc", &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    ck_assert_str_eq(error_message(&r), message);
    snprintf(path, sizeof path, "/api/v1/booking-links/%lld", (long long)id);
    e2e_reply_release(&r);
    e2e_send(&b.desk, "DELETE", path, NULL, &r);
    e2e_expect_status(&r, 204);
    public_get(token, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    ck_assert_str_eq(error_message(&r), message);
    e2e_reply_release(&r);
    e2e_send(&b.desk, "DELETE", path, NULL, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

START_TEST(public_routes_are_rate_limited_per_address)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char retry[16];

    for (int i = 0; i < 3; i++) {
        public_get("not-a-token", &r);
        e2e_expect_error(&r, 404, "not_found", NULL);
    }
    public_get("not-a-token", &r);
    e2e_expect_error(&r, 429, "rate_limited", NULL);
    ck_assert_int_eq(e2e_header(&r, "Retry-After", retry, sizeof retry), 0);
    ck_assert_int_gt(atoi(retry), 0);
    e2e_reply_release(&r);
}
END_TEST

START_TEST(confirming_a_slot_books_the_job)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char token[64], start[32], path[64], ctype[64], dtstart[40];
    int64_t job;

    berlin_open(&b);
    job = linked_job(&b, 60, token, sizeof token);
    public_get(token, &r);
    e2e_expect_status(&r, 200);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "job"), "status")),
                     "slots_offered");
    snprintf(start, sizeof start, "%s",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(r.json, "slots"), 0),
                 "start")));
    /* DTSTART:YYYYMMDDTHHMMSSZ of the window's start */
    snprintf(dtstart, sizeof dtstart, "DTSTART:%.4s%.2s%.2sT%.2s%.2s%.2sZ\r\n",
             start, start + 5, start + 8, start + 11, start + 14, start + 17);
    ck_assert_int_eq(public_confirm(token, "2020-01-01T08:00:00Z", &r), 409);
    e2e_expect_error(&r, 409, "slot_taken", "start");
    public_ics(token, &r);
    e2e_expect_error(&r, 409, "not_booked", NULL);
    ck_assert_int_eq(public_confirm(token, start, &r), 200);
    /* booked, its (no) parts reserved, and Jonas assigned */
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "assigned");
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "window_start")),
                     start);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)job);
    e2e_reply_release(&r);
    e2e_get(&b.desk, path, &r);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "assigned");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json,
                                                        "technician_id")),
                     b.tech);
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "window_start")),
                     start);
    /* confirming again changes nothing */
    ck_assert_int_eq(public_confirm(token, start, &r), 409);
    /* the confirmed window, for the customer's calendar */
    public_ics(token, &r);
    e2e_expect_status(&r, 200);
    ck_assert_int_eq(e2e_header(&r, "Content-Type", ctype, sizeof ctype), 0);
    ck_assert_str_eq(ctype, "text/calendar; charset=utf-8");
    ck_assert_int_eq(strncmp(r.body, "BEGIN:VCALENDAR\r\n", 17), 0);
    ck_assert_ptr_nonnull(strstr(r.body, dtstart));

    /* reschedule to the next window, then cancel */
    public_get(token, &r);
    snprintf(start, sizeof start, "%s",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(r.json, "slots"), 1),
                 "start")));
    ck_assert_int_eq(public_change(token, "reschedule", start, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "window_start")),
                     start);
    ck_assert_int_eq(public_change(token, "reschedule",
                                   "2020-01-01T08:00:00Z", &r), 409);
    e2e_expect_error(&r, 409, "slot_taken", "start");
    e2e_reply_release(&r);
    e2e_get(&b.desk, path, &r);
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "window_start")),
                     start); /* the refused move left the booking */
    ck_assert_int_eq(public_change(token, "cancel", NULL, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "cancelled");
    e2e_reply_release(&r);
    e2e_get(&b.desk, path, &r);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "cancelled");
    public_ics(token, &r);
    e2e_expect_error(&r, 409, "not_booked", NULL);
    ck_assert_int_eq(public_change(token, "cancel", NULL, &r), 409);
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

#define RACERS 100

struct racer {
    pthread_t thread;
    char token[64];
    const char *start;
    long status;
    char code[40];
};

static void *race(void *arg)
{
    struct racer *x = arg;
    struct e2e_reply r = E2E_REPLY_INIT;
    const char *code;

    x->status = public_confirm(x->token, x->start, &r);
    code = e2e_error_code(&r);
    snprintf(x->code, sizeof x->code, "%s", code ? code : "");
    e2e_reply_release(&r);
    return NULL;
}

START_TEST(one_last_window_is_booked_once)
{
    static struct racer racers[RACERS];
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char start[32];
    int ok = 0, taken = 0;

    berlin_open(&b);
    /* four-hour jobs: Jonas can take one per morning window */
    for (int i = 0; i < RACERS; i++)
        linked_job(&b, 240, racers[i].token, sizeof racers[i].token);
    public_get(racers[0].token, &r);
    e2e_expect_status(&r, 200);
    snprintf(start, sizeof start, "%s",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(r.json, "slots"), 0),
                 "start")));
    e2e_reply_release(&r);
    for (int i = 0; i < RACERS; i++) {
        racers[i].start = start;
        ck_assert_int_eq(pthread_create(&racers[i].thread, NULL, race,
                                        &racers[i]), 0);
    }
    for (int i = 0; i < RACERS; i++) {
        pthread_join(racers[i].thread, NULL);
        ok += racers[i].status == 200;
        taken += racers[i].status == 409 &&
                 strcmp(racers[i].code, "slot_taken") == 0;
    }
    ck_assert_int_eq(ok, 1);
    ck_assert_int_eq(taken, RACERS - 1);
    berlin_close(&b);
}
END_TEST

/* Age link id two hours, past its expiry, in the server's own database,
 * as the clock would (the server reads expiry at every request). */
static void expire_link(int64_t id)
{
    char sql[200];

    snprintf(sql, sizeof sql,
             "UPDATE booking_links SET created_at = created_at - 7200,"
             " expires_at = created_at - 7199 WHERE id = %lld",
             (long long)id);
    db_exec(sql);
}

START_TEST(an_expired_link_is_the_same_404)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char token[64], message[256];
    int64_t id;

    berlin_open(&b);
    make_link(&b, &id, token, sizeof token);
    public_get("abc", &r);
    snprintf(message, sizeof message, "%s", error_message(&r));
    public_get(token, &r);
    e2e_expect_status(&r, 200);
    expire_link(id);
    public_get(token, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    ck_assert_str_eq(error_message(&r), message);
    ck_assert_int_eq(public_confirm(token, "2030-01-01T08:00:00Z", &r), 404);
    ck_assert_str_eq(error_message(&r), message);
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

static void setup_open_limit(void)
{
    static const char *const args[] = {"--public-limit", "100000", NULL};

    e2e_setup_with(args);
}

static void setup_strict_limit(void)
{
    static const char *const args[] = {"--public-limit", "3", NULL};

    e2e_setup_with(args);
}

Suite *e2e_slots_suite(void)
{
    Suite *s = suite_create("e2e_slots");
    TCase *tc = tcase_create("slots");

    /* every active technician counts, so this suite has its own server */
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, local_windows_keep_their_hours_across_dst);
    tcase_add_test(tc, empty_days_say_why);
    tcase_add_test(tc, an_overbooked_day_offers_no_slot);
    tcase_add_test(tc, a_day_off_offers_no_slot_and_plans_nothing);
    tcase_add_test(tc, a_booking_link_shows_the_job_and_its_slots);
    suite_add_tcase(s, tc);
    tc = tcase_create("booking");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, setup_open_limit, e2e_teardown);
    tcase_add_test(tc, confirming_a_slot_books_the_job);
    tcase_add_test(tc, one_last_window_is_booked_once);
    tcase_add_test(tc, an_expired_link_is_the_same_404);
    suite_add_tcase(s, tc);
    tc = tcase_create("rate");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup_strict_limit, e2e_teardown);
    tcase_add_test(tc, public_routes_are_rate_limited_per_address);
    suite_add_tcase(s, tc);
    return s;
}
