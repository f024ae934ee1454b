/*
 * client.c - the e2e suites' HTTP client, on libcurl.
 *
 * Each request resets the easy handle's options (curl keeps the live
 * connection across a reset, so keep-alive still works) and sets every one
 * it needs: a request never inherits a method or body from the one before.
 * Proxies are disabled so loopback traffic never leaves the host, and every
 * transfer has a timeout.  The session cookie is handled here rather than by
 * curl's cookie engine so a test can keep sending a cookie the server has
 * told it to forget.  A CSRF token a login answers with goes out on the
 * session's writes, as the dispatcher page sends it.
 */
#include "client.h"
#include "child.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CONNECT_TIMEOUT_MS 2000L
#define TRANSFER_TIMEOUT_MS 15000L
#define COOKIE_NAME "fsd_session="

struct growbuf {
    char *data;
    size_t len;
};

static void growbuf_add(struct growbuf *b, const char *p, size_t n)
{
    char *d = realloc(b->data, b->len + n + 1);

    ck_assert_msg(d != NULL, "out of memory");
    memcpy(d + b->len, p, n);
    b->len += n;
    d[b->len] = '\0';
    b->data = d;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    growbuf_add(arg, p, size * n);
    return size * n;
}

/* Keep only the last response's head (drops "100 Continue" and the like). */
static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    struct growbuf *b = arg;

    if (size * n >= 5 && strncmp(p, "HTTP/", 5) == 0)
        b->len = 0;
    growbuf_add(b, p, size * n);
    return size * n;
}

void e2e_client_init(struct e2e_client *c, const char *base)
{
    memset(c, 0, sizeof *c);
    c->curl = curl_easy_init();
    ck_assert_msg(c->curl != NULL, "curl_easy_init failed");
    snprintf(c->base, sizeof c->base, "%s", base);
}

void e2e_client_release(struct e2e_client *c)
{
    if (c->curl)
        curl_easy_cleanup(c->curl);
    c->curl = NULL;
}

void e2e_reply_release(struct e2e_reply *r)
{
    free(r->head);
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

static int has_header(const char *const *headers, const char *name)
{
    size_t n = strlen(name);

    for (const char *const *h = headers; h && *h; h++)
        if (strncasecmp(*h, name, n) == 0 && (*h)[n] == ':')
            return 1;
    return 0;
}

static struct curl_slist *build_headers(const struct e2e_client *c,
                                        const char *method, const char *body,
                                        const char *const *extra)
{
    struct curl_slist *list = NULL;
    char line[200];

    /* Send bodies at once instead of waiting for "100 Continue". */
    list = curl_slist_append(list, "Expect:");
    if (body && !has_header(extra, "Content-Type"))
        list = curl_slist_append(list, "Content-Type: application/json");
    if (c->bearer[0] && !has_header(extra, "Authorization")) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", c->bearer);
        list = curl_slist_append(list, line);
    }
    /* a browser page echoes its session's CSRF token on every write */
    if (c->cookie[0] && c->csrf[0] && strcmp(method, "GET") != 0 &&
        !has_header(extra, "X-CSRF-Token")) {
        snprintf(line, sizeof line, "X-CSRF-Token: %s", c->csrf);
        list = curl_slist_append(list, line);
    }
    for (const char *const *h = extra; h && *h; h++)
        list = curl_slist_append(list, *h);
    return list;
}

/* Remember a non-empty session cookie the server sets. */
static void take_cookie(struct e2e_client *c, const struct e2e_reply *r)
{
    char value[300];
    size_t n;

    if (e2e_header(r, "Set-Cookie", value, sizeof value) != 0 ||
        strncmp(value, COOKIE_NAME, strlen(COOKIE_NAME)) != 0)
        return;
    n = strcspn(value, ";");
    if (n > strlen(COOKIE_NAME) && n < sizeof c->cookie)
        snprintf(c->cookie, sizeof c->cookie, "%.*s", (int)n, value);
}

/* Remember the CSRF token a login or GET /api/v1/me answers with. */
static void take_csrf(struct e2e_client *c, const struct e2e_reply *r)
{
    const char *t = json_string_value(json_object_get(r->json, "csrf_token"));

    if (t && strlen(t) < sizeof c->csrf)
        snprintf(c->csrf, sizeof c->csrf, "%s", t);
}

