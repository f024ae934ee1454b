/*
 * e2e_public.c - the rest of what a customer does with nothing but a
 * link, against the real server: holding a window for ten minutes (other
 * customers no longer see it, the holder still books it, and it lapses by
 * itself), and reading and answering a quote through a quote link.  No
 * token ever reaches the server's log.
 */
#include "berlin.h"
#include "fixture.h"
#include "paths.h"
#include "quotes.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The start of the i-th slot token's link offers now (caller's buffer). */
static void slot_start(const char *token, size_t i, char *out, size_t n)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    const char *s;

    public_get(token, &r);
    e2e_expect_status(&r, 200);
    s = json_string_value(json_object_get(
        json_array_get(json_object_get(r.json, "slots"), i), "start"));
    ck_assert_ptr_nonnull(s);
    snprintf(out, n, "%s", s);
    e2e_reply_release(&r);
}

START_TEST(a_hold_keeps_a_window_for_its_customer)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char mine[64], theirs[64], third[64], start[32], other[32];
    char held_until[32];

    berlin_open(&b);
    /* four-hour jobs: Jonas can take one per morning */
    linked_job(&b, 240, mine, sizeof mine);
    linked_job(&b, 240, theirs, sizeof theirs);
    linked_job(&b, 240, third, sizeof third);
    slot_start(mine, 0, start, sizeof start);
    slot_start(theirs, 0, other, sizeof other);
    ck_assert_str_eq(other, start);

    ck_assert_int_eq(public_change(mine, "hold", start, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "window_start")),
                     start);
    snprintf(held_until, sizeof held_until, "%s",
             json_string_value(json_object_get(r.json, "held_until")));
    ck_assert_uint_eq(strlen(held_until), 20);
    /* the others no longer see that window, nor can they take it */
    slot_start(theirs, 0, other, sizeof other);
    ck_assert_str_ne(other, start);
    ck_assert_int_eq(public_confirm(theirs, start, &r), 409);
    e2e_expect_error(&r, 409, "slot_taken", "start");
    ck_assert_int_eq(public_change(theirs, "hold", start, &r), 409);
    e2e_expect_error(&r, 409, "slot_taken", "start");
    /* the holder still does, and holding again just renews it */
    slot_start(mine, 0, other, sizeof other);
    ck_assert_str_eq(other, start);
    ck_assert_int_eq(public_change(mine, "hold", start, &r), 200);
    ck_assert_int_eq(public_confirm(mine, start, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "assigned");
    /* a booked job's hold went with the booking; the time is the
     * appointment's now */
    ck_assert_int_eq(public_change(theirs, "hold", start, &r), 409);
    e2e_expect_error(&r, 409, "slot_taken", "start");

    /* a hold nobody confirms lapses by itself */
    slot_start(theirs, 0, start, sizeof start);
    ck_assert_int_eq(public_change(theirs, "hold", start, &r), 200);
    slot_start(third, 0, other, sizeof other);
    ck_assert_str_ne(other, start);
    db_exec("UPDATE slot_holds SET created_at = created_at - 601,"
            " held_until = held_until - 601");
    slot_start(third, 0, other, sizeof other);
    ck_assert_str_eq(other, start);
    ck_assert_int_eq(public_confirm(third, start, &r), 200);

    /* refusals */
    ck_assert_int_eq(public_change(theirs, "hold", "2020-01-01T08:00:00Z",
                                   &r), 409);
    e2e_expect_error(&r, 409, "slot_taken", "start");
    ck_assert_int_eq(public_change(theirs, "hold", NULL, &r), 400);
    e2e_expect_error(&r, 400, "missing_field", "start");
    ck_assert_int_eq(public_change(theirs, "cancel", NULL, &r), 200);
    ck_assert_int_eq(public_change(theirs, "hold", start, &r), 409);
    e2e_expect_error(&r, 409, "not_bookable", NULL);
    ck_assert_int_eq(public_change("no-such-token", "hold", start, &r), 404);
    e2e_reply_release(&r);
    berlin_close(&b);
}
END_TEST

void quote_link(struct path *p, char *token, size_t n)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];
    const char *url;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/booking-link",
             (long long)p->job);
    e2e_send(&p->desk, "POST", path, json_pack("{s:s}", "purpose", "quote"),
             &r);
    e2e_expect_status(&r, 201);
    url = json_string_value(json_object_get(r.json, "url"));
    ck_assert_int_eq(strncmp(url, "/quote/", 7), 0);
    snprintf(token, n, "%s", url + 7);
    e2e_reply_release(&r);
}

long public_quote(const char *token, json_t *body, struct e2e_reply *r)
{
    struct e2e_client anon;
    char path[120];
    long status;

    e2e_client_init(&anon, e2e_srv.base);
    snprintf(path, sizeof path, "/api/v1/public/quotes/%s", token);
    e2e_reply_release(r);
    status = body ? e2e_send(&anon, "POST", path, body, r)
                  : e2e_get(&anon, path, r);
    e2e_client_release(&anon);
    return status;
}

static json_int_t quote_figure(const struct e2e_reply *r, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(r->json,
                                                              "quote"),
                                              key));
}

/* The last entry of p's job's timeline (caller owns). */
static json_t *last_event(struct path *p)
{
    json_t *t = path_get(&p->desk, "/api/v1/jobs/%lld/timeline", p->job);
    json_t *items = json_object_get(t, "items");
    json_t *last = json_incref(json_array_get(items,
                                              json_array_size(items) - 1));

    json_decref(t);
    return last;
}

