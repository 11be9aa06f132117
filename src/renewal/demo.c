/* The synthetic renewal demo for Yuzhong: six projects on real place names (山城巷, 戴家巷, 十八梯,
 * 鹅岭二厂 as a 老厂区, a 大坪 old estate, 七星岗 dangerous houses) with invented parcels, cash
 * flows and loans — some balance and some do not, so the answer is visibly computed — an
 * elevator vote that passes and a maintenance-fund vote that fails, and a 保障性租赁住房 register.
 * Deterministic; every record is marked synthetic and every name says 示例. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "org/org.h"
#include "renewal/renewal.h"
#include "renewal/renewal_store.h"

#define WAN INT64_C(1000000) /* 1 万元 in fen */

struct demo_project {
    const char *code, *name, *type, *model;
    double lon, lat; /* WGS84 */
    int phase, households;
    const char *investor, *financier, *builder, *manager, *operator_;
    /* capex per year 0..2 (万), yearly rent/parking/commercial/property income and opex from
     * year 3 (万), a subsidy in year 1 (万), the loan (万, rate ‰, term, grace), the ceiling */
    int capex[3], rent, parking, commercial, property, opex, subsidy;
    int loan, loan_rate_permille, loan_term, loan_grace;
    int ceiling;
};

static const struct demo_project projects[] = {
    {"YZ-RN-001",
     "山城巷片区更新（示例）",
     "block",
     "fepco",
     106.5735,
     29.5522,
     4,
     320,
     "示例城市更新基金",
     "示例银行重庆分行",
     "示例建工集团",
     "示例物业公司",
     "示例文旅运营公司",
     {6000, 4000, 2000},
     900,
     120,
     1100,
     80,
     700,
     1500,
     8000,
     42,
     15,
     3,
     6000},
    {"YZ-RN-002",
     "戴家巷老街区焕新（示例）",
     "block",
     "loan",
     106.5822,
     29.5652,
     3,
     180,
     "示例区属国企",
     "示例农商行",
     "示例市政公司",
     "示例街区运营公司",
     "示例街区运营公司",
     {3000, 2500, 0},
     450,
     60,
     520,
     40,
     380,
     800,
     4000,
     39,
     12,
     2,
     3000},
    {"YZ-RN-003",
     "十八梯传统风貌区运营提升（示例）",
     "block",
     "reits",
     106.5757,
     29.5538,
     4,
     260,
     "示例REITs管理人",
     "示例证券公司",
     "示例建工集团",
     "示例物业公司",
     "示例商业运营公司",
     {9000, 7000, 3000},
     700,
     100,
     900,
     60,
     900,
     500,
     12000,
     45,
     20,
     3,
     4000},
    {"YZ-RN-004",
     "鹅岭二厂老厂区腾笼换鸟（示例）",
     "factory",
     "social",
     106.5356,
     29.5528,
     4,
     60,
     "示例文创投资公司",
     "示例银行重庆分行",
     "示例建设公司",
     "示例园区物业",
     "示例文创园运营公司",
     {2500, 1500, 0},
     520,
     40,
     310,
     30,
     260,
     300,
     2000,
     40,
     10,
     1,
     3000},
    {"YZ-RN-005",
     "大坪老旧小区改造（示例）",
     "old_estate",
     "government",
     106.5186,
     29.5418,
     2,
     1260,
     "渝中区（示例）",
     "",
     "示例建设公司",
     "示例物业公司",
     "示例物业公司",
     {1800, 1200, 0},
     0,
     90,
     20,
     110,
     140,
     1600,
     0,
     0,
     0,
     0,
     2500},
    {"YZ-RN-006",
     "七星岗危旧房改造（示例）",
     "dangerous",
     "loan",
     106.5642,
     29.5543,
     1,
     210,
     "示例区属国企",
     "示例政策性银行",
     "示例建工集团",
     "示例物业公司",
     "示例租赁运营公司",
     {4200, 3600, 1500},
     380,
     30,
     60,
     40,
     210,
     600,
     6000,
     35,
     25,
     3,
     2000},
};

