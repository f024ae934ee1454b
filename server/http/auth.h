/*
 * auth.h - who is calling: staff sessions (cookie) and API tokens (Bearer).
 */
#ifndef FSD_AUTH_H
#define FSD_AUTH_H

#include "http/http.h"

#define AUTH_COOKIE "fsd_session"

/* Fill req->user from the request's credentials; ERR_UNAUTHORIZED if none
 * or invalid. */
int auth_resolve(struct req *req, struct err *err);

/* 1 when the request carries a session cookie at all (valid or not). */
int auth_has_session_cookie(const struct req *req);

/* The role bit for a role name (0 if unknown). */
unsigned auth_role_bit(const char *role);

/* Check req's caller against the route: 401, 403 or 0. */
int auth_check_route(struct req *req, struct err *err);

#endif
