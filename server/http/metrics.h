/*
 * metrics.h - request counters and latency histograms per route, rendered
 * as Prometheus text together with the store's figures.
 *
 * Recording is lock-free (atomics) so it costs nothing on the hot path.
 */
#ifndef FSD_METRICS_H
#define FSD_METRICS_H

#include "common/buf.h"

#include <stddef.h>
#include <stdint.h>

struct metrics;
struct store;

/* names[i] labels route i; one more slot counts unmatched requests. */
struct metrics *metrics_new(const char *const *names, size_t nroutes);
void metrics_free(struct metrics *m);
/* route == nroutes for requests that matched no route. */
void metrics_record(struct metrics *m, size_t route, int status,
                    uint64_t micros);
/* Append the Prometheus exposition of m and s to out. */
void metrics_render(struct metrics *m, struct store *s, struct buf *out);

#endif
