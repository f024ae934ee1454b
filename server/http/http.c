/*
 * http.c - CivetWeb set-up and the request dispatcher.
 *
 * One CivetWeb handler receives every request; it matches the route table
 * (404 or 405 with a JSON error), checks authentication and role, reads the
 * body within the configured limit, runs the route's handler and writes the
 * reply -- head and body -- with a single mg_write, since split writes stall
 * on Nagle's algorithm.  Pages and static files are routes too
 * (api_pages.c); any other path is CivetWeb's plain 404.  Every request is
 * one access-log line and one metrics sample.
 */
#include "http/http.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/mem.h"
#include "http/auth.h"
#include "http/bodyread.h"
#include "http/deadline.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/workers.h"
#include "sync/codec.h"

#include <civetweb.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static const char *const api_prefixes[] = {
    "/api/", "/sync/", "/healthz", "/metrics", "/book/", "/quote/",
    "/static/", "/tech/", NULL};

const char http_page_policy[] =
    "default-src 'none'; script-src 'self'; style-src 'self';"
    " img-src 'self'; connect-src 'self'; manifest-src 'self';"
    " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

static uint64_t now_micros(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status < 500 ? "Client Error" : "Internal Server Error";
    }
}

int http_json(struct req *req, int status, json_t *body)
{
    json_decref(req->out);
    req->status = status;
    req->out = body;
    return 0;
}

int http_text(struct req *req, int status, const char *content_type,
              char *text, size_t len)
{
    free(req->text);
    req->status = status;
    req->text = text;
    req->text_len = len;
    req->content_type = content_type;
    return 0;
}

void http_header(struct req *req, const char *fmt, ...)
{
    size_t n = strlen(req->headers);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(req->headers + n, sizeof req->headers - n, fmt, ap);
    va_end(ap);
    n = strlen(req->headers);
    if (n + 2 < sizeof req->headers)
        strcpy(req->headers + n, "\r\n");
}

/* The device protocol's code for an error (PROTOCOL.md section 9): its
 * own, but too_large for any body over a limit. */
static const char *sync_error_code(const struct err *err)
{
    if (err->rc == ERR_TOO_LARGE)
        return "too_large";
    return err->code ? err->code : err_default_code(err->rc);
}

/* The device protocol's error reply: an unsigned SyncError. */
static void reply_sync_error(struct req *req, const struct err *err)
{
    size_t n;
    char *body = codec_sync_error(sync_error_code(err),
                                  err->msg[0] ? err->msg : "error", 0, &n);

    json_decref(req->out);
    req->out = NULL;
    http_text(req, err_http_status(err->rc), PROTOBUF_TYPE, body, n);
}

static void reply_error(struct req *req, const struct err *err)
{
    /* every reply under the device protocol's prefix is its own, the
     * 404 and 405 of a path without a route too */
    if (req->route ? (req->route->flags & ROUTE_PROTOBUF) != 0
                   : strncmp(req->path, SYNC_PREFIX, strlen(SYNC_PREFIX)) == 0) {
        reply_sync_error(req, err);
        return;
    }
    /* a message or field quoting the request is text only when it is
     * UTF-8 (json_string refuses anything else) */
    json_t *msg = json_string(err->msg[0] ? err->msg : "error");
    json_t *e = json_pack("{s:s, s:o}", "code",
                          err->code ? err->code : err_default_code(err->rc),
                          "message",
                          msg ? msg
                              : json_string("the request is not valid:"
                                            " it is not UTF-8 text"));
    json_t *field = err->field[0] ? json_string(err->field) : NULL;

    if (field)
        json_object_set_new(e, "field", field);
    http_json(req, err_http_status(err->rc), json_pack("{s:o}", "error", e));
}

char *http_json_text(const json_t *body)
{
    return json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
}

/* Write the whole reply in one mg_write; returns body bytes sent. */
static size_t send_reply(struct req *req)
{
    struct buf b = BUF_INIT;
    char *json = NULL;
    const char *body = req->text ? req->text : "";
    size_t body_len = req->text_len, sent;

    if (req->out) {
        json = http_json_text(req->out);
        body = json;
        body_len = strlen(json);
    }
    buf_printf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
                   "Content-Length: %zu\r\nCache-Control: %s\r\n"
                   "X-Content-Type-Options: nosniff\r\n%s\r\n",
               req->status, reason_phrase(req->status),
               req->out ? "application/json" : req->content_type, body_len,
               req->cache_control ? req->cache_control : "no-store",
               req->headers);
    if (req->status != 204)
        buf_append(&b, body, body_len);
    sent = mg_write(req->conn, b.data, b.len) > 0 ? body_len : 0;
    buf_release(&b);
    free(json);
    return sent;
}

