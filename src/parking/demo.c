/* The synthetic shared-parking demo for Yuzhong: lots around 解放碑, 大坪, 两路口 and near the
 * hospitals, each with its owner's share plans, and a month of bookings (before and after
 * today) with the gate events of the cars that came, some late, some overstaying, some not at
 * all; plus searches that found nothing where there is no supply. Deterministic: the same
 * clock day gives the same data. Every record is marked synthetic; names say 示例. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/log.h"
#include "org/org.h"
#include "parking/parking.h"
#include "parking/parking_store.h"

struct demo_plan {
    int spaces;
    const char *windows;
    int price_fen;
};

struct demo_lot {
    const char *code, *name;
    enum parking_kind kind;
    double lon, lat; /* WGS84 */
    int capacity;
    const char *entrance, *owner;
    struct demo_plan plans[2];
};

#define NIGHTS_AND_REST "workday 19:00-08:00,restday 00:00-24:00"
static const struct demo_lot demo_lots[] = {
    {"P-JFB-01",
     "解放碑示例公共停车场",
     PARKING_KIND_PUBLIC,
     106.5775,
     29.5585,
     300,
     "民权路入口",
     "示例城投停车公司",
     {{40, "daily 00:00-24:00", 1000}}},
    {"P-JFB-02",
     "解放碑示例写字楼车库",
     PARKING_KIND_OFFICE,
     106.5790,
     29.5570,
     200,
     "邹容路侧地库入口",
     "示例写字楼物业",
     {{80, NIGHTS_AND_REST, 500}}},
    {"P-JFB-03",
     "解放碑示例商场车库",
     PARKING_KIND_COMMERCIAL,
     106.5750,
     29.5565,
     500,
     "八一路入口",
     "示例商场",
     {{50, "daily 08:00-22:00", 800}}},
    {"P-JFB-04",
     "较场口示例住宅小区车库",
     PARKING_KIND_RESIDENTIAL,
     106.5735,
     29.5540,
     120,
     "小区东门",
     "示例小区业主委员会",
     {{30, "workday 08:30-17:30", 300}}},
    {"P-DP-01",
     "大坪示例公共停车场",
     PARKING_KIND_PUBLIC,
     106.5190,
     29.5400,
     250,
     "大坪正街入口",
     "示例城投停车公司",
     {{60, "daily 00:00-24:00", 600}}},
    {"P-DP-02",
     "大坪示例机关大院",
     PARKING_KIND_OFFICE,
     106.5215,
     29.5380,
     150,
     "北门",
     "示例机关事务管理处",
     {{60, NIGHTS_AND_REST, 300}}},
    {"P-DP-03",
     "大坪示例住宅小区车库",
     PARKING_KIND_RESIDENTIAL,
     106.5170,
     29.5420,
     200,
     "小区南门",
     "示例物业服务中心",
     {{50, "workday 08:30-17:30", 300}}},
    {"P-LLK-01",
     "两路口示例公共停车场",
     PARKING_KIND_PUBLIC,
     106.5470,
     29.5545,
     180,
     "中山三路入口",
     "示例城投停车公司",
     {{30, "daily 00:00-24:00", 800}}},
    {"P-LLK-02",
     "两路口示例学校停车场",
     PARKING_KIND_SCHOOL,
     106.5450,
     29.5525,
     80,
     "校门西侧",
     "示例学校",
     {{40, "workday 18:30-07:00,restday 00:00-24:00", 300}}},
    {"P-LLK-03",
     "两路口示例写字楼车库",
     PARKING_KIND_OFFICE,
     106.5495,
     29.5530,
     220,
     "长江二路地库入口",
     "示例写字楼物业",
     {{100, NIGHTS_AND_REST, 500}}},
    {"P-HOS-01",
     "重医附一院旁示例住宅车库",
     PARKING_KIND_RESIDENTIAL,
     106.5125,
     29.5345,
     160,
     "友谊路小区入口，步行至医院门诊约 6 分钟",
     "示例小区业主委员会",
     {{50, "workday 07:30-17:30", 400}}},
    {"P-HOS-02",
     "重医附一院示例职工车库",
     PARKING_KIND_HOSPITAL,
     106.5110,
     29.5330,
     300,
     "职工车库入口",
     "示例医院后勤处",
     {{20, "daily 20:00-07:00", 300}}},
    {"P-HOS-03",
     "市人民医院旁示例写字楼车库",
     PARKING_KIND_OFFICE,
     106.5410,
     29.5520,
     180,
     "中山二路地库入口，步行至医院约 5 分钟",
     "示例写字楼物业",
     {{60, NIGHTS_AND_REST, 400}, {20, "workday 07:00-09:30", 600}}},
    {"P-HOS-04",
     "医大附二院旁示例商业车库",
     PARKING_KIND_COMMERCIAL,
     106.5665,
     29.5605,
     240,
     "临江路入口",
     "示例商业广场",
     {{40, "daily 07:00-22:00", 600}}},
};
#define NLOTS (sizeof(demo_lots) / sizeof(demo_lots[0]))

