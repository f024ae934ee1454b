/*
 * devstore.c - is a device's local store before or after a bundle, never
 * between?  Compared with the server's own record of the device (its
 * last batch number, bundle number, bundle hash and stored reply):
 *
 *   after   the store's bundle number and hash are the server's last ones
 *           and its cursor is that bundle's checkpoint;
 *   before  the store is one bundle behind, holds the batch that bundle
 *           answers (pending_batch, the server's last batch number), and
 *           its cursor is the one that batch was sent with.
 *
 * Either way the job rows must agree with the cursor: exactly the
 * technician's open jobs whose first change is at or before it, each at
 * its version (the server does not change jobs while devices are killed).
 * And the outbox must agree with the server: a note gone from it is in
 * the server's results and audit trail once; one still there is in them
 * at most once; the batch being sent is still wholly in the outbox.
 * PRAGMA integrity_check must say ok.
 */
#include "fault.h"
#include "fsd.pb-c.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct side {
    int64_t cursor, bundle_seq, batch_seq;
    uint8_t *hash, *batch, *reply; /* malloc'd blobs, may be NULL */
    size_t hash_len, batch_len, reply_len;
};

/* ?1 (an integer) and ?2 (text, may be NULL) bound to sql (binding a
 * parameter sql does not use only fails that bind); the first column of
 * the first row as an integer (def when none). */
static int64_t q_int(sqlite3 *db, const char *sql, int64_t a, const char *b,
                     int64_t def)
{
    sqlite3_stmt *st;
    int64_t v = def;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fault_violation("%s: %s", sql, sqlite3_errmsg(db));
        return def;
    }
    sqlite3_bind_int64(st, 1, a);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Column col of sql's first row (?1 = a, ?2 = key) as a malloc'd blob. */
static uint8_t *q_blob(sqlite3 *db, const char *sql, int64_t a,
                       const char *key, int col, size_t *len)
{
    sqlite3_stmt *st;
    uint8_t *out = NULL;

    *len = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, a);
    if (key)
        sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, col) == SQLITE_BLOB) {
        *len = (size_t)sqlite3_column_bytes(st, col);
        out = malloc(*len + 1);
        memcpy(out, sqlite3_column_blob(st, col), *len);
    }
    sqlite3_finalize(st);
    return out;
}

/* ?1 is left unused: binding it is harmless */
static const char meta_sql[] = "SELECT value FROM meta WHERE key = ?2";

static void read_local(sqlite3 *db, struct side *s)
{
    s->cursor = q_int(db, meta_sql, 0, "cursor", 0);
    s->bundle_seq = q_int(db, meta_sql, 0, "bundle_seq", 0);
    s->batch_seq = q_int(db, meta_sql, 0, "batch_seq", 0);
    s->hash = q_blob(db, meta_sql, 0, "last_bundle_hash", 0, &s->hash_len);
    s->batch = q_blob(db, meta_sql, 0, "pending_batch", 0, &s->batch_len);
}

static const char device_sql[] =
    "SELECT last_batch_seq, bundle_seq, last_bundle_hash, last_reply"
    " FROM devices WHERE id = ?1";

/* Inside the caller's read transaction: one snapshot of the server, which
 * may still be committing the request of a device it just killed. */
static void read_server(sqlite3 *db, int64_t device, struct side *s)
{
    s->batch_seq = q_int(db, device_sql, device, NULL, -1);
    s->bundle_seq = q_int(db, "SELECT bundle_seq FROM devices WHERE"
                              " id = ?1", device, NULL, -1);
    s->hash = q_blob(db, device_sql, device, NULL, 2, &s->hash_len);
    s->reply = q_blob(db, device_sql, device, NULL, 3, &s->reply_len);
}

static void side_free(struct side *s)
{
    free(s->hash);
    free(s->batch);
    free(s->reply);
}

/* The checkpoint of the bundle in a stored reply; -1 if it will not
 * parse. */
