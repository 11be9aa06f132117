/* Unit tests of the enterprise module's rules: every wage-arrears warning rule at its threshold
 * and one step on either side, the 社会保险法 第八十八条 fine range (2× and 5× pass, one fen
 * outside fails; the seed's 5.48 万 / 10.96 万 case), 压减率 (22 − 6) / 22 = 72.7 %, every
 * 免申即享 operator with its explanation, the benefit formula, policy validation naming the
 * field, name masking, and certificates against an in-memory database: issued, verified valid,
 * tampered → forged, a wrong QR signature → forged, revoked → revoked, abolished type refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "building/building.h"
#include "core/clock.h"
#include "enterprise/enterprise.h"
#include "enterprise/enterprise_store.h"
#include "org/org.h"
#include "test.h"

static const struct wage_thresholds T = {.payroll_overdue_days = 15,
                                         .complaint_window_days = 30,
                                         .complaint_cluster = 3,
                                         .si_stopped_months = 2,
                                         .progress_overdue_days = 30};

TEST(wage_payroll_overdue_threshold)
{
    struct wage_record r = {.workers = 10};
    r.max_overdue_days = 14;
    CHECK(!(wage_rules_fire(&r, &T) & (1u << WAGE_PAYROLL_OVERDUE)));
    r.max_overdue_days = 15; /* "beyond N days": exactly N does not fire */
    CHECK(!(wage_rules_fire(&r, &T) & (1u << WAGE_PAYROLL_OVERDUE)));
    r.max_overdue_days = 16;
    CHECK_INT(wage_rules_fire(&r, &T), 1u << WAGE_PAYROLL_OVERDUE);
}

TEST(wage_complaint_cluster_threshold)
{
    struct wage_record r = {.workers = 10};
    r.complaints_in_window = 2;
    CHECK_INT(wage_rules_fire(&r, &T), 0);
    r.complaints_in_window = 3;
    CHECK_INT(wage_rules_fire(&r, &T), 1u << WAGE_COMPLAINT_CLUSTER);
    r.complaints_in_window = 4;
    CHECK_INT(wage_rules_fire(&r, &T), 1u << WAGE_COMPLAINT_CLUSTER);
}

TEST(wage_si_stopped_threshold)
{
    struct wage_record r = {.workers = 5};
    r.si_stopped_months = 1;
    CHECK_INT(wage_rules_fire(&r, &T), 0);
    r.si_stopped_months = 2;
    CHECK_INT(wage_rules_fire(&r, &T), 1u << WAGE_SI_STOPPED);
    r.si_stopped_months = 3;
    CHECK_INT(wage_rules_fire(&r, &T), 1u << WAGE_SI_STOPPED);
    r.workers = 0; /* nobody left to protect */
    CHECK_INT(wage_rules_fire(&r, &T), 0);
}

TEST(wage_progress_unpaid_threshold)
{
    struct wage_record r = {.construction = true, .workers = 40, .progress_unpaid_fen = 100};
    r.progress_overdue_days = 29;
    CHECK_INT(wage_rules_fire(&r, &T), 0);
    r.progress_overdue_days = 30;
    CHECK_INT(wage_rules_fire(&r, &T), 0);
    r.progress_overdue_days = 31;
    CHECK_INT(wage_rules_fire(&r, &T), 1u << WAGE_PROGRESS_UNPAID);
    r.progress_unpaid_fen = 0;
    CHECK_INT(wage_rules_fire(&r, &T), 0);
    r.progress_unpaid_fen = 100;
    r.construction = false; /* only construction projects have progress payments */
    CHECK_INT(wage_rules_fire(&r, &T), 0);
}

TEST(days_between)
{
    bool ok;
    CHECK_INT(enterprise_days_between("2026-02-28", "2026-03-01", &ok), 1);
    CHECK(ok);
    CHECK_INT(enterprise_days_between("2024-02-28", "2024-03-01", &ok), 2); /* leap year */
    enterprise_days_between("2026-02-30", "2026-03-01", &ok);
    CHECK(!ok);
}

