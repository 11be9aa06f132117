/* Thin handlers of the monitor module: stations, the readings ingest (JSON or CSV), alert rules
 * and alerts, and the figures (AQI, series, compliance, noise, water, CSV export). Decoding and
 * encoding only; the rules are in monitor.c, rule.c, ingest.c, alert.c, keys.c and figures.c. */
#include "monitor/monitor_api.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "http/sse.h"
#include "monitor/dec.h"
#include "monitor/monitor.h"

void monitor_api_publish(const char *type, const char *scope, const char *json)
{
    sse_publish(type, scope, json);
}

/* ---- encoding helpers -------------------------------------------------------------------- */

/* An exact decimal as a JSON number with at most `places` decimals (half to even). */
static json_t *dec_json(int64_t v, int places)
{
    char s[48];
    monitor_dec_format(monitor_dec_round(v, places), places, s, sizeof(s));
    return json_real(strtod(s, NULL));
}

static json_t *time_json(int64_t t)
{
    char s[32];
    clock_format_local(t, s, sizeof(s));
    return json_string(s);
}

static json_t *date_json(int64_t day)
{
    char s[16];
    clock_format_date(day * 86400, s, sizeof(s));
    return json_string(s);
}

static json_t *station_json(const struct monitor_station *s)
{
    json_t *params = json_array();
    for (int i = 0; i < s->nparams; i++)
        json_array_append_new(params,
                              json_pack("{s:s,s:s,s:o,s:o}", "name", s->params[i].name, "unit",
                                        s->params[i].unit, "min", dec_json(s->params[i].min, 6),
                                        "max", dec_json(s->params[i].max, 6)));
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:s,s:s,s:s,s:o,s:b}", "code", s->code, "name", s->name,
                  "kind", monitor_kind_name(s->kind), "kind_label", monitor_kind_label(s->kind),
                  "lon", s->lon, "lat", s->lat, "grid", s->grid, "street", s->street, "department",
                  s->department, "parameters", params, "synthetic", s->synthetic);
    if (s->zone[0])
        json_object_set_new(o, "zone", json_string(s->zone));
    if (s->target_class) {
        json_object_set_new(o, "target_class", json_integer(s->target_class));
        json_object_set_new(o, "target_class_name",
                            json_string(monitor_water_class_name(s->target_class)));
    }
    json_object_set_new(o, "last_reading_at", s->has_last ? time_json(s->last_at) : json_null());
    return o;
}

static json_t *rule_json(const struct monitor_rule *r)
{
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:b,s:o}", "id", (json_int_t)r->id, "name",
        r->name, "station_kind", monitor_kind_name(r->kind), "parameter", r->parameter, "type",
        monitor_rule_type_name(r->type), "direction", r->below ? "below" : "above", "level",
        monitor_level_name(r->level), "level_label", monitor_level_label(r->level), "consecutive",
        r->consecutive, "category", r->category, "enabled", r->enabled, "updated_at",
        time_json(r->updated_at));
    if (r->type == MONITOR_RULE_STALE) {
        json_object_set_new(o, "stale_minutes", json_integer(r->stale_minutes));
    } else {
        json_object_set_new(o, "threshold", dec_json(r->threshold, 6));
        json_object_set_new(o, "clear_at", r->has_clear ? dec_json(r->clear_at, 6) : json_null());
    }
    return o;
}

static json_t *aqi_json(const struct monitor_aqi_figure *f, bool daily)
{
    const struct monitor_aqi_result *r = &f->result;
    const struct monitor_aqi_level *lv = r->has_aqi ? monitor_aqi_level_of(r->aqi) : NULL;
    json_t *o = json_object();
    if (f->station[0])
        json_object_set_new(o, "station", json_string(f->station));
    json_object_set_new(o, "name", json_string(f->name));
    json_object_set_new(o, daily ? "date" : "hour_end",
                        daily ? date_json(f->period) : time_json(f->period));
    json_object_set_new(o, "edition", json_integer(r->edition));
    json_object_set_new(
        o, "standard",
        json_string(r->edition == MONITOR_EDITION_2026 ? "HJ 633-2026" : "HJ 633-2012"));
    json_object_set_new(o, "aqi", r->has_aqi ? json_integer(r->aqi) : json_null());
    json_object_set_new(o, "level", lv ? json_string(lv->name) : json_null());
    json_object_set_new(o, "category", lv ? json_string(lv->category) : json_null());
    json_object_set_new(o, "color", lv ? json_string(lv->color) : json_null());
    json_t *primary = json_array(), *over = json_array(), *iaqi = json_object(),
           *conc = json_object();
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++)
        if (r->primary & (1u << p))
            json_array_append_new(primary, json_string(monitor_pollutant_name(p)));
    for (int i = 0; i < MONITOR_INDICATOR_COUNT; i++) {
        if (r->over_range & (1u << i))
            json_array_append_new(over, json_string(monitor_indicator_name(i)));
        if (f->input.has[i]) {
            int places = monitor_stat_places(monitor_indicator_pollutant(i)) + 1;
            json_object_set_new(conc, monitor_indicator_name(i),
                                dec_json(f->input.conc[i], places));
            json_object_set_new(iaqi, monitor_indicator_name(i),
                                r->iaqi[i].computed ? json_integer(r->iaqi[i].value) : json_null());
        }
    }
    json_object_set_new(o, "primary", primary);
    json_object_set_new(o, "over_range", over);
    json_object_set_new(o, "complete", json_boolean(r->complete));
    json_object_set_new(o, "publishable", json_boolean(r->publishable));
    json_object_set_new(o, "iaqi", iaqi);
    json_object_set_new(o, "concentrations", conc);
    return o;
}

