/*
 * workers.c - the count of connections holding worker threads, and the
 * head clock of connections opened while they run short (workers.h).
 *
 * The clock is a deadline (deadline.h) of the worker thread's own: CivetWeb
 * reads the head between init_connection and begin_request, and a
 * deadline that passes there breaks its read, which ends the connection.
 * It is stopped when the head has arrived, or when the connection closes
 * without one.
 */
#include "http/workers.h"
#include "http/deadline.h"

#include <stdatomic.h>

static atomic_long held;
static _Thread_local struct deadline head_clock;

int workers_short(long threads)
{
    return atomic_load(&held) * 4 >= threads * 3;
}

void workers_connection_opened(long threads)
{
    atomic_fetch_add(&held, 1);
    if (workers_short(threads))
        deadline_start(&head_clock, WORKERS_SHORT_MS);
}

void workers_head_arrived(void)
{
    deadline_stop(&head_clock);
}

void workers_connection_closing(void)
{
    deadline_stop(&head_clock);
    atomic_fetch_sub(&held, 1);
}
