/* The enterprise module's seed: the certificate catalogue (22 types: 6 still issued, 16
 * abolished with what replaces each) on every new database, and with the demo the synthetic
 * Yuzhong data: profiles of the building economy's enterprises, the demo events of channel
 * enterprise as appeals, wage-arrears projects the rules catch (and eleven resolved ones that
 * add up to the seed's 184 workers and 327 万元), the seed's fraud case, two policies,
 * certificates. Every generated record is marked synthetic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "building/building.h"
#include "core/clock.h"
#include "core/log.h"
#include "enterprise/enterprise.h"
#include "enterprise/enterprise_store.h"
#include "org/org.h"

/* The catalogue is illustrative (synthetic): the seed gives the counts (22 → 6), not the list;
 * the names follow certificates communities were commonly asked for. docs/enterprise.md. */
static const struct cert_type catalogue[] = {
    {"ZM01", "居住证明", true, ""},
    {"ZM02", "家庭经济困难证明", true, ""},
    {"ZM03", "亲属关系证明", true, ""},
    {"ZM04", "居家死亡证明", true, ""},
    {"ZM05", "未就业情况证明", true, ""},
    {"ZM06", "临时救助困难情况证明", true, ""},
    {"ZM07", "出生日期证明", false, "数据共享：户籍信息由公安机关提供"},
    {"ZM08", "婚姻状况证明", false, "数据共享：婚姻登记信息查询"},
    {"ZM09", "无犯罪记录证明", false, "其他部门：公安机关出具"},
    {"ZM10", "健在证明", false, "数据共享：养老待遇资格认证 (人脸识别)"},
    {"ZM11", "房屋产权证明", false, "数据共享：不动产登记信息查询"},
    {"ZM12", "独生子女证明", false, "告知承诺"},
    {"ZM13", "收入证明", false, "其他部门：用人单位出具"},
    {"ZM14", "学历证明", false, "数据共享：学信网查询"},
    {"ZM15", "社保缴纳证明", false, "数据共享：社保信息查询"},
    {"ZM16", "疾病证明", false, "其他部门：医疗机构出具"},
    {"ZM17", "残疾证明", false, "其他部门：残疾人证 (残联)"},
    {"ZM18", "退休证明", false, "数据共享：社保退休信息"},
    {"ZM19", "车辆证明", false, "其他部门：公安交管部门"},
    {"ZM20", "经营场所证明", false, "告知承诺"},
    {"ZM21", "个人信用证明", false, "其他部门：征信中心"},
    {"ZM22", "无违法建设证明", false, "告知承诺"},
};

static const char policy_jobs[] =
    "{\"code\":\"MSJX-2026-01\",\"name\":\"稳岗扩岗补贴（示例）\","
    "\"rules\":[{\"field\":\"industry\",\"op\":\"in\",\"value\":[\"I\",\"M\",\"L\"]},"
    "{\"field\":\"employees\",\"op\":\"ge\",\"value\":10},"
    "{\"field\":\"violations\",\"op\":\"eq\",\"value\":0}],"
    "\"benefit\":{\"base_fen\":0,\"per_employee_fen\":50000,\"cap_fen\":5000000}}";
static const char policy_growth[] =
    "{\"code\":\"MSJX-2026-02\",\"name\":\"楼宇企业成长奖励（示例）\","
    "\"rules\":[{\"field\":\"size_class\",\"op\":\"in\",\"value\":[\"中型\",\"小型\",\"微型\"]},"
    "{\"field\":\"revenue_growth\",\"op\":\"ge\",\"value\":10},"
    "{\"field\":\"zone\",\"op\":\"in\",\"value\":[\"jfb\",\"hlq\",\"zbc\"]}],"
    "\"benefit\":{\"base_fen\":2000000}}";

static int seed_users(struct app *app, struct db *db, struct app_error *err)
{
    const struct auth_user_input users[] = {
        {.username = "dept_hrss",
         .display_name = "区人力社保局劳动保障监察员",
         .role = "department",
         .department = "hrss",
         .password = AUTH_DEMO_PASSWORD},
        {.username = "post_jfb_qy",
         .display_name = "解放碑街道企业服务专员",
         .role = "board_post",
         .post = "500103003-qy",
         .password = AUTH_DEMO_PASSWORD},
    };
    for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
        int64_t id;
        if (auth_user_create_cost(db, app->cfg.pwhash_cost, &users[i], &id, err))
            return -1;
    }
    log_info("enterprise: demo users dept_hrss, post_jfb_qy (the demo password of the README)");
    return 0;
}

