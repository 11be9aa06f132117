/* Tests of the GB 3838-2002 single-factor water evaluation (monitor/water.h). */
#include <stdint.h>

#include "monitor/dec.h"
#include "monitor/water.h"
#include "test.h"

static int64_t dec(const char *s)
{
    int64_t v = 0;
    struct app_error err;
    CHECK(monitor_dec_parse(s, &v, "v", &err) == 0);
    return v;
}

static int cls(enum monitor_water_item item, enum monitor_water_body body, const char *v)
{
    return monitor_water_item_class(item, body, dec(v));
}

TEST(item_classes)
{
    enum monitor_water_body r = MONITOR_WATER_RIVER;
    CHECK_INT(cls(MONITOR_WATER_NH3N, r, "0.15"), 1); /* at the limit meets it */
    CHECK_INT(cls(MONITOR_WATER_NH3N, r, "0.151"), 2);
    CHECK_INT(cls(MONITOR_WATER_NH3N, r, "0.5"), 2);
    CHECK_INT(cls(MONITOR_WATER_NH3N, r, "1.0"), 3);
    CHECK_INT(cls(MONITOR_WATER_NH3N, r, "2.0"), 5);
    CHECK_INT(cls(MONITOR_WATER_NH3N, r, "2.01"), 6);
    CHECK_INT(cls(MONITOR_WATER_DO, r, "7.5"), 1); /* DO: at least */
    CHECK_INT(cls(MONITOR_WATER_DO, r, "7.49"), 2);
    CHECK_INT(cls(MONITOR_WATER_DO, r, "5"), 3);
    CHECK_INT(cls(MONITOR_WATER_DO, r, "2"), 5);
    CHECK_INT(cls(MONITOR_WATER_DO, r, "1.9"), 6);
    CHECK_INT(cls(MONITOR_WATER_PH, r, "6"), 1);
    CHECK_INT(cls(MONITOR_WATER_PH, r, "9"), 1);
    CHECK_INT(cls(MONITOR_WATER_PH, r, "5.9"), 6);
    CHECK_INT(cls(MONITOR_WATER_PH, r, "9.1"), 6);
    CHECK_INT(cls(MONITOR_WATER_COD, r, "15"), 1); /* equal limits Ⅰ and Ⅱ → Ⅰ */
    CHECK_INT(cls(MONITOR_WATER_COD, r, "15.1"), 3);
    CHECK_INT(cls(MONITOR_WATER_HG, r, "0.00005"), 1);
    CHECK_INT(cls(MONITOR_WATER_HG, r, "0.00006"), 3);
    CHECK_INT(cls(MONITOR_WATER_TP, r, "0.1"), 2);
    CHECK_INT(cls(MONITOR_WATER_TP, MONITOR_WATER_LAKE, "0.1"), 4);
    CHECK_INT(cls(MONITOR_WATER_TP, MONITOR_WATER_LAKE, "0.025"), 2);
    CHECK_INT(cls(MONITOR_WATER_CU, r, "0.02"), 2);
    CHECK_INT(cls(MONITOR_WATER_FECAL_COLIFORM, r, "40001"), 6);
    CHECK_INT(cls(MONITOR_WATER_CODMN, r, "15"), 5);
    CHECK_INT(cls(MONITOR_WATER_CODMN, r, "15.01"), 6);
}

TEST(names_and_grades)
{
    struct app_error err;
    enum monitor_water_item it;
    for (int i = 0; i < MONITOR_WATER_ITEM_COUNT; i++) {
        CHECK(monitor_water_item_parse(monitor_water_item_name(i), &it, &err) == 0);
        CHECK_INT(it, i);
    }
    CHECK(monitor_water_item_parse("XYZ", &it, &err) == -1);
    CHECK_STR(monitor_water_class_name(2), "Ⅱ");
    CHECK_STR(monitor_water_class_name(6), "劣Ⅴ");
    CHECK_STR(monitor_water_grade(1), "优");
    CHECK_STR(monitor_water_grade(2), "优");
    CHECK_STR(monitor_water_grade(3), "良好");
    CHECK_STR(monitor_water_grade(4), "轻度污染");
    CHECK_STR(monitor_water_grade(5), "中度污染");
    CHECK_STR(monitor_water_grade(6), "重度污染");
}

