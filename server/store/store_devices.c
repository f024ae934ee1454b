/*
 * store_devices.c - enrollment codes, enrolling a device, and the server's
 * bundle-signing keys as the sync layer needs them.
 *
 * A code is stored only as its BLAKE2b-256 hash, belongs to one
 * technician, expires, and is spent in the same transaction that records
 * the device, so two devices racing with one code cannot both enroll.
 * Unknown, spent and expired codes get one answer, so the reply is no
 * oracle for which codes exist.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

static const char sql_technician[] =
    "SELECT active FROM technicians WHERE id = :technician_id";
static const char sql_code_insert[] =
    "INSERT INTO enrollment_codes(technician_id, code_hash, created_by,"
    " created_at, expires_at) VALUES (:technician_id, :code_hash_bytes,"
    " :by, :now, :expires_at) RETURNING id";
static const char sql_code_find[] =
    "SELECT id, technician_id FROM enrollment_codes"
    " WHERE code_hash = :code_hash_bytes AND used_at IS NULL"
    " AND expires_at > :now";
static const char sql_device_insert[] =
    "INSERT INTO devices(technician_id, name, sign_pk, box_pk, key_id,"
    " enrolled_at) VALUES (:technician_id, :name, :sign_pk_bytes,"
    " :box_pk_bytes, :key_id, :now) RETURNING id";
static const char sql_code_spend[] =
    "UPDATE enrollment_codes SET used_at = :now, device_id = :device_id"
    " WHERE id = :code_id";
static const char sql_signing_keys[] =
    "SELECT key_id, public_key, created_at FROM server_keys"
    " WHERE purpose = 'bundle_signing' AND retired_at IS NULL"
    " ORDER BY id DESC";
static const char sql_key_count[] =
    "SELECT count(*) FROM server_keys WHERE purpose = 'bundle_signing'";

/* Raw bytes for a ":..._bytes" parameter. */
static json_t *bytes(const unsigned char *b, size_t n)
{
    return json_stringn_nocheck((const char *)b, n);
}

struct code_op {
    int64_t technician_id, ttl;
    const unsigned char *hash;
    const struct actor *who;
    int64_t expires_at;
};

static int code_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct code_op *op = arg;
    int64_t now = store__now(), id = 0;
    json_t *vals = json_pack("{s:I, s:o, s:s, s:I, s:I}", "technician_id",
                             (json_int_t)op->technician_id,
                             "code_hash_bytes", bytes(op->hash, 32), "by",
                             op->who->name, "now", (json_int_t)now,
                             "expires_at", (json_int_t)(now + op->ttl));
    json_t *rows = store__rows(c, sql_technician, vals, err);
    int rc = rows ? 0 : err->rc;

    if (rc == 0 && json_array_size(rows) == 0)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL,
                     "technician %lld not found",
                     (long long)op->technician_id);
    if (rc == 0 && !json_integer_value(json_object_get(
                       json_array_get(rows, 0), "active")))
        rc = err_set(err, ERR_CONFLICT, "technician_inactive", NULL,
                     "technician %lld is not active",
                     (long long)op->technician_id);
    if (rc == 0)
        rc = store__scalar(c, sql_code_insert, vals, &id, err);
    if (rc == 0)
        rc = store__record(c, op->who, "technician", op->technician_id, 0,
                           "update", "create_enrollment_code", NULL, err);
    op->expires_at = now + op->ttl;
    json_decref(rows);
    json_decref(vals);
    return rc;
}

int store_enrollment_code_create(struct store *s, int64_t technician_id,
                                 const unsigned char hash[32], int64_t ttl,
                                 const struct actor *who, int64_t *expires_at,
                                 struct err *err)
{
    struct code_op op = {technician_id, ttl, hash, who, 0};

    if (store__write(s, code_fn, &op, err))
        return err->rc;
    *expires_at = op.expires_at;
    return 0;
}

static int enroll_fn(struct store_conn *c, void *arg, struct err *err)
{
    static const struct actor device = {.name = "device"};
    struct device_enrollment *e = arg;
    json_t *vals = json_pack(
        "{s:o, s:o, s:o, s:s, s:s, s:I}", "code_hash_bytes",
        bytes(e->code_hash, 32), "sign_pk_bytes", bytes(e->sign_pk, 32),
        "box_pk_bytes", bytes(e->box_pk, 32), "key_id", e->key_id, "name",
        e->name, "now", (json_int_t)store__now());
    json_t *rows = store__rows(c, sql_code_find, vals, err);
    const json_t *code = json_array_get(rows, 0);
    int rc = rows ? 0 : err->rc;

    if (rc == 0 && !code)
        rc = err_set(err, ERR_INVALID, "invalid_code", "code",
                     "the enrollment code is unknown, used or expired");
    if (rc == 0) {
        json_object_set(vals, "technician_id",
                        json_object_get(code, "technician_id"));
        json_object_set(vals, "code_id", json_object_get(code, "id"));
        e->technician_id = json_integer_value(json_object_get(
            code, "technician_id"));
        rc = store__scalar(c, sql_device_insert, vals, &e->device_id, err);
    }
    if (rc == 0) {
        json_object_set_new(vals, "device_id", json_integer(e->device_id));
        rc = store__run(c, sql_code_spend, vals, err);
    }
    if (rc == 0)
        rc = store__record(c, &device, "device", e->device_id, 0, "create",
                           "enroll", NULL, err);
    json_decref(rows);
    json_decref(vals);
    return rc;
}

