/* Rules and orchestration of river-chief patrols: frequency windows and compliance, gaps and
 * recurrence as pure functions, then segments, recording a patrol (coverage, findings turned
 * into events, audit in one transaction) and a segment's report. */
#include "patrol/patrol.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "event/event.h"
#include "monitor/monitor.h"
#include "org/org.h"
#include "patrol/patrol_internal.h"
#include "patrol/patrol_store.h"

/* ---- levels and windows ------------------------------------------------------------------ */

static const char *const level_names[] = {"district", "street", "community"};
static const char *const level_labels[] = {"区级河长", "街道级河长", "社区级河长"};

const char *patrol_level_name(enum patrol_level l)
{
    return (unsigned)l < PATROL_LEVEL_COUNT ? level_names[l] : "";
}

const char *patrol_level_label(enum patrol_level l)
{
    return (unsigned)l < PATROL_LEVEL_COUNT ? level_labels[l] : "";
}

int patrol_level_parse(const char *s)
{
    for (int i = 0; s && i < PATROL_LEVEL_COUNT; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

const char *patrol_window_name(enum patrol_window w)
{
    return w == PATROL_WINDOW_MONTH ? "month" : w == PATROL_WINDOW_XUN ? "xun" : "week";
}

const char *patrol_window_label(enum patrol_window w)
{
    return w == PATROL_WINDOW_MONTH ? "月" : w == PATROL_WINDOW_XUN ? "旬" : "周";
}

/* The frequencies of the four-level chief system as Chongqing sets them (重庆市河长制工作规定,
 * 2017, recalled, not checked against the primary text; docs/patrol.md): 区县级河长 every month,
 * 乡镇(街道)级 every 旬, 村(社区)级 every week. */
struct patrol_rule patrol_rule_of(enum patrol_level l)
{
    switch (l) {
    case PATROL_LEVEL_DISTRICT:
        return (struct patrol_rule){l, PATROL_WINDOW_MONTH, 1};
    case PATROL_LEVEL_STREET:
        return (struct patrol_rule){l, PATROL_WINDOW_XUN, 1};
    default:
        return (struct patrol_rule){PATROL_LEVEL_COMMUNITY, PATROL_WINDOW_WEEK, 1};
    }
}

static int64_t local_day(int64_t t)
{
    int64_t s = t + CLOCK_CN_OFFSET;
    return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

static int64_t day_start(int64_t day)
{
    return day * 86400 - CLOCK_CN_OFFSET;
}

void patrol_window_of(enum patrol_window w, int64_t t, int64_t *start, int64_t *end)
{
    int64_t d = local_day(t), a, b;
    int y, m, dd;
    clock_civil_from_days(d, &y, &m, &dd);
    int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
    switch (w) {
    case PATROL_WINDOW_MONTH:
        a = clock_days_from_civil(y, m, 1);
        b = clock_days_from_civil(ny, nm, 1);
        break;
    case PATROL_WINDOW_XUN:
        if (dd <= 10) {
            a = clock_days_from_civil(y, m, 1);
            b = a + 10;
        } else if (dd <= 20) {
            a = clock_days_from_civil(y, m, 11);
            b = a + 10;
        } else {
            a = clock_days_from_civil(y, m, 21);
            b = clock_days_from_civil(ny, nm, 1);
        }
        break;
    default:
        a = d - clock_weekday(d);
        b = a + 7;
        break;
    }
    *start = day_start(a);
    *end = day_start(b);
}

void patrol_compliance_compute(const struct patrol_rule *rule, const int64_t *times, size_t n,
                               int64_t from, int64_t now, struct patrol_window_count *out,
                               size_t cap, size_t *nout, struct patrol_compliance *sum)
{
    memset(sum, 0, sizeof(*sum));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (times[i] > sum->last && times[i] <= now)
            sum->last = times[i];
    int64_t start, end;
    patrol_window_of(rule->window, from, &start, &end);
    while (start <= now) {
        struct patrol_window_count wc = {.start = start, .end = end};
        for (size_t i = 0; i < n; i++)
            if (times[i] >= start && times[i] < end && times[i] <= now)
                wc.count++;
        wc.met = wc.count >= rule->times;
        wc.running = now < end;
        if (!wc.running || wc.met) {
            sum->windows++;
            sum->met += wc.met;
        }
        if (wc.running)
            sum->current_met = wc.met;
        if (out && k < cap)
            out[k++] = wc;
        patrol_window_of(rule->window, end, &start, &end);
    }
    sum->rate = sum->windows ? (double)sum->met / sum->windows : 1.0;
    if (nout)
        *nout = k;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

size_t patrol_gaps(const int64_t *times, size_t n, int64_t from, int64_t now, int max_days,
                   struct patrol_gap *out, size_t cap)
{
    int64_t *t = xcalloc(n + 1, sizeof(*t));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (times[i] >= from && times[i] <= now)
            t[m++] = times[i];
    qsort(t, m, sizeof(*t), cmp_i64);
    size_t k = 0;
    int64_t prev = from, limit = (int64_t)max_days * 86400;
    for (size_t i = 0; i <= m; i++) {
        int64_t next = i < m ? t[i] : now;
        if (next - prev > limit) {
            if (out && k < cap)
                out[k] = (struct patrol_gap){prev, next, (double)(next - prev) / 86400.0, i == m};
            k++;
        }
        prev = next;
    }
    free(t);
    return k;
}

int64_t patrol_recurrence_of(const struct patrol_place *earlier, size_t n, double lon, double lat,
                             int64_t at, double radius_m)
{
    int64_t best = 0, best_at = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        const struct patrol_place *p = &earlier[i];
        if (p->at >= at || !p->closed_at || p->closed_at > at)
            continue;
        if (geo_ellipsoid_distance_m((struct geo_point){p->lon, p->lat},
                                     (struct geo_point){lon, lat}) > radius_m)
            continue;
        if (p->at > best_at) {
            best_at = p->at;
            best = p->id;
        }
    }
    return best;
}

/* ---- segments ---------------------------------------------------------------------------- */

void patrol_segment_release(struct patrol_segment *s)
{
    if (!s)
        return;
    free(s->geometry);
    free(s->works);
    s->geometry = s->works = NULL;
}

void patrol_segment_list_release(struct patrol_segment_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->len; i++)
        patrol_segment_release(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

static bool empty(const char *s)
{
    return !s || !*s;
}

static int tx_begin(struct db *db, bool *own, struct app_error *err)
{
    *own = !patrol_store_in_tx(db);
    return *own ? db_begin(db, err) : 0;
}

static int tx_end(struct db *db, bool own, int rc, struct app_error *err)
{
    if (!own)
        return rc;
    if (rc == 0)
        return db_commit(db, err);
    db_rollback(db);
    return rc;
}

/* The district's centre, towards which a bank point is nudged to find its grid. */
static int district_centre(struct db *db, struct geo_point *c, struct app_error *err)
{
    struct org_region_query q = {.level = "district", .limit = 1};
    struct org_region_list l = {0};
    bool more;
    if (org_region_list(db, &q, &l, &more, err))
        return -1;
    *c = l.len ? (struct geo_point){l.items[0].center_lon, l.items[0].center_lat}
               : (struct geo_point){0, 0};
    org_region_list_release(&l);
    return 0;
}

struct street_count {
    char code[24];
    int n;
};

int patrol_segment_create(struct app *app, struct db *db, const struct patrol_segment_input *in,
                          struct app_error *err)
{
    if (empty(in->code) || strlen(in->code) > 31)
        return app_fail(err, APP_ERR_INVALID, "invalid_code", "code", "岸段编码无效");
    if (empty(in->name) || empty(in->river) || empty(in->river_name))
        return app_fail(err, APP_ERR_INVALID, "required", "name", "请填写岸段与河流名称");
    if (!in->line || in->line->n < 2)
        return app_fail(err, APP_ERR_INVALID, "invalid_segment", "line", "岸段至少需要两个点");
    struct patrol_segment s = {0};
    snprintf(s.code, sizeof(s.code), "%s", in->code);
    snprintf(s.river, sizeof(s.river), "%s", in->river);
    snprintf(s.name, sizeof(s.name), "%s", in->name);
    s.geometry = geo_line_to_geojson(in->line);
    s.length_m = geo_line_length_m(in->line);
    s.buffer_m = in->buffer_m > 0 ? in->buffer_m : 50;
    snprintf(s.station, sizeof(s.station), "%s", in->station ? in->station : "");
    s.target_class = in->target_class > 0 ? in->target_class : 2;
    s.works = xstrdup(in->works ? in->works : "");
    s.synthetic = in->synthetic;
    s.created_at = clock_now();
    s.bbox[0] = s.bbox[1] = 1e9;
    s.bbox[2] = s.bbox[3] = -1e9;
    for (size_t i = 0; i < in->line->n; i++) {
        struct geo_point p = in->line->pts[i];
        s.bbox[0] = fmin(s.bbox[0], p.lon);
        s.bbox[1] = fmin(s.bbox[1], p.lat);
        s.bbox[2] = fmax(s.bbox[2], p.lon);
        s.bbox[3] = fmax(s.bbox[3], p.lat);
    }
    struct geo_point centre;
    double *cum = NULL;
    char(*grids)[24] = NULL;
    struct street_count streets[32];
    size_t ngrids = 0, nstreets = 0;
    int ret = -1;
    bool own = false;
    if (district_centre(db, &centre, err))
        goto out;
    cum = xcalloc(in->line->n, sizeof(double));
    geo_line_measure(in->line, cum);
    for (double a = 0; a <= s.length_m; a += 20) {
        struct geo_point p = geo_line_point_at_cum(in->line, cum, a);
        struct org_location loc;
        struct app_error lerr = {0};
        int rc = org_locate(app, db, p.lon, p.lat, &loc, &lerr);
        if (rc && lerr.code == APP_ERR_NOT_FOUND) {
            double d = geo_ellipsoid_distance_m(p, centre);
            if (d > 30) {
                double t = 30 / d;
                rc = org_locate(app, db, p.lon + t * (centre.lon - p.lon),
                                p.lat + t * (centre.lat - p.lat), &loc, &lerr);
            }
        }
        if (rc) {
            if (lerr.code == APP_ERR_NOT_FOUND)
                continue;
            if (err)
                *err = lerr;
            goto out;
        }
        bool seen = false;
        for (size_t i = 0; i < ngrids && !seen; i++)
            seen = strcmp(grids[i], loc.grid.code) == 0;
        if (!seen) {
            grids = xrealloc(grids, (ngrids + 1) * sizeof(*grids));
            snprintf(grids[ngrids++], 24, "%s", loc.grid.code);
        }
        size_t j = 0;
        while (j < nstreets && strcmp(streets[j].code, loc.street.code))
            j++;
        if (j == nstreets && nstreets < 32) {
            snprintf(streets[nstreets].code, 24, "%s", loc.street.code);
            streets[nstreets++].n = 0;
        }
        if (j < nstreets)
            streets[j].n++;
        org_location_release(&loc);
    }
    int best = 0;
    for (size_t j = 0; j < nstreets; j++)
        if (streets[j].n > best) {
            best = streets[j].n;
            memcpy(s.street, streets[j].code, sizeof(s.street));
        }
    if (tx_begin(db, &own, err))
        goto out;
    int rc = patrol_store_river_put(db, in->river, in->river_name, in->synthetic, err);
    if (rc == 0)
        rc = patrol_store_segment_insert(db, &s, err);
    for (size_t i = 0; rc == 0 && i < ngrids; i++)
        rc = patrol_store_segment_grid_add(db, s.code, grids[i], err);
    if (rc == 0) {
        struct buf b = BUF_INIT;
        buf_printf(&b, "code=%s;river=%s;name=%s;length_m=%.1f;grids=%zu", s.code, s.river, s.name,
                   s.length_m, ngrids);
        struct audit_entry ae = {.action = "patrol.segment",
                                 .object_type = "patrol_segment",
                                 .object_id = s.code,
                                 .after = buf_cstr(&b),
                                 .region = s.street};
        rc = audit_append(db, &ae, err);
        buf_release(&b);
    }
    if (tx_end(db, own, rc, err))
        goto out;
    ret = 0;
out:
    free(cum);
    free(grids);
    patrol_segment_release(&s);
    return ret;
}

int patrol_chief_add(struct db *db, const struct patrol_chief *c, int64_t *id,
                     struct app_error *err)
{
    if (empty(c->name) || (unsigned)c->level >= PATROL_LEVEL_COUNT)
        return app_fail(err, APP_ERR_INVALID, "required", "name", "请填写河长姓名与层级");
    bool own = false;
    if (tx_begin(db, &own, err))
        return -1;
    int64_t cid = 0;
    int rc = patrol_store_chief_insert(db, c, &cid, err);
    if (rc == 0) {
        char oid[32], after[256];
        snprintf(oid, sizeof(oid), "%lld", (long long)cid);
        snprintf(after, sizeof(after), "segment=%s;level=%s;name=%s;username=%s", c->segment,
                 patrol_level_name(c->level), c->name, c->username);
        struct audit_entry ae = {.action = "patrol.chief",
                                 .object_type = "patrol_chief",
                                 .object_id = oid,
                                 .after = after,
                                 .region = c->region};
        rc = audit_append(db, &ae, err);
    }
    if (tx_end(db, own, rc, err))
        return -1;
    if (id)
        *id = cid;
    return 0;
}

/* NULL: no bound (admin); otherwise the prefix of the caller's jurisdiction. */
static const char *scope_of(const struct auth_principal *who)
{
    if (who->role == AUTH_ROLE_ADMIN)
        return NULL;
    const char *r = auth_scope_region(who);
    return r && *r ? r : "-"; /* no region: matches no grid */
}

int patrol_segment_visible(struct db *db, const struct auth_principal *who, const char *code,
                           bool *visible, struct app_error *err)
{
    *visible = false;
    if (!who || empty(code))
        return 0;
    return patrol_store_segment_visible(db, code, scope_of(who), who->username, visible, err);
}

int patrol_segment_list(struct db *db, const struct auth_principal *who,
                        struct patrol_segment_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!who)
        return 0;
    return patrol_store_segment_list(db, scope_of(who), who->username, out, err);
}

int patrol_segment_get(struct db *db, const struct auth_principal *who, const char *code,
                       struct patrol_segment *out, struct app_error *err)
{
    bool visible = false, found = false;
    memset(out, 0, sizeof(*out));
    if (patrol_segment_visible(db, who, code, &visible, err))
        return -1;
    if (visible && patrol_store_segment_get(db, code, out, &found, err))
        return -1;
    if (!visible || !found)
        return app_fail(err, APP_ERR_NOT_FOUND, "segment_not_found", "segment",
                        "没有这个岸段，或不在您的辖区内");
    return 0;
}

/* ---- recording a patrol ------------------------------------------------------------------ */

void patrol_result_release(struct patrol_result *r)
{
    if (!r)
        return;
    free(r->findings.items);
    memset(&r->findings, 0, sizeof(r->findings));
}

static int segment_line(const struct patrol_segment *s, struct geo_lines *out,
                        struct app_error *err)
{
    if (geo_lines_parse(s->geometry, "segment", out, err))
        return -1;
    return 0;
}

static int check_finding(const struct patrol_input *in, size_t i, const struct geo_line *seg,
                         struct app_error *err)
{
    const struct patrol_finding_input *f = &in->findings[i];
    char field[64];
    snprintf(field, sizeof(field), "findings[%zu].lon", i);
    if (!isfinite(f->lon) || !isfinite(f->lat) || f->lon < -180 || f->lon > 180 || f->lat < -90 ||
        f->lat > 90)
        return app_fail(err, APP_ERR_INVALID, "invalid_point", field, "问题位置无效");
    if (geo_line_distance_m(seg, (struct geo_point){f->lon, f->lat}) > PATROL_FINDING_REACH_M)
        return app_fail(err, APP_ERR_INVALID, "too_far", field, "问题位置距本岸段超过 %.0f 米",
                        PATROL_FINDING_REACH_M);
    snprintf(field, sizeof(field), "findings[%zu].at", i);
    if (f->at && (f->at < in->started_at - 600 || f->at > in->ended_at + 600))
        return app_fail(err, APP_ERR_INVALID, "outside_patrol", field, "发现时间不在巡河时间内");
    snprintf(field, sizeof(field), "findings[%zu].title", i);
    if (f->title && strlen(f->title) > 600)
        return app_fail(err, APP_ERR_INVALID, "too_long", field, "标题过长");
    if (f->nattachments < 0 || f->nattachments > 8) {
        snprintf(field, sizeof(field), "findings[%zu].attachments", i);
        return app_fail(err, APP_ERR_INVALID, "too_many_attachments", field, "附件过多");
    }
    return 0;
}

static int check_input(const struct patrol_input *in, int64_t now, struct app_error *err)
{
    if (in->started_at <= 0)
        return app_fail(err, APP_ERR_INVALID, "required", "started_at", "请填写开始时间");
    if (in->ended_at < in->started_at)
        return app_fail(err, APP_ERR_INVALID, "before_start", "ended_at", "结束时间早于开始时间");
    if (in->ended_at > now + 300)
        return app_fail(err, APP_ERR_INVALID, "in_future", "ended_at", "结束时间晚于现在");
    if (in->ended_at - in->started_at > 86400)
        return app_fail(err, APP_ERR_INVALID, "too_long", "ended_at", "一次巡河不超过 24 小时");
    size_t npts = 0;
    for (size_t i = 0; in->track && i < in->track->len; i++)
        npts += in->track->items[i].n;
    if (npts == 0)
        return app_fail(err, APP_ERR_INVALID, "required", "track", "请提交巡河轨迹");
    if (npts > PATROL_MAX_POINTS)
        return app_fail(err, APP_ERR_TOO_LARGE, "too_many_points", "track", "轨迹点不超过 %d 个",
                        PATROL_MAX_POINTS);
    if (in->nfindings > PATROL_MAX_FINDINGS)
        return app_fail(err, APP_ERR_INVALID, "too_many_findings", "findings",
                        "一次巡河最多 %d 个问题", PATROL_MAX_FINDINGS);
    return 0;
}

static char *track_geojson(const struct geo_lines *t)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"type\":\"MultiLineString\",\"coordinates\":[");
    for (size_t k = 0; k < t->len; k++) {
        buf_puts(&b, k ? ",[" : "[");
        for (size_t i = 0; i < t->items[k].n; i++)
            buf_printf(&b, "%s[%.7f,%.7f]", i ? "," : "", t->items[k].pts[i].lon,
                       t->items[k].pts[i].lat);
        buf_puts(&b, "]");
    }
    buf_puts(&b, "]}");
    char *s = xstrdup(buf_cstr(&b));
    buf_release(&b);
    return s;
}

static double tracks_length(const struct geo_lines *t)
{
    double s = 0;
    for (size_t k = 0; k < t->len; k++)
        s += geo_line_length_m(&t->items[k]);
    return s;
}

/* Open the finding's event and store the finding (inside the patrol's transaction). */
static int record_finding(struct app *app, struct db *db, const struct auth_principal *who,
                          const struct patrol_segment *seg, const struct patrol_patrol *p,
                          const struct patrol_finding_input *fi, bool synthetic,
                          const char *request_id, struct patrol_finding *f, struct app_error *err)
{
    struct patrol_place_list places = {0};
    struct buf desc = BUF_INIT;
    struct event ev = {0};
    int ret = -1;
    memset(f, 0, sizeof(*f));
    f->patrol = p->id;
    snprintf(f->segment, sizeof(f->segment), "%s", seg->code);
    f->lon = fi->lon;
    f->lat = fi->lat;
    f->at = fi->at ? fi->at : p->ended_at;
    f->synthetic = synthetic;
    snprintf(f->title, sizeof(f->title), "%s", !empty(fi->title) ? fi->title : "巡河发现河湖问题");
    if (patrol_store_places(db, seg->code, &places, err))
        goto out;
    f->recurs_of =
        patrol_recurrence_of(places.items, places.len, f->lon, f->lat, f->at, PATROL_RECURRENCE_M);
    if (f->recurs_of &&
        patrol_store_finding_event(db, f->recurs_of, f->recurs_event, sizeof(f->recurs_event), err))
        goto out;
    buf_printf(&desc, "%s%s巡河（%s %s）发现。", fi->description ? fi->description : "",
               !empty(fi->description) ? "\n" : "", seg->name, p->patroller);
    if (f->recurs_of)
        buf_printf(&desc, "\n反弹：同一位置（%.0f 米内）曾发现问题并已结案（事件 %s）。",
                   PATROL_RECURRENCE_M, f->recurs_event);
    char patrol_id[24];
    snprintf(patrol_id, sizeof(patrol_id), "%lld", (long long)p->id);
    struct event_patrol_finding ef = {.category = PATROL_CATEGORY,
                                      .title = f->title,
                                      .description = buf_cstr(&desc),
                                      .lon = f->lon,
                                      .lat = f->lat,
                                      .at = f->at,
                                      .patrol = patrol_id,
                                      .nattachments = fi->nattachments,
                                      .synthetic = synthetic};
    for (int i = 0; i < fi->nattachments && i < EVENT_MAX_ATTACH; i++)
        ef.attachments[i] = fi->attachments[i];
    if (event_open_patrol_finding(app, db, who, &ef, request_id, &ev, err))
        goto out;
    snprintf(f->event_code, sizeof(f->event_code), "%s", ev.code);
    snprintf(f->grid, sizeof(f->grid), "%s", ev.grid);
    if (patrol_store_finding_insert(db, f, fi->description, err))
        goto out;
    ret = 0;
out:
    event_release(&ev);
    buf_release(&desc);
    free(places.items);
    return ret;
}

/* Compute the coverage and store the patrol, its findings (each opening its event) and the
 * audit row, in one transaction (or the caller's). */
static int store_patrol(struct app *app, struct db *db, const struct auth_principal *who,
                        const struct patrol_segment *seg, const struct geo_line *segline,
                        const struct patrol_chief *chief, const struct patrol_input *in,
                        int64_t now, const char *request_id, struct patrol_result *out,
                        struct app_error *err)
{
    struct geo_coverage cov;
    if (geo_line_coverage(segline, in->track, seg->buffer_m, &cov, err))
        return -1;
    struct patrol_patrol *p = &out->patrol;
    snprintf(p->segment, sizeof(p->segment), "%s", seg->code);
    p->user_id = who->user_id;
    snprintf(p->username, sizeof(p->username), "%s", who->username);
    snprintf(p->patroller, sizeof(p->patroller), "%s", who->display_name);
    p->started_at = in->started_at;
    p->ended_at = in->ended_at;
    for (size_t k = 0; k < in->track->len; k++)
        p->points += (int)in->track->items[k].n;
    p->track_m = tracks_length(in->track);
    p->coverage = cov.share;
    p->buffer_m = seg->buffer_m;
    p->counts = cov.share >= PATROL_MIN_COVERAGE;
    p->synthetic = in->synthetic;
    p->created_at = now;
    if (chief) {
        p->chief = chief->id;
        snprintf(p->chief_level, sizeof(p->chief_level), "%s", chief->level_name);
    }
    snprintf(p->role, sizeof(p->role), "%s", chief ? "chief" : auth_role_name(who->role));
    char *track = track_geojson(in->track);
    bool own = false;
    if (tx_begin(db, &own, err)) {
        free(track);
        return -1;
    }
    int rc = patrol_store_patrol_insert(db, p, track, err);
    free(track);
    for (size_t i = 0; rc == 0 && i < in->nfindings; i++) {
        struct patrol_finding f;
        rc = record_finding(app, db, who, seg, p, &in->findings[i], in->synthetic, request_id, &f,
                            err);
        if (rc == 0) {
            out->findings.items =
                xrealloc(out->findings.items, (out->findings.len + 1) * sizeof(f));
            out->findings.items[out->findings.len++] = f;
        }
    }
    if (rc == 0) {
        struct buf b = BUF_INIT;
        char oid[24];
        snprintf(oid, sizeof(oid), "%lld", (long long)p->id);
        buf_printf(&b,
                   "id=%s;segment=%s;user=%s;chief=%lld;started_at=%lld;ended_at=%lld;points=%d;"
                   "coverage=%.4f;findings=%zu",
                   oid, p->segment, p->username, (long long)p->chief, (long long)p->started_at,
                   (long long)p->ended_at, p->points, p->coverage, out->findings.len);
        for (size_t i = 0; i < out->findings.len; i++)
            buf_printf(&b, ";event=%s", out->findings.items[i].event_code);
        struct audit_entry ae = {.actor = who->user_id ? who : NULL,
                                 .action = "patrol.record",
                                 .object_type = "patrol",
                                 .object_id = oid,
                                 .request_id = request_id,
                                 .after = buf_cstr(&b),
                                 .region = seg->street};
        rc = audit_append(db, &ae, err);
        buf_release(&b);
    }
    if (tx_end(db, own, rc, err)) {
        patrol_result_release(out);
        return -1;
    }
    return 0;
}

int patrol_record(struct app *app, struct db *db, const struct auth_principal *who,
                  const struct patrol_input *in, const char *request_id, struct patrol_result *out,
                  struct app_error *err)
{
    struct patrol_segment seg = {0};
    struct geo_lines segl = {0};
    int ret = -1;
    memset(out, 0, sizeof(*out));
    if (!who)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL, "请先登录");
    if (empty(in->segment))
        return app_fail(err, APP_ERR_INVALID, "required", "segment", "请选择岸段");
    int64_t now = clock_now();
    if (patrol_segment_get(db, who, in->segment, &seg, err) || check_input(in, now, err) ||
        segment_line(&seg, &segl, err))
        goto out;
    for (size_t i = 0; i < in->nfindings; i++) {
        if (check_finding(in, i, &segl.items[0], err))
            goto out;
        /* the event needs a grid: a point on the water or across the river has none */
        struct org_location loc;
        struct app_error lerr = {0};
        if (org_locate(app, db, in->findings[i].lon, in->findings[i].lat, &loc, &lerr)) {
            char field[64];
            snprintf(field, sizeof(field), "findings[%zu].lon", i);
            if (lerr.code == APP_ERR_NOT_FOUND)
                app_fail(err, APP_ERR_INVALID, "outside_district", field,
                         "问题位置不在本辖区网格内（请在岸上标注）");
            else if (err)
                *err = lerr;
            goto out;
        }
        org_location_release(&loc);
    }
    struct patrol_chief chief;
    bool is_chief = false;
    if (patrol_store_chief_of(db, seg.code, who->username, &chief, &is_chief, err))
        goto out;
    ret = store_patrol(app, db, who, &seg, &segl.items[0], is_chief ? &chief : NULL, in, now,
                       request_id, out, err);
out:
    geo_lines_release(&segl);
    patrol_segment_release(&seg);
    return ret;
}

