/* A lot owner's side of shared parking: the owner's own key (issued by the center, kept by the
 * office, the property manager or the hospital), and editing or withdrawing a share plan, which
 * never breaks a booking already made. */
#include "parking/parking.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "parking/parking_internal.h"
#include "parking/parking_store.h"

static void plan_text(const struct parking_plan *p, const char *lot, const char *by, char *out,
                      size_t n)
{
    snprintf(out, n, "lot=%s;spaces=%d;windows=%s;price=%d;audience=%s;label=%s;active=%d;by=%s",
             lot, p->spaces, p->windows, p->price_fen, p->audience, p->audience_label, p->active,
             by);
}

/* Do the bookings b[0..n) still to come or inside (as seen at now) fit windows w and spaces?
 * Each must lie inside the times the windows offer, and no more of them may hold a space at one
 * instant than spaces. *kept gets how many there are. */
static int bookings_fit(const struct parking_window *w, int nw, int spaces,
                        const struct parking_booking *b, size_t n, int64_t now, int *kept,
                        struct app_error *err)
{
    struct parking_interval *busy = xcalloc(n + 1, sizeof(*busy)), iv[160];
    int64_t lo = 0, hi = 0, first;
    size_t k = 0, nd;
    bool wd[PARKING_MAX_DAYS];
    int ret = -1;
    for (size_t i = 0; i < n; i++) {
        if (b[i].status == PARKING_COMPLETED ||
            !parking_holds(b[i].status, b[i].start, b[i].end, b[i].out_at, now, &busy[k]) ||
            busy[k].end <= now) /* a no-show holds nothing any more */
            continue;
        /* the whole booked window must stay offered, not only the part still ahead */
        busy[k].start = b[i].start;
        lo = k == 0 || busy[k].start < lo ? busy[k].start : lo;
        hi = k == 0 || busy[k].end > hi ? busy[k].end : hi;
        k++;
    }
    *kept = (int)k;
    if (k == 0) {
        ret = 0;
        goto out;
    }
    if (parking_workdays(lo, hi, &first, wd, &nd, err))
        goto out;
    size_t niv = parking_offered(w, nw, first, wd, nd, lo, hi, iv, sizeof(iv) / sizeof(iv[0]));
    for (size_t i = 0; i < k; i++)
        if (!parking_covered(iv, niv, busy[i].start, busy[i].end)) {
            app_fail(err, APP_ERR_CONFLICT, "bookings_outside", "windows",
                     "已有预约不在新的共享时段内，请先与预约车主协商或保留原时段");
            goto out;
        }
    int peak = parking_peak(busy, k, now > lo ? now : lo, hi);
    if (peak > spaces) {
        app_fail(err, APP_ERR_CONFLICT, "bookings_exceed", "spaces",
                 "同一时间已有 %d 个预约，共享车位不能少于 %d 个", peak, peak);
        goto out;
    }
    ret = 0;
out:
    free(busy);
    return ret;
}