/* Places people searched from and found nothing (no shared supply nearby). */
static const struct {
    double lon, lat;
    int per_day;
} demo_unmet[] = {
    {106.5080, 29.5480, 6}, /* 化龙桥 */
    {106.5450, 29.5450, 4}, /* 菜园坝 */
    {106.5850, 29.5660, 9}, /* 朝天门 */
    {106.5600, 29.5500, 3}, /* 南纪门 */
};

static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

static unsigned rnd(uint64_t *s, unsigned n)
{
    *s = mix(*s);
    return n ? (unsigned)(*s % n) : 0;
}

static void demo_plate(uint64_t *s, char *out, size_t n)
{
    static const char chars[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static const char letters[] = "ABCDFGH";
    char serial[6];
    for (int i = 0; i < 5; i++)
        serial[i] = i < 2 ? chars[rnd(s, 34)] : chars[rnd(s, 10)];
    serial[5] = '\0';
    snprintf(out, n, "渝%c%s", letters[rnd(s, 7)], serial);
}

/* A month of bookings on one plan: per day and offered stretch, up to a few cars per space
 * slot, never more cars at once than the plan's spaces (each simulated space is a sequence). */
static int demo_plan_bookings(struct db *db, const struct parking_lot *lot,
                              const struct parking_plan *p, int64_t now, uint64_t seed, int *nbook,
                              struct app_error *err)
{
    struct parking_window w[PARKING_MAX_WINDOWS];
    int nw;
    if (parking_windows_parse(p->windows, w, &nw, "windows", err))
        return -1;
    const struct calendar *cal = calendar_default();
    int64_t today = (now + CLOCK_CN_OFFSET) / 86400;
    int64_t first = today - 29, last = today + 2;
    bool wd[40];
    for (int64_t d = first - 1; d <= last + 1; d++)
        if (calendar_is_workday(cal, d, &wd[d - first + 1], err))
            return -1;
    struct parking_interval iv[8];
    int slots = p->spaces < 5 ? p->spaces : 5; /* simulated spaces: enough for the figures */
    for (int64_t d = first; d <= last; d++) {
        int64_t midnight = d * 86400 - CLOCK_CN_OFFSET;
        size_t n = parking_offered(w, nw, first - 1, wd, (size_t)(last - first + 3), midnight,
                                   midnight + 86400, iv, 8);
        for (size_t k = 0; k < n; k++) {
            for (int s = 0; s < slots; s++) {
                uint64_t r = seed ^ ((uint64_t)d << 20) ^ ((uint64_t)k << 12) ^ (uint64_t)s;
                int64_t t = iv[k].start + (int64_t)rnd(&r, 90) * 60;
                while (t + 3600 <= iv[k].end) {
                    int64_t len = (1 + (int64_t)rnd(&r, 4)) * 3600;
                    int64_t e = t + len > iv[k].end ? iv[k].end : t + len;
                    if (e - t < PARKING_MIN_S)
                        break;
                    struct parking_booking b = {.lot_id = lot->id,
                                                .plan_id = p->id,
                                                .start = t,
                                                .end = e,
                                                .created_at = t - 3600 * (1 + rnd(&r, 20)),
                                                .price_fen = p->price_fen,
                                                .synthetic = true};
                    demo_plate(&r, b.plate, sizeof b.plate);
                    unsigned fate = rnd(&r, 100);
                    if (t > now) {
                        b.status = fate < 8 ? PARKING_CANCELLED : PARKING_BOOKED;
                    } else if (fate < 5) {
                        b.status = PARKING_CANCELLED;
                    } else if (fate < 10) {
                        b.status = PARKING_NO_SHOW;
                    } else {
                        b.in_at = t - 600 + (int64_t)rnd(&r, 1200);
                        int64_t out = e - 1800 + (int64_t)rnd(&r, 1800);
                        if (fate < 14)
                            out = e + 1200 + (int64_t)rnd(&r, 3600); /* overstay */
                        if (out <= b.in_at)
                            out = b.in_at + 600;
                        if (out > now) {
                            b.status = PARKING_CHECKED_IN;
                        } else {
                            b.status = PARKING_COMPLETED;
                            b.out_at = out;
                            b.overstay_minutes = parking_overstay_minutes(e, out);
                        }
                    }
                    int64_t gid;
                    if (parking_store_booking_insert(db, &b, NULL, 0, &b.id, err))
                        return -1;
                    if (b.in_at && parking_store_gate_insert(db, lot->id, b.plate, "in", b.in_at,
                                                             b.id, true, &gid, err))
                        return -1;
                    if (b.out_at && parking_store_gate_insert(db, lot->id, b.plate, "out", b.out_at,
                                                              b.id, true, &gid, err))
                        return -1;
                    if (b.overstay_minutes > 0 &&
                        parking_store_alert_insert(db, &b, b.overstay_minutes, b.out_at, &gid, err))
                        return -1;
                    (*nbook)++;
                    /* the next car in this space: after a gap */
                    t = (b.out_at > e ? b.out_at : e) + (int64_t)rnd(&r, 6) * 900;
                    t -= t % 60;
                }
            }
        }
    }
    return 0;
}

static int demo_seed(struct app *app, struct db *db, struct app_error *err)
{
    int64_t now = clock_now();
    int nlots = 0, nbook = 0;
    for (size_t i = 0; i < NLOTS; i++) {
        const struct demo_lot *d = &demo_lots[i];
        struct org_location loc;
        struct app_error e2 = {0};
        if (org_locate(app, db, d->lon, d->lat, &loc, &e2)) {
            log_warn("parking demo: %s is outside every grid, left out", d->code);
            continue;
        }
        struct parking_lot l = {.kind = d->kind,
                                .lon = d->lon,
                                .lat = d->lat,
                                .entrance_lon = d->lon + 0.0003,
                                .entrance_lat = d->lat - 0.0002,
                                .capacity = d->capacity,
                                .synthetic = true};
        snprintf(l.code, sizeof l.code, "%s", d->code);
        snprintf(l.name, sizeof l.name, "%s", d->name);
        snprintf(l.entrance, sizeof l.entrance, "%s", d->entrance);
        snprintf(l.owner, sizeof l.owner, "%s", d->owner);
        snprintf(l.grid, sizeof l.grid, "%s", loc.grid.code);
        snprintf(l.street, sizeof l.street, "%s", loc.street.code);
        org_location_release(&loc);
        if (parking_store_lot_insert(db, &l, now - 40 * 86400, &l.id, err))
            return -1;
        nlots++;
        for (int k = 0; k < 2 && d->plans[k].spaces; k++) {
            struct parking_plan p = {.lot_id = l.id,
                                     .spaces = d->plans[k].spaces,
                                     .price_fen = d->plans[k].price_fen,
                                     .active = true,
                                     .synthetic = true};
            snprintf(p.windows, sizeof p.windows, "%s", d->plans[k].windows);
            snprintf(p.audience, sizeof p.audience, "public");
            if (parking_store_plan_insert(db, &p, now - 40 * 86400, &p.id, err) ||
                demo_plan_bookings(db, &l, &p, now, 0x5A17ull * (i + 1) + (uint64_t)k, &nbook, err))
                return -1;
        }
    }
    int64_t today = (now + CLOCK_CN_OFFSET) / 86400;
    for (size_t i = 0; i < sizeof demo_unmet / sizeof demo_unmet[0]; i++) {
        struct org_location loc;
        struct app_error e2 = {0};
        if (org_locate(app, db, demo_unmet[i].lon, demo_unmet[i].lat, &loc, &e2))
            continue;
        for (int64_t d = today - 29; d <= today; d++)
            if (parking_store_unmet_add(db, loc.grid.code, d,
                                        demo_unmet[i].per_day + (int)(mix((uint64_t)d) % 3), true,
                                        err)) {
                org_location_release(&loc);
                return -1;
            }
        org_location_release(&loc);
    }
    char after[96];
    snprintf(after, sizeof after, "lots=%d;bookings=%d;synthetic", nlots, nbook);
    struct audit_entry e = {.action = "parking.demo_seed",
                            .object_type = "parking_demo",
                            .object_id = "yuzhong",
                            .after = after};
    if (audit_append(db, &e, err))
        return -1;
    log_info("parking: %d demo lots, %d synthetic bookings", nlots, nbook);
    return 0;
}

int parking_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    if (!demo)
        return 0;
    bool own_org = app->org == NULL; /* lots are located in grids before the server starts */
    int ret = -1;
    if (own_org && org_start(app, err))
        return -1;
    if (db_begin(db, err))
        goto out;
    if (demo_seed(app, db, err)) {
        db_rollback(db);
        goto out;
    }
    ret = db_commit(db, err);
out:
    if (own_org)
        org_stop(app);
    return ret;
}