int store_device_enroll(struct store *s, struct device_enrollment *e,
                        struct err *err)
{
    return store__write(s, enroll_fn, e, err);
}

int store_signing_keys(struct store *s, struct signing_keys *out,
                       struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *rows, *r;
    int64_t version = 0;
    size_t i;

    if (!c || !(rows = store__rows(c, sql_signing_keys, NULL, err)))
        return err->rc;
    if (store__scalar(c, sql_key_count, NULL, &version, err)) {
        json_decref(rows);
        return err->rc;
    }
    memset(out, 0, sizeof *out);
    out->version = (uint64_t)version;
    json_array_foreach(rows, i, r) {
        const json_t *pk = json_object_get(r, "public_key");
        if (out->n == SIGNING_KEYS_MAX || json_string_length(pk) != 32)
            continue;
        snprintf(out->keys[out->n].key_id, sizeof out->keys[out->n].key_id,
                 "%s", json_string_value(json_object_get(r, "key_id")));
        memcpy(out->keys[out->n].pk, json_string_value(pk), 32);
        if (out->n == 0)
            out->created_at = json_integer_value(json_object_get(
                r, "created_at"));
        out->n++;
    }
    json_decref(rows);
    return out->n ? 0 : err_set(err, ERR_UNAVAILABLE, "no_signing_key", NULL,
                                "the server has no bundle-signing key: run"
                                " fsd-server init");
}

static const char sql_key_add[] =
    "INSERT INTO server_keys(purpose, key_id, public_key, created_at)"
    " VALUES ('bundle_signing', :key_id, :pk_bytes, :now)";
static const char sql_keys_retire[] =
    "UPDATE server_keys SET retired_at = :now WHERE purpose ="
    " 'bundle_signing' AND retired_at IS NULL AND key_id <> :key_id";
static const char sql_keyset_add[] =
    "INSERT INTO keysets(version, envelope, created_at)"
    " VALUES (:version, :envelope_bytes, :now)";
static const char sql_keysets_after[] =
    "SELECT envelope FROM keysets WHERE version > :version ORDER BY version";

struct rotate_op {
    json_t *vals;
    uint64_t version;
};

static int rotate_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct rotate_op *op = arg;
    int64_t count = 0;
    int rc = store__scalar(c, sql_key_count, NULL, &count, err);

    if (rc == 0 && (uint64_t)count + 1 != op->version)
        rc = err_set(err, ERR_CONFLICT, "keyset_changed", NULL,
                     "the keyset is at version %lld, not %llu",
                     (long long)count, (unsigned long long)op->version - 1);
    if (rc == 0)
        rc = store__run(c, sql_key_add, op->vals, err);
    if (rc == 0)
        rc = store__run(c, sql_keys_retire, op->vals, err);
    if (rc == 0)
        rc = store__run(c, sql_keyset_add, op->vals, err);
    return rc;
}

int store_key_rotate(struct store *s, const char *key_id,
                     const unsigned char pk[32], uint64_t version,
                     const unsigned char *envelope, size_t len,
                     struct err *err)
{
    struct rotate_op op = {
        json_pack("{s:s, s:o, s:I, s:o, s:I}", "key_id", key_id, "pk_bytes",
                  bytes(pk, 32), "version", (json_int_t)version,
                  "envelope_bytes", bytes(envelope, len), "now",
                  (json_int_t)store__now()),
        version};
    int rc = store__write(s, rotate_fn, &op, err);

    json_decref(op.vals);
    return rc;
}

int store_keysets_after(struct store *s, uint64_t version, json_t **out,
                        struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *vals, *rows, *r, *arr;
    size_t i;

    if (!c)
        return err->rc;
    vals = json_pack("{s:I}", "version", (json_int_t)version);
    rows = store__rows(c, sql_keysets_after, vals, err);
    json_decref(vals);
    if (!rows)
        return err->rc;
    arr = json_array();
    json_array_foreach(rows, i, r)
        json_array_append(arr, json_object_get(r, "envelope"));
    json_decref(rows);
    *out = arr;
    return 0;
}
