/* Trusted reverse proxies: which peers may tell us the real client address and scheme
 * (X-Forwarded-For, X-Forwarded-Proto), parsed once from the trusted_proxies setting. Pure:
 * text in, decisions out, no sockets. */
#ifndef HTTP_PROXY_H
#define HTTP_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

#define PROXY_MAX 32

/* One address or network: family 4 or 6, 16 address bytes (IPv4 in the first 4), prefix bits. */
struct proxy_net {
    int family;
    unsigned char addr[16];
    int bits;
};

struct proxy_list {
    struct proxy_net nets[PROXY_MAX];
    int len;
};

/* Parse a comma- or space-separated list of addresses and CIDR networks ("127.0.0.1, ::1,
 * 10.0.0.0/8"). "" gives an empty list (no proxy is trusted). APP_ERR_INVALID
 * "invalid_setting" naming the field trusted_proxies for a bad entry or more than PROXY_MAX. */
int proxy_parse(const char *text, struct proxy_list *out, struct app_error *err);

/* Is the numeric address addr (IPv4, IPv6 or IPv4-mapped IPv6) inside one of l's networks? */
bool proxy_trusted(const struct proxy_list *l, const char *addr);

/* The client behind a trusted peer: walk X-Forwarded-For (xff, may be NULL) from the right,
 * skipping trusted proxies, and copy the first address that is not one into out (n bytes);
 * when the peer is not trusted, or xff holds nothing usable, out gets peer. A malformed entry
 * stops the walk there (the address left of it could be forged), keeping the last good one. */
void proxy_client(const struct proxy_list *l, const char *peer, const char *xff, char *out,
                  size_t n);

/* Did a trusted peer say the request arrived over TLS (X-Forwarded-Proto: https)? */
bool proxy_tls(const struct proxy_list *l, const char *peer, const char *proto);

#endif
