/*
 * api_users.c - creating staff accounts and API tokens (admin only).
 *
 * Reading, listing and changing accounts and tokens go through the generic
 * resource handlers; only creation is special, because it makes a secret
 * that is shown exactly once and stored only as a hash.
 */
#include "api/api.h"
#include "app.h"
#include "common/sec.h"
#include "http/pwgate.h"

#include <sodium.h>
#include <string.h>

#define GENERATED_PASSWORD_LEN 16

static const struct jfield user_new_fields[] = {
    {.name = "username", .type = JF_TEXT, .flags = JF_REQUIRED, .min = 1,
     .max = 64},
    {.name = "role", .type = JF_ENUM, .flags = JF_REQUIRED,
     .choices = staff_roles},
    {.name = "password", .type = JF_TEXT, .min = 12, .max = 128},
    JF_END};
static const struct jfield token_new_fields[] = {
    {.name = "user_id", .type = JF_INT, .flags = JF_REQUIRED, .min = 1,
     .max = 9007199254740991LL},
    {.name = "name", .type = JF_TEXT, .flags = JF_REQUIRED, .min = 1,
     .max = 100},
    JF_END};

static int valid_username(const char *s, struct err *err)
{
    if (strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(s))
        return err_set(err, ERR_INVALID, "invalid_username", "username",
                       "username may use only a-z, 0-9, '.', '_' and '-'");
    return 0;
}

int api_user_create(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    char password[GENERATED_PASSWORD_LEN + 1], hash[SEC_PWHASH_TEXT];
    const char *given;
    json_t *vals, *row;
    int64_t id;
    int rc;

    if (http_body_parse(req, user_new_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    given = json_string_value(json_object_get(vals, "password"));
    if (!given)
        sec_password_new(password, GENERATED_PASSWORD_LEN);
    rc = valid_username(json_string_value(json_object_get(vals, "username")),
                        err);
    if (rc == 0 && (rc = api_password_slot(req, err)) == 0) {
        rc = sec_password_hash(given ? given : password, hash, err);
        pwgate_leave(req->app->passwords);
    }
    /* Whoever set it, the user replaces the password at first login. */
    if (rc == 0)
        rc = store_user_create(
            req->app->store,
            json_string_value(json_object_get(vals, "username")),
            json_string_value(json_object_get(vals, "role")), hash, 1, &who,
            &id, err);
    json_decref(vals);
    if (rc == 0)
        rc = store_res_get(req->app->store, &res_user, id, &row, err);
    if (rc == 0) {
        json_t *out = jparse_render(row, res_user.fields);
        json_decref(row);
        if (!given)
            json_object_set_new(out, "one_time_password",
                                json_string(password));
        http_header(req, "Location: /api/v1/users/%lld", (long long)id);
        http_json(req, 201, out);
    }
    sodium_memzero(password, sizeof password);
    return rc;
}

int api_token_create(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    char token[SEC_TOKEN_TEXT];
    unsigned char hash[SEC_HASH_BYTES];
    json_t *vals, *row;
    int64_t id;
    int rc;

    if (http_body_parse(req, token_new_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    sec_token_new(token);
    sec_token_hash(token, hash);
    rc = store_token_create(
        req->app->store, json_integer_value(json_object_get(vals, "user_id")),
        json_string_value(json_object_get(vals, "name")), hash, &who, &id,
        err);
    json_decref(vals);
    if (rc == 0)
        rc = store_res_get(req->app->store, &res_api_token, id, &row, err);
    if (rc == 0) {
        json_t *out = jparse_render(row, res_api_token.fields);
        json_decref(row);
        json_object_set_new(out, "token", json_string(token));
        http_header(req, "Location: /api/v1/api-tokens/%lld", (long long)id);
        http_json(req, 201, out);
    }
    sodium_memzero(token, sizeof token);
    return rc;
}
