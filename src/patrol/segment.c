/* Segments (岸段) and their chiefs: storing a segment with the grids it passes, adding chiefs,
 * and who may see which segment (the jurisdiction every other view starts from). */
#include "patrol/patrol.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "org/org.h"
#include "patrol/patrol_internal.h"
#include "patrol/patrol_store.h"

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

/* The grids a segment passes and the street most of it lies in, sampled every 20 m. */
struct placed {
    char (*grids)[24];
    size_t ngrids;
};

/* Set s's geometry, length and bbox from line and find its grids and street. */
static int segment_place(struct app *app, struct db *db, const struct geo_line *line,
                         struct patrol_segment *s, struct placed *pl, struct app_error *err)
{
    free(s->geometry);
    s->geometry = geo_line_to_geojson(line);
    s->length_m = geo_line_length_m(line);
    s->bbox[0] = s->bbox[1] = 1e9;
    s->bbox[2] = s->bbox[3] = -1e9;
    for (size_t i = 0; i < line->n; i++) {
        struct geo_point p = line->pts[i];
        s->bbox[0] = fmin(s->bbox[0], p.lon);
        s->bbox[1] = fmin(s->bbox[1], p.lat);
        s->bbox[2] = fmax(s->bbox[2], p.lon);
        s->bbox[3] = fmax(s->bbox[3], p.lat);
    }
    struct geo_point centre;
    struct street_count streets[32];
    size_t nstreets = 0;
    double *cum = NULL;
    int ret = -1;
    if (district_centre(db, &centre, err))
        goto out;
    cum = xcalloc(line->n, sizeof(double));
    geo_line_measure(line, cum);
    for (double a = 0; a <= s->length_m; a += 20) {
        struct geo_point p = geo_line_point_at_cum(line, cum, a);
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
        for (size_t i = 0; i < pl->ngrids && !seen; i++)
            seen = strcmp(pl->grids[i], loc.grid.code) == 0;
        if (!seen) {
            pl->grids = xrealloc(pl->grids, (pl->ngrids + 1) * sizeof(*pl->grids));
            snprintf(pl->grids[pl->ngrids++], 24, "%s", loc.grid.code);
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
    s->street[0] = '\0';
    for (size_t j = 0; j < nstreets; j++)
        if (streets[j].n > best) {
            best = streets[j].n;
            memcpy(s->street, streets[j].code, sizeof(s->street));
        }
    ret = 0;
out:
    free(cum);
    return ret;
}

/* Write s (insert or update) with its grids (pl NULL: unchanged) and the audit row by who (NULL:
 * the system), in one transaction or the caller's. */
static int segment_store(struct db *db, const struct auth_principal *who, struct patrol_segment *s,
                         const char *river_name, bool synthetic, const struct placed *pl,
                         bool update, const char *request_id, struct app_error *err)
{
    bool own = false;
    if (patrol_tx_begin(db, &own, err))
        return -1;
    int rc = patrol_store_river_put(db, s->river, river_name, synthetic, err);
    if (rc == 0)
        rc = update ? patrol_store_segment_update(db, s, err)
                    : patrol_store_segment_insert(db, s, err);
    if (rc == 0 && pl && update)
        rc = patrol_store_segment_grids_clear(db, s->code, err);
    for (size_t i = 0; rc == 0 && pl && i < pl->ngrids; i++)
        rc = patrol_store_segment_grid_add(db, s->code, pl->grids[i], err);
    if (rc == 0) {
        struct buf b = BUF_INIT;
        buf_printf(&b,
                   "code=%s;river=%s;name=%s;length_m=%.1f;buffer_m=%.1f;station=%s;"
                   "target_class=%d",
                   s->code, s->river, s->name, s->length_m, s->buffer_m, s->station,
                   s->target_class);
        if (pl)
            buf_printf(&b, ";grids=%zu", pl->ngrids);
        struct audit_entry ae = {.actor = who && who->user_id ? who : NULL,
                                 .action = update ? "patrol.segment.update" : "patrol.segment",
                                 .object_type = "patrol_segment",
                                 .object_id = s->code,
                                 .request_id = request_id,
                                 .after = buf_cstr(&b),
                                 .region = s->street};
        rc = audit_append(db, &ae, err);
        buf_release(&b);
    }
    return patrol_tx_end(db, own, rc, err);
}

static bool code_ok(const char *c)
{
    size_t n = c ? strlen(c) : 0;
    bool ok = n >= 1 && n <= 31;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)c[i]) || c[i] == '-' || c[i] == '_';
    return ok;
}

