/* Community certificates over HTTP: the catalogue with its 压减率, issuing and revoking, the
 * printable certificate with its QR code, and the public verification (JSON and a page). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "enterprise/enterprise_api.h"
#include "web/web.h"

static void html_put(struct buf *b, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&#39;");
            break;
        default:
            buf_putc(b, *s);
        }
}

static int cert_types(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct cert_type_list l;
    if (cert_type_list(req->db, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    int kept = 0;
    for (size_t i = 0; i < l.len; i++) {
        kept += l.items[i].issued;
        json_array_append_new(items, json_pack("{s:s,s:s,s:b,s:s}", "code", l.items[i].code, "name",
                                               l.items[i].name, "issued", l.items[i].issued,
                                               "replacement", l.items[i].replacement));
    }
    int pm = cert_reduction_permille((int)l.len, kept);
    char rate[16];
    snprintf(rate, sizeof(rate), "%d.%d", pm / 10, pm % 10);
    free(l.items);
    return http_reply_json(resp, 200,
                           json_pack("{s:i,s:i,s:i,s:s,s:o}", "total", (int)l.len, "issued", kept,
                                     "abolished", (int)l.len - kept, "reduction_rate", rate,
                                     "items", items));
}

static json_t *cert_json(const struct certificate *c)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:b}", "serial", c->serial,
                     "type_code", c->type_code, "type_name", c->type_name, "community",
                     c->community, "community_name", c->community_name, "holder", c->holder_masked,
                     "purpose", c->purpose, "requested_at", (json_int_t)c->requested_at,
                     "issued_at", (json_int_t)c->issued_at, "revoked_at", (json_int_t)c->revoked_at,
                     "revoke_reason", c->revoke_reason, "synthetic", c->synthetic);
}

static int issue_cert(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    struct cert_request in = {0};
    struct certificate c;
    if (http_read_json(req, &b, &err) ||
        http_json_string(b, "type_code", true, &in.type_code, &err) ||
        http_json_string(b, "community", true, &in.community, &err) ||
        http_json_string(b, "holder_name", true, &in.holder_name, &err) ||
        http_json_string(b, "purpose", false, &in.purpose, &err) ||
        cert_issue(req->db, req->who, &in, req->request_id, &c, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    json_t *j = cert_json(&c);
    json_object_set_new(j, "signature", json_string(c.signature));
    return http_reply_json(resp, 201, j);
}

static int list_certs(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct certificate_list l;
    if (cert_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, cert_json(&l.items[i]));
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int revoke_cert(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *reason = NULL;
    if (http_read_json(req, &b, &err) || http_json_string(b, "reason", true, &reason, &err) ||
        cert_revoke(req->db, req->who, http_param(req, "serial"), reason, req->request_id, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    return http_reply_json(
        resp, 200, json_pack("{s:s,s:b}", "serial", http_param(req, "serial"), "revoked", 1));
}

static int verify_cert(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct certificate c;
    int status;
    if (cert_verify(req->db, http_param(req, "serial"), http_query(req, "s"), &c, &status, &err))
        return http_reply_error(resp, &err);
    json_t *j = json_pack("{s:b,s:s,s:s,s:s}", "valid", status == CERT_VALID, "status",
                          cert_status_name(status), "status_label", cert_status_label(status),
                          "serial", http_param(req, "serial"));
    if (status != CERT_UNKNOWN) {
        char issued[32];
        clock_format_local(c.issued_at, issued, sizeof(issued));
        json_object_set_new(j, "type_name", json_string(c.type_name));
        json_object_set_new(j, "community_name", json_string(c.community_name));
        json_object_set_new(j, "holder", json_string(c.holder_masked));
        json_object_set_new(j, "issued", json_string(issued));
        if (c.revoked_at)
            json_object_set_new(j, "revoke_reason", json_string(c.revoke_reason));
    }
    http_set_header(resp, "Cache-Control", "no-store");
    return http_reply_json(resp, 200, j);
}

static void page_head(struct buf *b, const char *title)
{
    buf_puts(b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
    html_put(b, title);
    buf_puts(b, "</title><style>body{font-family:sans-serif;max-width:40em;margin:1em auto;"
                "padding:0 1em;color:#222}h1{font-size:1.3em}.st{font-size:1.6em;padding:.4em;"
                "border-radius:.3em;text-align:center}.valid{background:#e3f6e5;color:#146c2e}"
                ".revoked{background:#fff3d6;color:#8a5a00}.forged,.unknown{background:#fde2e1;"
                "color:#a1211a}dt{color:#666;margin-top:.6em}dd{margin:0;font-size:1.1em}"
                "@media print{.noprint{display:none}}</style></head><body>");
}

static void field(struct buf *b, const char *label, const char *value)
{
    buf_puts(b, "<dt>");
    html_put(b, label);
    buf_puts(b, "</dt><dd>");
    html_put(b, value);
    buf_puts(b, "</dd>");
}

static int verify_page(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct certificate c;
    int status;
    if (cert_verify(req->db, http_param(req, "serial"), http_query(req, "s"), &c, &status, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    page_head(&b, "证明核验");
    buf_puts(&b, "<h1>渝中区社区证明在线核验</h1><p class=\"st ");
    buf_puts(&b, cert_status_name(status));
    buf_puts(&b, "\" id=\"status\" data-status=\"");
    buf_puts(&b, cert_status_name(status));
    buf_puts(&b, "\">");
    html_put(&b, cert_status_label(status));
    buf_puts(&b, "</p><dl>");
    field(&b, "证明编号", http_param(req, "serial"));
    if (status != CERT_UNKNOWN) {
        char issued[32];
        clock_format_local(c.issued_at, issued, sizeof(issued));
        field(&b, "证明类型", c.type_name);
        field(&b, "开具社区", c.community_name);
        field(&b, "申请人", c.holder_masked);
        field(&b, "开具时间", issued);
        if (c.revoked_at)
            field(&b, "撤销原因", c.revoke_reason);
    }
    buf_puts(&b, "</dl><p><small>本页由签发社区的数字签名 (Ed25519) 核验，无需致电社区。"
                 "仅显示脱敏姓名。</small></p></body></html>\n");
    http_reply_bytes(resp, 200, "text/html; charset=utf-8", b.data, b.len);
    http_set_header(resp, "Cache-Control", "no-store");
    buf_release(&b);
    return 0;
}

/* scheme://host from the request: host letters, digits, '.', '-', ':', brackets only */
static int base_url(struct http_request *req, struct buf *out, struct app_error *err)
{
    const char *host = http_header(req, "Host");
    const char *proto = http_header(req, "X-Forwarded-Proto");
    if (!host || !*host || strlen(host) > 255)
        return app_fail(err, APP_ERR_INVALID, "invalid_host", "Host", "缺少 Host");
    for (const char *p = host; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(".-:[]", *p)))
            return app_fail(err, APP_ERR_INVALID, "invalid_host", "Host", "Host 含非法字符");
    buf_printf(out, "%s://%s", proto && strcmp(proto, "https") == 0 ? "https" : "http", host);
    return 0;
}

