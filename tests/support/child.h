/*
 * child.h - the real fsd-server, or one of its commands, as a child
 * process of a test program: started with its output on a file
 * descriptor, asked to die with the program that started it, served on a
 * loopback port read from --port-file, ready once /healthz answers, and
 * stopped with SIGTERM (SIGKILL after a bound).  Every wait is a bounded
 * loop.  The e2e suites (tests/e2e/harness.c), the crash-safety run
 * (tests/fault/server.c) and fsd-test-server (serve_child.c, for the
 * browser tests and the benchmarks) build their servers on it.
 */
#ifndef FSD_TEST_CHILD_H
#define FSD_TEST_CHILD_H

#include <stddef.h>
#include <sys/types.h>

#define CHILD_STEP_MS 20

void child_sleep_ms(long ms);

/* fork + exec argv with stdout and stderr on out_fd, env as its
 * environment (NULL: ours); the kernel sends it death_signal if this
 * process dies.  The pid, or -1. */
pid_t child_spawn(char *const argv[], char *const env[], int out_fd,
                  int death_signal);
/* Run argv to its end with its output on out_fd, SIGKILLed after
 * timeout_ms: its exit status, or -1 when it did not start or finish. */
int child_run(char *const argv[], int out_fd, long timeout_ms);
/* Wait up to timeout_ms for pid: its exit status (128 + a signal's
 * number), or -1 while it runs on. */
int child_wait_exit(pid_t pid, long timeout_ms);
/* SIGKILL pid and reap it. */
void child_kill(pid_t pid);
/* SIGTERM pid and wait up to timeout_ms, then SIGKILL: its exit status,
 * or -1 when it had to be killed. */
int child_stop(pid_t pid, long timeout_ms);
/* The port in a --port-file, 0 while it is not (completely) written. */
int child_read_port(const char *path);
/* 1 when GET base/healthz answers 200 within a second. */
int child_healthy(const char *base);
/* Wait up to timeout_ms for serving child pid: its port file, then
 * /healthz; *port and base ("http://127.0.0.1:PORT") are set once the
 * port is known.  0, or -1 when it exited or time ran out. */
int child_wait_ready(pid_t pid, const char *port_file, long timeout_ms,
                     int *port, char *base, size_t size);

#endif
