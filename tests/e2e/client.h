/*
 * client.h - a small libcurl HTTP client for talking to fsd-server as an
 * API client would: one keep-alive connection per client, a session cookie
 * or a bearer token, and replies with status, headers and parsed JSON.
 *
 * A client belongs to one thread.  Replies are reused: initialise one with
 * E2E_REPLY_INIT, pass it to any number of requests (each frees what the
 * previous one left) and release it once at the end.
 */
#ifndef FSD_E2E_CLIENT_H
#define FSD_E2E_CLIENT_H

#include <check.h>
#include <jansson.h>
#include <stddef.h>

struct e2e_client {
    void *curl;           /* CURL easy handle, kept for keep-alive */
    char base[64];        /* "http://127.0.0.1:PORT" */
    char cookie[160];     /* "fsd_session=..." or "" */
    char csrf[64];        /* the session's CSRF token, sent on writes */
    char bearer[160];     /* API token or "" */
};

struct e2e_reply {
    long status;          /* HTTP status, 0 when the request failed */
    char *head;           /* the final response's header lines */
    size_t head_len;
    char *body;           /* NUL-terminated */
    size_t body_len;
    json_t *json;         /* the body parsed when it is JSON, else NULL */
};

#define E2E_REPLY_INIT {0, NULL, 0, NULL, 0, NULL}

/* Create the curl handle (aborts the test if that fails). */
void e2e_client_init(struct e2e_client *c, const char *base);
void e2e_client_release(struct e2e_client *c);

/*
 * Send method path with an optional raw body (sent as application/json
 * unless headers name a Content-Type) and extra header lines (NULL-
 * terminated, or NULL).  A non-empty fsd_session cookie in the reply is
 * remembered by the client.  Returns the status (0 on transport failure).
 */
long e2e_request(struct e2e_client *c, const char *method, const char *path,
                 const char *body, const char *const *headers,
                 struct e2e_reply *r);
/* The same with a JSON body, which it takes ownership of (may be NULL). */
long e2e_send(struct e2e_client *c, const char *method, const char *path,
              json_t *body, struct e2e_reply *r);
long e2e_get(struct e2e_client *c, const char *path, struct e2e_reply *r);
void e2e_reply_release(struct e2e_reply *r);

/* Copy the value of header name (case-insensitive), from the lines of
 * head before end (NULL: head's NUL), into out; 0, or -1 when it is
 * absent or longer than out holds. */
int e2e_head_value(const char *head, const char *end, const char *name,
                   char *out, size_t size);
/* Copy the value of header name (case-insensitive) into out; 0 or -1. */
int e2e_header(const struct e2e_reply *r, const char *name, char *out,
               size_t size);
/* 1 when r is status with {"error":{"code":code}} (and field, if given). */
int e2e_error_is(const struct e2e_reply *r, long status, const char *code,
                 const char *field);
/* r's JSON error code, or "" (for messages). */
const char *e2e_error_code(const struct e2e_reply *r);
/* r's JSON error message, or "". */
const char *e2e_error_message(const struct e2e_reply *r);

/* 1 when GET base/healthz answers 200 within a short timeout. */
int e2e_healthy(const char *base);

/* Assert an exact status, showing the body when it differs. */
#define e2e_expect_status(r, st)                                            \
    ck_assert_msg((r)->status == (st), "expected HTTP %d, got %ld: %s",    \
                  (int)(st), (r)->status, (r)->body ? (r)->body : "")
/* Assert an exact status, error code and (unless NULL) field. */
#define e2e_expect_error(r, st, code, field)                                \
    ck_assert_msg(e2e_error_is((r), (st), (code), (field)),                \
                  "expected HTTP %d %s (field %s), got %ld: %s", (int)(st), \
                  (code), (field) ? (const char *)(field) : "-",           \
                  (r)->status, (r)->body ? (r)->body : "")

#endif
