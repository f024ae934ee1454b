/*
 * store_company.c - the company profile: its one row read, and a change to
 * it written with its change-log entry and audit event.
 *
 * The row always exists (migration 014 makes it), so a missing one is a
 * broken database, not a 404.  Reads take one cached statement on the
 * thread's read connection: the public pages and quotes ask on every
 * request.  Validation is company.c's; the schema's CHECKs stand behind it.
 */
#include "store/store_int.h"

#include <stdio.h>

static const char sql_company[] =
    "SELECT name, timezone, currency, phone, email, callout_fee_minor,"
    " updated_at FROM company WHERE id = 1";
static const char sql_company_update[] =
    "UPDATE company SET name = coalesce(:name, name),"
    " timezone = coalesce(:timezone, timezone),"
    " currency = coalesce(:currency, currency),"
    " phone = coalesce(:phone, phone), email = coalesce(:email, email),"
    " callout_fee_minor = coalesce(:callout_fee_minor, callout_fee_minor),"
    " updated_at = :now WHERE id = 1";

/* Copy key's text from row into dst (size bytes). */
static void copy_text(char *dst, size_t size, const json_t *row,
                      const char *key)
{
    const char *t = json_string_value(json_object_get(row, key));

    snprintf(dst, size, "%s", t ? t : "");
}

static int read_company(struct store_conn *c, struct company *out,
                        struct err *err)
{
    json_t *rows = store__rows(c, sql_company, NULL, err);
    const json_t *row = json_array_get(rows, 0);
    int found = row != NULL;

    if (!rows)
        return err->rc;
    if (found) {
        copy_text(out->name, sizeof out->name, row, "name");
        copy_text(out->timezone, sizeof out->timezone, row, "timezone");
        copy_text(out->currency, sizeof out->currency, row, "currency");
        copy_text(out->phone, sizeof out->phone, row, "phone");
        copy_text(out->email, sizeof out->email, row, "email");
        out->callout_fee_minor =
            json_integer_value(json_object_get(row, "callout_fee_minor"));
        out->updated_at =
            json_integer_value(json_object_get(row, "updated_at"));
    }
    json_decref(rows);
    return found ? 0
                 : err_set(err, ERR_STORAGE, "storage", NULL,
                           "the company profile is missing from the"
                           " database");
}

int store_company_get(struct store *s, struct company *out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);

    return c ? read_company(c, out, err) : err->rc;
}

struct company_write {
    const json_t *patch;
    const struct actor *who;
    struct company *out;
};

static int update_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct company_write *w = arg;
    json_t *v = json_deep_copy(w->patch);
    int rc;

    json_object_set_new(v, "now", json_integer(store__now()));
    rc = store__run(c, sql_company_update, v, err);
    json_decref(v);
    if (rc == 0)
        rc = store__record(c, w->who, "company", 1, 0, "update", "update",
                           w->patch, err);
    return rc ? rc : read_company(c, w->out, err);
}

int store_company_update(struct store *s, const json_t *patch,
                         const struct actor *who, struct company *out,
                         struct err *err)
{
    struct company_write w = {patch, who, out};

    return store__write(s, update_fn, &w, err);
}
