/*
 * sdk_device.c - a technician's device for the tests (see sdk_device.h).
 */
#include "sdk_device.h"
#include "device.h"
#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

fsd_client *sdk_device(struct e2e_client *desk, const char *purchase_date,
                       int64_t *tech, int64_t *job, char *store, size_t size)
{
    char code[16], errbuf[200];
    fsd_client *c;

    *tech = make_technician();
    *job = job_assigned(desk, *tech, purchase_date);
    new_code(desk, *tech, code, sizeof code);
    snprintf(store, size, "%s/sdk-%d.db", e2e_srv.dir, (int)*tech);
    ck_assert_int_eq(fsd_open(store, &c, errbuf, sizeof errbuf), FSD_OK);
    ck_assert_int_eq(fsd_enroll(c, e2e_srv.base, code, "handheld"), FSD_OK);
    ck_assert_int_eq(fsd_sync(c, NULL), FSD_OK);
    return c;
}

int tech_cli(const char *store, const char *args, char *out, size_t size)
{
    char cmd[800];
    FILE *p;
    size_t n;
    int st;

    snprintf(cmd, sizeof cmd, "%s --store %s %s 2>/dev/null",
             getenv("FSD_TECH") ? getenv("FSD_TECH") : "build/fsd-tech",
             store, args);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
