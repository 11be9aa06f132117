/* Segments (岸段) and their chiefs: storing a segment with the grids it passes, adding chiefs,
 * and who may see which segment (the jurisdiction every other view starts from). */
#include "patrol/patrol.h"

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

int patrol_segment_create(struct app *app, struct db *db, const struct patrol_segment_input *in,
                          struct app_error *err)
{
    if (patrol_empty(in->code) || strlen(in->code) > 31)
        return app_fail(err, APP_ERR_INVALID, "invalid_code", "code", "岸段编码无效");
    if (patrol_empty(in->name) || patrol_empty(in->river) || patrol_empty(in->river_name))
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
    if (patrol_tx_begin(db, &own, err))
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
    if (patrol_tx_end(db, own, rc, err))
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
