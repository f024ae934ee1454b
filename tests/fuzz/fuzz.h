/*
 * fuzz.h - what the fuzz targets share: a cursor over libFuzzer's input,
 * the check that turns a broken property into a crash, the entry point
 * that runs each input on a stack the size of a CivetWeb worker's, and
 * the fixed keys the signed-input targets and the seed generator
 * (tests/fuzz/gen_wire.c) agree on.
 *
 * Everything is static inline: each target is one translation unit linked
 * against the server (and SDK) sources compiled with clang (fuzz.mk).
 */
#ifndef FSD_FUZZ_H
#define FSD_FUZZ_H

#include <pthread.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A property that must hold: report it and abort, which libFuzzer
 * records as a crash with the input that broke it. */
#define FUZZ_CHECK(cond, ...)                                                \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__,        \
                    __LINE__, #cond);                                        \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            abort();                                                         \
        }                                                                    \
    } while (0)

/*
 * Request handlers run on CivetWeb's worker threads, 100 KiB of stack each
 * in Debian's libcivetweb: an input that takes a parser deeper than that
 * must crash here as it would crash the server, not pass on libFuzzer's
 * 8 MB main stack.  A target of server code defines `static int
 * fuzz_one(data, size)` and ends with FUZZ_TARGET(fuzz_one); the device
 * SDK's (fuzz_client_bundle.c) runs on the device's own thread instead.
 */
#define FUZZ_WORKER_STACK (100 * 1024)

struct fuzz_call {
    int (*fn)(const uint8_t *, size_t);
    const uint8_t *data;
    size_t size;
};

static inline void *fuzz_call_run(void *arg)
{
    struct fuzz_call *c = arg;

    c->fn(c->data, c->size);
    return NULL;
}

static inline int fuzz_on_worker_stack(int (*fn)(const uint8_t *, size_t),
                                       const uint8_t *data, size_t size)
{
    struct fuzz_call call = {fn, data, size};
    pthread_attr_t attr;
    pthread_t t;

    pthread_attr_init(&attr);
    FUZZ_CHECK(pthread_attr_setstacksize(&attr, FUZZ_WORKER_STACK) == 0 &&
                   pthread_create(&t, &attr, fuzz_call_run, &call) == 0,
               "no worker thread");
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    return 0;
}

#define FUZZ_TARGET(fn)                                                      \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)             \
    {                                                                        \
        return fuzz_on_worker_stack(fn, data, size);                         \
    }

/*
 * Known bugs (tests/fuzz/known/README) would be found again at once and
 * hide everything else, so targets step around them unless FUZZ_STRICT
 * is set in the environment.  Each guard names its bug; remove the guard
 * with the fix.
 */
static inline int fuzz_strict(void)
{
    static int strict = -1;

    if (strict < 0)
        strict = getenv("FUZZ_STRICT") != NULL;
    return strict;
}

/* A cursor over the input: reads past the end give zeros, so every
 * input, however short, is a complete test case. */
struct fuzz_in {
    const uint8_t *p;
    size_t n;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
    uint8_t v = 0;

    if (in->n) {
        v = *in->p++;
        in->n--;
    }
    return v;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
    uint16_t v = fuzz_u8(in);

    return (uint16_t)(v << 8 | fuzz_u8(in));
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
    uint32_t v = fuzz_u16(in);

    return v << 16 | fuzz_u16(in);
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
    uint64_t v = fuzz_u32(in);

    return v << 32 | fuzz_u32(in);
}

/* Up to n bytes (fewer at the end of the input), borrowed. */
static inline const uint8_t *fuzz_bytes(struct fuzz_in *in, size_t n,
                                        size_t *got)
{
    const uint8_t *p = in->p;

    *got = n < in->n ? n : in->n;
    in->p += *got;
    in->n -= *got;
    return p;
}

/* A NUL-terminated copy of [p, p+n) (caller frees). */
static inline char *fuzz_strndup(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);

    if (!s)
        abort();
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

/* The next string: the bytes up to a NUL (consumed) or the end of the
 * input; a fresh copy the caller frees. */
static inline char *fuzz_cstr(struct fuzz_in *in)
{
    const uint8_t *nul = memchr(in->p, 0, in->n);
    size_t n = nul ? (size_t)(nul - in->p) : in->n;
    char *s = fuzz_strndup(in->p, n);

    in->p += n + (nul != NULL);
    in->n -= n + (nul != NULL);
    return s;
}

/* The rest of the input as a string (cut at a NUL). */
static inline char *fuzz_rest_str(struct fuzz_in *in)
{
    char *s = fuzz_strndup(in->p, in->n);

    in->p += in->n;
    in->n = 0;
    return s;
}

/* 1 when [s, s+n) is valid UTF-8 (no overlongs, no surrogates). */
static inline int fuzz_utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i], len, cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (!len || c > 0xF4 || i + len > n)
            return 0;
        cp = c & (0x7F >> len);
        for (unsigned k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

/* Replace every byte of s that is not part of a valid UTF-8 sequence
 * with '?', in place: text reaching the renderers always passed jansson,
 * which refuses invalid UTF-8. */
static inline void fuzz_utf8_sanitize(char *s)
{
    size_t n = strlen(s), i = 0;

    while (i < n) {
        unsigned c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

        if (i + len <= n && fuzz_utf8_valid((unsigned char *)s + i, len))
            i += len;
        else
            s[i++] = '?';
    }
}

/*
 * Fixed keys, derived from fixed seeds so that signed seed inputs stay
 * valid: the server's bundle key, a second trusted key, a key nobody
 * trusts, and a device's signing and sealing keys.
 */
enum fuzz_key { FUZZ_KEY_SERVER, FUZZ_KEY_SECOND, FUZZ_KEY_STRANGER,
                FUZZ_KEY_DEVICE, FUZZ_NKEYS };

struct fuzz_sign_key {
    unsigned char pk[32], sk[64];
    char key_id[17]; /* sec_key_id of pk */
};

static inline void fuzz_sign_key(enum fuzz_key k, struct fuzz_sign_key *out)
{
    unsigned char seed[32], h[32];
    static const char hex[] = "0123456789abcdef";

    memset(seed, 0x41 + (int)k, sizeof seed);
    crypto_sign_seed_keypair(out->pk, out->sk, seed);
    /* sec_key_id: hex of BLAKE2b-256(pk)[0..7], recomputed here so the
     * targets also check the server's */
    crypto_generichash(h, sizeof h, out->pk, 32, NULL, 0);
    for (int i = 0; i < 8; i++) {
        out->key_id[2 * i] = hex[h[i] >> 4];
        out->key_id[2 * i + 1] = hex[h[i] & 15];
    }
    out->key_id[16] = '\0';
}

/* The device's X25519 sealing key pair. */
static inline void fuzz_box_key(unsigned char pk[32], unsigned char sk[32])
{
    unsigned char seed[32];

    memset(seed, 0x5A, sizeof seed);
    crypto_box_seed_keypair(pk, sk, seed);
}

/* The device and technician ids the signed seeds are addressed to. */
#define FUZZ_DEVICE_ID 7
#define FUZZ_TECHNICIAN_ID 3

#endif
