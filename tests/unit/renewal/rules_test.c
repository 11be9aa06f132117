/* Unit tests of the renewal rules on worked examples: every branch of 民法典 第二百七十八条
 * (participation by area and by headcount at exactly two thirds and one ballot below, 四分之三
 * at the bound, 过半数 at exactly half, abstentions, a multi-unit owner, the refusals); NPV, IRR
 * and PMT against the spreadsheet functions' own documented examples and against values computed
 * independently in exact decimal arithmetic (Python's decimal module, 40 digits); loan schedules
 * to the fen; a project's balance and its sensitivity; the 70 m² and rent-share checks and the
 * waiting-list order. */
#include <stdlib.h>

#include "renewal/renewal.h"
#include "test.h"

static struct renewal_ballot B(const char *unit, const char *owner, int64_t area,
                               enum renewal_vote v) {
    struct renewal_ballot b = {.area = area, .vote = v};
    snprintf(b.unit, sizeof b.unit, "%s", unit);
    snprintf(b.owner, sizeof b.owner, "%s", owner);
    return b;
}

#define Y RENEWAL_VOTE_YES
#define N RENEWAL_VOTE_NO
#define A RENEWAL_VOTE_ABSTAIN
#define X RENEWAL_VOTE_ABSENT

/* Six owners of 100.00 m² each: participation needs 4 owners and 400.00 m² (exactly 2/3). */
static void
six(struct renewal_ballot *b, const enum renewal_vote *v)
{
    char u[8], o[8];
    for (int i = 0; i < 6; i++) {
        snprintf(u, sizeof u, "1-%d", i + 1);
        snprintf(o, sizeof o, "O%d", i + 1);
        b[i] = B(u, o, 10000, v[i]);
    }
}

TEST(participation_two_thirds_edge)
{
    struct renewal_ballot b[6];
    struct renewal_tally t;
    struct app_error err = {0};
    /* 4 of 6 take part: exactly 2/3 by area and by headcount — 以上 includes it */
    six(b, (enum renewal_vote[]){Y, Y, Y, Y, X, X});
    CHECK_INT(renewal_tally(b, 6, RENEWAL_MATTER_MAJOR, 0, &t, &err), 0);
    CHECK(t.quorum);
    CHECK_INT(t.part_area, 40000);
    CHECK_INT(t.part_owners, 4);
    CHECK(t.passed);
    /* 3 of 6: one ballot short */
    six(b, (enum renewal_vote[]){Y, Y, Y, X, X, X});
    CHECK_INT(renewal_tally(b, 6, RENEWAL_MATTER_MAJOR, 0, &t, &err), 0);
    CHECK(!t.quorum);
    CHECK(t.approved); /* all participants approve, but too few took part */
    CHECK(!t.passed);
}

TEST(participation_area_vs_headcount)
{
    struct renewal_ballot b[4];
    struct renewal_tally t;
    struct app_error err = {0};
    /* headcount 3/4 takes part, but the absent owner holds most of the area: 30% by area */
    b[0] = B("1", "甲", 5000, Y);
    b[1] = B("2", "乙", 5000, Y);
    b[2] = B("3", "丙", 5000, Y);
    b[3] = B("4", "丁", 35000, X);
    CHECK_INT(renewal_tally(b, 4, RENEWAL_MATTER_ORDINARY, 0, &t, &err), 0);
    CHECK_INT(t.part_owners, 3);
    CHECK_INT(t.part_area, 15000);
    CHECK(!t.quorum);
    /* the reverse: one big owner takes part (70% of the area), 1 of 4 by headcount */
    b[0].vote = X;
    b[1].vote = X;
    b[2].vote = X;
    b[3].vote = Y;
    CHECK_INT(renewal_tally(b, 4, RENEWAL_MATTER_ORDINARY, 0, &t, &err), 0);
    CHECK(!t.quorum);
    CHECK(!t.passed);
}

