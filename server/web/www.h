/*
 * www.h - the static root (--www): which of its files may be served and as
 * what, reading one, and the version of the whole set.
 *
 * The root is flat.  Pages name their scripts and styles under
 * /static/<version>/, the version being a hash of every file's name and
 * bytes, so a browser may keep an asset for a year: new files make a new
 * address.
 */
#ifndef FSD_WWW_H
#define FSD_WWW_H

#include <stddef.h>

#define WWW_VERSION_TEXT 17 /* 16 hex digits + NUL */
#define WWW_FILE_MAX (1024 * 1024)

/* The content type of a servable file name, or NULL: a plain name of
 * letters, digits, '-', '_' and '.', not starting with '.', ending in
 * .html, .js, .css, .svg, .png or .webmanifest. */
const char *www_content_type(const char *name);

/* The whole of dir/name into a fresh buffer (*len bytes, NUL-terminated);
 * NULL when it is missing, empty, unreadable or over WWW_FILE_MAX. */
char *www_read(const char *dir, const char *name, size_t *len);

/* The version of every servable file of dir: 16 hex digits of a hash of
 * their names and bytes (of nothing for a missing root). */
void www_version(const char *dir, char out[WWW_VERSION_TEXT]);

#endif
