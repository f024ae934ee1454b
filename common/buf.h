/*
 * buf.h - a growable byte buffer for building text replies (Prometheus
 * text, HTTP heads).  Never used for JSON: jansson builds that.
 */
#ifndef FSD_BUF_H
#define FSD_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* NUL-terminated; owned, freed by buf_release */
    size_t len, cap;
};

#define BUF_INIT {0, 0, 0}

void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_append(struct buf *b, const void *data, size_t len);
void buf_release(struct buf *b);

#endif
