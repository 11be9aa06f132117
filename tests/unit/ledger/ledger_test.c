/* Unit tests of the ledger rules on hand-computed fixtures: a problem's status as of a day
 * (销号, 反弹, 长期坚持, marks of one day), overdue measures, the 销号 check, each figure as of
 * several days (total, by department, by source), the changes between two days, the CSV, the
 * supervision clue steps and figures; and the audited write path on a :memory: database. */
#include <math.h>
#include <sodium.h>
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/db.h"
#include "ledger/ledger.h"
#include "org/org.h"
#include "test.h"

#define P(i, on, dep, depname, src, cat, dl, lt)                                                   \
    {                                                                                              \
        .id = i, .created_on = on, .department = dep, .department_name = depname, .source = src,   \
        .category = cat, .deadline = dl, .long_term = lt                                           \
    }
#define M(i, p, on, dl, done)                                                                      \
    {                                                                                              \
        .id = i, .problem_id = p, .created_on = on, .deadline = dl, .done_on = done                \
    }
#define K(i, p, kind_, on)                                                                         \
    {                                                                                              \
        .id = i, .problem_id = p, .kind = kind_, .on_date = on                                     \
    }

/* Four problems, six measures, four marks (see each figure's comment for the count). */
static struct ledger_problem problems[] = {
    P(1, "2026-05-05", "urban", "区城市管理局", "督查", "作风", "2026-06-30", false),
    P(2, "2026-05-05", "eco", "区生态环境局", "群众反映", "环境", "2026-05-31", false),
    P(3, "2026-06-01", "urban", "区城市管理局", "督查", "环境", "2026-07-31", true),
    P(4, "2026-07-01", "eco", "区生态环境局", "审计", "作风", "2026-08-31", false),
};
static struct ledger_measure measures[] = {
    M(1, 1, "2026-05-05", "2026-05-20", "2026-05-18"),
    M(2, 1, "2026-05-05", "2026-06-15", "2026-06-20"),
    M(3, 2, "2026-05-05", "2026-05-25", "2026-06-29"),
    M(4, 2, "2026-06-01", "2026-06-30", "2026-06-28"),
    M(5, 3, "2026-06-01", "2026-06-10", ""),
    M(6, 4, "2026-07-01", "2026-07-15", "2026-07-10"),
};
static struct ledger_mark marks[] = {
    K(1, 1, "close", "2026-06-20"),
    K(3, 1, "reopen", "2026-07-05"),
    K(4, 1, "close", "2026-07-20"),
    K(2, 2, "close", "2026-06-30"),
};

static struct ledger_book book(void)
{
    struct ledger_book b = {0};
    b.problems.items = problems;
    b.problems.len = 4;
    b.measures.items = measures;
    b.measures.len = 6;
    b.marks.items = marks;
    b.marks.len = 4;
    return b;
}

TEST(status_as_of)
{
    CHECK_INT(ledger_status_as_of(&problems[0], marks, 4, "2026-06-19"), LEDGER_OPEN);
    CHECK_INT(ledger_status_as_of(&problems[0], marks, 4, "2026-06-20"), LEDGER_CLOSED);
    CHECK_INT(ledger_status_as_of(&problems[0], marks, 4, "2026-07-04"), LEDGER_CLOSED);
    CHECK_INT(ledger_status_as_of(&problems[0], marks, 4, "2026-07-05"), LEDGER_OPEN);
    CHECK_INT(ledger_status_as_of(&problems[0], marks, 4, "2026-07-20"), LEDGER_CLOSED);
    CHECK_INT(ledger_status_as_of(&problems[1], marks, 4, "2026-06-30"), LEDGER_CLOSED);
    CHECK_INT(ledger_status_as_of(&problems[2], marks, 4, "2026-12-31"), LEDGER_LONG_TERM);
    /* Two marks of one day: the later entry decides. */
    struct ledger_mark same[] = {K(11, 1, "reopen", "2026-06-20"), K(10, 1, "close", "2026-06-20")};
    CHECK_INT(ledger_status_as_of(&problems[0], same, 2, "2026-06-20"), LEDGER_OPEN);
    CHECK(!ledger_on_ledger(&problems[2], "2026-05-31"));
    CHECK(ledger_on_ledger(&problems[2], "2026-06-01"));
}

