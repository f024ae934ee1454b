/*
 * server.c - the real fsd-server as a child process of the fault run:
 * `init` and `demo` on a scratch database, `serve` on a loopback port
 * (port 0 and --port-file the first time; the same port on every restart,
 * because enrolled devices keep the server's URL), SIGKILL and restart.
 *
 * Children write their output to dir/server.log and are SIGKILLed by the
 * kernel if this process dies; tests/support/child.c starts, waits for and
 * stops them.
 */
#define _GNU_SOURCE
#include "child.h"
#include "fault.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define START_TIMEOUT_MS 15000
#define STOP_TIMEOUT_MS 15000
#define CMD_TIMEOUT_MS 30000

/* The server's log, opened for appending; -1 on failure. */
static int open_log(const struct fault_server *s)
{
    char log[320];

    snprintf(log, sizeof log, "%s/server.log", s->dir);
    return open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* fork + exec argv with output appended to the log, SIGKILLed if this
 * process dies; the pid or -1. */
static pid_t spawn(const struct fault_server *s, char *const argv[])
{
    int fd = open_log(s);
    pid_t pid;

    if (fd < 0)
        return -1;
    pid = child_spawn(argv, NULL, fd, SIGKILL);
    close(fd);
    return pid;
}

static int run_cmd(const struct fault_server *s, const char *cmd)
{
    char *argv[] = {(char *)s->bin, (char *)cmd, "--db", (char *)s->db, NULL};
    int fd = open_log(s),
        st = fd < 0 ? -1 : child_run(argv, fd, CMD_TIMEOUT_MS);

    if (fd >= 0)
        close(fd);
    if (st != 0)
        fprintf(stderr, "fault: %s %s failed (%d), see %s/server.log\n", s->bin,
                cmd, st, s->dir);
    return st == 0 ? 0 : -1;
}

int fault_server_init(struct fault_server *s, const char *bin, const char *dir)
{
    memset(s, 0, sizeof *s);
    s->bin = bin;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(s->db, sizeof s->db, "%s/fsd.db", dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        perror(dir);
        return -1;
    }
    return run_cmd(s, "init") || run_cmd(s, "demo") ? -1 : 0;
}

static int start_once(struct fault_server *s)
{
    char port_file[320], listen[40];
    char *argv[] = {
        (char *)s->bin, "serve",       "--db",    s->db,   "--listen",
        listen,         "--port-file", port_file, "--www", s->dir,
        "--log-level",  "warn",        NULL};

    snprintf(port_file, sizeof port_file, "%s/port", s->dir);
    snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
    unlink(port_file);
    if ((s->pid = spawn(s, argv)) <= 0) {
        s->pid = 0;
        return -1;
    }
    if (child_wait_ready(s->pid, port_file, START_TIMEOUT_MS, &s->port, s->base,
                         sizeof s->base) == 0)
        return 0;
    child_kill(s->pid);
    s->pid = 0;
    return -1;
}

int fault_server_start(struct fault_server *s)
{
    double t0 = fault_now();

    for (int attempt = 0; attempt < 20; attempt++) {
        if (start_once(s) == 0) {
            s->last_start_ms = (fault_now() - t0) * 1000;
            return 0;
        }
        fault_sleep_ms(100); /* the port may still be held */
    }
    fprintf(stderr, "fault: the server did not start; see %s/server.log\n",
            s->dir);
    return -1;
}

void fault_server_kill(struct fault_server *s)
{
    if (s->pid <= 0)
        return;
    child_kill(s->pid);
    s->pid = 0;
}

int fault_server_stop(struct fault_server *s)
{
    int st;

    if (s->pid <= 0)
        return -1;
    st = child_stop(s->pid, STOP_TIMEOUT_MS);
    s->pid = 0;
    return st;
}
