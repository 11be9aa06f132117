/* Recording a patrol (coverage, findings turned into events, the audit row, in one transaction),
 * the photos of findings, the list of a segment's patrols and a segment's report. The pure rules
 * are in rules.c, segments and chiefs in segment.c. */
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

/* ---- helpers shared by the module's files ------------------------------------------------ */

bool patrol_empty(const char *s)
{
    return !s || !*s;
}

int patrol_tx_begin(struct db *db, bool *own, struct app_error *err)
{
    *own = !patrol_store_in_tx(db);
    return *own ? db_begin(db, err) : 0;
}

int patrol_tx_end(struct db *db, bool own, int rc, struct app_error *err)
{
    if (!own)
        return rc;
    if (rc == 0)
        return db_commit(db, err);
    db_rollback(db);
    return rc;
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
    snprintf(f->title, sizeof(f->title), "%s",
             !patrol_empty(fi->title) ? fi->title : "巡河发现河湖问题");
    if (patrol_store_places(db, seg->code, &places, err))
        goto out;
    f->recurs_of =
        patrol_recurrence_of(places.items, places.len, f->lon, f->lat, f->at, PATROL_RECURRENCE_M);
    if (f->recurs_of &&
        patrol_store_finding_event(db, f->recurs_of, f->recurs_event, sizeof(f->recurs_event), err))
        goto out;
    buf_printf(&desc, "%s%s巡河（%s %s）发现。", fi->description ? fi->description : "",
               !patrol_empty(fi->description) ? "\n" : "", seg->name, p->patroller);
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
    if (patrol_tx_begin(db, &own, err)) {
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
    if (patrol_tx_end(db, own, rc, err)) {
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
    if (patrol_empty(in->segment))
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
    if (patrol_tx_begin(db, &own, err))
        return -1;
    return patrol_tx_end(db, own, audit_append(db, &ae, err), err);
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
    if (patrol_empty(station))
        return 0;
    struct monitor_water_figures wf = {0};
    if (monitor_water_get(db, patrol_local_day(now), &wf, err))
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

int patrol_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    if (!demo)
        return 0;
    return patrol_demo_seed(app, db, clock_now(), err);
}
