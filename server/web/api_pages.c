/*
 * api_pages.c - the web pages and their files: the dispatcher's app at
 * GET /, the customer's page for a link at GET /book/{token} and
 * GET /quote/{token}, the technician's app at GET /tech with its service
 * worker at GET /tech/sw.js, and the static files they load at
 * GET /static/{version}/{file}.
 *
 * A page is read from the static root with every "{{static}}" replaced by
 * /static/<version of the root>, and is never cached; a file under the
 * current version may be kept a year.  The customer's page is the same
 * whatever the token, so serving it reveals nothing: the API behind it
 * judges the token.  Everything goes out under a strict
 * Content-Security-Policy (own origin only, no inline code, no framing)
 * and without a referrer (a link's token is in its address).
 */
#include "api/api.h"
#include "app.h"
#include "common/buf.h"
#include "config.h"
#include "http/auth.h"
#include "rules/company.h"
#include "store/store.h"
#include "http/router.h"
#include "web/www.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSET_MARK "{{static}}"
#define HTML "text/html; charset=utf-8"

/* The files served only as pages, never under /static/. */
static const char *const pages[] = {"app.html", "book.html", "tech.html",
                                    "tech-sw.js"};

static int is_page(const char *name)
{
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (strcmp(name, pages[i]) == 0)
            return 1;
    return 0;
}

static void page_headers(struct req *req)
{
    http_header(req, "Content-Security-Policy: %s", http_page_policy);
    http_header(req, "Referrer-Policy: no-referrer");
    http_header(req, "X-Frame-Options: DENY");
}

/* Append text to b with every mark replaced by value. */
static void replace_marks(struct buf *b, const char *text, const char *mark,
                          const char *value)
{
    const char *at, *from;

    for (from = text; (at = strstr(from, mark)); from = at + strlen(mark)) {
        buf_append(b, from, (size_t)(at - from));
        buf_append(b, value, strlen(value));
    }
    buf_append(b, from, strlen(from));
}

/* Reply with page name of the static root, every mark in it resolved:
 * its files' addresses ({{static}}), "none" for {{session}} when the
 * request carries no session cookie (the app then shows the login at
 * once instead of asking the API first), and the company's zone and
 * currency ({{company_zone}}, {{currency}}: the app shows times and money
 * in them from the start). */
static int page(struct req *req, const char *name, const char *type,
                struct err *err)
{
    char base[16 + WWW_VERSION_TEXT];
    struct company co;
    struct buf in = BUF_INIT, out = BUF_INIT;
    size_t len = 0;
    char *text = www_read(req->app->cfg->www, name, &len);

    if (!text)
        return err_set(err, ERR_NOT_FOUND, NULL, NULL,
                       "the page %s is not installed", name);
    if (store_company_get(req->app->store, &co, err)) {
        free(text);
        return err->rc;
    }
    snprintf(base, sizeof base, "/static/%s", req->app->www_version);
    const char *const marks[][2] = {
        {ASSET_MARK, base},
        {"{{session}}", auth_has_session_cookie(req) ? "cookie" : "none"},
        {"{{company_zone}}", co.timezone},
        {"{{currency}}", co.currency}};
    buf_append(&in, text, strlen(text));
    free(text);
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        replace_marks(&out, in.data, marks[i][0], marks[i][1]);
        buf_release(&in);
        in = out;
        out = (struct buf)BUF_INIT;
    }
    page_headers(req);
    return http_text(req, 200, type, in.data, in.len);
}

int api_app_page(struct req *req, struct err *err)
{
    return page(req, "app.html", HTML, err);
}

int api_public_page(struct req *req, struct err *err)
{
    if (api_public_admit(req, err))
        return err->rc;
    return page(req, "book.html", HTML, err);
}

int api_tech_page(struct req *req, struct err *err)
{
    return page(req, "tech.html", HTML, err);
}

/* The technician's app's service worker, at /tech/sw.js; its scope is the
 * app's, /tech and below (Service-Worker-Allowed: a worker's own folder,
 * /tech/, would leave out the page /tech itself); it names the files it keeps for offline use by
 * their versioned addresses, so a new set of files is a new worker. */
int api_tech_worker(struct req *req, struct err *err)
{
    http_header(req, "Service-Worker-Allowed: /tech");
    return page(req, "tech-sw.js", "text/javascript; charset=utf-8", err);
}

int api_static(struct req *req, struct err *err)
{
    const char *name = router_param(&req->params, "file");
    const char *type = www_content_type(name);
    size_t len = 0;
    char *text = type ? www_read(req->app->cfg->www, name, &len) : NULL;

    if (!text || is_page(name)) {
        free(text);
        return err_set(err, ERR_NOT_FOUND, NULL, NULL, "no such file: %s",
                       name ? name : "");
    }
    req->cache_control =
        strcmp(router_param(&req->params, "version"),
               req->app->www_version) == 0
            ? "public, max-age=31536000, immutable"
            : "no-cache";
    page_headers(req);
    return http_text(req, 200, type, text, len);
}
