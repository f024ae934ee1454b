/*
 * config.c - the settings table and its flag/environment parser.
 *
 * Adding a setting means adding a field to struct config and one row here;
 * nothing else parses flags.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum setting_type { SET_STR, SET_LONG };

struct setting {
    const char *flag;  /* without the leading "--" */
    const char *env;
    enum setting_type type;
    size_t offset;     /* into struct config */
    size_t size;       /* buffer size for SET_STR */
    const char *dflt;
    long min, max;     /* bounds for SET_LONG */
    const char *help;
};

#define STR(flag, f, e, d, h) {flag, e, SET_STR, offsetof(struct config, f), \
                         sizeof(((struct config *)0)->f), d, 0, 0, h}
#define NUM(flag, f, e, d, lo, hi, h) {flag, e, SET_LONG, offsetof(struct config, f), \
                                 0, d, lo, hi, h}

static const struct setting settings[] = {
    STR("db", db, "FSD_DB", "var/fsd.db", "SQLite database file"),
    STR("key-file", key_file, "FSD_KEY_FILE", "", "the bundle-signing secret keys (mode 600); default: the systemd credential fsd-signing-keys, else the database's path with .keys"),
    STR("listen", listen, "FSD_LISTEN", "127.0.0.1:8080", "address:port to serve on (port 0 picks one)"),
    STR("www", www, "FSD_WWW", "build/www", "directory of static web files"),
    STR("trusted-proxy", trusted_proxy, "FSD_TRUSTED_PROXY", "", "comma-separated addresses of proxies whose X-Forwarded-For and X-Forwarded-Proto are believed"),
    STR("port-file", port_file, "FSD_PORT_FILE", "", "write the bound port to this file"),
    STR("log-level", log_level, "FSD_LOG_LEVEL", "info", "debug, info, warn or error"),
    NUM("threads", threads, "FSD_THREADS", "64", 2, 1024, "HTTP worker threads (one per keep-alive connection)"),
    NUM("max-body", max_body, "FSD_MAX_BODY", "1048576", 1024, 64L << 20, "request body limit in bytes"),
    NUM("keepalive-ms", keepalive_ms, "FSD_KEEPALIVE_MS", "5000", 0, 600000, "keep-alive idle timeout"),
    NUM("request-timeout-ms", request_timeout_ms, "FSD_REQUEST_TIMEOUT_MS", "3000", 500, 600000, "time a client has to send a request's head, and to send its body (one second more per --body-min-rate bytes received)"),
    NUM("body-min-rate", body_min_rate, "FSD_BODY_MIN_RATE", "8192", 1, 1L << 30, "slowest body upload kept, in bytes a second"),
    NUM("session-hours", session_hours, "FSD_SESSION_HOURS", "12", 1, 24 * 30, "staff session lifetime in hours"),
    NUM("login-limit", login_limit, "FSD_LOGIN_LIMIT", "5", 1, 1000, "failed logins allowed per user and per address in a window"),
    NUM("login-window", login_window_s, "FSD_LOGIN_WINDOW", "300", 1, 86400, "login rate-limit window in seconds"),
    NUM("public-limit", public_limit, "FSD_PUBLIC_LIMIT", "60", 1, 100000, "requests per address and window allowed on public (customer) routes"),
    NUM("public-window", public_window_s, "FSD_PUBLIC_WINDOW", "60", 1, 86400, "public routes' rate-limit window in seconds"),
    NUM("quote-ttl", quote_ttl_s, "FSD_QUOTE_TTL", "86400", 1, 30 * 86400, "seconds an unanswered quote stays open before it expires"),
    NUM("plan-freeze", plan_freeze_s, "FSD_PLAN_FREEZE", "1800", 0, 86400, "seconds after now in which the planner places no visit (the freeze horizon)"),
    NUM("password-checks", password_checks, "FSD_PASSWORD_CHECKS", "4", 1, 64, "password hashes (64 MiB each) computed at once; more wait, then get 429"),
    NUM("sweep-ms", sweep_ms, "FSD_SWEEP_MS", "30000", 50, 3600000, "how often expired quotes are looked for, in milliseconds"),
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

/* Settings that moved into the database: naming one is an error that says
 * where it went, never silently ignored (a quote must not change currency
 * behind an operator's back). */
static const struct retired_setting {
    const char *flag, *env, *moved_to;
} retired[] = {
    {"currency", "FSD_CURRENCY",
     "the currency is the company profile's now: PATCH /api/v1/company"},
};
#define NRETIRED (sizeof retired / sizeof retired[0])

static int retired_error(const struct retired_setting *r, const char *source,
                         struct err *err)
{
    return err_set(err, ERR_INVALID, "retired_setting", r->flag,
                   "%s is no longer read: %s", source, r->moved_to);
}

/* Set s from value; source names it in errors ("--threads", "FSD_THREADS"). */
static int setting_apply(struct config *cfg, const struct setting *s,
                         const char *source, const char *value,
                         struct err *err)
{
    char *base = (char *)cfg + s->offset;
    char *end;
    long v;

    if (s->type == SET_STR) {
        if (strlen(value) >= s->size)
            return err_set(err, ERR_INVALID, "invalid_setting", s->flag,
                           "%s is longer than %zu characters", source,
                           s->size - 1);
        memcpy(base, value, strlen(value) + 1);
        return 0;
    }
    errno = 0;
    v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < s->min || v > s->max)
        return err_set(err, ERR_INVALID, "invalid_setting", s->flag,
                       "%s must be a whole number from %ld to %ld, not '%s'",
                       source, s->min, s->max, value);
    *(long *)(void *)base = v;
    return 0;
}

