/* Thin handlers of the event module: decode the request into plain structs, call one domain
 * function, encode the answer. Also the live-update port (sse_publish) and GET /api/v1/stream
 * filtered by the caller's jurisdiction. */
#include "event/event_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/privacy.h"
#include "core/xalloc.h"
#include "event/event_internal.h"
#include "http/sse.h"

void event_api_publish(const char *scope, const char *json_text)
{
    sse_publish("event", scope, json_text);
}

static json_t *time_json(int64_t t)
{
    if (!t)
        return json_null();
    char s[40];
    clock_format_local(t, s, sizeof(s));
    return json_string(s);
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *event_api_json(const struct auth_principal *who, const struct event *e)
{
    char phone[64];
    auth_show_phone(who, e->reporter_contact, phone, sizeof(phone));
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(e->code));
    json_object_set_new(o, "tracking", json_string(e->tracking));
    json_object_set_new(o, "channel", json_string(event_channel_name(e->channel)));
    json_object_set_new(o, "channel_label", json_string(event_channel_label(e->channel)));
    json_object_set_new(o, "category", json_string(e->category));
    json_object_set_new(o, "category_name", json_string(e->category_name));
    json_object_set_new(o, "title", json_string(e->title));
    json_object_set_new(o, "description", json_string(e->description ? e->description : ""));
    json_object_set_new(o, "lon", json_real(e->lon));
    json_object_set_new(o, "lat", json_real(e->lat));
    json_object_set_new(o, "grid", json_string(e->grid));
    json_object_set_new(o, "community", json_string(e->community));
    json_object_set_new(o, "street", json_string(e->street));
    json_object_set_new(o, "address", json_string(e->address));
    json_object_set_new(o, "reporter",
                        json_pack("{s:s,s:s,s:b}", "name", e->reporter_name, "contact", phone,
                                  "anonymous", e->reporter_user == 0 && !e->reporter_name[0]));
    json_object_set_new(o, "urgency", json_string(event_urgency_name(e->urgency)));
    json_object_set_new(o, "urgency_label", json_string(event_urgency_label(e->urgency)));
    json_object_set_new(o, "state", json_string(event_state_name(e->state)));
    json_object_set_new(o, "state_label", json_string(event_state_label(e->state)));
    json_object_set_new(o, "level", json_string(event_level_name(e->level)));
    json_object_set_new(o, "board", json_string(e->board));
    json_object_set_new(o, "department", str_or_null(e->department));
    json_object_set_new(o, "post", str_or_null(e->post));
    json_object_set_new(o, "handler", str_or_null(e->handler));
    json_object_set_new(o, "created_at", time_json(e->created_at));
    json_object_set_new(o, "updated_at", time_json(e->updated_at));
    json_object_set_new(o, "due_at", time_json(e->due_at));
    json_object_set_new(o, "warn_at", time_json(e->warn_at));
    json_object_set_new(o, "handle_due_at", time_json(e->handle_due_at));
    json_object_set_new(o, "provisional", json_boolean(event_deadline_provisional(e)));
    json_object_set_new(o, "closed_at", time_json(e->closed_at));
    json_object_set_new(o, "alert", json_string(event_alert_name(e->alert)));
    json_object_set_new(o, "return_count", json_integer(e->return_count));
    json_object_set_new(o, "rework_count", json_integer(e->rework_count));
    json_object_set_new(o, "reopen_count", json_integer(e->reopen_count));
    json_object_set_new(o, "escalations", json_integer(e->escalations));
    json_object_set_new(o, "extension_pending", json_boolean(e->extension_pending));
    json_object_set_new(o, "satisfaction",
                        e->satisfaction ? json_string(event_satisfaction_name(e->satisfaction))
                                        : json_null());
    json_object_set_new(o, "merged_into", str_or_null(e->merged_into));
    json_object_set_new(o, "link",
                        e->link_type[0]
                            ? json_pack("{s:s,s:s}", "type", e->link_type, "id", e->link_id)
                            : json_null());
    json_object_set_new(o, "synthetic", json_boolean(e->synthetic));
    return o;
}

