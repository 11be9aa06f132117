/* Unit tests of the indicators: every formula on a hand-computed set of counts, weights and
 * grades, and the counts themselves taken from a hand-written event history in an in-memory
 * database (expected figures worked out by hand in the comments). */
#include <math.h>
#include <stdlib.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/db.h"
#include "event/indicator.h"
#include "test.h"

static const struct indicator_counts fixture = {
    .reported = 20,
    .accepted = 18,
    .registered = 16,
    .patrol_registered = 8,
    .dispatched = 14,
    .handled = 12,
    .handle_overdue_open = 3,
    .closed = 10,
    .closed_on_time = 8,
    .close_overdue_open = 2,
    .overdue = 5,
    .rework = 3,
    .handle_seconds = 4 * 25200 + 7200, /* 30 working hours over 4 events */
    .handle_samples = 4,
    .hotline_dispatched = 10,
    .hotline_signed = 9,
    .hotline_satisfied = 6,
    .hotline_basic = 2,
    .hotline_unsatisfied = 2,
};

static struct indicator_weights weights(const char *spec)
{
    struct indicator_weights w;
    struct app_error err = {0};
    if (indicator_weights_parse(spec, &w, "weights", &err))
        abort();
    return w;
}

TEST(formulas_on_fixture)
{
    struct indicator_values v;
    struct indicator_weights w = weights("");
    indicator_compute(&fixture, &w, &v);
    CHECK_INT(v.due_to_close, 12);                /* 10 closed + 2 overdue unclosed */
    CHECK_INT(v.due_to_handle, 15);               /* 12 handled + 3 overdue unhandled */
    CHECK_NEAR(v.closure_rate, 83.3333333, 1e-6); /* 10 / 12 */
    CHECK_NEAR(v.ontime_rate, 66.6666667, 1e-6);  /* 8 / 12 */
    CHECK_NEAR(v.handle_rate, 80.0, 1e-9);        /* 12 / 15 */
    CHECK_NEAR(v.rework_rate, 25.0, 1e-9);        /* 3 / 12 */
    CHECK_NEAR(v.patrol_rate, 50.0, 1e-9);        /* 8 / 16 */
    CHECK_NEAR(v.cases_score, 100.0, 1e-9);       /* 16 ≤ 50 */
    CHECK_NEAR(v.avg_handle_hours, 7.5, 1e-9);    /* 30 h / 4 */
    CHECK_NEAR(v.response_rate, 90.0, 1e-9);      /* 9 / 10 */
    CHECK_NEAR(v.resolve_rate, 80.0, 1e-9);       /* (6 + 2) / 10 */
    CHECK_NEAR(v.satisfaction_rate, 76.0, 1e-9);  /* (6 + 0.8 × 2) / 10 */
    /* (10 × 50 + 20 × 100 + 30 × 83.333 + 40 × 66.667) / 100 */
    CHECK_NEAR(v.composite, 76.6666667, 1e-6);
    CHECK_INT(v.grade, 'B');
}

TEST(composite_weights)
{
    struct indicator_values v;
    struct indicator_weights w = weights("patrol:0,cases:0,closure:0,ontime:0,response:30,"
                                         "resolve:35,satisfaction:35");
    indicator_compute(&fixture, &w, &v);
    CHECK_NEAR(v.composite, 81.6, 1e-9); /* (30 × 90 + 35 × 80 + 35 × 76) / 100 */
    /* Department evaluation: 立案数分值 10 + 结案率 30 + 按期 30 + (100 − 返工率) 30. */
    w = weights("patrol:0,cases:10,closure:30,ontime:30,rework:30");
    indicator_compute(&fixture, &w, &v);
    CHECK_NEAR(v.composite, 77.5, 1e-9);
    /* The reference weights summing to 70 % are normalised, not capped at 70. */
    w = weights("patrol:10,cases:20,closure:30,ontime:10");
    indicator_compute(&fixture, &w, &v);
    CHECK_NEAR(v.composite, 5666.6666667 / 70, 1e-6);
    /* basic_share changes 满意率 only. */
    w = weights("basic_share:0.5");
    indicator_compute(&fixture, &w, &v);
    CHECK_NEAR(v.satisfaction_rate, 70.0, 1e-9);
}

