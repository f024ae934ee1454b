/*
 * e2e_crash.c - a device's upload when the server dies mid-request.
 *
 * Each round uploads one note and SIGKILLs the server a moment after the
 * request leaves, sweeping from 0.7 ms to about 8.7 ms over the rounds:
 * on this kind of machine the early rounds die before the batch is
 * committed, the later ones after the commit, around the reply.  The server
 * is restarted on the same database and the device sends the very same
 * bytes again, as the SDK does.  Whatever the moment, the retry is
 * acknowledged APPLIED and the note is in the job's audit trail exactly
 * once.  The server runs in a checked fixture (in the test's own process)
 * so the test may kill and restart it; the loop is bounded.
 */
#include "device.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 12

struct killer {
    pid_t pid;
    long delay_us;
};

static void *kill_later(void *arg)
{
    struct killer *k = arg;

    usleep((useconds_t)k->delay_us);
    kill(k->pid, SIGKILL);
    return NULL;
}

/* Kill the server delay_us after starting the upload of sent; restart. */
static void upload_under_fire(const struct bytes *sent, long delay_us)
{
    struct killer k = {e2e_srv.pid, delay_us};
    struct bytes reply;
    pthread_t t;

    pthread_create(&t, NULL, kill_later, &k);
    if (post_bytes("/sync/v1/sync", sent->data, sent->len,
                   "application/x-protobuf", &reply) >= 0)
        free(reply.data);
    pthread_join(t, NULL);
    waitpid(k.pid, NULL, 0);
    e2e_srv.pid = 0;
    ck_assert_int_eq(e2e_server_start(&e2e_srv), 0);
}

/* How many notes with text on job the audit trail holds. */
static int notes_with(int64_t job, const char *text)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    json_t *e;
    char path[64];
    size_t i;
    int n = 0;

    e2e_as_role(&desk, "dispatcher", NULL);
    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline", (long long)job);
    e2e_get(&desk, path, &r);
    e2e_expect_status(&r, 200);
    json_array_foreach(json_object_get(r.json, "items"), i, e)
        if (!strcmp(json_string_value(json_object_get(e, "action")), "note") &&
            !strcmp(json_string_value(json_object_get(
                        json_object_get(e, "detail"), "text")), text))
            n++;
    e2e_reply_release(&r);
    e2e_client_release(&desk);
    return n;
}

START_TEST(acknowledged_once_whatever_the_moment_of_death)
{
    struct e2e_client desk;
    struct device d;
    int64_t tech = make_technician(), job;
    unsigned seed = (unsigned)time(NULL);

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    e2e_client_release(&desk);
    for (int round = 1; round <= ROUNDS; round++) {
        Fsd__V1__Mutation m = FSD__V1__MUTATION__INIT, *pm = &m;
        Fsd__V1__Note note = FSD__V1__NOTE__INIT;
        Fsd__V1__SealedJobs *jobs;
        Fsd__V1__Bundle *b;
        struct bytes sent, reply;
        char id[32];

        snprintf(id, sizeof id, "%lld-%d", (long long)d.id, round);
        note.text = id;
        m.mutation_id = id;
        m.job_id = (uint64_t)job;
        m.kind_case = FSD__V1__MUTATION__KIND_NOTE;
        m.note = &note;
        /* the device signs its batch once; every try sends these bytes */
        device_batch(&d, d.sign_sk, (uint64_t)round, 0, &pm, 1, &sent);
        upload_under_fire(&sent, (long)(round * 700 + rand_r(&seed) % 300));
        ck_assert_int_eq(post_bytes("/sync/v1/sync", sent.data, sent.len,
                                    "application/x-protobuf", &reply), 200);
        b = device_open_bundle(&d, &reply, &jobs);
        ck_assert_uint_eq(b->n_acks, 1);
        ck_assert_int_eq(b->acks[0]->result, FSD__V1__ACK__RESULT__APPLIED);
        fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
        fsd__v1__bundle__free_unpacked(b, NULL);
        free(reply.data);
        free(sent.data);
        ck_assert_int_eq(notes_with(job, id), 1);
    }
}
END_TEST

Suite *e2e_crash_suite(void)
{
    Suite *s = suite_create("e2e_crash");
    TCase *tc = tcase_create("crash");

    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, acknowledged_once_whatever_the_moment_of_death);
    suite_add_tcase(s, tc);
    return s;
}
