/* Open311 GeoReport v2 rules: form decoding, the api_key check, validation of a citizen's
 * report into an event input, the GET requests filters, the phase → open/closed mapping and
 * the XML writer. Events are read and created only through the event module's public API. */
#include "open311/open311.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "open311/open311_store.h"

/* ---- forms ------------------------------------------------------------------------------- */

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decode s[0..n) into a new string; NULL on a bad escape or invalid UTF-8. */
static char *decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[j++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(out);
                return NULL;
            }
            out[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = 0;
    /* Clients (FixMyStreet among them) send line breaks as CRLF: keep one LF, so a text is
     * counted, stored and shown the same whichever client sent it. */
    size_t w = 0;
    for (size_t r = 0; r < j; r++)
        if (!(out[r] == '\r' && r + 1 < j && out[r + 1] == '\n'))
            out[w++] = out[r];
    out[w] = 0;
    j = w;
    if (!utf8_valid(out, j) || strlen(out) != j) {
        free(out);
        return NULL;
    }
    return out;
}

int open311_form_parse(const char *text, size_t len, struct open311_form *f, struct app_error *err)
{
    memset(f, 0, sizeof *f);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        if (!amp)
            amp = end;
        if (amp > p) {
            const char *eq = memchr(p, '=', (size_t)(amp - p));
            const char *ve = amp;
            if (!eq)
                eq = amp;
            if (f->n == OPEN311_MAX_FIELDS) {
                open311_form_release(f);
                return app_fail(err, APP_ERR_INVALID, "malformed_form", "body", "表单字段过多");
            }
            char *name = decode(p, (size_t)(eq - p));
            char *value = eq < ve ? decode(eq + 1, (size_t)(ve - eq - 1)) : xstrdup("");
            if (!name || !value) {
                free(name);
                free(value);
                open311_form_release(f);
                return app_fail(err, APP_ERR_INVALID, "malformed_form", "body",
                                "表单编码无效（百分号转义或 UTF-8 错误）");
            }
            f->names[f->n] = name;
            f->values[f->n++] = value;
        }
        p = amp + 1;
    }
    return 0;
}

void open311_form_release(struct open311_form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++) {
        free(f->names[i]);
        free(f->values[i]);
    }
    f->n = 0;
}

const char *open311_form_get(const struct open311_form *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->names[i], name) == 0)
            return f->values[i][0] ? f->values[i] : NULL;
    return NULL;
}

/* ---- posting ----------------------------------------------------------------------------- */

void open311_post_from_form(const struct open311_form *f, struct open311_post *p)
{
    memset(p, 0, sizeof *p);
    p->api_key = open311_form_get(f, "api_key");
    p->service_code = open311_form_get(f, "service_code");
    p->lat = open311_form_get(f, "lat");
    p->lon = open311_form_get(f, "long");
    p->address_string = open311_form_get(f, "address_string");
    p->address_id = open311_form_get(f, "address_id");
    p->email = open311_form_get(f, "email");
    p->device_id = open311_form_get(f, "device_id");
    p->account_id = open311_form_get(f, "account_id");
    p->first_name = open311_form_get(f, "first_name");
    p->last_name = open311_form_get(f, "last_name");
    p->phone = open311_form_get(f, "phone");
    p->description = open311_form_get(f, "description");
    p->media_url = open311_form_get(f, "media_url");
    p->urgency = open311_form_get(f, "attribute[" OPEN311_ATTR_URGENCY "]");
}

int open311_check_key(const char *configured, const char *given, struct app_error *err)
{
    if (!configured || !*configured)
        return 0;
    size_t n = strlen(configured), m = given ? strlen(given) : 0;
    unsigned diff = (unsigned)(n != m);
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned)(configured[i] ^ (i < m ? given[i] : 0));
    if (diff)
        return app_fail(err, APP_ERR_FORBIDDEN, "invalid_api_key", "api_key", "api_key 无效或缺失");
    return 0;
}

