/*
 * store_auth.c - staff accounts, login sessions, API tokens and server keys.
 *
 * Secrets never reach this file in the clear: sessions and API tokens are
 * looked up by their BLAKE2b hash, passwords are Argon2id strings made by
 * sec.c, and only a disabled or missing account is told apart from a
 * valid one here, never why a login failed.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

static const char sql_user_insert[] =
    "INSERT INTO users(username, role, password_hash, must_change_password,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char sql_user_by_name[] =
    "SELECT id, username, role, must_change_password, active, password_hash"
    " FROM users WHERE username = ?1";
static const char sql_user_set_password[] =
    "UPDATE users SET password_hash = ?2, must_change_password = ?4,"
    " updated_at = ?3 WHERE id = ?1";
static const char sql_sessions_end_others[] =
    "DELETE FROM sessions WHERE user_id = ?1"
    " AND (?2 IS NULL OR token_hash != ?2)";
static const char sql_session_insert[] =
    "INSERT INTO sessions(token_hash, user_id, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char sql_session_user[] =
    "SELECT u.id, u.username, u.role, u.must_change_password, u.active, ''"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.active";
static const char sql_session_delete[] =
    "DELETE FROM sessions WHERE token_hash = ?1";
static const char sql_sessions_expired[] =
    "DELETE FROM sessions WHERE expires_at <= ?1";
static const char sql_token_insert[] =
    "INSERT INTO api_tokens(user_id, name, token_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char sql_token_user[] =
    "SELECT u.id, u.username, u.role, 0, u.active, ''"
    " FROM api_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.active";
static const char sql_user_exists[] =
    "SELECT EXISTS(SELECT 1 FROM users WHERE id = ?1 AND active)";
static const char sql_key_insert[] =
    "INSERT INTO server_keys(purpose, key_id, public_key, created_at)"
    " VALUES (?1, ?2, ?3, ?4)";

static void copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", t ? (const char *)t : "");
}

/* Fill a user from a row of the users-shaped selects above. */
static int read_user(struct store_conn *c, sqlite3_stmt *st, struct user *u,
                     int missing_rc, struct err *err)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW) {
        memset(u, 0, sizeof *u);
        u->id = sqlite3_column_int64(st, 0);
        copy_text(u->username, sizeof u->username, st, 1);
        copy_text(u->role, sizeof u->role, st, 2);
        u->must_change_password = sqlite3_column_int(st, 3);
        u->active = sqlite3_column_int(st, 4);
        copy_text(u->password_hash, sizeof u->password_hash, st, 5);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = err_set(err, missing_rc, NULL, NULL, "no such account");
    } else {
        rc = store__sqlerr(c, rc, err);
    }
    store__done(st);
    return rc;
}

/* Step a write statement once and map its failure. */
static int step_done(struct store_conn *c, sqlite3_stmt *st, struct err *err)
{
    int rc = sqlite3_step(st);
    store__done(st);
    return rc == SQLITE_DONE ? 0 : store__sqlerr(c, rc, err);
}

struct user_new {
    const char *username, *role, *hash;
    int must_change;
    const struct actor *who;
    int64_t id;
};

static int user_create_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct user_new *u = arg;
    sqlite3_stmt *st = store__stmt(c, sql_user_insert, err);
    json_t *detail;
    int rc;

    if (!st)
        return err->rc;
    sqlite3_bind_text(st, 1, u->username, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, u->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, u->must_change);
    sqlite3_bind_int64(st, 5, store__now());
    if ((rc = step_done(c, st, err)) != 0)
        return rc;
    u->id = sqlite3_last_insert_rowid(c->db);
    detail = json_pack("{s:s, s:s}", "username", u->username, "role",
                       u->role);
    rc = store__record(c, u->who, "user", u->id, 0, "create", "create",
                       detail, err);
    json_decref(detail);
    return rc;
}

int store_user_create(struct store *s, const char *username,
                      const char *role, const char *password_hash,
                      int must_change, const struct actor *who,
                      int64_t *id, struct err *err)
{
    struct user_new u = {username, role, password_hash, must_change, who, 0};

    if (store__write(s, user_create_fn, &u, err))
        return err->rc;
    *id = u.id;
    return 0;
}

int store_user_by_name(struct store *s, const char *username,
                       struct user *out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    sqlite3_stmt *st = c ? store__stmt(c, sql_user_by_name, err) : NULL;

    if (!st)
        return err->rc;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    return read_user(c, st, out, ERR_NOT_FOUND, err);
}

struct password_change {
    int64_t user_id;
    const char *hash;
    const unsigned char *keep;
    const struct actor *who;
    int one_time;       /* the new password must be replaced at login */
    const char *reason; /* the audit event's */
};

static int set_password_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct password_change *p = arg;
    sqlite3_stmt *st = store__stmt(c, sql_user_set_password, err);
    int rc;

    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, p->user_id);
    sqlite3_bind_text(st, 2, p->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, store__now());
    sqlite3_bind_int(st, 4, p->one_time);
    if ((rc = step_done(c, st, err)) != 0)
        return rc;
    if (sqlite3_changes(c->db) == 0)
        return err_set(err, ERR_NOT_FOUND, "not_found", NULL,
                       "no such user");
    if (!(st = store__stmt(c, sql_sessions_end_others, err)))
        return err->rc;
    sqlite3_bind_int64(st, 1, p->user_id);
    sqlite3_bind_blob(st, 2, p->keep, p->keep ? 32 : 0, SQLITE_STATIC);
    if ((rc = step_done(c, st, err)) != 0)
        return rc;
    return store__record(c, p->who, "user", p->user_id, 0, "update",
                         p->reason, NULL, err);
}

