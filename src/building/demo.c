/* The synthetic building-economy demo for Yuzhong: 300 office buildings on the demo grids (the
 * well-known towers by their public names, the rest named 示例楼宇), their tenants with leases
 * and three years (2023-2025) of tax, revenue and value added, generated deterministically so
 * that the 2025 district figures land near the seed's: 40 亿元级 buildings, 161 千万元级, tax per
 * m² just over 1,500 元, value added per m² just over 13,400 元, vacancy falling, 招商落地率
 * rising. Every record is marked synthetic (docs/building.md says what is real: the names). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "building/building.h"
#include "building/building_store.h"
#include "core/xalloc.h"
#include "org/org.h"

/* splitmix64: a fixed seed makes every init the same */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rnd(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static double between(double lo, double hi)
{
    return lo + (hi - lo) * rnd();
}

/* the seed's 2025 district figures (楼均税收超1500元每平方米, 楼均GDP产出突破1.34万元每平方米) */
#define TARGET_TAX_PER_M2 1528.0
#define TARGET_GDP_PER_M2 13460.0
#define NB 300

struct street_share {
    const char *code, *short_name, *zone;
    int n;
    double strength;
};
static const struct street_share streets[] = {
    {"500103003", "解放碑", "jfb", 90, 1.0},    {"500103010", "朝天门", "jfb", 30, 0.8},
    {"500103013", "化龙桥", "hlq", 35, 0.75},   {"500103012", "大坪", "other", 35, 0.5},
    {"500103004", "两路口", "other", 25, 0.35}, {"500103005", "上清寺", "other", 25, 0.4},
    {"500103014", "石油路", "zbc", 20, 0.45},   {"500103001", "七星岗", "jfb", 15, 0.3},
    {"500103011", "大溪沟", "other", 10, 0.2},  {"500103008", "南纪门", "other", 8, 0.15},
    {"500103007", "菜园坝", "other", 7, 0.1},
};

/* Public names of well-known Yuzhong office towers (their figures here are synthetic). */
static const struct {
    const char *name, *street;
} real[] = {
    {"重庆环球金融中心", "500103003"}, {"英利国际金融中心", "500103003"},
    {"联合国际", "500103003"},         {"重庆世界贸易中心", "500103003"},
    {"重庆来福士", "500103010"},       {"陆海国际中心", "500103013"},
    {"大都会东方广场", "500103003"},   {"地王广场", "500103003"},
    {"日月光中心广场", "500103003"},   {"重庆天地", "500103013"},
};
#define NREAL (sizeof(real) / sizeof(real[0]))

/* industries by zone: GB/T 4754-2017 大类 codes and weights */
struct mix {
    const char *codes[8];
    double w[8];
};
static const struct mix mix_jfb = {{"J66", "J67", "L72", "F51", "M74", "I65", "K70", "R86"},
                                   {18, 10, 25, 10, 10, 12, 8, 7}};
static const struct mix mix_hlq = {{"L72", "J66", "I65", "K70", "M73", "G58", "J69", "F52"},
                                   {28, 14, 20, 10, 10, 6, 6, 6}};
static const struct mix mix_zbc = {{"I65", "I64", "M73", "L72", "J66", "I63", "M75", "F51"},
                                   {34, 14, 14, 12, 8, 8, 6, 4}};
static const struct mix mix_other = {{"L72", "F51", "K70", "H61", "I65", "M74", "Q84", "P83"},
                                     {28, 20, 10, 8, 10, 10, 8, 6}};

static const char *pick_industry(const char *zone)
{
    const struct mix *m = strcmp(zone, "jfb") == 0   ? &mix_jfb
                          : strcmp(zone, "hlq") == 0 ? &mix_hlq
                          : strcmp(zone, "zbc") == 0 ? &mix_zbc
                                                     : &mix_other;
    double t = 0, x;
    for (int i = 0; i < 8; i++)
        t += m->w[i];
    x = rnd() * t;
    for (int i = 0; i < 8; i++) {
        if (x < m->w[i])
            return m->codes[i];
        x -= m->w[i];
    }
    return m->codes[0];
}

static const char *industry_word(const char *code)
{
    switch (code[0]) {
    case 'J':
        return "金融";
    case 'L':
        return "商务服务";
    case 'F':
        return "商贸";
    case 'M':
        return "科技服务";
    case 'I':
        return "信息技术";
    case 'K':
        return "置业";
    case 'R':
        return "文化传媒";
    case 'G':
        return "物流";
    case 'H':
        return "餐饮";
    case 'Q':
        return "健康";
    case 'P':
        return "教育";
    default:
        return "综合";
    }
}

/* A synthetic 统一社会信用代码 for enterprise n: 9 (工商) 1 (企业) 500103 (渝中), a unique
 * 8-digit body with its GB 11714 check, then the GB 32100 check character. */
static void demo_uscc(int n, char out[20])
{
    static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    long body = (long)((n * 7919L + 31415926L) % 100000000L);
    char b[16];
    snprintf(b, sizeof b, "%08ld", body);
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (b[i] - '0') * w[i];
    int c = 11 - sum % 11;
    snprintf(out, 20, "91500103%.8s%c", b, c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c));
    out[17] = building_uscc_check_char(out);
    out[18] = '\0';
}