/* The caller's actions now: [{name, label, fields: [...]}] (brief: no fields). */
static json_t *actions_json(const struct event_offers *of, bool brief)
{
    json_t *a = json_array();
    for (size_t i = 0; i < of->len; i++) {
        const struct event_offer *o = &of->items[i];
        json_t *fields = json_array();
        for (int k = 0; !brief && k < o->nfields; k++) {
            const struct event_field *f = &o->fields[k];
            json_t *choices = json_array();
            for (size_t c = 0; c < f->nchoices; c++)
                json_array_append_new(choices, json_pack("{s:s,s:s}", "value", f->choices[c].value,
                                                         "label", f->choices[c].label));
            json_t *fo = json_pack("{s:s,s:s,s:b,s:s}", "name", f->name, "type",
                                   event_field_type_name(f->type), "required", f->required, "label",
                                   f->label);
            json_object_set_new(fo, "min", f->limited ? json_integer(f->min) : json_null());
            json_object_set_new(fo, "max", f->limited ? json_integer(f->max) : json_null());
            json_object_set_new(fo, "unit", str_or_null(f->unit));
            json_object_set_new(fo, "choices",
                                f->type == EVENT_FIELD_CHOICE ? choices : json_null());
            if (f->type != EVENT_FIELD_CHOICE)
                json_decref(choices);
            json_object_set_new(fo, "default",
                                !f->def[0]                       ? json_null()
                                : f->type == EVENT_FIELD_INTEGER ? json_integer(atol(f->def))
                                                                 : json_string(f->def));
            json_array_append_new(fields, fo);
        }
        json_t *ao = json_pack("{s:s,s:s}", "name", o->name, "label", o->label);
        if (brief)
            json_decref(fields);
        else
            json_object_set_new(ao, "fields", fields);
        json_array_append_new(a, ao);
    }
    return a;
}

/* Add "actions" for the caller to an event's JSON; left out when they cannot be computed. */
static void add_actions(struct http_request *req, const struct event *e, bool brief, json_t *o)
{
    struct event_offers of;
    struct app_error err = {0};
    if (event_actions(req->db, req->who, e, brief, &of, &err) == 0)
        json_object_set_new(o, "actions", actions_json(&of, brief));
    event_offers_release(&of);
}

/* Names of the handling department and post, for people (issue 10). */
static void add_assignee_names(struct http_request *req, const struct event *e, json_t *o)
{
    char name[64] = "";
    struct app_error err = {0};
    if (e->department[0])
        event_store_department_name(req->db, e->department, name, sizeof(name), &err);
    json_object_set_new(o, "department_name", str_or_null(name));
}

/* Read "attachments": [sha...] into a[]; APP_ERR_INVALID naming the field. */
static int read_attachments(json_t *body, const char **a, int *n, struct app_error *err)
{
    json_t *arr = json_object_get(body, "attachments");
    *n = 0;
    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > EVENT_MAX_ATTACH)
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "attachments",
                        "照片须为不超过 %d 个附件编号的数组", EVENT_MAX_ATTACH);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *s = json_array_get(arr, i);
        if (!json_is_string(s))
            return app_fail(err, APP_ERR_INVALID, "invalid_type", "attachments",
                            "照片须为附件编号（字符串）的数组");
        a[(*n)++] = json_string_value(s);
    }
    return 0;
}

static int read_input(json_t *b, const struct auth_principal *who, struct event_input *in,
                      struct app_error *err)
{
    const char *channel = NULL, *urgency = NULL, *coord = NULL;
    memset(in, 0, sizeof(*in));
    in->urgency = -1;
    if (http_json_string(b, "channel", false, &channel, err) ||
        http_json_string(b, "category", true, &in->category, err) ||
        http_json_string(b, "title", true, &in->title, err) ||
        http_json_string(b, "description", false, &in->description, err) ||
        http_json_number(b, "lon", false, &in->lon, err) ||
        http_json_number(b, "lat", false, &in->lat, err) ||
        http_json_string(b, "coord", false, &coord, err) ||
        http_json_string(b, "grid", false, &in->grid, err) ||
        http_json_string(b, "address", false, &in->address, err) ||
        http_json_string(b, "reporter_name", false, &in->reporter_name, err) ||
        http_json_string(b, "reporter_contact", false, &in->reporter_contact, err) ||
        http_json_string(b, "urgency", false, &urgency, err) ||
        http_json_string(b, "link_type", false, &in->link_type, err) ||
        http_json_string(b, "link_id", false, &in->link_id, err) ||
        read_attachments(b, in->attachments, &in->nattachments, err))
        return -1;
    if (!channel)
        channel = who && who->role == AUTH_ROLE_GRID_WORKER ? "grid_patrol" : "hotline_12345";
    int c = event_channel_parse(channel);
    if (c < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_channel", "channel", "未知渠道 %s", channel);
    in->channel = (enum event_channel)c;
    if (urgency && (in->urgency = event_urgency_parse(urgency)) < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_urgency", "urgency", "未知紧急程度 %s",
                        urgency);
    if (coord && strcmp(coord, "wgs84") && strcmp(coord, "gcj02"))
        return app_fail(err, APP_ERR_INVALID, "invalid_coord", "coord",
                        "coord 须为 wgs84 或 gcj02");
    in->gcj02 = coord && strcmp(coord, "gcj02") == 0;
    return 0;
}

static json_t *brief_list(const struct event_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->len; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "code", l->items[i].code, "title",
                                           l->items[i].title, "state",
                                           event_state_name(l->items[i].state), "created_at", ""));
    for (size_t i = 0; i < l->len; i++) {
        char t[40];
        clock_format_local(l->items[i].created_at, t, sizeof(t));
        json_object_set_new(json_array_get(a, i), "created_at", json_string(t));
    }
    return a;
}

