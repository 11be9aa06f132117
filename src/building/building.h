/* The building economy (楼宇经济, issue 16, "楼均论英雄"): buildings, the enterprises in them,
 * their leases and yearly figures; per building and year the tax, output and occupancy figures,
 * tiers (十亿元楼/亿元楼/千万元楼 and the 准 tiers), industry concentration, registered-here vs
 * operating-here; the configurable composite evaluation with its ranking; the district figures.
 * The rules that compute are pure functions over the plain structs below (no I/O);
 * docs/building.md gives every rule and its source. */
#ifndef BUILDING_BUILDING_H
#define BUILDING_BUILDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/app.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/error.h"

/* ---- 统一社会信用代码 (GB 32100-2015) ---------------------------------------------------- */

enum building_uscc_reason {
    BUILDING_USCC_OK = 0,
    BUILDING_USCC_LENGTH,  /* not 18 characters */
    BUILDING_USCC_CHARSET, /* a character outside 0-9 A-H J-N P-R T U W-Y (no I O S V Z) */
    BUILDING_USCC_CHECK,   /* the 18th character is not the check character */
};

struct building_uscc_result {
    enum building_uscc_reason reason;
    size_t length;    /* characters (bytes) given */
    int bad_position; /* 1-based position of the first bad character (CHARSET), else 0 */
    char expected;    /* check character computed from positions 1-17 ('\0' unless CHECK/OK) */
    char found;       /* the 18th character given ('\0' unless CHECK/OK) */
    bool org_code_ok; /* positions 9-17 also pass the GB 11714 check (informational) */
};

/* Check code against GB 32100-2015 §4-5: 18 characters of the 31-character set, the 18th the
 * check character C18 = 31 − (Σ value_i × 3^(i−1) mod 31 over i = 1..17) mod 31. Upper case
 * only. Pure. Returns true when valid; r (may be NULL) gets the reason either way. */
bool building_uscc_check(const char *code, struct building_uscc_result *r);
/* The check character for the first 17 characters of body (which must be in the set), or '\0'
 * when they are not. Pure. */
char building_uscc_check_char(const char *body17);
/* Stable reason name: "ok", "length", "charset", "check". */
const char *building_uscc_reason_name(enum building_uscc_reason r);

/* ---- GB/T 4754-2017 industries ------------------------------------------------------------ */

/* Is code an industry of GB/T 4754-2017: a 门类 letter A..T optionally followed by the two
 * digits of a 大类 that belongs to it ("I", "I65", "J66")? Pure. */
bool building_industry_valid(const char *code);
/* The Chinese name of the 门类 of code ("I" → "信息传输、软件和信息技术服务业"), "" if unknown. */
const char *building_industry_section_name(const char *code);

/* ---- dates -------------------------------------------------------------------------------- */

/* Parse "YYYY-MM-DD" (a real calendar date, 1900..2999) into yyyymmdd; -1 when not. Pure. */
int32_t building_date_parse(const char *s);

/* ---- tiers -------------------------------------------------------------------------------- */

enum building_tier {
    BUILDING_TIER_NONE = 0,
    BUILDING_TIER_NEAR_10E7, /* 准千万元楼: tax ≥ near_ratio × 1000万 */
    BUILDING_TIER_10E7,      /* 千万元楼: tax ≥ 1000万 */
    BUILDING_TIER_NEAR_10E8, /* 准亿元楼 */
    BUILDING_TIER_10E8,      /* 亿元楼: tax ≥ 1亿 */
    BUILDING_TIER_NEAR_10E9, /* 准十亿元楼 */
    BUILDING_TIER_10E9,      /* 十亿元楼: tax ≥ 10亿 */
    BUILDING_TIER_COUNT,
};

/* The tier of a building's yearly tax (yuan): the highest threshold reached; below it, the 准
 * tier when tax ≥ near_ratio × the next threshold (0 < near_ratio < 1). Pure. */
enum building_tier building_tier_of(double tax, double near_ratio);
/* "tier_10e9", "near_10e9", ..., "none" (the JSON names) and the Chinese names. */
const char *building_tier_code(enum building_tier t);
const char *building_tier_name(enum building_tier t);

/* ---- stored records ----------------------------------------------------------------------- */