int store_user_set_password(struct store *s, int64_t user_id,
                            const char *password_hash,
                            const unsigned char keep_session[32],
                            const struct actor *who, struct err *err)
{
    struct password_change p = {user_id, password_hash, keep_session, who,
                                0, "password_change"};
    return store__write(s, set_password_fn, &p, err);
}

int store_user_reset_password(struct store *s, int64_t user_id,
                              const char *password_hash,
                              const struct actor *who, struct err *err)
{
    struct password_change p = {user_id, password_hash, NULL, who, 1,
                                "password_reset"};
    return store__write(s, set_password_fn, &p, err);
}

struct session_new {
    const unsigned char *hash;
    int64_t user_id, now, expires_at;
};

static int session_create_fn(struct store_conn *c, void *arg,
                             struct err *err)
{
    struct session_new *n = arg;
    sqlite3_stmt *st = store__stmt(c, sql_sessions_expired, err);
    int rc;

    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, n->now); /* sweep expired ones as we go */
    if ((rc = step_done(c, st, err)) != 0)
        return rc;
    if (!(st = store__stmt(c, sql_session_insert, err)))
        return err->rc;
    sqlite3_bind_blob(st, 1, n->hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, n->user_id);
    sqlite3_bind_int64(st, 3, n->now);
    sqlite3_bind_int64(st, 4, n->expires_at);
    return step_done(c, st, err);
}

int store_session_create(struct store *s, const unsigned char hash[32],
                         int64_t user_id, int64_t now, int64_t expires_at,
                         struct err *err)
{
    struct session_new n = {hash, user_id, now, expires_at};
    return store__write(s, session_create_fn, &n, err);
}

int store_session_user(struct store *s, const unsigned char hash[32],
                       int64_t now, struct user *out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    sqlite3_stmt *st = c ? store__stmt(c, sql_session_user, err) : NULL;

    if (!st)
        return err->rc;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    return read_user(c, st, out, ERR_UNAUTHORIZED, err);
}

static int session_delete_fn(struct store_conn *c, void *arg,
                             struct err *err)
{
    sqlite3_stmt *st = store__stmt(c, sql_session_delete, err);

    if (!st)
        return err->rc;
    sqlite3_bind_blob(st, 1, arg, 32, SQLITE_STATIC);
    return step_done(c, st, err);
}

int store_session_delete(struct store *s, const unsigned char hash[32],
                         struct err *err)
{
    return store__write(s, session_delete_fn, (void *)hash, err);
}

struct token_new {
    int64_t user_id;
    const char *name;
    const unsigned char *hash;
    const struct actor *who;
    int64_t id;
};

static int token_create_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct token_new *t = arg;
    sqlite3_stmt *st = store__stmt(c, sql_user_exists, err);
    json_t *detail;
    int rc;

    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, 1, t->user_id);
    rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    store__done(st);
    if (!rc)
        return err_set(err, ERR_INVALID, "invalid_reference", "user_id",
                       "user_id does not name an active user");
    if (!(st = store__stmt(c, sql_token_insert, err)))
        return err->rc;
    sqlite3_bind_int64(st, 1, t->user_id);
    sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, t->hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, store__now());
    if ((rc = step_done(c, st, err)) != 0)
        return rc;
    t->id = sqlite3_last_insert_rowid(c->db);
    detail = json_pack("{s:I, s:s}", "user_id", (json_int_t)t->user_id,
                       "name", t->name);
    rc = store__record(c, t->who, "api_token", t->id, 0, "create", "create",
                       detail, err);
    json_decref(detail);
    return rc;
}

int store_token_create(struct store *s, int64_t user_id, const char *name,
                       const unsigned char hash[32], const struct actor *who,
                       int64_t *id, struct err *err)
{
    struct token_new t = {user_id, name, hash, who, 0};

    if (store__write(s, token_create_fn, &t, err))
        return err->rc;
    *id = t.id;
    return 0;
}

int store_token_user(struct store *s, const unsigned char hash[32],
                     struct user *out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    sqlite3_stmt *st = c ? store__stmt(c, sql_token_user, err) : NULL;

    if (!st)
        return err->rc;
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    return read_user(c, st, out, ERR_UNAUTHORIZED, err);
}

struct key_new {
    const char *purpose, *key_id;
    const unsigned char *pk;
};

static int key_create_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct key_new *k = arg;
    sqlite3_stmt *st = store__stmt(c, sql_key_insert, err);

    if (!st)
        return err->rc;
    sqlite3_bind_text(st, 1, k->purpose, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, k->key_id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, k->pk, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, store__now());
    return step_done(c, st, err);
}

int store_key_create(struct store *s, const char *purpose,
                     const char *key_id, const unsigned char pk[32],
                     struct err *err)
{
    struct key_new k = {purpose, key_id, pk};
    return store__write(s, key_create_fn, &k, err);
}
