/*
 * ics.h - one appointment as an iCalendar object (RFC 5545), for a
 * customer's "add to calendar" link.
 *
 * Pure: a struct in, text out.  Lines end in CRLF and are folded at 75
 * octets without splitting a UTF-8 sequence (bytes that are not UTF-8 are
 * folded at 75 octets all the same); text values are escaped (backslash,
 * semicolon, comma, newline).  Times are written in UTC.
 */
#ifndef FSD_ICS_H
#define FSD_ICS_H

#include <stddef.h>
#include <stdint.h>

struct ics_event {
    const char *uid;          /* globally unique, stable for the event */
    int64_t stamp;            /* when the object is made, Unix seconds */
    int64_t start, end;       /* the arrival window, Unix seconds */
    const char *summary;      /* NULL for none */
    const char *description;  /* NULL for none */
};

/* The VCALENDAR text of e; *len gets its length.  The caller frees it. */
char *ics_event_new(const struct ics_event *e, size_t *len);

#endif
