/*
 * sync.c - POST /sync/v1/sync: a device uploads its technician's actions
 * and receives the changes to its jobs (proto/PROTOCOL.md section 6).
 *
 * The envelope is verified with the device's enrolled key before the
 * request is parsed.  Each mutation becomes the body of a lifecycle event
 * and is validated by the same field tables as the staff API
 * (job_input.c), except notes, parts used and the customer's quote
 * answer, which have no staff body and are checked here; one that does not
 * validate is answered REJECTED with the field's error, not failed as a
 * whole batch.  The store applies the batch and stores the signed reply in
 * one transaction (store_sync.c).
 */
#include "api/api.h"
#include "api/job_input.h"
#include "app.h"
#include "common/envelope.h"
#include "common/mem.h"
#include "common/sec.h"
#include "config.h"
#include "rules/job.h"
#include "rules/shown_summary.h"
#include "sync/codec.h"
#include "sync/pbtext.h"
#include "sync/signing_keys.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYNC_TYPE "fsd.v1.SyncRequest"
#define MAX_MUTATIONS 100
#define MAX_MUTATION_ID 64 /* bytes */
#define MAX_NOTE 4000       /* bytes of a note's text */
#define MAX_ANSWER_NAME 200 /* bytes of who answered a quote */
#define MAX_ANSWER_REASON 1000
#define MAX_CHANGES 500
#define BUNDLE_MAX_BYTES (8u << 20) /* a device's default limit */
#define BUNDLE_MIN_BYTES 4096u

static json_t *findings(const Fsd__V1__Findings *f)
{
    return json_pack("{s:b, s:b, s:b, s:b}", "liquid", f && f->liquid,
                     "impact", f && f->impact, "tampered", f && f->tampered,
                     "performance_fault", f && f->performance_fault);
}

static json_t *part_uses(Fsd__V1__PartUse **p, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *u = json_pack("{s:I, s:i}", "part_id",
                              (json_int_t)p[i]->part_id, "quantity",
                              (int)p[i]->quantity);
        if (p[i]->serial[0])
            json_object_set_new(u, "serial", json_string(p[i]->serial));
        if (p[i]->faulty_serial[0])
            json_object_set_new(u, "faulty_serial",
                                json_string(p[i]->faulty_serial));
        json_array_append_new(arr, u);
    }
    return arr;
}

static const char *const outcome_names[] = {
    "", "completed", "customer_not_home", "parts_missing", "needs_follow_up",
    "partly_done"};

static json_t *outcome_body(const Fsd__V1__VisitOutcome *o)
{
    json_t *labour = json_array();
    json_t *body = json_pack(
        "{s:s, s:s, s:o}", "event",
        o->outcome == FSD__V1__VISIT_OUTCOME__OUTCOME__COMPLETED
            ? "complete_work"
            : "need_follow_up",
        "notes", o->notes, "parts_used", part_uses(o->parts, o->n_parts));

    for (size_t i = 0; i < o->n_labour; i++)
        json_array_append_new(
            labour, json_pack("{s:s, s:i, s:I}", "description",
                              o->labour[i]->description, "quantity",
                              (int)o->labour[i]->quantity, "unit_price_minor",
                              (json_int_t)o->labour[i]->unit_price_minor));
    json_object_set_new(body, "labour", labour);
    if (o->outcome != FSD__V1__VISIT_OUTCOME__OUTCOME__COMPLETED)
        json_object_set_new(body, "outcome",
                            json_string((unsigned)o->outcome < 6
                                            ? outcome_names[o->outcome]
                                            : ""));
    return body;
}

static json_t *quote_body(const Fsd__V1__Quote *q)
{
    static const char *const kinds[] = {"", "part", "labour", "callout"};
    json_t *body = findings(q->findings), *lines = json_array();

    for (size_t i = 0; i < q->n_lines; i++) {
        json_t *line = json_pack(
            "{s:s, s:s, s:i, s:I}", "kind",
            (unsigned)q->lines[i]->kind < 4 ? kinds[q->lines[i]->kind] : "",
            "description", q->lines[i]->description, "quantity",
            (int)q->lines[i]->quantity, "unit_price_minor",
            (json_int_t)q->lines[i]->unit_price_minor);
        if (q->lines[i]->part_id)
            json_object_set_new(line, "part_id",
                                json_integer((json_int_t)
                                                 q->lines[i]->part_id));
        json_array_append_new(lines, line);
    }
    json_object_set_new(body, "event", json_string("issue_quote"));
    json_object_set_new(body, "lines", lines);
    return body;
}

