/* Running patrols: the phone starts a run under its own key, sends the track's points in
 * batches while the patroller walks (a batch sent twice adds nothing, none may leave a hole),
 * and finishes it into a patrol recorded as patrol_record records one. So a phone that dies on
 * the bank has sent all but its last batch, and a dead signal only delays the batches. */
#include "patrol/patrol.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "patrol/patrol_internal.h"
#include "patrol/patrol_store.h"

static int check_key(const char *key, struct app_error *err)
{
    size_t n = key ? strlen(key) : 0;
    bool ok = n >= 8 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)key[i]) || key[i] == '_' || key[i] == '-';
    return ok ? 0 : app_fail(err, APP_ERR_INVALID, "invalid_key", "key", "巡河编号无效");
}

static int audit_run(struct db *db, const struct auth_principal *who, const char *action,
                     const struct patrol_run *r, const char *after, const char *request_id,
                     struct app_error *err)
{
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)r->id);
    struct audit_entry ae = {.actor = who,
                             .action = action,
                             .object_type = "patrol_run",
                             .object_id = oid,
                             .request_id = request_id,
                             .after = after,
                             .region = auth_scope_region(who)};
    return audit_append(db, &ae, err);
}

int patrol_run_get(struct db *db, const struct auth_principal *who, const char *key,
                   struct patrol_run *out, struct app_error *err)
{
    bool found = false;
    memset(out, 0, sizeof(*out));
    if (!who)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL, "请先登录");
    if (check_key(key, err) || patrol_store_run_get(db, who->user_id, key, out, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "run_not_found", "key", "没有这次巡河");
    return 0;
}

int patrol_run_start(struct db *db, const struct auth_principal *who, const char *key,
                     const char *segment, int64_t started_at, const char *request_id,
                     struct patrol_run *out, bool *created, struct app_error *err)
{
    struct patrol_segment seg = {0};
    bool found = false, own = false;
    int64_t now = clock_now();
    *created = false;
    memset(out, 0, sizeof(*out));
    if (!who)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL, "请先登录");
    if (check_key(key, err))
        return -1;
    if (patrol_empty(segment))
        return app_fail(err, APP_ERR_INVALID, "required", "segment", "请选择岸段");
    if (started_at <= 0 || started_at > now + 300 || started_at < now - 86400)
        return app_fail(err, APP_ERR_INVALID, "invalid_time", "started_at",
                        "开始时间应在过去 24 小时内");
    if (patrol_segment_get(db, who, segment, &seg, err))
        return -1;
    patrol_segment_release(&seg);
    if (patrol_tx_begin(db, &own, err))
        return -1;
    int rc = patrol_store_run_get(db, who->user_id, key, out, &found, err);
    if (rc == 0 && found && strcmp(out->segment, segment) != 0)
        rc = app_fail(err, APP_ERR_CONFLICT, "run_other_segment", "segment",
                      "这次巡河已在另一岸段开始");
    if (rc == 0 && !found) {
        out->user_id = who->user_id;
        snprintf(out->key, sizeof(out->key), "%s", key);
        snprintf(out->segment, sizeof(out->segment), "%s", segment);
        out->started_at = started_at;
        out->created_at = out->updated_at = now;
        rc = patrol_store_run_insert(db, out, err);
        char after[160];
        snprintf(after, sizeof(after), "key=%s;segment=%s;started_at=%lld", key, segment,
                 (long long)started_at);
        if (rc == 0)
            rc = audit_run(db, who, "patrol.run", out, after, request_id, err);
        *created = rc == 0;
    }
    return patrol_tx_end(db, own, rc, err);
}

static int check_point(const struct patrol_run_point *p, size_t i, struct app_error *err)
{
    if (isfinite(p->lon) && isfinite(p->lat) && p->lon >= -180 && p->lon <= 180 && p->lat >= -90 &&
        p->lat <= 90 && p->t >= 0)
        return 0;
    char field[32];
    snprintf(field, sizeof(field), "points[%zu]", i);
    return app_fail(err, APP_ERR_INVALID, "invalid_point", field, "轨迹点无效");
}

