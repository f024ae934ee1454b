/*
 * yaml_lines.c - line-by-line reading of the OpenAPI document
 * (yaml_lines.h).
 */
#include "yaml_lines.h"

#include <string.h>

const char *line_end(const char *p, const char **next)
{
    const char *e = p + strcspn(p, "\n");

    *next = *e ? e + 1 : e;
    while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
        e--;
    return e;
}

size_t indent_of(const char *p, const char *e)
{
    size_t n = 0;

    while (p + n < e && p[n] == ' ')
        n++;
    return n;
}

int is_key_line(const char *p, const char *e, size_t indent, const char *key,
                size_t key_len)
{
    return (size_t)(e - p) == indent + key_len + 1 &&
           indent_of(p, e) == indent &&
           memcmp(p + indent, key, key_len) == 0 && e[-1] == ':';
}

int is_any_key_at(const char *p, const char *e, size_t indent)
{
    return e > p + indent && indent_of(p, e) == indent && p[indent] != '#' &&
           p[indent] != '-' && memchr(p, ':', (size_t)(e - p)) != NULL;
}

int key_block(const struct span *in, size_t indent, const char *key,
              struct span *out)
{
    const char *p, *next, *e;
    size_t n = strlen(key);

    for (p = in->begin; p < in->end; p = next) {
        e = line_end(p, &next);
        if (!is_key_line(p, e, indent, key, n))
            continue;
        out->begin = next;
        for (p = next; p < in->end; p = next) {
            e = line_end(p, &next);
            if (e > p && indent_of(p, e) <= indent && p[indent_of(p, e)] != '#')
                break;
        }
        out->end = p < in->end ? p : in->end;
        return 1;
    }
    return 0;
}
