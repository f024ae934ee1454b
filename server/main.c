/*
 * main.c - the fsd-server command: argument handling, start and stop.
 *
 *   fsd-server init | serve | demo | backup PATH | restore PATH | migrate |
 *              rotate-key | reset-password USER  [--flags]
 *
 * Nothing else lives here: each subcommand calls into the modules.  serve
 * blocks the termination signals before CivetWeb starts its threads, waits
 * for one with sigwait, then stops CivetWeb (which lets in-flight requests
 * finish) and closes the store (which drains queued writes and checkpoints
 * the WAL).
 */
#include "api/api.h"
#include "board/board_cache.h"
#include "common/log.h"
#include "common/mem.h"
#include "common/sec.h"
#include "config.h"
#include "demo/demo.h"
#include "http/metrics.h"
#include "http/pwgate.h"
#include "http/ratelimit.h"
#include "scheduler.h"
#include "store/store.h"
#include "sync/keyset.h"
#include "sync/signing_keys.h"

#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
    const char *name;
    int nargs; /* positional arguments after the name */
    int (*run)(struct config *cfg, char **args, struct err *err);
    const char *help;
};

static int open_store(const struct config *cfg, struct store **s,
                      struct err *err)
{
    int applied;

    /* secrets an older database holds go to the key file before its
     * migration takes them out of it */
    if (signing_keys_adopt(cfg, err) || store_open(cfg->db, s, &applied, err))
        return err->rc;
    if (applied)
        log_info("database %s: %d migration(s) applied", cfg->db, applied);
    return 0;
}

/* A new one-time password (16 characters) and its hash. */
#define ONE_TIME_PASSWORD_LEN 16
static int one_time_password(char password[ONE_TIME_PASSWORD_LEN + 1],
                             char hash[SEC_PWHASH_TEXT], struct err *err)
{
    sec_password_new(password, ONE_TIME_PASSWORD_LEN);
    return sec_password_hash(password, hash, err);
}

static int cmd_init(struct config *cfg, char **args, struct err *err)
{
    struct actor system = {.name = "system", .reason = "fsd-server init"};
    char key_id[SEC_KEY_ID_TEXT], password[ONE_TIME_PASSWORD_LEN + 1];
    char hash[SEC_PWHASH_TEXT], key_file[600];
    struct store *s;
    int64_t id;
    int rc;

    (void)args;
    if (open_store(cfg, &s, err))
        return err->rc;
    if (store_is_initialized(s)) {
        store_close(s);
        return err_set(err, ERR_CONFLICT, NULL, NULL,
                       "%s is already initialised", cfg->db);
    }
    rc = signing_keys_create(cfg, s, key_id, key_file, sizeof key_file, err);
    if (rc == 0)
        rc = one_time_password(password, hash, err);
    if (rc == 0)
        rc = store_user_create(s, "admin", "admin", hash, 1, &system, &id,
                               err);
    if (rc == 0)
        printf("initialised %s\nbundle signing key: %s (its secret in %s)\n"
               "admin login: admin / %s (one-time: change it at first"
               " login)\n", cfg->db, key_id, key_file, password);
    sodium_memzero(password, sizeof password);
    store_close(s);
    return rc;
}

/* A new one-time password for args[0], for an administrator locked out. */
static int cmd_reset_password(struct config *cfg, char **args,
                              struct err *err)
{
    struct actor system = {.name = "system",
                           .reason = "fsd-server reset-password"};
    char password[ONE_TIME_PASSWORD_LEN + 1], hash[SEC_PWHASH_TEXT];
    struct store *s;
    struct user u;
    int rc;

    if (open_store(cfg, &s, err))
        return err->rc;
    rc = store_user_by_name(s, args[0], &u, err);
    if (rc == ERR_NOT_FOUND)
        err_set(err, ERR_NOT_FOUND, NULL, NULL, "no user named '%s' in %s",
                args[0], cfg->db);
    else if (rc == 0 && !u.active)
        rc = err_set(err, ERR_CONFLICT, NULL, NULL,
                     "user '%s' is deactivated; an administrator can"
                     " reactivate it first", args[0]);
    if (rc == 0)
        rc = one_time_password(password, hash, err);
    if (rc == 0)
        rc = store_user_reset_password(s, u.id, hash, &system, err);
    if (rc == 0)
        printf("%s login: %s / %s (one-time: change it at first login;"
               " %s's sessions have ended)\n", u.role, u.username,
               password, u.username);
    sodium_memzero(password, sizeof password);
    store_close(s);
    return rc;
}

