/* Urban renewal and housing (issue 18): renewal projects with their 留改拆增 paths, the owners'
 * votes of 民法典 第二百七十八条, a project's financing balance (NPV, IRR, loan schedules, the
 * yearly district outlay against its ceiling, sensitivity) and the 保障性租赁住房 register.
 * The first half of this header is pure rules over plain values (rules.c, finance.c); the second
 * half is the module's orchestration over its store (renewal.c, housing.c). */
#ifndef RENEWAL_RENEWAL_H
#define RENEWAL_RENEWAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/app.h"
#include "core/db.h"
#include "core/error.h"

struct auth_principal;

/* ---- decimals ---------------------------------------------------------------------------- */

/* Parse a non-negative decimal with at most `places` digits after the point ("86.5", "120")
 * into an integer scaled by 10^places (8650 for places 2). Returns 0, or -1 with APP_ERR_INVALID
 * "bad_number" naming field. max bounds the scaled result. */
int renewal_decimal_parse(const char *s, int places, int64_t max, int64_t *out, const char *field,
                          struct app_error *err);
/* Write v / 10^places with exactly `places` decimals ("86.50"); out at least 32 bytes. */
void renewal_decimal_format(int64_t v, int places, char *out, size_t size);

/* Money in yuan with at most two decimals, optionally negative ("-1234.5"), into fen; at most
 * 10^13 yuan. APP_ERR_INVALID "bad_money" naming field. */
int renewal_money_parse(const char *s, int64_t *fen, const char *field, struct app_error *err);

/* Rates are exact decimals held as billionths (0.045 → 45000000). */
#define RENEWAL_RATE_PLACES 9
#define RENEWAL_RATE_ONE INT64_C(1000000000)
/* "0.045" or "4.5%"; -0.99 < rate <= 10. APP_ERR_INVALID "bad_rate" naming field. */
int renewal_rate_parse(const char *s, int64_t *nano, const char *field, struct app_error *err);

/* ---- owners' votes: 民法典 第二百七十八条 ------------------------------------------------ */

/* What the owners decide. MAJOR is 第二百七十八条 items (六)–(八):
 * 筹集建筑物及其附属设施的维修资金, 改建、重建建筑物及其附属设施 (加装电梯 is decided as this),
 * 改变共有部分的用途或者利用共有部分 从事经营活动. ORDINARY is every other matter of the article
 * (使用维修资金 included). */
enum renewal_matter {
    RENEWAL_MATTER_ORDINARY = 0,
    RENEWAL_MATTER_MAJOR,
};
int renewal_matter_parse(const char *s, enum renewal_matter *out);
const char *renewal_matter_name(enum renewal_matter m);

/* A unit's ballot. ABSTAIN (弃权) takes part and does not approve; ABSENT (未参与) does not
 * take part. */
enum renewal_vote {
    RENEWAL_VOTE_YES = 0, /* 同意 */
    RENEWAL_VOTE_NO,      /* 反对 */
    RENEWAL_VOTE_ABSTAIN, /* 弃权 */
    RENEWAL_VOTE_ABSENT,  /* 未参与 */
};
/* 同意/反对/弃权/未参与 or yes/no/abstain/absent. */
int renewal_vote_parse(const char *s, enum renewal_vote *out);
const char *renewal_vote_name(enum renewal_vote v);
const char *renewal_vote_label(enum renewal_vote v);

/* One unit of the vote's building: its owner (an id or a name; the same owner on several units
 * is one person) and its exclusive floor area (专有部分面积) in hundredths of a m². */
struct renewal_ballot {
    char unit[32];
    char owner[64];
    int64_t area; /* 0.01 m² */
    enum renewal_vote vote;
};

/* The tally: totals over every unit of the building, the participating and approving sums by
 * area (0.01 m²) and by owners (persons), the two tests and the outcome. */
struct renewal_tally {
    int64_t total_area, part_area, yes_area, no_area, abstain_area;
    int total_owners, part_owners, yes_owners, no_owners, abstain_owners;
    bool quorum;   /* participation: area AND owners >= 2/3 */
    bool approved; /* approval among the participants, per the matter */
    bool passed;   /* quorum && approved */
};

