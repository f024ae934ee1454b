/*
 * yaml_lines.h - reading server/openapi.yaml line by line, as the
 * OpenAPI suites do: block style, two-space indentation, unquoted keys,
 * the layout the document is written in.  No YAML parser: a key is a line
 * at an indentation, its block the lines below it up to the next key at
 * that indentation or less.
 */
#ifndef FSD_TEST_YAML_LINES_H
#define FSD_TEST_YAML_LINES_H

#include <stddef.h>

/* A span of lines in the document: [begin, end). */
struct span {
    const char *begin, *end;
};

/* The line starting at p: its end (at '\n' or NUL), without a trailing
 * '\r' and trailing blanks; *next gets the next line's start. */
const char *line_end(const char *p, const char **next);
/* Spaces before the first other character of the line [p, e). */
size_t indent_of(const char *p, const char *e);
/* Is [p, e) exactly `indent` spaces, then key, then ':'? */
int is_key_line(const char *p, const char *e, size_t indent, const char *key,
                size_t key_len);
/* A line holding a key at exactly this indentation (not a comment, not a
 * list item)? */
int is_any_key_at(const char *p, const char *e, size_t indent);
/* The block of "<indent spaces>key:" within in: the lines after it up to
 * the next line indented `indent` or less.  0 if absent. */
int key_block(const struct span *in, size_t indent, const char *key,
              struct span *out);

#endif
