/* Booking a shared space: the capacity check (the peak of the plan's bookings over the window)
 * and the insert inside one write transaction, reading a booking with its token or in scope,
 * cancellation and the staff's list. */
#include "parking/parking.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "parking/parking_internal.h"
#include "parking/parking_store.h"

/* ---- the capacity check ------------------------------------------------------------------- */

/* Spaces of plan p free over all of [from, to) at now, given the bookings b[0..nb) that may hold
 * one of its spaces: 0 when its windows do not cover the window. */
int parking_plan_free_of(const struct parking_plan *p, int64_t first_day, const bool *wd,
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
int parking_plan_free(struct db *db, const struct parking_plan *p, int64_t first_day,
                      const bool *wd, size_t ndays, int64_t from, int64_t to, int64_t now,
                      bool *offered, struct app_error *err)
{
    struct parking_booking_list l = {0};
    if (parking_store_plan_holding(db, p->id, from, to, &l, err))
        return -1;
    int f =
        parking_plan_free_of(p, first_day, wd, ndays, from, to, now, l.items, l.len, offered, err);
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
    bool wd[PARKING_MAX_DAYS];
    int64_t first, now = clock_now(), from = in->from, to = in->to;
    size_t nd;
    char plate[16], token[64], hash[65];
    int ret = -1;
    if (!in->lot || !*in->lot)
        return app_fail(err, APP_ERR_INVALID, "required", "lot", "缺少停车场");
    if (parking_plate_normalize(in->plate, plate, sizeof(plate), err) ||
        parking_window_check(&from, &to, now, err) ||
        parking_workdays(from, to, &first, wd, &nd, err))
        return -1;
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    parking_new_secret("", token, sizeof(token));
    parking_sha256_hex(token, hash);
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
        int free = parking_plan_free(db, p, first, wd, nd, from, to, now, &offered, err);
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
        parking_audit_booking(db, who, "parking.book", out, NULL, request_id, err) ||
        db_commit(db, err))
        goto fail;
    if (token_out) {
        size_t tl = strnlen(token, 43); /* 43 base64url characters from 32 bytes */
        memcpy(token_out, token, tl);
        token_out[tl] = '\0';
    }
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
        parking_sha256_hex(token, given);
        ok = sodium_memcmp(given, hash, 64) == 0;
    }
    if (found && !ok)
        ok = parking_in_scope(who, action, out->grid);
    if (!ok)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_booking", "id", "未找到该预约");
    return 0;
}

int parking_booking_get(struct db *db, const struct auth_principal *who, int64_t id,
                        const char *token, struct parking_booking *out, struct app_error *err)
{
    if (booking_load(db, who, "parking.bookings", id, token, out, err))
        return -1;
    parking_effective_status(out, clock_now());
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
    parking_booking_text(out, before, sizeof(before));
    out->status = PARKING_CANCELLED;
    if (parking_store_booking_update(db, out, err) ||
        parking_audit_booking(db, who, "parking.cancel", out, before, request_id, err) ||
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
    if (parking_store_booking_list(db, parking_scope_of(who), lot, from, to, limit, out, err))
        return -1;
    int64_t now = clock_now();
    for (size_t i = 0; i < out->len; i++)
        parking_effective_status(&out->items[i], now);
    return 0;
}
