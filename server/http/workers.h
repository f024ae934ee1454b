/*
 * workers.h - CivetWeb's worker threads as a resource: how many
 * connections hold one (each holds its thread from accept to close, idle
 * keep-alive waits too), whether they run short, and, while they do, a
 * short clock on a new connection's first request head, so that clients
 * which connect and then send nothing give their thread back soon.
 */
#ifndef FSD_WORKERS_H
#define FSD_WORKERS_H

/* A head has this long on a connection accepted while workers run short
 * (CivetWeb's --request-timeout-ms otherwise), and a body as long to
 * start (bodyread.h). */
#define WORKERS_SHORT_MS 1000

/* In the worker thread, as it takes a new connection / lets it go. */
void workers_connection_opened(long threads);
void workers_connection_closing(void);

/* In the worker thread, once a request's head has arrived. */
void workers_head_arrived(void);

/* Three in four of the threads are held by connections. */
int workers_short(long threads);

#endif
