/*
 * test_board.c - the dispatcher's board from its rows (board.c): shifts
 * become instants through the technician's zone on both sides of a
 * daylight-saving change, a lane's visits are planned in window order one
 * after the other with the drive between them and add up to its load, a
 * visit or a queued job joins only the day it meets locally, and a bad
 * date is refused.
 */
#include "board/board.h"
#include "testutil.h"

#include <check.h>
#include <string.h>

/* Monday 2027-03-29, the first working day of Berlin's summer time. */
#define SUMMER_DAY "2027-03-29"
#define SUMMER 1806278400 /* 2027-03-29T00:00:00Z */
#define H 3600

/* One Berlin technician working 08:00-17:00, the rows of store_board.c. */
static json_t *rows_with(json_t *jobs)
{
    return json_pack(
        "{s:i, s:[{s:i, s:s, s:s, s:i, s:f, s:f}],"
        " s:[{s:i, s:s, s:s, s:i}], s:[{s:i, s:i, s:i}], s:o,"
        " s:[{s:i, s:s, s:i}]}",
        "seq", 42, "technicians", "id", 7, "name", "Jonas", "timezone",
        "Europe/Berlin", "capacity_minutes", 480, "start_lat", 52.52,
        "start_lon", 13.40, "tech_skills", "technician_id", 7, "code",
        "boiler", "name", "Boilers", "level", 3, "shifts", "technician_id",
        7, "start_minute", 8 * 60, "end_minute", 17 * 60, "jobs", jobs,
        "job_skills", "job_id", 1, "code", "boiler", "min_level", 2);
}

/* A job row; technician 0 for none, window_start 0 for no window. */
static json_t *job(int id, int tech, int64_t window_start, int minutes,
                   const char *zone)
{
    json_t *j = json_pack(
        "{s:i, s:i, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:i, s:f, s:f,"
        " s:s}",
        "id", id, "version", 1, "status", tech ? "assigned" : "parts_reserved",
        "kind", "repair", "fault", "leaks", "priority", 2, "customer_name",
        "Spree Kiosk", "customer_timezone", zone, "duration_minutes", minutes,
        "pinned", 0, "lat", 52.52, "lon", 13.40, "sla_risk", "ok");

    json_object_set_new(j, "technician_id",
                        tech ? json_integer(tech) : json_null());
    json_object_set_new(j, "window_start", window_start
                                                ? json_integer(window_start)
                                                : json_null());
    json_object_set_new(j, "window_end", window_start
                                              ? json_integer(window_start +
                                                             2 * H)
                                              : json_null());
    json_object_set_new(j, "sla_due_at", json_null());
    return j;
}

static const json_t *find(const json_t *board, const char *key, int id)
{
    const json_t *v;
    size_t i;

    json_array_foreach(json_object_get(board, key), i, v)
        if (json_integer_value(json_object_get(v, "id")) == id)
            return v;
    return NULL;
}

