/*
 * gen_wire.c - the wire-message seeds (see gen_corpus.h): a bundle with
 * sealed jobs, a sync request with one mutation of each kind, a keyset,
 * enrolment and keyset-chain messages, packed with the generated protobuf
 * code and signed with the fixed keys of fuzz.h, for fuzz_envelope
 * (signed and raw), fuzz_client_bundle (raw and built from a template)
 * and fuzz_sync (raw and signed by the target).  Sealed boxes use fresh
 * randomness: their bytes change on every run.
 */
#include "common/envelope.h"
#include "fsd.pb-c.h"
#include "fuzz.h"
#include "gen_corpus.h"

static struct fuzz_sign_key keys[FUZZ_NKEYS];
static unsigned char box_pk[32], box_sk[32];

static uint8_t *packed(const ProtobufCMessage *m, size_t *len)
{
    uint8_t *b;

    *len = protobuf_c_message_get_packed_size(m);
    b = malloc(*len + 1);
    protobuf_c_message_pack(m, b);
    return b;
}

static uint8_t *sample_jobs(size_t *len)
{
    Fsd__V1__SealedJobs sj = FSD__V1__SEALED_JOBS__INIT;
    Fsd__V1__Job j[2], *pj[2] = {&j[0], &j[1]};
    Fsd__V1__Customer cu = FSD__V1__CUSTOMER__INIT;
    Fsd__V1__Asset as = FSD__V1__ASSET__INIT;
    Fsd__V1__JobPart part = FSD__V1__JOB_PART__INIT, *pp = &part;

    cu.name = "Anna Schmidt";
    cu.phone = "+49 30 1234567";
    cu.address = "Karl-Marx-Allee 90, 10243 Berlin";
    cu.lat = 52.5176;
    cu.lon = 13.4381;
    as.model = "WM-800";
    as.serial = "SN-2024-00417";
    as.purchase_date = "2024-03-15";
    as.warranty_months = 24;
    part.part_id = 12;
    part.sku = "PUMP-WM8";
    part.name = "Drain pump";
    part.quantity = 1;
    part.state = "reserved";
    for (int i = 0; i < 2; i++) {
        fsd__v1__job__init(&j[i]);
        j[i].id = 101 + (uint64_t)i;
        j[i].version = 4;
        j[i].status = i ? "booked" : "assigned";
        j[i].kind = "repair";
        j[i].fault = i ? "Door seal leaks" : "Drum does not turn, error E21";
        j[i].priority = 3;
        j[i].window_start = 1795075200 + 7200 * i;
        j[i].window_end = 1795082400 + 7200 * i;
        j[i].duration_minutes = 60;
        j[i].warranty = "in_warranty";
        j[i].customer = &cu;
    }
    j[0].asset = &as;
    j[0].n_parts = 1;
    j[0].parts = &pp;
    sj.n_jobs = 2;
    sj.jobs = pj;
    return packed(&sj.base, len);
}

/* A bundle for device 7: seq 1, first in its chain, valid until 2100. */
static uint8_t *sample_bundle(int sealed, size_t *len)
{
    Fsd__V1__Bundle b = FSD__V1__BUNDLE__INIT;
    Fsd__V1__Ack a = FSD__V1__ACK__INIT, *pa = &a;
    static uint64_t removed[] = {97, 98};
    static uint8_t zero[32];
    size_t jl;
    uint8_t *jobs = sample_jobs(&jl), *box = NULL, *out;

    b.technician_id = FUZZ_TECHNICIAN_ID;
    b.device_id = FUZZ_DEVICE_ID;
    b.bundle_seq = 1;
    b.prev_bundle_hash.data = zero;
    b.prev_bundle_hash.len = 32;
    b.issued_at = 1795070000;
    b.expires_at = 4102444800;
    b.checkpoint = 5531;
    if (sealed) {
        box = malloc(jl + crypto_box_SEALBYTES);
        crypto_box_seal(box, jobs, jl, box_pk);
        b.sealed_jobs.data = box;
        b.sealed_jobs.len = jl + crypto_box_SEALBYTES;
    }
    b.n_removed_job_ids = 2;
    b.removed_job_ids = removed;
    a.mutation_id = "7-12";
    a.result = FSD__V1__ACK__RESULT__APPLIED;
    a.job_version = 5;
    b.n_acks = 1;
    b.acks = &pa;
    b.signer_key_id = keys[FUZZ_KEY_SERVER].key_id;
    b.keyset_version = 1;
    out = packed(&b.base, len);
    free(jobs);
    free(box);
    return out;
}

