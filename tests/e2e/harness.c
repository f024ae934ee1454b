/*
 * harness.c - starting and stopping the real fsd-server for the e2e suites.
 *
 * The binary comes from $FSD_SERVER (default build/fsd-server).  Children
 * get the test's environment minus FSD_* variables, so a developer's
 * settings cannot change what is being tested; they listen on 127.0.0.1
 * only, and the kernel SIGTERMs them if the process that started them
 * dies (tests/support/child.c starts, waits for and stops them).  This file must not call Check:
 * fixtures run it in the runner process, and they decide what a failure
 * means.
 */
#define _GNU_SOURCE /* environ, nftw */
#include "harness.h"
#include "child.h"
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define START_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS 15000
#define COMMAND_TIMEOUT_MS 15000
#define MAX_ENV 512

static char root_dir[200];

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

/* Read the child's output until EOF or the deadline; NUL-terminated. */
static void read_output(int fd, char *buf, size_t size, long timeout_ms)
{
    size_t n = 0;
    struct pollfd p = {fd, POLLIN, 0};

    for (long waited = 0; n + 1 < size && waited <= timeout_ms;
         waited += CHILD_STEP_MS) {
        ssize_t r;
        if (poll(&p, 1, CHILD_STEP_MS) <= 0)
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
    pid_t pid;

    child_env(env, MAX_ENV);
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    pid = child_spawn(argv, env, fds[1], SIGTERM);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    read_output(fds[0], out, size, COMMAND_TIMEOUT_MS);
    close(fds[0]);
    status = child_wait_exit(pid, COMMAND_TIMEOUT_MS);
    if (status < 0)
        child_kill(pid);
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

int e2e_server_start(struct e2e_server *s)
{
    char port_file[320], log_file[320];
    char *argv[12 + E2E_MAX_ARGS], *env[MAX_ENV];
    int n = 0, fd;

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
    s->pid = child_spawn(argv, env, fd, SIGTERM);
    close(fd);
    if (s->pid < 0 || child_wait_ready(s->pid, port_file, START_TIMEOUT_MS,
                                       &s->port, s->base,
                                       sizeof s->base) != 0) {
        fprintf(stderr, "e2e: %s serve did not become ready\n", argv[0]);
        e2e_server_dump_log(s);
        if (s->pid > 0)
            child_kill(s->pid);
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
    status = child_stop(s->pid, STOP_TIMEOUT_MS);
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
