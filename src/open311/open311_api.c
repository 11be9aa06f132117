/* Thin handlers for Open311 GeoReport v2 at /open311/v2/: discovery, services, service
 * definitions, POST requests, GET requests and GET requests/{id}, each in .json and .xml,
 * with errors in the spec's format (a list of {code, description}, HTTP 400/403/404). */
#include "open311/open311_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "open311/open311.h"

#define SPEC_URL "http://wiki.open311.org/GeoReport_v2"
#define CHANGESET "2026-11-29T00:00:00+08:00"

static bool want_xml(const struct http_request *req)
{
    size_t n = strlen(req->path);
    return n > 4 && strcmp(req->path + n - 4, ".xml") == 0;
}

static int reply_xml(struct http_response *resp, int status, struct buf *b)
{
    http_reply_bytes(resp, status, "text/xml; charset=utf-8", b->data ? b->data : "", b->len);
    buf_release(b);
    return 0;
}

static int reply_json(struct http_response *resp, int status, json_t *j)
{
    http_reply_json(resp, status, j);
    snprintf(resp->content_type, sizeof resp->content_type, "application/json; charset=utf-8");
    return 0;
}

/* GeoReport v2 errors: 404 unknown resource, 403 api_key, 400 everything else. */
static int reply_error(struct http_request *req, struct http_response *resp,
                       const struct app_error *err)
{
    int status = err->code == APP_ERR_NOT_FOUND                                        ? 404
                 : err->code == APP_ERR_FORBIDDEN || err->code == APP_ERR_UNAUTHORIZED ? 403
                 : err->code == APP_ERR_INVALID                                        ? 400
                                                : http_status_of(err->code);
    char desc[400];
    snprintf(desc, sizeof desc, "%s%s%s", err->field[0] ? err->field : "",
             err->field[0] ? ": " : "", err->message);
    if (want_xml(req)) {
        struct buf b = BUF_INIT;
        open311_xml_begin(&b);
        buf_printf(&b, "<errors><error><code>%d</code>", status);
        open311_xml_text(&b, "description", desc);
        buf_puts(&b, "</error></errors>\n");
        return reply_xml(resp, status, &b);
    }
    return reply_json(resp, status, json_pack("[{s:i,s:s}]", "code", status, "description", desc));
}

static int discovery(struct http_request *req, struct http_response *resp)
{
    const char *host = http_header(req, "Host");
    char url[300];
    snprintf(url, sizeof url, "http://%s/open311/v2", host ? host : "127.0.0.1");
    if (want_xml(req)) {
        struct buf b = BUF_INIT;
        open311_xml_begin(&b);
        buf_puts(&b, "<discovery>");
        open311_xml_text(&b, "changeset", CHANGESET);
        open311_xml_text(&b, "contact", "渝中区数字化城市运行和治理中心");
        open311_xml_text(&b, "key_service", "api_key 由区治理中心发放");
        buf_puts(&b, "<endpoints><endpoint>");
        open311_xml_text(&b, "specification", SPEC_URL);
        open311_xml_text(&b, "url", url);
        open311_xml_text(&b, "changeset", CHANGESET);
        open311_xml_text(&b, "type", "production");
        buf_puts(&b, "<formats><format>text/xml</format><format>application/json</format>"
                     "</formats></endpoint></endpoints></discovery>\n");
        return reply_xml(resp, 200, &b);
    }
    return reply_json(resp, 200,
                      json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset",
                                CHANGESET, "contact", "渝中区数字化城市运行和治理中心",
                                "key_service", "api_key 由区治理中心发放", "endpoints",
                                "specification", SPEC_URL, "url", url, "changeset", CHANGESET,
                                "type", "production", "formats", "text/xml", "application/json"));
}

