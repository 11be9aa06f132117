/* The early-warning rules: their vocabularies, their validation, the pure functions that feed a
 * reading (threshold, rate of rise, consecutive readings, clearing with hysteresis) or a silence
 * (a stale station) to a rule, and the rule records. */
#include "monitor/monitor.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "monitor/monitor_internal.h"
#include "monitor/monitor_store.h"

atomic_ulong monitor_rules_gen = 1;

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
    struct monitor_param ps[8];
    int np = monitor_default_params(r->kind, ps, 8);
    for (int i = 0; i < np; i++)
        known |= strcmp(ps[i].name, r->parameter) == 0;
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
    atomic_fetch_add(&monitor_rules_gen, 1);
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
    atomic_fetch_add(&monitor_rules_gen, 1);
    return found ? 0 : app_fail(err, APP_ERR_NOT_FOUND, "rule_not_found", "id", "无此预警规则");
}