static int parse_coord(const char *s, double lo, double hi, double *out)
{
    char *end;
    if (!s)
        return -1;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

bool open311_media_url_ok(const char *url)
{
    size_t n = strlen(url);
    if (n > OPEN311_URL_MAX ||
        !(strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0))
        return false;
    for (const unsigned char *c = (const unsigned char *)url; *c; c++)
        if (*c <= 0x20 || *c == 0x7f || *c == '"' || *c == '<' || *c == '>' || *c == '\\')
            return false;
    return n > 8;
}

bool open311_quota_allow(const int64_t *times, size_t n, int64_t now, long limit, long window,
                         int64_t *retry_after)
{
    return event_rate_allow(times, n, now, limit, window, retry_after);
}

/* Number of UTF-8 characters in s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Copy at most `chars` UTF-8 characters of s into out. */
static void utf8_prefix(const char *s, size_t chars, char *out, size_t n)
{
    size_t i = 0, c = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (c == chars)
                break;
            c++;
        }
        i++;
    }
    while (i >= n) /* back off to a character boundary that fits */
        do
            i--;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    memcpy(out, s, i);
    out[i] = 0;
}

int open311_post_to_input(const struct open311_post *p, const char *service_name,
                          struct event_input *in, char *name_buf, size_t name_n, char *title_buf,
                          size_t title_n, char *contact_buf, size_t contact_n,
                          struct app_error *err)
{
    memset(in, 0, sizeof *in);
    if (p->media_url && !open311_media_url_ok(p->media_url))
        return app_fail(err, APP_ERR_INVALID, "invalid_url", "media_url",
                        "media_url 应为 http:// 或 https:// 网址（至多 1000 个字节）");
    if (!p->service_code)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "service_code", "缺少 service_code");
    if (!p->lat && !p->lon)
        return app_fail(err, APP_ERR_INVALID, "location_required", "lat",
                        "请提供 lat 和 long（WGS84）；暂不支持仅凭 address_string 或 "
                        "address_id 定位");
    if (parse_coord(p->lat, -90, 90, &in->lat))
        return app_fail(err, APP_ERR_INVALID, "invalid_number", "lat", "lat 应为 -90..90 的数值");
    if (parse_coord(p->lon, -180, 180, &in->lon))
        return app_fail(err, APP_ERR_INVALID, "invalid_number", "long",
                        "long 应为 -180..180 的数值");
    if (p->description && utf8_chars(p->description) > 4000)
        return app_fail(err, APP_ERR_INVALID, "too_long", "description",
                        "description 不能超过 4000 个字符");
    in->urgency = -1;
    if (p->urgency) {
        int u = event_urgency_parse(p->urgency);
        if (u != EVENT_URGENCY_NORMAL && u != EVENT_URGENCY_URGENT)
            return app_fail(err, APP_ERR_INVALID, "invalid_value", "attribute[urgency]",
                            "attribute[urgency] 应为 normal 或 urgent");
        in->urgency = u;
    }
    in->channel = EVENT_CHANNEL_CITIZEN_QR;
    in->category = p->service_code;
    in->description = p->description;
    in->address = p->address_string;
    snprintf(name_buf, name_n, "%s%s", p->last_name ? p->last_name : "",
             p->first_name ? p->first_name : "");
    in->reporter_name = name_buf[0] ? name_buf : NULL;
    /* Both when both are sent: the handler may call or write back. */
    if (p->phone && p->email)
        snprintf(contact_buf, contact_n, "%s / %s", p->phone, p->email);
    else
        snprintf(contact_buf, contact_n, "%s", p->phone ? p->phone : p->email ? p->email : "");
    in->reporter_contact = contact_buf[0] ? contact_buf : NULL;
    /* Title: the service name, then the start of the description. */
    char head[128] = "";
    if (p->description)
        utf8_prefix(p->description, 30, head, sizeof head);
    snprintf(title_buf, title_n, "%s%s%s", service_name, head[0] ? "：" : "", head);
    in->title = title_buf;
    return 0;
}

