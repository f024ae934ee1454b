/*
 * ref_solve.c - runs an installed LP/MIP solver (glpsol from glpk-utils,
 * cbc from coinor-cbc) on a reference LP file and reads its objective
 * back from the solution file it writes.
 *
 *   glpsol --lp F [--nomip] --tmlim S -o F.glpsol.sol
 *   cbc F -sec S -solve|-primalSimplex -solu F.cbc.sol
 *
 * The solver runs in its own process, output to F.SOLVER.log (kept; the
 * solution file is removed once read), and is killed 30 s after its own
 * time limit should have stopped it, so a reference can never hang the
 * benchmark.  The objective is never
 * negative here (weights are >= 1), which the bound parsing relies on.
 */
#include "reference.h"

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GRACE_S 30 /* after the solver's own limit, before SIGKILL */

int ref_have(const char *solver)
{
    const char *path = getenv("PATH");
    char buf[4096];

    while (path && *path) {
        size_t n = strcspn(path, ":");

        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, solver);
        if (n && access(buf, X_OK) == 0)
            return 1;
        path += n + (path[n] == ':');
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run argv with stdout and stderr to log; 0 when it exited 0 in time. */
static int run(char *const *argv, const char *log, int limit_s, char *note,
               size_t notesz)
{
    double deadline = now() + limit_s + GRACE_S;
    int status = 0;
    pid_t pid = fork();

    if (pid < 0) {
        snprintf(note, notesz, "fork failed");
        return -1;
    }
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            snprintf(note, notesz, "killed after %d s", limit_s + GRACE_S);
            return -1;
        }
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        snprintf(note, notesz, "exit status %d (see its .log)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -1;
    }
    return 0;
}

/* The number after the last occurrence of `after` in a line containing
 * `marker`, or -1. */
static double last_number(const char *file, const char *marker,
                          const char *after)
{
    char line[512];
    double v = -1;
    FILE *f = fopen(file, "r");

    while (f && fgets(line, sizeof line, f)) {
        char *p = strstr(line, marker), *end;
        double x;

        if (!p || !(p = strstr(p, after)))
            continue;
        x = strtod(p + strlen(after), &end);
        if (end != p + strlen(after) && isfinite(x))
            v = fabs(x);
    }
    if (f)
        fclose(f);
    return v;
}

static void read_glpsol(const char *sol, const char *log, int mip,
                        struct ref_result *out)
{
    char line[512], status[64] = "";
    FILE *f = fopen(sol, "r");

    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Status: %63[A-Z -]", status) == 1)
            break;
    if (f)
        fclose(f);
    out->value = last_number(sol, "Objective:", "=");
    if (strstr(status, "NON-OPTIMAL") && out->value >= 0) {
        out->status = REF_LIMIT;
        out->bound = mip ? last_number(log, "mip =", "<=") : -1;
    } else if (strstr(status, "OPTIMAL") && out->value >= 0) {
        out->status = REF_OPTIMAL;
        out->bound = out->value;
    } else {
        snprintf(out->note, sizeof out->note, "status \"%s\" (time limit?)",
                 status);
    }
}

static void read_cbc(const char *sol, const char *log, int mip,
                     struct ref_result *out)
{
    char line[512] = "";
    FILE *f = fopen(sol, "r");

    if (f && !fgets(line, sizeof line, f))
        line[0] = 0;
    if (f)
        fclose(f);
    out->value = last_number(sol, "objective value", "value");
    if (!strncmp(line, "Optimal", 7) && out->value >= 0) {
        out->status = REF_OPTIMAL;
        out->bound = out->value;
    } else if (!strncmp(line, "Stopped", 7) && mip && out->value >= 0) {
        out->status = REF_LIMIT;
        out->bound = last_number(log, "best possible", "possible");
    } else {
        line[strcspn(line, "\n")] = 0;
        snprintf(out->note, sizeof out->note, "\"%.60s\"", line);
    }
}

void ref_solve(const char *solver, const char *path, int mip, int limit_s,
               struct ref_result *out)
{
    char sol[1024], log[1024], lim[16];
    char *argv[12];
    int glpk = !strcmp(solver, "glpsol"), n = 0;
    double t0;

    memset(out, 0, sizeof *out);
    out->status = REF_FAILED;
    out->bound = -1;
    snprintf(sol, sizeof sol, "%s.%s.sol", path, solver);
    snprintf(log, sizeof log, "%s.%s.log", path, solver);
    snprintf(lim, sizeof lim, "%d", limit_s);
    remove(sol);
    argv[n++] = (char *)solver;
    if (glpk) {
        char *a[] = {"--lp", (char *)path, "--tmlim", lim, "-o", sol};

        memcpy(argv + n, a, sizeof a);
        n += 6;
        if (!mip)
            argv[n++] = "--nomip";
    } else {
        /* primal simplex: on these LPs 4-15x faster than cbc's default */
        char *a[] = {(char *)path, "-sec",
                     lim,          mip ? "-solve" : "-primalSimplex",
                     "-solu",      sol};

        memcpy(argv + n, a, sizeof a);
        n += 6;
    }
    argv[n] = NULL;
    t0 = now();
    if (run(argv, log, limit_s, out->note, sizeof out->note) == 0) {
        if (glpk)
            read_glpsol(sol, log, mip, out);
        else
            read_cbc(sol, log, mip, out);
    }
    out->seconds = now() - t0;
    remove(sol); /* one line per variable: up to 100 MB on L; the log stays */
}
