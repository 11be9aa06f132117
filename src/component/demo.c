/* The synthetic demo sewer network for Yuzhong (issue 23 §6): two manholes in every fourth grid,
 * joined into one chain per street that drains to an outfall, one separate-sewer area per street,
 * and two years of inspections with defects at every grade, some repaired and some still open. The
 * generator is a fixed pseudo-random sequence, so the same day gives the same network; every
 * record is marked synthetic. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "component/component.h"
#include "component/component_store.h"
#include "core/clock.h"
#include "core/log.h"
#include "org/org.h"

struct rng {
    uint64_t s;
};

static uint32_t next(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 16);
}

static int below(struct rng *r, int n)
{
    return (int)(next(r) % (uint32_t)n);
}

static double metres(double lon1, double lat1, double lon2, double lat2)
{
    double dx = (lon2 - lon1) * cos(lat1 * M_PI / 180) * 111320.0;
    double dy = (lat2 - lat1) * 110540.0;
    return sqrt(dx * dx + dy * dy);
}

static int manhole(struct db *db, const char *cls, int serial, const struct org_region *g,
                   double lon, double lat, const char *dep, int64_t now, char *code,
                   struct app_error *err)
{
    struct component c = {.lon = lon, .lat = lat, .updated_at = now, .synthetic = true};
    snprintf(c.code, sizeof(c.code), "%s%s%06d", COMPONENT_DISTRICT, cls, serial);
    snprintf(c.class_code, sizeof(c.class_code), "%s", cls);
    snprintf(c.name, sizeof(c.name), "%s检查井", strcmp(cls, "0103") == 0 ? "雨水" : "污水");
    snprintf(c.state, sizeof(c.state), "%s", serial % 41 == 7 ? "破损" : "完好");
    snprintf(c.grid, sizeof(c.grid), "%s", g->code);
    snprintf(c.street, sizeof(c.street), "%.9s", g->code);
    snprintf(c.department, sizeof(c.department), "%s", dep);
    snprintf(code, 20, "%s", c.code);
    return component_store_upsert(db, &c, NULL, err);
}

static void day(int64_t now, int days_ago, char *out)
{
    clock_format_date(now - (int64_t)days_ago * 86400, out, 12);
}

static const char *const materials[] = {"钢筋混凝土", "HDPE 双壁波纹管", "球墨铸铁", "PVC-U"};
static const int diameters[] = {300, 400, 500, 600, 800, 1000};

/* Two years of inspections of s: one in each year with fixed odds, 0–3 defects each. */
static int inspect(struct db *db, struct rng *r, const struct sewer_segment *s, int64_t now,
                   long *ninsp, long *ndef, struct app_error *err)
{
    for (int year = 1; year >= 0; year--) {
        if (below(r, 100) >= (year ? 80 : 65))
            continue;
        int ago = year * 365 + below(r, 365);
        struct sewer_inspection in = {.length_m = s->length_m, .synthetic = true};
        snprintf(in.segment, sizeof(in.segment), "%s", s->code);
        snprintf(in.method, sizeof(in.method), "%s", below(r, 4) ? "cctv" : "periscope");
        day(now, ago, in.inspected_on);
        snprintf(in.inspector, sizeof(in.inspector), "演示检测队%d组", 1 + below(r, 4));
        int64_t id;
        if (sewer_store_inspection_insert(db, &in, now, &id, err))
            return -1;
        (*ninsp)++;
        int nd = below(r, 10);
        nd = nd < 4 ? 0 : nd < 7 ? 1 : nd < 9 ? 2 : 3;
        for (int k = 0; k < nd; k++) {
            struct sewer_defect d = {.inspection_id = id, .synthetic = true};
            bool st = below(r, 100) < 60;
            snprintf(d.segment, sizeof(d.segment), "%s", s->code);
            snprintf(d.kind, sizeof(d.kind), "%s", st ? "structural" : "functional");
            const char *name;
            size_t cnt = 0;
            while (sewer_defect_at(d.kind, cnt))
                cnt++;
            name = sewer_defect_at(d.kind, (size_t)below(r, (int)cnt));
            snprintf(d.defect, sizeof(d.defect), "%s", name);
            d.grade = 1 + below(r, 4);
            d.position_m = (double)below(r, (int)(s->length_m * 10)) / 10.0;
            snprintf(d.found_on, sizeof(d.found_on), "%s", in.inspected_on);
            /* Repairs in progress: most serious defects older than a month are repaired. */
            int after = 10 + below(r, 110);
            if (ago - after > 0 && below(r, 100) < (d.grade >= COMPONENT_ACTION_GRADE ? 70 : 30)) {
                day(now, ago - after, d.repaired_on);
                snprintf(d.repair_note, sizeof(d.repair_note), "%s",
                         st ? "演示：局部修复（点状原位固化）" : "演示：高压射水疏通清淤");
            }
            if (sewer_store_defect_insert(db, &d, NULL, err))
                return -1;
            (*ndef)++;
        }
    }
    return 0;
}