static json_t *figures_json(const struct monitor_aqi_figures *f, bool daily)
{
    json_t *stations = json_array();
    for (size_t i = 0; i < f->len; i++)
        json_array_append_new(stations, aqi_json(&f->stations[i], daily));
    return json_pack("{s:o,s:o,s:b}", "district", aqi_json(&f->district, daily), "stations",
                     stations, "has_data", f->has_data);
}

/* ---- query helpers ----------------------------------------------------------------------- */

/* A date query argument (YYYY-MM-DD) as a day number; def when absent. */
static int query_day(const struct http_request *req, const char *name, int64_t def, int64_t *out,
                     struct app_error *err)
{
    const char *s = http_query(req, name);
    *out = def;
    if (!s)
        return 0;
    if (clock_parse_date(s, out))
        return app_fail(err, APP_ERR_INVALID, "invalid_date", name, "日期应为 YYYY-MM-DD");
    return 0;
}

static int64_t today(void)
{
    int64_t t = clock_now() + CLOCK_CN_OFFSET;
    return t / 86400 - (t % 86400 < 0);
}

static int query_time(const struct http_request *req, const char *name, int64_t def, int64_t *out,
                      struct app_error *err)
{
    const char *s = http_query(req, name);
    *out = def;
    return s ? clock_parse(s, out, name, err) : 0;
}

/* ---- stations ---------------------------------------------------------------------------- */

