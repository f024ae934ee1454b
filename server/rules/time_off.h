/*
 * time_off.h - whether a technician is off on a date (docs/DOMAIN.md
 * "Dispatch by skill and workload"): days off beyond the weekly rota,
 * from a first to a last local date, both included.  Pure: rows in, a
 * yes or no out; the slot search and the day's plan both ask it.
 */
#ifndef FSD_TIME_OFF_H
#define FSD_TIME_OFF_H

#include <jansson.h>
#include <stdint.h>

/* 1 when rows ([{"technician_id", "first_day", "last_day"}], dates as
 * "YYYY-MM-DD") put technician_id off on day (days since 1970-01-01, the
 * technician's local date). */
int time_off_on(const json_t *rows, int64_t technician_id, int64_t day);

#endif
