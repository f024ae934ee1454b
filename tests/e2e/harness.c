/*
 * harness.c - starting and stopping the real fsd-server for the e2e suites.
 *
 * The binary comes from $FSD_SERVER (default build/fsd-server).  Children
 * get the test's environment minus FSD_* variables, so a developer's
 * settings cannot change what is being tested; they listen on 127.0.0.1
 * only, and ask the kernel to SIGTERM them if the process that started them
 * dies.  Every wait here is a bounded loop.  This file must not call Check:
 * fixtures run it in the runner process, and they decide what a failure
 * means.
 */
#define _GNU_SOURCE /* environ, nftw */
#include "harness.h"
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAIT_STEP_MS 20
#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 15000
#define COMMAND_TIMEOUT_MS 15000
#define MAX_ENV 512

static char root_dir[200];

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static const char *server_binary(void)
{
    const char *p = getenv("FSD_SERVER");
    return p && *p ? p : "build/fsd-server";
}

int e2e_root_init(void)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(root_dir, sizeof root_dir, "%s/fsd-e2e-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root_dir)) {
        perror("e2e: mkdtemp");
        root_dir[0] = '\0';
        return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "e2e: cannot remove %s\n", path);
    return 0;
}

void e2e_root_remove(void)
{
    if (root_dir[0] && strstr(root_dir, "fsd-e2e-"))
        nftw(root_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The environment for a child: ours without FSD_* (NULL-terminated). */
static void child_env(char **env, size_t size)
{
    size_t n = 0;

    for (char **e = environ; *e && n + 1 < size; e++)
        if (strncmp(*e, "FSD_", 4) != 0)
            env[n++] = *e;
    env[n] = NULL;
}

/* Runs in the child between fork and exec: async-signal-safe calls only. */
static void exec_child(char *const argv[], char *const env[], int out_fd,
                       pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) /* the parent died before prctl */
        _exit(127);
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    close(out_fd);
    execve(argv[0], argv, env);
    _exit(127);
}

/* Wait up to timeout_ms for pid; its exit status, or -1 if still running. */
static int wait_exit(pid_t pid, long timeout_ms)
{
    int status;

    for (long waited = 0; waited <= timeout_ms; waited += WAIT_STEP_MS) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
        if (r < 0)
            return -1;
        sleep_ms(WAIT_STEP_MS);
    }
    return -1;
}

static void kill_and_reap(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0); /* SIGKILL cannot be ignored: this returns */
}

/* Read the child's output until EOF or the deadline; NUL-terminated. */
static void read_output(int fd, char *buf, size_t size, long timeout_ms)
{
    size_t n = 0;
    struct pollfd p = {fd, POLLIN, 0};

    for (long waited = 0; n + 1 < size && waited <= timeout_ms;
         waited += WAIT_STEP_MS) {
        ssize_t r;
        if (poll(&p, 1, WAIT_STEP_MS) <= 0)
            continue;
        r = read(fd, buf + n, size - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
}

int e2e_parse_login(const char *out, const char *username, char *pw,
                    size_t size)
{
    char tag[128];
    const char *p;
    size_t n;

    snprintf(tag, sizeof tag, " login: %s / ", username);
    if (!(p = strstr(out, tag)))
        return -1;
    p += strlen(tag);
    n = strcspn(p, " \n");
    if (n == 0 || n >= size)
        return -1;
    memcpy(pw, p, n);
    pw[n] = '\0';
    return 0;
}

int e2e_server_command(const struct e2e_server *s, const char *command,
                       const char *arg, char *out, size_t size)
{
    char *argv[] = {(char *)server_binary(), (char *)command, "--db",
                    (char *)s->db, (char *)arg, NULL};
    char *env[MAX_ENV];
    int fds[2], status;
    pid_t parent = getpid(), pid;

    child_env(env, MAX_ENV);
    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        exec_child(argv, env, fds[1], parent);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    read_output(fds[0], out, size, COMMAND_TIMEOUT_MS);
    close(fds[0]);
    status = wait_exit(pid, COMMAND_TIMEOUT_MS);
    if (status < 0)
        kill_and_reap(pid);
    return status;
}

static int run_init(struct e2e_server *s)
{
    char out[4096];
    int status = e2e_server_command(s, "init", NULL, out, sizeof out);

    if (status != 0 ||
        e2e_parse_login(out, "admin", s->admin_password,
                        sizeof s->admin_password)) {
        fprintf(stderr, "e2e: %s init failed (status %d):\n%s\n",
                server_binary(), status, out);
        return -1;
    }
    return 0;
}

int e2e_server_init(struct e2e_server *s, const char *const *args)
{
    size_t n = 0;

    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "%s/srv-XXXXXX", root_dir);
    if (!root_dir[0] || !mkdtemp(s->dir)) {
        fprintf(stderr, "e2e: cannot make a server directory\n");
        s->dir[0] = '\0';
        return -1;
    }
    snprintf(s->db, sizeof s->db, "%s/fsd.db", s->dir);
    while (args && args[n] && n < E2E_MAX_ARGS) {
        s->args[n] = args[n];
        n++;
    }
    s->args[n] = NULL;
    return run_init(s);
}

/* The port from the port file, 0 while it is not (completely) written. */
static int read_port(const char *path)
{
    char buf[32] = "";
    FILE *f = fopen(path, "r");
    size_t n;
    int port;

    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (n == 0 || buf[n - 1] != '\n' || sscanf(buf, "%d", &port) != 1 ||
        port <= 0 || port > 65535)
        return 0;
    return port;
}

/* Poll the port file and then /healthz, watching for an early exit. */
static int wait_ready(struct e2e_server *s, const char *port_file)
{
    for (long waited = 0; waited <= START_TIMEOUT_MS;
         waited += WAIT_STEP_MS) {
        if (waitpid(s->pid, NULL, WNOHANG) != 0) {
            s->pid = 0;
            return -1; /* exited (or is not our child) */
        }
        if (!s->port && (s->port = read_port(port_file)) != 0)
            snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d",
                     s->port);
        if (s->port && e2e_healthy(s->base))
            return 0;
        sleep_ms(WAIT_STEP_MS);
    }
    return -1;
}

