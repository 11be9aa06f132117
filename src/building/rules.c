/* The pure rules of the building economy: the 统一社会信用代码 check (GB 32100-2015), GB/T
 * 4754-2017 industry codes, dates, tiers, indicator scores and the evaluation of every building
 * of a year with its ranks, and the district sums. No I/O; docs/building.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "building/building.h"
#include "core/xalloc.h"

/* ---- 统一社会信用代码 ------------------------------------------------------------------------ */

/* GB 32100-2015 §4.2: the 31 characters, each valued by its position (I, O, S, V, Z unused). */
static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
    const char *p = c ? strchr(uscc_chars, c) : NULL;
    return p ? (int)(p - uscc_chars) : -1;
}

char building_uscc_check_char(const char *body17)
{
    /* GB 32100-2015 §5: weights W_i = 3^(i−1) mod 31; C18 = 31 − (Σ C_i × W_i mod 31), 31 → 0 */
    int sum = 0, w = 1;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(body17[i]);
        if (v < 0)
            return '\0';
        sum += v * w;
        w = (w * 3) % 31;
    }
    int c = 31 - sum % 31;
    return uscc_chars[c == 31 ? 0 : c];
}

/* GB 11714-1997: positions 9-17 are an organisation code whose 9th character is its check:
 * weights 3 7 9 10 5 8 4 2, digits as themselves and letters A=10 … Z=35, C = 11 − Σ mod 11,
 * 10 → X, 11 → 0. */
static bool org_code_ok(const char *body9)
{
    static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = body9[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
        if (v < 0)
            return false;
        sum += v * w[i];
    }
    int c = 11 - sum % 11;
    char want = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
    return body9[8] == want;
}

bool building_uscc_check(const char *code, struct building_uscc_result *r)
{
    struct building_uscc_result tmp;
    if (!r)
        r = &tmp;
    memset(r, 0, sizeof(*r));
    size_t n = code ? strlen(code) : 0;
    r->length = n;
    if (n != 18) {
        r->reason = BUILDING_USCC_LENGTH;
        return false;
    }
    for (size_t i = 0; i < 18; i++)
        if (uscc_value(code[i]) < 0) {
            r->reason = BUILDING_USCC_CHARSET;
            r->bad_position = (int)i + 1;
            return false;
        }
    r->expected = building_uscc_check_char(code);
    r->found = code[17];
    r->org_code_ok = org_code_ok(code + 8);
    r->reason = r->expected == r->found ? BUILDING_USCC_OK : BUILDING_USCC_CHECK;
    return r->reason == BUILDING_USCC_OK;
}

const char *building_uscc_reason_name(enum building_uscc_reason r)
{
    switch (r) {
    case BUILDING_USCC_OK:
        return "ok";
    case BUILDING_USCC_LENGTH:
        return "length";
    case BUILDING_USCC_CHARSET:
        return "charset";
    case BUILDING_USCC_CHECK:
        return "check";
    }
    return "check";
}

/* ---- GB/T 4754-2017 ------------------------------------------------------------------------- */