static int create_event(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct event_input in;
    struct event e;
    if (http_read_json(req, &body, &err) || read_input(body, req->who, &in, &err) ||
        event_create(req->app, req->db, req->who, &in, req->request_id, &e, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    struct event_list dups = {0};
    json_t *o = event_api_json(req->who, &e);
    if (event_duplicates(req->app, req->db, req->who, e.category, e.lon, e.lat, e.code, &dups,
                         &err) == 0)
        json_object_set_new(o, "duplicates", brief_list(&dups));
    event_list_release(&dups);
    char loc[96];
    snprintf(loc, sizeof(loc), "/api/v1/events/%s", e.code);
    http_set_header(resp, "Location", loc);
    event_release(&e);
    return http_reply_json(resp, 201, o);
}

static int query_time(const struct http_request *req, const char *name, int64_t *out,
                      struct app_error *err)
{
    const char *s = http_query(req, name);
    *out = 0;
    return s && *s ? clock_parse(s, out, name, err) : 0;
}

static bool query_flag(const struct http_request *req, const char *name)
{
    const char *v = http_query(req, name);
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

/* The filters of GET /events and /events.csv: status, category, channel, board, department,
 * region, urgency, q, overdue, mine (待我处理), from, to, sort, limit, cursor. */
static int read_query(struct http_request *req, struct event_query *q, struct app_error *err)
{
    *q = (struct event_query){.status = http_query(req, "status"),
                              .category = http_query(req, "category"),
                              .channel = http_query(req, "channel"),
                              .board = http_query(req, "board"),
                              .department = http_query(req, "department"),
                              .region = http_query(req, "region"),
                              .urgency = http_query(req, "urgency"),
                              .q = http_query(req, "q"),
                              .overdue_only = query_flag(req, "overdue"),
                              .mine = query_flag(req, "mine")};
    int sort = event_sort_parse(http_query(req, "sort"));
    if (sort < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_sort", "sort",
                        "sort 须为 -created_at、created_at、due_at 或 urgency");
    q->sort = (enum event_sort)sort;
    return http_list_params(req, &q->limit, &q->cursor, err) ||
                   query_time(req, "from", &q->from, err) || query_time(req, "to", &q->to, err)
               ? -1
               : 0;
}

/* Whose step it is, and whether it is the caller's (the phone shows only its own countdowns). */
static void add_turn(const struct http_request *req, const struct event *e, json_t *o)
{
    unsigned t = event_turn(e->state, e->extension_pending);
    json_object_set_new(o, "turn", json_string(event_turn_name(t)));
    json_object_set_new(o, "turn_label", json_string(event_turn_label(t)));
    json_object_set_new(o, "my_turn", json_boolean(event_my_turn(req->who, e)));
}

static int list_events(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event_query q;
    struct event_list l = {0};
    char *next = NULL;
    if (read_query(req, &q, &err) || event_list(req->db, req->who, &q, &l, &next, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        json_t *o = event_api_json(req->who, &l.items[i]);
        add_actions(req, &l.items[i], true, o);
        add_turn(req, &l.items[i], o);
        json_array_append_new(items, o);
    }
    http_reply_json(resp, 200, http_list_body(items, next));
    free(next);
    event_list_release(&l);
    return 0;
}

/* GET /api/v1/events.csv: the list with the same filters and order, every page (at most
 * EVENTS_CSV_MAX rows), UTF-8 with a BOM for Excel/WPS; phone numbers are always masked, as
 * an export leaves the system (core/privacy.h). */
#define EVENTS_CSV_MAX 50000
static int list_events_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event_query q;
    if (read_query(req, &q, &err))
        return http_reply_error(resp, &err);
    q.limit = 5000;
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBF编号,标题,类别,状态,当前环节,紧急程度,来源,街道,社区,网格,地址,"
                 "上报人,联系电话,承办部门,承办岗位,上报时间,本阶段期限,结案时间,预警\r\n");
    char *cursor = NULL;
    long rows = 0;
    int ret = -1;
    do {
        struct event_list l = {0};
        char *next = NULL;
        q.cursor = cursor;
        if (event_list(req->db, req->who, &q, &l, &next, &err)) {
            free(cursor);
            buf_release(&b);
            return http_reply_error(resp, &err);
        }
        for (size_t i = 0; i < l.len; i++, rows++) {
            const struct event *e = &l.items[i];
            char phone[64], created[40], due[40] = "", closed[40] = "";
            privacy_mask_phone(e->reporter_contact, phone, sizeof(phone));
            clock_format_local(e->created_at, created, sizeof(created));
            if (e->due_at)
                clock_format_local(e->due_at, due, sizeof(due));
            if (e->closed_at)
                clock_format_local(e->closed_at, closed, sizeof(closed));
            /* "2026-12-04 08:54" reads as a date and time in a spreadsheet. */
            for (char *t[] = {created, due, closed}, **p = t; p < t + 3; p++)
                if (strlen(*p) >= 16) {
                    (*p)[10] = ' ';
                    (*p)[16] = 0;
                }
            const char *cells[] = {e->code,
                                   e->title,
                                   e->category_name,
                                   event_state_label(e->state),
                                   event_turn_label(event_turn(e->state, e->extension_pending)),
                                   event_urgency_label(e->urgency),
                                   event_channel_label(e->channel),
                                   e->street,
                                   e->community,
                                   e->grid,
                                   e->address,
                                   e->reporter_name,
                                   phone,
                                   e->department,
                                   e->post,
                                   created,
                                   due,
                                   closed,
                                   e->alert == EVENT_ALERT_RED      ? "已超期"
                                   : e->alert == EVENT_ALERT_YELLOW ? "即将超期"
                                                                    : ""};
            for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++) {
                if (c)
                    buf_putc(&b, ',');
                /* A resident's title such as =HYPERLINK(...) stays text in a spreadsheet. */
                if (cells[c] && strchr("=+-@\t\r", cells[c][0]) && cells[c][0]) {
                    struct buf t = BUF_INIT;
                    buf_putc(&t, '\'');
                    buf_puts(&t, cells[c]);
                    buf_put_csv(&b, buf_cstr(&t));
                    buf_release(&t);
                } else {
                    buf_put_csv(&b, cells[c]);
                }
            }
            buf_puts(&b, "\r\n");
        }
        event_list_release(&l);
        free(cursor);
        cursor = next;
    } while (cursor && rows < EVENTS_CSV_MAX);
    free(cursor);
    char today[16], name[80];
    clock_format_date(clock_now(), today, sizeof(today));
    snprintf(name, sizeof(name), "attachment; filename=\"events-%s.csv\"", today);
    http_set_header(resp, "Content-Disposition", name);
    ret = http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
    buf_release(&b);
    return ret;
}

static int get_event(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event e;
    if (event_get(req->db, req->who, http_param(req, "code"), true, &e, &err))
        return http_reply_error(resp, &err);
    json_t *o = event_api_json(req->who, &e);
    add_actions(req, &e, false, o);
    add_turn(req, &e, o);
    add_assignee_names(req, &e, o);
    if (strcmp(e.code, http_param(req, "code")) != 0)
        json_object_set_new(o, "redirected_from", json_string(http_param(req, "code")));
    event_release(&e);
    return http_reply_json(resp, 200, o);
}

static int get_history(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event_history h;
    if (event_history_get(req->db, req->who, http_param(req, "code"), &h, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < h.len; i++) {
        const struct event_history_item *it = &h.items[i];
        json_t *att = json_array();
        char *copy = xstrdup(it->attachments), *save = NULL;
        for (char *s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save))
            json_array_append_new(att, json_string(s));
        free(copy);
        json_t *o = json_pack(
            "{s:I,s:s,s:o,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:b,s:b}", "id",
            (json_int_t)it->id, "event", it->event_code, "at", time_json(it->at), "action",
            it->action, "action_label", event_action_label(it->action), "from",
            event_state_name(it->from_state), "to", event_state_name(it->to_state), "actor",
            str_or_null(it->actor), "actor_role", it->actor_role, "actor_name", it->actor_name,
            "department", str_or_null(it->department), "post", str_or_null(it->post), "due_at",
            time_json(it->due_at), "comment", it->comment, "attachments", att, "overdue",
            it->overdue, "internal", it->internal);
        json_object_set_new(o, "level", json_string(event_level_name((enum event_level)it->level)));
        /* The state reached, in Chinese: the web shows the server's label (issue 10). */
        json_object_set_new(o, "to_label", json_string(event_state_label(it->to_state)));
        json_array_append_new(items, o);
    }
    event_history_release(&h);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int get_duplicates(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event e;
    struct event_list l = {0};
    if (event_get(req->db, req->who, http_param(req, "code"), false, &e, &err))
        return http_reply_error(resp, &err);
    int rc =
        event_duplicates(req->app, req->db, req->who, e.category, e.lon, e.lat, e.code, &l, &err);
    event_release(&e);
    if (rc)
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, event_api_json(req->who, &l.items[i]));
    event_list_release(&l);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int action_answer(struct http_request *req, json_t **out, struct app_error *errp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct event_action_input in = {0};
    const char *sat = NULL;
    int64_t hours = 0;
    struct event e;
    if (req->body_len == 0)
        body = json_object();
    else if (http_read_json(req, &body, &err))
        goto fail;
    if (!json_is_object(body)) {
        app_fail(&err, APP_ERR_INVALID, "invalid_type", "body", "请求体须为 JSON 对象");
        goto fail;
    }
    if (http_json_string(body, "comment", false, &in.comment, &err) ||
        http_json_string(body, "reason", false, &in.reason, &err) ||
        http_json_string(body, "department", false, &in.department, &err) ||
        http_json_string(body, "post", false, &in.post, &err) ||
        http_json_string(body, "into", false, &in.into, &err) ||
        http_json_string(body, "result", false, &in.result, &err) ||
        http_json_string(body, "satisfaction", false, &sat, &err) ||
        http_json_int(body, "hours", false, &hours, &err) ||
        read_attachments(body, in.attachments, &in.nattachments, &err))
        goto fail;
    if (sat && (in.satisfaction = event_satisfaction_parse(sat)) < 0) {
        app_fail(&err, APP_ERR_INVALID, "invalid_satisfaction", "satisfaction",
                 "请选择满意、基本满意或不满意");
        goto fail;
    }
    if (hours < 0 || hours > 100000) {
        app_fail(&err, APP_ERR_INVALID, "invalid_hours", "hours", "延期时长须为1至2160之间的整数");
        goto fail;
    }
    in.hours = (int)hours;
    if (event_transition(req->app, req->db, req->who, http_param(req, "code"),
                         http_param(req, "action"), &in, req->request_id, &e, &err))
        goto fail;
    json_decref(body);
    json_t *o = event_api_json(req->who, &e);
    add_actions(req, &e, false, o);
    add_turn(req, &e, o);
    add_assignee_names(req, &e, o);
    event_release(&e);
    *out = o;
    return 200;
fail:
    json_decref(body);
    *errp = err;
    return -1;
}

/* Idempotency-Key (issue 10): a request repeated with the same key in the same scope (the
 * caller and the path) is answered with the first answer instead of being done again.
 * answer() returns the HTTP status with *out set, or -1 with err; public_kind names the
 * residents' rate-limit kind for a 429's Retry-After (NULL for staff). */
static int reply_public_error(struct http_request *req, struct http_response *resp,
                              const char *kind, const struct app_error *err);

static int idempotent(struct http_request *req, struct http_response *resp, const char *caller,
                      int (*answer)(struct http_request *, json_t **, struct app_error *),
                      const char *public_kind)
{
    struct app_error err = {0};
    const char *key = http_header(req, "Idempotency-Key");
    char *scope = NULL, *first = NULL;
    json_t *o = NULL;
    int status = 0;
    if (key) {
        size_t n = strlen(caller) + strlen(req->path) + 2;
        scope = xmalloc(n);
        snprintf(scope, n, "%s|%s", caller, req->path);
        int rc = event_idempotency_begin(req->db, scope, key, &status, &first, &err);
        if (rc == 1) {
            json_t *again = json_loads(first, 0, NULL);
            free(first);
            free(scope);
            http_set_header(resp, "Idempotent-Replayed", "true");
            return http_reply_json(resp, status, again ? again : json_object());
        }
        if (rc < 0) {
            free(scope);
            return http_reply_error(resp, &err);
        }
    }
    status = answer(req, &o, &err);
    if (scope) {
        char *text = status > 0 ? json_dumps(o, JSON_COMPACT) : NULL;
        struct app_error ierr = {0};
        event_idempotency_finish(req->db, scope, key, status, text, &ierr);
        free(text);
        free(scope);
    }
    if (status < 0)
        return public_kind ? reply_public_error(req, resp, public_kind, &err)
                           : http_reply_error(resp, &err);
    return http_reply_json(resp, status, o);
}

static int take_action(struct http_request *req, struct http_response *resp)
{
    return idempotent(req, resp, req->who ? req->who->username : "", action_answer, NULL);
}

static int add_note(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *comment = NULL;
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "comment", true, &comment, &err) ||
        event_note(req->app, req->db, req->who, http_param(req, "code"), comment, req->request_id,
                   &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 201, json_pack("{s:s}", "event", http_param(req, "code")));
}

static int sweep(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *at = NULL;
    int64_t now = clock_now();
    if (req->body_len && http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    if (body && (http_json_string(body, "at", false, &at, &err) ||
                 (at && clock_parse(at, &now, "at", &err)))) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    int n = event_sweep(req->app, req->db, now, &err);
    if (n < 0)
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, json_pack("{s:i}", "changed", n));
}

static int upload(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    char sha[EVENT_SHA_SIZE];
    if (event_attachment_put(req->app, req->db, req->who, req->body, req->body_len, sha, &err))
        return http_reply_error(resp, &err);
    char loc[128];
    snprintf(loc, sizeof(loc), "/api/v1/attachments/%s", sha);
    http_set_header(resp, "Location", loc);
    return http_reply_json(resp, 201, json_pack("{s:s,s:s}", "sha256", sha, "url", loc));
}

static int download(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    char *data;
    size_t len;
    const char *mime;
    if (event_attachment_get(req->app, req->db, req->who, http_param(req, "sha"), &data, &len,
                             &mime, &err))
        return http_reply_error(resp, &err);
    http_set_header(resp, "Cache-Control", "private, max-age=86400, immutable");
    http_set_header(resp, "X-Content-Type-Options", "nosniff");
    http_reply_bytes(resp, 200, mime, data, len);
    free(data);
    return 0;
}

static const char *unit_name(enum event_limit_unit u)
{
    return u == EVENT_LIMIT_WORK_DAYS ? "wd" : u == EVENT_LIMIT_HOURS ? "h" : "wh";
}

static int list_categories(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event_category_list l;
    if (event_category_list(req->db, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        const struct event_category *c = &l.items[i];
        json_array_append_new(
            items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:{s:i,s:i,s:i,s:i},s:b,s:b}", "code",
                             c->code, "name", c->name, "major", c->major, "kind", c->kind, "board",
                             c->board, "department", str_or_null(c->department), "unit",
                             unit_name(c->unit), "limits", "verify", c->limit_verify, "dispatch",
                             c->limit_dispatch, "handle", c->limit_handle, "check", c->limit_check,
                             "self_handle", c->self_handle, "urgent", c->urgent));
    }
    event_category_list_release(&l);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int import_categories(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    int n = 0;
    if (event_category_import_csv(req->db, req->body, req->body_len, &n, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, json_pack("{s:i}", "imported", n));
}

static int list_routes(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event_route_list l;
    if (event_route_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, json_pack("{s:s,s:s,s:o,s:o}", "category", l.items[i].category,
                                               "region", l.items[i].region, "post",
                                               str_or_null(l.items[i].post), "department",
                                               str_or_null(l.items[i].department)));
    event_route_list_release(&l);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int put_route(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *category = NULL, *region = NULL, *post = NULL, *dept = NULL;
    struct event_route r = {0};
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "category", true, &category, &err) ||
        http_json_string(body, "region", true, &region, &err) ||
        http_json_string(body, "post", false, &post, &err) ||
        http_json_string(body, "department", false, &dept, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    snprintf(r.category, sizeof(r.category), "%s", category);
    snprintf(r.region, sizeof(r.region), "%s", region);
    snprintf(r.post, sizeof(r.post), "%s", post ? post : "");
    snprintf(r.department, sizeof(r.department), "%s", dept ? dept : "");
    json_decref(body);
    if (event_route_put(req->db, req->who, &r, req->request_id, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200,
                           json_pack("{s:s,s:s,s:o,s:o}", "category", r.category, "region",
                                     r.region, "post", str_or_null(r.post), "department",
                                     str_or_null(r.department)));
}

/* ---- live stream ------------------------------------------------------------------------- */

static bool stream_filter(void *state, const char *type, const char *scope)
{
    const struct auth_principal *who = state;
    bool event = type && strcmp(type, "event") == 0;
    if (!scope || !*scope)
        return !event;
    if (strncmp(scope, "dept:", 5) == 0)
        return who->role == AUTH_ROLE_DEPARTMENT && strcmp(scope + 5, who->department) == 0;
    if (who->role == AUTH_ROLE_DEPARTMENT)
        return !event && auth_region_in_scope(who, scope);
    if (who->role == AUTH_ROLE_ADMIN)
        return true;
    return auth_region_in_scope(who, scope);
}

static int stream(struct http_request *req, struct http_response *resp)
{
    if (!req->who)
        return http_reply_problem(resp, APP_ERR_UNAUTHORIZED, NULL, NULL, "请先登录");
    struct auth_principal *copy = xmalloc(sizeof(*copy));
    *copy = *req->who;
    const char *last = http_header(req, "Last-Event-ID");
    uint64_t last_id = last ? strtoull(last, NULL, 10) : 0;
    sse_reply(resp, req->app, last_id, stream_filter, copy, free);
    return 0;
}

/* ---- public (residents) ------------------------------------------------------------------ */

/* The browser's own id for the per-device limit (web/static/js/api.js sends it). */
static const char *device_of(const struct http_request *req)
{
    return http_header(req, "X-Device-Id");
}

/* A 429 carries Retry-After (RFC 9110 §10.2.3) in seconds. */
static int reply_public_error(struct http_request *req, struct http_response *resp,
                              const char *kind, const struct app_error *err)
{
    int64_t wait = 0;
    if (err->code == APP_ERR_TOO_MANY &&
        event_public_wait(req->app, req->db, req->client_addr, device_of(req), kind, &wait, NULL) ==
            0) {
        char ra[24];
        snprintf(ra, sizeof(ra), "%lld", (long long)(wait > 0 ? wait : 1));
        http_set_header(resp, "Retry-After", ra);
    }
    return http_reply_error(resp, err);
}

/* Read "photos": [token...] (at most EVENT_PUBLIC_PHOTOS strings). */
static int read_photos(json_t *body, struct event_input *in, struct app_error *err)
{
    json_t *arr = json_object_get(body, "photos");
    in->nphotos = 0;
    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > EVENT_PUBLIC_PHOTOS)
        return app_fail(err, APP_ERR_INVALID, "too_many_photos", "photos",
                        "photos 须为不超过 %d 个照片编号的数组", EVENT_PUBLIC_PHOTOS);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *t = json_array_get(arr, i);
        if (!json_is_string(t))
            return app_fail(err, APP_ERR_INVALID, "invalid_type", "photos",
                            "photos 须为字符串数组");
        in->photos[in->nphotos++] = json_string_value(t);
    }
    return 0;
}

static int public_photo(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    char token[EVENT_PHOTO_TOKEN_SIZE];
    if (event_public_photo_put(req->app, req->db, req->client_addr, device_of(req), req->body,
                               req->body_len, token, &err))
        return reply_public_error(req, resp, "photo", &err);
    return http_reply_json(
        resp, 201, json_pack("{s:s,s:i}", "photo", token, "expires_in", EVENT_PUBLIC_PHOTO_TTL));
}

static int public_report_answer(struct http_request *req, json_t **out, struct app_error *errp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct event_input in = {.channel = EVENT_CHANNEL_CITIZEN_QR, .urgency = -1};
    const char *coord = NULL;
    struct event e;
    if (http_read_json(req, &body, &err) || http_json_string(body, "grid", false, &in.grid, &err) ||
        http_json_string(body, "category", true, &in.category, &err) ||
        http_json_string(body, "title", true, &in.title, &err) ||
        http_json_string(body, "description", false, &in.description, &err) ||
        http_json_number(body, "lon", false, &in.lon, &err) ||
        http_json_number(body, "lat", false, &in.lat, &err) ||
        http_json_string(body, "coord", false, &coord, &err) ||
        http_json_string(body, "address", false, &in.address, &err) ||
        http_json_string(body, "name", false, &in.reporter_name, &err) ||
        http_json_string(body, "phone", false, &in.reporter_contact, &err) ||
        read_photos(body, &in, &err))
        goto fail;
    in.gcj02 = coord && strcmp(coord, "gcj02") == 0;
    in.client = req->client_addr;
    in.device = device_of(req);
    /* Residents never act as a logged-in user here, whatever cookie they carry. */
    if (event_create(req->app, req->db, NULL, &in, req->request_id, &e, &err))
        goto fail;
    json_decref(body);
    char url[96];
    snprintf(url, sizeof(url), "/api/v1/public/reports/%s", e.tracking);
    json_t *o = json_pack("{s:s,s:s,s:s}", "tracking", e.tracking, "status",
                          event_state_name(e.state), "url", url);
    event_release(&e);
    *out = o;
    return 201;
fail:
    json_decref(body);
    *errp = err;
    return -1;
}

static int public_report(struct http_request *req, struct http_response *resp)
{
    /* Residents have no account: the key alone (a random one per report) is the scope. */
    return idempotent(req, resp, "public", public_report_answer, "report");
}

/* The rating form of the status page: the choices of 回访 satisfaction. */
static json_t *rating_form(void)
{
    return json_pack("{s:s,s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}]}", "label", "您对办理结果满意吗？",
                     "choices", "value", "satisfied", "label", "满意", "value", "basic", "label",
                     "基本满意", "value", "unsatisfied", "label", "不满意");
}

static int public_status(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct event_public_status *s = xmalloc(sizeof(*s));
    if (event_public_status(req->db, http_param(req, "tracking"), s, &err)) {
        free(s);
        return http_reply_error(resp, &err);
    }
    json_t *steps = json_array();
    for (int i = 0; i < s->nsteps; i++)
        json_array_append_new(steps, json_pack("{s:o,s:s}", "at", time_json(s->steps[i].at),
                                               "label", s->steps[i].label));
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:o,s:o,s:o,s:s,s:o}", "tracking", s->tracking,
                  "category", s->category_name, "title", s->title, "state", s->state, "state_label",
                  s->state_label, "open", s->open, "status_note", s->status_note, "created_at",
                  time_json(s->created_at), "updated_at", time_json(s->updated_at), "expected_at",
                  time_json(s->expected_at), "agency", s->agency, "steps", steps);
    json_object_set_new(o, "can_rate", json_boolean(s->can_rate));
    json_object_set_new(o, "satisfaction",
                        s->satisfaction ? json_string(event_satisfaction_name(s->satisfaction))
                                        : json_null());
    json_object_set_new(o, "rating", rating_form());
    free(s);
    return http_reply_json(resp, 200, o);
}