int e2e_server_start(struct e2e_server *s)
{
    char port_file[320], log_file[320];
    char *argv[12 + E2E_MAX_ARGS], *env[MAX_ENV];
    int n = 0, fd;
    pid_t parent = getpid();

    snprintf(port_file, sizeof port_file, "%s/port", s->dir);
    snprintf(log_file, sizeof log_file, "%s/server.log", s->dir);
    unlink(port_file); /* a restart must not read the old port */
    argv[n++] = (char *)server_binary();
    argv[n++] = "serve";
    argv[n++] = "--db", argv[n++] = s->db;
    argv[n++] = "--listen", argv[n++] = "127.0.0.1:0";
    argv[n++] = "--port-file", argv[n++] = port_file;
    argv[n++] = "--www", argv[n++] = s->dir; /* no static files in it */
    for (int i = 0; s->args[i]; i++)
        argv[n++] = (char *)s->args[i];
    argv[n] = NULL;
    child_env(env, MAX_ENV);
    fd = open(log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    s->port = 0;
    s->pid = fork();
    if (s->pid == 0)
        exec_child(argv, env, fd, parent);
    close(fd);
    if (s->pid < 0 || wait_ready(s, port_file) != 0) {
        fprintf(stderr, "e2e: %s serve did not become ready\n", argv[0]);
        e2e_server_dump_log(s);
        if (s->pid > 0)
            kill_and_reap(s->pid);
        s->pid = 0;
        return -1;
    }
    return 0;
}

int e2e_server_stop(struct e2e_server *s)
{
    int status;

    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    status = wait_exit(s->pid, STOP_TIMEOUT_MS);
    if (status < 0) {
        fprintf(stderr, "e2e: server %d ignored SIGTERM; killing it\n",
                (int)s->pid);
        kill_and_reap(s->pid);
    }
    s->pid = 0;
    s->port = 0;
    return status;
}

void e2e_server_release(struct e2e_server *s)
{
    if (s->pid > 0)
        e2e_server_stop(s);
    if (s->dir[0])
        nftw(s->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    s->dir[0] = '\0';
}

void e2e_server_dump_log(const struct e2e_server *s)
{
    char path[320], buf[4096];
    FILE *f;
    long size;
    size_t n;

    snprintf(path, sizeof path, "%s/server.log", s->dir);
    if (!(f = fopen(path, "r")))
        return;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0,
          SEEK_SET);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    fprintf(stderr, "---- %s (tail) ----\n%s\n----\n", path, buf);
}
