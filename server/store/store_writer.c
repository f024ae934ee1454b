/*
 * store_writer.c - the single writer and its group commit.
 *
 * Every write request is queued here and run by one thread on one
 * connection.  The thread takes everything queued (up to a batch limit),
 * runs each request under its own savepoint inside one transaction and
 * commits once with synchronous=FULL: concurrent callers share the cost of
 * the fsync, and each one learns its own result.  A caller is woken only
 * after COMMIT returned, so an acknowledged write is on disk.
 */
#include "common/log.h"
#include "store/store_int.h"

#include <string.h>

#define MAX_BATCH 1024

struct write_op {
    store_write_fn fn;
    void *arg;
    struct err *err;
    int rc;
    int done;
    struct write_op *next;
};

static void stats_add(struct store_batch_stats *st, uint64_t n)
{
    int b = 0;

    while (b < STORE_BATCH_BUCKETS - 1 && n > (1ull << b))
        b++;
    st->buckets[b]++;
    st->batches++;
    st->ops += n;
    if (n > st->max_batch)
        st->max_batch = n;
}

/* Run one op under a savepoint so its failure rolls back only itself. */
static void run_op(struct store_conn *c, struct write_op *op)
{
    struct err ignored = ERR_INIT;

    if (store__exec(c, "SAVEPOINT op", op->err)) {
        op->rc = op->err->rc;
        return;
    }
    op->rc = op->fn(c, op->arg, op->err);
    if (op->rc)
        store__exec(c, "ROLLBACK TO op", &ignored);
    store__exec(c, "RELEASE op", &ignored);
}

static void run_batch(struct store *s, struct write_op *batch)
{
    struct err ignored = ERR_INIT, cerr = ERR_INIT;
    struct write_op *op;
    int rc = store__exec(s->wconn, "BEGIN IMMEDIATE", &cerr);

    for (op = batch; op && rc == 0; op = op->next)
        run_op(s->wconn, op);
    if (rc == 0 && (rc = store__exec(s->wconn, "COMMIT", &cerr)) != 0)
        store__exec(s->wconn, "ROLLBACK", &ignored);
    if (rc) {
        log_error("store: batch failed: %s", cerr.msg);
        for (op = batch; op; op = op->next)
            if (op->rc == 0)
                op->rc = err_set(op->err, ERR_STORAGE, "storage", NULL,
                                 "the change could not be committed: %s",
                                 cerr.msg);
    }
}

static void *writer_main(void *arg)
{
    struct store *s = arg;

    pthread_mutex_lock(&s->mu);
    for (;;) {
        struct write_op *batch, *last;
        uint64_t n = 1;

        while ((!s->head || s->held) && !(s->stopping && s->head == NULL))
            pthread_cond_wait(&s->work, &s->mu);
        if (!s->head)
            break; /* stopping and drained */
        batch = last = s->head;
        while (last->next && n < MAX_BATCH)
            last = last->next, n++;
        s->head = last->next;
        if (!s->head)
            s->tail = NULL;
        last->next = NULL;
        s->pending -= (int)n;
        pthread_mutex_unlock(&s->mu);

        run_batch(s, batch);

        pthread_mutex_lock(&s->mu);
        stats_add(&s->stats, n);
        for (struct write_op *op = batch, *next; op; op = next) {
            next = op->next;
            op->done = 1; /* op lives on its caller's stack: touch it last */
        }
        pthread_cond_broadcast(&s->done);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int store__write(struct store *s, store_write_fn fn, void *arg,
                 struct err *err)
{
    struct write_op op = {fn, arg, err, 0, 0, NULL};

    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        return err_set(err, ERR_UNAVAILABLE, "shutting_down", NULL,
                       "the server is shutting down");
    }
    if (s->tail)
        s->tail->next = &op;
    else
        s->head = &op;
    s->tail = &op;
    s->pending++;
    pthread_cond_signal(&s->work);
    while (!op.done)
        pthread_cond_wait(&s->done, &s->mu);
    pthread_mutex_unlock(&s->mu);
    return op.rc;
}

int store__writer_start(struct store *s, struct err *err)
{
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->work, NULL);
    pthread_cond_init(&s->done, NULL);
    if (pthread_create(&s->writer, NULL, writer_main, s) != 0)
        return err_set(err, ERR_INTERNAL, NULL, NULL,
                       "cannot start the writer thread");
    return 0;
}

void store__writer_stop(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    s->held = 0;
    pthread_cond_broadcast(&s->work);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->writer, NULL);
    pthread_cond_destroy(&s->work);
    pthread_cond_destroy(&s->done);
    pthread_mutex_destroy(&s->mu);
}

void store_batch_stats(struct store *s, struct store_batch_stats *out)
{
    pthread_mutex_lock(&s->mu);
    *out = s->stats;
    pthread_mutex_unlock(&s->mu);
}

void store_writer_hold(struct store *s, int hold)
{
    pthread_mutex_lock(&s->mu);
    s->held = hold;
    pthread_cond_broadcast(&s->work);
    pthread_mutex_unlock(&s->mu);
}

int store_writer_pending(struct store *s)
{
    int n;

    pthread_mutex_lock(&s->mu);
    n = s->pending;
    pthread_mutex_unlock(&s->mu);
    return n;
}