static int services(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event_category_list l = {0};
    if (event_category_list(req->db, &l, &err))
        return reply_error(req, resp, &err);
    bool xml = want_xml(req);
    struct buf b = BUF_INIT;
    json_t *arr = json_array();
    if (xml) {
        open311_xml_begin(&b);
        buf_puts(&b, "<services>");
    }
    for (size_t i = 0; i < l.len; i++) {
        const struct event_category *c = &l.items[i];
        char desc[160];
        snprintf(desc, sizeof desc, "%s（%s）", c->name, c->major);
        if (xml) {
            buf_puts(&b, "<service>");
            open311_xml_text(&b, "service_code", c->code);
            open311_xml_text(&b, "service_name", c->name);
            open311_xml_text(&b, "description", desc);
            buf_puts(&b, "<metadata>true</metadata><type>realtime</type>");
            open311_xml_text(&b, "keywords", c->major);
            open311_xml_text(&b, "group", c->major);
            buf_puts(&b, "</service>");
        } else {
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "service_code",
                                                 c->code, "service_name", c->name, "description",
                                                 desc, "metadata", 1, "type", "realtime",
                                                 "keywords", c->major, "group", c->major));
        }
    }
    event_category_list_release(&l);
    if (xml) {
        json_decref(arr);
        buf_puts(&b, "</services>\n");
        return reply_xml(resp, 200, &b);
    }
    return reply_json(resp, 200, arr);
}

static int definition(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event_category c;
    const char *code = http_param(req, "code");
    if (event_category_get(req->db, code, &c, &err)) {
        if (err.code == APP_ERR_NOT_FOUND)
            app_fail(&err, APP_ERR_NOT_FOUND, "unknown_service", "service_code",
                     "未知的 service_code：%s", code);
        return reply_error(req, resp, &err);
    }
    if (want_xml(req)) {
        struct buf b = BUF_INIT;
        open311_xml_begin(&b);
        buf_puts(&b, "<service_definition>");
        open311_xml_text(&b, "service_code", c.code);
        buf_puts(&b, "<attributes><attribute><variable>true</variable><code>urgency</code>"
                     "<datatype>singlevaluelist</datatype><required>false</required>"
                     "<datatype_description>normal 或 urgent</datatype_description>"
                     "<order>1</order><description>紧急程度</description><values>"
                     "<value><key>normal</key><name>一般</name></value>"
                     "<value><key>urgent</key><name>紧急</name></value>"
                     "</values></attribute></attributes></service_definition>\n");
        return reply_xml(resp, 200, &b);
    }
    return reply_json(resp, 200,
                      json_pack("{s:s,s:[{s:b,s:s,s:s,s:b,s:s,s:i,s:s,s:[{s:s,s:s},{s:s,s:s}]}]}",
                                "service_code", c.code, "attributes", "variable", 1, "code",
                                "urgency", "datatype", "singlevaluelist", "required", 0,
                                "datatype_description", "normal 或 urgent", "order", 1,
                                "description", "紧急程度", "values", "key", "normal", "name",
                                "一般", "key", "urgent", "name", "紧急"));
}

static int post_request(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct open311_form form;
    struct open311_post p;
    char id[EVENT_CODE_SIZE];
    const char *notice = "已收到，网格员将现场核实后立案";
    if (open311_form_parse(req->body ? req->body : "", req->body_len, &form, &err))
        return reply_error(req, resp, &err);
    open311_post_from_form(&form, &p);
    p.client = req->client_addr;
    int64_t quota_wait = 0;
    p.retry_after = &quota_wait;
    int rc = open311_post_request(req->app, req->db, &p, req->request_id, id, &err);
    open311_form_release(&form);
    if (rc) {
        int64_t wait = quota_wait;
        if (err.code == APP_ERR_TOO_MANY &&
            (quota_wait > 0 || event_public_retry_after(req->app, req->db, req->client_addr,
                                                        "report", &wait, NULL) == 0)) {
            char ra[24];
            snprintf(ra, sizeof(ra), "%lld", (long long)(wait > 0 ? wait : 1));
            http_set_header(resp, "Retry-After", ra);
        }
        return reply_error(req, resp, &err);
    }
    if (want_xml(req)) {
        struct buf b = BUF_INIT;
        open311_xml_begin(&b);
        buf_puts(&b, "<service_requests><request>");
        open311_xml_text(&b, "service_request_id", id);
        open311_xml_text(&b, "service_notice", notice);
        open311_xml_text(&b, "account_id", NULL);
        buf_puts(&b, "</request></service_requests>\n");
        return reply_xml(resp, 200, &b);
    }
    return reply_json(resp, 200,
                      json_pack("[{s:s,s:s,s:n}]", "service_request_id", id, "service_notice",
                                notice, "account_id"));
}

