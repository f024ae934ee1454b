/*
 * harness.h - the real fsd-server as a child process of the test binary.
 *
 * A server lives in its own scratch directory (database, port file, log)
 * under one root directory per test run.  It is created with `init` (whose
 * one-time admin password is captured), served on an ephemeral loopback
 * port found through --port-file, and stopped with SIGTERM.  Every wait is
 * bounded; a server that will not stop is killed.
 */
#ifndef FSD_E2E_HARNESS_H
#define FSD_E2E_HARNESS_H

#include <sys/types.h>

#define E2E_MAX_ARGS 8

struct e2e_server {
    char dir[256];             /* scratch directory, under the run's root */
    char db[300];              /* dir/fsd.db */
    char admin_password[64];   /* one-time password printed by init */
    char base[64];             /* "http://127.0.0.1:PORT" while serving */
    int port;                  /* bound port, 0 when stopped */
    pid_t pid;                 /* serving child, 0 when stopped */
    const char *args[E2E_MAX_ARGS + 1]; /* extra serve flags (static
                                           strings), NULL-terminated */
};

/* Create the run's root scratch directory; call once before any fork. */
int e2e_root_init(void);
/* Remove the root directory and everything left in it. */
void e2e_root_remove(void);

/*
 * Make a scratch directory and run `fsd-server init` in it.  args are extra
 * flags for every later `serve` (static strings, NULL-terminated, or NULL).
 * Returns 0 or -1 with a message on stderr.
 */
int e2e_server_init(struct e2e_server *s, const char *const *args);
/*
 * Run `fsd-server COMMAND --db DB [ARG]` on s's database (arg may be NULL)
 * and collect what it prints (stdout and stderr, NUL-terminated, cut to
 * size).  Returns its exit status, or -1 if it could not run or hung.
 */
int e2e_server_command(const struct e2e_server *s, const char *command,
                       const char *arg, char *out, size_t size);
/* The password in a "ROLE login: USERNAME / PASSWORD ..." line of out.
 * 0, or -1 when there is none (or it does not fit size). */
int e2e_parse_login(const char *out, const char *username, char *pw,
                    size_t size);
/* Start `serve` and wait until it answers /healthz.  0 or -1. */
int e2e_server_start(struct e2e_server *s);
/*
 * SIGTERM the server and wait for it; kill it if it does not stop in time.
 * Returns its exit status (0 after a graceful stop), or -1.
 */
int e2e_server_stop(struct e2e_server *s);
/* Stop the server if it runs and remove its directory. */
void e2e_server_release(struct e2e_server *s);
/* Print the tail of the server's log to stderr (for failure reports). */
void e2e_server_dump_log(const struct e2e_server *s);

#endif
