/*
 * www.c - the static root: servable names and their types, reading a
 * file, and the version of the set (see www.h).
 */
#include "web/www.h"
#include "common/mem.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".webmanifest", "application/manifest+json"},
};

const char *www_content_type(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0 || n > 100 || name[0] == '.' ||
        strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789-_.") != n)
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && strcmp(name + n - e, types[i].ext) == 0)
            return types[i].type;
    }
    return NULL;
}

char *www_read(const char *dir, const char *name, size_t *len)
{
    char path[1200];
    FILE *f;
    char *text;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "rb")))
        return NULL;
    text = xmalloc(WWW_FILE_MAX + 1);
    *len = fread(text, 1, WWW_FILE_MAX + 1, f);
    if (ferror(f) || *len == 0 || *len > WWW_FILE_MAX) {
        free(text);
        text = NULL;
    } else {
        text[*len] = '\0';
    }
    fclose(f);
    return text;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

void www_version(const char *dir, char out[WWW_VERSION_TEXT])
{
    unsigned char h[8];
    crypto_generichash_state st;
    struct dirent **names = NULL;
    int n = dir[0] ? scandir(dir, &names, NULL, by_name) : -1;

    crypto_generichash_init(&st, NULL, 0, sizeof h);
    for (int i = 0; i < n; i++) {
        size_t len = 0;
        char *text = www_content_type(names[i]->d_name)
                         ? www_read(dir, names[i]->d_name, &len)
                         : NULL;
        if (text) {
            crypto_generichash_update(
                &st, (const unsigned char *)names[i]->d_name,
                strlen(names[i]->d_name) + 1);
            crypto_generichash_update(&st, (const unsigned char *)text, len);
            free(text);
        }
        free(names[i]);
    }
    free(names);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, WWW_VERSION_TEXT, h, sizeof h);
}
