/*
 * api_company.c - the company profile: GET /api/v1/company for every
 * staff role, PATCH /api/v1/company for admins (the route table says
 * who).  The name is what customers see on their pages, the zone the
 * company's working day, the currency what quotes and reports are in.
 */
#include "api/api.h"
#include "app.h"
#include "rules/company.h"

int api_company_get(struct req *req, struct err *err)
{
    struct company co;

    if (store_company_get(req->app->store, &co, err))
        return err->rc;
    return http_json(req, 200, company_json(&co));
}

int api_company_update(struct req *req, struct err *err)
{
    struct actor who = http_actor(req);
    struct company co;
    json_t *body, *patch;
    int rc;

    if (http_body_json(req, &body, err))
        return err->rc;
    rc = company_patch(body, &patch, err);
    json_decref(body);
    if (rc)
        return rc;
    rc = store_company_update(req->app->store, patch, &who, &co, err);
    json_decref(patch);
    return rc ? rc : http_json(req, 200, company_json(&co));
}