struct demo_parcel {
    const char *project, *name, *path;
    int before, after; /* m² */
    int households, enterprises;
};

static const struct demo_parcel parcels[] = {
    {"YZ-RN-001", "山城巷传统民居（示例）", "keep", 6800, 6800, 40, 6},
    {"YZ-RN-001", "厚慈街沿街楼栋（示例）", "renovate", 12400, 13100, 150, 22},
    {"YZ-RN-001", "危旧棚户（示例）", "demolish", 3200, 0, 60, 0},
    {"YZ-RN-001", "山城巷游客中心（示例）", "add", 0, 2600, 0, 3},
    {"YZ-RN-002", "戴家巷崖壁步道沿线楼栋（示例）", "renovate", 8600, 9000, 120, 14},
    {"YZ-RN-002", "戴家巷老院子（示例）", "keep", 2100, 2100, 12, 2},
    {"YZ-RN-003", "十八梯风貌建筑（示例）", "keep", 15800, 15800, 0, 48},
    {"YZ-RN-003", "十八梯配套停车楼（示例）", "add", 0, 9200, 0, 1},
    {"YZ-RN-004", "二厂老厂房（示例）", "renovate", 18500, 19600, 0, 35},
    {"YZ-RN-004", "厂区锅炉房（示例）", "keep", 900, 900, 0, 1},
    {"YZ-RN-005", "大坪正街小区1-12栋（示例）", "renovate", 86000, 86400, 1260, 8},
    {"YZ-RN-005", "加装电梯12部（示例）", "add", 0, 360, 0, 0},
    {"YZ-RN-006", "七星岗D级危房3栋（示例）", "demolish", 7400, 0, 140, 2},
    {"YZ-RN-006", "七星岗还建及保障性租赁住房（示例）", "add", 0, 11800, 210, 0},
};

static int seed_finance(struct db *db, const struct demo_project *d, struct app_error *err)
{
    struct renewal_flow_line lines[4 * 30];
    size_t n = 0;
    int horizon = 25;
    for (int y = 0; y < 3; y++)
        if (d->capex[y])
            lines[n++] = (struct renewal_flow_line){y, RENEWAL_FLOW_CAPEX, d->capex[y] * WAN};
    if (d->subsidy)
        lines[n++] = (struct renewal_flow_line){1, RENEWAL_FLOW_SUBSIDY, d->subsidy * WAN};
    for (int y = 3; y <= horizon && n + 5 <= sizeof lines / sizeof lines[0]; y++) {
        /* incomes ramp up over three years (60%, 80%, then full), grow 2% a year after */
        int64_t pct = y == 3 ? 60 : y == 4 ? 80 : 100;
        int64_t grow = 1000 + 20 * (y > 5 ? y - 5 : 0); /* ‰ */
        const int inc[4] = {d->rent, d->parking, d->commercial, d->property};
        for (int k = 0; k < 4; k++)
            if (inc[k])
                lines[n++] = (struct renewal_flow_line){y, RENEWAL_FLOW_RENT + k,
                                                        inc[k] * WAN * pct / 100 * grow / 1000};
        if (d->opex)
            lines[n++] = (struct renewal_flow_line){y, RENEWAL_FLOW_OPEX, d->opex * WAN};
    }
    struct renewal_loan loan = {(int64_t)d->loan * WAN,
                                (int64_t)d->loan_rate_permille * 1000000,
                                d->loan_term,
                                d->loan_grace,
                                0,
                                RENEWAL_REPAY_ANNUITY};
    return renewal_finance_set(db, NULL, d->code, horizon, 50000000, (int64_t)d->ceiling * WAN,
                               lines, n, &loan, d->loan ? 1 : 0, NULL, err);
}

/* An elevator vote at 大坪 (major: 改建、重建, 第二百七十八条第七项) that passes, and a
 * maintenance-fund vote at 山城巷 (ordinary: 使用维修资金) that fails: too few approve. */