static int cmd_rotate_key(struct config *cfg, char **args, struct err *err)
{
    char key_id[SEC_KEY_ID_TEXT];
    uint64_t version = 0;
    struct keyring *ring = NULL;
    struct store *s;
    int rc;

    (void)args;
    if (open_store(cfg, &s, err))
        return err->rc;
    rc = signing_keys_open(cfg, s, &ring, err);
    if (rc == 0)
        rc = keyset_rotate(s, ring, &version, key_id, err);
    if (rc == 0)
        printf("bundle signing key %s, keyset version %llu (its secret in"
               " %s)\n", key_id, (unsigned long long)version, ring->path);
    signing_keys_close(ring);
    store_close(s);
    return rc;
}

static int cmd_demo(struct config *cfg, char **args, struct err *err)
{
    struct store *s;
    int rc;

    (void)args;
    if (open_store(cfg, &s, err))
        return err->rc;
    rc = demo_load(s, err);
    if (rc == 0)
        printf("demo data loaded into %s\ndispatcher login: %s / %s\n",
               cfg->db, DEMO_DISPATCHER, DEMO_DISPATCHER_PASSWORD);
    store_close(s);
    return rc;
}

static int cmd_backup(struct config *cfg, char **args, struct err *err)
{
    struct store *s;
    int rc;

    if (open_store(cfg, &s, err))
        return err->rc;
    rc = store_backup(s, args[0], err);
    if (rc == 0)
        printf("backed up %s to %s\n", cfg->db, args[0]);
    store_close(s);
    return rc;
}

/* Put a backup back: the database starts a new epoch, which every device
 * notices on its next sync (it resyncs and sends again what it holds
 * that the backup lacks). */
static int cmd_restore(struct config *cfg, char **args, struct err *err)
{
    unsigned char epoch[STORE_EPOCH_BYTES];
    char hex[2 * STORE_EPOCH_BYTES + 1];
    struct store *s;
    int rc;

    if (store_restore(args[0], cfg->db, err) || open_store(cfg, &s, err))
        return err->rc;
    rc = store_epoch(s, epoch, err);
    if (rc == 0) {
        sodium_bin2hex(hex, sizeof hex, epoch, sizeof epoch);
        printf("restored %s from %s; epoch %s begins: devices resync and"
               " send again what they hold\n", cfg->db, args[0], hex);
    }
    store_close(s);
    return rc;
}

static int cmd_migrate(struct config *cfg, char **args, struct err *err)
{
    struct store *s;
    int applied;

    (void)args;
    if (store_open(cfg->db, &s, &applied, err))
        return err->rc;
    printf("%s: %d migration(s) applied\n", cfg->db, applied);
    store_close(s);
    return 0;
}

static void write_port_file(const char *path, int port)
{
    FILE *f;

    if (!path[0])
        return;
    f = fopen(path, "w");
    if (!f) {
        log_error("cannot write port file %s", path);
        return;
    }
    fprintf(f, "%d\n", port);
    fclose(f);
}

/* Host part of "host:port" for the printed URL. */
static void listen_host(const char *listen, char *host, size_t size)
{
    const char *colon = strrchr(listen, ':');
    size_t n = colon ? (size_t)(colon - listen) : 0;

    if (n == 0 || n >= size)
        snprintf(host, size, "127.0.0.1");
    else
        snprintf(host, size, "%.*s", (int)n, listen);
}

static const char **route_names(void)
{
    const char **names = xcalloc(api_nroutes, sizeof *names);

    for (size_t i = 0; i < api_nroutes; i++) {
        size_t n = strlen(api_routes[i].method) +
                   strlen(api_routes[i].pattern) + 2;
        char *s = xmalloc(n);
        snprintf(s, n, "%s %s", api_routes[i].method, api_routes[i].pattern);
        names[i] = s;
    }
    return names;
}

