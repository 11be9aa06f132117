/* Storage of the administrators' org writes (org_write.c): the SQL that org_store.c does not
 * already have. Reads report a missing row through *found (returning 0), writes return 0/-1. */
#ifndef ORG_ORG_WRITE_STORE_H
#define ORG_ORG_WRITE_STORE_H

#include <stdbool.h>

#include "org/org.h"

int org_write_store_department_get(struct db *db, const char *code, struct org_department *out,
                                   bool *found, struct app_error *err);
/* Set name and region_code of the department with d's code. */
int org_write_store_department_update(struct db *db, const struct org_department *d,
                                      struct app_error *err);
int org_write_store_board_exists(struct db *db, const char *code, bool *found,
                                 struct app_error *err);
int org_write_store_post_get(struct db *db, const char *code, struct org_post *out, bool *found,
                             struct app_error *err);
/* Set the name of the post with p's code. */
int org_write_store_post_update(struct db *db, const struct org_post *p, struct app_error *err);
/* Insert p (its id ignored; phone "" stored as NULL); *id gets the new row's id. */
int org_write_store_person_insert(struct db *db, const struct org_person *p, int64_t *id,
                                  struct app_error *err);
int org_write_store_person_get(struct db *db, int64_t id, struct org_person *out, bool *found,
                               struct app_error *err);
/* Set name, phone and team_role of the person with p's id. */
int org_write_store_person_update(struct db *db, const struct org_person *p, struct app_error *err);
int org_write_store_person_delete(struct db *db, int64_t id, struct app_error *err);
/* Set the name of region code. */
int org_write_store_region_rename(struct db *db, const char *code, const char *name,
                                  struct app_error *err);

#endif
