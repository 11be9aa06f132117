/* GB 3838-2002 表1 limits and the single-factor evaluation of the 地表水环境质量评价办法（试行）
 * (环办〔2011〕22号) (see water.h). All comparisons are on exact integers in millionths. */
#include "monitor/water.h"

#include <assert.h>
#include <string.h>

#include "monitor/dec.h"

enum kind { AT_MOST, AT_LEAST, PH_RANGE };

/* Limits in millionths of mg/L (faecal coliforms: millionths of 个/L), classes Ⅰ..Ⅴ. */
#define M(x) ((int64_t)((x)*1000000.0 + 0.5)) /* constants only: every one is exact in µ */

static const struct {
    const char *name;
    enum kind kind;
    bool evaluated; /* 评价办法: rivers use 21 items, not water temperature, TN, faecal coliforms */
    int64_t limit[5];
} items[MONITOR_WATER_ITEM_COUNT] = {
    [MONITOR_WATER_PH] = {"pH", PH_RANGE, true, {M(9), M(9), M(9), M(9), M(9)}},
    /* DO Ⅰ: 7.5 mg/L (the alternative "饱和率 90 %" is not modelled) */
    [MONITOR_WATER_DO] = {"DO", AT_LEAST, true, {M(7.5), M(6), M(5), M(3), M(2)}},
    [MONITOR_WATER_CODMN] = {"CODMn", AT_MOST, true, {M(2), M(4), M(6), M(10), M(15)}},
    [MONITOR_WATER_COD] = {"COD", AT_MOST, true, {M(15), M(15), M(20), M(30), M(40)}},
    [MONITOR_WATER_BOD5] = {"BOD5", AT_MOST, true, {M(3), M(3), M(4), M(6), M(10)}},
    [MONITOR_WATER_NH3N] = {"NH3-N", AT_MOST, true, {M(0.15), M(0.5), M(1.0), M(1.5), M(2.0)}},
    [MONITOR_WATER_TP] = {"TP", AT_MOST, true, {M(0.02), M(0.1), M(0.2), M(0.3), M(0.4)}},
    [MONITOR_WATER_TN] = {"TN", AT_MOST, false, {M(0.2), M(0.5), M(1.0), M(1.5), M(2.0)}},
    [MONITOR_WATER_CU] = {"Cu", AT_MOST, true, {M(0.01), M(1.0), M(1.0), M(1.0), M(1.0)}},
    [MONITOR_WATER_ZN] = {"Zn", AT_MOST, true, {M(0.05), M(1.0), M(1.0), M(2.0), M(2.0)}},
    [MONITOR_WATER_F] = {"F", AT_MOST, true, {M(1.0), M(1.0), M(1.0), M(1.5), M(1.5)}},
    [MONITOR_WATER_SE] = {"Se", AT_MOST, true, {M(0.01), M(0.01), M(0.01), M(0.02), M(0.02)}},
    [MONITOR_WATER_AS] = {"As", AT_MOST, true, {M(0.05), M(0.05), M(0.05), M(0.1), M(0.1)}},
    [MONITOR_WATER_HG] = {"Hg",
                          AT_MOST,
                          true,
                          {M(0.00005), M(0.00005), M(0.0001), M(0.001), M(0.001)}},
    [MONITOR_WATER_CD] = {"Cd", AT_MOST, true, {M(0.001), M(0.005), M(0.005), M(0.005), M(0.01)}},
    [MONITOR_WATER_CR6] = {"Cr6", AT_MOST, true, {M(0.01), M(0.05), M(0.05), M(0.05), M(0.1)}},
    [MONITOR_WATER_PB] = {"Pb", AT_MOST, true, {M(0.01), M(0.01), M(0.05), M(0.05), M(0.1)}},
    [MONITOR_WATER_CN] = {"CN", AT_MOST, true, {M(0.005), M(0.05), M(0.2), M(0.2), M(0.2)}},
    [MONITOR_WATER_PHENOL] = {"phenol",
                              AT_MOST,
                              true,
                              {M(0.002), M(0.002), M(0.005), M(0.01), M(0.1)}},
    [MONITOR_WATER_PETROLEUM] = {"petroleum",
                                 AT_MOST,
                                 true,
                                 {M(0.05), M(0.05), M(0.05), M(0.5), M(1.0)}},
    [MONITOR_WATER_LAS] = {"LAS", AT_MOST, true, {M(0.2), M(0.2), M(0.2), M(0.3), M(0.3)}},
    [MONITOR_WATER_SULFIDE] = {"sulfide", AT_MOST, true, {M(0.05), M(0.1), M(0.2), M(0.5), M(1.0)}},
    [MONITOR_WATER_FECAL_COLIFORM] = {"fecal_coliform",
                                      AT_MOST,
                                      false,
                                      {M(200), M(2000), M(10000), M(20000), M(40000)}},
};

/* GB 3838-2002 表1: total phosphorus of lakes and reservoirs */
static const int64_t tp_lake[5] = {M(0.01), M(0.025), M(0.05), M(0.1), M(0.2)};

