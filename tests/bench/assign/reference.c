/*
 * reference.c - writes the assignment relaxation of an instance as a CPLEX
 * LP file, directly (one x_jt per allowed pair) or aggregated into classes
 * (see reference.h for the model and why the classes give the same LP
 * bound).  Solving is in ref_solve.c.
 *
 * Only the relaxation's definition lives here; which pairs are allowed is
 * metrics_allowed(), shared with the "uncoverable" count, so the reference
 * and the reported misses can never disagree about what a job needs.
 */
#include "reference.h"
#include "common/mem.h"
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TERMS_PER_LINE 8 /* CPLEX LP readers limit line lengths */

/* Allowed pairs, job-major: technicians of job j are t[off[j]..off[j+1]). */
struct pairs {
    long *off;
    int *t;
    int *j;          /* the job of each pair */
    int64_t *free_s; /* per technician: capacity - busy, within the shift */
};

static void pairs_init(struct pairs *pr, const struct assign_problem *p)
{
    long n = 0, cap = 1024;

    pr->off = xcalloc((size_t)p->njobs + 1, sizeof(long));
    pr->t = xmalloc((size_t)cap * sizeof(int));
    pr->j = xmalloc((size_t)cap * sizeof(int));
    for (int j = 0; j < p->njobs; j++) {
        for (int t = 0; t < p->ntechs; t++) {
            if (!metrics_allowed(p, j, t))
                continue;
            if (n == cap) {
                cap *= 2;
                pr->t = xrealloc(pr->t, (size_t)cap * sizeof(int));
                pr->j = xrealloc(pr->j, (size_t)cap * sizeof(int));
            }
            pr->j[n] = j;
            pr->t[n++] = t;
        }
        pr->off[j + 1] = n;
    }
    pr->free_s = xcalloc((size_t)p->ntechs + 1, sizeof(int64_t));
    for (int t = 0; t < p->ntechs; t++) {
        const struct assign_tech *x = &p->techs[t];
        int64_t len = x->shift_end - x->shift_start;

        pr->free_s[t] = x->capacity < len ? x->capacity : len;
        for (int b = 0; b < x->nbusy; b++)
            pr->free_s[t] -= x->busy[b].end - x->busy[b].start;
    }
}

static void pairs_release(struct pairs *pr)
{
    free(pr->off);
    free(pr->t);
    free(pr->j);
    free(pr->free_s);
}

long ref_pairs(const struct instance *in)
{
    long n = 0;

    for (int j = 0; j < in->p.njobs; j++)
        for (int t = 0; t < in->p.ntechs; t++)
            n += metrics_allowed(&in->p, j, t);
    return n;
}

/* A row or the objective being written: terms wrap every few. */
struct lpw {
    FILE *f;
    int terms;
    long rows;
};

static void row_begin(struct lpw *w, const char *name, long i)
{
    fprintf(w->f, " %s%ld:", name, i);
    w->terms = 0;
}

static void term(struct lpw *w, long long coef, char var, long i)
{
    if (w->terms && w->terms % TERMS_PER_LINE == 0)
        fputs("\n   ", w->f);
    fprintf(w->f, " %+lld %c%ld", coef, var, i);
    w->terms++;
}

static void row_end(struct lpw *w, long long rhs)
{
    fprintf(w->f, " <= %lld\n", rhs);
    w->rows++;
}

