/*
 * jdepth.c - the nesting depth of JSON text, in one pass with a counter
 * (see jdepth.h).  Brackets inside strings do not count; a backslash in a
 * string hides the character after it.  Malformed text is left to the
 * parser: this only bounds how deep the parser will go.
 */
#include "model/jdepth.h"

int jdepth_exceeds(const char *text, size_t len, int max)
{
    int depth = 0, in_string = 0;

    for (size_t i = 0; i < len; i++) {
        char c = text[i];

        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return 1;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return 0;
}
