/* gzip for kept replies, and reading Accept-Encoding. */
#include "http/encoding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/xalloc.h"

/* gzip (RFC 1952) of body at the best level: it is done once per version. NULL when it does
 * not pay. */
char *http_gzip(const char *body, size_t len, size_t *out_len)
{
    z_stream z = {0};
    if (len < 256 || deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, (uLong)len);
    char *out = xmalloc(cap);
    z.next_in = (Bytef *)(uintptr_t)body;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || *out_len >= len) {
        free(out);
        return NULL;
    }
    return out;
}

/* Does Accept-Encoding allow gzip? A "gzip;q=0" refuses it (RFC 9110 12.5.3). */
bool http_accepts_gzip(const char *ae)
{
    const char *p = ae ? strcasestr(ae, "gzip") : NULL;
    if (!p)
        return false;
    p += 4;
    while (*p == ' ')
        p++;
    if (*p != ';')
        return true;
    p++;
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "q=", 2) != 0)
        return true;
    return strtod(p + 2, NULL) > 0;
}

bool http_compressible(const char *t)
{
    return t && (strncmp(t, "text/", 5) == 0 || strstr(t, "javascript") || strstr(t, "json") ||
                 strstr(t, "svg") || strstr(t, "xml"));
}