TEST(overdue_measure)
{
    CHECK(!ledger_measure_overdue(&measures[2], "2026-05-25")); /* the deadline day itself */
    CHECK(ledger_measure_overdue(&measures[2], "2026-05-26"));
    CHECK(ledger_measure_overdue(&measures[2], "2026-06-28"));
    CHECK(!ledger_measure_overdue(&measures[2], "2026-06-29")); /* done that day */
    CHECK(!ledger_measure_overdue(&measures[4], "2026-05-31")); /* not yet on the ledger */
    CHECK(ledger_measure_overdue(&measures[4], "2026-06-11"));
}

TEST(overdue_problem)
{
    /* Problem 1's deadline is 30 June: overdue from 1 July while it is not closed. */
    CHECK(!ledger_problem_overdue(&problems[0], LEDGER_OPEN, "2026-06-30"));
    CHECK(ledger_problem_overdue(&problems[0], LEDGER_OPEN, "2026-07-01"));
    CHECK(!ledger_problem_overdue(&problems[0], LEDGER_CLOSED, "2026-07-01"));
    CHECK(ledger_problem_overdue(&problems[2], LEDGER_LONG_TERM, "2026-08-01")); /* still watched */
}

TEST(close_rule)
{
    struct app_error err = {0};
    struct ledger_measure m[3] = {
        {.id = 1,
         .problem_id = 9,
         .title = "a",
         .owner = "wang",
         .done_on = "2026-06-01",
         .evidence = "照片",
         .approved_by = "li"},
        {.id = 2,
         .problem_id = 9,
         .title = "b",
         .owner = "wang",
         .done_on = "2026-06-02",
         .evidence = "台账",
         .approved_by = "zhao"},
        {.id = 3, .problem_id = 8, .title = "other problem", .owner = "x"}, /* ignored */
    };
    CHECK_INT(ledger_close_check(LEDGER_OPEN, m, 3, 9, &err), 0);
    CHECK_INT(ledger_close_check(LEDGER_OPEN, m, 3, 7, &err), -1);
    CHECK_STR(err.code_name, "no_measures");
    CHECK_INT(err.code, APP_ERR_CONFLICT);
    CHECK_INT(ledger_close_check(LEDGER_CLOSED, m, 3, 9, &err), -1);
    CHECK_STR(err.code_name, "already_closed");
    CHECK_INT(ledger_close_check(LEDGER_LONG_TERM, m, 3, 9, &err), -1);
    CHECK_STR(err.code_name, "long_term");
    m[1].approved_by[0] = 0;
    CHECK_INT(ledger_close_check(LEDGER_OPEN, m, 3, 9, &err), -1);
    CHECK_STR(err.code_name, "not_approved");
    snprintf(m[1].approved_by, sizeof m[1].approved_by, "wang"); /* the owner himself */
    CHECK_INT(ledger_close_check(LEDGER_OPEN, m, 3, 9, &err), -1);
    CHECK_STR(err.code_name, "not_approved");
    snprintf(m[1].approved_by, sizeof m[1].approved_by, "zhao");
    m[1].evidence[0] = 0;
    CHECK_INT(ledger_close_check(LEDGER_OPEN, m, 3, 9, &err), -1);
    CHECK_STR(err.code_name, "no_evidence");
    m[1].done_on[0] = 0;
    CHECK_INT(ledger_close_check(LEDGER_OPEN, m, 3, 9, &err), -1);
    CHECK_STR(err.code_name, "measure_open");
    CHECK_STR(err.field, "measures");
}

static void check_counts(const struct ledger_counts *c, long problems_, long measures_, long closed,
                         long overdue, long open, long long_term, long reopened,
                         long overdue_problems)
{
    CHECK_INT(c->problems, problems_);
    CHECK_INT(c->measures, measures_);
    CHECK_INT(c->closed, closed);
    CHECK_INT(c->overdue_measures, overdue);
    CHECK_INT(c->open, open);
    CHECK_INT(c->long_term, long_term);
    CHECK_INT(c->reopened, reopened);
    CHECK_INT(c->overdue_problems, overdue_problems);
}