/* Tally ballots per 民法典 第二百七十八条 exactly, in integer arithmetic:
 * - participation: 3·part_area >= 2·total_area AND 3·part_owners >= 2·total_owners
 *   ("三分之二以上", which by 第一千二百五十九条 includes two thirds itself);
 * - MAJOR: 4·yes_area >= 3·part_area AND 4·yes_owners >= 3·part_owners ("四分之三以上");
 * - ORDINARY: 2·yes_area > part_area AND 2·yes_owners > part_owners ("过半数": exactly half fails).
 * An owner of several units counts once as a person with the area of all their units; their
 * units must carry one vote (one person, one decision): otherwise APP_ERR_INVALID
 * "owner_split_vote" naming "vote" with the unit in the message. Units must be distinct
 * ("duplicate_unit", field "unit") with area > 0 ("bad_area", field "area"); at least one.
 * building_area > 0 bounds the units' total ("area_exceeds_building", field "area"). */
int renewal_tally(const struct renewal_ballot *b, size_t n, enum renewal_matter matter,
                  int64_t building_area, struct renewal_tally *out, struct app_error *err);

/* ---- money: NPV, IRR, PMT, loan schedules ------------------------------------------------ */

/* Round a long double to the nearest fen, halves away from zero. */
int64_t renewal_round_fen(long double v);

/* NPV with year 0 undiscounted: flow₀ + Σ flowₜ/(1+r)ᵗ, which is flow₀ + LibreOffice's
 * NPV(r; flow₁…flowₙ). Flows and result in fen (rounded). */
int64_t renewal_npv(const int64_t *flow, size_t n, int64_t rate_nano);
/* The same unrounded (fen as a real number), for sensitivity and the IRR search. */
long double renewal_npv_exact(const int64_t *flow, size_t n, long double rate);

/* IRR as LibreOffice's IRR(flows) finds it: the rate r > -1 with NPV 0, found by Newton's
 * method from the guess 0.1 (LibreOffice's default), with a bracketing search when Newton does
 * not converge. Returns 0 with *irr, or -1: APP_ERR_INVALID "no_sign_change" (all flows of one
 * sign: no rate can balance them) or "no_root" (no rate in (-0.99, 10] found), field "flows". */
int renewal_irr(const int64_t *flow, size_t n, double *irr, struct app_error *err);

/* The level payment of LibreOffice's PMT(r; n; P) with fv = 0, type = 0, reported as a
 * positive instalment for a positive principal: P·r/(1−(1+r)^−n), P/n when r = 0. In fen. */
int64_t renewal_pmt(int64_t principal, int64_t rate_nano, int periods);

enum renewal_repay {
    RENEWAL_REPAY_ANNUITY = 0, /* 等额本息: equal instalments */
    RENEWAL_REPAY_LINEAR,      /* 等额本金: equal principal */
};
int renewal_repay_parse(const char *s, enum renewal_repay *out);
const char *renewal_repay_name(enum renewal_repay r);

struct renewal_loan {
    int64_t principal; /* fen, drawn at the start of draw_year */
    int64_t rate_nano; /* yearly */
    int term;          /* years of the loan including the grace period, 1..40 */
    int grace;         /* years of interest only at the start, 0..term-1 */
    int draw_year;     /* 0..horizon */
    enum renewal_repay repay;
};

/* One year of a loan: interest = round(balance·r), principal repaid, payment = both, balance
 * after. */
struct renewal_loan_year {
    int64_t interest, principal, payment, balance;
};

/* The yearly schedule of a loan, to the fen: payments at the end of each of `term` years from
 * draw_year; grace years pay interest only; annuity instalments are the PMT over the years left
 * after grace, linear principal is principal/(term−grace) (the remainder in the last year); the
 * last year clears the balance. out has term entries. */
void renewal_loan_schedule(const struct renewal_loan *l, struct renewal_loan_year *out);

/* ---- the financing balance of a project -------------------------------------------------- */