/* The 20 门类 of GB/T 4754-2017 with the range of their 大类 codes. */
static const struct {
    char section;
    int first, last;
    const char *name;
} sections[] = {
    {'A', 1, 5, "农、林、牧、渔业"},
    {'B', 6, 12, "采矿业"},
    {'C', 13, 43, "制造业"},
    {'D', 44, 46, "电力、热力、燃气及水生产和供应业"},
    {'E', 47, 50, "建筑业"},
    {'F', 51, 52, "批发和零售业"},
    {'G', 53, 60, "交通运输、仓储和邮政业"},
    {'H', 61, 62, "住宿和餐饮业"},
    {'I', 63, 65, "信息传输、软件和信息技术服务业"},
    {'J', 66, 69, "金融业"},
    {'K', 70, 70, "房地产业"},
    {'L', 71, 72, "租赁和商务服务业"},
    {'M', 73, 75, "科学研究和技术服务业"},
    {'N', 76, 79, "水利、环境和公共设施管理业"},
    {'O', 80, 82, "居民服务、修理和其他服务业"},
    {'P', 83, 83, "教育"},
    {'Q', 84, 85, "卫生和社会工作"},
    {'R', 86, 90, "文化、体育和娱乐业"},
    {'S', 91, 96, "公共管理、社会保障和社会组织"},
    {'T', 97, 97, "国际组织"},
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

static int section_index(char c)
{
    return c >= 'A' && c <= 'T' ? c - 'A' : -1;
}

bool building_industry_valid(const char *code)
{
    if (!code || section_index(code[0]) < 0)
        return false;
    if (code[1] == '\0')
        return true;
    if (code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9' || code[3] != '\0')
        return false;
    int div = (code[1] - '0') * 10 + (code[2] - '0');
    int s = section_index(code[0]);
    return div >= sections[s].first && div <= sections[s].last;
}

const char *building_industry_section_name(const char *code)
{
    int s = code ? section_index(code[0]) : -1;
    return s >= 0 ? sections[s].name : "";
}

/* ---- dates ---------------------------------------------------------------------------------- */

int32_t building_date_parse(const char *s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
        return -1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    return y * 10000 + m * 100 + d;
}

bool building_lease_active(const struct building_lease *l, int32_t day)
{
    int32_t from = building_date_parse(l->start_date);
    int32_t to = l->end_date[0] ? building_date_parse(l->end_date) : 99991231;
    return from > 0 && to > 0 && from <= day && day <= to;
}

/* ---- tiers ---------------------------------------------------------------------------------- */

enum building_tier building_tier_of(double tax, double near_ratio)
{
    static const double thresholds[3] = {1e7, 1e8, 1e9}; /* 千万, 亿, 十亿 (yuan) */
    for (int i = 2; i >= 0; i--) {
        if (tax >= thresholds[i])
            return (enum building_tier)(BUILDING_TIER_10E7 + 2 * i);
        if (tax >= near_ratio * thresholds[i])
            return (enum building_tier)(BUILDING_TIER_NEAR_10E7 + 2 * i);
    }
    return BUILDING_TIER_NONE;
}

static const struct {
    const char *code, *name;
} tier_names[BUILDING_TIER_COUNT] = {
    {"none", "未达千万元"},    {"near_10e7", "准千万元楼"}, {"tier_10e7", "千万元楼"},
    {"near_10e8", "准亿元楼"}, {"tier_10e8", "亿元楼"},     {"near_10e9", "准十亿元楼"},
    {"tier_10e9", "十亿元楼"},
};

const char *building_tier_code(enum building_tier t)
{
    return t >= 0 && t < BUILDING_TIER_COUNT ? tier_names[t].code : "none";
}

const char *building_tier_name(enum building_tier t)
{
    return t >= 0 && t < BUILDING_TIER_COUNT ? tier_names[t].name : tier_names[0].name;
}

/* ---- configuration -------------------------------------------------------------------------- */

static const struct {
    const char *code, *name;
} indicator_names[BUILDING_IND_COUNT] = {
    {"tax_per_m2", "单位面积税收"},
    {"gdp_per_m2", "单位面积增加值"},
    {"occupancy", "出租率"},
    {"tax_yoy", "税收同比"},
};

const char *building_indicator_code(enum building_indicator i)
{
    return indicator_names[i].code;
}

const char *building_indicator_name(enum building_indicator i)
{
    return indicator_names[i].name;
}

int building_indicator_parse(const char *code)
{
    for (int i = 0; code && i < BUILDING_IND_COUNT; i++)
        if (strcmp(code, indicator_names[i].code) == 0)
            return i;
    return -1;
}

void building_config_default(struct building_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ind[BUILDING_IND_TAX_PER_M2] = (struct building_indicator_cfg){0.35, 0, 3000};
    cfg->ind[BUILDING_IND_GDP_PER_M2] = (struct building_indicator_cfg){0.25, 0, 25000};
    cfg->ind[BUILDING_IND_OCCUPANCY] = (struct building_indicator_cfg){0.25, 0.5, 1.0};
    cfg->ind[BUILDING_IND_TAX_YOY] = (struct building_indicator_cfg){0.15, -0.2, 0.2};
    static const char *const g[] = {"A", "B", "C", "D"};
    static const double m[] = {80, 65, 50, 0}; /* migration 0111 */
    for (size_t i = 0; i < 4; i++) {
        snprintf(cfg->grades[i].grade, sizeof(cfg->grades[i].grade), "%s", g[i]);
        cfg->grades[i].min_score = m[i];
    }
    cfg->ngrades = 4;
    cfg->near_ratio = 0.8;
}

int building_config_check(const struct building_config *cfg, struct app_error *err)
{
    double wsum = 0;
    char field[64];
    for (int i = 0; i < BUILDING_IND_COUNT; i++) {
        const struct building_indicator_cfg *c = &cfg->ind[i];
        if (!isfinite(c->weight) || c->weight < 0) {
            snprintf(field, sizeof field, "indicators.%s.weight", indicator_names[i].code);
            return app_fail(err, APP_ERR_INVALID, "bad_weight", field, "权重应为非负数");
        }
        if (!isfinite(c->floor) || !isfinite(c->target) || c->floor == c->target) {
            snprintf(field, sizeof field, "indicators.%s.target", indicator_names[i].code);
            return app_fail(err, APP_ERR_INVALID, "bad_scale", field, "满分值不能等于零分值");
        }
        wsum += c->weight;
    }
    if (!(wsum > 0))
        return app_fail(err, APP_ERR_INVALID, "bad_weight", "indicators", "权重之和应大于 0");
    if (cfg->ngrades < 1 || cfg->ngrades > BUILDING_MAX_GRADES)
        return app_fail(err, APP_ERR_INVALID, "bad_grades", "grades", "等级应为 1 至 8 个");
    for (size_t i = 0; i < cfg->ngrades; i++) {
        if (!cfg->grades[i].grade[0] || !isfinite(cfg->grades[i].min_score))
            return app_fail(err, APP_ERR_INVALID, "bad_grades", "grades", "等级名称或分数线无效");
        if (i > 0 && !(cfg->grades[i].min_score < cfg->grades[i - 1].min_score))
            return app_fail(err, APP_ERR_INVALID, "bad_grades", "grades",
                            "分数线应从高到低且互不相同");
        for (size_t j = 0; j < i; j++)
            if (strcmp(cfg->grades[i].grade, cfg->grades[j].grade) == 0)
                return app_fail(err, APP_ERR_INVALID, "bad_grades", "grades", "等级名称重复");
    }
    if (cfg->grades[cfg->ngrades - 1].min_score != 0)
        return app_fail(err, APP_ERR_INVALID, "bad_grades", "grades", "最低一档的分数线应为 0");
    if (!(cfg->near_ratio > 0 && cfg->near_ratio < 1))
        return app_fail(err, APP_ERR_INVALID, "bad_near_ratio", "near_ratio",
                        "“准”档比例应在 0 与 1 之间");
    return 0;
}

double building_indicator_score(double value, const struct building_indicator_cfg *c)
{
    if (isnan(value))
        return 0;
    double s = 100.0 * (value - c->floor) / (c->target - c->floor);
    return s < 0 ? 0 : s > 100 ? 100 : s;
}

const char *building_size_band(double gfa_m2)
{
    return gfa_m2 < 30000 ? "小型" : gfa_m2 < 80000 ? "中型" : "大型";
}

/* ---- the evaluation ---------------------------------------------------------------------------
 */

struct id_index {
    int64_t id;
    size_t index;
};

static int id_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct id_index *)a)->id, y = ((const struct id_index *)b)->id;
    return x < y ? -1 : x > y;
}

