/* Thin handlers of shared parking under /api/v1/parking/: lots and plans, availability near a
 * destination, bookings (create, read and cancel with the booker's token), gate events posted
 * with a lot's device key, overstay alerts and the figures, with CSV for the spreadsheets. */
#include "parking/parking_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "parking/parking.h"

static json_t *iso(int64_t t)
{
    char s[32];
    if (!t)
        return json_null();
    clock_format_local(t, s, sizeof s);
    return json_string(s);
}

static json_t *lot_json(const struct parking_lot *l)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:s,s:f,s:f,s:s,s:s,s:i,s:s,s:b}", "code", l->code,
                     "name", l->name, "kind", parking_kind_name(l->kind), "kind_label",
                     parking_kind_label(l->kind), "lon", l->lon, "lat", l->lat, "entrance",
                     l->entrance, "entrance_lon", l->entrance_lon, "entrance_lat", l->entrance_lat,
                     "grid", l->grid, "street", l->street, "capacity", l->capacity, "owner",
                     l->owner, "synthetic", l->synthetic);
}

static json_t *plan_json(const struct parking_plan *p)
{
    return json_pack("{s:I,s:i,s:s,s:i,s:s,s:s,s:b}", "id", (json_int_t)p->id, "spaces", p->spaces,
                     "windows", p->windows, "price_fen", p->price_fen, "audience", p->audience,
                     "audience_label", p->audience_label, "active", p->active);
}

static json_t *booking_json(const struct parking_booking *b, const struct auth_principal *who,
                            bool own)
{
    char plate[32];
    if (own || auth_sees_personal_data(who))
        snprintf(plate, sizeof plate, "%s", b->plate);
    else
        parking_plate_mask(b->plate, plate, sizeof plate);
    json_t *j = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:i,s:b}", "id", (json_int_t)b->id, "lot",
        b->lot_code, "lot_name", b->lot_name, "grid", b->grid, "plate", plate, "from",
        iso(b->start), "to", iso(b->end), "status", parking_status_name(b->status), "status_label",
        parking_status_label(b->status), "price_fen", b->price_fen, "synthetic", b->synthetic);
    json_object_set_new(j, "in_at", iso(b->in_at));
    json_object_set_new(j, "out_at", iso(b->out_at));
    json_object_set_new(j, "overstay_minutes", json_integer(b->overstay_minutes));
    return j;
}

static int query_time(struct http_request *req, const char *name, bool required, int64_t *out,
                      struct app_error *err)
{
    const char *s = http_query(req, name);
    if (!s || !*s) {
        if (required)
            return app_fail(err, APP_ERR_INVALID, "required", name, "缺少 %s", name);
        return 0;
    }
    return clock_parse(s, out, name, err);
}

static int json_time(json_t *body, const char *key, int64_t *out, struct app_error *err)
{
    const char *s = NULL;
    if (http_json_string(body, key, true, &s, err))
        return -1;
    return clock_parse(s, out, key, err);
}

static const char *booking_token(struct http_request *req)
{
    const char *t = http_header(req, "X-Booking-Token");
    return t ? t : http_query(req, "token");
}

static int path_id(struct http_request *req, int64_t *id, struct app_error *err)
{
    const char *s = http_param(req, "id");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_booking", "id", "未找到该预约");
    *id = v;
    return 0;
}

/* ---- lots --------------------------------------------------------------------------------- */

static int list_lots(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_lot_list l = {0};
    if (parking_lot_list(req->db, &l, &err))
        return http_reply_error(resp, &err);
    int64_t now = clock_now(), from = now - now % 60;
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        json_t *j = lot_json(&l.items[i]);
        int free = 0;
        /* free for the next hour, for the map: no free space on failure rather than an error */
        if (parking_lot_free(req->db, l.items[i].id, from, from + 3600, &free, &err))
            free = 0;
        json_object_set_new(j, "free_next_hour", json_integer(free));
        json_array_append_new(items, j);
    }
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int get_lot(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_lot lot;
    struct parking_plan_list pl = {0};
    if (parking_lot_get(req->db, http_param(req, "code"), &lot, &err) ||
        parking_plan_list(req->db, lot.id, &pl, &err))
        return http_reply_error(resp, &err);
    json_t *j = lot_json(&lot), *plans = json_array();
    for (size_t i = 0; i < pl.len; i++)
        json_array_append_new(plans, plan_json(&pl.items[i]));
    free(pl.items);
    json_object_set_new(j, "plans", plans);
    return http_reply_json(resp, 200, j);
}