int component_demo_seed(struct app *app, struct db *db, int64_t now, struct app_error *err)
{
    (void)app;
    struct org_region_query q = {.level = "grid", .limit = 100000};
    struct org_region_list grids = {0};
    bool more = false;
    if (org_region_list(db, &q, &grids, &more, err))
        return -1;
    struct rng r = {0x5EED2026C0FFEEULL};
    int ret = -1, serial_w = 0, serial_r = 0;
    long nseg = 0, ninsp = 0, ndef = 0;
    if (db_begin(db, err))
        goto out;
    char prev_down[20] = "", prev_street[24] = "";
    for (size_t i = 0; i < grids.len; i++) {
        const struct org_region *g = &grids.items[i];
        /* Every fourth grid keeps the network at a few hundred segments. */
        if (g->center_lon == 0 || i % 4 != 0)
            continue;
        char street[24];
        snprintf(street, sizeof(street), "%.9s", g->code);
        bool new_street = strcmp(street, prev_street) != 0;
        if (new_street) {
            struct org_region st;
            struct app_error e = {0};
            char acode[32], aname[160];
            snprintf(acode, sizeof(acode), "SA-%s", street);
            if (org_region_get(db, street, &st, &e) == 0) {
                snprintf(aname, sizeof(aname), "%s雨污分流片区", st.name);
                org_region_release(&st);
            } else {
                snprintf(aname, sizeof(aname), "%s雨污分流片区", street);
            }
            double planned = 2000 + below(&r, 6000);
            if (sewer_store_area_insert(db, acode, aname, street, NULL, planned,
                                        planned * (20 + below(&r, 70)) / 100.0, 2027, true, err))
                goto rollback;
            prev_down[0] = 0;
            snprintf(prev_street, sizeof(prev_street), "%s", street);
        }
        bool rain = below(&r, 3) == 0;
        const char *cls = rain ? "0103" : "0102";
        const char *dep = rain ? "water" : "urban";
        int *serial = rain ? &serial_r : &serial_w;
        double dlon = 0.0004 + below(&r, 4) * 0.0001, dlat = 0.0003 - below(&r, 6) * 0.0001;
        double lon_a = g->center_lon - dlon / 2, lat_a = g->center_lat - dlat / 2;
        double lon_b = g->center_lon + dlon / 2, lat_b = g->center_lat + dlat / 2;
        char a[20], b[20];
        if (manhole(db, cls, ++*serial, g, lon_a, lat_a, dep, now, a, err) ||
            manhole(db, cls, ++*serial, g, lon_b, lat_b, dep, now, b, err))
            goto rollback;
        /* Segment into this grid from the previous grid's downstream manhole, then across it. */
        for (int k = 0; k < 2; k++) {
            if (k == 0 && !prev_down[0])
                continue;
            struct sewer_segment s = {.diameter_mm = diameters[below(&r, 6)],
                                      .depth_m = 1.2 + below(&r, 30) / 10.0,
                                      .year = 1985 + below(&r, 38),
                                      .synthetic = true};
            snprintf(s.code, sizeof(s.code), "YZ-%s-%04ld", rain ? "Y" : "W", ++nseg);
            snprintf(s.up, sizeof(s.up), "%s", k == 0 ? prev_down : a);
            snprintf(s.down, sizeof(s.down), "%s", k == 0 ? a : b);
            snprintf(s.kind, sizeof(s.kind), "%s",
                     rain ? "rain" : (below(&r, 4) == 0 ? "combined" : "sewage"));
            snprintf(s.material, sizeof(s.material), "%s", materials[below(&r, 4)]);
            s.length_m = k == 0 ? 30 + below(&r, 90) : metres(lon_a, lat_a, lon_b, lat_b);
            s.length_m = round(s.length_m * 10) / 10;
            if (s.length_m < 5)
                s.length_m = 5;
            snprintf(s.grid, sizeof(s.grid), "%s", g->code);
            snprintf(s.street, sizeof(s.street), "%s", street);
            if (below(&r, 2) == 0)
                snprintf(s.area, sizeof(s.area), "SA-%s", street);
            snprintf(s.department, sizeof(s.department), "%s", dep);
            if (sewer_store_segment_insert(db, &s, err) ||
                inspect(db, &r, &s, now, &ninsp, &ndef, err))
                goto rollback;
        }
        snprintf(prev_down, sizeof(prev_down), "%s", b);
    }
    if (db_commit(db, err))
        goto out;
    log_info("component: demo sewer network of %ld segments, %ld inspections, %ld defects", nseg,
             ninsp, ndef);
    ret = 0;
    goto out;
rollback:
    db_rollback(db);
out:
    org_region_list_release(&grids);
    return ret;
}