struct plan {
    struct building b;
    double strength, tax25, growth, occ, va_ratio;
    int is_real;
};

static int strength_cmp(const void *a, const void *b)
{
    double x = ((const struct plan *)a)->strength, y = ((const struct plan *)b)->strength;
    return x > y ? -1 : x < y;
}

struct gen {
    struct db *db;
    int next_enterprise;
    int landed[3]; /* introduced enterprises of 2023, 2024, 2025 that leased here */
    struct app_error *err;
};

/* Insert an enterprise with its lease and the figures of the years its lease is active at the
 * year end (amount25 scaled back by growth per year). */
static int tenant(struct gen *g, const struct plan *p, int64_t bid, const char *industry,
                  int64_t registered, int intro_year, double area, const char *start,
                  const char *end, double amount25, double va_ratio)
{
    struct building_enterprise e;
    memset(&e, 0, sizeof(e));
    int n = ++g->next_enterprise;
    demo_uscc(n, e.uscc);
    snprintf(e.name, sizeof e.name, "示例%s企业%05d号", industry_word(industry), n);
    snprintf(e.industry, sizeof e.industry, "%s", industry);
    e.registered_building = registered;
    e.intro_year = intro_year;
    e.intro_building = intro_year ? bid : 0;
    e.synthetic = true;
    int64_t eid;
    if (building_store_enterprise_put(g->db, &e, &eid, g->err))
        return -1;
    if (area > 0) {
        struct building_lease l;
        memset(&l, 0, sizeof(l));
        l.enterprise_id = eid;
        l.building_id = bid;
        l.area_m2 = round(area);
        snprintf(l.floors, sizeof l.floors, "%d",
                 1 + (int)(rnd() * (p->b.floors ? p->b.floors : 20)));
        snprintf(l.start_date, sizeof l.start_date, "%s", start);
        snprintf(l.end_date, sizeof l.end_date, "%s", end ? end : "");
        l.synthetic = true;
        if (building_store_lease_put(g->db, &l, g->err))
            return -1;
        for (int y = 2023; y <= 2025; y++) {
            if (!building_lease_active(&l, y * 10000 + 1231))
                continue;
            double k = pow(p->growth, 2025 - y);
            struct building_figure f = {eid, y, 0, 0, 0, true};
            f.tax = round(amount25 / k * 100) / 100;
            f.value_added = round(amount25 * va_ratio / k * 100) / 100;
            f.revenue = round(amount25 * between(8, 20) / k * 100) / 100;
            if (building_store_figure_put(g->db, &f, g->err))
                return -1;
        }
    }
    return 0;
}

/* The tenants of one building: current ones whose 2025 taxes add up to the plan exactly, the
 * newcomers of 2023-2025 (most of them introduced by 招商), and those that left in 2024/2025. */
