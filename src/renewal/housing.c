/* The 保障性租赁住房 register: units with the policy checks a district reports (small units as the
 * majority, rent within the share of the market rent, distance to the nearest rail station,
 * business district, campus and hospital). */
#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
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