int config_defaults(struct config *cfg, struct err *err)
{
    struct err ignored = ERR_INIT;

    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < NSETTINGS; i++)
        setting_apply(cfg, &settings[i], "default", settings[i].dflt,
                      &ignored);
    for (size_t i = 0; i < NSETTINGS; i++) {
        const char *env = getenv(settings[i].env);
        if (env && setting_apply(cfg, &settings[i], settings[i].env, env,
                                 err))
            return err->rc;
    }
    for (size_t i = 0; i < NRETIRED; i++)
        if (getenv(retired[i].env))
            return retired_error(&retired[i], retired[i].env, err);
    return 0;
}

/* The retired setting a flag names (NAME or NAME=...), or NULL. */
static const struct retired_setting *retired_find(const char *name,
                                                  size_t len)
{
    for (size_t i = 0; i < NRETIRED; i++)
        if (strlen(retired[i].flag) == len &&
            strncmp(retired[i].flag, name, len) == 0)
            return &retired[i];
    return NULL;
}

static const struct setting *setting_find(const char *name, size_t len)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (strlen(settings[i].flag) == len &&
            strncmp(settings[i].flag, name, len) == 0)
            return &settings[i];
    return NULL;
}

int config_parse_args(struct config *cfg, int argc, char **argv,
                      int *rest_argc, struct err *err)
{
    int rest = 0;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *eq, *value;
        const struct setting *s;
        const struct retired_setting *gone;
        char source[40];
        size_t len;

        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            argv[rest++] = argv[i];
            continue;
        }
        eq = strchr(a + 2, '=');
        len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        s = setting_find(a + 2, len);
        if (!s && (gone = retired_find(a + 2, len)) != NULL) {
            snprintf(source, sizeof source, "--%s", gone->flag);
            return retired_error(gone, source, err);
        }
        if (!s)
            return err_set(err, ERR_INVALID, "unknown_setting", a,
                           "unknown option '%s'", a);
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            return err_set(err, ERR_INVALID, "invalid_setting", s->flag,
                           "--%s needs a value", s->flag);
        snprintf(source, sizeof source, "--%s", s->flag);
        if (setting_apply(cfg, s, source, value, err))
            return err->rc;
    }
    *rest_argc = rest;
    return 0;
}

void config_usage(FILE *out)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        fprintf(out, "  --%-14s %-18s %s (default %s)\n", settings[i].flag,
                settings[i].env, settings[i].help,
                *settings[i].dflt ? settings[i].dflt : "none");
}