TEST(figures_as_of)
{
    struct ledger_book b = book();
    struct ledger_figures f;
    ledger_figures_compute(&b, "2026-05-04", LEDGER_GROUP_NONE, &f);
    check_counts(&f.total, 0, 0, 0, 0, 0, 0, 0, 0);
    CHECK(isnan(ledger_closure_rate(&f.total)));
    ledger_figures_release(&f);
    /* 5 May: P1, P2 with M1-M3, nothing due yet. */
    ledger_figures_compute(&b, "2026-05-05", LEDGER_GROUP_NONE, &f);
    check_counts(&f.total, 2, 3, 0, 0, 2, 0, 0, 0);
    CHECK_NEAR(ledger_closure_rate(&f.total), 0, 1e-12);
    ledger_figures_release(&f);
    /* 26 May: M3 (due 25 May, done 29 June) is overdue. */
    ledger_figures_compute(&b, "2026-05-26", LEDGER_GROUP_NONE, &f);
    check_counts(&f.total, 2, 3, 0, 1, 2, 0, 0, 0);
    ledger_figures_release(&f);
    /* 16 June: P3 (长期坚持) in; M2 (due 15 June, done 20 June), M3, M5 overdue; P2 past its
     * deadline. */
    ledger_figures_compute(&b, "2026-06-16", LEDGER_GROUP_NONE, &f);
    check_counts(&f.total, 3, 5, 0, 3, 2, 1, 0, 1);
    ledger_figures_release(&f);
    /* 30 June: P1 (20 June) and P2 (30 June) closed: 2 of 3; only M5 overdue. */
    ledger_figures_compute(&b, "2026-06-30", LEDGER_GROUP_NONE, &f);
    check_counts(&f.total, 3, 5, 2, 1, 0, 1, 0, 0);
    CHECK_NEAR(ledger_closure_rate(&f.total), 2.0 / 3.0, 1e-12);
    ledger_figures_release(&f);
    /* 5 July: P4 in, P1 reopened (反弹) and past its deadline of 30 June: 1 of 4. */
    ledger_figures_compute(&b, "2026-07-05", LEDGER_GROUP_NONE, &f);
    check_counts(&f.total, 4, 6, 1, 1, 2, 1, 1, 1);
    CHECK_NEAR(ledger_closure_rate(&f.total), 0.25, 1e-12);
    ledger_figures_release(&f);
    /* 20 July: P1 closed again: 2 of 4. */
    ledger_figures_compute(&b, "2026-07-20", LEDGER_GROUP_NONE, &f);
    check_counts(&f.total, 4, 6, 2, 1, 1, 1, 1, 0);
    CHECK_NEAR(ledger_closure_rate(&f.total), 0.5, 1e-12);
    CHECK_INT(f.len, 0);
    ledger_figures_release(&f);
}

TEST(figures_grouped)
{
    struct ledger_book b = book();
    struct ledger_figures f;
    ledger_figures_compute(&b, "2026-07-20", LEDGER_GROUP_DEPARTMENT, &f);
    CHECK_INT(f.len, 2);
    CHECK_STR(f.items[0].key, "eco");
    CHECK_STR(f.items[0].label, "区生态环境局");
    check_counts(&f.items[0].c, 2, 3, 1, 0, 1, 0, 0, 0);
    CHECK_STR(f.items[1].key, "urban");
    check_counts(&f.items[1].c, 2, 3, 1, 1, 0, 1, 1, 0);
    check_counts(&f.total, 4, 6, 2, 1, 1, 1, 1, 0);
    ledger_figures_release(&f);
    ledger_figures_compute(&b, "2026-07-20", LEDGER_GROUP_SOURCE, &f);
    CHECK_INT(f.len, 3);
    CHECK_STR(f.items[0].key, "审计");
    CHECK_INT(f.items[0].c.problems, 1);
    CHECK_INT(f.items[0].c.closed, 0);
    CHECK_STR(f.items[1].key, "督查");
    CHECK_INT(f.items[1].c.problems, 2);
    CHECK_INT(f.items[1].c.closed, 1);
    CHECK_STR(f.items[2].key, "群众反映");
    CHECK_INT(f.items[2].c.closed, 1);
    ledger_figures_release(&f);
    ledger_figures_compute(&b, "2026-06-16", LEDGER_GROUP_CATEGORY, &f);
    CHECK_INT(f.len, 2);
    CHECK_STR(f.items[0].key, "作风");
    CHECK_INT(f.items[0].c.problems, 1);
    CHECK_INT(f.items[0].c.overdue_measures, 1); /* M2 */
    CHECK_STR(f.items[1].key, "环境");
    CHECK_INT(f.items[1].c.problems, 2);
    CHECK_INT(f.items[1].c.overdue_measures, 2); /* M3, M5 */
    ledger_figures_release(&f);
    CHECK_INT(ledger_group_parse("street"), -1);
    CHECK_INT(ledger_group_parse(NULL), LEDGER_GROUP_NONE);
    CHECK_INT(ledger_group_parse("source"), LEDGER_GROUP_SOURCE);
}