static int print_cert(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct certificate_list l;
    const char *serial = http_param(req, "serial");
    if (cert_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    const struct certificate *c = NULL;
    for (size_t i = 0; i < l.len && !c; i++)
        if (strcmp(l.items[i].serial, serial) == 0)
            c = &l.items[i];
    if (!c) {
        free(l.items);
        app_fail(&err, APP_ERR_NOT_FOUND, "not_found", "serial", "未找到该证明");
        return http_reply_error(resp, &err);
    }
    struct buf url = BUF_INIT, svg = BUF_INIT, b = BUF_INIT;
    if (base_url(req, &url, &err) == 0) {
        buf_printf(&url, "/verify/%s?s=%s", c->serial, c->signature);
        web_qr_svg(buf_cstr(&url), "扫码核验", &svg, &err);
    }
    if (err.code) {
        free(l.items);
        buf_release(&url);
        buf_release(&svg);
        return http_reply_error(resp, &err);
    }
    char issued[32];
    clock_format_local(c->issued_at, issued, sizeof(issued));
    page_head(&b, c->type_name);
    buf_puts(&b, "<h1>");
    html_put(&b, c->type_name);
    buf_puts(&b, "</h1><dl>");
    field(&b, "证明编号", c->serial);
    field(&b, "申请人", c->holder_masked);
    field(&b, "用途", c->purpose);
    field(&b, "开具社区", c->community_name);
    field(&b, "开具时间", issued);
    buf_puts(&b, "</dl><div class=\"qr\">");
    buf_puts(&b, buf_cstr(&svg));
    buf_puts(&b, "</div><p>扫描二维码在线核验真伪：<br><small id=\"verify-url\">");
    html_put(&b, buf_cstr(&url));
    buf_puts(&b,
             "</small></p><p class=\"noprint\">用浏览器的打印功能打印本证明。</p></body></html>\n");
    http_reply_bytes(resp, 200, "text/html; charset=utf-8", b.data, b.len);
    free(l.items);
    buf_release(&url);
    buf_release(&svg);
    buf_release(&b);
    return 0;
}

static int create_request(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    struct cert_request_input in = {0};
    int64_t id = 0;
    if (http_read_json(req, &b, &err) ||
        http_json_string(b, "type_code", true, &in.type_code, &err) ||
        http_json_string(b, "community", true, &in.community, &err) ||
        http_json_string(b, "holder_name", true, &in.holder_name, &err) ||
        http_json_string(b, "phone", true, &in.phone, &err) ||
        http_json_string(b, "purpose", false, &in.purpose, &err) ||
        cert_request_create(req->db, &in, &id, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    return http_reply_json(resp, 201,
                           json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "pending",
                                     "status_label", "已提交，待社区开具"));
}

static int list_requests(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct cert_request_list l;
    if (cert_request_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        const struct cert_request_row *q = &l.items[i];
        char phone[32];
        auth_show_phone(req->who, q->phone, phone, sizeof(phone));
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "id",
                                               (json_int_t)q->id, "type_code", q->type_code,
                                               "type_name", q->type_name, "community", q->community,
                                               "holder_name", q->holder_name, "phone", phone,
                                               "purpose", q->purpose, "requested_at",
                                               (json_int_t)q->requested_at, "serial", q->serial));
    }
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int issue_request(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct certificate c;
    const char *s = http_param(req, "id");
    char *end;
    long long id = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || id <= 0) {
        app_fail(&err, APP_ERR_NOT_FOUND, "not_found", "id", "未找到该申请");
        return http_reply_error(resp, &err);
    }
    if (cert_request_issue(req->db, req->who, id, req->request_id, &c, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 201, cert_json(&c));
}

const struct http_route enterprise_cert_routes[] = {
    {"POST", "/api/v1/enterprise/certificates/requests", create_request, HTTP_PUBLIC,
     "enterprise.cert_request"},
    {"GET", "/api/v1/enterprise/certificates/requests", list_requests, 0, "enterprise.cert_read"},
    {"POST", "/api/v1/enterprise/certificates/requests/{id}/issue", issue_request, 0,
     "enterprise.cert_issue"},
    {"GET", "/api/v1/enterprise/certificates/types", cert_types, HTTP_PUBLIC, "enterprise.verify"},
    {"GET", "/api/v1/enterprise/certificates", list_certs, 0, "enterprise.cert_read"},
    {"POST", "/api/v1/enterprise/certificates", issue_cert, 0, "enterprise.cert_issue"},
    {"POST", "/api/v1/enterprise/certificates/{serial}/revoke", revoke_cert, 0,
     "enterprise.cert_issue"},
    {"GET", "/api/v1/enterprise/certificates/{serial}/print", print_cert, 0,
     "enterprise.cert_read"},
    {"GET", "/api/v1/certificates/verify/{serial}", verify_cert, HTTP_PUBLIC, "enterprise.verify"},
    {"GET", "/verify/{serial}", verify_page, HTTP_PUBLIC, "enterprise.verify"},
    {NULL, NULL, NULL, 0, NULL},
};
