/* Storage of the component module: components, sewer segments, separate-sewer areas,
 * inspections and defects. The only place the module's SQL lives (core/db_row.h). */
#ifndef COMPONENT_COMPONENT_STORE_H
#define COMPONENT_COMPONENT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "component/component.h"
#include "core/db.h"
#include "core/error.h"

int component_store_get(struct db *db, const char *code, struct component *out, bool *found,
                        struct app_error *err);
/* Components matching q (NULL members: any), in code order. */
int component_store_list(struct db *db, const struct component_query *q, struct component_list *out,
                         struct app_error *err);
/* Insert c, or update the row of its code; *inserted tells which. */
int component_store_upsert(struct db *db, const struct component *c, bool *inserted,
                           struct app_error *err);
int component_store_set_state(struct db *db, const char *code, const char *state, int64_t at,
                              struct app_error *err);
/* Does the department code exist? */
int component_store_department_known(struct db *db, const char *code, bool *known,
                                     struct app_error *err);

/* Segments (street NULL = all) with manhole points, open defect grades and last inspection. */
int sewer_store_segments(struct db *db, const char *street, struct sewer_segment_list *out,
                         struct app_error *err);
int sewer_store_segment_get(struct db *db, const char *code, struct sewer_segment *out, bool *found,
                            struct app_error *err);
int sewer_store_segment_insert(struct db *db, const struct sewer_segment *s, struct app_error *err);
int sewer_store_area_insert(struct db *db, const char *code, const char *name, const char *street,
                            const char *geometry, double planned_m, double separated_m,
                            int target_year, bool synthetic, struct app_error *err);

/* Inspections and defects of one segment (NULL = all), newest first. */
int sewer_store_inspections(struct db *db, const char *segment, struct sewer_inspection_list *out,
                            struct app_error *err);
int sewer_store_defects(struct db *db, const char *segment, struct sewer_defect_list *out,
                        struct app_error *err);
int sewer_store_inspection_insert(struct db *db, const struct sewer_inspection *i, int64_t now,
                                  int64_t *id, struct app_error *err);
int sewer_store_defect_insert(struct db *db, const struct sewer_defect *d, int64_t *id,
                              struct app_error *err);
int sewer_store_defect_get(struct db *db, int64_t id, struct sewer_defect *out, bool *found,
                           struct app_error *err);
int sewer_store_defect_repair(struct db *db, int64_t id, const char *on, const char *note,
                              struct app_error *err);
int sewer_store_defect_set_event(struct db *db, int64_t id, const char *event_code,
                                 struct app_error *err);

#endif
