/* The event workflow: every (state, action) pair of the transition table against an
 * independent list of the legal ones, the guards, the effects of each rule, stage deadlines
 * over the working-day calendar, scope, and — against an in-memory database with the demo
 * district — duplicates, overdue escalation and escalation after two returns. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/config.h"
#include "event/event_internal.h"
#include "geo/geo.h"
#include "org/org.h"
#include "test.h"

/* The legal pairs as the issue states them (from:action>to), written independently of the
 * table in event.c. "prev" = back to the state before parking / the void request. */
static const char *const legal[] = {
    "reported:accept>verifying",
    "reported:register>registered",
    "verifying:verify>registered",
    "reported:void>void_pending",
    "verifying:void>void_pending",
    "registered:void>void_pending",
    "void_pending:approve_void>voided",
    "void_pending:reject_void>prev",
    "registered:dispatch>dispatched",
    "returned:dispatch>dispatched",
    "dispatched:sign>handling",
    "dispatched:return>returned",
    "handling:return>returned",
    "handling:request_extension>handling",
    "handling:approve_extension>handling",
    "handling:reject_extension>handling",
    "handling:feedback>feedback",
    "feedback:send_check>checking",
    "checking:check_pass>closed",
    "checking:check_fail>handling",
    "closed:revisit>revisited",
    "registered:park>parked",
    "dispatched:park>parked",
    "handling:park>parked",
    "returned:park>parked",
    "parked:resume>prev",
    "reported:self_handle>closed",
    "registered:escalate>registered",
    "dispatched:escalate>registered",
    "handling:escalate>registered",
    "returned:escalate>registered",
    "registered:assign_down>registered",
    "returned:assign_down>registered",
    "reported:merge>merged",
    "verifying:merge>merged",
    "registered:merge>merged",
    "dispatched:merge>merged",
    "handling:merge>merged",
    "returned:merge>merged",
    "parked:merge>merged",
    "registered:supervise>registered",
    "dispatched:supervise>dispatched",
    "handling:supervise>handling",
    "returned:supervise>returned",
    "feedback:supervise>feedback",
    "checking:supervise>checking",
};

static const char *const actions[] = {
    "accept",
    "register",
    "verify",
    "void",
    "approve_void",
    "reject_void",
    "dispatch",
    "sign",
    "return",
    "request_extension",
    "approve_extension",
    "reject_extension",
    "feedback",
    "send_check",
    "check_pass",
    "check_fail",
    "revisit",
    "park",
    "resume",
    "self_handle",
    "escalate",
    "assign_down",
    "merge",
    "supervise",
};

static const char *expected_to(enum event_state from, const char *action)
{
    char key[64];
    snprintf(key, sizeof(key), "%s:%s>", event_state_name(from), action);
    for (size_t i = 0; i < sizeof(legal) / sizeof(legal[0]); i++)
        if (strncmp(legal[i], key, strlen(key)) == 0)
            return legal[i] + strlen(key);
    return NULL;
}

static struct event_category cat_fixture(void)
{
    struct event_category c = {0};
    snprintf(c.code, sizeof(c.code), "1101");
    c.unit = EVENT_LIMIT_WORK_HOURS;
    c.limit_verify = 2;
    c.limit_dispatch = 1;
    c.limit_handle = 4;
    c.limit_check = 2;
    c.self_handle = true;
    return c;
}

static struct event event_fixture(enum event_state s, enum event_level level)
{
    struct event e = {0};
    snprintf(e.code, sizeof(e.code), "500103-20260302-00001");
    snprintf(e.grid, sizeof(e.grid), "500103003001001");
    e.state = s;
    e.prev_state = EVENT_STATE_REGISTERED;
    e.level = level;
    e.channel = EVENT_CHANNEL_GRID_PATROL;
    e.extension_pending = (s == EVENT_STATE_HANDLING);
    return e;
}