/* A sorted id → index map over n records of size sz whose first member is the int64 id. */
static struct id_index *id_map(const void *base, size_t n, size_t sz)
{
    struct id_index *m = xcalloc(n ? n : 1, sizeof(*m));
    for (size_t i = 0; i < n; i++) {
        m[i].id = *(const int64_t *)((const char *)base + i * sz);
        m[i].index = i;
    }
    qsort(m, n, sizeof(*m), id_cmp);
    return m;
}

static long id_find(const struct id_index *m, size_t n, int64_t id)
{
    struct id_index key = {id, 0};
    const struct id_index *p = id ? bsearch(&key, m, n, sizeof(*m), id_cmp) : NULL;
    return p ? (long)p->index : -1;
}

/* An active lease resolved to indexes. */
struct active {
    size_t b, e;
    double area;
};

static int active_cmp(const void *a, const void *b)
{
    const struct active *x = a, *y = b;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    return x->e < y->e ? -1 : x->e > y->e;
}

/* The attribution of one year: per building tax, value added, revenue, leased area, tenant
 * groups; kept in arrays indexed by building. */
struct year_sums {
    double *tax, *va, *rev, *leased;
    bool *has_fig;
    struct active *act; /* active leases at year end, sorted by building then enterprise */
    size_t nact;
};

static void year_sums_release(struct year_sums *y)
{
    free(y->tax);
    free(y->va);
    free(y->rev);
    free(y->leased);
    free(y->has_fig);
    free(y->act);
}