static void serve_until_signal(struct app *app, struct err *err)
{
    struct mg_context *ctx;
    struct scheduler *sched;
    char host[128];
    sigset_t set;
    int port, sig;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before any thread starts */
    signal(SIGPIPE, SIG_IGN);
    ctx = http_start(app, &port, err);
    if (!ctx)
        return;
    sched = scheduler_start(app->store, app->cfg->sweep_ms,
                            scheduler_wall_clock, NULL);
    listen_host(app->cfg->listen, host, sizeof host);
    log_info("serving on http://%s:%d/ with %ld threads", host, port,
             app->cfg->threads);
    printf("fsd-server listening on http://%s:%d/\n", host, port);
    fflush(stdout);
    write_port_file(app->cfg->port_file, port);
    sigwait(&set, &sig);
    log_info("received %s; finishing in-flight requests",
             sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_stop(ctx);
    scheduler_stop(sched);
}

static int cmd_serve(struct config *cfg, char **args, struct err *err)
{
    struct app app = {.cfg = cfg, .routes = api_routes,
                      .nroutes = api_nroutes};
    const char **names;

    (void)args;
    if (open_store(cfg, &app.store, err))
        return err->rc;
    if (!store_is_initialized(app.store)) {
        store_close(app.store);
        return err_set(err, ERR_INVALID, NULL, NULL,
                       "%s is not initialised: run fsd-server init first",
                       cfg->db);
    }
    if (signing_keys_open(cfg, app.store, &app.keys, err)) {
        store_close(app.store);
        return err->rc;
    }
    www_version(cfg->www, app.www_version);
    names = route_names();
    app.metrics = metrics_new(names, api_nroutes);
    app.login_limit = ratelimit_new((int)cfg->login_limit,
                                    cfg->login_window_s);
    app.public_limit = ratelimit_new((int)cfg->public_limit,
                                     cfg->public_window_s);
    app.boards = board_cache_new();
    app.passwords = pwgate_new((int)cfg->password_checks);
    serve_until_signal(&app, err);
    board_cache_free(app.boards);
    pwgate_free(app.passwords);
    signing_keys_close(app.keys);
    store_close(app.store);
    ratelimit_free(app.login_limit);
    ratelimit_free(app.public_limit);
    metrics_free(app.metrics);
    for (size_t i = 0; i < api_nroutes; i++)
        free((char *)names[i]);
    free(names);
    log_info("stopped");
    return err->rc;
}

static const struct command commands[] = {
    {"init", 0, cmd_init, "create the database, signing keys and admin user"},
    {"serve", 0, cmd_serve, "serve HTTP until SIGTERM or SIGINT"},
    {"demo", 0, cmd_demo, "load demonstration data"},
    {"backup", 1, cmd_backup, "PATH: online backup of the database"},
    {"restore", 1, cmd_restore,
     "PATH: put a backup back (server stopped); devices resync"},
    {"migrate", 0, cmd_migrate, "apply pending schema migrations"},
    {"rotate-key", 0, cmd_rotate_key,
     "new bundle-signing key; devices follow without re-enrolling"},
    {"reset-password", 1, cmd_reset_password,
     "USER: a new one-time password for USER (audited)"},
};

static int usage(FILE *out)
{
    fprintf(out, "usage: fsd-server COMMAND [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-15s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "\noptions (flag, environment variable):\n");
    config_usage(out);
    return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
    struct config cfg;
    struct err err = ERR_INIT;
    enum log_level level;
    int rest;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
        return usage(argc < 2 ? stderr : stdout);
    if (config_defaults(&cfg, &err) ||
        config_parse_args(&cfg, argc - 2, argv + 2, &rest, &err) ||
        log_level_parse(cfg.log_level, &level) || sec_init(&err)) {
        fprintf(stderr, "fsd-server: %s\n",
                err.msg[0] ? err.msg : "--log-level must be debug, info, warn or error");
        return 2;
    }
    log_set_level(level);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        if (rest != commands[i].nargs) {
            fprintf(stderr, "fsd-server %s takes %d argument(s)\n",
                    commands[i].name, commands[i].nargs);
            return 2;
        }
        if (commands[i].run(&cfg, argv + 2, &err) == 0)
            return 0;
        fprintf(stderr, "fsd-server %s: %s\n", commands[i].name, err.msg);
        return 1;
    }
    fprintf(stderr, "fsd-server: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
