/* Auth rules: the permission table, jurisdiction scope, masking, password hashing, the login
 * throttle, and sessions, lockout and expiry against an in-memory database with a fixed clock. */
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "org/org.h"
#include "test.h"

static struct auth_principal principal(enum auth_role role)
{
    struct auth_principal p = {0};
    p.role = role;
    snprintf(p.username, sizeof(p.username), "%s", auth_role_name(role));
    return p;
}

TEST(roles_round_trip)
{
    for (int r = AUTH_ROLE_ADMIN; r < AUTH_ROLE_COUNT; r++)
        CHECK_INT(auth_role_parse(auth_role_name((enum auth_role)r)), r);
    CHECK_INT(auth_role_parse("root"), AUTH_ROLE_NONE);
    CHECK_INT(auth_role_parse(NULL), AUTH_ROLE_NONE);
    CHECK_STR(auth_role_name(AUTH_ROLE_NONE), "");
}

TEST(permission_table)
{
    struct auth_principal admin = principal(AUTH_ROLE_ADMIN), center = principal(AUTH_ROLE_CENTER),
                          auditor = principal(AUTH_ROLE_AUDITOR),
                          grid = principal(AUTH_ROLE_GRID_WORKER),
                          dept = principal(AUTH_ROLE_DEPARTMENT);
    CHECK(auth_may(&admin, "user.write"));
    CHECK(auth_may(&admin, "user.read"));
    CHECK(!auth_may(&center, "user.write"));
    CHECK(!auth_may(&auditor, "user.read"));
    CHECK(auth_may(&auditor, "audit.read"));
    CHECK(auth_may(&admin, "audit.read"));
    CHECK(!auth_may(&center, "audit.read"));
    CHECK(!auth_may(&grid, "audit.read"));
    CHECK(auth_may(&grid, "org.team.read"));
    CHECK(auth_may(&dept, "self.password"));
    CHECK(!auth_may(NULL, "org.team.read"));
    CHECK(!auth_may(NULL, "session.read"));
    CHECK(auth_may(NULL, "org.read"));
    CHECK(!auth_may(&admin, "no.such.action")); /* unknown actions are refused */
    CHECK(!auth_may(&admin, NULL));
    /* Every listed action is granted to somebody. */
    const char *a;
    for (size_t i = 0; (a = auth_action_at(i)); i++) {
        bool any = auth_may(NULL, a);
        for (int r = AUTH_ROLE_ADMIN; r < AUTH_ROLE_COUNT; r++) {
            struct auth_principal p = principal((enum auth_role)r);
            any |= auth_may(&p, a);
        }
        CHECK(any);
    }
}

TEST(scope)
{
    struct auth_principal admin = principal(AUTH_ROLE_ADMIN);
    struct auth_principal street = principal(AUTH_ROLE_CENTER);
    snprintf(street.region, sizeof(street.region), "500103003");
    struct auth_principal grid = principal(AUTH_ROLE_GRID_WORKER);
    snprintf(grid.grid, sizeof(grid.grid), "500103003001001");
    struct auth_principal post = principal(AUTH_ROLE_BOARD_POST);
    snprintf(post.street, sizeof(post.street), "500103001");
    struct auth_principal dept = principal(AUTH_ROLE_DEPARTMENT);
    snprintf(dept.region, sizeof(dept.region), "500103");
    struct auth_principal nobody = principal(AUTH_ROLE_CENTER); /* no region: nothing */

    CHECK(auth_region_in_scope(&admin, "500103001001001"));
    CHECK(auth_region_in_scope(&street, "500103003"));
    CHECK(auth_region_in_scope(&street, "500103003001001"));
    CHECK(!auth_region_in_scope(&street, "500103001001001"));
    CHECK(!auth_region_in_scope(&street, "500103")); /* not upwards */
    CHECK(auth_region_in_scope(&grid, "500103003001001"));
    CHECK(!auth_region_in_scope(&grid, "500103003001002"));
    CHECK(!auth_region_in_scope(&grid, "500103003001"));
    CHECK(auth_region_in_scope(&post, "500103001002003"));
    CHECK(!auth_region_in_scope(&post, "500103003"));
    CHECK(auth_region_in_scope(&dept, "500103010"));
    CHECK(!auth_region_in_scope(&nobody, "500103003"));
    CHECK(!auth_region_in_scope(NULL, "500103003"));
    CHECK(!auth_region_in_scope(&admin, ""));
}

/* auth_scope_region names the same bound as auth_region_in_scope: every principal's own scope
 * region is in its scope, and the audit rows of its account carry it. */
