/* Orchestration of shared parking: lots and plans, booking under the capacity rule inside one
 * write transaction, cancellation, gate events with overstay alerts and the repeated-overstay
 * event, the search for free spaces near a destination and the figures. The rules themselves
 * are the pure functions of rules.c. */
#include "parking/parking.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "event/event.h"
#include "geo/geo.h"
#include "lifecircle/lifecircle.h"
#include "org/org.h"
#include "parking/parking_store.h"

#define MAX_DAYS 96 /* days of a window's calendar: a figures span of 92 days and its edges */

static int64_t day_of(int64_t t)
{
    int64_t x = t + CLOCK_CN_OFFSET;
    return x >= 0 ? x / 86400 : (x - 86399) / 86400;
}

/* Working-day flags for the days from day_of(from) - 1 to day_of(to). */
static int workdays(int64_t from, int64_t to, int64_t *first, bool *flags, size_t *n,
                    struct app_error *err)
{
    const struct calendar *cal = calendar_default();
    *first = day_of(from) - 1;
    int64_t last = day_of(to);
    *n = 0;
    for (int64_t d = *first; d <= last && *n < MAX_DAYS; d++) {
        bool w;
        if (calendar_is_workday(cal, d, &w, err))
            return -1;
        flags[(*n)++] = w;
    }
    return 0;
}

static void sha256_hex(const char *s, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(hex, 65, h, sizeof(h));
}

