/* The browser apps served by the binary: the files of web/ (and the npm files they need)
 * embedded at build time, their media types and validators, and the residents' QR code
 * (an SVG drawn from libqrencode) that points at the report form bound to a grid. */
#ifndef WEB_WEB_H
#define WEB_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/error.h"

/* The files of web/ and the vendored npm files, terminated by {NULL}; generated at build time
 * (Makefile rule embed_web). Names keep their build paths ("web/center/index.html",
 * "node_modules/echarts/dist/echarts.min.js"). */
extern const struct embed_file embed_web[];

/* The embedded file served at URL path `path` ("/center/", "/static/js/api.js", "/"), or NULL.
 * A path ending in "/" means its index.html; "/static/vendor/<f>" maps to the npm file; paths
 * with "..", "//" or a backslash never match. */
const struct embed_file *web_find(const char *path);

/* The Content-Type for a file name from its extension ("text/html; charset=utf-8", ...);
 * "application/octet-stream" for an unknown one. Static string. */
const char *web_content_type(const char *name);

/* Is the file long-lived (a vendored npm file that only changes with the lockfile)? */
int web_is_vendor(const struct embed_file *f);

/* The strong ETag of f, quoted ("\"1f2e...\""), written to out (≥ 19 bytes): FNV-1a 64 of the
 * bytes, computed once per file and cached. Thread-safe. */
void web_etag(const struct embed_file *f, char *out, size_t n);

/* Does an If-None-Match header value (a list of tags, or "*") match etag (RFC 9110 13.1.2:
 * weak comparison)? header may be NULL. */
int web_etag_matches(const char *header, const char *etag);

/* Append to out the URL of the residents' report form bound to region `code`:
 * "<scheme>://<host>/report/?region=<code>". host is the request's Host header: letters,
 * digits, '.', '-', ':' and brackets only, at most 255 bytes; scheme "http" or "https".
 * APP_ERR_INVALID "invalid_host" (field "Host") otherwise. */
int web_report_url(const char *scheme, const char *host, const char *code, struct buf *out,
                   struct app_error *err);

/* Append to out an SVG drawing of the QR code (ISO/IEC 18004, byte mode, error correction
 * level M, 4-module quiet zone) that encodes text, with a <title> naming title (XML-escaped;
 * may be NULL). APP_ERR_INVALID "too_long" when text does not fit a version-40 symbol. */
int web_qr_svg(const char *text, const char *title, struct buf *out, struct app_error *err);

#endif
