/* The monitoring domain: station kinds and their parameters, and station registration. The
 * rest of the module's rules live in files named for their concept: rule.c (the early-warning
 * rules as pure functions, and their records), ingest.c (validated idempotent ingest with
 * incremental aggregates, and the stale-station sweep), alert.c (alerts that open events
 * through the event module and go out live), keys.c (who may send readings: device keys and
 * scope) and service.c (the module's seed, timer and live-demo threads). No SQL, no HTTP, no
 * JSON library. */
#include "monitor/monitor.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "monitor/dec.h"
#include "monitor/monitor_store.h"
#include "org/org.h"

#define LIST_RELEASE(fn, type)                                                                     \
    void fn(struct type *l)                                                                        \
    {                                                                                              \
        if (!l)                                                                                    \
            return;                                                                                \
        free(l->items);                                                                            \
        memset(l, 0, sizeof(*l));                                                                  \
    }
LIST_RELEASE(monitor_station_list_release, monitor_station_list)
LIST_RELEASE(monitor_rule_list_release, monitor_rule_list)
LIST_RELEASE(monitor_alert_list_release, monitor_alert_list)

/* ---- kinds and parameters ---------------------------------------------------------------- */

#define U(x) MONITOR_DEC(x)
static const struct {
    const char *name, *label, *department;
    struct monitor_param params[8];
} kinds[MONITOR_KIND_COUNT] = {
    [MONITOR_KIND_AIR] = {"air",
                          "空气质量监测站",
                          "eco",
                          {{"SO2", "µg/m³", 0, U(20000)},
                           {"NO2", "µg/m³", 0, U(5000)},
                           {"PM10", "µg/m³", 0, U(5000)},
                           {"CO", "mg/m³", 0, U(200)},
                           {"O3", "µg/m³", 0, U(3000)},
                           {"PM2_5", "µg/m³", 0, U(2000)}}},
    [MONITOR_KIND_NOISE] = {"noise",
                            "声环境监测点",
                            "eco",
                            {{"LAeq", "dB(A)", U(20), U(140)}, {"Lmax", "dB(A)", U(20), U(150)}}},
    [MONITOR_KIND_WATER] = {"water",
                            "地表水监测断面",
                            "eco",
                            {{"pH", "无量纲", 0, U(14)},
                             {"DO", "mg/L", 0, U(20)},
                             {"CODMn", "mg/L", 0, U(100)},
                             {"COD", "mg/L", 0, U(500)},
                             {"BOD5", "mg/L", 0, U(200)},
                             {"NH3-N", "mg/L", 0, U(100)},
                             {"TP", "mg/L", 0, U(50)}}},
    [MONITOR_KIND_SEWER] = {"sewer",
                            "污水管网液位/溢流监测",
                            "urban",
                            {{"level", "m", 0, U(20)}, {"overflow", "状态", 0, U(1)}}},
    [MONITOR_KIND_MANHOLE] = {"manhole",
                              "智能井盖",
                              "urban",
                              {{"tilt", "°", 0, U(180)}, {"open", "状态", 0, U(1)}}},
    [MONITOR_KIND_DUST] = {"dust",
                           "扬尘监测",
                           "housing",
                           {{"PM10", "µg/m³", 0, U(10000)}, {"TSP", "µg/m³", 0, U(20000)}}},
    [MONITOR_KIND_FUME] = {"fume", "餐饮油烟监测", "urban", {{"fume", "mg/m³", 0, U(100)}}},
    [MONITOR_KIND_RIVER_LEVEL] = {"river_level",
                                  "沿江水位",
                                  "water",
                                  {{"level", "m", U(100), U(250)}}},
};
#undef U

const char *monitor_kind_name(enum monitor_kind k)
{
    return k < MONITOR_KIND_COUNT ? kinds[k].name : "";
}

const char *monitor_kind_label(enum monitor_kind k)
{
    return k < MONITOR_KIND_COUNT ? kinds[k].label : "";
}

int monitor_kind_parse(const char *s, enum monitor_kind *out)
{
    for (int k = 0; s && k < MONITOR_KIND_COUNT; k++)
        if (strcmp(s, kinds[k].name) == 0) {
            *out = (enum monitor_kind)k;
            return 0;
        }
    return -1;
}

int monitor_default_params(enum monitor_kind k, struct monitor_param *out, int max)
{
    int n = 0;
    for (int i = 0; i < 8 && n < max && kinds[k].params[i].name[0]; i++)
        out[n++] = kinds[k].params[i];
    return n;
}

const struct monitor_param *monitor_station_param(const struct monitor_station *s, const char *name)
{
    for (int i = 0; i < s->nparams; i++)
        if (strcmp(s->params[i].name, name) == 0)
            return &s->params[i];
    return NULL;
}

/* ---- stations ---------------------------------------------------------------------------- */

