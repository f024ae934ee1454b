/*
 * fixture.h - what the e2e test cases share: the server each test case
 * runs against (started by an unchecked fixture in the runner process,
 * before the forked tests), clients logged in as the admin or with a given
 * role, and helpers that create records and count lists.
 *
 * Fixture servers are shared by every test of a test case, so tests make
 * their own records (unique names) and compare counts before and after
 * instead of assuming an empty database.
 */
#ifndef FSD_E2E_FIXTURE_H
#define FSD_E2E_FIXTURE_H

#include "client.h"
#include "harness.h"

#include <stdint.h>

/* The admin's password once the fixture has replaced the one-time one. */
#define E2E_ADMIN_PASSWORD "e2e-admin-password-0001"
/* Password given to users the tests create and log in as. */
#define E2E_USER_PASSWORD "e2e-user-password-0001"
/* The password these users choose at first login. */
#define E2E_USER_PASSWORD2 "e2e-user-password-0002"

extern struct e2e_server e2e_srv; /* the current test case's server */

/* Unchecked fixtures: one server per test case. */
void e2e_setup_ready(void);      /* admin password already changed */
void e2e_setup_fresh(void);      /* admin still has the one-time password */
void e2e_setup_small_body(void); /* ready, with --max-body 4096 */
/* Ready, started with these extra flags (NULL-terminated); for a test
 * case's own fixture function. */
void e2e_setup_with(const char *const *args);
void e2e_teardown(void);

/* Log in and replace the one-time admin password; 0 or -1 (no Check). */
int e2e_admin_prepare(const struct e2e_server *s);

/* A client of s logged in as the admin (one Argon2id login). */
void e2e_admin_client(struct e2e_client *c, const struct e2e_server *s);
/* A client of the fixture server holding the fixture's admin session. */
void e2e_as_admin(struct e2e_client *c);
/*
 * A client of the fixture server with a new user of role (dispatcher,
 * manager, admin) and an API token for it.  *user_id gets the user's id
 * when not NULL.
 */
void e2e_as_role(struct e2e_client *c, const char *role, int64_t *user_id);
/* A new user of role made by admin, its name (from the role) in name and
 * its password E2E_USER_PASSWORD; returns its id. */
int64_t e2e_new_user(struct e2e_client *admin, const char *role, char *name,
                     size_t size);
/*
 * With admin, create an API token named name for user_id (asserting 201)
 * and make c a new client of the fixture server holding that token.
 * Returns the token's id.
 */
int64_t e2e_token_client(struct e2e_client *admin, struct e2e_client *c,
                         int64_t user_id, const char *name);
/* A name unique within the run: prefix-PID-N. */
void e2e_unique(char *out, size_t size, const char *prefix);

/* Run sql, a statement changing exactly one row, on the fixture server's
 * own database (the clock moving on, or what sync would record). */
void db_exec(const char *sql);
/* The same for a statement (or several) changing one row or more. */
void db_run(const char *sql);
/* The running server's whole log so far, NUL-terminated (caller frees). */
char *e2e_server_log(void);

/* POST body to path; assert 201 with Location path/ID; return ID. */
int64_t e2e_create(struct e2e_client *c, const char *path, json_t *body);
/* Every item of a list (path may carry filters), paging with limit=200. */
json_t *e2e_list_all(struct e2e_client *c, const char *path);
/* The number of items e2e_list_all finds. */
size_t e2e_count(struct e2e_client *c, const char *path);

#endif
