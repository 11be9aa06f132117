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
    AUTH_ROLE_NONE = 0,     /* anonymous citizen: never logs in */
    AUTH_ROLE_ADMIN,        /* admin */
    AUTH_ROLE_CENTER,       /* center: command-center duty officer or leader, with level, region */
    AUTH_ROLE_BOARD_POST,   /* board_post: a post of one of the street's four boards */
    AUTH_ROLE_DEPARTMENT,   /* department: a handler in a department (委办局) */
    AUTH_ROLE_GRID_WORKER,  /* grid_worker: member of a grid's 1+3 team */
    AUTH_ROLE_VOLUNTEER,    /* volunteer: N-force member of a grid */
    AUTH_ROLE_AUDITOR,      /* auditor: read-only over a region (纪检监督) */
    AUTH_ROLE_COUNT,
};

/* The logged-in caller. Fields that do not apply to the role are empty strings. */
struct auth_principal {
    int64_t user_id;
    char username[64];
    char display_name[64];
    enum auth_role role;
    char level[12];      /* center: "city", "district" or "street" */
    char region[24];     /* center, auditor: region code whose subtree is in scope */
    char grid[24];       /* grid_worker, volunteer: grid code */
    char team_role[32];  /* grid_worker: 网格长/专职网格员/兼职网格员/网格指导员 */
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

/* Is the region `code` (any level) inside who's jurisdiction? Centers and auditors: the
 * region subtree; grid workers and volunteers: their grid; board posts: their street;
 * departments: the whole district they serve; admin: everything. */
bool auth_region_in_scope(const struct auth_principal *who, const char *code);

/* Should who see full phone and ID-card numbers? (admins and the command center, who must call
 * back reporters; everyone else sees them masked.) */
bool auth_sees_personal_data(const struct auth_principal *who);

/* Write phone for who: in full when auth_sees_personal_data, else masked (138****5678). */
void auth_show_phone(const struct auth_principal *who, const char *phone, char *out, size_t n);

#endif
