/*
 * e2e_restore.c - the server's database restored from a backup under
 * live devices (proto/PROTOCOL.md section 12).
 *
 * Devices of the device SDK upload actions, the database is backed up
 * while the server runs, the devices upload more (acknowledged: the
 * server said they are on disk), one records an action it has not sent
 * yet, and then the backup is put back with `fsd-server restore`.  On
 * their next sync the devices meet the new epoch: they resync, and send
 * again what they remember having had acknowledged.  Counted on the
 * server afterwards: every action of every device is there exactly once,
 * the ones the backup had and the ones it had lost, and the jobs are in
 * the state the devices left them in.  A device enrolled after the backup
 * is unknown to the restored database: it enrolls again, and what it had
 * done follows.  The server runs in a checked
 * fixture (the test's own process), so the test may stop and restore it.
 */
#include "device.h"
#include "fixture.h"
#include "fsd_client.h"
#include "suites.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEVICES 4
#define NOTES 2 /* per device and phase */

struct handheld {
    fsd_client *c;
    char store[300];
    int64_t tech, job;
};

/* A technician with a job, and a store for their device. */
static void prepare_device(struct e2e_client *desk, struct handheld *h, int i)
{
    char errbuf[200];

    h->tech = make_technician();
    h->job = job_assigned(desk, h->tech, NULL);
    snprintf(h->store, sizeof h->store, "%s/restore-%d.db", e2e_srv.dir, i);
    ck_assert_int_eq(fsd_open(h->store, &h->c, errbuf, sizeof errbuf), FSD_OK);
}

static void enroll_device(struct e2e_client *desk, struct handheld *h)
{
    char code[16];

    new_code(desk, h->tech, code, sizeof code);
    ck_assert_int_eq(fsd_enroll(h->c, e2e_srv.base, code, "handheld"), FSD_OK);
    ck_assert_int_eq(fsd_sync(h->c, NULL), FSD_OK);
}

/* Record notes "<device>-<phase>-<n>", and sync when told to. */
static void notes(struct handheld *h, int i, const char *phase, int sync)
{
    struct fsd_sync_result res;
    char text[64];

    for (int n = 0; n < NOTES; n++) {
        snprintf(text, sizeof text, "%d-%s-%d", i, phase, n);
        ck_assert_int_eq(fsd_note(h->c, (uint64_t)h->job, text), FSD_OK);
    }
    if (sync) {
        ck_assert_msg(fsd_sync(h->c, &res) == FSD_OK, "%s",
                      fsd_last_error(h->c));
        ck_assert_int_eq(res.rejected + res.conflicts, 0);
    }
}

/* The device's server address, moved (the restarted server listens on
 * another port of this machine; a real device keeps its address). */
