/*
 * api_pages.c - the page a customer's link opens: GET /book/{token} and
 * GET /quote/{token} both answer with book.html from the static root,
 * which reads the token from its own address and talks to the public API.
 *
 * The page is the same whatever the token, so serving it reveals nothing;
 * the API behind it judges the token.  It goes out with a strict
 * Content-Security-Policy (own origin only, no inline code), no referrer
 * (the token is in the address) and no caching.
 */
#include "api.h"
#include "app.h"
#include "config.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>

#define PAGE_MAX (256 * 1024)

/* The whole of file path into a fresh buffer (*len bytes); NULL if it
 * cannot be read or is over PAGE_MAX. */
static char *read_page(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text = f ? xmalloc(PAGE_MAX) : NULL;

    if (!f)
        return NULL;
    *len = fread(text, 1, PAGE_MAX, f);
    if (ferror(f) || !feof(f) || *len == 0) {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

int api_public_page(struct req *req, struct err *err)
{
    char path[600];
    size_t len = 0;
    char *text;

    if (api_public_admit(req, err))
        return err->rc;
    snprintf(path, sizeof path, "%s/book.html", req->app->cfg->www);
    if (!(text = read_page(path, &len)))
        return err_set(err, ERR_NOT_FOUND, NULL, NULL,
                       "the customer page is not installed");
    http_header(req, "Content-Security-Policy: %s", http_page_policy);
    http_header(req, "Referrer-Policy: no-referrer");
    http_header(req, "X-Frame-Options: DENY");
    return http_text(req, 200, "text/html; charset=utf-8", text, len);
}