/* Kinds of a cash-flow line. capex and opex are outflows; subsidy and the four incomes inflows. */
enum renewal_flow_kind {
    RENEWAL_FLOW_CAPEX = 0,  /* 建设投入 */
    RENEWAL_FLOW_SUBSIDY,    /* 补助资金 (上级、专项) */
    RENEWAL_FLOW_RENT,       /* 租金收入 */
    RENEWAL_FLOW_PARKING,    /* 停车收入 */
    RENEWAL_FLOW_COMMERCIAL, /* 商业收入 */
    RENEWAL_FLOW_PROPERTY,   /* 物业服务收入 */
    RENEWAL_FLOW_OPEX,       /* 运营成本 */
    RENEWAL_FLOW_KINDS,
};
int renewal_flow_kind_parse(const char *s, enum renewal_flow_kind *out);
const char *renewal_flow_kind_name(enum renewal_flow_kind k);
const char *renewal_flow_kind_label(enum renewal_flow_kind k);

#define RENEWAL_MAX_HORIZON 50 /* years 0..50 */
#define RENEWAL_MAX_LOANS 8

/* The assumptions of a balance: yearly amounts by kind (fen), loans, the discount rate and the
 * district's annual outlay ceiling (当期投入可承受). */
struct renewal_model {
    int horizon; /* last year, 1..RENEWAL_MAX_HORIZON */
    int64_t amount[RENEWAL_FLOW_KINDS][RENEWAL_MAX_HORIZON + 1];
    struct renewal_loan loan[RENEWAL_MAX_LOANS];
    int nloans;
    int64_t discount_nano;
    int64_t ceiling; /* fen per year */
};

/* One assumption moved ±10/20%: its NPVs and the change at which NPV crosses zero. */
enum renewal_factor {
    RENEWAL_FACTOR_RENT = 0,  /* rent income */
    RENEWAL_FACTOR_OCCUPANCY, /* every operating income (rent, parking, commercial, property) */
    RENEWAL_FACTOR_RATE,      /* the discount rate */
    RENEWAL_FACTOR_COST,      /* capex and opex */
    RENEWAL_FACTORS,
};
const char *renewal_factor_name(enum renewal_factor f);
const char *renewal_factor_label(enum renewal_factor f);

struct renewal_sensitivity {
    int64_t npv[4];       /* at −20%, −10%, +10%, +20% of the assumption */
    bool has_breakeven;   /* the adverse change at which NPV reaches 0 exists */
    double breakeven_pct; /* adverse change in percent (rent −12.5 → "rent 12.5% lower") */
};

struct renewal_balance {
    int horizon;
    int64_t net[RENEWAL_MAX_HORIZON + 1];    /* project flow: inflows − capex − opex */
    int64_t debt[RENEWAL_MAX_HORIZON + 1];   /* debt service (interest + principal) */
    int64_t draw[RENEWAL_MAX_HORIZON + 1];   /* loan drawdowns */
    int64_t outlay[RENEWAL_MAX_HORIZON + 1]; /* district outlay: the year's gap after loans */
    int64_t cum[RENEWAL_MAX_HORIZON + 1];    /* cumulative project flow */
    double dscr[RENEWAL_MAX_HORIZON + 1];    /* (income − opex) / debt service; <0 = no debt */
    int64_t npv;
    bool has_irr;
    double irr;
    char irr_reason[48]; /* when !has_irr: no_sign_change or no_root */
    int payback_year;    /* first year the cumulative flow is > 0 after being <= 0; -1 none */
    int64_t peak_need;   /* the deepest cumulative deficit (fen, >= 0) */
    int64_t max_outlay;
    int first_over_ceiling; /* first year the outlay exceeds the ceiling, -1 none */
    bool affordable;        /* 当期投入可承受: every year's outlay <= ceiling */
    bool balanced;          /* 远期成本可平衡: NPV >= 0 and payback within the horizon */
    struct renewal_sensitivity sens[RENEWAL_FACTORS];
    int breaks_first; /* the factor whose smallest adverse change makes NPV < 0; -1 none */
};

/* Compute the balance of a model. Pure; no allocation. */
void renewal_balance(const struct renewal_model *m, struct renewal_balance *out);

/* ---- 保障性租赁住房 ------------------------------------------------------------------------ */

/* "以建筑面积不超过70平方米的小户型为主" (国办发〔2021〕22号): units of at most 70.00 m² are more
 * than half of the units. areas in 0.01 m². */
