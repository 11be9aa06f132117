/* Administrators' writes to the district model: departments, the posts of a street's boards,
 * grid team members, and renaming regions (geometry changes go through import, org_import.c).
 * Each write is validated (the field checks of import: required, UTF-8, length, code formats,
 * existing parents), applied and appended to the audit chain in one transaction. */
#ifndef ORG_ORG_WRITE_H
#define ORG_ORG_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/db.h"
#include "core/error.h"
#include "org/org.h"

/* Who writes (the audit row's actor and request id); actor NULL = the system. */
struct org_write_by {
    const struct auth_principal *actor;
    const char *request_id;
};

/* ---- field rules (pure) ------------------------------------------------------------------ */

/* A display name: present, valid UTF-8, not blank, no control characters, shorter than max
 * bytes. APP_ERR_INVALID naming field: "missing_field", "invalid_utf8", "blank", "too_long". */
int org_write_check_name(const char *s, size_t max, const char *field, struct app_error *err);

/* A phone number of a team member: a mainland mobile number (11 digits, 1[3-9]…) or a landline
 * with its area code (0 + 2–3 digits, an optional "-", 7–8 digits), e.g. 023-63801234.
 * APP_ERR_INVALID "invalid_phone" naming "phone". The message never repeats the number. */
int org_write_check_phone(const char *phone, struct app_error *err);

/* A team role of the 1+3+N team: 网格长, 专职网格员, 兼职网格员, 网格指导员 (the 1+3) or 在职党员,
 * 志愿者, 热心群众, 新就业群体 (the N forces). APP_ERR_INVALID "invalid_team_role". */
int org_write_check_team_role(const char *role, struct app_error *err);

/* A department code: 2–23 of [a-z0-9_], starting with a letter ("urban", "eco").
 * APP_ERR_INVALID "invalid_code" naming "code". */
int org_write_check_department_code(const char *code, struct app_error *err);

/* The suffix of a post code (street code + "-" + suffix, e.g. 500103003-cg): 1–16 of [a-z0-9].
 * APP_ERR_INVALID "invalid_code" naming "suffix". */
int org_write_check_post_suffix(const char *suffix, struct app_error *err);

/* Canonical one-line text of a team member for the audit digests. The phone appears masked:
 * a digest of a full 11-digit number could be reversed by trying them all. Caller frees. */
char *org_write_person_canonical(const struct org_person *p);

/* ---- departments ------------------------------------------------------------------------ */

/* A department to create, or (org_write_department_update) the changes: NULL = unchanged. */
struct org_write_department {
    const char *code;   /* create only */
    const char *name;   /* < 64 bytes */
    const char *region; /* the district or street it serves */
};

/* Create a department. Errors: APP_ERR_INVALID naming code, name or region ("unknown_region"
 * when region is missing or not a district or street); APP_ERR_CONFLICT "department_exists". */
int org_write_department_create(struct db *db, const struct org_write_by *by,
                                const struct org_write_department *in, struct org_department *out,
                                struct app_error *err);
/* Change a department's name and/or region. APP_ERR_NOT_FOUND "department_not_found". */
int org_write_department_update(struct db *db, const struct org_write_by *by, const char *code,
                                const struct org_write_department *patch,
                                struct org_department *out, struct app_error *err);

/* ---- posts of a street's boards ---------------------------------------------------------- */

struct org_write_post {
    const char *street; /* create: the street (9-digit code) whose post it is */
    const char *suffix; /* create: the code is street + "-" + suffix */
    const char *name;   /* < 64 bytes */
};

/* Create a post on board. APP_ERR_NOT_FOUND "board_not_found"; APP_ERR_INVALID naming street
 * ("unknown_street"), suffix or name; APP_ERR_CONFLICT "post_exists". */
int org_write_post_create(struct db *db, const struct org_write_by *by, const char *board,
                          const struct org_write_post *in, struct org_post *out,
                          struct app_error *err);
/* Rename post `code` of board. APP_ERR_NOT_FOUND "post_not_found" (also when the post belongs
 * to another board). */
int org_write_post_rename(struct db *db, const struct org_write_by *by, const char *board,
                          const char *code, const char *name, struct org_post *out,
                          struct app_error *err);

/* ---- grid teams ------------------------------------------------------------------------- */

/* A team member to add, or the changes: NULL = unchanged; phone "" clears it. */
struct org_write_person {
    const char *name; /* < 64 bytes */
    const char *phone;
    const char *team_role;
};

/* Add a member to grid's team; the phone is stored in full (shown through auth_show_phone).
 * APP_ERR_NOT_FOUND "region_not_found" when grid is not a grid; APP_ERR_INVALID naming name,
 * phone or team_role. out->id gets the new id. */
int org_write_person_add(struct db *db, const struct org_write_by *by, const char *grid,
                         const struct org_write_person *in, struct org_person *out,
                         struct app_error *err);
/* Change member id of grid. APP_ERR_NOT_FOUND "person_not_found" when there is no such member
 * in that grid. */
int org_write_person_update(struct db *db, const struct org_write_by *by, const char *grid,
                            int64_t id, const struct org_write_person *patch,
                            struct org_person *out, struct app_error *err);
/* Remove member id from grid's team. APP_ERR_NOT_FOUND "person_not_found". */
int org_write_person_delete(struct db *db, const struct org_write_by *by, const char *grid,
                            int64_t id, struct app_error *err);

/* ---- regions ---------------------------------------------------------------------------- */

/* Rename region code (any level); its code, level, parent and geometry stay (change those by
 * import). APP_ERR_NOT_FOUND "region_not_found"; APP_ERR_INVALID naming name. out gets the
 * region without geometry; release it with org_region_release. */
int org_write_region_rename(struct db *db, const struct org_write_by *by, const char *code,
                            const char *name, struct org_region *out, struct app_error *err);

#endif
