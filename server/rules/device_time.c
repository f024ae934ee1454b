/*
 * device_time.c - bounding the time a device claims for an action
 * (device_time.h).
 */
#include "rules/device_time.h"

#include <stddef.h>

/* Raise *at to floor when it is below; note, when it was below by more
 * than the skew, replaces *kept. */
static void raise_to(int64_t *at, int64_t floor, const char *note,
                     const char **kept)
{
    if (*at >= floor)
        return;
    if (*at < floor - DEVICE_TIME_SKEW)
        *kept = note;
    *at = floor;
}

const char *device_time_bound(const struct device_time *t, int64_t *occurred)
{
    const char *note = NULL;
    int64_t at = t->claimed;

    if (at <= 0) {
        *occurred = t->received;
        return NULL;
    }
    if (at > t->received) {
        if (at > t->received + DEVICE_TIME_SKEW)
            note = "device_clock_ahead";
        at = t->received;
    }
    raise_to(&at, t->enrolled, "before_enrollment", &note);
    raise_to(&at, t->previous, "before_previous_event", &note);
    /* a bound after the receipt means the server's own clock went back;
     * nothing happened later than the server received it */
    *occurred = at < t->received ? at : t->received;
    return note;
}
