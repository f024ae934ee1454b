/*
 * testutil.c - scratch directories and stores for the unit suites.
 */
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
