/*
 * warranty.c - the warranty decision: validate the dates, work out the
 * covered period, then apply the rules in the order warranty.h documents.
 *
 * Pure: no SQL, no HTTP, no allocation and no clock.  Dates are strictly
 * parsed by timefmt; month arithmetic is done on year/month/day here
 * because timefmt has no "add months".  Must not read the current time:
 * the visit date is what the technician recorded, and tests rely on that.
 */
#include "rules/warranty.h"
#include "common/timefmt.h"

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>

/* The validated inputs, as numbers. */
struct parsed {
    int known;               /* purchase date given */
    int py, pm, pd;          /* purchase year, month, day */
    int64_t purchase, visit; /* days since the epoch */
};

/* Damage bits in reporting order: the first set one names reason_code. */
static const struct {
    unsigned bit;
    const char *code;
    const char *text;
} damages[] = {
    {DAMAGE_LIQUID, "liquid_damage", "liquid ingress"},
    {DAMAGE_IMPACT, "impact_damage", "impact or deformation"},
    {DAMAGE_TAMPERED, "tampered", "unauthorised repair or broken seal"},
};

static int64_t days_in_month(int y, int m)
{
    return m == 12 ? 31
                   : timefmt_days_from_civil(y, m + 1, 1) -
                         timefmt_days_from_civil(y, m, 1);
}

/* "YYYY-MM-DD"; the unsigned modulos keep every field's width known. */
static void format_date(char buf[TIMEFMT_DATE_LEN], int y, int m, int d)
{
    snprintf(buf, TIMEFMT_DATE_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u,
             (unsigned)m % 100u, (unsigned)d % 100u);
}

/* Parse s strictly; also split it into y, m, d when asked. */
static int parse_date(const char *s, int64_t *days, int *y, int *m, int *d)
{
    if (!s || timefmt_parse_date(s, days))
        return ERR_INVALID;
    if (y) { /* s is a valid "YYYY-MM-DD" now, digits in known places */
        *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
             (s[3] - '0');
        *m = (s[5] - '0') * 10 + (s[6] - '0');
        *d = (s[8] - '0') * 10 + (s[9] - '0');
    }
    return 0;
}

static int validate(const struct warranty_input *in, struct parsed *p,
                    struct err *err)
{
    if (parse_date(in->visit_date, &p->visit, NULL, NULL, NULL))
        return err_set(err, ERR_INVALID, "invalid_date", "visit_date",
                       "visit_date must be a date YYYY-MM-DD");
    p->known = in->purchase_date != NULL;
    if (p->known &&
        parse_date(in->purchase_date, &p->purchase, &p->py, &p->pm, &p->pd))
        return err_set(err, ERR_INVALID, "invalid_date", "purchase_date",
                       "purchase_date must be a date YYYY-MM-DD or null");
    if (in->warranty_months < 0 || in->warranty_months > WARRANTY_MONTHS_MAX)
        return err_set(err, ERR_INVALID, "out_of_range", "warranty_months",
                       "warranty_months must be 0..%d", WARRANTY_MONTHS_MAX);
    if (in->damage & ~(unsigned)WARRANTY_DAMAGE_ALL)
        return err_set(err, ERR_INVALID, "out_of_range", "damage",
                       "damage has unknown bits 0x%x",
                       in->damage & ~(unsigned)WARRANTY_DAMAGE_ALL);
    if (p->known && p->visit < p->purchase)
        return err_set(err, ERR_INVALID, "visit_before_purchase", "visit_date",
                       "visit_date is before purchase_date");
    return 0;
}

/*
 * The last covered day of a period of months > 0 from p's purchase date,
 * into buf and *end.  See warranty.h for the definition and clamping.
 */