static void new_secret(const char *prefix, char *out, size_t size)
{
    unsigned char raw[32];
    size_t p = strlen(prefix);
    randombytes_buf(raw, sizeof(raw));
    snprintf(out, size, "%s", prefix);
    sodium_bin2base64(out + p, size - p, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

static bool in_scope(const struct auth_principal *who, const char *action, const char *grid)
{
    return who && auth_may(who, action) && auth_region_in_scope(who, grid);
}

static const char *scope_of(const struct auth_principal *who)
{
    const char *s = auth_scope_region(who);
    return s ? s : "";
}

static void booking_text(const struct parking_booking *b, char *out, size_t n)
{
    snprintf(out, n, "lot=%s;plan=%lld;plate=%s;from=%lld;to=%lld;status=%s;in=%lld;out=%lld",
             b->lot_code, (long long)b->plan_id, b->plate, (long long)b->start, (long long)b->end,
             parking_status_name(b->status), (long long)b->in_at, (long long)b->out_at);
}

static int audit_booking(struct db *db, const struct auth_principal *who, const char *action,
                         const struct parking_booking *b, const char *before,
                         const char *request_id, struct app_error *err)
{
    char id[24], after[512];
    snprintf(id, sizeof(id), "%lld", (long long)b->id);
    booking_text(b, after, sizeof(after));
    struct audit_entry e = {.actor = who,
                            .action = action,
                            .object_type = "parking_booking",
                            .object_id = id,
                            .request_id = request_id,
                            .before = before,
                            .after = after,
                            .region = b->grid};
    return audit_append(db, &e, err);
}

/* A booked booking whose car did not come within the grace period reads as no-show. */
static void effective_status(struct parking_booking *b, int64_t now)
{
    if (b->status == PARKING_BOOKED && now > b->start + PARKING_GRACE_S)
        b->status = PARKING_NO_SHOW;
}

/* ---- lots and plans ----------------------------------------------------------------------- */

int parking_lot_create(struct app *app, struct db *db, const struct auth_principal *who,
                       struct parking_lot *lot, const char *request_id, struct app_error *err)
{
    if (!lot->code[0] || strlen(lot->code) > 20)
        return app_fail(err, APP_ERR_INVALID, "required", "code", "缺少停车场编号 (至多20字符)");
    if (!lot->name[0])
        return app_fail(err, APP_ERR_INVALID, "required", "name", "缺少停车场名称");
    if ((unsigned)lot->kind >= PARKING_KIND_COUNT)
        return app_fail(err, APP_ERR_INVALID, "bad_kind", "kind", "未知停车场类型");
    if (lot->capacity < 1 || lot->capacity > 100000)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "capacity", "车位数应为 1–100000");
    struct org_location loc;
    if (org_locate(app, db, lot->lon, lot->lat, &loc, err)) {
        if (err && err->code == APP_ERR_NOT_FOUND)
            return app_fail(err, APP_ERR_INVALID, "outside_district", "lon",
                            "该位置不在辖区网格内");
        return -1;
    }
    snprintf(lot->grid, sizeof(lot->grid), "%s", loc.grid.code);
    snprintf(lot->street, sizeof(lot->street), "%s", loc.street.code);
    org_location_release(&loc);
    if (who && !in_scope(who, "parking.manage", lot->grid))
        return app_fail(err, APP_ERR_NOT_FOUND, "outside_scope", "lon", "该位置不在您的辖区内");
    if (lot->entrance_lon == 0 && lot->entrance_lat == 0) {
        lot->entrance_lon = lot->lon;
        lot->entrance_lat = lot->lat;
    }
    char after[512];
    snprintf(after, sizeof(after), "code=%s;name=%s;kind=%s;grid=%s;capacity=%d;owner=%s",
             lot->code, lot->name, parking_kind_name(lot->kind), lot->grid, lot->capacity,
             lot->owner);
    if (db_begin(db, err))
        return -1;
    struct audit_entry e = {.actor = who,
                            .action = "parking.lot_create",
                            .object_type = "parking_lot",
                            .object_id = lot->code,
                            .request_id = request_id,
                            .after = after,
                            .region = lot->grid};
    if (parking_store_lot_insert(db, lot, clock_now(), &lot->id, err)) {
        if (err && err->code == APP_ERR_CONFLICT)
            app_fail(err, APP_ERR_CONFLICT, "lot_exists", "code", "停车场编号已存在");
        goto fail;
    }
    if (audit_append(db, &e, err))
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int parking_lot_get(struct db *db, const char *code, struct parking_lot *out, struct app_error *err)
{
    bool found = false;
    if (parking_store_lot_get(db, code ? code : "", 0, out, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_lot", "lot", "未知停车场");
    return 0;
}

int parking_lot_list(struct db *db, struct parking_lot_list *out, struct app_error *err)
{
    return parking_store_lot_list(db, out, err);
}

int parking_plan_list(struct db *db, int64_t lot_id, struct parking_plan_list *out,
                      struct app_error *err)
{
    return parking_store_plan_list(db, lot_id, out, err);
}

int parking_plan_create(struct db *db, const struct auth_principal *who,
                        const struct parking_plan_input *in, const char *request_id,
                        struct parking_plan *out, struct app_error *err)
{
    struct parking_lot lot;
    struct parking_window w[PARKING_MAX_WINDOWS];
    struct parking_plan_list plans = {0};
    char(*plates)[16] = NULL;
    int nw, ret = -1;
    if (parking_lot_get(db, in->lot, &lot, err))
        return -1;
    if (who && !in_scope(who, "parking.manage", lot.grid))
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_lot", "lot", "未知停车场");
    if (parking_windows_parse(in->windows, w, &nw, "windows", err))
        return -1;
    if (in->price_fen < 0 || in->price_fen > 100000)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "price_fen",
                        "每小时价格应为 0–1000 元");
    const char *aud = in->audience && *in->audience ? in->audience : "public";
    if (strcmp(aud, "public") && strcmp(aud, "members"))
        return app_fail(err, APP_ERR_INVALID, "bad_audience", "audience",
                        "开放对象应为 public (公众) 或 members (指定车辆)");
    if (!strcmp(aud, "members") && !in->nmembers)
        return app_fail(err, APP_ERR_INVALID, "required", "members", "指定车辆的计划须列出车牌");
    if (in->nmembers > 5000)
        return app_fail(err, APP_ERR_INVALID, "too_many", "members", "至多 5000 个车牌");
    plates = xcalloc(in->nmembers + 1, sizeof(*plates));
    for (size_t i = 0; i < in->nmembers; i++)
        if (parking_plate_normalize(in->members[i], plates[i], sizeof(plates[i]), err)) {
            snprintf(err->field, sizeof(err->field), "members[%zu]", i);
            goto out;
        }
    memset(out, 0, sizeof(*out));
    out->lot_id = lot.id;
    out->spaces = in->spaces;
    parking_windows_format(w, nw, out->windows, sizeof(out->windows));
    out->price_fen = in->price_fen;
    snprintf(out->audience, sizeof(out->audience), "%s", aud);
    snprintf(out->audience_label, sizeof(out->audience_label), "%s",
             in->audience_label ? in->audience_label : "");
    out->active = true;
    if (db_begin(db, err))
        goto out;
    if (parking_store_plan_list(db, lot.id, &plans, err))
        goto fail;
    int used = 0;
    for (size_t i = 0; i < plans.len; i++)
        used += plans.items[i].spaces;
    /* The shared spaces of one lot's plans cannot exceed the spaces it has. */
    if (in->spaces < 1 || used + in->spaces > lot.capacity) {
        app_fail(err, APP_ERR_INVALID, "over_capacity", "spaces",
                 "共享车位应为 1–%d (停车场共 %d 个，已共享 %d 个)", lot.capacity - used,
                 lot.capacity, used);
        goto fail;
    }
    if (parking_store_plan_insert(db, out, clock_now(), &out->id, err))
        goto fail;
    for (size_t i = 0; i < in->nmembers; i++)
        if (parking_store_member_insert(db, out->id, plates[i], err))
            goto fail;
    char id[24], after[512];
    snprintf(id, sizeof(id), "%lld", (long long)out->id);
    snprintf(after, sizeof(after), "lot=%s;spaces=%d;windows=%s;price=%d;audience=%s;members=%zu",
             lot.code, out->spaces, out->windows, out->price_fen, out->audience, in->nmembers);
    struct audit_entry e = {.actor = who,
                            .action = "parking.plan_create",
                            .object_type = "parking_plan",
                            .object_id = id,
                            .request_id = request_id,
                            .after = after,
                            .region = lot.grid};
    if (audit_append(db, &e, err) || db_commit(db, err))
        goto fail;
    ret = 0;
    goto out;
fail:
    db_rollback(db);
out:
    free(plans.items);
    free(plates);
    return ret;
}

/* ---- the capacity check ------------------------------------------------------------------- */

/* Spaces of plan p free over all of [from, to) at now, given the bookings b[0..nb) that may hold
 * one of its spaces: 0 when its windows do not cover the window. */
static int plan_free_of(const struct parking_plan *p, int64_t first_day, const bool *wd,
                        size_t ndays, int64_t from, int64_t to, int64_t now,
                        const struct parking_booking *b, size_t nb, bool *offered,
                        struct app_error *err)
{
    struct parking_window w[PARKING_MAX_WINDOWS];
    struct parking_interval iv[64];
    int nw;
    *offered = false;
    if (parking_windows_parse(p->windows, w, &nw, "windows", err))
        return -1;
    size_t n = parking_offered(w, nw, first_day, wd, ndays, from, to, iv, 64);
    if (!parking_covered(iv, n, from, to))
        return 0;
    *offered = true;
    struct parking_interval *busy = xcalloc(nb + 1, sizeof(*busy));
    size_t k = 0;
    for (size_t i = 0; i < nb; i++)
        if (parking_holds(b[i].status, b[i].start, b[i].end, b[i].out_at, now, &busy[k]))
            k++;
    int peak = parking_peak(busy, k, from, to);
    free(busy);
    return p->spaces > peak ? p->spaces - peak : 0;
}

/* The same, reading the plan's bookings from the store. */
static int plan_free(struct db *db, const struct parking_plan *p, int64_t first_day,
                     const bool *wd, size_t ndays, int64_t from, int64_t to, int64_t now,
                     bool *offered, struct app_error *err)
{
    struct parking_booking_list l = {0};
    if (parking_store_plan_holding(db, p->id, from, to, &l, err))
        return -1;
    int f = plan_free_of(p, first_day, wd, ndays, from, to, now, l.items, l.len, offered, err);
    free(l.items);
    return f;
}

int parking_book(struct app *app, struct db *db, const struct auth_principal *who,
                 const struct parking_booking_input *in, const char *request_id,
                 struct parking_booking *out, char *token_out, struct app_error *err)
{
    (void)app;
    struct parking_lot lot;
    struct parking_plan_list plans = {0};
    bool wd[MAX_DAYS];
    int64_t first, now = clock_now(), from = in->from, to = in->to;
    size_t nd;
    char plate[16], token[64], hash[65];
    int ret = -1;
    if (!in->lot || !*in->lot)
        return app_fail(err, APP_ERR_INVALID, "required", "lot", "缺少停车场");
    if (parking_plate_normalize(in->plate, plate, sizeof(plate), err) ||
        parking_window_check(&from, &to, now, err) || workdays(from, to, &first, wd, &nd, err))
        return -1;
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    new_secret("", token, sizeof(token));
    sha256_hex(token, hash);
    /* The check and the insert in one write transaction (BEGIN IMMEDIATE): a parallel request
     * for the last space waits here and then sees this booking. */
    if (db_begin(db, err))
        return -1;
    bool found = false, busy = false, offered_any = false;
    if (parking_store_lot_get(db, in->lot, 0, &lot, &found, err))
        goto fail;
    if (!found) {
        app_fail(err, APP_ERR_NOT_FOUND, "unknown_lot", "lot", "未知停车场");
        goto fail;
    }
    if (parking_store_plate_busy(db, plate, from, to, &busy, err))
        goto fail;
    if (busy) {
        app_fail(err, APP_ERR_CONFLICT, "plate_busy", "plate", "该车辆在这段时间已有预约");
        goto fail;
    }
    if (parking_store_plan_list(db, lot.id, &plans, err))
        goto fail;
    const struct parking_plan *chosen = NULL;
    for (size_t i = 0; i < plans.len && !chosen; i++) {
        const struct parking_plan *p = &plans.items[i];
        if (!strcmp(p->audience, "members")) {
            bool member = false;
            if (parking_store_member_has(db, p->id, plate, &member, err))
                goto fail;
            if (!member)
                continue;
        }
        bool offered;
        int free = plan_free(db, p, first, wd, nd, from, to, now, &offered, err);
        if (free < 0)
            goto fail;
        offered_any |= offered;
        if (free > 0)
            chosen = p;
    }
    if (!chosen) {
        if (offered_any)
            app_fail(err, APP_ERR_CONFLICT, "full", "from", "该时段共享车位已约满");
        else
            app_fail(err, APP_ERR_CONFLICT, "not_offered", "from", "该时段不在共享时段内");
        goto fail;
    }
    memset(out, 0, sizeof(*out));
    out->lot_id = lot.id;
    out->plan_id = chosen->id;
    snprintf(out->lot_code, sizeof(out->lot_code), "%s", lot.code);
    snprintf(out->lot_name, sizeof(out->lot_name), "%s", lot.name);
    snprintf(out->grid, sizeof(out->grid), "%s", lot.grid);
    snprintf(out->plate, sizeof(out->plate), "%s", plate);
    out->start = from;
    out->end = to;
    out->status = PARKING_BOOKED;
    out->created_at = now;
    out->price_fen = chosen->price_fen;
    out->synthetic = in->synthetic;
    if (parking_store_booking_insert(db, out, hash, who ? who->user_id : 0, &out->id, err) ||
        audit_booking(db, who, "parking.book", out, NULL, request_id, err) || db_commit(db, err))
        goto fail;
    if (token_out)
        snprintf(token_out, 44, "%s", token);
    ret = 0;
    goto out;
fail:
    db_rollback(db);
out:
    sodium_memzero(token, sizeof(token));
    free(plans.items);
    return ret;
}

static int booking_load(struct db *db, const struct auth_principal *who, const char *action,
                        int64_t id, const char *token, struct parking_booking *out,
                        struct app_error *err)
{
    char hash[65] = "", given[65];
    bool found = false;
    if (parking_store_booking_get(db, id, out, hash, &found, err))
        return -1;
    bool ok = false;
    if (found && token && *token && hash[0]) {
        sha256_hex(token, given);
        ok = sodium_memcmp(given, hash, 64) == 0;
    }
    if (found && !ok)
        ok = in_scope(who, action, out->grid);
    if (!ok)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_booking", "id", "未找到该预约");
    return 0;
}

int parking_booking_get(struct db *db, const struct auth_principal *who, int64_t id,
                        const char *token, struct parking_booking *out, struct app_error *err)
{
    if (booking_load(db, who, "parking.bookings", id, token, out, err))
        return -1;
    effective_status(out, clock_now());
    return 0;
}

int parking_cancel(struct db *db, const struct auth_principal *who, int64_t id, const char *token,
                   const char *request_id, struct parking_booking *out, struct app_error *err)
{
    char before[512];
    if (db_begin(db, err))
        return -1;
    if (booking_load(db, who, "parking.manage", id, token, out, err) ||
        parking_cancel_check(out->status, out->start, clock_now(), err))
        goto fail;
    booking_text(out, before, sizeof(before));
    out->status = PARKING_CANCELLED;
    if (parking_store_booking_update(db, out, err) ||
        audit_booking(db, who, "parking.cancel", out, before, request_id, err) ||
        db_commit(db, err))
        goto fail;
    return 0;
fail:
    db_rollback(db);
    return -1;
}

int parking_booking_list(struct db *db, const struct auth_principal *who, const char *lot,
                         int64_t from, int64_t to, long limit, struct parking_booking_list *out,
                         struct app_error *err)
{
    if (parking_store_booking_list(db, scope_of(who), lot, from, to, limit, out, err))
        return -1;
    int64_t now = clock_now();
    for (size_t i = 0; i < out->len; i++)
        effective_status(&out->items[i], now);
    return 0;
}

/* ---- gate --------------------------------------------------------------------------------- */

int parking_gate_key_issue(struct db *db, const struct auth_principal *who, const char *lot_code,
                           const char *request_id, char *key_out, struct app_error *err)
{
    struct parking_lot lot;
    char hash[65];
    if (parking_lot_get(db, lot_code, &lot, err))
        return -1;
    if (who && !in_scope(who, "parking.manage", lot.grid))
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_lot", "lot", "未知停车场");
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    new_secret("zpk_", key_out, PARKING_KEY_LEN + 1);
    sha256_hex(key_out, hash);
    struct audit_entry e = {.actor = who,
                            .action = "parking.gate_key_issue",
                            .object_type = "parking_lot",
                            .object_id = lot.code,
                            .request_id = request_id,
                            .region = lot.grid};
    if (db_begin(db, err))
        return -1;
    if (parking_store_key_insert(db, lot.id, hash, clock_now(), err) || audit_append(db, &e, err) ||
        db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int parking_gate_key_identify(struct db *db, const char *key, int64_t *lot_id,
                              struct app_error *err)
{
    char hash[65];
    bool found = false;
    if (!key || strlen(key) != PARKING_KEY_LEN || strncmp(key, "zpk_", 4) || sodium_init() < 0)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "invalid_device_key", NULL, "设备密钥无效");
    sha256_hex(key, hash);
    if (parking_store_key_find(db, hash, lot_id, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "invalid_device_key", NULL,
                        "设备密钥无效或已吊销");
    return 0;
}

/* The PARKING_OVERSTAY_REPEAT-th overstay: an event 机动车乱停放 (1503) for the lot's grid, one
 * open event per lot (a later one joins it as a note). */
static void overstay_event(struct app *app, struct db *db, const struct parking_lot *lot,
                           const char *plate, int64_t n, int64_t alert_id, char *code, size_t size)
{
    struct app_error err = {0};
    char title[256], desc[512], station[48], masked[32];
    parking_plate_mask(plate, masked, sizeof(masked));
    snprintf(title, sizeof(title), "共享车位多次超时占用：%s", lot->name);
    snprintf(desc, sizeof(desc), "车辆 %s 在 %d 天内第 %lld 次超时未离开共享车位 (%s)，请核查。",
             masked, PARKING_OVERSTAY_SPAN / 86400, (long long)n, lot->entrance);
    snprintf(station, sizeof(station), "parking:%s", lot->code);
    struct event_sensor_alert a = {.category = "1503",
                                   .title = title,
                                   .description = desc,
                                   .lon = lot->lon,
                                   .lat = lot->lat,
                                   .grid = lot->grid,
                                   .urgency = -1,
                                   .station = station};
    if (event_open_sensor_alert(app, db, &a, code, &err)) {
        log_warn("parking: overstay event for %s not opened: %s", lot->code, err.message);
        code[0] = '\0';
        return;
    }
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)alert_id);
    struct audit_entry e = {.action = "parking.alert_event",
                            .object_type = "parking_alert",
                            .object_id = id,
                            .after = code,
                            .region = lot->grid};
    if (db_begin(db, &err))
        return;
    if (parking_store_alert_set_event(db, alert_id, code, &err) || audit_append(db, &e, &err) ||
        db_commit(db, &err)) {
        db_rollback(db);
        log_warn("parking: alert %lld not linked to %s: %s", (long long)alert_id, code,
                 err.message);
    }
    (void)size;
}

int parking_gate_event(struct app *app, struct db *db, const struct auth_principal *who,
                       const struct parking_gate_input *in, const char *request_id,
                       struct parking_gate_result *out, struct app_error *err)
{
    struct parking_lot lot;
    struct parking_booking b;
    char plate[16], before[512] = "";
    bool found = false;
    int64_t now = clock_now(), at = in->at ? in->at : now, overstays = 0, alert_id = 0;
    memset(out, 0, sizeof(*out));
    if (in->lot_id) {
        if (parking_store_lot_get(db, NULL, in->lot_id, &lot, &found, err))
            return -1;
        if (!found)
            return app_fail(err, APP_ERR_NOT_FOUND, "unknown_lot", "lot", "未知停车场");
    } else {
        if (parking_lot_get(db, in->lot, &lot, err))
            return -1;
        if (who && !in_scope(who, "parking.gate", lot.grid))
            return app_fail(err, APP_ERR_NOT_FOUND, "unknown_lot", "lot", "未知停车场");
    }
    if (parking_plate_normalize(in->plate, plate, sizeof(plate), err))
        return -1;
    bool entering = in->direction && !strcmp(in->direction, "in");
    if (!entering && !(in->direction && !strcmp(in->direction, "out")))
        return app_fail(err, APP_ERR_INVALID, "bad_direction", "direction",
                        "方向应为 in (入场) 或 out (出场)");
    if (at > now + 300)
        return app_fail(err, APP_ERR_INVALID, "in_future", "at", "识别时间晚于当前时间");
    if (db_begin(db, err))
        return -1;
    if (entering) {
        if (parking_store_booking_arriving(db, lot.id, plate, at - PARKING_GRACE_S,
                                           at + PARKING_GRACE_S, &b, &found, err))
            goto fail;
        if (found && parking_arrival_matches(b.start, at)) {
            booking_text(&b, before, sizeof(before));
            b.status = PARKING_CHECKED_IN;
            b.in_at = at;
        } else {
            found = false;
        }
    } else {
        if (parking_store_booking_inside(db, lot.id, plate, &b, &found, err))
            goto fail;
        if (found) {
            booking_text(&b, before, sizeof(before));
            b.status = PARKING_COMPLETED;
            b.out_at = at;
            b.overstay_minutes = parking_overstay_minutes(b.end, at);
        }
    }
    if (found) {
        b.synthetic = b.synthetic || in->synthetic;
        if (parking_store_booking_update(db, &b, err) ||
            audit_booking(db, who, entering ? "parking.check_in" : "parking.check_out", &b, before,
                          request_id, err))
            goto fail;
        out->booking_id = b.id;
        out->status = b.status;
        out->overstay_minutes = b.overstay_minutes;
        if (b.overstay_minutes > 0) {
            if (parking_store_alert_insert(db, &b, b.overstay_minutes, at, &alert_id, err) ||
                parking_store_overstays_since(db, plate, at - PARKING_OVERSTAY_SPAN, &overstays,
                                              err))
                goto fail;
            out->alert = true;
        }
    }
    if (parking_store_gate_insert(db, lot.id, plate, entering ? "in" : "out", at, found ? b.id : 0,
                                  in->synthetic, &out->event_id, err))
        goto fail;
    char id[24], after[160];
    snprintf(id, sizeof(id), "%lld", (long long)out->event_id);
    snprintf(after, sizeof(after), "lot=%s;plate=%s;direction=%s;at=%lld;booking=%lld", lot.code,
             plate, entering ? "in" : "out", (long long)at, (long long)out->booking_id);
    struct audit_entry e = {.actor = who,
                            .action = "parking.gate_event",
                            .object_type = "parking_gate_event",
                            .object_id = id,
                            .request_id = request_id,
                            .after = after,
                            .region = lot.grid};
    if (audit_append(db, &e, err) || db_commit(db, err))
        goto fail;
    if (out->alert && overstays >= PARKING_OVERSTAY_REPEAT)
        overstay_event(app, db, &lot, plate, overstays, alert_id, out->event_code,
                       sizeof(out->event_code));
    return 0;
fail:
    db_rollback(db);
    return -1;
}

int parking_alert_list(struct db *db, const struct auth_principal *who, long limit,
                       struct parking_alert_list *out, struct app_error *err)
{
    return parking_store_alert_list(db, scope_of(who), limit, out, err);
}

/* ---- availability ------------------------------------------------------------------------- */

static int cmp_walk(const void *a, const void *b)
{
    const struct parking_free *x = a, *y = b;
    if (x->walk_minutes != y->walk_minutes)
        return x->walk_minutes < y->walk_minutes ? -1 : 1;
    return x->distance_m < y->distance_m ? -1 : x->distance_m > y->distance_m ? 1 : 0;
}

static int cmp_free(const void *a, const void *b)
{
    const struct parking_free *x = a, *y = b;
    if (x->distance_m != y->distance_m)
        return x->distance_m < y->distance_m ? -1 : 1;
    return strcmp(x->lot.code, y->lot.code);
}

/* Free spaces of the public plans among plans[lo, hi) over [from, to); *price the lowest. The
 * plans' bookings come from hold (sorted by plan id) when given, else from the store. */
static int lot_public_free(struct db *db, const struct parking_plan *plans, size_t lo, size_t hi,
                           int64_t first, const bool *wd, size_t nd, int64_t from, int64_t to,
                           int64_t now, const struct parking_booking_list *hold, int *nfree,
                           int *price, struct app_error *err)
{
    *nfree = 0;
    *price = -1;
    for (size_t k = lo; k < hi; k++) {
        if (strcmp(plans[k].audience, "public"))
            continue;
        bool offered;
        int f;
        if (hold) {
            /* the plan's run in hold: binary search for its first row */
            size_t a = 0, b = hold->len;
            while (a < b) {
                size_t m = a + (b - a) / 2;
                if (hold->items[m].plan_id < plans[k].id)
                    a = m + 1;
                else
                    b = m;
            }
            size_t e = a;
            while (e < hold->len && hold->items[e].plan_id == plans[k].id)
                e++;
            f = plan_free_of(&plans[k], first, wd, nd, from, to, now, hold->items + a, e - a,
                             &offered, err);
        } else {
            f = plan_free(db, &plans[k], first, wd, nd, from, to, now, &offered, err);
        }
        if (f < 0)
            return -1;
        if (f > 0) {
            *nfree += f;
            if (*price < 0 || plans[k].price_fen < *price)
                *price = plans[k].price_fen;
        }
    }
    return 0;
}

int parking_availability(struct app *app, struct db *db, double lon, double lat, int64_t from,
                         int64_t to, double radius_m, long limit, struct parking_free_list *out,
                         struct app_error *err)
{
    struct parking_lot_list lots = {0};
    struct parking_plan_list plans = {0};
    struct parking_booking_list hold = {0};
    bool wd[MAX_DAYS];
    int64_t first, now = clock_now();
    size_t nd;
    int ret = -1;
    if (!(lon >= 73 && lon <= 136))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "lon", "经度超出范围");
    if (!(lat >= 3 && lat <= 54))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "lat", "纬度超出范围");
    if (!(radius_m > 0 && radius_m <= 20000))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "radius", "范围应为 1–20000 米");
    if (parking_window_check(&from, &to, now, err) || workdays(from, to, &first, wd, &nd, err))
        return -1;
    if (parking_store_lot_list(db, &lots, err) || parking_store_plan_list(db, 0, &plans, err) ||
        parking_store_window_holding(db, from, to, &hold, err))
        goto out;
    struct geo_point dest = {lon, lat};
    for (size_t i = 0; i < lots.len; i++) {
        const struct parking_lot *l = &lots.items[i];
        double d = geo_distance_m(dest, (struct geo_point){l->entrance_lon, l->entrance_lat});
        if (d > radius_m)
            continue;
        /* plans are ordered by lot: this lot's run by binary search */
        size_t lo = 0, hi = plans.len;
        while (lo < hi) {
            size_t m = lo + (hi - lo) / 2;
            if (plans.items[m].lot_id < l->id)
                lo = m + 1;
            else
                hi = m;
        }
        for (hi = lo; hi < plans.len && plans.items[hi].lot_id == l->id; hi++)
            ;
        int free, price;
        if (lot_public_free(db, plans.items, lo, hi, first, wd, nd, from, to, now, &hold, &free,
                            &price, err))
            goto out;
        if (free <= 0)
            continue;
        if (out->len == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 16;
            out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
        }
        struct parking_free *f = &out->items[out->len++];
        f->lot = *l;
        f->free = free;
        f->price_fen = price;
        f->distance_m = d;
        f->walk_minutes = parking_walk_minutes(d);
    }
    qsort(out->items, out->len, sizeof(*out->items), cmp_free);
    if (limit > 0 && out->len > (size_t)limit)
        out->len = (size_t)limit;
    /* Yuzhong is steep: where the walking network is loaded, the nearest lots are ranked by the
     * minutes of the walk itself (stairs and slopes), not by the straight line. */
    size_t routed = out->len < PARKING_ROUTED ? out->len : PARKING_ROUTED, nrouted = 0;
    for (size_t i = 0; i < routed; i++) {
        struct lifecircle_route_result rr;
        struct app_error e2 = {0};
        struct parking_free *f = &out->items[i];
        if (lifecircle_route(LC_PROFILE_WALK, f->lot.entrance_lon, f->lot.entrance_lat, lon, lat,
                             &rr, &e2))
            continue;
        f->walk_minutes = (int)ceil(rr.minutes) < 1 ? 1 : (int)ceil(rr.minutes);
        f->walk_network = true;
        nrouted++;
    }
    if (nrouted == routed && routed > 1)
        qsort(out->items, routed, sizeof(*out->items), cmp_walk);
    if (out->len == 0) {
        /* unmet demand: counted per grid of the destination (a statistic, not audited) */
        struct org_location loc;
        struct app_error e2 = {0};
        if (org_locate(app, db, lon, lat, &loc, &e2) == 0) {
            if (parking_store_unmet_bump(db, loc.grid.code, day_of(from), &e2))
                log_warn("parking: unmet demand not counted: %s", e2.message);
            org_location_release(&loc);
        }
    }
    ret = 0;
out:
    free(lots.items);
    free(plans.items);
    free(hold.items);
    return ret;
}