/* The fields an input sets, checked; on create every required one must be there. */
static int check_segment_input(const struct patrol_segment_input *in, bool create,
                               struct app_error *err)
{
    if (create && !code_ok(in->code))
        return app_fail(err, APP_ERR_INVALID, "invalid_code", "code",
                        "岸段编码应为 1-31 位字母、数字、- 或 _");
    if (create && !code_ok(in->river))
        return app_fail(err, APP_ERR_INVALID, "invalid_code", "river", "河流编码无效");
    if ((create && patrol_empty(in->name)) || (in->name && (!*in->name || strlen(in->name) > 95)))
        return app_fail(err, APP_ERR_INVALID, "required", "name",
                        "请填写岸段名称（不超过 95 字节）");
    if ((create && patrol_empty(in->river_name)) ||
        (in->river_name && (!*in->river_name || strlen(in->river_name) > 63)))
        return app_fail(err, APP_ERR_INVALID, "required", "river_name", "请填写河流名称");
    if ((create && !in->line) || (in->line && in->line->n < 2))
        return app_fail(err, APP_ERR_INVALID, "invalid_segment", "geometry", "岸段至少需要两个点");
    if (in->buffer_m != 0 && !(in->buffer_m >= 5 && in->buffer_m <= 500))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "buffer_m",
                        "巡河覆盖范围应在 5-500 米之间");
    if (in->target_class != 0 && (in->target_class < 1 || in->target_class > 5))
        return app_fail(err, APP_ERR_INVALID, "out_of_range", "target_class",
                        "水质目标应为 Ⅰ-Ⅴ 类（1-5）");
    if (in->station && strlen(in->station) > 31)
        return app_fail(err, APP_ERR_INVALID, "too_long", "station", "断面编码过长");
    if (in->works && strlen(in->works) > 4000)
        return app_fail(err, APP_ERR_INVALID, "too_long", "works", "岸线工程过长");
    return 0;
}

/* A manager may place a segment where one of its grids is in their jurisdiction. */
static int check_grids_in_scope(const struct auth_principal *who, const struct placed *pl,
                                struct app_error *err)
{
    if (!who || who->role == AUTH_ROLE_ADMIN)
        return 0;
    for (size_t i = 0; i < pl->ngrids; i++)
        if (auth_region_in_scope(who, pl->grids[i]))
            return 0;
    return app_fail(err, APP_ERR_FORBIDDEN, "outside_scope", "geometry",
                    "岸段不经过您辖区内的网格");
}

static int segment_write(struct app *app, struct db *db, const struct auth_principal *who,
                         const struct patrol_segment_input *in, const char *request_id,
                         struct app_error *err)
{
    if (check_segment_input(in, true, err))
        return -1;
    struct patrol_segment s = {0};
    struct placed pl = {0};
    snprintf(s.code, sizeof(s.code), "%s", in->code);
    snprintf(s.river, sizeof(s.river), "%s", in->river);
    snprintf(s.name, sizeof(s.name), "%s", in->name);
    s.buffer_m = in->buffer_m > 0 ? in->buffer_m : 50;
    snprintf(s.station, sizeof(s.station), "%s", in->station ? in->station : "");
    s.target_class = in->target_class > 0 ? in->target_class : 2;
    s.works = xstrdup(in->works ? in->works : "");
    s.synthetic = in->synthetic;
    s.created_at = clock_now();
    int ret = -1;
    bool exists = false;
    struct patrol_segment old = {0};
    if (patrol_store_segment_get(db, s.code, &old, &exists, err))
        goto out;
    if (exists) {
        app_fail(err, APP_ERR_CONFLICT, "segment_exists", "code", "岸段编码已存在");
        goto out;
    }
    if (segment_place(app, db, in->line, &s, &pl, err) || check_grids_in_scope(who, &pl, err) ||
        segment_store(db, who, &s, in->river_name, in->synthetic, &pl, false, request_id, err))
        goto out;
    ret = 0;
out:
    free(pl.grids);
    patrol_segment_release(&old);
    patrol_segment_release(&s);
    return ret;
}

