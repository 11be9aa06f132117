/* The standard's side of the living circle: the five service categories of the seed, the three
 * GB 50180-2018 walking levels, which (category, level) pairs are required (▲ 应配建), and the
 * mapping of OSM tags to a category and level. Pure rules over plain values. */
#include <string.h>

#include "lifecircle/lifecircle.h"

static const struct lifecircle_category categories[] = {
    /* The seed's five service types (就业创业, 学习课堂, 医疗诊室, 文化中心, 养老驿站). */
    {"employment", "就业创业"}, {"education", "学习教育"}, {"health", "医疗卫生"},
    {"culture", "文化活动"},    {"elderly", "养老服务"},
};

const struct lifecircle_category *lifecircle_categories(size_t *n)
{
    *n = sizeof(categories) / sizeof(categories[0]);
    return categories;
}

int lifecircle_category_parse(const char *s)
{
    for (size_t i = 0; s && i < sizeof(categories) / sizeof(categories[0]); i++)
        if (strcmp(s, categories[i].id) == 0 || strcmp(s, categories[i].title) == 0)
            return (int)i;
    return -1;
}

int lifecircle_level_index(int minutes)
{
    return minutes == 5 ? 0 : minutes == 10 ? 1 : minutes == 15 ? 2 : -1;
}

const int lifecircle_levels[LIFECIRCLE_LEVELS] = {5, 10, 15};

/* GB 50180-2018 Appendix B ▲ items per level (§1.2 of the reference; the tables themselves
 * are not in the store: marked unverified there). Tiers do not nest (条文说明 5.0.2): a level
 * is met only by facilities of that level. */
static const struct lifecircle_requirement requirements[] = {
    {"education", 5, "幼儿园", "GB 50180-2018 表B.0.2"},
    {"education", 10, "小学", "GB 50180-2018 表B.0.1"},
    {"education", 15, "初中", "GB 50180-2018 表B.0.1"},
    {"health", 15, "社区卫生服务中心/门诊部", "GB 50180-2018 表B.0.1"},
    {"culture", 5, "文化活动站", "GB 50180-2018 表B.0.2"},
    {"culture", 15, "文化活动中心", "GB 50180-2018 表B.0.1"},
    {"elderly", 5, "老年人日间照料中心", "GB 50180-2018 表B.0.2"},
    {"elderly", 15, "养老院", "GB 50180-2018 表B.0.1"},
    /* Not in GB 50180: TD/T 1062-2021 就业引导 at the 15-minute level (the seed's 就业创业). */
    {"employment", 15, "就业服务站", "TD/T 1062-2021 就业引导"},
};

const struct lifecircle_requirement *lifecircle_requirements(size_t *n)
{
    *n = sizeof(requirements) / sizeof(requirements[0]);
    return requirements;
}

static bool has(const char *s, const char *v)
{
    return s && strcmp(s, v) == 0;
}

bool lifecircle_classify_osm(const struct lifecircle_osm_tags *t, char *category, size_t ncat,
                             int *level, char *kind, size_t nkind)
{
    const char *cat = NULL, *k = NULL;
    int lv = 15;
    const char *sf = t->social_facility;
    if (has(t->amenity, "kindergarten") || has(t->amenity, "childcare")) {
        cat = "education", lv = 5, k = "幼儿园";
    } else if (has(t->amenity, "school")) {
        /* 小学 10 min, 初中 15 min; isced:level 2 or a name with 中学 is a middle school. */
        const char *n = t->name;
        bool middle = (t->isced && strchr(t->isced, '2')) ||
                      (n && (strstr(n, "中学") || strstr(n, "初中") || strstr(n, "Collège") ||
                             strstr(n, "Lycée")));
        if (n && (strstr(n, "maternelle") || strstr(n, "幼儿园"))) {
            cat = "education", lv = 5, k = "幼儿园";
            goto done;
        }
        cat = "education", lv = middle ? 15 : 10, k = middle ? "初中" : "小学";
    } else if (has(t->amenity, "clinic") || has(t->amenity, "doctors") ||
               has(t->amenity, "hospital") || has(t->healthcare, "centre") ||
               has(t->healthcare, "clinic") || has(t->healthcare, "hospital")) {
        cat = "health", lv = 15, k = "门诊部";
    } else if (has(t->amenity, "nursing_home")) {
        cat = "elderly", lv = 15, k = "养老院";
    } else if (has(t->amenity, "social_facility") &&
               (!t->social_for || strstr(t->social_for, "senior")) &&
               (has(sf, "day_care") || has(sf, "nursing_home") || has(sf, "assisted_living") ||
                has(sf, "group_home"))) {
        bool day = has(sf, "day_care");
        cat = "elderly", lv = day ? 5 : 15, k = day ? "老年人日间照料中心" : "养老院";
    } else if (has(t->amenity, "community_centre")) {
        cat = "culture", lv = 5, k = "文化活动站";
    } else if (has(t->amenity, "arts_centre") || has(t->amenity, "library")) {
        cat = "culture", lv = 15, k = "文化活动中心";
    } else if (has(t->office, "employment_agency")) {
        cat = "employment", lv = 15, k = "就业服务站";
    }
done:
    if (!cat)
        return false;
    snprintf(category, ncat, "%s", cat);
    snprintf(kind, nkind, "%s", k);
    *level = lv;
    return true;
}