static int building_tenants(struct gen *g, struct plan *p, int64_t bid, int64_t other_bid)
{
    double occupied = p->b.leasable_m2 * p->occ;
    /* areas first, then the tax split by area × a factor, normalised to the plan */
    size_t cap = 64, n = 0;
    double *areas = xcalloc(cap, sizeof(double)), *weights = xcalloc(cap, sizeof(double));
    double left = occupied, wsum = 0;
    while (left > 50) {
        double a = exp(between(log(150), log(2500)));
        if (a > left || left - a < 80)
            a = left;
        if (n == cap) {
            cap *= 2;
            areas = xrealloc(areas, cap * sizeof(double));
            weights = xrealloc(weights, cap * sizeof(double));
        }
        areas[n] = a;
        weights[n] = a * exp(between(log(0.3), log(3)));
        wsum += weights[n];
        n++;
        left -= a;
    }
    int ret = -1;
    double va_ratio = p->va_ratio;
    double given = 0;
    for (size_t i = 0; i < n; i++) {
        /* the last tenant takes what rounding left over, so the building's sum is the plan */
        double amount = i + 1 < n ? round(p->tax25 * weights[i] / wsum * 100) / 100
                                  : round((p->tax25 - given) * 100) / 100;
        given += amount;
        const char *ind = pick_industry(p->b.zone);
        double u = rnd();
        int64_t reg = u < 0.90 ? bid : u < 0.96 ? 0 : other_bid;
        /* start years: about 8% of the area came in 2025, 7% in 2024, 6% in 2023 */
        double s = rnd();
        int sy = s < 0.08 ? 2025 : s < 0.15 ? 2024 : s < 0.21 ? 2023 : 2012 + (int)(rnd() * 11);
        char start[40];
        snprintf(start, sizeof start, "%04d-%02d-01", sy, 1 + (int)(rnd() * 12));
        int intro = sy >= 2023 && rnd() < 0.7 ? sy : 0;
        if (intro)
            g->landed[intro - 2023]++;
        if (tenant(g, p, bid, ind, reg, intro, areas[i], start, NULL, amount, va_ratio))
            goto out;
    }
    /* those who left: 3% of the leasable area each in 2024 and in 2025 */
    for (int y = 2024; y <= 2025; y++) {
        double dep = p->b.leasable_m2 * 0.03;
        while (dep > 100) {
            double a = fmin(dep, exp(between(log(150), log(1500))));
            char start[40], end[40];
            snprintf(start, sizeof start, "%04d-03-01", 2015 + (int)(rnd() * 7));
            snprintf(end, sizeof end, "%04d-%02d-28", y, 1 + (int)(rnd() * 11));
            double amount = p->tax25 / occupied * a * 0.7;
            if (tenant(g, p, bid, pick_industry(p->b.zone), bid, 0, a, start, end, amount,
                       va_ratio))
                goto out;
            dep -= a;
        }
    }
    /* registered here but operating elsewhere (no lease in the district) */
    for (int k = (int)(rnd() * 3); k > 0; k--)
        if (tenant(g, p, bid, pick_industry(p->b.zone), bid, 0, 0, NULL, NULL, 0, 0))
            goto out;
    ret = 0;
out:
    free(areas);
    free(weights);
    return ret;
}

