/* Alerts: their JSON for the live stream, the event an open alert opens through the event
 * module (and the note a cleared one adds), publishing, and the retry of what could not be done
 * at once. */
#include "monitor/monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "monitor/dec.h"
#include "monitor/monitor_internal.h"
#include "monitor/monitor_store.h"

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
        monitor_dec_format_short(a->open_value, v, sizeof(v));
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
        monitor_dec_format_short(a->clear_value, v, sizeof(v));
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
        monitor_dec_format_short(a->open_value, v, sizeof(v));
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
        monitor_dec_format_short(a->clear_value, v, sizeof(v));
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

/* After commit: events and live messages for the alerts a transaction opened or cleared. */
void monitor_dispatch_actions(struct app *app, struct db *db, const struct alert_action *acts,
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

/* ---- alerts and the sweep ---------------------------------------------------------------- */

int monitor_alert_list(struct db *db, bool open_only, const char *station, long limit,
                       struct monitor_alert_list *out, struct app_error *err)
{
    return monitor_store_alert_list(db, open_only, false, station, limit, out, err);
}

/* Retry events of open alerts without one and notes of cleared alerts without one. */
void monitor_retry_pending(struct app *app, struct db *db)
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
