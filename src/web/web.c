/* Rules of the browser-app module as pure functions: URL path → embedded file, media types,
 * ETags, the report URL a poster points to, and the QR code drawn as SVG. */
#include "web/web.h"

#include <ctype.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"

#define VENDOR_URL "static/vendor/"

/* Files from node_modules served under /static/vendor/<name>. */
static const char *const vendor_files[] = {
    "node_modules/echarts/dist/echarts.min.js",
    NULL,
};

static int path_safe(const char *p)
{
    return !strstr(p, "..") && !strstr(p, "//") && !strchr(p, '\\');
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static const struct embed_file *find_name(const char *name)
{
    for (const struct embed_file *f = embed_web; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const struct embed_file *web_find(const char *path)
{
    char name[512];
    if (!path || path[0] != '/' || !path_safe(path))
        return NULL;
    const char *rel = path + 1;
    if (strncmp(rel, VENDOR_URL, strlen(VENDOR_URL)) == 0) {
        const char *want = rel + strlen(VENDOR_URL);
        for (size_t i = 0; vendor_files[i]; i++)
            if (strcmp(base_name(vendor_files[i]), want) == 0)
                return find_name(vendor_files[i]);
        return NULL;
    }
    size_t len = strlen(rel);
    int n = snprintf(name, sizeof(name), "web/%s%s", rel,
                     len == 0 || rel[len - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof(name))
        return NULL;
    return find_name(name);
}

const char *web_content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(base_name(name), '.');
    if (dot)
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

int web_is_vendor(const struct embed_file *f)
{
    return strncmp(f->name, "node_modules/", 13) == 0;
}

static uint64_t *etags;
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void etags_compute(void)
{
    size_t n = 0;
    while (embed_web[n].name)
        n++;
    static uint64_t none;
    etags = n ? xcalloc(n, sizeof(*etags)) : &none;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = 0xcbf29ce484222325ULL;
        for (size_t j = 0; j < embed_web[i].len; j++) {
            h ^= (unsigned char)embed_web[i].data[j];
            h *= 0x100000001b3ULL;
        }
        etags[i] = h;
    }
}

void web_etag(const struct embed_file *f, char *out, size_t n)
{
    pthread_once(&etags_once, etags_compute);
    snprintf(out, n, "\"%016llx\"", (unsigned long long)etags[f - embed_web]);
}

int web_etag_matches(const char *header, const char *etag)
{
    if (!header)
        return 0;
    size_t el = strlen(etag);
    for (const char *p = header; *p;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p == '*')
            return 1;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (strncmp(p, etag, el) == 0 && (p[el] == '\0' || p[el] == ',' || p[el] == ' '))
            return 1;
        while (*p && *p != ',')
            p++;
    }
    return 0;
}

int web_report_url(const char *scheme, const char *host, const char *code, struct buf *out,
                   struct app_error *err)
{
    if (!host || !*host || strlen(host) > 255)
        return app_fail(err, APP_ERR_INVALID, "invalid_host", "Host", "缺少或无效的 Host 请求头");
    for (const char *p = host; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p))
            return app_fail(err, APP_ERR_INVALID, "invalid_host", "Host",
                            "Host 请求头含有不允许的字符");
    buf_printf(out, "%s://%s/report/?region=%s",
               scheme && strcmp(scheme, "https") == 0 ? "https" : "http", host, code);
    return 0;
}

static void put_xml(struct buf *out, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<':
            buf_puts(out, "&lt;");
            break;
        case '>':
            buf_puts(out, "&gt;");
            break;
        case '&':
            buf_puts(out, "&amp;");
            break;
        case '"':
            buf_puts(out, "&quot;");
            break;
        default:
            buf_putc(out, *s);
        }
}

int web_qr_svg(const char *text, const char *title, struct buf *out, struct app_error *err)
{
    /* ISO/IEC 18004 7.3: level M recovers about 15 %, enough for a weathered poster. */
    QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!qr)
        return app_fail(err, APP_ERR_INVALID, "too_long", "text", "内容过长，无法生成二维码");
    const int quiet = 4; /* ISO/IEC 18004 6.3.8: quiet zone of 4 modules */
    int size = qr->width + 2 * quiet;
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\">",
               size, size, size * 8, size * 8);
    if (title) {
        buf_puts(out, "<title>");
        put_xml(out, title);
        buf_puts(out, "</title>");
    }
    buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
               size, size);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->data[y * qr->width + x] & 1) /* bit 0: dark module */
                buf_printf(out, "M%d %dh1v1h-1z", x + quiet, y + quiet);
    buf_puts(out, "\"/></svg>\n");
    QRcode_free(qr);
    return 0;
}