int building_demo_seed(struct app *app, struct db *db, struct app_error *err)
{
    (void)app;
    int64_t have = 0;
    struct org_region_list grids = {0};
    struct org_region_query q = {.level = "grid", .limit = 100000};
    struct plan *plans = NULL;
    int ret = -1;
    rng_state = 20251231;
    if (building_store_count(db, &have, err))
        return -1;
    if (have > 0)
        return 0;
    if (org_region_list(db, &q, &grids, NULL, err))
        return -1;
    if (grids.len == 0) {
        ret = 0; /* no demo geography: no demo buildings */
        goto out;
    }
    plans = xcalloc(NB, sizeof(*plans));
    size_t k = 0;
    for (size_t s = 0; s < sizeof(streets) / sizeof(streets[0]); s++) {
        /* the street's grids */
        size_t first = 0, count = 0;
        for (size_t i = 0; i < grids.len; i++)
            if (org_code_within(grids.items[i].code, streets[s].code)) {
                if (!count)
                    first = i;
                count++;
            }
        for (int j = 0; j < streets[s].n && k < NB; j++, k++) {
            struct plan *p = &plans[k];
            const struct org_region *gr = count ? &grids.items[first + (size_t)(rnd() * count)]
                                                : &grids.items[(size_t)(rnd() * grids.len)];
            snprintf(p->b.grid, sizeof p->b.grid, "%s", gr->code);
            snprintf(p->b.street, sizeof p->b.street, "%s", streets[s].code);
            snprintf(p->b.zone, sizeof p->b.zone, "%s", streets[s].zone);
            p->b.lon = gr->center_lon + between(-0.0004, 0.0004);
            p->b.lat = gr->center_lat + between(-0.0003, 0.0003);
            p->strength = streets[s].strength * between(0.3, 1.5);
            const char *name = NULL;
            for (size_t r = 0; r < NREAL && !name; r++)
                if (strcmp(real[r].street, streets[s].code) == 0) {
                    /* the towers of this street, in the list's order */
                    bool used = false;
                    for (size_t u = 0; u < k; u++)
                        if (strcmp(plans[u].b.name, real[r].name) == 0)
                            used = true;
                    if (!used)
                        name = real[r].name;
                }
            if (name) {
                p->is_real = 1;
                p->strength += 10;
                snprintf(p->b.name, sizeof p->b.name, "%s", name);
            } else {
                snprintf(p->b.name, sizeof p->b.name, "%s示例楼宇%02d号", streets[s].short_name,
                         j + 1);
            }
            snprintf(p->b.code, sizeof p->b.code, "YZ-%03zu", k + 1);
            snprintf(p->b.address, sizeof p->b.address, "渝中区%s街道(示例地址)",
                     streets[s].short_name);
            p->b.synthetic = true;
        }
    }
    /* tiers by strength: 40 亿元级, 161 千万元级, the rest below (the seed's counts) */
    qsort(plans, k, sizeof(*plans), strength_cmp);
    double sum_tax = 0, sum_gfa = 0;
    for (size_t i = 0; i < k; i++) {
        struct plan *p = &plans[i];
        double x;
        if (i < 40) {
            x = (double)i / 39;
            p->tax25 = 1.03e8 * exp(log(3.3) * (1 - x) * (1 - x));
        } else if (i < 201) {
            x = (double)(i - 40) / 160;
            p->tax25 = exp(log(9.9e7) - (log(9.9e7) - log(1.02e7)) * x);
        } else {
            x = (double)(i - 201) / (double)(k - 202 > 0 ? k - 202 : 1);
            p->tax25 = exp(log(9.7e6) - (log(9.7e6) - log(1.2e6)) * x);
        }
        p->tax25 = round(p->tax25);
        /* stronger buildings make more of each square metre */
        double density = i < 40    ? between(1300, 2600)
                         : i < 201 ? between(900, 2000)
                                   : between(350, 1100);
        p->b.gfa_m2 = p->tax25 / density;
        sum_tax += p->tax25;
        sum_gfa += p->b.gfa_m2;
        p->growth = i < 201 ? between(0.97, 1.16) : between(0.88, 1.08);
        p->occ = i < 201 ? between(0.84, 0.97) : between(0.68, 0.9);
    }
    /* scale the areas so that Σ tax / Σ gross floor area is the seed's figure */
    double scale = sum_tax / TARGET_TAX_PER_M2 / sum_gfa;
    double sum_va = 0;
    sum_gfa = 0;
    for (size_t i = 0; i < k; i++) {
        struct plan *p = &plans[i];
        p->b.gfa_m2 = round(p->b.gfa_m2 * scale);
        p->va_ratio = between(0.75, 1.25);
        sum_va += p->tax25 * p->va_ratio;
        sum_gfa += p->b.gfa_m2;
    }
    /* and the value added so that Σ value added / Σ gross floor area is the seed's */
    double va_scale = TARGET_GDP_PER_M2 * sum_gfa / sum_va;
    for (size_t i = 0; i < k; i++) {
        struct plan *p = &plans[i];
        p->va_ratio *= va_scale;
        p->b.leasable_m2 = round(p->b.gfa_m2 * between(0.72, 0.84));
        p->b.floors = (int)fmax(6, fmin(98, p->b.gfa_m2 / between(1600, 2600)));
        p->b.year_built = 1995 + (int)(rnd() * 27);
        snprintf(p->b.operator_name, sizeof p->b.operator_name, "示例物业管理公司%02zu",
                 1 + i % 23);
        snprintf(p->b.grade, sizeof p->b.grade, "%s",
                 p->tax25 >= 2e8 || (p->is_real && p->b.gfa_m2 > 150000) ? "超甲级"
                 : i < 100                                               ? "甲级"
                 : i < 230                                               ? "乙级"
                                                                         : "丙级");
    }
    if (db_begin(db, err))
        goto out;
    int64_t *ids = xcalloc(k + 1, sizeof(int64_t));
    for (size_t i = 0; i < k; i++)
        if (building_store_building_put(db, &plans[i].b, &ids[i], err)) {
            free(ids);
            db_rollback(db);
            goto out;
        }
    struct gen g = {db, 0, {0, 0, 0}, err};
    for (size_t i = 0; i < k; i++)
        if (building_tenants(&g, &plans[i], ids[i], ids[(i * 7 + 3) % k])) {
            free(ids);
            db_rollback(db);
            goto out;
        }
    /* introduced enterprises that have not started operating: 招商落地率 rising 82% → 90% */
    static const double landing[3] = {0.82, 0.86, 0.90};
    for (int y = 0; y < 3; y++) {
        int n = (int)lround(g.landed[y] * (1 / landing[y] - 1));
        for (int j = 0; j < n; j++) {
            size_t b = (size_t)(rnd() * (double)k);
            if (tenant(&g, &plans[b], ids[b], pick_industry(plans[b].b.zone), 0, 2023 + y, 0, NULL,
                       NULL, 0, 0)) {
                free(ids);
                db_rollback(db);
                goto out;
            }
        }
    }
    free(ids);
    if (db_commit(db, err)) {
        db_rollback(db);
        goto out;
    }
    ret = 0;
out:
    free(plans);
    org_region_list_release(&grids);
    return ret;
}