int patrol_demo_record(struct app *app, struct db *db, const struct auth_principal *who,
                       const struct patrol_chief *chief, const struct patrol_input *in,
                       struct patrol_result *out, struct app_error *err)
{
    struct patrol_segment seg = {0};
    struct geo_lines segl = {0};
    bool found = false;
    int ret = -1;
    memset(out, 0, sizeof(*out));
    if (patrol_store_segment_get(db, in->segment, &seg, &found, err))
        return -1;
    if (!found) {
        ret = app_fail(err, APP_ERR_NOT_FOUND, "segment_not_found", "segment", "no segment");
        goto out;
    }
    if (segment_line(&seg, &segl, err))
        goto out;
    ret = store_patrol(app, db, who, &seg, &segl.items[0], chief, in, in->ended_at, NULL, out, err);
out:
    geo_lines_release(&segl);
    patrol_segment_release(&seg);
    return ret;
}

int patrol_photo_put(struct app *app, struct db *db, const struct auth_principal *who,
                     const void *data, size_t len, char *sha_out, const char *request_id,
                     struct app_error *err)
{
    if (!who || !auth_may(who, "patrol.record"))
        return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "您无权上传巡河照片");
    if (event_attachment_put(app, db, who, data, len, sha_out, err))
        return -1;
    struct audit_entry ae = {.actor = who,
                             .action = "patrol.photo",
                             .object_type = "attachment",
                             .object_id = sha_out,
                             .request_id = request_id,
                             .region = auth_scope_region(who)};
    bool own = false;
    if (tx_begin(db, &own, err))
        return -1;
    return tx_end(db, own, audit_append(db, &ae, err), err);
}