static void parse_json(struct e2e_reply *r)
{
    char type[100];

    if (r->body_len && e2e_header(r, "Content-Type", type, sizeof type) == 0 &&
        strncmp(type, "application/json", 16) == 0)
        r->json = json_loadb(r->body, r->body_len, 0, NULL);
}

static void set_method(CURL *h, const char *method, const char *body)
{
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)strlen(body));
    }
    if (strcmp(method, "GET") == 0 && !body)
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    else if (strcmp(method, "POST") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    else if (!body) { /* POST without a body: Content-Length 0 */
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
    }
}

long e2e_request(struct e2e_client *c, const char *method, const char *path,
                 const char *body, const char *const *headers,
                 struct e2e_reply *r)
{
    CURL *h = c->curl;
    struct growbuf head = {NULL, 0}, data = {NULL, 0};
    struct curl_slist *list = build_headers(c, method, body, headers);
    char url[1200];
    CURLcode rc;

    e2e_reply_release(r);
    snprintf(url, sizeof url, "%s%s", c->base, path);
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, TRANSFER_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &data);
    if (c->cookie[0])
        curl_easy_setopt(h, CURLOPT_COOKIE, c->cookie);
    set_method(h, method, body);
    rc = curl_easy_perform(h);
    curl_slist_free_all(list);
    r->head = head.data ? head.data : strdup("");
    r->head_len = head.len;
    r->body = data.data ? data.data : strdup("");
    r->body_len = data.len;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    else
        fprintf(stderr, "e2e: %s %s: %s\n", method, path,
                curl_easy_strerror(rc));
    parse_json(r);
    take_cookie(c, r);
    take_csrf(c, r);
    return r->status;
}

long e2e_send(struct e2e_client *c, const char *method, const char *path,
              json_t *body, struct e2e_reply *r)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    long status;

    ck_assert_msg(!body || text, "cannot encode the request body");
    status = e2e_request(c, method, path, text, NULL, r);
    free(text);
    json_decref(body);
    return status;
}

long e2e_get(struct e2e_client *c, const char *path, struct e2e_reply *r)
{
    return e2e_request(c, "GET", path, NULL, NULL, r);
}

int e2e_head_value(const char *head, const char *end, const char *name,
                   char *out, size_t size)
{
    size_t n = strlen(name), len;
    const char *p = head;

    if (!end)
        end = head + strlen(head);
    while (p && p < end &&
           ((size_t)(end - p) <= n || strncasecmp(p, name, n) != 0 ||
            p[n] != ':')) {
        p = memchr(p, '\n', (size_t)(end - p));
        p = p ? p + 1 : NULL;
    }
    if (!p || p >= end)
        return -1;
    p += n + 1;
    p += strspn(p, " \t");
    len = strcspn(p, "\r\n");
    if (len >= size)
        return -1;
    memcpy(out, p, len);
    out[len] = '\0';
    return 0;
}

int e2e_header(const struct e2e_reply *r, const char *name, char *out,
               size_t size)
{
    return r->head ? e2e_head_value(r->head, NULL, name, out, size) : -1;
}

const char *e2e_error_code(const struct e2e_reply *r)
{
    const char *code = json_string_value(
        json_object_get(json_object_get(r->json, "error"), "code"));
    return code ? code : "";
}

const char *e2e_error_message(const struct e2e_reply *r)
{
    const char *msg = json_string_value(
        json_object_get(json_object_get(r->json, "error"), "message"));
    return msg ? msg : "";
}

int e2e_error_is(const struct e2e_reply *r, long status, const char *code,
                 const char *field)
{
    const json_t *e = json_object_get(r->json, "error");
    const char *got_field = json_string_value(json_object_get(e, "field"));

    if (r->status != status || strcmp(e2e_error_code(r), code) != 0 ||
        !json_is_string(json_object_get(e, "message")))
        return 0;
    if (!field)
        return 1;
    if (!*field)
        return got_field == NULL;
    return got_field && strcmp(got_field, field) == 0;
}

int e2e_healthy(const char *base)
{
    return child_healthy(base);
}
