/*
 * client_int.h - what the SDK's modules share: the client, its local
 * store (client_store*.c, the only files with SQL), the transport
 * (client_http.c), sync (client_sync.c) and the bundle checks
 * (client_apply.c).
 */
#ifndef FSD_CLIENT_INT_H
#define FSD_CLIENT_INT_H

#include "fsd.pb-c.h"
#include "fsd_client.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define CLIENT_MAX_REPLY (8L << 20) /* the device's size cap */
#define CLIENT_MIN_REPLY 4096       /* the least a device may ask for */
#define CLIENT_MAX_BATCH 100
#define CLIENT_SENT_KEEP_SECONDS (7 * 86400) /* applied mutations kept */
#define CLIENT_EPOCH_BYTES 16
#define CLIENT_LEFT_EPOCHS 32 /* epochs remembered as left */
#define CLIENT_STMTS 48       /* prepared statements kept */

struct fsd_client {
    sqlite3 *db;
    char err[512];
    int attempts;
    long base_ms;
    char ca_file[512]; /* PEM certificates TLS servers must chain to; "" the
                          system's */
    uint32_t max_bundle_bytes, max_jobs; /* asked of the server; 0: its
                                            defaults */
    /* the last SyncError: its code and, with stale_batch, the server's
     * last accepted batch */
    char refusal[48];
    uint64_t server_batch_seq;
    /* prepared statements, kept for the client's life (client_prepare) */
    struct {
        const char *sql; /* static text: its address is the key */
        sqlite3_stmt *st;
    } stmts[CLIENT_STMTS];
    size_t nstmts;
    void *curl;       /* one libcurl handle: its connection is reused */
    long connects;    /* TCP connections opened by the last requests */
};

/* The largest reply this device takes: what it asked for (4096 at the
 * least, as the server counts it), else 8 MiB. */
size_t client_reply_cap(const fsd_client *c);

/* Set c's error and return rc. */
int client_fail(fsd_client *c, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* client_store.c: the local SQLite store */
int client_store_open(fsd_client *c, const char *path);
int client_exec(fsd_client *c, const char *sql);
/* The prepared statement for sql, static text (NULL with c's error
 * set): prepared once and kept for the client's life; give it back with
 * client_release() (or client_done(), which steps a write to completion
 * first: FSD_OK or FSD_ERR_IO).  Not for a statement that stays open
 * while a caller's callback runs. */
sqlite3_stmt *client_prepare(fsd_client *c, const char *sql);
void client_release(fsd_client *c, sqlite3_stmt *st);
int client_done(fsd_client *c, sqlite3_stmt *st);
/* Finalize every kept statement (before the database closes). */
void client_statements_close(fsd_client *c);
/* Local writes the technician did are durable at their commit (a dead
 * battery loses none); the sync's own state is synced by the WAL's
 * checkpoints only, since the server makes a lost one good again. */
int client_durable_begin(fsd_client *c);
int client_durable_commit(fsd_client *c);
int64_t client_meta_int(fsd_client *c, const char *key);
int client_meta_set_int(fsd_client *c, const char *key, int64_t v);
/* Copy the blob into buf (at most size bytes); its length, or -1. */
long client_meta_blob(fsd_client *c, const char *key, void *buf,
                      size_t size);
int client_meta_set_blob(fsd_client *c, const char *key, const void *b,
                         size_t n);
int client_meta_del(fsd_client *c, const char *key);
/* A copy (malloc'd) of a meta blob; FSD_ERR_STATE when there is none. */
int client_meta_bytes(fsd_client *c, const char *key, uint8_t **out,
                      size_t *len);
/* client_store_read.c: job job's snapshot on the device into *out,
 * unpacked (caller frees with fsd__v1__job__free_unpacked), NULL when it
 * has none (FSD_OK; FSD_ERR_IO when the store fails); a view of one
 * (pointing into it). */
int client_job_load(fsd_client *c, uint64_t job, Fsd__V1__Job **out);
void client_job_view(const Fsd__V1__Job *j, struct fsd_job_view *v);
/* The version of job on the device, 0 when it has none. */
uint64_t client_job_version(fsd_client *c, uint64_t job);
/* The oldest pending outbox items, unpacked (caller frees), at most max. */
size_t client_outbox_pending(fsd_client *c, Fsd__V1__Mutation **muts,
                             size_t max);
/* client_store_bundle.c: a bundle's writes (inside its transaction) */
int client_job_put(fsd_client *c, const Fsd__V1__Job *j);
int client_job_drop(fsd_client *c, uint64_t id);
/* A new enrollment of a store whose old one the server lost (its
 * refusal said unknown_device or device_revoked): the old chain and jobs
 * go, the outbox stays; when the server forgot the device (a restored
 * database), the mutations it had applied go back into the outbox too. */
int client_enrollment_renewed(fsd_client *c, int forgotten);
/* Drop every job held (a resync replaces them). */
int client_jobs_clear(fsd_client *c);
/* Forget applied mutations acknowledged more than a week ago. */
int client_sent_purge(fsd_client *c);
/* A new epoch (the server's database was restored): every mutation
 * applied in the last week, and every conflict, back in the outbox
 * before the newer ones, to be sent again (PROTOCOL.md section 12). */
int client_sent_requeue(fsd_client *c);
int client_outbox_ack(fsd_client *c, const Fsd__V1__Ack *a,
                      struct fsd_sync_result *res);
/* Queue a mutation (its kind set by the caller) for job. */
int client_outbox_add(fsd_client *c, Fsd__V1__Mutation *m, const char *kind);

/* client_http.c: the client's libcurl handle and its connection, closed. */
void client_http_close(fsd_client *c);
/* client_http.c: POST body to url as protobuf (GET when body is NULL);
 * *status and *reply (malloc'd) on success; FSD_ERR_NETWORK on transport
 * failure. */
int client_post(fsd_client *c, const char *url, const uint8_t *body,
                size_t len, long *status, uint8_t **reply,
                size_t *reply_len);
/* The SyncError in a refused reply as "code: message" into c's error;
 * returns FSD_ERR_REFUSED or, for 429 and 5xx, FSD_ERR_NETWORK. */
int client_refused(fsd_client *c, long status, const uint8_t *reply,
                   size_t len);

/* client_keys.c: follow the server's key rotation from the pinned keyset
 * to the newest, verifying each step; FSD_OK when a newer key is pinned. */
int client_walk_keysets(fsd_client *c);

/* client_apply.c: check a bundle in protocol order and apply it in one
 * local transaction; *more gets its has_more. */
int client_apply_bundle(fsd_client *c, const uint8_t *reply, size_t len,
                        struct fsd_sync_result *res, int *more);

#endif
