/*
 * test_store_auth.c - staff accounts, login sessions, API tokens and server
 * keys in the store.
 *
 * Sessions and tokens are found by hash; expired sessions, revoked tokens
 * and inactive accounts must all read as ERR_UNAUTHORIZED.  Password hashes
 * are opaque strings here (sec.c makes real ones), so the suite stays fast.
 */
#include "common/sec.h"
#include "store/store.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t user(const char *name, const char *role, int must_change)
{
    struct err err = ERR_INIT;
    int64_t id = 0;

    ck_assert_msg(store_user_create(tu_st, name, role, "$argon2id$fake",
                                    must_change, &tu_actor, &id, &err) == 0,
                  "%s: %s", name, err.msg);
    ck_assert_int_gt(id, 0);
    return id;
}

static void hash_of(const char *token, unsigned char h[32])
{
    sec_token_hash(token, h);
}

/* Patch user id's active flag; returns the updated row (caller frees). */
static json_t *set_active(int64_t id, int active)
{
    struct err err = ERR_INIT;
    json_t *p = tu_vals(&res_user, JPARSE_PATCH,
                        active ? "{\"active\":true}" : "{\"active\":false}");
    json_t *row = NULL;

    ck_assert_int_eq(store_res_update(tu_st, &res_user, id, p, &tu_actor, &row,
                                      &err), 0);
    json_decref(p);
    return row;
}

/* Assert neither the session nor the API token with these hashes signs in. */
static void locked_out(const unsigned char session[32],
                       const unsigned char token[32])
{
    struct err err = ERR_INIT;
    struct user u;

    ck_assert_int_eq(store_session_user(tu_st, session, 20, &u, &err),
                     ERR_UNAUTHORIZED);
    ck_assert_int_eq(store_token_user(tu_st, token, &u, &err),
                     ERR_UNAUTHORIZED);
}

START_TEST(users)
{
    struct err err = ERR_INIT;
    struct user u;
    int64_t id = user("root", "admin", 1), other = 0;

    ck_assert_int_eq(store_user_by_name(tu_st, "root", &u, &err), 0);
    ck_assert_int_eq(u.id, id);
    ck_assert_str_eq(u.username, "root");
    ck_assert_str_eq(u.role, "admin");
    ck_assert_int_eq(u.must_change_password, 1);
    ck_assert_int_eq(u.active, 1);
    ck_assert_str_eq(u.password_hash, "$argon2id$fake");
    ck_assert_int_eq(store_user_by_name(tu_st, "Root", &u, &err),
                     ERR_NOT_FOUND);
    ck_assert_str_eq(err.code, "not_found");
    ck_assert_str_eq(err.msg, "no such account");
    ck_assert_int_eq(store_user_create(tu_st, "root", "manager", "h", 0,
                                       &tu_actor, &other, &err),
                     ERR_CONFLICT);
    ck_assert_str_eq(err.code, "duplicate");
    ck_assert_str_eq(err.field, "username");
    ck_assert_int_eq(store_user_create(tu_st, "boss", "owner", "h", 0,
                                       &tu_actor, &other, &err),
                     ERR_INVALID);
    ck_assert_str_eq(err.code, "constraint_failed");
    ck_assert_int_eq(other, 0);
    /* one logged creation; the audit trail never holds the hash */
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM changes"), 1);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events WHERE"
                                  " json_extract(detail, '$.role') ="
                                  " 'admin'"), 1);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"
                                  " WHERE detail LIKE '%argon%'"), 0);
}
END_TEST

START_TEST(last_admin_is_kept)
{
    struct err err = ERR_INIT;
    int64_t root = user("root", "admin", 0);
    json_t *p = tu_vals(&res_user, JPARSE_PATCH, "{\"role\":\"manager\"}");
    json_t *row = NULL;

    ck_assert_int_eq(store_res_update(tu_st, &res_user, root, p, &tu_actor,
                                      &row, &err), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "last_admin");
    ck_assert_str_eq(err.field, "role");
    user("second", "admin", 0);
    ck_assert_int_eq(store_res_update(tu_st, &res_user, root, p, &tu_actor,
                                      &row, &err), 0);
    ck_assert_str_eq(json_string_value(json_object_get(row, "role")),
                     "manager");
    json_decref(row);
    json_decref(p);
}
END_TEST