/* Find the route; 404 or 405 (with Allow) when there is none. */
static int find_route(struct req *req, struct err *err)
{
    char allow[128] = "";
    const struct app *app = req->app;

    for (size_t i = 0; i < app->nroutes; i++) {
        const struct route *r = &app->routes[i];
        struct route_params p;
        if (!router_match(r->pattern, req->path, &p))
            continue;
        if (strcmp(r->method, req->method) == 0) {
            req->route = r;
            req->params = p;
            return 0;
        }
        if (!strstr(allow, r->method))
            snprintf(allow + strlen(allow), sizeof allow - strlen(allow),
                     "%s%s", allow[0] ? ", " : "", r->method);
    }
    if (allow[0]) {
        http_header(req, "Allow: %s", allow);
        return err_set(err, ERR_METHOD, NULL, NULL,
                       "%s is not allowed on %s (allowed: %s)", req->method,
                       req->path, allow);
    }
    return err_set(err, ERR_NOT_FOUND, NULL, NULL, "no such resource: %s",
                   req->path);
}

static int is_type(const char *ct, const char *want)
{
    size_t n = strlen(want);
    return ct && strncasecmp(ct, want, n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The body's media type must be the route's. */
static int check_media_type(const struct req *req, struct err *err)
{
    const char *ct = mg_get_header(req->conn, "Content-Type");

    if (req->route->flags & ROUTE_PROTOBUF)
        return is_type(ct, PROTOBUF_TYPE)
                   ? 0
                   : err_set(err, ERR_MEDIA_TYPE, NULL, NULL,
                             "send the body as " PROTOBUF_TYPE);
    return is_type(ct, "application/json")
               ? 0
               : err_set(err, ERR_MEDIA_TYPE, NULL, NULL,
                         "send the body as application/json");
}

/* The reply ends the connection: the rest of the body stays unread. */
static void close_after(struct req *req)
{
    http_header(req, "Connection: close");
    req->close = 1;
}

static struct app *app_of(const struct mg_connection *conn)
{
    return mg_get_user_data(mg_get_context(conn));
}

static int connection_opened(const struct mg_connection *conn, void **data)
{
    (void)data;
    workers_connection_opened(app_of(conn)->cfg->threads);
    return 0;
}

static void connection_closing(const struct mg_connection *conn)
{
    (void)conn;
    workers_connection_closing();
}

/* A body's clock (bodyread.h): --request-timeout-ms from its first read,
 * at most WORKERS_SHORT_MS of it while workers run short, when a client
 * that stalls keeps others waiting. */
static struct body_clock body_clock_of(const struct app *app)
{
    struct body_clock c = {app->cfg->request_timeout_ms,
                           app->cfg->body_min_rate};

    if (workers_short(app->cfg->threads) &&
        c.allowance_ms > WORKERS_SHORT_MS)
        c.allowance_ms = WORKERS_SHORT_MS;
    return c;
}

static int body_incomplete(struct req *req, enum body_end end,
                           struct err *err)
{
    long long declared = mg_get_request_info(req->conn)->content_length;

    close_after(req);
    if (end == BODY_NO_CLOCK)
        return err_set(err, ERR_INTERNAL, NULL, NULL,
                       "the body's read could not be timed");
    if (declared < 0)
        return err_set(err, ERR_INVALID, "incomplete_body", NULL,
                       end == BODY_TOO_SLOW
                           ? "request body was not sent in time: its last"
                             " chunk did not arrive"
                           : "request body ended before its last chunk");
    return err_set(err, ERR_INVALID, "incomplete_body", NULL,
                   end == BODY_TOO_SLOW
                       ? "request body was not sent in time: %zu of the"
                         " %lld bytes its Content-Length announced arrived"
                       : "request body ended after %zu of the %lld bytes"
                         " its Content-Length announced",
                   req->body_len, declared);
}

static int read_body(struct req *req, struct err *err)
{
    const struct mg_request_info *ri = mg_get_request_info(req->conn);
    long long limit = req->app->cfg->max_body, cap;
    struct body_clock clock = body_clock_of(req->app);
    enum body_end end;

    if (ri->content_length > limit) {
        close_after(req);
        return err_set(err, ERR_TOO_LARGE, NULL, NULL,
                       "request body is %lld bytes; the limit is %lld",
                       ri->content_length, limit);
    }
    cap = ri->content_length >= 0 ? ri->content_length : limit + 1;
    req->body = malloc((size_t)cap + 1);
    if (!req->body)
        return err_set(err, ERR_INTERNAL, NULL, NULL, "out of memory");
    end = body_read(req->conn, req->body, (size_t)cap, &req->body_len,
                    &clock);
    req->body[req->body_len] = '\0';
    if ((long long)req->body_len > limit) {
        close_after(req);
        return err_set(err, ERR_TOO_LARGE, NULL, NULL,
                       "request body is over the limit of %lld bytes", limit);
    }
    if (end != BODY_WHOLE || (long long)req->body_len < ri->content_length)
        return body_incomplete(req, end, err);
    return req->body_len ? check_media_type(req, err) : 0;
}

static int has_body(const char *method)
{
    return !strcmp(method, "POST") || !strcmp(method, "PUT") ||
           !strcmp(method, "PATCH");
}

static int is_api_path(const char *path)
{
    if (strcmp(path, "/") == 0 || strcmp(path, "/tech") == 0) /* the apps */
        return 1;
    for (const char *const *p = api_prefixes; *p; p++)
        if (strncmp(path, *p, strlen(*p)) == 0)
            return 1;
    return 0;
}

static void finish(struct req *req, uint64_t t0)
{
    size_t bytes = send_reply(req);
    uint64_t us = now_micros() - t0;
    size_t idx = req->route ? (size_t)(req->route - req->app->routes)
                            : req->app->nroutes;

    metrics_record(req->app->metrics, idx, req->status, us);
    /* the route's pattern, never the path: a path may carry a customer's
     * link token; the client as proxy.h finds it */
    log_info("%s %s %s %d %zu %lluus", req->client, req->method,
             req->route ? req->route->pattern : "(no route)", req->status,
             bytes, (unsigned long long)us);
    json_decref(req->out);
    free(req->text);
    free(req->body);
}

/*
 * End conn after the reply: CivetWeb 1.15 has no call for it from
 * begin_request.  It keeps a connection when should_keep_alive() reads a
 * request asking for it (a Connection header, else HTTP/1.1), and reads
 * whatever body is left when the callback returns a status -- up to a
 * declared 10^12 bytes, for as long as the client sends them.  So the
 * request is made to ask for the end (its Connection headers say "close",
 * its version 1.0, which keeps nothing without such a header), and -1 is
 * returned, which leaves the body unread.  e2e_attack_limits proves the
 * connection ends (over_limit_lengths_end_the_connection).
 */
static int end_connection(struct mg_connection *conn)
{
    struct mg_request_info *ri =
        (struct mg_request_info *)mg_get_request_info(conn);

    for (int i = 0; i < ri->num_headers; i++)
        if (strcasecmp(ri->http_headers[i].name, "Connection") == 0)
            ri->http_headers[i].value = "close";
    ri->http_version = "1.0";
    return -1;
}

/* A request whose length is told twice (two Content-Lengths, or one with
 * Transfer-Encoding) could be read one way here and another way by a
 * proxy in front: RFC 9112 6.3 makes it an error that ends the
 * connection, so nothing after it is taken for a request. */
static int ambiguous_framing(const struct mg_request_info *ri)
{
    int lengths = 0, encodings = 0;

    for (int i = 0; i < ri->num_headers; i++) {
        lengths += strcasecmp(ri->http_headers[i].name, "Content-Length") == 0;
        encodings +=
            strcasecmp(ri->http_headers[i].name, "Transfer-Encoding") == 0;
    }
    return lengths > 1 || (lengths && encodings);
}

/* A Content-Length that is not plain decimal digits ("+2", "2abc",
 * "2, 50") is read as a number by some parsers and refused by others:
 * RFC 9110 8.6 allows only digits. */
static int malformed_length(const struct mg_request_info *ri)
{
    for (int i = 0; i < ri->num_headers; i++) {
        const char *v = ri->http_headers[i].value;

        if (strcasecmp(ri->http_headers[i].name, "Content-Length") == 0 &&
            (!*v || strspn(v, "0123456789") != strlen(v)))
            return 1;
    }
    return 0;
}

int http_dispatch(struct mg_connection *conn, void *cbdata)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    struct req req;
    struct err err = ERR_INIT;
    uint64_t t0 = now_micros();

    workers_head_arrived();
    if (ambiguous_framing(ri)) {
        mg_send_http_error(conn, 400, "%s",
                           "the request's length is given more than once");
        log_info("%s (ambiguous length) 400", ri->request_method);
        return 400;
    }
    if (malformed_length(ri)) {
        mg_send_http_error(conn, 400, "%s",
                           "Content-Length must be a decimal number of"
                           " bytes");
        log_info("%s (malformed length) 400", ri->request_method);
        return end_connection(conn);
    }
    if (!is_api_path(ri->local_uri))
        return 0; /* not fsd's: CivetWeb's plain 404 */
    memset(&req, 0, sizeof req);
    req.conn = conn;
    req.app = cbdata;
    req.method = ri->request_method;
    req.path = ri->local_uri;
    req.query = ri->query_string;
    proxy_client(req.app->cfg->trusted_proxy, ri->remote_addr,
                 mg_get_header(conn, "X-Forwarded-For"), req.client,
                 sizeof req.client);
    req.https = proxy_https(req.app->cfg->trusted_proxy, ri->remote_addr,
                            mg_get_header(conn, "X-Forwarded-Proto"));
    if (find_route(&req, &err) || auth_check_route(&req, &err) ||
        (has_body(req.method) && read_body(&req, &err)) ||
        req.route->fn(&req, &err))
        reply_error(&req, &err);
    if (!req.close && workers_short(req.app->cfg->threads))
        close_after(&req);
    finish(&req, t0);
    return req.close ? end_connection(conn) : req.status;
}

/* s as a positive int64 written the one way: [1-9][0-9]*, no sign, space
 * or leading zero, nothing too large to hold (strtoll would saturate), so
 * that one resource has one URL.  0 or -1. */
static int id_parse(const char *s, int64_t *id)
{
    int64_t v = 0;

    if (!s || *s < '1' || *s > '9')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT64_MAX - (*s - '0')) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    *id = v;
    return 0;
}