TEST(every_state_action_pair)
{
    struct event_category cat = cat_fixture();
    unsigned all =
        EVENT_PARTY_CENTER | EVENT_PARTY_ASSIGNEE | EVENT_PARTY_GRID | EVENT_PARTY_SYSTEM;
    int legal_seen = 0;
    for (int s = 0; s < EVENT_STATE_COUNT; s++)
        for (size_t a = 0; a < sizeof(actions) / sizeof(actions[0]); a++) {
            const char *want = expected_to((enum event_state)s, actions[a]);
            /* Level district so that both escalate and assign_down pass their guard. */
            struct event e = event_fixture((enum event_state)s, EVENT_LEVEL_DISTRICT);
            struct event_action_input in = {.reason = "理由",
                                            .result = "已处置",
                                            .satisfaction = EVENT_SAT_SATISFIED,
                                            .into = "500103-20260302-00002",
                                            .nattachments = 1};
            in.attachments[0] = "x";
            /* request_extension needs none pending; approve/reject need one. */
            e.extension_pending = strcmp(actions[a], "request_extension") != 0;
            in.hours = 4;
            const struct event_rule *r = NULL;
            struct app_error err = {0};
            int rc = event_rule_pick(&e, actions[a], all, "someone", &in, &cat, &r, &err);
            if (!want) {
                if (rc != -1 || err.code != APP_ERR_CONFLICT ||
                    strcmp(err.code_name, "illegal_transition") != 0)
                    fprintf(stderr, "    %s:%s should be illegal\n",
                            event_state_name((enum event_state)s), actions[a]);
                CHECK_INT(rc, -1);
                CHECK_STR(err.code_name, "illegal_transition");
                /* The problem names the state and the action in Chinese, never by their
                 * internal names (issue 10). */
                CHECK(strstr(err.message, event_state_label((enum event_state)s)) != NULL);
                CHECK(strstr(err.message, event_action_label(actions[a])) != NULL);
                CHECK(strstr(err.message, actions[a]) == NULL);
                continue;
            }
            legal_seen++;
            if (rc != 0)
                fprintf(stderr, "    %s:%s refused: %s\n", event_state_name((enum event_state)s),
                        actions[a], err.message);
            CHECK_INT(rc, 0);
            if (rc == 0) {
                event_rule_apply(&e, r, "someone", &in, 1000);
                if (strcmp(want, "prev") == 0)
                    CHECK_STR(event_state_name(e.state), "registered");
                else
                    CHECK_STR(event_state_name(e.state), want);
            }
        }
    CHECK_INT(legal_seen, (int)(sizeof(legal) / sizeof(legal[0])));
    /* And the table holds nothing more than the list. */
    size_t n;
    const struct event_rule *rows = event_rules(&n);
    for (size_t i = 0; i < n; i++)
        CHECK(expected_to(rows[i].from, rows[i].action) != NULL);
}

TEST(parties)
{
    struct event_category cat = cat_fixture();
    struct event e = event_fixture(EVENT_STATE_DISPATCHED, EVENT_LEVEL_STREET);
    snprintf(e.department, sizeof(e.department), "urban");
    const struct event_rule *r;
    struct app_error err = {0};
    /* A center may not sign for the department. */
    CHECK_INT(event_rule_pick(&e, "sign", EVENT_PARTY_CENTER, "c", NULL, &cat, &r, &err), -1);
    CHECK_INT(err.code, APP_ERR_FORBIDDEN);
    CHECK_STR(err.code_name, "not_party");
    CHECK_INT(event_rule_pick(&e, "sign", EVENT_PARTY_ASSIGNEE, "d", NULL, &cat, &r, &err), 0);

    struct auth_principal dept = {.role = AUTH_ROLE_DEPARTMENT};
    snprintf(dept.department, sizeof(dept.department), "urban");
    CHECK(event_parties(&dept, &e) & EVENT_PARTY_ASSIGNEE);
    snprintf(dept.department, sizeof(dept.department), "eco");
    CHECK_INT(event_parties(&dept, &e), 0);
    CHECK(!event_visible(&dept, &e));
    CHECK_INT(event_parties(NULL, &e), EVENT_PARTY_SYSTEM);
    struct auth_principal gw = {.role = AUTH_ROLE_GRID_WORKER};
    snprintf(gw.grid, sizeof(gw.grid), "500103003001001");
    CHECK(event_parties(&gw, &e) & EVENT_PARTY_GRID);
    snprintf(gw.grid, sizeof(gw.grid), "500103003001002");
    CHECK_INT(event_parties(&gw, &e), 0);
}

