/*
 * store.h - the storage interface: everything the server keeps, and the only
 * door to it.
 *
 * SQLite in WAL mode behind this header; a second backend would implement
 * the same functions.  Reads run on a per-thread read connection; every
 * write goes through one writer thread that commits concurrent writes
 * together (group commit, synchronous=FULL): a write function returning 0
 * means the change is on disk.
 *
 * Rows travel as "normalized" jansson objects (see jparse.h): column name to
 * value, instants as Unix seconds.  Returned objects belong to the caller.
 *
 * Its files are of four kinds (docs/ARCHITECTURE.md, "Inside
 * server/store/"): plumbing (store.c, store_conn.c, store_writer.c,
 * store_sql.c, store_record.c, store_crud.c); event effects, run inside a
 * job event's transaction and never applying one (store_job_effects.c,
 * store_parts.c, store_visits.c, store_warranty.c, store_quotes.c,
 * store_signoff.c); one-transaction use cases, the only callers of
 * store__job_apply() (store_job.c, store_booking.c, store_sync.c,
 * store_links.c, store_quote_links.c, store_assign.c, store_plans.c,
 * store_stock_events.c, store_quote_expiry.c, store_devices.c,
 * store_invoices.c, store_company.c, store_auth.c); and read models
 * (store_board.c, store_changes.c, store_slots.c, store_job_record.c,
 * store_reports.c, store_entitlement.c, store_stats.c).
 */
#ifndef FSD_STORE_H
#define FSD_STORE_H

#include "common/err.h"
#include "common/tz.h"
#include "model/resource.h"
#include "rules/company.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Who is making a change, for the audit trail. */
struct actor {
    int64_t user_id;    /* 0 for the system or a command-line tool */
    const char *name;   /* username or "system" */
    const char *reason; /* optional, NULL when none */
    /* when the action happened, if not now: a device's action uploaded
     * later (rules/device_time.h), with the note of a bound that clamped
     * it; the audit event keeps both times */
    int64_t occurred_at;
    const char *time_note;
};

struct user {
    int64_t id;
    char username[65];
    char role[16];            /* admin, dispatcher, manager */
    int must_change_password; /* one-time password still in use */
    int active;
    char password_hash[128];  /* only filled by store_user_by_name */
};

/* --- lifecycle (store.c) --- */

/*
 * Open or create the database at path, apply pending migrations and start
 * the writer.  *applied (may be NULL) gets the number of migrations applied.
 */
int store_open(const char *path, struct store **out, int *applied,
               struct err *err);
/* Finish queued writes, checkpoint the WAL and close. NULL is a no-op. */
void store_close(struct store *s);
/* 0 when the database answers a query. */
int store_ping(struct store *s, struct err *err);
/* Online backup to dest_path (overwritten), marked as a backup: opened
 * again, it starts a new epoch (store_epoch.c). */
int store_backup(struct store *s, const char *dest_path, struct err *err);
/* Copy the backup at backup_path over the database at db_path (which no
 * server may have open) and mark it, so that opening it starts a new
 * epoch.  ERR_INVALID not_a_backup when it is not an fsd database. */
int store_restore(const char *backup_path, const char *db_path,
                  struct err *err);
#define STORE_EPOCH_BYTES 16
/* The database's epoch (proto/PROTOCOL.md section 12). */
int store_epoch(struct store *s, unsigned char epoch[STORE_EPOCH_BYTES],
                struct err *err);
/* 1 once `init` has created keys and an admin user. */
int store_is_initialized(struct store *s);

/* --- group commit statistics (store_writer.c) --- */

#define STORE_BATCH_BUCKETS 12 /* batch sizes <=1, <=2, <=4, ... <=1024, more  \
                                */
struct store_batch_stats {
    uint64_t batches;                      /* committed transactions */
    uint64_t ops;                          /* write requests in them */
    uint64_t max_batch;                    /* largest batch so far */
    uint64_t buckets[STORE_BATCH_BUCKETS]; /* histogram of batch sizes */
};
void store_batch_stats(struct store *s, struct store_batch_stats *out);
/* Test seam: while held, the writer takes no new batch. */
void store_writer_hold(struct store *s, int hold);
/* Write requests queued and not yet taken by the writer. */
int store_writer_pending(struct store *s);

/* --- resources: generic create/read/update/delete (store_crud.c) --- */

int store_res_create(struct store *s, const struct resource *res,
                     const json_t *vals, const struct actor *who,
                     json_t **row, struct err *err);
