/* Accounts, roles and jurisdiction: who the caller is (struct auth_principal), what each role
 * may do (one permission table, role × action), what lies inside the caller's scope, and how
 * personal data is shown to them. Every module asks these questions here and nowhere else. */
#ifndef AUTH_AUTH_H
#define AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/app.h"
#include "core/error.h"

enum auth_role {
    AUTH_ROLE_NONE = 0,    /* anonymous citizen: never logs in */
    AUTH_ROLE_ADMIN,       /* admin */
    AUTH_ROLE_CENTER,      /* center: command-center duty officer or leader, with level, region */
    AUTH_ROLE_BOARD_POST,  /* board_post: a post of one of the street's four boards */
    AUTH_ROLE_DEPARTMENT,  /* department: a handler in a department (委办局) */
    AUTH_ROLE_GRID_WORKER, /* grid_worker: member of a grid's 1+3 team */
    AUTH_ROLE_VOLUNTEER,   /* volunteer: N-force member of a grid */
    AUTH_ROLE_AUDITOR,     /* auditor: read-only over a region (纪检监督) */
    /* ledger module (issue 15) */
    AUTH_ROLE_SUPERVISOR, /* supervisor: 纪检监察 staff over a region: supervision clues, 反弹 */
    AUTH_ROLE_COUNT,
};

/* The logged-in caller. Fields that do not apply to the role are empty strings. */
struct auth_principal {
    int64_t user_id;
    char username[64];
    char display_name[64];
    enum auth_role role;
    char level[12];     /* center: "city", "district" or "street" */
    char region[24];    /* center, auditor, supervisor: region code whose subtree is in scope;
                           department:    the region the department serves */
    char grid[24];      /* grid_worker, volunteer: grid code */
    char team_role[32]; /* grid_worker: 网格长/专职网格员/兼职网格员/网格指导员 */
    char department[24]; /* department: department code */
    char board[24];      /* board_post: board code */
    char post[48];       /* board_post: post code (street code + "-" + suffix) */
    char street[24];     /* board_post: the post's street */
};

/* "admin", "center", ... ; "" for AUTH_ROLE_NONE. */
const char *auth_role_name(enum auth_role role);
/* The role named s, or AUTH_ROLE_NONE. */
enum auth_role auth_role_parse(const char *s);

/* May who (NULL = anonymous) take `action`? One table decides (auth.c). Unknown actions are
 * refused. Actions are dotted names, e.g. "region.read", "user.write", "event.dispatch". */
bool auth_may(const struct auth_principal *who, const char *action);
/* The i-th action of the permission table, NULL past the end (to list what a caller may do). */
const char *auth_action_at(size_t i);

/* Is the region `code` (any level) inside who's jurisdiction? Centers and auditors: the
 * region subtree; grid workers and volunteers: their grid; board posts: their street;
 * departments: the whole district they serve; admin: everything. */
bool auth_region_in_scope(const struct auth_principal *who, const char *code);

/* The region code that bounds who's jurisdiction (the same rule as auth_region_in_scope): the
 * region of centers, auditors and departments, the grid of grid workers and volunteers, the
 * street of board posts; "" for administrators and NULL. Borrowed from who. */
const char *auth_scope_region(const struct auth_principal *who);

/* Should who see full phone and ID-card numbers? (admins and the command center, who must call
 * back reporters; everyone else sees them masked.) */
bool auth_sees_personal_data(const struct auth_principal *who);

/* Write phone for who: in full when auth_sees_personal_data, else masked (138****5678). */
void auth_show_phone(const struct auth_principal *who, const char *phone, char *out, size_t n);

/* ---- accounts ----------------------------------------------------------------------------- */

/* What creating a user takes. Role-specific fields (NULL or "" when they do not apply):
 * center: level ("city"/"district"/"street") and region of that level; auditor: region;
 * department: department code; grid_worker: grid and team_role; volunteer: grid;
 * board_post: post (the board and street follow from it; board, when given, must match). */