TEST(undefined_rates_drop_out)
{
    struct indicator_counts c = {0};
    struct indicator_values v;
    struct indicator_weights w = weights("");
    indicator_compute(&c, &w, &v);
    CHECK(isnan(v.closure_rate));
    CHECK(isnan(v.avg_handle_hours));
    CHECK(isnan(v.response_rate));
    CHECK(isnan(v.composite)); /* 立案数分值 alone gives no score */
    CHECK_INT(v.grade, 0);
    /* Only closures known: the composite renormalises over closure and cases. */
    c.closed = 3;
    c.closed_on_time = 3;
    c.registered = 3;
    c.patrol_registered = 3;
    indicator_compute(&c, &w, &v);
    CHECK_NEAR(v.closure_rate, 100, 1e-9);
    CHECK_NEAR(v.composite, 100, 1e-9);
}

TEST(weights_parse_errors)
{
    struct indicator_weights w;
    struct app_error err = {0};
    CHECK_INT(indicator_weights_parse("closure", &w, "weights", &err), -1);
    CHECK_STR(err.code_name, "invalid_weights");
    CHECK_STR(err.field, "weights");
    CHECK_INT(indicator_weights_parse("bogus:3", &w, "weights", &err), -1);
    CHECK_INT(indicator_weights_parse("closure:-1", &w, "weights", &err), -1);
    CHECK_INT(indicator_weights_parse("closure:x", &w, "weights", &err), -1);
    CHECK_INT(indicator_weights_parse("basic_share:2", &w, "weights", &err), -1);
    CHECK_INT(indicator_weights_parse("patrol:0,cases:0,closure:0,ontime:0", &w, "w", &err), -1);
    CHECK_INT(indicator_weights_parse("closure:50,ontime:50", &w, "weights", &err), 0);
    CHECK_NEAR(w.patrol, 10, 1e-9); /* unnamed weights keep their defaults */
}

TEST(grades_and_brackets)
{
    CHECK_INT(indicator_grade(100), 'A');
    CHECK_INT(indicator_grade(90), 'A');
    CHECK_INT(indicator_grade(89.99), 'B');
    CHECK_INT(indicator_grade(75), 'B');
    CHECK_INT(indicator_grade(74.99), 'C');
    CHECK_INT(indicator_grade(60), 'C');
    CHECK_INT(indicator_grade(40), 'D');
    CHECK_INT(indicator_grade(39.99), 'E');
    CHECK_INT(indicator_grade(0), 'E');
    CHECK_INT(indicator_grade(NAN), 0);
    CHECK_NEAR(indicator_cases_score(50), 100, 0);
    CHECK_NEAR(indicator_cases_score(51), 90, 0);
    CHECK_NEAR(indicator_cases_score(200), 75, 0);
    CHECK_NEAR(indicator_cases_score(500), 60, 0);
    CHECK_NEAR(indicator_cases_score(1000), 40, 0);
    CHECK_NEAR(indicator_cases_score(1001), 0, 0);
    CHECK(isnan(indicator_rate(1, 0)));
    CHECK_NEAR(indicator_rate(1, 3), 100.0 / 3, 1e-12);
}

TEST(group_names)
{
    CHECK_INT(indicator_group_parse("street"), INDICATOR_GROUP_STREET);
    CHECK_INT(indicator_group_parse("day"), INDICATOR_GROUP_DAY);
    CHECK_INT(indicator_group_parse(""), INDICATOR_GROUP_NONE);
    CHECK_INT(indicator_group_parse(NULL), INDICATOR_GROUP_NONE);
    CHECK_INT(indicator_group_parse("city"), -1);
    CHECK_STR(indicator_group_name(INDICATOR_GROUP_CATEGORY), "category");
}

/* ---- the pure fold of one event's rows -------------------------------------------------- */

static struct indicator_counts fold(const struct indicator_hrow *rows, int n, const char *channel,
                                    int64_t from)
{
    struct indicator_facts f;
    struct indicator_counts c = {0};
    struct app_error err = {0};
    indicator_facts_init(&f);
    for (int i = 0; i < n; i++)
        indicator_facts_step(&f, &rows[i], from);
    if (indicator_facts_add(&f, channel, calendar_default(), from, &c, &err))
        abort();
    return c;
}

