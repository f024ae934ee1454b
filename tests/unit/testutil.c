/*
 * testutil.c - scratch directories, stores, normalized input and concurrent
 * writers for the unit suites.  Nothing here relaxes what a test asserts:
 * every helper aborts the test when its own step fails.
 */
#include "testutil.h"
#include "common/log.h"
#include "model/jparse.h"

#include <check.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct actor tu_actor = {.name = "unit-test"};

int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    /* Stores log each migration they apply and the scheduler its sweeps at
     * info level: a suite shows its warnings and errors, and Check's own
     * lines, but not that chatter. */
    log_set_level(LOG_WARN);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

char *tu_tempdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    char *dir;

    snprintf(tmpl, sizeof tmpl, "%s/fsd-test-XXXXXX", base ? base : "/tmp");
    dir = mkdtemp(tmpl);
    ck_assert_msg(dir != NULL, "mkdtemp failed");
    return strdup(dir);
}

void tu_rmtree(const char *dir)
{
    char cmd[600];

    if (dir && strstr(dir, "fsd-test-")) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
}

struct store *tu_store_open(const char *dir)
{
    char path[600];
    struct store *s = NULL;
    struct err err = ERR_INIT;

    snprintf(path, sizeof path, "%s/fsd.db", dir);
    ck_assert_msg(store_open(path, &s, NULL, &err) == 0, "store_open: %s",
                  err.msg);
    return s;
}

char *tu_dir;
char tu_db[600];
struct store *tu_st;

void tu_store_setup(void)
{
    tu_dir = tu_tempdir();
    snprintf(tu_db, sizeof tu_db, "%s/fsd.db", tu_dir);
    tu_st = tu_store_open(tu_dir);
}

void tu_store_teardown(void)
{
    store_close(tu_st);
    tu_rmtree(tu_dir);
    free(tu_dir);
    tu_dir = NULL;
    tu_st = NULL;
}

json_t *tu_vals(const struct resource *res, enum jparse_mode mode,
                const char *text)
{
    json_error_t jerr;
    json_t *in = json_loads(text, 0, &jerr), *out = NULL;
    struct err err = ERR_INIT;

    ck_assert_msg(in != NULL, "bad test JSON %s: %s", text, jerr.text);
    ck_assert_msg(jparse_object(in, mode == JPARSE_QUERY ? res->filters
                                                         : res->fields,
                                mode, "", &out, &err) == 0,
                  "%s rejected: %s", text, err.msg);
    json_decref(in);
    return out;
}

int64_t tu_create(struct store *s, const struct resource *res,
                  const char *text)
{
    json_t *vals = tu_vals(res, JPARSE_CREATE, text), *row = NULL;
    struct err err = ERR_INIT;
    int64_t id;

    ck_assert_msg(store_res_create(s, res, vals, &tu_actor, &row, &err) == 0,
                  "create %s %s: %s", res->name, text, err.msg);
    id = json_integer_value(json_object_get(row, "id"));
    ck_assert_int_gt(id, 0);
    json_decref(row);
    json_decref(vals);
    return id;
}

int64_t tu_count(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK,
                  "%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

struct held_arg {
    struct store *s;
    struct tu_op *op;
};

static void *held_main(void *p)
{
    struct held_arg *a = p;
    json_t *vals = tu_vals(a->op->res, JPARSE_CREATE, a->op->json);
    json_t *row = NULL;

    a->op->rc = store_res_create(a->s, a->op->res, vals, &tu_actor, &row,
                                 &a->op->err);
    if (a->op->rc == 0)
        a->op->id = json_integer_value(json_object_get(row, "id"));
    json_decref(row);
    json_decref(vals);
    return NULL;
}

void tu_create_held(struct store *s, struct tu_op *ops, int n)
{
    const struct timespec pause = {0, 1000000}; /* 1 ms */
    pthread_t *th = calloc((size_t)n, sizeof *th);
    struct held_arg *args = calloc((size_t)n, sizeof *args);
    int polls;

    ck_assert_ptr_nonnull(th);
    ck_assert_ptr_nonnull(args);
    store_writer_hold(s, 1);
    for (int i = 0; i < n; i++) {
        args[i].s = s;
        args[i].op = &ops[i];
        ck_assert_int_eq(pthread_create(&th[i], NULL, held_main, &args[i]), 0);
    }
    /* Bounded wait, not a timed assertion: 10 s is far beyond need. */
    for (polls = 0; polls < 10000 && store_writer_pending(s) < n; polls++)
        nanosleep(&pause, NULL);
    ck_assert_int_eq(store_writer_pending(s), n);
    store_writer_hold(s, 0);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    free(th);
    free(args);
}