int patrol_list(struct db *db, const struct auth_principal *who, const char *segment, long limit,
                struct patrol_patrol_list *out, struct app_error *err)
{
    struct patrol_segment seg;
    memset(out, 0, sizeof(*out));
    if (patrol_segment_get(db, who, segment, &seg, err))
        return -1;
    patrol_segment_release(&seg);
    if (limit < 1 || limit > 1000)
        limit = 100;
    if (patrol_store_patrol_list(db, segment, limit, out, err))
        return -1;
    for (size_t i = 0; i < out->len; i++)
        out->items[i].counts = out->items[i].coverage >= PATROL_MIN_COVERAGE;
    return 0;
}

/* ---- the report -------------------------------------------------------------------------- */

void patrol_report_release(struct patrol_report *r)
{
    if (!r)
        return;
    patrol_segment_release(&r->segment);
    free(r->chiefs);
    free(r->windows);
    memset(r, 0, sizeof(*r));
}

static int water_class(struct db *db, const char *station, int64_t now, int *cls, int64_t *day,
                       struct app_error *err)
{
    *cls = 0;
    *day = -1;
    if (empty(station))
        return 0;
    struct monitor_water_figures wf = {0};
    if (monitor_water_get(db, local_day(now), &wf, err))
        return -1;
    for (size_t i = 0; i < wf.len; i++)
        if (strcmp(wf.items[i].station, station) == 0 && wf.items[i].day >= 0) {
            *cls = wf.items[i].result.cls;
            *day = wf.items[i].day;
        }
    monitor_water_figures_release(&wf);
    return 0;
}

