/*
 * client_actions.c - the technician's actions (and the customer's answer
 * to a quote, given on the technician's device) as outbox items.  Each is
 * written to the local store at once (no network needed) with the job
 * version the technician saw, and uploaded by fsd_sync in order.
 */
#include "client_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A mutation for job with the version on the device. */
static void start(fsd_client *c, Fsd__V1__Mutation *m, uint64_t job)
{
    fsd__v1__mutation__init(m);
    m->job_id = job;
    m->base_version = client_job_version(c, job);
}

int fsd_en_route(fsd_client *c, uint64_t job)
{
    Fsd__V1__Mutation m;
    Fsd__V1__EnRoute e = FSD__V1__EN_ROUTE__INIT;

    start(c, &m, job);
    m.kind_case = FSD__V1__MUTATION__KIND_EN_ROUTE;
    m.en_route = &e;
    return client_outbox_add(c, &m, "en_route");
}

int fsd_arrive(fsd_client *c, uint64_t job)
{
    Fsd__V1__Mutation m;
    Fsd__V1__Arrive a = FSD__V1__ARRIVE__INIT;

    start(c, &m, job);
    m.kind_case = FSD__V1__MUTATION__KIND_ARRIVE;
    m.arrive = &a;
    return client_outbox_add(c, &m, "arrive");
}

int fsd_note(fsd_client *c, uint64_t job, const char *text)
{
    Fsd__V1__Mutation m;
    Fsd__V1__Note n = FSD__V1__NOTE__INIT;

    if (!text || !*text || strlen(text) > 4000)
        return client_fail(c, FSD_ERR_INVALID, "a note of 1 to 4000 bytes");
    start(c, &m, job);
    n.text = (char *)text;
    m.kind_case = FSD__V1__MUTATION__KIND_NOTE;
    m.note = &n;
    return client_outbox_add(c, &m, "note");
}

static void findings(Fsd__V1__Findings *out, const struct fsd_findings *f)
{
    fsd__v1__findings__init(out);
    if (f) {
        out->liquid = f->liquid != 0;
        out->impact = f->impact != 0;
        out->tampered = f->tampered != 0;
        out->performance_fault = f->performance_fault != 0;
    }
}

int fsd_warranty(fsd_client *c, uint64_t job, int replacement,
                 const struct fsd_findings *f)
{
    Fsd__V1__Mutation m;
    Fsd__V1__WarrantyDecision w = FSD__V1__WARRANTY_DECISION__INIT;
    Fsd__V1__Findings fi;

    start(c, &m, job);
    findings(&fi, f);
    w.outcome = replacement ? FSD__V1__WARRANTY_DECISION__OUTCOME__REPLACEMENT
                            : FSD__V1__WARRANTY_DECISION__OUTCOME__IN_WARRANTY;
    w.findings = &fi;
    m.kind_case = FSD__V1__MUTATION__KIND_WARRANTY;
    m.warranty = &w;
    return client_outbox_add(c, &m, "warranty");
}

static Fsd__V1__QuoteLine__Kind line_kind(const char *k)
{
    return !k                        ? FSD__V1__QUOTE_LINE__KIND__KIND_UNSPECIFIED
           : !strcmp(k, "part")      ? FSD__V1__QUOTE_LINE__KIND__PART
           : !strcmp(k, "labour")    ? FSD__V1__QUOTE_LINE__KIND__LABOUR
           : !strcmp(k, "callout")   ? FSD__V1__QUOTE_LINE__KIND__CALLOUT
                                     : FSD__V1__QUOTE_LINE__KIND__KIND_UNSPECIFIED;
}

