/*
 * board_cache.h - the last rendered board of a few days, shared by every
 * dispatcher that asks for one of them.
 *
 * At a busy hour twenty boards poll the change feed every second, and
 * every state change of a job on the day sends all of them to fetch the
 * board again: one rendering then serves them all.  A kept board is
 * served only while it is current: while every change logged after it is
 * a job the board shows at that job's version or later (a note added to a
 * job leaves its version), and for at most a couple of seconds, since SLA
 * risk moves with the clock.  One rendering of a day at a time: the
 * others asking meanwhile wait for it and serve it if it is current for
 * them, instead of all rendering the same day at once.  Pure bookkeeping:
 * no SQL, no HTTP.
 */
#ifndef FSD_BOARD_CACHE_H
#define FSD_BOARD_CACHE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define BOARD_CACHE_DAYS 4        /* days kept, the least recent goes */
#define BOARD_CACHE_MAX_AGE 2.0   /* seconds a board may be served for */
#define BOARD_CACHE_FLIGHTS 8     /* days being rendered at once, at most */

struct board_cache;

/* A kept board: a copy of its text, its change-log position and the
 * version of each job it shows ({"<id>": version}); the caller owns all. */
struct board_kept {
    char *text;
    size_t len;
    int64_t seq;
    json_t *versions;
};

struct board_cache *board_cache_new(void);
void board_cache_free(struct board_cache *c);

/* The board kept for date ("YYYY-MM-DD") no more than max_age seconds
 * before now: 0 and *out filled, or -1. */
int board_cache_get(struct board_cache *c, const char *date, double now,
                    double max_age, struct board_kept *out);

/* Keep board (as board_render() made it, seq in it) and its text for
 * date, its rows read at now (a monotonic clock in seconds).  A board of an older seq, or read
 * earlier, than the one kept is not kept. */
void board_cache_put(struct board_cache *c, const char *date, double now,
                     const json_t *board, const char *text, size_t len);

/* May the caller render date?  1: yes, and no one else may until its
 * board_cache_unclaim(); 0: another rendering of date was under way and
 * has now ended (look again); -1: too many days are being rendered to
 * keep track (render, without a claim). */
int board_cache_claim(struct board_cache *c, const char *date);
/* End the caller's claim on date (rendered and kept, or failed). */
void board_cache_unclaim(struct board_cache *c, const char *date);

/* Are changes ([{entity, entity_id, version}], the change feed's rows)
 * all jobs that versions shows at that version or later? */
int board_cache_current(const json_t *versions, const json_t *changes);

void board_kept_release(struct board_kept *k);

#endif
