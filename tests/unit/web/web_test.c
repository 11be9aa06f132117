/* The browser-app rules: URL path → embedded file, media types, ETags and If-None-Match, the
 * report URL a poster encodes, and the QR SVG. */
#include "web/web.h"

#include <qrencode.h>
#include <string.h>

#include "test.h"

TEST(finds_pages_and_index)
{
    const struct embed_file *f = web_find("/");
    CHECK(f != NULL);
    if (f)
        CHECK_STR(f->name, "web/index.html");
    f = web_find("/center/");
    CHECK(f != NULL);
    if (f)
        CHECK_STR(f->name, "web/center/index.html");
    CHECK(web_find("/center/nothing.html") == NULL);
}

TEST(vendor_maps_to_npm_file)
{
    const struct embed_file *f = web_find("/static/vendor/echarts.min.js");
    CHECK(f != NULL);
    if (f) {
        CHECK_STR(f->name, "node_modules/echarts/dist/echarts.min.js");
        CHECK(web_is_vendor(f));
        CHECK(f->len > 100000);
    }
    CHECK(web_find("/static/vendor/tslib.js") == NULL);
}

TEST(refuses_traversal)
{
    CHECK(web_find("/static/../index.html") == NULL);
    CHECK(web_find("//index.html") == NULL);
    CHECK(web_find("/static\\x") == NULL);
    CHECK(web_find("index.html") == NULL);
    CHECK(web_find(NULL) == NULL);
}

TEST(content_types)
{
    CHECK_STR(web_content_type("web/a/index.html"), "text/html; charset=utf-8");
    CHECK_STR(web_content_type("web/static/js/api.js"), "text/javascript; charset=utf-8");
    CHECK_STR(web_content_type("web/static/css/app.css"), "text/css; charset=utf-8");
    CHECK_STR(web_content_type("x.svg"), "image/svg+xml");
    CHECK_STR(web_content_type("web/README"), "application/octet-stream");
    CHECK_STR(web_content_type("web.d/x"), "application/octet-stream");
}

TEST(etag_stable_and_matched)
{
    const struct embed_file *f = web_find("/");
    char a[24], b[24];
    if (!f)
        return;
    web_etag(f, a, sizeof(a));
    web_etag(f, b, sizeof(b));
    CHECK_STR(a, b);
    CHECK_INT(strlen(a), 18);
    CHECK(a[0] == '"' && a[17] == '"');
    CHECK(web_etag_matches(a, a));
    char list[64];
    snprintf(list, sizeof(list), "\"x\", W/%s", a);
    CHECK(web_etag_matches(list, a)); /* RFC 9110 13.1.2: weak comparison */
    CHECK(web_etag_matches("*", a));
    CHECK(!web_etag_matches("\"other\"", a));
    CHECK(!web_etag_matches(NULL, a));
}

TEST(report_url)
{
    struct buf b = BUF_INIT;
    struct app_error err = {0};
    CHECK_INT(web_report_url(NULL, "127.0.0.1:8080", "500103001003001", &b, &err), 0);
    CHECK_STR(buf_cstr(&b), "http://127.0.0.1:8080/report/?region=500103001003001");
    buf_reset(&b);
    CHECK_INT(web_report_url("https", "zhizhi.example.cn", "500103001003", &b, &err), 0);
    CHECK_STR(buf_cstr(&b), "https://zhizhi.example.cn/report/?region=500103001003");
    buf_reset(&b);
    CHECK_INT(web_report_url("http", "[::1]:80", "1", &b, &err), 0);
    CHECK_INT(web_report_url("http", "evil.cn/\"><script>", "1", &b, &err), -1);
    CHECK_STR(err.code_name, "invalid_host");
    CHECK_STR(err.field, "Host");
    CHECK_INT(web_report_url("http", "", "1", &b, &err), -1);
    CHECK_INT(web_report_url("http", NULL, "1", &b, &err), -1);
    buf_release(&b);
}

/* Count the dark modules drawn in the SVG path. */
static int count_modules(const char *svg)
{
    int n = 0;
    for (const char *p = svg; (p = strstr(p, "h1v1h-1z")); p++)
        n++;
    return n;
}

TEST(qr_svg_draws_every_dark_module)
{
    const char *url = "http://127.0.0.1:8080/report/?region=500103001003001";
    struct buf b = BUF_INIT;
    struct app_error err = {0};
    CHECK_INT(web_qr_svg(url, "华一坡社区第1网格 <A&B>", &b, &err), 0);
    const char *svg = buf_cstr(&b);
    CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    CHECK(strstr(svg, "<title>华一坡社区第1网格 &lt;A&amp;B&gt;</title>") != NULL);
    QRcode *qr = QRcode_encodeString8bit(url, 0, QR_ECLEVEL_M);
    int dark = 0;
    for (int i = 0; i < qr->width * qr->width; i++)
        dark += qr->data[i] & 1;
    CHECK_INT(count_modules(svg), dark);
    char vb[48];
    snprintf(vb, sizeof(vb), "viewBox=\"0 0 %d %d\"", qr->width + 8, qr->width + 8);
    CHECK(strstr(svg, vb) != NULL); /* 4-module quiet zone on each side */
    /* The finder pattern's top-left module sits just inside the quiet zone. */
    CHECK(strstr(svg, "\"M4 4h1v1h-1z") != NULL);
    QRcode_free(qr);
    buf_release(&b);
}

TEST(qr_too_long)
{
    static char big[8000];
    memset(big, 'a', sizeof(big) - 1);
    struct buf b = BUF_INIT;
    struct app_error err = {0};
    CHECK_INT(web_qr_svg(big, NULL, &b, &err), -1);
    CHECK_STR(err.code_name, "too_long");
    buf_release(&b);
}

TEST_SUITE({"finds_pages_and_index", finds_pages_and_index},
           {"vendor_maps_to_npm_file", vendor_maps_to_npm_file},
           {"refuses_traversal", refuses_traversal}, {"content_types", content_types},
           {"etag_stable_and_matched", etag_stable_and_matched}, {"report_url", report_url},
           {"qr_svg_draws_every_dark_module", qr_svg_draws_every_dark_module},
           {"qr_too_long", qr_too_long});
