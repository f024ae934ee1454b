/*
 * store_sync_page.c - the jobs a sync's bundle carries, and a bundle that
 * fits what the device asked for (PROTOCOL.md sections 6 and 8).
 *
 * A page is read from the change log after the device's cursor, only the
 * changes of jobs its technician has or the device holds, each job once,
 * in the order of its first change there: a snapshot for a job of the
 * technician's, a tombstone for one the device holds that left.  A cursor
 * past the end of the log (a server restored from a backup, a device's
 * bad state) cannot be honoured, nor a cursor of another epoch (the
 * database was restored since the device saw it): the page starts again
 * from the start of the log and the bundle says resync, so the device
 * replaces its jobs.
 *
 * The bundle is then fitted to the device's capabilities: at most
 * max_jobs snapshots and tombstones and at most max_bytes in all.  A
 * bundle that is too big is built again with half its jobs (the
 * checkpoint stops before the first job left out, so nothing is skipped),
 * then with half its acks (a mutation not acknowledged is sent again by
 * the device and answered from its stored result).  A job that does not
 * fit alone fails the sync: too_large, with the size it needs.  The
 * device's hold on a job changes only for the jobs actually sent.
 */
#include "job_sets_sql.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* the changes of jobs this device has a stake in: its technician's, and
 * the ones it holds (to learn that they left) */
static const char sql_changes[] =
    "SELECT seq, entity_id FROM changes WHERE seq > :cursor"
    " AND entity = 'job' AND entity_id IN ("
    "  SELECT id FROM jobs WHERE technician_id = :technician_id"
    "  UNION SELECT job_id FROM device_jobs WHERE device_id = :device_id"
    "  AND left_at IS NULL)"
    " ORDER BY seq LIMIT :limit";
static const char sql_job_for_device[] =
    "SELECT technician_id = :technician_id AND status NOT IN"
    " (" JOB_SQL_FINAL ") FROM jobs WHERE id = :job_id";
static const char sql_held[] =
    "SELECT EXISTS(SELECT 1 FROM device_jobs WHERE device_id = :device_id"
    " AND job_id = :job_id AND left_at IS NULL)";
static const char sql_hold[] =
    "INSERT INTO device_jobs(device_id, job_id) VALUES (:device_id, :job_id)"
    " ON CONFLICT (device_id, job_id) DO UPDATE SET left_at = NULL";
static const char sql_drop[] =
    "UPDATE device_jobs SET left_at = :now WHERE device_id = :device_id"
    " AND job_id = :job_id";
static json_t *job_vals(const struct sync_batch *b, int64_t job_id)
{
    return json_pack("{s:I, s:I, s:I, s:I}", "device_id",
                     (json_int_t)b->dev->id, "job_id", (json_int_t)job_id,
                     "technician_id", (json_int_t)b->dev->technician_id, "now",
                     (json_int_t)store__now());
}

/* Sort one changed job into the page: snapshot, tombstone or nothing. */
static int one_job(struct store_conn *c, const struct sync_batch *b, int64_t id,
                   uint64_t seq, struct sync_page *p, struct err *err)
{
    json_t *vals = job_vals(b, id), *job = NULL;
    int64_t mine = 0, held = 0;
    int rc = store__scalar(c, sql_job_for_device, vals, &mine, err);
    struct sync_page_entry *e = &p->entries[p->n];

    if (rc == 0 && mine &&
        (rc = store__sync_snapshot(c, id, vals, &job, err)) == 0)
        *e = (struct sync_page_entry){id, seq, job};
    else if (rc == 0 && !mine &&
             (rc = store__scalar(c, sql_held, vals, &held, err)) == 0 && held)
        *e = (struct sync_page_entry){id, seq, NULL};
    if (rc == 0 && (job || held))
        p->n++;
    json_decref(vals);
    return rc;
}

int store__sync_page_read(struct store_conn *c, const struct sync_batch *b,
                          struct sync_page *p, struct err *err)
{
    int64_t latest = 0;
    json_t *vals, *changes = NULL, *ch, *done;
    size_t i;
    int rc = store__scalar(c, store__sql_last_change, NULL, &latest, err);

