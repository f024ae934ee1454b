/*
 * pwgate.h - a bound on the password hashes computed at once.
 *
 * Each Argon2id hash or check takes crypto_pwhash_MEMLIMIT_INTERACTIVE
 * (64 MiB) for its duration; unbounded, 64 concurrent logins with made-up
 * usernames take 4 GiB.  Requests that hash a password pass this gate
 * first: at most `slots` at once, the others wait a little, then are
 * turned away (429), so the memory passwords take has a fixed ceiling.
 */
#ifndef FSD_PWGATE_H
#define FSD_PWGATE_H

struct pwgate;

/* Allocates; free with pwgate_free. */
struct pwgate *pwgate_new(int slots);
void pwgate_free(struct pwgate *g);
/* Take a slot, waiting at most wait_ms for one: 0, or -1 when none came
 * free in time. */
int pwgate_enter(struct pwgate *g, long wait_ms);
void pwgate_leave(struct pwgate *g);

#endif
