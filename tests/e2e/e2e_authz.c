/*
 * e2e_authz.c - the authorization matrix: every route of the route table
 * (api_routes in server/api/routes.c, linked from libfsd.a) called by every
 * kind of caller -- nobody, a booking link's holder, a technician's device,
 * a dispatcher, a manager and an admin (API tokens) -- and each answer
 * checked against an expectation kept here, by hand, per "METHOD pattern".
 *
 * The matrix is the second opinion on routes.c: a route added to the
 * table without a rule here, a rule for a route that is gone, or a role
 * mask that differs from the rule all fail the first test.  The second
 * calls every route: without staff credentials a staff route is 401
 * unauthorized (a booking token sent as a bearer and a device's signed
 * envelope are not staff credentials); a staff role outside the rule is
 * 403 forbidden; an allowed caller gets anything but 401 or 403 (a 400,
 * 404 or 409 for the dummy body "{}" is fine) and never a 5xx.  Public
 * routes answer every caller without 401/403.  The device routes /sync/v1/
 * enroll and /sync/v1/sync take only a signed envelope: the device gets
 * 200, every other caller 400 malformed_envelope, staff or not.
 */
#include "api/api.h"
#include "attack.h"
#include "device.h"
#include "suites.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define D ROLE_DISPATCHER
#define M ROLE_MANAGER
#define A ROLE_ADMIN
#define STAFF (D | M | A)
#define MA (M | A)

enum kind { PUBLIC, ROLES, ENVELOPE };

/* What fills a route's {id} or {token}: a record made for the matrix. */
enum fill {
    F_NONE, F_DUMMY, F_SLA, F_USER, F_TOKEN, F_CUST, F_CUST_DEL, F_ASSET,
    F_ASSET_DEL, F_SKILL, F_SKILL_DEL, F_TECH, F_TECH_DEL, F_PART,
    F_PART_DEL, F_DEVICE, F_DEVICE_DEL, F_JOB, F_LINK_DEL, F_BOOKING,
    F_BOOKING_CANCEL, F_PLAN, F_NFILL
};

struct rule {
    const char *key; /* "METHOD pattern" */
    enum kind kind;
    unsigned roles;  /* ROLES: who may */
    enum fill fill;
};