int store_res_get(struct store *s, const struct resource *res, int64_t id,
                  json_t **row, struct err *err);
/*
 * Rows with id > cursor matching filters, at most limit, ascending by id.
 * *next_cursor is the last id when more rows may follow, else 0.
 */
int store_res_list(struct store *s, const struct resource *res,
                   const json_t *filters, int64_t cursor, int limit,
                   json_t **rows, int64_t *next_cursor, struct err *err);
int store_res_update(struct store *s, const struct resource *res, int64_t id,
                     const json_t *patch, const struct actor *who,
                     json_t **row, struct err *err);
int store_res_delete(struct store *s, const struct resource *res, int64_t id,
                     const struct actor *who, struct err *err);

/* --- the company profile (store_company.c) --- */


/* The company profile: one read of one row, cheap enough for every
 * request that shows a price or the company's name. */
int store_company_get(struct store *s, struct company *out, struct err *err);
/*
 * Change the fields present in patch (normalized: "name", "timezone",
 * "currency", each already valid; see company.h), audited as who's
 * "update" of the "company" with the patch as its detail.  *out gets the
 * profile as stored.
 */
int store_company_update(struct store *s, const json_t *patch,
                         const struct actor *who, struct company *out,
                         struct err *err);

/* --- staff accounts, sessions, API tokens, keys (store_auth.c) --- */

int store_user_create(struct store *s, const char *username,
                      const char *role, const char *password_hash,
                      int must_change, const struct actor *who,
                      int64_t *id, struct err *err);
int store_user_by_name(struct store *s, const char *username,
                       struct user *out, struct err *err);
/* Set a new password hash, clear must_change_password, end other sessions. */
int store_user_set_password(struct store *s, int64_t user_id,
                            const char *password_hash,
                            const unsigned char keep_session[32],
                            const struct actor *who, struct err *err);
/* A one-time password hash set by an administrator outside the API: it
 * must be replaced at the next login; every session of the user ends. */
int store_user_reset_password(struct store *s, int64_t user_id,
                              const char *password_hash,
                              const struct actor *who, struct err *err);
int store_session_create(struct store *s, const unsigned char hash[32],
                         int64_t user_id, int64_t now, int64_t expires_at,
                         struct err *err);
/* The active user owning an unexpired session; ERR_UNAUTHORIZED if none. */
int store_session_user(struct store *s, const unsigned char hash[32],
                       int64_t now, struct user *out, struct err *err);
int store_session_delete(struct store *s, const unsigned char hash[32],
                         struct err *err);
int store_token_create(struct store *s, int64_t user_id, const char *name,
                       const unsigned char hash[32], const struct actor *who,
                       int64_t *id, struct err *err);
/* The active user owning an unrevoked API token; ERR_UNAUTHORIZED if none. */
int store_token_user(struct store *s, const unsigned char hash[32],
                     struct user *out, struct err *err);
/* Record a server key's public half; its secret is in the key file
 * (sync/keyfile.h), never in the database. */
int store_key_create(struct store *s, const char *purpose,
                     const char *key_id, const unsigned char pk[32],
                     struct err *err);
/* The secret keys a database from before the key file still holds
 * ([{key_id, secret_key}], empty when none or no database), read before
 * it is opened (and migrated) so that they can move to the key file. */
int store_legacy_secret_keys(const char *db_path, json_t **keys,
                             struct err *err);

/* --- the job lifecycle (store_job.c) --- */

struct job_event_req {
    int event;              /* enum job_event */
    unsigned role;          /* one enum job_role bit: who causes it */
    int64_t technician_id;  /* assign / reassign: the technician, else 0 */
    int64_t version;        /* expected job version, 0 for any */
    const json_t *payload;  /* the event's normalized fields (job_input.c):
                               findings, quote lines, visit outcome, parts
                               used, sign-off...; NULL for none */
    int by_staff;           /* recorded by a dispatcher or manager, who may
                               override the warranty rule with a reason */
    int64_t quote_ttl;      /* seconds a quote issued now stays open;
                               0 for QUOTE_TTL_SECONDS */
};

/*
 * Apply an event to job id through the state machine (job.c), atomically
 * with the version bump, the change log and the audit event (who->reason
 * is recorded).  *row gets the job as stored.
 */
int store_job_event(struct store *s, int64_t id,
                    const struct job_event_req *req, const struct actor *who,
                    json_t **row, struct err *err);
/*
 * Expire every pending quote whose time ran out by now: each job goes
 * quoted -> quote_expired -> returned_unrepaired as system events, its
 * parts released.  *expired gets how many (may be NULL).
 */
