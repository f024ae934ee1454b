/*
 * proxy.c - the client's address and scheme behind trusted proxies (see
 * proxy.h).  X-Forwarded-For lists each hop's peer, left to right; only
 * the entries a trusted proxy appended can be believed, so the list is
 * read from the right, past the trusted proxies, to the first other
 * address.
 */
#include "http/proxy.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ADDR_MAX 64

/* The n bytes at s, spaces and tabs trimmed, as a C string in out. */
static void trimmed(const char *s, size_t n, char out[ADDR_MAX])
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    snprintf(out, ADDR_MAX, "%.*s", (int)(n < ADDR_MAX ? n : 0), s);
}

static int is_address(const char *a)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, a, buf) == 1 || inet_pton(AF_INET6, a, buf) == 1;
}

int proxy_trusted(const char *trusted, const char *addr)
{
    char item[ADDR_MAX];

    for (const char *p = trusted; p && *p;) {
        size_t n = strcspn(p, ",");
        trimmed(p, n, item);
        if (item[0] && strcmp(item, addr) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

void proxy_client(const char *trusted, const char *peer, const char *xff,
                  char *out, size_t size)
{
    char item[ADDR_MAX];
    size_t end;

    snprintf(out, size, "%s", peer);
    if (!xff || !proxy_trusted(trusted, peer))
        return;
    for (end = strlen(xff);;) {
        size_t start = end;
        while (start && xff[start - 1] != ',')
            start--;
        trimmed(xff + start, end - start, item);
        if (!is_address(item))
            return; /* not a list of addresses: believe none of it */
        snprintf(out, size, "%s", item);
        if (!proxy_trusted(trusted, item) || start == 0)
            return;
        end = start - 1;
    }
}

int proxy_https(const char *trusted, const char *peer, const char *proto)
{
    return proto && proxy_trusted(trusted, peer) &&
           strcasecmp(proto, "https") == 0;
}
