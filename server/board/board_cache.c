/*
 * board_cache.c - rendered boards kept per day (see board_cache.h).  One
 * mutex; lookups copy the text out, so a board being replaced is never
 * read half-way.
 */
#include "board/board_cache.h"
#include "common/mem.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kept {
    char date[11];
    double at;      /* when rendered; 0: empty */
    int64_t seq;
    json_t *versions;
    char *text;
    size_t len;
};

struct board_cache {
    pthread_mutex_t mu;
    pthread_cond_t rendered;  /* a claim ended */
    struct kept days[BOARD_CACHE_DAYS];
    char flights[BOARD_CACHE_FLIGHTS][11]; /* days being rendered; "" */
};

struct board_cache *board_cache_new(void)
{
    struct board_cache *c = xcalloc(1, sizeof *c);

    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->rendered, NULL);
    return c;
}

static void forget(struct kept *k)
{
    json_decref(k->versions);
    free(k->text);
    memset(k, 0, sizeof *k);
}

void board_cache_free(struct board_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < BOARD_CACHE_DAYS; i++)
        forget(&c->days[i]);
    pthread_cond_destroy(&c->rendered);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static struct kept *find(struct board_cache *c, const char *date)
{
    for (int i = 0; i < BOARD_CACHE_DAYS; i++)
        if (c->days[i].at > 0 && strcmp(c->days[i].date, date) == 0)
            return &c->days[i];
    return NULL;
}

int board_cache_get(struct board_cache *c, const char *date, double now,
                    double max_age, struct board_kept *out)
{
    struct kept *k;
    int rc = -1;

    pthread_mutex_lock(&c->mu);
    k = find(c, date);
    if (k && now - k->at <= max_age && now >= k->at) {
        out->text = xmalloc(k->len + 1);
        memcpy(out->text, k->text, k->len + 1);
        out->len = k->len;
        out->seq = k->seq;
        out->versions = json_incref(k->versions);
        rc = 0;
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

/* The flight of date, or NULL. */
static char *flight(struct board_cache *c, const char *date)
{
    for (int i = 0; i < BOARD_CACHE_FLIGHTS; i++)
        if (strcmp(c->flights[i], date) == 0)
            return c->flights[i];
    return NULL;
}

int board_cache_claim(struct board_cache *c, const char *date)
{
    char *f;

    pthread_mutex_lock(&c->mu);
    if (flight(c, date)) {
        while (flight(c, date))
            pthread_cond_wait(&c->rendered, &c->mu);
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    if ((f = flight(c, "")))
        snprintf(f, sizeof c->flights[0], "%s", date);
    pthread_mutex_unlock(&c->mu);
    return f ? 1 : -1;
}

void board_cache_unclaim(struct board_cache *c, const char *date)
{
    char *f;

    pthread_mutex_lock(&c->mu);
    if ((f = flight(c, date))) {
        f[0] = '\0';
        pthread_cond_broadcast(&c->rendered);
    }
    pthread_mutex_unlock(&c->mu);
}

/* {"<id>": version} of the board's jobs. */
static json_t *versions_of(const json_t *board)
{
    json_t *out = json_object();
    const json_t *j;
    char key[24];
    size_t i;

    json_array_foreach(json_object_get(board, "jobs"), i, j) {
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(j, "id")));
        json_object_set(out, key, json_object_get(j, "version"));
    }
    return out;
}

void board_cache_put(struct board_cache *c, const char *date, double now,
                     const json_t *board, const char *text, size_t len)
{
    json_t *versions = versions_of(board);
    int64_t seq = json_integer_value(json_object_get(board, "seq"));
    char *copy = xmalloc(len + 1);
    struct kept *k;

    memcpy(copy, text, len);
    copy[len] = '\0';
    pthread_mutex_lock(&c->mu);
    if (!(k = find(c, date))) { /* an empty place, else the oldest */
        k = &c->days[0];
        for (int i = 1; i < BOARD_CACHE_DAYS; i++)
            if (c->days[i].at < k->at)
                k = &c->days[i];
    } else if (k->seq > seq || k->at > now) {
        k = NULL; /* a slower rendering of an older picture never replaces */
    }
    if (k) {
        forget(k);
        snprintf(k->date, sizeof k->date, "%s", date);
        k->at = now;
        k->seq = seq;
        k->versions = versions;
        k->text = copy;
        k->len = len;
        versions = NULL;
        copy = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    json_decref(versions);
    free(copy);
}

int board_cache_current(const json_t *versions, const json_t *changes)
{
    const json_t *ch, *have, *v;
    char key[24];
    size_t i;

    json_array_foreach(changes, i, ch) {
        const char *entity = json_string_value(json_object_get(ch,
                                                               "entity"));

        if (!entity || strcmp(entity, "job") != 0)
            return 0;
        snprintf(key, sizeof key, "%lld",
                 (long long)json_integer_value(json_object_get(
                     ch, "entity_id")));
        have = json_object_get(versions, key);
        v = json_object_get(ch, "version");
        if (!json_is_integer(have) || !json_is_integer(v) ||
            json_integer_value(have) < json_integer_value(v))
            return 0;
    }
    return 1;
}

void board_kept_release(struct board_kept *k)
{
    free(k->text);
    json_decref(k->versions);
    memset(k, 0, sizeof *k);
}
