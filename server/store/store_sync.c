/*
 * store_sync.c - one device sync as one transaction: replay check, the
 * uploaded mutations, the bundle (store_sync_page.c), and the stored
 * reply.
 *
 * Exactly once: a mutation's result is recorded under (device, mutation
 * id) in the same transaction that applies it, and the reply is stored
 * with the device's new batch and bundle numbers before it is sent, so a
 * device that lost the reply gets the same one again and nothing is
 * applied twice.  Conflicts are kept and flagged, never dropped: a
 * mutation for a job now assigned to someone else, or a warranty decision
 * made on an older version of a job that has one.  A job the device never
 * held and that is not its technician's does not exist for it: the same
 * not_found as a missing job, and no conflict.
 */
#include "rules/device_time.h"
#include "rules/job.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sql_device_by_key[] =
    "SELECT id, technician_id, revoked_at IS NOT NULL AS revoked, sign_pk,"
    " box_pk, key_id, enrolled_at FROM devices WHERE key_id = :key_id";
static const char sql_device_state[] =
    "SELECT last_batch_seq, last_batch_hash, last_reply, bundle_seq,"
    " last_bundle_hash, revoked_at IS NOT NULL AS revoked FROM devices"
    " WHERE id = :device_id";
static const char sql_seen[] =
    "SELECT result, code, message, job_version FROM device_mutations"
    " WHERE device_id = :device_id AND mutation_id = :mutation_id";
static const char sql_remember[] =
    "INSERT INTO device_mutations(device_id, mutation_id, job_id, result,"
    " code, message, job_version, at) VALUES (:device_id, :mutation_id,"
    " :job_id, :result, :code, :message, :job_version, :now)";
static const char sql_job[] =
    "SELECT status, technician_id, version, warranty FROM jobs"
    " WHERE id = :job_id";
static const char sql_flag[] =
    "INSERT INTO sync_conflicts(device_id, job_id, mutation_id, code,"
    " message, created_at, action, content, device_time, server_had)"
    " VALUES (:device_id, :job_id, :mutation_id, :code, :message, :now,"
    " :action, :content, :device_time, :server_had)";
static const char sql_last_event[] =
    "SELECT coalesce(max(at), 0) FROM audit_events WHERE entity = 'job'"
    " AND entity_id = :job_id";
static const char sql_ever_held[] =
    "SELECT EXISTS(SELECT 1 FROM device_jobs WHERE device_id = :device_id"
    " AND job_id = :job_id)";
static const char sql_save[] =
    "UPDATE devices SET last_batch_seq = :batch_seq,"
    " last_batch_hash = :batch_hash_bytes, last_reply = :reply_bytes,"
    " bundle_seq = :bundle_seq, last_bundle_hash = :bundle_hash_bytes"
    " WHERE id = :device_id";

static json_t *bytes(const unsigned char *b, size_t n)
{
    return json_stringn_nocheck((const char *)b, n);
}

int store_device_by_key(struct store *s, const char *key_id,
                        struct sync_device *out, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    json_t *vals, *rows, *d;

    if (!c)
        return err->rc;
    vals = json_pack("{s:s}", "key_id", key_id);
    rows = store__rows(c, sql_device_by_key, vals, err);
    json_decref(vals);
    if (!rows)
        return err->rc;
    d = json_array_get(rows, 0);
    if (!d || json_string_length(json_object_get(d, "sign_pk")) != 32 ||
        json_string_length(json_object_get(d, "box_pk")) != 32) {
        json_decref(rows);
        return err_set(err, ERR_NOT_FOUND, "unknown_device", NULL,
                       "no enrolled device has this key");
    }
    out->id = json_integer_value(json_object_get(d, "id"));
    out->technician_id = json_integer_value(json_object_get(
        d, "technician_id"));
    out->revoked = (int)json_integer_value(json_object_get(d, "revoked"));
    out->enrolled_at = json_integer_value(json_object_get(d, "enrolled_at"));
    memcpy(out->sign_pk, json_string_value(json_object_get(d, "sign_pk")),
           32);
    memcpy(out->box_pk, json_string_value(json_object_get(d, "box_pk")), 32);
    snprintf(out->key_id, sizeof out->key_id, "%s", key_id);
    json_decref(rows);
    return 0;
}

static void ack_set(struct sync_ack *a, const char *result, const char *code,
                    const char *message, int64_t version)
{
    snprintf(a->result, sizeof a->result, "%s", result);
    snprintf(a->code, sizeof a->code, "%s", code ? code : "");
    snprintf(a->message, sizeof a->message, "%s", message ? message : "");
    a->job_version = version;
}

/* The device as the actor of m: with the time the device says m
 * happened, within the bounds of rules/device_time.c. */