static void write_direct(struct lpw *w, const struct assign_problem *p,
                         const struct pairs *pr, struct ref_lp *st)
{
    long n = pr->off[p->njobs];
    long *by_t = xcalloc((size_t)p->ntechs + 2, sizeof(long));
    long *var_of = xmalloc(((size_t)n + 1) * sizeof(long));

    fputs("Maximize\n obj:", w->f);
    w->terms = 0;
    for (int j = 0; j < p->njobs; j++)
        for (long v = pr->off[j]; v < pr->off[j + 1]; v++)
            term(w, p->jobs[j].weight, 'x', v);
    fputs("\nSubject To\n", w->f);
    for (int j = 0; j < p->njobs; j++) {
        if (pr->off[j + 1] - pr->off[j] < 2)
            continue; /* one candidate: x <= 1 already says it */
        row_begin(w, "j", j);
        for (long v = pr->off[j]; v < pr->off[j + 1]; v++)
            term(w, 1, 'x', v);
        row_end(w, 1);
    }
    /* capacity rows need the pairs technician-major: counting sort */
    for (long v = 0; v < n; v++)
        by_t[pr->t[v] + 2]++;
    for (int t = 0; t < p->ntechs; t++)
        by_t[t + 2] += by_t[t + 1];
    for (int j = 0; j < p->njobs; j++)
        for (long v = pr->off[j]; v < pr->off[j + 1]; v++)
            var_of[by_t[pr->t[v] + 1]++] = v;
    for (int t = 0; t < p->ntechs; t++) {
        if (by_t[t] == by_t[t + 1])
            continue;
        row_begin(w, "t", t);
        for (long i = by_t[t]; i < by_t[t + 1]; i++)
            term(w, p->jobs[pr->j[var_of[i]]].duration, 'x', var_of[i]);
        row_end(w, pr->free_s[t]);
    }
    fputs("Binary\n", w->f);
    for (long v = 0; v < n; v++)
        fprintf(w->f, " x%ld%s", v, (v + 1) % 16 ? "" : "\n");
    fputs("\nEnd\n", w->f);
    st->vars = n;
    free(by_t);
    free(var_of);
}

/* A sortable class key: a bit set plus (for jobs) weight and duration. */
struct key {
    const uint64_t *bits;
    int words;
    int weight;
    int32_t duration;
    int index;
};

static int cmp_key(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = memcmp(x->bits, y->bits, (size_t)x->words * sizeof(uint64_t));

    if (c)
        return c;
    if (x->weight != y->weight)
        return x->weight < y->weight ? -1 : 1;
    return (x->duration > y->duration) - (x->duration < y->duration);
}

/* Sort n keys and number the classes of equal keys into cls[index];
 * returns the number of classes. */
static int classify(struct key *k, int n, int *cls)
{
    int nc = 0;

    qsort(k, (size_t)n, sizeof *k, cmp_key);
    for (int i = 0; i < n; i++) {
        if (i && cmp_key(&k[i - 1], &k[i]))
            nc++;
        cls[k[i].index] = nc;
    }
    return n ? nc + 1 : 0;
}

struct classes {
    int nk, nc;      /* technician and job classes */
    int *tech_cls;   /* per technician */
    int *job_cls;    /* per job; -1 when it has no allowed technician */
    uint64_t *jbits; /* per job: its technician classes */
    int kwords;
    int *rep, *count; /* per job class: one of its jobs, how many */
    int64_t *free_k;  /* per technician class: summed free seconds */
};

/* May job class cl go to technician class k? */
static int allowed(const struct classes *c, int cl, int k)
{
    return c->jbits[(size_t)c->rep[cl] * c->kwords + k / 64] >> (k % 64) & 1;
}

/* Technicians are alike when they may do the same jobs; jobs when they
 * may go to the same technician classes at the same weight and duration. */
