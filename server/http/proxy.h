/*
 * proxy.h - who a request really comes from when a proxy in front of fsd
 * (nginx terminating TLS) passed it on: only a peer named in
 * --trusted-proxy is believed about the client's address
 * (X-Forwarded-For) and the scheme (X-Forwarded-Proto).  Pure: strings
 * in, strings out.
 */
#ifndef FSD_PROXY_H
#define FSD_PROXY_H

#include <stddef.h>

/* Is addr one of the comma-separated addresses in trusted? */
int proxy_trusted(const char *trusted, const char *addr);

/*
 * The client's address for a request from peer with X-Forwarded-For xff
 * (NULL when absent): peer itself unless peer is trusted; else the
 * right-most address of xff that is not a trusted proxy (the one the
 * nearest untrusted hop connected from).  A list that is not addresses
 * leaves peer.  Written to out (size bytes).
 */
void proxy_client(const char *trusted, const char *peer, const char *xff,
                  char *out, size_t size);

/* Did a trusted peer say the client spoke HTTPS (X-Forwarded-Proto)? */
int proxy_https(const char *trusted, const char *peer, const char *proto);

#endif
