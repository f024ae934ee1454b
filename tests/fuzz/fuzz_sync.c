/*
 * fuzz_sync.c - a device's sync request as POST /sync/v1/sync takes it:
 * envelope verification with the device's key, SyncRequest decoding and
 * its limits (open_request), and the mapping of every mutation to the
 * staff API's event body and field tables (map_all).
 *
 * Those are static in server/sync/sync.c, so this file includes sync.c itself
 * (-Iserver); the store is never reached (api_sync is not called).
 *
 * Feeds: the first byte picks raw mode (the rest is the request body) or
 * signed mode (the rest is a SyncRequest payload the target signs with the
 * device's key, so the fuzzer explores the decoding and the mapping).
 * Checks: a request opens exactly when it is signed by the device, decodes
 * as a SyncRequest naming this device with at most 100 mutations and UTF-8
 * mutation ids (any batch_seq: the store answers a stale one); the batch
 * hash is BLAKE2b-256 of the signed payload; mapping keeps every mutation,
 * in order, with its job and base version; one without an id of 1 to 64
 * bytes is answered invalid_mutation_id, one with any text that is not
 * UTF-8 invalid_text; each other is refused with a code in its ack, or is
 * a note of 1 to 4000 bytes / parts-used / lifecycle event whose payload is
 * an object carrying every line, part and labour item of the mutation; a
 * quote answer (and only it) is the customer's approve_quote or
 * decline_quote, with a name of 1 to 200 bytes and a reason.
 */
#include "fuzz.h"

#include "sync/sync.c"

static struct fuzz_sign_key dev_key;
static struct sync_device dev;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct err err = ERR_INIT;

    (void)argc;
    (void)argv;
    if (sec_init(&err))
        abort();
    json_object_seed(1);
    fuzz_sign_key(FUZZ_KEY_DEVICE, &dev_key);
    dev.id = FUZZ_DEVICE_ID;
    dev.technician_id = FUZZ_TECHNICIAN_ID;
    memcpy(dev.sign_pk, dev_key.pk, 32);
    memcpy(dev.key_id, dev_key.key_id, sizeof dev.key_id);
    return 0;
}

/* 1 when every string in m, at any depth, is valid UTF-8. */
static int utf8_ok(const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;

    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const char *base = (const char *)m + f->offset;
        size_t n = 1;
        void *const *v = (void *const *)base;

        if (f->type != PROTOBUF_C_TYPE_STRING &&
            f->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
            *(const uint32_t *)((const char *)m + f->quantifier_offset) !=
                f->id)
            continue;
        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            n = *(const size_t *)((const char *)m + f->quantifier_offset);
            v = *(void *const *const *)base;
        }
        for (size_t k = 0; k < n; k++) {
            if (!v[k])
                continue;
            if (f->type == PROTOBUF_C_TYPE_STRING
                    ? !fuzz_utf8_valid(v[k], strlen(v[k]))
                    : !utf8_ok(v[k]))
                return 0;
        }
    }
    return 1;
}

static size_t items(const json_t *payload, const char *key)
{
    return json_array_size(json_object_get(payload, key));
}

/* Mutation m mapped to mut (and ack). */
static void check_mapped(const Fsd__V1__Mutation *m,
                         const struct sync_mutation *mut,
                         const struct sync_ack *ack)
{
    const json_t *p = mut->payload;

    FUZZ_CHECK(mut->mutation_id == m->mutation_id &&
                   mut->job_id == (int64_t)m->job_id &&
                   mut->base_version == (int64_t)m->base_version,
               "mutation %s copied wrongly", m->mutation_id);
    if (mut->event == SYNC_PREREJECTED) {
        FUZZ_CHECK(ack->code[0], "rejected without a code");
        return;
    }
    FUZZ_CHECK(json_is_object(p), "mutation %s (kind %d, event %d) has no"
               " payload object", m->mutation_id, (int)m->kind_case,
               mut->event);
    switch (mut->event) {
    case SYNC_NOTE:
        FUZZ_CHECK(m->kind_case == FSD__V1__MUTATION__KIND_NOTE &&
                       m->note->text[0] && strlen(m->note->text) <= 4000 &&
                       !strcmp(json_string_value(json_object_get(p, "text")),
                               m->note->text),
                   "note");
        return;
    case SYNC_PARTS:
        FUZZ_CHECK(m->kind_case == FSD__V1__MUTATION__KIND_PARTS_USED &&
                       items(p, "parts_used") == m->parts_used->n_parts,
                   "%zu of %zu parts used", items(p, "parts_used"),
                   m->parts_used->n_parts);
        return;
    default:
        break;
    }
    FUZZ_CHECK(mut->event >= 0 && mut->event < JOB__EVENTS, "event %d",
               mut->event);
    /* the customer's, with who answered: a name of 1 to 200 bytes */
    FUZZ_CHECK((m->kind_case == FSD__V1__MUTATION__KIND_QUOTE_ANSWER) ==
                   (mut->role == JR_CUSTOMER),
               "mutation %s (kind %d) judged as role %u", m->mutation_id,
               (int)m->kind_case, mut->role);
    if (m->kind_case == FSD__V1__MUTATION__KIND_QUOTE_ANSWER)
        FUZZ_CHECK(mut->event == (m->quote_answer->approved
                                      ? EV_APPROVE_QUOTE
                                      : EV_DECLINE_QUOTE) &&
                       m->quote_answer->customer_name[0] &&
                       strlen(m->quote_answer->customer_name) <= 200 &&
                       strlen(m->quote_answer->reason) <= 1000 &&
                       !strcmp(json_string_value(json_object_get(
                                   p, "customer_name")),
                               m->quote_answer->customer_name) &&
                       json_is_string(json_object_get(p, "reason")),
                   "quote answer");
    if (m->kind_case == FSD__V1__MUTATION__KIND_QUOTE)
        FUZZ_CHECK(items(p, "lines") == m->quote->n_lines,
                   "quote of %zu lines issued with %zu", m->quote->n_lines,
                   items(p, "lines"));
    if (m->kind_case == FSD__V1__MUTATION__KIND_OUTCOME) {
        FUZZ_CHECK(items(p, "parts_used") == m->outcome->n_parts,
                   "%zu of %zu parts used", items(p, "parts_used"),
                   m->outcome->n_parts);
        FUZZ_CHECK(items(p, "labour") == m->outcome->n_labour,
                   "%zu of %zu labour lines", items(p, "labour"),
                   m->outcome->n_labour);
    }
}