/* POST /api/v1/public/reports/{tracking}/rating {satisfaction, comment?}: the reporter's 回访. */
static int public_rate(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *sat = NULL, *comment = NULL;
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "satisfaction", true, &sat, &err) ||
        http_json_string(body, "comment", false, &comment, &err) ||
        event_public_rate(req->app, req->db, http_param(req, "tracking"),
                          event_satisfaction_parse(sat), comment, req->request_id, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return public_status(req, resp);
}

/* GET /api/v1/public/report-form: what the residents' page shows — the plain groups with their
 * classes, 其他问题, the emergencies that are called in rather than filed, the photo limits and
 * the fields with the names the API reports problems under. */
static int public_form(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    size_t ng, ne;
    const struct event_public_group *g = event_public_groups(&ng);
    const struct event_public_emergency *em = event_public_emergencies(&ne);
    json_t *groups = json_array(), *ems = json_array();
    for (size_t i = 0; i < ng; i++) {
        json_t *cats = json_array();
        for (size_t k = 0; k < 12 && g[i].categories[k]; k++) {
            struct event_category c;
            if (event_category_get(req->db, g[i].categories[k], &c, &err) == 0)
                json_array_append_new(cats, json_pack("{s:s,s:s}", "code", c.code, "name", c.name));
        }
        json_array_append_new(groups, json_pack("{s:s,s:s,s:s,s:o}", "key", g[i].key, "label",
                                                g[i].label, "hint", g[i].hint, "categories", cats));
    }
    for (size_t i = 0; i < ne; i++)
        json_array_append_new(ems,
                              json_pack("{s:s,s:s,s:s,s:s}", "key", em[i].key, "label", em[i].label,
                                        "phone", em[i].phone, "notice", em[i].notice));
    json_t *fields = json_pack(
        "[{s:s,s:s,s:b,s:i},{s:s,s:s,s:b,s:i},{s:s,s:s,s:b,s:i},{s:s,s:s,s:b,s:i},"
        "{s:s,s:s,s:b,s:i}]",
        "name", "category", "label", "问题类型", "required", 1, "max", 16, "name", "description",
        "label", "问题描述", "required", 1, "max", 1000, "name", "address", "label", "具体位置",
        "required", 0, "max", 80, "name", "phone", "label", "联系电话", "required", 0, "max", 20,
        "name", "photos", "label", "现场照片", "required", 0, "max", EVENT_PUBLIC_PHOTOS);
    json_t *o = json_pack("{s:o,s:{s:s,s:s},s:o,s:o,s:{s:i,s:I}}", "groups", groups, "other",
                          "code", EVENT_PUBLIC_OTHER, "label", "其他问题（不确定类型）",
                          "emergencies", ems, "fields", fields, "photos", "max",
                          EVENT_PUBLIC_PHOTOS, "max_bytes", (json_int_t)EVENT_PUBLIC_PHOTO_MAX);
    return http_reply_json(resp, 200, o);
}

