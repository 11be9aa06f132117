/* Unit tests of the building economy rules: the 统一社会信用代码 check on real published codes,
 * GB/T 4754 industry codes, dates and the as-of logic of leases, tier boundaries, indicator
 * scores, every figure of the evaluation on a hand-computed fixture (split tenants, a lease that
 * ends the day before the year end, 准 tiers, concentration, registered vs operating, 招商落地率),
 * the configuration check, and the all-or-nothing CSV import against a :memory: database. */
#include <math.h>
#include <stdlib.h>

#include "building/building.h"
#include "building/building_store.h"
#include "core/clock.h"
#include "org/org.h"
#include "test.h"

TEST(uscc_real_codes)
{
    struct building_uscc_result r;
    /* published codes: 华为技术有限公司, 深圳市腾讯计算机系统有限公司, 阿里巴巴(中国)有限公司 */
    static const char *const real[] = {"914403001922038216", "91440300708461136T",
                                       "91330100716105852F"};
    for (size_t i = 0; i < 3; i++) {
        CHECK(building_uscc_check(real[i], &r));
        CHECK_INT(r.reason, BUILDING_USCC_OK);
        CHECK(r.org_code_ok);
    }
    CHECK_INT(building_uscc_check_char("91440300708461136"), 'T');
    CHECK(!building_uscc_check("91440300708461136X", &r));
    CHECK_INT(r.reason, BUILDING_USCC_CHECK);
    CHECK_INT(r.expected, 'T');
    CHECK_INT(r.found, 'X');
    CHECK(!building_uscc_check("9144030070846113", &r));
    CHECK_INT(r.reason, BUILDING_USCC_LENGTH);
    CHECK_INT(r.length, 16);
    CHECK(!building_uscc_check("91440300708461136TT", &r));
    CHECK_INT(r.reason, BUILDING_USCC_LENGTH);
    CHECK(!building_uscc_check("9144030070846I136T", &r)); /* I is not in the set */
    CHECK_INT(r.reason, BUILDING_USCC_CHARSET);
    CHECK_INT(r.bad_position, 14);
    CHECK(!building_uscc_check("91440300708461136t", &r)); /* lower case */
    CHECK_INT(r.reason, BUILDING_USCC_CHARSET);
    CHECK(!building_uscc_check(NULL, &r));
    CHECK_STR(building_uscc_reason_name(BUILDING_USCC_CHECK), "check");
    /* a sum that is 0 mod 31 gives check character 0 (31 → 0) */
    char body[19] = "00000000000000000";
    body[17] = building_uscc_check_char(body);
    body[18] = '\0';
    CHECK_INT(body[17], '0');
    CHECK(building_uscc_check(body, NULL));
}

TEST(industries)
{
    CHECK(building_industry_valid("I"));
    CHECK(building_industry_valid("I65"));
    CHECK(building_industry_valid("J66"));
    CHECK(building_industry_valid("C13"));
    CHECK(building_industry_valid("C43"));
    CHECK(!building_industry_valid("C44")); /* 44 is 门类 D */
    CHECK(building_industry_valid("D44"));
    CHECK(building_industry_valid("T97"));
    CHECK(!building_industry_valid("U"));
    CHECK(!building_industry_valid("I6"));
    CHECK(!building_industry_valid("I650"));
    CHECK(!building_industry_valid(""));
    CHECK_STR(building_industry_section_name("J67"), "金融业");
}

TEST(dates_and_leases)
{
    CHECK_INT(building_date_parse("2025-06-01"), 20250601);
    CHECK_INT(building_date_parse("2024-02-29"), 20240229);
    CHECK_INT(building_date_parse("2025-02-29"), -1);
    CHECK_INT(building_date_parse("1900-02-29"), -1);
    CHECK_INT(building_date_parse("2000-02-29"), 20000229);
    CHECK_INT(building_date_parse("2025-13-01"), -1);
    CHECK_INT(building_date_parse("2025-6-01"), -1);
    struct building_lease l = {.area_m2 = 1};
    snprintf(l.start_date, sizeof l.start_date, "2025-06-01");
    CHECK(!building_lease_active(&l, 20250531));
    CHECK(building_lease_active(&l, 20250601));
    CHECK(building_lease_active(&l, 29991231)); /* open end */
    snprintf(l.end_date, sizeof l.end_date, "2025-12-30");
    CHECK(building_lease_active(&l, 20251230)); /* the last day counts */
    CHECK(!building_lease_active(&l, 20251231));
}

