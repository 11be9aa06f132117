/* The pure rules of the renewal module: decimals and rates, the owners' vote of 民法典
 * 第二百七十八条 and the 保障性租赁住房 policy checks. No I/O. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "renewal/renewal.h"

int renewal_decimal_parse(const char *s, int places, int64_t max, int64_t *out, const char *field,
                          struct app_error *err)
{
    int64_t v = 0;
    int frac = -1;
    if (!s || !*s)
        return app_fail(err, APP_ERR_INVALID, "bad_number", field, "%s: 应为非负数", field);
    for (const char *p = s; *p; p++) {
        if (*p == '.' && frac < 0 && p != s && p[1]) {
            frac = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || frac >= places || v > max)
            return app_fail(err, APP_ERR_INVALID, "bad_number", field,
                            "%s: 应为至多 %d 位小数的非负数", field, places);
        v = v * 10 + (*p - '0');
        if (frac >= 0)
            frac++;
    }
    for (int f = frac < 0 ? 0 : frac; f < places; f++)
        v *= 10;
    if (v > max)
        return app_fail(err, APP_ERR_INVALID, "bad_number", field, "%s: 超出范围", field);
    *out = v;
    return 0;
}

void renewal_decimal_format(int64_t v, int places, char *out, size_t size)
{
    int64_t scale = 1;
    for (int i = 0; i < places; i++)
        scale *= 10;
    const char *sign = v < 0 ? "-" : "";
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (places == 0)
        snprintf(out, size, "%s%llu", sign, (unsigned long long)a);
    else
        snprintf(out, size, "%s%llu.%0*llu", sign, (unsigned long long)(a / (uint64_t)scale),
                 places, (unsigned long long)(a % (uint64_t)scale));
}

int renewal_money_parse(const char *s, int64_t *fen, const char *field, struct app_error *err)
{
    bool neg = s && *s == '-';
    if (renewal_decimal_parse(s ? s + neg : s, 2, INT64_C(1000000000000000), fen, field, err))
        return app_fail(err, APP_ERR_INVALID, "bad_money", field,
                        "%s: 应为金额（元，至多两位小数）", field);
    if (neg)
        *fen = -*fen;
    return 0;
}

int renewal_rate_parse(const char *s, int64_t *nano, const char *field, struct app_error *err)
{
    char buf[40];
    bool neg = false, pct = false;
    if (!s || !*s || strlen(s) >= sizeof buf)
        return app_fail(err, APP_ERR_INVALID, "bad_rate", field,
                        "%s: 应为小数 (0.045) 或百分数 (4.5%%)", field);
    if (*s == '-') {
        neg = true;
        s++;
    }
    snprintf(buf, sizeof buf, "%s", s);
    size_t len = strlen(buf);
    if (len && buf[len - 1] == '%') {
        pct = true;
        buf[len - 1] = 0;
    }
    int64_t v;
    if (renewal_decimal_parse(buf, pct ? 7 : 9, INT64_C(100) * RENEWAL_RATE_ONE, &v, field, err))
        return app_fail(err, APP_ERR_INVALID, "bad_rate", field,
                        "%s: 应为小数 (0.045) 或百分数 (4.5%%)，至多 9 位有效小数", field);
    if (neg)
        v = -v;
    if (v <= -RENEWAL_RATE_ONE * 99 / 100 || v > 10 * RENEWAL_RATE_ONE)
        return app_fail(err, APP_ERR_INVALID, "bad_rate", field, "%s: 应在 -99%% 到 1000%% 之间",
                        field);
    *nano = v;
    return 0;
}

/* ---- 民法典 第二百七十八条 ------------------------------------------------------------------ */

int renewal_matter_parse(const char *s, enum renewal_matter *out)
{
    if (s && (strcmp(s, "major") == 0 || strcmp(s, "重大事项") == 0))
        *out = RENEWAL_MATTER_MAJOR;
    else if (s && (strcmp(s, "ordinary") == 0 || strcmp(s, "一般事项") == 0))
        *out = RENEWAL_MATTER_ORDINARY;
    else
        return -1;
    return 0;
}

const char *renewal_matter_name(enum renewal_matter m)
{
    return m == RENEWAL_MATTER_MAJOR ? "major" : "ordinary";
}

static const char *const vote_names[] = {"yes", "no", "abstain", "absent"};
static const char *const vote_labels[] = {"同意", "反对", "弃权", "未参与"};

int renewal_vote_parse(const char *s, enum renewal_vote *out)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, vote_names[i]) == 0 || strcmp(s, vote_labels[i]) == 0) {
            *out = (enum renewal_vote)i;
            return 0;
        }
    return -1;
}

const char *renewal_vote_name(enum renewal_vote v)
{
    return (unsigned)v < 4 ? vote_names[v] : "absent";
}

const char *renewal_vote_label(enum renewal_vote v)
{
    return (unsigned)v < 4 ? vote_labels[v] : "未参与";
}

/* qsort_r comparators over indices into the ballots (reentrant: server threads tally at once) */
static int by_owner(const void *a, const void *b, void *ctx)
{
    const struct renewal_ballot *base = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(base[i].owner, base[j].owner);
    return c ? c : (i > j) - (i < j);
}

static int by_unit(const void *a, const void *b, void *ctx)
{
    const struct renewal_ballot *base = ctx;
    return strcmp(base[*(const size_t *)a].unit, base[*(const size_t *)b].unit);
}

