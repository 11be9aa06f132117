/* Unit tests of the component rules: the 16-digit code (every refusal and its field), states,
 * sewer kinds, the CJJ 181-2012 defect names of issue 23, the flow graph (cycles, upstream
 * tracing nearest first, branches), dates, and both figures on a hand-computed fixture
 * (a segment inspected twice counts once, inspections outside the period do not count, only
 * defects of the action grades count, a repair after `to` does not count, empty denominators
 * give no rate, grouping by street and area). CJJ 181-2012's scoring is not implemented, so no
 * table of it is tested here (docs/component.md). */
#include <stdlib.h>

#include "component/component.h"
#include "test.h"

TEST(code_well_formed)
{
    struct component_code c;
    struct app_error err = {0};
    CHECK_INT(component_code_check("5001030102000001", "500103", &c, &err), 0);
    CHECK_STR(c.district, "500103");
    CHECK_STR(c.major, "01");
    CHECK_STR(c.minor, "02");
    CHECK_STR(c.serial, "000001");
    CHECK_STR(c.class_code, "0102");
    CHECK_STR(component_major_name(c.major), "公用设施");
    CHECK_INT(component_code_check("5001030601999999", "500103", NULL, &err), 0);
    /* Without a district every district is accepted. */
    CHECK_INT(component_code_check("1101010102000001", NULL, NULL, &err), 0);
}

static const char *refusal(const char *code)
{
    static struct app_error err;
    memset(&err, 0, sizeof(err));
    if (component_code_check(code, "500103", NULL, &err) == 0)
        return "ok";
    CHECK_STR(err.field, "code");
    CHECK_INT(err.code, APP_ERR_INVALID);
    return err.code_name;
}

TEST(code_refusals)
{
    CHECK_STR(refusal(NULL), "not_16_digits");
    CHECK_STR(refusal(""), "not_16_digits");
    CHECK_STR(refusal("500103010200001"), "not_16_digits");   /* 15 digits */
    CHECK_STR(refusal("50010301020000012"), "not_16_digits"); /* 17 digits */
    CHECK_STR(refusal("50010301020000a1"), "not_16_digits");
    CHECK_STR(refusal("５001030102000001"), "not_16_digits"); /* full-width digit */
    CHECK_STR(refusal("5001040102000001"), "other_district"); /* 大渡口区 */
    CHECK_STR(refusal("5001030002000001"), "bad_major");
    CHECK_STR(refusal("5001030702000001"), "bad_major");
    CHECK_STR(refusal("5001031101000001"), "bad_major"); /* an event class is no component */
    CHECK_STR(refusal("5001030100000001"), "bad_minor");
    CHECK_STR(refusal("5001030102000000"), "bad_serial");
}

TEST(states_kinds_defects)
{
    CHECK(component_state_valid("完好"));
    CHECK(component_state_valid("破损"));
    CHECK(component_state_valid("丢失"));
    CHECK(component_state_valid("占用"));
    CHECK(component_state_valid("废弃"));
    CHECK(!component_state_valid("坏了"));
    CHECK(!component_state_valid(NULL));
    CHECK_INT(sewer_kind_parse("rain"), SEWER_RAIN);
    CHECK_INT(sewer_kind_parse("combined"), SEWER_COMBINED);
    CHECK_INT(sewer_kind_parse("storm"), -1);
    CHECK_STR(sewer_kind_label(SEWER_SEWAGE), "污水");
    size_t ns = 0, nf = 0;
    while (sewer_defect_at("structural", ns))
        ns++;
    while (sewer_defect_at("functional", nf))
        nf++;
    CHECK_INT(ns, 10);
    CHECK_INT(nf, 6);
    CHECK(sewer_defect_known("structural", "破裂"));
    CHECK(sewer_defect_known("structural", "接口材料脱落"));
    CHECK(sewer_defect_known("functional", "残墙坝根"));
    CHECK(!sewer_defect_known("functional", "破裂")); /* structural, not functional */
    CHECK(!sewer_defect_known("structural", "沉积"));
    CHECK(!sewer_defect_known("other", "破裂"));
}

TEST(flow_graph)
{
    /* A → B → D, C → B, D → E; F → G separate. */
    const struct sewer_edge e[] = {{"A", "B"}, {"C", "B"}, {"B", "D"}, {"D", "E"}, {"F", "G"}};
    size_t out[5], at = 99;
    CHECK(!sewer_graph_has_cycle(e, 5, &at));
    CHECK_INT(sewer_upstream(e, 5, "E", out), 4);
    CHECK_INT(out[0], 3); /* D → E first: nearest */
    CHECK_INT(out[1], 2); /* then B → D */
    CHECK(out[2] == 0 || out[2] == 1);
    CHECK_INT(sewer_upstream(e, 5, "B", out), 2);
    CHECK_INT(sewer_upstream(e, 5, "A", out), 0); /* a head manhole */
    CHECK_INT(sewer_upstream(e, 5, "G", out), 1);
    CHECK_INT(sewer_upstream(e, 5, "X", out), 0);
    const struct sewer_edge c[] = {{"A", "B"}, {"B", "C"}, {"C", "A"}, {"C", "D"}};
    CHECK(sewer_graph_has_cycle(c, 4, &at));
    CHECK(at <= 2);
    size_t o2[4];
    CHECK_INT(sewer_upstream(c, 4, "D", o2), 4); /* every edge, each once: no endless loop */
    const struct sewer_edge self[] = {{"A", "A"}};
    CHECK(sewer_graph_has_cycle(self, 1, NULL));
    CHECK(!sewer_graph_has_cycle(NULL, 0, NULL));
}

