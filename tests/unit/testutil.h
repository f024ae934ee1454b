/*
 * testutil.h - helpers shared by the unit suites: scratch directories and
 * a freshly migrated store in one.
 */
#ifndef FSD_TESTUTIL_H
#define FSD_TESTUTIL_H

#include "store.h"

/* A new empty directory under $TMPDIR (or /tmp); caller frees the string. */
char *tu_tempdir(void);
/* Remove a directory made by tu_tempdir and everything in it. */
void tu_rmtree(const char *dir);
/* Open a new database file "fsd.db" in dir; aborts the test on failure. */
struct store *tu_store_open(const char *dir);

#endif