int http_param_id(const struct req *req, const char *name, int64_t *id,
                  struct err *err)
{
    if (id_parse(router_param(&req->params, name), id))
        return err_set(err, ERR_NOT_FOUND, NULL, NULL,
                       "no such resource: %s", req->path);
    return 0;
}

int http_body_json(const struct req *req, json_t **out, struct err *err)
{
    return jparse_body(req->body, req->body_len, out, err);
}

int http_body_parse(const struct req *req, const struct jfield *fields,
                    enum jparse_mode mode, json_t **vals, struct err *err)
{
    json_t *body;
    int rc;

    if (http_body_json(req, &body, err))
        return err->rc;
    rc = jparse_object(body, fields, mode, "", vals, err);
    json_decref(body);
    return rc;
}

int http_query_parse(const struct req *req, const struct jfield *fields,
                     json_t **vals, struct err *err)
{
    json_t *q;
    int rc;

    if (jparse_query_string(req->query, &q, err))
        return err->rc;
    rc = jparse_object(q, fields, JPARSE_QUERY, "", vals, err);
    json_decref(q);
    return rc;
}

struct actor http_actor(const struct req *req)
{
    struct actor a = {.user_id = req->user.id, .name = req->user.username};
    return a;
}

/* Every request, from the first one the listener accepts: a handler
 * installed after mg_start() would leave a moment in which CivetWeb
 * answers its own 404. */
