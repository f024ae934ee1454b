/*
 * log.h - levelled logging to standard error.
 *
 * One line per call, prefixed with a UTC timestamp and the level.  The level
 * is process-wide and set once at start-up; the access log is written at
 * LOG_INFO by the HTTP layer.
 */
#ifndef FSD_LOG_H
#define FSD_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parse "debug", "info", "warn" or "error"; returns 0 or ERR_INVALID. */
int log_level_parse(const char *name, enum log_level *out);
void log_set_level(enum log_level level);
int log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