int patrol_report_get(struct app *app, struct db *db, const struct auth_principal *who,
                      const char *code, int64_t from, struct patrol_report *out,
                      struct app_error *err)
{
    (void)app;
    struct patrol_chief_list chiefs = {0};
    struct patrol_time_list times = {0};
    struct patrol_grid_list grids = {0};
    int ret = -1;
    memset(out, 0, sizeof(*out));
    if (patrol_segment_get(db, who, code, &out->segment, err))
        return -1;
    out->now = clock_now();
    out->from = from > 0 ? from : out->now - 90 * 86400;
    if (patrol_store_chiefs(db, code, &chiefs, err))
        goto out;
    out->chiefs = xcalloc(chiefs.len + 1, sizeof(*out->chiefs));
    for (size_t i = 0; i < chiefs.len; i++) {
        struct patrol_chief_compliance *cc = &out->chiefs[out->nchiefs++];
        cc->chief = chiefs.items[i];
        cc->rule = patrol_rule_of(cc->chief.level);
        times.len = 0;
        if (patrol_store_patrol_times(db, code, out->from, cc->chief.id, PATROL_MIN_COVERAGE,
                                      &times, err))
            goto out;
        patrol_compliance_compute(&cc->rule, times.items, times.len, out->from, out->now, NULL, 0,
                                  NULL, &cc->c);
    }
    times.len = 0;
    if (patrol_store_patrol_times(db, code, out->from, 0, PATROL_MIN_COVERAGE, &times, err))
        goto out;
    struct patrol_rule seg_rule = patrol_rule_of(PATROL_LEVEL_COMMUNITY);
    size_t cap = 64;
    out->windows = xcalloc(cap, sizeof(*out->windows));
    patrol_compliance_compute(&seg_rule, times.items, times.len, out->from, out->now, out->windows,
                              cap, &out->nwindows, &out->overall);
    size_t ng = patrol_gaps(times.items, times.len, out->from, out->now, PATROL_GAP_DAYS, out->gaps,
                            sizeof(out->gaps) / sizeof(out->gaps[0]));
    out->ngaps = ng < 64 ? ng : 64;
    if (patrol_store_patrol_count(db, code, out->from, PATROL_MIN_COVERAGE, &out->patrols,
                                  &out->counting, err) ||
        patrol_store_finding_counts(db, code, out->from, &out->findings, &out->open_problems,
                                    &out->recurrences, err) ||
        water_class(db, out->segment.station, out->now, &out->water_class, &out->water_day, err) ||
        patrol_store_segment_grids(db, code, &grids, err))
        goto out;
    for (size_t i = 0; i < grids.len && out->ngrids < 64; i++)
        snprintf(out->grids[out->ngrids++], 24, "%s", grids.items[i].grid);
    ret = 0;
out:
    free(chiefs.items);
    free(times.items);
    free(grids.items);
    if (ret)
        patrol_report_release(out);
    return ret;
}

