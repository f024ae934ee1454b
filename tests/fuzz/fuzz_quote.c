/*
 * fuzz_quote.c - quote totals and expiry (quote.h).
 *
 * Feeds: an issued_at/now pair for quote_expired, then a line count and
 * that many lines (kind byte, description choice, quantity and unit
 * price; each number either raw 64-bit or near the limits, chosen by a
 * flag bit so the fuzzer reaches both edges and the arithmetic).
 * Checks: quote_total against a 128-bit reference that applies the
 * header's rules in its order: the same return code, error code and field
 * ("lines[i].quantity" of the first offending line), out untouched on
 * failure, exact subtotals and total on success; quote_expired against
 * the 128-bit "now >= issued_at + 24 h".
 */
#include "fuzz.h"
#include "rules/quote.h"

#include <stdio.h>

/* A number from the input: raw, or a small offset around an edge. */
static int64_t number(struct fuzz_in *in, int64_t edge)
{
    uint8_t how = fuzz_u8(in);

    if (how & 1)
        return (int64_t)fuzz_u64(in);
    /* wrapping on purpose: edges near INT64_MAX and INT64_MIN */
    return (int64_t)((uint64_t)edge +
                     (uint64_t)((int8_t)fuzz_u8(in) * (how >> 1 & 7)) - 1);
}

struct expect {
    int rc;
    const char *code;
    char field[96];
    __int128 parts, labour, callout;
};

/* The header's rules, in its order, with no overflow possible. */
static void reference(const struct quote_line *l, size_t n, struct expect *e)
{
    int callouts = 0;

    memset(e, 0, sizeof *e);
    if (n == 0 || n > QUOTE_MAX_LINES) {
        e->rc = ERR_INVALID;
        e->code = n ? "too_many_items" : "missing_field";
        snprintf(e->field, sizeof e->field, "lines");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *what = NULL, *code = "out_of_range";
        __int128 amount = (__int128)l[i].quantity * l[i].unit_price_minor;

        if (l[i].kind != QUOTE_PART && l[i].kind != QUOTE_LABOUR &&
            l[i].kind != QUOTE_CALLOUT)
            what = "kind";
        else if (!l[i].description || !l[i].description[0])
            what = "description", code = "missing_field";
        else if (l[i].quantity < 1 || l[i].quantity > QUOTE_MAX_QUANTITY)
            what = "quantity";
        else if (l[i].unit_price_minor < 0 ||
                 l[i].unit_price_minor > QUOTE_MAX_UNIT_PRICE_MINOR)
            what = "unit_price_minor";
        else if (l[i].kind == QUOTE_CALLOUT && ++callouts > 1)
            what = "kind", code = "duplicate_callout";
        if (what) {
            e->rc = ERR_INVALID;
            e->code = code;
            snprintf(e->field, sizeof e->field, "lines[%zu].%s", i, what);
            return;
        }
        if (l[i].kind == QUOTE_PART)
            e->parts += amount;
        else if (l[i].kind == QUOTE_LABOUR)
            e->labour += amount;
        else
            e->callout += amount;
        if (e->parts + e->labour + e->callout > INT64_MAX) {
            e->rc = ERR_INVALID;
            e->code = "out_of_range";
            snprintf(e->field, sizeof e->field, "lines[%zu]", i);
            return;
        }
    }
}

static void check_expired(struct fuzz_in *in)
{
    int64_t issued = number(in, INT64_MAX - QUOTE_TTL_SECONDS);
    int64_t now = number(in, issued);
    __int128 expires = (__int128)issued + QUOTE_TTL_SECONDS;
    int want = expires <= INT64_MAX && (__int128)now >= expires;

    FUZZ_CHECK(quote_expired(issued, now) == want,
               "quote_expired(%lld, %lld) != %d", (long long)issued,
               (long long)now, want);
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    static const char *const descs[] = {"Replacement pump", "", NULL,
                                        "Labour, 1 h", "Call-out fee"};
    struct fuzz_in in = {data, size};
    struct quote_line lines[QUOTE_MAX_LINES + 3];
    struct quote_totals out, sentinel;
    struct expect e;
    struct err err = ERR_INIT;
    size_t n;
    int rc;

    check_expired(&in);
    n = fuzz_u8(&in) % (QUOTE_MAX_LINES + 3);
    for (size_t i = 0; i < n; i++) {
        uint8_t k = fuzz_u8(&in);
        lines[i].kind = (enum quote_line_kind)(k & 0x80 ? (int8_t)k : k % 3);
        lines[i].description = descs[fuzz_u8(&in) % 5];
        lines[i].quantity = number(&in, QUOTE_MAX_QUANTITY);
        lines[i].unit_price_minor = number(&in, QUOTE_MAX_UNIT_PRICE_MINOR);
    }
    memset(&sentinel, 0xA5, sizeof sentinel);
    out = sentinel;
    rc = quote_total(n ? lines : NULL, n, &out, &err);
    reference(lines, n, &e);
    FUZZ_CHECK(rc == e.rc, "%zu lines: rc %d, expected %d (%s)", n, rc, e.rc,
               e.field);
    if (rc) {
        FUZZ_CHECK(err.rc == rc && err.code && strcmp(err.code, e.code) == 0,
                   "code %s, expected %s", err.code ? err.code : "(null)",
                   e.code);
        FUZZ_CHECK(strcmp(err.field, e.field) == 0, "field %s, expected %s",
                   err.field, e.field);
        FUZZ_CHECK(memcmp(&out, &sentinel, sizeof out) == 0,
                   "out written on failure");
        return 0;
    }
    FUZZ_CHECK(out.parts_minor == e.parts && out.labour_minor == e.labour &&
                   out.callout_minor == e.callout,
               "subtotals %lld/%lld/%lld", (long long)out.parts_minor,
               (long long)out.labour_minor, (long long)out.callout_minor);
    FUZZ_CHECK(out.total_minor == e.parts + e.labour + e.callout,
               "total %lld", (long long)out.total_minor);
    return 0;
}

FUZZ_TARGET(fuzz_one)