struct auth_user_input {
    const char *username;     /* 2..32 of [a-z0-9_.-], not "me" */
    const char *display_name; /* defaults to username */
    const char *role;         /* "admin", "center", ... */
    const char *level;
    const char *region;
    const char *grid;
    const char *team_role;
    const char *department;
    const char *board;
    const char *post;
    const char *password; /* 8..128 bytes */
};

/* A stored account: the principal it logs in as, plus its state. */
struct auth_user {
    struct auth_principal p;
    bool disabled;
    int64_t created_at, updated_at;
};

struct auth_user_list {
    struct auth_user *items;
    size_t len, cap;
};
void auth_user_list_release(struct auth_user_list *l);

/* Changes to a user; NULL members (and disabled < 0) stay as they are. Changing role fields
 * re-validates the whole account; a new password, a disable or a role change ends the user's
 * sessions. */
struct auth_user_patch {
    const char *display_name;
    const char *role, *level, *region, *grid, *team_role, *department, *board, *post;
    const char *password;
    int disabled; /* -1 unchanged, 0 enable, 1 disable */
};

/* Validate in against the district model (region, grid, department and post must exist) and
 * fill *out (not the id). APP_ERR_INVALID naming the field: codes "invalid_username",
 * "invalid_role", "invalid_level", "unknown_region", "unknown_grid", "invalid_team_role",
 * "unknown_department", "unknown_post", "weak_password". */
int auth_user_check(struct db *db, const struct auth_user_input *in, struct auth_user *out,
                    struct app_error *err);

/* Create a user as the system (the seed, the CLI, tests): validate, hash the password with
 * the cost of `cost` (see auth_password_hash), insert and append an audit row (actor NULL).
 * Runs in the caller's transaction when there is one. APP_ERR_CONFLICT "username_taken". */
int auth_user_create_cost(struct db *db, const char *cost, const struct auth_user_input *in,
                          int64_t *id, struct app_error *err);
/* auth_user_create_cost with the cost of the pwhash_cost setting (recorded by auth_start and
 * auth_seed; "moderate" before either ran). */
int auth_user_create(struct db *db, const struct auth_user_input *in, int64_t *id,
                     struct app_error *err);

/* Create a user on behalf of actor (an admin), in one transaction with its audit row; the
 * password is hashed with app's pwhash_cost before the transaction starts. */
int auth_user_add(struct app *app, struct db *db, const struct auth_principal *actor,
                  const char *request_id, const struct auth_user_input *in, int64_t *id,
                  struct app_error *err);
/* Apply patch to username on behalf of actor, in one transaction with its audit row. */
int auth_user_update(struct app *app, struct db *db, const struct auth_principal *actor,
                     const char *request_id, const char *username,
                     const struct auth_user_patch *patch, struct app_error *err);
/* One user by name. APP_ERR_NOT_FOUND "user_not_found". */
int auth_user_get(struct db *db, const char *username, struct auth_user *out,
                  struct app_error *err);
/* Users in username order after `after` (NULL = from the start), at most limit. */
int auth_user_list(struct db *db, const char *after, long limit, struct auth_user_list *out,
                   bool *more, struct app_error *err);

/* The principal of an enabled user (tests, CLI). APP_ERR_NOT_FOUND when missing or disabled. */
int auth_principal_for_user(struct db *db, const char *username, struct auth_principal *out,
                            struct app_error *err);

/* ---- passwords ---------------------------------------------------------------------------- */

#define AUTH_HASH_MAX 128

/* Hash password with argon2id (libsodium crypto_pwhash_str). cost: "moderate" (the default:
 * 256 MiB, ~0.5 s), "interactive" (64 MiB) or "min" (tests only). out gets AUTH_HASH_MAX bytes.
 * APP_ERR_INVALID "invalid_cost"; APP_ERR_UNAVAILABLE when memory is short. */
int auth_password_hash(const char *cost, const char *password, char *out, struct app_error *err);
/* Does password match hash? Constant-time in the password. */
bool auth_password_verify(const char *hash, const char *password);

