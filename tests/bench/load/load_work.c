/*
 * load_work.c - the parties of the busy hour, one call each: a device's
 * sync through the SDK with 1-3 notes queued, a dispatcher's board page
 * (the board, polling the changes and re-fetching when out of date,
 * assigning a queue job to its first feasible candidate), and a customer
 * opening a booking link and confirming a window.  Timing, errors and
 * refusals go to their routes (req, record); when each runs is the
 * schedules' business (load_sched.c), what the figures say the report's.
 */
#include "load.h"

#include "fsd_client.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long notes_applied, failed_acks, bundles, max_bundles, no_candidate, booked,
    no_slots;
pthread_mutex_t *dev_mu;

/* Device i syncs with 1-3 notes queued on its technician's jobs. */
void device_sync(int i)
{
    char store[600], err[300] = "";
    fsd_client *c = NULL;
    struct fsd_sync_result res = {0, 0, 0, 0, 0, 0};
    int notes = 1 + (int)randombytes_uniform(3), rc = -1;
    double t = now_s();

    store_path(i, store, sizeof store);
    pthread_mutex_lock(&dev_mu[i]);
    if (fsd_open(store, &c, err, sizeof err) == FSD_OK) {
        fsd_set_retry(c, 1, 0);
        for (int k = 0; k < notes; k++)
            fsd_note(c, (uint64_t)tech_job[(i % ntech) * JOBS_PER_TECH +
                                           (int)randombytes_uniform(3)],
                     "busy hour note");
        t = now_s();
        if ((rc = fsd_sync(c, &res)))
            snprintf(err, sizeof err, "device %d: %s", i, fsd_last_error(c));
        else if (res.acked < notes || res.rejected || res.conflicts)
            snprintf(err, sizeof err, "device %d: %d of %d notes acked, %d"
                     " rejected, %d conflicts", i, res.acked, notes,
                     res.rejected, res.conflicts);
        fsd_close(c);
    }
    record(R_SYNC, now_s() - t, err[0] != 0, 0, err);
    pthread_mutex_unlock(&dev_mu[i]);
    pthread_mutex_lock(&mu);
    notes_applied += rc ? 0 : res.acked - res.rejected - res.conflicts;
    failed_acks += rc == 0 && err[0];
    bundles += res.bundles;
    max_bundles = res.bundles > max_bundles ? res.bundles : max_bundles;
    pthread_mutex_unlock(&mu);
}

/* GET the day's board into v. */
void board(CURL *h, struct sess *s, struct view *v)
{
    char path[64], key[24];
    json_t *b;
    const json_t *j;
    size_t i;

    snprintf(path, sizeof path, "/api/v1/board?date=%s", date);
    if (req(R_BOARD, h, s, "GET", path, NULL, NULL, NULL) ||
        !(b = json_loads(reply.p, 0, NULL)))
        return;
    v->seq = json_integer_value(json_object_get(b, "seq"));
    json_object_clear(v->versions);
    json_array_foreach(json_object_get(b, "jobs"), i, j) {
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(j, "id")));
        json_object_set(v->versions, key, json_object_get(j, "version"));
    }
    json_decref(b);
}

/* Does v show every {id, version} of changed at that version or later? */
static int shows_all(const struct view *v, const json_t *changed)
{
    const json_t *c, *have;
    char key[24];
    size_t i;

    json_array_foreach(changed, i, c) {
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(c, "id")));
        have = json_object_get(v->versions, key);
        if (!json_is_integer(json_object_get(c, "version")) || !have ||
            json_integer_value(have) <
                json_integer_value(json_object_get(c, "version")))
            return 0;
    }
    return 1;
}

/* Poll the changes after v's position as the page does: re-fetch the
 * board when it is out of date.  The delay to the next poll. */
double changes(CURL *h, struct sess *s, struct view *v)
{
    char path[80];
    json_t *r;
    int more;

    snprintf(path, sizeof path, "/api/v1/changes?after=%lld",
             (long long)v->seq);
    if (req(R_CHANGES, h, s, "GET", path, NULL, NULL, NULL) ||
        !(r = json_loads(reply.p, 0, NULL)))
        return 1.0;
    more = json_is_true(json_object_get(r, "more"));
    if (more || json_is_true(json_object_get(r, "others_changed")) ||
        !shows_all(v, json_object_get(r, "jobs")))
        board(h, s, v);
    else
        v->seq = json_integer_value(json_object_get(r, "seq"));
    json_decref(r);
    return more ? 0 : 1.0;
}

/* v as compact JSON text (caller frees); v is released. */
static char *json_text(json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT);

    json_decref(v);
    return text;
}

/* GET the job's candidates and assign it to the first feasible one. */
void assign_one(CURL *h, struct sess *s, long long job_id)
{
    char path[80], *body;
    long long tech = 0;
    json_t *r = NULL, *c;
    size_t i;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/candidates", job_id);
    if (!req(R_CAND, h, s, "GET", path, NULL, NULL, NULL))
        r = json_loads(reply.p, 0, NULL);
    json_array_foreach(json_object_get(r, "candidates"), i, c)
        if (!tech && json_is_true(json_object_get(c, "feasible")))
            tech = json_integer_value(json_object_get(c, "technician_id"));
    bump(&no_candidate, r && !tech);
    json_decref(r);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/assign", job_id);
    body = json_text(json_pack("{s:I}", "technician_id", (json_int_t)tech));
    if (tech)
        req(R_ASSIGN, h, s, "POST", path, body, NULL,
            "assignment_infeasible");
    free(body);
}

/* Customer i opens the link and confirms a window, from its own address. */
void customer(int i)
{
    char path[160], *body, from[40];
    json_t *r, *slots;
    size_t n;

    snprintf(from, sizeof from, "host!127.1.%d.%d", i / 250, i % 250 + 1);
    for (int tries = 0, rc = 1; tries < 3 && rc == 1; tries++) {
        snprintf(path, sizeof path, "/api/v1/public/bookings/%s", token[i]);
        if (req(R_BOOKING, NULL, NULL, "GET", path, NULL, from, NULL))
            return;
        r = json_loads(reply.p, 0, NULL);
        if (!(n = json_array_size(slots = json_object_get(r, "slots")))) {
            if (!r)
                record(R_BOOKING, 0, 1, 0, "the reply is not JSON");
            bump(&no_slots, r != NULL);
            json_decref(r);
            return;
        }
        body = json_text(json_pack(
            "{s:O}", "start",
            json_object_get(json_array_get(slots,
                                           randombytes_uniform(
                                               n < 3 ? (uint32_t)n : 3)),
                            "start")));
        json_decref(r);
        strcat(path, "/confirm");
        rc = req(R_CONFIRM, NULL, NULL, "POST", path, body, from,
                 "slot_taken");
        free(body);
        bump(&booked, rc == 0);
    }
}

void *dispatcher(void *arg)
{
    int k = (int)(intptr_t)arg, q = k;
    CURL *h = curl_easy_init();
    struct view v = {0, json_object()};
    double next = t0 + uniform(0, 1), next_assign = t0 + uniform(5, 20);

    board(h, &desk[k], &v);
    while (next < t_end) {
        sleep_until(next);
        next = now_s() + changes(h, &desk[k], &v);
        if (now_s() >= next_assign && q < nqueue) {
            assign_one(h, &desk[k], queue_job[q]);
            q += opt.dispatchers;
            next_assign = now_s() + uniform(8, 20);
        }
    }
    json_decref(v.versions);
    curl_easy_cleanup(h);
    return NULL;
}