const struct http_route event_routes[] = {
    {"POST", "/api/v1/events/sweep", sweep, 0, "event.sweep"},
    {"POST", "/api/v1/events", create_event, 0, "event.create"},
    {"GET", "/api/v1/events", list_events, 0, "event.read"},
    {"GET", "/api/v1/events.csv", list_events_csv, 0, "event.read"},
    {"GET", "/api/v1/events/{code}", get_event, 0, "event.read"},
    {"GET", "/api/v1/events/{code}/history", get_history, 0, "event.read"},
    {"GET", "/api/v1/events/{code}/duplicates", get_duplicates, 0, "event.read"},
    /* The permission is per action (event.<action>), checked by event_transition. */
    {"POST", "/api/v1/events/{code}/actions/{action}", take_action, 0, NULL},
    {"POST", "/api/v1/events/{code}/notes", add_note, 0, "event.note"},
    {"POST", "/api/v1/attachments", upload, HTTP_RAW_BODY, "event.attach"},
    {"GET", "/api/v1/attachments/{sha}", download, 0, "event.read"},
    {"GET", "/api/v1/categories", list_categories, HTTP_PUBLIC, NULL},
    {"POST", "/api/v1/categories.csv", import_categories, HTTP_RAW_BODY, "event.categories"},
    {"GET", "/api/v1/event-routes", list_routes, 0, "event.read"},
    {"PUT", "/api/v1/event-routes", put_route, 0, "event.routes"},
    {"GET", "/api/v1/stream", stream, 0, "event.read"},
    {"POST", "/api/v1/public/reports", public_report, HTTP_PUBLIC, NULL},
    {"POST", "/api/v1/public/photos", public_photo, HTTP_PUBLIC | HTTP_RAW_BODY, NULL},
    {"GET", "/api/v1/public/reports/{tracking}", public_status, HTTP_PUBLIC, NULL},
    /* issue 10: the residents' form and the reporter's rating */
    {"GET", "/api/v1/public/report-form", public_form, HTTP_PUBLIC, NULL},
    {"POST", "/api/v1/public/reports/{tracking}/rating", public_rate, HTTP_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
