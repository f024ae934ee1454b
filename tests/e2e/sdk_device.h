/*
 * sdk_device.h - a technician's device as the tests run it: the C SDK's
 * store enrolled for a technician with one assigned job, and fsd-tech run
 * on such a store.
 */
#ifndef FSD_E2E_SDK_DEVICE_H
#define FSD_E2E_SDK_DEVICE_H

#include "client.h"
#include "fsd_client.h"

#include <stddef.h>
#include <stdint.h>

/* A new technician (*tech) with one job assigned by desk (*job; the unit
 * bought on purchase_date, NULL for no unit) and an SDK store (path in
 * store) enrolled for it and synced once; the open client. */
fsd_client *sdk_device(struct e2e_client *desk, const char *purchase_date,
                       int64_t *tech, int64_t *job, char *store,
                       size_t size);

/* Run fsd-tech ($FSD_TECH, default build/fsd-tech) on store with args;
 * its exit status, out its stdout. */
int tech_cli(const char *store, const char *args, char *out, size_t size);

#endif