int patrol_run_add_points(struct db *db, const struct auth_principal *who, const char *key,
                          int64_t from, const struct patrol_run_point *pts, size_t n,
                          const char *request_id, struct patrol_run *out, struct app_error *err)
{
    bool own = false;
    if (n > PATROL_RUN_BATCH_MAX)
        return app_fail(err, APP_ERR_TOO_LARGE, "batch_too_large", "points",
                        "每批轨迹点不超过 %d 个", PATROL_RUN_BATCH_MAX);
    if (from < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_from", "from", "from 应为非负整数");
    for (size_t i = 0; i < n; i++)
        if (check_point(&pts[i], i, err))
            return -1;
    if (patrol_tx_begin(db, &own, err))
        return -1;
    int rc = patrol_run_get(db, who, key, out, err);
    if (rc == 0 && out->patrol)
        rc = app_fail(err, APP_ERR_CONFLICT, "run_finished", "key", "这次巡河已结束");
    if (rc == 0 && from > out->points)
        rc = app_fail(err, APP_ERR_CONFLICT, "points_missing", "from", "缺少第 %d 个起的轨迹点",
                      out->points);
    if (rc == 0 && from + (int64_t)n > PATROL_MAX_POINTS)
        rc = app_fail(err, APP_ERR_TOO_LARGE, "too_many_points", "points", "轨迹点不超过 %d 个",
                      PATROL_MAX_POINTS);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = patrol_store_run_point_put(db, out->id, from + (int64_t)i, &pts[i], err);
    if (rc == 0 && from + (int64_t)n > out->points) {
        int64_t now = clock_now();
        char after[96];
        snprintf(after, sizeof(after), "from=%lld;n=%zu", (long long)from, n);
        rc = patrol_store_run_touch(db, out->id, now, err);
        if (rc == 0)
            rc = audit_run(db, who, "patrol.points", out, after, request_id, err);
        out->points = (int)(from + (int64_t)n);
        out->updated_at = now;
    }
    return patrol_tx_end(db, own, rc, err);
}

/* The result of a run finished before: the patrol and its findings as stored. */
static int finished_result(struct db *db, const struct patrol_run *r, struct patrol_result *out,
                           struct app_error *err)
{
    bool found = false;
    if (patrol_store_patrol_get(db, r->patrol, &out->patrol, &found, err) ||
        patrol_store_findings_of(db, r->patrol, &out->findings, err))
        return -1;
    out->patrol.counts = out->patrol.coverage >= PATROL_MIN_COVERAGE;
    return 0;
}

int patrol_run_finish(struct app *app, struct db *db, const struct auth_principal *who,
                      const char *key, int64_t ended_at, long expect_points,
                      const struct patrol_finding_input *findings, size_t nfindings,
                      const char *request_id, struct patrol_result *out, bool *again,
                      struct app_error *err)
{
    struct patrol_run r;
    struct patrol_run_point_list pts = {0};
    struct geo_point *line = NULL;
    int ret = -1;
    *again = false;
    memset(out, 0, sizeof(*out));
    if (db_begin(db, err))
        return -1;
    if (patrol_run_get(db, who, key, &r, err))
        goto out;
    if (r.patrol) {
        *again = true;
        ret = finished_result(db, &r, out, err);
        goto out;
    }
    if (expect_points >= 0 && expect_points != r.points) {
        app_fail(err, APP_ERR_CONFLICT, "points_missing", "points",
                 "服务器已收到 %d 个轨迹点，少于 %ld 个：请先补发", r.points, expect_points);
        goto out;
    }
    if (patrol_store_run_points(db, r.id, &pts, err))
        goto out;
    /* one point is a patrol standing still: a line of length 0 */
    size_t n = pts.len == 1 ? 2 : pts.len;
    line = xcalloc(n + 1, sizeof(*line));
    for (size_t i = 0; i < n; i++)
        line[i] = (struct geo_point){pts.items[i < pts.len ? i : 0].lon,
                                     pts.items[i < pts.len ? i : 0].lat};
    struct geo_line gl = {line, pts.len ? n : 0};
    struct geo_lines track = {&gl, 1};
    struct patrol_input in = {.segment = r.segment,
                              .started_at = r.started_at,
                              .ended_at = ended_at,
                              .track = &track,
                              .findings = findings,
                              .nfindings = nfindings};
    if (patrol_record(app, db, who, &in, request_id, out, err))
        goto out;
    if (patrol_store_run_finish(db, r.id, out->patrol.id, clock_now(), err)) {
        patrol_result_release(out);
        goto out;
    }
    ret = 0;
out:
    free(line);
    free(pts.items);
    if (ret == 0 && db_commit(db, err) == 0)
        return 0;
    db_rollback(db);
    patrol_result_release(out);
    return -1;
}
