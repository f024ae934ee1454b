/*
 * fsd_client.h - the device SDK of fsd: a technician's handheld keeps its
 * jobs and an outbox of actions in a local SQLite file, works offline, and
 * syncs with fsd-server over the signed protocol of proto/PROTOCOL.md.
 *
 * Ownership: every pointer passed in is borrowed for the call only; every
 * string handed to a callback is valid during the callback only.
 * Errors: functions return FSD_OK (0) or a negative fsd_status; the
 * human-readable reason is fsd_last_error(c) until the next call on c.
 * Threads: a client is thread-compatible, not thread-safe: use one client
 * per thread, or serialise calls on one client.  Different clients may
 * open different store files concurrently.
 */
#ifndef FSD_CLIENT_H
#define FSD_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fsd_client fsd_client;

typedef enum fsd_status {
    FSD_OK = 0,
    FSD_ERR_IO = -1,       /* the local store failed */
    FSD_ERR_NETWORK = -2,  /* transient: no connection, timeout, 5xx, 429;
                              nothing is lost, sync again later */
    FSD_ERR_REFUSED = -3,  /* the server refused the request (4xx); the
                              error names its code, e.g. device_revoked */
    FSD_ERR_VERIFY = -4,   /* a reply failed a check (signature, audience,
                              rollback, expiry...); nothing was applied */
    FSD_ERR_STATE = -5,    /* not enrolled, or already enrolled */
    FSD_ERR_INVALID = -6,  /* a bad argument */
} fsd_status;

/* Open (creating if needed) the store at path.  *out is NULL on error; a
 * message goes to errbuf (may be NULL). */
int fsd_open(const char *path, fsd_client **out, char *errbuf,
             size_t errlen);
void fsd_close(fsd_client *c);
const char *fsd_last_error(const fsd_client *c);

/* Trust TLS servers whose certificate chains to the PEM certificates in
 * path (a company's own CA, or a server's self-signed certificate)
 * instead of the system's store; NULL goes back to the system's. */
int fsd_set_ca_file(fsd_client *c, const char *path);

/* Transient failures are retried attempts times in one call (default 4)
 * with exponential backoff from base_ms (default 500) and full jitter. */
void fsd_set_retry(fsd_client *c, int attempts, long base_ms);

/* What this device can take in one bundle (PROTOCOL.md section 6): at
 * most max_bytes bytes (0: 8 MiB; less than 4096 counts as 4096) and
 * max_jobs jobs (0: the server's 500).  The server pages to fit; a job
 * that cannot fit alone fails the sync with too_large.  Not stored: set
 * it after every fsd_open. */
void fsd_set_bundle_limits(fsd_client *c, uint32_t max_bytes,
                           uint32_t max_jobs);

/* Enroll this store as a device with a one-time code.  A store already
 * enrolled may enroll again only once the server has refused it with
 * unknown_device (a database restored from before its enrollment) or
 * device_revoked: its outbox is kept and sent under the new enrollment
 * (after unknown_device, with what the lost database had applied). */
int fsd_enroll(fsd_client *c, const char *server_url, const char *code,
               const char *device_name);

struct fsd_sync_result {
    int bundles;      /* bundles applied */
    int acked;        /* outbox items the server acknowledged */
    int rejected;     /* of them, refused for good (kept, see outbox) */
    int conflicts;    /* of them, kept and flagged for a dispatcher */
    int jobs_changed; /* job snapshots received */
    int jobs_removed; /* tombstones applied */
    int connections;  /* TCP connections it opened (0: it reused one) */
};
/* Upload the outbox in order and pull changes until the server has no
 * more.  out may be NULL. */
int fsd_sync(fsd_client *c, struct fsd_sync_result *out);

/* --- technician actions: written to the outbox at once, offline --- */
int fsd_en_route(fsd_client *c, uint64_t job);
int fsd_arrive(fsd_client *c, uint64_t job);
int fsd_note(fsd_client *c, uint64_t job, const char *text);

struct fsd_findings {
    int liquid, impact, tampered, performance_fault;
};
/* replacement: 0 decides in_warranty, 1 replacement. */
int fsd_warranty(fsd_client *c, uint64_t job, int replacement,
                 const struct fsd_findings *f);

struct fsd_line {
    const char *kind; /* "part", "labour", "callout" */
    const char *description;
    unsigned quantity;
    int64_t unit_price_minor;
    uint64_t part_id; /* a part line's catalogue part, 0 for none: the
                         server reserves it once the customer approves */
};
int fsd_quote(fsd_client *c, uint64_t job, const struct fsd_findings *f,
              const struct fsd_line *lines, size_t n);

struct fsd_part_use {
    uint64_t part_id;
    unsigned quantity;
    const char *serial, *faulty_serial; /* may be NULL */
};
/* Parts used on the open visit (append-only), from the job's reservation. */
int fsd_parts_used(fsd_client *c, uint64_t job,
                   const struct fsd_part_use *parts, size_t nparts);
/* outcome: "completed", "customer_not_home", "parts_missing",
 * "needs_follow_up", "partly_done". */
int fsd_outcome(fsd_client *c, uint64_t job, const char *outcome,
                const char *notes, const struct fsd_part_use *parts,
                size_t nparts);