static const char *const class_names[7] = {"", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};
static const char *const grades[7] = {"", "优", "优", "良好", "轻度污染", "中度污染", "重度污染"};

const char *monitor_water_item_name(enum monitor_water_item item)
{
    assert((unsigned)item < MONITOR_WATER_ITEM_COUNT);
    return items[item].name;
}

int monitor_water_item_parse(const char *name, enum monitor_water_item *out, struct app_error *err)
{
    for (int i = 0; name && i < MONITOR_WATER_ITEM_COUNT; i++) {
        if (strcmp(name, items[i].name) == 0) {
            *out = (enum monitor_water_item)i;
            return 0;
        }
    }
    return app_fail(err, APP_ERR_INVALID, "unknown_item", "item", "unknown water item \"%s\"",
                    name ? name : "");
}

const char *monitor_water_class_name(int cls)
{
    assert(cls >= 1 && cls <= MONITOR_WATER_WORSE_V);
    return class_names[cls];
}

const char *monitor_water_grade(int cls)
{
    /* 评价办法: Ⅰ-Ⅱ 优, Ⅲ 良好, Ⅳ 轻度污染, Ⅴ 中度污染, 劣Ⅴ 重度污染 */
    assert(cls >= 1 && cls <= MONITOR_WATER_WORSE_V);
    return grades[cls];
}

int monitor_water_limit(enum monitor_water_item item, enum monitor_water_body body, int cls,
                        int64_t *out)
{
    assert((unsigned)item < MONITOR_WATER_ITEM_COUNT && cls >= 1 && cls <= 5);
    *out = (item == MONITOR_WATER_TP && body == MONITOR_WATER_LAKE) ? tp_lake[cls - 1]
                                                                    : items[item].limit[cls - 1];
    return 0;
}

int monitor_water_item_class(enum monitor_water_item item, enum monitor_water_body body,
                             int64_t value)
{
    assert((unsigned)item < MONITOR_WATER_ITEM_COUNT);
    if (items[item].kind == PH_RANGE) /* 6-9 in every class */
        return value >= MONITOR_DEC(6) && value <= MONITOR_DEC(9) ? 1 : MONITOR_WATER_WORSE_V;
    /* the best class met; a value exactly at a limit meets it; equal limits give the best */
    for (int cls = 1; cls <= 5; cls++) {
        int64_t lim;
        monitor_water_limit(item, body, cls, &lim);
        if (items[item].kind == AT_LEAST ? value >= lim : value <= lim)
            return cls;
    }
    return MONITOR_WATER_WORSE_V;
}

int monitor_water_evaluate(enum monitor_water_body body, int target,
                           const struct monitor_water_value *values, size_t n,
                           struct monitor_water_result *out, struct app_error *err)
{
    memset(out, 0, sizeof(*out));
    if (target < 1 || target > 5)
        return app_fail(err, APP_ERR_INVALID, "invalid_target", "target",
                        "target class must be Ⅰ..Ⅴ (1..5)");
    if (n > MONITOR_WATER_ITEM_COUNT)
        return app_fail(err, APP_ERR_INVALID, "too_many_items", "items",
                        "a sample has at most %d items", MONITOR_WATER_ITEM_COUNT);
    out->target = target;
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        enum monitor_water_item item = values[i].item;
        assert((unsigned)item < MONITOR_WATER_ITEM_COUNT);
        if (seen & (1u << item))
            return app_fail(err, APP_ERR_INVALID, "duplicate_item", items[item].name,
                            "%s is given twice", items[item].name);
        seen |= 1u << item;
        if (values[i].value < 0)
            return app_fail(err, APP_ERR_INVALID, "negative_value", items[item].name,
                            "%s cannot be negative", items[item].name);
        struct monitor_water_item_result *r = &out->items[out->len++];
        r->item = item;
        r->value = values[i].value;
        r->cls = monitor_water_item_class(item, body, r->value);
        r->evaluated = items[item].evaluated;
        /* 评价办法: the section's class is that of its worst evaluated item */
        if (r->evaluated && r->cls > out->cls)
            out->cls = r->cls;
        if (r->evaluated && r->cls > target) {
            r->exceeds = true;
            /* GB 3838-2002 / 评价办法: 超标倍数 = (C - S) / S against the target class,
             * not for DO and pH; two decimals (our choice, GB/T 8170) */
            if (items[item].kind == AT_MOST) {
                int64_t s;
                monitor_water_limit(item, body, target, &s);
                r->has_multiple = true;
                r->multiple = monitor_dec_exceed_multiple(r->value, s, 2);
            }
        }
    }
    for (size_t i = 0; i < out->len; i++) {
        if (out->items[i].evaluated && out->items[i].cls == out->cls)
            out->deciding |= 1u << out->items[i].item;
    }
    out->meets_target = out->cls >= 1 && out->cls <= target;
    return 0;
}