static void attribute_year(const struct building_eval_input *in, const struct id_index *bmap,
                           const struct id_index *emap, int year, struct year_sums *y)
{
    size_t nb = in->nbuildings, ne = in->nenterprises;
    int32_t day = year * 10000 + 1231;
    y->tax = xcalloc(nb + 1, sizeof(double));
    y->va = xcalloc(nb + 1, sizeof(double));
    y->rev = xcalloc(nb + 1, sizeof(double));
    y->leased = xcalloc(nb + 1, sizeof(double));
    y->has_fig = xcalloc(nb + 1, sizeof(bool));
    y->act = xcalloc(in->nleases + 1, sizeof(struct active));
    y->nact = 0;
    double *ent_area = xcalloc(ne + 1, sizeof(double));
    double *ftax = xcalloc(ne + 1, sizeof(double)), *fva = xcalloc(ne + 1, sizeof(double));
    double *frev = xcalloc(ne + 1, sizeof(double));
    bool *fhas = xcalloc(ne + 1, sizeof(bool));
    for (size_t i = 0; i < in->nleases; i++) {
        const struct building_lease *l = &in->leases[i];
        if (!building_lease_active(l, day))
            continue;
        long b = id_find(bmap, nb, l->building_id), e = id_find(emap, ne, l->enterprise_id);
        if (b < 0 || e < 0 || !(l->area_m2 > 0))
            continue;
        y->act[y->nact++] = (struct active){(size_t)b, (size_t)e, l->area_m2};
        ent_area[e] += l->area_m2;
    }
    qsort(y->act, y->nact, sizeof(*y->act), active_cmp);
    for (size_t i = 0; i < in->nfigures; i++) {
        const struct building_figure *f = &in->figures[i];
        if (f->year != year)
            continue;
        long e = id_find(emap, ne, f->enterprise_id);
        if (e < 0)
            continue;
        ftax[e] += f->tax;
        fva[e] += f->value_added;
        frev[e] += f->revenue;
        fhas[e] = true;
    }
    /* An enterprise's figures go to the buildings it operates in at year end, split by its
     * leased area in each (an enterprise on two towers pays in neither twice). */
    for (size_t i = 0; i < y->nact; i++) {
        const struct active *a = &y->act[i];
        double share = a->area / ent_area[a->e];
        y->leased[a->b] += a->area;
        if (fhas[a->e]) {
            y->tax[a->b] += ftax[a->e] * share;
            y->va[a->b] += fva[a->e] * share;
            y->rev[a->b] += frev[a->e] * share;
            y->has_fig[a->b] = true;
        }
    }
    free(ent_area);
    free(ftax);
    free(fva);
    free(frev);
    free(fhas);
}

/* Rank order: score, then tax, descending; then building code. */
struct rank_ctx {
    const struct building_eval *eval;
    const struct building_eval_input *in;
};

static int rank_cmp(const void *a, const void *b, void *ctx)
{
    const struct rank_ctx *c = ctx;
    const struct building_result *x = &c->eval->items[*(const size_t *)a];
    const struct building_result *y = &c->eval->items[*(const size_t *)b];
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->tax != y->tax)
        return x->tax > y->tax ? -1 : 1;
    return strcmp(c->in->buildings[x->index].code, c->in->buildings[y->index].code);
}

/* Counters by a short text key (zones, peer groups): few keys, linear search. */
struct key_count {
    const char *key;
    int n;
};

static int key_next(struct key_count *kc, size_t *nkc, const char *key)
{
    for (size_t i = 0; i < *nkc; i++)
        if (strcmp(kc[i].key, key) == 0)
            return ++kc[i].n;
    kc[*nkc] = (struct key_count){key, 1};
    (*nkc)++;
    return 1;
}

static void score_building(const struct building_config *cfg, struct building_result *r)
{
    double values[BUILDING_IND_COUNT] = {r->tax_per_m2, r->gdp_per_m2, r->occupancy, r->tax_yoy};
    double wsum = 0;
    for (int i = 0; i < BUILDING_IND_COUNT; i++)
        if (!isnan(values[i]))
            wsum += cfg->ind[i].weight;
    r->score = 0;
    for (int i = 0; i < BUILDING_IND_COUNT; i++) {
        struct building_score_part *p = &r->parts[i];
        p->value = values[i];
        p->score = building_indicator_score(values[i], &cfg->ind[i]);
        /* An indicator the building has no figure for (no year before: no 同比) is left out and
         * the other weights take its share, so a new building is judged on what it has. */
        p->weight = isnan(values[i]) || wsum <= 0 ? 0 : cfg->ind[i].weight / wsum;
        p->points = p->weight * p->score;
        r->score += p->points;
    }
    r->score = round(r->score * 100) / 100;
    snprintf(r->grade, sizeof r->grade, "%s",
             cfg->ngrades ? cfg->grades[cfg->ngrades - 1].grade : "");
    for (size_t g = 0; g < cfg->ngrades; g++)
        if (r->score >= cfg->grades[g].min_score) {
            snprintf(r->grade, sizeof r->grade, "%s", cfg->grades[g].grade);
            break;
        }
}