#define RENEWAL_SMALL_UNIT_AREA 7000
bool renewal_small_units_majority(const int64_t *area, size_t n, size_t *small);
/* Rent at or below share (billionths) of the market rent of the same location: rent·1e9 <=
 * market·share. */
bool renewal_rent_ok(int64_t rent, int64_t market, int64_t share_nano);
/* Great-circle metres between two GCJ-02 points (the small offset of GCJ-02 is the same for
 * both within a district). */
double renewal_distance_m(double lon1, double lat1, double lon2, double lat2);

/* Applicant groups in the published priority order (docs/renewal.md). */
enum renewal_applicant_group {
    RENEWAL_GROUP_SERVICE = 1, /* 城市基本公共服务人员 (环卫、公交、医护…) */
    RENEWAL_GROUP_NEWCOMER,    /* 新市民 */
    RENEWAL_GROUP_YOUTH,       /* 青年人 */
};
struct renewal_applicant {
    int64_t id;
    int group;
    bool owns_housing; /* owns housing in the city: not eligible */
    int64_t applied_at;
};
/* The waiting-list order: eligible applicants by group, then application time, then id.
 * Sorts idx (indices into a) and returns how many are eligible (the ineligible come last). */
size_t renewal_waiting_order(const struct renewal_applicant *a, size_t n, size_t *idx);

/* ---- projects, parcels, votes, housing (renewal.c, housing.c over renewal_store.c) ------- */

/* Project types and the 投融建管运 models, with their Chinese labels. */
enum { RENEWAL_TYPES = 5, RENEWAL_MODELS = 5, RENEWAL_PATHS = 4, RENEWAL_PHASES = 6 };
extern const char *const renewal_type_names[RENEWAL_TYPES],
    *const renewal_type_labels[RENEWAL_TYPES];
extern const char *const renewal_model_names[RENEWAL_MODELS],
    *const renewal_model_labels[RENEWAL_MODELS];
/* 留 keep, 改 renovate, 拆 demolish, 增 add */
extern const char *const renewal_path_names[RENEWAL_PATHS],
    *const renewal_path_labels[RENEWAL_PATHS];
/* 策划 → 立项 → 设计 → 实施 → 运营 → 竣工验收, in this order (the issue's own sequence) */
extern const char *const renewal_phase_names[RENEWAL_PHASES],
    *const renewal_phase_labels[RENEWAL_PHASES];
/* The index of s in names (English name or Chinese label), or -1. */
int renewal_enum_parse(const char *s, const char *const *names, const char *const *labels, int n);

struct renewal_project {
    int64_t id;
    char code[24];
    char name[96];
    char type[16];
    int phase;
    char model[16];
    char investor[64], financier[64], builder[64], manager[64], operator_[64];
    double lon, lat; /* WGS84 */
    char grid[24], street[24];
    int households; /* households benefited */
    int horizon;
    int64_t discount_nano, ceiling;
    bool synthetic;
    /* summaries filled by list and get: 留改拆增 floor area after (0.01 m²) and parcel count */
    int64_t path_area[RENEWAL_PATHS];
    int parcels;
};
struct renewal_project_list {
    struct renewal_project *items;
    size_t len, cap;
};

struct renewal_parcel {
    int64_t id, project_id;
    char name[96];
    char path[12];
    int64_t area_before, area_after; /* 0.01 m² */
    int households, enterprises;
    bool synthetic;
};
struct renewal_parcel_list {
    struct renewal_parcel *items;
    size_t len, cap;
};

struct renewal_phase_step {
    int phase;
    int64_t at;
    char actor[64];
};
struct renewal_phase_list {
    struct renewal_phase_step *items;
    size_t len, cap;
};

/* Create a project: code, name, type, model required; lon/lat must fall in a grid of the
 * district, in who's scope (else 404). Phase 策划 with its history row; audited. */
int renewal_project_create(struct app *app, struct db *db, const struct auth_principal *who,
                           struct renewal_project *p, const char *request_id,
                           struct app_error *err);
/* The project by code, if in who's scope (else APP_ERR_NOT_FOUND). who NULL: no scope. */
int renewal_project_get(struct db *db, const struct auth_principal *who, const char *code,
                        struct renewal_project *out, struct app_error *err);