/* A line of labour done on the visit, charged out of warranty. */
struct fsd_labour {
    const char *description;
    unsigned quantity;          /* 1..1000 (hours, units of work) */
    int64_t unit_price_minor;   /* 0..the money limit */
};
/* fsd_outcome with the labour of the visit (nlabour 0..20). */
int fsd_outcome_labour(fsd_client *c, uint64_t job, const char *outcome,
                       const char *notes, const struct fsd_part_use *parts,
                       size_t nparts, const struct fsd_labour *labour,
                       size_t nlabour);
/* accepted 0: the customer rejects the work (reason in comment). */
int fsd_sign_off(fsd_client *c, uint64_t job, const char *customer_name,
                 unsigned rating, const uint8_t *png, size_t png_len,
                 const char *comment, int accepted);
/* The customer's sign-off (accepted) with the summary the device showed
 * them before they signed: summary_len bytes (1 to 16 KiB) of UTF-8 JSON,
 * an object whose keys the app chooses for display, with at least
 * "job_id" (this job) and "total_minor" (integers) and "currency"
 * (PROTOCOL.md section 7).  The SDK sends its BLAKE2b-256 hash with it;
 * the server refuses one of another shape (REJECTED invalid_summary) and
 * keeps it beside its own summary, noting whether the totals agree. */
int fsd_sign_off_summary(fsd_client *c, uint64_t job,
                         const char *customer_name, unsigned rating,
                         const uint8_t *png, size_t png_len,
                         const char *comment, const char *summary,
                         size_t summary_len);
/* The customer answers the job's pending quote on this device: approve 1
 * approves it, 0 declines it; customer_name is who answered (1 to 200
 * bytes), reason an optional note (at most 1000 bytes; NULL or "" for
 * none).  The server applies the quote link's rules when it receives it
 * (PROTOCOL.md section 7): an approval past the quote's expiry is
 * REJECTED quote_expired; an approval reserves the quote's catalogue
 * parts. */
int fsd_quote_answer(fsd_client *c, uint64_t job, int approve,
                     const char *customer_name, const char *reason);

/* --- reading the local store --- */
struct fsd_job_view {
    uint64_t id, version;
    const char *status, *kind, *fault, *customer, *address;
    int64_t window_start, window_end;
    /* the unit ("" when the job has none) and what the warranty rule
     * expects on the visit's day ("in_warranty", "out_of_warranty", or ""
     * when the server did not say), with why */
    const char *asset_model, *asset_serial, *purchase_date;
    unsigned warranty_months;
    const char *expected_warranty, *expected_warranty_reason;
    /* the IANA zone to show the job's times in and the ISO 4217 code of
     * its money (the company's; "" from a server that did not say), and
     * the call-out fee the customer accepted (0: none) */
    const char *timezone, *currency;
    int64_t callout_minor;
};
typedef void (*fsd_job_fn)(const struct fsd_job_view *job, void *arg);
/* Every job on the device, by window then id. */
int fsd_jobs(fsd_client *c, fsd_job_fn fn, void *arg);

/* A part line of a job. */
struct fsd_part_view {
    uint64_t part_id;
    const char *sku, *name, *state;
    unsigned quantity;
    int64_t price_minor; /* the part's list price, one unit */
};
/* A line of a job's quote. */
struct fsd_quote_line_view {
    const char *kind; /* "part", "labour", "callout" */
    const char *description;
    unsigned quantity;
    int64_t unit_price_minor;
    uint64_t part_id; /* 0: none */
};
/* An entry of a job's history. */
struct fsd_history_view {
    int64_t at;
    const char *kind; /* the event's name, "note", "parts_used", ... */
    const char *text; /* the note, or a short description */
    const char *by;   /* who: a name, "customer", "system", or "" */
};
/* One job with its parts, its quote and its history. */
struct fsd_job_detail {
    struct fsd_job_view job;
    const struct fsd_part_view *parts;
    size_t nparts;
    /* the live quote: status "" when the job has none; link "" unless
     * the server gave the customer's quote page */
    const char *quote_status, *quote_link;
    int64_t quote_total_minor, quote_expires_at;
    const struct fsd_quote_line_view *quote_lines;
    size_t nquote_lines;
    const struct fsd_history_view *history; /* the last 30, oldest first */
    size_t nhistory;
};
typedef void (*fsd_job_detail_fn)(const struct fsd_job_detail *job,
                                  void *arg);
/* Job job as the device holds it, passed to fn; FSD_ERR_INVALID when the
 * device does not hold it. */
int fsd_job_detail(fsd_client *c, uint64_t job, fsd_job_detail_fn fn,
                   void *arg);

struct fsd_outbox_view {
    int64_t seq;
    const char *mutation_id, *kind;
    uint64_t job;
    const char *state;   /* "pending", "rejected", "conflict" */
    const char *code, *message;
};
typedef void (*fsd_outbox_fn)(const struct fsd_outbox_view *item,
                              void *arg);
/* Pending items in upload order, then the ones the server refused. */
int fsd_outbox(fsd_client *c, fsd_outbox_fn fn, void *arg);

/* The part id of the job's part line with sku; FSD_ERR_INVALID when the
 * job on the device has no such line. */
int fsd_job_part_id(fsd_client *c, uint64_t job, const char *sku,
                    uint64_t *part_id);

/* This device's id and technician, 0 when not enrolled. */
uint64_t fsd_device_id(const fsd_client *c);
uint64_t fsd_technician_id(const fsd_client *c);

#ifdef __cplusplus
}
#endif

#endif
