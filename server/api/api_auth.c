/*
 * api_auth.c - staff login and logout, and the caller's own account.
 *
 * Failed logins are rate-limited per username and per client address, and
 * an unknown username costs the same Argon2id work as a wrong password, so
 * the reply says nothing about which accounts exist.
 */
#include "api/api.h"
#include "common/sec.h"
#include "http/auth.h"
#include "http/pwgate.h"
#include "http/ratelimit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PASSWORD_MIN 12
#define PASSWORD_MAX 128

static const struct jfield login_fields[] = {
    {.name = "username", .type = JF_TEXT, .flags = JF_REQUIRED, .min = 1,
     .max = 64},
    {.name = "password", .type = JF_TEXT, .flags = JF_REQUIRED, .min = 1,
     .max = PASSWORD_MAX},
    JF_END};
static const struct jfield password_fields[] = {
    {.name = "current_password", .type = JF_TEXT, .flags = JF_REQUIRED,
     .min = 1, .max = PASSWORD_MAX},
    {.name = "new_password", .type = JF_TEXT, .flags = JF_REQUIRED,
     .min = PASSWORD_MIN, .max = PASSWORD_MAX},
    JF_END};

/* Parse the body against fields into *vals (caller owns). */
static const char *text_of(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static json_t *user_json(const struct user *u)
{
    return json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)u->id,
                     "username", u->username, "role", u->role,
                     "must_change_password", u->must_change_password);
}

/* How long a request waits for a password slot before it is turned away. */
#define PASSWORD_SLOT_WAIT_MS 2000

int api_password_slot(struct req *req, struct err *err)
{
    if (pwgate_enter(req->app->passwords, PASSWORD_SLOT_WAIT_MS) == 0)
        return 0;
    http_header(req, "Retry-After: 1");
    return err_set(err, ERR_RATE_LIMITED, "busy", NULL,
                   "too many passwords are being checked at once; try"
                   " again in a second");
}

/* Begin a login attempt for the user and for the address before the
 * password is checked; 429 with Retry-After when either has none left
 * (and nothing begun), "busy" when the last ones are still being checked
 * after PASSWORD_SLOT_WAIT_MS. */
static int begin_attempt(struct req *req, const char *ukey, const char *akey,
                         int64_t now, struct err *err)
{
    struct ratelimit *rl = req->app->login_limit;
    int64_t wait = ratelimit_begin(rl, ukey, now, PASSWORD_SLOT_WAIT_MS);

    if (wait == 0 &&
        (wait = ratelimit_begin(rl, akey, now, PASSWORD_SLOT_WAIT_MS)) != 0)
        ratelimit_end(rl, ukey, ATTEMPT_UNCOUNTED);
    if (!wait)
        return 0;
    http_header(req, "Retry-After: %lld", wait < 0 ? 1LL : (long long)wait);
    if (wait < 0)
        return err_set(err, ERR_RATE_LIMITED, "busy", NULL,
                       "other logins for this user or address are being"
                       " checked; try again in a second");
    return err_set(err, ERR_RATE_LIMITED, "too_many_attempts", NULL,
                   "too many failed logins; try again in %lld seconds",
                   (long long)wait);
}

/* Settle both attempts begun. */
static void end_attempt(struct req *req, const char *ukey, const char *akey,
                        enum attempt_end user, enum attempt_end address)
{
    ratelimit_end(req->app->login_limit, ukey, user);
    ratelimit_end(req->app->login_limit, akey, address);
}

static int start_session(struct req *req, const struct user *u,
                         int64_t now, struct err *err)
{
    char token[SEC_TOKEN_TEXT];
    unsigned char hash[SEC_HASH_BYTES];
    int64_t ttl = req->app->cfg->session_hours * 3600;
    int rc;

    sec_token_new(token);
    sec_token_hash(token, hash);
    rc = store_session_create(req->app->store, hash, u->id, now, now + ttl,
                              err);
    if (rc == 0)
        http_header(req, "Set-Cookie: %s=%s; Path=/; Max-Age=%lld; HttpOnly;"
                         " SameSite=Strict%s", AUTH_COOKIE, token,
                    (long long)ttl, req->https ? "; Secure" : "");
    sodium_memzero(token, sizeof token);
    req->via_session = 1;
    memcpy(req->session_hash, hash, sizeof hash);
    return rc;
}