TEST(dates)
{
    CHECK(component_date_valid("2026-02-28"));
    CHECK(!component_date_valid("2026-02-29"));
    CHECK(component_date_valid("2024-02-29"));
    CHECK(!component_date_valid("1900-02-29"));
    CHECK(component_date_valid("2000-02-29"));
    CHECK(!component_date_valid("2026-13-01"));
    CHECK(!component_date_valid("2026-1-01"));
    CHECK(!component_date_valid("2026/01/01"));
    CHECK(!component_date_valid(NULL));
}

static struct sewer_segment seg(const char *code, const char *street, const char *area, double len)
{
    struct sewer_segment s = {.length_m = len};
    snprintf(s.code, sizeof(s.code), "%s", code);
    snprintf(s.street, sizeof(s.street), "%s", street);
    snprintf(s.area, sizeof(s.area), "%s", area);
    return s;
}

static struct sewer_inspection insp(const char *segment, const char *on)
{
    struct sewer_inspection i = {0};
    snprintf(i.segment, sizeof(i.segment), "%s", segment);
    snprintf(i.inspected_on, sizeof(i.inspected_on), "%s", on);
    return i;
}

static struct sewer_defect def(const char *segment, int grade, const char *found,
                               const char *repaired)
{
    struct sewer_defect d = {.grade = grade};
    snprintf(d.segment, sizeof(d.segment), "%s", segment);
    snprintf(d.found_on, sizeof(d.found_on), "%s", found);
    snprintf(d.repaired_on, sizeof(d.repaired_on), "%s", repaired ? repaired : "");
    return d;
}

TEST(figures)
{
    struct sewer_segment s[] = {
        seg("S1", "500103001", "A1", 100),
        seg("S2", "500103001", "", 50),
        seg("S3", "500103003", "A1", 200),
        seg("S4", "500103003", "", 150),
    };
    struct sewer_inspection i[] = {
        insp("S1", "2026-03-01"), insp("S1", "2026-05-01"), /* twice: counts once */
        insp("S3", "2026-06-30"),                           /* the last day counts */
        insp("S4", "2025-12-31"),                           /* before the period */
    };
    struct sewer_defect d[] = {
        def("S1", 4, "2026-03-01", "2026-04-01"), /* found, repaired */
        def("S1", 3, "2026-05-01", NULL),         /* found, open */
        def("S1", 2, "2026-05-01", "2026-05-02"), /* grade 2: not an action grade */
        def("S3", 3, "2026-06-30", "2026-07-15"), /* repaired after `to`: open in the period */
        def("S4", 4, "2025-12-31", "2026-01-10"), /* found before the period */
    };
    struct sewer_figures_list l = {0};
    sewer_figures_compute(s, 4, i, 4, d, 5, "2026-01-01", "2026-06-30", SEWER_GROUP_NONE, &l);
    CHECK_INT(l.len, 1);
    CHECK_NEAR(l.items[0].total_m, 500, 1e-9);
    CHECK_NEAR(l.items[0].inspected_m, 300, 1e-9);
    CHECK_NEAR(l.items[0].inspection_rate, 0.6, 1e-12);
    CHECK_INT(l.items[0].segments, 4);
    CHECK_INT(l.items[0].segments_inspected, 2);
    CHECK_INT(l.items[0].found, 3);
    CHECK_INT(l.items[0].repaired, 1);
    CHECK_NEAR(l.items[0].repair_rate, 1.0 / 3.0, 1e-12);

    sewer_figures_compute(s, 4, i, 4, d, 5, "2026-01-01", "2026-06-30", SEWER_GROUP_STREET, &l);
    CHECK_INT(l.len, 3);
    CHECK_STR(l.items[1].group, "500103001");
    CHECK_NEAR(l.items[1].inspection_rate, 100.0 / 150.0, 1e-12);
    CHECK_NEAR(l.items[1].repair_rate, 0.5, 1e-12);
    CHECK_STR(l.items[2].group, "500103003");
    CHECK_NEAR(l.items[2].inspection_rate, 200.0 / 350.0, 1e-12);
    CHECK_NEAR(l.items[2].repair_rate, 0.0, 1e-12);
    CHECK_NEAR(l.items[0].inspection_rate, 0.6, 1e-12); /* the total is unchanged */

    sewer_figures_compute(s, 4, i, 4, d, 5, "2026-01-01", "2026-06-30", SEWER_GROUP_AREA, &l);
    CHECK_INT(l.len, 3);
    CHECK_STR(l.items[1].group, ""); /* no area */
    CHECK_NEAR(l.items[1].total_m, 200, 1e-9);
    CHECK_STR(l.items[2].group, "A1");
    CHECK_NEAR(l.items[2].inspection_rate, 1.0, 1e-12);

    /* A period with nothing found: no repair rate; no segments: no inspection rate. */
    sewer_figures_compute(s, 4, i, 4, d, 5, "2027-01-01", "2027-12-31", SEWER_GROUP_NONE, &l);
    CHECK_NEAR(l.items[0].inspection_rate, 0, 1e-12);
    CHECK(l.items[0].repair_rate < 0);
    sewer_figures_compute(NULL, 0, NULL, 0, NULL, 0, "2026-01-01", "2026-12-31", SEWER_GROUP_STREET,
                          &l);
    CHECK_INT(l.len, 1);
    CHECK(l.items[0].inspection_rate < 0);
    sewer_figures_list_release(&l);
}

TEST_SUITE({"code_well_formed", code_well_formed}, {"code_refusals", code_refusals},
           {"states_kinds_defects", states_kinds_defects}, {"flow_graph", flow_graph},
           {"dates", dates}, {"figures", figures});