static int create_lot(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *code = NULL, *name = NULL, *kind = NULL, *entrance = NULL, *owner = NULL;
    int64_t cap = 0;
    struct parking_lot l = {0};
    if (http_read_json(req, &b, &err) || http_json_string(b, "code", true, &code, &err) ||
        http_json_string(b, "name", true, &name, &err) ||
        http_json_string(b, "kind", true, &kind, &err) ||
        http_json_number(b, "lon", true, &l.lon, &err) ||
        http_json_number(b, "lat", true, &l.lat, &err) ||
        http_json_int(b, "capacity", true, &cap, &err) ||
        http_json_string(b, "entrance", false, &entrance, &err) ||
        http_json_string(b, "owner", false, &owner, &err) ||
        http_json_number(b, "entrance_lon", false, &l.entrance_lon, &err) ||
        http_json_number(b, "entrance_lat", false, &l.entrance_lat, &err))
        goto fail;
    snprintf(l.code, sizeof l.code, "%s", code);
    snprintf(l.name, sizeof l.name, "%s", name);
    snprintf(l.entrance, sizeof l.entrance, "%s", entrance ? entrance : "");
    snprintf(l.owner, sizeof l.owner, "%s", owner ? owner : "");
    l.kind = parking_kind_parse(kind);
    l.capacity = cap > 0 && cap <= 100000 ? (int)cap : -1;
    if (l.kind < 0) {
        app_fail(&err, APP_ERR_INVALID, "bad_kind", "kind",
                 "类型应为 public/office/residential/hospital/school/commercial");
        goto fail;
    }
    if (parking_lot_create(req->app, req->db, req->who, &l, req->request_id, &err))
        goto fail;
    json_decref(b);
    return http_reply_json(resp, 201, lot_json(&l));
fail:
    json_decref(b);
    return http_reply_error(resp, &err);
}

static int owner_lot(struct http_request *req, struct http_response *resp, struct parking_lot *lot);

static int publish_plan(struct http_request *req, struct http_response *resp,
                        const struct parking_lot *owner)
{
    struct app_error err = {0};
    json_t *b = NULL;
    struct parking_plan_input in = {.lot = owner ? owner->code : http_param(req, "code"),
                                    .owner_lot_id = owner ? owner->id : 0};
    struct parking_plan p;
    int64_t spaces = 0, price = 0;
    const char **members = NULL;
    if (http_read_json(req, &b, &err) || http_json_int(b, "spaces", true, &spaces, &err) ||
        http_json_string(b, "windows", true, &in.windows, &err) ||
        http_json_int(b, "price_fen", false, &price, &err) ||
        http_json_string(b, "audience", false, &in.audience, &err) ||
        http_json_string(b, "audience_label", false, &in.audience_label, &err))
        goto fail;
    json_t *m = json_object_get(b, "members");
    if (m && !json_is_array(m)) {
        app_fail(&err, APP_ERR_INVALID, "bad_type", "members", "members 应为车牌数组");
        goto fail;
    }
    in.nmembers = m ? json_array_size(m) : 0;
    members = calloc(in.nmembers + 1, sizeof(*members));
    for (size_t i = 0; i < in.nmembers; i++) {
        members[i] = json_string_value(json_array_get(m, i));
        if (!members[i]) {
            app_fail(&err, APP_ERR_INVALID, "bad_type", "members", "第 %zu 个车牌应为文本", i + 1);
            goto fail;
        }
    }
    in.members = members;
    in.spaces = spaces > 0 && spaces < 100000 ? (int)spaces : 0;
    in.price_fen = price >= 0 && price <= 100000 ? (int)price : -1;
    if (parking_plan_create(req->db, req->who, &in, req->request_id, &p, &err))
        goto fail;
    free(members);
    json_decref(b);
    json_t *j = plan_json(&p);
    json_object_set_new(j, "lot", json_string(in.lot));
    return http_reply_json(resp, 201, j);
fail:
    free(members);
    json_decref(b);
    return http_reply_error(resp, &err);
}

