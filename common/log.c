/*
 * log.c - levelled logging; each line is formatted in full and written with
 * one fputs so lines from concurrent worker threads never interleave.
 */
#include "common/log.h"
#include "common/err.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static atomic_int current_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

int log_level_parse(const char *name, enum log_level *out)
{
    for (int i = LOG_DEBUG; i <= LOG_ERROR; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return ERR_INVALID;
}

void log_set_level(enum log_level level)
{
    atomic_store(&current_level, (int)level);
}

int log_enabled(enum log_level level)
{
    return (int)level >= atomic_load(&current_level);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    char line[1024];
    struct timespec ts;
    struct tm tm;
    size_t n;
    va_list ap;

    if (!log_enabled(level))
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(line + n, sizeof line - n, ".%03ldZ %-5s ",
                          ts.tv_nsec / 1000000L, level_names[level]);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - n, fmt, ap);
    va_end(ap);
    n = strlen(line);
    if (n + 1 < sizeof line) {
        line[n] = '\n';
        line[n + 1] = '\0';
    }
    fputs(line, stderr);
}