int open311_post_request(struct app *app, struct db *db, const struct open311_post *p,
                         const char *request_id, char *id_out, struct app_error *err)
{
    struct event_category cat;
    struct event_input in;
    struct event e = {0};
    char name[128], title[256], contact[128], client[65];
    if (open311_check_key(app->cfg.open311_api_key, p->api_key, err))
        return -1;
    /* A client with the configured api_key (a FixMyStreet server relaying many residents) has
     * its own quota instead of the residents' per-address limit. */
    bool keyed = app->cfg.open311_api_key && *app->cfg.open311_api_key;
    int64_t now = clock_now(), *times = NULL;
    if (keyed) {
        unsigned char h[crypto_hash_sha256_BYTES];
        size_t n = 0;
        int64_t wait = 0;
        long limit = app->cfg.open311_client_limit, window = app->cfg.open311_client_window;
        crypto_hash_sha256(h, (const unsigned char *)p->api_key, strlen(p->api_key));
        sodium_bin2hex(client, sizeof client, h, sizeof h);
        times = xmalloc((size_t)limit * sizeof *times);
        int rc = open311_store_posts(db, client, now - window, times, (size_t)limit, &n, err);
        bool ok = rc == 0 && open311_quota_allow(times, n, now, limit, window, &wait);
        free(times);
        if (rc)
            return -1;
        if (!ok) {
            if (p->retry_after)
                *p->retry_after = wait;
            return app_fail(err, APP_ERR_TOO_MANY, "quota_exceeded", "api_key",
                            "此 api_key 的提交已达上限（每 %ld 秒 %ld 条），请 %lld 秒后再试",
                            window, limit, (long long)wait);
        }
    }
    if (!p->service_code)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "service_code", "缺少 service_code");
    if (event_category_get(db, p->service_code, &cat, err)) {
        if (err->code == APP_ERR_NOT_FOUND)
            app_fail(err, APP_ERR_INVALID, "unknown_service", "service_code",
                     "未知的 service_code：%s", p->service_code);
        return -1;
    }
    if (open311_post_to_input(p, cat.name, &in, name, sizeof name, title, sizeof title, contact,
                              sizeof contact, err))
        return -1;
    /* Anonymous Open311 reports share the residents' rate limit; keyed ones have their own. */
    in.client = keyed ? NULL : p->client;
    if (event_create(app, db, NULL, &in, request_id, &e, err)) {
        /* GeoReport v2 names the longitude "long" */
        if (strcmp(err->field, "lon") == 0)
            snprintf(err->field, sizeof err->field, "long");
        return -1;
    }
    snprintf(id_out, EVENT_CODE_SIZE, "%s", e.code);
    event_release(&e);
    if (keyed && open311_store_post_add(db, client, now, now - app->cfg.open311_client_window, err))
        return -1;
    if (p->media_url && open311_store_media_put(db, id_out, p->media_url, err))
        return -1;
    return 0;
}

/* ---- reading ----------------------------------------------------------------------------- */

int open311_filter_parse(const char *ids, const char *service_code, const char *start_date,
                         const char *end_date, const char *status, int64_t now,
                         struct open311_filter *f, struct app_error *err)
{
    const int64_t window = (int64_t)OPEN311_WINDOW_DAYS * 86400;
    memset(f, 0, sizeof *f);
    f->ids = ids && *ids ? ids : NULL;
    f->service_code = service_code && *service_code ? service_code : NULL;
    if (status && *status) {
        if (strcmp(status, "open") && strcmp(status, "closed") && strcmp(status, "open,closed") &&
            strcmp(status, "closed,open"))
            return app_fail(err, APP_ERR_INVALID, "invalid_value", "status",
                            "status 应为 open 或 closed");
        f->status = strchr(status, ',') ? NULL : status;
    }
    bool has_start = start_date && *start_date, has_end = end_date && *end_date;
    if (has_start && clock_parse(start_date, &f->start, "start_date", err))
        return -1;
    if (has_end && clock_parse(end_date, &f->end, "end_date", err))
        return -1;
    if (!has_end)
        f->end = has_start && f->start + window < now ? f->start + window : now;
    if (!has_start)
        f->start = f->end - window;
    if (f->end < f->start)
        return app_fail(err, APP_ERR_INVALID, "invalid_period", "end_date",
                        "end_date 不能早于 start_date");
    if (f->end - f->start > window)
        return app_fail(err, APP_ERR_INVALID, "period_too_long", "end_date",
                        "查询区间不能超过 90 天");
    return 0;
}

