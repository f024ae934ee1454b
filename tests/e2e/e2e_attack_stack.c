/*
 * e2e_attack_stack.c - request bodies that would take a recursive parser
 * deeper than a worker thread's stack (Debian's CivetWeb gives each
 * 100 KiB): arrays and objects nested past JDEPTH_MAX, sent to a route
 * anyone may call (login) and to a staff route, are each a 400 too_deep
 * that changes nothing, and the server answers /healthz after every one.
 */
#include "attack.h"
#include "model/jdepth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* {"a": + n times open + n times close + }: n + 1 levels, open being [
 * or {"k": (whose close is }). */
static char *nested(int n, int objects)
{
    const char *open = objects ? "{\"k\":" : "[", *close = objects ? "}" : "]";
    size_t lo = strlen(open), lc = strlen(close);
    char *t = malloc((size_t)n * (lo + lc) + 16), *p = t;

    p += sprintf(p, "{\"a\":");
    for (int i = 0; i < n; i++, p += lo)
        memcpy(p, open, lo);
    if (objects) /* the innermost {"k": needs a value */
        p += sprintf(p, "1");
    for (int i = 0; i < n; i++, p += lc)
        memcpy(p, close, lc);
    strcpy(p, "}");
    return t;
}

/* One body to path as c: 400 too_deep, and the server still answers. */
static void refused_deep(struct tally *t, struct e2e_client *c,
                         const char *path, const char *body, int levels)
{
    struct e2e_client probe;
    struct e2e_reply r = E2E_REPLY_INIT;
    long status = e2e_request(c, "POST", path, body, NULL, &r);
    const char *code = json_string_value(json_object_get(
        json_object_get(r.json, "error"), "code"));
    long alive;

    tally_check(t, status == 400 && code && !strcmp(code, "too_deep"),
                "POST %s nested %d levels: %ld %s", path, levels, status,
                code ? code : "(no error code)");
    e2e_client_init(&probe, e2e_srv.base);
    alive = e2e_get(&probe, "/healthz", &r);
    tally_check(t, alive == 200, "/healthz after %d levels: %ld", levels,
                alive);
    e2e_reply_release(&r);
    e2e_client_release(&probe);
}

START_TEST(deep_nesting_is_refused_before_it_is_parsed)
{
    static const int depths[] = {JDEPTH_MAX, 234, 235, 2048, 100000};
    struct e2e_client anon, staff;
    struct e2e_reply r = E2E_REPLY_INIT;
    struct fingerprint before, after;
    struct tally t;
    char *at_limit = nested(JDEPTH_MAX - 1, 0);

    e2e_client_init(&anon, e2e_srv.base);
    e2e_as_role(&staff, "dispatcher", NULL);
    /* at the limit the body is parsed: login then names the stray field */
    e2e_request(&anon, "POST", "/api/v1/login", at_limit, NULL, &r);
    e2e_expect_error(&r, 400, "unknown_field", "a");
    tally_init(&t, "deep_nesting");
    fp_take(&before);
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++)
        for (int objects = 0; objects <= 1; objects++) {
            char *body = nested(depths[i], objects);
            refused_deep(&t, &anon, "/api/v1/login", body, depths[i] + 1);
            refused_deep(&t, &staff, "/api/v1/customers", body,
                         depths[i] + 1);
            free(body);
        }
    fp_take(&after);
    tally_finish(&t, &before, &after);
    free(at_limit);
    e2e_reply_release(&r);
    e2e_client_release(&anon);
    e2e_client_release(&staff);
}
END_TEST

void attack_stack_tcases(Suite *s)
{
    TCase *tc = tcase_create("stack");

    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, deep_nesting_is_refused_before_it_is_parsed);
    suite_add_tcase(s, tc);
}
