/* Storage of the 入驻意向 (building_inquiries, migration 0113): the module's SQL for them. */
#ifndef BUILDING_SPACE_STORE_H
#define BUILDING_SPACE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "building/space.h"
#include "core/db.h"
#include "core/error.h"

/* Insert a new inquiry for building_id at time now; *id gets its id. */
int building_space_store_insert(struct db *db, int64_t building_id,
                                const struct building_inquiry_input *in, int64_t now, int64_t *id,
                                struct app_error *err);
/* Every inquiry (of status, NULL: all) with its building's code, name, grid and street, newest
 * first. The caller frees out->items. */
int building_space_store_list(struct db *db, const char *status, struct building_inquiry_list *out,
                              struct app_error *err);
/* One inquiry; *found tells whether there was one. */
int building_space_store_get(struct db *db, int64_t id, struct building_inquiry *out, bool *found,
                             struct app_error *err);
/* Set the status and updated_at of inquiry id. */
int building_space_store_set_status(struct db *db, int64_t id, const char *status, int64_t now,
                                    struct app_error *err);

#endif