TEST(tier_boundaries)
{
    CHECK_INT(building_tier_of(1e9, 0.8), BUILDING_TIER_10E9);
    CHECK_INT(building_tier_of(999999999.99, 0.8), BUILDING_TIER_NEAR_10E9);
    CHECK_INT(building_tier_of(8e8, 0.8), BUILDING_TIER_NEAR_10E9);
    CHECK_INT(building_tier_of(799999999, 0.8), BUILDING_TIER_10E8);
    CHECK_INT(building_tier_of(1e8, 0.8), BUILDING_TIER_10E8);
    CHECK_INT(building_tier_of(99999999.99, 0.8), BUILDING_TIER_NEAR_10E8);
    CHECK_INT(building_tier_of(8e7, 0.8), BUILDING_TIER_NEAR_10E8);
    CHECK_INT(building_tier_of(79999999, 0.8), BUILDING_TIER_10E7);
    CHECK_INT(building_tier_of(1e7, 0.8), BUILDING_TIER_10E7);
    CHECK_INT(building_tier_of(8e6, 0.8), BUILDING_TIER_NEAR_10E7);
    CHECK_INT(building_tier_of(7999999, 0.8), BUILDING_TIER_NONE);
    CHECK_INT(building_tier_of(9e7, 0.95), BUILDING_TIER_10E7); /* the distance is configurable */
    CHECK_INT(building_tier_of(0, 0.8), BUILDING_TIER_NONE);
    CHECK_STR(building_tier_code(BUILDING_TIER_10E8), "tier_10e8");
    CHECK_STR(building_tier_name(BUILDING_TIER_NEAR_10E8), "准亿元楼");
}

TEST(indicator_scores_and_bands)
{
    struct building_indicator_cfg c = {0.3, 0, 3000};
    CHECK_NEAR(building_indicator_score(1500, &c), 50, 1e-9);
    CHECK_NEAR(building_indicator_score(4000, &c), 100, 1e-9);
    CHECK_NEAR(building_indicator_score(-1, &c), 0, 1e-9);
    CHECK_NEAR(building_indicator_score(NAN, &c), 0, 1e-9);
    struct building_indicator_cfg y = {0.15, -0.2, 0.2};
    CHECK_NEAR(building_indicator_score(0, &y), 50, 1e-9);
    CHECK_STR(building_size_band(29999), "小型");
    CHECK_STR(building_size_band(30000), "中型");
    CHECK_STR(building_size_band(80000), "大型");
}

/* The fixture, hand-computed in docs/building.md's worked example. */
static struct building fx_b[2];
static struct building_enterprise fx_e[5];
static struct building_lease fx_l[6];
static struct building_figure fx_f[7];