struct building {
    int64_t id;
    char code[32];
    char name[128];
    char address[160];
    double lon, lat;
    char grid[24];
    char street[24];
    char zone[24];
    double gfa_m2, leasable_m2;
    int floors, year_built;
    char operator_name[128];
    char grade[16]; /* 超甲级, 甲级, 乙级, 丙级 */
    bool synthetic;
};

struct building_enterprise {
    int64_t id;
    char uscc[20];
    char name[160];
    char industry[8];
    int64_t registered_building; /* 0: registered outside the district's buildings */
    int intro_year;              /* 0: not introduced by 招商 */
    int64_t intro_building;
    bool synthetic;
};

struct building_lease {
    int64_t id, enterprise_id, building_id;
    char floors[32];
    double area_m2;
    char start_date[12], end_date[12]; /* end "" when open */
    bool synthetic;
};

struct building_figure {
    int64_t enterprise_id;
    int year;
    double tax, revenue, value_added;
    bool synthetic;
};

struct building_zone {
    char code[24];
    char name[64];
    char kind[16];
};

#define BUILDING_LIST(type, lname)                                                                 \
    struct lname {                                                                                 \
        type *items;                                                                               \
        size_t len, cap;                                                                           \
    }
BUILDING_LIST(struct building, building_list);
BUILDING_LIST(struct building_enterprise, building_enterprise_list);
BUILDING_LIST(struct building_lease, building_lease_list);
BUILDING_LIST(struct building_figure, building_figure_list);
BUILDING_LIST(struct building_zone, building_zone_list);

/* ---- the evaluation's configuration --------------------------------------------------------- */

enum building_indicator {
    BUILDING_IND_TAX_PER_M2, /* 单产: tax / gross floor area */
    BUILDING_IND_GDP_PER_M2, /* value added / gross floor area */
    BUILDING_IND_OCCUPANCY,  /* leased / leasable area at year end */
    BUILDING_IND_TAX_YOY,    /* year-on-year change of tax */
    BUILDING_IND_COUNT,
};

struct building_indicator_cfg {
    double weight, floor, target;
};

#define BUILDING_MAX_GRADES 8

struct building_config {
    struct building_indicator_cfg ind[BUILDING_IND_COUNT];
    struct {
        char grade[8];
        double min_score;
    } grades[BUILDING_MAX_GRADES]; /* highest min_score first */
    size_t ngrades;
    double near_ratio;
};

/* "tax_per_m2", "gdp_per_m2", "occupancy", "tax_yoy" and the Chinese names; the code's index or
 * -1. */
const char *building_indicator_code(enum building_indicator i);
const char *building_indicator_name(enum building_indicator i);
int building_indicator_parse(const char *code);
/* The defaults of migration 0110 (for tests and for a database without rows). */
void building_config_default(struct building_config *cfg);
/* Check cfg: weights ≥ 0 with a positive sum, target ≠ floor, grades with distinct names and a
 * lowest min_score of 0, 0 < near_ratio < 1. APP_ERR_INVALID naming the field
 * ("indicators.tax_yoy.target", "grades", "near_ratio"). Pure. */
int building_config_check(const struct building_config *cfg, struct app_error *err);

/* ---- the evaluation (pure) ---------------------------------------------------------------- */

/* Everything the evaluation reads, as arrays; enterprise and building ids are looked up by id. */
struct building_eval_input {
    const struct building *buildings;
    size_t nbuildings;
    const struct building_enterprise *enterprises;
    size_t nenterprises;
    const struct building_lease *leases;
    size_t nleases;
    const struct building_figure *figures;
    size_t nfigures;
};

struct building_score_part {
    double value;  /* the indicator's figure (NAN when the building has none: score 0) */
    double score;  /* 0..100 */
    double weight; /* normalised: the weights sum to 1 */
    double points; /* weight × score: the parts add up to the composite */
};

/* One building's figures for the year. */
struct building_result {
    size_t index; /* into input.buildings */
    double tax, tax_prev, value_added, revenue;
    bool has_prev; /* the building had attributed figures in the year before */
    double tax_per_m2, gdp_per_m2;
    double leased_m2, occupancy, vacancy; /* at year end; leased capped at leasable */
    double tax_yoy;                       /* NAN when !has_prev or tax_prev == 0 */
    enum building_tier tier;
    int tenants; /* enterprises operating here at year end */
    char top_industry[4];
    double top_share, hhi; /* by leased area over the 门类; 0 when no tenant */
    int registered_not_operating, operating_not_registered;
    struct building_score_part parts[BUILDING_IND_COUNT];
    double score;
    char grade[8];
    char peer[32];                  /* "甲级·大型" */
    int rank, zone_rank, peer_rank; /* 1-based, among the buildings evaluated */
    int street_rank;                /* 1-based among the buildings of its street (街道) */
    const char *advice; /* 提升成熟亿元楼 / 助推准亿元楼晋级 / 腾笼换鸟 / "" */
};

