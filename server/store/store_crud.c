/*
 * store_crud.c - generic create, read, list, update and delete of resources.
 *
 * Works from a resource's SQL (store_sql.c) and its normalized rows; array
 * fields live in child tables and are replaced whole.  Every write runs on
 * the writer, checks its rules in SQL, appends to the change log and the
 * audit trail in the same transaction, and returns the row as stored.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

static int not_found(const struct resource *res, int64_t id, struct err *err)
{
    return err_set(err, ERR_NOT_FOUND, "not_found", NULL,
                   "%s %lld not found", res->name, (long long)id);
}

/* Run checks against vals; prefix names the enclosing array item. */
static int run_checks(struct store_conn *c, const struct check_sql *checks,
                      const json_t *vals, const char *prefix,
                      struct err *err)
{
    char field[96];
    int64_t ok;

    for (const struct check_sql *k = checks; k && k->sql; k++) {
        if (store__scalar(c, k->sql, vals, &ok, err))
            return err->rc;
        if (!ok) {
            snprintf(field, sizeof field, "%s%s%s", prefix,
                     *prefix ? "." : "", k->field);
            return err_set(err, k->rc, k->code, field, "%s: %s", field,
                           k->msg);
        }
    }
    return 0;
}

/* Run a write statement bound from vals; *changes gets the row count. */
static int run(struct store_conn *c, const char *sql, const json_t *vals,
               int *changes, struct err *err)
{
    if (store__run(c, sql, vals, err))
        return err->rc;
    if (changes)
        *changes = sqlite3_changes(c->db);
    return 0;
}

static json_t *child_rows(struct store_conn *c, const struct child_sql *ch,
                          int64_t id, struct err *err)
{
    json_t *vals = json_pack("{s:I}", "parent_id", (json_int_t)id);
    json_t *arr = store__rows(c, ch->select, vals, err);

    json_decref(vals);
    return arr;
}

static int add_children(struct store_conn *c, const struct res_sql *sql,
                        json_t *row, struct err *err)
{
    int64_t id = json_integer_value(json_object_get(row, "id"));

    for (const struct child_sql *ch = sql->children; ch && ch->name; ch++) {
        json_t *arr = child_rows(c, ch, id, err);
        if (!arr)
            return err->rc;
        json_object_set_new(row, ch->name, arr);
    }
    return 0;
}

int store__res_load(struct store_conn *c, const struct resource *res,
                     int64_t id, json_t **out, struct err *err)
{
    const struct res_sql *sql = store__res_sql(res->kind);
    sqlite3_stmt *st = store__stmt(c, sql->get, err);
    json_t *row = NULL;
    int rc;

    if (!st)
        return err->rc;
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row = store__row(st);
    store__done(st);
    if (rc == SQLITE_DONE)
        return not_found(res, id, err);
    if (rc != SQLITE_ROW)
        return store__sqlerr(c, rc, err);
    if (add_children(c, sql, row, err)) {
        json_decref(row);
        return err->rc;
    }
    *out = row;
    return 0;
}

/* Replace the items of every child array present in vals. */
static int write_children(struct store_conn *c, const struct res_sql *sql,
                          int64_t id, const json_t *vals, struct err *err)
{
    char prefix[96];

    for (const struct child_sql *ch = sql->children; ch && ch->name; ch++) {
        const json_t *items = json_object_get(vals, ch->name);
        json_t *item, *parent;
        size_t i;
        int rc = 0;

        if (!items)
            continue;
        parent = json_pack("{s:I}", "parent_id", (json_int_t)id);
        rc = run(c, ch->del_all, parent, NULL, err);
        json_array_foreach(items, i, item) {
            if (rc)
                break;
            json_t *v = json_deep_copy(item);
            json_object_update(v, parent);
            snprintf(prefix, sizeof prefix, "%s[%zu]", ch->name, i);
            rc = run_checks(c, ch->checks, v, prefix, err);
            if (rc == 0)
                rc = run(c, ch->insert, v, NULL, err);
            if (rc == ERR_CONFLICT && !strcmp(err->code, "duplicate"))
                err_set(err, rc, "duplicate", prefix,
                        "%s repeats an earlier item of %s", prefix,
                        ch->name);
            json_decref(v);
        }
        json_decref(parent);
        if (rc)
            return rc;
    }
    return 0;
}

static int64_t row_version(const json_t *row)
{
    const json_t *v = json_object_get(row, "version");
    return v ? (int64_t)json_integer_value(v) : 0;
}

struct write_req {
    const struct resource *res;
    int64_t id;
    const json_t *vals;       /* create values or patch */
    const struct actor *who;
    json_t *row;              /* result */
};

/* Bind values plus :id and :now. */
static json_t *with_id_now(const json_t *vals, int64_t id)
{
    json_t *v = vals ? json_deep_copy(vals) : json_object();
    json_object_set_new(v, "now", json_integer(store__now()));
    json_object_set_new(v, "id", id ? json_integer(id) : json_null());
    return v;
}

static int finish(struct store_conn *c, struct write_req *w, const char *op,
                  struct err *err)
{
    if (store__res_load(c, w->res, w->id, &w->row, err))
        return err->rc;
    return store__record(c, w->who, w->res->name, w->id,
                         row_version(w->row), op, op, w->vals, err);
}