TEST(scope_region)
{
    struct auth_principal street = principal(AUTH_ROLE_AUDITOR);
    snprintf(street.region, sizeof(street.region), "500103003");
    struct auth_principal grid = principal(AUTH_ROLE_VOLUNTEER);
    snprintf(grid.grid, sizeof(grid.grid), "500103003001001");
    struct auth_principal post = principal(AUTH_ROLE_BOARD_POST);
    snprintf(post.street, sizeof(post.street), "500103001");
    snprintf(post.post, sizeof(post.post), "500103001-cg");
    struct auth_principal admin = principal(AUTH_ROLE_ADMIN);
    CHECK_STR(auth_scope_region(&street), "500103003");
    CHECK_STR(auth_scope_region(&grid), "500103003001001");
    CHECK_STR(auth_scope_region(&post), "500103001");
    CHECK_STR(auth_scope_region(&admin), "");
    CHECK_STR(auth_scope_region(NULL), "");
    const struct auth_principal *all[] = {&street, &grid, &post};
    for (size_t i = 0; i < 3; i++)
        CHECK(auth_region_in_scope(all[i], auth_scope_region(all[i])));
}

TEST(masking)
{
    char out[32];
    struct auth_principal admin = principal(AUTH_ROLE_ADMIN), center = principal(AUTH_ROLE_CENTER),
                          grid = principal(AUTH_ROLE_GRID_WORKER),
                          auditor = principal(AUTH_ROLE_AUDITOR);
    auth_show_phone(&admin, "13812345678", out, sizeof(out));
    CHECK_STR(out, "13812345678");
    auth_show_phone(&center, "13812345678", out, sizeof(out));
    CHECK_STR(out, "13812345678");
    auth_show_phone(&grid, "13812345678", out, sizeof(out));
    CHECK_STR(out, "138****5678");
    auth_show_phone(&auditor, "13812345678", out, sizeof(out));
    CHECK_STR(out, "138****5678");
    auth_show_phone(NULL, "13812345678", out, sizeof(out));
    CHECK_STR(out, "138****5678");
    auth_show_phone(NULL, "", out, sizeof(out));
    CHECK_STR(out, "");
    CHECK(!auth_sees_personal_data(NULL));
    CHECK(!auth_sees_personal_data(&grid));
}

TEST(password_hashing)
{
    char h1[AUTH_HASH_MAX], h2[AUTH_HASH_MAX];
    struct app_error err = {0};
    CHECK_INT(auth_password_hash("min", "correct horse", h1, &err), 0);
    CHECK_INT(auth_password_hash("min", "correct horse", h2, &err), 0);
    CHECK(strncmp(h1, "$argon2id$", 10) == 0);
    CHECK(strcmp(h1, h2) != 0); /* salted */
    CHECK(strstr(h1, "correct") == NULL);
    CHECK(auth_password_verify(h1, "correct horse"));
    CHECK(!auth_password_verify(h1, "correct horsE"));
    CHECK(!auth_password_verify(h1, ""));
    CHECK(!auth_password_verify("", "correct horse"));
    CHECK_INT(auth_password_hash("cheap", "x", h1, &err), -1);
    CHECK_STR(err.code_name, "invalid_cost");
    CHECK_STR(err.field, "pwhash_cost");
}

TEST(throttle_slows_then_locks_then_forgets)
{
    struct auth_throttle_rules r = {.slow_after = 3, .lock_after = 5, .lock_seconds = 900};
    struct auth_failure f = {0};
    bool locked;
    int64_t t = 1000000;
    CHECK_INT(auth_throttle_wait(&r, &f, t, &locked), 0);
    CHECK_INT(auth_throttle_fail(&r, &f, t, &locked), 0);
    CHECK_INT(auth_throttle_fail(&r, &f, t, &locked), 0);
    CHECK_INT(auth_throttle_wait(&r, &f, t, &locked), 0);
    CHECK_INT(auth_throttle_fail(&r, &f, t, &locked), 5); /* third: slow down */
    CHECK(!locked);
    CHECK_INT(auth_throttle_wait(&r, &f, t + 1, &locked), 4);
    CHECK(!locked);
    CHECK_INT(auth_throttle_wait(&r, &f, t + 5, &locked), 0);
    CHECK_INT(auth_throttle_fail(&r, &f, t + 5, &locked), 10);   /* doubles */
    CHECK_INT(auth_throttle_fail(&r, &f, t + 15, &locked), 900); /* fifth: lock */
    CHECK(locked);
    CHECK_INT(auth_throttle_wait(&r, &f, t + 16, &locked), 899);
    CHECK(locked);
    CHECK_INT(auth_throttle_wait(&r, &f, t + 15 + 900, &locked), 0);
    /* After the lock a failure starts a fresh count. */
    CHECK_INT(auth_throttle_fail(&r, &f, t + 15 + 900, &locked), 0);
    CHECK_INT(f.failures, 1);
    /* Old failures are forgotten after lock_seconds. */
    CHECK_INT(auth_throttle_fail(&r, &f, t + 15 + 900 + 901, &locked), 0);
    CHECK_INT(f.failures, 1);
    /* slow_after >= lock_after: no slowing, straight to the lock. */
    struct auth_throttle_rules r2 = {.slow_after = 9, .lock_after = 2, .lock_seconds = 60};
    struct auth_failure g = {0};
    CHECK_INT(auth_throttle_fail(&r2, &g, t, &locked), 0);
    CHECK_INT(auth_throttle_fail(&r2, &g, t, &locked), 60);
    CHECK(locked);
}

