/*
 * dbcheck.c - the server's database read directly (never while a killed
 * server's successor could write it, except for reads in WAL mode): how
 * many times each of the storm's notes is in the audit trail and in the
 * device results (device_mutations), PRAGMA integrity_check, the foreign
 * key check, and gaps in the change log (changes.seq).
 *
 * Exactly once: an acked note must be there once, with its result row; an
 * un-acked one may be absent or there once (with its result row, so its
 * retry is answered from it); never twice.
 */
#include "fault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tally {
    unsigned short *audit, *result; /* per device, per note */
};

sqlite3 *fault_sql_open(const char *path)
{
    sqlite3 *db = NULL;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "fault: cannot open %s: %s\n", path,
                db ? sqlite3_errmsg(db) : "?");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    return db;
}

int64_t fault_sql_int(sqlite3 *db, const char *sql, int64_t def)
{
    sqlite3_stmt *st;
    int64_t v = def;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "fault: %s: %s\n", sql, sqlite3_errmsg(db));
        return def;
    }
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Audit-trail notes "f<dev>-<k>" of the storm, counted per note. */
static int count_audit(sqlite3 *db, struct fault_storm *s, struct tally *t)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, "SELECT json_extract(detail, '$.text') FROM"
                               " audit_events WHERE action = 'note'"
                               " AND entity = 'job'", -1, &st, NULL))
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(st, 0);
        int dev, used = 0;
        size_t k;
        if (text && sscanf(text, "f%d-%zu%n", &dev, &k, &used) == 2 &&
            !text[used] && dev >= 0 && dev < s->ndev &&
            k < s->devs[dev].nnotes)
            t[dev].audit[k]++;
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

static int device_index(const struct fault_storm *s, int64_t id)
{
    for (int i = 0; i < s->ndev; i++)
        if (s->devs[i].id == id)
            return i;
    return -1;
}

/* The stored results of the storm devices' mutations, counted per note. */
static int count_results(sqlite3 *db, struct fault_storm *s,
                         struct tally *t)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, "SELECT device_id, mutation_id, result FROM"
                               " device_mutations", -1, &st, NULL))
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int dev = device_index(s, sqlite3_column_int64(st, 0));
        const char *mid = (const char *)sqlite3_column_text(st, 1);
        const char *dash = mid ? strrchr(mid, '-') : NULL;
        size_t k = dash ? strtoul(dash + 1, NULL, 10) : 0;
        if (dev < 0 || k == 0 || k > s->devs[dev].nnotes)
            continue;
        t[dev].result[k - 1]++;
        if (strcmp((const char *)sqlite3_column_text(st, 2), "applied"))
            fault_violation("note %s was not applied: %s", mid,
                            sqlite3_column_text(st, 2));
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

/* Classify one note found a times in the audit trail, with r results. */
static void classify(struct fault_note *n, unsigned a, unsigned r, int final,
                     struct fault_counts *c)
{
    c->acked += n->acked;
    c->retried += n->retried;
    c->refused += n->refused;
    c->lost_acks += n->lost_ack;
    if (a > 1) {
        c->duplicated++;
        fault_violation("note %s is in the database %u times", n->mid, a);
        return;
    }
    if (a != r) {
        c->unremembered++;
        fault_violation("note %s: %u in the audit trail but %u results",
                        n->mid, a, r);
    }
    if (a == 1)
        c->once++;
    else
        c->absent++;
    if (n->acked && a == 0) {
        c->lost++;
        fault_violation("note %s was acked but is not in the database",
                        n->mid);
    }
    if (!n->acked && final)
        fault_violation("note %s was never acked", n->mid);
    if (!n->acked && !final) {
        n->unacked_at_end = 1;
        n->once_at_end = a == 1;
        c->unacked++;
        c->unacked_once += a == 1;
        c->unacked_absent += a == 0;
    }
    if (final && n->unacked_at_end) {
        c->unacked++;
        c->unacked_once += n->once_at_end;
        c->unacked_absent += !n->once_at_end;
    }
}

int fault_check_notes(const char *path, struct fault_storm *s, int final,
                      struct fault_counts *out)
{
    struct tally *t = calloc((size_t)s->ndev, sizeof *t);
    sqlite3 *db = fault_sql_open(path);
    int rc = db ? 0 : -1;

    memset(out, 0, sizeof *out);
    for (int i = 0; i < s->ndev; i++) {
        t[i].audit = calloc(s->devs[i].nnotes + 1, sizeof *t[i].audit);
        t[i].result = calloc(s->devs[i].nnotes + 1, sizeof *t[i].result);
    }
    if (rc == 0 && (count_audit(db, s, t) || count_results(db, s, t))) {
        fprintf(stderr, "fault: reading %s: %s\n", path, sqlite3_errmsg(db));
        rc = -1;
    }
    for (int i = 0; rc == 0 && i < s->ndev; i++)
        for (size_t k = 0; k < s->devs[i].nnotes; k++) {
            out->sent++;
            classify(&s->devs[i].notes[k], t[i].audit[k], t[i].result[k],
                     final, out);
        }
    for (int i = 0; i < s->ndev; i++) {
        free(t[i].audit);
        free(t[i].result);
    }
    free(t);
    sqlite3_close(db);
    return rc;
}

static void integrity(sqlite3 *db, char *out, size_t size)
{
    sqlite3_stmt *st;

    snprintf(out, size, "error");
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL))
        return;
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, size, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

int fault_check_health(const char *path, struct fault_health *out)
{
    sqlite3 *db = fault_sql_open(path);

    memset(out, 0, sizeof *out);
    if (!db) {
        snprintf(out->integrity, sizeof out->integrity, "cannot open");
        return -1;
    }
    integrity(db, out->integrity, sizeof out->integrity);
    out->fk_rows = (long)fault_sql_int(
        db, "SELECT count(*) FROM pragma_foreign_key_check", -1);
    /* a gap: a seq whose predecessor is missing, a log not from 1, or
     * numbers handed out beyond the last row */
    out->gaps = (long)fault_sql_int(
        db, "SELECT count(*) + (SELECT coalesce(min(seq), 1) <> 1 FROM"
            " changes) + (SELECT coalesce((SELECT seq FROM sqlite_sequence"
            " WHERE name = 'changes'), 0) > coalesce(max(seq), 0) FROM"
            " changes) FROM changes c WHERE c.seq > (SELECT min(seq) FROM"
            " changes) AND NOT EXISTS (SELECT 1 FROM changes p WHERE"
            " p.seq = c.seq - 1)", -1);
    out->changes = (long)fault_sql_int(db, "SELECT count(*) FROM changes",
                                       -1);
    sqlite3_close(db);
    return strcmp(out->integrity, "ok") || out->fk_rows || out->gaps ? -1
                                                                      : 0;
}
