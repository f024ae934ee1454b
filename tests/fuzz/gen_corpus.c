/*
 * gen_corpus.c - writes the seed inputs of every fuzz target into
 * tests/fuzz/corpus/<target>/ (make fuzz-corpus; the output is checked
 * in).  Seeds are small, real-looking requests in each target's input
 * layout (see the comment opening each fuzz_<target>.c): wire messages
 * packed with the generated protobuf code and signed with the fixed keys
 * of fuzz.h, JSON bodies and query strings like the web app sends, paths
 * of the route table, tokens, instants, time zone files from the system's
 * tzdata, quotes.  Sealed boxes use fresh randomness, so regenerating
 * changes those bytes, never their meaning.
 */
#include "fuzz.h"
#include "api.h"
#include "envelope.h"
#include "fsd.pb-c.h"

#include <errno.h>
#include <sys/stat.h>

static const char *root;

static void put(const char *target, const char *name, const void *head,
                size_t hlen, const void *body, size_t blen)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", root, target);
    if (mkdir(path, 0755) && errno != EEXIST)
        abort();
    snprintf(path, sizeof path, "%s/%s/%s", root, target, name);
    f = fopen(path, "wb");
    if (!f || (hlen && fwrite(head, 1, hlen, f) != hlen) ||
        (blen && fwrite(body, 1, blen, f) != blen) || fclose(f)) {
        perror(path);
        exit(1);
    }
}

static void put_text(const char *target, const char *name, const char *head,
                     size_t hlen, const char *text)
{
    put(target, name, head, hlen, text, strlen(text));
}

static struct fuzz_sign_key keys[FUZZ_NKEYS];
static unsigned char box_pk[32], box_sk[32];

/* --- wire messages --------------------------------------------------- */

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
    static uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static char ids[8][8];

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
    for (int i = 0; i < 8; i++) {
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
    *n = 8;
}

static uint8_t *sample_sync(Fsd__V1__Mutation *m, size_t nm, size_t *len)
{
    Fsd__V1__SyncRequest sr = FSD__V1__SYNC_REQUEST__INIT;
    Fsd__V1__Mutation *pm[8];

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

static void wire_seeds(void)
{
    static const char *const names[] = {
        "Bundle", "SyncRequest", "Keyset", "EnrollRequest", "EnrollReply",
        "KeysetChain", "SealedJobs", "Mutation"};
    Fsd__V1__Mutation m[8];
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
        put("envelope", name, head, 5, p[t], l[t]);
    }
    head[0] = 0 << 1 | 1, head[1] = 3, head[2] = 0x10, head[3] = 0,
    head[4] = 0;
    snprintf(name, sizeof name, "signed-two-keys-flipped");
    put("envelope", name, head, 5, p[0], l[0]);
    envelope_seal_sign("fsd.v1.Bundle", p[0], l[0], keys[FUZZ_KEY_SERVER].sk,
                       &env, &el);
    head[0] = 0;
    put("envelope", "raw-Bundle", head, 1, env, el);
    head[0] = 0x80;
    put("envelope", "raw-Bundle-over-limit", head, 1, env, el);
    /* fuzz_client_bundle: the same signed bundle, raw */
    put("client_bundle", "raw-bundle", "\0", 1, env, el);
    free(env);
    head[0] = 2 << 1;
    put("envelope", "raw-Keyset", head, 1, kb.data, kb.len);
    envelope_seal_sign("fsd.v1.SyncRequest", p[1], l[1],
                       keys[FUZZ_KEY_DEVICE].sk, &env, &el);
    head[0] = 1 << 1;
    put("envelope", "raw-SyncRequest-untrusted", head, 1, env, el);

    /* fuzz_sync: raw, then payloads the target signs */
    put("sync", "raw-all-kinds", "\0", 1, env, el);
    free(env);
    put("sync", "signed-all-kinds", "\1", 1, p[1], l[1]);
    for (size_t i = 0; i < nm; i++) {
        uint8_t *one;
        size_t ol;
        one = sample_sync(&m[i], 1, &ol);
        snprintf(name, sizeof name, "signed-%s", m[i].mutation_id);
        put("sync", name, "\1", 1, one, ol);
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
        put("client_bundle", "built-all-repairs", both, 4 + tl + l[6], NULL,
            0);
        both[1] = 0x20; /* sealed, nothing else repaired */
        put("client_bundle", "built-sealed-only", both, 4 + tl + l[6], NULL,
            0);
        both[1] = 0xbf; /* all repairs, a stranger's key */
        put("client_bundle", "built-stranger", both, 4 + tl + l[6], NULL, 0);
        free(both);
        free(tpl);
    }
    for (int t = 0; t < 8; t++)
        free(p[t]);
    free(kb.data);
}

