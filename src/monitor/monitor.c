/* The monitoring domain's rules and orchestration: station kinds and their parameters, station
 * registration, validated idempotent ingest with incremental aggregates, the early-warning
 * rules as pure functions, alerts that open events through the event module, the stale-station
 * sweep and the module's timer and live-demo threads. No SQL, no HTTP, no JSON library. */
#include "monitor/monitor.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "event/event.h"
#include "monitor/dec.h"
#include "monitor/monitor_store.h"
#include "org/org.h"

/* The event module may be built without (early in the tree's life, or in a tool): alerts are
 * then kept without an event and the sweep opens it once the module is there. */
#pragma weak event_open_sensor_alert
#pragma weak event_add_note
#pragma weak event_category_get

/* Bumped by every rule change of this process (the ingest cache reloads the rules). */
static atomic_ulong rules_gen = 1;

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

/* ---- rules: vocabularies and pure functions ---------------------------------------------- */

static const char *const type_names[] = {"threshold", "rate", "stale"};
static const char *const level_names[] = {"", "blue", "yellow", "orange", "red"};
static const char *const level_labels[] = {"", "蓝色", "黄色", "橙色", "红色"};
static const char *const level_short[] = {"", "蓝", "黄", "橙", "红"};

const char *monitor_rule_type_name(enum monitor_rule_type t)
{
    return (unsigned)t < 3 ? type_names[t] : "";
}

int monitor_rule_type_parse(const char *s, enum monitor_rule_type *out)
{
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, type_names[i]) == 0) {
            *out = (enum monitor_rule_type)i;
            return 0;
        }
    return -1;
}

const char *monitor_level_name(enum monitor_level l)
{
    return l >= MONITOR_LEVEL_BLUE && l <= MONITOR_LEVEL_RED ? level_names[l] : "";
}

const char *monitor_level_label(enum monitor_level l)
{
    return l >= MONITOR_LEVEL_BLUE && l <= MONITOR_LEVEL_RED ? level_labels[l] : "";
}

int monitor_level_parse(const char *s, enum monitor_level *out)
{
    for (int i = 1; s && i <= 4; i++)
        if (strcmp(s, level_names[i]) == 0 || strcmp(s, level_labels[i]) == 0 ||
            strcmp(s, level_short[i]) == 0) {
            *out = (enum monitor_level)i;
            return 0;
        }
    return -1;
}

int monitor_rule_validate(const struct monitor_rule *r, struct app_error *err)
{
    if (!r->name[0])
        return app_fail(err, APP_ERR_INVALID, "missing_field", "name", "规则名称必填");
    if ((unsigned)r->kind >= MONITOR_KIND_COUNT)
        return app_fail(err, APP_ERR_INVALID, "unknown_kind", "station_kind", "未知站点类型");
    if (r->level < MONITOR_LEVEL_BLUE || r->level > MONITOR_LEVEL_RED)
        return app_fail(err, APP_ERR_INVALID, "invalid_level", "level",
                        "预警级别须为 blue/yellow/orange/red（蓝/黄/橙/红）");
    if (!r->category[0])
        return app_fail(err, APP_ERR_INVALID, "missing_field", "category", "须给出事件类别");
    if (r->consecutive < 1 || r->consecutive > 1000)
        return app_fail(err, APP_ERR_INVALID, "invalid_consecutive", "consecutive",
                        "连续次数须为 1-1000");
    if (r->type == MONITOR_RULE_STALE) {
        if (r->stale_minutes < 1 || r->stale_minutes > 100000)
            return app_fail(err, APP_ERR_INVALID, "invalid_stale_minutes", "stale_minutes",
                            "离线判定分钟数须为 1-100000");
        return 0;
    }
    if (!r->parameter[0])
        return app_fail(err, APP_ERR_INVALID, "missing_field", "parameter", "须给出参数");
    bool known = false;
    for (int i = 0; i < 8 && kinds[r->kind].params[i].name[0]; i++)
        known |= strcmp(kinds[r->kind].params[i].name, r->parameter) == 0;
    if (!known)
        return app_fail(err, APP_ERR_INVALID, "unknown_parameter", "parameter", "该类站点无参数 %s",
                        r->parameter);
    if (r->type == MONITOR_RULE_RATE && r->threshold <= 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_threshold", "threshold",
                        "变化率阈值须大于 0");
    if (r->has_clear && (r->below ? r->clear_at < r->threshold : r->clear_at > r->threshold))
        return app_fail(err, APP_ERR_INVALID, "invalid_clear", "clear_at",
                        "解除阈值须在报警阈值的正常一侧");
    return 0;
}

enum monitor_rule_action monitor_rule_feed(const struct monitor_rule *r,
                                           struct monitor_rule_state *s, int64_t t, int64_t value)
{
    if (s->has_last && t <= s->last_t)
        return MONITOR_ACTION_NONE; /* out of order or repeated: rules see time order only */
    bool had_last = s->has_last;
    int64_t last_t = s->last_t, last_value = s->last_value;
    s->has_last = true;
    s->last_t = t;
    s->last_value = value;
    if (r->type == MONITOR_RULE_STALE) {
        s->over_count = s->normal_count = 0;
        if (s->open) {
            s->open = false;
            return MONITOR_ACTION_CLEAR;
        }
        return MONITOR_ACTION_NONE;
    }
    int64_t x; /* the quantity compared, oriented so that "over" means larger */
    if (r->type == MONITOR_RULE_RATE) {
        if (!had_last)
            return MONITOR_ACTION_NONE;
        /* change per hour; |Δ| ≤ 10^13 millionths and 3600 keep this inside int64 */
        x = (value - last_value) * 3600 / (t - last_t);
    } else {
        x = value;
    }
    int64_t limit = r->threshold, clear = r->has_clear ? r->clear_at : r->threshold;
    if (r->below) {
        x = -x;
        limit = -limit;
        clear = -clear;
    }
    bool over = x >= limit;
    bool normal = r->has_clear ? x < clear : !over;
    if (over) {
        s->over_count++;
        s->normal_count = 0;
        if (!s->open && s->over_count >= r->consecutive) {
            s->open = true;
            return MONITOR_ACTION_OPEN;
        }
        return MONITOR_ACTION_NONE;
    }
    s->over_count = 0;
    if (!normal) {
        s->normal_count = 0; /* hysteresis band: neither raises nor counts towards clearing */
        return MONITOR_ACTION_NONE;
    }
    s->normal_count++;
    if (s->open && s->normal_count >= r->consecutive) {
        s->open = false;
        s->normal_count = 0;
        return MONITOR_ACTION_CLEAR;
    }
    return MONITOR_ACTION_NONE;
}