static int create_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct write_req *w = arg;
    const struct res_sql *sql = store__res_sql(w->res->kind);
    json_t *v = with_id_now(w->vals, 0);
    int rc = run_checks(c, sql->checks, v, "", err);

    if (rc == 0)
        rc = run(c, sql->insert, v, NULL, err);
    json_decref(v);
    if (rc)
        return rc;
    w->id = sqlite3_last_insert_rowid(c->db);
    if (write_children(c, sql, w->id, w->vals, err))
        return err->rc;
    return finish(c, w, "create", err);
}

int store__check_version(const char *entity, const json_t *row,
                         int64_t want, struct err *err)
{
    if (want == 0 || want == row_version(row))
        return 0;
    return err_set(err, ERR_CONFLICT, "version_conflict", "version",
                   "%s %lld is at version %lld, not %lld", entity,
                   (long long)json_integer_value(json_object_get(row, "id")),
                   (long long)row_version(row), (long long)want);
}

static int check_version(const struct resource *res, const json_t *row,
                         const json_t *patch, struct err *err)
{
    const json_t *want = json_object_get(patch, "version");

    if (!(res->flags & RES_VERSIONED) || !want)
        return 0;
    return store__check_version(res->name, row, json_integer_value(want),
                                err);
}

static int update_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct write_req *w = arg;
    const struct res_sql *sql = store__res_sql(w->res->kind);
    json_t *row, *v;
    int rc;

    if (store__res_load(c, w->res, w->id, &row, err))
        return err->rc;
    rc = check_version(w->res, row, w->vals, err);
    json_object_update(row, (json_t *)w->vals);
    v = with_id_now(row, w->id);
    json_decref(row);
    if (rc == 0)
        rc = run_checks(c, sql->checks, v, "", err);
    if (rc == 0)
        rc = run(c, sql->update, v, NULL, err);
    json_decref(v);
    if (rc == 0)
        rc = write_children(c, sql, w->id, w->vals, err);
    return rc ? rc : finish(c, w, "update", err);
}

static int delete_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct write_req *w = arg;
    json_t *v = with_id_now(NULL, w->id);
    int changes = 0;
    int rc = run(c, store__res_sql(w->res->kind)->del, v, &changes, err);

    json_decref(v);
    if (rc)
        return rc;
    if (changes == 0)
        return not_found(w->res, w->id, err);
    return store__record(c, w->who, w->res->name, w->id, 0, "delete",
                         "delete", NULL, err);
}

int store_res_create(struct store *s, const struct resource *res,
                     const json_t *vals, const struct actor *who,
                     json_t **row, struct err *err)
{
    struct write_req w = {res, 0, vals, who, NULL};

    if (!store__res_sql(res->kind)->insert)
        return err_set(err, ERR_METHOD, NULL, NULL, "%s cannot be created here",
                       res->name);
    if (store__write(s, create_fn, &w, err)) {
        json_decref(w.row);
        return err->rc;
    }
    *row = w.row;
    return 0;
}

int store_res_update(struct store *s, const struct resource *res, int64_t id,
                     const json_t *patch, const struct actor *who,
                     json_t **row, struct err *err)
{
    struct write_req w = {res, id, patch, who, NULL};

    if (store__write(s, update_fn, &w, err)) {
        json_decref(w.row);
        return err->rc;
    }
    *row = w.row;
    return 0;
}

int store_res_delete(struct store *s, const struct resource *res, int64_t id,
                     const struct actor *who, struct err *err)
{
    struct write_req w = {res, id, NULL, who, NULL};

    if (!store__res_sql(res->kind)->del)
        return err_set(err, ERR_METHOD, NULL, NULL, "%s cannot be deleted",
                       res->name);
    return store__write(s, delete_fn, &w, err);
}

int store_res_get(struct store *s, const struct resource *res, int64_t id,
                  json_t **row, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    return c ? store__res_load(c, res, id, row, err) : err->rc;
}

static int collect(struct store_conn *c, const struct res_sql *sql,
                   sqlite3_stmt *st, int limit, json_t *rows,
                   int64_t *next_cursor, struct err *err)
{
    int rc;

    *next_cursor = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = store__row(st);
        if ((int)json_array_size(rows) == limit) { /* one more: a next page */
            json_decref(row);
            *next_cursor = json_integer_value(
                json_object_get(json_array_get(rows, (size_t)limit - 1), "id"));
            rc = SQLITE_DONE;
            break;
        }
        json_array_append_new(rows, row);
    }
    if (rc != SQLITE_DONE)
        return store__sqlerr(c, rc, err);
    for (size_t i = 0; i < json_array_size(rows); i++)
        if (add_children(c, sql, json_array_get(rows, i), err))
            return err->rc;
    return 0;
}

int store_res_list(struct store *s, const struct resource *res,
                   const json_t *filters, int64_t cursor, int limit,
                   json_t **rows, int64_t *next_cursor, struct err *err)
{
    const struct res_sql *sql = store__res_sql(res->kind);
    struct store_conn *c = store__reader(s, err);
    sqlite3_stmt *st = c ? store__stmt(c, sql->list, err) : NULL;
    json_t *v, *out;
    int rc;

    if (!st)
        return err->rc;
    v = filters ? json_deep_copy(filters) : json_object();
    json_object_set_new(v, "cursor", json_integer(cursor));
    json_object_set_new(v, "limit", json_integer(limit + 1));
    store__bind(st, v);
    json_decref(v);
    out = json_array();
    rc = collect(c, sql, st, limit, out, next_cursor, err);
    store__done(st);
    if (rc) {
        json_decref(out);
        return rc;
    }
    *rows = out;
    return 0;
}