static const struct rule rules[] = {
    {"GET /healthz", PUBLIC, 0, F_NONE},
    {"GET /metrics", ROLES, MA, F_NONE},
    {"GET /api/v1/openapi.yaml", PUBLIC, 0, F_NONE},
    {"POST /api/v1/login", PUBLIC, 0, F_NONE},
    {"POST /api/v1/logout", ROLES, STAFF, F_NONE},
    {"GET /api/v1/me", ROLES, STAFF, F_NONE},
    {"POST /api/v1/me/password", ROLES, STAFF, F_NONE},
    {"GET /api/v1/company", ROLES, STAFF, F_NONE},
    {"PATCH /api/v1/company", ROLES, A, F_NONE},
    {"GET /api/v1/sla-policies", ROLES, STAFF, F_NONE},
    {"GET /api/v1/sla-policies/{id}", ROLES, STAFF, F_SLA},
    {"PATCH /api/v1/sla-policies/{id}", ROLES, MA, F_SLA},
    {"GET /api/v1/reports/summary", ROLES, MA, F_NONE},
    {"GET /api/v1/users", ROLES, A, F_NONE},
    {"POST /api/v1/users", ROLES, A, F_NONE},
    {"GET /api/v1/users/{id}", ROLES, A, F_USER},
    {"PATCH /api/v1/users/{id}", ROLES, A, F_USER},
    {"GET /api/v1/api-tokens", ROLES, A, F_NONE},
    {"POST /api/v1/api-tokens", ROLES, A, F_NONE},
    {"GET /api/v1/api-tokens/{id}", ROLES, A, F_TOKEN},
    {"DELETE /api/v1/api-tokens/{id}", ROLES, A, F_TOKEN},
    {"GET /api/v1/customers", ROLES, STAFF, F_NONE},
    {"POST /api/v1/customers", ROLES, STAFF, F_NONE},
    {"GET /api/v1/customers/{id}", ROLES, STAFF, F_CUST},
    {"PATCH /api/v1/customers/{id}", ROLES, STAFF, F_CUST},
    {"DELETE /api/v1/customers/{id}", ROLES, STAFF, F_CUST_DEL},
    {"GET /api/v1/customers/{id}/entitlement", ROLES, STAFF, F_CUST},
    {"GET /api/v1/assets", ROLES, STAFF, F_NONE},
    {"POST /api/v1/assets", ROLES, STAFF, F_NONE},
    {"GET /api/v1/assets/{id}", ROLES, STAFF, F_ASSET},
    {"PATCH /api/v1/assets/{id}", ROLES, STAFF, F_ASSET},
    {"DELETE /api/v1/assets/{id}", ROLES, STAFF, F_ASSET_DEL},
    {"GET /api/v1/assets/{id}/suggested-skills", ROLES, STAFF, F_ASSET},
    {"GET /api/v1/skills", ROLES, STAFF, F_NONE},
    {"POST /api/v1/skills", ROLES, MA, F_NONE},
    {"GET /api/v1/skills/{id}", ROLES, STAFF, F_SKILL},
    {"PATCH /api/v1/skills/{id}", ROLES, MA, F_SKILL},
    {"DELETE /api/v1/skills/{id}", ROLES, MA, F_SKILL_DEL},
    {"GET /api/v1/technicians", ROLES, STAFF, F_NONE},
    {"POST /api/v1/technicians", ROLES, MA, F_NONE},
    {"GET /api/v1/technicians/{id}", ROLES, STAFF, F_TECH},
    {"PATCH /api/v1/technicians/{id}", ROLES, MA, F_TECH},
    {"DELETE /api/v1/technicians/{id}", ROLES, MA, F_TECH_DEL},
    {"POST /api/v1/technicians/{id}/enrollment-codes", ROLES, STAFF, F_TECH},
    {"GET /api/v1/devices", ROLES, STAFF, F_NONE},
    {"GET /api/v1/devices/{id}", ROLES, STAFF, F_DEVICE},
    {"DELETE /api/v1/devices/{id}", ROLES, STAFF, F_DEVICE_DEL},
    {"POST /sync/v1/enroll", ENVELOPE, 0, F_NONE},
    {"POST /sync/v1/sync", ENVELOPE, 0, F_NONE},
    {"GET /sync/v1/keysets", PUBLIC, 0, F_NONE},
    {"GET /api/v1/parts", ROLES, STAFF, F_NONE},
    {"POST /api/v1/parts", ROLES, MA, F_NONE},
    {"GET /api/v1/parts/{id}", ROLES, STAFF, F_PART},
    {"PATCH /api/v1/parts/{id}", ROLES, MA, F_PART},
    {"DELETE /api/v1/parts/{id}", ROLES, MA, F_PART_DEL},
    {"POST /api/v1/parts/{id}/receive", ROLES, MA, F_PART},
    {"GET /api/v1/jobs", ROLES, STAFF, F_NONE},
    {"POST /api/v1/jobs", ROLES, STAFF, F_NONE},
    {"GET /api/v1/jobs/at-risk", ROLES, STAFF, F_NONE},
    {"GET /api/v1/jobs/{id}", ROLES, STAFF, F_JOB},
    {"PATCH /api/v1/jobs/{id}", ROLES, STAFF, F_JOB},
    {"POST /api/v1/jobs/{id}/events", ROLES, STAFF, F_JOB},
    {"GET /api/v1/jobs/{id}/timeline", ROLES, STAFF, F_JOB},
    {"GET /api/v1/jobs/{id}/candidates", ROLES, STAFF, F_JOB},
    {"POST /api/v1/jobs/{id}/assign", ROLES, STAFF, F_JOB},
    {"GET /api/v1/jobs/{id}/slots", ROLES, STAFF, F_JOB},
    {"POST /api/v1/jobs/{id}/booking-link", ROLES, STAFF, F_JOB},
    {"DELETE /api/v1/booking-links/{id}", ROLES, STAFF, F_LINK_DEL},
    {"GET /api/v1/public/bookings/{token}", PUBLIC, 0, F_BOOKING},
    {"POST /api/v1/public/bookings/{token}/hold", PUBLIC, 0, F_BOOKING},
    {"POST /api/v1/public/bookings/{token}/confirm", PUBLIC, 0, F_BOOKING},
    {"POST /api/v1/public/bookings/{token}/reschedule", PUBLIC, 0, F_BOOKING},
    {"POST /api/v1/public/bookings/{token}/cancel", PUBLIC, 0,
     F_BOOKING_CANCEL},
    {"GET /book/{token}/appointment.ics", PUBLIC, 0, F_BOOKING},
    {"GET /api/v1/public/quotes/{token}", PUBLIC, 0, F_BOOKING},
    {"POST /api/v1/public/quotes/{token}", PUBLIC, 0, F_BOOKING},
    {"GET /", PUBLIC, 0, F_NONE},
    {"GET /static/{version}/{file}", PUBLIC, 0, F_NONE},
    {"GET /book/{token}", PUBLIC, 0, F_BOOKING},
    {"GET /quote/{token}", PUBLIC, 0, F_BOOKING},
    {"GET /tech", PUBLIC, 0, F_NONE},
    {"GET /tech/sw.js", PUBLIC, 0, F_NONE},
    {"POST /api/v1/plans", ROLES, STAFF, F_NONE},
    {"GET /api/v1/plans/{id}", ROLES, STAFF, F_PLAN},
    {"POST /api/v1/plans/{id}/apply", ROLES, STAFF, F_DUMMY},
    {"GET /api/v1/jobs/{id}/record", ROLES, STAFF, F_JOB},
    {"GET /api/v1/jobs/{id}/sign-offs/{sign_off}/signature", ROLES, STAFF,
     F_JOB},
    {"GET /api/v1/board", ROLES, STAFF, F_NONE},
    {"GET /api/v1/changes", ROLES, STAFF, F_NONE},
    {"GET /api/v1/jobs/{id}/conflicts", ROLES, STAFF, F_JOB},
    {"POST /api/v1/sync-conflicts/{id}/resolve", ROLES, STAFF, F_DUMMY},
    {"POST /api/v1/jobs/{id}/parts/{line}/approve", ROLES, MA, F_JOB},
    {"POST /api/v1/jobs/{id}/invoice/payment", ROLES, STAFF, F_JOB},
};

