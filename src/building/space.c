/* The building economy's public side: finding vacant office space over one year's evaluation
 * (the industries of each building's tenants by leased area) and the 入驻意向 an enterprise
 * leaves, checked field by field, audited, followed up by the staff in whose jurisdiction the
 * building lies. */
#include "building/space.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "building/building_store.h"
#include "building/space_store.h"
#include "core/clock.h"
#include "core/xalloc.h"

/* ---- 找写字楼 --------------------------------------------------------------------------- */

#define NSECTIONS 20 /* GB/T 4754-2017 门类 A..T */

static const char *const grades[] = {"超甲级", "甲级", "乙级", "丙级"};

/* The enterprise with id in d (its enterprises are in id order); -1 when none. */
static long enterprise_at(const struct building_data *d, int64_t id)
{
    size_t lo = 0, hi = d->enterprises.len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->enterprises.items[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->enterprises.len && d->enterprises.items[lo].id == id ? (long)lo : -1;
}

static int check_filter(const struct building_report *r, const struct building_space_filter *f,
                        struct app_error *err)
{
    if (f->zone && *f->zone && !building_report_zone(r, f->zone))
        return app_fail(err, APP_ERR_INVALID, "unknown_zone", "zone", "没有这个功能区");
    if (f->grade && *f->grade) {
        bool ok = false;
        for (size_t g = 0; g < sizeof grades / sizeof grades[0]; g++)
            ok |= strcmp(f->grade, grades[g]) == 0;
        if (!ok)
            return app_fail(err, APP_ERR_INVALID, "unknown_grade", "grade",
                            "等级应为超甲级、甲级、乙级或丙级");
    }
    if (f->industry && *f->industry && !building_industry_valid(f->industry))
        return app_fail(err, APP_ERR_INVALID, "unknown_industry", "industry",
                        "行业应为国民经济行业分类（GB/T 4754-2017）的门类");
    if (!isfinite(f->min_m2) || f->min_m2 < 0 || f->min_m2 > 1e6)
        return app_fail(err, APP_ERR_INVALID, "bad_area", "min_m2",
                        "面积应在 0 至 1,000,000 m² 之间");
    return 0;
}

static int space_cmp(const void *a, const void *b)
{
    const struct building_space_item *x = a, *y = b;
    if (x->industry_share != y->industry_share)
        return x->industry_share > y->industry_share ? -1 : 1;
    if (x->vacant_m2 != y->vacant_m2)
        return x->vacant_m2 > y->vacant_m2 ? -1 : 1;
    return x->building < y->building ? -1 : x->building > y->building;
}

int building_space_find(const struct building_report *r, const struct building_space_filter *f,
                        struct building_space_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (check_filter(r, f, err))
        return -1;
    const struct building_data *d = &r->data;
    size_t nb = d->buildings.len;
    int32_t day = r->year * 10000 + 1231;
    /* leased area per building and 门类 at the year's end */
    double *area = xcalloc(nb * NSECTIONS + 1, sizeof(double));
    for (size_t i = 0; i < d->leases.len; i++) {
        const struct building_lease *l = &d->leases.items[i];
        if (!building_lease_active(l, day))
            continue;
        long e = enterprise_at(d, l->enterprise_id);
        long b = -1;
        for (size_t k = 0; k < nb && b < 0; k++) /* few hundred buildings: a scan is enough */
            if (d->buildings.items[k].id == l->building_id)
                b = (long)k;
        char s = e >= 0 ? d->enterprises.items[e].industry[0] : 0;
        if (b >= 0 && s >= 'A' && s < 'A' + NSECTIONS)
            area[(size_t)b * NSECTIONS + (size_t)(s - 'A')] += l->area_m2;
    }
    int want = f->industry && *f->industry ? f->industry[0] - 'A' : -1;
    out->items = xcalloc(nb + 1, sizeof(*out->items));
    out->cap = nb + 1;
    for (size_t b = 0; b < nb; b++) {
        const struct building *bd = &d->buildings.items[b];
        const struct building_result *x = &r->eval.items[b];
        double vacant = bd->leasable_m2 - x->leased_m2;
        if ((f->zone && *f->zone && strcmp(bd->zone, f->zone)) ||
            (f->grade && *f->grade && strcmp(bd->grade, f->grade)) || vacant < f->min_m2 ||
            vacant <= 0)
            continue;
        const double *a = &area[b * NSECTIONS];
        double total = 0;
        for (int s = 0; s < NSECTIONS; s++)
            total += a[s];
        if (want >= 0 && !(a[want] > 0))
            continue;
        struct building_space_item *it = &out->items[out->len++];
        *it = (struct building_space_item){.building = b,
                                           .vacant_m2 = vacant,
                                           .occupancy = x->occupancy,
                                           .tenants = x->tenants,
                                           .industry_share = want >= 0 ? a[want] / total : 0};
        /* the three largest 门类 by leased area ("上下楼即是上下游") */
        bool used[NSECTIONS] = {false};
        for (size_t t = 0; t < BUILDING_SPACE_TOP && total > 0; t++) {
            int best = -1;
            for (int s = 0; s < NSECTIONS; s++)
                if (!used[s] && a[s] > 0 && (best < 0 || a[s] > a[best]))
                    best = s;
            if (best < 0)
                break;
            used[best] = true;
            snprintf(it->top[t].section, sizeof it->top[t].section, "%c", 'A' + best);
            it->top[t].share = a[best] / total;
            it->ntop++;
        }
    }
    free(area);
    qsort(out->items, out->len, sizeof(*out->items), space_cmp);
    return 0;
}

/* ---- 入驻意向 ----------------------------------------------------------------------------- */

static const struct {
    const char *code, *name;
} statuses[BUILDING_INQUIRY_STATUS_COUNT] = {
    [BUILDING_INQUIRY_NEW] = {"new", "待联系"},
    [BUILDING_INQUIRY_CONTACTED] = {"contacted", "已联系"},
    [BUILDING_INQUIRY_SIGNED] = {"signed", "已签约"},
    [BUILDING_INQUIRY_LOST] = {"lost", "未成交"},
};

const char *building_inquiry_status_code(enum building_inquiry_status s)
{
    return s < BUILDING_INQUIRY_STATUS_COUNT ? statuses[s].code : "";
}

const char *building_inquiry_status_name(enum building_inquiry_status s)
{
    return s < BUILDING_INQUIRY_STATUS_COUNT ? statuses[s].name : "";
}

int building_inquiry_status_parse(const char *s)
{
    for (int i = 0; s && i < BUILDING_INQUIRY_STATUS_COUNT; i++)
        if (strcmp(s, statuses[i].code) == 0)
            return i;
    return -1;
}

bool building_inquiry_next_ok(enum building_inquiry_status from, enum building_inquiry_status to)
{
    switch (from) {
    case BUILDING_INQUIRY_NEW:
        return to != BUILDING_INQUIRY_NEW && to < BUILDING_INQUIRY_STATUS_COUNT;
    case BUILDING_INQUIRY_CONTACTED:
        return to == BUILDING_INQUIRY_SIGNED || to == BUILDING_INQUIRY_LOST;
    default:
        return false; /* 已签约 and 未成交 are final */
    }
}

/* Characters (code points) of UTF-8 text. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool mobile_ok(const char *p)
{
    if (!p || strlen(p) != 11 || p[0] != '1')
        return false;
    for (int i = 0; i < 11; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static int check_inquiry(const struct building_inquiry_input *in, struct app_error *err)
{
    if (!in->enterprise_name || !*in->enterprise_name || utf8_chars(in->enterprise_name) > 60)
        return app_fail(err, APP_ERR_INVALID, "required", "enterprise_name",
                        "请填写企业名称（60 字以内）");
    if (in->uscc && *in->uscc) {
        struct building_uscc_result u;
        if (!building_uscc_check(in->uscc, &u)) {
            if (u.reason == BUILDING_USCC_CHECK)
                return app_fail(err, APP_ERR_INVALID, "bad_uscc", "uscc",
                                "统一社会信用代码校验码不符：第 18 位应为 %c，填写的是 %c",
                                u.expected, u.found);
            if (u.reason == BUILDING_USCC_CHARSET)
                return app_fail(err, APP_ERR_INVALID, "bad_uscc", "uscc",
                                "统一社会信用代码第 %d 位不是有效字符（不含 I、O、S、V、Z）",
                                u.bad_position);
            return app_fail(err, APP_ERR_INVALID, "bad_uscc", "uscc",
                            "统一社会信用代码应为 18 位，填写了 %zu 位", u.length);
        }
    }
    if (in->industry && *in->industry && !building_industry_valid(in->industry))
        return app_fail(err, APP_ERR_INVALID, "unknown_industry", "industry", "请选择所属行业");
    if (!isfinite(in->area_m2) || in->area_m2 <= 0 || in->area_m2 > 100000)
        return app_fail(err, APP_ERR_INVALID, "bad_area", "area_m2",
                        "需求面积应在 0 至 100,000 m² 之间");
    if (!in->contact || !*in->contact || utf8_chars(in->contact) > 20)
        return app_fail(err, APP_ERR_INVALID, "required", "contact", "请填写联系人（20 字以内）");
    if (!mobile_ok(in->phone))
        return app_fail(err, APP_ERR_INVALID, "bad_phone", "phone", "请填写 11 位手机号码");
    if (in->note && strlen(in->note) > 200)
        return app_fail(err, APP_ERR_INVALID, "too_long", "note", "说明过长（200 字节以内）");
    return 0;
}

int building_inquiry_create(struct db *db, const char *request_id,
                            const struct building_inquiry_input *in, int64_t *id,
                            struct app_error *err)
{
    struct building b;
    bool found = false;
    if (!in->building || !*in->building)
        return app_fail(err, APP_ERR_INVALID, "required", "building", "请选择楼宇");
    if (building_store_get(db, in->building, &b, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_INVALID, "unknown_building", "building", "没有这栋楼宇");
    if (check_inquiry(in, err))
        return -1;
    if (db_begin(db, err))
        return -1;
    char sid[24], after[256];
    if (building_space_store_insert(db, b.id, in, clock_now(), id, err))
        goto fail;
    snprintf(sid, sizeof sid, "%lld", (long long)*id);
    snprintf(after, sizeof after, "building=%s;area_m2=%.0f;uscc=%s", b.code, in->area_m2,
             in->uscc ? in->uscc : "");
    struct audit_entry e = {.action = "building.inquiry",
                            .object_type = "building_inquiry",
                            .object_id = sid,
                            .request_id = request_id,
                            .after = after,
                            .region = b.grid[0] ? b.grid : b.street};
    if (audit_append(db, &e, err))
        goto fail;
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

static bool inquiry_in_scope(const struct auth_principal *who, const struct building_inquiry *q)
{
    return auth_region_in_scope(who, q->grid[0] ? q->grid : q->street);
}

int building_inquiry_list(struct db *db, const struct auth_principal *who, const char *status,
                          struct building_inquiry_list *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (status && *status && building_inquiry_status_parse(status) < 0)
        return app_fail(err, APP_ERR_INVALID, "unknown_status", "status", "没有这个状态");
    if (building_space_store_list(db, status && *status ? status : NULL, out, err))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (inquiry_in_scope(who, &out->items[i]))
            out->items[k++] = out->items[i];
    out->len = k;
    return 0;
}

int building_inquiry_set_status(struct db *db, const struct auth_principal *who,
                                const char *request_id, int64_t id, const char *status,
                                struct building_inquiry *out, struct app_error *err)
{
    struct building_inquiry q;
    bool found = false;
    int to = building_inquiry_status_parse(status);
    if (to < 0)
        return app_fail(err, APP_ERR_INVALID, "unknown_status", "status", "没有这个状态");
    if (db_begin(db, err))
        return -1;
    if (building_space_store_get(db, id, &q, &found, err))
        goto fail;
    if (!found || !inquiry_in_scope(who, &q)) {
        app_fail(err, APP_ERR_NOT_FOUND, "unknown_inquiry", "id", "没有这条入驻意向");
        goto fail;
    }
    int from = building_inquiry_status_parse(q.status);
    if (from < 0 || !building_inquiry_next_ok((enum building_inquiry_status)from,
                                              (enum building_inquiry_status)to)) {
        app_fail(err, APP_ERR_CONFLICT, "bad_transition", "status", "“%s”的意向不能改为“%s”",
                 building_inquiry_status_name((enum building_inquiry_status)(from < 0 ? 0 : from)),
                 building_inquiry_status_name((enum building_inquiry_status)to));
        goto fail;
    }
    int64_t now = clock_now();
    if (building_space_store_set_status(db, id, status, now, err))
        goto fail;
    char sid[24], before[32], after[32];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    snprintf(before, sizeof before, "status=%s", q.status);
    snprintf(after, sizeof after, "status=%s", status);
    struct audit_entry e = {.actor = who,
                            .action = "building.inquiry_status",
                            .object_type = "building_inquiry",
                            .object_id = sid,
                            .request_id = request_id,
                            .before = before,
                            .after = after,
                            .region = q.grid[0] ? q.grid : q.street};
    if (audit_append(db, &e, err))
        goto fail;
    if (db_commit(db, err))
        return -1; /* db_commit rolled back */
    if (out) {
        *out = q;
        snprintf(out->status, sizeof out->status, "%s", status);
        out->updated_at = now;
    }
    return 0;
fail:
    db_rollback(db);
    return -1;
}
