/*
 * fuzz_ics.c - the iCalendar renderer (ics.h), the one text renderer that
 * writes customer-supplied text (a job's fault) into a file.
 *
 * Feeds: a flags byte (summary / description present; 4: invalid UTF-8
 * replaced with '?' first, as the server's text has passed jansson, which
 * refuses it), three instants in the range the server stores (what
 * timefmt_parse_rfc3339 accepts), then uid, summary and description as
 * NUL-separated strings.
 * Checks: rendering ends whatever the bytes; the output is only
 * CRLF-terminated lines (no bare CR or LF, no NUL, *len is its length),
 * each at most 75 octets, continuation lines start with one space and, for
 * valid UTF-8, no line splits a sequence; unfolded, the lines are exactly
 * the expected properties in order; the escaped values unescape back to
 * the input (CRs dropped, as documented) and contain no unescaped ';' or
 * ','; DTSTAMP/DTSTART/DTEND are the instants in
 * YYYYMMDDTHHMMSSZ form.
 */
#include "common/timefmt.h"
#include "fuzz.h"
#include "rules/ics.h"

/* The instants the server can hold (see fuzz_timefmt.c). */
#define T_MIN (-2208988800LL - 86340)
#define T_MAX 253402300799LL

/* 0 when the text is not valid UTF-8: no sequence to keep whole */
static int utf8_input;

static int64_t instant(struct fuzz_in *in)
{
    return T_MIN + (int64_t)(fuzz_u64(in) % (uint64_t)(T_MAX - T_MIN + 1));
}

/* NAME:value with value escaped as the header says, CRs dropped. */
static void unescape_check(const char *got, const char *want)
{
    const char *w = want;

    for (const char *g = got; *g; g++) {
        char c = *g;

        FUZZ_CHECK(c != ';' && c != ',', "unescaped '%c' in \"%s\"", c, got);
        if (c == '\\') {
            g++;
            FUZZ_CHECK(*g == '\\' || *g == ';' || *g == ',' || *g == 'n',
                       "bad escape \\%c", *g);
            c = *g == 'n' ? '\n' : *g;
        }
        while (*w == '\r')
            w++;
        FUZZ_CHECK(*w == c, "value differs at offset %zu of the input",
                   (size_t)(w - want));
        w++;
    }
    while (*w == '\r')
        w++;
    FUZZ_CHECK(*w == '\0', "value is cut short");
}

static void time_check(const char *got, int64_t t)
{
    char at[TIMEFMT_RFC3339_LEN], want[32];
    size_t n = 0;

    timefmt_format_rfc3339(t, at);
    for (const char *p = at; *p; p++)
        if (*p != '-' && *p != ':')
            want[n++] = *p;
    want[n] = '\0';
    FUZZ_CHECK(n == 16 && strcmp(got, want) == 0, "time \"%s\" for %lld", got,
               (long long)t);
}

/* Split the output into physical lines, check them, and unfold them into
 * logical lines (returned, NULL-terminated; caller frees both). */
static char **unfold(char *text, size_t len, char **logical_buf)
{
    char **lines = calloc(len / 2 + 2, sizeof *lines);
    char *buf = malloc(len + 1), *o = buf;
    size_t nl = 0, at = 0;

    FUZZ_CHECK(len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n',
               "output does not end in CRLF");
    while (at < len) {
        char *crlf = strstr(text + at, "\r\n");
        size_t n = (size_t)(crlf - (text + at));
        const unsigned char *l = (const unsigned char *)text + at;

        FUZZ_CHECK(crlf, "line without CRLF");
        FUZZ_CHECK(n <= 75, "line of %zu octets", n);
        FUZZ_CHECK(!memchr(l, '\r', n) && !memchr(l, '\n', n),
                   "bare CR or LF");
        FUZZ_CHECK(!utf8_input || fuzz_utf8_valid(l, n),
                   "a line splits a UTF-8 sequence");
        if (n && l[0] == ' ') { /* a continuation */
            FUZZ_CHECK(nl > 0, "continuation first");
            FUZZ_CHECK(n > 1, "empty continuation line");
            o--; /* over the previous line's NUL */
            memcpy(o, l + 1, n - 1);
            o += n - 1;
            *o++ = '\0';
        } else {
            lines[nl++] = o;
            memcpy(o, l, n);
            o += n;
            *o++ = '\0';
        }
        at += n + 2;
    }
    lines[nl] = NULL;
    *logical_buf = buf;
    return lines;
}