static const char *text(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

START_TEST(shifts_follow_the_technicians_zone)
{
    struct err err = ERR_INIT;
    json_t *rows = rows_with(json_array());
    json_t *board = board_render(rows, SUMMER_DAY, &err);
    const json_t *lane = find(board, "technicians", 7);

    ck_assert_ptr_nonnull(lane);
    ck_assert_str_eq(text(lane, "shift_start"), "2027-03-29T06:00:00Z");
    ck_assert_str_eq(text(lane, "shift_end"), "2027-03-29T15:00:00Z");
    ck_assert_int_eq(json_integer_value(json_object_get(board, "seq")), 42);
    json_decref(board);
    board = board_render(rows, "2027-03-26", &err); /* still winter */
    ck_assert_str_eq(text(find(board, "technicians", 7), "shift_start"),
                     "2027-03-26T07:00:00Z");
    json_decref(board);
    json_decref(rows);
}
END_TEST

START_TEST(visits_follow_each_other_and_add_up)
{
    struct err err = ERR_INIT;
    /* two 60-minute visits in the same 08:00-10:00 window, at the
     * technician's own start: no drive, one after the other */
    json_t *rows = rows_with(json_pack("[o, o, o]",
                                       job(2, 7, SUMMER + 6 * H, 60, "UTC"),
                                       job(1, 7, SUMMER + 6 * H, 60, "UTC"),
                                       job(3, 7, SUMMER + 12 * H, 90, "UTC")));
    json_t *board = board_render(rows, SUMMER_DAY, &err);
    const json_t *lane = find(board, "technicians", 7);

    ck_assert_int_eq(json_integer_value(json_object_get(lane,
                                                        "load_minutes")),
                     210);
    ck_assert_str_eq(text(find(board, "jobs", 1), "start"),
                     "2027-03-29T06:00:00Z");
    ck_assert_str_eq(text(find(board, "jobs", 2), "start"),
                     "2027-03-29T07:00:00Z");
    ck_assert_str_eq(text(find(board, "jobs", 3), "start"),
                     "2027-03-29T12:00:00Z");
    ck_assert_int_eq(json_integer_value(json_object_get(find(board, "jobs",
                                                             2),
                                                        "travel_minutes")),
                     0);
    ck_assert_str_eq(text(json_array_get(json_object_get(
                                             find(board, "jobs", 1),
                                             "required_skills"),
                                         0),
                          "code"),
                     "boiler");
    json_decref(board);
    json_decref(rows);
}
END_TEST

START_TEST(a_drive_delays_the_next_visit)
{
    struct err err = ERR_INIT;
    json_t *far = job(5, 7, SUMMER + 6 * H, 60, "UTC");
    json_t *rows, *board;
    int64_t drive;

    json_object_set_new(far, "lat", json_real(52.70)); /* 20 km north */
    rows = rows_with(json_pack("[o]", far));
    board = board_render(rows, SUMMER_DAY, &err);
    drive = json_integer_value(json_object_get(find(board, "jobs", 5),
                                               "travel_minutes"));
    /* 0.18 degrees of latitude (20.0 km) x 1.3 at 40 km/h: 39 minutes
     * and a little, shown rounded up */
    ck_assert_int_eq(drive, 40);
    /* the shift starts at 06:00Z, so the arrival is the drive later */
    ck_assert_int_eq(strncmp(text(find(board, "jobs", 5), "start"),
                             "2027-03-29T06:39:", 17),
                     0);
    json_decref(board);
    json_decref(rows);
}
END_TEST

START_TEST(only_the_days_jobs_are_shown)
{
    struct err err = ERR_INIT;
    json_t *rows = rows_with(json_pack(
        "[o, o, o, o]", job(1, 7, SUMMER - 20 * H, 60, "UTC"),
        job(2, 0, SUMMER + 16 * H, 60, "Asia/Shanghai"),
        job(3, 0, 0, 60, "UTC"),
        job(4, 0, SUMMER - 7 * H, 60, "Asia/Shanghai")));
    json_t *board = board_render(rows, SUMMER_DAY, &err);

    ck_assert_ptr_null(find(board, "jobs", 1)); /* Berlin's day before */
    /* 16:00Z is midnight in Shanghai: the next local day */
    ck_assert_ptr_null(find(board, "jobs", 2));
    ck_assert_ptr_nonnull(find(board, "jobs", 3)); /* no window: queued */
    /* 17:00Z the day before is 01:00 on the 29th in Shanghai */
    ck_assert_ptr_nonnull(find(board, "jobs", 4));
    ck_assert(json_is_null(json_object_get(find(board, "jobs", 3),
                                           "travel_minutes")));
    ck_assert_int_eq(json_integer_value(json_object_get(
                         find(board, "technicians", 7), "load_minutes")),
                     0);
    json_decref(board);
    json_decref(rows);
}
END_TEST

START_TEST(a_bad_date_is_refused)
{
    struct err err = ERR_INIT;
    json_t *rows = rows_with(json_array());
    int64_t lo, hi;

    ck_assert_ptr_null(board_render(rows, "2027-02-30", &err));
    ck_assert_str_eq(err.code, "invalid_date");
    board_span(0, &lo, &hi);
    ck_assert_int_eq(lo, -14 * H);
    ck_assert_int_eq(hi, 24 * H + 12 * H);
    json_decref(rows);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("board");
    TCase *tc = tcase_create("render");

    tcase_add_test(tc, shifts_follow_the_technicians_zone);
    tcase_add_test(tc, visits_follow_each_other_and_add_up);
    tcase_add_test(tc, a_drive_delays_the_next_visit);
    tcase_add_test(tc, only_the_days_jobs_are_shown);
    tcase_add_test(tc, a_bad_date_is_refused);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
