/* The gate: device keys of a lot's gate, plate reads that check cars in and out, overstay
 * alerts, and the repeated overstay that opens an event 机动车乱停放 for the lot's grid. */
#include "parking/parking.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/log.h"
#include "event/event.h"
#include "parking/parking_internal.h"
#include "parking/parking_store.h"

/* ---- gate --------------------------------------------------------------------------------- */

int parking_gate_key_issue(struct db *db, const struct auth_principal *who, const char *lot_code,
                           const char *request_id, char *key_out, struct app_error *err)
{
    struct parking_lot lot;
    char hash[65];
    if (parking_lot_get(db, lot_code, &lot, err))
        return -1;
    if (who && !parking_in_scope(who, "parking.manage", lot.grid))
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_lot", "lot", "未知停车场");
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    parking_new_secret("zpk_", key_out, PARKING_KEY_LEN + 1);
    parking_sha256_hex(key_out, hash);
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
    parking_sha256_hex(key, hash);
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
        if (who && !parking_in_scope(who, "parking.gate", lot.grid))
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
            parking_booking_text(&b, before, sizeof(before));
            b.status = PARKING_CHECKED_IN;
            b.in_at = at;
        } else {
            found = false;
        }
    } else {
        if (parking_store_booking_inside(db, lot.id, plate, &b, &found, err))
            goto fail;
        if (found) {
            parking_booking_text(&b, before, sizeof(before));
            b.status = PARKING_COMPLETED;
            b.out_at = at;
            b.overstay_minutes = parking_overstay_minutes(b.end, at);
        }
    }
    if (found) {
        b.synthetic = b.synthetic || in->synthetic;
        if (parking_store_booking_update(db, &b, err) ||
            parking_audit_booking(db, who, entering ? "parking.check_in" : "parking.check_out", &b,
                                  before, request_id, err))
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
    return parking_store_alert_list(db, parking_scope_of(who), limit, out, err);
}
