/*
 * api_links.c - customers' links, staff side: a dispatcher makes one for a
 * job (POST /api/v1/jobs/{id}/booking-link), for booking a visit or for
 * answering the job's quote, or revokes it
 * (DELETE /api/v1/booking-links/{id}).
 *
 * A token is 256 random bits as base64url, shown once in the link's URL
 * (/book/{token} or /quote/{token}) and stored only as its hash.
 */
#include "api/api.h"
#include "app.h"
#include "common/sec.h"
#include "common/timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const purposes[] = {"booking", "quote", 0};

static const struct jfield link_fields[] = {
    {.name = "purpose", .type = JF_ENUM, .choices = purposes,
     .dflt = "\"booking\""},
    {.name = "expires_hours", .type = JF_INT, .min = 1, .max = 720,
     .dflt = "72"},
    JF_END};

int api_link_create(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    char token[SEC_TOKEN_TEXT], url[SEC_TOKEN_TEXT + 16],
        at[TIMEFMT_RFC3339_LEN];
    unsigned char hash[SEC_HASH_BYTES];
    const char *purpose;
    json_t *vals;
    int64_t job, id, expires;
    int rc;

    if (http_param_id(req, "id", &job, err) ||
        http_body_parse(req, link_fields, JPARSE_CREATE, &vals, err))
        return err->rc;
    purpose = json_string_value(json_object_get(vals, "purpose"));
    expires = (int64_t)time(NULL) +
              json_integer_value(json_object_get(vals, "expires_hours")) * 3600;
    sec_token_new(token);
    sec_token_hash(token, hash);
    rc = store_link_create(req->app->store, job, purpose, hash, expires, &who,
                           &id, err);
    snprintf(url, sizeof url, "/%s/%s",
             strcmp(purpose, "quote") == 0 ? "quote" : "book", token);
    sodium_memzero(token, sizeof token);
    timefmt_format_rfc3339(expires, at);
    if (rc == 0)
        rc = http_json(req, 201, json_pack("{s:I, s:I, s:s, s:s, s:s}", "id",
                                           (json_int_t)id, "job_id",
                                           (json_int_t)job, "purpose", purpose,
                                           "url", url, "expires_at", at));
    sodium_memzero(url, sizeof url);
    json_decref(vals);
    return rc;
}

int api_link_revoke(struct req *req, struct err *err)
{
    int64_t id;

    if (http_param_id(req, "id", &id, err) ||
        store_link_revoke(req->app->store, id, err))
        return err->rc;
    return http_text(req, 204, "text/plain", NULL, 0);
}

