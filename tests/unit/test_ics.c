/*
 * test_ics.c - an appointment as iCalendar text: the exact object for a
 * plain event, escaped text values, and folding of long lines at 75
 * octets without splitting a UTF-8 character, such that unfolding gives
 * the content line back, and folding that ends on bytes that are not
 * UTF-8 (a run of continuation bytes).
 */
#include "rules/ics.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* 2026-03-30T07:00:00Z .. 09:00Z, stamped 2026-03-28T12:00:00Z */
#define START 1774854000
#define END (START + 7200)
#define STAMP 1774699200

START_TEST(plain_event_is_exact)
{
    struct ics_event e = {"0123456789abcdef@fsd", STAMP, START, END,
                          "Service visit (repair)", NULL};
    size_t len;
    char *text = ics_event_new(&e, &len);

    ck_assert_str_eq(text, "BEGIN:VCALENDAR\r\n"
                           "VERSION:2.0\r\n"
                           "PRODID:-//fsd//appointment//EN\r\n"
                           "CALSCALE:GREGORIAN\r\n"
                           "METHOD:PUBLISH\r\n"
                           "BEGIN:VEVENT\r\n"
                           "UID:0123456789abcdef@fsd\r\n"
                           "DTSTAMP:20260328T120000Z\r\n"
                           "DTSTART:20260330T070000Z\r\n"
                           "DTEND:20260330T090000Z\r\n"
                           "SUMMARY:Service visit (repair)\r\n"
                           "END:VEVENT\r\n"
                           "END:VCALENDAR\r\n");
    ck_assert_uint_eq(len, strlen(text));
    free(text);
}
END_TEST

START_TEST(text_is_escaped)
{
    struct ics_event e = {"u@fsd", STAMP, START, END, "a,b;c\\d",
                          "line one\r\nline two"};
    size_t len;
    char *text = ics_event_new(&e, &len);

    ck_assert_ptr_nonnull(strstr(text, "\r\nSUMMARY:a\\,b\\;c\\\\d\r\n"));
    ck_assert_ptr_nonnull(
        strstr(text, "\r\nDESCRIPTION:line one\\nline two\r\n"));
    free(text);
}
END_TEST

/* Unfold text (CRLF + space disappears) and return the line that starts
 * with prefix, without its CRLF; NULL when none. */
static char *unfolded_line(const char *text, const char *prefix)
{
    char *flat = malloc(strlen(text) + 1), *line, *end;
    size_t n = 0;

    for (const char *p = text; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        flat[n++] = *p;
    }
    flat[n] = '\0';
    line = strstr(flat, prefix);
    if (!line) {
        free(flat);
        return NULL;
    }
    end = strstr(line, "\r\n");
    *end = '\0';
    memmove(flat, line, strlen(line) + 1);
    return flat;
}

START_TEST(long_lines_fold_between_characters)
{
    char desc[400];
    struct ics_event e = {"u@fsd", STAMP, START, END, NULL, desc};
    size_t len, at = 0;
    char *text, *line;

    /* "é" is two octets: a fold that ignored UTF-8 would split one */
    for (int i = 0; i < 150; i++) {
        desc[at++] = (char)0xC3;
        desc[at++] = (char)0xA9;
    }
    desc[at] = '\0';
    text = ics_event_new(&e, &len);
    for (char *p = text; *p;) {
        char *eol = strstr(p, "\r\n");
        size_t n = (size_t)(eol - p);

        ck_assert_uint_le(n, 75);
        /* a physical line never starts inside a UTF-8 sequence */
        if (p != text && p[0] == ' ')
            ck_assert_int_ne((unsigned char)p[1] & 0xC0, 0x80);
        p = eol + 2;
    }
    line = unfolded_line(text, "DESCRIPTION:");
    ck_assert_ptr_nonnull(line);
    ck_assert_str_eq(line + strlen("DESCRIPTION:"), desc);
    free(line);
    free(text);
}
END_TEST

/* Bytes that are not UTF-8 (jansson keeps them out, but the renderer
 * must not depend on it): in a run of 100 continuation bytes no character
 * starts, so the fold after the first one falls at the 75-octet limit. */
START_TEST(continuation_run_folds_at_the_limit)
{
    char desc[101], want[160];
    struct ics_event e = {"u@fsd", STAMP, START, END, NULL, desc};
    size_t len, n = 0;
    char *text;

    memset(desc, 0x80, 100);
    desc[100] = '\0';
    /* "DESCRIPTION:" + 100 octets: the first fold backs up to the ':' (the
     * last byte that starts a character), the second finds none after it */
    n += (size_t)sprintf(want, "\r\nDESCRIPTION\r\n :");
    memset(want + n, 0x80, 73), n += 73;
    memcpy(want + n, "\r\n ", 3), n += 3;
    memset(want + n, 0x80, 27), n += 27;
    memcpy(want + n, "\r\nEND:VEVENT\r\n", 15), n += 15;
    want[n] = '\0';
    text = ics_event_new(&e, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(len, strlen(text));
    ck_assert_ptr_nonnull(strstr(text, want));
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ics");
    TCase *tc = tcase_create("render");

    tcase_add_test(tc, plain_event_is_exact);
    tcase_add_test(tc, text_is_escaped);
    tcase_add_test(tc, long_lines_fold_between_characters);
    tcase_add_test(tc, continuation_run_folds_at_the_limit);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
