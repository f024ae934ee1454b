/*
 * testutil.h - helpers shared by the unit suites: scratch directories, a
 * freshly migrated store in one, normalized resource input, direct SQLite
 * counts, and concurrent writes queued behind a held writer.
 */
#ifndef FSD_TESTUTIL_H
#define FSD_TESTUTIL_H

#include "store/store.h"

#include <check.h>
#include <jansson.h>
#include <stdint.h>

/*
 * Run every test in s with CK_NORMAL output and the server's log at
 * LOG_WARN, free the runner (and s with it) and return EXIT_SUCCESS when
 * nothing failed, else EXIT_FAILURE: the whole of a unit suite's main()
 * after it has built s.
 */
int tu_run_suite(Suite *s);

/* The actor every test write is recorded under. */
extern const struct actor tu_actor;

/* A new empty directory under $TMPDIR (or /tmp); caller frees the string. */
char *tu_tempdir(void);
/* Remove a directory made by tu_tempdir and everything in it. */
void tu_rmtree(const char *dir);
/* Open a new database file "fsd.db" in dir; aborts the test on failure. */
struct store *tu_store_open(const char *dir);

/*
 * The shared store fixture of the store and metrics suites, for
 * tcase_add_checked_fixture(tc, tu_store_setup, tu_store_teardown).
 * tu_store_setup makes a scratch directory tu_dir, opens a freshly migrated
 * store tu_st in it and sets tu_db to the path of its database file (for
 * tu_count); tu_store_teardown closes tu_st and removes tu_dir.  A test may
 * close tu_st and reopen it from tu_dir, leaving the new store in tu_st.
 */
extern char *tu_dir;
extern char tu_db[600];
extern struct store *tu_st;
void tu_store_setup(void);
void tu_store_teardown(void);

/*
 * JSON text validated against res's fields in mode, as the API would do it;
 * aborts the test when the text does not parse.  Caller owns the result.
 */
json_t *tu_vals(const struct resource *res, enum jparse_mode mode,
                const char *text);
/* Create a res from JSON text; aborts the test on failure; returns its id. */
int64_t tu_create(struct store *s, const struct resource *res,
                  const char *text);
/* Column 0 of the first row of sql, run with the database file at path
 * opened read-only by SQLite directly (not through the store); -1 when
 * there is no row. */
int64_t tu_count(const char *path, const char *sql);

/* One create run on its own thread by tu_create_held. */
struct tu_op {
    const struct resource *res;
    char json[256];  /* input text */
    int rc;          /* result */
    struct err err;  /* its error */
    int64_t id;      /* the new row's id on success */
};

/*
 * Hold the writer, start one thread per op, wait (bounded) until all n
 * writes are queued, release the writer and join: the writes form one
 * batch.  Aborts the test if the writes never all queue up.
 */
void tu_create_held(struct store *s, struct tu_op *ops, int n);

#endif