static void fixture(struct building_eval_input *in)
{
    memset(fx_b, 0, sizeof fx_b);
    memset(fx_e, 0, sizeof fx_e);
    memset(fx_l, 0, sizeof fx_l);
    fx_b[0] = (struct building){.id = 1,
                                .code = "B1",
                                .zone = "jfb",
                                .gfa_m2 = 10000,
                                .leasable_m2 = 8000,
                                .grade = "甲级",
                                .street = "500103003"};
    fx_b[1] = (struct building){.id = 2,
                                .code = "B2",
                                .zone = "hlq",
                                .gfa_m2 = 20000,
                                .leasable_m2 = 16000,
                                .grade = "甲级",
                                .street = "500103013"};
    fx_e[0] = (struct building_enterprise){.id = 10, .industry = "J66", .registered_building = 1};
    fx_e[1] = (struct building_enterprise){.id = 11, .industry = "I65", .registered_building = 1};
    fx_e[2] = (struct building_enterprise){.id = 12, .industry = "J67"};
    fx_e[3] = (struct building_enterprise){
        .id = 13, .industry = "L72", .intro_year = 2025, .intro_building = 2};
    fx_e[4] = (struct building_enterprise){
        .id = 14, .industry = "L72", .intro_year = 2025, .intro_building = 2};
    fx_l[0] = (struct building_lease){.id = 1,
                                      .enterprise_id = 10,
                                      .building_id = 1,
                                      .area_m2 = 3000,
                                      .start_date = "2020-01-01"};
    fx_l[1] = (struct building_lease){.id = 2,
                                      .enterprise_id = 11,
                                      .building_id = 2,
                                      .area_m2 = 4000,
                                      .start_date = "2021-01-01"};
    fx_l[2] = (struct building_lease){.id = 3,
                                      .enterprise_id = 12,
                                      .building_id = 1,
                                      .area_m2 = 1000,
                                      .start_date = "2022-01-01"};
    fx_l[3] = (struct building_lease){.id = 4,
                                      .enterprise_id = 12,
                                      .building_id = 2,
                                      .area_m2 = 3000,
                                      .start_date = "2022-01-01"};
    fx_l[4] = (struct building_lease){.id = 5,
                                      .enterprise_id = 13,
                                      .building_id = 2,
                                      .area_m2 = 2000,
                                      .start_date = "2025-06-01"};
    fx_l[5] = (struct building_lease){.id = 6,
                                      .enterprise_id = 10,
                                      .building_id = 1,
                                      .area_m2 = 500,
                                      .start_date = "2023-01-01",
                                      .end_date = "2025-12-30"};
    fx_f[0] = (struct building_figure){10, 2025, 6e6, 0, 40e6, false};
    fx_f[1] = (struct building_figure){11, 2025, 12e6, 0, 60e6, false};
    fx_f[2] = (struct building_figure){12, 2025, 8e6, 0, 20e6, false};
    fx_f[3] = (struct building_figure){13, 2025, 1e6, 0, 5e6, false};
    fx_f[4] = (struct building_figure){10, 2024, 5e6, 0, 0, false};
    fx_f[5] = (struct building_figure){11, 2024, 10e6, 0, 0, false};
    fx_f[6] = (struct building_figure){12, 2024, 8e6, 0, 0, false};
    *in = (struct building_eval_input){fx_b, 2, fx_e, 5, fx_l, 6, fx_f, 7};
}

static bool keep_jfb(void *ctx, const struct building *b)
{
    (void)ctx;
    return strcmp(b->zone, "jfb") == 0;
}