/* Projects in who's scope, by code; phase < 0 and street NULL do not filter. */
int renewal_project_list(struct db *db, const struct auth_principal *who, int phase,
                         const char *street, struct renewal_project_list *out,
                         struct app_error *err);
/* Move a project to `phase`, which must be the next one (APP_ERR_CONFLICT "not_next_phase",
 * field "phase"). Audited, with a dated history row. */
int renewal_project_advance(struct db *db, const struct auth_principal *who, const char *code,
                            int phase, const char *request_id, struct app_error *err);
int renewal_phase_history(struct db *db, int64_t project_id, struct renewal_phase_list *out,
                          struct app_error *err);

/* Add a parcel to a project (path one of keep/renovate/demolish/add; 拆 leaves area_after 0).
 * Audited. */
int renewal_parcel_add(struct db *db, const struct auth_principal *who, const char *code,
                       struct renewal_parcel *p, const char *request_id, struct app_error *err);
int renewal_parcel_list(struct db *db, int64_t project_id, struct renewal_parcel_list *out,
                        struct app_error *err);

/* A cash-flow line as stored. */
struct renewal_flow_line {
    int year;
    int kind;
    int64_t amount;
};
/* Replace a project's financing assumptions as a whole: horizon, discount rate, ceiling, the
 * lines (year 0..horizon: "year" out of range is APP_ERR_INVALID naming "flows[i].year") and
 * the loans (term 1..40, grace < term, draw_year + term − 1 <= horizon). Audited. */
int renewal_finance_set(struct db *db, const struct auth_principal *who, const char *code,
                        int horizon, int64_t discount_nano, int64_t ceiling,
                        const struct renewal_flow_line *lines, size_t nlines,
                        const struct renewal_loan *loans, size_t nloans, const char *request_id,
                        struct app_error *err);
/* The stored model of a project (for renewal_balance). */
int renewal_model_load(struct db *db, const struct renewal_project *p, struct renewal_model *m,
                       struct app_error *err);

struct renewal_vote_rec {
    int64_t id, project_id;
    char project_code[24], project_name[96], grid[24];
    char title[128];
    int matter;
    int64_t building_area;
    int64_t opened_at;
    bool synthetic;
};
struct renewal_vote_list {
    struct renewal_vote_rec *items;
    size_t len, cap;
};
struct renewal_ballot_list {
    struct renewal_ballot *items;
    size_t len, cap;
};
/* Open a vote on a project with its roster of units (unit, owner, area; every ballot starts
 * 未参与). The roster must pass renewal_tally's checks, its area within building_area.
 * Audited. */
int renewal_vote_open(struct db *db, const struct auth_principal *who, const char *code,
                      struct renewal_vote_rec *v, const struct renewal_ballot *units, size_t n,
                      const char *request_id, struct app_error *err);
/* The vote, its ballots (by unit) and the tally, if its project is in who's scope. */
int renewal_vote_get(struct db *db, const struct auth_principal *who, int64_t id,
                     struct renewal_vote_rec *v, struct renewal_ballot_list *ballots,
                     struct renewal_tally *t, struct app_error *err);
int renewal_vote_list(struct db *db, const struct auth_principal *who, int64_t project_id,
                      struct renewal_vote_list *out, struct app_error *err);
/* Record one unit's ballot (unknown unit: APP_ERR_INVALID naming "unit"); a multi-unit owner's
 * other units take the same vote. Audited. */
int renewal_ballot_cast(struct db *db, const struct auth_principal *who, int64_t vote_id,
                        const char *unit, enum renewal_vote vote, const char *request_id,
                        struct app_error *err);

/* Figures: projects by phase, type, model and street; 留改拆增 areas; households benefited. */
struct renewal_count {
    char key[32];
    int projects;
    int households;
};
struct renewal_figures {
    int projects, households;
    int64_t path_area[RENEWAL_PATHS];
    int by_phase[RENEWAL_PHASES];
    int by_type[RENEWAL_TYPES];
    int by_model[RENEWAL_MODELS];
    struct renewal_count by_street[32];
    int nstreets;
};
int renewal_figures(struct db *db, const struct auth_principal *who, struct renewal_figures *out,
                    struct app_error *err);