TEST(facts_of_one_event)
{
    int64_t t = 1795000000; /* 2026-11-18, a Wednesday */
    /* 自处理: reported, accepted, registered, handled and closed on time; no dispatch. */
    const struct indicator_hrow self[] = {
        {t, "report", "reported", "reported", "", "", false},
        {t + 600, "self_handle", "reported", "closed", "", "", false},
    };
    struct indicator_counts c = fold(self, 2, "grid_patrol", t - 86400);
    CHECK_INT(c.reported + c.accepted + c.registered + c.handled + c.closed, 5);
    CHECK_INT(c.closed_on_time, 1);
    CHECK_INT(c.patrol_registered, 1);
    CHECK_INT(c.dispatched, 0);
    CHECK_INT(c.handle_samples, 0);
    /* A sensor alert enters 派遣 at intake: accepted, registered and dispatched at once. */
    const struct indicator_hrow sensor[] = {
        {t, "report", "reported", "dispatched", "eco", "", false},
    };
    c = fold(sensor, 1, "sensor", t - 86400);
    CHECK_INT(c.accepted, 1);
    CHECK_INT(c.registered, 1);
    CHECK_INT(c.dispatched, 1);
    /* Rows before the period set the history but count nothing themselves; an event without a
     * row in the period counts nowhere. */
    c = fold(self, 2, "grid_patrol", t + 3600);
    CHECK_INT(c.reported + c.closed, 0);
    /* Voided before acceptance: reported only. */
    const struct indicator_hrow voided[] = {
        {t, "report", "reported", "reported", "", "", false},
        {t + 60, "void", "reported", "void_pending", "", "", false},
        {t + 120, "approve_void", "void_pending", "voided", "", "", false},
    };
    c = fold(voided, 3, "citizen_qr", t - 86400);
    CHECK_INT(c.reported, 1);
    CHECK_INT(c.accepted + c.registered + c.closed, 0);
    /* Escalation re-enters 立案 from 派遣: not a second 立案. Late signing: overdue, unclosed. */
    const struct indicator_hrow late[] = {
        {t, "report", "reported", "registered", "", "", false},
        {t + 60, "dispatch", "registered", "dispatched", "urban", "", false},
        {t + 7200, "sign", "dispatched", "handling", "urban", "", true},
        {t + 9000, "escalate", "handling", "registered", "", "", false},
    };
    c = fold(late, 4, "hotline_12345", t - 86400);
    CHECK_INT(c.registered, 1);
    CHECK_INT(c.overdue, 1);
    CHECK_INT(c.close_overdue_open, 1);
    CHECK_INT(c.handle_overdue_open, 1);
    CHECK_INT(c.hotline_dispatched, 1);
    CHECK_INT(c.hotline_signed, 0); /* signed after its deadline */
}

/* ---- counts from a hand-written history ----------------------------------------------- */

static int64_t T(const char *s)
{
    int64_t t = 0;
    struct app_error err = {0};
    if (clock_parse(s, &t, "t", &err))
        abort();
    return t;
}

static void exec(struct db *db, struct buf *b)
{
    struct app_error err = {0};
    if (db_exec(db, buf_cstr(b), &err)) {
        fprintf(stderr, "fixture: %s\n%s\n", err.message, buf_cstr(b));
        abort();
    }
    buf_reset(b);
}

static void event(struct db *db, int id, const char *channel, const char *street, int grid)
{
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "INSERT INTO events (id, code, tracking, channel, category, title, lon, lat, grid,"
               " community, street, district, urgency, state, created_at, updated_at,"
               " stage_started_at, board) VALUES (%d, 'E%d', 'T%d', '%s', '0101', 't', 106.5,"
               " 29.5, '%s001%03d', '%s001', '%s', '500103', 'normal', 'reported', 0, 0, 0,"
               " 'minsheng')",
               id, id, id, channel, street, grid, street, street);
    exec(db, &b);
    buf_release(&b);
}

static void hist(struct db *db, int id, const char *at, const char *action, const char *from,
                 const char *to, const char *dept, int overdue, const char *comment)
{
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "INSERT INTO event_history (event_id, at, action, from_state, to_state, department,"
               " overdue, comment) VALUES (%d, %lld, '%s', '%s', '%s', '%s', %d, '%s')",
               id, (long long)T(at), action, from, to, dept, overdue, comment);
    exec(db, &b);
    buf_release(&b);
}