static int device_actor(struct store_conn *c, const struct sync_batch *b,
                        const struct sync_mutation *m, const json_t *vals,
                        struct actor *who, struct err *err)
{
    struct device_time t = {m->device_time, store__now(),
                            b->dev->enrolled_at, 0};

    *who = (struct actor){.name = "device", .reason = m->reason};
    if (m->device_time <= 0)
        return 0;
    if (store__scalar(c, sql_last_event, vals, &t.previous, err))
        return err->rc;
    who->time_note = device_time_bound(&t, &who->occurred_at);
    return 0;
}

/* The audit detail of a device's note or parts used: what it carried and
 * the technician whose device it is (a job's history names them). */
static int record_device(struct store_conn *c, const struct sync_batch *b,
                         const struct sync_mutation *m,
                         const struct actor *device, int64_t version,
                         const char *action, struct err *err)
{
    json_t *detail = json_copy((json_t *)m->payload);
    int rc;

    json_object_set_new(detail, "technician_id",
                        json_integer(b->dev->technician_id));
    rc = store__record(c, device, "job", m->job_id, version, "update", action,
                       detail, err);
    json_decref(detail);
    return rc;
}

/* Parts used on the open visit, taken from the job's reservation. */
static int parts_on_visit(struct store_conn *c, const struct sync_batch *b,
                          const struct sync_mutation *m,
                          const struct actor *device, int64_t version,
                          struct err *why)
{
    int64_t visit = 0;

    if (store__visit_open(c, m->job_id, &visit, why))
        return why->rc;
    if (!visit)
        return err_set(why, ERR_CONFLICT, "no_open_visit", NULL,
                       "parts are used on a visit: arrive first");
    if (store__parts_use(c, m->job_id, visit,
                         json_object_get(m->payload, "parts_used"), why))
        return why->rc;
    return record_device(c, b, m, device, version, "parts_used", why);
}

/* Apply m in a savepoint: its effects all, or (refused) none; the ack. */
static int attempt(struct store_conn *c, const struct sync_batch *b,
                   const struct sync_mutation *m, const struct actor *device,
                   int64_t version, struct sync_ack *a, struct err *err)
{
    struct job_event_req r = {.event = m->event,
                              .role = m->role ? m->role : JR_TECHNICIAN,
                              .payload = m->payload,
                              .quote_ttl = b->quote_ttl};
    struct actor who = *device;
    struct err why = ERR_INIT;
    json_t *row = NULL;
    int failed;

    /* the customer's own answer, given on the device: theirs, as through
     * a quote link, at the device's time */
    if (r.role == JR_CUSTOMER)
        who.name = job_role_name(JR_CUSTOMER);
    if (store__exec(c, "SAVEPOINT mutation", err))
        return err->rc;
    failed = m->event == SYNC_PARTS
                 ? parts_on_visit(c, b, m, device, version, &why)
                 : store__job_apply(c, m->job_id, &r, &who, &row, &why);
    if (failed) {
        store__exec(c, "ROLLBACK TO mutation", err);
        ack_set(a, "rejected", why.code, why.msg, version);
    } else {
        ack_set(a, "applied", NULL, NULL,
                row ? json_integer_value(json_object_get(row, "version"))
                    : version);
    }
    json_decref(row);
    return store__exec(c, "RELEASE mutation", err);
}

/* The name of what m does: its lifecycle event's, or note, parts_used. */
static const char *action_name(const struct sync_mutation *m)
{
    if (m->event == SYNC_NOTE)
        return "note";
    if (m->event == SYNC_PARTS)
        return "parts_used";
    return job_event_name((enum job_event)m->event);
}

static void set_json_text(json_t *vals, const char *key, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);

    json_object_set_new(vals, key, json_string(text ? text : "{}"));
    free(text);
}

/* What a dispatcher needs to act on a conflict, into vals for sql_flag:
 * the action, what it carried (a signature by its size only), when the
 * device says it happened, and the job as the server had it. */
static void conflict_facts(const struct sync_mutation *m, const json_t *job,
                           json_t *vals)
{
    json_t *content = m->payload ? json_deep_copy(m->payload) : json_object();
    const json_t *sig = json_object_get(content, "signature");

    if (json_is_string(sig)) {
        json_object_set_new(content, "signature_bytes",
                            json_integer((json_int_t)json_string_length(sig) /
                                         4 * 3));
        json_object_del(content, "signature");
    }
    json_object_set_new(vals, "action", json_string(action_name(m)));
    set_json_text(vals, "content", content);
    set_json_text(vals, "server_had", job);
    json_object_set_new(vals, "device_time",
                        m->device_time > 0 ? json_integer(m->device_time)
                                           : json_null());
    json_decref(content);
}