    memset(p, 0, sizeof *p);
    if (rc)
        return rc;
    p->resync = b->cursor > (uint64_t)latest || b->other_epoch;
    p->cursor = p->resync ? 0 : b->cursor;
    vals = json_pack("{s:I, s:i, s:I, s:I}", "cursor", (json_int_t)p->cursor,
                     "limit", b->max_changes, "technician_id",
                     (json_int_t)b->dev->technician_id, "device_id",
                     (json_int_t)b->dev->id);
    changes = store__rows(c, sql_changes, vals, err);
    rc = changes ? 0 : err->rc;
    p->entries = calloc(json_array_size(changes) + 1, sizeof *p->entries);
    done = json_object();
    p->end = p->cursor;
    json_array_foreach(changes, i, ch)
    {
        char key[24];
        int64_t id = json_integer_value(json_object_get(ch, "entity_id"));
        uint64_t seq = (uint64_t)json_integer_value(json_object_get(ch, "seq"));
        p->end = seq;
        snprintf(key, sizeof key, "%lld", (long long)id);
        if (rc || json_object_get(done, key))
            continue;
        json_object_set_new(done, key, json_true());
        rc = one_job(c, b, id, seq, p, err);
    }
    /* a page that is not full leaves nothing of the device's after it */
    p->full = json_array_size(changes) == (size_t)b->max_changes;
    if (!p->full && (uint64_t)latest > p->end)
        p->end = (uint64_t)latest;
    json_decref(done);
    json_decref(changes);
    json_decref(vals);
    return rc;
}

void store__sync_page_free(struct sync_page *p)
{
    for (size_t i = 0; i < p->n; i++)
        json_decref(p->entries[i].job);
    free(p->entries);
    memset(p, 0, sizeof *p);
}

/* The content of a bundle carrying the page's first k entries. */
static void content_of(const struct sync_page *p, size_t k,
                       struct sync_content *ct)
{
    json_array_clear(ct->jobs);
    json_array_clear(ct->removed);
    for (size_t i = 0; i < k; i++) {
        if (p->entries[i].job)
            json_array_append(ct->jobs, p->entries[i].job);
        else
            json_array_append_new(ct->removed,
                                  json_integer(p->entries[i].job_id));
    }
    /* the entries left out start at their first change: the next sync
     * reads from just before it */
    ct->checkpoint = k < p->n ? p->entries[k].first_seq - 1 : p->end;
    ct->has_more = k < p->n || p->full;
    ct->resync = p->resync;
}

int store__sync_page_fit(struct sync_batch *b, const struct sync_page *p,
                         struct sync_content *ct, size_t *sent, struct err *err)
{
    size_t k = p->n < b->max_jobs ? p->n : b->max_jobs, acks = b->n;

    for (;;) {
        content_of(p, k, ct);
        ct->has_more = ct->has_more || acks < b->n;
        if (b->build(b->arg, ct, b->acks, acks, &b->reply, &b->reply_len, err))
            return err->rc;
        if (b->reply_len <= b->max_bytes)
            break;
        free(b->reply);
        b->reply = NULL;
        if (k > 1)
            k /= 2;
        else if (acks > 0)
            acks /= 2;
        else if (k == 1)
            return err_set(err, ERR_TOO_LARGE, "too_large", NULL,
                           "job %lld alone makes a bundle of %zu bytes, over"
                           " the %zu this device asked for (max_bundle_bytes)",
                           (long long)p->entries[0].job_id, b->reply_len,
                           b->max_bytes);
        else
            return err_set(err, ERR_TOO_LARGE, "too_large", NULL,
                           "an empty bundle is %zu bytes, over the %zu this"
                           " device asked for",
                           b->reply_len, b->max_bytes);
    }
    *sent = k;
    return 0;
}

int store__sync_page_hold(struct store_conn *c, const struct sync_batch *b,
                          const struct sync_page *p, size_t sent,
                          struct err *err)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < sent; i++) {
        json_t *vals = job_vals(b, p->entries[i].job_id);
        rc = store__run(c, p->entries[i].job ? sql_hold : sql_drop, vals, err);
        json_decref(vals);
    }
    return rc;
}
