/*
 * err.c - the error record and the one map from error codes to HTTP status.
 *
 * Nothing here allocates; messages are truncated to the record's buffers.
 */
#include "common/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    int rc;
    int status;
    const char *code;
} err_map[] = {
    {ERR_INVALID, 400, "invalid"},
    {ERR_UNAUTHORIZED, 401, "unauthorized"},
    {ERR_FORBIDDEN, 403, "forbidden"},
    {ERR_NOT_FOUND, 404, "not_found"},
    {ERR_METHOD, 405, "method_not_allowed"},
    {ERR_CONFLICT, 409, "conflict"},
    {ERR_TOO_LARGE, 413, "body_too_large"},
    {ERR_MEDIA_TYPE, 415, "unsupported_media_type"},
    {ERR_RATE_LIMITED, 429, "rate_limited"},
    {ERR_STORAGE, 500, "storage"},
    {ERR_INTERNAL, 500, "internal"},
    {ERR_UNAVAILABLE, 503, "unavailable"},
};

int err_set(struct err *err, int rc, const char *code, const char *field,
            const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return rc;
    err->rc = rc;
    err->code = code ? code : err_default_code(rc);
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return rc;
}

void err_clear(struct err *err)
{
    memset(err, 0, sizeof *err);
}

int err_http_status(int rc)
{
    for (size_t i = 0; i < sizeof err_map / sizeof err_map[0]; i++)
        if (err_map[i].rc == rc)
            return err_map[i].status;
    return 500;
}

const char *err_default_code(int rc)
{
    for (size_t i = 0; i < sizeof err_map / sizeof err_map[0]; i++)
        if (err_map[i].rc == rc)
            return err_map[i].code;
    return "internal";
}