static json_t *sign_off_body(const Fsd__V1__SignOff *s)
{
    size_t n = sodium_base64_encoded_len(s->signature_png.len,
                                         sodium_base64_VARIANT_ORIGINAL);
    char *b64;
    json_t *body;

    if (!s->accepted)
        return json_pack("{s:s, s:s}", "event", "reject_sign_off", "reason",
                         s->reject_reason[0] ? s->reject_reason
                                             : "rejected on the device");
    b64 = xmalloc(n);
    sodium_bin2base64(b64, n, s->signature_png.data, s->signature_png.len,
                      sodium_base64_VARIANT_ORIGINAL);
    body = json_pack("{s:s, s:s, s:s, s:i}", "event", "sign_off",
                     "customer_name", s->customer_name, "signature", b64,
                     "rating", (int)s->rating);
    if (s->comment[0])
        json_object_set_new(body, "comment", json_string(s->comment));
    free(b64);
    return body;
}

/* The summary the device showed the customer before an accepted
 * sign-off, checked (shown_summary.c) and added to the event's payload as
 * shown_summary (the text) and shown_total_minor.  The staff API's body
 * has no such fields: only a device sends them, so they join the payload
 * after the staff fields were validated. */
static int shown_summary(const Fsd__V1__Mutation *m, json_t *vals,
                         struct err *err)
{
    const Fsd__V1__SignOff *s = m->sign_off;
    struct shown_summary sum;

    if (m->kind_case != FSD__V1__MUTATION__KIND_SIGN_OFF || !s->accepted)
        return 0;
    if (shown_summary_check(s->summary.data, s->summary.len,
                            s->summary_hash.data, s->summary_hash.len,
                            (int64_t)m->job_id, &sum, err))
        return err->rc;
    if (sum.present) {
        json_object_set_new(vals, "shown_summary",
                            json_stringn((const char *)s->summary.data,
                                         s->summary.len));
        json_object_set_new(vals, "shown_total_minor",
                            json_integer((json_int_t)sum.total_minor));
    }
    return 0;
}

/* The staff-API body equivalent to m, or NULL for a note. */
static json_t *event_body(const Fsd__V1__Mutation *m)
{
    json_t *b;

    switch (m->kind_case) {
    case FSD__V1__MUTATION__KIND_EN_ROUTE:
        return json_pack("{s:s}", "event", "start_travel");
    case FSD__V1__MUTATION__KIND_ARRIVE:
        return json_pack("{s:s}", "event", "arrive");
    case FSD__V1__MUTATION__KIND_WARRANTY:
        b = findings(m->warranty->findings);
        json_object_set_new(
            b, "event",
            json_string(m->warranty->outcome ==
                                FSD__V1__WARRANTY_DECISION__OUTCOME__REPLACEMENT
                            ? "decide_replacement"
                            : "decide_in_warranty"));
        return b;
    case FSD__V1__MUTATION__KIND_QUOTE:
        return quote_body(m->quote);
    case FSD__V1__MUTATION__KIND_OUTCOME:
        return outcome_body(m->outcome);
    case FSD__V1__MUTATION__KIND_SIGN_OFF:
        return sign_off_body(m->sign_off);
    default:
        return NULL;
    }
}

struct mapped {
    struct sync_mutation *muts;
    struct sync_ack *acks;
    json_t *keep; /* owns every payload */
};

/* Parts used on the open visit: checked here as the staff API's parts_used
 * items are, taken from the reservation by the store. */
static int parts_used(const Fsd__V1__PartsUsed *p, struct sync_mutation *out,
                      json_t *keep, struct err *err)
{
    for (size_t i = 0; i < p->n_parts; i++) {
        const Fsd__V1__PartUse *u = p->parts[i];
        if (!u->part_id || u->quantity < 1 || u->quantity > 1000 ||
            strlen(u->serial) > 100 || strlen(u->faulty_serial) > 100)
            return err_set(err, ERR_INVALID, "out_of_range", NULL,
                           "parts[%zu]: a part id, 1 to 1000 units and"
                           " serials of at most 100 bytes", i);
    }
    if (p->n_parts == 0 || p->n_parts > 100)
        return err_set(err, ERR_INVALID, "out_of_range", NULL,
                       "1 to 100 parts");
    out->event = SYNC_PARTS;
    out->payload = json_pack("{s:o}", "parts_used",
                             part_uses(p->parts, p->n_parts));
    json_array_append_new(keep, (json_t *)out->payload);
    return 0;
}