void open311_request_list_release(struct open311_request_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i].description);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void open311_status_notes(const struct event *e, const char *public_note, char *out, size_t n)
{
    const char *phase = event_state_label(e->state);
    if (e->state == EVENT_STATE_MERGED)
        snprintf(out, n, "%s：已并入 %s", phase, e->merged_into);
    else if (public_note && *public_note && strcmp(public_note, phase) != 0)
        snprintf(out, n, "%s：%s", phase, public_note);
    else
        snprintf(out, n, "%s", phase);
}

static void fill_request(struct db *db, const struct event *e, struct open311_request *r)
{
    struct event_public_status ps;
    struct app_error err = {0};
    bool have = event_public_status(db, e->code, &ps, &err) == 0;
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", e->code);
    r->open = event_state_open(e->state);
    open311_status_notes(e, have ? ps.status_note : NULL, r->status_notes, sizeof r->status_notes);
    snprintf(r->service_name, sizeof r->service_name, "%s", e->category_name);
    snprintf(r->service_code, sizeof r->service_code, "%s", e->category);
    r->description = xstrdup(e->description ? e->description : "");
    snprintf(r->agency, sizeof r->agency, "%s", have ? ps.agency : "");
    if (e->state == EVENT_STATE_REPORTED || e->state == EVENT_STATE_VERIFYING)
        snprintf(r->service_notice, sizeof r->service_notice, "网格员将现场核实后立案");
    r->requested = e->created_at;
    r->updated = e->closed_at && !r->open ? e->closed_at : e->updated_at;
    r->expected = r->open ? (e->handle_due_at ? e->handle_due_at : e->due_at) : 0;
    snprintf(r->address, sizeof r->address, "%s", e->address);
    r->lat = e->lat;
    r->lon = e->lon;
    open311_store_media_get(db, e->code, r->media_url, sizeof r->media_url, &err);
}

static void push(struct open311_request_list *l, struct db *db, const struct event *e)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    fill_request(db, e, &l->items[l->len++]);
}

static bool is_public(const struct event *e)
{
    return e->channel == EVENT_CHANNEL_CITIZEN_QR;
}

int open311_request_get(struct db *db, const char *id, struct open311_request_list *out,
                        struct app_error *err)
{
    struct event e = {0};
    memset(out, 0, sizeof *out);
    if (event_get(db, NULL, id, false, &e, err) || !is_public(&e)) {
        event_release(&e);
        return app_fail(err, APP_ERR_NOT_FOUND, "request_not_found", "service_request_id",
                        "没有编号为 %s 的诉求", id);
    }
    push(out, db, &e);
    event_release(&e);
    return 0;
}

int open311_requests(struct db *db, const struct open311_filter *f,
                     struct open311_request_list *out, struct app_error *err)
{
    memset(out, 0, sizeof *out);
    if (f->ids) {
        /* GeoReport v2: an id list overrides every other filter. */
        const char *p = f->ids;
        while (*p && out->len < OPEN311_MAX_RESULTS) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            char id[EVENT_CODE_SIZE];
            if (n > 0 && n < sizeof id) {
                memcpy(id, p, n);
                id[n] = 0;
                struct event e = {0};
                struct app_error ignore = {0};
                if (event_get(db, NULL, id, false, &e, &ignore) == 0 && is_public(&e))
                    push(out, db, &e);
                event_release(&e);
            }
            p += n + (comma ? 1 : 0);
        }
        return 0;
    }
    struct event_query q = {.status = f->status,
                            .category = f->service_code,
                            .channel = "citizen_qr",
                            .from = f->start,
                            .to = f->end + 1,
                            .limit = OPEN311_MAX_RESULTS};
    struct event_list list = {0};
    char *next = NULL;
    if (event_list(db, NULL, &q, &list, &next, err))
        return -1;
    free(next);
    for (size_t i = 0; i < list.len; i++)
        push(out, db, &list.items[i]);
    event_list_release(&list);
    return 0;
}

/* ---- updates (mySociety's servicerequestupdates) ---------------------------------------- */

void open311_update_list_release(struct open311_update_list *l)
{
    if (!l)
        return;
    free(l->items);
    memset(l, 0, sizeof *l);
}