TEST(changes_between_days)
{
    struct ledger_book b = book();
    struct ledger_changes c;
    ledger_changes_compute(&b, "2026-05-05", "2026-07-20", &c);
    CHECK_INT(c.problems_added, 2); /* P3, P4 */
    CHECK_INT(c.measures_added, 3); /* M4, M5, M6 */
    CHECK_INT(c.closed, 3);
    CHECK_INT(c.reopened, 1);
    ledger_changes_compute(&b, "2026-05-04", "2026-06-20", &c);
    CHECK_INT(c.problems_added, 3);
    CHECK_INT(c.closed, 1);
    CHECK_INT(c.reopened, 0);
}

TEST(figures_csv)
{
    struct ledger_book b = book();
    struct ledger_figures f;
    struct buf out = BUF_INIT;
    ledger_figures_compute(&b, "2026-07-20", LEDGER_GROUP_DEPARTMENT, &f);
    ledger_figures_csv(&f, &out);
    const char *s = buf_cstr(&out);
    CHECK(strncmp(s, "\xEF\xBB\xBF截至,2026-07-20\r\n", 19) == 0);
    CHECK(strstr(s, "\r\neco,区生态环境局,2,1,1,0,50.0,0,0,3,3,0\r\n") != NULL);
    CHECK(strstr(s, "\r\n,合计,4,2,1,1,50.0,1,0,6,5,1\r\n") != NULL);
    buf_release(&out);
    ledger_figures_release(&f);
    /* The ledger itself: a title with a comma is quoted, a formula is defused. */
    struct ledger_problem p[] = {
        P(1, "2026-05-05", "urban", "区城市管理局", "督查", "作风", "2026-06-30", false)};
    snprintf(p[0].title, sizeof p[0].title, "=cmd,1");
    struct ledger_book one = {.problems = {p, 1, 1}};
    ledger_problems_csv(&one, "2026-05-05", &out);
    CHECK(strstr(buf_cstr(&out), "\r\n1,\"'=cmd,1\",督查,作风,区城市管理局,,2026-06-30,2026-05-05,"
                                 "整改中,0,0,0,,\r\n") != NULL);
    buf_release(&out);
}

TEST(clue_steps_and_figures)
{
    CHECK_STR(ledger_clue_next("初核", "立案"), "立案");
    CHECK_STR(ledger_clue_next("初核", "了结"), "了结");
    CHECK_STR(ledger_clue_next("初核", "移送"), "移送");
    CHECK_STR(ledger_clue_next("立案", "办结"), "办结");
    CHECK(ledger_clue_next("初核", "办结") == NULL);
    CHECK(ledger_clue_next("移送", "立案") == NULL);
    CHECK(ledger_clue_next("办结", "办结") == NULL);
    /* Only a case puts its findings on the rectification ledger. */
    CHECK(ledger_clue_may_rectify("立案"));
    CHECK(ledger_clue_may_rectify("办结"));
    CHECK(!ledger_clue_may_rectify("初核"));
    CHECK(!ledger_clue_may_rectify("了结"));
    CHECK(!ledger_clue_may_rectify("移送"));
    CHECK(!ledger_clue_may_rectify(NULL));
    struct ledger_clue l[] = {
        {.status = "初核", .shares = 1},
        {.status = "立案", .shares = 2},
        {.status = "办结", .persons = 3},
        {.status = "移送"},
        {.status = "了结"},
    };
    struct ledger_clue_figures f;
    ledger_clue_figures_compute(l, 5, &f);
    CHECK_INT(f.received, 5);
    CHECK_INT(f.shares, 3);
    CHECK_INT(f.cases, 2);
    CHECK_INT(f.cases_open, 1);
    CHECK_INT(f.transferred, 1);
    CHECK_INT(f.persons, 3);
    struct auth_principal admin = {.role = AUTH_ROLE_ADMIN};
    struct auth_principal sup = {.role = AUTH_ROLE_SUPERVISOR, .region = "500103"};
    struct auth_principal aud = {.role = AUTH_ROLE_AUDITOR, .region = "500103"};
    CHECK(!ledger_clue_visible_to(&admin));
    CHECK(!ledger_clue_visible_to(NULL));
    CHECK(ledger_clue_visible_to(&sup));
    CHECK(ledger_clue_visible_to(&aud));
}

/* The write path on a migrated database: rules refused with their codes, every write audited,
 * the chain intact. */