TEST(fraud_fine_range)
{
    /* the seed's case: 追回 5.48 万, 罚款 10.96 万 = exactly 2× */
    CHECK_INT(fraud_fine_check(5480000, 10960000), 0);
    CHECK_INT(fraud_fine_check(5480000, 10959999), -1);
    CHECK_INT(fraud_fine_check(5480000, 27400000), 0); /* 5× */
    CHECK_INT(fraud_fine_check(5480000, 27400001), 1);
}

TEST(reduction_rate)
{
    CHECK_INT(cert_reduction_permille(22, 6), 727); /* (22 − 6) / 22 = 72.727… % → 72.7 % */
    CHECK_INT(cert_reduction_permille(8, 1), 875);
    CHECK_INT(cert_reduction_permille(3, 1), 667); /* 66.666… rounds up */
    CHECK_INT(cert_reduction_permille(0, 0), 0);
}

TEST(mask_name)
{
    char out[32];
    cert_mask_name("张三丰", out, sizeof out);
    CHECK_STR(out, "张**");
    cert_mask_name("李四", out, sizeof out);
    CHECK_STR(out, "李*");
    cert_mask_name("Wang", out, sizeof out);
    CHECK_STR(out, "W***");
}

static struct enterprise ent(void)
{
    struct enterprise e = {.id = 7, .employees = 20, .growth_bp = 1000, .violations = 0};
    snprintf(e.industry, sizeof e.industry, "I65");
    snprintf(e.size_class, sizeof e.size_class, "小型");
    snprintf(e.zone, sizeof e.zone, "jfb");
    snprintf(e.street, sizeof e.street, "500103003");
    return e;
}

static struct policy_rule num_rule(int field, int op, int64_t v)
{
    return (struct policy_rule){.field = field, .op = op, .number = v};
}

