/*
 * test_config.c - the settings table: defaults, environment variables,
 * "--flag value" and "--flag=value", precedence, and rejected input with
 * the offending setting named in the error.
 *
 * Each test starts from a clean FSD_* environment, since config_defaults
 * reads it.
 */
#include "config.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const env_names[] = {
    "FSD_DB", "FSD_LISTEN", "FSD_WWW", "FSD_PORT_FILE", "FSD_LOG_LEVEL",
    "FSD_THREADS", "FSD_MAX_BODY", "FSD_KEEPALIVE_MS", "FSD_SESSION_HOURS",
    "FSD_LOGIN_LIMIT", "FSD_LOGIN_WINDOW", "FSD_CURRENCY"};

static void clean_env(void)
{
    for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
        unsetenv(env_names[i]);
}

/* Parse a NULL-terminated argv; returns config_parse_args's result. */
static int parse(struct config *cfg, char **argv, int *rest, struct err *err)
{
    int argc = 0;

    while (argv[argc])
        argc++;
    return config_parse_args(cfg, argc, argv, rest, err);
}

START_TEST(defaults)
{
    struct config cfg;

    clean_env();
    ck_assert_int_eq(config_defaults(&cfg, NULL), 0);
    ck_assert_str_eq(cfg.db, "var/fsd.db");
    ck_assert_str_eq(cfg.listen, "127.0.0.1:8080");
    ck_assert_str_eq(cfg.www, "build/www");
    ck_assert_str_eq(cfg.port_file, "");
    ck_assert_str_eq(cfg.log_level, "info");
    ck_assert_int_eq(cfg.threads, 64);
    ck_assert_int_eq(cfg.max_body, 1048576);
    ck_assert_int_eq(cfg.keepalive_ms, 5000);
    ck_assert_int_eq(cfg.session_hours, 12);
    ck_assert_int_eq(cfg.login_limit, 5);
    ck_assert_int_eq(cfg.login_window_s, 300);
}
END_TEST

START_TEST(flags_both_forms_and_positionals)
{
    struct config cfg;
    struct err err = ERR_INIT;
    char *argv[] = {"serve-me", "--db", "x.db", "--threads=8", "extra",
                    "--listen=0.0.0.0:0", "--", "-v", "--www=", NULL};
    int rest = -1;

    clean_env();
    ck_assert_int_eq(config_defaults(&cfg, NULL), 0);
    ck_assert_int_eq(parse(&cfg, argv, &rest, &err), 0);
    ck_assert_str_eq(cfg.db, "x.db");
    ck_assert_int_eq(cfg.threads, 8);
    ck_assert_str_eq(cfg.listen, "0.0.0.0:0");
    ck_assert_str_eq(cfg.www, "");
    /* non-flag words are kept, in order, at the front of argv */
    ck_assert_int_eq(rest, 4);
    ck_assert_str_eq(argv[0], "serve-me");
    ck_assert_str_eq(argv[1], "extra");
    ck_assert_str_eq(argv[2], "--");
    ck_assert_str_eq(argv[3], "-v");
}
END_TEST

START_TEST(environment_and_precedence)
{
    struct config cfg;
    struct err err = ERR_INIT;
    char *argv[] = {"--db=flag.db", NULL};
    int rest = -1;

    clean_env();
    setenv("FSD_DB", "env.db", 1);
    setenv("FSD_THREADS", "16", 1);
    setenv("FSD_LOG_LEVEL", "debug", 1);
    ck_assert_int_eq(config_defaults(&cfg, NULL), 0);
    ck_assert_str_eq(cfg.db, "env.db");
    ck_assert_int_eq(cfg.threads, 16);
    ck_assert_str_eq(cfg.log_level, "debug");
    ck_assert_int_eq(parse(&cfg, argv, &rest, &err), 0);
    ck_assert_int_eq(rest, 0);
    ck_assert_str_eq(cfg.db, "flag.db"); /* flag beats environment */
    ck_assert_int_eq(cfg.threads, 16);
}
END_TEST

START_TEST(bad_environment_value_is_an_error)
{
    struct config cfg;
    struct err err = ERR_INIT;

    clean_env();
    setenv("FSD_THREADS", "1", 1);
    ck_assert_int_eq(config_defaults(&cfg, &err), ERR_INVALID);
    ck_assert_str_eq(err.code, "invalid_setting");
    ck_assert_str_eq(err.field, "threads");
    ck_assert_str_eq(err.msg, "FSD_THREADS must be a whole number from 2 to"
                              " 1024, not '1'");
    clean_env();
    setenv("FSD_MAX_BODY", "lots", 1);
    ck_assert_int_eq(config_defaults(&cfg, &err), ERR_INVALID);
    ck_assert_str_eq(err.field, "max-body");
    clean_env();
}
END_TEST

