/*
 * deadline.h - a time limit on the calling thread's blocking socket reads.
 *
 * CivetWeb's mg_read() waits up to its request timeout for each next
 * byte, so a client sending one byte every few seconds holds a worker
 * thread for as long as its body lasts.  A deadline is a timer of the
 * thread's own that, once passed, sends it a signal every few
 * milliseconds until stopped: the poll() a read blocks in returns EINTR,
 * which mg_read() reports as the end of the data.  The signal is blocked
 * outside a deadline, so no other call of the thread ever sees it.
 */
#ifndef FSD_DEADLINE_H
#define FSD_DEADLINE_H

#include <stdint.h>
#include <time.h>

struct deadline {
    timer_t timer;
    uint64_t at_ns; /* CLOCK_MONOTONIC */
    int armed;
};

/* Once, before any thread that uses deadlines starts: installs the
 * signal's handler and blocks the signal in the caller, whose threads
 * inherit the mask.  0, or -1 with errno set. */
int deadline_setup(void);

/* Arms a deadline ms from now for the calling thread.  0, or -1 with
 * errno set (d is then unarmed and deadline_passed() stays 0). */
int deadline_start(struct deadline *d, long ms);

/* Moves an armed deadline that has not passed ns later. */
void deadline_extend(struct deadline *d, uint64_t ns);

/* 1 once the calling thread's armed deadline has passed. */
int deadline_passed(const struct deadline *d);

/* Disarms d and drops a signal it may have left pending. */
void deadline_stop(struct deadline *d);

#endif