static void check_map(const Fsd__V1__SyncRequest *sr)
{
    struct mapped mp;
    size_t n = 0, j = 0;

    mp.muts = xcalloc(sr->n_mutations + 1, sizeof *mp.muts);
    mp.acks = xcalloc(sr->n_mutations + 1, sizeof *mp.acks);
    mp.keep = json_array();
    map_all(sr, dev.id, &mp, &n);
    FUZZ_CHECK(n == sr->n_mutations, "%zu of %zu", n, sr->n_mutations);
    for (size_t i = 0; i < sr->n_mutations; i++, j++) {
        const Fsd__V1__Mutation *m = sr->mutations[i];
        size_t idl = strlen(m->mutation_id);
        if (idl == 0 || idl > 64) {
            FUZZ_CHECK(mp.muts[j].event == SYNC_BAD_ID &&
                           !strcmp(mp.acks[j].code, "invalid_mutation_id") &&
                           mp.muts[j].mutation_id == m->mutation_id,
                       "mutation %zu without a valid id not answered", i);
            continue;
        }
        /* protobuf-c does not check that strings are UTF-8: sync.c must,
         * or json_pack would silently lose texts and lines */
        if (!utf8_ok(&m->base))
            FUZZ_CHECK(mp.muts[j].event == SYNC_PREREJECTED &&
                           !strcmp(mp.acks[j].code, "invalid_text"),
                       "mutation %s with non-UTF-8 text taken", m->mutation_id);
        else
            check_mapped(m, &mp.muts[j], &mp.acks[j]);
    }
    FUZZ_CHECK(j == n, "%zu mapped, %zu with ids", n, j);
    json_decref(mp.keep);
    free(mp.muts);
    free(mp.acks);
}

/* Open body as the server would; expect: -1 unknown, else 0/1. */
static void check_open(const uint8_t *body, size_t len,
                       const uint8_t *payload, size_t plen, int expect)
{
    Fsd__V1__SyncRequest *sr = NULL;
    Fsd__V1__Envelope *env = NULL;
    unsigned char hash[32], want[32];
    struct err err = ERR_INIT;
    int rc;

    rc = envelope_unpack(body, len, len, &env, &err) ||
         open_request(env, &dev, &sr, hash, &err);
    if (env)
        fsd__v1__envelope__free_unpacked(env, NULL);
    if (rc)
        rc = err.rc;
    if (expect >= 0)
        FUZZ_CHECK((rc == 0) == expect, "open_request %d (%s), expected %d",
                   rc, err.code ? err.code : "", expect);
    if (rc) {
        FUZZ_CHECK(err.rc == rc && err.code && !sr, "refusal");
        return;
    }
    FUZZ_CHECK(sr->device_id == (uint64_t)dev.id &&
                   sr->n_mutations <= MAX_MUTATIONS,
               "opened a request outside the limits");
    if (payload) {
        sec_hash(payload, plen, want);
        FUZZ_CHECK(memcmp(hash, want, 32) == 0, "batch hash");
    }
    check_map(sr);
    fsd__v1__sync_request__free_unpacked(sr, NULL);
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    uint8_t *body;
    size_t len;
    Fsd__V1__SyncRequest *ref;
    int expect;

    if (!(fuzz_u8(&in) & 1)) {
        check_open(in.p, in.n, NULL, 0, -1);
        return 0;
    }
    ref = fsd__v1__sync_request__unpack(NULL, in.n, in.p);
    expect = ref && ref->device_id == FUZZ_DEVICE_ID &&
             ref->n_mutations <= MAX_MUTATIONS;
    for (size_t i = 0; expect && i < ref->n_mutations; i++)
        expect = fuzz_utf8_valid((const unsigned char *)
                                     ref->mutations[i]->mutation_id,
                                 strlen(ref->mutations[i]->mutation_id));
    if (ref)
        fsd__v1__sync_request__free_unpacked(ref, NULL);
    envelope_seal_sign(SYNC_TYPE, in.p, in.n, dev_key.sk, &body, &len);
    check_open(body, len, in.p, in.n, expect);
    free(body);
    return 0;
}

FUZZ_TARGET(fuzz_one)