static int list_stations(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_station_list l = {0};
    if (monitor_station_list(req->db, http_query(req, "kind"), &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, station_json(&l.items[i]));
    monitor_station_list_release(&l);
    return http_reply_json(resp, 200, http_list_body(items, NULL));
}

static int get_station(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_station s;
    if (monitor_station_get(req->db, http_param(req, "code"), &s, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, station_json(&s));
}

/* A JSON number as decimal text for monitor_dec_parse, into out (n >= 40). jansson gives no
 * access to a number's text, so a real is written as the shortest decimal that reads back as the
 * same double: for the usual readings (at most 6 decimals, below 10^9) that is exactly the text
 * sent — 1.25 stays "1.25", 0.1 stays "0.1", 1.2e0 becomes "1.2" — since no two such decimals
 * share a double. Other reals get their shortest round-trip digits (up to 17), written without
 * exponent while monitor_dec_parse could accept them and with it otherwise, so that values
 * beyond 12 integer digits or 6 decimals are refused (invalid_number) as their text would be.
 * Senders who want their digits kept verbatim send the value as a JSON string. */
static void number_text(const json_t *v, char *out, size_t n)
{
    if (json_is_integer(v)) {
        snprintf(out, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return;
    }
    double d = json_real_value(v);
    if (fabs(d) < 1e9) {
        char *end;
        monitor_dec_format(llround(d * 1e6), 6, out, n);
        if (strtod(out, &end) == d) {
            /* drop the trailing zeros of the fraction */
            size_t len = strlen(out);
            while (out[len - 1] == '0')
                out[--len] = '\0';
            if (out[len - 1] == '.')
                out[--len] = '\0';
            return;
        }
    }
    char e[40];
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(e, sizeof(e), "%.*e", prec - 1, d);
        if (strtod(e, NULL) == d)
            break;
    }
    if (prec == 17)
        snprintf(e, sizeof(e), "%.16e", d);
    const char *p = e;
    char digits[20];
    int nd = 0;
    for (; *p && *p != 'e'; p++)
        if (isdigit((unsigned char)*p))
            digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (exp > 12 || exp < -7) {
        snprintf(out, n, "%s", e); /* refused by monitor_dec_parse, as intended */
        return;
    }
    size_t k = 0;
    if (e[0] == '-')
        out[k++] = '-';
    if (exp < 0) {
        out[k++] = '0';
        out[k++] = '.';
        for (int i = 0; i < -exp - 1; i++)
            out[k++] = '0';
        for (int i = 0; i < nd; i++)
            out[k++] = digits[i];
    } else {
        for (int i = 0; i < nd || i <= exp; i++) {
            if (i == exp + 1)
                out[k++] = '.';
            out[k++] = i < nd ? digits[i] : '0';
        }
    }
    out[k] = '\0';
}

static int decimal_member(json_t *o, const char *key, const char *field, bool required, bool *has,
                          int64_t *out, struct app_error *err)
{
    json_t *v = json_object_get(o, key);
    char text[64];
    *has = false;
    if (!v || json_is_null(v)) {
        if (required)
            return app_fail(err, APP_ERR_INVALID, "missing_field", field, "缺少 %s", key);
        return 0;
    }
    if (json_is_string(v))
        snprintf(text, sizeof(text), "%s", json_string_value(v));
    else if (json_is_number(v))
        number_text(v, text, sizeof(text));
    else
        return app_fail(err, APP_ERR_INVALID, "invalid_number", field, "%s 应为数值", key);
    if (monitor_dec_parse(text, out, field, err))
        return -1;
    *has = true;
    return 0;
}

static int read_params(json_t *arr, struct monitor_station_input *in, struct app_error *err)
{
    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > MONITOR_MAX_PARAMS)
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "parameters",
                        "parameters 应为至多 %d 个对象的数组", MONITOR_MAX_PARAMS);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *p = json_array_get(arr, i);
        struct monitor_param *mp = &in->params[i];
        const char *name = NULL, *unit = NULL;
        bool has;
        if (!json_is_object(p) || http_json_string(p, "name", true, &name, err) ||
            http_json_string(p, "unit", true, &unit, err) ||
            decimal_member(p, "min", "parameters", true, &has, &mp->min, err) ||
            decimal_member(p, "max", "parameters", true, &has, &mp->max, err))
            return app_fail(err, APP_ERR_INVALID, "invalid_parameter", "parameters",
                            "第 %zu 个参数须有 name, unit, min, max", i + 1);
        snprintf(mp->name, sizeof(mp->name), "%s", name);
        snprintf(mp->unit, sizeof(mp->unit), "%s", unit);
    }
    in->nparams = (int)json_array_size(arr);
    return 0;
}

static int create_station(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *j = NULL;
    struct monitor_station_input in = {0};
    struct monitor_station s;
    int64_t target = 0;
    if (http_read_json(req, &j, &err) || http_json_string(j, "code", true, &in.code, &err) ||
        http_json_string(j, "name", true, &in.name, &err) ||
        http_json_string(j, "kind", true, &in.kind, &err) ||
        http_json_number(j, "lon", true, &in.lon, &err) ||
        http_json_number(j, "lat", true, &in.lat, &err) ||
        http_json_string(j, "department", false, &in.department, &err) ||
        http_json_string(j, "zone", false, &in.zone, &err) ||
        http_json_int(j, "target_class", false, &target, &err) ||
        read_params(json_object_get(j, "parameters"), &in, &err))
        goto fail;
    in.target_class = target >= 0 && target <= 5 ? (int)target : -1;
    if (monitor_station_create(req->app, req->db, &in, &s, &err))
        goto fail;
    json_decref(j);
    return http_reply_json(resp, 201, station_json(&s));
fail:
    json_decref(j);
    return http_reply_error(resp, &err);
}

/* ---- readings ---------------------------------------------------------------------------- */

static json_t *ingest_json(const struct monitor_ingest_result *r)
{
    json_t *rej = json_array();
    for (size_t i = 0; i < r->nrejected; i++)
        json_array_append_new(rej, json_pack("{s:i,s:s,s:s,s:s}", "line", r->rejected[i].line,
                                             "field", r->rejected[i].field, "code",
                                             r->rejected[i].code, "reason", r->rejected[i].reason));
    return json_pack("{s:i,s:i,s:o,s:i,s:i}", "accepted", r->accepted, "duplicates", r->duplicates,
                     "rejected", rej, "alerts_opened", r->alerts_opened, "alerts_cleared",
                     r->alerts_cleared);
}