const char *open311_update_status(enum event_state s)
{
    switch (s) {
    case EVENT_STATE_REPORTED:
    case EVENT_STATE_VERIFYING:
    case EVENT_STATE_REGISTERED:
        return "open";
    case EVENT_STATE_CLOSED:
    case EVENT_STATE_REVISITED:
        return "fixed";
    case EVENT_STATE_VOIDED:
        return "closed";
    case EVENT_STATE_MERGED:
        return "duplicate";
    default:
        return "in_progress";
    }
}

static int collect_update(void *ctx, const struct event *e, const struct event_history_item *h)
{
    struct open311_update_list *l = ctx;
    if (!is_public(e) || h->internal || h->from_state == h->to_state)
        return 0;
    if (l->len == OPEN311_MAX_RESULTS)
        return 1;
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    struct open311_update *u = &l->items[l->len++];
    memset(u, 0, sizeof *u);
    u->id = h->id;
    snprintf(u->request_id, sizeof u->request_id, "%s", h->event_code);
    u->status = open311_update_status(h->to_state);
    u->at = h->at;
    if (h->to_state == EVENT_STATE_MERGED && e->merged_into[0])
        snprintf(u->description, sizeof u->description, "%s：已并入 %s",
                 event_state_label(h->to_state), e->merged_into);
    else
        snprintf(u->description, sizeof u->description, "%s", event_state_label(h->to_state));
    return 0;
}

int open311_updates(struct db *db, int64_t start, int64_t end, struct open311_update_list *out,
                    struct app_error *err)
{
    memset(out, 0, sizeof *out);
    return event_history_scan(db, start, end + 1, collect_update, out, err);
}

struct newest_row {
    const char *code;
    int64_t id;
};

static int newest_of(void *ctx, const struct event *e, const struct event_history_item *h)
{
    struct newest_row *n = ctx;
    (void)e;
    if (strcmp(h->event_code, n->code) == 0 && h->id > n->id)
        n->id = h->id;
    return 0;
}

int open311_post_update(struct app *app, struct db *db, const char *api_key, const char *id,
                        const char *description, const char *media_url, int64_t *update_id,
                        struct app_error *err)
{
    struct event e = {0};
    char note[2400];
    if (open311_check_key(app->cfg.open311_api_key, api_key, err))
        return -1;
    if (!id || !*id)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "service_request_id",
                        "缺少 service_request_id");
    if (!description || !*description)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "description", "缺少 description");
    if (utf8_chars(description) > 500)
        return app_fail(err, APP_ERR_INVALID, "too_long", "description",
                        "description 不能超过 500 个字符");
    if (media_url && !open311_media_url_ok(media_url))
        return app_fail(err, APP_ERR_INVALID, "invalid_url", "media_url",
                        "media_url 应为 http:// 或 https:// 网址（至多 1000 个字节）");
    bool found = event_get(db, NULL, id, false, &e, err) == 0 && is_public(&e);
    event_release(&e);
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "request_not_found", "service_request_id",
                        "没有编号为 %s 的诉求", id);
    snprintf(note, sizeof note, "市民端补充：%s%s%s", description, media_url ? " 图片：" : "",
             media_url ? media_url : "");
    int64_t now = clock_now();
    if (event_add_note(app, db, id, note, err))
        return -1;
    struct newest_row n = {id, 0};
    if (event_history_scan(db, now, clock_now() + 1, newest_of, &n, err))
        return -1;
    *update_id = n.id;
    return 0;
}

/* ---- XML and dates ----------------------------------------------------------------------- */

void open311_xml_begin(struct buf *b)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
}

void open311_xml_escape(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&apos;");
            break;
        default:
            /* XML 1.0 §2.2: no C0 controls other than tab, LF and CR. */
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                buf_putc(b, (char)c);
        }
    }
}

void open311_xml_text(struct buf *b, const char *name, const char *text)
{
    buf_printf(b, "<%s>", name);
    open311_xml_escape(b, text);
    buf_printf(b, "</%s>", name);
}

void open311_datetime(int64_t t, char *out, size_t n)
{
    clock_format_local(t, out, n);
}
