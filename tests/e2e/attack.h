/*
 * attack.h - what the attack suite's files share (e2e_attack.c holds it
 * and the suite): raw HTTP over a loopback socket (for requests libcurl
 * would tidy up: dot segments, oversized heads, other source addresses,
 * half-sent request lines), a fingerprint of every table of the fixture
 * server's database read through a read-only connection, and a tally that
 * counts the attempts of one family of attacks and prints one line.
 */
#ifndef FSD_E2E_ATTACK_H
#define FSD_E2E_ATTACK_H

#include "fixture.h"

#include <check.h>
#include <stddef.h>

/* ---- raw HTTP ---- */

struct raw_reply {
    long status;   /* 0: the server closed or reset without a reply */
    char *data;    /* the whole reply as received, NUL-terminated */
    size_t len;
    const char *body; /* into data, after the head ("" when none) */
};

/* A socket connected to the fixture server from source address src
 * (NULL: the default, 127.0.0.1), with 5 s send and receive timeouts;
 * -1 on failure. */
int raw_open(const char *src);
/* Send len bytes of req from src, read the reply (to its Content-Length
 * or until the server closes, at most 5 s) and parse the status; returns
 * it.  Sends never raise SIGPIPE. */
long raw_http(const char *src, const char *req, size_t len,
              struct raw_reply *r);
/* The same, with the sending side shut after req: the server sees the
 * client stop in mid-request at once. */
long raw_http_ended(const char *src, const char *req, size_t len,
                    struct raw_reply *r);
void raw_reply_release(struct raw_reply *r);
/* The value of header name in r's head, copied into out; 0 or -1. */
int raw_header(const struct raw_reply *r, const char *name, char *out,
               size_t size);
/* POST /api/v1/login {username, password} from address src (extra: one
 * more header line with CRLF, or ""); the status. */
long raw_login(const char *src, const char *user, const char *password,
               const char *extra, struct raw_reply *r);

/* ---- database fingerprint ---- */

#define FP_MAX_TABLES 64

struct fingerprint {
    int n;
    char table[FP_MAX_TABLES][48];
    unsigned char hash[FP_MAX_TABLES][16]; /* BLAKE2b of every row */
};

/* Take the fixture server's database fingerprint (every user table,
 * every row and column), read-only. */
void fp_take(struct fingerprint *fp);
/* 1 when equal; else 0 and the changed tables' names into what. */
int fp_same(const struct fingerprint *a, const struct fingerprint *b,
            char *what, size_t size);

/* ---- counting a family of attacks ---- */

#define TALLY_NOTES 6

struct tally {
    const char *family;
    int attempts, ok;
    char notes[TALLY_NOTES][240]; /* the first failures, for the report */
};

void tally_init(struct tally *t, const char *family);
/* Count one attempt, as expected when ok; else keep the message. */
void tally_check(struct tally *t, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Print the family's line (attempts, how many went as expected, whether
 * the database changed) and assert that every attempt went as expected
 * and that before and after are equal (both NULL: the family checks what
 * must not change itself, attempt by attempt).
 */
void tally_finish(struct tally *t, const struct fingerprint *before,
                  const struct fingerprint *after);

/* ---- staff ---- */

/* A new user of role; c holds a session of it, its one-time password
 * already replaced by E2E_USER_PASSWORD2; name gets the user name.
 * Returns the user's id. */
int64_t session_user(struct e2e_client *c, const char *role, char *name,
                     size_t size);
/* Another session of user name (password E2E_USER_PASSWORD2) in c. */
void login_again(struct e2e_client *c, const char *name);

/* ---- the suite's test cases, by file ---- */

void attack_input_tcases(Suite *s);  /* e2e_attack_input.c */
void attack_limits_tcases(Suite *s); /* e2e_attack_limits.c */
void attack_auth_tcases(Suite *s);   /* e2e_attack_auth.c */
void attack_access_tcases(Suite *s); /* e2e_attack_access.c */
void attack_device_tcases(Suite *s); /* e2e_attack_device.c */
void attack_stack_tcases(Suite *s);  /* e2e_attack_stack.c */
void attack_bodies_tcases(Suite *s); /* e2e_attack_bodies.c */
void attack_logins_tcases(Suite *s); /* e2e_attack_logins.c */
void attack_proxy_tcases(Suite *s);  /* e2e_attack_proxy.c */
void attack_starve_tcases(Suite *s); /* e2e_attack_starve.c */

#endif