/* Query strings that make an allowed caller's answer a 200. */
static const struct {
    const char *key, *query;
} queries[] = {
    {"GET /api/v1/reports/summary", "?from=2026-01-01&to=2026-12-31"},
    {"GET /sync/v1/keysets", "?after=1"},
    {"GET /api/v1/board", "?date=2030-01-07"},
    {"GET /api/v1/changes", "?after=0"},
};

static void route_key(const struct route *r, char *out, size_t size)
{
    snprintf(out, size, "%s %s", r->method, r->pattern);
}

static const struct rule *rule_for(const struct route *r)
{
    char key[200];

    route_key(r, key, sizeof key);
    for (size_t i = 0; i < N(rules); i++)
        if (!strcmp(rules[i].key, key))
            return &rules[i];
    return NULL;
}

static const char *roles_text(unsigned roles, char *out)
{
    sprintf(out, "%s%s%s%s", roles & D ? "dispatcher " : "",
            roles & M ? "manager " : "", roles & A ? "admin " : "",
            roles ? "" : "public ");
    out[strlen(out) - 1] = '\0';
    return out;
}

/* Append one problem line to problems (size bytes, used so far). */
static void problem(char *problems, size_t size, const char *fmt, ...)
{
    size_t used = strlen(problems);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(problems + used, size - used, fmt, ap);
    va_end(ap);
}