/* An app with an in-memory database, the district (no demo) and fast hashing. */
static struct db *open_app(struct app *app)
{
    struct app_error err = {0};
    memset(app, 0, sizeof(*app));
    config_init(&app->cfg);
    config_set(&app->cfg, "pwhash_cost", "min", "test", &err);
    app->cfg.session_idle = 600;
    app->cfg.session_max = 3600;
    app->cfg.login_slow_after = 100;
    app->cfg.login_lock_after = 3;
    app->cfg.login_lock_seconds = 900;
    CHECK_INT(db_open(":memory:", 1000, &app->db, &err), 0);
    CHECK_INT(db_migrate(app->db, NULL, &err), 0);
    CHECK_INT(org_seed(app->db, false, &err), 0);
    CHECK_INT(auth_seed(app, app->db, false, &err), 0);
    return app->db;
}

static void close_app(struct app *app)
{
    db_close(app->db);
    config_release(&app->cfg);
    clock_set_fixed(-1);
}

static int add_user(struct app *app, const char *name, const char *role, const char *level,
                    const char *region, const char *department, struct app_error *err)
{
    struct auth_user_input in = {.username = name,
                                 .role = role,
                                 .level = level,
                                 .region = region,
                                 .department = department,
                                 .password = "secret-password"};
    int64_t id;
    return auth_user_create_cost(app->db, "min", &in, &id, err);
}

TEST(user_validation)
{
    struct app app;
    struct app_error err = {0};
    open_app(&app);
    CHECK_INT(add_user(&app, "jfb", "center", "street", "500103003", NULL, &err), 0);
    CHECK_INT(add_user(&app, "jfb", "center", "street", "500103003", NULL, &err), -1);
    CHECK_STR(err.code_name, "username_taken");
    CHECK_INT(add_user(&app, "x1", "center", "street", "500103", NULL, &err), -1);
    CHECK_STR(err.field, "region"); /* the district is not a street */
    CHECK_INT(add_user(&app, "x2", "center", "county", "500103", NULL, &err), -1);
    CHECK_STR(err.code_name, "invalid_level");
    CHECK_INT(add_user(&app, "x3", "center", "street", "500103999", NULL, &err), -1);
    CHECK_STR(err.code_name, "unknown_region");
    CHECK_INT(add_user(&app, "x4", "wizard", NULL, NULL, NULL, &err), -1);
    CHECK_STR(err.code_name, "invalid_role");
    CHECK_INT(add_user(&app, "Bad Name", "admin", NULL, NULL, NULL, &err), -1);
    CHECK_STR(err.code_name, "invalid_username");
    CHECK_INT(add_user(&app, "me", "admin", NULL, NULL, NULL, &err), -1);
    CHECK_STR(err.code_name, "invalid_username");
    CHECK_INT(add_user(&app, "d1", "department", NULL, NULL, "nosuch", &err), -1);
    CHECK_STR(err.code_name, "unknown_department");
    CHECK_INT(add_user(&app, "d2", "department", NULL, NULL, "urban", &err), 0);
    struct auth_principal p;
    CHECK_INT(auth_principal_for_user(app.db, "d2", &p, &err), 0);
    CHECK_STR(p.department, "urban");
    CHECK_STR(p.region, "500103");
    struct auth_user_input gw = {.username = "g1",
                                 .role = "grid_worker",
                                 .grid = "500103003",
                                 .team_role = "网格长",
                                 .password = "secret-password"};
    int64_t id;
    CHECK_INT(auth_user_create_cost(app.db, "min", &gw, &id, &err), -1);
    CHECK_STR(err.code_name, "unknown_grid");
    struct auth_user_input weak = {.username = "w1", .role = "admin", .password = "short"};
    CHECK_INT(auth_user_create_cost(app.db, "min", &weak, &id, &err), -1);
    CHECK_STR(err.code_name, "weak_password");
    struct auth_user_input bp = {.username = "bp",
                                 .role = "board_post",
                                 .post = "500103003-cg",
                                 .password = "secret-password"};
    CHECK_INT(auth_user_create_cost(app.db, "min", &bp, &id, &err), 0);
    CHECK_INT(auth_principal_for_user(app.db, "bp", &p, &err), 0);
    CHECK_STR(p.board, "livelihood");
    CHECK_STR(p.street, "500103003");
    close_app(&app);
}

