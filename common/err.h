/*
 * err.h - error codes and the error record every fallible function fills.
 *
 * Functions return 0 or one of the negative ERR_* codes below; the human
 * message, a stable machine-readable code string and the offending input
 * field go into a caller-owned struct err.  The HTTP status for each ERR_*
 * lives here too, so there is exactly one error-to-status map.
 */
#ifndef FSD_ERR_H
#define FSD_ERR_H

enum {
    ERR_INVALID = -1,      /* 400: input failed validation */
    ERR_UNAUTHORIZED = -2, /* 401: no or bad credentials */
    ERR_FORBIDDEN = -3,    /* 403: authenticated, not allowed */
    ERR_NOT_FOUND = -4,    /* 404 */
    ERR_METHOD = -5,       /* 405: path exists, method does not */
    ERR_CONFLICT = -6,     /* 409: state or version conflict, duplicate */
    ERR_TOO_LARGE = -7,    /* 413: body over the configured limit */
    ERR_MEDIA_TYPE = -8,   /* 415: body is not application/json */
    ERR_RATE_LIMITED = -9, /* 429 */
    ERR_STORAGE = -10,     /* 500: database failure */
    ERR_INTERNAL = -11,    /* 500: a bug or resource exhaustion */
    ERR_UNAVAILABLE = -12, /* 503: shutting down, database unreachable */
};

struct err {
    int rc;           /* one of ERR_*, 0 when unset */
    const char *code; /* stable code string for clients, static storage */
    char field[96];   /* offending input field, "" when none */
    char msg[256];    /* human-readable message */
};

#define ERR_INIT {0, 0, "", ""}

/* Fill err and return rc.  code may be NULL for the rc's default code. */
int err_set(struct err *err, int rc, const char *code, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Reset err to its initial, unset state. */
void err_clear(struct err *err);

/* HTTP status for an ERR_* code (500 for anything unknown). */
int err_http_status(int rc);

/* Default code string for an ERR_* code ("invalid", "not_found", ...). */
const char *err_default_code(int rc);

#endif