/* One mutation of each kind the device sends. */
static void sample_mutations(Fsd__V1__Mutation *m, size_t *n)
{
    static Fsd__V1__EnRoute er = FSD__V1__EN_ROUTE__INIT;
    static Fsd__V1__Arrive ar = FSD__V1__ARRIVE__INIT;
    static Fsd__V1__Note note = FSD__V1__NOTE__INIT;
    static Fsd__V1__PartUse use = FSD__V1__PART_USE__INIT, *puse = &use;
    static Fsd__V1__PartsUsed pu = FSD__V1__PARTS_USED__INIT;
    static Fsd__V1__Findings fi = FSD__V1__FINDINGS__INIT;
    static Fsd__V1__WarrantyDecision wd = FSD__V1__WARRANTY_DECISION__INIT;
    static Fsd__V1__QuoteLine ql[2], *pql[2] = {&ql[0], &ql[1]};
    static Fsd__V1__Quote q = FSD__V1__QUOTE__INIT;
    static Fsd__V1__LabourLine ll = FSD__V1__LABOUR_LINE__INIT, *pll = &ll;
    static Fsd__V1__VisitOutcome vo = FSD__V1__VISIT_OUTCOME__INIT;
    static Fsd__V1__SignOff so = FSD__V1__SIGN_OFF__INIT;
    static Fsd__V1__QuoteAnswer qa = FSD__V1__QUOTE_ANSWER__INIT;
    static uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static char ids[9][8];

    note.text = "Customer asks to call 10 min before arrival";
    use.part_id = 12;
    use.sku = "PUMP-WM8";
    use.quantity = 1;
    use.serial = "P-88231";
    use.faulty_serial = "P-10022";
    pu.n_parts = 1;
    pu.parts = &puse;
    fi.liquid = 1;
    wd.outcome = FSD__V1__WARRANTY_DECISION__OUTCOME__IN_WARRANTY;
    wd.findings = &fi;
    for (int i = 0; i < 2; i++)
        fsd__v1__quote_line__init(&ql[i]);
    ql[0].kind = FSD__V1__QUOTE_LINE__KIND__PART;
    ql[0].description = "Drain pump";
    ql[0].quantity = 1;
    ql[0].unit_price_minor = 8900;
    ql[1].kind = FSD__V1__QUOTE_LINE__KIND__LABOUR;
    ql[1].description = "Labour, 1 h";
    ql[1].quantity = 1;
    ql[1].unit_price_minor = 6500;
    q.findings = &fi;
    q.n_lines = 2;
    q.lines = pql;
    ll.description = "Pump replacement";
    ll.quantity = 1;
    ll.unit_price_minor = 6500;
    vo.outcome = FSD__V1__VISIT_OUTCOME__OUTCOME__COMPLETED;
    vo.notes = "Pump replaced, test wash ok";
    vo.n_parts = 1;
    vo.parts = &puse;
    vo.n_labour = 1;
    vo.labour = &pll;
    so.customer_name = "Anna Schmidt";
    so.signature_png.data = png;
    so.signature_png.len = sizeof png;
    so.rating = 5;
    so.accepted = 1;
    qa.approved = 0;
    qa.customer_name = "Anna Schmidt";
    qa.reason = "Too dear for a ten-year-old machine";
    for (int i = 0; i < 9; i++) {
        fsd__v1__mutation__init(&m[i]);
        snprintf(ids[i], sizeof ids[i], "7-%d", 20 + i);
        m[i].mutation_id = ids[i];
        m[i].job_id = 101;
        m[i].base_version = 4 + (uint64_t)i;
        m[i].device_time = 1795076000 + 600 * i;
    }
    m[0].kind_case = FSD__V1__MUTATION__KIND_EN_ROUTE, m[0].en_route = &er;
    m[1].kind_case = FSD__V1__MUTATION__KIND_ARRIVE, m[1].arrive = &ar;
    m[2].kind_case = FSD__V1__MUTATION__KIND_NOTE, m[2].note = &note;
    m[3].kind_case = FSD__V1__MUTATION__KIND_PARTS_USED, m[3].parts_used = &pu;
    m[4].kind_case = FSD__V1__MUTATION__KIND_WARRANTY, m[4].warranty = &wd;
    m[5].kind_case = FSD__V1__MUTATION__KIND_QUOTE, m[5].quote = &q;
    m[6].kind_case = FSD__V1__MUTATION__KIND_OUTCOME, m[6].outcome = &vo;
    m[7].kind_case = FSD__V1__MUTATION__KIND_SIGN_OFF, m[7].sign_off = &so;
    m[8].kind_case = FSD__V1__MUTATION__KIND_QUOTE_ANSWER;
    m[8].quote_answer = &qa;
    *n = 9;
}