TEST(sample_class_and_target)
{
    /* a 长江-like sample meeting Ⅱ */
    struct monitor_water_value v[] = {
        {MONITOR_WATER_PH, dec("7.8")},
        {MONITOR_WATER_DO, dec("8.1")},
        {MONITOR_WATER_CODMN, dec("2.1")},
        {MONITOR_WATER_NH3N, dec("0.12")},
        {MONITOR_WATER_TP, dec("0.08")},
        {MONITOR_WATER_TN, dec("1.9")},
        {MONITOR_WATER_FECAL_COLIFORM, dec("9000")},
    };
    struct monitor_water_result r;
    struct app_error err;
    CHECK(monitor_water_evaluate(MONITOR_WATER_RIVER, 2, v, 7, &r, &err) == 0);
    CHECK_INT(r.cls, 2);
    CHECK(r.meets_target);
    CHECK_INT(r.deciding, (1u << MONITOR_WATER_CODMN) | (1u << MONITOR_WATER_TP));
    CHECK(!r.items[5].evaluated && !r.items[6].evaluated); /* TN, faecal coliforms */
    CHECK_INT(r.items[6].cls, 3);
    /* NH3-N 0.8 makes it Ⅲ: exceeds the Ⅱ target by (0.8 - 0.5)/0.5 = 0.60 */
    v[3].value = dec("0.8");
    v[1].value = dec("5.5"); /* DO Ⅲ too, no multiple for DO */
    CHECK(monitor_water_evaluate(MONITOR_WATER_RIVER, 2, v, 7, &r, &err) == 0);
    CHECK_INT(r.cls, 3);
    CHECK(!r.meets_target);
    CHECK_INT(r.deciding, (1u << MONITOR_WATER_NH3N) | (1u << MONITOR_WATER_DO));
    CHECK(r.items[3].exceeds && r.items[3].has_multiple);
    CHECK_INT(r.items[3].multiple, 600000);
    CHECK(r.items[1].exceeds && !r.items[1].has_multiple);
    /* 劣Ⅴ from pH */
    v[0].value = dec("9.5");
    CHECK(monitor_water_evaluate(MONITOR_WATER_RIVER, 3, v, 7, &r, &err) == 0);
    CHECK_INT(r.cls, 6);
    CHECK_INT(r.deciding, 1u << MONITOR_WATER_PH);
    CHECK(!r.items[0].has_multiple);
    /* 超标倍数 rounded to two decimals: TP 0.25 vs Ⅱ 0.1 → 1.50 */
    struct monitor_water_value t[] = {{MONITOR_WATER_TP, dec("0.25")},
                                      {MONITOR_WATER_COD, dec("16.3")}};
    CHECK(monitor_water_evaluate(MONITOR_WATER_RIVER, 2, t, 2, &r, &err) == 0);
    CHECK_INT(r.cls, 4);
    CHECK_INT(r.items[0].multiple, 1500000);
    CHECK_INT(r.items[1].multiple, 90000); /* (16.3-15)/15 = 0.0867 → 0.09 */
}

TEST(errors)
{
    struct monitor_water_value v[] = {{MONITOR_WATER_PH, 7000000}, {MONITOR_WATER_PH, 7000000}};
    struct monitor_water_result r;
    struct app_error err;
    CHECK(monitor_water_evaluate(MONITOR_WATER_RIVER, 2, v, 2, &r, &err) == -1);
    CHECK_STR(err.code_name, "duplicate_item");
    CHECK(monitor_water_evaluate(MONITOR_WATER_RIVER, 6, v, 1, &r, &err) == -1);
    CHECK_STR(err.field, "target");
    v[0].value = -1;
    CHECK(monitor_water_evaluate(MONITOR_WATER_RIVER, 2, v, 1, &r, &err) == -1);
    CHECK_STR(err.code_name, "negative_value");
    CHECK(monitor_water_evaluate(MONITOR_WATER_RIVER, 2, v, 0, &r, &err) == 0);
    CHECK_INT(r.cls, 0);
    CHECK(!r.meets_target);
}

TEST_SUITE({"item_classes", item_classes}, {"names_and_grades", names_and_grades},
           {"sample_class_and_target", sample_class_and_target}, {"errors", errors});
