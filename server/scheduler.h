/*
 * scheduler.h - the server's background thread for work due at a time:
 * expiring quotes nobody answered (store_quotes_expire).
 *
 * The clock is injected so tests can move time without waiting; the
 * server passes the wall clock.  Each tick runs once immediately after
 * start and then every interval_ms until scheduler_stop.
 */
#ifndef FSD_SCHEDULER_H
#define FSD_SCHEDULER_H

#include "store/store.h"

#include <stdint.h>

struct scheduler;

/* The current time in Unix seconds, as the scheduler sees it. */
typedef int64_t (*scheduler_clock)(void *arg);

/* Unix time from the system clock: the server's scheduler_clock. */
int64_t scheduler_wall_clock(void *arg);

/* Start the thread; NULL (with a logged reason) if it cannot start. */
struct scheduler *scheduler_start(struct store *store, long interval_ms,
                                  scheduler_clock clock, void *clock_arg);
/* Ticks completed so far (each has looked for due work once). */
long scheduler_ticks(struct scheduler *s);
/* Wake the thread, let a running tick finish, join it and free s. */
void scheduler_stop(struct scheduler *s);

#endif
