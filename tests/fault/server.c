/*
 * server.c - the real fsd-server as a child process of the fault run:
 * `init` and `demo` on a scratch database, `serve` on a loopback port
 * (port 0 and --port-file the first time; the same port on every restart,
 * because enrolled devices keep the server's URL), SIGKILL and restart.
 *
 * Children write their output to dir/server.log and are SIGKILLed by the
 * kernel if this process dies (PR_SET_PDEATHSIG).  Every wait is bounded.
 */
#define _GNU_SOURCE
#include "fault.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define START_TIMEOUT_MS 15000
#define STOP_TIMEOUT_MS 15000
#define CMD_TIMEOUT_MS 30000
#define STEP_MS 5

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
    (void)p, (void)arg;
    return size * n;
}

int fault_healthy(const char *base)
{
    CURL *h = curl_easy_init();
    char url[128];
    long status = 0;

    if (!h)
        return 0;
    snprintf(url, sizeof url, "%s/healthz", base);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 1000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    return status == 200;
}

/* fork + exec argv with output appended to the log; the pid or -1. */
static pid_t spawn(const struct fault_server *s, char *const argv[])
{
    char log[320];
    pid_t parent = getpid(), pid;
    int fd;

    snprintf(log, sizeof log, "%s/server.log", s->dir);
    fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd);
    return pid;
}

/* Wait up to ms for pid; its exit status (128+signal), or -1. */
static int wait_exit(pid_t pid, long ms)
{
    int st;

    for (long waited = 0; waited <= ms; waited += STEP_MS) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (r < 0)
            return -1;
        fault_sleep_ms(STEP_MS);
    }
    return -1;
}

static int run_cmd(const struct fault_server *s, const char *cmd)
{
    char *argv[] = {(char *)s->bin, (char *)cmd, "--db", (char *)s->db,
                    NULL};
    pid_t pid = spawn(s, argv);
    int st = pid > 0 ? wait_exit(pid, CMD_TIMEOUT_MS) : -1;

    if (pid > 0 && st < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    if (st != 0)
        fprintf(stderr, "fault: %s %s failed (%d), see %s/server.log\n",
                s->bin, cmd, st, s->dir);
    return st == 0 ? 0 : -1;
}

int fault_server_init(struct fault_server *s, const char *bin,
                      const char *dir)
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

/* The port in the port file, 0 while it is not (completely) written. */
static int read_port(const char *path)
{
    char buf[32] = "";
    FILE *f = fopen(path, "r");
    size_t n;
    int port = 0;

    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (n == 0 || buf[n - 1] != '\n' || sscanf(buf, "%d", &port) != 1)
        return 0;
    return port > 0 && port < 65536 ? port : 0;
}

static int wait_ready(struct fault_server *s, const char *port_file)
{
    for (long waited = 0; waited <= START_TIMEOUT_MS; waited += STEP_MS) {
        int port;
        if (waitpid(s->pid, NULL, WNOHANG) != 0)
            return -1; /* it exited: perhaps the port was not free yet */
        if ((port = read_port(port_file)) != 0) {
            s->port = port;
            snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", port);
            if (fault_healthy(s->base))
                return 0;
        }
        fault_sleep_ms(STEP_MS);
    }
    return -1;
}

static int start_once(struct fault_server *s)
{
    char port_file[320], listen[40];
    char *argv[] = {(char *)s->bin, "serve", "--db", s->db, "--listen",
                    listen, "--port-file", port_file, "--www", s->dir,
                    "--log-level", "warn", NULL};

    snprintf(port_file, sizeof port_file, "%s/port", s->dir);
    snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
    unlink(port_file);
    if ((s->pid = spawn(s, argv)) <= 0) {
        s->pid = 0;
        return -1;
    }
    if (wait_ready(s, port_file) == 0)
        return 0;
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
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
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0); /* SIGKILL cannot be ignored */
    s->pid = 0;
}

int fault_server_stop(struct fault_server *s)
{
    int st;

    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    st = wait_exit(s->pid, STOP_TIMEOUT_MS);
    if (st < 0) {
        fprintf(stderr, "fault: the server ignored SIGTERM; killing it\n");
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = 0;
    return st;
}
