/*
 * board.h - the dispatcher's board for one day, from the rows
 * store_board_rows() reads: one lane per active technician (skills, the
 * day's shifts as instants through the technician's time zone, load
 * against capacity) and the day's jobs in queue order, each visit with its
 * planned start and the drive to it from the technician's previous stop.
 */
#ifndef FSD_BOARD_H
#define FSD_BOARD_H

#include "common/err.h"

#include <jansson.h>
#include <stdint.h>

/* The UTC span whose jobs store_board_rows() reads for date (days since
 * the epoch): every zone's local day is inside it. */
void board_span(int64_t days, int64_t *lo, int64_t *hi);

/*
 * The board of date ("YYYY-MM-DD") from rows; the answer of
 * GET /api/v1/board (see openapi.yaml).  A visit joins its technician's
 * lane when it meets the technician's local day; a job nobody has joins
 * the queue when its window meets the customer's local day, or it has
 * none.  NULL + err for a bad date.
 */
json_t *board_render(const json_t *rows, const char *date, struct err *err);

#endif