static int begin_request(struct mg_connection *conn)
{
    return http_dispatch(conn, app_of(conn));
}

struct mg_context *http_start(struct app *app, int *port, struct err *err)
{
    char threads[16], keepalive[16], timeout[16];
    const char *opts[32];
    int n = 0;
    struct mg_callbacks cb;
    struct mg_context *ctx;
    struct mg_server_port ports[4];

    snprintf(threads, sizeof threads, "%ld", app->cfg->threads);
    snprintf(keepalive, sizeof keepalive, "%ld", app->cfg->keepalive_ms);
    snprintf(timeout, sizeof timeout, "%ld", app->cfg->request_timeout_ms);
    opts[n++] = "listening_ports", opts[n++] = app->cfg->listen;
    opts[n++] = "num_threads", opts[n++] = threads;
    opts[n++] = "enable_keep_alive", opts[n++] = "yes";
    opts[n++] = "keep_alive_timeout_ms", opts[n++] = keepalive;
    opts[n++] = "tcp_nodelay", opts[n++] = "1";
    /* short: a slow client holds a worker thread no longer than this */
    opts[n++] = "request_timeout_ms", opts[n++] = timeout;
    /* the path as sent: a %00 or %2F is then part of its segment, which
     * no route, id, token or file name matches (404), never a cut path or
     * another segment */
    opts[n++] = "decode_url", opts[n++] = "no";
    opts[n++] = "enable_directory_listing", opts[n++] = "no";
    opts[n] = NULL;
    memset(&cb, 0, sizeof cb);
    cb.begin_request = begin_request;
    cb.init_connection = connection_opened;
    cb.connection_close = connection_closing;
    if (deadline_setup()) {
        err_set(err, ERR_INTERNAL, NULL, NULL,
                "cannot set up the body read deadline: %s", strerror(errno));
        return NULL;
    }
    ctx = mg_start(&cb, app, opts);
    if (!ctx) {
        err_set(err, ERR_INTERNAL, NULL, "listen",
                "cannot listen on %s (address in use or invalid)",
                app->cfg->listen);
        return NULL;
    }
    *port = mg_get_server_ports(ctx, 4, ports) > 0 ? ports[0].port : 0;
    return ctx;
}

void http_stop(struct mg_context *ctx)
{
    if (ctx)
        mg_stop(ctx);
}