TEST(major_three_quarters_edge)
{
    /* 8 owners of 80 m², all take part: 6 yes is exactly 3/4 → passes; 5 yes fails */
    struct renewal_ballot b[8];
    struct renewal_tally t;
    struct app_error err = {0};
    char u[8], o[8];
    for (int i = 0; i < 8; i++) {
        snprintf(u, sizeof u, "2-%d", i + 1);
        snprintf(o, sizeof o, "P%d", i + 1);
        b[i] = B(u, o, 8000, i < 6 ? Y : N);
    }
    CHECK_INT(renewal_tally(b, 8, RENEWAL_MATTER_MAJOR, 0, &t, &err), 0);
    CHECK_INT(t.yes_owners, 6);
    CHECK(t.passed);
    b[5].vote = A; /* 弃权 takes part and does not approve */
    CHECK_INT(renewal_tally(b, 8, RENEWAL_MATTER_MAJOR, 0, &t, &err), 0);
    CHECK_INT(t.part_owners, 8);
    CHECK_INT(t.abstain_owners, 1);
    CHECK(!t.approved);
    CHECK(!t.passed);
    /* the same ballots, an ordinary matter: 5 of 8 is more than half */
    CHECK_INT(renewal_tally(b, 8, RENEWAL_MATTER_ORDINARY, 0, &t, &err), 0);
    CHECK(t.passed);
    /* 3/4 by headcount but not by area: the yes owners' units are smaller */
    for (int i = 0; i < 8; i++)
        b[i] = B((char[]){(char)('a' + i), 0}, (char[]){(char)('A' + i), 0}, i < 6 ? 5000 : 10000,
                 i < 6 ? Y : N);
    CHECK_INT(renewal_tally(b, 8, RENEWAL_MATTER_MAJOR, 0, &t, &err), 0);
    CHECK_INT(t.yes_area, 30000); /* of 50000: 60% */
    CHECK(!t.approved);
}

TEST(ordinary_exactly_half_fails)
{
    struct renewal_ballot b[6];
    struct renewal_tally t;
    struct app_error err = {0};
    /* all take part, 3 of 6 yes with half the area: 过半数 is more than half */
    six(b, (enum renewal_vote[]){Y, Y, Y, N, N, A});
    CHECK_INT(renewal_tally(b, 6, RENEWAL_MATTER_ORDINARY, 0, &t, &err), 0);
    CHECK(t.quorum);
    CHECK(!t.approved);
    six(b, (enum renewal_vote[]){Y, Y, Y, Y, N, X});
    CHECK_INT(renewal_tally(b, 6, RENEWAL_MATTER_ORDINARY, 0, &t, &err), 0);
    CHECK(t.passed); /* 4 of 5 participants */
}

TEST(multi_unit_owner_counts_once)
{
    struct renewal_ballot b[5];
    struct renewal_tally t;
    struct app_error err = {0};
    /* 张 owns three of five units: 3 persons in all, 张 with 300 m² of 500 */
    b[0] = B("101", "张", 10000, Y);
    b[1] = B("102", "张", 10000, Y);
    b[2] = B("103", "张", 10000, Y);
    b[3] = B("201", "李", 10000, N);
    b[4] = B("202", "王", 10000, N);
    CHECK_INT(renewal_tally(b, 5, RENEWAL_MATTER_ORDINARY, 0, &t, &err), 0);
    CHECK_INT(t.total_owners, 3);
    CHECK_INT(t.yes_owners, 1);
    CHECK_INT(t.yes_area, 30000);
    CHECK(t.quorum);
    CHECK(!t.approved); /* 60% of the area but 1 of 3 persons */
    b[3].vote = Y;
    CHECK_INT(renewal_tally(b, 5, RENEWAL_MATTER_ORDINARY, 0, &t, &err), 0);
    CHECK(t.passed); /* 2 of 3 persons, 80% of the area */
    b[1].vote = N;   /* one person, one decision */
    CHECK_INT(renewal_tally(b, 5, RENEWAL_MATTER_ORDINARY, 0, &t, &err), -1);
    CHECK_STR(err.code_name, "owner_split_vote");
    CHECK_STR(err.field, "vote");
}

TEST(tally_refusals)
{
    struct renewal_ballot b[2] = {B("1", "a", 10000, Y), B("1", "b", 10000, Y)};
    struct renewal_tally t;
    struct app_error err = {0};
    CHECK_INT(renewal_tally(b, 2, RENEWAL_MATTER_MAJOR, 0, &t, &err), -1);
    CHECK_STR(err.code_name, "duplicate_unit");
    CHECK_STR(err.field, "unit");
    b[1] = B("2", "b", 0, Y);
    CHECK_INT(renewal_tally(b, 2, RENEWAL_MATTER_MAJOR, 0, &t, &err), -1);
    CHECK_STR(err.field, "area");
    b[1] = B("2", "b", 10000, Y);
    CHECK_INT(renewal_tally(b, 2, RENEWAL_MATTER_MAJOR, 19999, &t, &err), -1);
    CHECK_STR(err.code_name, "area_exceeds_building");
    CHECK_INT(renewal_tally(b, 2, RENEWAL_MATTER_MAJOR, 20000, &t, &err), 0);
    CHECK_INT(renewal_tally(b, 0, RENEWAL_MATTER_MAJOR, 0, &t, &err), -1);
    enum renewal_vote v;
    CHECK_INT(renewal_vote_parse("弃权", &v), 0);
    CHECK_INT(v, A);
    CHECK_INT(renewal_vote_parse("maybe", &v), -1);
}