/* --- JSON, queries, paths, tokens -------------------------------------- */

struct text_seed {
    const char *target, *name;
    uint8_t h0, h1;
    int hlen;
    const char *text;
};

static const struct text_seed texts[] = {
    /* fuzz_jparse: resource, mode (0 create, 1 patch, 2 query) */
    {"jparse", "customer-create", 0, 0, 2,
     "{\"name\":\"Anna Schmidt\",\"phone\":\"+49 30 1234567\",\"email\":"
     "\"anna@example.org\",\"address\":\"Karl-Marx-Allee 90, 10243 Berlin\","
     "\"lat\":52.5176,\"lon\":13.4381,\"tier\":\"key_account\","
     "\"timezone\":\"Europe/Berlin\"}"},
    {"jparse", "customer-patch", 0, 1, 2,
     "{\"phone\":null,\"tier\":\"regular\",\"timezone\":\"America/New_York\"}"},
    {"jparse", "customer-query", 0, 2, 2, "tier=key_account"},
    {"jparse", "asset-create", 1, 0, 2,
     "{\"customer_id\":42,\"model\":\"WM-800\",\"serial\":\"SN-2024-00417\","
     "\"purchase_date\":\"2024-03-15\",\"warranty_months\":24,\"units\":1}"},
    {"jparse", "asset-query", 1, 2, 2, "customer_id=42"},
    {"jparse", "skill-create", 2, 0, 2,
     "{\"code\":\"wm\",\"name\":\"Washing machines\"}"},
    {"jparse", "technician-create", 3, 0, 2,
     "{\"name\":\"Jonas Weber\",\"phone\":\"+49 151 2345678\",\"start_lat\":"
     "52.52,\"start_lon\":13.405,\"capacity_minutes\":480,\"timezone\":"
     "\"Europe/Berlin\",\"active\":true,\"skills\":[{\"skill\":\"wm\","
     "\"level\":4},{\"skill\":\"dw\",\"level\":2}],\"shifts\":[{\"weekday\":1,"
     "\"start\":\"08:00\",\"end\":\"16:30\"},{\"weekday\":2,\"start\":"
     "\"08:00\",\"end\":\"24:00\"}]}"},
    {"jparse", "technician-query", 3, 2, 2, "active=true&skill=wm"},
    {"jparse", "part-create", 4, 0, 2,
     "{\"sku\":\"PUMP-WM8\",\"name\":\"Drain pump\",\"cost_minor\":4200,"
     "\"price_minor\":8900,\"needs_approval\":false,\"stock\":[{\"location\":"
     "\"van-3\",\"quantity\":2},{\"location\":\"depot\",\"quantity\":14}]}"},
    {"jparse", "part-query", 4, 2, 2, "needs_approval=false"},
    {"jparse", "job-create", 5, 0, 2,
     "{\"customer_id\":42,\"asset_id\":7,\"kind\":\"repair\",\"fault\":"
     "\"Drum does not turn, error E21\",\"priority\":2,\"duration_minutes\":"
     "90,\"sla_due_at\":\"2026-11-24T17:00:00+01:00\",\"window_start\":"
     "\"2026-11-23T09:00:00Z\",\"window_end\":\"2026-11-23T11:00:00.000Z\","
     "\"required_skills\":[{\"skill\":\"wm\",\"level\":3}],\"parts\":"
     "[{\"part_id\":12,\"quantity\":1}]}"},
    {"jparse", "job-patch", 5, 1, 2,
     "{\"version\":3,\"priority\":1,\"window_start\":null,\"fault\":"
     "\"Leaks \\u00fcber die T\\u00fcr\\n\\\"E21\\\"\"}"},
    {"jparse", "job-query", 5, 2, 2,
     "status=assigned&date=2026-11-23&technician_id=5&customer_id=42"},
    {"jparse", "sla-patch", 6, 1, 2,
     "{\"respond_minutes\":240,\"on_site_minutes\":1440}"},
    {"jparse", "user-patch", 7, 1, 2, "{\"role\":\"dispatcher\",\"active\":false}"},
    {"jparse", "user-query", 7, 2, 2, "role=manager&active=true"},
    {"jparse", "api-token-create", 8, 0, 2, "{\"name\":\"ERP export\"}"},
    {"jparse", "device-query", 9, 2, 2, "technician_id=3"},
    {"jparse", "event-assign", 10, 0, 2,
     "{\"event\":\"assign\",\"technician_id\":5,\"version\":3}"},
    {"jparse", "event-book", 10, 0, 2,
     "{\"event\":\"book\",\"window_start\":\"2026-11-23T09:00:00Z\","
     "\"window_end\":\"2026-11-23T11:00:00Z\"}"},
    {"jparse", "event-quote", 10, 1, 2,
     "{\"event\":\"issue_quote\",\"liquid\":true,\"lines\":[{\"kind\":\"part\","
     "\"description\":\"Drain pump\",\"quantity\":1,\"unit_price_minor\":8900},"
     "{\"kind\":\"callout\",\"description\":\"Call-out\",\"quantity\":1,"
     "\"unit_price_minor\":3500}],\"on_behalf_of\":\"technician\","
     "\"reason\":\"device battery dead, phoned in\"}"},
    {"jparse", "event-complete", 10, 0, 2,
     "{\"event\":\"complete_work\",\"notes\":\"Pump replaced\",\"parts_used\":"
     "[{\"part_id\":12,\"quantity\":1,\"serial\":\"P-88231\"}],\"labour\":"
     "[{\"description\":\"1 h\",\"quantity\":1,\"unit_price_minor\":6500}]}"},
    {"jparse", "event-follow-up", 10, 0, 2,
     "{\"event\":\"need_follow_up\",\"outcome\":\"parts_missing\",\"notes\":"
     "\"Bearing worn too\"}"},
    {"jparse", "event-parts-missing", 10, 0, 2,
     "{\"event\":\"parts_missing\",\"expected_on\":\"2026-11-30\"}"},
    {"jparse", "event-sign-off", 10, 1, 2,
     "{\"event\":\"sign_off\",\"customer_name\":\"Anna Schmidt\",\"signature\":"
     "\"iVBORw0KGgo=\",\"rating\":5,\"comment\":\"Quick and tidy\","
     "\"on_behalf_of\":\"customer\",\"reason\":\"signed on paper\"}"},
    {"jparse", "event-cancel", 10, 0, 2,
     "{\"event\":\"cancel\",\"reason\":\"customer moved away\"}"},
    /* fuzz_router: mode 0 a path; mode 1 is built from route indexes */
    {"router", "job", 0, 0, 1, "/api/v1/jobs/123"},
    {"router", "job-events", 0, 0, 1, "/api/v1/jobs/123/events"},
    {"router", "at-risk", 0, 0, 1, "/api/v1/jobs/at-risk"},
    {"router", "signature", 0, 0, 1,
     "/api/v1/jobs/77/sign-offs/3/signature"},
    {"router", "part-approve", 0, 0, 1, "/api/v1/jobs/77/parts/2/approve"},
    {"router", "booking", 0, 0, 1,
     "/api/v1/public/bookings/q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn-_A"},
    {"router", "ics", 0, 0, 1,
     "/book/q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn-_A/appointment.ics"},
    {"router", "static", 0, 0, 1, "/static/3f9a1c0d2b7e4a56/app.js"},
    {"router", "static-bad", 0, 0, 1, "/static/3f9a1c0d2b7e4a56/.htaccess"},
    {"router", "leading-zero", 0, 0, 1, "/api/v1/customers/007"},
    {"router", "trailing-slash", 0, 0, 1, "/api/v1/customers/"},
    {"router", "root", 0, 0, 1, "/"},
    {"router", "metrics", 0, 0, 1, "/metrics"},
    /* fuzz_token: mode 0 a token, 1 base64 (after a 16-bit limit), 2 csrf */
    {"token", "good", 0, 0, 1, "q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn-_A"},
    {"token", "short", 0, 0, 1, "q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn-_"},
    {"token", "std-alphabet", 0, 0, 1,
     "q3Vd0xL2kP9sTmB7wYc1Nf4HgJ6aRz8eUo5iKlMn+/A"},
    {"token", "b64-png", 1, 1, 3, "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
                                  "AAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
                                  "rkJggg=="},
    {"token", "b64-pad1", 1, 0, 3, "aGk="},
    {"token", "b64-pad2", 1, 0, 3, "aA=="},
    {"token", "b64-bad-bits", 1, 0, 3, "aB=="},
    {"token", "csrf", 2, 0, 1, "0123456789abcdef0123456789abcdef\x05\x01"},
    /* fuzz_timefmt: 0 RFC 3339, 1 date, 2 HH:MM */
    {"timefmt", "z", 0, 0, 1, "2026-11-23T09:30:00Z"},
    {"timefmt", "offset-frac", 0, 0, 1, "2026-03-29T02:30:00.123456+01:00"},
    {"timefmt", "lower", 0, 0, 1, "1999-12-31t23:59:59z"},
    {"timefmt", "leap", 0, 0, 1, "2024-02-29T12:00:00-09:30"},
    {"timefmt", "edge-low", 0, 0, 1, "1900-01-01T00:00:00+23:59"},
    {"timefmt", "edge-high", 0, 0, 1, "9999-12-31T23:59:59Z"},
    {"timefmt", "date", 1, 0, 1, "2026-11-23"},
    {"timefmt", "date-leap", 1, 0, 1, "2000-02-29"},
    {"timefmt", "date-bad", 1, 0, 1, "2100-02-29"},
    {"timefmt", "hhmm", 2, 0, 1, "08:30"},
    {"timefmt", "hhmm-24", 2, 0, 1, "24:00"},
    /* fuzz_tz: mode 2, zone names */
    {"tz", "name-berlin", 2, 0, 1, "Europe/Berlin"},
    {"tz", "name-gmt-plus", 2, 0, 1, "Etc/GMT+5"},
    {"tz", "name-dotdot", 2, 0, 1, "../../etc/passwd"},
    {"tz", "name-right", 2, 0, 1, "right/UTC"},
};