static void follow_server(const struct handheld *h)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    ck_assert_int_eq(sqlite3_open(h->store, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "UPDATE meta SET value = ?1"
                                        " WHERE key = 'server_url'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, e2e_srv.base, (int)strlen(e2e_srv.base) + 1,
                      SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* How many times each note text of job appears in its timeline: the
 * number of notes, asserting none twice. */
static int notes_once(struct e2e_client *desk, int64_t job)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    json_t *seen = json_object(), *e;
    char path[64];
    size_t i;
    int n;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/timeline", (long long)job);
    ck_assert_int_eq(e2e_get(desk, path, &r), 200);
    json_array_foreach(json_object_get(r.json, "items"), i, e)
    {
        const char *text;
        if (strcmp(json_string_value(json_object_get(e, "action")), "note"))
            continue;
        text = json_string_value(
            json_object_get(json_object_get(e, "detail"), "text"));
        ck_assert_msg(!json_object_get(seen, text), "note %s twice", text);
        json_object_set_new(seen, text, json_true());
    }
    n = (int)json_object_size(seen);
    json_decref(seen);
    e2e_reply_release(&r);
    return n;
}

/* Mutation results the server keeps for device: all, and distinct ids. */
static void results(int64_t device, int *all, int *distinct)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    ck_assert_int_eq(sqlite3_open(e2e_srv.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT count(*), count(DISTINCT"
                                        " mutation_id) FROM"
                                        " device_mutations WHERE"
                                        " device_id = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, device);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    *all = sqlite3_column_int(st, 0);
    *distinct = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

START_TEST(a_restore_loses_nothing_a_device_remembers)
{
    struct e2e_client desk;
    struct handheld h[DEVICES + 1];
    struct fsd_sync_result res;
    char backup[400], out[600];
    int all, distinct;

    e2e_as_role(&desk, "dispatcher", NULL);
    for (int i = 0; i <= DEVICES; i++)
        prepare_device(&desk, &h[i], i);
    for (int i = 0; i < DEVICES; i++)
        enroll_device(&desk, &h[i]);
    /* before the backup: on the way, and notes */
    for (int i = 0; i < DEVICES; i++) {
        ck_assert_int_eq(fsd_en_route(h[i].c, (uint64_t)h[i].job), FSD_OK);
        notes(&h[i], i, "before", 1);
    }
    snprintf(backup, sizeof backup, "%s/backup.db", e2e_srv.dir);
    ck_assert_int_eq(
        e2e_server_command(&e2e_srv, "backup", backup, out, sizeof out), 0);
    /* after it: arrived, more notes, all acknowledged; one device has a
     * note it has not sent yet */
    for (int i = 0; i < DEVICES; i++) {
        ck_assert_int_eq(fsd_arrive(h[i].c, (uint64_t)h[i].job), FSD_OK);
        notes(&h[i], i, "after", 1);
        ck_assert_str_eq(job_status(&desk, h[i].job), "on_site");
    }
    notes(&h[0], 0, "unsent", 0);
    /* a device enrolled only after the backup, at work since */
    enroll_device(&desk, &h[DEVICES]);
    ck_assert_int_eq(fsd_arrive(h[DEVICES].c, (uint64_t)h[DEVICES].job),
                     FSD_OK);
    notes(&h[DEVICES], DEVICES, "late", 1);
    /* the database goes back to the backup */
    ck_assert_int_eq(e2e_server_stop(&e2e_srv), 0);
    ck_assert_int_eq(
        e2e_server_command(&e2e_srv, "restore", backup, out, sizeof out), 0);
    ck_assert_msg(strstr(out, "begins: devices resync") != NULL, "%s", out);
    ck_assert_int_eq(e2e_server_start(&e2e_srv), 0);
    e2e_client_release(&desk);
    e2e_as_role(&desk, "dispatcher", NULL);
    for (int i = 0; i < DEVICES; i++)
        ck_assert_str_eq(job_status(&desk, h[i].job), "en_route");
    /* each device meets the new epoch at its next sync */
    for (int i = 0; i < DEVICES; i++) {
        follow_server(&h[i]);
        ck_assert_msg(fsd_sync(h[i].c, &res) == FSD_OK, "%s",
                      fsd_last_error(h[i].c));
        ck_assert_int_eq(res.rejected + res.conflicts, 0);
        ck_assert_int_eq(fsd_sync(h[i].c, &res), FSD_OK);
        ck_assert_int_eq(res.acked, 0); /* nothing left to send */
    }
    /* the late one is unknown to the restored database: it enrolls again
     * and its work follows */
    follow_server(&h[DEVICES]);
    ck_assert_int_eq(fsd_sync(h[DEVICES].c, &res), FSD_ERR_REFUSED);
    ck_assert_ptr_nonnull(
        strstr(fsd_last_error(h[DEVICES].c), "unknown_device"));
    enroll_device(&desk, &h[DEVICES]);
    ck_assert_str_eq(job_status(&desk, h[DEVICES].job), "on_site");
    ck_assert_int_eq(notes_once(&desk, h[DEVICES].job), NOTES);
    fsd_close(h[DEVICES].c);
    for (int i = 0; i < DEVICES; i++) {
        ck_assert_str_eq(job_status(&desk, h[i].job), "on_site");
        ck_assert_int_eq(notes_once(&desk, h[i].job), (i == 0 ? 3 : 2) * NOTES);
        results((int64_t)fsd_device_id(h[i].c), &all, &distinct);
        ck_assert_int_eq(all, distinct);
        /* en route, arrival and the notes, each under its own id */
        ck_assert_int_eq(all, 2 + (i == 0 ? 3 : 2) * NOTES);
        fsd_close(h[i].c);
    }
    e2e_client_release(&desk);
}
END_TEST

Suite *e2e_restore_suite(void)
{
    Suite *s = suite_create("e2e_restore");
    TCase *tc = tcase_create("restore");

    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, a_restore_loses_nothing_a_device_remembers);
    suite_add_tcase(s, tc);
    return s;
}