static void classes_init(struct classes *c, const struct assign_problem *p,
                         const struct pairs *pr)
{
    int words = (p->njobs + 63) / 64, n = 0;
    uint64_t *tbits = xcalloc((size_t)p->ntechs * words + 1, 8);
    struct key *k = xcalloc(
        (size_t)(p->njobs > p->ntechs ? p->njobs : p->ntechs) + 1, sizeof *k);

    for (long v = 0; v < pr->off[p->njobs]; v++)
        tbits[(size_t)pr->t[v] * words + pr->j[v] / 64] |= (uint64_t)1
                                                           << (pr->j[v] % 64);
    for (int t = 0; t < p->ntechs; t++)
        k[t] = (struct key){&tbits[(size_t)t * words], words, 0, 0, t};
    c->tech_cls = xcalloc((size_t)p->ntechs + 1, sizeof(int));
    c->nk = classify(k, p->ntechs, c->tech_cls);
    c->kwords = (c->nk + 63) / 64;
    c->jbits = xcalloc((size_t)p->njobs * c->kwords + 1, 8);
    c->job_cls = xcalloc((size_t)p->njobs + 1, sizeof(int));
    for (int j = 0; j < p->njobs; j++) {
        uint64_t *b = &c->jbits[(size_t)j * c->kwords];

        for (long v = pr->off[j]; v < pr->off[j + 1]; v++)
            b[c->tech_cls[pr->t[v]] / 64] |= (uint64_t)1
                                             << (c->tech_cls[pr->t[v]] % 64);
        c->job_cls[j] = -1;
        if (pr->off[j + 1] > pr->off[j])
            k[n++] = (struct key){b, c->kwords, p->jobs[j].weight,
                                  p->jobs[j].duration, j};
    }
    c->nc = classify(k, n, c->job_cls);
    c->rep = xcalloc((size_t)c->nc + 1, sizeof(int));
    c->count = xcalloc((size_t)c->nc + 1, sizeof(int));
    c->free_k = xcalloc((size_t)c->nk + 1, sizeof(int64_t));
    for (int j = 0; j < p->njobs; j++)
        if (c->job_cls[j] >= 0) {
            c->rep[c->job_cls[j]] = j;
            c->count[c->job_cls[j]]++;
        }
    for (int t = 0; t < p->ntechs; t++)
        c->free_k[c->tech_cls[t]] += pr->free_s[t];
    free(tbits);
    free(k);
}

static void classes_release(struct classes *c)
{
    free(c->tech_cls);
    free(c->job_cls);
    free(c->jbits);
    free(c->rep);
    free(c->count);
    free(c->free_k);
}

static void write_classes(struct lpw *w, const struct assign_problem *p,
                          const struct pairs *pr, struct ref_lp *st)
{
    struct classes c;

    classes_init(&c, p, pr);
    fputs("Maximize\n obj:", w->f);
    w->terms = 0;
    for (int cl = 0; cl < c.nc; cl++)
        for (int k = 0; k < c.nk; k++)
            if (allowed(&c, cl, k)) {
                term(w, p->jobs[c.rep[cl]].weight, 'y', (long)cl * c.nk + k);
                st->vars++;
            }
    fputs("\nSubject To\n", w->f);
    for (int cl = 0; cl < c.nc; cl++) {
        row_begin(w, "c", cl);
        for (int k = 0; k < c.nk; k++)
            if (allowed(&c, cl, k))
                term(w, 1, 'y', (long)cl * c.nk + k);
        row_end(w, c.count[cl]);
    }
    for (int k = 0; k < c.nk; k++) {
        int any = 0;

        for (int cl = 0; cl < c.nc && !any; cl++)
            any = allowed(&c, cl, k);
        if (!any)
            continue; /* no job fits this class */
        row_begin(w, "k", k);
        for (int cl = 0; cl < c.nc; cl++)
            if (allowed(&c, cl, k))
                term(w, p->jobs[c.rep[cl]].duration, 'y', (long)cl * c.nk + k);
        row_end(w, c.free_k[k]);
    }
    fputs("End\n", w->f);
    st->job_classes = c.nc;
    st->tech_classes = c.nk;
    classes_release(&c);
}

int ref_write_lp(const struct instance *in, enum ref_form form,
                 const char *path, struct ref_lp *st, struct err *err)
{
    struct timespec t0, t1;
    struct pairs pr;
    struct lpw w = {NULL, 0, 0};
    int rc = 0;

    memset(st, 0, sizeof *st);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!(w.f = fopen(path, "w")))
        return err_set(err, ERR_INTERNAL, NULL, "", "%s: cannot create", path);
    pairs_init(&pr, &in->p);
    fprintf(w.f, "\\ assignment relaxation of %s (%s form)\n", in->name,
            form == REF_DIRECT ? "direct" : "classes");
    if (form == REF_DIRECT)
        write_direct(&w, &in->p, &pr, st);
    else
        write_classes(&w, &in->p, &pr, st);
    st->rows = w.rows;
    if (ferror(w.f) | fclose(w.f))
        rc = err_set(err, ERR_INTERNAL, NULL, "", "%s: write failed", path);
    pairs_release(&pr);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    st->write_s = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