int store_quotes_expire(struct store *s, int64_t now, int *expired,
                        struct err *err);
/*
 * Everything recorded on job id besides its fields: {"warranty",
 * "quotes", "visits" (each with "parts_used"), "sign_offs", "invoice"}.
 */
int store_job_record(struct store *s, int64_t id, json_t **out,
                     struct err *err);
/* The signature bytes of sign-off sign_off_id of job job_id as a JSON
 * string of that length (caller's); ERR_NOT_FOUND when there is none. */
int store_signature(struct store *s, int64_t job_id, int64_t sign_off_id,
                    json_t **out, struct err *err);
/* A manager approves part line line_id of job id (needs_approval parts);
 * a job waiting for parts then tries to reserve them.  *row: the job. */
int store_job_part_approve(struct store *s, int64_t id, int64_t line_id,
                           const struct actor *who, json_t **row,
                           struct err *err);
/* Record payment of job id's invoice; *invoice gets it as stored. */
int store_invoice_pay(struct store *s, int64_t job_id, const char *reference,
                      const struct actor *who, json_t **invoice,
                      struct err *err);
/*
 * The maintenance-visit entitlement of customer id in the calendar year
 * (UTC) containing now: units held, largest purchase, visits used.
 */
/* The skills earlier jobs on asset_id's model needed, most used first:
 * {"model", "skills": [{"skill", "level", "jobs"}]} (store_model_skills.c);
 * ERR_NOT_FOUND for no such asset. */
int store_model_skills(struct store *s, int64_t asset_id, json_t **out,
                       struct err *err);
int store_customer_entitlement(struct store *s, int64_t id, int64_t now,
                               json_t **out, struct err *err);

/* The job's audit trail, oldest first; ERR_NOT_FOUND for no such job. */
int store_job_timeline(struct store *s, int64_t id, json_t **events,
                       struct err *err);

/*
 * Deadlines due before until, soonest first (at most limit): each
 * {"id", "deadline": "respond_by"|"on_site_by", "due_at", "job": {...}}.
 */
int store_jobs_at_risk(struct store *s, int64_t until, int limit,
                       json_t **risks, struct err *err);

/*
 * Add quantity of a part to stock at location; at the warehouse, waiting
 * jobs that can now reserve all their parts move to parts_reserved.
 * *jobs_reserved gets their ids (caller owns the array).
 */
int store_part_receive(struct store *s, int64_t part_id,
                       const char *location, int64_t quantity,
                       const struct actor *who, json_t **jobs_reserved,
                       struct err *err);

/*
 * The summary report over jobs created in [from, to): {"totals": {...},
 * "by_status": [...], "by_technician": [...], "ratings_by_day": [...],
 * "parts_by_part": [...]} (store_reports.c).
 */
int store_report_summary(struct store *s, int64_t from, int64_t to,
                         json_t **out, struct err *err);

/* --- devices (store_devices.c) --- */

/* Record a one-time enrollment code (its BLAKE2b-256 hash) for an active
 * technician, valid ttl seconds; *expires_at gets its expiry. */
int store_enrollment_code_create(struct store *s, int64_t technician_id,
                                 const unsigned char hash[32], int64_t ttl,
                                 const struct actor *who, int64_t *expires_at,
                                 struct err *err);

struct device_enrollment {
    const unsigned char *code_hash; /* 32 bytes */
    const unsigned char *sign_pk;   /* Ed25519, 32 bytes */
    const unsigned char *box_pk;    /* X25519, 32 bytes */
    const char *key_id, *name;
    int64_t device_id, technician_id; /* set on success */
};
/* Spend the code and record the device, atomically; ERR_INVALID
 * invalid_code for an unknown, spent or expired code. */
int store_device_enroll(struct store *s, struct device_enrollment *e,
                        struct err *err);

#define SIGNING_KEYS_MAX 8
struct signing_keys {
    uint64_t version; /* the keyset version: bundle-signing keys ever made */
    size_t n;
    struct {
        char key_id[17];
        unsigned char pk[32];
    } keys[SIGNING_KEYS_MAX]; /* newest first: keys[0] signs replies */
    int64_t created_at;       /* the newest key's */
};
/* The valid bundle-signing keys; ERR_UNAVAILABLE when there is none. */
int store_signing_keys(struct store *s, struct signing_keys *out,
                       struct err *err);
