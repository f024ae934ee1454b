/*
 * device_time.h - when a technician's action happened, from the time the
 * device claims (docs/DOMAIN.md, "Device time").
 *
 * A device works offline and uploads later, so its events carry its own
 * clock's time.  That claim is taken, within bounds: never after the
 * server received it, never before the device was enrolled, never before
 * the job's previous event.  A claim outside a bound is clamped to it and
 * noted (not dropped); a clock within DEVICE_TIME_SKEW of a bound is
 * clamped without a note.  Pure: no I/O.
 */
#ifndef FSD_DEVICE_TIME_H
#define FSD_DEVICE_TIME_H

#include <stdint.h>

#define DEVICE_TIME_SKEW 300 /* seconds a device's clock may be off */

struct device_time {
    int64_t claimed;  /* the device's time, 0 when it gave none */
    int64_t received; /* when the server received it */
    int64_t enrolled; /* when the device was enrolled */
    int64_t previous; /* the job's latest event, 0 when none */
};

/* The time the action is recorded as (*occurred); the note naming the
 * bound that clamped it ("device_clock_ahead", "before_enrollment",
 * "before_previous_event"), or NULL. */
const char *device_time_bound(const struct device_time *t, int64_t *occurred);

#endif