static void text_seeds(void)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const struct text_seed *t = &texts[i];
        char head[3] = {(char)t->h0, (char)t->h1, 0};

        if (strcmp(t->target, "token") == 0 && t->h0 == 1) {
            head[1] = 0x01, head[2] = 0x00; /* max 256 bytes */
            put_text(t->target, t->name, head, 3, t->text);
        } else {
            put_text(t->target, t->name, head, (size_t)t->hlen, t->text);
        }
    }
}

/* --- binary layouts ---------------------------------------------------- */

static void be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static size_t route_index(const char *method, const char *pattern)
{
    for (size_t i = 0; i < api_nroutes; i++)
        if (!strcmp(api_routes[i].method, method) &&
            !strcmp(api_routes[i].pattern, pattern))
            return i;
    abort();
}

/* fuzz_router mode 1: a route index, then length-prefixed values */
static void router_built(void)
{
    uint8_t b[64];
    size_t n = 0;

    b[n++] = 1;
    b[n++] = (uint8_t)route_index("POST", "/api/v1/jobs/{id}/events");
    b[n++] = 3, memcpy(b + n, "123", 3), n += 3;
    put("router", "built-job-events", b, n, NULL, 0);
    n = 0;
    b[n++] = 1;
    b[n++] = (uint8_t)route_index("GET", "/static/{version}/{file}");
    b[n++] = 16, memcpy(b + n, "3f9a1c0d2b7e4a56", 16), n += 16;
    b[n++] = 9, memcpy(b + n, "style.css", 9), n += 9;
    put("router", "built-static", b, n, NULL, 0);
}