void building_evaluate(const struct building_eval_input *in, const struct building_config *cfg,
                       int year, struct building_eval *out)
{
    size_t nb = in->nbuildings;
    memset(out, 0, sizeof(*out));
    out->year = year;
    out->len = nb;
    out->items = xcalloc(nb + 1, sizeof(*out->items));
    out->order = xcalloc(nb + 1, sizeof(size_t));
    struct id_index *bmap = id_map(in->buildings, nb, sizeof(struct building));
    struct id_index *emap =
        id_map(in->enterprises, in->nenterprises, sizeof(struct building_enterprise));
    struct year_sums cur = {0}, prev = {0};
    attribute_year(in, bmap, emap, year, &cur);
    attribute_year(in, bmap, emap, year - 1, &prev);
    for (size_t b = 0; b < nb; b++) {
        const struct building *bd = &in->buildings[b];
        struct building_result *r = &out->items[b];
        r->index = b;
        r->tax = cur.tax[b];
        r->value_added = cur.va[b];
        r->revenue = cur.rev[b];
        r->tax_prev = prev.tax[b];
        r->has_prev = prev.has_fig[b];
        r->tax_per_m2 = r->tax / bd->gfa_m2;
        r->gdp_per_m2 = r->value_added / bd->gfa_m2;
        r->leased_m2 = cur.leased[b] < bd->leasable_m2 ? cur.leased[b] : bd->leasable_m2;
        r->occupancy = r->leased_m2 / bd->leasable_m2;
        r->vacancy = 1 - r->occupancy;
        r->tax_yoy = r->has_prev && r->tax_prev > 0 ? (r->tax - r->tax_prev) / r->tax_prev : NAN;
        r->tier = building_tier_of(r->tax, cfg->near_ratio);
        snprintf(r->peer, sizeof r->peer, "%s·%s", bd->grade, building_size_band(bd->gfa_m2));
    }
    /* tenants, concentration over the 门类 by leased area, operating-not-registered */
    bool *reg_here_op = xcalloc(in->nenterprises + 1, sizeof(bool));
    for (size_t i = 0; i < cur.nact;) {
        size_t b = cur.act[i].b;
        double area[NSECTIONS] = {0}, total = 0;
        struct building_result *r = &out->items[b];
        while (i < cur.nact && cur.act[i].b == b) {
            size_t e = cur.act[i].e;
            double a = 0;
            while (i < cur.nact && cur.act[i].b == b && cur.act[i].e == e)
                a += cur.act[i++].area;
            const struct building_enterprise *en = &in->enterprises[e];
            r->tenants++;
            int s = section_index(en->industry[0]);
            if (s >= 0) {
                area[s] += a;
                total += a;
            }
            if (en->registered_building == in->buildings[b].id)
                reg_here_op[e] = true;
            else
                r->operating_not_registered++;
        }
        for (size_t s = 0; s < NSECTIONS && total > 0; s++) {
            double sh = area[s] / total;
            r->hhi += sh * sh; /* Herfindahl-Hirschman index over the shares, 0..1 */
            if (sh > r->top_share) {
                r->top_share = sh;
                snprintf(r->top_industry, sizeof r->top_industry, "%c", sections[s].section);
            }
        }
    }
    for (size_t e = 0; e < in->nenterprises; e++) {
        long b = id_find(bmap, nb, in->enterprises[e].registered_building);
        if (b >= 0 && !reg_here_op[e])
            out->items[b].registered_not_operating++;
    }
    free(reg_here_op);
    const char *lowest = cfg->ngrades ? cfg->grades[cfg->ngrades - 1].grade : "";
    for (size_t b = 0; b < nb; b++) {
        struct building_result *r = &out->items[b];
        score_building(cfg, r);
        /* the seed's three actions: 提升成熟亿元楼, 助推准亿元楼晋级, 腾笼换鸟 */
        if (r->tier >= BUILDING_TIER_10E8)
            r->advice = "提升成熟亿元楼";
        else if (r->tier == BUILDING_TIER_NEAR_10E8)
            r->advice = "助推准亿元楼晋级";
        else if (cfg->ngrades > 1 && strcmp(r->grade, lowest) == 0)
            r->advice = "腾笼换鸟";
        else
            r->advice = "";
        out->order[b] = b;
    }
    struct rank_ctx rc = {out, in};
    qsort_r(out->order, nb, sizeof(size_t), rank_cmp, &rc); /* glibc: no global sort state */
    struct key_count *zones = xcalloc(nb + 1, sizeof(*zones)),
                     *peers = xcalloc(nb + 1, sizeof(*peers)),
                     *streets = xcalloc(nb + 1, sizeof(*streets));
    size_t nz = 0, np = 0, ns = 0;
    for (size_t k = 0; k < nb; k++) {
        struct building_result *r = &out->items[out->order[k]];
        r->rank = (int)k + 1;
        r->zone_rank = key_next(zones, &nz, in->buildings[r->index].zone);
        r->peer_rank = key_next(peers, &np, r->peer);
        /* a street center reads its own buildings' order, not gaps in the district's */
        r->street_rank = key_next(streets, &ns, in->buildings[r->index].street);
    }
    free(streets);
    free(zones);
    free(peers);
    year_sums_release(&cur);
    year_sums_release(&prev);
    free(bmap);
    free(emap);
}

