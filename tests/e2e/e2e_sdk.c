/*
 * e2e_sdk.c - the device SDK (libfsdclient) and the fsd-tech CLI against
 * the real server: enroll with a code, pull the technician's job, record
 * actions with no network involved, upload them in order, keep a refused
 * action with its reason without blocking the ones after it, refuse a
 * bundle that fails verification while changing nothing locally, and
 * follow a rotation of the server's key without re-enrolling, and lose
 * nothing when the server cannot be reached; a device's bundle limits,
 * a resync and a batch count fallen behind.
 */
#include "device.h"
#include "sdk_device.h"
#include "fixture.h"
#include "fsd_client.h"
#include "suites.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct seen {
    int jobs, pending, rejected;
    char status[32], code[48];
};

static void on_job(const struct fsd_job_view *j, void *arg)
{
    struct seen *s = arg;

    s->jobs++;
    snprintf(s->status, sizeof s->status, "%s", j->status);
}

static void on_item(const struct fsd_outbox_view *o, void *arg)
{
    struct seen *s = arg;

    if (!strcmp(o->state, "pending"))
        s->pending++;
    else {
        s->rejected++;
        snprintf(s->code, sizeof s->code, "%s", o->code);
    }
}

static struct seen look(fsd_client *c)
{
    struct seen s;

    memset(&s, 0, sizeof s);
    ck_assert_int_eq(fsd_jobs(c, on_job, &s), FSD_OK);
    ck_assert_int_eq(fsd_outbox(c, on_item, &s), FSD_OK);
    return s;
}

START_TEST(offline_actions_reach_the_server_once)
{
    struct e2e_client desk;
    struct fsd_sync_result res;
    struct seen s;
    fsd_client *c;
    char store[300], errbuf[200];
    int64_t tech, job;

    e2e_as_role(&desk, "dispatcher", NULL);
    snprintf(store, sizeof store, "%s/sdk-unenrolled.db", e2e_srv.dir);
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_ERR_STATE);
    ck_assert_int_eq(fsd_arrive(c, 1), FSD_ERR_STATE);
    fsd_close(c);
    c = sdk_device(&desk, NULL, &tech, &job, store, sizeof store);
    ck_assert_int_eq((int64_t)fsd_technician_id(c), tech);
    ck_assert_int_eq(fsd_enroll(c, e2e_srv.base, "whatever", "again"),
                     FSD_ERR_STATE);
    s = look(c);
    ck_assert_int_eq(s.jobs, 1);
    ck_assert_str_eq(s.status, "assigned");

    /* recorded with no network involved, uploaded in order */
    ck_assert_int_eq(fsd_en_route(c, (uint64_t)job), FSD_OK);
    ck_assert_int_eq(fsd_arrive(c, (uint64_t)job), FSD_OK);
    ck_assert_int_eq(fsd_en_route(c, (uint64_t)job), FSD_OK); /* refused */
    ck_assert_int_eq(fsd_note(c, (uint64_t)job, "dog on site"), FSD_OK);
    ck_assert_int_eq(look(c).pending, 4);
    ck_assert_int_eq(fsd_sync(c, &res), FSD_OK);
    ck_assert_int_eq(res.acked, 4);
    ck_assert_int_eq(res.rejected, 1);
    s = look(c);
    ck_assert_int_eq(s.pending, 0);
    ck_assert_int_eq(s.rejected, 1);
    ck_assert_str_eq(s.code, "invalid_transition");
    ck_assert_str_eq(s.status, "on_site");
    ck_assert_str_eq(job_status(&desk, job), "on_site");
    /* syncing again changes nothing and applies nothing twice, over the
     * connection the last sync left open */
    ck_assert_int_eq(fsd_sync(c, &res), FSD_OK);
    ck_assert_int_eq(res.acked, 0);
    ck_assert_int_eq(res.connections, 0);
    ck_assert_str_eq(job_status(&desk, job), "on_site");
    fsd_close(c);
    e2e_client_release(&desk);
}
END_TEST