static void ics_seed(void)
{
    uint8_t head[25];
    static const char tail[] =
        "0c2f7a91d3e84b56@fsd\0Service visit (repair)\0Drum does not turn, "
        "error E21; customer: \"ring twice\", back door.\nSecond line \xc3\xbc"
        "ber die T\xc3\xbcr \xe2\x82\xac 89,00 \xf0\x9f\x94\xa7 and a long "
        "tail so the line has to fold more than once at 75 octets each.";

    head[0] = 3;
    /* instant() takes each 64-bit value modulo the range from its low end */
    be64(head + 1, (uint64_t)(1795070000LL + 2208988800LL + 86340));
    be64(head + 9, (uint64_t)(1795075200LL + 2208988800LL + 86340));
    be64(head + 17, (uint64_t)(1795082400LL + 2208988800LL + 86340));
    put("ics", "visit", head, sizeof head, tail, sizeof tail - 1);
}

static void timefmt_numbers(void)
{
    uint8_t b[17] = {3};

    be64(b + 1, (uint64_t)(1795070000LL + 2208988800LL + 86340));
    b[9] = 0x07, b[10] = 0xea, b[11] = 2, b[12] = 29; /* 2026-02-29 */
    b[13] = 0, b[14] = 0, b[15] = 0x05, b[16] = 0xa0; /* 1440 minutes */
    put("timefmt", "numbers", b, sizeof b, NULL, 0);
}

