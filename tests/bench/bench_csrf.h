/*
 * bench_csrf.h - the X-CSRF-Token header line a benchmark's staff session
 * must send on writes, derived from its cookie "fsd_session=TOKEN" the way
 * the server derives it (sec_csrf_token over the token's hash).
 */
#ifndef FSD_BENCH_CSRF_H
#define FSD_BENCH_CSRF_H

#include "common/sec.h"

#include <stdio.h>
#include <string.h>

/* line: at least 64 bytes; "" when cookie holds no session. */
static inline void bench_csrf_header(const char *cookie, char *line)
{
    const char *eq = cookie ? strchr(cookie, '=') : NULL;
    unsigned char hash[SEC_HASH_BYTES];
    char csrf[SEC_TOKEN_TEXT];

    line[0] = '\0';
    if (!eq || !eq[1])
        return;
    sec_token_hash(eq + 1, hash);
    sec_csrf_token(hash, csrf);
    snprintf(line, 64, "X-CSRF-Token: %s", csrf);
}

#endif