/* Decode {"readings":[{station, parameter, time, value, flag?}, ...]} (read once by jansson)
 * into rows whose strings are borrowed from j, or from texts for numbers. A malformed item
 * becomes a row that fails validation with the item's line: a non-string time or value reads
 * as "?" (invalid_time, invalid_number), a missing member as NULL (missing_field). */
static int decode_readings(json_t *j, struct monitor_reading_in **rows, char (**texts)[40],
                           size_t *n, struct app_error *err)
{
    json_t *arr = json_is_object(j) ? json_object_get(j, "readings") : NULL;
    if (!json_is_array(arr))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "readings",
                        "应为 {\"readings\": [...]}");
    *n = json_array_size(arr);
    if (*n > MONITOR_MAX_BATCH)
        return app_fail(err, APP_ERR_TOO_LARGE, "too_many_readings", "readings",
                        "一批至多 %d 条读数", MONITOR_MAX_BATCH);
    *rows = xcalloc(*n ? *n : 1, sizeof(**rows));
    *texts = xmalloc((*n ? *n : 1) * sizeof(**texts));
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it)
    {
        struct monitor_reading_in *r = &(*rows)[i];
        r->line = (int)i + 1;
        if (!json_is_object(it))
            continue;
        json_t *t = json_object_get(it, "time"), *v = json_object_get(it, "value");
        r->station = json_string_value(json_object_get(it, "station"));
        r->parameter = json_string_value(json_object_get(it, "parameter"));
        r->flag = json_string_value(json_object_get(it, "flag"));
        r->time = t && !json_is_null(t) && !json_is_string(t) ? "?" : json_string_value(t);
        if (json_is_string(v)) {
            r->value = json_string_value(v);
        } else if (json_is_number(v)) {
            number_text(v, (*texts)[i], sizeof((*texts)[i]));
            r->value = (*texts)[i];
        } else if (v && !json_is_null(v)) {
            r->value = "?"; /* reported as invalid_number */
        }
    }
    return 0;
}

/* The sender of a readings batch: a logged-in user who may ingest, else the station device
 * key of X-Device-Key or "Authorization: Bearer zzk_…". */
static int sender_of(struct http_request *req, struct monitor_sender *snd, struct app_error *err)
{
    memset(snd, 0, sizeof(*snd));
    if (req->who) {
        if (!auth_may(req->who, "monitor.ingest"))
            return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL,
                            "当前角色无权进行此操作 (monitor.ingest)");
        snd->who = req->who;
        return 0;
    }
    const char *key = http_header(req, "X-Device-Key");
    const char *h = http_header(req, "Authorization");
    if (!key && h && strncasecmp(h, "Bearer ", 7) == 0)
        key = h + 7;
    if (!key)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL,
                        "请先登录，或以站点设备密钥上报");
    return monitor_key_identify(req->db, key, snd, err);
}

static int post_readings(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_ingest_result r = {0};
    struct monitor_sender snd;
    const char *ct = http_header(req, "Content-Type");
    int rc;
    if (sender_of(req, &snd, &err)) {
        if (err.code == APP_ERR_UNAUTHORIZED)
            http_set_header(resp, "WWW-Authenticate", "Bearer");
        return http_reply_error(resp, &err);
    }
    if (ct && strncasecmp(ct, "text/csv", 8) == 0) {
        rc = monitor_ingest_csv_from(req->app, req->db, &snd, req->body ? req->body : "",
                                     req->body_len, &r, &err);
    } else {
        json_t *j = NULL;
        struct monitor_reading_in *rows = NULL;
        char(*texts)[40] = NULL;
        size_t n = 0;
        rc = http_read_json(req, &j, &err) || decode_readings(j, &rows, &texts, &n, &err) ||
             monitor_ingest_from(req->app, req->db, &snd, rows, n, &r, &err);
        free(rows);
        free(texts);
        json_decref(j);
    }
    if (rc) {
        monitor_ingest_result_release(&r);
        return http_reply_error(resp, &err);
    }
    http_reply_json(resp, 200, ingest_json(&r));
    monitor_ingest_result_release(&r);
    return 0;
}

/* ---- rules and alerts -------------------------------------------------------------------- */