/* 保障性租赁住房 units with their policy checks. */
struct renewal_housing_unit {
    int64_t id;
    char code[24], project[96], grid[24];
    int64_t area, rent, market_rent;
    double lon, lat;
    bool occupied, synthetic;
    /* computed: rent within the share, and the nearest site of each kind in metres */
    bool rent_ok;
    double nearest_m[4];
    char nearest[4][48];
};
struct renewal_housing_list {
    struct renewal_housing_unit *items;
    size_t len, cap;
};
/* The share of the market rent (billionths) the rent must not exceed: the platform's setting
 * RENEWAL_RENT_SHARE_NANO, 0.9 (docs/renewal.md says where this comes from and where unsure). */
#define RENEWAL_RENT_SHARE_NANO INT64_C(900000000)
/* Kinds of site a 保障性租赁住房 project should be near: 0 rail station, 1 business district,
 * 2 campus, 3 hospital. */
extern const char *const renewal_site_labels[4];
struct renewal_housing_report {
    size_t units, small, occupied, rent_ok;
    bool small_majority;
};
int renewal_housing_list(struct db *db, const struct auth_principal *who,
                         struct renewal_housing_list *out, struct renewal_housing_report *rep,
                         struct app_error *err);

/* An applicant for 保障性租赁住房 as stored, with their place on the waiting list. */
struct renewal_applicant_rec {
    int64_t id;
    char name[64];
    int group; /* enum renewal_applicant_group */
    bool owns_housing;
    int64_t applied_at;
    char unit_code[24]; /* "" while waiting */
    int64_t allocated_at;
    bool synthetic;
    int place; /* 1-based place on the waiting list; 0 allocated or not eligible */
};
struct renewal_applicant_list {
    struct renewal_applicant_rec *items;
    size_t len, cap;
};
const char *renewal_group_label(int group);
/* Register an applicant (name, group 1–3, owns_housing); applied now. Audited. */
int renewal_applicant_add(struct db *db, const struct auth_principal *who,
                          struct renewal_applicant_rec *a, const char *request_id,
                          struct app_error *err);
/* All applicants: the waiting list first in the published order (renewal_waiting_order, with
 * place set), then the ineligible, then those housed. */
int renewal_applicant_list(struct db *db, struct renewal_applicant_list *out,
                           struct app_error *err);
/* Give the vacant units in who's jurisdiction, in code order, to the waiting eligible applicants
 * in priority order, one unit each, in one transaction (each allocation audited). *n gets how
 * many were housed. */
int renewal_allocate(struct db *db, const struct auth_principal *who, const char *request_id,
                     int *n, struct app_error *err);

/* A dangerous-building appraisal (危险房屋鉴定, JGJ 125-2016): building grade A (结构能满足安全
 *使用要求), B (个别构件为危险构件，不影响主体结构安全), C (部分承重结构不能满足安全使用要求，局部
 * 危房), D (承重结构已不能满足安全使用要求，整幢危房). */
struct renewal_appraisal {
    int64_t id;
    char building[96], address[128];
    double lon, lat; /* WGS84 */
    char grid[24];
    char grade[2];
    char appraised_on[11]; /* YYYY-MM-DD */
    char appraiser[96];
    char event_code[32];
    bool synthetic;
};
struct renewal_appraisal_list {
    struct renewal_appraisal *items;
    size_t len, cap;
};
/* The label of a grade (局部危房 for C, 整幢危房 for D), NULL for an unknown grade. */
const char *renewal_grade_label(const char *grade);
/* Record an appraisal: building, grade A–D, date (not in the future), appraiser required; the
 * point must be in a grid in who's scope (else 404). Audited. A C grade opens an event 危险房屋
 * (0501) at the building's grid; a D grade opens it urgent, titled 整幢危房, with the evacuation
 * duty in its description. The event then runs its deadlines and escalates like any other. */
int renewal_appraisal_record(struct app *app, struct db *db, const struct auth_principal *who,
                             struct renewal_appraisal *a, const char *request_id,
                             struct app_error *err);
int renewal_appraisal_list(struct db *db, const struct auth_principal *who,
                           struct renewal_appraisal_list *out, struct app_error *err);

/* Lifecycle: the demo projects, votes and housing at seed (demo only; all synthetic). */
int renewal_seed(struct app *app, struct db *db, bool demo, struct app_error *err);

#endif
