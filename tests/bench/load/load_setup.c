/*
 * load_setup.c - the busy hour's data, made before anything is timed:
 * the staff sessions (manager and dispatcher logins), technicians with
 * their shifts and today's jobs assigned, the dispatchers' queue of ready
 * unassigned jobs, the customers' booking links, and every device enrolled
 * and synced once through the SDK.  Each step is for one index so that
 * parallel() can run it on several threads; a step that fails says why on
 * stderr and sets setup_failed, it never exits.
 */
#include "load.h"

#include "fsd_client.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const SKILLS[] = {"hvac", "appliance", "electrical",
                                     "refrigeration", "dental"};

volatile int setup_failed;
struct sess mgr, desk[MAX_DISPATCHERS + 1];
char date[11];
int ntech, nqueue;
int64_t *tech_id, *tech_job, *queue_job;
char (*token)[64];

/* POST (setup's session unless s) expecting want: the reply, or NULL and
 * setup fails.  Takes body. */
static json_t *post(struct sess *s, long want, json_t *body,
                    const char *fmt, ...)
{
    char path[200], *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    va_list ap;
    double t;
    long st;
    json_t *r;

    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    st = call(NULL, s ? s : &desk[opt.dispatchers], "POST", path, text, NULL,
              &t);
    if (!(r = st == want ? json_loads(reply.p, 0, NULL) : NULL)) {
        fprintf(stderr, "bench_load: setup: POST %s: HTTP %ld %.300s\n",
                path, st, reply.p);
        setup_failed = 1;
    }
    free(text);
    json_decref(body);
    return r;
}

static long long id_of(json_t *r)
{
    long long id = json_integer_value(json_object_get(r, "id"));

    json_decref(r);
    return id;
}

static int ok(json_t *r)
{
    json_decref(r);
    return r != NULL;
}

/* A new customer's job of today, a 2-hour window from hour (none when
 * < 0); ready (booked, parts reserved: assignable) if asked. */
static long long job(int hour, int dur, int skill, int ready)
{
    long long cust = id_of(post(NULL, 201, json_pack(
        "{s:s, s:f, s:f}", "name", "busy hour", "lat", uniform(31.1, 31.3),
        "lon", uniform(121.3, 121.5)), "/api/v1/customers")), id;
    json_t *b = json_pack("{s:I, s:s, s:s, s:i, s:[{s:s, s:i}]}",
                          "customer_id", (json_int_t)cust, "kind", "repair",
                          "fault", "busy hour", "duration_minutes", dur,
                          "required_skills", "skill", SKILLS[skill % 5],
                          "level", 1);
    char w[2][32];

    for (int k = 0; k < 2 && hour >= 0; k++) {
        snprintf(w[k], sizeof w[k], "%sT%02d:00:00Z", date, hour + 2 * k);
        json_object_set_new(b, k ? "window_end" : "window_start",
                            json_string(w[k]));
    }
    id = cust ? id_of(post(NULL, 201, b, "/api/v1/jobs")) : (json_decref(b), 0);
    /* booking reserves the parts; the customer accepted any call-out fee */
    if (id && ready &&
        !ok(post(NULL, 200,
                 json_pack("{s:s, s:b}", "event", "book", "accept_callout", 1),
                 EVENTS, id)))
        id = 0;
    return id;
}

/* Setup steps, each for one i; each sets setup_failed when it fails. */
void setup_login(int i)
{
    struct sess *s = i ? &desk[i - 1] : &mgr;
    json_t *r = post(s, 200, json_pack("{s:s, s:s}", "username",
                                       i ? "dispatcher" : "manager",
                                       "password", "dispatch-demo-2026"),
                     "/api/v1/login");

    snprintf(s->csrf, sizeof s->csrf, "%s",
             r ? json_string_value(json_object_get(r, "csrf_token")) : "");
    setup_failed |= !ok(r) || !s->cookie[0];
}

/* Technician i (UTC, 07:00-19:00 daily) and its jobs, assigned. */
void setup_tech(int i)
{
    json_t *shifts = json_array();
    char name[40];

    for (int d = 0; d < 7; d++)
        json_array_append_new(shifts, json_pack("{s:i, s:s, s:s}", "weekday",
                                                d, "start", "07:00", "end",
                                                "19:00"));
    snprintf(name, sizeof name, "Load Tech %d", i + 1);
    tech_id[i] = id_of(post(
        &mgr, 201,
        json_pack("{s:s, s:s, s:i, s:f, s:f, s:o, s:[{s:s, s:i}, {s:s, s:i}]}",
                  "name", name, "timezone", "UTC", "capacity_minutes", 600,
                  "start_lat", 31.1 + (i % 10) * 0.02, "start_lon",
                  121.3 + (i / 10 % 10) * 0.02, "shifts", shifts, "skills",
                  "skill", SKILLS[i % 5], "level", 3, "skill",
                  SKILLS[(i + 2) % 5], "level", 2),
        "/api/v1/technicians"));
    for (int j = 0; j < JOBS_PER_TECH && tech_id[i] && !setup_failed; j++) {
        long long id = tech_job[i * JOBS_PER_TECH + j] =
            job(8 + 3 * j, 45, i, 1);
        ok(id ? post(NULL, 200, json_pack("{s:s, s:I}", "event", "assign",
                                          "technician_id",
                                          (json_int_t)tech_id[i]),
                     EVENTS, id)
              : NULL);
    }
}

void setup_queue(int q)
{
    queue_job[q] = job(8 + q % 9, 30, q, 1);
}

/* A booking customer: a new job and its link, /book/<token>. */
void setup_customer(int i)
{
    long long id = job(-1, 60, i, 0);
    json_t *r = id ? post(NULL, 201, json_object(),
                          "/api/v1/jobs/%lld/booking-link", id)
                   : NULL;

    snprintf(token[i], sizeof token[i], "%s",
             r ? json_string_value(json_object_get(r, "url")) + 6 : "");
    ok(r);
}

void store_path(int i, char *path, size_t len)
{
    snprintf(path, len, "%s/device-%d.db", opt.dir, i);
}

/* Device i, of technician i % ntech: enrolled and synced once. */
void setup_device(int i)
{
    char store[600], err[200] = "";
    fsd_client *c = NULL;
    json_t *r = post(NULL, 201, NULL,
                     "/api/v1/technicians/%lld/enrollment-codes",
                     (long long)tech_id[i % ntech]);

    store_path(i, store, sizeof store);
    unlink(store);
    if (r && (fsd_open(store, &c, err, sizeof err) ||
              fsd_enroll(c, opt.url,
                         json_string_value(json_object_get(r, "code")),
                         "busy hour") ||
              fsd_sync(c, NULL))) {
        fprintf(stderr, "bench_load: device %d: %s\n", i,
                c ? fsd_last_error(c) : err);
        setup_failed = 1;
    }
    fsd_close(c);
    ok(r);
}