/*
 * Make the new key the only valid bundle-signing key and record the
 * keyset version's signed envelope, atomically; ERR_CONFLICT
 * keyset_changed when version is not the one after the current.
 */
int store_key_rotate(struct store *s, const char *key_id,
                     const unsigned char pk[32], uint64_t version,
                     const unsigned char *envelope, size_t len,
                     struct err *err);
/* The signed keysets after version, oldest first: an array of byte
 * strings (json_stringn_nocheck; caller owns). */
int store_keysets_after(struct store *s, uint64_t version, json_t **out,
                        struct err *err);

/* --- technician sync (store_sync.c) --- */

/* A device as the sync layer sees it. */
struct sync_device {
    int64_t id, technician_id;
    int64_t enrolled_at;
    int revoked;
    unsigned char sign_pk[32], box_pk[32];
    char key_id[17];
};
/* The device whose key has key_id; ERR_NOT_FOUND unknown_device if
 * none. */
int store_device_by_key(struct store *s, const char *key_id,
                        struct sync_device *out, struct err *err);

#define SYNC_NOTE (-1)
#define SYNC_PREREJECTED (-2)
#define SYNC_PARTS (-3) /* parts used on the open visit: {"parts_used"} */
#define SYNC_BAD_ID (-4) /* no valid mutation id: answered REJECTED
                            invalid_mutation_id, never remembered */
/* One uploaded technician action, mapped to a lifecycle event. */
struct sync_mutation {
    const char *mutation_id;
    int64_t job_id, base_version;
    int64_t device_time;    /* when the device says it happened; 0: none */
    const char *reason;     /* the event's reason (a customer's rejection
                               of the work), NULL for none */
    int event;              /* enum job_event, SYNC_NOTE, SYNC_PARTS,
                               or SYNC_PREREJECTED / SYNC_BAD_ID:
                               refused while parsing, the ack already
                               says why */
    const json_t *payload;  /* the event's fields, as job_input.c makes
                               them; {"text"} for a note */
    unsigned role;          /* 0: the technician's own; JR_CUSTOMER: the
                               customer's quote answer on the device */
};

/* What the server answers for one mutation. */
struct sync_ack {
    const char *mutation_id; /* the request's, as sent */
    char result[12];   /* "applied", "rejected", "conflict" */
    char code[48];
    char message[256];
    int64_t job_version;
};

/* The content of the bundle being answered, for the codec. */
struct sync_content {
    json_t *jobs;          /* job snapshots (with customer, asset, parts,
                              quote, history: store_sync_snapshot.c) */
    json_t *removed;       /* ids of jobs the device must drop */
    uint64_t checkpoint;   /* change-log seq covered */
    int has_more;
    int resync;            /* the device replaces every job it holds */
    unsigned char epoch[STORE_EPOCH_BYTES]; /* the database's */
    uint64_t bundle_seq;   /* this bundle's */
    unsigned char prev_hash[32];
    unsigned char hash[32]; /* set by build: BLAKE2b of the payload */
};

struct sync_batch {
    const struct sync_device *dev;
    uint64_t batch_seq, cursor;
    /* the epoch the device last saw (0 bytes: none yet); another than
     * the database's means it was restored since: the device resyncs */
    const unsigned char *epoch;
    size_t epoch_len;
    int other_epoch;       /* set by store_sync */
    unsigned char batch_hash[32]; /* BLAKE2b of the request payload */
    const struct sync_mutation *muts;
    size_t n;
    struct sync_ack *acks; /* n of them, filled in */
    int64_t quote_ttl;
    int max_changes;       /* change-log entries read for one bundle */
    size_t max_jobs;       /* snapshots and tombstones in one bundle */
    size_t max_bytes;      /* the reply's size */
    /* sign and seal the reply inside the transaction (sync.c) */
    int (*build)(void *arg, struct sync_content *content,
                 const struct sync_ack *acks, size_t n, unsigned char **reply,
                 size_t *len, struct err *err);
    void *arg;
    unsigned char *reply; /* out: the reply body (caller frees) */
    size_t reply_len;
    int replayed;         /* out: an exact retry answered from storage */
    uint64_t last_batch_seq; /* out: the device's last accepted batch */
};
/*
 * Apply a device's batch and answer it, in one transaction: replays of
 * the last batch get the stored reply; a batch_seq not above the last is
 * ERR_CONFLICT stale_batch; each mutation is applied once ever (its result
 * kept under its id); the reply and the device's sequence numbers are
 * stored before anything is acknowledged.
 */
