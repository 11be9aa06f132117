/* Trusted reverse proxies: parsing the trusted_proxies setting and reading X-Forwarded-For and
 * X-Forwarded-Proto only when the peer is one of them (RFC 7239 describes the same trust model
 * for Forwarded; nginx writes the X- forms). */
#include "http/proxy.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Parse one numeric address into family and 16 bytes; an IPv4-mapped IPv6 address counts as
 * IPv4, so "::ffff:127.0.0.1" matches "127.0.0.1". */
static bool parse_addr(const char *s, int *family, unsigned char out[16])
{
    memset(out, 0, 16);
    if (inet_pton(AF_INET, s, out) == 1) {
        *family = 4;
        return true;
    }
    unsigned char a6[16];
    if (inet_pton(AF_INET6, s, a6) != 1)
        return false;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a6, mapped, 12) == 0) {
        memcpy(out, a6 + 12, 4);
        *family = 4;
    } else {
        memcpy(out, a6, 16);
        *family = 6;
    }
    return true;
}

static int parse_one(const char *tok, struct proxy_net *net)
{
    char a[64];
    const char *slash = strchr(tok, '/');
    size_t len = slash ? (size_t)(slash - tok) : strlen(tok);
    if (len == 0 || len >= sizeof(a))
        return -1;
    memcpy(a, tok, len);
    a[len] = '\0';
    if (!parse_addr(a, &net->family, net->addr))
        return -1;
    int max = net->family == 4 ? 32 : 128;
    net->bits = max;
    if (slash) {
        char *end;
        long b = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || b < 0 || b > max)
            return -1;
        net->bits = (int)b;
    }
    return 0;
}

int proxy_parse(const char *text, struct proxy_list *out, struct app_error *err)
{
    char tok[80];
    memset(out, 0, sizeof(*out));
    for (const char *p = text ? text : ""; *p;) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, ", \t");
        if (!len)
            break;
        if (len >= sizeof(tok) || out->len == PROXY_MAX)
            return app_fail(err, APP_ERR_INVALID, "invalid_setting", "trusted_proxies",
                            "setting trusted_proxies: at most %d entries of an address or "
                            "address/bits",
                            PROXY_MAX);
        memcpy(tok, p, len);
        tok[len] = '\0';
        if (parse_one(tok, &out->nets[out->len]))
            return app_fail(err, APP_ERR_INVALID, "invalid_setting", "trusted_proxies",
                            "setting trusted_proxies: \"%s\" is not an address or network", tok);
        out->len++;
        p += len;
    }
    return 0;
}

static bool in_net(const struct proxy_net *n, int family, const unsigned char a[16])
{
    if (n->family != family)
        return false;
    int full = n->bits / 8, rest = n->bits % 8;
    if (memcmp(n->addr, a, (size_t)full))
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (n->addr[full] & mask) == (a[full] & mask);
}

bool proxy_trusted(const struct proxy_list *l, const char *addr)
{
    int family;
    unsigned char a[16];
    if (!l || !l->len || !addr || !parse_addr(addr, &family, a))
        return false;
    for (int i = 0; i < l->len; i++)
        if (in_net(&l->nets[i], family, a))
            return true;
    return false;
}

/* Copy the entry [b, e) of a list without surrounding blanks into out; false when it is not a
 * numeric address. */
static bool entry(const char *b, const char *e, char *out, size_t n)
{
    while (b < e && (*b == ' ' || *b == '\t'))
        b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    size_t len = (size_t)(e - b);
    if (!len || len >= n || len >= 64)
        return false;
    memcpy(out, b, len);
    out[len] = '\0';
    int family;
    unsigned char a[16];
    return parse_addr(out, &family, a);
}

void proxy_client(const struct proxy_list *l, const char *peer, const char *xff, char *out,
                  size_t n)
{
    snprintf(out, n, "%s", peer ? peer : "unknown");
    if (!xff || !proxy_trusted(l, peer))
        return;
    const char *end = xff + strlen(xff);
    char a[64];
    while (end > xff) {
        const char *b = end;
        while (b > xff && b[-1] != ',')
            b--;
        if (!entry(b, end, a, sizeof(a)))
            return;
        snprintf(out, n, "%s", a);
        if (!proxy_trusted(l, a))
            return;
        end = b > xff ? b - 1 : xff;
    }
}

bool proxy_tls(const struct proxy_list *l, const char *peer, const char *proto)
{
    return proto && proxy_trusted(l, peer) && strcasecmp(proto, "https") == 0;
}