/* The customer's answer to the quote, given on the technician's device:
 * the customer's own approve_quote or decline_quote (store_quotes.c's
 * rules, as through the quote link), its reason saying where and by
 * whom, and its detail the device and the customer's name. */
static int quote_answer(const Fsd__V1__QuoteAnswer *q, int64_t device_id,
                        struct sync_mutation *out, json_t *keep,
                        struct err *err)
{
    size_t name = strlen(q->customer_name);
    json_t *p;

    if (name < 1 || name > MAX_ANSWER_NAME)
        return err_set(err, ERR_INVALID, "out_of_range", "customer_name",
                       "the name of who answered is 1 to %d bytes",
                       MAX_ANSWER_NAME);
    if (strlen(q->reason) > MAX_ANSWER_REASON)
        return err_set(err, ERR_INVALID, "out_of_range", "reason",
                       "a reason is at most %d bytes", MAX_ANSWER_REASON);
    p = json_pack("{s:s, s:I, s:s, s:o}", "answered_on", "technician_device",
                  "device_id", (json_int_t)device_id, "customer_name",
                  q->customer_name, "reason",
                  json_sprintf("%s on the technician's phone by %s%s%s",
                               q->approved ? "approved" : "declined",
                               q->customer_name, q->reason[0] ? ": " : "",
                               q->reason));
    json_array_append_new(keep, p);
    out->event = q->approved ? EV_APPROVE_QUOTE : EV_DECLINE_QUOTE;
    out->role = JR_CUSTOMER;
    out->payload = p;
    out->reason = json_string_value(json_object_get(p, "reason"));
    return 0;
}

/* Map mutation m of device device_id into out; 0, or an error that
 * rejects just this one. */
static int map_one(const Fsd__V1__Mutation *m, int64_t device_id,
                   struct sync_mutation *out, json_t *keep, struct err *err)
{
    struct job_event_req r = {0};
    json_t *body, *vals = NULL;
    const char *reason;

    out->mutation_id = m->mutation_id;
    out->job_id = (int64_t)m->job_id;
    out->base_version = (int64_t)m->base_version;
    out->device_time = m->device_time;
    if (!pbtext_valid(&m->base))
        return err_set(err, ERR_INVALID, "invalid_text", NULL,
                       "every text of the mutation must be UTF-8");
    if (m->kind_case == FSD__V1__MUTATION__KIND_NOTE) {
        if (!m->note->text[0] || strlen(m->note->text) > MAX_NOTE)
            return err_set(err, ERR_INVALID, "out_of_range", "text",
                           "a note is 1 to %d bytes", MAX_NOTE);
        out->event = SYNC_NOTE;
        out->payload = json_pack("{s:s}", "text", m->note->text);
        json_array_append_new(keep, (json_t *)out->payload);
        return 0;
    }
    if (m->kind_case == FSD__V1__MUTATION__KIND_PARTS_USED)
        return parts_used(m->parts_used, out, keep, err);
    if (m->kind_case == FSD__V1__MUTATION__KIND_QUOTE_ANSWER)
        return quote_answer(m->quote_answer, device_id, out, keep, err);
    /* an enum's 0 means the device set nothing: no decision to apply */
    if (m->kind_case == FSD__V1__MUTATION__KIND_WARRANTY &&
        m->warranty->outcome != FSD__V1__WARRANTY_DECISION__OUTCOME__IN_WARRANTY &&
        m->warranty->outcome != FSD__V1__WARRANTY_DECISION__OUTCOME__REPLACEMENT)
        return err_set(err, ERR_INVALID, "out_of_range", "outcome",
                       "a warranty decision is IN_WARRANTY or REPLACEMENT");
    if (!(body = event_body(m)))
        return err_set(err, ERR_INVALID, "unsupported_mutation", NULL,
                       "the mutation has no kind this server knows");
    if (job_input_parse(body, JR_TECHNICIAN, &r, &vals, &reason, err) == 0 &&
        shown_summary(m, vals, err) == 0) {
        out->event = r.event;
        out->payload = vals;
        out->reason = reason; /* borrowed from vals, which keep holds */
    }
    if (vals)
        json_array_append_new(keep, vals);
    json_decref(body);
    return err->rc;
}