int renewal_tally(const struct renewal_ballot *b, size_t n, enum renewal_matter matter,
                  int64_t building_area, struct renewal_tally *out, struct app_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return app_fail(err, APP_ERR_INVALID, "no_units", "units", "表决须列出全部专有部分");
    for (size_t i = 0; i < n; i++) {
        if (b[i].area <= 0)
            return app_fail(err, APP_ERR_INVALID, "bad_area", "area", "%s: 专有部分面积应大于 0",
                            b[i].unit);
        if (!b[i].unit[0])
            return app_fail(err, APP_ERR_INVALID, "bad_unit", "unit", "房号不能为空");
        if (!b[i].owner[0])
            return app_fail(err, APP_ERR_INVALID, "bad_owner", "owner", "%s: 业主不能为空",
                            b[i].unit);
        if ((unsigned)b[i].vote > RENEWAL_VOTE_ABSENT)
            return app_fail(err, APP_ERR_INVALID, "bad_vote", "vote", "%s: 表决意见无效",
                            b[i].unit);
        if (out->total_area > INT64_MAX / 8 - b[i].area)
            return app_fail(err, APP_ERR_INVALID, "bad_area", "area", "面积合计超出范围");
        out->total_area += b[i].area;
    }
    if (building_area > 0 && out->total_area > building_area)
        return app_fail(err, APP_ERR_INVALID, "area_exceeds_building", "area",
                        "专有部分面积合计大于建筑物的专有部分总面积");
    size_t *idx = xmalloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof *idx, by_unit, (void *)b);
    for (size_t i = 1; i < n; i++)
        if (strcmp(b[idx[i]].unit, b[idx[i - 1]].unit) == 0) {
            app_fail(err, APP_ERR_INVALID, "duplicate_unit", "unit", "%s: 房号重复",
                     b[idx[i]].unit);
            free(idx);
            return -1;
        }
    qsort_r(idx, n, sizeof *idx, by_owner, (void *)b);
    /* One owner, one person: walk the owners' runs. */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int64_t area = 0;
        enum renewal_vote v = b[idx[i]].vote;
        for (; j < n && strcmp(b[idx[j]].owner, b[idx[i]].owner) == 0; j++) {
            if (b[idx[j]].vote != v) {
                app_fail(err, APP_ERR_INVALID, "owner_split_vote", "vote",
                         "%s: 同一业主的多套专有部分表决意见不一致 (%s)", b[idx[j]].owner,
                         b[idx[j]].unit);
                free(idx);
                return -1;
            }
            area += b[idx[j]].area;
        }
        out->total_owners++;
        if (v != RENEWAL_VOTE_ABSENT) {
            out->part_area += area;
            out->part_owners++;
        }
        if (v == RENEWAL_VOTE_YES) {
            out->yes_area += area;
            out->yes_owners++;
        } else if (v == RENEWAL_VOTE_NO) {
            out->no_area += area;
            out->no_owners++;
        } else if (v == RENEWAL_VOTE_ABSTAIN) {
            out->abstain_area += area;
            out->abstain_owners++;
        }
        i = j;
    }
    free(idx);
    /* 第二百七十八条第二款: 应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主
     * 参与表决; 以上 includes the bound (第一千二百五十九条). */
    out->quorum = 3 * out->part_area >= 2 * out->total_area &&
                  3 * (int64_t)out->part_owners >= 2 * (int64_t)out->total_owners;
    if (matter == RENEWAL_MATTER_MAJOR)
        /* 第(六)项至第(八)项: 应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三
         * 以上的业主同意. */
        out->approved = out->part_owners > 0 && 4 * out->yes_area >= 3 * out->part_area &&
                        4 * (int64_t)out->yes_owners >= 3 * (int64_t)out->part_owners;
    else
        /* 其他事项: 应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意;
         * 过半数 is more than half, so exactly half fails. */
        out->approved = 2 * out->yes_area > out->part_area &&
                        2 * (int64_t)out->yes_owners > (int64_t)out->part_owners;
    out->passed = out->quorum && out->approved;
    return 0;
}

/* ---- 保障性租赁住房 -------------------------------------------------------------------------- */

bool renewal_small_units_majority(const int64_t *area, size_t n, size_t *small)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (area[i] <= RENEWAL_SMALL_UNIT_AREA) /* 不超过 70 平方米: 70.00 itself is small */
            k++;
    if (small)
        *small = k;
    return 2 * k > n;
}

bool renewal_rent_ok(int64_t rent, int64_t market, int64_t share_nano)
{
    /* rent <= market × share, in exact integers (128-bit against overflow) */
    __extension__ typedef __int128 wide;
    return (wide)rent * RENEWAL_RATE_ONE <= (wide)market * share_nano;
}

double renewal_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371008.8, d = M_PI / 180;
    double dlat = (lat2 - lat1) * d, dlon = (lon2 - lon1) * d;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * d) * cos(lat2 * d) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

static int by_priority(const void *pa, const void *pb, void *ctx)
{
    const struct renewal_applicant *base = ctx;
    const struct renewal_applicant *a = &base[*(const size_t *)pa], *b = &base[*(const size_t *)pb];
    if (a->owns_housing != b->owns_housing)
        return a->owns_housing ? 1 : -1;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->applied_at != b->applied_at)
        return a->applied_at < b->applied_at ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

size_t renewal_waiting_order(const struct renewal_applicant *a, size_t n, size_t *idx)
{
    size_t eligible = 0;
    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
        if (!a[i].owns_housing)
            eligible++;
    }
    qsort_r(idx, n, sizeof *idx, by_priority, (void *)a);
    return eligible;
}
