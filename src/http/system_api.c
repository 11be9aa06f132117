/* GET /healthz and GET /api/v1/version. */
#include "http/system_api.h"

#include "core/clock.h"

static int healthz(struct http_request *req, struct http_response *resp)
{
    json_t *o = json_pack("{s:s,s:i}", "status", "ok", "schema_version",
                          db_schema_version(req->db));
    return http_reply_json(resp, 200, o);
}

static int version(struct http_request *req, struct http_response *resp)
{
    (void)req;
    char now[40];
    clock_format_local(clock_now(), now, sizeof(now));
    return http_reply_json(resp, 200,
                           json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", "zhizhi", "version",
                              ZHIZHI_VERSION, "sqlite", db_engine_version(), "time_zone",
                              "Asia/Shanghai", "now", now));
}

const struct http_route system_routes[] = {
    {"GET", "/healthz", healthz, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/version", version, HTTP_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