TEST(policy_numeric_operators)
{
    struct enterprise e = ent();
    char why[192];
    /* employees 20 against 19, 20, 21 for every operator */
    struct {
        int op;
        bool at19, at20, at21;
    } cases[] = {
        {PO_GE, true, true, false},  {PO_GT, true, false, false}, {PO_LE, false, true, true},
        {PO_LT, false, false, true}, {PO_EQ, false, true, false}, {PO_NE, true, false, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct policy_rule r19 = num_rule(PF_EMPLOYEES, cases[i].op, 19);
        struct policy_rule r20 = num_rule(PF_EMPLOYEES, cases[i].op, 20);
        struct policy_rule r21 = num_rule(PF_EMPLOYEES, cases[i].op, 21);
        CHECK_INT(policy_rule_eval(&r19, &e, why, sizeof why), cases[i].at19);
        CHECK_INT(policy_rule_eval(&r20, &e, why, sizeof why), cases[i].at20);
        CHECK_INT(policy_rule_eval(&r21, &e, why, sizeof why), cases[i].at21);
    }
    /* growth 10.00 % ≥ 10 % passes, ≥ 10.01 % fails; the reason shows both in percent */
    struct policy_rule g = num_rule(PF_GROWTH, PO_GE, 1000);
    CHECK(policy_rule_eval(&g, &e, why, sizeof why));
    CHECK_STR(why, "营收增长率 10.00% ≥ 10.00%：符合");
    g.number = 1001;
    CHECK(!policy_rule_eval(&g, &e, why, sizeof why));
    e.growth_bp = -250;
    g.number = -300;
    CHECK(policy_rule_eval(&g, &e, why, sizeof why));
    CHECK_STR(why, "营收增长率 -2.50% ≥ -3.00%：符合");
}

TEST(policy_text_operators)
{
    struct enterprise e = ent();
    char why[192];
    struct policy_rule r = {.field = PF_INDUSTRY, .op = PO_IN, .nvalues = 2};
    snprintf(r.values[0], sizeof r.values[0], "M");
    snprintf(r.values[1], sizeof r.values[1], "I");
    CHECK(policy_rule_eval(&r, &e, why, sizeof why)); /* I65 lies in 门类 I */
    CHECK_STR(why, "行业 I65 属于 I：符合");
    r.op = PO_NOT_IN;
    CHECK(!policy_rule_eval(&r, &e, why, sizeof why));
    snprintf(r.values[1], sizeof r.values[1], "I66"); /* a different 大类 */
    CHECK(policy_rule_eval(&r, &e, why, sizeof why));
    r.op = PO_IN;
    CHECK(!policy_rule_eval(&r, &e, why, sizeof why));
    struct policy_rule z = {.field = PF_ZONE, .op = PO_EQ, .nvalues = 1};
    snprintf(z.values[0], sizeof z.values[0], "jfb");
    CHECK(policy_rule_eval(&z, &e, why, sizeof why));
    z.op = PO_NE;
    CHECK(!policy_rule_eval(&z, &e, why, sizeof why));
    struct policy_rule s = {.field = PF_SIZE_CLASS, .op = PO_IN, .nvalues = 1};
    snprintf(s.values[0], sizeof s.values[0], "小"); /* no prefix match outside industry */
    CHECK(!policy_rule_eval(&s, &e, why, sizeof why));
}

TEST(policy_run_and_benefit)
{
    struct enterprise e[3] = {ent(), ent(), ent()};
    e[1].id = 8;
    e[1].employees = 5;
    e[2].id = 9;
    e[2].employees = 200;
    struct policy p = {
        .nrules = 1, .base_fen = 100000, .per_employee_fen = 50000, .cap_fen = 5000000};
    p.rules[0] = num_rule(PF_EMPLOYEES, PO_GE, 10);
    struct policy_result r[3];
    CHECK_INT((int)policy_run(&p, e, 3, r), 2);
    CHECK(r[0].eligible && !r[1].eligible && r[2].eligible);
    CHECK_INT(r[0].benefit_fen, 100000 + 20 * 50000);
    CHECK_INT(r[1].benefit_fen, 0);
    CHECK_INT(r[2].benefit_fen, 5000000); /* capped */
}

TEST(policy_validation_names_field)
{
    struct app_error err = {0};
    struct policy p = {.code = "P", .name = "n", .nrules = 1};
    p.rules[0] = num_rule(PF_EMPLOYEES, PO_IN, 1);
    CHECK_INT(policy_validate(&p, &err), -1);
    CHECK_STR(err.field, "rules[0].op");
    p.rules[0] = (struct policy_rule){.field = PF_INDUSTRY, .op = PO_IN};
    CHECK_INT(policy_validate(&p, &err), -1);
    CHECK_STR(err.field, "rules[0].value");
    p.rules[0] = num_rule(PF_EMPLOYEES, PO_GE, 1);
    p.base_fen = -1;
    CHECK_INT(policy_validate(&p, &err), -1);
    CHECK_STR(err.field, "base_fen");
    CHECK_INT(policy_field_parse("turnover"), -1);
    CHECK_INT(policy_op_parse("~="), -1);
}

TEST(appeal_figures)
{
    struct enterprise_appeal a[4] = {0};
    for (int i = 0; i < 4; i++) {
        snprintf(a[i].street, sizeof a[i].street, i < 3 ? "500103003" : "500103001");
        snprintf(a[i].industry, sizeof a[i].industry, "I65");
        a[i].appeal_class = i % 2 ? APPEAL_FINANCE : APPEAL_POLICY;
    }
    a[0].closed_at = 10;
    a[0].satisfaction = 1;
    a[1].closed_at = 20;
    a[1].overdue = true;
    a[1].satisfaction = 3;
    struct enterprise_appeal_figures f;
    enterprise_appeal_figures(a, 4, &f);
    CHECK_INT(f.total.received, 4);
    CHECK_INT(f.total.closed, 2);
    CHECK_INT(f.total.closed_on_time, 1);
    CHECK_INT(f.total.rated, 2);
    CHECK_INT(f.total.satisfied, 1);
    CHECK_INT(f.by_class[APPEAL_POLICY].received, 2);
    CHECK_INT((int)f.nstreet, 2);
    CHECK_STR(f.by_street[0].key, "500103001");
    CHECK_INT(f.by_street[1].received, 3);
    enterprise_appeal_figures_release(&f);
    CHECK_STR(enterprise_appeal_category(APPEAL_WAGE), "9002");
    CHECK_STR(enterprise_appeal_category(APPEAL_IP), "9301");
    CHECK_INT(enterprise_appeal_class_parse("legal"), APPEAL_LEGAL);
    CHECK_INT(enterprise_appeal_class_parse("other"), -1);
}

TEST(certificate_sign_verify_revoke)
{
    struct db *db;
    struct app_error err = {0};
    clock_set_fixed(INT64_C(1796000000));
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_migrate(db, NULL, &err), 0);
    CHECK_INT(org_seed(db, true, &err), 0);
    CHECK_INT(enterprise_seed(NULL, db, false, &err), 0);
    struct cert_figures f;
    CHECK_INT(cert_figures(db, &f, &err), 0);
    CHECK_INT(f.types_total, 22);
    CHECK_INT(f.types_issued, 6);
    CHECK_INT(f.reduction_permille, 727);

    struct cert_request in = {.type_code = "ZM01",
                              .community = "500103003013",
                              .holder_name = "张三丰",
                              .purpose = "测试"};
    struct certificate c;
    int rc = cert_issue(db, NULL, &in, NULL, &c, &err);
    if (rc)
        fprintf(stderr, "    %s %s\n", err.field, err.message);
    CHECK_INT(rc, 0);
    CHECK_STR(c.holder_masked, "张**");
    CHECK_INT((int)strlen(c.signature), 128);
    int st;
    struct certificate v;
    CHECK_INT(cert_verify(db, c.serial, NULL, &v, &st, &err), 0);
    CHECK_INT(st, CERT_VALID);
    CHECK_INT(cert_verify(db, c.serial, c.signature, &v, &st, &err), 0);
    CHECK_INT(st, CERT_VALID);
    char bad[132];
    snprintf(bad, sizeof bad, "%s", c.signature);
    bad[0] = bad[0] == '0' ? '1' : '0';
    CHECK_INT(cert_verify(db, c.serial, bad, &v, &st, &err), 0);
    CHECK_INT(st, CERT_FORGED); /* the paper's QR code carries another signature */
    CHECK_INT(cert_verify(db, "ZM2099010100001", NULL, &v, &st, &err), 0);
    CHECK_INT(st, CERT_UNKNOWN);
    /* a record edited behind the program's back no longer matches its signature */
    CHECK_INT(db_exec(db, "UPDATE certificates SET holder_masked = '李**'", &err), 0);
    CHECK_INT(cert_verify(db, c.serial, NULL, &v, &st, &err), 0);
    CHECK_INT(st, CERT_FORGED);
    CHECK_INT(db_exec(db, "UPDATE certificates SET holder_masked = '张**'", &err), 0);
    CHECK_INT(cert_revoke(db, NULL, c.serial, "信息有误", NULL, &err), 0);
    CHECK_INT(cert_verify(db, c.serial, c.signature, &v, &st, &err), 0);
    CHECK_INT(st, CERT_REVOKED);
    CHECK_INT(cert_revoke(db, NULL, c.serial, "再次", NULL, &err), -1);
    CHECK_INT(err.code, APP_ERR_CONFLICT);

    in.type_code = "ZM08"; /* 婚姻状况证明: abolished, replaced by data sharing */
    CHECK_INT(cert_issue(db, NULL, &in, NULL, &c, &err), -1);
    CHECK_STR(err.code_name, "abolished");
    CHECK_STR(err.field, "type_code");
    in.type_code = "ZM01";
    in.holder_name = "";
    CHECK_INT(cert_issue(db, NULL, &in, NULL, &c, &err), -1);
    CHECK_STR(err.field, "holder_name");
    db_close(db);
    clock_set_fixed(0);
}

TEST_SUITE({"wage_payroll_overdue_threshold", wage_payroll_overdue_threshold},
           {"wage_complaint_cluster_threshold", wage_complaint_cluster_threshold},
           {"wage_si_stopped_threshold", wage_si_stopped_threshold},
           {"wage_progress_unpaid_threshold", wage_progress_unpaid_threshold},
           {"days_between", days_between}, {"fraud_fine_range", fraud_fine_range},
           {"reduction_rate", reduction_rate}, {"mask_name", mask_name},
           {"policy_numeric_operators", policy_numeric_operators},
           {"policy_text_operators", policy_text_operators},
           {"policy_run_and_benefit", policy_run_and_benefit},
           {"policy_validation_names_field", policy_validation_names_field},
           {"appeal_figures", appeal_figures},
           {"certificate_sign_verify_revoke", certificate_sign_verify_revoke});