static int64_t reply_checkpoint(const struct side *srv)
{
    Fsd__V1__Envelope *env;
    Fsd__V1__Bundle *b = NULL;
    int64_t cp = -1;

    if (!srv->reply)
        return srv->bundle_seq == 0 ? 0 : -1;
    env = fsd__v1__envelope__unpack(NULL, srv->reply_len, srv->reply);
    if (env)
        b = fsd__v1__bundle__unpack(NULL, env->payload.len,
                                    env->payload.data);
    if (b)
        cp = (int64_t)b->checkpoint;
    if (b)
        fsd__v1__bundle__free_unpacked(b, NULL);
    if (env)
        fsd__v1__envelope__free_unpacked(env, NULL);
    return cp;
}

/* The stored batch being sent (caller frees), or NULL. */
static Fsd__V1__SyncRequest *pending_request(const struct side *loc)
{
    Fsd__V1__Envelope *env;
    Fsd__V1__SyncRequest *r = NULL;

    if (!loc->batch)
        return NULL;
    env = fsd__v1__envelope__unpack(NULL, loc->batch_len, loc->batch);
    if (env) {
        r = fsd__v1__sync_request__unpack(NULL, env->payload.len,
                                          env->payload.data);
        fsd__v1__envelope__free_unpacked(env, NULL);
    }
    return r;
}

static int same_hash(const struct side *a, const struct side *b)
{
    if (!a->hash || !b->hash)
        return !a->hash && !b->hash;
    return a->hash_len == b->hash_len &&
           !memcmp(a->hash, b->hash, a->hash_len);
}

/* Where the store stands against the server's record of the device. */
static int position(const struct fault_episode *e, const struct side *loc,
                    const struct side *srv)
{
    Fsd__V1__SyncRequest *r = pending_request(loc);
    int pos = FAULT_BETWEEN;

    if (loc->bundle_seq == srv->bundle_seq && same_hash(loc, srv) &&
        loc->cursor == reply_checkpoint(srv))
        pos = FAULT_AFTER;
    else if (loc->bundle_seq + 1 == srv->bundle_seq && r &&
             (int64_t)r->batch_seq == srv->batch_seq &&
             loc->batch_seq == srv->batch_seq &&
             (int64_t)r->cursor == loc->cursor)
        pos = FAULT_BEFORE;
    if (pos == FAULT_BETWEEN)
        fault_violation("device %lld store %s is between bundles: local"
                        " bundle %lld cursor %lld batch %lld%s, server"
                        " bundle %lld batch %lld checkpoint %lld",
                        (long long)e->device_id, e->store,
                        (long long)loc->bundle_seq, (long long)loc->cursor,
                        (long long)loc->batch_seq,
                        loc->batch ? " (pending)" : "",
                        (long long)srv->bundle_seq,
                        (long long)srv->batch_seq,
                        (long long)reply_checkpoint(srv));
    if (r)
        fsd__v1__sync_request__free_unpacked(r, NULL);
    return pos;
}

/* "id:version " for every row of sql (?1 = a, ?2 = b), malloc'd. */
static char *id_versions(sqlite3 *db, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *st;
    size_t len = 0, cap = 256;
    char *out = calloc(1, cap);

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return out;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (len + 48 > cap)
            out = realloc(out, cap *= 2);
        len += (size_t)snprintf(out + len, cap - len, "%lld:%lld ",
                                (long long)sqlite3_column_int64(st, 0),
                                (long long)sqlite3_column_int64(st, 1));
    }
    sqlite3_finalize(st);
    return out;
}

static const char expected_jobs_sql[] =
    "SELECT id, version FROM jobs j WHERE technician_id = ?1 AND status NOT"
    " IN ('closed', 'cancelled') AND (SELECT min(seq) FROM changes WHERE"
    " entity = 'job' AND entity_id = j.id) <= ?2 ORDER BY id";
static const char local_jobs_sql[] =
    "SELECT id, version FROM jobs ORDER BY id";