TEST(login_session_and_expiry)
{
    struct app app;
    struct app_error err = {0};
    struct auth_login login;
    struct auth_principal p;
    int64_t t0 = 1800000000;
    open_app(&app);
    clock_set_fixed(t0);
    CHECK_INT(add_user(&app, "jfb", "center", "street", "500103003", NULL, &err), 0);
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "127.0.0.1", "r1", &login, &err),
              0);
    CHECK_INT(strlen(login.token), AUTH_TOKEN_LEN);
    CHECK_STR(login.who.region, "500103003");
    CHECK_INT(login.expires, t0 + 600);
    int64_t expires;
    clock_set_fixed(t0 + 599);
    CHECK_INT(auth_session_identify(&app, app.db, login.token, &p, &expires, &err), 0);
    CHECK_STR(p.username, "jfb");
    CHECK_INT(expires, t0 + 599 + 600); /* use refreshes the idle timer */
    /* Idle expiry. */
    clock_set_fixed(t0 + 599 + 600);
    CHECK_INT(auth_session_identify(&app, app.db, login.token, &p, NULL, &err), -1);
    CHECK_INT(err.code, APP_ERR_UNAUTHORIZED);
    CHECK_STR(err.code_name, "session_expired");
    /* Absolute expiry although used every few minutes. */
    clock_set_fixed(t0);
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "127.0.0.1", "r2", &login, &err),
              0);
    for (int64_t t = t0; t < t0 + 3600; t += 500) {
        clock_set_fixed(t);
        CHECK_INT(auth_session_identify(&app, app.db, login.token, &p, NULL, &err), 0);
    }
    clock_set_fixed(t0 + 3600);
    CHECK_INT(auth_session_identify(&app, app.db, login.token, &p, NULL, &err), -1);
    /* Logout ends the session. */
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "127.0.0.1", "r3", &login, &err),
              0);
    CHECK_INT(auth_session_identify(&app, app.db, login.token, &p, NULL, &err), 0);
    CHECK_INT(auth_logout(app.db, &p, login.token, "r4", &err), 0);
    CHECK_INT(auth_session_identify(&app, app.db, login.token, &p, NULL, &err), -1);
    CHECK_INT(auth_session_identify(&app, app.db, "garbage", &p, NULL, &err), -1);
    /* Every step was audited and the chain holds. */
    int64_t rows, broken;
    char why[160];
    CHECK_INT(audit_verify(app.db, &rows, &broken, why, sizeof(why), &err), 0);
    CHECK(rows >= 6);
    close_app(&app);
}

TEST(lockout_per_account_and_expiry)
{
    struct app app;
    struct app_error err = {0};
    struct auth_login login;
    int64_t t0 = 1800000000;
    open_app(&app);
    clock_set_fixed(t0);
    CHECK_INT(add_user(&app, "jfb", "center", "street", "500103003", NULL, &err), 0);
    CHECK_INT(auth_login(&app, app.db, "jfb", "wrong-one", "10.0.0.1", NULL, &login, &err), -1);
    CHECK_STR(err.code_name, "bad_credentials");
    CHECK_INT(auth_login(&app, app.db, "jfb", "wrong-two", "10.0.0.2", NULL, &login, &err), -1);
    CHECK_STR(err.code_name, "bad_credentials");
    CHECK_INT(auth_login(&app, app.db, "jfb", "wrong-three", "10.0.0.3", NULL, &login, &err), -1);
    CHECK_INT(err.code, APP_ERR_TOO_MANY);
    CHECK_STR(err.code_name, "account_locked");
    CHECK_INT(login.retry_after, 900);
    /* Locked: even the right password from another address is refused. */
    clock_set_fixed(t0 + 899);
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "10.0.0.4", NULL, &login, &err),
              -1);
    CHECK_STR(err.code_name, "account_locked");
    CHECK_INT(login.retry_after, 1);
    clock_set_fixed(t0 + 900);
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "10.0.0.4", NULL, &login, &err),
              0);
    /* Unknown users answer like wrong passwords. */
    CHECK_INT(auth_login(&app, app.db, "nobody", "whatever-pw", "10.0.0.5", NULL, &login, &err),
              -1);
    CHECK_STR(err.code_name, "bad_credentials");
    close_app(&app);
}