enum monitor_rule_action monitor_rule_check_stale(const struct monitor_rule *r, bool open,
                                                  int64_t last_t, int64_t now)
{
    if (r->type != MONITOR_RULE_STALE || open)
        return MONITOR_ACTION_NONE;
    return now - last_t >= (int64_t)r->stale_minutes * 60 ? MONITOR_ACTION_OPEN
                                                          : MONITOR_ACTION_NONE;
}

int monitor_rule_list(struct db *db, bool enabled_only, struct monitor_rule_list *out,
                      struct app_error *err)
{
    return monitor_store_rule_list(db, enabled_only, out, err);
}

int monitor_rule_get(struct db *db, int64_t id, struct monitor_rule *out, struct app_error *err)
{
    bool found = false;
    if (monitor_store_rule_get(db, id, out, &found, err))
        return -1;
    return found ? 0 : app_fail(err, APP_ERR_NOT_FOUND, "rule_not_found", "id", "无此预警规则");
}

/* The event category a rule opens must exist, or its alerts could never open an event. */
static int check_category(struct db *db, const struct monitor_rule *r, struct app_error *err)
{
    struct event_category c;
    struct app_error e = {0};
    if (!event_category_get || event_category_get(db, r->category, &c, &e) == 0)
        return 0;
    if (e.code != APP_ERR_NOT_FOUND) {
        if (err)
            *err = e;
        return -1;
    }
    return app_fail(err, APP_ERR_INVALID, "unknown_category", "category", "无此事件类别 %s",
                    r->category);
}

int monitor_rule_create(struct db *db, struct monitor_rule *r, struct app_error *err)
{
    if (monitor_rule_validate(r, err) || check_category(db, r, err))
        return -1;
    r->updated_at = clock_now();
    if (monitor_store_rule_insert(db, r, err))
        return -1;
    atomic_fetch_add(&rules_gen, 1);
    return 0;
}

int monitor_rule_update(struct db *db, struct monitor_rule *r, struct app_error *err)
{
    bool found = false;
    if (monitor_rule_validate(r, err) || check_category(db, r, err))
        return -1;
    r->updated_at = clock_now();
    if (monitor_store_rule_update(db, r, &found, err))
        return -1;
    atomic_fetch_add(&rules_gen, 1);
    return found ? 0 : app_fail(err, APP_ERR_NOT_FOUND, "rule_not_found", "id", "无此预警规则");
}

/* ---- alerts: JSON, events, publishing ---------------------------------------------------- */

static void json_str(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            buf_printf(b, "\\u%04x", c);
        else
            buf_putc(b, (char)c);
    }
    buf_putc(b, '"');
}

