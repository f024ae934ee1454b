/*
 * api.c - the staff API as the demo dispatcher, for setting the fault run
 * up: a cookie session (libcurl's cookie engine) whose writes carry the
 * X-CSRF-Token from the login reply, jobs booked and assigned to
 * technicians, and enrollment codes for devices.
 */
#include "fault.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_USER "dispatcher"
#define DEMO_PASSWORD "dispatch-demo-2026"

struct fault_api {
    CURL *h;
    char base[64];
    char csrf[128];
};

struct sink {
    char *data;
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    char *grown = realloc(s->data, s->len + size * n + 1);

    if (!grown)
        return 0;
    s->data = grown;
    memcpy(s->data + s->len, p, size * n);
    s->len += size * n;
    s->data[s->len] = '\0';
    return size * n;
}

/* method path with an optional JSON body (taken); the status, *out the
 * parsed reply (NULL when not JSON). */
static long request(struct fault_api *a, const char *method,
                    const char *path, json_t *body, json_t **out)
{
    struct curl_slist *hdr = NULL;
    struct sink s = {NULL, 0};
    char url[256], csrf[160], *text = body ? json_dumps(body, 0) : NULL;
    long status = 0;

    snprintf(url, sizeof url, "%s%s", a->base, path);
    snprintf(csrf, sizeof csrf, "X-CSRF-Token: %s", a->csrf);
    hdr = curl_slist_append(hdr, "Content-Type: application/json");
    if (a->csrf[0])
        hdr = curl_slist_append(hdr, csrf);
    curl_easy_setopt(a->h, CURLOPT_URL, url);
    curl_easy_setopt(a->h, CURLOPT_HTTPHEADER, hdr);
    if (strcmp(method, "GET")) {
        curl_easy_setopt(a->h, CURLOPT_POSTFIELDS, text ? text : "");
        curl_easy_setopt(a->h, CURLOPT_CUSTOMREQUEST, method);
    } else {
        curl_easy_setopt(a->h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(a->h, CURLOPT_CUSTOMREQUEST, NULL);
    }
    curl_easy_setopt(a->h, CURLOPT_WRITEDATA, &s);
    if (curl_easy_perform(a->h) == CURLE_OK)
        curl_easy_getinfo(a->h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    free(text);
    json_decref(body);
    *out = s.data ? json_loads(s.data, 0, NULL) : NULL;
    if (status < 200 || status > 299)
        fprintf(stderr, "fault: %s %s: HTTP %ld %s\n", method, path, status,
                s.data ? s.data : "");
    free(s.data);
    return status;
}

struct fault_api *fault_api_login(const char *base)
{
    struct fault_api *a = calloc(1, sizeof *a);
    json_t *r = NULL;
    const char *csrf;

    a->h = curl_easy_init();
    snprintf(a->base, sizeof a->base, "%s", base);
    curl_easy_setopt(a->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(a->h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(a->h, CURLOPT_COOKIEFILE, ""); /* cookies in memory */
    curl_easy_setopt(a->h, CURLOPT_WRITEFUNCTION, on_data);
    if (request(a, "POST", "/api/v1/login",
                json_pack("{s:s, s:s}", "username", DEMO_USER, "password",
                          DEMO_PASSWORD), &r) != 200 ||
        !(csrf = json_string_value(json_object_get(r, "csrf_token")))) {
        json_decref(r);
        fault_api_free(a);
        return NULL;
    }
    snprintf(a->csrf, sizeof a->csrf, "%s", csrf);
    json_decref(r);
    return a;
}

void fault_api_free(struct fault_api *a)
{
    if (!a)
        return;
    curl_easy_cleanup(a->h);
    free(a);
}

int fault_api_technicians(struct fault_api *a, int64_t *ids, int max)
{
    json_t *r = NULL, *t;
    size_t i;
    int n = 0;

    if (request(a, "GET", "/api/v1/technicians?active=true&limit=200",
                NULL, &r) != 200) {
        json_decref(r);
        return 0;
    }
    json_array_foreach(json_object_get(r, "items"), i, t)
        if (n < max)
            ids[n++] = json_integer_value(json_object_get(t, "id"));
    json_decref(r);
    return n;
}

/* POST an event to job; 0 when 200. */
static int event(struct fault_api *a, int64_t job, json_t *body)
{
    char path[80];
    json_t *r = NULL;
    long st;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/events", (long long)job);
    st = request(a, "POST", path, body, &r);
    json_decref(r);
    return st == 200 ? 0 : -1;
}

int64_t fault_api_assigned_job(struct fault_api *a, int64_t tech)
{
    json_t *r = NULL;
    int64_t job = 0;

    /* demo customer 1: the job needs no asset for notes */
    if (request(a, "POST", "/api/v1/jobs",
                json_pack("{s:i, s:s, s:s}", "customer_id", 1, "kind",
                          "repair", "fault", "fault-run job"), &r) == 201)
        job = json_integer_value(json_object_get(r, "id"));
    json_decref(r);
    if (!job || event(a, job, json_pack("{s:s, s:b}", "event", "book",
                                         "accept_callout", 1)) ||
        event(a, job, json_pack("{s:s, s:I}", "event", "assign",
                                "technician_id", (json_int_t)tech)))
        return 0;
    return job;
}

int fault_api_code(struct fault_api *a, int64_t tech, char *code,
                   size_t size)
{
    char path[80];
    json_t *r = NULL;
    const char *c;
    int rc = -1;

    snprintf(path, sizeof path, "/api/v1/technicians/%lld/enrollment-codes",
             (long long)tech);
    if (request(a, "POST", path, NULL, &r) == 201 &&
        (c = json_string_value(json_object_get(r, "code")))) {
        snprintf(code, size, "%s", c);
        rc = 0;
    }
    json_decref(r);
    return rc;
}