TEST(evaluation_fixture)
{
    struct building_eval_input in;
    struct building_config cfg;
    struct building_eval ev;
    fixture(&in);
    building_config_default(&cfg);
    building_evaluate(&in, &cfg, 2025, &ev);
    CHECK_INT(ev.len, 2);
    const struct building_result *b1 = &ev.items[0], *b2 = &ev.items[1];
    /* E3 leases 1000 m² in B1 and 3000 m² in B2: a quarter of its tax goes to B1 */
    CHECK_NEAR(b1->tax, 8e6, 1e-6);
    CHECK_NEAR(b2->tax, 19e6, 1e-6);
    CHECK_NEAR(b1->value_added, 45e6, 1e-6);
    CHECK_NEAR(b2->value_added, 80e6, 1e-6);
    CHECK_NEAR(b1->tax_per_m2, 800, 1e-9);
    CHECK_NEAR(b2->tax_per_m2, 950, 1e-9);
    CHECK_NEAR(b1->gdp_per_m2, 4500, 1e-9);
    CHECK_NEAR(b2->gdp_per_m2, 4000, 1e-9);
    /* the 500 m² lease ending 2025-12-30 is not counted at 2025-12-31 */
    CHECK_NEAR(b1->leased_m2, 4000, 1e-9);
    CHECK_NEAR(b1->occupancy, 0.5, 1e-12);
    CHECK_NEAR(b2->vacancy, 0.4375, 1e-12);
    CHECK_NEAR(b1->tax_prev, 7e6, 1e-6);
    CHECK_NEAR(b2->tax_prev, 16e6, 1e-6);
    CHECK_NEAR(b1->tax_yoy, 1.0 / 7, 1e-12);
    CHECK_NEAR(b2->tax_yoy, 3.0 / 16, 1e-12);
    CHECK_INT(b1->tier, BUILDING_TIER_NEAR_10E7);
    CHECK_INT(b2->tier, BUILDING_TIER_10E7);
    CHECK_INT(b1->tenants, 2);
    CHECK_INT(b2->tenants, 3);
    CHECK_STR(b1->top_industry, "J");
    CHECK_NEAR(b1->top_share, 1, 1e-12);
    CHECK_NEAR(b1->hhi, 1, 1e-12);
    CHECK_STR(b2->top_industry, "I");
    CHECK_NEAR(b2->top_share, 4.0 / 9, 1e-12);
    CHECK_NEAR(b2->hhi, 29.0 / 81, 1e-12);
    CHECK_INT(b1->registered_not_operating, 1); /* E2: registered in B1, operating in B2 */
    CHECK_INT(b1->operating_not_registered, 1); /* E3 */
    CHECK_INT(b2->registered_not_operating, 0);
    CHECK_INT(b2->operating_not_registered, 3);
    /* scores: 0.35×800/3000×100 + 0.25×18 + 0.25×0 + 0.15×(1/7+0.2)/0.4×100 */
    CHECK_NEAR(b1->parts[BUILDING_IND_TAX_PER_M2].score, 80.0 / 3, 1e-9);
    CHECK_NEAR(b1->parts[BUILDING_IND_OCCUPANCY].points, 0, 1e-12);
    CHECK_NEAR(b1->parts[BUILDING_IND_TAX_YOY].score, 600.0 / 7, 1e-9);
    CHECK_NEAR(b1->score, 26.69, 1e-9);
    CHECK_NEAR(b2->score, 32.74, 1e-9);
    double sum = 0;
    for (int i = 0; i < BUILDING_IND_COUNT; i++)
        sum += b2->parts[i].points;
    CHECK_NEAR(sum, b2->score, 0.005);
    CHECK_STR(b1->grade, "D");
    CHECK_STR(b1->advice, "腾笼换鸟");
    CHECK_INT(b2->rank, 1);
    CHECK_INT(b1->rank, 2);
    CHECK_INT(b1->zone_rank, 1);
    CHECK_INT(b1->peer_rank, 2); /* both 甲级·小型 */
    CHECK_INT(b1->street_rank, 1); /* second in the district, first of its street */
    CHECK_INT(b2->street_rank, 1);
    CHECK_STR(b1->peer, "甲级·小型");
    CHECK_INT(ev.order[0], 1);

    struct building_district d;
    building_district_sum(&in, &ev, NULL, NULL, &d);
    CHECK_INT(d.buildings, 2);
    CHECK_NEAR(d.tax, 27e6, 1e-6);
    CHECK_NEAR(d.tax_per_m2, 900, 1e-9);
    CHECK_NEAR(d.gdp_per_m2, 125e6 / 30000, 1e-9);
    CHECK_NEAR(d.vacancy_rate, 11000.0 / 24000, 1e-12);
    CHECK_INT(d.tiers[BUILDING_TIER_10E7], 1);
    CHECK_INT(d.tiers[BUILDING_TIER_NEAR_10E7], 1);
    CHECK_INT(d.at_least_10e7, 1);
    CHECK_INT(d.at_least_10e8, 0);
    CHECK_INT(d.band_10e7, 1);
    CHECK_INT(d.introduced, 2);
    CHECK_INT(d.landed, 1);
    CHECK_NEAR(d.landing_rate, 0.5, 1e-12);
    building_district_sum(&in, &ev, keep_jfb, NULL, &d);
    CHECK_INT(d.buildings, 1);
    CHECK_NEAR(d.tax_per_m2, 800, 1e-9);
    CHECK_INT(d.introduced, 0);
    CHECK(isnan(d.landing_rate));
    building_eval_release(&ev);

    /* 2024: no year before, so 同比 is left out and the other weights take its share */
    building_evaluate(&in, &cfg, 2024, &ev);
    CHECK(isnan(ev.items[0].tax_yoy));
    CHECK_NEAR(ev.items[0].parts[BUILDING_IND_TAX_YOY].weight, 0, 1e-12);
    CHECK_NEAR(ev.items[0].parts[BUILDING_IND_TAX_PER_M2].weight, 0.35 / 0.85, 1e-12);
    CHECK_NEAR(ev.items[0].tax, 7e6, 1e-6);
    CHECK_NEAR(ev.items[0].leased_m2, 4500, 1e-9);
    building_eval_release(&ev);

    /* B2 moved into B1's street: B1 is second there too, still first of its zone */
    snprintf(fx_b[1].street, sizeof fx_b[1].street, "%s", fx_b[0].street);
    building_evaluate(&in, &cfg, 2025, &ev);
    CHECK_INT(ev.items[0].street_rank, 2);
    CHECK_INT(ev.items[1].street_rank, 1);
    CHECK_INT(ev.items[0].zone_rank, 1);
    building_eval_release(&ev);
}

