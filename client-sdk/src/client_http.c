/*
 * client_http.c - the SDK's transport: protobuf POSTs (and GETs) through
 * one libcurl handle per client, so that its connection (and TLS
 * session) is reused from one request and one sync to the next, with
 * connect and transfer timeouts and a cap on the reply size.
 */
#include "client_int.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define CONNECT_TIMEOUT_MS 5000L
#define TRANSFER_TIMEOUT_MS 30000L

struct sink {
    uint8_t *data;
    size_t len;
    int over;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t add = size * n;
    uint8_t *grown;

    if (s->len + add > (size_t)CLIENT_MAX_REPLY) {
        s->over = 1;
        return 0; /* abort the transfer */
    }
    grown = realloc(s->data, s->len + add + 1);
    if (!grown)
        return 0;
    s->data = grown;
    memcpy(s->data + s->len, p, add);
    s->len += add;
    return add;
}

void client_http_close(fsd_client *c)
{
    if (c->curl)
        curl_easy_cleanup(c->curl);
    c->curl = NULL;
}

int client_post(fsd_client *c, const char *url, const uint8_t *body,
                size_t len, long *status, uint8_t **reply,
                size_t *reply_len)
{
    CURL *h = c->curl ? c->curl : (c->curl = curl_easy_init());
    struct curl_slist *hdr = NULL;
    struct sink s = {NULL, 0, 0};
    long connects = 0;
    CURLcode rc;

    if (!h)
        return client_fail(c, FSD_ERR_NETWORK, "cannot start libcurl");
    /* the options of the last request go; its connection stays */
    curl_easy_reset(h);
    hdr = curl_slist_append(hdr, "Content-Type: application/x-protobuf");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, TRANSFER_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    if (c->ca_file[0])
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    rc = curl_easy_perform(h);
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    if (curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK)
        c->connects += connects;
    curl_slist_free_all(hdr);
    if (s.over) {
        free(s.data);
        return client_fail(c, FSD_ERR_VERIFY, "too_large: the reply is over"
                           " %ld bytes", CLIENT_MAX_REPLY);
    }
    if (rc != CURLE_OK) {
        free(s.data);
        return client_fail(c, FSD_ERR_NETWORK, "%s: %s", url,
                           curl_easy_strerror(rc));
    }
    *reply = s.data ? s.data : calloc(1, 1);
    *reply_len = s.len;
    return FSD_OK;
}

int client_refused(fsd_client *c, long status, const uint8_t *reply,
                   size_t len)
{
    Fsd__V1__SyncError *e = fsd__v1__sync_error__unpack(NULL, len, reply);
    int rc = status == 429 || status >= 500 ? FSD_ERR_NETWORK
                                            : FSD_ERR_REFUSED;

    client_fail(c, rc, "%s: %s (HTTP %ld)", e ? e->code : "error",
                e ? e->message : "the server refused the request", status);
    snprintf(c->refusal, sizeof c->refusal, "%s", e ? e->code : "");
    c->server_batch_seq = e ? e->last_batch_seq : 0;
    /* the server no longer has this enrollment: a new one may be made */
    if (e && (!strcmp(e->code, "unknown_device") ||
              !strcmp(e->code, "device_revoked")))
        client_meta_set_blob(c, "enrollment_lost", e->code,
                             strlen(e->code) + 1);
    if (e)
        fsd__v1__sync_error__free_unpacked(e, NULL);
    return rc;
}
