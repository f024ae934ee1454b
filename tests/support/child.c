/*
 * child.c - a server child process for tests (child.h).
 */
#define _GNU_SOURCE
#include "child.h"

#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void child_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

pid_t child_spawn(char *const argv[], char *const env[], int out_fd,
                  int death_signal)
{
    pid_t parent = getpid(), pid = fork();

    if (pid != 0)
        return pid;
    /* the child, between fork and exec: async-signal-safe calls only */
    prctl(PR_SET_PDEATHSIG, death_signal);
    if (getppid() != parent) /* the parent died before prctl */
        _exit(127);
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    close(out_fd);
    if (env)
        execve(argv[0], argv, env);
    else
        execv(argv[0], argv);
    _exit(127);
}

int child_wait_exit(pid_t pid, long timeout_ms)
{
    int status;

    for (long waited = 0; waited <= timeout_ms; waited += CHILD_STEP_MS) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
        if (r < 0)
            return -1;
        child_sleep_ms(CHILD_STEP_MS);
    }
    return -1;
}

int child_run(char *const argv[], int out_fd, long timeout_ms)
{
    pid_t pid = child_spawn(argv, NULL, out_fd, SIGKILL);
    int status = pid > 0 ? child_wait_exit(pid, timeout_ms) : -1;

    if (pid > 0 && status < 0)
        child_kill(pid);
    return status;
}

void child_kill(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0); /* SIGKILL cannot be ignored: this returns */
}

int child_stop(pid_t pid, long timeout_ms)
{
    int status;

    kill(pid, SIGTERM);
    status = child_wait_exit(pid, timeout_ms);
    if (status < 0) {
        fprintf(stderr, "server %d ignored SIGTERM; killing it\n", (int)pid);
        child_kill(pid);
    }
    return status;
}

int child_read_port(const char *path)
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

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
    (void)p, (void)arg;
    return size * n;
}

int child_healthy(const char *base)
{
    CURL *h = curl_easy_init();
    char url[128];
    long status = 0;

    if (!h)
        return 0;
    snprintf(url, sizeof url, "%s/healthz", base);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 500L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 1000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    return status == 200;
}

int child_wait_ready(pid_t pid, const char *port_file, long timeout_ms,
                     int *port, char *base, size_t size)
{
    for (long waited = 0; waited <= timeout_ms; waited += CHILD_STEP_MS) {
        if (waitpid(pid, NULL, WNOHANG) != 0)
            return -1; /* it exited (perhaps its port was not free yet) */
        if (!*port && (*port = child_read_port(port_file)) != 0)
            snprintf(base, size, "http://127.0.0.1:%d", *port);
        if (*port && child_healthy(base))
            return 0;
        child_sleep_ms(CHILD_STEP_MS);
    }
    return -1;
}