/* ---- login throttling (pure) -------------------------------------------------------------- */

struct auth_throttle_rules {
    long slow_after;   /* failures after which each further try must wait (slow_after >=
                          lock_after turns slowing down off) */
    long lock_after;   /* failures that lock the key */
    long lock_seconds; /* how long a lock lasts; also how long failures are remembered */
};

struct auth_failure {
    int64_t failures;
    int64_t last_failure;
    int64_t not_before; /* no try is evaluated before this time */
    bool locked;
};

/* May a login for a key with state f be evaluated at now? Returns 0, or the seconds to wait
 * (>= 1) with *locked telling a lock from a slow-down. A state whose lock ran out or whose last
 * failure is older than lock_seconds counts as clean. */
int64_t auth_throttle_wait(const struct auth_throttle_rules *r, const struct auth_failure *f,
                           int64_t now, bool *locked);
/* Record a failure at now in f. Returns the seconds the next try must wait (0 = none),
 * with *locked set when this failure locked the key. Waits double from 5 s, at most 300 s. */
int64_t auth_throttle_fail(const struct auth_throttle_rules *r, struct auth_failure *f, int64_t now,
                           bool *locked);
/* The rules for accounts from app's settings, and for client addresses (5 times looser). */
void auth_throttle_rules_account(const struct app *app, struct auth_throttle_rules *out);
void auth_throttle_rules_address(const struct app *app, struct auth_throttle_rules *out);

/* ---- sessions ----------------------------------------------------------------------------- */

#define AUTH_TOKEN_LEN 43 /* base64url of 32 random bytes, without padding */

struct auth_login {
    char token[AUTH_TOKEN_LEN + 1]; /* shown to the client once; only its digest is stored */
    struct auth_principal who;
    int64_t expires;     /* when the session ends if unused (the earlier of idle and absolute) */
    int64_t retry_after; /* with APP_ERR_TOO_MANY: seconds to wait */
};

/* Log in. On success fills out and appends a "session.create" audit row. Failures:
 * APP_ERR_UNAUTHORIZED "bad_credentials" (unknown user, wrong password or disabled account —
 * not told apart), APP_ERR_TOO_MANY "slow_down" or "account_locked" with out->retry_after;
 * every failure is counted per account and per client_addr. */
int auth_login(struct app *app, struct db *db, const char *username, const char *password,
               const char *client_addr, const char *request_id, struct auth_login *out,
               struct app_error *err);

/* The principal of a session token, refreshing its idle timer. *expires (may be NULL) gets
 * the new end. APP_ERR_UNAUTHORIZED "session_expired" for an unknown, expired or disabled one. */
int auth_session_identify(struct app *app, struct db *db, const char *token,
                          struct auth_principal *out, int64_t *expires, struct app_error *err);

/* End the session of token (who logged in with it) and append "session.delete". */
int auth_logout(struct db *db, const struct auth_principal *who, const char *token,
                const char *request_id, struct app_error *err);

/* Change who's password after checking current; the other sessions of who end. Wrong
 * current passwords are throttled like logins (account rules, per user) and each is audited
 * ("user.password_failed", "user.password_locked"). Errors: APP_ERR_FORBIDDEN "wrong_password"
 * (field current_password), APP_ERR_TOO_MANY "slow_down"/"account_locked" with *retry_after
 * (may be NULL) the seconds to wait, APP_ERR_INVALID "weak_password" (field new_password). */
int auth_password_change(struct app *app, struct db *db, const struct auth_principal *who,
                         const char *token, const char *request_id, const char *current,
                         const char *new_password, int64_t *retry_after, struct app_error *err);

/* Canonical one-line text of a user (no password) for audit digests; the caller frees it. */
char *auth_user_canonical(const struct auth_user *u);

/* Module hooks: seed the first administrator (and the demo users), start (libsodium). */
int auth_seed(struct app *app, struct db *db, bool demo, struct app_error *err);
int auth_start(struct app *app, struct app_error *err);

#define AUTH_DEMO_PASSWORD "zhizhi-demo"

#endif