static void period_end(const struct parsed *p, int months,
                       char buf[TIMEFMT_DATE_LEN], int64_t *end)
{
    int total = p->pm - 1 + months;
    int y = p->py + total / 12, m = total % 12 + 1;
    int d = p->pd;

    if (y > 9999) { /* beyond any valid visit date; keep buf 10 chars */
        *end = timefmt_days_from_civil(9999, 12, 31);
        format_date(buf, 9999, 12, 31);
        return;
    }
    if (d > days_in_month(y, m))
        d = (int)days_in_month(y, m); /* the anniversary is clamped */
    *end = timefmt_days_from_civil(y, m, d) - 1;
    if (d > 1)
        format_date(buf, y, m, d - 1);
    else if (m > 1)
        format_date(buf, y, m - 1, (int)days_in_month(y, m - 1));
    else
        format_date(buf, y - 1, 12, 31);
}

static void set(struct warranty_decision *out, enum warranty_outcome o,
                const char *code)
{
    out->outcome = o;
    out->reason_code = code;
}

/*
 * Rule 1: OUT naming every damage found; 0 when there is none.  All three
 * texts together take about 100 bytes, so reason never truncates here.
 */
static int decide_damage(unsigned damage, struct warranty_decision *out)
{
    size_t n = 0;
    int len =
        snprintf(out->reason, sizeof out->reason, "customer-caused damage:");

    for (size_t i = 0; i < sizeof damages / sizeof damages[0]; i++) {
        if (!(damage & damages[i].bit))
            continue;
        if (n++ == 0)
            set(out, WARRANTY_OUT, damages[i].code);
        len += snprintf(out->reason + len, sizeof out->reason - (size_t)len,
                        "%s %s", n > 1 ? "," : "", damages[i].text);
    }
    return n > 0;
}

static int has_text(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return 1;
    return 0;
}

/* Rule 3: no purchase date, so only the dispatcher can grant cover. */
static void decide_unknown(const char *override, struct warranty_decision *out)
{
    if (has_text(override)) {
        set(out, WARRANTY_IN, "dispatcher_override");
        snprintf(out->reason, sizeof out->reason,
                 "purchase date unknown; dispatcher override: %s", override);
    } else {
        set(out, WARRANTY_OUT, "purchase_date_unknown");
        snprintf(out->reason, sizeof out->reason, "purchase date unknown");
    }
}

/* Rules 4-6, with a known purchase date and months > 0. */
static void decide_dated(const struct warranty_input *in,
                         const struct parsed *p, int64_t end,
                         struct warranty_decision *out)
{
    int64_t day = p->visit - p->purchase;

    if (p->visit > end) {
        set(out, WARRANTY_OUT, "expired");
        snprintf(out->reason, sizeof out->reason, "warranty ended on %s",
                 out->period_end);
    } else if (in->performance_fault && day <= WARRANTY_REPLACEMENT_DAYS) {
        set(out, WARRANTY_REPLACEMENT, "early_failure");
        snprintf(out->reason, sizeof out->reason,
                 "performance fault on day %d after purchase, within %d",
                 (int)day, WARRANTY_REPLACEMENT_DAYS);
    } else {
        set(out, WARRANTY_IN, "within_period");
        snprintf(out->reason, sizeof out->reason, "in warranty until %s",
                 out->period_end);
    }
}

int warranty_decide(const struct warranty_input *in,
                    struct warranty_decision *out, struct err *err)
{
    struct parsed p = {0};
    int64_t end = 0;
    int rc;

    assert(in && out);
    if ((rc = validate(in, &p, err)))
        return rc;
    out->period_end[0] = '\0';
    if (p.known && in->warranty_months > 0)
        period_end(&p, in->warranty_months, out->period_end, &end);
    if (decide_damage(in->damage, out))
        return 0;
    if (in->warranty_months == 0) {
        set(out, WARRANTY_OUT, "no_warranty");
        snprintf(out->reason, sizeof out->reason,
                 "sold without warranty (0 months)");
    } else if (!p.known) {
        decide_unknown(in->override_reason, out);
    } else {
        decide_dated(in, &p, end, out);
    }
    return 0;
}

const char *warranty_outcome_name(enum warranty_outcome o)
{
    switch (o) {
    case WARRANTY_IN:
        return "in_warranty";
    case WARRANTY_REPLACEMENT:
        return "replacement";
    case WARRANTY_OUT:
        return "out_of_warranty";
    }
    return "unknown";
}