int patrol_segment_create(struct app *app, struct db *db, const struct patrol_segment_input *in,
                          struct app_error *err)
{
    return segment_write(app, db, NULL, in, NULL, err);
}

static int may_manage(const struct auth_principal *who, struct app_error *err)
{
    if (!who)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL, "请先登录");
    if (!auth_may(who, "patrol.manage"))
        return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "您无权维护岸段与河长");
    return 0;
}

int patrol_segment_add(struct app *app, struct db *db, const struct auth_principal *who,
                       const struct patrol_segment_input *in, const char *request_id,
                       struct app_error *err)
{
    if (may_manage(who, err))
        return -1;
    struct patrol_segment_input x = *in;
    x.synthetic = false;
    return segment_write(app, db, who, &x, request_id, err);
}

int patrol_segment_update(struct app *app, struct db *db, const struct auth_principal *who,
                          const char *code, const struct patrol_segment_input *in,
                          const char *request_id, struct app_error *err)
{
    struct patrol_segment s = {0};
    struct placed pl = {0};
    int ret = -1;
    if (may_manage(who, err) || check_segment_input(in, false, err) ||
        patrol_segment_get(db, who, code, &s, err))
        goto out;
    if (in->name)
        snprintf(s.name, sizeof(s.name), "%s", in->name);
    if (in->river_name)
        snprintf(s.river_name, sizeof(s.river_name), "%s", in->river_name);
    if (in->buffer_m > 0)
        s.buffer_m = in->buffer_m;
    if (in->station)
        snprintf(s.station, sizeof(s.station), "%s", in->station);
    if (in->target_class > 0)
        s.target_class = in->target_class;
    if (in->works) {
        free(s.works);
        s.works = xstrdup(in->works);
    }
    if (in->line &&
        (segment_place(app, db, in->line, &s, &pl, err) || check_grids_in_scope(who, &pl, err)))
        goto out;
    if (segment_store(db, who, &s, s.river_name, s.synthetic, in->line ? &pl : NULL, true,
                      request_id, err))
        goto out;
    ret = 0;
out:
    free(pl.grids);
    patrol_segment_release(&s);
    return ret;
}

int patrol_chief_add(struct db *db, const struct patrol_chief *c, int64_t *id,
                     struct app_error *err)
{
    if (patrol_empty(c->name) || (unsigned)c->level >= PATROL_LEVEL_COUNT)
        return app_fail(err, APP_ERR_INVALID, "required", "name", "请填写河长姓名与层级");
    bool own = false;
    if (patrol_tx_begin(db, &own, err))
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
    if (patrol_tx_end(db, own, rc, err))
        return -1;
    if (id)
        *id = cid;
    return 0;
}

/* Check and apply in to c (all of c on appoint). */
static int chief_apply(struct db *db, const struct patrol_chief_input *in, bool create,
                       struct patrol_chief *c, struct app_error *err)
{
    if (create || in->level >= 0) {
        if (in->level < 0 || in->level >= PATROL_LEVEL_COUNT)
            return app_fail(err, APP_ERR_INVALID, "invalid_level", "level",
                            "层级应为 district、street 或 community");
        c->level = (enum patrol_level)in->level;
        snprintf(c->level_name, sizeof(c->level_name), "%s", patrol_level_name(c->level));
    }
    if ((create && patrol_empty(in->name)) || (in->name && (!*in->name || strlen(in->name) > 63)))
        return app_fail(err, APP_ERR_INVALID, "required", "name",
                        "请填写河长姓名（不超过 63 字节）");
    if (in->title && strlen(in->title) > 255)
        return app_fail(err, APP_ERR_INVALID, "too_long", "title", "职务过长");
    if (in->region && *in->region) {
        struct org_region r;
        struct app_error rerr = {0};
        if (strlen(in->region) > 23 || org_region_get(db, in->region, &r, &rerr))
            return app_fail(err, APP_ERR_INVALID, "unknown_region", "region", "没有这个区域编码");
        org_region_release(&r);
    }
    if (in->username && *in->username) {
        struct auth_user u;
        struct app_error uerr = {0};
        if (strlen(in->username) > 63 || auth_user_get(db, in->username, &u, &uerr))
            return app_fail(err, APP_ERR_INVALID, "unknown_user", "username", "没有这个账号");
    }
    if (in->name)
        snprintf(c->name, sizeof(c->name), "%s", in->name);
    if (in->title)
        snprintf(c->title, sizeof(c->title), "%s", in->title);
    if (in->region)
        snprintf(c->region, sizeof(c->region), "%s", in->region);
    if (in->username)
        snprintf(c->username, sizeof(c->username), "%s", in->username);
    return 0;
}