TEST(lockout_per_address)
{
    struct app app;
    struct app_error err = {0};
    struct auth_login login;
    open_app(&app);
    clock_set_fixed(1800000000);
    CHECK_INT(add_user(&app, "jfb", "center", "street", "500103003", NULL, &err), 0);
    /* 15 failures (5 × lock_after) over different names lock the address. */
    for (int i = 0; i < 15; i++) {
        char name[16];
        snprintf(name, sizeof(name), "guess%d", i);
        auth_login(&app, app.db, name, "whatever-pw", "10.9.9.9", NULL, &login, &err);
    }
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "10.9.9.9", NULL, &login, &err),
              -1);
    CHECK_INT(err.code, APP_ERR_TOO_MANY);
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "10.1.1.1", NULL, &login, &err),
              0);
    close_app(&app);
}

/* Rows of the audit log with this action (and object id, when given). */
static long audit_count(struct db *db, const char *action, const char *object_id)
{
    struct audit_query q = {.limit = 1000};
    struct audit_list l = {0};
    struct app_error err = {0};
    bool more;
    long n = 0;
    CHECK_INT(audit_query(db, &q, &l, &more, &err), 0);
    for (size_t i = 0; i < l.len; i++)
        n += strcmp(l.items[i].action, action) == 0 &&
             (!object_id || strcmp(l.items[i].object_id, object_id) == 0);
    audit_list_release(&l);
    return n;
}

TEST(failed_logins_of_unknown_names_and_address_locks_are_audited)
{
    struct app app;
    struct app_error err = {0};
    struct auth_login login;
    open_app(&app);
    clock_set_fixed(1800000000);
    CHECK_INT(auth_login(&app, app.db, "nobody", "whatever-pw", "10.0.0.5", NULL, &login, &err),
              -1);
    CHECK_INT(audit_count(app.db, "session.login_failed", "nobody"), 1);
    for (int i = 0; i < 15; i++) {
        char name[16];
        snprintf(name, sizeof(name), "spray%d", i);
        auth_login(&app, app.db, name, "whatever-pw", "10.9.9.9", NULL, &login, &err);
    }
    CHECK_INT(audit_count(app.db, "session.login_failed", "spray0"), 1);
    CHECK_INT(audit_count(app.db, "session.address_locked", "10.9.9.9"), 1);
    close_app(&app);
}

TEST(wrong_current_passwords_are_throttled_and_audited)
{
    struct app app;
    struct app_error err = {0};
    struct auth_login a;
    int64_t retry = 0;
    open_app(&app);
    app.cfg.login_slow_after = 5;
    app.cfg.login_lock_after = 10;
    clock_set_fixed(1800000000);
    CHECK_INT(add_user(&app, "jfb", "center", "street", "500103003", NULL, &err), 0);
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "1.1.1.1", NULL, &a, &err), 0);
    int too_many = 0, wrong = 0;
    for (int i = 0; i < 15; i++) {
        char guess[32];
        snprintf(guess, sizeof(guess), "guess-%02d-pw", i);
        CHECK_INT(auth_password_change(&app, app.db, &a.who, a.token, NULL, guess, "new-secret-1",
                                       &retry, &err),
                  -1);
        too_many += err.code == APP_ERR_TOO_MANY;
        wrong += strcmp(err.code_name, "wrong_password") == 0;
    }
    /* The 5th wrong guess is counted and audited, and already answers with a wait. */
    CHECK_INT(wrong, 4);
    CHECK_INT(too_many, 11);
    CHECK(retry >= 1);
    CHECK_INT(audit_count(app.db, "user.password_failed", "jfb"), 5);
    /* Waiting is not enough to guess on: the right password is refused while the wait runs. */
    CHECK_INT(auth_password_change(&app, app.db, &a.who, a.token, NULL, "secret-password",
                                   "new-secret-1", &retry, &err),
              -1);
    CHECK_INT(err.code, APP_ERR_TOO_MANY);
    clock_set_fixed(1800000000 + 3600);
    CHECK_INT(auth_password_change(&app, app.db, &a.who, a.token, NULL, "secret-password",
                                   "new-secret-1", &retry, &err),
              0);
    close_app(&app);
}