int fsd_quote(fsd_client *c, uint64_t job, const struct fsd_findings *f,
              const struct fsd_line *lines, size_t n)
{
    Fsd__V1__Mutation m;
    Fsd__V1__Quote q = FSD__V1__QUOTE__INIT;
    Fsd__V1__Findings fi;
    Fsd__V1__QuoteLine ql[100], *pl[100];
    int rc;

    if (n == 0 || n > 100)
        return client_fail(c, FSD_ERR_INVALID, "a quote has 1 to 100 lines");
    start(c, &m, job);
    findings(&fi, f);
    for (size_t i = 0; i < n; i++) {
        fsd__v1__quote_line__init(&ql[i]);
        ql[i].kind = line_kind(lines[i].kind);
        ql[i].description = (char *)lines[i].description;
        ql[i].quantity = lines[i].quantity;
        ql[i].unit_price_minor = lines[i].unit_price_minor;
        ql[i].part_id = lines[i].part_id;
        pl[i] = &ql[i];
    }
    q.findings = &fi;
    q.n_lines = n;
    q.lines = pl;
    m.kind_case = FSD__V1__MUTATION__KIND_QUOTE;
    m.quote = &q;
    rc = client_outbox_add(c, &m, "quote");
    return rc;
}

/* Fill pu/pp (at least n entries) from parts. */
static void part_uses(const struct fsd_part_use *parts, size_t n,
                      Fsd__V1__PartUse *pu, Fsd__V1__PartUse **pp)
{
    for (size_t i = 0; i < n; i++) {
        fsd__v1__part_use__init(&pu[i]);
        pu[i].part_id = parts[i].part_id;
        pu[i].quantity = parts[i].quantity;
        if (parts[i].serial)
            pu[i].serial = (char *)parts[i].serial;
        if (parts[i].faulty_serial)
            pu[i].faulty_serial = (char *)parts[i].faulty_serial;
        pp[i] = &pu[i];
    }
}

int fsd_parts_used(fsd_client *c, uint64_t job,
                   const struct fsd_part_use *parts, size_t nparts)
{
    Fsd__V1__Mutation m;
    Fsd__V1__PartsUsed u = FSD__V1__PARTS_USED__INIT;
    Fsd__V1__PartUse pu[100], *pp[100];

    if (nparts == 0 || nparts > 100)
        return client_fail(c, FSD_ERR_INVALID, "1 to 100 parts");
    start(c, &m, job);
    part_uses(parts, nparts, pu, pp);
    u.n_parts = nparts;
    u.parts = pp;
    m.kind_case = FSD__V1__MUTATION__KIND_PARTS_USED;
    m.parts_used = &u;
    return client_outbox_add(c, &m, "parts_used");
}

static const char *const outcomes[] = {
    "", "completed", "customer_not_home", "parts_missing", "needs_follow_up",
    "partly_done"};

int fsd_outcome(fsd_client *c, uint64_t job, const char *outcome,
                const char *notes, const struct fsd_part_use *parts,
                size_t nparts)
{
    return fsd_outcome_labour(c, job, outcome, notes, parts, nparts, NULL, 0);
}

int fsd_outcome_labour(fsd_client *c, uint64_t job, const char *outcome,
                       const char *notes, const struct fsd_part_use *parts,
                       size_t nparts, const struct fsd_labour *labour,
                       size_t nlabour)
{
    Fsd__V1__Mutation m;
    Fsd__V1__VisitOutcome o = FSD__V1__VISIT_OUTCOME__INIT;
    Fsd__V1__PartUse pu[100], *pp[100];
    Fsd__V1__LabourLine ll[20], *lp[20];
    int code = 0;

    for (int i = 1; i < 6; i++)
        if (outcome && !strcmp(outcome, outcomes[i]))
            code = i;
    if (!code || nparts > 100)
        return client_fail(c, FSD_ERR_INVALID, "outcome is completed,"
                           " customer_not_home, parts_missing,"
                           " needs_follow_up or partly_done");
    if (nlabour > 20)
        return client_fail(c, FSD_ERR_INVALID, "0 to 20 lines of labour");
    for (size_t i = 0; i < nlabour; i++) {
        if (!labour[i].description || !*labour[i].description ||
            labour[i].quantity < 1 || labour[i].quantity > 1000 ||
            labour[i].unit_price_minor < 0)
            return client_fail(c, FSD_ERR_INVALID, "a line of labour has a"
                               " description, a quantity 1-1000 and a"
                               " price of 0 or more");
        fsd__v1__labour_line__init(&ll[i]);
        ll[i].description = (char *)labour[i].description;
        ll[i].quantity = labour[i].quantity;
        ll[i].unit_price_minor = labour[i].unit_price_minor;
        lp[i] = &ll[i];
    }
    start(c, &m, job);
    part_uses(parts, nparts, pu, pp);
    o.outcome = (Fsd__V1__VisitOutcome__Outcome)code;
    o.notes = (char *)(notes ? notes : "");
    o.n_parts = nparts;
    o.parts = pp;
    o.n_labour = nlabour;
    o.labour = lp;
    m.kind_case = FSD__V1__MUTATION__KIND_OUTCOME;
    m.outcome = &o;
    return client_outbox_add(c, &m, "outcome");
}