/* Overwrite meta key of a device store with n bytes. */
static void set_meta(const char *store, const char *key, const void *value,
                     size_t n)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    ck_assert_int_eq(sqlite3_open(store, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "UPDATE meta SET value = ?1"
                                            " WHERE key = ?2", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, value, (int)n, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    ck_assert_int_eq(sqlite3_changes(db), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

START_TEST(unverifiable_bundle_changes_nothing)
{
    struct e2e_client desk;
    struct seen before, after;
    fsd_client *c;
    char store[300], errbuf[200], cmd[64], out[400];
    int64_t tech, job;

    e2e_as_role(&desk, "dispatcher", NULL);
    c = sdk_device(&desk, NULL, &tech, &job, store, sizeof store);
    ck_assert_int_eq(fsd_arrive(c, (uint64_t)job), FSD_OK);
    fsd_close(c);
    {
        static const unsigned char other[32] = {1, 2, 3};
        set_meta(store, "server_pk", other, sizeof other);
    }
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    before = look(c);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_ERR_VERIFY);
    ck_assert_ptr_nonnull(strstr(fsd_last_error(c), "unknown_key"));
    after = look(c);
    ck_assert_int_eq(after.pending, before.pending);
    ck_assert_str_eq(after.status, before.status);
    fsd_close(c);
    /* the CLI reads the same store */
    ck_assert_int_eq(tech_cli(store, "--json jobs", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"status\":\"assigned\""));
    ck_assert_int_eq(tech_cli(store, "--json jobs --today", out, sizeof out), 0);
    ck_assert_str_eq(out, "[]\n"); /* no window booked for today */
    snprintf(cmd, sizeof cmd, "show %lld", (long long)job);
    ck_assert_int_eq(tech_cli(store, cmd, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "status:   assigned"));
    ck_assert_int_eq(tech_cli(store, "show 999999", out, sizeof out), 1);
    ck_assert_int_eq(tech_cli(store, "outbox", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "arrive"));
    ck_assert_int_eq(tech_cli(store, "teleport 1", out, sizeof out), 2);
    snprintf(cmd, sizeof cmd, "parts %lld --part 3:1:NEW-1:OLD-1",
             (long long)job);
    ck_assert_int_eq(tech_cli(store, cmd, out, sizeof out), 0);
    ck_assert_int_eq(tech_cli(store, "parts 1 --part x", out, sizeof out), 2);
    snprintf(cmd, sizeof cmd, "parts %lld --sku NOPE --qty 1",
             (long long)job);
    ck_assert_int_eq(tech_cli(store, cmd, out, sizeof out), 2); /* no such line */
    snprintf(cmd, sizeof cmd, "warranty %lld --findings liquid,impact",
             (long long)job);
    ck_assert_int_eq(tech_cli(store, cmd, out, sizeof out), 0);
    ck_assert_int_eq(tech_cli(store, "--json outbox", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"kind\":\"parts_used\""));
    e2e_client_release(&desk);
}
END_TEST

/* The device store's pinned keyset version. */
static int64_t pinned_version(const char *store)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v = -1;

    ck_assert_int_eq(sqlite3_open(store, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE"
                                            " key = 'keyset_version'", -1,
                                        &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

START_TEST(key_rotation_keeps_devices_working)
{
    struct e2e_client desk;
    struct fsd_sync_result res;
    fsd_client *c;
    char store[300], errbuf[200], cmd[800];
    int64_t tech, job, before;

    e2e_as_role(&desk, "dispatcher", NULL);
    c = sdk_device(&desk, NULL, &tech, &job, store, sizeof store);
    fsd_close(c);
    before = pinned_version(store);
    /* the operator rotates the key while the server runs */
    snprintf(cmd, sizeof cmd, "%s rotate-key --db %s --log-level warn"
             " >/dev/null",
             getenv("FSD_SERVER") ? getenv("FSD_SERVER") : "build/fsd-server",
             e2e_srv.db);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    ck_assert_int_eq(fsd_arrive(c, (uint64_t)job), FSD_OK);
    ck_assert_msg(fsd_sync(c, &res) == FSD_OK, "%s", fsd_last_error(c));
    ck_assert_int_eq(res.acked, 1);
    ck_assert_int_eq(res.rejected, 0);
    fsd_close(c);
    ck_assert_int_eq(pinned_version(store), before + 1);
    ck_assert_str_eq(job_status(&desk, job), "on_site");
    e2e_client_release(&desk);
}
END_TEST

/* Run one statement on an SDK store from outside (what a damaged or
 * restored store would hold). */
static void store_sql(const char *store, const char *sql)
{
    sqlite3 *db;

    ck_assert_int_eq(sqlite3_open(store, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_changes(db), 1);
    sqlite3_close(db);
}

START_TEST(limits_resync_and_renumbering)
{
    struct e2e_client desk;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fsd_sync_result res;
    fsd_client *c;
    char store[300], errbuf[200], fault[601], path[64];
    int64_t tech, job;

    e2e_as_role(&desk, "dispatcher", NULL);
    c = sdk_device(&desk, NULL, &tech, &job, store, sizeof store);
    memset(fault, 'f', sizeof fault - 1);
    fault[sizeof fault - 1] = '\0';
    for (int i = 0; i < 20; i++) {
        int64_t more = job_assigned(&desk, tech, NULL);
        snprintf(path, sizeof path, "/api/v1/jobs/%lld", (long long)more);
        e2e_send(&desk, "PATCH", path, json_pack("{s:s}", "fault", fault),
                 &r);
        e2e_expect_status(&r, 200);
        e2e_reply_release(&r);
    }
    /* a small device: several bundles of at most 8 KiB bring them all */
    fsd_set_bundle_limits(c, 8192, 0);
    ck_assert_msg(fsd_sync(c, &res) == FSD_OK, "%s", fsd_last_error(c));
    ck_assert_int_gt(res.bundles, 1);
    ck_assert_int_eq(res.jobs_changed, 20);
    ck_assert_int_eq(look(c).jobs, 21);
    fsd_close(c);
    /* a stray job and a cursor past the end of the server's log: the
     * resync replaces the jobs */
    store_sql(store, "INSERT INTO jobs(id, version, status, window_start,"
                     " snapshot) VALUES (999999999, 1, 'assigned', 0, x'')");
    store_sql(store, "UPDATE meta SET value = value + 1000000"
                     " WHERE key = 'cursor'");
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    ck_assert_msg(fsd_sync(c, &res) == FSD_OK, "%s", fsd_last_error(c));
    ck_assert_int_eq(res.jobs_changed, 21);
    ck_assert_int_eq(look(c).jobs, 21);
    /* a batch count behind the server's: numbered on from its last */
    ck_assert_int_eq(fsd_arrive(c, (uint64_t)job), FSD_OK);
    fsd_close(c);
    store_sql(store, "UPDATE meta SET value = 1 WHERE key = 'batch_seq'");
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    ck_assert_msg(fsd_sync(c, &res) == FSD_OK, "%s", fsd_last_error(c));
    ck_assert_int_eq(res.acked, 1);
    ck_assert_int_eq(look(c).pending, 0);
    ck_assert_str_eq(job_status(&desk, job), "on_site");
    fsd_close(c);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(the_cli_refuses_words_it_does_not_know)
{
    struct e2e_client desk;
    fsd_client *c;
    char store[300], out[400], args[200];
    int64_t tech, job;
    const char *const bad[] = {
        "quote %lld --line part:1:9000:pump liquid",
        "quote %lld --line part:1:9000:pump --findings liquid,wet",
        "warranty %lld impact",
        "outcome %lld completed --liquid"};

    e2e_as_role(&desk, "dispatcher", NULL);
    c = sdk_device(&desk, NULL, &tech, &job, store, sizeof store);
    fsd_close(c);
    /* a finding without --findings, or one the protocol does not know, is
     * refused whole: nothing is queued without it */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(args, sizeof args, bad[i], (long long)job);
        ck_assert_int_eq(tech_cli(store, args, out, sizeof out), 2);
    }
    snprintf(args, sizeof args,
             "quote %lld --line part:1:9000:pump --findings liquid",
             (long long)job);
    ck_assert_int_eq(tech_cli(store, args, out, sizeof out), 0);
    ck_assert_int_eq(tech_cli(store, "--json outbox", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"quote\""));
    ck_assert_ptr_null(strstr(out, "\"warranty\""));
    e2e_client_release(&desk);
}
END_TEST

START_TEST(no_network_loses_nothing)
{
    struct e2e_client desk;
    struct fsd_sync_result res;
    fsd_client *c;
    char store[300], errbuf[200];
    int64_t tech, job;

    e2e_as_role(&desk, "dispatcher", NULL);
    c = sdk_device(&desk, NULL, &tech, &job, store, sizeof store);
    ck_assert_int_eq(fsd_arrive(c, (uint64_t)job), FSD_OK);
    fsd_close(c);
    /* no server listens there: every try fails, retried with backoff */
    set_meta(store, "server_url", "http://127.0.0.1:9",
             strlen("http://127.0.0.1:9") + 1);
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    fsd_set_retry(c, 3, 1);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_ERR_NETWORK);
    ck_assert_int_eq(look(c).pending, 1);
    fsd_close(c);
    ck_assert_str_eq(job_status(&desk, job), "assigned");
    /* back in coverage: the same batch goes, and is applied once */
    set_meta(store, "server_url", e2e_srv.base, strlen(e2e_srv.base) + 1);
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    ck_assert_int_eq(fsd_sync(c, &res), FSD_OK);
    ck_assert_int_eq(res.acked, 1);
    ck_assert_int_eq(look(c).pending, 0);
    ck_assert_str_eq(job_status(&desk, job), "on_site");
    fsd_close(c);
    e2e_client_release(&desk);
}
END_TEST

Suite *e2e_sdk_suite(void)
{
    Suite *s = suite_create("e2e_sdk");
    TCase *tc = tcase_create("sdk");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, offline_actions_reach_the_server_once);
    tcase_add_test(tc, limits_resync_and_renumbering);
    tcase_add_test(tc, the_cli_refuses_words_it_does_not_know);
    tcase_add_test(tc, unverifiable_bundle_changes_nothing);
    tcase_add_test(tc, key_rotation_keeps_devices_working);
    tcase_add_test(tc, no_network_loses_nothing);
    suite_add_tcase(s, tc);
    return s;
}
