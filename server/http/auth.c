/*
 * auth.c - resolving the caller of a request and checking the route's roles.
 *
 * A request carries either `Authorization: Bearer <api token>` or the
 * session cookie; both are looked up by hash.  The route table's role mask
 * is checked here and nowhere else, and so is the CSRF token a
 * cookie-authenticated write must carry.
 */
#include "http/auth.h"
#include "common/sec.h"
#include "store/store.h"

#include <civetweb.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <time.h>

unsigned auth_role_bit(const char *role)
{
    if (strcmp(role, "admin") == 0)
        return ROLE_ADMIN;
    if (strcmp(role, "dispatcher") == 0)
        return ROLE_DISPATCHER;
    if (strcmp(role, "manager") == 0)
        return ROLE_MANAGER;
    return 0;
}

static int bad_credentials(struct err *err)
{
    return err_set(err, ERR_UNAUTHORIZED, "unauthorized", NULL,
                   "the session or token is invalid or has expired");
}

int auth_has_session_cookie(const struct req *req)
{
    const char *cookies = mg_get_header(req->conn, "Cookie");
    char token[SEC_TOKEN_TEXT + 8];

    return cookies &&
           mg_get_cookie(cookies, AUTH_COOKIE, token, sizeof token) > 0;
}

int auth_resolve(struct req *req, struct err *err)
{
    const char *authz = mg_get_header(req->conn, "Authorization");
    const char *cookies = mg_get_header(req->conn, "Cookie");
    char token[SEC_TOKEN_TEXT + 8];
    unsigned char hash[SEC_HASH_BYTES];

    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0 ||
            strlen(authz + 7) >= sizeof token)
            return bad_credentials(err);
        strcpy(token, authz + 7);
        sec_token_hash(token, hash);
        return store_token_user(req->app->store, hash, &req->user, err)
                   ? bad_credentials(err)
                   : 0;
    }
    if (!cookies || mg_get_cookie(cookies, AUTH_COOKIE, token,
                                  sizeof token) <= 0)
        return err_set(err, ERR_UNAUTHORIZED, "unauthorized", NULL,
                       "log in or send an API token");
    sec_token_hash(token, hash);
    if (store_session_user(req->app->store, hash, (int64_t)time(NULL),
                           &req->user, err))
        return bad_credentials(err);
    req->via_session = 1;
    memcpy(req->session_hash, hash, sizeof hash);
    return 0;
}

/* A write under a session cookie must echo the session's CSRF token in
 * X-CSRF-Token: another site's page can make the browser send the cookie
 * (were SameSite ever bypassed) but cannot read the token. */
static int check_csrf(const struct req *req, struct err *err)
{
    const char *sent = mg_get_header(req->conn, "X-CSRF-Token");
    char want[SEC_TOKEN_TEXT];

    if (!req->via_session || !strcmp(req->method, "GET") ||
        !strcmp(req->method, "HEAD"))
        return 0;
    if (!sent)
        return err_set(err, ERR_FORBIDDEN, "csrf_required", NULL,
                       "a change made with the session cookie needs the"
                       " session's X-CSRF-Token header (from login or"
                       " GET /api/v1/me)");
    sec_csrf_token(req->session_hash, want);
    if (strlen(sent) != strlen(want) ||
        sodium_memcmp(sent, want, strlen(want)) != 0)
        return err_set(err, ERR_FORBIDDEN, "csrf_mismatch", NULL,
                       "the X-CSRF-Token header does not belong to this"
                       " session");
    return 0;
}

int auth_check_route(struct req *req, struct err *err)
{
    const struct route *r = req->route;

    if (r->roles == ROLE_PUBLIC)
        return 0;
    if (auth_resolve(req, err))
        return err->rc;
    if (!(auth_role_bit(req->user.role) & r->roles))
        return err_set(err, ERR_FORBIDDEN, "forbidden", NULL,
                       "the %s role may not %s %s", req->user.role,
                       r->method, r->pattern);
    if (req->user.must_change_password &&
        !(r->flags & ROUTE_PASSWORD_PENDING_OK))
        return err_set(err, ERR_FORBIDDEN, "password_change_required", NULL,
                       "change the one-time password first"
                       " (POST /api/v1/me/password)");
    return check_csrf(req, err);
}