void building_eval_release(struct building_eval *e)
{
    if (!e)
        return;
    free(e->items);
    free(e->order);
    memset(e, 0, sizeof(*e));
}

void building_district_sum(const struct building_eval_input *in, const struct building_eval *e,
                           bool (*keep)(void *ctx, const struct building *b), void *ctx,
                           struct building_district *out)
{
    memset(out, 0, sizeof(*out));
    out->year = e->year;
    bool *kept = xcalloc(in->nbuildings + 1, sizeof(bool));
    for (size_t i = 0; i < e->len; i++) {
        const struct building_result *r = &e->items[i];
        const struct building *b = &in->buildings[r->index];
        if (keep && !keep(ctx, b))
            continue;
        kept[r->index] = true;
        out->buildings++;
        out->tiers[r->tier]++;
        /* a 准 tier lies above the lower threshold: 准亿元楼 are 千万元级 */
        out->at_least_10e8 += r->tier >= BUILDING_TIER_10E8;
        out->at_least_10e7 += r->tier >= BUILDING_TIER_10E7;
        out->band_10e7 += r->tier >= BUILDING_TIER_10E7 && r->tier < BUILDING_TIER_10E8;
        out->tax += r->tax;
        out->value_added += r->value_added;
        out->gfa_m2 += b->gfa_m2;
        out->leasable_m2 += b->leasable_m2;
        out->leased_m2 += r->leased_m2;
    }
    out->tax_per_m2 = out->gfa_m2 > 0 ? out->tax / out->gfa_m2 : NAN;
    out->gdp_per_m2 = out->gfa_m2 > 0 ? out->value_added / out->gfa_m2 : NAN;
    out->vacancy_rate =
        out->leasable_m2 > 0 ? (out->leasable_m2 - out->leased_m2) / out->leasable_m2 : NAN;
    /* 招商落地率: of the enterprises introduced in the year (into a kept building), those with a
     * lease that began by the year's end */
    struct id_index *bmap = id_map(in->buildings, in->nbuildings, sizeof(struct building));
    struct id_index *emap =
        id_map(in->enterprises, in->nenterprises, sizeof(struct building_enterprise));
    int32_t day = e->year * 10000 + 1231;
    bool *landed = xcalloc(in->nenterprises + 1, sizeof(bool));
    for (size_t i = 0; i < in->nleases; i++) {
        int32_t from = building_date_parse(in->leases[i].start_date);
        long en = id_find(emap, in->nenterprises, in->leases[i].enterprise_id);
        if (en >= 0 && from > 0 && from <= day)
            landed[en] = true;
    }
    for (size_t i = 0; i < in->nenterprises; i++) {
        const struct building_enterprise *en = &in->enterprises[i];
        if (en->intro_year != e->year)
            continue;
        long b = id_find(bmap, in->nbuildings, en->intro_building);
        if (b < 0 || !kept[b])
            continue;
        out->introduced++;
        out->landed += landed[i];
    }
    out->landing_rate = out->introduced ? (double)out->landed / out->introduced : NAN;
    free(landed);
    free(bmap);
    free(emap);
    free(kept);
}