/* Apply the members present in j to r (all required ones for a new rule). */
static int decode_rule(json_t *j, bool create, struct monitor_rule *r, struct app_error *err)
{
    const char *s = NULL;
    int64_t i;
    bool has;
    if (!json_is_object(j))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "body", "应为 JSON 对象");
    if (http_json_string(j, "name", create, &s, err))
        return -1;
    if (s)
        snprintf(r->name, sizeof(r->name), "%s", s);
    if (http_json_string(j, "station_kind", create, &s, err))
        return -1;
    if (s && monitor_kind_parse(s, &r->kind))
        return app_fail(err, APP_ERR_INVALID, "unknown_kind", "station_kind", "未知站点类型");
    s = NULL;
    if (http_json_string(j, "type", create, &s, err))
        return -1;
    if (s && monitor_rule_type_parse(s, &r->type))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "type",
                        "type 应为 threshold、rate 或 stale");
    s = NULL;
    if (http_json_string(j, "parameter", false, &s, err))
        return -1;
    if (s)
        snprintf(r->parameter, sizeof(r->parameter), "%s", s);
    s = NULL;
    if (http_json_string(j, "direction", false, &s, err))
        return -1;
    if (s && strcmp(s, "above") && strcmp(s, "below"))
        return app_fail(err, APP_ERR_INVALID, "invalid_direction", "direction",
                        "direction 应为 above 或 below");
    if (s)
        r->below = strcmp(s, "below") == 0;
    s = NULL;
    if (http_json_string(j, "level", create, &s, err))
        return -1;
    if (s && monitor_level_parse(s, &r->level))
        return app_fail(err, APP_ERR_INVALID, "invalid_level", "level",
                        "level 应为 blue/yellow/orange/red（蓝/黄/橙/红）");
    s = NULL;
    if (http_json_string(j, "category", create, &s, err))
        return -1;
    if (s)
        snprintf(r->category, sizeof(r->category), "%s", s);
    if (decimal_member(j, "threshold", "threshold", false, &has, &r->threshold, err))
        return -1;
    if (create && !has && r->type != MONITOR_RULE_STALE)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "threshold", "缺少 threshold");
    json_t *c = json_object_get(j, "clear_at");
    if (c && json_is_null(c))
        r->has_clear = false;
    else if (decimal_member(j, "clear_at", "clear_at", false, &has, &r->clear_at, err))
        return -1;
    else if (has)
        r->has_clear = true;
    i = r->consecutive ? r->consecutive : 1;
    if (http_json_int(j, "consecutive", false, &i, err))
        return -1;
    r->consecutive = i > 0 && i < 100000 ? (int)i : 0;
    i = r->stale_minutes;
    if (http_json_int(j, "stale_minutes", false, &i, err))
        return -1;
    r->stale_minutes = i > 0 && i < 1000000 ? (int)i : 0;
    json_t *en = json_object_get(j, "enabled");
    if (en && !json_is_boolean(en))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "enabled", "enabled 应为布尔值");
    if (en)
        r->enabled = json_is_true(en);
    else if (create)
        r->enabled = true;
    return 0;
}

static int list_rules(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_rule_list l = {0};
    if (monitor_rule_list(req->db, false, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, rule_json(&l.items[i]));
    monitor_rule_list_release(&l);
    return http_reply_json(resp, 200, http_list_body(items, NULL));
}

static int create_rule(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *j = NULL;
    struct monitor_rule r;
    memset(&r, 0, sizeof(r));
    int rc = http_read_json(req, &j, &err) || decode_rule(j, true, &r, &err) ||
             monitor_rule_create(req->db, &r, &err);
    json_decref(j);
    if (rc)
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 201, rule_json(&r));
}

static int patch_rule(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *j = NULL;
    struct monitor_rule r;
    char *end;
    const char *id = http_param(req, "id");
    long long v = strtoll(id, &end, 10);
    if (!*id || *end || v <= 0)
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "rule_not_found", "id", "无此预警规则");
    int rc = monitor_rule_get(req->db, v, &r, &err) || http_read_json(req, &j, &err) ||
             decode_rule(j, false, &r, &err) || monitor_rule_update(req->db, &r, &err);
    json_decref(j);
    if (rc)
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, rule_json(&r));
}