static struct db *fixture_db(void)
{
    struct db *db;
    struct app_error err = {0};
    if (db_open(":memory:", 1000, &db, &err) || db_migrate(db, NULL, &err))
        abort();
    struct buf b = BUF_INIT;
    buf_puts(&b, "INSERT INTO regions (code, name, level) VALUES ('500103', '渝中区', 'district');"
                 "INSERT INTO event_categories (code, name, major, kind, board, unit) VALUES"
                 " ('0101', '上水井盖', '公用设施', 'component', 'minsheng', 'wh');"
                 "INSERT INTO departments (code, name, region_code) SELECT 'D1', '城管局', code"
                 " FROM regions LIMIT 1;");
    exec(db, &b);
    buf_release(&b);
    const char *s1 = "500103001", *s2 = "500103002";
    /* E1 grid patrol, street 1: registered directly, dispatched to D1, handled, closed. */
    event(db, 1, "grid_patrol", s1, 1);
    hist(db, 1, "2026-11-02T09:00:00+08:00", "report", "reported", "registered", "", 0, "");
    hist(db, 1, "2026-11-02T10:00:00+08:00", "dispatch", "registered", "dispatched", "D1", 0, "");
    hist(db, 1, "2026-11-02T11:00:00+08:00", "sign", "dispatched", "handling", "D1", 0, "");
    hist(db, 1, "2026-11-03T10:00:00+08:00", "feedback", "handling", "feedback", "D1", 0, "");
    hist(db, 1, "2026-11-03T11:00:00+08:00", "send_check", "feedback", "checking", "D1", 0, "");
    hist(db, 1, "2026-11-03T15:00:00+08:00", "check_pass", "checking", "closed", "D1", 0, "");
    /* E2 citizen QR, street 1: verified, dispatched to D2, signed late, overdue, still open. */
    event(db, 2, "citizen_qr", s1, 1);
    hist(db, 2, "2026-11-05T09:00:00+08:00", "report", "reported", "reported", "", 0, "");
    hist(db, 2, "2026-11-05T10:00:00+08:00", "accept", "reported", "verifying", "", 0, "");
    hist(db, 2, "2026-11-06T10:00:00+08:00", "verify", "verifying", "registered", "", 0, "");
    hist(db, 2, "2026-11-06T11:00:00+08:00", "dispatch", "registered", "dispatched", "D2", 0, "");
    hist(db, 2, "2026-11-09T11:00:00+08:00", "sign", "dispatched", "handling", "D2", 1, "");
    hist(db, 2, "2026-11-10T11:00:00+08:00", "overdue", "handling", "handling", "D2", 0, "");
    /* E3 hotline, street 1, from October: rework in November, closed, revisit 基本满意. */
    event(db, 3, "hotline_12345", s1, 2);
    hist(db, 3, "2026-10-28T13:00:00+08:00", "report", "reported", "registered", "", 0, "");
    hist(db, 3, "2026-10-28T14:00:00+08:00", "dispatch", "registered", "dispatched", "D1", 0, "");
    hist(db, 3, "2026-10-28T15:00:00+08:00", "sign", "dispatched", "handling", "D1", 0, "");
    hist(db, 3, "2026-11-02T09:00:00+08:00", "feedback", "handling", "feedback", "D1", 0, "");
    hist(db, 3, "2026-11-02T09:30:00+08:00", "send_check", "feedback", "checking", "D1", 0, "");
    hist(db, 3, "2026-11-02T10:00:00+08:00", "check_fail", "checking", "handling", "D1", 0, "");
    hist(db, 3, "2026-11-03T10:00:00+08:00", "feedback", "handling", "feedback", "D1", 0, "");
    hist(db, 3, "2026-11-03T11:00:00+08:00", "send_check", "feedback", "checking", "D1", 0, "");
    hist(db, 3, "2026-11-04T10:00:00+08:00", "check_pass", "checking", "closed", "D1", 0, "");
    hist(db, 3, "2026-11-05T10:00:00+08:00", "revisit", "closed", "revisited", "D1", 0,
         "满意度：基本满意");
    /* E4 grid patrol, street 2: 自处理 on the spot. */
    event(db, 4, "grid_patrol", s2, 1);
    hist(db, 4, "2026-11-10T09:00:00+08:00", "report", "reported", "reported", "", 0, "");
    hist(db, 4, "2026-11-10T09:30:00+08:00", "self_handle", "reported", "closed", "", 0, "");
    /* E5 hotline, street 2: late feedback, closed, revisit 不满意 reopens it. */
    event(db, 5, "hotline_12345", s2, 1);
    hist(db, 5, "2026-11-20T09:00:00+08:00", "report", "reported", "registered", "", 0, "");
    hist(db, 5, "2026-11-20T10:00:00+08:00", "dispatch", "registered", "dispatched", "D1", 0, "");
    hist(db, 5, "2026-11-20T11:00:00+08:00", "sign", "dispatched", "handling", "D1", 0, "");
    hist(db, 5, "2026-11-23T10:00:00+08:00", "feedback", "handling", "feedback", "D1", 1, "");
    hist(db, 5, "2026-11-23T11:00:00+08:00", "send_check", "feedback", "checking", "D1", 0, "");
    hist(db, 5, "2026-11-24T10:00:00+08:00", "check_pass", "checking", "closed", "D1", 0, "");
    hist(db, 5, "2026-11-25T10:00:00+08:00", "revisit", "closed", "handling", "D1", 0,
         "回访；满意度：不满意");
    /* E6 citizen QR, street 2: voided. */
    event(db, 6, "citizen_qr", s2, 1);
    hist(db, 6, "2026-11-12T09:00:00+08:00", "report", "reported", "reported", "", 0, "");
    hist(db, 6, "2026-11-12T10:00:00+08:00", "void", "reported", "void_pending", "", 0, "");
    hist(db, 6, "2026-11-13T10:00:00+08:00", "approve_void", "void_pending", "voided", "", 0, "");
    /* E7 after the period. */
    event(db, 7, "grid_patrol", s1, 1);
    hist(db, 7, "2026-12-01T09:00:00+08:00", "report", "reported", "registered", "", 0, "");
    return db;
}

