/*
 * jdepth.h - how deeply JSON text nests, measured without recursion.
 *
 * Request handlers run on CivetWeb's worker threads, whose stacks are
 * small (100 KiB in Debian's libcivetweb); jansson's parser and any walk
 * over a parsed value recurse once per level.  Text nesting deeper than
 * JDEPTH_MAX is refused before either sees it, so their depth is bounded.
 */
#ifndef FSD_JDEPTH_H
#define FSD_JDEPTH_H

#include <stddef.h>

/* Levels of arrays and objects a request body may nest ({"a":[1]} is 2). */
#define JDEPTH_MAX 32

/* Does text (len bytes, JSON or not) open more than max arrays and objects
 * at once outside strings?  Only brackets and strings are looked at. */
int jdepth_exceeds(const char *text, size_t len, int max);

#endif
