/*
 * config.h - server settings from flags, environment and defaults.
 *
 * Every setting is one row of a table in config.c: its flag, its environment
 * variable, its default and its help text.  Precedence: flag, then
 * environment, then default.
 */
#ifndef FSD_CONFIG_H
#define FSD_CONFIG_H

#include "common/err.h"

#include <stdio.h>

struct config {
    char db[512];        /* database path */
    char key_file[512];  /* bundle-signing secret keys, "" for the default
                            (sync/keyfile.h) */
    char listen[128];    /* CivetWeb listening_ports value, e.g. 127.0.0.1:8080 */
    char www[512];       /* static file root, "" for none */
    char trusted_proxy[256]; /* addresses believed about X-Forwarded-* */
    char port_file[512]; /* write the bound port here once listening, "" none */
    char log_level[16];  /* debug, info, warn, error */
    long threads;        /* CivetWeb worker threads */
    long max_body;       /* request body limit in bytes */
    long keepalive_ms;   /* keep-alive idle timeout */
    long request_timeout_ms; /* for a request's head, and to start its body */
    long body_min_rate;  /* bytes a second a body must keep up, past that */
    long session_hours;  /* staff session lifetime */
    long login_limit;    /* failed logins allowed per window per user/address */
    long login_window_s; /* the rate-limit window */
    long public_limit;   /* public-route requests per window per address */
    long public_window_s;
    long quote_ttl_s;    /* how long a quote waits for an answer */
    long plan_freeze_s;  /* ahead of now, time the planner leaves alone */
    long sweep_ms;       /* how often the scheduler looks for expiries */
    long password_checks; /* password hashes computed at once (pwgate.h) */
};

/* Fill cfg with defaults, then the environment; an invalid variable is
 * ERR_INVALID naming it. */
int config_defaults(struct config *cfg, struct err *err);

/*
 * Apply flags from argv (argc entries).  Non-flag words are left in place
 * and their count returned through *rest_argc, compacted into argv.
 */
int config_parse_args(struct config *cfg, int argc, char **argv,
                      int *rest_argc, struct err *err);

/* Print the settings table as help text. */
void config_usage(FILE *out);

#endif