static struct indicator_filter november(enum indicator_group g)
{
    return (struct indicator_filter){
        .from = T("2026-11-01T00:00:00+08:00"), .to = T("2026-12-01T00:00:00+08:00"), .group = g};
}

TEST(counts_from_history)
{
    struct db *db = fixture_db();
    struct indicator_table t;
    struct app_error err = {0};
    struct indicator_filter f = november(INDICATOR_GROUP_NONE);
    CHECK_INT(indicator_collect(db, calendar_default(), &f, &t, &err), 0);
    CHECK_INT(t.len, 1);
    const struct indicator_counts *c = &t.items[0].c;
    CHECK_INT(c->reported, 5);   /* E1 E2 E4 E5 E6 */
    CHECK_INT(c->accepted, 4);   /* E1 E2 E4 E5 */
    CHECK_INT(c->registered, 4); /* E1 E2 E4(自处理) E5 */
    CHECK_INT(c->patrol_registered, 2);
    CHECK_INT(c->dispatched, 3);         /* E1 E2 E5 */
    CHECK_INT(c->handled, 4);            /* E1 E3 E4 E5 */
    CHECK_INT(c->closed, 4);             /* E1 E3 E4 E5 */
    CHECK_INT(c->closed_on_time, 3);     /* E5's feedback was late */
    CHECK_INT(c->overdue, 2);            /* E2 E5 */
    CHECK_INT(c->close_overdue_open, 1); /* E2 */
    CHECK_INT(c->handle_overdue_open, 1);
    CHECK_INT(c->rework, 1); /* E3 */
    /* E1 7 h, E3 18 h (Wed 14:00 → Mon 09:00), E5 7 h (Fri 10:00 → Mon 10:00). */
    CHECK_INT(c->handle_samples, 3);
    CHECK_INT(c->handle_seconds, 32 * 3600);
    CHECK_INT(c->hotline_dispatched, 1);
    CHECK_INT(c->hotline_signed, 1);
    CHECK_INT(c->hotline_basic, 1);
    CHECK_INT(c->hotline_unsatisfied, 1);
    CHECK_INT(c->hotline_satisfied, 0);
    struct indicator_values v;
    struct indicator_weights w = weights("");
    indicator_compute(c, &w, &v);
    CHECK_NEAR(v.closure_rate, 80, 1e-9); /* 4 / (4 + 1) */
    CHECK_NEAR(v.ontime_rate, 60, 1e-9);  /* 3 / 5 */
    CHECK_NEAR(v.handle_rate, 80, 1e-9);  /* 4 / (4 + 1) */
    CHECK_NEAR(v.rework_rate, 25, 1e-9);  /* 1 / 4 */
    CHECK_NEAR(v.avg_handle_hours, 32.0 / 3, 1e-9);
    CHECK_NEAR(v.satisfaction_rate, 40, 1e-9); /* 0.8 × 1 / 2 */
    /* (10 × 50 + 20 × 100 + 30 × 80 + 40 × 60) / 100 */
    CHECK_NEAR(v.composite, 73, 1e-9);
    CHECK_INT(v.grade, 'C');
    indicator_table_release(&t);
    /* The same period gives the same figures after later history is written. */
    hist(db, 2, "2026-12-02T10:00:00+08:00", "feedback", "handling", "feedback", "D2", 0, "");
    CHECK_INT(indicator_collect(db, calendar_default(), &f, &t, &err), 0);
    CHECK_INT(t.items[0].c.close_overdue_open, 1);
    CHECK_INT(t.items[0].c.handled, 4);
    indicator_table_release(&t);
    db_close(db);
}

