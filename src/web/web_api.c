/* Thin handlers that serve the embedded browser apps (with ETag revalidation) and the QR code
 * of a grid's or community's residents' report poster. */
#include "web/web_api.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"
#include "http/encoding.h"
#include "org/org.h"
#include "web/web.h"

/* The gzip coding of each compressible embedded file, made on its first request and kept. */
struct gz_file {
    char *data; /* NULL: not compressible, or no smaller */
    size_t len;
    bool done;
};
static struct gz_file *gz_files;
static pthread_mutex_t gz_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct gz_file *gzipped(const struct embed_file *f)
{
    pthread_mutex_lock(&gz_lock);
    if (!gz_files) {
        size_t n = 0;
        while (embed_web[n].name)
            n++;
        gz_files = xcalloc(n + 1, sizeof(*gz_files));
    }
    struct gz_file *g = &gz_files[f - embed_web];
    if (!g->done) {
        if (http_compressible(web_content_type(f->name)))
            g->data = http_gzip(f->data, f->len, &g->len);
        g->done = true;
    }
    pthread_mutex_unlock(&gz_lock);
    return g->data ? g : NULL;
}

static int static_file(struct http_request *req, struct http_response *resp)
{
    const struct embed_file *f = web_find(req->path);
    if (!f)
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "no_file", NULL, "页面不存在：%s",
                                  req->path);
    const struct gz_file *gz = NULL;
    if (http_accepts_gzip(http_header(req, "Accept-Encoding")))
        gz = gzipped(f);
    /* Each coding is its own representation with its own strong ETag (RFC 9110 8.8.3). */
    char etag[28];
    web_etag(f, etag, sizeof(etag));
    if (gz)
        snprintf(etag + strlen(etag) - 1, sizeof(etag) - strlen(etag) + 1, "-gz\"");
    /* Pages and app code revalidate every time (they change with the binary); the vendored
     * library changes only with the lockfile. */
    http_set_header(resp, "Cache-Control", web_is_vendor(f) ? "public, max-age=86400" : "no-cache");
    http_set_header(resp, "ETag", etag);
    http_set_header(resp, "Vary", "Accept-Encoding");
    if (web_etag_matches(http_header(req, "If-None-Match"), etag))
        return http_reply_bytes(resp, 304, web_content_type(f->name), "", 0);
    if (gz) {
        http_set_header(resp, "Content-Encoding", "gzip");
        return http_reply_bytes(resp, 200, web_content_type(f->name), gz->data, gz->len);
    }
    return http_reply_bytes(resp, 200, web_content_type(f->name), f->data, f->len);
}

/* "/center" → "/center/", so that the page's relative URLs resolve inside the app. */
static int add_slash(struct http_request *req, struct http_response *resp)
{
    char to[64];
    snprintf(to, sizeof(to), "%s/", req->path);
    http_set_header(resp, "Location", to);
    return http_reply_bytes(resp, 308, "text/plain; charset=utf-8", to, strlen(to));
}

static int region_qr(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_region r = {0};
    struct buf url = BUF_INIT, svg = BUF_INIT;
    const char *proto = http_header(req, "X-Forwarded-Proto");
    if (org_region_get(req->db, http_param(req, "code"), &r, &err))
        return http_reply_error(resp, &err);
    if (strcmp(r.level, "grid") != 0 && strcmp(r.level, "community") != 0) {
        app_fail(&err, APP_ERR_INVALID, "not_grid_or_community", "code",
                 "二维码只对网格或社区生成，%s 是 %s", r.code, r.level);
    } else if (web_report_url(proto, http_header(req, "Host"), r.code, &url, &err) == 0 &&
               web_qr_svg(buf_cstr(&url), r.name, &svg, &err) == 0) {
        http_reply_bytes(resp, 200, "image/svg+xml", svg.data, svg.len);
        http_set_header(resp, "Cache-Control", "no-cache");
        http_set_header(resp, "X-Report-Url", buf_cstr(&url));
    }
    org_region_release(&r);
    buf_release(&url);
    buf_release(&svg);
    return err.code ? http_reply_error(resp, &err) : 0;
}

const struct http_route web_routes[] = {
    {"GET", "/api/v1/regions/{code}/qr.svg", region_qr, HTTP_PUBLIC, NULL},
    {"GET", "/", static_file, HTTP_PUBLIC, NULL},
    {"GET", "/favicon.ico", static_file, HTTP_PUBLIC, NULL},
    {"GET", "/static/*", static_file, HTTP_PUBLIC, NULL},
    {"GET", "/center/*", static_file, HTTP_PUBLIC, NULL},
    {"GET", "/grid/*", static_file, HTTP_PUBLIC, NULL},
    {"GET", "/report/*", static_file, HTTP_PUBLIC, NULL},
    {"GET", "/poster/*", static_file, HTTP_PUBLIC, NULL},
    {"GET", "/login/*", static_file, HTTP_PUBLIC, NULL},
    {"GET", "/center", add_slash, HTTP_PUBLIC, NULL},
    {"GET", "/grid", add_slash, HTTP_PUBLIC, NULL},
    {"GET", "/report", add_slash, HTTP_PUBLIC, NULL},
    {"GET", "/poster", add_slash, HTTP_PUBLIC, NULL},
    {"GET", "/login", add_slash, HTTP_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
