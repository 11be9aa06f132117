/* Content coding for replies that are kept and sent many times (geography, the browser apps):
 * gzip once, send the compressed bytes to every client that accepts them. */
#ifndef HTTP_ENCODING_H
#define HTTP_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

/* The gzip coding of body (level 9), or NULL when it would not be smaller (bodies under 256
 * bytes are not tried). The caller frees the result. */
char *http_gzip(const char *body, size_t len, size_t *out_len);

/* Does an Accept-Encoding header value allow gzip? "gzip;q=0" refuses it (RFC 9110 12.5.3). */
bool http_accepts_gzip(const char *accept_encoding);

/* Is a media type worth compressing (text, JavaScript, JSON, SVG)? */
bool http_compressible(const char *content_type);

#endif