static int create_plan(struct http_request *req, struct http_response *resp)
{
    return publish_plan(req, resp, NULL);
}

static int owner_create_plan(struct http_request *req, struct http_response *resp)
{
    struct parking_lot lot;
    if (owner_lot(req, resp, &lot))
        return 0;
    return publish_plan(req, resp, &lot);
}

static int issue_gate_key(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    char key[PARKING_KEY_LEN + 1];
    if (parking_gate_key_issue(req->db, req->who, http_param(req, "code"), req->request_id, key,
                               &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 201,
                           json_pack("{s:s,s:s}", "lot", http_param(req, "code"), "key", key));
}

static int issue_owner_key(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    char key[PARKING_KEY_LEN + 1];
    json_t *b = NULL;
    const char *label = NULL;
    if ((req->body_len &&
         (http_read_json(req, &b, &err) || http_json_string(b, "label", false, &label, &err))) ||
        parking_owner_key_issue(req->db, req->who, http_param(req, "code"), label, req->request_id,
                                key, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_t *j = json_pack("{s:s,s:s,s:s}", "lot", http_param(req, "code"), "key", key, "label",
                          label ? label : "");
    json_decref(b);
    return http_reply_json(resp, 201, j);
}

static int plan_id(struct http_request *req, int64_t *id, struct app_error *err)
{
    const char *s = http_param(req, "id");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_plan", "id", "未找到该共享计划");
    *id = v;
    return 0;
}

/* PATCH (edit: spaces, windows, price_fen, audience_label) or DELETE (withdraw) of a plan, by
 * staff (lot from the path) or by the owner (lot from the owner key). */
static int change_plan(struct http_request *req, struct http_response *resp,
                       const struct parking_lot *owner_lot)
{
    struct app_error err = {0};
    struct parking_plan_change in = {.price_fen = -1};
    struct parking_plan p;
    json_t *b = NULL;
    int64_t spaces = 0, price = -1;
    int kept = 0;
    in.lot = owner_lot ? owner_lot->code : http_param(req, "code");
    in.owner_lot_id = owner_lot ? owner_lot->id : 0;
    in.withdraw = !strcmp(req->method, "DELETE");
    if (plan_id(req, &in.plan_id, &err))
        goto fail;
    if (!in.withdraw &&
        (http_read_json(req, &b, &err) || http_json_int(b, "spaces", false, &spaces, &err) ||
         http_json_string(b, "windows", false, &in.windows, &err) ||
         http_json_int(b, "price_fen", false, &price, &err) ||
         http_json_string(b, "audience_label", false, &in.audience_label, &err)))
        goto fail;
    if (json_object_get(b, "spaces") && (spaces < 1 || spaces > 100000)) {
        app_fail(&err, APP_ERR_INVALID, "over_capacity", "spaces", "共享车位应至少 1 个");
        goto fail;
    }
    if (json_object_get(b, "price_fen") && (price < 0 || price > 100000)) {
        app_fail(&err, APP_ERR_INVALID, "out_of_range", "price_fen", "每小时价格应为 0–1000 元");
        goto fail;
    }
    in.spaces = (int)spaces;
    in.price_fen = (int)price;
    if (parking_plan_update(req->db, req->who, &in, req->request_id, &p, &kept, &err))
        goto fail;
    json_decref(b);
    json_t *j = plan_json(&p);
    json_object_set_new(j, "lot", json_string(in.lot));
    json_object_set_new(j, "bookings_kept", json_integer(kept));
    return http_reply_json(resp, 200, j);
fail:
    json_decref(b);
    return http_reply_error(resp, &err);
}

static int update_plan(struct http_request *req, struct http_response *resp)
{
    return change_plan(req, resp, NULL);
}

/* ---- the owner's page: everything by the owner key (X-Owner-Key) ---------------------------- */

static int owner_lot(struct http_request *req, struct http_response *resp, struct parking_lot *lot)
{
    struct app_error err = {0};
    const char *key = http_header(req, "X-Owner-Key");
    if (!key)
        app_fail(&err, APP_ERR_UNAUTHORIZED, "unauthorized", "key", "请输入停车场业主密钥");
    if (!key || parking_owner_identify(req->db, key, lot, &err)) {
        http_reply_error(resp, &err);
        return -1;
    }
    return 0;
}

static int owner_get(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_lot lot;
    struct parking_plan_list pl = {0};
    struct parking_booking_list bl = {0};
    if (owner_lot(req, resp, &lot))
        return 0;
    int64_t now = clock_now();
    if (parking_plan_list(req->db, lot.id, &pl, &err) ||
        parking_booking_list(req->db, NULL, lot.code, now, now + PARKING_AHEAD_S, 500, &bl, &err)) {
        free(pl.items);
        return http_reply_error(resp, &err);
    }
    json_t *plans = json_array(), *bookings = json_array();
    for (size_t i = 0; i < pl.len; i++) {
        json_t *j = plan_json(&pl.items[i]);
        int n = 0;
        for (size_t k = 0; k < bl.len; k++)
            n += bl.items[k].plan_id == pl.items[i].id &&
                 (bl.items[k].status == PARKING_BOOKED || bl.items[k].status == PARKING_CHECKED_IN);
        json_object_set_new(j, "upcoming", json_integer(n));
        json_array_append_new(plans, j);
    }
    for (size_t k = 0; k < bl.len; k++)
        json_array_append_new(bookings, booking_json(&bl.items[k], NULL, false));
    free(pl.items);
    free(bl.items);
    json_t *j = lot_json(&lot);
    json_object_set_new(j, "plans", plans);
    json_object_set_new(j, "bookings", bookings);
    return http_reply_json(resp, 200, j);
}

static int owner_change_plan(struct http_request *req, struct http_response *resp)
{
    struct parking_lot lot;
    if (owner_lot(req, resp, &lot))
        return 0;
    return change_plan(req, resp, &lot);
}

/* ---- availability and bookings ----------------------------------------------------------- */

static int availability(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    double lon, lat, radius = 2000;
    int64_t from = 0, to = 0;
    struct parking_free_list l = {0};
    if (http_query_number(req, "lon", true, &lon, &err) ||
        http_query_number(req, "lat", true, &lat, &err) ||
        http_query_number(req, "radius", false, &radius, &err) ||
        query_time(req, "from", true, &from, &err) || query_time(req, "to", true, &to, &err) ||
        parking_availability(req->app, req->db, lon, lat, from, to, radius, 50, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        const struct parking_free *f = &l.items[i];
        json_t *j = lot_json(&f->lot);
        json_object_set_new(j, "lot", json_string(f->lot.code));
        json_object_set_new(j, "free", json_integer(f->free));
        json_object_set_new(j, "price_fen", json_integer(f->price_fen));
        json_object_set_new(j, "distance_m", json_integer((json_int_t)(f->distance_m + 0.5)));
        json_object_set_new(j, "walk_minutes", json_integer(f->walk_minutes));
        json_object_set_new(j, "walk_basis",
                            json_string(f->walk_network ? "network" : "straight_line"));
        json_array_append_new(items, j);
    }
    free(l.items);
    int64_t f0 = from - ((from % 60) + 60) % 60, t0 = to + (60 - ((to % 60) + 60) % 60) % 60;
    return http_reply_json(
        resp, 200, json_pack("{s:o,s:o,s:o}", "items", items, "from", iso(f0), "to", iso(t0)));
}

static int create_booking(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    struct parking_booking_input in = {0};
    struct parking_booking out;
    char token[44];
    if (http_read_json(req, &b, &err) || http_json_string(b, "lot", true, &in.lot, &err) ||
        http_json_string(b, "plate", true, &in.plate, &err) ||
        json_time(b, "from", &in.from, &err) || json_time(b, "to", &in.to, &err) ||
        parking_book(req->app, req->db, req->who, &in, req->request_id, &out, token, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    json_t *j = booking_json(&out, req->who, true);
    json_object_set_new(j, "token", json_string(token));
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/parking/bookings/%lld", (long long)out.id);
    http_set_header(resp, "Location", loc);
    return http_reply_json(resp, 201, j);
}

static int get_booking(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_booking b;
    int64_t id;
    const char *token = booking_token(req);
    if (path_id(req, &id, &err) || parking_booking_get(req->db, req->who, id, token, &b, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, booking_json(&b, req->who, token && *token));
}

static int cancel_booking(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_booking b;
    int64_t id;
    const char *token = booking_token(req);
    if (path_id(req, &id, &err) ||
        parking_cancel(req->db, req->who, id, token, req->request_id, &b, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, booking_json(&b, req->who, token && *token));
}

static int read_booking_query(struct http_request *req, int64_t *from, int64_t *to, long *limit,
                              struct app_error *err)
{
    const char *cursor;
    return query_time(req, "from", false, from, err) || query_time(req, "to", false, to, err) ||
           http_list_params(req, limit, &cursor, err);
}

static int list_bookings(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_booking_list l = {0};
    int64_t from = 0, to = 0;
    long limit;
    if (read_booking_query(req, &from, &to, &limit, &err) ||
        parking_booking_list(req->db, req->who, http_query(req, "lot"), from, to, limit, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, booking_json(&l.items[i], req->who, false));
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static void csv_time(struct buf *b, int64_t t)
{
    char s[32] = "";
    if (t)
        clock_format_local(t, s, sizeof s);
    buf_put_csv(b, s);
    buf_putc(b, ',');
}

static int bookings_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_booking_list l = {0};
    int64_t from = 0, to = 0;
    long limit;
    if (read_booking_query(req, &from, &to, &limit, &err) ||
        parking_booking_list(req->db, req->who, http_query(req, "lot"), from, to, 100000, &l, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBF编号,停车场编号,停车场,网格,车牌,开始,结束,状态,入场,离场,超时分钟,"
                 "每小时价格(元),示例数据\r\n");
    for (size_t i = 0; i < l.len; i++) {
        const struct parking_booking *k = &l.items[i];
        char plate[32];
        if (auth_sees_personal_data(req->who))
            snprintf(plate, sizeof plate, "%s", k->plate);
        else
            parking_plate_mask(k->plate, plate, sizeof plate);
        buf_printf(&b, "%lld,", (long long)k->id);
        buf_put_csv(&b, k->lot_code);
        buf_putc(&b, ',');
        buf_put_csv(&b, k->lot_name);
        buf_putc(&b, ',');
        buf_put_csv(&b, k->grid);
        buf_putc(&b, ',');
        buf_put_csv(&b, plate);
        buf_putc(&b, ',');
        csv_time(&b, k->start);
        csv_time(&b, k->end);
        buf_put_csv(&b, parking_status_label(k->status));
        buf_putc(&b, ',');
        csv_time(&b, k->in_at);
        csv_time(&b, k->out_at);
        buf_printf(&b, "%d,%d.%02d,%s\r\n", k->overstay_minutes, k->price_fen / 100,
                   k->price_fen % 100, k->synthetic ? "是" : "否");
    }
    free(l.items);
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
    http_set_header(resp, "Content-Disposition", "attachment; filename=\"parking-bookings.csv\"");
    buf_release(&b);
    return 0;
}

/* ---- gate events and alerts --------------------------------------------------------------- */

static int gate_event(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_gate_input in = {0};
    struct parking_gate_result r;
    json_t *b = NULL;
    const char *at = NULL;
    if (req->who) {
        if (!auth_may(req->who, "parking.gate")) {
            app_fail(&err, APP_ERR_FORBIDDEN, "forbidden", NULL,
                     "当前角色无权进行此操作 (parking.gate)");
            return http_reply_error(resp, &err);
        }
    } else {
        const char *key = http_header(req, "X-Device-Key");
        const char *h = http_header(req, "Authorization");
        if (!key && h && strncasecmp(h, "Bearer ", 7) == 0)
            key = h + 7;
        if (!key || parking_gate_key_identify(req->db, key, &in.lot_id, &err)) {
            if (!key)
                app_fail(&err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL,
                         "请先登录，或以道闸设备密钥上报");
            http_set_header(resp, "WWW-Authenticate", "Bearer");
            return http_reply_error(resp, &err);
        }
    }
    if (http_read_json(req, &b, &err) || http_json_string(b, "plate", true, &in.plate, &err) ||
        http_json_string(b, "direction", true, &in.direction, &err) ||
        (!in.lot_id && http_json_string(b, "lot", true, &in.lot, &err)) ||
        http_json_string(b, "at", false, &at, &err) ||
        (at && clock_parse(at, &in.at, "at", &err)) ||
        parking_gate_event(req->app, req->db, req->who, &in, req->request_id, &r, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    json_t *j =
        json_pack("{s:I,s:b,s:i,s:b}", "id", (json_int_t)r.event_id, "matched", r.booking_id != 0,
                  "overstay_minutes", r.overstay_minutes, "alert", r.alert);
    json_object_set_new(j, "booking", r.booking_id ? json_integer(r.booking_id) : json_null());
    json_object_set_new(j, "status",
                        r.booking_id ? json_string(parking_status_name(r.status)) : json_null());
    json_object_set_new(j, "event", r.event_code[0] ? json_string(r.event_code) : json_null());
    return http_reply_json(resp, 201, j);
}

static int list_alerts(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_alert_list l = {0};
    long limit;
    const char *cursor;
    if (http_list_params(req, &limit, &cursor, &err) ||
        parking_alert_list(req->db, req->who, limit, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        const struct parking_alert *a = &l.items[i];
        char plate[32];
        if (auth_sees_personal_data(req->who))
            snprintf(plate, sizeof plate, "%s", a->plate);
        else
            parking_plate_mask(a->plate, plate, sizeof plate);
        json_t *j =
            json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:i,s:b}", "id", (json_int_t)a->id, "at",
                      iso(a->at), "lot", a->lot_code, "lot_name", a->lot_name, "grid", a->grid,
                      "plate", plate, "minutes", a->minutes, "synthetic", a->synthetic);
        json_object_set_new(j, "event",
                            a->event_code[0] ? json_string(a->event_code) : json_null());
        json_array_append_new(items, j);
    }
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* ---- figures ------------------------------------------------------------------------------ */

static int read_figures(struct http_request *req, struct parking_figures *f, struct app_error *err)
{
    int64_t now = clock_now(), today = now - ((now + CLOCK_CN_OFFSET) % 86400);
    int64_t from = today - 29 * 86400, to = today + 86400;
    if (query_time(req, "from", false, &from, err) || query_time(req, "to", false, &to, err))
        return -1;
    return parking_figures(req->db, req->who, from, to, f, err);
}

static json_t *hours_json(const double *h)
{
    json_t *a = json_array();
    for (int i = 0; i < 24; i++)
        json_array_append_new(a, json_real((double)(long)(h[i] * 1000 + 0.5) / 1000));
    return a;
}

static int figures(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_figures f;
    if (read_figures(req, &f, &err))
        return http_reply_error(resp, &err);
    json_t *lots = json_array(), *demand = json_array();
    for (size_t i = 0; i < f.nlots; i++) {
        const struct parking_lot_figures *l = &f.lots[i];
        json_array_append_new(
            lots,
            json_pack(
                "{s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:f,s:I,s:I,s:I,s:I,s:o}", "lot", l->lot, "name",
                l->name, "grid", l->grid, "kind", parking_kind_name(l->kind), "shared_spaces",
                l->shared_spaces, "offered_space_minutes", (json_int_t)l->offered_space_min,
                "used_space_minutes", (json_int_t)l->used_space_min, "share_rate",
                l->offered_space_min ? (double)l->used_space_min / (double)l->offered_space_min
                                     : 0.0,
                "bookings", (json_int_t)l->bookings, "completed", (json_int_t)l->completed,
                "no_shows", (json_int_t)l->no_shows, "overstays", (json_int_t)l->overstays,
                "occupancy_by_hour", hours_json(l->occupancy_by_hour)));
    }
    for (size_t i = 0; i < f.ndemand; i++)
        json_array_append_new(demand, json_pack("{s:s,s:s,s:I}", "grid", f.demand[i].grid, "name",
                                                f.demand[i].name, "searches",
                                                (json_int_t)f.demand[i].searches));
    json_t *j = json_pack("{s:o,s:o,s:f,s:f,s:o,s:o,s:o}", "from", iso(f.from), "to", iso(f.to),
                          "share_rate", f.share_rate, "turnover", f.turnover, "occupancy_by_hour",
                          hours_json(f.occupancy_by_hour), "lots", lots, "unmet_demand", demand);
    parking_figures_release(&f);
    return http_reply_json(resp, 200, j);
}

static int figures_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct parking_figures f;
    if (read_figures(req, &f, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBF停车场编号,停车场,网格,类型,共享车位,提供车位分钟,使用车位分钟,"
                 "共享利用率,预约数,完成数,未到场,超时");
    for (int h = 0; h < 24; h++)
        buf_printf(&b, ",%02d时占用率", h);
    buf_puts(&b, "\r\n");
    for (size_t i = 0; i < f.nlots; i++) {
        const struct parking_lot_figures *l = &f.lots[i];
        buf_put_csv(&b, l->lot);
        buf_putc(&b, ',');
        buf_put_csv(&b, l->name);
        buf_putc(&b, ',');
        buf_put_csv(&b, l->grid);
        buf_putc(&b, ',');
        buf_put_csv(&b, parking_kind_label(l->kind));
        buf_printf(&b, ",%d,%lld,%lld,%.4f,%lld,%lld,%lld,%lld", l->shared_spaces,
                   (long long)l->offered_space_min, (long long)l->used_space_min,
                   l->offered_space_min ? (double)l->used_space_min / (double)l->offered_space_min
                                        : 0.0,
                   (long long)l->bookings, (long long)l->completed, (long long)l->no_shows,
                   (long long)l->overstays);
        for (int h = 0; h < 24; h++)
            buf_printf(&b, ",%.4f", l->occupancy_by_hour[h]);
        buf_puts(&b, "\r\n");
    }
    parking_figures_release(&f);
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
    http_set_header(resp, "Content-Disposition", "attachment; filename=\"parking-figures.csv\"");
    buf_release(&b);
    return 0;
}

const struct http_route parking_routes[] = {
    {"GET", "/api/v1/parking/lots", list_lots, HTTP_PUBLIC, "parking.read"},
    {"POST", "/api/v1/parking/lots", create_lot, 0, "parking.manage"},
    {"GET", "/api/v1/parking/lots/{code}", get_lot, HTTP_PUBLIC, "parking.read"},
    {"POST", "/api/v1/parking/lots/{code}/plans", create_plan, 0, "parking.manage"},
    {"PATCH", "/api/v1/parking/lots/{code}/plans/{id}", update_plan, 0, "parking.manage"},
    {"DELETE", "/api/v1/parking/lots/{code}/plans/{id}", update_plan, 0, "parking.manage"},
    {"POST", "/api/v1/parking/lots/{code}/gate-keys", issue_gate_key, 0, "parking.manage"},
    {"POST", "/api/v1/parking/lots/{code}/owner-keys", issue_owner_key, 0, "parking.manage"},
    /* the lot owner's page: the owner key (X-Owner-Key), checked inside */
    {"GET", "/api/v1/parking/owner", owner_get, HTTP_PUBLIC, NULL},
    {"POST", "/api/v1/parking/owner/plans", owner_create_plan, HTTP_PUBLIC, NULL},
    {"PATCH", "/api/v1/parking/owner/plans/{id}", owner_change_plan, HTTP_PUBLIC, NULL},
    {"DELETE", "/api/v1/parking/owner/plans/{id}", owner_change_plan, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/parking/availability", availability, HTTP_PUBLIC, "parking.read"},
    {"POST", "/api/v1/parking/bookings", create_booking, HTTP_PUBLIC, "parking.book"},
    {"GET", "/api/v1/parking/bookings", list_bookings, 0, "parking.bookings"},
    {"GET", "/api/v1/parking/bookings.csv", bookings_csv, 0, "parking.bookings"},
    {"GET", "/api/v1/parking/bookings/{id}", get_booking, HTTP_PUBLIC, "parking.read"},
    {"DELETE", "/api/v1/parking/bookings/{id}", cancel_booking, HTTP_PUBLIC, "parking.book"},
    /* the gate's own device key, or a signed-in user with parking.gate (checked inside) */
    {"POST", "/api/v1/parking/gate-events", gate_event, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/parking/alerts", list_alerts, 0, "parking.bookings"},
    {"GET", "/api/v1/parking/figures", figures, 0, "parking.figures"},
    {"GET", "/api/v1/parking/figures.csv", figures_csv, 0, "parking.figures"},
    {NULL, NULL, NULL, 0, NULL},
};