static int is_route(const char *key)
{
    char k[200];

    for (size_t j = 0; j < api_nroutes; j++) {
        route_key(&api_routes[j], k, sizeof k);
        if (!strcmp(k, key))
            return 1;
    }
    return 0;
}

START_TEST(every_route_has_a_rule_and_every_rule_a_route)
{
    char p[4096] = "", key[200], a[40], b[40];

    for (size_t i = 0; i < api_nroutes; i++) {
        const struct route *r = &api_routes[i];
        const struct rule *rule = rule_for(r);

        route_key(r, key, sizeof key);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(api_routes[j].method, r->method) &&
                !strcmp(api_routes[j].pattern, r->pattern))
                problem(p, sizeof p, "\n  %s is in the route table twice",
                        key);
        if (!rule)
            problem(p, sizeof p, "\n  %s (%s) has no rule in the matrix",
                    key, roles_text(r->roles, a));
        else if (rule->kind == ROLES && rule->roles != r->roles)
            problem(p, sizeof p, "\n  %s: routes.c allows %s, the matrix %s",
                    key, roles_text(r->roles, a),
                    roles_text(rule->roles, b));
        else if (rule->kind != ROLES && r->roles != ROLE_PUBLIC)
            problem(p, sizeof p, "\n  %s: routes.c wants %s, the matrix no"
                    " login", key, roles_text(r->roles, a));
        else if ((rule->kind == ENVELOPE) !=
                 (!strcmp(r->method, "POST") && (r->flags & ROUTE_PROTOBUF)))
            problem(p, sizeof p, "\n  %s: the matrix and the route disagree"
                    " on whether it takes a signed envelope", key);
    }
    for (size_t i = 0; i < N(rules); i++)
        if (!is_route(rules[i].key))
            problem(p, sizeof p, "\n  the matrix names %s, which is not in"
                    " the route table", rules[i].key);
    for (size_t i = 0; i < N(queries); i++)
        if (!is_route(queries[i].key))
            problem(p, sizeof p, "\n  a query string for %s, which is not"
                    " in the route table", queries[i].key);
    printf("e2e_authz: %zu routes in the table, %zu rules in the matrix\n",
           api_nroutes, N(rules));
    fflush(stdout);
    ck_assert_msg(!p[0], "the authorization matrix and the route table"
                  " differ:%s", p);
}
END_TEST

/* ---- calling a route as one kind of caller ---- */

enum caller { NOBODY, BOOKING, DEVICE, DISPATCHER, MANAGER, ADMIN, NCALLERS };
static const char *const caller_names[NCALLERS] = {
    "nobody", "a booking token", "a device", "a dispatcher", "a manager",
    "an admin"};
static const unsigned caller_role[NCALLERS] = {0, 0, 0, D, M, A};

struct world {
    char fill[F_NFILL][64];
    char bearer[NCALLERS][200]; /* "Authorization: Bearer ..." or "" */
    struct device dev;          /* enrolled, its technician F_TECH */
    struct bytes sync_env;      /* its signed SyncRequest */
    struct e2e_client desk;     /* makes enrollment codes */
};

struct answer {
    long status;
    char code[48];
    char body[240];
    size_t len;
    char type[64];
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct answer *a = arg;
    size_t room = sizeof a->body - 1 - a->len, take = size * n;

    memcpy(a->body + a->len, p, take < room ? take : room);
    a->len += take < room ? take : room;
    a->body[a->len] = '\0';
    return size * n;
}