/* Decide and apply one new mutation in a savepoint; fills the ack. */
static int apply_one(struct store_conn *c, const struct sync_batch *b,
                     const struct sync_mutation *m, json_t *vals,
                     struct sync_ack *a, struct err *err)
{
    json_t *rows = store__rows(c, sql_job, vals, err);
    const json_t *job = json_array_get(rows, 0);
    int64_t version = json_integer_value(json_object_get(job, "version"));
    int64_t held = 0;
    int rc = rows ? 0 : err->rc;
    int theirs = job && json_integer_value(json_object_get(
                            job, "technician_id")) != b->dev->technician_id;
    struct actor device = {.name = "device", .reason = m->reason};

    /* another technician's job is news to a device that never held it */
    if (rc == 0 && theirs)
        rc = store__scalar(c, sql_ever_held, vals, &held, err);
    if (rc == 0 && job)
        rc = device_actor(c, b, m, vals, &device, err);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    if (m->event == SYNC_PREREJECTED) {
        snprintf(a->result, sizeof a->result, "rejected");
    } else if (!job || (theirs && !held)) {
        ack_set(a, "rejected", "not_found", "no such job", 0);
    } else if (m->event == SYNC_NOTE) {
        /* a note joins the job's history, whoever holds the job now */
        rc = record_device(c, b, m, &device, version, "note", err);
        ack_set(a, "applied", NULL, NULL, version);
    } else if (theirs) {
        ack_set(a, "conflict", "reassigned",
                "the job is no longer assigned to this technician; kept for"
                " a dispatcher", version);
        conflict_facts(m, job, vals);
    } else if ((m->event == EV_DECIDE_IN_WARRANTY ||
                m->event == EV_DECIDE_REPLACEMENT) &&
               json_is_string(json_object_get(job, "warranty")) &&
               m->base_version < version) {
        ack_set(a, "conflict", "stale_warranty",
                "the job already has a warranty decision newer than the"
                " version this one was made on", version);
        conflict_facts(m, job, vals);
    } else {
        rc = attempt(c, b, m, &device, version, a, err);
    }
    json_decref(rows);
    return rc;
}

static int mutation(struct store_conn *c, const struct sync_batch *b,
                    size_t i, int64_t now, struct err *err)
{
    const struct sync_mutation *m = &b->muts[i];
    struct sync_ack *a = &b->acks[i];
    json_t *vals, *seen;
    const json_t *old;
    int rc;

    a->mutation_id = m->mutation_id;
    if (m->event == SYNC_BAD_ID)
        return 0; /* nothing to remember it under */
    vals = json_pack("{s:I, s:s, s:I, s:I}", "device_id",
                     (json_int_t)b->dev->id, "mutation_id", m->mutation_id,
                     "job_id", (json_int_t)m->job_id, "now", (json_int_t)now);
    seen = store__rows(c, sql_seen, vals, err);
    old = json_array_get(seen, 0);
    rc = seen ? 0 : err->rc;
    if (rc == 0 && old) { /* applied once already: the same answer */
        ack_set(a, json_string_value(json_object_get(old, "result")),
                json_string_value(json_object_get(old, "code")),
                json_string_value(json_object_get(old, "message")),
                json_integer_value(json_object_get(old, "job_version")));
    } else if (rc == 0 && (rc = apply_one(c, b, m, vals, a, err)) == 0) {
        json_object_set_new(vals, "result", json_string(a->result));
        json_object_set_new(vals, "code", json_string(a->code));
        json_object_set_new(vals, "message", json_string(a->message));
        json_object_set_new(vals, "job_version",
                            json_integer(a->job_version));
        rc = store__run(c, sql_remember, vals, err);
        if (rc == 0 && !strcmp(a->result, "conflict"))
            rc = store__run(c, sql_flag, vals, err);
    }
    json_decref(seen);
    json_decref(vals);
    return rc;
}

/* A replay of the last batch, or a stale one; 1 when answered. */
static int replay(const struct sync_batch *b, const json_t *st,
                  struct sync_batch *out, struct err *err)
{
    uint64_t last = (uint64_t)json_integer_value(json_object_get(
        st, "last_batch_seq"));
    const json_t *hash = json_object_get(st, "last_batch_hash");
    const json_t *reply = json_object_get(st, "last_reply");

    out->last_batch_seq = last;
    if (b->batch_seq > last)
        return 0;
    if (b->batch_seq == last && json_string_length(hash) == 32 &&
        !memcmp(json_string_value(hash), b->batch_hash, 32) && reply) {
        out->reply_len = json_string_length(reply);
        out->reply = malloc(out->reply_len + 1);
        memcpy(out->reply, json_string_value(reply), out->reply_len);
        out->replayed = 1;
        return 1;
    }
    return err_set(err, ERR_CONFLICT, "stale_batch", NULL,
                   "batch %llu is not after the last accepted batch %llu",
                   (unsigned long long)b->batch_seq,
                   (unsigned long long)last);
}

