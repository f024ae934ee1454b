/*
 * serve_child.c - fsd-test-server: the real fsd-server for the tests and
 * benchmarks that are not written in C (tests/browser/server.mjs,
 * tests/bench/run.sh), started the way the C suites start theirs
 * (child.h).
 *
 *   fsd-test-server --server BIN --dir DIR [--data demo|empty|kept]
 *                   [-- SERVE-ARGS...]
 *
 * Prepares DIR/fsd.db (demo: `init` and `demo`, the default; empty:
 * `init` only; kept: the database already there), runs `serve` on an
 * ephemeral loopback port with the server's output in DIR/server.log,
 * and once /healthz answers prints one line on standard output:
 *
 *   http://127.0.0.1:PORT SERVER-PID DIR/fsd.db
 *
 * The server then runs until standard input reaches its end (the caller
 * closed it, or died) or this program gets SIGTERM or SIGINT: it is
 * stopped with SIGTERM and its exit status becomes this program's.  If the
 * server dies first, this program says so and exits 1.  Every wait is
 * bounded; the server is SIGKILLed by the kernel if this program dies.
 */
#define _GNU_SOURCE
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define COMMAND_TIMEOUT_MS 60000
#define START_TIMEOUT_MS 15000
#define STOP_TIMEOUT_MS 15000
#define MAX_SERVE_ARGS 32

struct options {
    const char *server, *dir, *data;
    char *serve_args[MAX_SERVE_ARGS];
    int n_serve_args;
};

static volatile sig_atomic_t stop_asked;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_asked = 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: fsd-test-server --server BIN --dir DIR "
                    "[--data demo|empty|kept] [-- SERVE-ARGS...]\n");
    return 2;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int i;

    memset(o, 0, sizeof *o);
    o->data = "demo";
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
        const char **slot = !strcmp(argv[i], "--server") ? &o->server
                            : !strcmp(argv[i], "--dir")  ? &o->dir
                            : !strcmp(argv[i], "--data") ? &o->data
                                                         : NULL;
        if (!slot || i + 1 >= argc)
            return -1;
        *slot = argv[i + 1];
    }
    for (i++; i < argc; i++) {
        if (o->n_serve_args == MAX_SERVE_ARGS)
            return -1;
        o->serve_args[o->n_serve_args++] = argv[i];
    }
    if (!o->server || !o->dir)
        return -1;
    return strcmp(o->data, "demo") && strcmp(o->data, "empty") &&
                   strcmp(o->data, "kept")
               ? -1
               : 0;
}

/* Run `server COMMAND --db db` to its end with its output in the log. */
static int run_command(const struct options *o, const char *command,
                       const char *db, int log_fd)
{
    char *argv[] = {(char *)o->server, (char *)command, "--db", (char *)db,
                    NULL};
    int status = child_run(argv, log_fd, COMMAND_TIMEOUT_MS);

    if (status != 0)
        fprintf(stderr,
                "fsd-test-server: %s %s failed (%d); see %s/server.log\n",
                o->server, command, status, o->dir);
    return status == 0 ? 0 : -1;
}

static int prepare_database(const struct options *o, const char *db, int log_fd)
{
    if (!strcmp(o->data, "kept"))
        return 0;
    if (run_command(o, "init", db, log_fd) != 0)
        return -1;
    return strcmp(o->data, "demo") ? 0 : run_command(o, "demo", db, log_fd);
}

/* Start `serve` and wait for /healthz; its pid, or -1. */
static pid_t start_server(const struct options *o, const char *db, int log_fd,
                          char *base, size_t size)
{
    char port_file[4096];
    char *argv[8 + MAX_SERVE_ARGS + 1];
    int n = 0, port = 0;
    pid_t pid;

    snprintf(port_file, sizeof port_file, "%s/port", o->dir);
    unlink(port_file);
    argv[n++] = (char *)o->server;
    argv[n++] = "serve";
    argv[n++] = "--db";
    argv[n++] = (char *)db;
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1:0";
    argv[n++] = "--port-file";
    argv[n++] = port_file;
    for (int i = 0; i < o->n_serve_args; i++)
        argv[n++] = o->serve_args[i];
    argv[n] = NULL;
    pid = child_spawn(argv, NULL, log_fd, SIGKILL);
    if (pid > 0 && child_wait_ready(pid, port_file, START_TIMEOUT_MS, &port,
                                    base, size) == 0)
        return pid;
    if (pid > 0)
        child_kill(pid);
    fprintf(stderr,
            "fsd-test-server: the server did not start; see "
            "%s/server.log\n",
            o->dir);
    return -1;
}

/* Wait for the end of standard input, a stop signal or the server's
 * death: 0 when asked to stop, -1 when the server died. */
static int wait_for_stop(pid_t server)
{
    struct pollfd in = {STDIN_FILENO, POLLIN, 0};
    char buf[256];

    while (!stop_asked) {
        int ready = poll(&in, 1, 200);
        if (ready > 0 && read(STDIN_FILENO, buf, sizeof buf) <= 0)
            return 0;
        if (ready < 0 && errno != EINTR)
            return 0;
        if (waitpid(server, NULL, WNOHANG) != 0)
            return -1;
    }
    return 0;
}

static int open_log(const char *dir)
{
    char path[4096];

    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        perror(dir);
        return -1;
    }
    snprintf(path, sizeof path, "%s/server.log", dir);
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

int main(int argc, char **argv)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    struct options o;
    char db[4096], base[64] = "";
    int log_fd, status;
    pid_t pid;

    if (parse_options(argc, argv, &o) != 0)
        return usage();
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    snprintf(db, sizeof db, "%s/fsd.db", o.dir);
    if ((log_fd = open_log(o.dir)) < 0 ||
        prepare_database(&o, db, log_fd) != 0 ||
        (pid = start_server(&o, db, log_fd, base, sizeof base)) < 0)
        return 1;
    close(log_fd);
    printf("%s %d %s\n", base, (int)pid, db);
    fflush(stdout);
    if (wait_for_stop(pid) != 0) {
        fprintf(stderr,
                "fsd-test-server: the server exited by itself; see "
                "%s/server.log\n",
                o.dir);
        return 1;
    }
    status = child_stop(pid, STOP_TIMEOUT_MS);
    return status < 0 ? 1 : status;
}
