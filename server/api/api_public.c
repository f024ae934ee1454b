/*
 * api_public.c - the gate of every public (customer) route: a per-address
 * rate limit (429 with Retry-After), the link token of the path checked
 * and hashed, the job behind it, and that job in plain words with the
 * name of the company doing it.
 *
 * A malformed, unknown, revoked or expired token, or one for another
 * purpose, is the same 404 with the same message, so an answer never says
 * whether a job exists.  Only the token's hash leaves this file; the
 * access log names the route pattern, never the path.
 */
#include "api/api.h"
#include "app.h"
#include "common/sec.h"
#include "http/ratelimit.h"
#include "rules/company.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define LINK_TOKEN_LEN (SEC_TOKEN_TEXT - 1)

/* Count this request against its address; 429 once over the limit. */
int api_public_admit(struct req *req, struct err *err)
{
    int64_t now = (int64_t)time(NULL), wait;
    char key[80];

    snprintf(key, sizeof key, "public:%s", req->client);
    wait = ratelimit_take(req->app->public_limit, key, now);
    if (wait > 0) {
        http_header(req, "Retry-After: %lld", (long long)wait);
        return err_set(err, ERR_RATE_LIMITED, "rate_limited", NULL,
                       "too many requests; try again in %lld s",
                       (long long)wait);
    }
    return 0;
}

/* The hash of the {token} of this request's path; the one 404 for a
 * malformed token. */
int api_public_token(struct req *req, unsigned char hash[32], struct err *err)
{
    const char *token = router_param(&req->params, "token");
    size_t n = token ? strlen(token) : 0;

    for (size_t i = 0; i < n && n == LINK_TOKEN_LEN; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789-_", token[i]))
            n = 0;
    if (n != LINK_TOKEN_LEN)
        return err_set(err, ERR_NOT_FOUND, NULL, NULL, "%s",
                       STORE_LINK_INVALID);
    sec_token_hash(token, hash);
    return 0;
}

int api_public_company(struct req *req, json_t *job, struct company *co,
                       struct err *err)
{
    if (store_company_get(req->app->store, co, err))
        return err->rc;
    json_object_set_new(job, "company", json_string(co->name));
    json_object_set_new(job, "company_phone", json_string(co->phone));
    json_object_set_new(job, "company_email", json_string(co->email));
    return 0;
}

/* The job behind this request's token, or one 404 for every way a token
 * can fail. */
int api_public_link(struct req *req, const char *purpose, json_t **job,
                    struct err *err)
{
    unsigned char hash[SEC_HASH_BYTES];
    struct company co;

    if (api_public_token(req, hash, err) ||
        store_link_job(req->app->store, hash, purpose, job, err))
        return err->rc;
    if (api_public_company(req, *job, &co, err)) {
        json_decref(*job);
        *job = NULL;
        return err->rc;
    }
    return 0;
}

void api_public_window(json_t *out, const json_t *row)
{
    static const char *const keys[] = {"window_start", "window_end"};

    api_copy_instants(out, row, keys, 2);
}

json_t *api_public_job(const json_t *j)
{
    json_t *out = json_pack("{s:O, s:O, s:O, s:O, s:O}", "kind",
                            json_object_get(j, "kind"), "fault",
                            json_object_get(j, "fault"), "status",
                            json_object_get(j, "status"), "duration_minutes",
                            json_object_get(j, "duration_minutes"),
                            "customer_name",
                            json_object_get(j, "customer_name"));
    json_object_set(out, "timezone", json_object_get(j, "timezone"));
    json_object_set(out, "company", json_object_get(j, "company"));
    json_object_set(out, "company_phone", json_object_get(j, "company_phone"));
    json_object_set(out, "company_email", json_object_get(j, "company_email"));
    api_public_window(out, j);
    return out;
}