int parking_plan_update(struct db *db, const struct auth_principal *who,
                        const struct parking_plan_change *in, const char *request_id,
                        struct parking_plan *out, int *kept, struct app_error *err)
{
    struct parking_lot lot;
    struct parking_window w[PARKING_MAX_WINDOWS];
    struct parking_plan_list plans = {0};
    struct parking_booking_list bk = {0};
    char before[512], after[512];
    const char *by = in->owner_lot_id ? "owner" : "staff";
    int nw, ret = -1;
    int64_t now = clock_now();
    bool found = false;
    *kept = 0;
    if (parking_plan_lot(db, who, in->owner_lot_id, in->lot, &lot, err))
        return -1;
    if (in->price_fen < -1 || in->price_fen > 100000)
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "price_fen",
                        "每小时价格应为 0–1000 元");
    if (in->spaces < 0)
        return app_fail(err, APP_ERR_INVALID, "over_capacity", "spaces", "共享车位应至少 1 个");
    if (in->audience_label && strlen(in->audience_label) >= sizeof(out->audience_label))
        return app_fail(err, APP_ERR_INVALID, "too_long", "audience_label", "开放对象说明过长");
    if (db_begin(db, err))
        return -1;
    if (parking_store_plan_get(db, in->plan_id, out, &found, err))
        goto fail;
    if (!found || out->lot_id != lot.id || !out->active) {
        app_fail(err, APP_ERR_NOT_FOUND, "unknown_plan", "id", "未找到该共享计划");
        goto fail;
    }
    plan_text(out, lot.code, by, before, sizeof(before));
    if (parking_windows_parse(in->windows ? in->windows : out->windows, w, &nw, "windows", err))
        goto fail;
    parking_windows_format(w, nw, out->windows, sizeof(out->windows));
    if (in->spaces)
        out->spaces = in->spaces;
    if (in->price_fen >= 0)
        out->price_fen = in->price_fen;
    if (in->audience_label)
        snprintf(out->audience_label, sizeof(out->audience_label), "%s", in->audience_label);
    if (parking_store_plan_holding(db, out->id, now, now + PARKING_AHEAD_S + PARKING_MAX_S, &bk,
                                   err))
        goto fail;
    if (in->withdraw) {
        /* bookings already made stand: count them, check nothing */
        int n = 0;
        for (size_t i = 0; i < bk.len; i++) {
            struct parking_interval h;
            n += bk.items[i].status != PARKING_COMPLETED &&
                 parking_holds(bk.items[i].status, bk.items[i].start, bk.items[i].end,
                               bk.items[i].out_at, now, &h) &&
                 h.end > now;
        }
        *kept = n;
        out->active = false;
    } else {
        if (bookings_fit(w, nw, out->spaces, bk.items, bk.len, now, kept, err) ||
            parking_store_plan_list(db, lot.id, &plans, err))
            goto fail;
        int used = 0;
        for (size_t i = 0; i < plans.len; i++)
            used += plans.items[i].id == out->id ? 0 : plans.items[i].spaces;
        if (used + out->spaces > lot.capacity) {
            app_fail(err, APP_ERR_INVALID, "over_capacity", "spaces",
                     "共享车位应为 1–%d (停车场共 %d 个，其他计划已共享 %d 个)",
                     lot.capacity - used, lot.capacity, used);
            goto fail;
        }
    }
    if (parking_store_plan_update(db, out, now, err))
        goto fail;
    plan_text(out, lot.code, by, after, sizeof(after));
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)out->id);
    struct audit_entry e = {.actor = in->owner_lot_id ? NULL : who,
                            .action =
                                in->withdraw ? "parking.plan_withdraw" : "parking.plan_update",
                            .object_type = "parking_plan",
                            .object_id = id,
                            .request_id = request_id,
                            .before = before,
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
    free(bk.items);
    return ret;
}

int parking_owner_key_issue(struct db *db, const struct auth_principal *who, const char *lot_code,
                            const char *label, const char *request_id, char *key_out,
                            struct app_error *err)
{
    struct parking_lot lot;
    char hash[65], after[200];
    if (parking_plan_lot(db, who, 0, lot_code, &lot, err))
        return -1;
    if (label && strlen(label) > 120)
        return app_fail(err, APP_ERR_INVALID, "too_long", "label", "持有人说明过长");
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    parking_new_secret("zpo_", key_out, PARKING_KEY_LEN + 1);
    parking_sha256_hex(key_out, hash);
    snprintf(after, sizeof(after), "lot=%s;label=%s", lot.code, label ? label : "");
    struct audit_entry e = {.actor = who,
                            .action = "parking.owner_key_issue",
                            .object_type = "parking_lot",
                            .object_id = lot.code,
                            .request_id = request_id,
                            .after = after,
                            .region = lot.grid};
    if (db_begin(db, err))
        return -1;
    if (parking_store_owner_key_insert(db, lot.id, hash, label, clock_now(), err) ||
        audit_append(db, &e, err) || db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int parking_owner_identify(struct db *db, const char *key, struct parking_lot *lot,
                           struct app_error *err)
{
    char hash[65];
    bool found = false;
    int64_t lot_id = 0;
    if (!key || strlen(key) != PARKING_KEY_LEN || strncmp(key, "zpo_", 4) || sodium_init() < 0)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "invalid_owner_key", "key", "业主密钥无效");
    parking_sha256_hex(key, hash);
    if (parking_store_owner_key_find(db, hash, &lot_id, &found, err))
        return -1;
    if (found && parking_store_lot_get(db, NULL, lot_id, lot, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "invalid_owner_key", "key",
                        "业主密钥无效或已吊销");
    return 0;
}