static bool code_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 31)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

int monitor_station_create(struct app *app, struct db *db, const struct monitor_station_input *in,
                           struct monitor_station *out, struct app_error *err)
{
    struct monitor_station s;
    memset(&s, 0, sizeof(s));
    if (!code_ok(in->code))
        return app_fail(err, APP_ERR_INVALID, "invalid_code", "code",
                        "站点编码须为 1-31 位字母、数字、- 或 _");
    if (!in->name || !*in->name || strlen(in->name) >= sizeof(s.name) ||
        !utf8_valid(in->name, strlen(in->name)))
        return app_fail(err, APP_ERR_INVALID, "invalid_name", "name",
                        "站点名称必填（至多 127 字节）");
    if (monitor_kind_parse(in->kind, &s.kind))
        return app_fail(err, APP_ERR_INVALID, "unknown_kind", "kind",
                        "未知站点类型（air, noise, water, sewer, manhole, dust, fume, "
                        "river_level）");
    if (s.kind == MONITOR_KIND_NOISE) {
        enum monitor_noise_zone z;
        if (!in->zone || monitor_noise_zone_parse(in->zone, &z, err))
            return app_fail(err, APP_ERR_INVALID, "invalid_zone", "zone",
                            "声环境监测点须给出功能区（0、1、2、3、4a、4b）");
        snprintf(s.zone, sizeof(s.zone), "%s", monitor_noise_zone_name(z));
    }
    if (s.kind == MONITOR_KIND_WATER) {
        if (in->target_class < 1 || in->target_class > 5)
            return app_fail(err, APP_ERR_INVALID, "invalid_target", "target_class",
                            "地表水断面须给出目标水质类别 1-5（Ⅰ-Ⅴ类）");
        s.target_class = in->target_class;
    }
    const char *dep = in->department && *in->department ? in->department : kinds[s.kind].department;
    bool exists = false;
    if (monitor_store_department_exists(db, dep, &exists, err))
        return -1;
    if (!exists)
        return app_fail(err, APP_ERR_INVALID, "unknown_department", "department", "无此部门 %s",
                        dep);
    snprintf(s.department, sizeof(s.department), "%s", dep);
    if (in->nparams > 0) {
        for (int i = 0; i < in->nparams; i++) {
            const struct monitor_param *p = &in->params[i];
            if (!p->name[0] || p->min > p->max)
                return app_fail(err, APP_ERR_INVALID, "invalid_parameter", "parameters",
                                "第 %d 个参数无名称或范围不当", i + 1);
            for (int j = 0; j < i; j++)
                if (strcmp(in->params[j].name, p->name) == 0)
                    return app_fail(err, APP_ERR_INVALID, "duplicate_parameter", "parameters",
                                    "参数 %s 重复", p->name);
            s.params[i] = *p;
        }
        s.nparams = in->nparams;
    } else {
        s.nparams = monitor_default_params(s.kind, s.params, MONITOR_MAX_PARAMS);
    }
    struct org_location loc;
    if (org_locate(app, db, in->lon, in->lat, &loc, err)) {
        if (err && err->code == APP_ERR_NOT_FOUND)
            return app_fail(err, APP_ERR_INVALID, "outside_district", "lon",
                            "该位置不在辖区网格内");
        return -1;
    }
    snprintf(s.grid, sizeof(s.grid), "%s", loc.grid.code);
    snprintf(s.street, sizeof(s.street), "%s", loc.street.code);
    org_location_release(&loc);
    snprintf(s.code, sizeof(s.code), "%s", in->code);
    snprintf(s.name, sizeof(s.name), "%s", in->name);
    s.lon = in->lon;
    s.lat = in->lat;
    s.synthetic = in->synthetic;
    s.created_at = clock_now();
    bool found = false;
    struct monitor_station old;
    if (monitor_store_station_get(db, s.code, 0, &old, &found, err))
        return -1;
    if (found)
        return app_fail(err, APP_ERR_CONFLICT, "duplicate_station", "code", "站点编码 %s 已存在",
                        s.code);
    if (monitor_store_station_insert(db, &s, err))
        return -1;
    if (out)
        *out = s;
    return 0;
}

int monitor_station_get(struct db *db, const char *code, struct monitor_station *out,
                        struct app_error *err)
{
    bool found = false;
    if (monitor_store_station_get(db, code, 0, out, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "station_not_found", "station", "无此站点 %s",
                        code ? code : "");
    return 0;
}

int monitor_station_list(struct db *db, const char *kind, struct monitor_station_list *out,
                         struct app_error *err)
{
    enum monitor_kind k;
    if (kind && monitor_kind_parse(kind, &k))
        return app_fail(err, APP_ERR_INVALID, "unknown_kind", "kind", "未知站点类型");
    return monitor_store_station_list(db, kind, out, err);
}
