/* All SQL of the ledger module: problems, measures, marks and supervision clues. The store
 * reads and writes the plain structs of ledger.h and decides nothing. */
#ifndef LEDGER_LEDGER_STORE_H
#define LEDGER_LEDGER_STORE_H

#include "ledger/ledger.h"

/* The scope of a read: all NULL = everything; department = that department only; region =
 * problems of departments whose region lies within it (prefix). */
struct ledger_scope {
    const char *department;
    const char *region;
};

int ledger_store_book(struct db *db, const struct ledger_scope *s, struct ledger_book *out,
                      struct app_error *err);
int ledger_store_problem_get(struct db *db, int64_t id, struct ledger_problem *out, bool *found,
                             struct app_error *err);
int ledger_store_measures_of(struct db *db, int64_t problem_id, struct ledger_measure_list *out,
                             struct app_error *err);
int ledger_store_marks_of(struct db *db, int64_t problem_id, struct ledger_mark_list *out,
                          struct app_error *err);
int ledger_store_measure_get(struct db *db, int64_t id, struct ledger_measure *out, bool *found,
                             struct app_error *err);
/* The department's name and region; *found false when there is no such department. */
int ledger_store_department(struct db *db, const char *code, char *name, size_t name_n,
                            char *region, size_t region_n, bool *found, struct app_error *err);
/* The department whose code or name is key into p's department, department_name and
 * department_region; *found false when there is none. */
int ledger_store_department_find(struct db *db, const char *key, struct ledger_problem *p,
                                 bool *found, struct app_error *err);
int ledger_store_problem_insert(struct db *db, const struct ledger_problem *p, int64_t *id,
                                struct app_error *err);
int ledger_store_measure_insert(struct db *db, const struct ledger_measure *m, int64_t *id,
                                struct app_error *err);
/* Write done_on, evidence, events, attachments, approved_by, approved_on of m. */
int ledger_store_measure_update(struct db *db, const struct ledger_measure *m,
                                struct app_error *err);
int ledger_store_mark_insert(struct db *db, const struct ledger_mark *m, int64_t *id,
                             struct app_error *err);
/* The events problems spawned: one row a link; codes comma-separated in spawn order. */
int ledger_store_problem_event_insert(struct db *db, int64_t problem_id, const char *event,
                                      const char *on_date, const char *by_user,
                                      struct app_error *err);
int ledger_store_problem_events(struct db *db, int64_t problem_id, char *out, size_t n,
                                struct app_error *err);
/* Does the ledger hold any problem yet (the demo seeds once)? */
int ledger_store_count(struct db *db, int64_t *n, struct app_error *err);

int ledger_store_clue_insert(struct db *db, const struct ledger_clue *c, int64_t *id,
                             struct app_error *err);
int ledger_store_clue_list(struct db *db, const char *region, struct ledger_clue_list *out,
                           struct app_error *err);
int ledger_store_clue_get(struct db *db, int64_t id, struct ledger_clue *out, bool *found,
                          struct app_error *err);
int ledger_store_clue_by_tracking(struct db *db, const char *tracking, struct ledger_clue *out,
                                  bool *found, struct app_error *err);
/* Write status, mechanism, reason, persons, notice, decided_on, concluded_on of c. */
/* The ledger problems a clue's case put on the ledger: insert one link; read them as "12,15". */
int ledger_store_clue_problem_insert(struct db *db, int64_t clue_id, int64_t problem_id,
                                     const char *on_date, const char *by_user,
                                     struct app_error *err);
int ledger_store_clue_problems(struct db *db, int64_t clue_id, char *out, size_t n,
                               struct app_error *err);
int ledger_store_clue_update(struct db *db, const struct ledger_clue *c, struct app_error *err);
int ledger_store_share_insert(struct db *db, int64_t clue_id, const char *mechanism,
                              const char *note, const char *on_date, const char *by_user,
                              bool synthetic, struct app_error *err);

#endif