/* method path with the header lines and body (len bytes) as given. */
static void call(const char *method, const char *path, const char *auth,
                 const void *body, size_t len, const char *type,
                 struct answer *a)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = curl_slist_append(NULL, "Expect:");
    char url[400], line[96];
    char *ct = NULL;

    memset(a, 0, sizeof *a);
    snprintf(url, sizeof url, "%s%s", e2e_srv.base, path);
    if (auth && *auth)
        hdr = curl_slist_append(hdr, auth);
    if (body) {
        snprintf(line, sizeof line, "Content-Type: %s", type);
        hdr = curl_slist_append(hdr, line);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    if (strcmp(method, "GET") && strcmp(method, "POST"))
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    else if (!strcmp(method, "POST") && !body)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15000L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
    if (curl_easy_perform(h) == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
        curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
        snprintf(a->type, sizeof a->type, "%s", ct ? ct : "");
    }
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    if (!strncmp(a->type, "application/json", 16)) {
        json_t *j = json_loadb(a->body, a->len, 0, NULL);
        const char *code = json_string_value(
            json_object_get(json_object_get(j, "error"), "code"));
        snprintf(a->code, sizeof a->code, "%s", code ? code : "");
        json_decref(j);
    } else if (!strcmp(a->type, "application/x-protobuf") &&
               a->status >= 400) {
        Fsd__V1__SyncError *e = fsd__v1__sync_error__unpack(
            NULL, a->len, (const uint8_t *)a->body);
        snprintf(a->code, sizeof a->code, "%s", e ? e->code : "");
        if (e)
            fsd__v1__sync_error__free_unpacked(e, NULL);
    }
}

/* ---- the records the routes are called on ---- */

static void set_fill(struct world *w, enum fill f, int64_t id)
{
    snprintf(w->fill[f], sizeof w->fill[f], "%lld", (long long)id);
}

/* A booking link for job made by c: its id; token gets its token. */
static int64_t link_for(struct e2e_client *c, int64_t job, char *token,
                        size_t size)
{
    struct e2e_reply r = E2E_REPLY_INIT;
    char path[80];
    int64_t id;

    snprintf(path, sizeof path, "/api/v1/jobs/%lld/booking-link",
             (long long)job);
    e2e_send(c, "POST", path, json_object(), &r);
    e2e_expect_status(&r, 201);
    id = json_integer_value(json_object_get(r.json, "id"));
    snprintf(token, size, "%s",
             json_string_value(json_object_get(r.json, "url")) + 6);
    e2e_reply_release(&r);
    return id;
}