static void check_jobs(const struct fault_episode *e, sqlite3 *loc,
                       sqlite3 *srv, int64_t cursor)
{
    char *want = id_versions(srv, expected_jobs_sql, e->tech, cursor);
    char *have = id_versions(loc, local_jobs_sql, 0, 0);

    if (strcmp(want, have))
        fault_violation("device %lld: at cursor %lld the store holds jobs"
                        " [%.200s], the server says [%.200s]",
                        (long long)e->device_id, (long long)cursor, have,
                        want);
    free(want);
    free(have);
}

/* A note gone from the outbox is on the server once; one still there is
 * on it at most once; the batch being sent is wholly in the outbox. */
static void check_outbox(const struct fault_episode *e, sqlite3 *loc,
                         sqlite3 *srv, const struct side *side, int done)
{
    Fsd__V1__SyncRequest *r = pending_request(side);

    for (int i = 0; i < FAULT_EP_NOTES; i++) {
        int64_t here = q_int(loc, "SELECT count(*) FROM outbox WHERE"
                                  " mutation_id = ?2", 0, e->mids[i], -1);
        int64_t res = q_int(srv, "SELECT count(*) FROM device_mutations"
                                 " WHERE device_id = ?1 AND mutation_id"
                                 " = ?2", e->device_id, e->mids[i], -1);
        int64_t audit = q_int(srv, "SELECT count(*) FROM audit_events"
                                   " WHERE entity = 'job' AND entity_id"
                                   " = ?1 AND action = 'note' AND"
                                   " json_extract(detail, '$.text') = ?2",
                              e->job, e->texts[i], -1);
        if (audit != res || audit > 1 || (!here && audit != 1) ||
            (done && here))
            fault_violation("device %lld note %s: %lld in the outbox, %lld"
                            " results and %lld audit entries on the server",
                            (long long)e->device_id, e->mids[i],
                            (long long)here, (long long)res,
                            (long long)audit);
    }
    for (size_t i = 0; r && i < r->n_mutations; i++)
        if (q_int(loc, "SELECT count(*) FROM outbox WHERE mutation_id = ?2",
                  0, r->mutations[i]->mutation_id, -1) != 1)
            fault_violation("device %lld: %s is in the batch being sent"
                            " but not in the outbox", (long long)e->device_id,
                            r->mutations[i]->mutation_id);
    if (r)
        fsd__v1__sync_request__free_unpacked(r, NULL);
}

static void check_integrity(const struct fault_episode *e, sqlite3 *loc)
{
    sqlite3_stmt *st;
    const char *v = NULL;

    if (sqlite3_prepare_v2(loc, "PRAGMA integrity_check", -1, &st, NULL) ==
            SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = (const char *)sqlite3_column_text(st, 0);
    if (!v || strcmp(v, "ok"))
        fault_violation("device store %s: integrity_check says %s",
                        e->store, v ? v : "nothing");
    sqlite3_finalize(st);
}

int fault_store_check(const struct fault_episode *e, sqlite3 *srv, int done)
{
    struct side loc = {0}, server = {0};
    sqlite3 *db = fault_sql_open(e->store);
    int pos;

    if (!db) {
        fault_violation("device store %s will not open", e->store);
        return FAULT_BETWEEN;
    }
    check_integrity(e, db);
    read_local(db, &loc);
    sqlite3_exec(srv, "BEGIN", NULL, NULL, NULL);
    read_server(srv, e->device_id, &server);
    pos = position(e, &loc, &server);
    check_jobs(e, db, srv, loc.cursor);
    check_outbox(e, db, srv, &loc, done);
    if (done && (pos != FAULT_AFTER || loc.batch ||
                 loc.cursor != fault_sql_int(srv, "SELECT max(seq) FROM"
                                                  " changes", -1)))
        fault_violation("device %lld finished its sync but is not at the"
                        " end of the change log (cursor %lld)",
                        (long long)e->device_id, (long long)loc.cursor);
    sqlite3_exec(srv, "COMMIT", NULL, NULL, NULL);
    side_free(&loc);
    side_free(&server);
    sqlite3_close(db);
    return pos;
}
