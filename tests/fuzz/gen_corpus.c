/*
 * gen_corpus.c - writes the seed inputs of every fuzz target into
 * tests/fuzz/corpus/<target>/ (make fuzz-corpus; the output is checked
 * in).  Seeds are small, real-looking requests in each target's input
 * layout (see the comment opening each fuzz_<target>.c): wire messages
 * packed with the generated protobuf code and signed with the fixed keys
 * of fuzz.h (gen_wire.c), JSON bodies and query strings like the web app
 * sends, paths of the route table, tokens, instants and zone names
 * (gen_text.c), and the targets' binary layouts: built routes, an
 * appointment, numbers, time zone files from the system's tzdata, quotes
 * (gen_layout.c).  Sealed boxes use fresh randomness, so regenerating
 * changes those bytes, never their meaning.
 *
 * This file is main() and the one place that writes files.
 */
#include "gen_corpus.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *root;

void gen_put(const char *target, const char *name, const void *head,
             size_t hlen, const void *body, size_t blen)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", root, target);
    if (mkdir(path, 0755) && errno != EEXIST)
        abort();
    snprintf(path, sizeof path, "%s/%s/%s", root, target, name);
    f = fopen(path, "wb");
    if (!f || (hlen && fwrite(head, 1, hlen, f) != hlen) ||
        (blen && fwrite(body, 1, blen, f) != blen) || fclose(f)) {
        perror(path);
        exit(1);
    }
}

void gen_put_text(const char *target, const char *name, const char *head,
                  size_t hlen, const char *text)
{
    gen_put(target, name, head, hlen, text, strlen(text));
}

int main(int argc, char **argv)
{
    if (argc != 2 || sodium_init() < 0) {
        fprintf(stderr, "usage: gen_corpus CORPUS_DIR\n");
        return 2;
    }
    root = argv[1];
    if (mkdir(root, 0755) && errno != EEXIST)
        return 1;
    gen_wire_seeds();
    gen_text_seeds();
    gen_layout_seeds();
    return 0;
}