static int seed_votes(struct db *db, struct app_error *err)
{
    struct renewal_ballot u[24];
    static const char *const surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张";
    for (int i = 0; i < 24; i++) {
        memset(&u[i], 0, sizeof u[i]);
        snprintf(u[i].unit, sizeof u[i].unit, "3-%d-%02d", 1 + i / 4, 1 + i % 4);
        /* unit 3-6-03 and 3-6-04 share one owner: one person, two units */
        int o = i == 23 ? 22 : i;
        snprintf(u[i].owner, sizeof u[i].owner, "%.3s业主%02d（示例）", surnames + 3 * o, o + 1);
        u[i].area = 6500 + (i % 4) * 850; /* 65.00–90.50 m² */
    }
    struct renewal_vote_rec v = {
        .matter = RENEWAL_MATTER_MAJOR, .building_area = 200000, .synthetic = true};
    snprintf(v.title, sizeof v.title, "大坪正街小区3栋加装电梯（示例）");
    if (renewal_vote_open(db, NULL, "YZ-RN-005", &v, u, 24, NULL, err))
        return -1;
    for (int i = 0; i < 23; i++) {
        enum renewal_vote b = i < 19   ? RENEWAL_VOTE_YES
                              : i < 20 ? RENEWAL_VOTE_NO
                              : i < 21 ? RENEWAL_VOTE_ABSTAIN
                                       : RENEWAL_VOTE_ABSENT;
        if (b != RENEWAL_VOTE_ABSENT &&
            renewal_ballot_cast(db, NULL, v.id, u[i].unit, b, NULL, err))
            return -1;
    }
    struct renewal_vote_rec w = {
        .matter = RENEWAL_MATTER_ORDINARY, .building_area = 200000, .synthetic = true};
    snprintf(w.title, sizeof w.title, "厚慈街12号使用专项维修资金维修屋面（示例）");
    for (int i = 0; i < 12; i++)
        snprintf(u[i].unit, sizeof u[i].unit, "12-%d-%02d", 1 + i / 4, 1 + i % 4);
    u[11] = u[10];
    snprintf(u[11].unit, sizeof u[11].unit, "12-3-04");
    snprintf(u[11].owner, sizeof u[11].owner, "%s", u[10].owner);
    if (renewal_vote_open(db, NULL, "YZ-RN-001", &w, u, 12, NULL, err))
        return -1;
    for (int i = 0; i < 12; i++) {
        /* 9 of 11 persons take part; 4 yes, 4 no, 1 abstains: 4 of 9 is not more than half */
        enum renewal_vote b = i < 4    ? RENEWAL_VOTE_YES
                              : i < 8  ? RENEWAL_VOTE_NO
                              : i == 8 ? RENEWAL_VOTE_ABSTAIN
                                       : RENEWAL_VOTE_ABSENT;
        if (b != RENEWAL_VOTE_ABSENT && i != 11 &&
            renewal_ballot_cast(db, NULL, w.id, u[i].unit, b, NULL, err))
            return -1;
    }
    return 0;
}