TEST(decimals_and_rates)
{
    int64_t v;
    struct app_error err = {0};
    char s[32];
    CHECK_INT(renewal_decimal_parse("86.5", 2, INT64_MAX / 100, &v, "area", &err), 0);
    CHECK_INT(v, 8650);
    CHECK_INT(renewal_decimal_parse("120", 2, INT64_MAX / 100, &v, "area", &err), 0);
    CHECK_INT(v, 12000);
    CHECK_INT(renewal_decimal_parse("1.234", 2, INT64_MAX / 100, &v, "area", &err), -1);
    CHECK_STR(err.field, "area");
    CHECK_INT(renewal_decimal_parse("-1", 2, INT64_MAX / 100, &v, "area", &err), -1);
    CHECK_INT(renewal_decimal_parse(".5", 2, INT64_MAX / 100, &v, "area", &err), -1);
    CHECK_INT(renewal_decimal_parse("5.", 2, INT64_MAX / 100, &v, "area", &err), -1);
    renewal_decimal_format(8650, 2, s, sizeof s);
    CHECK_STR(s, "86.50");
    renewal_decimal_format(-5, 2, s, sizeof s);
    CHECK_STR(s, "-0.05");
    CHECK_INT(renewal_rate_parse("0.045", &v, "rate", &err), 0);
    CHECK_INT(v, 45000000);
    CHECK_INT(renewal_rate_parse("4.5%", &v, "rate", &err), 0);
    CHECK_INT(v, 45000000);
    CHECK_INT(renewal_rate_parse("-0.02", &v, "rate", &err), 0);
    CHECK_INT(v, -20000000);
    CHECK_INT(renewal_rate_parse("abc", &v, "rate", &err), -1);
    CHECK_STR(err.field, "rate");
    CHECK_INT(renewal_rate_parse("-1", &v, "rate", &err), -1);
}

TEST(npv_irr_pmt_against_spreadsheets)
{
    /* Excel's NPV help, example 1: =NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44 discounts the
     * first flow too; with year 0 undiscounted (flow₀ + NPV(10%; 3000; 4200; 6800)) it is
     * 1188.44 × 1.1 = 1307.29 (exact: 1307.28775…, Python decimal). In fen: */
    int64_t f1[] = {-1000000, 300000, 420000, 680000};
    CHECK_INT(renewal_npv(f1, 4, 100000000), 130729);
    /* -50000, 10000, 15000, 20000, 25000 at 8%: 6371.73270… (Python decimal) */
    int64_t f2[] = {-5000000, 1000000, 1500000, 2000000, 2500000};
    CHECK_INT(renewal_npv(f2, 5, 80000000), 637173);
    /* Excel's and LibreOffice's IRR help: -70000, 12000, 15000, 18000, 21000 → -2.1%; with 26000
     * after them → 8.7% (the functions show -2.12% and 8.66%) */
    int64_t f3[] = {-7000000, 1200000, 1500000, 1800000, 2100000, 2600000};
    double irr;
    struct app_error err = {0};
    CHECK_INT(renewal_irr(f3, 5, &irr, &err), 0);
    CHECK_NEAR(irr, -0.021244848, 1e-8);
    CHECK_INT(renewal_irr(f3, 6, &irr, &err), 0);
    CHECK_NEAR(irr, 0.086630948, 1e-8);
    /* and the NPV at the IRR is zero to the fen */
    CHECK_INT(renewal_round_fen(renewal_npv_exact(f3, 6, irr)), 0);
    /* no sign change: no rate balances them, and IRR says so instead of a number */
    int64_t f4[] = {100, 200, 300};
    CHECK_INT(renewal_irr(f4, 3, &irr, &err), -1);
    CHECK_STR(err.code_name, "no_sign_change");
    CHECK_STR(err.field, "flows");
    /* a sign change with no root in range: -100, 300, -300 has NPV < 0 at every rate */
    int64_t f5[] = {-10000, 30000, -30000};
    CHECK_INT(renewal_irr(f5, 3, &irr, &err), -1);
    CHECK_STR(err.code_name, "no_root");
    /* PMT(5%; 10; 100000) = -12950.4575 (Python decimal: P·r/(1−(1+r)^−n)), reported positive */
    CHECK_INT(renewal_pmt(10000000, 50000000, 10), 1295046);
    /* PMT(4.5%; 5; 1000000) = -227791.6395 */
    CHECK_INT(renewal_pmt(100000000, 45000000, 5), 22779164);
    /* rate 0: principal over the periods */
    CHECK_INT(renewal_pmt(1000000, 0, 4), 250000);
}

