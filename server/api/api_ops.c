/*
 * api_ops.c - operations endpoints: health, Prometheus metrics and the
 * OpenAPI description (compiled into the binary from server/openapi.yaml).
 */
#include "api/api.h"
#include "common/buf.h"
#include "http/metrics.h"

#include <stdlib.h>
#include <string.h>

extern const char fsd_openapi_yaml[]; /* generated from openapi.yaml */

int api_healthz(struct req *req, struct err *err)
{
    if (store_ping(req->app->store, err))
        return err->rc;
    return http_json(req, 200, json_pack("{s:s, s:s}", "status", "ok",
                                         "database", "ok"));
}

int api_metrics(struct req *req, struct err *err)
{
    struct buf b = BUF_INIT;

    (void)err;
    metrics_render(req->app->metrics, req->app->store, &b);
    return http_text(req, 200, "text/plain; version=0.0.4", b.data, b.len);
}

int api_openapi(struct req *req, struct err *err)
{
    size_t n = strlen(fsd_openapi_yaml);
    char *copy = malloc(n + 1);

    if (!copy)
        return err_set(err, ERR_INTERNAL, NULL, NULL, "out of memory");
    memcpy(copy, fsd_openapi_yaml, n + 1);
    return http_text(req, 200, "application/yaml", copy, n);
}
