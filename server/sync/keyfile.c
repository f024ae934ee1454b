/*
 * keyfile.c - the bundle-signing secret keys in their key file
 * (keyfile.h).
 */
#define _GNU_SOURCE
#include "sync/keyfile.h"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CREDENTIAL_NAME "fsd-signing-keys"

void keyfile_path(const struct config *cfg, char *out, size_t size)
{
    const char *creds = getenv("CREDENTIALS_DIRECTORY");
    char path[600];

    if (cfg->key_file[0]) {
        snprintf(out, size, "%s", cfg->key_file);
        return;
    }
    if (creds && creds[0]) {
        snprintf(path, sizeof path, "%s/" CREDENTIAL_NAME, creds);
        if (access(path, R_OK) == 0) {
            snprintf(out, size, "%s", path);
            return;
        }
    }
    snprintf(out, size, "%s.keys", cfg->db);
}

/* One "KEY_ID HEX" line into the ring's next slot. */
static int parse_line(struct keyring *ring, const char *line, int n,
                      struct err *err)
{
    char id[SEC_KEY_ID_TEXT + 1], hex[130];
    size_t len = 0;

    if (ring->n == KEYFILE_MAX_KEYS)
        return err_set(err, ERR_INVALID, "bad_key_file", NULL,
                       "%s: more than %d keys", ring->path, KEYFILE_MAX_KEYS);
    if (sscanf(line, "%17s %129s", id, hex) != 2 ||
        strlen(id) != SEC_KEY_ID_TEXT - 1 || strlen(hex) != 128 ||
        sodium_hex2bin(ring->keys[ring->n].sk, 64, hex, 128, NULL, &len,
                       NULL) != 0 ||
        len != 64)
        return err_set(err, ERR_INVALID, "bad_key_file", NULL,
                       "%s line %d: not \"KEY_ID HEX-SECRET\"", ring->path, n);
    snprintf(ring->keys[ring->n].key_id, SEC_KEY_ID_TEXT, "%s", id);
    ring->n++;
    sodium_memzero(hex, sizeof hex);
    return 0;
}

/* The file's keys into ring (none when it does not exist). */
static int read_file(struct keyring *ring, struct err *err)
{
    struct stat st;
    char line[256];
    FILE *f = fopen(ring->path, "r");
    int n = 0, rc = 0;

    ring->n = 0;
    if (!f)
        return errno == ENOENT
                   ? 0
                   : err_set(err, ERR_STORAGE, "key_file", NULL,
                             "cannot read %s: %s", ring->path, strerror(errno));
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
        fclose(f);
        return err_set(err, ERR_FORBIDDEN, "key_file_exposed", NULL,
                       "%s may be read by others than its owner: chmod 600"
                       " it (it holds the bundle-signing secret keys)",
                       ring->path);
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        n++;
        if (line[0] != '#' && line[strspn(line, " \t\r\n")] != '\0')
            rc = parse_line(ring, line, n, err);
    }
    sodium_memzero(line, sizeof line);
    fclose(f);
    return rc;
}

int keyring_open(struct keyring *ring, const char *path, struct err *err)
{
    memset(ring, 0, sizeof *ring);
    snprintf(ring->path, sizeof ring->path, "%s", path);
    pthread_mutex_init(&ring->mu, NULL);
    return read_file(ring, err);
}

void keyring_close(struct keyring *ring)
{
    sodium_memzero(ring->keys, sizeof ring->keys);
    pthread_mutex_destroy(&ring->mu);
}

static int find(const struct keyring *ring, const char *key_id)
{
    for (size_t i = 0; i < ring->n; i++)
        if (!strcmp(ring->keys[i].key_id, key_id))
            return (int)i;
    return -1;
}

/* Read the file again into ring; on failure ring keeps what it had. */
static int reload(struct keyring *ring, struct err *err)
{
    struct keyring *fresh = sodium_malloc(sizeof *fresh);
    int rc;

    if (!fresh)
        return err_set(err, ERR_INTERNAL, NULL, NULL, "out of memory");
    memcpy(fresh->path, ring->path, sizeof fresh->path);
    rc = read_file(fresh, err);
    if (rc == 0) {
        memcpy(ring->keys, fresh->keys, sizeof ring->keys);
        ring->n = fresh->n;
    }
    sodium_memzero(fresh->keys, sizeof fresh->keys);
    sodium_free(fresh);
    return rc;
}

int keyring_secret(struct keyring *ring, const char *key_id,
                   unsigned char sk[64], struct err *err)
{
    int i, rc = 0;

    pthread_mutex_lock(&ring->mu);
    if ((i = find(ring, key_id)) < 0 && (rc = reload(ring, err)) == 0)
        i = find(ring, key_id);
    if (i >= 0)
        memcpy(sk, ring->keys[i].sk, 64);
    pthread_mutex_unlock(&ring->mu);
    if (rc == 0 && i < 0)
        rc = err_set(err, ERR_UNAVAILABLE, "no_signing_key", NULL,
                     "the secret of bundle-signing key %s is not in %s", key_id,
                     ring->path);
    return rc;
}

/* Write ring's keys to a temporary file beside path, sync, rename. */
static int write_whole(const struct keyring *ring, struct err *err)
{
    char tmp[700], dir[600], hex[129];
    int fd, ok = 1;
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s.tmp", ring->path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        return err_set(err, ERR_STORAGE, "key_file", NULL,
                       "cannot write %s: %s", tmp, strerror(errno));
    }
    fprintf(f, "# fsd bundle-signing secret keys: KEY_ID SECRET (hex)\n");
    for (size_t i = 0; i < ring->n; i++) {
        sodium_bin2hex(hex, sizeof hex, ring->keys[i].sk, 64);
        ok = ok && fprintf(f, "%s %s\n", ring->keys[i].key_id, hex) > 0;
    }
    sodium_memzero(hex, sizeof hex);
    ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, ring->path) != 0) {
        unlink(tmp);
        return err_set(err, ERR_STORAGE, "key_file", NULL,
                       "cannot write %s: %s", ring->path, strerror(errno));
    }
    /* the rename itself is durable once the directory is synced */
    snprintf(dir, sizeof dir, "%s", ring->path);
    if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
    return 0;
}

int keyfile_add(const char *path, const char *key_id,
                const unsigned char sk[64], struct err *err)
{
    struct keyring *ring = sodium_malloc(sizeof *ring);
    int rc;

    if (!ring)
        return err_set(err, ERR_INTERNAL, NULL, NULL, "out of memory");
    rc = keyring_open(ring, path, err);
    if (rc == 0 && find(ring, key_id) < 0) {
        if (ring->n == KEYFILE_MAX_KEYS)
            rc = err_set(err, ERR_INVALID, "bad_key_file", NULL,
                         "%s holds %d keys already", path, KEYFILE_MAX_KEYS);
        else {
            snprintf(ring->keys[ring->n].key_id, SEC_KEY_ID_TEXT, "%s", key_id);
            memcpy(ring->keys[ring->n].sk, sk, 64);
            ring->n++;
            rc = write_whole(ring, err);
        }
    }
    keyring_close(ring);
    sodium_free(ring);
    return rc;
}