static void value_text(int64_t v, char *out, size_t n)
{
    /* the shortest exact decimal: strip trailing zeros of the 6 places */
    monitor_dec_format(v, 6, out, n);
    char *dot = strchr(out, '.');
    if (!dot)
        return;
    char *end = out + strlen(out) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

void monitor_alert_json(const struct monitor_alert *a, const char *state, struct buf *b)
{
    char v[40], t[32];
    buf_printf(b, "{\"id\":%lld,\"state\":", (long long)a->id);
    json_str(b, state);
    buf_puts(b, ",\"station\":");
    json_str(b, a->station);
    buf_puts(b, ",\"station_name\":");
    json_str(b, a->station_name);
    buf_puts(b, ",\"kind\":");
    json_str(b, monitor_kind_name(a->kind));
    buf_printf(b, ",\"rule_id\":%lld,\"rule\":", (long long)a->rule_id);
    json_str(b, a->rule_name);
    buf_puts(b, ",\"parameter\":");
    json_str(b, a->parameter);
    buf_puts(b, ",\"level\":");
    json_str(b, monitor_level_name(a->level));
    buf_puts(b, ",\"level_label\":");
    json_str(b, monitor_level_label(a->level));
    buf_puts(b, ",\"grid\":");
    json_str(b, a->grid);
    buf_puts(b, ",\"street\":");
    json_str(b, a->street);
    buf_puts(b, ",\"department\":");
    json_str(b, a->department);
    buf_printf(b, ",\"lon\":%.7f,\"lat\":%.7f", a->lon, a->lat);
    clock_format_local(a->opened_at, t, sizeof(t));
    buf_puts(b, ",\"opened_at\":");
    json_str(b, t);
    buf_puts(b, ",\"open_value\":");
    if (a->has_open_value) {
        value_text(a->open_value, v, sizeof(v));
        json_str(b, v);
    } else {
        buf_puts(b, "null");
    }
    buf_puts(b, ",\"cleared_at\":");
    if (a->cleared) {
        clock_format_local(a->cleared_at, t, sizeof(t));
        json_str(b, t);
    } else {
        buf_puts(b, "null");
    }
    buf_puts(b, ",\"clear_value\":");
    if (a->has_clear_value) {
        value_text(a->clear_value, v, sizeof(v));
        json_str(b, v);
    } else {
        buf_puts(b, "null");
    }
    buf_puts(b, ",\"event\":");
    if (a->event_code[0])
        json_str(b, a->event_code);
    else
        buf_puts(b, "null");
    buf_putc(b, '}');
}

/* An open-addressing hash index of named items by code: item index + 1 per cell, 0 = empty;
 * the size is a power of two, kept above twice the number of items. */
struct code_index {
    uint32_t *tab;
    size_t size;
};

struct monitor_state {
    monitor_publish_fn publish;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop;
    pthread_t timer, live;
    bool timer_started, live_started;
    struct app *app;
    /* Ingest caches: stations never change once registered (only last_at, which validation
     * does not use); the enabled rules are reloaded when rules_gen moves. */
    pthread_mutex_t cache_lock;
    struct monitor_station *stations;
    size_t nstations, cap_stations;
    struct code_index index; /* stations by code */
    struct monitor_rule_list rules;
    unsigned long rules_loaded; /* rules_gen the cached rules belong to; 0 = none */
    /* Held around each ingest transaction: concurrent batches of this process queue here and are
     * woken as soon as the writer commits, instead of sleeping in SQLite's busy handler (1 to
     * 100 ms steps) while they wait for the write lock. Validation runs outside it. */
    pthread_mutex_t ingest_lock;
};

static void publish_alert(struct app *app, const struct monitor_alert *a, const char *state)
{
    struct monitor_state *ms = app ? app->monitor : NULL;
    if (!ms || !ms->publish)
        return;
    struct buf b = BUF_INIT;
    monitor_alert_json(a, state, &b);
    ms->publish("alert", a->street, buf_cstr(&b));
    buf_release(&b);
}

/* Open the event of an open alert that has none yet. */
static void alert_open_event(struct app *app, struct db *db, struct monitor_alert *a)
{
    if (!event_open_sensor_alert || a->event_code[0] || a->cleared)
        return;
    struct buf title = BUF_INIT, desc = BUF_INIT;
    char v[40] = "", t[32];
    if (a->has_open_value)
        value_text(a->open_value, v, sizeof(v));
    clock_format_local(a->opened_at, t, sizeof(t));
    buf_printf(&title, "【%s预警】%s：%s", monitor_level_label(a->level), a->station_name,
               a->rule_name);
    buf_printf(&desc, "监测设备 %s（%s）于 %s 触发预警规则「%s」", a->station,
               monitor_kind_label(a->kind), t, a->rule_name);
    if (a->parameter[0] && v[0])
        buf_printf(&desc, "，%s 读数 %s", a->parameter, v);
    buf_puts(&desc, "。");
    struct event_sensor_alert in = {
        .category = a->category,
        .title = buf_cstr(&title),
        .description = buf_cstr(&desc),
        .lon = a->lon,
        .lat = a->lat,
        .grid = a->grid,
        .urgency = a->level >= MONITOR_LEVEL_ORANGE ? EVENT_URGENCY_URGENT : -1,
        .department = a->department,
        .station = a->station,
    };
    char code[EVENT_CODE_SIZE] = "";
    struct app_error err = {0};
    if (event_open_sensor_alert(app, db, &in, code, &err) == 0) {
        snprintf(a->event_code, sizeof(a->event_code), "%s", code);
        if (monitor_store_alert_set_event(db, a->id, code, &err))
            log_warn("monitor: alert %lld: event %s not recorded: %s", (long long)a->id, code,
                     err.message);
    } else {
        log_warn("monitor: alert %lld: event not opened: %s", (long long)a->id, err.message);
    }
    buf_release(&title);
    buf_release(&desc);
}

static void alert_clear_note(struct app *app, struct db *db, const struct monitor_alert *a)
{
    if (!event_add_note || !a->event_code[0] || !a->cleared)
        return;
    char v[40] = "", t[32];
    if (a->has_clear_value)
        value_text(a->clear_value, v, sizeof(v));
    clock_format_local(a->cleared_at, t, sizeof(t));
    struct buf note = BUF_INIT;
    buf_printf(&note, "报警已解除：%s 于 %s 恢复正常", a->station_name, t);
    if (v[0])
        buf_printf(&note, "（%s 读数 %s）", a->parameter, v);
    buf_puts(&note, "。");
    struct app_error err = {0};
    if (event_add_note(app, db, a->event_code, buf_cstr(&note), &err) == 0)
        monitor_store_alert_set_noted(db, a->id, &err);
    else
        log_warn("monitor: alert %lld: clearing note not added: %s", (long long)a->id, err.message);
    buf_release(&note);
}

struct alert_action {
    int64_t alert_id;
    enum monitor_rule_action action;
};

/* After commit: events and live messages for the alerts a transaction opened or cleared. */
static void dispatch_actions(struct app *app, struct db *db, const struct alert_action *acts,
                             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct monitor_alert a;
        struct app_error err = {0};
        if (monitor_store_alert_get(db, acts[i].alert_id, &a, &err))
            continue;
        if (acts[i].action == MONITOR_ACTION_OPEN) {
            alert_open_event(app, db, &a);
            log_info("monitor: alert %lld opened: %s %s (event %s)", (long long)a.id, a.station,
                     a.rule_name, a.event_code[0] ? a.event_code : "-");
            publish_alert(app, &a, a.cleared ? "cleared" : "open");
        } else {
            alert_clear_note(app, db, &a);
            log_info("monitor: alert %lld cleared: %s %s", (long long)a.id, a.station, a.rule_name);
            publish_alert(app, &a, "cleared");
        }
    }
}

/* ---- ingest ------------------------------------------------------------------------------ */

int64_t monitor_hour_of(int64_t t)
{
    int64_t h = t / 3600 - (t % 3600 < 0); /* floor */
    return (t - h * 3600 == 0 ? h : h + 1) * 3600;
}

int64_t monitor_day_of_hour(int64_t hour_end)
{
    int64_t x = hour_end - 3600 + CLOCK_CN_OFFSET;
    return x / 86400 - (x % 86400 < 0);
}

void monitor_ingest_result_release(struct monitor_ingest_result *r)
{
    if (!r)
        return;
    free(r->rejected);
    memset(r, 0, sizeof(*r));
}