static void check(const struct ics_event *e)
{
    static const char *const head[] = {
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fsd//appointment//EN",
        "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "BEGIN:VEVENT"};
    size_t len = 0, k = 0;
    char *text = ics_event_new(e, &len), *buf;
    char **l;

    FUZZ_CHECK(text && strlen(text) == len, "*len %zu, strlen %zu", len,
               text ? strlen(text) : 0);
    l = unfold(text, len, &buf);
    for (size_t i = 0; i < 6; i++, k++)
        FUZZ_CHECK(l[k] && strcmp(l[k], head[i]) == 0, "line %zu", k);
    FUZZ_CHECK(l[k] && strncmp(l[k], "UID:", 4) == 0, "no UID");
    unescape_check(l[k++] + 4, e->uid);
    FUZZ_CHECK(l[k] && strncmp(l[k], "DTSTAMP:", 8) == 0, "no DTSTAMP");
    time_check(l[k++] + 8, e->stamp);
    FUZZ_CHECK(l[k] && strncmp(l[k], "DTSTART:", 8) == 0, "no DTSTART");
    time_check(l[k++] + 8, e->start);
    FUZZ_CHECK(l[k] && strncmp(l[k], "DTEND:", 6) == 0, "no DTEND");
    time_check(l[k++] + 6, e->end);
    if (e->summary) {
        FUZZ_CHECK(l[k] && strncmp(l[k], "SUMMARY:", 8) == 0, "no SUMMARY");
        unescape_check(l[k++] + 8, e->summary);
    }
    if (e->description) {
        FUZZ_CHECK(l[k] && strncmp(l[k], "DESCRIPTION:", 12) == 0,
                   "no DESCRIPTION");
        unescape_check(l[k++] + 12, e->description);
    }
    FUZZ_CHECK(l[k] && strcmp(l[k], "END:VEVENT") == 0, "no END:VEVENT");
    k++;
    FUZZ_CHECK(l[k] && strcmp(l[k], "END:VCALENDAR") == 0, "no END");
    FUZZ_CHECK(l[k + 1] == NULL, "lines after END:VCALENDAR");
    free(l);
    free(buf);
    free(text);
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    uint8_t flags = fuzz_u8(&in);
    struct ics_event e;
    char *uid, *summary, *desc;

    e.stamp = instant(&in);
    e.start = instant(&in);
    e.end = instant(&in);
    uid = fuzz_cstr(&in);
    summary = fuzz_cstr(&in);
    desc = fuzz_cstr(&in);
    /* The server's text always passed jansson, so it is valid UTF-8 and
     * no line may split a sequence; raw bytes must still render (once
     * folded at the same offset forever, ics-fold-loop). */
    if (flags & 4) {
        fuzz_utf8_sanitize(uid);
        fuzz_utf8_sanitize(summary);
        fuzz_utf8_sanitize(desc);
    }
    utf8_input = fuzz_utf8_valid((unsigned char *)uid, strlen(uid)) &&
                 fuzz_utf8_valid((unsigned char *)summary, strlen(summary)) &&
                 fuzz_utf8_valid((unsigned char *)desc, strlen(desc));
    e.uid = uid;
    e.summary = flags & 1 ? summary : NULL;
    e.description = flags & 2 ? desc : NULL;
    check(&e);
    free(uid);
    free(summary);
    free(desc);
    return 0;
}

FUZZ_TARGET(fuzz_one)