static void day_offset(int64_t today, int delta, char *out, size_t n)
{
    int y, m, d;
    clock_civil_from_days(today + delta, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* Projects: two current ones the rules catch, eleven earlier ones resolved with the seed's
 * figures (184 workers, 3,270,000.00 元 in all), one healthy project that no rule catches. */
static int seed_wage(struct app *app, struct db *db, struct app_error *err)
{
    int64_t today = clock_now() / 86400;
    char d0[12], d1[12], date[12];
    day_offset(today, 0, date, sizeof(date));
    struct wage_project cur[] = {
        {.code = "QX-2026-001",
         .name = "某商业综合体装修改造工程",
         .employer = "重庆某建筑劳务有限公司",
         .construction = true,
         .workers = 46,
         .lon = 106.5775,
         .lat = 29.5572,
         .progress_unpaid_fen = 126000000},
        {.code = "QX-2026-002",
         .name = "某连锁餐饮门店",
         .employer = "重庆某餐饮管理有限公司",
         .workers = 18,
         .lon = 106.5731,
         .lat = 29.5601,
         .si_stopped_months = 2},
        {.code = "QX-2026-003",
         .name = "某写字楼物业服务项目",
         .employer = "重庆某物业服务有限公司",
         .workers = 25,
         .lon = 106.5802,
         .lat = 29.5589},
    };
    day_offset(today, -45, cur[0].progress_due_date, sizeof(cur[0].progress_due_date));
    struct enterprise_place pts[16];
    size_t np = 0;
    if (enterprise_store_demo_places(db, pts, 16, &np, err))
        return -1;
    if (np < 14)
        return 0; /* no demo buildings: no wage demo */
    for (size_t i = 0; i < 3; i++) {
        /* a synthetic code with a correct GB 32100-2015 check character */
        snprintf(cur[i].employer_uscc, sizeof(cur[i].employer_uscc), "91500103MA6%06zu", 100 + i);
        cur[i].employer_uscc[17] = building_uscc_check_char(cur[i].employer_uscc);
        cur[i].employer_uscc[18] = 0;
        cur[i].synthetic = true;
        cur[i].lon = pts[i].lon;
        cur[i].lat = pts[i].lat;
        snprintf(cur[i].grid, sizeof(cur[i].grid), "%s", pts[i].grid);
        if (enterprise_store_project_insert(db, &cur[i], &cur[i].id, err))
            return -1;
        /* last month paid on time everywhere; the building site's wage is 20 days overdue */
        day_offset(today, -50, d0, sizeof(d0));
        struct wage_payroll p = {.project_id = cur[i].id,
                                 .amount_fen = 600000 * cur[i].workers,
                                 .workers = cur[i].workers};
        snprintf(p.month, sizeof(p.month), "%.7s", d0);
        snprintf(p.due_date, sizeof(p.due_date), "%s", d0);
        snprintf(p.paid_date, sizeof(p.paid_date), "%s", d0);
        if (enterprise_store_payroll_insert(db, &p, true, err))
            return -1;
        day_offset(today, -20, d1, sizeof(d1));
        snprintf(p.month, sizeof(p.month), "%.7s", d1);
        snprintf(p.due_date, sizeof(p.due_date), "%s", d1);
        snprintf(p.paid_date, sizeof(p.paid_date), "%s", i == 0 ? "" : d1);
        if (enterprise_store_payroll_insert(db, &p, true, err))
            return -1;
    }
    for (int k = 0; k < 3; k++) { /* three complaints at the restaurant within the month */
        struct wage_complaint c = {
            .project_id = cur[1].id, .workers = 2 + k, .months = 1, .amount_fen = 450000 * (2 + k)};
        day_offset(today, -3 - 7 * k, c.filed_on, sizeof(c.filed_on));
        if (enterprise_store_complaint_insert(db, &c, true, err))
            return -1;
    }
    /* the eleven resolved 隐患 of the seed: 184 workers, 327 万元 */
    static const int workers[11] = {31, 12, 8, 25, 14, 9, 22, 17, 11, 19, 16};
    static const int64_t yuan[11] = {612000, 188000, 96000,  455000, 201000, 87000,
                                     398000, 276000, 143000, 452000, 362000};
    int64_t ids[11];
    for (int k = 0; k < 11; k++) {
        struct wage_project p = {
            .workers = workers[k], .lon = pts[3 + k].lon, .lat = pts[3 + k].lat, .synthetic = true};
        snprintf(p.grid, sizeof(p.grid), "%s", pts[3 + k].grid);
        snprintf(p.code, sizeof(p.code), "QX-2025-%03d", k + 1);
        snprintf(p.name, sizeof(p.name), "欠薪隐患项目 %d（已化解）", k + 1);
        snprintf(p.employer, sizeof(p.employer), "重庆某用人单位 %d", k + 1);
        snprintf(p.employer_uscc, sizeof(p.employer_uscc), "91500103MA6%06d", 200 + k);
        p.employer_uscc[17] = building_uscc_check_char(p.employer_uscc);
        p.employer_uscc[18] = 0;
        if (enterprise_store_project_insert(db, &p, &ids[k], err))
            return -1;
        struct wage_payroll w = {
            .project_id = ids[k], .amount_fen = yuan[k] * 100, .workers = workers[k]};
        day_offset(today, -200 + 10 * k, w.due_date, sizeof(w.due_date));
        snprintf(w.month, sizeof(w.month), "%.7s", w.due_date);
        if (enterprise_store_payroll_insert(db, &w, true, err))
            return -1;
    }
    int opened = 0;
    if (wage_scan(app, db, NULL, date, true, NULL, &opened, err))
        return -1;
    struct wage_warning_list wl = {0};
    if (wage_warning_list(db, &wl, err))
        return -1;
    for (size_t i = 0; i < wl.len; i++)
        for (int k = 0; k < 11; k++)
            if (wl.items[i].project_id == ids[k] &&
                (wage_warning_resolve(db, NULL, wl.items[i].id, workers[k], yuan[k] * 100, NULL,
                                      err) ||
                 enterprise_store_payroll_settle(db, ids[k], date, err))) {
                free(wl.items);
                return -1;
            }
    free(wl.items);
    /* the resolved projects' months are settled above, so the next scan is quiet for them */
    return 0;
}

int enterprise_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
        if (enterprise_store_cert_type_put(db, &catalogue[i], err))
            return -1;
    if (!demo)
        return 0;
    double t0 = clock_mono_ms();
    if (enterprise_store_demo_profiles(db, err) || enterprise_store_demo_appeals(db, err) ||
        enterprise_store_policy_put(db, "MSJX-2026-01", "稳岗扩岗补贴（示例）", policy_jobs, true,
                                    err) ||
        enterprise_store_policy_put(db, "MSJX-2026-02", "楼宇企业成长奖励（示例）", policy_growth,
                                    true, err) ||
        seed_users(app, db, err) || seed_wage(app, db, err))
        return -1;
    /* 社会保险法 第八十八条: the seed's case, 追回 5.48 万 and 罚款 10.96 万 (2×) */
    struct fraud_case fc = {.code = "PB-2025-001",
                            .kind = "死亡后冒领养老金",
                            .obtained_fen = 5480000,
                            .recovered_fen = 5480000,
                            .fine_fen = 10960000,
                            .decided_on = "2025-07-15",
                            .synthetic = true};
    if (fraud_case_record(db, NULL, &fc, NULL, err))
        return -1;
    /* certificates: the first communities of 解放碑街道, a few requests each in the past weeks */
    struct org_region_query q = {.level = "community", .after = "500103003", .limit = 4};
    struct org_region_list cl = {0};
    bool more;
    if (org_region_list(db, &q, &cl, &more, err))
        return -1;
    static const char *const names[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊"};
    int64_t now = clock_now();
    int n = 0;
    for (size_t c = 0; c < cl.len; c++) {
        if (!org_code_within(cl.items[c].code, "500103003"))
            continue;
        for (int k = 0; k < 5; k++, n++) {
            char type[8];
            snprintf(type, sizeof(type), "ZM%02d", 1 + (n % 6));
            struct cert_request in = {.type_code = type,
                                      .community = cl.items[c].code,
                                      .holder_name = names[n % 6],
                                      .purpose = "办理相关业务",
                                      .requested_at = now - (int64_t)(30 - n) * 86400,
                                      .synthetic = true};
            if (cert_issue(db, NULL, &in, NULL, NULL, err)) {
                org_region_list_release(&cl);
                return -1;
            }
        }
    }
    org_region_list_release(&cl);
    log_info("enterprise: demo seeded in %.0f ms (%d certificates)", clock_mono_ms() - t0, n);
    return 0;
}
