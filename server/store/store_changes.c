/*
 * store_changes.c - what changed since a position of the change log, for
 * screens that follow it (the dispatcher's board), and the sync conflicts
 * a job's devices raised, with their resolution by a dispatcher.
 *
 * Conflicts are recorded by sync (store_sync.c) when a device's change
 * lost against a newer one on the server; the server's state stands, and
 * resolving one records that a person looked at it, with a note, in the
 * job's audit trail.
 */
#include "store/store_int.h"

/* version: the entity's newest version in the range; a note on a job
 * logs the version it left unchanged */
static const char sql_changed[] =
    "SELECT entity, entity_id, max(version) AS version FROM changes"
    " WHERE seq > :after AND seq <= :upto GROUP BY entity, entity_id"
    " ORDER BY entity, entity_id";
static const char sql_last[] =
    "SELECT coalesce(max(seq), 0) FROM changes WHERE seq <= :after + :limit";
static const char sql_conflicts[] =
    "SELECT id, device_id, mutation_id, code, message, created_at,"
    " resolved_at, action, content, device_time, server_had"
    " FROM sync_conflicts WHERE job_id = :id ORDER BY id";
static const char sql_job_exists[] = "SELECT count(*) FROM jobs WHERE id = :id";
static const char sql_resolve[] =
    "UPDATE sync_conflicts SET resolved_at = :now"
    " WHERE id = :id AND resolved_at IS NULL RETURNING job_id";
static const char sql_conflict_get[] =
    "SELECT id, job_id, device_id, mutation_id, code, message, created_at,"
    " resolved_at, action, content, device_time, server_had"
    " FROM sync_conflicts WHERE id = :id";
static const char sql_audit[] =
    "INSERT INTO audit_events(at, actor_user_id, actor, action, entity,"
    " entity_id, reason, detail) VALUES (:now, nullif(:user_id, 0), :actor,"
    " 'resolve_conflict', 'job', :job_id, :note,"
    " json_object('conflict_id', :id))";

struct changes_op {
    json_t *vals, *out;
};

static int changes_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct changes_op *op = arg;
    int64_t latest = 0, upto = 0;
    json_t *rows;

    if (store__scalar(c, store__sql_last_change, op->vals, &latest, err) ||
        store__scalar(c, sql_last, op->vals, &upto, err))
        return err->rc;
    json_object_set_new(op->vals, "upto", json_integer(upto));
    if (!(rows = store__rows(c, sql_changed, op->vals, err)))
        return err->rc;
    op->out = json_pack("{s:I, s:o, s:b}", "seq",
                        (json_int_t)(upto > 0 ? upto : latest), "changes",
                        rows, "more", upto < latest);
    return 0;
}

int store_changes_since(struct store *s, int64_t after, int limit,
                        json_t **out, struct err *err)
{
    struct changes_op op = {
        json_pack("{s:I, s:i}", "after", (json_int_t)after, "limit", limit),
        NULL};
    int rc = store__read(s, changes_fn, &op, err);

    json_decref(op.vals);
    if (rc == 0)
        *out = op.out;
    return rc;
}

int store_job_conflicts(struct store *s, int64_t job_id, json_t **out,
                        struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *vals = json_pack("{s:I}", "id", (json_int_t)job_id);
    int64_t exists = 0;
    int rc = c ? store__scalar(c, sql_job_exists, vals, &exists, err)
               : err->rc;

    if (rc == 0 && !exists)
        rc = err_set(err, ERR_NOT_FOUND, NULL, NULL, "job %lld not found",
                     (long long)job_id);
    if (rc == 0 && !(*out = store__rows(c, sql_conflicts, vals, err)))
        rc = err->rc;
    json_decref(vals);
    return rc;
}

struct resolve_op {
    json_t *vals, *out;
};

static int resolve_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct resolve_op *op = arg;
    int64_t job = 0;
    json_t *rows;

    if (store__scalar(c, sql_resolve, op->vals, &job, err))
        return err->rc;
    if (!job) {
        size_t found;

        if (!(rows = store__rows(c, sql_conflict_get, op->vals, err)))
            return err->rc;
        found = json_array_size(rows);
        json_decref(rows);
        return found
                   ? err_set(err, ERR_CONFLICT, "already_resolved", NULL,
                             "sync conflict %lld is resolved already",
                             (long long)json_integer_value(
                                 json_object_get(op->vals, "id")))
                   : err_set(err, ERR_NOT_FOUND, NULL, NULL,
                             "sync conflict %lld not found",
                             (long long)json_integer_value(
                                 json_object_get(op->vals, "id")));
    }
    json_object_set_new(op->vals, "job_id", json_integer(job));
    if (store__run(c, sql_audit, op->vals, err) ||
        !(rows = store__rows(c, sql_conflict_get, op->vals, err)))
        return err->rc;
    op->out = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return 0;
}

int store_conflict_resolve(struct store *s, int64_t id, const char *note,
                           const struct actor *who, json_t **out,
                           struct err *err)
{
    struct resolve_op op = {
        json_pack("{s:I, s:I, s:s?, s:s, s:I}", "id", (json_int_t)id, "now",
                  (json_int_t)store__now(), "note", note, "actor",
                  who->name ? who->name : "staff", "user_id",
                  (json_int_t)who->user_id),
        NULL};
    int rc = store__write(s, resolve_fn, &op, err);

    json_decref(op.vals);
    if (rc == 0)
        *out = op.out;
    return rc;
}
