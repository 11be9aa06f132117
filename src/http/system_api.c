/* GET /healthz and GET /api/v1/version. */
#include "http/system_api.h"

#include <stdio.h>

#include "core/calendar.h"
#include "core/clock.h"

static int healthz(struct http_request *req, struct http_response *resp)
{
    json_t *o =
        json_pack("{s:s,s:i}", "status", "ok", "schema_version", db_schema_version(req->db));
    return http_reply_json(resp, 200, o);
}

static int version(struct http_request *req, struct http_response *resp)
{
    (void)req;
    char now[40];
    int64_t t = clock_now();
    struct calendar_status st;
    clock_format_local(t, now, sizeof(now));
    /* The banner flag: from 1 November until next year's notice is imported. */
    calendar_status_at(calendar_default(), t, &st);
    json_t *cal = json_pack("{s:i,s:b,s:i}", "next_year", st.next_year, "provisional",
                            st.provisional, "official_last_year", st.official_last_year);
    if (st.provisional) {
        /* The command center shows this text as it is (docs/calendar.md). */
        char notice[320];
        snprintf(notice, sizeof(notice),
                 "%d年节假日安排尚未导入：涉及%d年的办理期限按法定节假日暂算（不含调休），"
                 "导入国务院办公厅通知后自动重算。",
                 st.next_year, st.next_year);
        json_object_set_new(cal, "notice", json_string(notice));
    }
    return http_reply_json(resp, 200,
                           json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "name", "zhizhi", "version",
                                     ZHIZHI_VERSION, "sqlite", db_engine_version(), "time_zone",
                                     "Asia/Shanghai", "now", now, "calendar", cal));
}

const struct http_route system_routes[] = {
    {"GET", "/healthz", healthz, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/version", version, HTTP_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
