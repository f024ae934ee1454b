/*
 * gen_corpus.h - what the seed generator's files share (make fuzz-corpus):
 * writing one seed file, and each family of seeds.
 *
 * gen_corpus.c holds main() and the output; gen_wire.c makes the wire
 * messages, gen_text.c the JSON bodies, query strings, paths, tokens,
 * instants and zone names, gen_layout.c the targets' own binary layouts.
 * Each family writes the seeds of the targets it serves through gen_put.
 */
#ifndef FSD_GEN_CORPUS_H
#define FSD_GEN_CORPUS_H

#include <stddef.h>

/* Write CORPUS_DIR/target/name: hlen bytes of head, then blen of body
 * (either may be empty); exits on any failure to write it. */
void gen_put(const char *target, const char *name, const void *head,
             size_t hlen, const void *body, size_t blen);
/* The same with a NUL-terminated text as the body. */
void gen_put_text(const char *target, const char *name, const char *head,
                  size_t hlen, const char *text);

/* The families, in the order main() runs them. */
void gen_wire_seeds(void);   /* envelope, client_bundle, sync */
void gen_text_seeds(void);   /* jparse, router, token, timefmt, tz */
void gen_layout_seeds(void); /* router, ics, timefmt, tz, quote */

#endif