static int list_alerts(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_alert_list l = {0};
    const char *state = http_query(req, "state");
    long limit;
    const char *cursor;
    if (state && strcmp(state, "open") && strcmp(state, "all"))
        return http_reply_problem(resp, APP_ERR_INVALID, "invalid_state", "state",
                                  "state 应为 open 或 all");
    if (http_list_params(req, &limit, &cursor, &err) ||
        monitor_alert_list(req->db, state && strcmp(state, "open") == 0, http_query(req, "station"),
                           limit, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        struct buf b = BUF_INIT;
        monitor_alert_json(&l.items[i], l.items[i].cleared ? "cleared" : "open", &b);
        json_array_append_new(items, json_loads(buf_cstr(&b), 0, NULL));
        buf_release(&b);
    }
    monitor_alert_list_release(&l);
    return http_reply_json(resp, 200, http_list_body(items, NULL));
}

/* ---- figures ----------------------------------------------------------------------------- */

static int aqi_hourly(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_aqi_figures f;
    const char *m = http_query(req, "method");
    enum monitor_hourly_method method = MONITOR_HOURLY_PUBLISHED;
    int64_t t;
    if (m && strcmp(m, "table4") == 0)
        method = MONITOR_HOURLY_TABLE4;
    else if (m && strcmp(m, "published"))
        return http_reply_problem(resp, APP_ERR_INVALID, "invalid_method", "method",
                                  "method 应为 published 或 table4");
    if (query_time(req, "time", 0, &t, &err) || monitor_aqi_hourly(req->db, t, method, &f, &err))
        return http_reply_error(resp, &err);
    json_t *o = figures_json(&f, false);
    json_object_set_new(o, "method",
                        json_string(method == MONITOR_HOURLY_TABLE4 ? "table4" : "published"));
    monitor_aqi_figures_release(&f);
    return http_reply_json(resp, 200, o);
}

static int aqi_daily(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_aqi_figures f;
    int64_t day;
    if (query_day(req, "date", today() - 1, &day, &err) ||
        monitor_aqi_daily(req->db, day, &f, &err))
        return http_reply_error(resp, &err);
    json_t *o = figures_json(&f, true);
    monitor_aqi_figures_release(&f);
    return http_reply_json(resp, 200, o);
}

static const char *const limit_names[] = {"GB 3095-2012", "GB 3095-2026 过渡期限值",
                                          "GB 3095-2026"};

static json_t *compliance_json(const struct monitor_compliance *c)
{
    json_t *params = json_array();
    for (int p = 0; p < MONITOR_POLLUTANT_COUNT; p++) {
        const struct monitor_annual_eval *e = &c->eval[p];
        int places = monitor_stat_places(p);
        json_t *o = json_pack("{s:s,s:i}", "pollutant", monitor_pollutant_name(p), "exceed_days",
                              c->exceed_days[p]);
        if (c->has_eval[p]) {
            json_object_set_new(o, "valid", json_boolean(e->valid));
            if (e->has_mean) {
                json_object_set_new(o, "mean", dec_json(e->mean, places));
                json_object_set_new(o, "mean_limit", dec_json(e->mean_limit, places));
            }
            json_object_set_new(o, "percentile", json_integer(e->percentile));
            json_object_set_new(o, "percentile_value", dec_json(e->pct_value, places));
            json_object_set_new(o, "percentile_limit", dec_json(e->pct_limit, places));
            json_object_set_new(o, "complies", json_boolean(e->complies));
        } else {
            json_object_set_new(o, "valid", json_false());
            json_object_set_new(o, "complies", json_false());
        }
        json_array_append_new(params, o);
    }
    json_t *o = json_pack(
        "{s:o,s:o,s:s,s:i,s:i,s:i,s:o,s:i,s:i,s:o,s:b}", "from", date_json(c->from_day), "to",
        date_json(c->to_day), "limits", limit_names[c->limits], "days", c->days, "valid_days",
        c->valid_days, "good_days", c->good_days, "good_share_percent",
        c->good_share >= 0 ? dec_json(c->good_share * 100000, 1) : json_null(), "days_2012",
        c->days_2012, "days_2026", c->days_2026, "parameters", params, "six_comply", c->six_comply);
    json_t *yoy = json_null();
    if (c->has_pm25_yoy)
        yoy = json_pack("{s:o,s:o,s:o,s:o}", "mean", dec_json(c->pm25_mean, 0), "previous_mean",
                        dec_json(c->pm25_prev_mean, 0), "change_percent",
                        dec_json(c->pm25_yoy * 100000, 1), "improvement_percent",
                        dec_json(-c->pm25_yoy * 100000, 1));
    json_object_set_new(o, "pm25_yoy", yoy);
    return o;
}

static int compliance(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_compliance c;
    int64_t from, to, t = today();
    if (query_day(req, "to", t - 1, &to, &err) || query_day(req, "from", to - 364, &from, &err) ||
        monitor_compliance_get(req->db, http_query(req, "station"), from, to, &c, &err))
        return http_reply_error(resp, &err);
    json_t *o = compliance_json(&c);
    json_object_set_new(o, "station",
                        http_query(req, "station") ? json_string(http_query(req, "station"))
                                                   : json_null());
    return http_reply_json(resp, 200, o);
}

static int noise(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_noise_figures f;
    int64_t day;
    if (query_day(req, "date", today() - 1, &day, &err) ||
        monitor_noise_get(req->db, day, &f, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < f.len; i++) {
        const struct monitor_noise_figure *n = &f.items[i];
        const struct monitor_noise_result *r = &n->result;
        json_t *o =
            json_pack("{s:s,s:s,s:s,s:o,s:i,s:i,s:i,s:i,s:b}", "station", n->station, "name",
                      n->name, "zone", monitor_noise_zone_name(n->zone), "date", date_json(n->day),
                      "day_hours", n->day_hours, "night_hours", n->night_hours, "day_limit",
                      r->day_limit, "night_limit", r->night_limit, "complies", r->complies);
        json_object_set_new(o, "ld", r->has_day ? json_real(r->ld / 10.0) : json_null());
        json_object_set_new(o, "ln", r->has_night ? json_real(r->ln / 10.0) : json_null());
        json_object_set_new(o, "day_ok", r->has_day ? json_boolean(r->day_ok) : json_null());
        json_object_set_new(o, "night_ok", r->has_night ? json_boolean(r->night_ok) : json_null());
        json_object_set_new(o, "day_excess", json_real(r->day_excess / 10.0));
        json_object_set_new(o, "night_excess", json_real(r->night_excess / 10.0));
        json_object_set_new(o, "night_lmax", r->has_lmax ? json_real(r->lmax / 10.0) : json_null());
        json_object_set_new(o, "night_lmax_ok",
                            r->has_lmax ? json_boolean(r->lmax_ok) : json_null());
        json_array_append_new(items, o);
    }
    monitor_noise_figures_release(&f);
    return http_reply_json(resp, 200,
                           json_pack("{s:o,s:s}", "items", items, "standard", "GB 3096-2008"));
}

static int water(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_water_figures f;
    int64_t day;
    if (query_day(req, "date", today(), &day, &err) || monitor_water_get(req->db, day, &f, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < f.len; i++) {
        const struct monitor_water_figure *w = &f.items[i];
        const struct monitor_water_result *r = &w->result;
        json_t *o =
            json_pack("{s:s,s:s,s:i,s:s}", "station", w->station, "name", w->name, "target_class",
                      r->target, "target_class_name", monitor_water_class_name(r->target));
        if (w->day < 0 || r->cls == 0) {
            json_object_set_new(o, "date", json_null());
            json_object_set_new(o, "class", json_null());
            json_array_append_new(items, o);
            continue;
        }
        json_t *deciding = json_array(), *values = json_object();
        for (size_t k = 0; k < r->len; k++) {
            const struct monitor_water_item_result *it = &r->items[k];
            if (r->deciding & (1u << it->item))
                json_array_append_new(deciding, json_string(monitor_water_item_name(it->item)));
            json_object_set_new(values, monitor_water_item_name(it->item),
                                json_pack("{s:o,s:s,s:b}", "value", dec_json(it->value, 3), "class",
                                          monitor_water_class_name(it->cls), "exceeds",
                                          it->exceeds));
        }
        json_object_set_new(o, "date", date_json(w->day));
        json_object_set_new(o, "class", json_integer(r->cls));
        json_object_set_new(o, "class_name", json_string(monitor_water_class_name(r->cls)));
        json_object_set_new(o, "grade", json_string(monitor_water_grade(r->cls)));
        json_object_set_new(o, "deciding", deciding);
        json_object_set_new(o, "meets_target", json_boolean(r->meets_target));
        json_object_set_new(o, "items", values);
        json_array_append_new(items, o);
    }
    monitor_water_figures_release(&f);
    return http_reply_json(resp, 200,
                           json_pack("{s:o,s:s}", "items", items, "standard", "GB 3838-2002"));
}

/* Series arguments: station, parameter, interval hour|day, from, to (default: the last day). */
static int read_series(struct http_request *req, struct monitor_series *s, bool *daily,
                       struct app_error *err)
{
    const char *iv = http_query(req, "interval");
    int64_t now = clock_now(), from, to;
    *daily = iv && strcmp(iv, "day") == 0;
    if (iv && !*daily && strcmp(iv, "hour"))
        return app_fail(err, APP_ERR_INVALID, "invalid_interval", "interval",
                        "interval 应为 hour 或 day");
    if (!http_query(req, "station"))
        return app_fail(err, APP_ERR_INVALID, "missing_field", "station", "缺少 station");
    if (query_time(req, "to", now + 1, &to, err) ||
        query_time(req, "from", to - (*daily ? 30 * 86400 : 86400), &from, err))
        return -1;
    return monitor_series_get(req->db, http_query(req, "station"), http_query(req, "parameter"),
                              *daily, from, to, s, err);
}

static int series(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_series s = {0};
    bool daily;
    if (read_series(req, &s, &daily, &err)) {
        monitor_series_release(&s);
        return http_reply_error(resp, &err);
    }
    json_t *items = json_array();
    for (size_t i = 0; i < s.len; i++)
        json_array_append_new(
            items, json_pack("{s:o,s:i,s:o,s:o,s:o}", daily ? "date" : "hour_end",
                             daily ? date_json(s.items[i].period) : time_json(s.items[i].period),
                             "n", s.items[i].n, "mean", dec_json(s.items[i].mean, 3), "min",
                             dec_json(s.items[i].min, 6), "max", dec_json(s.items[i].max, 6)));
    const char *average = monitor_noise_average_name(s.average);
    monitor_series_release(&s);
    return http_reply_json(resp, 200,
                           json_pack("{s:s,s:s,s:s,s:s,s:o}", "station", http_query(req, "station"),
                                     "parameter", http_query(req, "parameter"), "interval",
                                     daily ? "day" : "hour", "average", average, "items", items));
}

static int series_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct monitor_series s = {0};
    bool daily;
    if (read_series(req, &s, &daily, &err)) {
        monitor_series_release(&s);
        return http_reply_error(resp, &err);
    }
    struct buf b = BUF_INIT;
    char t[32], mean[48], lo[48], hi[48];
    /* 时段值: arithmetic mean, energy mean (sound levels) or maximum (Lmax), as 统计方式 says */
    static const char *const how[] = {"算术平均", "能量平均", "最大值"};
    buf_puts(&b, "\xEF\xBB\xBF站点,参数,时段,读数条数,时段值,最小值,最大值,统计方式\r\n");
    for (size_t i = 0; i < s.len; i++) {
        if (daily)
            clock_format_date(s.items[i].period * 86400, t, sizeof(t));
        else
            clock_format_local(s.items[i].period, t, sizeof(t));
        monitor_dec_format(monitor_dec_round(s.items[i].mean, 3), 3, mean, sizeof(mean));
        monitor_dec_format(s.items[i].min, 6, lo, sizeof(lo));
        monitor_dec_format(s.items[i].max, 6, hi, sizeof(hi));
        buf_put_csv(&b, http_query(req, "station"));
        buf_putc(&b, ',');
        buf_put_csv(&b, http_query(req, "parameter"));
        buf_printf(&b, ",%s,%d,%s,%s,%s,%s\r\n", t, s.items[i].n, mean, lo, hi, how[s.average]);
    }
    monitor_series_release(&s);
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
    http_set_header(resp, "Content-Disposition", "attachment; filename=\"monitor-series.csv\"");
    buf_release(&b);
    return 0;
}

const struct http_route monitor_routes[] = {
    {"GET", "/api/v1/stations", list_stations, 0, "monitor.read"},
    {"POST", "/api/v1/stations", create_station, 0, "monitor.write"},
    {"GET", "/api/v1/stations/{code}", get_station, 0, "monitor.read"},
    /* public to the gate: a station's device key is checked by the handler (sender_of) */
    {"POST", "/api/v1/readings", post_readings, HTTP_RAW_BODY | HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/alert-rules", list_rules, 0, "monitor.read"},
    {"POST", "/api/v1/alert-rules", create_rule, 0, "monitor.write"},
    {"PATCH", "/api/v1/alert-rules/{id}", patch_rule, 0, "monitor.write"},
    {"GET", "/api/v1/monitor/alerts", list_alerts, 0, "monitor.read"},
    {"GET", "/api/v1/monitor/aqi/current", aqi_hourly, 0, "monitor.read"}, /* = hourly, now */
    {"GET", "/api/v1/monitor/aqi/hourly", aqi_hourly, 0, "monitor.read"},
    {"GET", "/api/v1/monitor/aqi/daily", aqi_daily, 0, "monitor.read"},
    {"GET", "/api/v1/monitor/compliance", compliance, 0, "monitor.read"},
    {"GET", "/api/v1/monitor/noise", noise, 0, "monitor.read"},
    {"GET", "/api/v1/monitor/water", water, 0, "monitor.read"},
    {"GET", "/api/v1/monitor/series", series, 0, "monitor.read"},
    {"GET", "/api/v1/monitor/series.csv", series_csv, 0, "monitor.read"},
    {NULL, NULL, NULL, 0, NULL},
};
