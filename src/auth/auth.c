/* Roles and the permission table, jurisdiction scope, masking, password hashing (argon2id via
 * libsodium), login throttling, sessions and accounts. The rules are here; SQL is in
 * auth_store.c, HTTP in auth_api.c. */
#include "auth/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth_store.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/privacy.h"
#include "core/xalloc.h"
#include "org/org.h"

/* ---- roles and the permission table ---------------------------------------------------- */

static const char *const role_names[AUTH_ROLE_COUNT] = {
    [AUTH_ROLE_NONE] = "",
    [AUTH_ROLE_ADMIN] = "admin",
    [AUTH_ROLE_CENTER] = "center",
    [AUTH_ROLE_BOARD_POST] = "board_post",
    [AUTH_ROLE_DEPARTMENT] = "department",
    [AUTH_ROLE_GRID_WORKER] = "grid_worker",
    [AUTH_ROLE_VOLUNTEER] = "volunteer",
    [AUTH_ROLE_AUDITOR] = "auditor",
    [AUTH_ROLE_SUPERVISOR] = "supervisor",
};

const char *auth_role_name(enum auth_role role)
{
    return role > AUTH_ROLE_NONE && role < AUTH_ROLE_COUNT ? role_names[role] : "";
}

enum auth_role auth_role_parse(const char *s)
{
    for (int r = AUTH_ROLE_NONE + 1; s && r < AUTH_ROLE_COUNT; r++)
        if (strcmp(s, role_names[r]) == 0)
            return (enum auth_role)r;
    return AUTH_ROLE_NONE;
}

#define ANON (1u << AUTH_ROLE_NONE)
#define ADMIN (1u << AUTH_ROLE_ADMIN)
#define CENTER (1u << AUTH_ROLE_CENTER)
#define BOARD_POST (1u << AUTH_ROLE_BOARD_POST)
#define DEPARTMENT (1u << AUTH_ROLE_DEPARTMENT)
#define GRID_WORKER (1u << AUTH_ROLE_GRID_WORKER)
#define VOLUNTEER (1u << AUTH_ROLE_VOLUNTEER)
#define AUDITOR (1u << AUTH_ROLE_AUDITOR)
#define SUPERVISOR (1u << AUTH_ROLE_SUPERVISOR)
#define STAFF                                                                                      \
    (ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | VOLUNTEER | AUDITOR | SUPERVISOR)
#define EVERYONE (ANON | STAFF)

/* THE permission table: one row per action, the roles that may take it. To add a permission,
 * add a row here (keep each module's rows together, e.g. "event.*" after the org rows); routes
 * name the action in their `action` field and the gate checks it. Scope (which objects) is
 * checked separately by auth_region_in_scope and the modules' queries. */
