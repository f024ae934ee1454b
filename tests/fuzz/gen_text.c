/*
 * gen_text.c - the text seeds (see gen_corpus.h): one table of JSON
 * bodies and query strings for fuzz_jparse, request paths for
 * fuzz_router, tokens and base64 for fuzz_token, RFC 3339 instants,
 * dates and times of day for fuzz_timefmt and zone names for fuzz_tz,
 * each behind the one or two header bytes that pick the target's mode.
 */
#include "gen_corpus.h"

#include <stdint.h>
#include <string.h>

struct text_seed {
    const char *target, *name;
    uint8_t h0, h1;
    int hlen;
    const char *text;
};

static const struct text_seed texts[] = {
    /* fuzz_jparse: resource, mode (0 create, 1 patch, 2 query) */
    {"jparse", "customer-create", 0, 0, 2,
     "{\"name\":\"Anna Schmidt\",\"phone\":\"+49 30 1234567\",\"email\":"
     "\"anna@example.org\",\"address\":\"Karl-Marx-Allee 90, 10243 Berlin\","
     "\"lat\":52.5176,\"lon\":13.4381,\"tier\":\"key_account\","
     "\"timezone\":\"Europe/Berlin\"}"},
    {"jparse", "customer-patch", 0, 1, 2,
     "{\"phone\":null,\"tier\":\"regular\",\"timezone\":\"America/New_York\"}"},
    {"jparse", "customer-query", 0, 2, 2, "tier=key_account"},
    {"jparse", "asset-create", 1, 0, 2,
     "{\"customer_id\":42,\"model\":\"WM-800\",\"serial\":\"SN-2024-00417\","
     "\"purchase_date\":\"2024-03-15\",\"warranty_months\":24,\"units\":1}"},
    {"jparse", "asset-query", 1, 2, 2, "customer_id=42"},
    {"jparse", "skill-create", 2, 0, 2,
     "{\"code\":\"wm\",\"name\":\"Washing machines\"}"},
    {"jparse", "technician-create", 3, 0, 2,
     "{\"name\":\"Jonas Weber\",\"phone\":\"+49 151 2345678\",\"start_lat\":"
     "52.52,\"start_lon\":13.405,\"capacity_minutes\":480,\"timezone\":"
     "\"Europe/Berlin\",\"active\":true,\"skills\":[{\"skill\":\"wm\","
     "\"level\":4},{\"skill\":\"dw\",\"level\":2}],\"shifts\":[{\"weekday\":1,"
     "\"start\":\"08:00\",\"end\":\"16:30\"},{\"weekday\":2,\"start\":"
     "\"08:00\",\"end\":\"24:00\"}]}"},
    {"jparse", "technician-query", 3, 2, 2, "active=true&skill=wm"},
    {"jparse", "part-create", 4, 0, 2,
     "{\"sku\":\"PUMP-WM8\",\"name\":\"Drain pump\",\"cost_minor\":4200,"
     "\"price_minor\":8900,\"needs_approval\":false,\"stock\":[{\"location\":"
     "\"van-3\",\"quantity\":2},{\"location\":\"depot\",\"quantity\":14}]}"},
    {"jparse", "part-query", 4, 2, 2, "needs_approval=false"},
    {"jparse", "job-create", 5, 0, 2,
     "{\"customer_id\":42,\"asset_id\":7,\"kind\":\"repair\",\"fault\":"
     "\"Drum does not turn, error E21\",\"priority\":2,\"duration_minutes\":"
     "90,\"sla_due_at\":\"2026-11-24T17:00:00+01:00\",\"window_start\":"
     "\"2026-11-23T09:00:00Z\",\"window_end\":\"2026-11-23T11:00:00.000Z\","
     "\"required_skills\":[{\"skill\":\"wm\",\"level\":3}],\"parts\":"
     "[{\"part_id\":12,\"quantity\":1}]}"},
    {"jparse", "job-patch", 5, 1, 2,
     "{\"version\":3,\"priority\":1,\"window_start\":null,\"fault\":"
     "\"Leaks \\u00fcber die T\\u00fcr\\n\\\"E21\\\"\"}"},
    {"jparse", "job-query", 5, 2, 2,
     "status=assigned&date=2026-11-23&technician_id=5&customer_id=42"},
    {"jparse", "sla-patch", 6, 1, 2,
     "{\"respond_minutes\":240,\"on_site_minutes\":1440}"},
    {"jparse", "user-patch", 7, 1, 2,
     "{\"role\":\"dispatcher\",\"active\":false}"},
    {"jparse", "user-query", 7, 2, 2, "role=manager&active=true"},
    {"jparse", "api-token-create", 8, 0, 2, "{\"name\":\"ERP export\"}"},
    {"jparse", "device-query", 9, 2, 2, "technician_id=3"},
    {"jparse", "event-assign", 10, 0, 2,
     "{\"event\":\"assign\",\"technician_id\":5,\"version\":3}"},
    {"jparse", "event-book", 10, 0, 2,
     "{\"event\":\"book\",\"window_start\":\"2026-11-23T09:00:00Z\","
     "\"window_end\":\"2026-11-23T11:00:00Z\"}"},
    {"jparse", "event-quote", 10, 1, 2,
     "{\"event\":\"issue_quote\",\"liquid\":true,\"lines\":[{\"kind\":\"part\","
     "\"description\":\"Drain pump\",\"quantity\":1,\"unit_price_minor\":8900},"
     "{\"kind\":\"callout\",\"description\":\"Call-out\",\"quantity\":1,"
     "\"unit_price_minor\":3500}],\"on_behalf_of\":\"technician\","
     "\"reason\":\"device battery dead, phoned in\"}"},
    {"jparse", "event-complete", 10, 0, 2,
     "{\"event\":\"complete_work\",\"notes\":\"Pump replaced\",\"parts_used\":"
     "[{\"part_id\":12,\"quantity\":1,\"serial\":\"P-88231\"}],\"labour\":"
     "[{\"description\":\"1 h\",\"quantity\":1,\"unit_price_minor\":6500}]}"},
    {"jparse", "event-follow-up", 10, 0, 2,
     "{\"event\":\"need_follow_up\",\"outcome\":\"parts_missing\",\"notes\":"
     "\"Bearing worn too\"}"},
    {"jparse", "event-parts-missing", 10, 0, 2,
     "{\"event\":\"parts_missing\",\"expected_on\":\"2026-11-30\"}"},
    {"jparse", "event-sign-off", 10, 1, 2,
     "{\"event\":\"sign_off\",\"customer_name\":\"Anna Schmidt\",\"signature\":"
     "\"iVBORw0KGgo=\",\"rating\":5,\"comment\":\"Quick and tidy\","
     "\"on_behalf_of\":\"customer\",\"reason\":\"signed on paper\"}"},
    {"jparse", "event-cancel", 10, 0, 2,
     "{\"event\":\"cancel\",\"reason\":\"customer moved away\"}"},
    /* fuzz_router: mode 0 a path; mode 1 is built from route indexes */
    {"router", "job", 0, 0, 1, "/api/v1/jobs/123"},
    {"router", "job-events", 0, 0, 1, "/api/v1/jobs/123/events"},
    {"router", "at-risk", 0, 0, 1, "/api/v1/jobs/at-risk"},
    {"router", "signature", 0, 0, 1,
     "/api/v1/jobs/77/sign-offs/3/signature"},
    {"router", "part-approve", 0, 0, 1, "/api/v1/jobs/77/parts/2/approve"},
    {"router", "booking", 0, 0, 1,
     "/api/v1/public/bookings/q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn-_A"},
    {"router", "ics", 0, 0, 1,
     "/book/q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn-_A/appointment.ics"},
    {"router", "static", 0, 0, 1, "/static/3f9a1c0d2b7e4a56/app.js"},
    {"router", "static-bad", 0, 0, 1, "/static/3f9a1c0d2b7e4a56/.htaccess"},
    {"router", "leading-zero", 0, 0, 1, "/api/v1/customers/007"},
    {"router", "trailing-slash", 0, 0, 1, "/api/v1/customers/"},
    {"router", "root", 0, 0, 1, "/"},
    {"router", "metrics", 0, 0, 1, "/metrics"},
    /* fuzz_token: mode 0 a token, 1 base64 (after a 16-bit limit), 2 csrf */
    {"token", "good", 0, 0, 1, "q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn-_A"},
    {"token", "short", 0, 0, 1, "q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn-_"},
    {"token", "std-alphabet", 0, 0, 1,
     "q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn+/A"},
    {"token", "b64-png", 1, 1, 3, "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
                                  "AAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
                                  "rkJggg=="},
    {"token", "b64-pad1", 1, 0, 3, "aGk="},
    {"token", "b64-pad2", 1, 0, 3, "aA=="},
    {"token", "b64-bad-bits", 1, 0, 3, "aB=="},
    {"token", "csrf", 2, 0, 1, "0123456789abcdef0123456789abcdef\x05\x01"},
    /* fuzz_timefmt: 0 RFC 3339, 1 date, 2 HH:MM */
    {"timefmt", "z", 0, 0, 1, "2026-11-23T09:30:00Z"},
    {"timefmt", "offset-frac", 0, 0, 1, "2026-03-29T02:30:00.123456+01:00"},
    {"timefmt", "lower", 0, 0, 1, "1999-12-31t23:59:59z"},
    {"timefmt", "leap", 0, 0, 1, "2024-02-29T12:00:00-09:30"},
    {"timefmt", "edge-low", 0, 0, 1, "1900-01-01T00:00:00+23:59"},
    {"timefmt", "edge-high", 0, 0, 1, "9999-12-31T23:59:59Z"},
    {"timefmt", "date", 1, 0, 1, "2026-11-23"},
    {"timefmt", "date-leap", 1, 0, 1, "2000-02-29"},
    {"timefmt", "date-bad", 1, 0, 1, "2100-02-29"},
    {"timefmt", "hhmm", 2, 0, 1, "08:30"},
    {"timefmt", "hhmm-24", 2, 0, 1, "24:00"},
    /* fuzz_tz: mode 2, zone names */
    {"tz", "name-berlin", 2, 0, 1, "Europe/Berlin"},
    {"tz", "name-gmt-plus", 2, 0, 1, "Etc/GMT+5"},
    {"tz", "name-dotdot", 2, 0, 1, "../../etc/passwd"},
    {"tz", "name-right", 2, 0, 1, "right/UTC"},
};

void gen_text_seeds(void)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const struct text_seed *t = &texts[i];
        char head[3] = {(char)t->h0, (char)t->h1, 0};

        if (strcmp(t->target, "token") == 0 && t->h0 == 1) {
            head[1] = 0x01, head[2] = 0x00; /* max 256 bytes */
            gen_put_text(t->target, t->name, head, 3, t->text);
        } else {
            gen_put_text(t->target, t->name, head, (size_t)t->hlen, t->text);
        }
    }
}
