/*
 * bodyread.c - a request body read in chunks under a deadline (see
 * bodyread.h and deadline.h).
 *
 * mg_read() returns only when its length is filled or no byte came for a
 * whole request timeout, so the body is read in chunks: each chunk
 * received moves the deadline by the time it earns, and a deadline that
 * passes mid-chunk interrupts the read.  A chunk is what the minimum rate
 * sends in half the allowance, so that a client keeping that rate always
 * finishes a chunk, and earns more time, before its deadline.
 */
#include "http/bodyread.h"
#include "http/deadline.h"

#include <civetweb.h>
#include <stdint.h>

#define CHUNK_MAX 16384
#define CHUNK_MIN 256

static size_t chunk_of(const struct body_clock *clock)
{
    uint64_t n = (uint64_t)clock->min_rate * (uint64_t)clock->allowance_ms /
                 2000u;

    return n > CHUNK_MAX ? CHUNK_MAX : n < CHUNK_MIN ? CHUNK_MIN : (size_t)n;
}

enum body_end body_read(struct mg_connection *conn, char *buf, size_t cap,
                        size_t *len, const struct body_clock *clock)
{
    struct deadline d;
    enum body_end end = BODY_WHOLE;
    size_t chunk = chunk_of(clock);

    if (deadline_start(&d, clock->allowance_ms))
        return BODY_NO_CLOCK;
    while (*len < cap) {
        size_t want = cap - *len < chunk ? cap - *len : chunk;
        int n = mg_read(conn, buf + *len, want);

        if (n > 0) {
            *len += (size_t)n;
            deadline_extend(&d, (uint64_t)n * 1000000000u /
                                    (uint64_t)clock->min_rate);
        }
        if (*len == cap)
            break;
        if (deadline_passed(&d)) {
            end = BODY_TOO_SLOW;
            break;
        }
        if (n <= 0) { /* 0: a chunked body's last chunk was read */
            end = n < 0 ? BODY_ENDED : BODY_WHOLE;
            break;
        }
    }
    deadline_stop(&d);
    return end;
}