static json_t *request_json(const struct open311_request *r)
{
    char req_at[32], upd_at[32], exp_at[32];
    open311_datetime(r->requested, req_at, sizeof req_at);
    open311_datetime(r->updated, upd_at, sizeof upd_at);
    open311_datetime(r->expected, exp_at, sizeof exp_at);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:n,s:n,s:f,s:f,s:o}",
                     "service_request_id", r->id, "status", r->open ? "open" : "closed",
                     "status_notes", r->status_notes, "service_name", r->service_name,
                     "service_code", r->service_code, "description", r->description,
                     "agency_responsible", r->agency, "service_notice", r->service_notice,
                     "requested_datetime", req_at, "updated_datetime", upd_at, "expected_datetime",
                     r->expected ? json_string(exp_at) : json_null(), "address", r->address,
                     "address_id", "zipcode", "lat", r->lat, "long", r->lon, "media_url",
                     r->media_url[0] ? json_string(r->media_url) : json_null());
}

static void request_xml(struct buf *b, const struct open311_request *r)
{
    char t[32], num[32];
    buf_puts(b, "<request>");
    open311_xml_text(b, "service_request_id", r->id);
    open311_xml_text(b, "status", r->open ? "open" : "closed");
    open311_xml_text(b, "status_notes", r->status_notes);
    open311_xml_text(b, "service_name", r->service_name);
    open311_xml_text(b, "service_code", r->service_code);
    open311_xml_text(b, "description", r->description);
    open311_xml_text(b, "agency_responsible", r->agency);
    open311_xml_text(b, "service_notice", r->service_notice);
    open311_datetime(r->requested, t, sizeof t);
    open311_xml_text(b, "requested_datetime", t);
    open311_datetime(r->updated, t, sizeof t);
    open311_xml_text(b, "updated_datetime", t);
    open311_datetime(r->expected, t, sizeof t);
    open311_xml_text(b, "expected_datetime", r->expected ? t : NULL);
    open311_xml_text(b, "address", r->address);
    buf_puts(b, "<address_id></address_id><zipcode></zipcode>");
    snprintf(num, sizeof num, "%.6f", r->lat);
    open311_xml_text(b, "lat", num);
    snprintf(num, sizeof num, "%.6f", r->lon);
    open311_xml_text(b, "long", num);
    open311_xml_text(b, "media_url", r->media_url);
    buf_puts(b, "</request>");
}

static int reply_requests(struct http_request *req, struct http_response *resp,
                          struct open311_request_list *l)
{
    if (want_xml(req)) {
        struct buf b = BUF_INIT;
        open311_xml_begin(&b);
        buf_puts(&b, "<service_requests>");
        for (size_t i = 0; i < l->len; i++)
            request_xml(&b, &l->items[i]);
        buf_puts(&b, "</service_requests>\n");
        open311_request_list_release(l);
        return reply_xml(resp, 200, &b);
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l->len; i++)
        json_array_append_new(arr, request_json(&l->items[i]));
    open311_request_list_release(l);
    return reply_json(resp, 200, arr);
}

static int get_requests(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct open311_filter f;
    struct open311_request_list l;
    if (open311_filter_parse(http_query(req, "service_request_id"), http_query(req, "service_code"),
                             http_query(req, "start_date"), http_query(req, "end_date"),
                             http_query(req, "status"), clock_now(), &f, &err) ||
        open311_requests(req->db, &f, &l, &err))
        return reply_error(req, resp, &err);
    return reply_requests(req, resp, &l);
}

static int get_request(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct open311_request_list l;
    if (open311_request_get(req->db, http_param(req, "id"), &l, &err))
        return reply_error(req, resp, &err);
    return reply_requests(req, resp, &l);
}

static bool parse_window(const struct http_request *req, struct open311_filter *f,
                         struct app_error *err)
{
    return open311_filter_parse(NULL, NULL, http_query(req, "start_date"),
                                http_query(req, "end_date"), NULL, clock_now(), f, err) == 0;
}