TEST(guards)
{
    struct event_category cat = cat_fixture();
    const struct event_rule *r;
    struct app_error err = {0};
    unsigned all = EVENT_PARTY_CENTER | EVENT_PARTY_ASSIGNEE | EVENT_PARTY_GRID;

    /* Public channels are verified before 立案. */
    struct event e = event_fixture(EVENT_STATE_REPORTED, EVENT_LEVEL_STREET);
    e.channel = EVENT_CHANNEL_CITIZEN_QR;
    CHECK_INT(event_rule_pick(&e, "register", all, "c", NULL, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "verification_required");
    e.channel = EVENT_CHANNEL_HOTLINE;
    CHECK_INT(event_rule_pick(&e, "register", all, "c", NULL, &cat, &r, &err), -1);
    e.channel = EVENT_CHANNEL_SENSOR;
    CHECK_INT(event_rule_pick(&e, "register", all, "c", NULL, &cat, &r, &err), 0);

    /* 核查 by someone other than the handler. */
    e = event_fixture(EVENT_STATE_CHECKING, EVENT_LEVEL_STREET);
    snprintf(e.handler, sizeof(e.handler), "dept_urban");
    CHECK_INT(event_rule_pick(&e, "check_pass", all, "dept_urban", NULL, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "checker_is_handler");
    CHECK_INT(event_rule_pick(&e, "check_pass", all, "grid_jfb", NULL, &cat, &r, &err), 0);
    /* A failed check needs a reason and counts as 返工. */
    CHECK_INT(event_rule_pick(&e, "check_fail", all, "grid_jfb", NULL, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "reason_required");
    CHECK_STR(err.field, "reason");
    struct event_action_input why = {.reason = "仍有垃圾"};
    CHECK_INT(event_rule_pick(&e, "check_fail", all, "grid_jfb", &why, &cat, &r, &err), 0);
    event_rule_apply(&e, r, "grid_jfb", &why, 10);
    CHECK_INT(e.rework_count, 1);
    CHECK_INT(e.state, EVENT_STATE_HANDLING);

    /* 回访: 不满意 reopens once, the second time it is recorded and ends. */
    e = event_fixture(EVENT_STATE_CLOSED, EVENT_LEVEL_STREET);
    struct event_action_input bad = {.satisfaction = EVENT_SAT_UNSATISFIED};
    CHECK_INT(event_rule_pick(&e, "revisit", all, "c", &bad, &cat, &r, &err), 0);
    event_rule_apply(&e, r, "c", &bad, 10);
    CHECK_INT(e.state, EVENT_STATE_HANDLING);
    CHECK_INT(e.reopen_count, 1);
    e.state = EVENT_STATE_CLOSED;
    CHECK_INT(event_rule_pick(&e, "revisit", all, "c", &bad, &cat, &r, &err), 0);
    event_rule_apply(&e, r, "c", &bad, 20);
    CHECK_INT(e.state, EVENT_STATE_REVISITED);
    e.state = EVENT_STATE_CLOSED;
    struct event_action_input none = {0};
    CHECK_INT(event_rule_pick(&e, "revisit", all, "c", &none, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "satisfaction_required");

    /* 自处理 needs a class that allows it and a photo. */
    e = event_fixture(EVENT_STATE_REPORTED, EVENT_LEVEL_STREET);
    CHECK_INT(event_rule_pick(&e, "self_handle", EVENT_PARTY_GRID, "g", &none, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "photo_required");
    struct event_action_input photo = {.nattachments = 1};
    photo.attachments[0] = "x";
    cat.self_handle = false;
    CHECK_INT(event_rule_pick(&e, "self_handle", EVENT_PARTY_GRID, "g", &photo, &cat, &r, &err),
              -1);
    CHECK_STR(err.code_name, "self_handle_not_allowed");
    cat.self_handle = true;
    CHECK_INT(event_rule_pick(&e, "self_handle", EVENT_PARTY_GRID, "g", &photo, &cat, &r, &err), 0);

    /* 升级 stops at the city; 交办 at the street. */
    e = event_fixture(EVENT_STATE_REGISTERED, EVENT_LEVEL_CITY);
    CHECK_INT(event_rule_pick(&e, "escalate", all, "c", &why, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "top_level");
    e.level = EVENT_LEVEL_STREET;
    CHECK_INT(event_rule_pick(&e, "assign_down", all, "c", &why, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "bottom_level");
    CHECK_INT(event_rule_pick(&e, "escalate", all, "c", &why, &cat, &r, &err), 0);
    snprintf(e.department, sizeof(e.department), "urban");
    event_rule_apply(&e, r, "c", &why, 10);
    CHECK_INT(e.level, EVENT_LEVEL_DISTRICT);
    CHECK_INT(e.escalations, 1);
    CHECK_STR(e.department, "");

    /* 延期: one request at a time. */
    e = event_fixture(EVENT_STATE_HANDLING, EVENT_LEVEL_STREET);
    e.extension_pending = false;
    struct event_action_input ext = {.reason = "材料未到", .hours = 8};
    CHECK_INT(event_rule_pick(&e, "approve_extension", all, "c", &ext, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "no_extension_pending");
    CHECK_INT(event_rule_pick(&e, "request_extension", all, "d", &ext, &cat, &r, &err), 0);
    event_rule_apply(&e, r, "d", &ext, 10);
    CHECK(e.extension_pending);
    CHECK_INT(event_rule_pick(&e, "request_extension", all, "d", &ext, &cat, &r, &err), -1);
    CHECK_STR(err.code_name, "extension_pending");

    /* 挂账 and 恢复 come back to where they were. */
    e = event_fixture(EVENT_STATE_DISPATCHED, EVENT_LEVEL_STREET);
    CHECK_INT(event_rule_pick(&e, "park", all, "c", &why, &cat, &r, &err), 0);
    event_rule_apply(&e, r, "c", &why, 10);
    CHECK_INT(e.state, EVENT_STATE_PARKED);
    CHECK_INT(event_rule_pick(&e, "resume", all, "c", NULL, &cat, &r, &err), 0);
    event_rule_apply(&e, r, "c", NULL, 20);
    CHECK_INT(e.state, EVENT_STATE_DISPATCHED);
}

TEST(deadlines)
{
    struct event_category cat = cat_fixture();
    struct app_error err = {0};
    int64_t start, due;
    /* Friday 2026-02-13 10:00: 5 working days after the end of that day is Friday 02-27
     * (02-14 is a make-up workday, 02-15..23 the Spring Festival); the limit ends at 24:00. */
    CHECK_INT(clock_parse("2026-02-13T10:00:00+08:00", &start, "t", &err), 0);
    cat.unit = EVENT_LIMIT_WORK_DAYS;
    CHECK_INT(event_deadline(&cat, EVENT_URGENCY_NORMAL, start, 5, &due, &err), 0);
    char s[40];
    clock_format_local(due, s, sizeof(s));
    CHECK_STR(s, "2026-02-28T00:00:00+08:00");
    /* Urgent: natural hours, days as 24 h. */
    CHECK_INT(event_deadline(&cat, EVENT_URGENCY_URGENT, start, 1, &due, &err), 0);
    CHECK_INT(due - start, 24 * 3600);
    cat.unit = EVENT_LIMIT_HOURS;
    CHECK_INT(event_deadline(&cat, EVENT_URGENCY_CRITICAL, start, 4, &due, &err), 0);
    CHECK_INT(due - start, 2 * 3600);
    /* Working hours skip the night: 16:00 + 4 wh → next working morning. */
    cat.unit = EVENT_LIMIT_WORK_HOURS;
    CHECK_INT(clock_parse("2026-03-02T16:00:00+08:00", &start, "t", &err), 0);
    CHECK_INT(event_deadline(&cat, EVENT_URGENCY_NORMAL, start, 4, &due, &err), 0);
    clock_format_local(due, s, sizeof(s));
    CHECK_STR(s, "2026-03-03T11:00:00+08:00");

    /* Colours: yellow at warn_share of the stage, red when overdue. */
    struct event e = event_fixture(EVENT_STATE_REGISTERED, EVENT_LEVEL_STREET);
    e.stage_started_at = 1000;
    e.due_at = 2000;
    e.warn_at = 1800;
    CHECK_INT(event_alert_at(&e, 1500), EVENT_ALERT_NONE);
    CHECK_INT(event_alert_at(&e, 1800), EVENT_ALERT_YELLOW);
    CHECK_INT(event_alert_at(&e, 2000), EVENT_ALERT_RED);
    e.state = EVENT_STATE_PARKED;
    CHECK_INT(event_alert_at(&e, 5000), EVENT_ALERT_NONE);
}

TEST(names_round_trip)
{
    for (int i = 0; i < EVENT_STATE_COUNT; i++)
        CHECK_INT(event_state_parse(event_state_name((enum event_state)i)), i);
    for (int i = 0; i < EVENT_CHANNEL_COUNT; i++)
        CHECK_INT(event_channel_parse(event_channel_name((enum event_channel)i)), i);
    CHECK_STR(event_channel_name(EVENT_CHANNEL_HOTLINE), "hotline_12345");
    CHECK_INT(event_state_parse("nonsense"), -1);
    CHECK(event_state_open(EVENT_STATE_HANDLING));
    CHECK(!event_state_open(EVENT_STATE_CLOSED));
    CHECK(event_state_final(EVENT_STATE_MERGED));
}

/* ---- with a database --------------------------------------------------------------------- */

static struct app app;

static struct db *fixture(void)
{
    struct db *db = NULL;
    struct app_error err = {0};
    memset(&app, 0, sizeof(app));
    config_init(&app.cfg);
    if (db_open(":memory:", 1000, &db, &err) || db_migrate(db, NULL, &err) ||
        org_seed(db, true, &err) || event_category_seed(db, &err)) {
        fprintf(stderr, "    fixture: %s\n", err.message);
        abort();
    }
    app.db = db;
    return db;
}

static void grids(struct db *db, struct org_region_list *l)
{
    struct org_region_query q = {.level = "grid", .parent = NULL, .limit = 5000};
    struct app_error err = {0};
    bool more;
    if (org_region_list(db, &q, l, &more, &err) || l->len < 2)
        abort();
}

static void make(struct db *db, const char *category, const char *grid, int64_t t,
                 struct event *out)
{
    struct app_error err = {0};
    struct event_input in = {.channel = EVENT_CHANNEL_GRID_PATROL,
                             .category = category,
                             .title = "测试事件",
                             .grid = grid,
                             .urgency = -1};
    if (event_create_at(&app, db, NULL, &in, NULL, t, NULL, out, &err)) {
        fprintf(stderr, "    create: %s\n", err.message);
        abort();
    }
}

TEST(duplicates_within_radius)
{
    struct db *db = fixture();
    struct org_region_list l = {0};
    grids(db, &l);
    int64_t t;
    struct app_error err = {0};
    clock_parse("2026-03-02T09:00:00+08:00", &t, "t", &err);
    /* A grid far enough from the first (> duplicate_m). */
    size_t far = 1;
    while (far < l.len &&
           geo_distance_m((struct geo_point){l.items[0].center_lon, l.items[0].center_lat},
                          (struct geo_point){l.items[far].center_lon, l.items[far].center_lat}) <
               3.0 * (double)app.cfg.duplicate_m)
        far++;
    struct event a, b, c, d;
    make(db, "1101", l.items[0].code, t, &a);
    make(db, "1101", l.items[0].code, t + 60, &b);
    make(db, "1105", l.items[0].code, t + 120, &c);   /* other class */
    make(db, "1101", l.items[far].code, t + 180, &d); /* far away */
    struct event_list dup = {0};
    CHECK_INT(event_duplicates(&app, db, NULL, "1101", a.lon, a.lat, a.code, &dup, &err), 0);
    CHECK_INT(dup.len, 1);
    if (dup.len)
        CHECK_STR(dup.items[0].code, b.code);
    event_list_release(&dup);
    /* A closed event is no longer a likely duplicate. */
    struct event_action_input photo = {.nattachments = 0};
    CHECK_INT(event_transition_locked(&app, db, NULL, &b, "escalate", &photo, NULL, t + 200, &err),
              -1); /* reported cannot be escalated */
    CHECK_STR(err.code_name, "illegal_transition");
    CHECK_STR(a.code + 16, "00001");
    CHECK_STR(b.code + 16, "00002");
    event_release(&a);
    event_release(&b);
    event_release(&c);
    event_release(&d);
    org_region_list_release(&l);
    db_close(db);
    config_release(&app.cfg);
}

TEST(overdue_escalates_once_to_the_district)
{
    struct db *db = fixture();
    struct org_region_list l = {0};
    grids(db, &l);
    struct app_error err = {0};
    int64_t t;
    clock_parse("2026-03-02T09:00:00+08:00", &t, "t", &err);
    struct event e;
    make(db, "1101", l.items[0].code, t, &e);
    CHECK_INT(event_transition_locked(&app, db, NULL, &e, "register", NULL, NULL, t + 60, &err), 0);
    CHECK_INT(event_transition_locked(&app, db, NULL, &e, "dispatch", NULL, NULL, t + 120, &err),
              0);
    CHECK_STR(e.department, "urban");
    CHECK(e.due_at > t);
    int64_t due = e.due_at;
    /* Before the deadline: at most yellow, never an escalation. */
    CHECK(event_sweep(&app, db, due - 1, &err) >= 0);
    struct event g;
    CHECK_INT(event_get(db, NULL, e.code, false, &g, &err), 0);
    CHECK_INT(g.level, EVENT_LEVEL_STREET);
    CHECK_INT(g.alert, EVENT_ALERT_YELLOW);
    event_release(&g);
    CHECK_INT(event_sweep(&app, db, due, &err), 1);
    CHECK_INT(event_get(db, NULL, e.code, false, &g, &err), 0);
    CHECK_INT(g.level, EVENT_LEVEL_DISTRICT);
    CHECK_INT(g.state, EVENT_STATE_REGISTERED);
    CHECK_STR(g.department, "");
    CHECK(g.due_at > due);
    /* The district's own deadline lapsing colours it red but does not send it to the city. */
    int64_t due2 = g.due_at;
    event_release(&g);
    CHECK_INT(event_sweep(&app, db, due2 + 1, &err), 1);
    CHECK_INT(event_get(db, NULL, e.code, false, &g, &err), 0);
    CHECK_INT(g.level, EVENT_LEVEL_DISTRICT);
    CHECK_INT(g.alert, EVENT_ALERT_RED);
    event_release(&g);
    CHECK_INT(event_sweep(&app, db, due2 + 2, &err), 0);
    struct event_history h;
    CHECK_INT(event_history_get(db, NULL, e.code, &h, &err), 0);
    int overdue = 0, esc = 0;
    for (size_t i = 0; i < h.len; i++) {
        overdue += strcmp(h.items[i].action, "overdue") == 0;
        esc += strcmp(h.items[i].action, "escalate") == 0;
    }
    CHECK_INT(overdue, 2);
    CHECK_INT(esc, 1);
    event_history_release(&h);
    event_release(&e);
    org_region_list_release(&l);
    db_close(db);
    config_release(&app.cfg);
}

TEST(two_returns_escalate)
{
    struct db *db = fixture();
    struct org_region_list l = {0};
    grids(db, &l);
    struct app_error err = {0};
    int64_t t;
    clock_parse("2026-03-02T09:00:00+08:00", &t, "t", &err);
    struct event e;
    make(db, "1101", l.items[0].code, t, &e);
    struct auth_principal dept = {.role = AUTH_ROLE_DEPARTMENT};
    snprintf(dept.username, sizeof(dept.username), "dept_urban");
    snprintf(dept.department, sizeof(dept.department), "urban");
    struct event_action_input why = {.reason = "非本单位职责"};
    struct event_action_input again = {.department = "urban", .reason = "仍派城管"};
    struct auth_principal center = {.role = AUTH_ROLE_CENTER};
    snprintf(center.username, sizeof(center.username), "center_jfb");
    snprintf(center.level, sizeof(center.level), "street");
    snprintf(center.region, sizeof(center.region), "%.9s", l.items[0].code);
    CHECK_INT(event_transition_locked(&app, db, NULL, &e, "register", NULL, NULL, t + 1, &err), 0);
    CHECK_INT(event_transition_locked(&app, db, NULL, &e, "dispatch", NULL, NULL, t + 2, &err), 0);
    CHECK_INT(event_transition_locked(&app, db, &dept, &e, "return", &why, NULL, t + 3, &err), 0);
    CHECK_INT(e.level, EVENT_LEVEL_STREET);
    CHECK_INT(event_transition_locked(&app, db, &center, &e, "dispatch", &again, NULL, t + 4, &err),
              0);
    CHECK_INT(event_transition_locked(&app, db, &dept, &e, "return", &why, NULL, t + 5, &err), 0);
    CHECK_INT(e.return_count, 2);
    CHECK_INT(e.level, EVENT_LEVEL_DISTRICT);
    CHECK_INT(e.state, EVENT_STATE_REGISTERED);
    /* An override without a reason is refused. */
    struct event_action_input noreason = {.department = "eco"};
    struct auth_principal yz = center;
    snprintf(yz.level, sizeof(yz.level), "district");
    CHECK_INT(event_transition_locked(&app, db, &yz, &e, "dispatch", &noreason, NULL, t + 6, &err),
              -1);
    CHECK_STR(err.field, "reason");
    event_release(&e);
    org_region_list_release(&l);
    db_close(db);
    config_release(&app.cfg);
}

TEST(intake_locates_gcj02_points)
{
    /* Point location needs org_start, which reads the grids through app_db: use a file. */
    char path[] = "/tmp/zhizhi-event-test-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    struct db *db = NULL;
    struct org_region_list l = {0};
    struct app_error err = {0};
    memset(&app, 0, sizeof(app));
    config_init(&app.cfg);
    snprintf(app.db_path, sizeof(app.db_path), "%s", path);
    db = app_db(&app);
    if (!db || db_migrate(db, NULL, &err) || org_seed(db, true, &err) ||
        event_category_seed(db, &err))
        abort();
    app.db = db;
    grids(db, &l);
    if (org_start(&app, &err)) {
        fprintf(stderr, "    org_start: %s\n", err.message);
        abort();
    }
    const struct org_region *g = &l.items[l.len / 2];
    struct geo_point gcj = geo_wgs84_to_gcj02((struct geo_point){g->center_lon, g->center_lat});
    struct event_input in = {.channel = EVENT_CHANNEL_HOTLINE,
                             .category = "9102",
                             .title = "噪声扰民",
                             .lon = gcj.lon,
                             .lat = gcj.lat,
                             .gcj02 = true,
                             .urgency = -1};
    struct event e;
    CHECK_INT(event_create_at(&app, db, NULL, &in, NULL, 1772413200, NULL, &e, &err), 0);
    CHECK_STR(e.grid, g->code);
    CHECK_NEAR(e.lon, g->center_lon, 1e-6);
    CHECK_NEAR(e.lat, g->center_lat, 1e-6);
    CHECK_INT(strncmp(e.street, g->code, 9), 0);
    event_release(&e);
    /* Outside the district: a 400 naming the coordinates. */
    in.lon = 116.4;
    in.lat = 39.9;
    CHECK_INT(event_create_at(&app, db, NULL, &in, NULL, 1772413200, NULL, &e, &err), -1);
    CHECK_STR(err.code_name, "outside_district");
    /* Missing title and unknown class name their fields. */
    in.title = "";
    CHECK_INT(event_create_at(&app, db, NULL, &in, NULL, 1772413200, NULL, &e, &err), -1);
    CHECK_STR(err.field, "title");
    in.title = "x";
    in.category = "0000";
    CHECK_INT(event_create_at(&app, db, NULL, &in, NULL, 1772413200, NULL, &e, &err), -1);
    CHECK_STR(err.field, "category");
    org_stop(&app);
    org_region_list_release(&l);
    app_close(&app);
    config_release(&app.cfg);
    unlink(path);
    char side[sizeof(path) + 8];
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

TEST(sensor_alerts_open_dispatched_events)
{
    struct db *db = fixture();
    struct org_region_list l = {0};
    struct app_error err = {0};
    grids(db, &l);
    char code[EVENT_CODE_SIZE];
    struct event_sensor_alert in = {.category = "9103",
                                    .title = "【红色预警】污水井液位超限",
                                    .grid = l.items[3].code,
                                    .urgency = -1,
                                    .department = "water",
                                    .station = "WL-001"};
    CHECK_INT(event_open_sensor_alert(&app, db, &in, code, &err), 0);
    struct event e;
    CHECK_INT(event_get(db, NULL, code, false, &e, &err), 0);
    CHECK_INT(e.channel, EVENT_CHANNEL_SENSOR);
    CHECK_INT(e.state, EVENT_STATE_DISPATCHED);
    CHECK_STR(e.department, "water");
    CHECK_INT(e.urgency, EVENT_URGENCY_URGENT); /* the class is urgent: natural hours */
    CHECK_STR(e.link_type, "station");
    CHECK_STR(e.link_id, "WL-001");
    event_release(&e);
    CHECK_INT(event_add_note(&app, db, code, "报警已解除", &err), 0);
    CHECK_INT(event_add_note(&app, db, code, "", &err), -1);
    CHECK_INT(event_add_note(&app, db, "nope", "x", &err), -1);
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
    struct event_history h;
    CHECK_INT(event_history_get(db, NULL, code, &h, &err), 0);
    CHECK_INT(h.len, 4); /* report, register, dispatch, note */
    if (h.len == 4)
        CHECK_STR(h.items[3].comment, "报警已解除");
    event_history_release(&h);
    /* The same station's repeated alert of the class joins its open event (issue 10). */
    char again[EVENT_CODE_SIZE];
    in.description = "液位 2.15 m，12月3日 17:36";
    CHECK_INT(event_open_sensor_alert(&app, db, &in, again, &err), 0);
    CHECK_STR(again, code);
    CHECK_INT(event_history_get(db, NULL, code, &h, &err), 0);
    CHECK_INT(h.len, 5);
    if (h.len == 5)
        CHECK(strstr(h.items[4].comment, "再次预警") && strstr(h.items[4].comment, "2.15 m"));
    event_history_release(&h);
    /* Another station is another event. */
    in.station = "WL-002";
    /* An unknown owner still opens the event, left registered for the center. */
    in.department = "nosuch";
    char big[1200] = "";
    for (int i = 0; i < 300; i++)
        strncat(big, "超", sizeof(big) - strlen(big) - 1);
    in.title = big;
    CHECK_INT(event_open_sensor_alert(&app, db, &in, code, &err), 0);
    CHECK(strcmp(code, again) != 0);
    CHECK_INT(event_get(db, NULL, code, false, &e, &err), 0);
    CHECK_INT(e.state, EVENT_STATE_REGISTERED);
    CHECK_INT((int)strlen(e.title), 200 * 3);
    event_release(&e);
    org_region_list_release(&l);
    db_close(db);
    config_release(&app.cfg);
}

/* 待我处理 (issue 10 #7): every open state but 挂账 is exactly one party's step, and that
 * party has an action from it in the table; the center decides a pending extension. */
TEST(whose_turn)
{
    size_t n;
    const struct event_rule *r = event_rules(&n);
    for (int s = 0; s < EVENT_STATE_COUNT; s++)
        for (int ext = 0; ext < 2; ext++) {
            unsigned t = event_turn((enum event_state)s, ext);
            bool live = !event_state_final((enum event_state)s) && s != EVENT_STATE_PARKED;
            CHECK(live == (t != 0));
            CHECK(t == 0 || (t & (t - 1)) == 0); /* one party */
            bool acts = false;
            for (size_t i = 0; i < n; i++)
                if ((int)r[i].from == s && (r[i].parties & t) && strcmp(r[i].action, "supervise"))
                    acts = true;
            CHECK(t == 0 || acts);
        }
    CHECK_INT(event_turn(EVENT_STATE_VERIFYING, false), EVENT_PARTY_GRID);
    CHECK_INT(event_turn(EVENT_STATE_CHECKING, false), EVENT_PARTY_GRID);
    CHECK_INT(event_turn(EVENT_STATE_DISPATCHED, false), EVENT_PARTY_ASSIGNEE);
    CHECK_INT(event_turn(EVENT_STATE_HANDLING, false), EVENT_PARTY_ASSIGNEE);
    CHECK_INT(event_turn(EVENT_STATE_HANDLING, true), EVENT_PARTY_CENTER);
    CHECK_INT(event_turn(EVENT_STATE_REPORTED, false), EVENT_PARTY_CENTER);
    CHECK_STR(event_turn_name(EVENT_PARTY_GRID), "grid");
    CHECK_STR(event_turn_label(EVENT_PARTY_ASSIGNEE), "承办单位");
    CHECK_STR(event_turn_name(0), "none");
    CHECK_INT(event_sort_parse(NULL), EVENT_SORT_NEWEST);
    CHECK_INT(event_sort_parse("due_at"), EVENT_SORT_DUE);
    CHECK_INT(event_sort_parse("urgency"), EVENT_SORT_URGENCY);
    CHECK_INT(event_sort_parse("title"), -1);
    /* A worker of the grid on a checking event: my turn; of another grid: not. */
    struct event e = {.state = EVENT_STATE_CHECKING};
    snprintf(e.grid, sizeof(e.grid), "500103003013001");
    struct auth_principal w = {.role = AUTH_ROLE_GRID_WORKER};
    snprintf(w.grid, sizeof(w.grid), "500103003013001");
    CHECK(event_my_turn(&w, &e));
    snprintf(w.grid, sizeof(w.grid), "500103003013002");
    CHECK(!event_my_turn(&w, &e));
    CHECK(!event_my_turn(NULL, &e));
}

TEST_SUITE({"whose_turn", whose_turn}, {"every_state_action_pair", every_state_action_pair},
           {"parties", parties}, {"guards", guards}, {"deadlines", deadlines},
           {"names_round_trip", names_round_trip},
           {"duplicates_within_radius", duplicates_within_radius},
           {"overdue_escalates_once_to_the_district", overdue_escalates_once_to_the_district},
           {"two_returns_escalate", two_returns_escalate},
           {"intake_locates_gcj02_points", intake_locates_gcj02_points},
           {"sensor_alerts_open_dispatched_events", sensor_alerts_open_dispatched_events});
