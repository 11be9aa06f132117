/* Storage of the org module: the only place its SQL lives. Same conventions as org.h. */
#ifndef ORG_ORG_STORE_H
#define ORG_ORG_STORE_H

#include "org/org.h"

int org_store_region_get(struct db *db, const char *code, struct org_region *out,
                         struct app_error *err);
int org_store_region_list(struct db *db, const struct org_region_query *q,
                          struct org_region_list *out, bool *more, struct app_error *err);
int org_store_region_insert(struct db *db, const struct org_region *r, struct app_error *err);
/* Replace name, geometry and derived columns of an existing region. */
int org_store_region_update_geometry(struct db *db, const struct org_region *r,
                                     struct app_error *err);
int org_store_board_insert(struct db *db, const char *code, const char *name, int seq,
                           struct app_error *err);
int org_store_post_insert(struct db *db, const struct org_post *p, struct app_error *err);
int org_store_department_insert(struct db *db, const struct org_department *d,
                                struct app_error *err);
int org_store_person_insert(struct db *db, const struct org_person *p, struct app_error *err);
int org_store_board_list(struct db *db, struct org_board_list *out, struct app_error *err);
int org_store_post_list(struct db *db, const char *street, const char *board,
                        struct org_post_list *out, struct app_error *err);
int org_store_department_list(struct db *db, struct org_department_list *out,
                              struct app_error *err);
int org_store_team(struct db *db, const char *grid, struct org_person_list *out,
                   struct app_error *err);
/* Call each(ctx, rowid, code, geometry) for every grid with a geometry, in code order; a
 * non-zero return stops with APP_ERR_INTERNAL. */
int org_store_grid_shapes(struct db *db,
                          int (*each)(void *ctx, int64_t rowid, const char *code,
                                      const char *geometry),
                          void *ctx, struct app_error *err);
/* Number of regions of a level (NULL = all). */
int org_store_data_version(struct db *db, int64_t *out, struct app_error *err);
int org_store_count(struct db *db, const char *level, int64_t *out, struct app_error *err);
int org_store_region_by_rowid(struct db *db, int64_t rowid, char *code, size_t n,
                              struct app_error *err);

/* Level of the region `code` into level (n bytes); *exists false (and 0 returned) when there is
 * no such region. */
int org_store_region_level(struct db *db, const char *code, char *level, size_t n, bool *exists,
                           struct app_error *err);
/* Insert r, or update name, parent, synthetic and (when r->geometry is set) geometry and its
 * derived columns of the region with r's code. */
int org_store_region_upsert(struct db *db, const struct org_region *r, struct app_error *err);
/* Delete one region; APP_ERR_CONFLICT when rows still refer to it (foreign keys). */
int org_store_region_delete(struct db *db, const char *code, struct app_error *err);
/* Delete the synthetic (demo) team members of a grid. */
int org_store_people_delete_synthetic(struct db *db, const char *grid, struct app_error *err);

#endif
