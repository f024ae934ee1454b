/*
 * test_signing_keys.c - custody of the bundle-signing secret keys
 * (server/sync/keyfile.c, signing_keys.c, schema/018_secret_keys_out.sql):
 * a database from before the key file gives its secrets to the key file
 * and keeps none, not even in freed pages; the key file is refused when
 * others may read it or when a line is not a key; keys are added once,
 * written whole with mode 600; a new database's key exists only in the key
 * file.
 */
#define _GNU_SOURCE
#include "common/sec.h"
#include "config.h"
#include "store/store_int.h"
#include "sync/keyfile.h"
#include "sync/signing_keys.h"
#include "testutil.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *dir;
static char db[400], keys[420];
static struct config cfg;

static void setup(void)
{
    struct err err = ERR_INIT;

    ck_assert_int_eq(sec_init(&err), 0);
    dir = tu_tempdir();
    snprintf(db, sizeof db, "%s/fsd.db", dir);
    snprintf(keys, sizeof keys, "%s.keys", db);
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.db, sizeof cfg.db, "%s", db);
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
}

/* 1 when the file at path holds the n bytes at b anywhere. */
static int file_holds(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long size;
    int found;

    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    data = malloc((size_t)size + 1);
    ck_assert_int_eq(fread(data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    found = memmem(data, (size_t)size, b, n) != NULL;
    free(data);
    return found;
}

/* A database as fsd made it before the key file: migrations up to 017,
 * the secret in server_keys. */
static void legacy_database(const char *key_id, const unsigned char pk[32],
                            const unsigned char sk[64])
{
    sqlite3 *h;
    sqlite3_stmt *st;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h,
                                  "PRAGMA journal_mode=WAL;"
                                  " CREATE TABLE schema_migrations ("
                                  " name TEXT PRIMARY KEY, applied_at"
                                  " INTEGER NOT NULL)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    for (size_t i = 0;
         i < store_nmigrations && strcmp(store_migrations[i].name, "018") < 0;
         i++) {
        char record[200];
        ck_assert_int_eq(
            sqlite3_exec(h, store_migrations[i].sql, NULL, NULL, NULL),
            SQLITE_OK);
        snprintf(record, sizeof record,
                 "INSERT INTO schema_migrations VALUES ('%s', 0)",
                 store_migrations[i].name);
        ck_assert_int_eq(sqlite3_exec(h, record, NULL, NULL, NULL), SQLITE_OK);
    }
    ck_assert_int_eq(sqlite3_prepare_v2(h,
                                        "INSERT INTO server_keys(purpose,"
                                        " key_id, public_key, secret_key,"
                                        " created_at) VALUES"
                                        " ('bundle_signing', ?1, ?2, ?3,"
                                        " 0)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, key_id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, pk, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, sk, 64, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(h);
}

START_TEST(legacy_secrets_move_to_the_key_file)
{
    struct err err = ERR_INIT;
    unsigned char pk[32], sk[64], got[64];
    char key_id[SEC_KEY_ID_TEXT], backup[440];
    struct keyring *ring = NULL;
    struct store *s;

    sec_sign_keypair(pk, sk, key_id);
    legacy_database(key_id, pk, sk);
    ck_assert(file_holds(db, sk, 64));
    ck_assert_int_eq(signing_keys_adopt(&cfg, &err), 0);
    ck_assert_int_eq(store_open(db, &s, NULL, &err), 0);
    /* the key file has it, and the server signs with it */
    ck_assert_int_eq(signing_keys_open(&cfg, s, &ring, &err), 0);
    ck_assert_int_eq(keyring_secret(ring, key_id, got, &err), 0);
    ck_assert_mem_eq(got, sk, 64);
    signing_keys_close(ring);
    snprintf(backup, sizeof backup, "%s/backup.db", dir);
    ck_assert_int_eq(store_backup(s, backup, &err), 0);
    store_close(s);
    /* neither the database nor its backup holds the secret or its seed */
    ck_assert(!file_holds(db, sk, 64));
    ck_assert(!file_holds(db, sk, 32));
    ck_assert(!file_holds(backup, sk, 32));
    /* opened again: nothing left to move */
    ck_assert_int_eq(signing_keys_adopt(&cfg, &err), 0);
}
END_TEST

START_TEST(a_new_databases_key_is_only_in_the_key_file)
{
    struct err err = ERR_INIT;
    char key_id[SEC_KEY_ID_TEXT], path[600], backup[440];
    struct keyring *ring = NULL;
    struct signing_keys current;
    unsigned char sk[64];
    struct store *s;
    struct stat st;

    s = tu_store_open(dir);
    ck_assert_int_eq(
        signing_keys_create(&cfg, s, key_id, path, sizeof path, &err), 0);
    ck_assert_str_eq(path, keys);
    ck_assert_int_eq(stat(keys, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(signing_keys_open(&cfg, s, &ring, &err), 0);
    ck_assert_int_eq(signing_keys_current(s, ring, &current, sk, &err), 0);
    ck_assert_str_eq(current.keys[0].key_id, key_id);
    signing_keys_close(ring);
    snprintf(backup, sizeof backup, "%s/backup.db", dir);
    ck_assert_int_eq(store_backup(s, backup, &err), 0);
    store_close(s);
    ck_assert(!file_holds(backup, sk, 32));
    ck_assert(!file_holds(db, sk, 32));
}
END_TEST

START_TEST(keys_are_added_once_and_written_whole)
{
    struct err err = ERR_INIT;
    unsigned char pk[32], a[64], b[64], got[64];
    char id_a[SEC_KEY_ID_TEXT], id_b[SEC_KEY_ID_TEXT];
    struct keyring ring;

    sec_sign_keypair(pk, a, id_a);
    sec_sign_keypair(pk, b, id_b);
    ck_assert_int_eq(keyfile_add(keys, id_a, a, &err), 0);
    ck_assert_int_eq(keyfile_add(keys, id_a, a, &err), 0);
    ck_assert_int_eq(keyfile_add(keys, id_b, b, &err), 0);
    ck_assert_int_eq(keyring_open(&ring, keys, &err), 0);
    ck_assert_uint_eq(ring.n, 2);
    ck_assert_int_eq(keyring_secret(&ring, id_b, got, &err), 0);
    ck_assert_mem_eq(got, b, 64);
    ck_assert_int_eq(keyring_secret(&ring, "0123456789abcdef", got, &err),
                     ERR_UNAVAILABLE);
    ck_assert_str_eq(err.code, "no_signing_key");
    keyring_close(&ring);
}
END_TEST

static void write_file(const char *text, mode_t mode)
{
    FILE *f = fopen(keys, "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    chmod(keys, mode);
}

START_TEST(a_key_file_is_refused_when_exposed_or_wrong)
{
    struct err err = ERR_INIT;
    struct keyring ring;

    write_file("# none yet\n", 0644);
    ck_assert_int_eq(keyring_open(&ring, keys, &err), ERR_FORBIDDEN);
    ck_assert_str_eq(err.code, "key_file_exposed");
    keyring_close(&ring);
    write_file("# a comment\n\nnot a key\n", 0600);
    err_clear(&err);
    ck_assert_int_eq(keyring_open(&ring, keys, &err), ERR_INVALID);
    ck_assert_str_eq(err.code, "bad_key_file");
    ck_assert_ptr_nonnull(strstr(err.msg, "line 3"));
    keyring_close(&ring);
    /* no file: no keys yet (a database still to be made) */
    remove(keys);
    err_clear(&err);
    ck_assert_int_eq(keyring_open(&ring, keys, &err), 0);
    ck_assert_uint_eq(ring.n, 0);
    keyring_close(&ring);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("signing_keys");
    TCase *tc = tcase_create("custody");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, legacy_secrets_move_to_the_key_file);
    tcase_add_test(tc, a_new_databases_key_is_only_in_the_key_file);
    tcase_add_test(tc, keys_are_added_once_and_written_whole);
    tcase_add_test(tc, a_key_file_is_refused_when_exposed_or_wrong);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