TEST(config_check)
{
    struct building_config c;
    struct app_error err = {0};
    building_config_default(&c);
    CHECK_INT(building_config_check(&c, &err), 0);
    c.ind[BUILDING_IND_TAX_YOY].target = c.ind[BUILDING_IND_TAX_YOY].floor;
    CHECK_INT(building_config_check(&c, &err), -1);
    CHECK_STR(err.field, "indicators.tax_yoy.target");
    building_config_default(&c);
    c.ind[0].weight = -1;
    CHECK_INT(building_config_check(&c, &err), -1);
    CHECK_STR(err.field, "indicators.tax_per_m2.weight");
    building_config_default(&c);
    c.grades[3].min_score = 10;
    CHECK_INT(building_config_check(&c, &err), -1);
    CHECK_STR(err.field, "grades");
    building_config_default(&c);
    c.near_ratio = 1;
    CHECK_INT(building_config_check(&c, &err), -1);
    CHECK_STR(err.field, "near_ratio");
}

static struct db *fresh(char grid[24])
{
    struct db *db;
    struct app_error err = {0};
    clock_set_fixed(INT64_C(1795946400));
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_migrate(db, NULL, &err), 0);
    CHECK_INT(org_seed(db, true, &err), 0);
    struct org_region_list l = {0};
    struct org_region_query q = {.level = "grid", .limit = 1};
    CHECK_INT(org_region_list(db, &q, &l, NULL, &err), 0);
    CHECK(l.len == 1);
    snprintf(grid, 24, "%s", l.len ? l.items[0].code : "");
    org_region_list_release(&l);
    return db;
}

static size_t count_buildings(struct db *db)
{
    struct building_list l = {0};
    struct app_error err = {0};
    CHECK_INT(building_store_buildings(db, &l, &err), 0);
    size_t n = l.len;
    free(l.items);
    return n;
}