static uint8_t *sample_sync(Fsd__V1__Mutation *m, size_t nm, size_t *len)
{
    Fsd__V1__SyncRequest sr = FSD__V1__SYNC_REQUEST__INIT;
    Fsd__V1__Mutation *pm[9];

    for (size_t i = 0; i < nm; i++)
        pm[i] = &m[i];
    sr.device_id = FUZZ_DEVICE_ID;
    sr.batch_seq = 3;
    sr.cursor = 5531;
    sr.n_mutations = nm;
    sr.mutations = pm;
    sr.keyset_version = 1;
    return packed(&sr.base, len);
}

static uint8_t *sample_keyset(size_t *len)
{
    Fsd__V1__Keyset ks = FSD__V1__KEYSET__INIT;
    Fsd__V1__PublicKey k = FSD__V1__PUBLIC_KEY__INIT, *pk = &k;

    ks.version = 2;
    k.key_id = keys[FUZZ_KEY_SECOND].key_id;
    k.ed25519.data = keys[FUZZ_KEY_SECOND].pk;
    k.ed25519.len = 32;
    ks.n_keys = 1;
    ks.keys = &pk;
    ks.issued_at = 1795000000;
    return packed(&ks.base, len);
}

void gen_wire_seeds(void)
{
    static const char *const names[] = {
        "Bundle", "SyncRequest", "Keyset", "EnrollRequest", "EnrollReply",
        "KeysetChain", "SealedJobs", "Mutation"};
    Fsd__V1__Mutation m[9];
    Fsd__V1__EnrollRequest er = FSD__V1__ENROLL_REQUEST__INIT;
    Fsd__V1__EnrollReply rep = FSD__V1__ENROLL_REPLY__INIT;
    Fsd__V1__KeysetChain ch = FSD__V1__KEYSET_CHAIN__INIT;
    Fsd__V1__Keyset *ks;
    ProtobufCBinaryData kb;
    uint8_t *p[8], *env, head[8];
    size_t l[8], el, nm;
    const uint8_t *two[2] = {keys[FUZZ_KEY_SERVER].sk,
                             keys[FUZZ_KEY_SECOND].sk};
    char name[64];

    for (int k = 0; k < FUZZ_NKEYS; k++)
        fuzz_sign_key((enum fuzz_key)k, &keys[k]);
    fuzz_box_key(box_pk, box_sk);
    sample_mutations(m, &nm);
    p[0] = sample_bundle(1, &l[0]);
    p[1] = sample_sync(m, nm, &l[1]);
    p[2] = sample_keyset(&l[2]);
    er.code = "K7Q2-MX4P";
    er.device_sign_pk.data = keys[FUZZ_KEY_DEVICE].pk;
    er.device_sign_pk.len = 32;
    er.device_box_pk.data = box_pk;
    er.device_box_pk.len = 32;
    er.device_name = "Tablet 3 (Jonas)";
    er.device_time = 1795000000;
    p[3] = packed(&er.base, &l[3]);
    ks = fsd__v1__keyset__unpack(NULL, l[2], p[2]);
    rep.device_id = FUZZ_DEVICE_ID;
    rep.technician_id = FUZZ_TECHNICIAN_ID;
    rep.keyset = ks;
    p[4] = packed(&rep.base, &l[4]);
    fsd__v1__keyset__free_unpacked(ks, NULL);
    envelope_sign_all("fsd.v1.Keyset", p[2], l[2], two, 2, &kb.data, &kb.len);
    ch.n_keysets = 1;
    ch.keysets = &kb;
    p[5] = packed(&ch.base, &l[5]);
    p[6] = sample_jobs(&l[6]);
    p[7] = packed(&m[5].base, &l[7]);

    /* fuzz_envelope: signed mode, then raw envelopes */
    for (int t = 0; t < 8; t++) {
        head[0] = (uint8_t)(t << 1 | 1);
        head[1] = 0, head[2] = 0, head[3] = 0, head[4] = 0;
        snprintf(name, sizeof name, "signed-%s", names[t]);
        gen_put("envelope", name, head, 5, p[t], l[t]);
    }
    head[0] = 0 << 1 | 1, head[1] = 3, head[2] = 0x10, head[3] = 0,
    head[4] = 0;
    snprintf(name, sizeof name, "signed-two-keys-flipped");
    gen_put("envelope", name, head, 5, p[0], l[0]);
    envelope_seal_sign("fsd.v1.Bundle", p[0], l[0], keys[FUZZ_KEY_SERVER].sk,
                       &env, &el);
    head[0] = 0;
    gen_put("envelope", "raw-Bundle", head, 1, env, el);
    head[0] = 0x80;
    gen_put("envelope", "raw-Bundle-over-limit", head, 1, env, el);
    /* fuzz_client_bundle: the same signed bundle, raw */
    gen_put("client_bundle", "raw-bundle", "\0", 1, env, el);
    free(env);
    head[0] = 2 << 1;
    gen_put("envelope", "raw-Keyset", head, 1, kb.data, kb.len);
    envelope_seal_sign("fsd.v1.SyncRequest", p[1], l[1],
                       keys[FUZZ_KEY_DEVICE].sk, &env, &el);
    head[0] = 1 << 1;
    gen_put("envelope", "raw-SyncRequest-untrusted", head, 1, env, el);

    /* fuzz_sync: raw, then payloads the target signs */
    gen_put("sync", "raw-all-kinds", "\0", 1, env, el);
    free(env);
    gen_put("sync", "signed-all-kinds", "\1", 1, p[1], l[1]);
    for (size_t i = 0; i < nm; i++) {
        uint8_t *one;
        size_t ol;
        one = sample_sync(&m[i], 1, &ol);
        snprintf(name, sizeof name, "signed-%s", m[i].mutation_id);
        gen_put("sync", name, "\1", 1, one, ol);
        free(one);
    }

    /* fuzz_client_bundle: built mode with every repair, and with none */
    {
        size_t tl;
        uint8_t *tpl = sample_bundle(0, &tl), h[4];
        h[0] = 1, h[1] = 0x7f, h[2] = (uint8_t)(tl >> 8), h[3] = (uint8_t)tl;
        uint8_t *both = malloc(4 + tl + l[6]);
        memcpy(both, h, 4);
        memcpy(both + 4, tpl, tl);
        memcpy(both + 4 + tl, p[6], l[6]);
        gen_put("client_bundle", "built-all-repairs", both, 4 + tl + l[6], NULL,
                0);
        both[1] = 0x20; /* sealed, nothing else repaired */
        gen_put("client_bundle", "built-sealed-only", both, 4 + tl + l[6], NULL,
                0);
        both[1] = 0xbf; /* all repairs, a stranger's key */
        gen_put("client_bundle", "built-stranger", both, 4 + tl + l[6], NULL,
                0);
        free(both);
        free(tpl);
    }
    for (int t = 0; t < 8; t++)
        free(p[t]);
    free(kb.data);
}