static void map_all(const Fsd__V1__SyncRequest *sr, int64_t device_id,
                    struct mapped *mp, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < sr->n_mutations; i++) {
        struct err e = ERR_INIT;
        const Fsd__V1__Mutation *m = sr->mutations[i];
        if (strlen(m->mutation_id) == 0 ||
            strlen(m->mutation_id) > MAX_MUTATION_ID) {
            /* answered under the id as sent, so that the device can let
             * it go; nothing to remember it under */
            mp->muts[*n].mutation_id = m->mutation_id;
            mp->muts[*n].event = SYNC_BAD_ID;
            mp->acks[*n] = (struct sync_ack){
                .result = "rejected", .code = "invalid_mutation_id",
                .message = "a mutation id is 1 to 64 bytes of UTF-8"};
        } else if (map_one(m, device_id, &mp->muts[*n], mp->keep, &e)) {
            /* answered REJECTED without touching the job */
            mp->muts[*n].event = SYNC_PREREJECTED;
            snprintf(mp->acks[*n].code, sizeof mp->acks[*n].code, "%s",
                     e.code ? e.code : "invalid");
            snprintf(mp->acks[*n].message, sizeof mp->acks[*n].message,
                     "%.60s%s%.180s", e.field, e.field[0] ? ": " : "",
                     e.msg);
        }
        (*n)++;
    }
}

/* The device's limits on the bundle (section 6), within the server's. */
static void capabilities(const Fsd__V1__Capabilities *cap,
                         struct sync_batch *b)
{
    uint32_t bytes = cap ? cap->max_bundle_bytes : 0;
    uint32_t jobs = cap ? cap->max_jobs_per_bundle : 0;

    b->max_bytes = bytes == 0 || bytes > BUNDLE_MAX_BYTES ? BUNDLE_MAX_BYTES
                   : bytes < BUNDLE_MIN_BYTES             ? BUNDLE_MIN_BYTES
                                                          : bytes;
    b->max_jobs = jobs == 0 || jobs > MAX_CHANGES ? MAX_CHANGES : jobs;
}

struct build_arg {
    struct bundle_keys keys;
};

static int build(void *arg, struct sync_content *content,
                 const struct sync_ack *acks, size_t n, unsigned char **reply,
                 size_t *len, struct err *err)
{
    return codec_bundle(&((struct build_arg *)arg)->keys, content, acks, n,
                        reply, len, err);
}

/* The device a signature of the envelope names: the first key id that
 * is an enrolled device's (PROTOCOL.md section 4: one signature by a
 * trusted key suffices).  Only a hint until the signature verifies, so
 * revocation is decided after that (check_revoked). */
static int find_device(const struct req *req, const Fsd__V1__Envelope *env,
                       struct sync_device *dev, struct err *err)
{
    for (size_t i = 0; i < env->n_sigs; i++) {
        const char *key_id = env->sigs[i]->key_id;
        if (!key_id || strlen(key_id) != ENVELOPE_KEY_ID_LEN)
            continue;
        if (store_device_by_key(req->app->store, key_id, dev, err) == 0)
            return 0;
        if (err->rc != ERR_NOT_FOUND)
            return err->rc;
        *err = (struct err)ERR_INIT;
    }
    return err_set(err, ERR_NOT_FOUND, "unknown_device", NULL,
                   "no enrolled device has a key this envelope names:"
                   " enroll again");
}

static int check_revoked(const struct sync_device *dev, struct err *err)
{
    return dev->revoked ? err_set(err, ERR_FORBIDDEN, "device_revoked", NULL,
                                  "this device was revoked: enroll it again")
                        : 0;
}

/* Verify the envelope with the device's key, then parse the request. */
static int open_request(const Fsd__V1__Envelope *env,
                        const struct sync_device *dev,
                        Fsd__V1__SyncRequest **sr, unsigned char hash[32],
                        struct err *err)
{
    struct envelope_key key;

    memcpy(key.pk, dev->sign_pk, 32);
    memcpy(key.key_id, dev->key_id, sizeof key.key_id);
    if (envelope_verify(env, SYNC_TYPE, &key, 1, err))
        return err->rc;
    sec_hash(env->payload.data, env->payload.len, hash);
    *sr = fsd__v1__sync_request__unpack(NULL, env->payload.len,
                                        env->payload.data);
    if (!*sr)
        return err_set(err, ERR_INVALID, "malformed_payload", NULL,
                       "not a SyncRequest");
    for (size_t i = 0; i < (*sr)->n_mutations; i++)
        if (!pbtext_utf8((*sr)->mutations[i]->mutation_id)) {
            fsd__v1__sync_request__free_unpacked(*sr, NULL);
            *sr = NULL;
            return err_set(err, ERR_INVALID, "malformed_payload", NULL,
                           "mutation ids must be UTF-8 text");
        }
    if ((*sr)->device_id != (uint64_t)dev->id ||
        (*sr)->n_mutations > MAX_MUTATIONS) {
        fsd__v1__sync_request__free_unpacked(*sr, NULL);
        *sr = NULL;
        return err_set(err, ERR_INVALID, "malformed_payload", NULL,
                       "a SyncRequest names this device and carries at most"
                       " %d mutations", MAX_MUTATIONS);
    }
    return 0;
}

