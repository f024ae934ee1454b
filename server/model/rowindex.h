/*
 * rowindex.h - the rows of a JSON array grouped by one integer column, so
 * that "the shifts of technician 7" is a lookup, not a scan of every
 * shift.  The planners (slot_problem.c, day_problem.c) build one per column
 * they join on; without it their joins grow with technicians times rows.
 *
 * Within a group, rows keep their order in the array, and each entry
 * carries the row's position there (planners use it to name places).
 * The index refers to the array; the array must outlive it.
 */
#ifndef FSD_ROWINDEX_H
#define FSD_ROWINDEX_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct rowindex_entry {
    int64_t key;        /* the column's value (0 when missing) */
    size_t at;          /* the row's position in the array */
    const json_t *row;
};

struct rowindex {
    struct rowindex_entry *e; /* sorted by key, then position */
    size_t n;
};

/* Group the rows of array (any JSON value; not an array is empty) by the
 * integer column. */
void rowindex_build(struct rowindex *x, const json_t *array,
                    const char *column);

/* The rows whose column equals key, as a run of *count entries (NULL and
 * 0 when there are none). */
const struct rowindex_entry *rowindex_find(const struct rowindex *x,
                                           int64_t key, size_t *count);

void rowindex_release(struct rowindex *x);

#endif
