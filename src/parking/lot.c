/* Shared parking's lots and their owners' share plans: creating a lot, publishing a plan under
 * the lot's capacity. Booking is in booking.c, the gate in gate.c, the search in
 * availability.c, the figures in figures.c; the rules are the pure functions of rules.c. */
#include "parking/parking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "org/org.h"
#include "parking/parking_internal.h"
#include "parking/parking_store.h"

int parking_plan_lot(struct db *db, const struct auth_principal *who, int64_t owner_lot_id,
                     const char *code, struct parking_lot *lot, struct app_error *err)
{
    if (parking_lot_get(db, code, lot, err))
        return -1;
    bool ok = owner_lot_id ? lot->id == owner_lot_id
                           : !who || parking_in_scope(who, "parking.manage", lot->grid);
    if (!ok)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_lot", "lot", "未知停车场");
    return 0;
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
    if (who && !parking_in_scope(who, "parking.manage", lot->grid))
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
    if (parking_plan_lot(db, who, in->owner_lot_id, in->lot, &lot, err))
        return -1;
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
    snprintf(after, sizeof(after),
             "lot=%s;spaces=%d;windows=%s;price=%d;audience=%s;members=%zu;by=%s", lot.code,
             out->spaces, out->windows, out->price_fen, out->audience, in->nmembers,
             in->owner_lot_id ? "owner" : "staff");
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
