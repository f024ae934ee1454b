/*
 * http.h - the HTTP layer: CivetWeb set-up, routing, the request record
 * handlers work on, and the helpers that read requests and send replies.
 *
 * Handlers are `int fn(struct req *, struct err *)`: they read req, set a
 * reply with http_json()/http_text() and return 0, or return an ERR_* code
 * and leave err filled; the dispatcher sends the error body, with the status
 * from the one map in err.c.  Method, authentication and role are checked
 * before a handler runs, once, from the route table.
 */
#ifndef FSD_HTTP_H
#define FSD_HTTP_H

#include "app.h"
#include "common/err.h"
#include "http/router.h"
#include "model/jparse.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct mg_connection;
struct mg_context;
struct req;

typedef int (*route_fn)(struct req *req, struct err *err);

enum role_bits {
    ROLE_ADMIN = 1 << 0,
    ROLE_DISPATCHER = 1 << 1,
    ROLE_MANAGER = 1 << 2,
};
#define ROLES_STAFF (ROLE_ADMIN | ROLE_DISPATCHER | ROLE_MANAGER)
#define ROLE_PUBLIC 0

enum route_flags {
    ROUTE_PASSWORD_PENDING_OK = 1 << 0, /* allowed before a one-time
                                           password has been changed */
    ROUTE_PROTOBUF = 1 << 1, /* device protocol: the body is a protobuf
                                Envelope, errors are a SyncError */
};
#define PROTOBUF_TYPE "application/x-protobuf"
#define SYNC_PREFIX "/sync/v1/" /* the device protocol's paths */

struct route {
    const char *method;
    const char *pattern;
    route_fn fn;
    unsigned roles;    /* role_bits allowed; ROLE_PUBLIC: no login needed */
    const void *arg;   /* handler data, e.g. the resource */
    unsigned flags;    /* route_flags */
};

struct req {
    struct mg_connection *conn;
    struct app *app;
    const struct route *route;
    const char *method, *path, *query;
    struct route_params params;
    char *body;              /* the request body, NUL-terminated */
    size_t body_len;
    struct user user;        /* the caller, id 0 when anonymous */
    int via_session;         /* authenticated by session cookie */
    unsigned char session_hash[32];
    char client[64];         /* the client's address (proxy.h) */
    int https;               /* a trusted proxy says the client used TLS */

    /* the reply */
    int status;
    json_t *out;             /* JSON body (owned), or */
    char *text;              /* a text body (owned) */
    size_t text_len;
    const char *content_type;
    const char *cache_control; /* NULL: no-store */
    char headers[1024];      /* extra header lines, each ending CRLF */
    int close;               /* end the connection after the reply */
};

/* The signature a CivetWeb request handler has: the reply's status, or
 * -1 when the reply ended the connection (CivetWeb then reads no more of
 * it). */
int http_dispatch(struct mg_connection *conn, void *cbdata);

/* Start serving; *port gets the bound port.  NULL + err on failure. */
struct mg_context *http_start(struct app *app, int *port, struct err *err);
void http_stop(struct mg_context *ctx);

/* body as every JSON reply is written (compact, reals to 15 digits);
 * the caller frees it. */
char *http_json_text(const json_t *body);

/* Reply helpers: take ownership of body. */
int http_json(struct req *req, int status, json_t *body);
int http_text(struct req *req, int status, const char *content_type,
              char *text, size_t len);
/* The Content-Security-Policy of every page and static file: own origin
 * only, no inline code, no framing. */
extern const char http_page_policy[];

/* Append one header line ("Name: value"). */
void http_header(struct req *req, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse the path parameter name as a positive id: only [1-9][0-9]* that
 * fits in int64 (no sign, space or leading zero), else ERR_NOT_FOUND with
 * "no such resource: <path>", as for a resource that does not exist. */
int http_param_id(const struct req *req, const char *name, int64_t *id,
                  struct err *err);
/* Parse the body as a JSON object (caller owns *out). */
int http_body_json(const struct req *req, json_t **out, struct err *err);
/* Parse the body and validate it against fields (caller owns *vals). */
int http_body_parse(const struct req *req, const struct jfield *fields,
                    enum jparse_mode mode, json_t **vals, struct err *err);
/* Parse the query string and validate it against fields (caller owns
 * *vals); required fields and defaults apply as for a body. */
int http_query_parse(const struct req *req, const struct jfield *fields,
                     json_t **vals, struct err *err);
/* The actor for audit records made by this request. */
struct actor http_actor(const struct req *req);

#endif
