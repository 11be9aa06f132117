/* The demo month: synthetic events (marked synthetic) across channels, classes and grids,
 * replayed through the real transition table so every state appears with a true history.
 * Deterministic: a fixed-seed generator over the event index and the seeding date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "event/event_internal.h"
#include "org/org.h"

#define DEMO_DAYS 30
#define DEMO_PER_DAY 24

static uint64_t mix(uint64_t x)
{
    /* splitmix64 */
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

struct rng {
    uint64_t s;
};

static unsigned rnd(struct rng *r, unsigned n)
{
    r->s = mix(r->s);
    return n ? (unsigned)(r->s % n) : 0;
}

static const char *const places[] = {
    "解放碑步行街", "民权路", "邹容路", "中山四路", "上清寺路", "大坪正街", "石油路",
    "长江一路",     "较场口", "和平路", "七星岗",   "菜园坝",   "储奇门",   "朝天门",
    "化龙桥",       "李子坝", "鹅岭",   "两路口",   "大溪沟",   "嘉陵江滨江路"};

/* A 1x1 PNG: the "photo" of the demo's 自处理 cases. */
static const unsigned char demo_png[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99,
    0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

static void principal(struct auth_principal *p, enum auth_role role, const char *user,
                      const char *name)
{
    memset(p, 0, sizeof(*p));
    p->role = role;
    snprintf(p->username, sizeof(p->username), "%s", user);
    snprintf(p->display_name, sizeof(p->display_name), "%s", name);
}

struct demo_ctx {
    struct app *app;
    struct db *db;
    struct auth_principal center, grid, assignee;
    char photo[EVENT_SHA_SIZE];
    int64_t now;
    /* The latest open event of each street, a target for the demo's 并案. */
    char open_street[16][24];
    char open_code[16][EVENT_CODE_SIZE];
};

static char *last_open(struct demo_ctx *c, const char *street)
{
    for (int i = 0; i < 16; i++)
        if (!c->open_street[i][0] || strcmp(c->open_street[i], street) == 0) {
            snprintf(c->open_street[i], sizeof(c->open_street[i]), "%s", street);
            return c->open_code[i];
        }
    return c->open_code[15];
}

/* Run one step at *t; returns 0 when done, 1 when the step was refused (the path ends). */
static int step(struct demo_ctx *c, struct event *e, const char *action,
                struct event_action_input *in, int64_t t, struct app_error *err)
{
    const struct auth_principal *who = &c->center;
    if (!strcmp(action, "verify") || !strcmp(action, "check_pass") ||
        !strcmp(action, "check_fail") || !strcmp(action, "self_handle"))
        who = &c->grid;
    if (!strcmp(action, "sign") || !strcmp(action, "feedback") || !strcmp(action, "return")) {
        struct auth_principal *a = &c->assignee;
        if (e->department[0]) {
            principal(a, AUTH_ROLE_DEPARTMENT, "demo-dept", "部门办理人");
            snprintf(a->username, sizeof(a->username), "demo-%s", e->department);
            snprintf(a->department, sizeof(a->department), "%s", e->department);
        } else {
            principal(a, AUTH_ROLE_BOARD_POST, "demo-post", "板块岗位人员");
            snprintf(a->username, sizeof(a->username), "demo-%s", e->post);
            snprintf(a->post, sizeof(a->post), "%s", e->post);
            snprintf(a->street, sizeof(a->street), "%s", e->street);
        }
        who = a;
    }
    struct app_error e2 = {0};
    if (event_transition_locked(c->app, c->db, who, e, action, in, NULL, t, &e2)) {
        if (e2.code == APP_ERR_INTERNAL || e2.code == APP_ERR_UNAVAILABLE) {
            *err = e2;
            return -1;
        }
        log_debug("demo %s %s refused: %s", e->code, action, e2.message);
        return 1;
    }
    return 0;
}

/* The demo draws a class from all but 其他问题 (EVENT_PUBLIC_OTHER, issue 10): r-th of the
 * others, so the generated month stays what it was before that class existed. */
static const char *demo_category(const struct event_category_list *cats, struct rng *r)
{
    size_t skip = cats->len;
    for (size_t k = 0; k < cats->len; k++)
        if (strcmp(cats->items[k].code, EVENT_PUBLIC_OTHER) == 0)
            skip = k;
    size_t n = cats->len - (skip < cats->len);
    size_t i = rnd(r, (unsigned)n);
    return cats->items[i >= skip ? i + 1 : i].code;
}

static int demo_one(struct demo_ctx *c, int i, const struct org_region_list *grids,
                    const struct event_category_list *cats, int64_t base, struct app_error *err)
{
    struct rng r = {(uint64_t)i * 7919u + 17u};
    int day = i / DEMO_PER_DAY;
    int64_t t = base + (int64_t)day * 86400 + 7 * 3600 + rnd(&r, 14 * 3600);
    if (t >= c->now)
        return 0;
    const struct org_region *g = &grids->items[rnd(&r, (unsigned)grids->len)];
    static const int channel_weights[] = {40, 20, 15, 5, 5, 5, 5, 5};
    unsigned w = rnd(&r, 100), acc = 0;
    int ch = 0;
    for (ch = 0; ch < EVENT_CHANNEL_COUNT - 1; ch++) {
        acc += (unsigned)channel_weights[ch];
        if (w < acc)
            break;
    }
    const char *cat_code;
    static const char *const sensor_cats[] = {"9101", "9102", "9103", "9106"};
    static const char *const ent_cats[] = {"9301", "9302", "9002"};
    if (ch == EVENT_CHANNEL_SENSOR)
        cat_code = sensor_cats[rnd(&r, 4)];
    else if (ch == EVENT_CHANNEL_ENTERPRISE)
        cat_code = ent_cats[rnd(&r, 3)];
    else
        cat_code = demo_category(cats, &r);
    const struct event_category *cat = NULL;
    for (size_t k = 0; k < cats->len; k++)
        if (!strcmp(cats->items[k].code, cat_code))
            cat = &cats->items[k];
    if (!cat)
        return 0;

    char title[160], desc[400], addr[128], tracking[40];
    const char *place = places[rnd(&r, sizeof(places) / sizeof(places[0]))];
    snprintf(title, sizeof(title), "%s：%s附近", cat->name, place);
    snprintf(addr, sizeof(addr), "%s%u号", place, 1 + rnd(&r, 300));
    snprintf(desc, sizeof(desc), "（演示数据）%s%s发现%s问题，请及时处理。", g->name, addr,
             cat->name);
    snprintf(tracking, sizeof(tracking), "demo-%d", i);
    principal(&c->center, AUTH_ROLE_CENTER, "demo-center", "街道指挥中心值班员");
    snprintf(c->center.level, sizeof(c->center.level), "street");
    snprintf(c->center.region, sizeof(c->center.region), "%.9s", g->code);
    snprintf(c->center.username, sizeof(c->center.username), "demo-center-%.9s", g->code);
    principal(&c->grid, AUTH_ROLE_GRID_WORKER, "demo-grid", "专职网格员");
    snprintf(c->grid.username, sizeof(c->grid.username), "demo-gw-%s", g->code);
    snprintf(c->grid.grid, sizeof(c->grid.grid), "%s", g->code);
    snprintf(c->grid.team_role, sizeof(c->grid.team_role), "专职网格员");

    struct event_input in = {.channel = (enum event_channel)ch,
                             .category = cat->code,
                             .title = title,
                             .description = desc,
                             .grid = g->code,
                             .address = addr,
                             .urgency = -1,
                             .synthetic = true};
    char phone[16]; /* outlives the block: event_create_at reads it through `in` */
    if (ch == EVENT_CHANNEL_CITIZEN_QR || ch == EVENT_CHANNEL_HOTLINE) {
        static const char *const names[] = {"张女士", "李先生", "王女士", "刘先生", "陈女士"};
        snprintf(phone, sizeof(phone), "139%08u", rnd(&r, 100000000));
        in.reporter_name = names[rnd(&r, 5)];
        in.reporter_contact = phone;
    }
    const struct auth_principal *reporter = ch == EVENT_CHANNEL_GRID_PATROL ? &c->grid : NULL;
    struct event e = {0};
    if (event_create_at(c->app, c->db, reporter, &in, NULL, t, tracking, &e, err))
        return -1;

    /* The path this event takes. */
    const char *path[24];
    int n = 0;
    unsigned fate = rnd(&r, 100);
    bool trusted = ch == EVENT_CHANNEL_GRID_PATROL || ch == EVENT_CHANNEL_SENSOR ||
                   ch == EVENT_CHANNEL_ASSIGNED || ch == EVENT_CHANNEL_SUPERVISION;
    char *merge_into = last_open(c, e.street);
    if (ch == EVENT_CHANNEL_GRID_PATROL && cat->self_handle && fate < 25) {
        path[n++] = "self_handle";
    } else if (fate >= 90 && fate < 93 && merge_into[0]) {
        path[n++] = "merge";
    } else if (fate >= 93 && fate < 95) {
        if (!trusted)
            path[n++] = "accept";
        path[n++] = "void"; /* left waiting for approval */
    } else if (fate >= 95 && fate < 97) {
        path[n++] = trusted ? "register" : "accept";
        if (!trusted)
            path[n++] = "verify";
        path[n++] = "dispatch";
        path[n++] = "return"; /* left with the center for re-dispatch */
    } else if (fate < 7) {
        if (!trusted)
            path[n++] = "accept";
        path[n++] = "void";
        path[n++] = "approve_void";
    } else {
        if (trusted) {
            path[n++] = "register";
        } else {
            path[n++] = "accept";
            path[n++] = "verify";
        }
        path[n++] = "dispatch";
        if (fate >= 7 && fate < 15) {
            path[n++] = "return";
            path[n++] = "dispatch";
        }
        path[n++] = "sign";
        if (fate >= 15 && fate < 19)
            path[n++] = "park";
        else {
            path[n++] = "feedback";
            path[n++] = "send_check";
            if (fate >= 19 && fate < 27) {
                path[n++] = "check_fail";
                path[n++] = "feedback";
                path[n++] = "send_check";
            }
            path[n++] = "check_pass";
            path[n++] = "revisit";
        }
    }
    /* Recent events are still on their way; older ones mostly finished. */
    int age_days = (int)((c->now - t) / 86400);
    int stop = n;
    if (age_days < 3)
        stop = (int)rnd(&r, (unsigned)n + 1);
    else if (age_days < 10 && rnd(&r, 100) < 25)
        stop = (int)rnd(&r, (unsigned)n + 1);

    int ret = 0;
    for (int k = 0; k < stop; k++) {
        const char *a = path[k];
        bool slow = !strcmp(a, "feedback") || !strcmp(a, "sign");
        t += 600 + rnd(&r, slow ? 10 * 3600 : 3 * 3600);
        if (t >= c->now)
            break;
        struct event_action_input ai = {.comment = NULL};
        char reason[96];
        if (!strcmp(a, "merge"))
            ai.into = merge_into;
        if (!strcmp(a, "void"))
            ai.reason = "经核实不属实";
        if (!strcmp(a, "return"))
            ai.reason = "不属于本单位职责";
        if (!strcmp(a, "park"))
            ai.reason = "需纳入年度改造计划";
        if (!strcmp(a, "check_fail"))
            ai.reason = "现场仍有问题";
        if (!strcmp(a, "feedback"))
            ai.result = "已现场处置完毕";
        if (!strcmp(a, "self_handle")) {
            ai.comment = "网格员现场处置完毕";
            ai.attachments[0] = c->photo;
            ai.nattachments = 1;
        }
        if (!strcmp(a, "revisit")) {
            unsigned s = rnd(&r, 100);
            ai.satisfaction = s < 72 ? EVENT_SAT_SATISFIED
                              : s < 92 ? EVENT_SAT_BASIC
                                       : EVENT_SAT_UNSATISFIED;
        }
        if (!strcmp(a, "dispatch") && e.return_count > 0) {
            /* After a return, dispatch by hand to the category's department or the board. */
            snprintf(reason, sizeof(reason), "退回后改派");
            ai.reason = reason;
        }
        int rc = step(c, &e, a, &ai, t, err);
        if (rc < 0) {
            ret = -1;
            break;
        }
        if (rc > 0)
            break;
    }
    if (event_state_open(e.state) && e.state != EVENT_STATE_MERGED &&
        e.state != EVENT_STATE_VOID_PENDING)
        snprintf(merge_into, EVENT_CODE_SIZE, "%s", e.code);
    event_release(&e);
    return ret;
}

int event_demo_seed(struct app *app, struct db *db, struct app_error *err)
{
    struct org_region_list grids = {0};
    struct org_region_query q = {.level = "grid", .limit = 5000};
    struct event_category_list cats = {0};
    struct demo_ctx c = {.app = app, .db = db};
    bool more;
    int ret = -1;
    if (org_region_list(db, &q, &grids, &more, err) || event_category_list(db, &cats, err))
        goto out;
    if (grids.len == 0 || cats.len == 0) {
        ret = 0;
        goto out;
    }
    if (event_attachment_put(app, db, NULL, demo_png, sizeof(demo_png), c.photo, err))
        goto out;
    c.now = clock_now();
    /* Day boundaries in Shanghai time, DEMO_DAYS back from today. */
    int64_t today = (c.now + CLOCK_CN_OFFSET) / 86400 * 86400 - CLOCK_CN_OFFSET;
    int64_t base = today - (int64_t)DEMO_DAYS * 86400;
    event_set_quiet(true);
    for (int i = 0; i < (DEMO_DAYS + 1) * DEMO_PER_DAY; i++)
        if (demo_one(&c, i, &grids, &cats, base, err))
            goto out;
    log_info("event demo: %d synthetic events over %d days", (DEMO_DAYS + 1) * DEMO_PER_DAY,
             DEMO_DAYS);
    ret = 0;
out:
    event_set_quiet(false);
    org_region_list_release(&grids);
    event_category_list_release(&cats);
    return ret;
}
