/*
 * store.c - opening and closing the database: migrations, the writer's
 * connection, read connections, health, and online backup.
 *
 * Migrations are the numbered schema/NNN_*.sql files compiled into the
 * binary; each is applied once, in order, in its own transaction, and
 * recorded in schema_migrations.
 */
#include "common/log.h"
#include "common/mem.h"
#include "store/store_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_uint_fast64_t next_gen = 1;

static const char sql_migrations_table[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)";
static const char sql_migration_applied[] =
    "SELECT count(*) FROM schema_migrations WHERE name = :name";
static const char sql_migration_record[] =
    "INSERT INTO schema_migrations(name, applied_at) VALUES (:name, :now)";

static int apply_migration(struct store_conn *c,
                           const struct store_migration *m, int *applied,
                           struct err *err)
{
    struct err ignored = ERR_INIT;
    json_t *vals = json_pack("{s:s, s:I}", "name", m->name, "now",
                             (json_int_t)store__now());
    int64_t done = 0;
    int rc;

    rc = store__scalar(c, sql_migration_applied, vals, &done, err);
    if (rc == 0 && !done) {
        rc = store__exec(c, "BEGIN IMMEDIATE", err);
        if (rc == 0 && (rc = store__exec(c, m->sql, err)) == 0 &&
            (rc = store__run(c, sql_migration_record, vals, err)) == 0)
            rc = store__exec(c, "COMMIT", err);
        if (rc) {
            store__exec(c, "ROLLBACK", &ignored);
            log_error("store: migration %s failed: %s", m->name, err->msg);
        } else {
            log_info("store: applied migration %s", m->name);
            ++*applied;
        }
    }
    json_decref(vals);
    return rc;
}

static int migrate(struct store_conn *c, int *applied, struct err *err)
{
    *applied = 0;
    if (store__exec(c, sql_migrations_table, err))
        return err->rc;
    for (size_t i = 0; i < store_nmigrations; i++)
        if (apply_migration(c, &store_migrations[i], applied, err))
            return err->rc;
    return 0;
}

int store_open(const char *path, struct store **out, int *applied,
               struct err *err)
{
    struct store *s = xcalloc(1, sizeof *s);
    int n = 0;

    s->path = xstrdup(path);
    s->gen = atomic_fetch_add(&next_gen, 1);
    pthread_mutex_init(&s->readers_mu, NULL);
    if (store__conn_open(path, 0, &s->wconn, err) ||
        migrate(s->wconn, &n, err) ||
        store__epoch_begin_if_restored(s->wconn, err) ||
        store__writer_start(s, err)) {
        store__conn_close(s->wconn);
        pthread_mutex_destroy(&s->readers_mu);
        free(s->path);
        free(s);
        return err->rc;
    }
    if (applied)
        *applied = n;
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    struct err ignored = ERR_INIT;

    if (!s)
        return;
    store__writer_stop(s);
    for (size_t i = 0; i < s->nreaders; i++)
        store__conn_close(s->readers[i]);
    free(s->readers);
    store__exec(s->wconn, "PRAGMA wal_checkpoint(TRUNCATE)", &ignored);
    store__conn_close(s->wconn);
    pthread_mutex_destroy(&s->readers_mu);
    free(s->path);
    free(s);
}

static const char sql_ping[] = "SELECT count(*) FROM schema_migrations";

int store_ping(struct store *s, struct err *err)
{
    struct store_conn *c = store__reader(s, err);
    int64_t n;

    if (!c || store__scalar(c, sql_ping, NULL, &n, err))
        return err_set(err, ERR_UNAVAILABLE, "database_unavailable", NULL,
                       "the database does not answer: %s", err->msg);
    return 0;
}

static const char sql_initialized[] =
    "SELECT (SELECT count(*) FROM server_keys) > 0"
    " AND (SELECT count(*) FROM users WHERE role = 'admin') > 0";

int store_is_initialized(struct store *s)
{
    struct err err = ERR_INIT;
    struct store_conn *c = store__reader(s, &err);
    int64_t yes = 0;

    return c && store__scalar(c, sql_initialized, NULL, &yes, &err) == 0 &&
           yes;
}

int store_backup(struct store *s, const char *dest_path, struct err *err)
{
    struct store_conn *src = store__reader(s, err), *dst;
    int rc;

    if (!src || store__conn_open(dest_path, 0, &dst, err))
        return err->rc ? err->rc : ERR_STORAGE;
    rc = store__copy(src, dst, err);
    /* the copy knows it is one: opened again, it starts a new epoch */
    if (rc == 0)
        rc = store__epoch_mark_backup(dst, err);
    store__conn_close(dst);
    return rc;
}