START_TEST(a_quote_link_shows_the_quote_and_takes_the_answer)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    struct path p;
    char token[64], message[256];
    const json_t *line;
    json_t *ev;

    path_setup(&p, "regular", 900, 3, 0);
    quote_link(&p, token, sizeof token);
    ck_assert_int_eq(public_quote(token, NULL, &r), 409);
    e2e_expect_error(&r, 409, "no_quote", NULL);
    path_to_site(&p);
    path_issue_quote(&p);

    ck_assert_int_eq(public_quote(token, NULL, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "job"), "status")),
                     "quoted");
    ck_assert_ptr_null(json_object_get(json_object_get(r.json, "job"),
                                       "job_id"));
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "quote"), "status")),
                     "pending");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "quote"), "currency")),
                     "EUR");
    line = json_array_get(json_object_get(json_object_get(r.json, "quote"),
                                          "lines"),
                          1);
    ck_assert_str_eq(json_string_value(json_object_get(line, "kind")),
                     "labour");
    ck_assert_int_eq(json_integer_value(json_object_get(line,
                                                        "amount_minor")),
                     12000);
    ck_assert_int_eq(quote_figure(&r, "parts_minor"), 32000);
    ck_assert_int_eq(quote_figure(&r, "labour_minor"), 12000);
    ck_assert_int_eq(quote_figure(&r, "callout_minor"), 5000);
    ck_assert_int_eq(quote_figure(&r, "total_minor"), 49000);

    /* a quote token is no booking token, and the other way round */
    public_get(token, &r);
    e2e_expect_error(&r, 404, "not_found", NULL);
    snprintf(message, sizeof message, "%s", error_message(&r));
    ck_assert_int_eq(public_quote("abc", NULL, &r), 404);
    ck_assert_str_eq(error_message(&r), message);

    ck_assert_int_eq(public_quote(token, json_pack("{s:s}", "decision",
                                                   "maybe"),
                                  &r),
                     400);
    e2e_expect_error(&r, 400, "invalid_choice", "decision");
    ck_assert_int_eq(public_quote(token, json_object(), &r), 400);
    e2e_expect_error(&r, 400, "missing_field", "decision");
    ck_assert_int_eq(public_quote(token, json_pack("{s:s, s:s}", "decision",
                                                   "approve", "note",
                                                   "go ahead, please"),
                                  &r),
                     200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "quote_approved");
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "quote_status")),
                     "approved");
    ev = last_event(&p);
    ck_assert_str_eq(json_string_value(json_object_get(ev, "action")),
                     "approve_quote");
    ck_assert_str_eq(json_string_value(json_object_get(ev, "actor")),
                     "customer");
    ck_assert_str_eq(json_string_value(json_object_get(ev, "reason")),
                     "go ahead, please");
    json_decref(ev);
    /* answered once only */
    ck_assert_int_eq(public_quote(token, json_pack("{s:s}", "decision",
                                                   "decline"),
                                  &r),
                     409);
    ck_assert_int_eq(public_quote(token, NULL, &r), 200);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(r.json, "quote"), "status")),
                     "approved");
    e2e_reply_release(&r);
    path_release(&p);
}
END_TEST

START_TEST(a_declined_quote_leaves_the_unit_unrepaired)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    struct path p;
    char token[64];
    json_t *ev;

    path_setup(&p, "regular", 900, 3, 0);
    path_to_site(&p);
    path_issue_quote(&p);
    quote_link(&p, token, sizeof token);
    ck_assert_int_eq(public_quote(token, json_pack("{s:s}", "decision",
                                                   "decline"),
                                  &r),
                     200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
                     "quote_declined");
    ck_assert_str_eq(json_string_value(json_object_get(r.json,
                                                       "quote_status")),
                     "declined");
    ev = last_event(&p);
    ck_assert_str_eq(json_string_value(json_object_get(ev, "reason")),
                     "declined through the customer's link");
    json_decref(ev);
    e2e_reply_release(&r);
    path_release(&p);
}
END_TEST

/* The server's log holds none of the tokens this test case used. */
START_TEST(no_token_reaches_the_log)
{
    struct berlin b;
    struct e2e_reply r = E2E_REPLY_INIT;
    char token[64], start[32], path[400], *log;

    berlin_open(&b);
    linked_job(&b, 60, token, sizeof token);
    slot_start(token, 0, start, sizeof start);
    public_change(token, "hold", start, &r);
    public_confirm(token, start, &r);
    public_ics(token, &r);
    snprintf(path, sizeof path, "/book/%s", token);
    anon_get(path, &r);
    e2e_expect_status(&r, 200);
    public_change(token, "cancel", NULL, &r);
    e2e_expect_status(&r, 200);
    e2e_reply_release(&r);

    log = e2e_server_log();
    ck_assert_ptr_nonnull(strstr(log, "/api/v1/public/bookings/{token}"));
    ck_assert_ptr_null(strstr(log, token));
    free(log);
    berlin_close(&b);
}
END_TEST

static void setup_pages(void)
{
    static const char *const args[] = {"--public-limit", "100000", "--www",
                                       "server/www", "--log-level", "debug",
                                       NULL};

    e2e_setup_with(args);
}

Suite *e2e_public_suite(void)
{
    Suite *s = suite_create("e2e_public");
    TCase *tc = tcase_create("holds");

    /* every active technician counts, so holds have their own server */
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup_pages, e2e_teardown);
    tcase_add_test(tc, a_hold_keeps_a_window_for_its_customer);
    suite_add_tcase(s, tc);
    tc = tcase_create("quotes");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, setup_pages, e2e_teardown);
    tcase_add_test(tc, a_quote_link_shows_the_quote_and_takes_the_answer);
    tcase_add_test(tc, a_declined_quote_leaves_the_unit_unrepaired);
    tcase_add_test(tc, no_token_reaches_the_log);
    suite_add_tcase(s, tc);
    return s;
}