TEST(import_all_or_nothing)
{
    char grid[24], csv[1024];
    struct app_error err = {0};
    struct building_import_result res;
    struct auth_principal admin = {.role = AUTH_ROLE_ADMIN, .username = "admin"};
    struct db *db = fresh(grid);
    /* two bad rows among good ones: nothing is written, both lines reported */
    snprintf(csv, sizeof csv,
             "\xEF\xBB\xBF"
             "code,name,lon,lat,zone,gfa_m2,leasable_m2,grid,grade\r\n"
             "T1,测试大厦,106.57,29.55,jfb,50000,40000,%s,甲级\r\n"
             "T2,坏面积,106.57,29.55,jfb,-5,40000,%s,甲级\r\n"
             "T3,测试二号,106.57,29.55,jfb,20000,18000,%s,乙级\r\n"
             "T4,坏功能区,106.57,29.55,nowhere,20000,18000,%s,乙级\r\n",
             grid, grid, grid, grid);
    CHECK_INT(building_import_csv(NULL, db, &admin, NULL, BUILDING_IMPORT_BUILDINGS, csv,
                                  strlen(csv), &res, &err),
              -1);
    CHECK_STR(err.code_name, "invalid_rows");
    CHECK_INT(res.errors.len, 2);
    if (res.errors.len == 2) {
        CHECK_INT(res.errors.items[0].line, 3);
        CHECK_STR(res.errors.items[0].field, "gfa_m2");
        CHECK_INT(res.errors.items[1].line, 5);
        CHECK_STR(res.errors.items[1].field, "zone");
    }
    building_import_result_release(&res);
    CHECK_INT(count_buildings(db), 0);
    /* the good rows alone go in */
    snprintf(csv, sizeof csv,
             "code,name,lon,lat,zone,gfa_m2,leasable_m2,grid,grade\n"
             "T1,测试大厦,106.57,29.55,jfb,50000,40000,%s,甲级\n"
             "T3,测试二号,106.57,29.55,jfb,20000,18000,%s,乙级\n",
             grid, grid);
    CHECK_INT(building_import_csv(NULL, db, &admin, NULL, BUILDING_IMPORT_BUILDINGS, csv,
                                  strlen(csv), &res, &err),
              0);
    CHECK_INT(res.inserted, 2);
    building_import_result_release(&res);
    CHECK_INT(count_buildings(db), 2);
    /* enterprises: a wrong check character is reported with expected and found */
    static const char ents[] = "uscc,name,industry,registered_building\n"
                               "914403001922038216,甲公司,I65,T1\n"
                               "914403001922038217,乙公司,I65,T1\n"
                               "91440300708461136T,丙公司,X99,\n";
    CHECK_INT(building_import_csv(NULL, db, &admin, NULL, BUILDING_IMPORT_ENTERPRISES, ents,
                                  strlen(ents), &res, &err),
              -1);
    CHECK_INT(res.errors.len, 2);
    if (res.errors.len == 2) {
        CHECK_INT(res.errors.items[0].line, 3);
        CHECK_STR(res.errors.items[0].code, "bad_uscc");
        CHECK_INT(res.errors.items[1].line, 4);
        CHECK_STR(res.errors.items[1].field, "industry");
    }
    building_import_result_release(&res);
    /* a street center may not import a building of another street */
    struct auth_principal other = {
        .role = AUTH_ROLE_CENTER, .level = "street", .region = "500103099"};
    snprintf(csv, sizeof csv,
             "code,name,lon,lat,zone,gfa_m2,leasable_m2,grid\nT9,外街道,106.5,29.5,jfb,100,90,%s\n",
             grid);
    CHECK_INT(building_import_csv(NULL, db, &other, NULL, BUILDING_IMPORT_BUILDINGS, csv,
                                  strlen(csv), &res, &err),
              -1);
    CHECK_INT(res.errors.len, 1);
    if (res.errors.len)
        CHECK_STR(res.errors.items[0].code, "out_of_scope");
    building_import_result_release(&res);
    /* a missing column is named */
    static const char nocol[] = "uscc,year\n914403001922038216,2025\n";
    CHECK_INT(building_import_csv(NULL, db, &admin, NULL, BUILDING_IMPORT_FIGURES, nocol,
                                  strlen(nocol), &res, &err),
              -1);
    CHECK_INT(res.errors.len, 1);
    if (res.errors.len)
        CHECK_STR(res.errors.items[0].field, "tax");
    building_import_result_release(&res);
    db_close(db);
}

TEST(config_roundtrip)
{
    char grid[24];
    struct app_error err = {0};
    struct db *db = fresh(grid);
    struct building_config c, d;
    struct auth_principal admin = {.role = AUTH_ROLE_ADMIN, .username = "admin"};
    building_config_default(&c);
    c.ind[BUILDING_IND_OCCUPANCY].weight = 0.5;
    c.near_ratio = 0.9;
    CHECK_INT(building_config_save(db, &admin, NULL, &c, &err), 0);
    building_config_default(&d);
    CHECK_INT(building_store_config(db, &d, &err), 0);
    CHECK_NEAR(d.ind[BUILDING_IND_OCCUPANCY].weight, 0.5, 1e-12);
    CHECK_NEAR(d.near_ratio, 0.9, 1e-12);
    CHECK_INT(d.ngrades, 4);
    CHECK_STR(d.grades[0].grade, "A");
    c.near_ratio = 2;
    CHECK_INT(building_config_save(db, &admin, NULL, &c, &err), -1);
    CHECK_STR(err.field, "near_ratio");
    db_close(db);
}

TEST_SUITE({"uscc_real_codes", uscc_real_codes}, {"industries", industries},
           {"dates_and_leases", dates_and_leases}, {"tier_boundaries", tier_boundaries},
           {"indicator_scores_and_bands", indicator_scores_and_bands},
           {"evaluation_fixture", evaluation_fixture}, {"config_check", config_check},
           {"import_all_or_nothing", import_all_or_nothing},
           {"config_roundtrip", config_roundtrip});