static void world_open(struct world *w)
{
    static const char *const roles[] = {"dispatcher", "manager", "admin"};
    struct e2e_client owner, tmp, staff;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct device other;
    char name[64], token[64];
    int64_t user, job;

    memset(w, 0, sizeof *w);
    e2e_as_role(&owner, "admin", NULL);
    e2e_as_role(&w->desk, "dispatcher", NULL);
    snprintf(w->fill[F_DUMMY], sizeof w->fill[0], "999999");
    snprintf(w->fill[F_SLA], sizeof w->fill[0], "1");
    e2e_unique(name, sizeof name, "authz-user");
    user = e2e_create(&owner, "/api/v1/users",
                json_pack("{s:s, s:s}", "username", name, "role",
                          "dispatcher"));
    set_fill(w, F_USER, user);
    set_fill(w, F_TOKEN, e2e_token_client(&owner, &tmp, user, name));
    e2e_client_release(&tmp);
    for (int del = 0; del < 2; del++) {
        int64_t cust = e2e_create(&owner, "/api/v1/customers",
                                  json_pack("{s:s}", "name", "Authz Ltd"));
        set_fill(w, del ? F_CUST_DEL : F_CUST, cust);
        e2e_unique(name, sizeof name, "SN-AUTHZ");
        set_fill(w, del ? F_ASSET_DEL : F_ASSET,
                 e2e_create(&owner, "/api/v1/assets",
                      json_pack("{s:I, s:s, s:s}", "customer_id",
                                (json_int_t)(del ? atoll(w->fill[F_CUST])
                                                 : cust),
                                "model", "M", "serial", name)));
        e2e_unique(name, sizeof name, "authz");
        set_fill(w, del ? F_SKILL_DEL : F_SKILL,
                 e2e_create(&owner, "/api/v1/skills",
                      json_pack("{s:s, s:s}", "code", name, "name", "S")));
        set_fill(w, del ? F_TECH_DEL : F_TECH,
                 e2e_create(&owner, "/api/v1/technicians",
                      json_pack("{s:s, s:f, s:f}", "name", "Authz Tech",
                                "start_lat", 52.5, "start_lon", 13.4)));
        set_fill(w, del ? F_PART_DEL : F_PART,
                 e2e_create(&owner, "/api/v1/parts",
                      json_pack("{s:s, s:s, s:i, s:i}", "sku", name, "name",
                                "P", "cost_minor", 1, "price_minor", 2)));
    }
    /* a job to call routes on, and three with a booking link each: one
     * to revoke, one to read, one to cancel */
    for (int i = 0; i < 4; i++) {
        job = e2e_create(&owner, "/api/v1/jobs",
                   json_pack("{s:I, s:s}", "customer_id",
                             (json_int_t)atoll(w->fill[F_CUST]), "kind",
                             "repair"));
        if (i == 0)
            set_fill(w, F_JOB, job);
        else if (i == 1)
            set_fill(w, F_LINK_DEL, link_for(&owner, job, token,
                                              sizeof token));
        else
            link_for(&owner, job, w->fill[i == 2 ? F_BOOKING
                                                 : F_BOOKING_CANCEL],
                     sizeof w->fill[0]);
    }
    e2e_send(&owner, "POST", "/api/v1/plans", json_pack("{s:s, s:i}",
             "date", "2030-01-07", "time_limit_ms", 10), &r);
    e2e_expect_status(&r, 201); /* a dry run: no Location */
    set_fill(w, F_PLAN, json_integer_value(json_object_get(r.json, "id")));
    e2e_reply_release(&r);
    device_enroll(&w->desk, atoll(w->fill[F_TECH]), &w->dev);
    set_fill(w, F_DEVICE, w->dev.id);
    device_enroll(&w->desk, atoll(w->fill[F_TECH]), &other);
    set_fill(w, F_DEVICE_DEL, other.id);
    device_batch(&w->dev, w->dev.sign_sk, 1, 0, NULL, 0, &w->sync_env);
    snprintf(w->bearer[BOOKING], sizeof w->bearer[0],
             "Authorization: Bearer %s", w->fill[F_BOOKING]);
    for (int i = 0; i < 3; i++) {
        e2e_as_role(&staff, roles[i], NULL);
        snprintf(w->bearer[DISPATCHER + i], sizeof w->bearer[0],
                 "Authorization: Bearer %s", staff.bearer);
        e2e_client_release(&staff);
    }
    e2e_client_release(&owner);
}

/* The route's pattern with its placeholders filled. */
static void route_path(const struct route *r, const struct rule *rule,
                       const struct world *w, char *out, size_t size)
{
    size_t n = 0;

    for (const char *p = r->pattern; *p && n + 70 < size;) {
        const char *end = strchr(p, '}');
        if (*p != '{' || !end) {
            out[n++] = *p++;
            continue;
        }
        if (!strncmp(p, "{version}", 9))
            n += (size_t)snprintf(out + n, size - n, "0000000000000000");
        else if (!strncmp(p, "{file}", 6))
            n += (size_t)snprintf(out + n, size - n, "app.js");
        else if (!strncmp(p, "{id}", 4) || !strncmp(p, "{token}", 7))
            n += (size_t)snprintf(out + n, size - n, "%s",
                                  w->fill[rule->fill]);
        else /* {line}, {sign_off}: a plausible id */
            n += (size_t)snprintf(out + n, size - n, "999999");
        p = end + 1;
    }
    out[n] = '\0';
    for (size_t i = 0; i < N(queries); i++)
        if (!strcmp(queries[i].key, rule->key))
            snprintf(out + n, size - n, "%s", queries[i].query);
}

static int has_body(const char *method)
{
    return !strcmp(method, "POST") || !strcmp(method, "PATCH") ||
           !strcmp(method, "PUT");
}