static int seed_housing(struct app *app, struct db *db, struct app_error *err)
{
    static const struct {
        const char *project;
        double lon, lat;
        int market; /* yuan per month for 60 m² */
    } h[] = {
        {"两路口保障性租赁住房示范项目（示例）", 106.5522, 29.5502, 3000},
        {"大坪保障性租赁住房示范项目（示例）", 106.5201, 29.5402, 2600},
    };
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < 16; i++) {
            struct renewal_housing_unit u = {0};
            struct org_location loc;
            struct app_error e2 = {0};
            u.lon = h[p].lon + 0.0002 * (i % 4);
            u.lat = h[p].lat + 0.0002 * (i / 4);
            if (org_locate(app, db, u.lon, u.lat, &loc, &e2))
                continue;
            snprintf(u.grid, sizeof u.grid, "%s", loc.grid.code);
            org_location_release(&loc);
            snprintf(u.code, sizeof u.code, "BZ-%d-%02d", p + 1, i + 1);
            snprintf(u.project, sizeof u.project, "%s", h[p].project);
            /* 38–62 m² mostly, a few 3-room flats over 70 m² */
            u.area = (i % 5 == 4) ? 8250 : 3800 + (i % 4) * 800;
            u.market_rent = (int64_t)h[p].market * 100 * u.area / 6000;
            /* rents at 85% of the market, one unit per project set above the share */
            u.rent = u.market_rent * (i == 7 ? 95 : 85) / 100;
            u.occupied = i % 3 != 2;
            u.synthetic = true;
            if (renewal_store_housing_insert(db, &u, err))
                return -1;
        }
    /* twelve applicants of the three groups, one owning a flat in the city (not eligible) */
    int64_t now = clock_now();
    for (int i = 0; i < 12; i++) {
        struct renewal_applicant_rec a = {.group = 1 + (i * 7) % 3,
                                          .owns_housing = i == 5,
                                          .applied_at = now - (int64_t)(40 - 3 * i) * 86400,
                                          .synthetic = true};
        int64_t id;
        snprintf(a.name, sizeof a.name, "示例申请人%02d", i + 1);
        if (renewal_store_applicant_insert(db, &a, &id, err))
            return -1;
    }
    return 0;
}

static int seed_all(struct app *app, struct db *db, struct app_error *err);

int renewal_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    if (!demo)
        return 0;
    bool own_org = app->org == NULL; /* projects are located in grids before the server starts */
    if (own_org && org_start(app, err))
        return -1;
    int rc = seed_all(app, db, err);
    if (own_org)
        org_stop(app);
    return rc;
}

static int seed_all(struct app *app, struct db *db, struct app_error *err)
{
    struct renewal_project_list l = {0};
    if (renewal_store_project_list(db, "", -1, NULL, &l, err))
        return -1;
    size_t have = l.len;
    free(l.items);
    if (have)
        return 0;
    for (size_t i = 0; i < sizeof projects / sizeof projects[0]; i++) {
        const struct demo_project *d = &projects[i];
        struct renewal_project p = {
            .lon = d->lon, .lat = d->lat, .households = d->households, .synthetic = true};
        snprintf(p.code, sizeof p.code, "%s", d->code);
        snprintf(p.name, sizeof p.name, "%s", d->name);
        snprintf(p.type, sizeof p.type, "%s", d->type);
        snprintf(p.model, sizeof p.model, "%s", d->model);
        snprintf(p.investor, sizeof p.investor, "%s", d->investor);
        snprintf(p.financier, sizeof p.financier, "%s", d->financier);
        snprintf(p.builder, sizeof p.builder, "%s", d->builder);
        snprintf(p.manager, sizeof p.manager, "%s", d->manager);
        snprintf(p.operator_, sizeof p.operator_, "%s", d->operator_);
        struct app_error e2 = {0};
        if (renewal_project_create(app, db, NULL, &p, NULL, &e2)) {
            log_warn("renewal: demo project %s not seeded: %s", d->code, e2.message);
            continue;
        }
        for (int ph = 1; ph <= d->phase; ph++)
            if (renewal_project_advance(db, NULL, d->code, ph, NULL, err))
                return -1;
        if (seed_finance(db, d, err))
            return -1;
        for (size_t k = 0; k < sizeof parcels / sizeof parcels[0]; k++) {
            if (strcmp(parcels[k].project, d->code) != 0)
                continue;
            struct renewal_parcel pc = {.area_before = parcels[k].before * INT64_C(100),
                                        .area_after = parcels[k].after * INT64_C(100),
                                        .households = parcels[k].households,
                                        .enterprises = parcels[k].enterprises,
                                        .synthetic = true};
            snprintf(pc.name, sizeof pc.name, "%s", parcels[k].name);
            snprintf(pc.path, sizeof pc.path, "%s", parcels[k].path);
            if (renewal_parcel_add(db, NULL, d->code, &pc, NULL, err))
                return -1;
        }
    }
    if (seed_votes(db, err))
        return -1;
    return seed_housing(app, db, err);
}