static const char *const roman[] = {"", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};

void patrol_checklist(const struct patrol_report *r, struct patrol_check out[PATROL_CHECKS])
{
    int t =
        r->segment.target_class >= 1 && r->segment.target_class <= 5 ? r->segment.target_class : 2;
    int w = r->water_class >= 1 && r->water_class <= 6 ? r->water_class : 0;
    out[0] = (struct patrol_check){"water", "水质达到目标", w > 0 && w <= t, ""};
    if (w)
        snprintf(out[0].detail, sizeof(out[0].detail), "最新 %s类，目标 %s类", roman[w], roman[t]);
    else
        snprintf(out[0].detail, sizeof(out[0].detail), "暂无监测数据，目标 %s类", roman[t]);
    out[1] = (struct patrol_check){"problems", "问题清零", r->open_problems == 0, ""};
    snprintf(out[1].detail, sizeof(out[1].detail), "本期发现 %d 个，未办结 %d 个", r->findings,
             r->open_problems);
    bool open_gap = r->ngaps > 0 && r->gaps[r->ngaps - 1].open;
    out[2] = (struct patrol_check){"patrols", "巡河频次达标",
                                   r->overall.rate >= PATROL_GOOD_RATE && !open_gap, ""};
    snprintf(out[2].detail, sizeof(out[2].detail), "每周巡河达标 %d/%d 周，空档 %zu 次%s",
             r->overall.met, r->overall.windows, r->ngaps, open_gap ? "（当前超期未巡）" : "");
    out[3] = (struct patrol_check){"recurrence", "问题不反弹", r->recurrences == 0, ""};
    snprintf(out[3].detail, sizeof(out[3].detail), "本期反弹 %d 处", r->recurrences);
}