int store_sync(struct store *s, struct sync_batch *b, struct err *err);
/* The stored reply to the device's last batch, issued again (a newer key,
 * a new expiry): stored with its hash, so that the chain goes on from it.
 * Nothing changes when batch_seq is no longer the last. */
int store_sync_reissue(struct store *s, int64_t device_id, uint64_t batch_seq,
                       const unsigned char *reply, size_t len,
                       const unsigned char hash[32], struct err *err);

/* --- the assignment engine's days and plans (store_assign.c,
 *     store_plans.c) --- */

/* The date (YYYY-MM-DD, TIMEFMT_DATE_LEN bytes) a job is planned on: its
 * window start's local date in the customer's time zone, today's when it
 * has no window.  ERR_NOT_FOUND for an unknown job. */
int store_job_plan_date(struct store *s, int64_t job_id, char *date,
                        struct err *err);
/* The rows of one date for day_problem_build(); job_id (0 for none) joins
 * whatever its status.  Caller owns *rows. */
int store_day_rows(struct store *s, const char *date, int64_t job_id,
                   json_t **rows, struct err *err);

struct manual_assign {
    int64_t job_id, technician_id;
    const char *date;  /* the day to check against; NULL: the job's */
    unsigned role;     /* enum job_role bit of the caller */
    int manager;       /* the caller may override the hard constraints */
    int override;      /* assign even when the rules say no (needs a
                          reason in who->reason) */
    int pin;           /* keep the job with this technician on re-plans */
    int64_t not_before; /* the freeze bound (day_problem_build()), 0: none */
};
/*
 * Assign (or reassign) a job by hand in one transaction: the technician's
 * verdict against the day as it stands (*verdict: {"feasible", "reason",
 * "message"}), then the lifecycle event.  ERR_CONFLICT
 * "assignment_infeasible" when a hard constraint fails and no override
 * was asked; ERR_FORBIDDEN "override_not_allowed" for a non-manager's
 * override; ERR_INVALID "missing_field" reason for an override or a
 * reassignment without a reason.
 */
int store_job_assign(struct store *s, const struct manual_assign *in,
                     const struct actor *who, json_t **row, json_t **verdict,
                     struct err *err);
/* Keep a dry run: *id gets the plan's id. */
int store_plan_save(struct store *s, const char *date,
                    const unsigned char fingerprint[32],
                    const json_t *proposal, const struct actor *who,
                    int64_t *id, struct err *err);
/* A kept plan: {"id", "date", "status", "proposal", "created_at",
 * "applied_at"}; ERR_NOT_FOUND when there is none. */
int store_plan_get(struct store *s, int64_t id, json_t **out,
                   struct err *err);
/*
 * Apply a kept plan in one transaction, every move and assignment as a
 * lifecycle event by role with who (the audit reason names the plan).
 * ERR_CONFLICT "plan_applied" when it was applied already, "plan_stale"
 * when the day changed since the dry run.  *applied gets the count.
 */
int store_plan_apply(struct store *s, int64_t id, unsigned role,
                     const struct actor *who, int *applied, struct err *err);

/* --- appointment slots (store_slots.c) --- */

/* The call-out fee of a job's visit on the day of instant at
 * (store_callout.c): due when the company has a fee and the repair's unit
 * is expected out of warranty then, for reason; accepted once a booking
 * took it. */
struct store_callout {
    int due, accepted;
    int64_t fee_minor;
    char currency[4];
    char reason[160];
};
int store_job_callout(struct store *s, int64_t job_id, int64_t at,
                      struct store_callout *out, struct err *err);
/* The rows of job_id's slot search over visits starting in [lo, hi), for
 * slot_problem_build(); ERR_NOT_FOUND for an unknown job.  Caller owns *out. */
int store_slot_rows(struct store *s, int64_t job_id, int64_t lo, int64_t hi,
                    json_t **out, struct err *err);

/* --- the dispatcher's board (store_board.c, store_changes.c) --- */

/* The rows of date's board (board_render() in board.c) for jobs meeting
 * [lo, hi), read in one snapshot with the change-log position "seq". */
int store_board_rows(struct store *s, const char *date, int64_t lo,
                     int64_t hi, json_t **out, struct err *err);
/* What changed after change-log position `after`, at most limit entries
 * on: {"seq" (the position read up to), "changes" [{"entity",
 * "entity_id"}] (each once), "more" (whether the log goes on)}. */
int store_changes_since(struct store *s, int64_t after, int limit,
                        json_t **out, struct err *err);
/* The sync conflicts devices raised on job id, oldest first;
 * ERR_NOT_FOUND for an unknown job. */