/* {"user", "csrf_token"}: the token a cookie-authenticated write must
 * echo in X-CSRF-Token (null for an API token's caller). */
static json_t *session_json(const struct req *req, const struct user *u)
{
    char csrf[SEC_TOKEN_TEXT];

    if (!req->via_session)
        return json_pack("{s:o, s:n}", "user", user_json(u), "csrf_token");
    sec_csrf_token(req->session_hash, csrf);
    return json_pack("{s:o, s:s}", "user", user_json(u), "csrf_token", csrf);
}

int api_login(struct req *req, struct err *err)
{
    json_t *vals;
    struct user u;
    char ukey[80], akey[80];
    int64_t now = (int64_t)time(NULL);
    int ok, rc;

    if (http_body_parse(req, login_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    snprintf(ukey, sizeof ukey, "u:%s", text_of(vals, "username"));
    snprintf(akey, sizeof akey, "a:%s", req->client);
    if ((rc = begin_attempt(req, ukey, akey, now, err)) != 0) {
        json_decref(vals);
        return rc;
    }
    if ((rc = api_password_slot(req, err)) != 0) { /* nothing was checked */
        end_attempt(req, ukey, akey, ATTEMPT_UNCOUNTED, ATTEMPT_UNCOUNTED);
        json_decref(vals);
        return rc;
    }
    if (store_user_by_name(req->app->store, text_of(vals, "username"), &u,
                           err) == 0) {
        ok = sec_password_verify(u.password_hash, text_of(vals, "password"));
        ok = ok && u.active;
    } else {
        sec_password_dummy_verify(text_of(vals, "password"));
        ok = 0;
    }
    pwgate_leave(req->app->passwords);
    json_decref(vals);
    sodium_memzero(u.password_hash, sizeof u.password_hash);
    end_attempt(req, ukey, akey, ok ? ATTEMPT_CLEARS : ATTEMPT_FAILED,
                ok ? ATTEMPT_UNCOUNTED : ATTEMPT_FAILED);
    if (!ok)
        return err_set(err, ERR_UNAUTHORIZED, "invalid_credentials", NULL,
                       "wrong username or password");
    if (start_session(req, &u, now, err))
        return err->rc;
    return http_json(req, 200, session_json(req, &u));
}

int api_logout(struct req *req, struct err *err)
{
    if (req->via_session &&
        store_session_delete(req->app->store, req->session_hash, err))
        return err->rc;
    http_header(req, "Set-Cookie: %s=; Path=/; Max-Age=0; HttpOnly;"
                     " SameSite=Strict%s", AUTH_COOKIE,
                req->https ? "; Secure" : "");
    return http_text(req, 204, "text/plain", NULL, 0);
}

int api_me(struct req *req, struct err *err)
{
    (void)err;
    return http_json(req, 200, session_json(req, &req->user));
}

int api_me_password(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    struct user u;
    char hash[SEC_PWHASH_TEXT];
    json_t *vals;
    int rc;

    if (http_body_parse(req, password_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    if ((rc = api_password_slot(req, err)) != 0) {
        json_decref(vals);
        return rc;
    }
    rc = store_user_by_name(req->app->store, req->user.username, &u, err);
    if (rc == 0 && !sec_password_verify(u.password_hash,
                                        text_of(vals, "current_password")))
        rc = err_set(err, ERR_FORBIDDEN, "invalid_credentials",
                     "current_password", "the current password is wrong");
    if (rc == 0 && strcmp(text_of(vals, "current_password"),
                          text_of(vals, "new_password")) == 0)
        rc = err_set(err, ERR_INVALID, "password_reused", "new_password",
                     "the new password must differ from the current one");
    if (rc == 0)
        rc = sec_password_hash(text_of(vals, "new_password"), hash, err);
    pwgate_leave(req->app->passwords);
    if (rc == 0)
        rc = store_user_set_password(req->app->store, u.id, hash,
                                     req->via_session ? req->session_hash
                                                      : NULL,
                                     &who, err);
    json_decref(vals);
    sodium_memzero(hash, sizeof hash);
    return rc ? rc : http_text(req, 204, "text/plain", NULL, 0);
}