static void csv_text(struct buf *b, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    bool formula = strchr("=+-@\t", s[0]) && s[0];
    if (quote || formula) {
        buf_putc(b, '"');
        if (formula)
            buf_putc(b, '\'');
        for (; *s; s++) {
            if (*s == '"')
                buf_putc(b, '"');
            buf_putc(b, *s);
        }
        buf_putc(b, '"');
    } else {
        buf_puts(b, s);
    }
    buf_putc(b, ',');
}

static void csv_row(struct buf *b, const struct patrol_report *r, const char *level,
                    const char *name, const char *title, const struct patrol_rule *rule,
                    const struct patrol_compliance *c, bool synthetic)
{
    char last[32] = "";
    if (c->last)
        clock_format_local(c->last, last, sizeof(last));
    csv_text(b, r->segment.code);
    csv_text(b, r->segment.name);
    csv_text(b, r->segment.river_name);
    csv_text(b, level);
    csv_text(b, name);
    csv_text(b, title);
    buf_printf(b, "每%s至少%d次,%d,%d,%.1f,", patrol_window_label(rule->window), rule->times,
               c->met, c->windows, 100.0 * c->rate);
    csv_text(b, last);
    buf_printf(b, "%d,%zu,%s\r\n", r->open_problems, r->ngaps, synthetic ? "是" : "否");
}

void patrol_write_csv(const struct patrol_report *reports, size_t n, struct buf *out)
{
    buf_puts(out,
             "\xEF\xBB\xBF岸段编码,岸段,河流,层级,河长,职务,巡河要求,达标次数,应巡次数,达标率(%),"
             "最近巡河,未办结问题,巡河空档,示例数据\r\n");
    for (size_t i = 0; i < n; i++) {
        const struct patrol_report *r = &reports[i];
        struct patrol_rule seg = patrol_rule_of(PATROL_LEVEL_COMMUNITY);
        csv_row(out, r, "全段（联动）", "", "河长、网格员、志愿者合计", &seg, &r->overall,
                r->segment.synthetic);
        for (size_t k = 0; k < r->nchiefs; k++)
            csv_row(out, r, patrol_level_label(r->chiefs[k].chief.level), r->chiefs[k].chief.name,
                    r->chiefs[k].chief.title, &r->chiefs[k].rule, &r->chiefs[k].c,
                    r->chiefs[k].chief.synthetic);
    }
}

int patrol_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    if (!demo)
        return 0;
    return patrol_demo_seed(app, db, clock_now(), err);
}
