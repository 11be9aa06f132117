/* The 保障性租赁住房 register: units with the policy checks a district reports (small units as the
 * majority, rent within the share of the market rent, distance to the nearest rail station,
 * business district, campus and hospital). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/xalloc.h"
#include "renewal/renewal.h"
#include "renewal/renewal_store.h"

const char *const renewal_site_labels[4] = {"轨道站点", "商业商务区", "校区", "院区"};

/* Sites of Yuzhong the seed names as what 保障性租赁住房 should be near. Positions are WGS84 and
 * approximate (to about 100 m, read off public maps for the demo); docs/renewal.md says so. */
static const struct site {
    int kind;
    const char *name;
    double lon, lat;
} sites[] = {
    {0, "较场口站", 106.5760, 29.5530},
    {0, "小什字站", 106.5825, 29.5610},
    {0, "七星岗站", 106.5640, 29.5545},
    {0, "两路口站", 106.5515, 29.5510},
    {0, "牛角沱站", 106.5480, 29.5620},
    {0, "大坪站", 106.5190, 29.5410},
    {1, "解放碑中央商务区", 106.5775, 29.5585},
    {1, "大坪商圈", 106.5180, 29.5400},
    {2, "重庆医科大学袁家岗校区", 106.5130, 29.5330},
    {3, "重庆医科大学附属第一医院", 106.5110, 29.5310},
    {3, "陆军特色医学中心", 106.5170, 29.5385},
};

static void nearest(struct renewal_housing_unit *u)
{
    for (int k = 0; k < 4; k++) {
        u->nearest_m[k] = -1;
        u->nearest[k][0] = 0;
    }
    for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
        const struct site *s = &sites[i];
        double d = renewal_distance_m(u->lon, u->lat, s->lon, s->lat);
        if (u->nearest_m[s->kind] < 0 || d < u->nearest_m[s->kind]) {
            u->nearest_m[s->kind] = d;
            snprintf(u->nearest[s->kind], sizeof u->nearest[0], "%s", s->name);
        }
    }
}

int renewal_housing_list(struct db *db, const struct auth_principal *who,
                         struct renewal_housing_list *out, struct renewal_housing_report *rep,
                         struct app_error *err)
{
    const char *scope = who ? auth_scope_region(who) : "";
    memset(rep, 0, sizeof *rep);
    if (renewal_store_housing_list(db, scope ? scope : "", out, err))
        return -1;
    for (size_t i = 0; i < out->len; i++) {
        struct renewal_housing_unit *u = &out->items[i];
        u->rent_ok = renewal_rent_ok(u->rent, u->market_rent, RENEWAL_RENT_SHARE_NANO);
        nearest(u);
        rep->units++;
        rep->small += u->area <= RENEWAL_SMALL_UNIT_AREA;
        rep->occupied += u->occupied;
        rep->rent_ok += u->rent_ok;
    }
    /* the same rule as renewal_small_units_majority, over the counts */
    rep->small_majority = 2 * rep->small > rep->units;
    return 0;
}

/* ---- applicants and allocation ----------------------------------------------------------- */

const char *renewal_group_label(int group)
{
    return group == RENEWAL_GROUP_SERVICE    ? "城市基本公共服务人员"
           : group == RENEWAL_GROUP_NEWCOMER ? "新市民"
           : group == RENEWAL_GROUP_YOUTH    ? "青年人"
                                             : "";
}

int renewal_applicant_add(struct db *db, const struct auth_principal *who,
                          struct renewal_applicant_rec *a, const char *request_id,
                          struct app_error *err)
{
    if (!a->name[0])
        return app_fail(err, APP_ERR_INVALID, "required", "name", "缺少申请人姓名");
    if (!renewal_group_label(a->group)[0])
        return app_fail(err, APP_ERR_INVALID, "bad_group", "group",
                        "申请人类别应为 service（城市基本公共服务人员）、newcomer（新市民）或 "
                        "youth（青年人）");
    a->applied_at = clock_now();
    char id[24], after[160];
    if (db_begin(db, err))
        return -1;
    int rc = renewal_store_applicant_insert(db, a, &a->id, err);
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    snprintf(after, sizeof after, "group=%d;owns_housing=%d", a->group, a->owns_housing);
    struct audit_entry e = {.actor = who,
                            .action = "renewal.applicant_add",
                            .object_type = "renewal_applicant",
                            .object_id = id,
                            .request_id = request_id,
                            .after = after};
    rc = rc || audit_append(db, &e, err);
    if (rc || db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

/* Order the list: waiting (by the published priority, numbered), ineligible, housed. */
static void order_list(struct renewal_applicant_list *l)
{
    size_t n = l->len;
    struct renewal_applicant *w = xcalloc(n + 1, sizeof *w);
    size_t *idx = xcalloc(n + 1, sizeof *idx), *map = xcalloc(n + 1, sizeof *map), nw = 0;
    for (size_t i = 0; i < n; i++)
        if (!l->items[i].unit_code[0]) {
            w[nw] = (struct renewal_applicant){l->items[i].id, l->items[i].group,
                                               l->items[i].owns_housing, l->items[i].applied_at};
            map[nw++] = i;
        }
    size_t eligible = renewal_waiting_order(w, nw, idx);
    struct renewal_applicant_rec *out = xcalloc(n + 1, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < nw; i++) {
        out[k] = l->items[map[idx[i]]];
        out[k].place = i < eligible ? (int)i + 1 : 0;
        k++;
    }
    for (size_t i = 0; i < n; i++)
        if (l->items[i].unit_code[0])
            out[k++] = l->items[i];
    memcpy(l->items, out, n * sizeof *out);
    free(out);
    free(w);
    free(idx);
    free(map);
}

int renewal_applicant_list(struct db *db, struct renewal_applicant_list *out,
                           struct app_error *err)
{
    if (renewal_store_applicant_list(db, out, err))
        return -1;
    order_list(out);
    return 0;
}

int renewal_allocate(struct db *db, const struct auth_principal *who, const char *request_id,
                     int *n, struct app_error *err)
{
    struct renewal_applicant_list al = {0};
    struct renewal_housing_list hl = {0};
    struct renewal_housing_report rep;
    *n = 0;
    if (renewal_applicant_list(db, &al, err) || renewal_housing_list(db, who, &hl, &rep, err)) {
        free(al.items);
        free(hl.items);
        return -1;
    }
    int rc = db_begin(db, err);
    size_t a = 0;
    int64_t now = clock_now();
    for (size_t u = 0; !rc && u < hl.len; u++) {
        if (hl.items[u].occupied)
            continue;
        while (a < al.len && al.items[a].place == 0)
            a++;
        if (a == al.len)
            break;
        const struct renewal_applicant_rec *p = &al.items[a++];
        char id[24], after[96];
        snprintf(id, sizeof id, "%lld", (long long)p->id);
        snprintf(after, sizeof after, "unit=%s;place=%d", hl.items[u].code, p->place);
        struct audit_entry e = {.actor = who,
                                .action = "renewal.allocate",
                                .object_type = "renewal_applicant",
                                .object_id = id,
                                .request_id = request_id,
                                .after = after,
                                .region = hl.items[u].grid};
        rc = renewal_store_applicant_allocate(db, p->id, hl.items[u].code, now, err) ||
             renewal_store_housing_set_occupied(db, hl.items[u].code, true, err) ||
             audit_append(db, &e, err);
        if (!rc)
            (*n)++;
    }
    free(al.items);
    free(hl.items);
    if (rc || db_commit(db, err)) {
        db_rollback(db);
        *n = 0;
        return -1;
    }
    return 0;
}