int parking_lot_free(struct db *db, int64_t lot_id, int64_t from, int64_t to, int *nfree,
                     struct app_error *err)
{
    struct parking_plan_list plans = {0};
    bool wd[MAX_DAYS];
    int64_t first;
    size_t nd;
    int price;
    *nfree = 0;
    if (to <= from || workdays(from, to, &first, wd, &nd, err) ||
        parking_store_plan_list(db, lot_id, &plans, err))
        return to <= from ? 0 : -1;
    int rc = lot_public_free(db, plans.items, 0, plans.len, first, wd, nd, from, to, clock_now(),
                             NULL, nfree, &price, err);
    free(plans.items);
    return rc;
}

/* ---- figures ------------------------------------------------------------------------------ */

/* Add the minutes of [s, e) (times mult) to by_hour[local hour]. */
static void add_by_hour(double *by_hour, int64_t s, int64_t e, double mult)
{
    while (s < e) {
        int64_t local = s + CLOCK_CN_OFFSET;
        int64_t hour_end = s + (3600 - ((local % 3600) + 3600) % 3600);
        int64_t t = hour_end < e ? hour_end : e;
        int h = (int)(((local / 3600) % 24 + 24) % 24);
        by_hour[h] += (double)(t - s) / 60.0 * mult;
        s = t;
    }
}