/* A sign-off, with the summary shown to the customer when summary_len is
 * not 0 (its hash computed here, so the two always go together). */
static int sign_off(fsd_client *c, uint64_t job, const char *customer_name,
                    unsigned rating, const uint8_t *png, size_t png_len,
                    const char *comment, int accepted, const char *summary,
                    size_t summary_len)
{
    Fsd__V1__Mutation m;
    Fsd__V1__SignOff s = FSD__V1__SIGN_OFF__INIT;
    uint8_t hash[crypto_generichash_BYTES];

    if (accepted && (!customer_name || !*customer_name || rating < 1 ||
                     rating > 5 || !png || png_len == 0 ||
                     png_len > 256 * 1024))
        return client_fail(c, FSD_ERR_INVALID, "a sign-off needs the"
                           " customer's name, a rating 1-5 and a signature"
                           " image of at most 256 KiB");
    start(c, &m, job);
    s.customer_name = (char *)(customer_name ? customer_name : "");
    s.rating = rating;
    s.signature_png.data = (uint8_t *)png;
    s.signature_png.len = png_len;
    s.comment = (char *)(comment && accepted ? comment : "");
    s.reject_reason = (char *)(comment && !accepted ? comment : "");
    s.accepted = accepted != 0;
    if (summary_len) {
        crypto_generichash(hash, sizeof hash, (const uint8_t *)summary,
                           summary_len, NULL, 0);
        s.summary.data = (uint8_t *)summary;
        s.summary.len = summary_len;
        s.summary_hash.data = hash;
        s.summary_hash.len = sizeof hash;
    }
    m.kind_case = FSD__V1__MUTATION__KIND_SIGN_OFF;
    m.sign_off = &s;
    return client_outbox_add(c, &m, "sign_off");
}

int fsd_sign_off(fsd_client *c, uint64_t job, const char *customer_name,
                 unsigned rating, const uint8_t *png, size_t png_len,
                 const char *comment, int accepted)
{
    return sign_off(c, job, customer_name, rating, png, png_len, comment,
                    accepted, NULL, 0);
}

int fsd_sign_off_summary(fsd_client *c, uint64_t job,
                         const char *customer_name, unsigned rating,
                         const uint8_t *png, size_t png_len,
                         const char *comment, const char *summary,
                         size_t summary_len)
{
    if (!summary || summary_len == 0 || summary_len > 16384)
        return client_fail(c, FSD_ERR_INVALID, "the summary shown to the"
                           " customer is 1 to 16384 bytes of JSON");
    return sign_off(c, job, customer_name, rating, png, png_len, comment, 1,
                    summary, summary_len);
}

int fsd_quote_answer(fsd_client *c, uint64_t job, int approve,
                     const char *customer_name, const char *reason)
{
    Fsd__V1__Mutation m;
    Fsd__V1__QuoteAnswer a = FSD__V1__QUOTE_ANSWER__INIT;

    if (!customer_name || !*customer_name || strlen(customer_name) > 200)
        return client_fail(c, FSD_ERR_INVALID, "a quote answer needs the"
                           " name of who answered, 1 to 200 bytes");
    if (reason && strlen(reason) > 1000)
        return client_fail(c, FSD_ERR_INVALID, "a quote answer's reason is"
                           " at most 1000 bytes");
    start(c, &m, job);
    a.approved = approve != 0;
    a.customer_name = (char *)customer_name;
    a.reason = (char *)(reason ? reason : "");
    m.kind_case = FSD__V1__MUTATION__KIND_QUOTE_ANSWER;
    m.quote_answer = &a;
    return client_outbox_add(c, &m, "quote_answer");
}
