/* Surface water per GB 3838-2002: class of each item and single-factor class of a sample
 * (Ⅰ-Ⅴ, 劣Ⅴ) with the deciding items, the qualitative grade, compliance with a target class and
 * 超标倍数, per the 地表水环境质量评价办法（试行）. Pure functions; values in millionths of mg/L
 * (pH dimensionless, faecal coliforms per L), see monitor/dec.h. */
#ifndef MONITOR_WATER_H
#define MONITOR_WATER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* GB 3838-2002 表1 basic items (water temperature is not a class item). */
enum monitor_water_item {
    MONITOR_WATER_PH,
    MONITOR_WATER_DO,
    MONITOR_WATER_CODMN,
    MONITOR_WATER_COD,
    MONITOR_WATER_BOD5,
    MONITOR_WATER_NH3N,
    MONITOR_WATER_TP,
    MONITOR_WATER_TN,
    MONITOR_WATER_CU,
    MONITOR_WATER_ZN,
    MONITOR_WATER_F,
    MONITOR_WATER_SE,
    MONITOR_WATER_AS,
    MONITOR_WATER_HG,
    MONITOR_WATER_CD,
    MONITOR_WATER_CR6,
    MONITOR_WATER_PB,
    MONITOR_WATER_CN,
    MONITOR_WATER_PHENOL,
    MONITOR_WATER_PETROLEUM,
    MONITOR_WATER_LAS,
    MONITOR_WATER_SULFIDE,
    MONITOR_WATER_FECAL_COLIFORM,
    MONITOR_WATER_ITEM_COUNT
};

enum monitor_water_body {
    MONITOR_WATER_RIVER,
    MONITOR_WATER_LAKE, /* lakes and reservoirs: stricter TP limits */
};

/* Classes 1..5 are Ⅰ..Ⅴ; 6 is 劣Ⅴ. */
#define MONITOR_WATER_WORSE_V 6

/* Item names: "pH", "DO", "CODMn", "COD", "BOD5", "NH3-N", "TP", "TN", "Cu", "Zn", "F", "Se",
 * "As", "Hg", "Cd", "Cr6", "Pb", "CN", "phenol", "petroleum", "LAS", "sulfide",
 * "fecal_coliform". monitor_water_item_parse returns 0, or -1 with APP_ERR_INVALID
 * ("unknown_item", field "item"). */
const char *monitor_water_item_name(enum monitor_water_item item);
int monitor_water_item_parse(const char *name, enum monitor_water_item *out, struct app_error *err);

/* Class name "Ⅰ" .. "Ⅴ", "劣Ⅴ" of cls 1..6. */
const char *monitor_water_class_name(int cls);
/* Qualitative grade: Ⅰ-Ⅱ 优, Ⅲ 良好, Ⅳ 轻度污染, Ⅴ 中度污染, 劣Ⅴ 重度污染. */
const char *monitor_water_grade(int cls);

/* The limit of an item for class cls (1..5) in millionths into *out (DO: the minimum; pH: the
 * upper end 9, lower end 6). Returns 0. */
int monitor_water_limit(enum monitor_water_item item, enum monitor_water_body body, int cls,
                        int64_t *out);

/* The class (1..6) of one value (millionths, >= 0): the best class whose limit it meets — at
 * most the limit, DO at least the limit, pH within 6-9; meeting no Ⅴ limit → 劣Ⅴ. */
int monitor_water_item_class(enum monitor_water_item item, enum monitor_water_body body,
                             int64_t value);

struct monitor_water_value {
    enum monitor_water_item item;
    int64_t value;
};

struct monitor_water_item_result {
    enum monitor_water_item item;
    int64_t value;
    int cls;           /* 1..6 */
    bool evaluated;    /* counts towards the sample class (not TN, not faecal coliforms) */
    bool exceeds;      /* evaluated and worse than the target class */
    bool has_multiple; /* 超标倍数 given (not for DO and pH) */
    int64_t multiple;  /* (C - S) / S against the target limit, millionths, 2 decimals */
};

struct monitor_water_result {
    int cls;           /* worst class of the evaluated items; 0 when none was evaluated */
    unsigned deciding; /* bit (1u << item): evaluated items of that worst class */
    int target;        /* 1..5 */
    bool meets_target; /* cls <= target */
    size_t len;
    struct monitor_water_item_result items[MONITOR_WATER_ITEM_COUNT]; /* in input order */
};

/* Single-factor evaluation of one sample against target class (1..5).
 * Returns 0, or -1 with APP_ERR_INVALID: "invalid_target" (field "target"), "duplicate_item",
 * "negative_value" (field = the item name), "too_many_items". */
int monitor_water_evaluate(enum monitor_water_body body, int target,
                           const struct monitor_water_value *values, size_t n,
                           struct monitor_water_result *out, struct app_error *err);

#endif