TEST(loan_schedules_to_the_fen)
{
    /* 100000 yuan at 5% over 10 years, equal instalments: the schedule computed by hand in
     * decimal, interest rounded to the fen each year, the last year clearing the balance */
    struct renewal_loan l = {10000000, 50000000, 10, 0, 0, RENEWAL_REPAY_ANNUITY};
    struct renewal_loan_year y[10];
    renewal_loan_schedule(&l, y);
    CHECK_INT(y[0].interest, 500000);
    CHECK_INT(y[0].principal, 795046);
    CHECK_INT(y[0].balance, 9204954);
    CHECK_INT(y[1].interest, 460248);
    CHECK_INT(y[1].principal, 834798);
    CHECK_INT(y[9].payment, 1295045);
    CHECK_INT(y[9].balance, 0);
    int64_t interest = 0, principal = 0;
    for (int i = 0; i < 10; i++) {
        interest += y[i].interest;
        principal += y[i].principal;
    }
    CHECK_INT(interest, 2950459);
    CHECK_INT(principal, 10000000);
    /* equal principal with two grace years: 4.5%, 5 years */
    struct renewal_loan m = {10000000, 45000000, 5, 2, 0, RENEWAL_REPAY_LINEAR};
    struct renewal_loan_year z[5];
    renewal_loan_schedule(&m, z);
    CHECK_INT(z[0].payment, 450000);
    CHECK_INT(z[1].principal, 0);
    CHECK_INT(z[2].payment, 3783333);
    CHECK_INT(z[3].interest, 300000);
    CHECK_INT(z[3].balance, 3333334);
    CHECK_INT(z[4].principal, 3333334);
    CHECK_INT(z[4].balance, 0);
}

