/*
 * mem.h - allocation wrappers for the server.
 *
 * The server treats out-of-memory as fatal: these abort with a message rather
 * than return NULL, so callers never test for it.  (The client SDK does not
 * use them; it returns an error instead.)
 */
#ifndef FSD_MEM_H
#define FSD_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