START_TEST(sessions_expire_and_end)
{
    struct err err = ERR_INIT;
    struct user u;
    unsigned char a[32], b[32];
    int64_t id = user("root", "admin", 0);

    hash_of("session-a", a);
    hash_of("session-b", b);
    ck_assert_int_eq(store_session_create(tu_st, a, id, 1000, 2000, &err), 0);
    ck_assert_int_eq(store_session_user(tu_st, a, 1500, &u, &err), 0);
    ck_assert_int_eq(u.id, id);
    ck_assert_str_eq(u.username, "root");
    ck_assert_str_eq(u.password_hash, ""); /* never read back here */
    ck_assert_int_eq(store_session_user(tu_st, a, 1999, &u, &err), 0);
    ck_assert_int_eq(store_session_user(tu_st, a, 2000, &u, &err),
                     ERR_UNAUTHORIZED);
    ck_assert_str_eq(err.code, "unauthorized");
    ck_assert_int_eq(store_session_user(tu_st, b, 1500, &u, &err),
                     ERR_UNAUTHORIZED);
    /* a new session sweeps the expired ones */
    ck_assert_int_eq(store_session_create(tu_st, b, id, 3000, 4000, &err), 0);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM sessions"), 1);
    ck_assert_int_eq(store_session_delete(tu_st, b, &err), 0);
    ck_assert_int_eq(store_session_user(tu_st, b, 3500, &u, &err),
                     ERR_UNAUTHORIZED);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM sessions"), 0);
    /* expiry must follow creation; the same token twice is a duplicate */
    ck_assert_int_eq(store_session_create(tu_st, a, id, 5000, 5000, &err),
                     ERR_INVALID);
    ck_assert_str_eq(err.code, "constraint_failed");
    ck_assert_int_eq(store_session_create(tu_st, a, id, 5000, 6000, &err), 0);
    ck_assert_int_eq(store_session_create(tu_st, a, id, 5000, 6000, &err),
                     ERR_CONFLICT);
    ck_assert_str_eq(err.code, "duplicate");
}
END_TEST

START_TEST(inactive_users_lose_sessions_and_tokens)
{
    struct err err = ERR_INIT;
    unsigned char s1[32], t1[32];
    int64_t tid = 0, id;
    json_t *row;

    user("root", "admin", 0);
    id = user("disp", "dispatcher", 0);
    hash_of("s1", s1);
    hash_of("t1", t1);
    ck_assert_int_eq(store_session_create(tu_st, s1, id, 10, 1000, &err), 0);
    ck_assert_int_eq(store_token_create(tu_st, id, "ci", t1, &tu_actor, &tid,
                                        &err), 0);
    row = set_active(id, 0);
    /* rows are normalized: booleans are stored as 0 and 1 */
    ck_assert(json_is_integer(json_object_get(row, "active")));
    ck_assert_int_eq(json_integer_value(json_object_get(row, "active")), 0);
    json_decref(row);
    locked_out(s1, t1);
    /* reactivation does not bring the old credentials back */
    json_decref(set_active(id, 1));
    locked_out(s1, t1);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM sessions"), 0);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM api_tokens"
                                  " WHERE revoked_at IS NULL"), 0);
}
END_TEST

START_TEST(password_change_ends_other_sessions)
{
    struct err err = ERR_INIT;
    struct user u;
    unsigned char keep[32], other[32];
    int64_t id = user("root", "admin", 1);

    hash_of("keep", keep);
    hash_of("other", other);
    ck_assert_int_eq(store_session_create(tu_st, keep, id, 10, 1000, &err), 0);
    ck_assert_int_eq(store_session_create(tu_st, other, id, 10, 1000, &err),
                     0);
    ck_assert_int_eq(store_user_set_password(tu_st, id, "$argon2id$new", keep,
                                             &tu_actor, &err), 0);
    ck_assert_int_eq(store_user_by_name(tu_st, "root", &u, &err), 0);
    ck_assert_str_eq(u.password_hash, "$argon2id$new");
    ck_assert_int_eq(u.must_change_password, 0);
    ck_assert_int_eq(store_session_user(tu_st, keep, 20, &u, &err), 0);
    ck_assert_int_eq(store_session_user(tu_st, other, 20, &u, &err),
                     ERR_UNAUTHORIZED);
    ck_assert_int_eq(store_user_set_password(tu_st, id, "$argon2id$newer",
                                             NULL, &tu_actor, &err), 0);
    ck_assert_int_eq(store_session_user(tu_st, keep, 20, &u, &err),
                     ERR_UNAUTHORIZED);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"
                                  " WHERE action = 'password_change'"), 2);
}
END_TEST

START_TEST(password_reset_is_one_time_and_ends_every_session)
{
    struct err err = ERR_INIT;
    struct user u;
    unsigned char s1[32], s2[32];
    int64_t id = user("root", "admin", 0);

    hash_of("s1", s1);
    hash_of("s2", s2);
    ck_assert_int_eq(store_session_create(tu_st, s1, id, 10, 1000, &err), 0);
    ck_assert_int_eq(store_session_create(tu_st, s2, id, 10, 1000, &err), 0);
    ck_assert_int_eq(store_user_reset_password(tu_st, id, "$argon2id$otp",
                                               &tu_actor, &err), 0);
    ck_assert_int_eq(store_user_by_name(tu_st, "root", &u, &err), 0);
    ck_assert_str_eq(u.password_hash, "$argon2id$otp");
    ck_assert_int_eq(u.must_change_password, 1);
    ck_assert_int_eq(store_session_user(tu_st, s1, 20, &u, &err),
                     ERR_UNAUTHORIZED);
    ck_assert_int_eq(store_session_user(tu_st, s2, 20, &u, &err),
                     ERR_UNAUTHORIZED);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"
                                  " WHERE action = 'password_reset'"
                                  " AND entity = 'user' AND entity_id = 1"),
                     1);
    ck_assert_int_eq(store_user_reset_password(tu_st, id + 1, "$argon2id$x",
                                               &tu_actor, &err),
                     ERR_NOT_FOUND);
    ck_assert_str_eq(err.code, "not_found");
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM audit_events"
                                  " WHERE action = 'password_reset'"), 1);
}
END_TEST