/* fuzz_tz mode 1: types, then transitions (see built() there) */
static size_t tz_described(uint8_t *b, const int8_t *offs, int ntypes,
                           const uint8_t *idx, int n)
{
    size_t o = 0;

    b[o++] = 1;
    b[o++] = (uint8_t)(ntypes - 1);
    for (int i = 0; i < ntypes; i++)
        b[o++] = (uint8_t)offs[i]; /* quarter hours */
    b[o++] = (uint8_t)n;
    be64(b + o, 1774746000); /* 2026-03-29T01:00:00Z */
    o += 8;
    b[o++] = 0; /* no shift */
    for (int i = 0; i < n; i++) {
        b[o] = 0x00, b[o + 1] = 0xef, b[o + 2] = 0xf1, b[o + 3] = 0x00;
        o += 4;          /* a step of 15724800 s, about half a year */
        b[o++] = 0;      /* no shift */
        b[o++] = idx[i]; /* type */
    }
    return o;
}

static void tz_seeds(void)
{
    static const char *const zones[][2] = {
        {"Europe/Berlin", "file-berlin"}, {"America/New_York", "file-new-york"},
        {"Australia/Lord_Howe", "file-lord-howe"},
        {"Asia/Kolkata", "file-kolkata"}, {"Etc/UTC", "file-utc"},
        {"Pacific/Chatham", "file-chatham"}};
    static const int8_t cet[] = {4, 8}, bad[] = {4, 8, -120};
    static const uint8_t idx[] = {1, 0, 1, 0, 1, 0};
    uint8_t b[128];

    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        char path[128];
        uint8_t buf[8192];
        size_t n;
        FILE *f;

        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zones[i][0]);
        if (!(f = fopen(path, "rb")))
            continue; /* tzdata missing: keep the checked-in seed */
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        put("tz", zones[i][1], "\0", 1, buf, n);
    }
    put("tz", "built-cet", b, tz_described(b, cet, 2, idx, 6), NULL, 0);
    put("tz", "built-bad-offset", b, tz_described(b, bad, 3, idx, 4), NULL,
        0);
}

/* fuzz_quote: a number read raw (flag 1, then 8 bytes) */
static size_t raw_number(uint8_t *b, int64_t v)
{
    b[0] = 1;
    be64(b + 1, (uint64_t)v);
    return 9;
}

static size_t quote_line(uint8_t *b, int kind, int desc, int64_t qty,
                         int64_t price)
{
    size_t o = 0;

    b[o++] = (uint8_t)kind;
    b[o++] = (uint8_t)desc; /* index into the target's descriptions */
    o += raw_number(b + o, qty);
    o += raw_number(b + o, price);
    return o;
}

static void quote_seeds(void)
{
    uint8_t b[256];
    size_t o = 0;

    o += raw_number(b + o, 1795070000);         /* issued */
    o += raw_number(b + o, 1795070000 + 86400); /* now: just expired */
    b[o++] = 3;
    o += quote_line(b + o, 0, 0, 1, 8900);
    o += quote_line(b + o, 1, 3, 2, 6500);
    o += quote_line(b + o, 2, 4, 1, 3500);
    put("quote", "three-lines", b, o, NULL, 0);
    o = 0;
    o += raw_number(b + o, INT64_MAX - 100);
    o += raw_number(b + o, INT64_MAX);
    b[o++] = 3;
    o += quote_line(b + o, 2, 4, 1, 3500);
    o += quote_line(b + o, 0, 0, 10000, 1000000000000LL);
    o += quote_line(b + o, 2, 4, 1, 3500);
    put("quote", "second-callout", b, o, NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc != 2 || sodium_init() < 0) {
        fprintf(stderr, "usage: gen_corpus CORPUS_DIR\n");
        return 2;
    }
    root = argv[1];
    if (mkdir(root, 0755) && errno != EEXIST)
        return 1;
    for (int k = 0; k < FUZZ_NKEYS; k++)
        fuzz_sign_key((enum fuzz_key)k, &keys[k]);
    fuzz_box_key(box_pk, box_sk);
    wire_seeds();
    text_seeds();
    router_built();
    ics_seed();
    timefmt_numbers();
    tz_seeds();
    quote_seeds();
    return 0;
}
