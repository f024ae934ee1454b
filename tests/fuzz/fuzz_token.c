/*
 * fuzz_token.c - the customer link token on its way in, and the byte
 * codecs beside it in sec.h.
 *
 * Feeds: mode 0, a token as it appears in a customer's URL: put into each
 * public {token} route's path, matched by router_match and checked by
 * api_public_token (the booking-token parser, api_public.c); mode 1, text
 * for sec_base64_decode with a buffer limit from the input (signatures
 * arrive this way); mode 2, a session hash for sec_csrf_token.
 * Checks: the token is accepted exactly when it is 43 base64url
 * characters, its hash is BLAKE2b-256 of the text (sec_token_hash), every
 * refusal is the one 404, and a fresh sec_token_new token always passes;
 * base64 decoding succeeds exactly when the text is canonical padded
 * base64 (re-encoding the bytes gives the text back) of at most max
 * bytes, and never writes past max; a CSRF token is 43 base64url
 * characters, the same for the same session and different for another.
 */
#include "api/api.h"
#include "common/sec.h"
#include "fuzz.h"

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "abcdefghijklmnopqrstuvwxyz0123456789-_";

static const char *const token_routes[] = {
    "/api/v1/public/bookings/{token}", "/api/v1/public/bookings/{token}/hold",
    "/book/{token}/appointment.ics", "/api/v1/public/quotes/{token}",
    "/book/{token}", "/quote/{token}"};

/* Put tok into each token route the way a request would carry it. */
static void check_token(const char *tok)
{
    size_t n = strlen(tok);
    int want = n == 43 && strspn(tok, b64url) == 43;

    for (size_t r = 0; r < sizeof token_routes / sizeof *token_routes; r++) {
        const char *pat = token_routes[r], *at = strstr(pat, "{token}");
        char path[2048];
        struct req req;
        struct err err = ERR_INIT;
        unsigned char hash[32], ref[32];
        int matched, rc;

        snprintf(path, sizeof path, "%.*s%s%s", (int)(at - pat), pat, tok,
                 at + 7);
        memset(&req, 0, sizeof req);
        req.path = path;
        matched = router_match(pat, path, &req.params);
        FUZZ_CHECK(matched == (n > 0 && n < 128 && !strchr(tok, '/')),
                   "%s does not capture \"%s\"", pat, tok);
        if (!matched)
            continue;
        FUZZ_CHECK(strcmp(router_param(&req.params, "token"), tok) == 0,
                   "captured \"%s\"", router_param(&req.params, "token"));
        rc = api_public_token(&req, hash, &err);
        FUZZ_CHECK((rc == 0) == want, "token \"%s\": %d", tok, rc);
        if (rc == 0) {
            sec_token_hash(tok, ref);
            FUZZ_CHECK(memcmp(hash, ref, 32) == 0, "hash of \"%s\"", tok);
            crypto_generichash(ref, 32, (const unsigned char *)tok, n, NULL,
                               0);
            FUZZ_CHECK(memcmp(hash, ref, 32) == 0, "not BLAKE2b-256");
        } else {
            FUZZ_CHECK(rc == ERR_NOT_FOUND &&
                           strcmp(err.msg, STORE_LINK_INVALID) == 0,
                       "refusal %d \"%s\"", rc, err.msg);
        }
    }
}

/* The reference: strict RFC 4648 padded base64 with zero pad bits; the
 * decoded length, or -1. */
static long ref_base64(const char *s)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            "abcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), pad = 0;

    if (n % 4)
        return -1;
    if (n && s[n - 1] == '=')
        pad = n > 1 && s[n - 2] == '=' ? 2 : 1;
    for (size_t i = 0; i < n - pad; i++)
        if (!s[i] || !strchr(a, s[i]))
            return -1;
    if (pad) { /* the bits of the last character past the data are 0 */
        size_t v = (size_t)(strchr(a, s[n - pad - 1]) - a);
        if (v & (pad == 1 ? 3 : 15))
            return -1;
    }
    return (long)(n / 4 * 3 - pad);
}

static void check_base64(struct fuzz_in *in)
{
    size_t max = fuzz_u16(in) % 512, len = 12345, n;
    char *text = fuzz_rest_str(in), *again;
    unsigned char *out = malloc(max + 1), *buf;
    int rc;
    long ref;

    n = strlen(text);
    rc = sec_base64_decode(text, out, max, &len);
    ref = ref_base64(text);
    FUZZ_CHECK((rc == 0) == (ref >= 0 && (size_t)ref <= max),
               "\"%s\" max %zu: rc %d, reference %ld", text, max, rc, ref);
    FUZZ_CHECK(rc || (long)len == ref, "%zu bytes, reference %ld", len, ref);
    /* the reference: decode with a roomy buffer, then re-encode */
    buf = malloc(n + 1);
    if (rc == 0) {
        FUZZ_CHECK(len <= max, "%zu bytes into %zu", len, max);
        again = malloc(sodium_base64_ENCODED_LEN(len,
                                                 sodium_base64_VARIANT_ORIGINAL));
        sodium_bin2base64(again,
                          sodium_base64_ENCODED_LEN(
                              len, sodium_base64_VARIANT_ORIGINAL),
                          out, len, sodium_base64_VARIANT_ORIGINAL);
        FUZZ_CHECK(strcmp(again, text) == 0, "\"%s\" is not canonical (%s)",
                   text, again);
        free(again);
    } else {
        size_t l2 = 0;
        /* refused: either not canonical base64, or too long for max */
        if (sec_base64_decode(text, buf, n, &l2) == 0)
            FUZZ_CHECK(l2 > max, "\"%s\" (%zu bytes) refused with max %zu",
                       text, l2, max);
    }
    free(buf);
    free(out);
    free(text);
}

static void check_csrf(struct fuzz_in *in)
{
    unsigned char h[32], h2[32];
    char a[SEC_TOKEN_TEXT], b[SEC_TOKEN_TEXT];
    size_t n;

    memset(h, 0, sizeof h);
    memcpy(h, fuzz_bytes(in, 32, &n), n);
    memcpy(h2, h, 32);
    h2[fuzz_u8(in) % 32] ^= (uint8_t)(1 + fuzz_u8(in) % 255);
    sec_csrf_token(h, a);
    sec_csrf_token(h, b);
    FUZZ_CHECK(strlen(a) == 43 && strspn(a, b64url) == 43, "csrf \"%s\"", a);
    FUZZ_CHECK(strcmp(a, b) == 0, "csrf not stable");
    sec_csrf_token(h2, b);
    FUZZ_CHECK(strcmp(a, b) != 0, "two sessions share a csrf token");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char tok[SEC_TOKEN_TEXT];
    struct err err = ERR_INIT;

    (void)argc;
    (void)argv;
    if (sec_init(&err))
        abort();
    for (int i = 0; i < 64; i++) { /* what the server hands out passes */
        sec_token_new(tok);
        check_token(tok);
        FUZZ_CHECK(strlen(tok) == 43, "new token \"%s\"", tok);
    }
    return 0;
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    uint8_t mode = fuzz_u8(&in);
    char *tok;

    switch (mode % 3) {
    case 0:
        tok = fuzz_rest_str(&in);
        if (strlen(tok) < 1024)
            check_token(tok);
        free(tok);
        break;
    case 1:
        check_base64(&in);
        break;
    default:
        check_csrf(&in);
        break;
    }
    return 0;
}

FUZZ_TARGET(fuzz_one)
