/*
 * rowindex.c - rows grouped by an integer column (see rowindex.h): one
 * sort when built, a binary search per lookup.
 */
#include "model/rowindex.h"
#include "common/mem.h"

#include <stdlib.h>

static int by_key(const void *a, const void *b)
{
    const struct rowindex_entry *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

void rowindex_build(struct rowindex *x, const json_t *array,
                    const char *column)
{
    const json_t *row;
    size_t i;

    x->n = json_array_size(array);
    x->e = xcalloc(x->n + 1, sizeof(*x->e));
    json_array_foreach(array, i, row) {
        x->e[i].key = json_integer_value(json_object_get(row, column));
        x->e[i].at = i;
        x->e[i].row = row;
    }
    qsort(x->e, x->n, sizeof(*x->e), by_key);
}

const struct rowindex_entry *rowindex_find(const struct rowindex *x,
                                           int64_t key, size_t *count)
{
    size_t lo = 0, hi = x->n, end;

    while (lo < hi) { /* the first entry with e.key >= key */
        size_t mid = lo + (hi - lo) / 2;

        if (x->e[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < x->n && x->e[end].key == key; end++)
        ;
    *count = end - lo;
    return end > lo ? &x->e[lo] : NULL;
}

void rowindex_release(struct rowindex *x)
{
    free(x->e);
    x->e = NULL;
    x->n = 0;
}