static int audit_chief(struct db *db, const struct auth_principal *who, const char *action,
                       const struct patrol_chief *c, const char *request_id, struct app_error *err)
{
    char oid[32], after[512];
    snprintf(oid, sizeof(oid), "%lld", (long long)c->id);
    snprintf(after, sizeof(after), "segment=%s;level=%s;name=%s;title=%s;region=%s;username=%s",
             c->segment, patrol_level_name(c->level), c->name, c->title, c->region, c->username);
    struct audit_entry ae = {.actor = who,
                             .action = action,
                             .object_type = "patrol_chief",
                             .object_id = oid,
                             .request_id = request_id,
                             .after = after,
                             .region = c->region};
    return audit_append(db, &ae, err);
}

int patrol_chief_appoint(struct db *db, const struct auth_principal *who, const char *segment,
                         const struct patrol_chief_input *in, const char *request_id, int64_t *id,
                         struct app_error *err)
{
    struct patrol_segment seg;
    struct patrol_chief c = {0};
    bool own = false;
    if (may_manage(who, err) || patrol_segment_get(db, who, segment, &seg, err))
        return -1;
    patrol_segment_release(&seg);
    snprintf(c.segment, sizeof(c.segment), "%s", segment);
    if (chief_apply(db, in, true, &c, err) || patrol_tx_begin(db, &own, err))
        return -1;
    int rc = patrol_store_chief_insert(db, &c, &c.id, err);
    if (rc == 0)
        rc = audit_chief(db, who, "patrol.chief", &c, request_id, err);
    if (patrol_tx_end(db, own, rc, err))
        return -1;
    *id = c.id;
    return 0;
}

/* Chief id in office, of a segment who sees. */
static int chief_of_scope(struct db *db, const struct auth_principal *who, int64_t id,
                          struct patrol_chief *c, struct app_error *err)
{
    bool found = false, visible = false;
    if (patrol_store_chief_get(db, id, c, &found, err))
        return -1;
    if (found && patrol_segment_visible(db, who, c->segment, &visible, err))
        return -1;
    if (!found || !visible)
        return app_fail(err, APP_ERR_NOT_FOUND, "chief_not_found", "id",
                        "没有这位河长，或不在您的辖区内");
    return 0;
}

int patrol_chief_update(struct db *db, const struct auth_principal *who, int64_t id,
                        const struct patrol_chief_input *in, const char *request_id,
                        struct patrol_chief *out, struct app_error *err)
{
    bool own = false;
    if (may_manage(who, err) || chief_of_scope(db, who, id, out, err) ||
        chief_apply(db, in, false, out, err) || patrol_tx_begin(db, &own, err))
        return -1;
    int rc = patrol_store_chief_update(db, out, err);
    if (rc == 0)
        rc = audit_chief(db, who, "patrol.chief.update", out, request_id, err);
    return patrol_tx_end(db, own, rc, err);
}

int patrol_chief_end(struct db *db, const struct auth_principal *who, int64_t id,
                     const char *request_id, struct patrol_chief *out, struct app_error *err)
{
    bool own = false;
    if (may_manage(who, err) || chief_of_scope(db, who, id, out, err) ||
        patrol_tx_begin(db, &own, err))
        return -1;
    int rc = patrol_store_chief_end(db, id, clock_now(), err);
    if (rc == 0)
        rc = audit_chief(db, who, "patrol.chief.end", out, request_id, err);
    return patrol_tx_end(db, own, rc, err);
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
    if (!who || patrol_empty(code))
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