static void reject(struct monitor_ingest_result *out, int line, const char *field, const char *code,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void reject(struct monitor_ingest_result *out, int line, const char *field, const char *code,
                   const char *fmt, ...)
{
    if (out->nrejected == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->rejected = xrealloc(out->rejected, out->cap * sizeof(*out->rejected));
    }
    struct monitor_reject *r = &out->rejected[out->nrejected++];
    memset(r, 0, sizeof(*r));
    r->line = line;
    snprintf(r->field, sizeof(r->field), "%s", field);
    snprintf(r->code, sizeof(r->code), "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
    va_end(ap);
}

struct station_slot {
    char *code;
    bool found;
    struct monitor_station st;
    int64_t max_t;
    bool touched;
};

struct parsed {
    size_t slot;
    const char *param;
    int64_t t, value;
    const char *flag;
    int line;
    bool level; /* a sound level (dB): its aggregates keep the energy sum */
};

struct state_slot {
    int64_t station_id, rule_id;
    bool stale; /* a stale rule: its state need not be stored (the open alert is the state) */
    struct monitor_rule_state s;
};

struct batch {
    struct app *app;
    struct db *db;
    struct station_slot *slots;
    size_t nslots, cap_slots;
    struct code_index index; /* slots by station code (a batch names a station on every row) */
    struct monitor_rule_list rules;
    struct state_slot *states;
    size_t nstates, cap_states;
    struct alert_action *acts;
    size_t nacts, cap_acts;
};

static uint32_t code_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

typedef const char *code_at_fn(const void *items, size_t i);

static const char *slot_code(const void *items, size_t i)
{
    return ((const struct station_slot *)items)[i].code;
}

static const char *station_code(const void *items, size_t i)
{
    return ((const struct monitor_station *)items)[i].code;
}

/* The index of the item named code among n items, or -1. */
static long code_index_find(const struct code_index *x, const void *items, code_at_fn *at,
                            const char *code)
{
    if (!x->size)
        return -1;
    size_t m = x->size - 1;
    for (size_t h = code_hash(code) & m; x->tab[h]; h = (h + 1) & m)
        if (strcmp(at(items, x->tab[h] - 1), code) == 0)
            return (long)x->tab[h] - 1;
    return -1;
}

/* Index item i, the last of items[0..i]; the table is rebuilt twice as large when half full. */
static void code_index_add(struct code_index *x, const void *items, code_at_fn *at, size_t i)
{
    if (2 * (i + 1) > x->size) {
        free(x->tab);
        x->size = x->size ? x->size * 2 : 64;
        while (2 * (i + 1) > x->size)
            x->size *= 2;
        x->tab = xcalloc(x->size, sizeof(*x->tab));
        for (size_t k = 0; k < i; k++)
            code_index_add(x, items, at, k);
    }
    size_t m = x->size - 1, h = code_hash(at(items, i)) & m;
    while (x->tab[h])
        h = (h + 1) & m;
    x->tab[h] = (uint32_t)i + 1;
}

static struct station_slot *batch_station(struct batch *b, const char *code, size_t *idx,
                                          struct app_error *err)
{
    long at = code_index_find(&b->index, b->slots, slot_code, code);
    if (at >= 0) {
        *idx = (size_t)at;
        return &b->slots[at];
    }
    if (b->nslots == b->cap_slots) {
        b->cap_slots = b->cap_slots ? b->cap_slots * 2 : 16;
        b->slots = xrealloc(b->slots, b->cap_slots * sizeof(*b->slots));
    }
    struct station_slot *s = &b->slots[b->nslots];
    memset(s, 0, sizeof(*s));
    struct monitor_state *ms = b->app ? b->app->monitor : NULL;
    if (ms) {
        pthread_mutex_lock(&ms->cache_lock);
        long i = code_index_find(&ms->index, ms->stations, station_code, code);
        if (i >= 0) {
            s->st = ms->stations[i];
            s->found = true;
        }
        pthread_mutex_unlock(&ms->cache_lock);
    }
    if (!s->found && monitor_store_station_get(b->db, code, 0, &s->st, &s->found, err))
        return NULL;
    if (ms && s->found) {
        pthread_mutex_lock(&ms->cache_lock);
        if (code_index_find(&ms->index, ms->stations, station_code, code) < 0) {
            if (ms->nstations == ms->cap_stations) {
                ms->cap_stations = ms->cap_stations ? ms->cap_stations * 2 : 32;
                ms->stations = xrealloc(ms->stations, ms->cap_stations * sizeof(*ms->stations));
            }
            ms->stations[ms->nstations] = s->st;
            code_index_add(&ms->index, ms->stations, station_code, ms->nstations++);
        }
        pthread_mutex_unlock(&ms->cache_lock);
    }
    s->code = xstrdup(code);
    *idx = b->nslots;
    code_index_add(&b->index, b->slots, slot_code, b->nslots++);
    return s;
}

static struct monitor_rule_state *batch_state(struct batch *b, int64_t station_id,
                                              const struct monitor_rule *rule,
                                              struct app_error *err)
{
    int64_t rule_id = rule->id;
    for (size_t i = 0; i < b->nstates; i++)
        if (b->states[i].station_id == station_id && b->states[i].rule_id == rule_id)
            return &b->states[i].s;
    if (b->nstates == b->cap_states) {
        b->cap_states = b->cap_states ? b->cap_states * 2 : 16;
        b->states = xrealloc(b->states, b->cap_states * sizeof(*b->states));
    }
    struct state_slot *s = &b->states[b->nstates];
    s->station_id = station_id;
    s->rule_id = rule_id;
    s->stale = rule->type == MONITOR_RULE_STALE;
    if (monitor_store_rule_state_get(b->db, station_id, rule_id, &s->s, err))
        return NULL;
    b->nstates++;
    return &s->s;
}

static void batch_release(struct batch *b)
{
    for (size_t i = 0; i < b->nslots; i++)
        free(b->slots[i].code);
    free(b->slots);
    free(b->index.tab);
    free(b->states);
    free(b->acts);
    monitor_rule_list_release(&b->rules);
}

/* Record the alert change of an action inside the transaction. */
static int apply_action(struct batch *b, const struct monitor_station *st,
                        const struct monitor_rule *r, enum monitor_rule_action act, int64_t t,
                        const int64_t *value, struct app_error *err)
{
    int64_t id = 0;
    if (act == MONITOR_ACTION_NONE)
        return 0;
    if (act == MONITOR_ACTION_OPEN) {
        if (monitor_store_alert_open(b->db, st->id, r->id, monitor_level_name(r->level), t, value,
                                     &id, err))
            return -1;
    } else if (monitor_store_alert_clear(b->db, st->id, r->id, t, value, &id, err)) {
        return -1;
    }
    if (!id)
        return 0;
    if (b->nacts == b->cap_acts) {
        b->cap_acts = b->cap_acts ? b->cap_acts * 2 : 8;
        b->acts = xrealloc(b->acts, b->cap_acts * sizeof(*b->acts));
    }
    b->acts[b->nacts++] = (struct alert_action){id, act};
    return 0;
}

static int cmp_parsed(const void *pa, const void *pb)
{
    const struct parsed *a = pa, *b = pb;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    int c = a->param == b->param ? 0 : strcmp(a->param, b->param); /* names of the slot's station */
    if (c)
        return c;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->line - b->line;
}

static bool flag_counts(const char *flag)
{
    return !flag || !*flag || strcmp(flag, "N") == 0;
}

/* Validate one row; on success fill p. */
static int validate_row(struct batch *b, const struct monitor_reading_in *r, int64_t now,
                        struct parsed *p, struct monitor_ingest_result *out, struct app_error *err)
{
    size_t slot;
    if (!r->station || !*r->station) {
        reject(out, r->line, "station", "missing_field", "缺少站点编码");
        return 1;
    }
    struct station_slot *s = batch_station(b, r->station, &slot, err);
    if (!s)
        return -1;
    if (!s->found) {
        reject(out, r->line, "station", "unknown_station", "未知站点 %.60s", r->station);
        return 1;
    }
    if (!r->parameter || !*r->parameter) {
        reject(out, r->line, "parameter", "missing_field", "缺少参数");
        return 1;
    }
    const struct monitor_param *mp = monitor_station_param(&s->st, r->parameter);
    if (!mp) {
        reject(out, r->line, "parameter", "unknown_parameter", "站点 %s 无参数 %.40s", s->st.code,
               r->parameter);
        return 1;
    }
    struct app_error e = {0};
    int64_t t;
    if (!r->time || !*r->time) {
        reject(out, r->line, "time", "missing_field", "缺少时间");
        return 1;
    }
    if (clock_parse(r->time, &t, "time", &e)) {
        reject(out, r->line, "time", "invalid_time", "时间格式无效（应为 ISO 8601）");
        return 1;
    }
    if (t > now + MONITOR_FUTURE_SKEW) {
        reject(out, r->line, "time", "future_time", "时间晚于当前时间");
        return 1;
    }
    int64_t v;
    if (!r->value || !*r->value) {
        reject(out, r->line, "value", "missing_field", "缺少数值");
        return 1;
    }
    if (monitor_dec_parse(r->value, &v, "value", &e)) {
        reject(out, r->line, "value", "invalid_number", "数值无效（须为有限的十进制数）");
        return 1;
    }
    if (v < mp->min || v > mp->max) {
        char lo[40], hi[40];
        value_text(mp->min, lo, sizeof(lo));
        value_text(mp->max, hi, sizeof(hi));
        reject(out, r->line, "value", "out_of_range", "%s 数值超出合理范围 %s-%s %s", mp->name, lo,
               hi, mp->unit);
        return 1;
    }
    if (r->flag && (strlen(r->flag) > 8 || !utf8_valid(r->flag, strlen(r->flag)))) {
        reject(out, r->line, "flag", "invalid_flag", "质量标记至多 8 个字符");
        return 1;
    }
    *p = (struct parsed){slot,
                         mp->name,
                         t,
                         v,
                         r->flag && *r->flag ? r->flag : NULL,
                         r->line,
                         monitor_noise_is_level_unit(mp->unit)};
    return 0;
}

/* Flush one aggregate group. */
static int flush_agg(struct db *db, int64_t station_id, struct monitor_agg *a, bool daily,
                     struct app_error *err)
{
    if (a->n == 0)
        return 0;
    int rc = daily ? monitor_store_daily_add(db, station_id, a, err)
                   : monitor_store_hourly_add(db, station_id, a, err);
    a->n = 0;
    return rc;
}

static void agg_put(struct monitor_agg *a, const char *param, int64_t period, int64_t v,
                    double energy)
{
    if (a->n == 0) {
        snprintf(a->parameter, sizeof(a->parameter), "%s", param);
        a->period = period;
        a->sum = 0;
        a->energy = 0;
        a->min = a->max = v;
    }
    a->n++;
    a->sum += v;
    a->energy += energy;
    if (v < a->min)
        a->min = v;
    if (v > a->max)
        a->max = v;
}

/* The consequences of the stored rows p[0..n), of which inserted[i] were new: counts,
 * aggregates, rules, station times (inside the transaction). */
static int store_effects(struct batch *b, const struct parsed *p, size_t n, const bool *inserted,
                         struct monitor_ingest_result *out, struct app_error *err)
{
    struct monitor_agg hour = {0}, day = {0};
    int64_t agg_station = 0;
    for (size_t i = 0; i < n; i++) {
        struct station_slot *slot = &b->slots[p[i].slot];
        const struct monitor_station *st = &slot->st;
        if (!inserted[i]) {
            out->duplicates++;
            continue;
        }
        out->accepted++;
        if (!slot->touched || p[i].t > slot->max_t)
            slot->max_t = p[i].t;
        slot->touched = true;
        if (!flag_counts(p[i].flag))
            continue; /* flagged readings are kept but neither aggregated nor judged */
        int64_t h = monitor_hour_of(p[i].t), d = monitor_day_of_hour(h);
        if (hour.n &&
            (agg_station != st->id || strcmp(hour.parameter, p[i].param) || hour.period != h))
            if (flush_agg(b->db, agg_station, &hour, false, err))
                return -1;
        if (day.n &&
            (agg_station != st->id || strcmp(day.parameter, p[i].param) || day.period != d))
            if (flush_agg(b->db, agg_station, &day, true, err))
                return -1;
        agg_station = st->id;
        /* GB 3096-2008 §3: sound levels combine by energy, never arithmetically */
        double energy = p[i].level ? monitor_noise_energy(p[i].value) : 0;
        agg_put(&hour, p[i].param, h, p[i].value, energy);
        agg_put(&day, p[i].param, d, p[i].value, energy);
        for (size_t r = 0; r < b->rules.len; r++) {
            const struct monitor_rule *rule = &b->rules.items[r];
            if (rule->kind != st->kind ||
                (rule->type != MONITOR_RULE_STALE && strcmp(rule->parameter, p[i].param)))
                continue;
            struct monitor_rule_state *s = batch_state(b, st->id, rule, err);
            if (!s)
                return -1;
            enum monitor_rule_action act = monitor_rule_feed(rule, s, p[i].t, p[i].value);
            bool stale = rule->type == MONITOR_RULE_STALE;
            if (apply_action(b, st, rule, act, p[i].t, stale ? NULL : &p[i].value, err))
                return -1;
        }
    }
    if (flush_agg(b->db, agg_station, &hour, false, err) ||
        flush_agg(b->db, agg_station, &day, true, err))
        return -1;
    for (size_t i = 0; i < b->nslots; i++)
        if (b->slots[i].touched &&
            monitor_store_station_touch(b->db, b->slots[i].st.id, b->slots[i].max_t, err))
            return -1;
    for (size_t i = 0; i < b->nstates; i++)
        if (!b->states[i].stale &&
            monitor_store_rule_state_put(b->db, b->states[i].station_id, b->states[i].rule_id,
                                         &b->states[i].s, err))
            return -1;
    return 0;
}

/* Store sorted rows p[0..n) with aggregates and rules (inside the transaction). */
static int store_rows(struct batch *b, struct parsed *p, size_t n, bool synthetic,
                      struct monitor_ingest_result *out, struct app_error *err)
{
    struct monitor_reading_row *rows = xmalloc((n ? n : 1) * sizeof(*rows));
    bool *inserted = xmalloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        rows[i] = (struct monitor_reading_row){b->slots[p[i].slot].st.id, p[i].param, p[i].t,
                                               p[i].value, p[i].flag};
    int rc = monitor_store_readings_insert(b->db, rows, n, synthetic, inserted, err) ||
             store_effects(b, p, n, inserted, out, err);
    free(rows);
    free(inserted);
    return rc ? -1 : 0;
}

/* Validate, then store one chunk in one transaction. */
static int ingest_chunk(struct batch *b, const struct monitor_reading_in *rows, size_t n,
                        bool synthetic, struct monitor_ingest_result *out, struct app_error *err)
{
    int ret = -1;
    int64_t now = clock_now();
    struct parsed *p = xmalloc((n ? n : 1) * sizeof(*p));
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = validate_row(b, &rows[i], now, &p[np], out, err);
        if (rc < 0)
            goto out;
        if (rc == 0)
            np++;
    }
    qsort(p, np, sizeof(*p), cmp_parsed);
    b->nstates = 0;
    b->nacts = 0;
    struct monitor_state *ms = b->app ? b->app->monitor : NULL;
    if (ms)
        pthread_mutex_lock(&ms->ingest_lock);
    int accepted = out->accepted, duplicates = out->duplicates;
    int rc = db_begin(b->db, err);
    if (rc == 0 && (store_rows(b, p, np, synthetic, out, err) || db_commit(b->db, err))) {
        db_rollback(b->db);
        out->accepted = accepted;
        out->duplicates = duplicates;
        rc = -1;
    }
    if (ms)
        pthread_mutex_unlock(&ms->ingest_lock);
    if (rc)
        goto out;
    for (size_t i = 0; i < b->nacts; i++) {
        if (b->acts[i].action == MONITOR_ACTION_OPEN)
            out->alerts_opened++;
        else
            out->alerts_cleared++;
    }
    dispatch_actions(b->app, b->db, b->acts, b->nacts);
    ret = 0;
out:
    free(p);
    return ret;
}

static int batch_init(struct batch *b, struct app *app, struct db *db, struct app_error *err)
{
    memset(b, 0, sizeof(*b));
    b->app = app;
    b->db = db;
    struct monitor_state *ms = app ? app->monitor : NULL;
    if (!ms)
        return monitor_store_rule_list(db, true, &b->rules, err);
    unsigned long gen = atomic_load(&rules_gen);
    pthread_mutex_lock(&ms->cache_lock);
    int rc = 0;
    if (ms->rules_loaded != gen) {
        ms->rules.len = 0;
        rc = monitor_store_rule_list(db, true, &ms->rules, err);
        ms->rules_loaded = rc ? 0 : gen;
    }
    if (rc == 0 && ms->rules.len) {
        b->rules.items = xmalloc(ms->rules.len * sizeof(*b->rules.items));
        memcpy(b->rules.items, ms->rules.items, ms->rules.len * sizeof(*b->rules.items));
        b->rules.len = b->rules.cap = ms->rules.len;
    }
    pthread_mutex_unlock(&ms->cache_lock);
    return rc;
}

int monitor_ingest(struct app *app, struct db *db, const struct monitor_reading_in *rows, size_t n,
                   bool synthetic, struct monitor_ingest_result *out, struct app_error *err)
{
    if (n > MONITOR_MAX_BATCH)
        return app_fail(err, APP_ERR_TOO_LARGE, "too_many_readings", "readings",
                        "一批至多 %d 条读数", MONITOR_MAX_BATCH);
    struct batch b;
    int ret = -1;
    if (batch_init(&b, app, db, err) == 0)
        ret = ingest_chunk(&b, rows, n, synthetic, out, err);
    batch_release(&b);
    return ret;
}

#define CSV_CHUNK 5000

int monitor_ingest_csv(struct app *app, struct db *db, const char *csv, size_t len,
                       monitor_progress_fn progress, void *progress_ctx,
                       struct monitor_ingest_result *out, struct app_error *err)
{
    struct csv_reader r;
    struct monitor_reading_in *rows = NULL;
    /* The reader reuses its storage per record: field texts are copied into one arena, as
     * offsets (+1; 0 = absent) until the arena stops moving. */
    struct buf arena = BUF_INIT;
    size_t(*offs)[5] = NULL;
    size_t n = 0, cap = 0;
    int ret = -1, rc;
    struct batch b;
    bool batch_ready = false;
    csv_init(&r, csv, len);
    while ((rc = csv_next(&r, err)) == 1) {
        if (n == 0 && r.nfields > 0 && strcmp(r.fields[0], "station") == 0 && r.line == 1)
            continue;
        if (n == MONITOR_MAX_BATCH * 10) {
            app_fail(err, APP_ERR_TOO_LARGE, "too_many_readings", "line", "文件至多 %d 行",
                     MONITOR_MAX_BATCH * 10);
            goto out;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            rows = xrealloc(rows, cap * sizeof(*rows));
            offs = xrealloc(offs, cap * sizeof(*offs));
        }
        struct monitor_reading_in *row = &rows[n];
        memset(row, 0, sizeof(*row));
        for (int i = 0; i < 5; i++) {
            offs[n][i] = 0;
            if (i < r.nfields) {
                offs[n][i] = arena.len + 1;
                buf_append(&arena, r.fields[i], strlen(r.fields[i]) + 1);
            }
        }
        row->line = r.line;
        if (r.nfields < 4 || r.nfields > 5) {
            row->station = NULL; /* reported below as a bad line */
            row->line = -r.line;
        }
        n++;
    }
    if (rc < 0) {
        err->code = APP_ERR_INVALID;
        snprintf(err->code_name, sizeof(err->code_name), "malformed_csv");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char **f[5] = {&rows[i].station, &rows[i].parameter, &rows[i].time, &rows[i].value,
                             &rows[i].flag};
        for (int k = 0; k < 5; k++)
            *f[k] = offs[i][k] ? arena.data + offs[i][k] - 1 : NULL;
        if (rows[i].line < 0)
            rows[i].station = NULL;
    }
    /* Lines with a wrong field count are rejected here, the rest validated per row. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].line < 0)
            reject(out, -rows[i].line, "line", "field_count",
                   "应为 station,parameter,time,value[,flag] 四或五列");
        else
            rows[m++] = rows[i];
    }
    if (batch_init(&b, app, db, err))
        goto out;
    batch_ready = true;
    size_t chunk = progress ? CSV_CHUNK : (m ? m : 1);
    for (size_t i = 0; i < m; i += chunk) {
        size_t k = m - i < chunk ? m - i : chunk;
        if (ingest_chunk(&b, rows + i, k, false, out, err))
            goto out;
        if (progress)
            progress(progress_ctx, i + k, m);
    }
    if (m == 0 && progress)
        progress(progress_ctx, 0, 0);
    ret = 0;
out:
    if (batch_ready)
        batch_release(&b);
    buf_release(&arena);
    free(offs);
    free(rows);
    csv_release(&r);
    return ret;
}

/* ---- alerts and the sweep ---------------------------------------------------------------- */

int monitor_alert_list(struct db *db, bool open_only, const char *station, long limit,
                       struct monitor_alert_list *out, struct app_error *err)
{
    return monitor_store_alert_list(db, open_only, false, station, limit, out, err);
}

/* Retry events of open alerts without one and notes of cleared alerts without one. */
static void retry_pending(struct app *app, struct db *db)
{
    struct monitor_alert_list l = {0};
    struct app_error err = {0};
    if (!event_open_sensor_alert)
        return;
    if (monitor_store_alert_list(db, false, true, NULL, 100, &l, &err) == 0)
        for (size_t i = 0; i < l.len; i++) {
            if (!l.items[i].cleared) {
                alert_open_event(app, db, &l.items[i]);
                if (l.items[i].event_code[0])
                    publish_alert(app, &l.items[i], "open");
            } else {
                alert_clear_note(app, db, &l.items[i]);
            }
        }
    monitor_alert_list_release(&l);
}

int monitor_sweep(struct app *app, struct db *db, int64_t now, struct app_error *err)
{
    struct batch b;
    struct monitor_station_list stations = {0};
    int ret = -1, opened = 0;
    if (batch_init(&b, app, db, err))
        goto out;
    bool any = false;
    for (size_t r = 0; r < b.rules.len; r++)
        any |= b.rules.items[r].type == MONITOR_RULE_STALE;
    if (any) {
        if (monitor_store_station_list(db, NULL, &stations, err) || db_begin(db, err))
            goto out;
        for (size_t r = 0; r < b.rules.len; r++) {
            const struct monitor_rule *rule = &b.rules.items[r];
            if (rule->type != MONITOR_RULE_STALE)
                continue;
            for (size_t i = 0; i < stations.len; i++) {
                const struct monitor_station *st = &stations.items[i];
                if (st->kind != rule->kind)
                    continue;
                struct monitor_rule_state s;
                if (monitor_store_rule_state_get(db, st->id, rule->id, &s, err))
                    goto fail;
                int64_t last = st->has_last ? st->last_at : st->created_at;
                enum monitor_rule_action act = monitor_rule_check_stale(rule, s.open, last, now);
                if (apply_action(&b, st, rule, act, now, NULL, err))
                    goto fail;
                opened += act == MONITOR_ACTION_OPEN;
            }
        }
        if (db_commit(db, err))
            goto fail;
        dispatch_actions(app, db, b.acts, b.nacts);
    }
    retry_pending(app, db);
    ret = opened;
    goto out;
fail:
    db_rollback(db);
out:
    monitor_station_list_release(&stations);
    batch_release(&b);
    return ret;
}

/* ---- module hooks ------------------------------------------------------------------------ */

#define M(x) MONITOR_DEC(x)
#define MT(x) MONITOR_DEC_TENTHS(x)
static const struct {
    const char *name;
    enum monitor_kind kind;
    const char *parameter;
    enum monitor_rule_type type;
    bool below;
    enum monitor_level level;
    int64_t threshold;
    bool has_clear;
    int64_t clear_at;
    int consecutive, stale_minutes;
    const char *category;
} default_rules[] = {
    /* Sewer level near the road surface: 生活污水溢流 risk (local operating thresholds). */
    {"污水管网高液位", MONITOR_KIND_SEWER, "level", MONITOR_RULE_THRESHOLD, false,
     MONITOR_LEVEL_ORANGE, M(2), true, MT(15), 2, 0, "9103"},
    {"污水溢流", MONITOR_KIND_SEWER, "overflow", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_RED,
     M(1), false, 0, 1, 0, "9103"},
    {"污水液位监测离线", MONITOR_KIND_SEWER, "", MONITOR_RULE_STALE, false, MONITOR_LEVEL_BLUE, 0,
     false, 0, 1, 60, "9103"},
    {"井盖开启", MONITOR_KIND_MANHOLE, "open", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_ORANGE,
     M(1), false, 0, 1, 0, "0102"},
    {"井盖倾斜", MONITOR_KIND_MANHOLE, "tilt", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_YELLOW,
     M(15), true, M(5), 2, 0, "0102"},
    /* 扬尘: 15-min PM10 over the local 施工扬尘 alert value, three readings in a row. */
    {"施工扬尘超标", MONITOR_KIND_DUST, "PM10", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_YELLOW,
     M(150), true, M(120), 3, 0, "9101"},
    /* GB 18483-2001: 油烟 maximum permitted emission 2.0 mg/m³. */
    {"餐饮油烟超标", MONITOR_KIND_FUME, "fume", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_YELLOW,
     M(2), true, MT(18), 2, 0, "9105"},
    {"沿江水位超警戒", MONITOR_KIND_RIVER_LEVEL, "level", MONITOR_RULE_THRESHOLD, false,
     MONITOR_LEVEL_RED, M(180), true, MT(1795), 1, 0, "9104"},
    {"沿江水位快速上涨", MONITOR_KIND_RIVER_LEVEL, "level", MONITOR_RULE_RATE, false,
     MONITOR_LEVEL_YELLOW, MT(5), true, MT(2), 2, 0, "9104"},
};
#undef M
#undef MT

int monitor_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    for (size_t i = 0; i < sizeof(default_rules) / sizeof(default_rules[0]); i++) {
        struct monitor_rule r;
        memset(&r, 0, sizeof(r));
        snprintf(r.name, sizeof(r.name), "%s", default_rules[i].name);
        r.kind = default_rules[i].kind;
        snprintf(r.parameter, sizeof(r.parameter), "%s", default_rules[i].parameter);
        r.type = default_rules[i].type;
        r.below = default_rules[i].below;
        r.level = default_rules[i].level;
        r.threshold = default_rules[i].threshold;
        r.has_clear = default_rules[i].has_clear;
        r.clear_at = default_rules[i].clear_at;
        r.consecutive = default_rules[i].consecutive;
        r.stale_minutes = default_rules[i].stale_minutes;
        snprintf(r.category, sizeof(r.category), "%s", default_rules[i].category);
        r.enabled = true;
        if (monitor_rule_create(db, &r, err))
            return -1;
    }
    if (!demo)
        return 0;
    double t0 = clock_mono_ms();
    if (monitor_demo_seed(app, db, clock_now(), err))
        return -1;
    log_info("monitor: demo stations and a year of synthetic readings in %.0f ms",
             clock_mono_ms() - t0);
    return 0;
}

/* Wait up to `seconds` or until stop; returns true when stopping. */
static bool wait_or_stop(struct monitor_state *ms, long seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += seconds;
    pthread_mutex_lock(&ms->lock);
    while (!ms->stop)
        if (pthread_cond_timedwait(&ms->cond, &ms->lock, &ts))
            break;
    bool stop = ms->stop;
    pthread_mutex_unlock(&ms->lock);
    return stop;
}

static void *timer_main(void *arg)
{
    struct monitor_state *ms = arg;
    while (!wait_or_stop(ms, ms->app->cfg.timer_interval)) {
        struct db *db = app_db(ms->app);
        struct app_error err = {0};
        if (db && monitor_sweep(ms->app, db, clock_now(), &err) < 0)
            log_warn("monitor: stale sweep failed: %s", err.message);
    }
    return NULL;
}

#define LIVE_PERIOD 5

static void *live_main(void *arg)
{
    struct monitor_state *ms = arg;
    while (!wait_or_stop(ms, LIVE_PERIOD)) {
        struct db *db = app_db(ms->app);
        struct app_error err = {0};
        if (db && monitor_demo_live(ms->app, db, clock_now(), &err))
            log_warn("monitor: live demo readings failed: %s", err.message);
    }
    return NULL;
}

int monitor_start(struct app *app, monitor_publish_fn publish, struct app_error *err)
{
    struct monitor_state *ms = xcalloc(1, sizeof(*ms));
    ms->publish = publish;
    ms->app = app;
    pthread_mutex_init(&ms->lock, NULL);
    pthread_cond_init(&ms->cond, NULL);
    pthread_mutex_init(&ms->cache_lock, NULL);
    pthread_mutex_init(&ms->ingest_lock, NULL);
    app->monitor = ms;
    if (pthread_create(&ms->timer, NULL, timer_main, ms)) {
        monitor_stop(app);
        return app_fail(err, APP_ERR_INTERNAL, "thread", NULL, "cannot start the monitor timer");
    }
    ms->timer_started = true;
    if (app->cfg.live_demo) {
        if (pthread_create(&ms->live, NULL, live_main, ms) == 0)
            ms->live_started = true;
        else
            log_warn("monitor: live demo thread not started");
    }
    return 0;
}

void monitor_stop(struct app *app)
{
    struct monitor_state *ms = app ? app->monitor : NULL;
    if (!ms)
        return;
    pthread_mutex_lock(&ms->lock);
    ms->stop = true;
    pthread_cond_broadcast(&ms->cond);
    pthread_mutex_unlock(&ms->lock);
    if (ms->timer_started)
        pthread_join(ms->timer, NULL);
    if (ms->live_started)
        pthread_join(ms->live, NULL);
    pthread_mutex_destroy(&ms->lock);
    pthread_cond_destroy(&ms->cond);
    pthread_mutex_destroy(&ms->cache_lock);
    pthread_mutex_destroy(&ms->ingest_lock);
    free(ms->stations);
    free(ms->index.tab);
    monitor_rule_list_release(&ms->rules);
    free(ms);
    app->monitor = NULL;
}