TEST(audited_writes)
{
    struct db *db = NULL;
    struct app_error err = {0};
    int64_t id, pid, mid, uid, rows, broken;
    char why[64];
    CHECK(sodium_init() >= 0);
    if (db_open(":memory:", 1000, &db, &err) || db_migrate(db, NULL, &err) ||
        org_seed(db, false, &err)) {
        fprintf(stderr, "    %s\n", err.message);
        abort();
    }
    struct auth_user_input owner = {.username = "wang",
                                    .role = "department",
                                    .department = "urban",
                                    .password = "long-enough-pw"};
    CHECK_INT(auth_user_create_cost(db, "min", &owner, &uid, &err), 0);
    struct auth_principal boss = {.user_id = 99,
                                  .username = "boss",
                                  .role = AUTH_ROLE_CENTER,
                                  .level = "district",
                                  .region = "500103"};
    struct auth_principal wang = {.user_id = uid,
                                  .username = "wang",
                                  .role = AUTH_ROLE_DEPARTMENT,
                                  .department = "urban",
                                  .region = "500103"};
    struct auth_principal eco = {
        .username = "e", .role = AUTH_ROLE_DEPARTMENT, .department = "eco", .region = "500103"};
    clock_set_fixed(1778000000); /* 2026-05-06 Shanghai */
    struct ledger_problem_input in = {.title = "问题",
                                      .source = "巡察",
                                      .category = "作风",
                                      .department = "urban",
                                      .deadline = "2026-06-30"};
    CHECK_INT(ledger_problem_add(db, &boss, "r1", &in, &pid, &err), 0);
    struct ledger_measure_input mi = {.title = "措施", .owner = "wang", .deadline = "2026-06-01"};
    CHECK_INT(ledger_measure_add(db, &boss, "r2", pid, &mi, &mid, &err), 0);
    CHECK_INT(ledger_problem_close(db, &boss, "r3", pid, &err), -1);
    CHECK_STR(err.code_name, "measure_open");
    /* Another department does not see it at all. */
    struct ledger_problem p;
    struct ledger_measure_list ms = {0};
    struct ledger_mark_list ks = {0};
    CHECK_INT(ledger_problem_get(db, &eco, pid, &p, &ms, &ks, &err), -1);
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
    struct ledger_done_input done = {.evidence = "整改照片", .events = ""};
    CHECK_INT(ledger_measure_done(db, &wang, "r4", mid, &done, &err), 0);
    CHECK_INT(ledger_measure_approve(db, &wang, "r5", mid, &err), -1);
    CHECK_STR(err.code_name, "self_approval");
    CHECK_INT(ledger_measure_approve(db, &boss, "r6", mid, &err), 0);
    CHECK_INT(ledger_problem_close(db, &boss, "r7", pid, &err), 0);
    mi.title = "再加一项";
    CHECK_INT(ledger_measure_add(db, &boss, "r8", pid, &mi, &id, &err), -1);
    CHECK_STR(err.code_name, "problem_closed");
    CHECK_INT(ledger_problem_reopen(db, &boss, "r9", pid, "", &err), -1);
    CHECK_STR(err.field, "reason");
    CHECK_INT(ledger_problem_reopen(db, &boss, "r9", pid, "回潮", &err), 0);
    CHECK_INT(ledger_problem_reopen(db, &boss, "r10", pid, "回潮", &err), -1);
    CHECK_STR(err.code_name, "not_closed");
    struct ledger_book bk;
    struct ledger_figures f;
    CHECK_INT(ledger_book_load(db, &wang, &bk, &err), 0);
    ledger_figures_compute(&bk, "2026-05-06", LEDGER_GROUP_NONE, &f);
    check_counts(&f.total, 1, 1, 0, 0, 1, 0, 1, 0);
    ledger_figures_release(&f);
    ledger_book_release(&bk);
    CHECK_INT(ledger_book_load(db, &eco, &bk, &err), 0);
    CHECK_INT(bk.problems.len, 0);
    ledger_book_release(&bk);
    /* user, problem, measure, done, approve, close, reopen. */
    CHECK_INT(audit_verify(db, &rows, &broken, why, sizeof why, &err), 0);
    CHECK_INT(rows, 7);
    clock_set_fixed(-1);
    db_close(db);
}

TEST_SUITE({"status_as_of", status_as_of}, {"overdue_measure", overdue_measure},
           {"overdue_problem", overdue_problem},
           {"close_rule", close_rule}, {"figures_as_of", figures_as_of},
           {"figures_grouped", figures_grouped}, {"changes_between_days", changes_between_days},
           {"figures_csv", figures_csv}, {"clue_steps_and_figures", clue_steps_and_figures},
           {"audited_writes", audited_writes});