TEST(grouping_and_filters)
{
    struct db *db = fixture_db();
    struct indicator_table t;
    struct app_error err = {0};
    struct indicator_filter f = november(INDICATOR_GROUP_CHANNEL);
    CHECK_INT(indicator_collect(db, calendar_default(), &f, &t, &err), 0);
    CHECK_INT(t.len, 3); /* sorted by key */
    CHECK_STR(t.items[0].key, "citizen_qr");
    CHECK_STR(t.items[0].label, "码上举报");
    CHECK_INT(t.items[0].c.reported, 2);
    CHECK_STR(t.items[1].key, "grid_patrol");
    CHECK_INT(t.items[1].c.closed, 2);
    CHECK_STR(t.items[2].key, "hotline_12345");
    CHECK_INT(t.items[2].c.rework, 1);
    indicator_table_release(&t);

    f = november(INDICATOR_GROUP_DEPARTMENT);
    CHECK_INT(indicator_collect(db, calendar_default(), &f, &t, &err), 0);
    CHECK_INT(t.len, 3);
    CHECK_STR(t.items[0].key, "");
    CHECK_STR(t.items[0].label, "未派遣至部门");
    CHECK_STR(t.items[1].key, "D1");
    CHECK_STR(t.items[1].label, "城管局");
    CHECK_INT(t.items[1].c.closed, 3); /* E1 E3 E5 */
    CHECK_STR(t.items[2].key, "D2");
    CHECK_INT(t.items[2].c.overdue, 1);
    indicator_table_release(&t);

    f = november(INDICATOR_GROUP_NONE);
    f.region = "500103001";
    CHECK_INT(indicator_collect(db, calendar_default(), &f, &t, &err), 0);
    CHECK_INT(t.items[0].c.reported, 2); /* E1 E2; E7 is December */
    CHECK_INT(t.items[0].c.closed, 2);   /* E1 E3 */
    indicator_table_release(&t);

    f.region = NULL;
    f.department = "D1";
    CHECK_INT(indicator_collect(db, calendar_default(), &f, &t, &err), 0);
    CHECK_INT(t.items[0].c.closed, 3);
    indicator_table_release(&t);

    f = november(INDICATOR_GROUP_DAY);
    CHECK_INT(indicator_collect(db, calendar_default(), &f, &t, &err), 0);
    CHECK_INT(t.len, 30);
    CHECK_STR(t.items[9].key, "2026-11-10");
    CHECK_INT(t.items[9].c.reported, 1); /* E4 */
    CHECK_INT(t.items[9].c.closed, 1);
    CHECK_INT(t.items[9].c.overdue, 1); /* E2's 超期督办 row */
    CHECK_INT(t.items[0].c.reported, 0);
    indicator_table_release(&t);
    db_close(db);
}

