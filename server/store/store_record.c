/*
 * store_record.c - the change log and the audit trail.
 *
 * Called inside a write, so a change, its log entry and its audit event
 * commit or vanish together.  The change log's seq is the global cursor
 * devices and the board read changes by.
 */
#include "store/store_int.h"

#include <stdlib.h>

static const char sql_change[] =
    "INSERT INTO changes(entity, entity_id, version, op, at)"
    " VALUES (:entity, :entity_id, :version, :op, :now)";
const char store__sql_last_change[] =
    "SELECT coalesce(max(seq), 0) FROM changes";
static const char sql_audit[] =
    "INSERT INTO audit_events(at, received_at, time_note, actor_user_id,"
    " actor, entity, entity_id, action, reason, detail) VALUES (:at,"
    " :received_at, :time_note, :actor_user_id, :actor, :entity, :entity_id,"
    " :action, :reason, :detail)";

int store__record(struct store_conn *c, const struct actor *who,
                  const char *entity, int64_t id, int64_t version,
                  const char *op, const char *action, const json_t *detail,
                  struct err *err)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS)
                        : NULL;
    json_t *v = json_pack(
        "{s:s, s:I, s:o, s:s, s:I, s:o, s:s, s:s, s:s*, s:s}",
        "entity", entity, "entity_id", (json_int_t)id, "version",
        version ? json_integer(version) : json_null(), "op", op, "now",
        (json_int_t)store__now(), "actor_user_id",
        who->user_id ? json_integer(who->user_id) : json_null(), "actor",
        who->name, "action", action, "reason", who->reason, "detail",
        text ? text : "{}");
    int rc;

    /* an action that happened earlier keeps both times */
    if (who->occurred_at) {
        json_object_set_new(v, "at", json_integer(who->occurred_at));
        json_object_set(v, "received_at", json_object_get(v, "now"));
    } else {
        json_object_set(v, "at", json_object_get(v, "now"));
    }
    if (who->time_note)
        json_object_set_new(v, "time_note", json_string(who->time_note));
    rc = store__run(c, sql_change, v, err);

    if (rc == 0)
        rc = store__run(c, sql_audit, v, err);
    json_decref(v);
    free(text);
    return rc;
}