/* Call route r as caller c with what that caller has to send. */
static void call_as(struct world *w, const struct route *r,
                    const struct rule *rule, enum caller c, const char *path,
                    struct answer *a)
{
    static const char proto[] = "application/x-protobuf";

    if (c == DEVICE && rule->kind == ENVELOPE &&
        strstr(r->pattern, "enroll")) { /* a new device with a new code */
        struct bytes enroll;
        struct device d;
        char code[16];
        device_new(&d);
        new_code(&w->desk, atoll(w->fill[F_TECH]), code, sizeof code);
        enroll_envelope(&d, code, d.sign_sk, &enroll.data, &enroll.len);
        call(r->method, path, "", enroll.data, enroll.len, proto, a);
        free(enroll.data);
    } else if (c == DEVICE) { /* its signed envelope, no credentials */
        call(r->method, path, "", has_body(r->method) ? w->sync_env.data
                                                      : NULL,
             w->sync_env.len, proto, a);
    } else {
        call(r->method, path, w->bearer[c], has_body(r->method) ? "{}" : NULL,
             2, rule->kind == ENVELOPE ? proto : "application/json", a);
    }
}

/* 1 when a is what rule says caller c gets. */
static int expected(const struct rule *rule, enum caller c,
                    const struct answer *a)
{
    int allowed = a->status >= 200 && a->status < 500 && a->status != 401 &&
                  a->status != 403;

    switch (rule->kind) {
    case PUBLIC:
        return allowed;
    case ENVELOPE:
        return c == DEVICE ? a->status == 200
                           : a->status == 400 &&
                                 !strcmp(a->code, "malformed_envelope");
    case ROLES:
        if (!caller_role[c])
            return a->status == 401 && !strcmp(a->code, "unauthorized");
        if (rule->roles & caller_role[c])
            return allowed;
        return a->status == 403 && !strcmp(a->code, "forbidden");
    }
    return 0;
}

START_TEST(every_route_answers_every_caller_as_the_matrix_says)
{
    struct world w;
    struct answer a;
    struct tally t;
    char path[400], line[300];
    int print = getenv("E2E_AUTHZ_PRINT") != NULL;

    world_open(&w);
    tally_init(&t, "authz_matrix");
    for (size_t i = 0; i < api_nroutes; i++) {
        const struct route *r = &api_routes[i];
        const struct rule *rule = rule_for(r);
        size_t n;

        if (!rule)
            continue; /* the first test names it */
        route_path(r, rule, &w, path, sizeof path);
        n = (size_t)snprintf(line, sizeof line, "%-7s%-52s", r->method,
                             r->pattern);
        for (int c = 0; c < NCALLERS; c++) {
            call_as(&w, r, rule, (enum caller)c, path, &a);
            tally_check(&t, expected(rule, (enum caller)c, &a),
                        "%s %s as %s: %ld %s", r->method, path,
                        caller_names[c], a.status,
                        a.code[0] ? a.code : a.body);
            n += (size_t)snprintf(line + n, sizeof line - n, " %ld",
                                  a.status);
        }
        if (print)
            printf("%s\n", line);
    }
    printf("e2e_authz: %zu routes x %d kinds of caller (nobody, booking"
           " token, device, dispatcher, manager, admin)\n",
           api_nroutes, NCALLERS);
    tally_finish(&t, NULL, NULL);
    free(w.sync_env.data);
    e2e_client_release(&w.desk);
}
END_TEST

static void setup_authz(void)
{
    static const char *const args[] = {"--public-limit", "100000", "--www",
                                       "server/www", NULL};

    e2e_setup_with(args);
}

Suite *e2e_authz_suite(void)
{
    Suite *s = suite_create("e2e_authz");
    TCase *tc = tcase_create("matrix");

    tcase_add_unchecked_fixture(tc, setup_authz, e2e_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_route_has_a_rule_and_every_rule_a_route);
    tcase_add_test(tc, every_route_answers_every_caller_as_the_matrix_says);
    suite_add_tcase(s, tc);
    return s;
}