int store_job_conflicts(struct store *s, int64_t job_id, json_t **out,
                        struct err *err);
/* Mark conflict id resolved by who with note (audited on its job);
 * ERR_CONFLICT "already_resolved", ERR_NOT_FOUND.  *out: the conflict. */
int store_conflict_resolve(struct store *s, int64_t id, const char *note,
                           const struct actor *who, json_t **out,
                           struct err *err);

/* --- customers' links (store_links.c) --- */

/* A link to job_id for purpose ("booking" or "quote") whose token hashes
 * to hash, expiring at expires_at; *id gets its id.  ERR_NOT_FOUND for an
 * unknown job. */
int store_link_create(struct store *s, int64_t job_id, const char *purpose,
                      const unsigned char hash[32], int64_t expires_at,
                      const struct actor *who, int64_t *id, struct err *err);
/* Revoke link id; ERR_NOT_FOUND when there is no active one. */
int store_link_revoke(struct store *s, int64_t id, struct err *err);
/* The one answer to every token that finds nothing. */
#define STORE_LINK_INVALID \
    "this link is not valid: it may have expired; ask us for a new one"
/* The job behind a live link of purpose whose token hashes to hash:
 * {"link_id", "job_id", "expires_at", "kind", "fault", "status",
 * "duration_minutes", "window_start", "window_end", "customer_name",
 * "timezone"}.  ERR_NOT_FOUND with STORE_LINK_INVALID when there is none. */
int store_link_job(struct store *s, const unsigned char hash[32],
                   const char *purpose, json_t **out, struct err *err);

/*
 * The job behind a live quote link (hash) and its live quote:
 * {"job": store_link_job's row, "quote": {"status", "lines" (array),
 * "parts_minor", "labour_minor", "callout_minor", "total_minor",
 * "issued_at", "expires_at"}}.  ERR_CONFLICT "no_quote" before the job
 * has one.  (store_quote_links.c)
 */
int store_quote_link_view(struct store *s, const unsigned char hash[32],
                          json_t **out, struct err *err);
/*
 * Approve (approve 1) or decline the quote behind a live quote link as the
 * customer's event, with note as its reason (NULL for a default); *out
 * gets {"status" (the job's), "quote_status"}.  The quote rules' 409s
 * apply: no_pending_quote, quote_expired, unpaid_balance.
 */
int store_quote_link_answer(struct store *s, const unsigned char hash[32],
                            int approve, const char *note, json_t **out,
                            struct err *err);

struct slot_problem_want;
/* What a customer does with a booking link. */
enum store_booking_act {
    STORE_BOOK_CONFIRM,    /* book the window starting at start */
    STORE_BOOK_RESCHEDULE, /* give the booked one back, book another */
    STORE_BOOK_CANCEL,     /* give the booked one back, cancel the job */
    STORE_BOOK_HOLD        /* keep a window STORE_HOLD_SECONDS */
};
#define STORE_HOLD_SECONDS 600
/*
 * Act on the job behind a live booking link (hash), in one transaction on
 * the writer.  Confirm: the slot search runs again with want, the
 * window's technician is held by an appointment (a trigger refuses
 * overlapping ones) and the job is booked as the customer's event (which
 * needs accept_callout when the visit carries a call-out fee); *out
 * gets {"window_start", "window_end", "status"}.  ERR_CONFLICT
 * "slot_taken" when the window is no longer offered.  Reschedule gives the
 * booked appointment back first, in the same transaction.  Cancel gives it
 * back and cancels the job; *out gets the job's row.  Hold keeps the
 * window's technician from other jobs without booking; *out gets
 * {"window_start", "window_end", "held_until"}; ERR_CONFLICT
 * "not_bookable" for a job past booking.  Every act drops the job's own
 * hold.  The state machine's 409s apply.
 */
struct store_booking_want {
    int64_t start;      /* the window wanted (confirm, reschedule, hold) */
    int accept_callout; /* the customer accepts the visit's call-out fee */
};
int store_booking_change(struct store *s, const unsigned char hash[32],
                         enum store_booking_act act,
                         const struct store_booking_want *bw,
                         const struct slot_problem_want *want, json_t **out,
                         struct err *err);

/* --- figures for /metrics (store_stats.c) --- */

/* Calls fn(status, count, arg) for every job status present. */
int store_jobs_by_status(struct store *s,
                         void (*fn)(const char *status, int64_t count,
                                    void *arg),
                         void *arg, struct err *err);

#endif
