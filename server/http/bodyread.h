/*
 * bodyread.h - reading a request body against a clock: the body has a
 * time allowance from its first read, and each byte received earns more
 * at a minimum rate (as Apache's mod_reqtimeout does), so a slow link
 * that keeps sending finishes while a client that stalls or trickles a
 * byte at a time is cut off and frees its worker thread.
 */
#ifndef FSD_BODYREAD_H
#define FSD_BODYREAD_H

#include <stddef.h>

struct mg_connection;

struct body_clock {
    long allowance_ms; /* from the first read */
    long min_rate;     /* bytes a second that earn one more second */
};

enum body_end {
    BODY_WHOLE,    /* cap bytes arrived, or a chunked body's last chunk */
    BODY_ENDED,    /* the connection ended first */
    BODY_TOO_SLOW, /* the clock ran out first */
    BODY_NO_CLOCK, /* the clock could not be started: nothing read */
};

/* Reads up to cap bytes into buf, counting them in *len. */
enum body_end body_read(struct mg_connection *conn, char *buf, size_t cap,
                        size_t *len, const struct body_clock *clock);

#endif