TEST(password_change_and_disable_end_sessions)
{
    struct app app;
    struct app_error err = {0};
    struct auth_login a, b;
    struct auth_principal p;
    open_app(&app);
    clock_set_fixed(1800000000);
    CHECK_INT(add_user(&app, "jfb", "center", "street", "500103003", NULL, &err), 0);
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "1.1.1.1", NULL, &a, &err), 0);
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "1.1.1.1", NULL, &b, &err), 0);
    CHECK_INT(auth_password_change(&app, app.db, &a.who, a.token, NULL, "nope-nope", "new-secret-1",
                                   NULL, &err),
              -1);
    CHECK_STR(err.code_name, "wrong_password");
    CHECK_INT(auth_password_change(&app, app.db, &a.who, a.token, NULL, "secret-password", "short",
                                   NULL, &err),
              -1);
    CHECK_STR(err.field, "new_password");
    CHECK_INT(auth_password_change(&app, app.db, &a.who, a.token, NULL, "secret-password",
                                   "new-secret-1", NULL, &err),
              0);
    CHECK_INT(auth_session_identify(&app, app.db, a.token, &p, NULL, &err), 0);  /* kept */
    CHECK_INT(auth_session_identify(&app, app.db, b.token, &p, NULL, &err), -1); /* ended */
    CHECK_INT(auth_login(&app, app.db, "jfb", "secret-password", "1.1.1.1", NULL, &b, &err), -1);
    CHECK_INT(auth_login(&app, app.db, "jfb", "new-secret-1", "1.1.1.1", NULL, &b, &err), 0);
    struct auth_user_patch off = {.disabled = 1};
    CHECK_INT(auth_user_update(&app, app.db, NULL, NULL, "jfb", &off, &err), 0);
    CHECK_INT(auth_session_identify(&app, app.db, a.token, &p, NULL, &err), -1);
    CHECK_INT(auth_login(&app, app.db, "jfb", "new-secret-1", "1.1.1.1", NULL, &b, &err), -1);
    CHECK_STR(err.code_name, "bad_credentials");
    close_app(&app);
}

TEST(seed_reads_admin_password_file)
{
    struct app app;
    struct app_error err = {0};
    struct auth_login login;
    char path[] = "/tmp/zhizhi-auth-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("adm1n-passw0rd\n", f);
    fclose(f);
    memset(&app, 0, sizeof(app));
    config_init(&app.cfg);
    config_set(&app.cfg, "pwhash_cost", "min", "test", &err);
    config_set(&app.cfg, "admin_password_file", path, "test", &err);
    CHECK_INT(db_open(":memory:", 1000, &app.db, &err), 0);
    CHECK_INT(db_migrate(app.db, NULL, &err), 0);
    CHECK_INT(org_seed(app.db, false, &err), 0);
    CHECK_INT(auth_seed(&app, app.db, false, &err), 0);
    CHECK_INT(auth_login(&app, app.db, "admin", "adm1n-passw0rd", "1.1.1.1", NULL, &login, &err),
              0);
    CHECK_INT(login.who.role, AUTH_ROLE_ADMIN);
    remove(path);
    close_app(&app);
}

TEST_SUITE({"scope_region", scope_region}, {"roles_round_trip", roles_round_trip},
           {"permission_table", permission_table}, {"scope", scope}, {"masking", masking},
           {"password_hashing", password_hashing},
           {"throttle_slows_then_locks_then_forgets", throttle_slows_then_locks_then_forgets},
           {"user_validation", user_validation},
           {"login_session_and_expiry", login_session_and_expiry},
           {"lockout_per_account_and_expiry", lockout_per_account_and_expiry},
           {"lockout_per_address", lockout_per_address},
           {"failed_logins_of_unknown_names_and_address_locks_are_audited",
            failed_logins_of_unknown_names_and_address_locks_are_audited},
           {"wrong_current_passwords_are_throttled_and_audited",
            wrong_current_passwords_are_throttled_and_audited},
           {"password_change_and_disable_end_sessions", password_change_and_disable_end_sessions},
           {"seed_reads_admin_password_file", seed_reads_admin_password_file});