TEST(csv_export)
{
    struct indicator_table t = {0};
    struct indicator_row *r = indicator_table_row(&t, "500103001");
    snprintf(r->label, sizeof r->label, "七星岗街道, \"测试\"");
    r->c = fixture;
    struct indicator_values v[1], total;
    struct indicator_weights w = weights("");
    indicator_compute(&fixture, &w, &v[0]);
    indicator_compute(&fixture, &w, &total);
    struct buf b = BUF_INIT;
    indicator_write_csv(&t, v, &total, &b);
    const char *s = buf_cstr(&b);
    CHECK(strncmp(s, "\xEF\xBB\xBF编码,名称,上报数", 3 + 19) == 0);
    CHECK(strstr(s, "\r\n500103001,\"七星岗街道, \"\"测试\"\"\",20,18,16,14,12,10,12,8,5,3,"
                    "83.33,66.67,80.00,25.00,7.50,90.00,80.00,76.00,76.67,B\r\n") != NULL);
    CHECK(strstr(s, "\r\n,合计,20,") != NULL);
    buf_release(&b);
    indicator_table_release(&t);
}

TEST(csv_export_ungrouped_total_once)
{
    /* Without group_by the table's one row is the total: 合计 is written once, not twice. */
    struct indicator_table t = {0};
    struct indicator_row *r = indicator_table_row(&t, "");
    snprintf(r->label, sizeof r->label, "合计");
    r->c = fixture;
    struct indicator_values v[1], total;
    struct indicator_weights w = weights("");
    indicator_compute(&fixture, &w, &v[0]);
    indicator_compute(&fixture, &w, &total);
    struct buf b = BUF_INIT;
    indicator_write_csv(&t, v, &total, &b);
    const char *s = buf_cstr(&b);
    const char *first = strstr(s, "合计");
    CHECK(first != NULL);
    CHECK(first && strstr(first + 1, "合计") == NULL);
    int lines = 0;
    for (const char *p = s; *p; p++)
        lines += *p == '\n';
    CHECK_INT(lines, 2);
    buf_release(&b);
    indicator_table_release(&t);
}

TEST(scope_check)
{
    struct indicator_query q = {.f = november(INDICATOR_GROUP_NONE)};
    struct auth_principal center = {.role = AUTH_ROLE_CENTER, .region = "500103001"};
    struct auth_principal admin = {.role = AUTH_ROLE_ADMIN};
    struct app_error err = {0};
    char buf[24];
    CHECK_INT(indicator_check(&center, &q, buf, sizeof buf, &err), 0);
    CHECK_STR(q.f.region, "500103001"); /* defaults to the caller's jurisdiction */
    q.f.region = "500103002";
    CHECK_INT(indicator_check(&center, &q, buf, sizeof buf, &err), -1);
    CHECK_STR(err.code_name, "out_of_scope");
    CHECK_STR(err.field, "region");
    q.f.region = NULL;
    CHECK_INT(indicator_check(&admin, &q, buf, sizeof buf, &err), 0);
    CHECK(q.f.region == NULL);
    q.f.to = q.f.from;
    CHECK_INT(indicator_check(&admin, &q, buf, sizeof buf, &err), -1);
    CHECK_STR(err.field, "to");
    q.f.to = q.f.from + 400 * 86400;
    q.f.group = INDICATOR_GROUP_DAY;
    CHECK_INT(indicator_check(&admin, &q, buf, sizeof buf, &err), -1);
    CHECK_STR(err.code_name, "period_too_long");
}

TEST_SUITE({"formulas_on_fixture", formulas_on_fixture}, {"composite_weights", composite_weights},
           {"undefined_rates_drop_out", undefined_rates_drop_out},
           {"weights_parse_errors", weights_parse_errors},
           {"grades_and_brackets", grades_and_brackets}, {"group_names", group_names},
           {"facts_of_one_event", facts_of_one_event}, {"counts_from_history", counts_from_history},
           {"grouping_and_filters", grouping_and_filters}, {"csv_export", csv_export},
           {"csv_export_ungrouped_total_once", csv_export_ungrouped_total_once},
           {"scope_check", scope_check});
