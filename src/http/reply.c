/* Response helpers shared by every handler: JSON bodies, RFC 9457 problems, request decoding. */
#include <errno.h>
#include <math.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/xalloc.h"
#include "http/http.h"

static const struct {
    enum app_error_code code;
    int status;
    const char *title;
} statuses[] = {
    {APP_OK, 200, "OK"},
    {APP_ERR_INVALID, 400, "请求有误 Bad Request"},
    {APP_ERR_UNAUTHORIZED, 401, "未登录 Unauthorized"},
    {APP_ERR_FORBIDDEN, 403, "无权操作 Forbidden"},
    {APP_ERR_NOT_FOUND, 404, "未找到 Not Found"},
    {APP_ERR_METHOD, 405, "方法不允许 Method Not Allowed"},
    {APP_ERR_CONFLICT, 409, "状态冲突 Conflict"},
    {APP_ERR_TOO_LARGE, 413, "内容过大 Content Too Large"},
    {APP_ERR_UNSUPPORTED, 415, "不支持的类型 Unsupported Media Type"},
    {APP_ERR_TOO_MANY, 429, "请求过多 Too Many Requests"},
    {APP_ERR_UNAVAILABLE, 503, "暂不可用 Service Unavailable"},
    {APP_ERR_INTERNAL, 500, "内部错误 Internal Server Error"},
};

static int find_status(enum app_error_code code)
{
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
        if (statuses[i].code == code)
            return (int)i;
    return (int)(sizeof(statuses) / sizeof(statuses[0])) - 1;
}

int http_status_of(enum app_error_code code)
{
    return statuses[find_status(code)].status;
}

void http_set_header(struct http_response *resp, const char *name, const char *value)
{
    if (resp->nheaders == HTTP_MAX_HEADERS)
        return;
    resp->headers[resp->nheaders].name = xstrdup(name);
    resp->headers[resp->nheaders].value = xstrdup(value);
    resp->nheaders++;
}

int http_reply_bytes(struct http_response *resp, int status, const char *content_type,
                     const char *data, size_t len)
{
    resp->status = status;
    snprintf(resp->content_type, sizeof(resp->content_type), "%s", content_type);
    buf_reset(&resp->body);
    buf_append(&resp->body, data, len);
    return 0;
}

int http_reply_json(struct http_response *resp, int status, json_t *j)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(j);
    http_reply_bytes(resp, status, "application/json; charset=utf-8", text ? text : "null",
                     text ? strlen(text) : 4);
    free(text);
    return 0;
}

/* A JSON string of s, which may hold bytes from the request (a path, a query value): jansson
 * refuses text that is not UTF-8, so such bytes become U+FFFD rather than a missing member. */
static json_t *text_of(const char *s)
{
    size_t len = strlen(s);
    if (utf8_valid(s, len))
        return json_string(s);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        while (n <= 4 && i + n <= len && !utf8_valid(s + i, n))
            n++;
        if (n <= 4 && i + n <= len) {
            buf_append(&b, s + i, n);
            i += n;
        } else {
            buf_puts(&b, "\xEF\xBF\xBD");
            i++;
        }
    }
    json_t *j = json_string(buf_cstr(&b));
    buf_release(&b);
    return j;
}

int http_reply_error(struct http_response *resp, const struct app_error *err)
{
    int i = find_status(err->code);
    json_t *p = json_object();
    json_object_set_new(p, "type", json_string("about:blank"));
    json_object_set_new(p, "title", json_string(statuses[i].title));
    json_object_set_new(p, "status", json_integer(statuses[i].status));
    json_object_set_new(p, "detail", text_of(err->message[0] ? err->message : statuses[i].title));
    json_object_set_new(p, "code",
                        text_of(err->code_name[0] ? err->code_name : app_error_name(err->code)));
    if (err->field[0])
        json_object_set_new(p, "field", text_of(err->field));
    http_reply_json(resp, statuses[i].status, p);
    snprintf(resp->content_type, sizeof(resp->content_type), "application/problem+json");
    return 0;
}

int http_reply_problem(struct http_response *resp, enum app_error_code code, const char *code_name,
                       const char *field, const char *fmt, ...)
{
    struct app_error err;
    char msg[sizeof(err.message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    app_fail(&err, code, code_name, field, "%s", msg);
    return http_reply_error(resp, &err);
}

const char *http_param(const struct http_request *req, const char *name)
{
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->param_names[i], name) == 0)
            return req->param_values[i];
    return NULL;
}

const char *http_query(const struct http_request *req, const char *name)
{
    if (!req->conn)
        return NULL;
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const struct http_request *req, const char *name)
{
    if (!req->conn)
        return NULL;
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_request *req, const char *name)
{
    if (!req->conn)
        return NULL;
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

int http_read_json(const struct http_request *req, json_t **out, struct app_error *err)
{
    json_error_t je;
    if (!req->body || req->body_len == 0)
        return app_fail(err, APP_ERR_INVALID, "malformed_json", "body",
                        "request body is empty; a JSON document was expected");
    json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return app_fail(err, APP_ERR_INVALID, "malformed_json", "body",
                        "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
    *out = j;
    return 0;
}

int http_list_params(const struct http_request *req, long *limit, const char **cursor,
                     struct app_error *err)
{
    const char *l = http_query(req, "limit");
    *limit = 100;
    if (l) {
        char *end;
        errno = 0;
        long v = strtol(l, &end, 10);
        if (!*l || *end || errno || v < 1 || v > 5000)
            return app_fail(err, APP_ERR_INVALID, "invalid_limit", "limit",
                            "limit must be an integer from 1 to 5000");
        *limit = v;
    }
    if (cursor)
        *cursor = http_query(req, "cursor");
    return 0;
}

json_t *http_list_body(json_t *items, const char *next)
{
    json_t *o = json_object();
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "next", next ? json_string(next) : json_null());
    return o;
}

int http_json_string(json_t *obj, const char *key, bool required, const char **out,
                     struct app_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            return app_fail(err, APP_ERR_INVALID, "missing_field", key, "%s is required", key);
        *out = NULL;
        return 0;
    }
    if (!json_is_string(v))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", key, "%s must be a string", key);
    *out = json_string_value(v);
    return 0;
}

int http_json_int(json_t *obj, const char *key, bool required, int64_t *out, struct app_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return required
                   ? app_fail(err, APP_ERR_INVALID, "missing_field", key, "%s is required", key)
                   : 0;
    if (!json_is_integer(v))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", key, "%s must be an integer", key);
    *out = json_integer_value(v);
    return 0;
}

int http_json_number(json_t *obj, const char *key, bool required, double *out,
                     struct app_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return required
                   ? app_fail(err, APP_ERR_INVALID, "missing_field", key, "%s is required", key)
                   : 0;
    if (!json_is_number(v))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", key, "%s must be a number", key);
    *out = json_number_value(v);
    return 0;
}

int http_query_number(const struct http_request *req, const char *name, bool required, double *out,
                      struct app_error *err)
{
    const char *s = http_query(req, name);
    if (!s || !*s)
        return required
                   ? app_fail(err, APP_ERR_INVALID, "missing_field", name, "%s is required", name)
                   : 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v))
        return app_fail(err, APP_ERR_INVALID, "invalid_number", name,
                        "%s must be a finite decimal number", name);
    *out = v;
    return 0;
}