static const struct {
    const char *action;
    unsigned roles;
} permissions[] = {
    /* sessions and one's own account */
    {"session.read", STAFF},   /* GET /sessions/current */
    {"session.delete", STAFF}, /* DELETE /sessions/current */
    {"self.password", STAFF},  /* POST /users/me/password */
    /* accounts */
    {"user.read", ADMIN},
    {"user.write", ADMIN},
    /* the audit log */
    {"audit.read", ADMIN | AUDITOR},
    /* the district model: public reads need no action; teams carry phone numbers */
    {"org.read", EVERYONE},
    {"org.team.read", STAFF},
    {"org.write", ADMIN},
    /* indicators (issue 4 item 7): figures of one's own jurisdiction */
    {"indicator.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | AUDITOR},
    /* events (src/event): reads are scoped by event_visible; each workflow action is
     * "event.<action>" of the transition table, whose party column (center in scope, assignee,
     * grid worker of the event's grid) then narrows it to the right people; volunteers (N-force
     * of a grid) read their grid's events and take no action */
    {"event.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | VOLUNTEER | AUDITOR},
    {"event.create", ADMIN | CENTER | BOARD_POST | GRID_WORKER},
    {"event.attach", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER},
    /* a remark on the record (反馈备注), the one thing volunteers may add to an event */
    {"event.note", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | VOLUNTEER},
    {"event.categories", ADMIN},
    {"event.sweep", ADMIN},
    {"event.routes", ADMIN | CENTER},
    {"event.accept", ADMIN | CENTER},
    {"event.register", ADMIN | CENTER},
    {"event.verify", ADMIN | CENTER | GRID_WORKER},
    {"event.void", ADMIN | CENTER | GRID_WORKER},
    {"event.approve_void", ADMIN | CENTER},
    {"event.reject_void", ADMIN | CENTER},
    {"event.dispatch", ADMIN | CENTER},
    {"event.sign", BOARD_POST | DEPARTMENT},
    {"event.return", BOARD_POST | DEPARTMENT},
    {"event.request_extension", BOARD_POST | DEPARTMENT},
    {"event.approve_extension", ADMIN | CENTER},
    {"event.reject_extension", ADMIN | CENTER},
    {"event.feedback", BOARD_POST | DEPARTMENT},
    {"event.send_check", ADMIN | CENTER},
    {"event.check_pass", ADMIN | CENTER | GRID_WORKER},
    {"event.check_fail", ADMIN | CENTER | GRID_WORKER},
    {"event.revisit", ADMIN | CENTER},
    {"event.park", ADMIN | CENTER},
    {"event.resume", ADMIN | CENTER},
    {"event.self_handle", GRID_WORKER},
    {"event.escalate", ADMIN | CENTER},
    {"event.assign_down", ADMIN | CENTER},
    {"event.merge", ADMIN | CENTER},
    {"event.supervise", ADMIN | CENTER},
    /* monitoring (src/monitor): figures for staff; stations and alert rules by the center;
     * devices post readings with the session of a department account (or admin/center) */
    {"monitor.read", STAFF},
    {"monitor.write", ADMIN | CENTER},
    {"monitor.ingest", ADMIN | CENTER | DEPARTMENT},
    /* shared parking (src/parking): lots and free spaces are public, anyone may book (drivers
     * have no account: they cancel with the booking's token); staff read bookings in scope;
     * the center manages lots, plans and gate keys and may post gate events by hand */
    {"parking.read", EVERYONE},
    {"parking.book", EVERYONE},
    {"parking.bookings", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | AUDITOR},
    {"parking.figures", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | AUDITOR},
    {"parking.manage", ADMIN | CENTER},
    {"parking.gate", ADMIN | CENTER},
    /* patrol (src/patrol): river segments and patrols, read within one's jurisdiction (a
     * segment is in scope when one of its grids is, or one is its chief); chiefs (center
     * accounts), grid workers and volunteers record patrols ("河长+网格员+志愿者") */
    {"patrol.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | VOLUNTEER | AUDITOR},
    {"patrol.record", ADMIN | CENTER | GRID_WORKER | VOLUNTEER},
    /* the center keeps the segments of its jurisdiction and their chiefs (河长名录) */
    {"patrol.manage", ADMIN | CENTER},
    /* building economy (src/building, issue 16): figures for the command center, the boards'
     * posts (经济发展), departments and auditors in their jurisdiction; imports from the tax and
     * statistics systems by the center and departments; the evaluation's rules by the center */
    {"building.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | AUDITOR},
    {"building.import", ADMIN | CENTER | DEPARTMENT},
    {"building.config", ADMIN | CENTER},
    /* its public side: vacant office space and the industries in each building for anyone
     * (no tax figure), an enterprise's 入驻意向 from anyone, followed up by the staff who serve
     * the buildings in their jurisdiction */
    {"building.space", EVERYONE},
    {"building.inquire", EVERYONE},
    {"building.leads", ADMIN | CENTER | BOARD_POST | DEPARTMENT},
    /* lifecircle (src/lifecircle): planners read walking coverage, gaps, isochrones and site
     * suggestions of the demand in their jurisdiction; the center imports facility lists
     * (district-wide accounts also the demand points) */
    {"lifecircle.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | AUDITOR},
    {"lifecircle.import", ADMIN | CENTER},
    /* components and the sewer network (src/component): read by staff with a jurisdiction,
     * the census and inspections written by the center and the owner departments */
    {"component.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | AUDITOR},
    {"component.write", ADMIN | CENTER | DEPARTMENT},
    {"sewer.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | AUDITOR},
    {"sewer.write", ADMIN | CENTER | DEPARTMENT},
    /* ledger (src/ledger, issue 15): the 整改台账 is read by those who run and watch it, scoped
     * by the problem's department; measures are reported done by their owner, approved by
     * someone else; 反弹 may also come from supervision. Supervision clues (supervision.*) are
     * for supervision roles only and answer 404 to everyone else (the routes name no action;
     * the domain checks these rows) */
    {"ledger.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | AUDITOR | SUPERVISOR},
    {"ledger.write", ADMIN | CENTER | BOARD_POST},
    {"ledger.report", ADMIN | CENTER | BOARD_POST | DEPARTMENT},
    {"ledger.approve", ADMIN | CENTER | BOARD_POST | SUPERVISOR},
    {"ledger.close", ADMIN | CENTER | BOARD_POST},
    {"ledger.reopen", ADMIN | CENTER | BOARD_POST | SUPERVISOR},
    /* renewal (src/renewal, issue 18): projects, balances, votes and the housing register are
     * read by staff with a jurisdiction (scoped by the project's grid); the renewal office
     * (center, departments) keeps projects, finance and votes; ballots on paper are recorded by
     * the center and the grid workers of the building's grid */
    {"renewal.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | GRID_WORKER | AUDITOR},
    {"renewal.manage", ADMIN | CENTER | DEPARTMENT},
    {"renewal.ballot", ADMIN | CENTER | GRID_WORKER},
    /* the 保障性租赁住房 applicants (personal data, district-wide): the housing office only */
    {"renewal.housing", ADMIN | CENTER | DEPARTMENT},
    {"supervision.read", AUDITOR | SUPERVISOR},
    {"supervision.write", SUPERVISOR},
    /* enterprise module (issue 17): service officers are economy board posts, 人力社保 a
     * department; certificates are issued by street (community) staff; verification is public */
    {"enterprise.read", ADMIN | CENTER | BOARD_POST | DEPARTMENT | AUDITOR},
    {"enterprise.appeal", ADMIN | CENTER | BOARD_POST},
    {"enterprise.wage_read", ADMIN | CENTER | DEPARTMENT | AUDITOR},
    {"enterprise.wage", ADMIN | CENTER | DEPARTMENT},
    {"enterprise.policy", ADMIN | CENTER | DEPARTMENT},
    {"enterprise.cert_read", ADMIN | CENTER | BOARD_POST | AUDITOR},
    {"enterprise.cert_issue", ADMIN | CENTER | BOARD_POST},
    {"enterprise.verify", EVERYONE},
    {"enterprise.cert_request", EVERYONE}, /* a resident's online request, no login */
};

const char *auth_action_at(size_t i)
{
    return i < sizeof(permissions) / sizeof(permissions[0]) ? permissions[i].action : NULL;
}

bool auth_may(const struct auth_principal *who, const char *action)
{
    enum auth_role role = who ? who->role : AUTH_ROLE_NONE;
    if (!action || role < 0 || role >= AUTH_ROLE_COUNT)
        return false;
    for (size_t i = 0; i < sizeof(permissions) / sizeof(permissions[0]); i++)
        if (strcmp(permissions[i].action, action) == 0)
            return (permissions[i].roles & (1u << role)) != 0;
    return false;
}

/* ---- scope and privacy ------------------------------------------------------------------- */

bool auth_region_in_scope(const struct auth_principal *who, const char *code)
{
    if (!who || !code || !*code)
        return false;
    switch (who->role) {
    case AUTH_ROLE_ADMIN:
        return true;
    case AUTH_ROLE_CENTER:
    case AUTH_ROLE_AUDITOR:
    case AUTH_ROLE_SUPERVISOR:
    case AUTH_ROLE_DEPARTMENT:
        return who->region[0] && org_code_within(code, who->region);
    case AUTH_ROLE_GRID_WORKER:
    case AUTH_ROLE_VOLUNTEER:
        return who->grid[0] && org_code_within(code, who->grid);
    case AUTH_ROLE_BOARD_POST:
        return who->street[0] && org_code_within(code, who->street);
    default:
        return false;
    }
}

const char *auth_scope_region(const struct auth_principal *who)
{
    if (!who)
        return "";
    switch (who->role) {
    case AUTH_ROLE_CENTER:
    case AUTH_ROLE_AUDITOR:
    case AUTH_ROLE_SUPERVISOR:
    case AUTH_ROLE_DEPARTMENT:
        return who->region;
    case AUTH_ROLE_GRID_WORKER:
    case AUTH_ROLE_VOLUNTEER:
        return who->grid;
    case AUTH_ROLE_BOARD_POST:
        return who->street;
    default:
        return "";
    }
}

bool auth_sees_personal_data(const struct auth_principal *who)
{
    /* The command center calls reporters back; administrators manage the records. */
    return who && (who->role == AUTH_ROLE_ADMIN || who->role == AUTH_ROLE_CENTER);
}

void auth_show_phone(const struct auth_principal *who, const char *phone, char *out, size_t n)
{
    if (auth_sees_personal_data(who))
        snprintf(out, n, "%s", phone ? phone : "");
    else
        privacy_mask_phone(phone, out, n);
}

/* ---- passwords --------------------------------------------------------------------------- */

static char default_cost[16] = "moderate";

int auth_password_hash(const char *cost, const char *password, char *out, struct app_error *err)
{
    unsigned long long ops;
    size_t mem;
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    if (!cost || strcmp(cost, "moderate") == 0) {
        ops = crypto_pwhash_OPSLIMIT_MODERATE;
        mem = crypto_pwhash_MEMLIMIT_MODERATE;
    } else if (strcmp(cost, "interactive") == 0) {
        ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    } else if (strcmp(cost, "min") == 0) {
        ops = crypto_pwhash_OPSLIMIT_MIN;
        mem = crypto_pwhash_MEMLIMIT_MIN;
    } else
        return app_fail(err, APP_ERR_INVALID, "invalid_cost", "pwhash_cost",
                        "pwhash_cost must be moderate, interactive or min");
    char h[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(h, password, strlen(password), ops, mem) != 0)
        return app_fail(err, APP_ERR_UNAVAILABLE, "out_of_memory", NULL,
                        "not enough memory to hash a password");
    snprintf(out, AUTH_HASH_MAX, "%s", h);
    return 0;
}

bool auth_password_verify(const char *hash, const char *password)
{
    if (sodium_init() < 0 || !hash || !*hash || !password)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* ---- throttling (pure) ------------------------------------------------------------------- */

static bool failure_clean(const struct auth_throttle_rules *r, const struct auth_failure *f,
                          int64_t now)
{
    if (f->failures == 0)
        return true;
    if (f->locked)
        return now >= f->not_before;
    return now - f->last_failure >= r->lock_seconds;
}

int64_t auth_throttle_wait(const struct auth_throttle_rules *r, const struct auth_failure *f,
                           int64_t now, bool *locked)
{
    *locked = false;
    if (failure_clean(r, f, now) || now >= f->not_before)
        return 0;
    *locked = f->locked;
    return f->not_before - now;
}

int64_t auth_throttle_fail(const struct auth_throttle_rules *r, struct auth_failure *f, int64_t now,
                           bool *locked)
{
    *locked = false;
    if (failure_clean(r, f, now))
        memset(f, 0, sizeof(*f));
    f->failures++;
    f->last_failure = now;
    if (f->failures >= r->lock_after) {
        f->locked = true;
        f->not_before = now + r->lock_seconds;
        *locked = true;
        return r->lock_seconds;
    }
    if (r->slow_after < r->lock_after && f->failures >= r->slow_after) {
        int64_t steps = f->failures - r->slow_after;
        int64_t wait = 5 << (steps > 6 ? 6 : steps);
        if (wait > 300)
            wait = 300;
        f->not_before = now + wait;
        return wait;
    }
    return 0;
}

void auth_throttle_rules_account(const struct app *app, struct auth_throttle_rules *out)
{
    out->slow_after = app->cfg.login_slow_after;
    out->lock_after = app->cfg.login_lock_after;
    out->lock_seconds = app->cfg.login_lock_seconds;
}

void auth_throttle_rules_address(const struct app *app, struct auth_throttle_rules *out)
{
    /* One address may serve a whole office behind NAT: five times the account's allowance. */
    auth_throttle_rules_account(app, out);
    out->slow_after *= 5;
    out->lock_after *= 5;
}

/* ---- accounts ---------------------------------------------------------------------------- */

void auth_user_list_release(struct auth_user_list *l)
{
    if (!l)
        return;
    free(l->items);
    memset(l, 0, sizeof(*l));
}

static bool empty(const char *s)
{
    return !s || !*s;
}

static int check_username(const char *u, struct app_error *err)
{
    size_t n = u ? strlen(u) : 0;
    bool ok = n >= 2 && n <= 32 && strcmp(u, "me") != 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = (u[i] >= 'a' && u[i] <= 'z') || (u[i] >= '0' && u[i] <= '9') || u[i] == '_' ||
             u[i] == '.' || u[i] == '-';
    return ok ? 0
              : app_fail(err, APP_ERR_INVALID, "invalid_username", "username",
                         "用户名须为 2–32 个小写字母、数字或 _ . -");
}

static int check_password(const char *pw, const char *field, struct app_error *err)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < 8 || n > 128)
        return app_fail(err, APP_ERR_INVALID, "weak_password", field, "密码须为 8–128 个字符");
    return 0;
}

static int check_region(struct db *db, const char *code, const char *level, const char *field,
                        struct app_error *err)
{
    struct org_region r = {0};
    struct app_error e2 = {0};
    if (empty(code))
        return app_fail(err, APP_ERR_INVALID, "missing_field", field, "缺少 %s", field);
    if (org_region_get(db, code, &r, &e2)) {
        if (e2.code != APP_ERR_NOT_FOUND) {
            *err = e2;
            return -1;
        }
        return app_fail(err, APP_ERR_INVALID,
                        strcmp(field, "grid") == 0 ? "unknown_grid" : "unknown_region", field,
                        "没有编码为 %s 的区域", code);
    }
    bool ok = !level || strcmp(r.level, level) == 0;
    org_region_release(&r);
    if (!ok)
        return app_fail(err, APP_ERR_INVALID,
                        strcmp(field, "grid") == 0 ? "unknown_grid" : "region_level_mismatch",
                        field, "区域 %s 不是%s级", code, level);
    return 0;
}

static void set(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

int auth_user_check(struct db *db, const struct auth_user_input *in, struct auth_user *out,
                    struct app_error *err)
{
    struct auth_principal *p = &out->p;
    memset(out, 0, sizeof(*out));
    if (check_username(in->username, err))
        return -1;
    set(p->username, sizeof(p->username), in->username);
    const char *dn = empty(in->display_name) ? in->username : in->display_name;
    if (strlen(dn) >= sizeof(p->display_name) || !utf8_valid(dn, strlen(dn)))
        return app_fail(err, APP_ERR_INVALID, "invalid_display_name", "display_name",
                        "显示名须为不超过 63 字节的 UTF-8 文本");
    set(p->display_name, sizeof(p->display_name), dn);
    p->role = auth_role_parse(in->role);
    if (p->role == AUTH_ROLE_NONE)
        return app_fail(err, APP_ERR_INVALID, "invalid_role", "role",
                        "角色须为 admin、center、board_post、department、grid_worker、"
                        "volunteer、auditor 或 supervisor");
    if (in->password && check_password(in->password, "password", err))
        return -1;
    switch (p->role) {
    case AUTH_ROLE_CENTER:
        if (empty(in->level) || (strcmp(in->level, "city") && strcmp(in->level, "district") &&
                                 strcmp(in->level, "street")))
            return app_fail(err, APP_ERR_INVALID, "invalid_level", "level",
                            "指挥中心的层级须为 city、district 或 street");
        if (check_region(db, in->region, in->level, "region", err))
            return -1;
        set(p->level, sizeof(p->level), in->level);
        set(p->region, sizeof(p->region), in->region);
        break;
    case AUTH_ROLE_AUDITOR:
    case AUTH_ROLE_SUPERVISOR:
        if (check_region(db, in->region, NULL, "region", err))
            return -1;
        set(p->region, sizeof(p->region), in->region);
        break;
    case AUTH_ROLE_GRID_WORKER:
    case AUTH_ROLE_VOLUNTEER:
        if (check_region(db, in->grid, "grid", "grid", err))
            return -1;
        set(p->grid, sizeof(p->grid), in->grid);
        if (p->role == AUTH_ROLE_GRID_WORKER) {
            static const char *const team_roles[] = {"网格长", "专职网格员", "兼职网格员",
                                                     "网格指导员"};
            bool ok = false;
            for (size_t i = 0; !empty(in->team_role) && i < 4; i++)
                ok |= strcmp(in->team_role, team_roles[i]) == 0;
            if (!ok)
                return app_fail(err, APP_ERR_INVALID, "invalid_team_role", "team_role",
                                "网格员的角色须为 网格长、专职网格员、兼职网格员 或 网格指导员");
            set(p->team_role, sizeof(p->team_role), in->team_role);
        }
        break;
    case AUTH_ROLE_DEPARTMENT: {
        struct org_department_list deps = {0};
        if (org_department_list(db, &deps, err))
            return -1;
        for (size_t i = 0; !empty(in->department) && i < deps.len; i++)
            if (strcmp(deps.items[i].code, in->department) == 0) {
                set(p->department, sizeof(p->department), deps.items[i].code);
                set(p->region, sizeof(p->region), deps.items[i].region_code);
            }
        org_department_list_release(&deps);
        if (!p->department[0])
            return app_fail(err, APP_ERR_INVALID, "unknown_department", "department",
                            "没有这个部门");
        break;
    }
    case AUTH_ROLE_BOARD_POST: {
        struct org_post_list posts = {0};
        if (org_post_list(db, NULL, NULL, &posts, err))
            return -1;
        for (size_t i = 0; !empty(in->post) && i < posts.len; i++)
            if (strcmp(posts.items[i].code, in->post) == 0) {
                set(p->post, sizeof(p->post), posts.items[i].code);
                set(p->board, sizeof(p->board), posts.items[i].board_code);
                set(p->street, sizeof(p->street), posts.items[i].street_code);
            }
        org_post_list_release(&posts);
        if (!p->post[0])
            return app_fail(err, APP_ERR_INVALID, "unknown_post", "post", "没有这个岗位");
        if (!empty(in->board) && strcmp(in->board, p->board) != 0)
            return app_fail(err, APP_ERR_INVALID, "board_mismatch", "board",
                            "岗位 %s 不属于板块 %s", p->post, in->board);
        break;
    }
    default:
        break;
    }
    return 0;
}

char *auth_user_canonical(const struct auth_user *u)
{
    struct buf b = BUF_INIT;
    const struct auth_principal *p = &u->p;
    buf_printf(&b,
               "username=%s;display_name=%s;role=%s;level=%s;region=%s;grid=%s;team_role=%s;"
               "department=%s;board=%s;post=%s;street=%s;disabled=%d",
               p->username, p->display_name, auth_role_name(p->role), p->level, p->region, p->grid,
               p->team_role, p->department, p->board, p->post, p->street, u->disabled);
    char *s = xstrdup(buf_cstr(&b));
    buf_release(&b);
    return s;
}

/* Insert a checked user with a ready hash and its audit row, in the caller's transaction. */
static int insert_user(struct db *db, const struct auth_principal *actor, const char *request_id,
                       struct auth_user *u, const char *hash, int64_t *id, struct app_error *err)
{
    u->created_at = u->updated_at = clock_now();
    if (auth_store_user_insert(db, u, hash, id, err))
        return -1;
    u->p.user_id = *id;
    char *after = auth_user_canonical(u);
    struct audit_entry e = {.actor = actor,
                            .action = "user.create",
                            .object_type = "user",
                            .object_id = u->p.username,
                            .request_id = request_id,
                            .after = after,
                            .region = auth_scope_region(&u->p)};
    int rc = audit_append(db, &e, err);
    free(after);
    return rc;
}

int auth_user_create_cost(struct db *db, const char *cost, const struct auth_user_input *in,
                          int64_t *id, struct app_error *err)
{
    struct auth_user u;
    char hash[AUTH_HASH_MAX];
    if (check_password(in->password, "password", err) || auth_user_check(db, in, &u, err) ||
        auth_password_hash(cost, in->password, hash, err))
        return -1;
    return insert_user(db, NULL, NULL, &u, hash, id, err);
}

int auth_user_create(struct db *db, const struct auth_user_input *in, int64_t *id,
                     struct app_error *err)
{
    return auth_user_create_cost(db, default_cost, in, id, err);
}

int auth_user_add(struct app *app, struct db *db, const struct auth_principal *actor,
                  const char *request_id, const struct auth_user_input *in, int64_t *id,
                  struct app_error *err)
{
    struct auth_user u;
    char hash[AUTH_HASH_MAX];
    /* Check before the slow hash, hash before taking the write lock. */
    if (check_password(in->password, "password", err) || auth_user_check(db, in, &u, err) ||
        auth_password_hash(app->cfg.pwhash_cost, in->password, hash, err))
        return -1;
    if (db_begin(db, err))
        return -1;
    if (insert_user(db, actor, request_id, &u, hash, id, err)) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

int auth_user_get(struct db *db, const char *username, struct auth_user *out, struct app_error *err)
{
    return auth_store_user_get(db, username, out, NULL, 0, err);
}

int auth_user_list(struct db *db, const char *after, long limit, struct auth_user_list *out,
                   bool *more, struct app_error *err)
{
    return auth_store_user_list(db, after, limit, out, more, err);
}

int auth_principal_for_user(struct db *db, const char *username, struct auth_principal *out,
                            struct app_error *err)
{
    struct auth_user u;
    if (auth_store_user_get(db, username, &u, NULL, 0, err))
        return -1;
    if (u.disabled)
        return app_fail(err, APP_ERR_NOT_FOUND, "user_disabled", "username", "用户已停用");
    *out = u.p;
    return 0;
}

static const char *pick(const char *patch, const char *current)
{
    return patch ? patch : current;
}

int auth_user_update(struct app *app, struct db *db, const struct auth_principal *actor,
                     const char *request_id, const char *username,
                     const struct auth_user_patch *patch, struct app_error *err)
{
    struct auth_user cur, next;
    char hash[AUTH_HASH_MAX];
    if (auth_store_user_get(db, username, &cur, NULL, 0, err))
        return -1;
    const struct auth_principal *c = &cur.p;
    struct auth_user_input in = {
        .username = c->username,
        .display_name = pick(patch->display_name, c->display_name),
        .role = pick(patch->role, auth_role_name(c->role)),
        .level = pick(patch->level, c->level),
        .region = pick(patch->region, c->region),
        .grid = pick(patch->grid, c->grid),
        .team_role = pick(patch->team_role, c->team_role),
        .department = pick(patch->department, c->department),
        .board = patch->board,
        .post = pick(patch->post, c->post),
        .password = patch->password,
    };
    if (patch->password && check_password(patch->password, "password", err))
        return -1;
    if (auth_user_check(db, &in, &next, err))
        return -1;
    if (patch->password && auth_password_hash(app->cfg.pwhash_cost, patch->password, hash, err))
        return -1;
    next.p.user_id = c->user_id;
    next.disabled = patch->disabled < 0 ? cur.disabled : patch->disabled != 0;
    next.created_at = cur.created_at;
    next.updated_at = clock_now();
    bool end_sessions = patch->password || next.disabled || next.p.role != c->role ||
                        strcmp(next.p.region, c->region) || strcmp(next.p.grid, c->grid) ||
                        strcmp(next.p.post, c->post) || strcmp(next.p.department, c->department);
    char *before = auth_user_canonical(&cur), *after = auth_user_canonical(&next);
    /* A password change alone leaves the canonical text as it was; mark it for the digest. */
    if (patch->password) {
        char *t = xmalloc(strlen(after) + 32);
        snprintf(t, strlen(after) + 32, "%s;password_changed_at=%lld", after,
                 (long long)next.updated_at);
        free(after);
        after = t;
    }
    /* The account's region after the change: its new jurisdiction's auditors see the row. */
    struct audit_entry e = {.actor = actor,
                            .action = "user.update",
                            .object_type = "user",
                            .object_id = c->username,
                            .request_id = request_id,
                            .before = before,
                            .after = after,
                            .region = auth_scope_region(&next.p)};
    int ret = -1;
    if (db_begin(db, err))
        goto out;
    if (auth_store_user_update(db, &next, patch->password ? hash : NULL, err) ||
        (end_sessions && auth_store_session_delete_user(db, c->user_id, NULL, err)) ||
        audit_append(db, &e, err)) {
        db_rollback(db);
        goto out;
    }
    ret = db_commit(db, err);
out:
    free(before);
    free(after);
    return ret;
}

/* ---- sessions ---------------------------------------------------------------------------- */

static void token_digest(const char *token, char out[65])
{
    unsigned char d[32];
    crypto_generichash(d, sizeof(d), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, d, sizeof(d));
}

/* A hash to verify against when the user does not exist, so the answer takes as long. */
static const char *dummy_hash(const char *cost)
{
    static char h[AUTH_HASH_MAX];
    static char h_cost[16];
    struct app_error e = {0};
    /* Races only compute the same thing twice. */
    if (!h[0] || strcmp(h_cost, cost ? cost : "")) {
        char t[AUTH_HASH_MAX];
        if (auth_password_hash(cost, "zhizhi-no-such-user", t, &e) == 0) {
            snprintf(h_cost, sizeof(h_cost), "%s", cost ? cost : "");
            snprintf(h, sizeof(h), "%s", t);
        }
    }
    return h;
}

struct throttle_keys {
    char account[96], address[96];
    struct auth_failure fa, fb;
    bool found_a, found_b;
};

static int load_failures(struct db *db, struct throttle_keys *k, struct app_error *err)
{
    return auth_store_failure_get(db, k->account, &k->fa, &k->found_a, err) ||
                   auth_store_failure_get(db, k->address, &k->fb, &k->found_b, err)
               ? -1
               : 0;
}

static int too_many(int64_t wait, bool locked, struct auth_login *out, struct app_error *err)
{
    out->retry_after = wait;
    return app_fail(err, APP_ERR_TOO_MANY, locked ? "account_locked" : "slow_down", NULL,
                    locked ? "登录失败次数过多，已暂时锁定，请 %lld 秒后再试"
                           : "登录失败次数过多，请 %lld 秒后再试",
                    (long long)wait);
}

/* Count a failed login for both keys; returns the wait and lock the failure caused. */
static int record_failure(struct app *app, struct db *db, struct throttle_keys *k,
                          const struct auth_user *u, bool user_found, const char *request_id,
                          int64_t *wait, bool *locked, struct app_error *err)
{
    struct auth_throttle_rules ra, rb;
    int64_t now = clock_now();
    bool la, lb;
    auth_throttle_rules_account(app, &ra);
    auth_throttle_rules_address(app, &rb);
    if (db_begin(db, err))
        return -1;
    if (load_failures(db, k, err))
        goto fail;
    int64_t wa = auth_throttle_fail(&ra, &k->fa, now, &la);
    int64_t wb = auth_throttle_fail(&rb, &k->fb, now, &lb);
    *wait = wa > wb ? wa : wb;
    *locked = (la && wa >= wb) || (lb && wb >= wa);
    if (auth_store_failure_put(db, k->account, &k->fa, err) ||
        auth_store_failure_put(db, k->address, &k->fb, err))
        goto fail;
    /* Every failure is on the record, for unknown names too (a password spray shows as many
     * names from one address), and so is the lock of an address. */
    struct audit_entry e = {.action = la ? "session.locked" : "session.login_failed",
                            .object_type = "user",
                            .object_id = user_found ? u->p.username : k->account + 5,
                            .request_id = request_id,
                            .region = user_found ? auth_scope_region(&u->p) : NULL};
    if (audit_append(db, &e, err))
        goto fail;
    if (lb) {
        struct audit_entry ea = {.action = "session.address_locked",
                                 .object_type = "address",
                                 .object_id = k->address + 5,
                                 .request_id = request_id};
        if (audit_append(db, &ea, err))
            goto fail;
    }
    return db_commit(db, err);
fail:
    db_rollback(db);
    return -1;
}

int auth_login(struct app *app, struct db *db, const char *username, const char *password,
               const char *client_addr, const char *request_id, struct auth_login *out,
               struct app_error *err)
{
    struct throttle_keys k = {0};
    struct auth_throttle_rules ra, rb;
    struct auth_user u;
    char hash[AUTH_HASH_MAX] = "";
    struct app_error e2 = {0};
    bool la, lb;
    memset(out, 0, sizeof(*out));
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    if (empty(username) || strlen(username) > 64)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "username", "请输入用户名");
    if (!password || strlen(password) > 1024)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "password", "请输入密码");
    snprintf(k.account, sizeof(k.account), "user:%s", username);
    snprintf(k.address, sizeof(k.address), "addr:%s", client_addr ? client_addr : "unknown");
    auth_throttle_rules_account(app, &ra);
    auth_throttle_rules_address(app, &rb);
    int64_t now = clock_now();
    if (load_failures(db, &k, err))
        return -1;
    int64_t wa = auth_throttle_wait(&ra, &k.fa, now, &la);
    int64_t wb = auth_throttle_wait(&rb, &k.fb, now, &lb);
    if (wa || wb)
        return too_many(wa > wb ? wa : wb, wa >= wb ? la : lb, out, err);

    bool found = auth_store_user_get(db, username, &u, hash, sizeof(hash), &e2) == 0;
    if (!found && e2.code != APP_ERR_NOT_FOUND) {
        *err = e2;
        return -1;
    }
    bool ok = auth_password_verify(found ? hash : dummy_hash(app->cfg.pwhash_cost), password);
    if (!ok || !found || u.disabled) {
        int64_t wait = 0;
        bool locked = false;
        if (record_failure(app, db, &k, &u, found, request_id, &wait, &locked, err))
            return -1;
        if (wait)
            return too_many(wait, locked, out, err);
        return app_fail(err, APP_ERR_UNAUTHORIZED, "bad_credentials", "password",
                        "用户名或密码不正确");
    }

    unsigned char raw[32];
    char digest[65];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out->token, sizeof(out->token), raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    token_digest(out->token, digest);
    now = clock_now();
    int64_t abs = now + app->cfg.session_max;
    out->who = u.p;
    out->expires = now + app->cfg.session_idle < abs ? now + app->cfg.session_idle : abs;
    struct audit_entry e = {.actor = &u.p,
                            .action = "session.create",
                            .object_type = "session",
                            .object_id = u.p.username,
                            .request_id = request_id,
                            .region = auth_scope_region(&u.p)};
    if (db_begin(db, err))
        return -1;
    if (auth_store_failure_clear(db, k.account, err) ||
        auth_store_session_insert(db, digest, u.p.user_id, now, abs, err) ||
        audit_append(db, &e, err)) {
        db_rollback(db);
        memset(out->token, 0, sizeof(out->token));
        return -1;
    }
    return db_commit(db, err);
}

int auth_session_identify(struct app *app, struct db *db, const char *token,
                          struct auth_principal *out, int64_t *expires, struct app_error *err)
{
    char digest[65];
    int64_t user_id, last_seen, abs;
    struct app_error e2 = {0};
    struct auth_user u;
    if (empty(token) || strlen(token) > 128 || sodium_init() < 0)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "session_expired", NULL,
                        "会话无效或已过期，请重新登录");
    token_digest(token, digest);
    if (auth_store_session_get(db, digest, &user_id, &last_seen, &abs, &e2)) {
        if (e2.code != APP_ERR_NOT_FOUND) {
            *err = e2;
            return -1;
        }
        return app_fail(err, APP_ERR_UNAUTHORIZED, "session_expired", NULL,
                        "会话无效或已过期，请重新登录");
    }
    int64_t now = clock_now();
    bool dead = now >= abs || now - last_seen >= app->cfg.session_idle;
    if (!dead && auth_store_user_get_id(db, user_id, &u, NULL, 0, &e2) == 0)
        dead = u.disabled;
    else
        dead = true;
    if (dead) {
        auth_store_session_delete(db, digest, &e2);
        return app_fail(err, APP_ERR_UNAUTHORIZED, "session_expired", NULL,
                        "会话无效或已过期，请重新登录");
    }
    /* Best effort: a session that cannot record its use (a full disk, a busy database) still
     * reads; it only ages from its last recorded use. */
    if (auth_store_session_touch(db, digest, now, &e2))
        log_warn("session use not recorded: %s", e2.message);
    *out = u.p;
    if (expires)
        *expires = now + app->cfg.session_idle < abs ? now + app->cfg.session_idle : abs;
    return 0;
}

int auth_logout(struct db *db, const struct auth_principal *who, const char *token,
                const char *request_id, struct app_error *err)
{
    char digest[65];
    if (empty(token) || sodium_init() < 0)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "session_expired", NULL, "没有会话");
    token_digest(token, digest);
    struct audit_entry e = {.actor = who,
                            .action = "session.delete",
                            .object_type = "session",
                            .object_id = who ? who->username : "",
                            .request_id = request_id,
                            .region = auth_scope_region(who)};
    if (db_begin(db, err))
        return -1;
    if (auth_store_session_delete(db, digest, err) || audit_append(db, &e, err)) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

/* Check current against hash under the same throttle as logins (the account rules, keyed by
 * the user): wrong guesses are counted and audited, and past slow_after each further guess
 * must wait (APP_ERR_TOO_MANY with *retry_after), so a stolen session cannot brute-force the
 * password it would need to take the account over. A right guess clears the count. */
static int password_guard(struct app *app, struct db *db, const struct auth_principal *who,
                          const char *request_id, const char *current, const char *hash,
                          int64_t *retry_after, struct app_error *err)
{
    struct auth_throttle_rules r;
    struct auth_failure f = {0};
    bool found, locked = false;
    char key[48];
    struct auth_login tm = {0};
    snprintf(key, sizeof(key), "pwchange:%lld", (long long)who->user_id);
    auth_throttle_rules_account(app, &r);
    int64_t now = clock_now();
    if (auth_store_failure_get(db, key, &f, &found, err))
        return -1;
    int64_t wait = auth_throttle_wait(&r, &f, now, &locked);
    if (!wait && current && auth_password_verify(hash, current))
        return found ? auth_store_failure_clear(db, key, err) : 0;
    if (!wait) {
        struct audit_entry e = {.actor = who,
                                .object_type = "user",
                                .object_id = who->username,
                                .request_id = request_id,
                                .region = auth_scope_region(who)};
        if (db_begin(db, err))
            return -1;
        wait = auth_throttle_fail(&r, &f, now, &locked);
        e.action = locked ? "user.password_locked" : "user.password_failed";
        if (auth_store_failure_put(db, key, &f, err) || audit_append(db, &e, err)) {
            db_rollback(db);
            return -1;
        }
        if (db_commit(db, err))
            return -1;
        if (!wait)
            return app_fail(err, APP_ERR_FORBIDDEN, "wrong_password", "current_password",
                            "当前密码不正确");
    }
    too_many(wait, locked, &tm, err);
    if (retry_after)
        *retry_after = tm.retry_after;
    return -1;
}

int auth_password_change(struct app *app, struct db *db, const struct auth_principal *who,
                         const char *token, const char *request_id, const char *current,
                         const char *new_password, int64_t *retry_after, struct app_error *err)
{
    struct auth_user u;
    char hash[AUTH_HASH_MAX], fresh[AUTH_HASH_MAX], digest[65];
    if (!who)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL, "请先登录");
    if (auth_store_user_get_id(db, who->user_id, &u, hash, sizeof(hash), err))
        return -1;
    if (password_guard(app, db, who, request_id, current, hash, retry_after, err))
        return -1;
    if (check_password(new_password, "new_password", err))
        return -1;
    if (strcmp(current, new_password) == 0)
        return app_fail(err, APP_ERR_INVALID, "same_password", "new_password",
                        "新密码不能与当前密码相同");
    if (auth_password_hash(app->cfg.pwhash_cost, new_password, fresh, err))
        return -1;
    token_digest(token ? token : "", digest);
    u.updated_at = clock_now();
    char *before = auth_user_canonical(&u);
    struct audit_entry e = {.actor = who,
                            .action = "user.password",
                            .object_type = "user",
                            .object_id = u.p.username,
                            .request_id = request_id,
                            .before = before,
                            .region = auth_scope_region(&u.p)};
    int ret = -1;
    if (db_begin(db, err))
        goto out;
    if (auth_store_user_update(db, &u, fresh, err) ||
        auth_store_session_delete_user(db, u.p.user_id, digest, err) || audit_append(db, &e, err)) {
        db_rollback(db);
        goto out;
    }
    ret = db_commit(db, err);
out:
    free(before);
    return ret;
}

/* ---- seeding ----------------------------------------------------------------------------- */

static int read_password_file(const char *path, char *out, size_t n, struct app_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return app_fail(err, APP_ERR_INVALID, "unreadable_file", "admin_password_file",
                        "cannot read the admin password file %s", path);
    size_t len = fread(out, 1, n - 1, f);
    fclose(f);
    out[len] = '\0';
    while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
    return check_password(out, "admin_password_file", err);
}

struct demo_user {
    const char *username, *display_name, *role, *level, *region, *grid, *team_role, *department,
        *post;
};

static int seed_demo_users(struct db *db, const char *cost, struct app_error *err)
{
    char grid[24] = "";
    struct org_region_query q = {.level = "grid", .after = "500103003", .limit = 1};
    struct org_region_list l = {0};
    bool more;
    if (org_region_list(db, &q, &l, &more, err))
        return -1;
    if (l.len && org_code_within(l.items[0].code, "500103003"))
        set(grid, sizeof(grid), l.items[0].code);
    org_region_list_release(&l);
    const struct demo_user users[] = {
        {"center_yz", "渝中区指挥中心值班员", "center", "district", "500103", 0, 0, 0, 0},
        {"center_jfb", "解放碑街道指挥中心值班员", "center", "street", "500103003", 0, 0, 0, 0},
        {"center_qxg", "七星岗街道指挥中心值班员", "center", "street", "500103001", 0, 0, 0, 0},
        {"grid_jfb", "解放碑网格员", "grid_worker", 0, 0, grid, "专职网格员", 0, 0},
        {"volunteer_jfb", "解放碑志愿者", "volunteer", 0, 0, grid, 0, 0, 0},
        {"dept_urban", "区城市管理局办理人", "department", 0, 0, 0, 0, "urban", 0},
        {"dept_eco", "区生态环境局办理人", "department", 0, 0, 0, 0, "eco", 0},
        {"post_jfb_cg", "解放碑街道城市管理岗", "board_post", 0, 0, 0, 0, 0, "500103003-cg"},
        {"auditor_yz", "渝中区纪检监督员", "auditor", 0, "500103", 0, 0, 0, 0},
        /* ledger module: the district's 纪检监察 supervisor (synthetic) */
        {"supervisor_yz", "渝中区纪检监察监督员", "supervisor", 0, "500103", 0, 0, 0, 0},
    };
    char hash[AUTH_HASH_MAX];
    /* One hash for all: they share the published demo password, and seeding stays fast. */
    if (auth_password_hash(cost, AUTH_DEMO_PASSWORD, hash, err))
        return -1;
    for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
        const struct demo_user *d = &users[i];
        if (d->grid && !grid[0])
            continue; /* no demo grids: skip the grid team */
        struct auth_user_input in = {d->username, d->display_name, d->role,      d->level,
                                     d->region,   d->grid,         d->team_role, d->department,
                                     NULL,        d->post,         NULL};
        struct auth_user u;
        int64_t id;
        if (auth_user_check(db, &in, &u, err) || insert_user(db, NULL, NULL, &u, hash, &id, err))
            return -1;
    }
    /* No password in the log, not even the published demo one. */
    log_info("demo users created (center_yz, center_jfb, center_qxg, grid_jfb, volunteer_jfb, "
             "dept_urban, dept_eco, post_jfb_cg, auditor_yz, supervisor_yz) with the demo password "
             "of the "
             "README");
    return 0;
}

int auth_start(struct app *app, struct app_error *err)
{
    if (sodium_init() < 0)
        return app_fail(err, APP_ERR_INTERNAL, "sodium", NULL, "libsodium unavailable");
    char probe[AUTH_HASH_MAX];
    const char *cost = app->cfg.pwhash_cost;
    if (strcmp(cost, "moderate") && strcmp(cost, "interactive") && strcmp(cost, "min"))
        return auth_password_hash(cost, "x", probe, err); /* fails naming pwhash_cost */
    set(default_cost, sizeof(default_cost), cost);
    return 0;
}

int auth_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    char password[160];
    bool random_pw = false;
    int64_t n, id;
    if (auth_start(app, err) || auth_store_user_count(db, &n, err))
        return -1;
    if (n > 0)
        return 0;
    const char *file = app->cfg.admin_password_file;
    if (file && *file) {
        if (read_password_file(file, password, sizeof(password), err))
            return -1;
    } else {
        unsigned char raw[12];
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2base64(password, sizeof(password), raw, sizeof(raw),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        random_pw = true;
    }
    struct auth_user_input admin = {
        .username = "admin", .display_name = "系统管理员", .role = "admin", .password = password};
    if (db_begin(db, err))
        return -1;
    if (auth_user_create_cost(db, app->cfg.pwhash_cost, &admin, &id, err) ||
        (demo && seed_demo_users(db, app->cfg.pwhash_cost, err))) {
        db_rollback(db);
        sodium_memzero(password, sizeof(password));
        return -1;
    }
    if (db_commit(db, err))
        return -1;
    if (random_pw) {
        /* Shown once, on the terminal that created the database; never logged. */
        printf("first administrator: admin, password: %s (shown once; change it with "
               "zhizhi user passwd admin)\n",
               password);
        fflush(stdout);
    }
    sodium_memzero(password, sizeof(password));
    return 0;
}
