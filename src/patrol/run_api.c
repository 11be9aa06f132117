/* Thin handlers of running patrols under /api/v1/patrol/runs: the phone starts a run under its
 * own key, posts the track's points in batches while walking, and finishes it into a patrol. */
#include "patrol/patrol_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static json_t *run_json(const struct patrol_run *r)
{
    return json_pack("{s:s,s:s,s:o,s:i,s:b,s:o,s:o}", "key", r->key, "segment", r->segment,
                     "started_at", patrol_api_time_json(r->started_at), "points", r->points,
                     "finished", r->patrol != 0, "patrol",
                     r->patrol ? json_integer(r->patrol) : json_null(), "updated_at",
                     patrol_api_time_json(r->updated_at));
}

static int start_run(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *key = NULL, *segment = NULL;
    int64_t started = 0;
    struct patrol_run r;
    bool created = false;
    int rc = -1;
    if (http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    if (!json_is_object(body))
        app_fail(&err, APP_ERR_INVALID, "invalid_type", NULL, "请求体应为 JSON 对象");
    else if (http_json_string(body, "key", true, &key, &err) == 0 &&
             http_json_string(body, "segment", true, &segment, &err) == 0 &&
             patrol_api_read_time(body, "started_at", "started_at", true, &started, &err) == 0)
        rc = patrol_run_start(req->db, req->who, key, segment, started, req->request_id, &r,
                              &created, &err);
    json_decref(body);
    if (rc)
        return http_reply_error(resp, &err);
    return http_reply_json(resp, created ? 201 : 200, run_json(&r));
}

static int get_run(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct patrol_run r;
    if (patrol_run_get(req->db, req->who, http_param(req, "key"), &r, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, run_json(&r));
}

/* points: [[lon, lat], ...] or [[lon, lat, unix seconds], ...] */
static int read_points(json_t *arr, struct patrol_run_point **out, size_t *n, struct app_error *err)
{
    *out = NULL;
    *n = 0;
    if (!json_is_array(arr))
        return app_fail(err, APP_ERR_INVALID, "required", "points", "points 应为轨迹点数组");
    size_t len = json_array_size(arr);
    if (len > PATROL_RUN_BATCH_MAX)
        return app_fail(err, APP_ERR_TOO_LARGE, "batch_too_large", "points",
                        "每批轨迹点不超过 %d 个", PATROL_RUN_BATCH_MAX);
    struct patrol_run_point *p = xcalloc(len + 1, sizeof(*p));
    for (size_t i = 0; i < len; i++) {
        json_t *a = json_array_get(arr, i);
        size_t k = json_is_array(a) ? json_array_size(a) : 0;
        json_t *t = k == 3 ? json_array_get(a, 2) : NULL;
        if ((k != 2 && k != 3) || !json_is_number(json_array_get(a, 0)) ||
            !json_is_number(json_array_get(a, 1)) || (t && !json_is_integer(t))) {
            free(p);
            char field[32];
            snprintf(field, sizeof(field), "points[%zu]", i);
            return app_fail(err, APP_ERR_INVALID, "invalid_point", field,
                            "轨迹点应为 [经度, 纬度] 或 [经度, 纬度, 时间]");
        }
        p[i] = (struct patrol_run_point){json_number_value(json_array_get(a, 0)),
                                         json_number_value(json_array_get(a, 1)),
                                         t ? json_integer_value(t) : 0};
    }
    *out = p;
    *n = len;
    return 0;
}

static int add_points(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct patrol_run_point *pts = NULL;
    size_t n = 0;
    int64_t from = 0;
    struct patrol_run r = {0};
    int rc = -1;
    if (http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    if (!json_is_object(body))
        app_fail(&err, APP_ERR_INVALID, "invalid_type", NULL, "请求体应为 JSON 对象");
    else if (http_json_int(body, "from", true, &from, &err) == 0 &&
             read_points(json_object_get(body, "points"), &pts, &n, &err) == 0)
        rc = patrol_run_add_points(req->db, req->who, http_param(req, "key"), from, pts, n,
                                   req->request_id, &r, &err);
    free(pts);
    json_decref(body);
    if (rc) {
        /* where to resume: the phone sends again from here */
        if (err.code == APP_ERR_CONFLICT && strcmp(err.field, "from") == 0) {
            char detail[64];
            snprintf(detail, sizeof(detail), "%d", r.points);
            http_set_header(resp, "X-Patrol-Points", detail);
        }
        return http_reply_error(resp, &err);
    }
    return http_reply_json(resp, 200, run_json(&r));
}

static int finish_run(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct patrol_finding_input findings[PATROL_MAX_FINDINGS];
    size_t nf = 0;
    int64_t ended = 0, expect = -1;
    struct patrol_result res;
    bool again = false;
    int rc = -1;
    if (http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    json_t *pv = json_is_object(body) ? json_object_get(body, "points") : NULL;
    if (!json_is_object(body))
        app_fail(&err, APP_ERR_INVALID, "invalid_type", NULL, "请求体应为 JSON 对象");
    else if (pv && !json_is_null(pv) && !json_is_integer(pv))
        app_fail(&err, APP_ERR_INVALID, "invalid_type", "points", "points 应为已发送的轨迹点数");
    else if (patrol_api_read_time(body, "ended_at", "ended_at", true, &ended, &err) == 0 &&
             patrol_api_read_findings(body, findings, &nf, &err) == 0) {
        if (json_is_integer(pv))
            expect = json_integer_value(pv);
        rc = patrol_run_finish(req->app, req->db, req->who, http_param(req, "key"), ended,
                               (long)expect, findings, nf, req->request_id, &res, &again, &err);
    }
    json_decref(body);
    if (rc)
        return http_reply_error(resp, &err);
    json_t *j = patrol_api_result_json(&res);
    json_object_set_new(j, "again", json_boolean(again));
    patrol_result_release(&res);
    return http_reply_json(resp, again ? 200 : 201, j);
}

const struct http_route patrol_run_routes[] = {
    {"POST", "/api/v1/patrol/runs", start_run, 0, "patrol.record"},
    {"GET", "/api/v1/patrol/runs/{key}", get_run, 0, "patrol.record"},
    {"POST", "/api/v1/patrol/runs/{key}/points", add_points, 0, "patrol.record"},
    {"POST", "/api/v1/patrol/runs/{key}/finish", finish_run, 0, "patrol.record"},
    {NULL, NULL, NULL, 0, NULL},
};