static int save(struct store_conn *c, struct sync_batch *b,
                const struct sync_content *ct, struct err *err)
{
    json_t *vals = json_pack(
        "{s:I, s:I, s:o, s:o, s:I, s:o}", "device_id", (json_int_t)b->dev->id,
        "batch_seq", (json_int_t)b->batch_seq, "batch_hash_bytes",
        bytes(b->batch_hash, 32), "reply_bytes", bytes(b->reply, b->reply_len),
        "bundle_seq", (json_int_t)ct->bundle_seq, "bundle_hash_bytes",
        bytes(ct->hash, 32));
    int rc = store__run(c, sql_save, vals, err);

    json_decref(vals);
    return rc;
}

/* The bundle answering b, fitted to the device's limits, and the jobs
 * the device holds once it has it. */
static int answer(struct store_conn *c, struct sync_batch *b,
                  const json_t *st, struct err *err)
{
    struct sync_content ct = {.jobs = json_array(), .removed = json_array()};
    struct sync_page page = {0};
    const json_t *prev = json_object_get(st, "last_bundle_hash");
    size_t sent = 0;
    int rc = store__epoch(c, ct.epoch, err);

    /* a device of an earlier epoch: the database was restored since */
    b->other_epoch = b->epoch_len &&
                     (b->epoch_len != STORE_EPOCH_BYTES ||
                      memcmp(b->epoch, ct.epoch, STORE_EPOCH_BYTES) != 0);
    if (rc == 0)
        rc = store__sync_page_read(c, b, &page, err);

    ct.bundle_seq = (uint64_t)json_integer_value(json_object_get(
                        st, "bundle_seq")) + 1;
    if (json_string_length(prev) == 32)
        memcpy(ct.prev_hash, json_string_value(prev), 32);
    if (rc == 0)
        rc = store__sync_page_fit(b, &page, &ct, &sent, err);
    if (rc == 0)
        rc = store__sync_page_hold(c, b, &page, sent, err);
    if (rc == 0)
        rc = save(c, b, &ct, err);
    store__sync_page_free(&page);
    json_decref(ct.jobs);
    json_decref(ct.removed);
    return rc;
}

static int sync_fn(struct store_conn *c, void *arg, struct err *err)
{
    struct sync_batch *b = arg;
    json_t *vals = json_pack("{s:I}", "device_id", (json_int_t)b->dev->id);
    json_t *rows = store__rows(c, sql_device_state, vals, err);
    const json_t *st = json_array_get(rows, 0);
    int64_t now = store__now();
    int rc = rows ? 0 : err->rc;

    if (rc == 0 && (!st || json_integer_value(json_object_get(st,
                                                              "revoked"))))
        rc = err_set(err, ERR_FORBIDDEN, "device_revoked", NULL,
                     "this device was revoked: enroll it again");
    if (rc == 0)
        rc = replay(b, st, b, err);
    for (size_t i = 0; rc == 0 && i < b->n; i++)
        rc = mutation(c, b, i, now, err);
    if (rc == 0)
        rc = answer(c, b, st, err);
    json_decref(rows);
    json_decref(vals);
    return rc == 1 ? 0 : rc; /* 1: answered from the stored reply */
}

static const char sql_reissue[] =
    "UPDATE devices SET last_reply = :reply_bytes,"
    " last_bundle_hash = :hash_bytes WHERE id = :device_id"
    " AND last_batch_seq = :batch_seq";

static int reissue_fn(struct store_conn *c, void *arg, struct err *err)
{
    return store__run(c, sql_reissue, arg, err);
}

int store_sync_reissue(struct store *s, int64_t device_id, uint64_t batch_seq,
                       const unsigned char *reply, size_t len,
                       const unsigned char hash[32], struct err *err)
{
    json_t *vals = json_pack("{s:o, s:o, s:I, s:I}", "reply_bytes",
                             bytes(reply, len), "hash_bytes", bytes(hash, 32),
                             "device_id", (json_int_t)device_id, "batch_seq",
                             (json_int_t)batch_seq);
    int rc = store__write(s, reissue_fn, vals, err);

    json_decref(vals);
    return rc;
}

int store_sync(struct store *s, struct sync_batch *b, struct err *err)
{
    b->reply = NULL;
    b->reply_len = 0;
    b->replayed = 0;
    if (store__write(s, sync_fn, b, err)) {
        free(b->reply);
        b->reply = NULL;
        return err->rc;
    }
    return 0;
}
