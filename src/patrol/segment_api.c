/* Thin handlers for keeping the river segments and their chiefs (河长名录) under
 * /api/v1/patrol/: add and change a segment, appoint, change and relieve a chief. Each answers
 * the segment's report as GET /api/v1/patrol/segments/{code} does, so the editor redraws from
 * what the server now holds. */
#include "patrol/patrol_api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static int reply_report(struct http_request *req, struct http_response *resp, const char *code,
                        int status)
{
    struct app_error err = {0};
    struct patrol_report r;
    if (patrol_report_get(req->app, req->db, req->who, code, 0, &r, &err))
        return http_reply_error(resp, &err);
    json_t *j = patrol_api_report_json(&r, req->who);
    patrol_report_release(&r);
    return http_reply_json(resp, status, j);
}

/* works: an array of strings (one shoreline work each) into lines of *out. */
static int read_works(json_t *body, struct buf *out, bool *given, struct app_error *err)
{
    json_t *w = json_object_get(body, "works");
    *given = w && !json_is_null(w);
    if (!*given)
        return 0;
    if (!json_is_array(w))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "works", "works 应为文字数组");
    for (size_t i = 0; i < json_array_size(w); i++) {
        json_t *x = json_array_get(w, i);
        if (!json_is_string(x) || strchr(json_string_value(x), '\n'))
            return app_fail(err, APP_ERR_INVALID, "invalid_type", "works",
                            "每项岸线工程应为一行文字");
        if (json_string_length(x))
            buf_printf(out, "%s%s", out->len ? "\n" : "", json_string_value(x));
    }
    return 0;
}

/* The segment's fields of body into in (strings borrowed from body, the line owned by *line). */
static int read_segment(json_t *body, bool create, struct patrol_segment_input *in,
                        struct geo_lines *line, struct buf *works, struct app_error *err)
{
    json_t *g = json_object_get(body, "geometry");
    double buffer = 0;
    int64_t target = 0;
    bool have_works = false;
    if (!json_is_object(body))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", NULL, "请求体应为 JSON 对象");
    if (http_json_string(body, "code", create, &in->code, err) ||
        http_json_string(body, "river", create, &in->river, err) ||
        http_json_string(body, "river_name", create, &in->river_name, err) ||
        http_json_string(body, "name", create, &in->name, err) ||
        http_json_string(body, "station", false, &in->station, err) ||
        http_json_number(body, "buffer_m", false, &buffer, err) ||
        http_json_int(body, "target_class", false, &target, err) ||
        read_works(body, works, &have_works, err))
        return -1;
    if (buffer == 0 && json_is_number(json_object_get(body, "buffer_m")))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "buffer_m",
                        "巡河覆盖范围应在 5-500 米之间");
    in->buffer_m = buffer;
    in->target_class = target > 0 && target < 100 ? (int)target : target ? -1 : 0;
    in->works = have_works ? buf_cstr(works) : NULL;
    if (g && !json_is_null(g)) {
        char *text = json_dumps(g, JSON_COMPACT);
        int rc = geo_lines_parse(text, "geometry", line, err);
        free(text);
        if (rc)
            return -1;
        if (line->len != 1)
            return app_fail(err, APP_ERR_INVALID, "invalid_segment", "geometry",
                            "岸段应为一条 LineString");
        in->line = &line->items[0];
    } else if (create) {
        return app_fail(err, APP_ERR_INVALID, "required", "geometry", "请提交岸段线（GeoJSON）");
    }
    return 0;
}

static int write_segment(struct http_request *req, struct http_response *resp, bool create)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct patrol_segment_input in = {0};
    struct geo_lines line = {0};
    struct buf works = BUF_INIT;
    char code[32] = "";
    int rc = -1;
    if (http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    if (read_segment(body, create, &in, &line, &works, &err) == 0) {
        snprintf(code, sizeof(code), "%s", create ? in.code : http_param(req, "code"));
        rc = create ? patrol_segment_add(req->app, req->db, req->who, &in, req->request_id, &err)
                    : patrol_segment_update(req->app, req->db, req->who, code, &in, req->request_id,
                                            &err);
    }
    geo_lines_release(&line);
    buf_release(&works);
    json_decref(body);
    if (rc)
        return http_reply_error(resp, &err);
    return reply_report(req, resp, code, create ? 201 : 200);
}

static int add_segment(struct http_request *req, struct http_response *resp)
{
    return write_segment(req, resp, true);
}

static int update_segment(struct http_request *req, struct http_response *resp)
{
    return write_segment(req, resp, false);
}

static int read_chief(json_t *body, bool create, struct patrol_chief_input *in,
                      struct app_error *err)
{
    const char *level = NULL;
    in->level = -1;
    if (!json_is_object(body))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", NULL, "请求体应为 JSON 对象");
    if (http_json_string(body, "level", create, &level, err) ||
        http_json_string(body, "name", create, &in->name, err) ||
        http_json_string(body, "title", false, &in->title, err) ||
        http_json_string(body, "region", false, &in->region, err) ||
        http_json_string(body, "username", false, &in->username, err))
        return -1;
    if (level && (in->level = patrol_level_parse(level)) < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_level", "level",
                        "层级应为 district、street 或 community");
    return 0;
}

static int appoint_chief(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct patrol_chief_input in = {0};
    int64_t id = 0;
    const char *code = http_param(req, "code");
    if (http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    int rc = read_chief(body, true, &in, &err);
    if (rc == 0)
        rc = patrol_chief_appoint(req->db, req->who, code, &in, req->request_id, &id, &err);
    json_decref(body);
    if (rc)
        return http_reply_error(resp, &err);
    return reply_report(req, resp, code, 201);
}

static int chief_id(struct http_request *req, int64_t *id, struct app_error *err)
{
    const char *s = http_param(req, "id");
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v <= 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "chief_not_found", "id", "没有这位河长");
    *id = v;
    return 0;
}

static int update_chief(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct patrol_chief_input in = {0};
    struct patrol_chief c;
    int64_t id;
    if (chief_id(req, &id, &err) || http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    int rc = read_chief(body, false, &in, &err);
    if (rc == 0)
        rc = patrol_chief_update(req->db, req->who, id, &in, req->request_id, &c, &err);
    json_decref(body);
    if (rc)
        return http_reply_error(resp, &err);
    return reply_report(req, resp, c.segment, 200);
}

static int end_chief(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct patrol_chief c;
    int64_t id;
    if (chief_id(req, &id, &err) ||
        patrol_chief_end(req->db, req->who, id, req->request_id, &c, &err))
        return http_reply_error(resp, &err);
    return reply_report(req, resp, c.segment, 200);
}

const struct http_route patrol_manage_routes[] = {
    {"POST", "/api/v1/patrol/segments", add_segment, 0, "patrol.manage"},
    {"PATCH", "/api/v1/patrol/segments/{code}", update_segment, 0, "patrol.manage"},
    {"POST", "/api/v1/patrol/segments/{code}/chiefs", appoint_chief, 0, "patrol.manage"},
    {"PATCH", "/api/v1/patrol/chiefs/{id}", update_chief, 0, "patrol.manage"},
    {"DELETE", "/api/v1/patrol/chiefs/{id}", end_chief, 0, "patrol.manage"},
    {NULL, NULL, NULL, 0, NULL},
};