START_TEST(tokens_and_revocation)
{
    struct err err = ERR_INIT;
    struct user u;
    unsigned char h[32];
    int64_t id = user("ci-bot", "dispatcher", 1), tid = 0, none = 0;
    json_t *rows = NULL;
    int64_t next = -1;
    char msg[64];

    hash_of("token-1", h);
    ck_assert_int_eq(store_token_create(tu_st, 999, "x", h, &tu_actor, &none,
                                        &err), ERR_INVALID);
    ck_assert_str_eq(err.code, "invalid_reference");
    ck_assert_str_eq(err.field, "user_id");
    ck_assert_str_eq(err.msg, "user_id does not name an active user");
    ck_assert_int_eq(none, 0);
    ck_assert_int_eq(store_token_create(tu_st, id, "ci", h, &tu_actor, &tid,
                                        &err), 0);
    ck_assert_int_gt(tid, 0);
    ck_assert_int_eq(store_token_user(tu_st, h, &u, &err), 0);
    ck_assert_int_eq(u.id, id);
    ck_assert_str_eq(u.role, "dispatcher");
    ck_assert_int_eq(u.must_change_password, 0); /* tokens skip that gate */

    ck_assert_int_eq(store_res_delete(tu_st, &res_api_token, tid, &tu_actor,
                                      &err), 0);
    ck_assert_int_eq(store_token_user(tu_st, h, &u, &err), ERR_UNAUTHORIZED);
    ck_assert_str_eq(err.code, "unauthorized");
    snprintf(msg, sizeof msg, "api_token %lld not found", (long long)tid);
    ck_assert_int_eq(store_res_delete(tu_st, &res_api_token, tid, &tu_actor,
                                      &err), ERR_NOT_FOUND);
    ck_assert_str_eq(err.msg, msg);
    /* the revoked token stays listed, with its revocation time */
    ck_assert_int_eq(store_res_list(tu_st, &res_api_token, NULL, 0, 10, &rows,
                                    &next, &err), 0);
    ck_assert_uint_eq(json_array_size(rows), 1);
    ck_assert_int_gt(json_integer_value(json_object_get(
                         json_array_get(rows, 0), "revoked_at")), 0);
    ck_assert_int_eq(next, 0);
    json_decref(rows);
    ck_assert_int_eq(tu_count(tu_db, "SELECT count(*) FROM changes WHERE"
                                  " entity = 'api_token'"), 2);
}
END_TEST

START_TEST(keys_and_initialization)
{
    struct err err = ERR_INIT;
    unsigned char pk[32], sk[64];
    char kid[SEC_KEY_ID_TEXT];

    ck_assert_int_eq(sec_init(&err), 0);
    ck_assert_int_eq(store_is_initialized(tu_st), 0);
    user("root", "admin", 0);
    ck_assert_int_eq(store_is_initialized(tu_st), 0);
    sec_sign_keypair(pk, sk, kid);
    ck_assert_int_eq(store_key_create(tu_st, "bundle_signing", kid, pk,
                                      &err), 0);
    ck_assert_int_eq(store_is_initialized(tu_st), 1);
    ck_assert_int_eq(store_key_create(tu_st, "bundle_signing", kid, pk,
                                      &err), ERR_CONFLICT);
    ck_assert_str_eq(err.code, "duplicate");
    ck_assert_str_eq(err.field, "key_id");
    ck_assert_int_eq(store_key_create(tu_st, "tls", "other", pk, &err),
                     ERR_INVALID);
    ck_assert_str_eq(err.code, "constraint_failed");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_auth");
    TCase *tc = tcase_create("accounts");

    tcase_add_checked_fixture(tc, tu_store_setup, tu_store_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, users);
    tcase_add_test(tc, last_admin_is_kept);
    tcase_add_test(tc, sessions_expire_and_end);
    tcase_add_test(tc, inactive_users_lose_sessions_and_tokens);
    tcase_add_test(tc, password_change_ends_other_sessions);
    tcase_add_test(tc, password_reset_is_one_time_and_ends_every_session);
    tcase_add_test(tc, tokens_and_revocation);
    tcase_add_test(tc, keys_and_initialization);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