/* The batch for store_sync(): the device's request and limits, and the
 * bundle's signer. */
static void fill_batch(const struct req *req, const Fsd__V1__SyncRequest *sr,
                       const struct mapped *mp, struct build_arg *ba,
                       struct sync_batch *b)
{
    b->dev = ba->keys.dev;
    b->batch_seq = sr->batch_seq;
    b->cursor = sr->cursor;
    b->epoch = sr->epoch.data;
    b->epoch_len = sr->epoch.len;
    b->muts = mp->muts;
    b->acks = mp->acks;
    b->quote_ttl = req->app->cfg->quote_ttl_s;
    b->max_changes = MAX_CHANGES;
    capabilities(sr->capabilities, b);
    b->build = build;
    b->arg = ba;
}

/* An exact retry's stored reply, as it may go out: issued again by the
 * current key and with a new expiry when the key was rotated since or
 * the bundle expired (PROTOCOL.md section 11), stored as the new link of
 * the chain. */
static int reissue(struct req *req, const struct bundle_keys *keys,
                   struct sync_batch *b, struct err *err)
{
    unsigned char *again = NULL, hash[32];
    size_t len = 0;

    if (codec_bundle_reissue(keys, b->reply, b->reply_len, &again, &len,
                             hash, err))
        return err->rc;
    if (!again)
        return 0;
    if (store_sync_reissue(req->app->store, b->dev->id, b->batch_seq, again,
                           len, hash, err)) {
        free(again);
        return err->rc;
    }
    free(b->reply);
    b->reply = again;
    b->reply_len = len;
    return 0;
}

/* 409 stale_batch with the last batch the server accepted, so that a
 * device whose numbering fell behind can go on after it (section 10). */
static int stale_batch(struct req *req, const struct err *err,
                       uint64_t last_batch_seq)
{
    size_t n;
    char *body = codec_sync_error(err->code, err->msg, last_batch_seq, &n);

    return http_text(req, 409, PROTOBUF_TYPE, body, n);
}

int api_sync(struct req *req, struct err *err)
{
    struct sync_device dev;
    struct signing_keys sk;
    unsigned char secret[64];
    struct build_arg ba;
    struct sync_batch b;
    struct mapped mp = {NULL, NULL, NULL};
    Fsd__V1__SyncRequest *sr = NULL;
    Fsd__V1__Envelope *env = NULL;
    int rc;

    memset(&b, 0, sizeof b);
    /* the envelope is read once: its key id names the device whose key
     * then verifies it */
    rc = envelope_unpack((const uint8_t *)req->body, req->body_len,
                         req->body_len, &env, err) ||
         find_device(req, env, &dev, err) ||
         open_request(env, &dev, &sr, b.batch_hash, err) ||
         check_revoked(&dev, err);
    if (env)
        fsd__v1__envelope__free_unpacked(env, NULL);
    if (rc || signing_keys_current(req->app->store, req->app->keys, &sk,
                                   secret, err)) {
        if (sr)
            fsd__v1__sync_request__free_unpacked(sr, NULL);
        return err->rc;
    }
    mp.muts = xcalloc(sr->n_mutations + 1, sizeof *mp.muts);
    mp.acks = xcalloc(sr->n_mutations + 1, sizeof *mp.acks);
    mp.keep = json_array();
    map_all(sr, dev.id, &mp, &b.n);
    ba.keys = (struct bundle_keys){&dev, secret, sk.keys[0].key_id,
                                   sk.version, (int64_t)time(NULL)};
    fill_batch(req, sr, &mp, &ba, &b);
    rc = store_sync(req->app->store, &b, err);
    if (rc == 0 && b.replayed)
        rc = reissue(req, &ba.keys, &b, err);
    sodium_memzero(secret, sizeof secret);
    json_decref(mp.keep);
    free(mp.muts);
    free(mp.acks);
    fsd__v1__sync_request__free_unpacked(sr, NULL);
    if (rc) {
        free(b.reply);
        return rc == ERR_CONFLICT && err->code &&
                       !strcmp(err->code, "stale_batch")
                   ? stale_batch(req, err, b.last_batch_seq)
                   : rc;
    }
    return http_text(req, 200, PROTOBUF_TYPE, (char *)b.reply, b.reply_len);
}