TEST(balance_and_sensitivity)
{
    /* 1,000 万 capex in year 0, rent 150 万 and opex 30 万 a year for 10 years, 5%: net flows
     * -1000, 120×10 (万) → NPV = -1000 + 120·(1−1.05^−10)/0.05 万 = -73,391,808.498 fen and
     * IRR 3.460154% (Python decimal) */
    struct renewal_model m = {.horizon = 10, .discount_nano = 50000000, .ceiling = 500000000};
    m.amount[RENEWAL_FLOW_CAPEX][0] = 1000000000;
    for (int t = 1; t <= 10; t++) {
        m.amount[RENEWAL_FLOW_RENT][t] = 150000000;
        m.amount[RENEWAL_FLOW_OPEX][t] = 30000000;
    }
    struct renewal_balance b;
    renewal_balance(&m, &b);
    CHECK_INT(b.net[0], -1000000000);
    CHECK_INT(b.net[1], 120000000);
    CHECK_INT(b.npv, -73391808);
    CHECK(!b.balanced);
    CHECK_INT(b.payback_year, 9); /* cumulative -1000 + 120·9 = 80 万 > 0 in year 9 */
    CHECK_INT(b.peak_need, 1000000000);
    CHECK(!b.affordable); /* year 0 outlay of 1000 万 over the 500 万 ceiling */
    CHECK_INT(b.first_over_ceiling, 0);
    CHECK(b.has_irr);
    CHECK_NEAR(b.irr, 0.0346015380, 1e-9);
    /* a loan of 600 万 drawn in year 0 at 4.5%, 8 years annuity, cuts the year-0 outlay to 400 万
     * and adds debt service; DSCR = (150 − 30) / instalment */
    m.loan[0] = (struct renewal_loan){600000000, 45000000, 8, 0, 0, RENEWAL_REPAY_ANNUITY};
    m.nloans = 1;
    renewal_balance(&m, &b);
    int64_t inst = renewal_pmt(600000000, 45000000, 8);
    CHECK_INT(b.debt[0], inst);
    CHECK_INT(b.outlay[0], 1000000000 - 600000000 + inst);
    CHECK_NEAR(b.dscr[1], 120000000.0 / (double)inst, 1e-9);
    CHECK(b.dscr[9] < 0); /* no debt after year 7 */
    /* sensitivity: rent +10% adds 10% of the rent's NPV */
    long double rent_npv = 150000000.0L * (1 - powl(1.05L, -10)) / 0.05L;
    CHECK_INT(b.sens[RENEWAL_FACTOR_RENT].npv[2],
              renewal_round_fen(-73391808.498L + rent_npv / 10));
    /* the rent break-even is +6.34…%: NPV0 < 0, so it is the rise needed */
    CHECK_NEAR(b.sens[RENEWAL_FACTOR_RENT].breakeven_pct, (double)(73391808.498L / rent_npv * 100),
               1e-4);
    CHECK(b.sens[RENEWAL_FACTOR_COST].npv[0] > b.npv); /* cost −20% helps */
    CHECK(b.sens[RENEWAL_FACTOR_RATE].npv[0] > b.npv); /* a lower rate helps this project */
    /* a balanced project: higher rent; the factor that breaks it first is the one with the
     * smallest adverse margin */
    for (int t = 1; t <= 10; t++)
        m.amount[RENEWAL_FLOW_RENT][t] = 170000000;
    renewal_balance(&m, &b);
    CHECK(b.npv > 0);
    CHECK(b.balanced);
    CHECK(b.sens[RENEWAL_FACTOR_RENT].breakeven_pct < 0);
    CHECK(b.sens[RENEWAL_FACTOR_COST].breakeven_pct > 0);
    CHECK(b.breaks_first >= 0);
    double m0 = fabs(b.sens[b.breaks_first].breakeven_pct);
    for (int f = 0; f < RENEWAL_FACTORS; f++)
        if (b.sens[f].has_breakeven)
            CHECK(fabs(b.sens[f].breakeven_pct) >= m0);
}

TEST(housing_checks_and_order)
{
    int64_t areas[] = {4500, 7000, 7001, 9000, 6000};
    size_t small;
    CHECK(renewal_small_units_majority(areas, 5, &small)); /* 3 of 5, 70.00 counts */
    CHECK_INT(small, 3);
    CHECK(!renewal_small_units_majority(areas, 4, &small)); /* 2 of 4: half is not majority */
    /* rent at or below 90% of the market */
    CHECK(renewal_rent_ok(2700, 3000, 900000000));
    CHECK(!renewal_rent_ok(2701, 3000, 900000000));
    /* 解放碑 to 较场口, roughly 600 m */
    double d = renewal_distance_m(106.5770, 29.5590, 106.5735, 29.5540);
    CHECK(d > 500 && d < 700);
    struct renewal_applicant a[] = {
        {1, RENEWAL_GROUP_YOUTH, false, 100},    {2, RENEWAL_GROUP_NEWCOMER, false, 300},
        {3, RENEWAL_GROUP_SERVICE, false, 500},  {4, RENEWAL_GROUP_SERVICE, true, 50},
        {5, RENEWAL_GROUP_NEWCOMER, false, 200}, {6, RENEWAL_GROUP_NEWCOMER, false, 200},
    };
    size_t idx[6];
    CHECK_INT(renewal_waiting_order(a, 6, idx), 5);
    int64_t want[] = {3, 5, 6, 2, 1, 4};
    for (int i = 0; i < 6; i++)
        CHECK_INT(a[idx[i]].id, want[i]);
}

TEST_SUITE({"participation_two_thirds_edge", participation_two_thirds_edge},
           {"participation_area_vs_headcount", participation_area_vs_headcount},
           {"major_three_quarters_edge", major_three_quarters_edge},
           {"ordinary_exactly_half_fails", ordinary_exactly_half_fails},
           {"multi_unit_owner_counts_once", multi_unit_owner_counts_once},
           {"tally_refusals", tally_refusals}, {"decimals_and_rates", decimals_and_rates},
           {"npv_irr_pmt_against_spreadsheets", npv_irr_pmt_against_spreadsheets},
           {"loan_schedules_to_the_fen", loan_schedules_to_the_fen},
           {"balance_and_sensitivity", balance_and_sensitivity},
           {"housing_checks_and_order", housing_checks_and_order});