struct building_eval {
    int year;
    struct building_result *items; /* one per building, in input order */
    size_t len;
    size_t *order; /* items indexes by rank */
};

/* Is the lease active on the day yyyymmdd (start ≤ day ≤ end, open end)? Pure. */
bool building_lease_active(const struct building_lease *l, int32_t day);
/* The size band of a gross floor area: "小型" < 30,000 m² ≤ "中型" < 80,000 m² ≤ "大型". */
const char *building_size_band(double gfa_m2);
/* The indicator score 100 × (value − floor) / (target − floor) kept to 0..100; 0 for NAN. */
double building_indicator_score(double value, const struct building_indicator_cfg *c);

/* Evaluate every building of in for year: figures as of year-12-31 (an enterprise's figures go
 * to the buildings it leases in at that day, split by leased area), the previous year's the same
 * way, tiers, concentration, scores, grades and ranks (score, then tax, then code). Fills out;
 * the caller releases it. Pure apart from allocation. */
void building_evaluate(const struct building_eval_input *in, const struct building_config *cfg,
                       int year, struct building_eval *out);
void building_eval_release(struct building_eval *e);

/* District (or zone) figures over the results picked by `keep` (NULL: all). */
struct building_district {
    int year;
    int buildings;
    int tiers[BUILDING_TIER_COUNT];
    int at_least_10e8, at_least_10e7; /* tax ≥ 1亿 (十亿元楼 included), tax ≥ 1000万 */
    int band_10e7;                    /* 1000万 ≤ tax < 1亿: the seed's "千万元级" */
    double tax, value_added, gfa_m2, leasable_m2, leased_m2;
    double tax_per_m2, gdp_per_m2, vacancy_rate;
    int introduced, landed; /* 招商: enterprises introduced in the year, of them operating */
    double landing_rate;    /* landed / introduced; NAN when none introduced */
};

/* Sum the results of e that keep(ctx, building) accepts: tier counts, Σtax / Σgfa, Σvalue added
 * / Σgfa, Σvacant / Σleasable, and 招商落地率: enterprises with intro_year == year whose intro
 * building is kept, landed when any lease of theirs started by year-12-31. Pure. */
void building_district_sum(const struct building_eval_input *in, const struct building_eval *e,
                           bool (*keep)(void *ctx, const struct building *b), void *ctx,
                           struct building_district *out);

/* ---- stored data and the module's operations ---------------------------------------------- */

/* Everything the evaluation needs, loaded from the database. */
struct building_data {
    struct building_list buildings;
    struct building_enterprise_list enterprises;
    struct building_lease_list leases;
    struct building_figure_list figures;
    struct building_zone_list zones;
    struct building_config cfg;
};

/* Load all buildings, enterprises, leases, the figures of years year-1 and year (year 0: all)
 * and the configuration. The caller releases. 0 or -1 with err. */
int building_data_load(struct db *db, int year, struct building_data *out, struct app_error *err);
void building_data_release(struct building_data *d);
/* The input view of d (borrowed). */
struct building_eval_input building_data_input(const struct building_data *d);

/* The building with code inside who's scope; APP_ERR_NOT_FOUND when missing or outside. */
int building_get(struct db *db, const struct auth_principal *who, const char *code,
                 struct building *out, struct app_error *err);
/* Is building b inside who's jurisdiction (its grid or, without one, its street)? */
bool building_in_scope(const struct auth_principal *who, const struct building *b);

/* The stored evaluation configuration (the defaults where rows are missing). 0 or -1 with err. */
int building_config_get(struct db *db, struct building_config *cfg, struct app_error *err);
/* Replace the evaluation configuration (checked) and audit it. 0 or -1 with err. */
int building_config_save(struct db *db, const struct auth_principal *who, const char *request_id,
                         const struct building_config *cfg, struct app_error *err);

/* ---- imports ------------------------------------------------------------------------------ */