/* Minutes of [s, e) that lie inside the sorted intervals iv, added by hour (also to *total). */
static void add_inside(double *by_hour, const struct parking_interval *iv, size_t n, int64_t s,
                       int64_t e, int64_t *total)
{
    for (size_t i = 0; i < n; i++) {
        int64_t a = s > iv[i].start ? s : iv[i].start, b = e < iv[i].end ? e : iv[i].end;
        if (a < b) {
            add_by_hour(by_hour, a, b, 1.0);
            *total += (b - a) / 60;
        }
    }
}

int parking_figures(struct db *db, const struct auth_principal *who, int64_t from, int64_t to,
                    struct parking_figures *f, struct app_error *err)
{
    struct parking_lot_list lots = {0};
    struct parking_plan_list plans = {0};
    struct parking_booking_list bk = {0};
    struct parking_interval *iv = NULL;
    bool wd[MAX_DAYS];
    int64_t first, now = clock_now();
    size_t nd;
    int ret = -1;
    const char *scope = scope_of(who);
    memset(f, 0, sizeof(*f));
    if (to <= from)
        return app_fail(err, APP_ERR_INVALID, "bad_window", "to", "结束须晚于开始");
    if (to - from > 92 * 86400)
        return app_fail(err, APP_ERR_INVALID, "too_long", "to", "统计区间至多 92 天");
    f->from = from;
    f->to = to;
    if (workdays(from, to, &first, wd, &nd, err) || parking_store_lot_list(db, &lots, err) ||
        parking_store_plan_list(db, 0, &plans, err) ||
        parking_store_span_bookings(db, scope, from, to, &bk, err))
        goto out;
    size_t maxiv = (nd + 1) * PARKING_MAX_WINDOWS;
    iv = xcalloc(maxiv, sizeof(*iv));
    double offered_h[24] = {0}, used_h[24] = {0};
    int64_t offered_all = 0, used_all = 0, completed_all = 0, spaces_all = 0;
    for (size_t i = 0; i < lots.len; i++) {
        const struct parking_lot *l = &lots.items[i];
        if (!org_code_within(l->grid, scope))
            continue;
        if (f->nlots == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 16;
            f->lots = xrealloc(f->lots, f->cap * sizeof(*f->lots));
        }
        struct parking_lot_figures *lf = &f->lots[f->nlots++];
        memset(lf, 0, sizeof(*lf));
        snprintf(lf->lot, sizeof(lf->lot), "%s", l->code);
        snprintf(lf->name, sizeof(lf->name), "%s", l->name);
        snprintf(lf->grid, sizeof(lf->grid), "%s", l->grid);
        lf->kind = l->kind;
        double lo_h[24] = {0}, lu_h[24] = {0};
        for (size_t k = 0; k < plans.len; k++) {
            const struct parking_plan *p = &plans.items[k];
            if (p->lot_id != l->id)
                continue;
            struct parking_window w[PARKING_MAX_WINDOWS];
            int nw;
            if (parking_windows_parse(p->windows, w, &nw, "windows", err))
                goto out;
            size_t n = parking_offered(w, nw, first, wd, nd, from, to, iv, maxiv);
            lf->shared_spaces += p->spaces;
            for (size_t j = 0; j < n; j++) {
                add_by_hour(lo_h, iv[j].start, iv[j].end, p->spaces);
                lf->offered_space_min += (iv[j].end - iv[j].start) / 60 * p->spaces;
            }
            for (size_t j = 0; j < bk.len; j++) {
                struct parking_booking *b = &bk.items[j];
                if (b->plan_id != p->id)
                    continue;
                effective_status(b, now);
                if (b->start >= from && b->start < to && b->status != PARKING_CANCELLED) {
                    lf->bookings++;
                    lf->completed += b->status == PARKING_COMPLETED;
                    lf->no_shows += b->status == PARKING_NO_SHOW;
                    lf->overstays += b->overstay_minutes > 0;
                }
                if (!b->in_at)
                    continue;
                int64_t e = b->out_at ? b->out_at : (now < b->end ? now : b->end);
                add_inside(lu_h, iv, n, b->in_at, e, &lf->used_space_min);
            }
        }
        for (int h = 0; h < 24; h++) {
            lf->occupancy_by_hour[h] = lo_h[h] > 0 ? lu_h[h] / lo_h[h] : 0;
            offered_h[h] += lo_h[h];
            used_h[h] += lu_h[h];
        }
        offered_all += lf->offered_space_min;
        used_all += lf->used_space_min;
        completed_all += lf->completed;
        spaces_all += lf->shared_spaces;
    }
    for (int h = 0; h < 24; h++)
        f->occupancy_by_hour[h] = offered_h[h] > 0 ? used_h[h] / offered_h[h] : 0;
    f->share_rate = offered_all > 0 ? (double)used_all / (double)offered_all : 0;
    double days = (double)(to - from) / 86400.0;
    f->turnover = spaces_all > 0 ? (double)completed_all / (double)spaces_all / days : 0;
    if (parking_store_unmet_top(db, scope, day_of(from), day_of(to - 1), 10, f, err))
        goto out;
    ret = 0;
out:
    free(iv);
    free(lots.items);
    free(plans.items);
    free(bk.items);
    if (ret)
        parking_figures_release(f);
    return ret;
}

void parking_figures_release(struct parking_figures *f)
{
    if (!f)
        return;
    free(f->lots);
    free(f->demand);
    f->lots = NULL;
    f->demand = NULL;
    f->nlots = f->ndemand = 0;
}
