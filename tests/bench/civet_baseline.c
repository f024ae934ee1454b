/*
 * civet_baseline.c - the ceiling for GET /healthz: a bare CivetWeb server.
 *
 * It measures nothing itself; run.sh points the same wrk command at it and
 * at fsd-server, and the ratio between the two is what fsd's own request
 * path (route table, auth check, SQLite ping, JSON encoding, metrics,
 * access log) costs on top of CivetWeb.  It is set up the way
 * server/http/http.c sets CivetWeb up: tcp_nodelay=1,
 * keep-alive on, the same worker thread count, and a reply of the same
 * headers and the same small JSON body written with one mg_write.  It must
 * stay that minimal: anything added here lowers the bar fsd is held to.
 *
 *   civet_baseline --threads N --port-file PATH
 *
 * Listens on 127.0.0.1 on a free port, writes the port to PATH, serves
 * until SIGTERM or SIGINT.
 */
#include <civetweb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The same bytes fsd-server sends for GET /healthz. */
static const char reply[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 31\r\n"
    "Cache-Control: no-store\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "\r\n"
    "{\"status\":\"ok\",\"database\":\"ok\"}";

static int handle(struct mg_connection *conn, void *cbdata)
{
    (void)cbdata;
    mg_write(conn, reply, sizeof reply - 1); /* head and body: one write */
    return 200;
}

static int parse_args(int argc, char **argv, const char **threads,
                      const char **port_file)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--threads") == 0)
            *threads = argv[i + 1];
        else if (strcmp(argv[i], "--port-file") == 0)
            *port_file = argv[i + 1];
        else
            return -1;
    }
    return (argc % 2 == 1 && *port_file) ? 0 : -1;
}

static int write_port_file(const char *path, struct mg_context *ctx)
{
    struct mg_server_port ports[4];
    FILE *f;

    if (mg_get_server_ports(ctx, 4, ports) < 1 || !(f = fopen(path, "w")))
        return -1;
    fprintf(f, "%d\n", ports[0].port);
    return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *threads = "64", *port_file = NULL;
    const char *opts[] = {"listening_ports", "127.0.0.1:0",
                          "num_threads", NULL,
                          "enable_keep_alive", "yes",
                          "keep_alive_timeout_ms", "5000",
                          "tcp_nodelay", "1",
                          NULL};
    struct mg_callbacks cb;
    struct mg_context *ctx;
    sigset_t set;
    int sig;

    if (parse_args(argc, argv, &threads, &port_file)) {
        fprintf(stderr, "usage: civet_baseline [--threads N] --port-file PATH\n");
        return 2;
    }
    opts[3] = threads;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before CivetWeb's threads */
    signal(SIGPIPE, SIG_IGN);
    memset(&cb, 0, sizeof cb);
    if (!(ctx = mg_start(&cb, NULL, opts))) {
        fprintf(stderr, "civet_baseline: cannot listen on 127.0.0.1\n");
        return 1;
    }
    mg_set_request_handler(ctx, "/", handle, NULL);
    if (write_port_file(port_file, ctx)) {
        fprintf(stderr, "civet_baseline: cannot write %s\n", port_file);
        mg_stop(ctx);
        return 1;
    }
    sigwait(&set, &sig);
    mg_stop(ctx);
    return 0;
}