enum building_import_kind {
    BUILDING_IMPORT_BUILDINGS,
    BUILDING_IMPORT_ENTERPRISES,
    BUILDING_IMPORT_LEASES,
    BUILDING_IMPORT_FIGURES,
};

/* One refused row of an import. */
struct building_row_error {
    int line;
    char field[32];
    char code[32];
    char message[160];
};
BUILDING_LIST(struct building_row_error, building_row_errors);

struct building_import_result {
    size_t inserted, updated;
    struct building_row_errors errors; /* every bad row; the caller releases items */
};

/* "buildings", "enterprises", "leases", "figures" → kind; -1 when unknown. */
int building_import_kind_parse(const char *s);
/* Import a CSV file (UTF-8, optional BOM) of kind, all or nothing: every row is checked and
 * each bad one listed in res->errors with its line; when any is bad nothing is written and the
 * function fails with APP_ERR_INVALID "invalid_rows". Rows insert or update by key (building
 * code; USCC; USCC + building + start; USCC + year); one audit row per import. Buildings are
 * located in their grid by lon, lat (WGS84) through org_locate when app is given. The columns
 * are in docs/building.md. 0 or -1 with err. */
int building_import_csv(struct app *app, struct db *db, const struct auth_principal *who,
                        const char *request_id, enum building_import_kind kind, const char *data,
                        size_t len, struct building_import_result *res, struct app_error *err);
void building_import_result_release(struct building_import_result *r);

/* ---- the demo ------------------------------------------------------------------------------- */

/* Seed the synthetic demo (demo.c): about 300 Yuzhong office buildings in the demo grids, their
 * tenants and three years (2023-2025) of figures, every record marked synthetic, deterministic.
 * 0 or -1 with err. */
int building_demo_seed(struct app *app, struct db *db, struct app_error *err);

/* ---- reports: what the API and the pages show ----------------------------------------------- */

/* One year's data and evaluation (and the two years before, for the trends), shared by the
 * requests of one data version (report.c keeps a few in memory). */
struct building_snapshot;

/* One year's evaluation of every building with what the caller may see. data and eval are
 * borrowed from the shared snapshot: read only. */
struct building_report {
    struct building_data data;
    struct building_eval eval;
    struct building_snapshot *snap;
    bool *visible; /* per building: inside the caller's jurisdiction */
    int year;
    bool synthetic; /* some shown building is synthetic demo data */
    bool cached;    /* the evaluation came from memory (the data version had not changed) */
};

/* The latest year with figures (0 when none). */
int building_latest_year(struct db *db, int *year, struct app_error *err);
/* Load and evaluate year (0: the latest with figures; else 1900..2999, APP_ERR_INVALID
 * "bad_year" naming "year") for who. The evaluation of a year is kept in memory and reused
 * until the data version (migration 0112) changes. Thread-safe. The caller releases.
 * 0 or -1 with err. */
int building_report_make(struct db *db, const struct auth_principal *who, int year,
                         struct building_report *out, struct app_error *err);
void building_report_release(struct building_report *r);
/* Drop every kept evaluation (for benchmarks and tests that time a cold evaluation). */
void building_report_cache_clear(void);
/* District figures over the visible buildings of zone (NULL: every zone) for the report's year;
 * for year_offset −1, −2 the same for earlier years (vacancy and 招商 need no figures). */
void building_report_district(const struct building_report *r, const char *zone, int year_offset,
                              struct building_district *out);
/* The zone with code, NULL when unknown (borrowed from r). */
const struct building_zone *building_report_zone(const struct building_report *r, const char *code);
/* The index of the visible building with code, -1 when none. */
long building_report_find(const struct building_report *r, const char *code);

/* A tenant of a building at the report's year end (or an enterprise registered there). */
struct building_tenant {
    size_t enterprise; /* index into r->data.enterprises */
    double area_m2;
    bool operating;  /* leases here at year end */
    bool registered; /* registered in this building */
};
BUILDING_LIST(struct building_tenant, building_tenant_list);
/* The enterprises operating in or registered in building index b at year end, largest area
 * first. The caller frees out->items. */
void building_report_tenants(const struct building_report *r, size_t b,
                             struct building_tenant_list *out);

/* The ranking as CSV (UTF-8 with BOM, CRLF) of the visible buildings in rank order. */
void building_report_csv(const struct building_report *r, struct buf *out);

#endif