/* mySociety's servicerequestupdates: the state changes of public reports in a window. */
static int get_updates(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct open311_filter f;
    struct open311_update_list l = {0};
    const char *key = http_query(req, "api_key");
    if (open311_check_key(req->app->cfg.open311_api_key, key, &err) ||
        !parse_window(req, &f, &err) || open311_updates(req->db, f.start, f.end, &l, &err)) {
        open311_update_list_release(&l);
        return reply_error(req, resp, &err);
    }
    bool xml = want_xml(req);
    struct buf b = BUF_INIT;
    json_t *arr = json_array();
    if (xml) {
        open311_xml_begin(&b);
        buf_puts(&b, "<service_requests_updates>");
    }
    for (size_t i = 0; i < l.len; i++) {
        const struct open311_update *u = &l.items[i];
        char id[24], at[32];
        snprintf(id, sizeof id, "%lld", (long long)u->id);
        open311_datetime(u->at, at, sizeof at);
        if (xml) {
            buf_puts(&b, "<request_update>");
            open311_xml_text(&b, "update_id", id);
            open311_xml_text(&b, "service_request_id", u->request_id);
            open311_xml_text(&b, "status", u->status);
            open311_xml_text(&b, "updated_datetime", at);
            open311_xml_text(&b, "description", u->description);
            buf_puts(&b, "<media_url></media_url></request_update>");
        } else {
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:n}", "update_id", id,
                                                 "service_request_id", u->request_id, "status",
                                                 u->status, "updated_datetime", at, "description",
                                                 u->description, "media_url"));
        }
    }
    open311_update_list_release(&l);
    if (xml) {
        json_decref(arr);
        buf_puts(&b, "</service_requests_updates>\n");
        return reply_xml(resp, 200, &b);
    }
    return reply_json(resp, 200, arr);
}

static int post_update(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct open311_form form;
    int64_t uid = 0;
    if (open311_form_parse(req->body ? req->body : "", req->body_len, &form, &err))
        return reply_error(req, resp, &err);
    int rc = open311_post_update(req->app, req->db, open311_form_get(&form, "api_key"),
                                 open311_form_get(&form, "service_request_id"),
                                 open311_form_get(&form, "description"),
                                 open311_form_get(&form, "media_url"), &uid, &err);
    open311_form_release(&form);
    if (rc)
        return reply_error(req, resp, &err);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)uid);
    if (want_xml(req)) {
        struct buf b = BUF_INIT;
        open311_xml_begin(&b);
        buf_puts(&b, "<service_request_updates><request_update>");
        open311_xml_text(&b, "update_id", id);
        buf_puts(&b, "</request_update></service_request_updates>\n");
        return reply_xml(resp, 200, &b);
    }
    return reply_json(resp, 200, json_pack("[{s:s}]", "update_id", id));
}

/* Any other path under /open311/v2/ answers in the spec's error format (XML for .xml). */
static int unknown(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    app_fail(&err, APP_ERR_NOT_FOUND, "no_route", NULL, "没有这个 Open311 资源：%.200s", req->path);
    return reply_error(req, resp, &err);
}

const struct http_route open311_routes[] = {
    {"GET", "/open311/v2/discovery.json", discovery, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/discovery.xml", discovery, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/services.json", services, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/services.xml", services, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/services/{code}.json", definition, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/services/{code}.xml", definition, HTTP_PUBLIC, NULL},
    {"POST", "/open311/v2/requests.json", post_request, HTTP_PUBLIC | HTTP_RAW_BODY, NULL},
    {"POST", "/open311/v2/requests.xml", post_request, HTTP_PUBLIC | HTTP_RAW_BODY, NULL},
    {"GET", "/open311/v2/requests.json", get_requests, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/requests.xml", get_requests, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/requests/{id}.json", get_request, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/requests/{id}.xml", get_request, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/servicerequestupdates.json", get_updates, HTTP_PUBLIC, NULL},
    {"GET", "/open311/v2/servicerequestupdates.xml", get_updates, HTTP_PUBLIC, NULL},
    {"POST", "/open311/v2/servicerequestupdates.json", post_update, HTTP_PUBLIC | HTTP_RAW_BODY,
     NULL},
    {"POST", "/open311/v2/servicerequestupdates.xml", post_update, HTTP_PUBLIC | HTTP_RAW_BODY,
     NULL},
    {"GET", "/open311/v2/*", unknown, HTTP_PUBLIC, NULL},
    {"POST", "/open311/v2/*", unknown, HTTP_PUBLIC | HTTP_RAW_BODY, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
