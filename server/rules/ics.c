/*
 * ics.c - rendering one event as an iCalendar object (see ics.h).
 *
 * Content lines are built whole, then written out folded: after every 75
 * octets a CRLF and one space, moved back to the start of a UTF-8
 * sequence so no character is split (RFC 5545 section 3.1).  Bytes that
 * are not UTF-8 still fold at 75 octets: a fold always moves forward.
 */
#include "rules/ics.h"
#include "common/buf.h"
#include "common/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICS_LINE_OCTETS 75

/* Append one content line to out, folded, ending in CRLF. */
static void put_line(struct buf *out, const char *line, size_t n)
{
    size_t at = 0, room = ICS_LINE_OCTETS;

    while (n - at > room) {
        size_t cut = at + room;

        while (cut > at && ((unsigned char)line[cut] & 0xC0) == 0x80)
            cut--; /* a UTF-8 continuation byte: fold before its lead */
        if (cut == at) /* no lead in reach (not UTF-8): fold anyway */
            cut = at + room;
        buf_append(out, line + at, cut - at);
        buf_append(out, "\r\n ", 3);
        at = cut;
        room = ICS_LINE_OCTETS - 1; /* the leading space counts */
    }
    buf_append(out, line + at, n - at);
    buf_append(out, "\r\n", 2);
}

/* NAME:value, with value escaped as TEXT. */
static void put_text(struct buf *out, const char *name, const char *value)
{
    struct buf line = BUF_INIT;

    buf_append(&line, name, strlen(name));
    buf_append(&line, ":", 1);
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == ';' || *p == ',')
            buf_append(&line, "\\", 1);
        if (*p == '\n')
            buf_append(&line, "\\n", 2);
        else if (*p != '\r')
            buf_append(&line, p, 1);
    }
    put_line(out, line.data, line.len);
    buf_release(&line);
}

/* NAME:YYYYMMDDTHHMMSSZ */
static void put_time(struct buf *out, const char *name, int64_t t)
{
    char at[TIMEFMT_RFC3339_LEN], line[64];
    size_t n;

    timefmt_format_rfc3339(t, at);
    n = (size_t)snprintf(line, sizeof line, "%s:", name);
    for (const char *p = at; *p && n < sizeof line - 1; p++)
        if (*p != '-' && *p != ':')
            line[n++] = *p;
    put_line(out, line, n);
}

char *ics_event_new(const struct ics_event *e, size_t *len)
{
    static const char *const head[] = {
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fsd//appointment//EN",
        "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "BEGIN:VEVENT"};
    struct buf out = BUF_INIT;

    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        put_line(&out, head[i], strlen(head[i]));
    put_text(&out, "UID", e->uid);
    put_time(&out, "DTSTAMP", e->stamp);
    put_time(&out, "DTSTART", e->start);
    put_time(&out, "DTEND", e->end);
    if (e->summary)
        put_text(&out, "SUMMARY", e->summary);
    if (e->description)
        put_text(&out, "DESCRIPTION", e->description);
    put_line(&out, "END:VEVENT", 10);
    put_line(&out, "END:VCALENDAR", 13);
    *len = out.len;
    return out.data; /* the caller frees it */
}