/* Assert argv is rejected with exactly this code, field and message. */
static void rejects(char **argv, const char *code, const char *field,
                    const char *msg)
{
    struct config cfg;
    struct err err = ERR_INIT;
    int rest = -1;

    clean_env();
    ck_assert_int_eq(config_defaults(&cfg, NULL), 0);
    ck_assert_int_eq(parse(&cfg, argv, &rest, &err), ERR_INVALID);
    ck_assert_int_eq(err.rc, ERR_INVALID);
    ck_assert_str_eq(err.code, code);
    ck_assert_str_eq(err.field, field);
    ck_assert_str_eq(err.msg, msg);
}

START_TEST(unknown_and_missing)
{
    char *a1[] = {"--nope", "1", NULL};
    char *a2[] = {"--db", NULL};
    char *a3[] = {"--dbx=1", NULL};

    rejects(a1, "unknown_setting", "--nope", "unknown option '--nope'");
    rejects(a2, "invalid_setting", "db", "--db needs a value");
    /* a prefix of a known flag is not that flag */
    rejects(a3, "unknown_setting", "--dbx=1", "unknown option '--dbx=1'");
}
END_TEST

/* A setting that moved into the database is refused, saying where to. */
START_TEST(retired_settings_say_where_they_went)
{
    struct config cfg;
    struct err err = ERR_INIT;
    char *a1[] = {"--currency", "CNY", NULL};
    char *a2[] = {"--currency=CNY", NULL};
    const char *moved = " is no longer read: the currency is the company"
                        " profile's now: PATCH /api/v1/company";
    char want[160];

    snprintf(want, sizeof want, "--currency%s", moved);
    rejects(a1, "retired_setting", "currency", want);
    rejects(a2, "retired_setting", "currency", want);
    clean_env();
    setenv("FSD_CURRENCY", "CNY", 1);
    ck_assert_int_eq(config_defaults(&cfg, &err), ERR_INVALID);
    ck_assert_str_eq(err.code, "retired_setting");
    ck_assert_str_eq(err.field, "currency");
    snprintf(want, sizeof want, "FSD_CURRENCY%s", moved);
    ck_assert_str_eq(err.msg, want);
    clean_env();
}
END_TEST

START_TEST(numbers_out_of_range)
{
    char *a1[] = {"--threads=1", NULL};
    char *a2[] = {"--threads", "1025", NULL};
    char *a3[] = {"--threads=8x", NULL};
    char *a4[] = {"--login-window=", NULL};
    char *a5[] = {"--max-body=99999999999999999999999", NULL};
    char *a6[] = {"--keepalive-ms=-1", NULL};

    rejects(a1, "invalid_setting", "threads",
            "--threads must be a whole number from 2 to 1024, not '1'");
    rejects(a2, "invalid_setting", "threads",
            "--threads must be a whole number from 2 to 1024, not '1025'");
    rejects(a3, "invalid_setting", "threads",
            "--threads must be a whole number from 2 to 1024, not '8x'");
    rejects(a4, "invalid_setting", "login-window",
            "--login-window must be a whole number from 1 to 86400, not ''");
    rejects(a5, "invalid_setting", "max-body",
            "--max-body must be a whole number from 1024 to 67108864, "
            "not '99999999999999999999999'");
    rejects(a6, "invalid_setting", "keepalive-ms",
            "--keepalive-ms must be a whole number from 0 to 600000, "
            "not '-1'");
}
END_TEST

START_TEST(strings_too_long)
{
    static char arg[600];
    char *argv[] = {arg, NULL};

    strcpy(arg, "--db=");
    memset(arg + 5, 'd', 512); /* the buffer holds 511 and a NUL */
    arg[517] = '\0';
    rejects(argv, "invalid_setting", "db",
            "--db is longer than 511 characters");
}
END_TEST

START_TEST(bounds_are_inclusive)
{
    struct config cfg;
    struct err err = ERR_INIT;
    char *argv[] = {"--threads=2", "--session-hours", "720",
                    "--keepalive-ms=0", NULL};
    int rest = -1;

    clean_env();
    ck_assert_int_eq(config_defaults(&cfg, NULL), 0);
    ck_assert_int_eq(parse(&cfg, argv, &rest, &err), 0);
    ck_assert_int_eq(cfg.threads, 2);
    ck_assert_int_eq(cfg.session_hours, 720);
    ck_assert_int_eq(cfg.keepalive_ms, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("settings");

    tcase_add_test(tc, defaults);
    tcase_add_test(tc, flags_both_forms_and_positionals);
    tcase_add_test(tc, environment_and_precedence);
    tcase_add_test(tc, bad_environment_value_is_an_error);
    tcase_add_test(tc, unknown_and_missing);
    tcase_add_test(tc, retired_settings_say_where_they_went);
    tcase_add_test(tc, numbers_out_of_range);
    tcase_add_test(tc, strings_too_long);
    tcase_add_test(tc, bounds_are_inclusive);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
