/* All SQL of the renewal module: plain structs of renewal.h in and out, no decisions. Each
 * function returns 0, or -1 with err (a database error mapped to APP_ERR_*). */
#ifndef RENEWAL_RENEWAL_STORE_H
#define RENEWAL_RENEWAL_STORE_H

#include "renewal/renewal.h"

int renewal_store_project_insert(struct db *db, const struct renewal_project *p,
                                 const char *boundary, int64_t now, int64_t *id,
                                 struct app_error *err);
int renewal_store_project_get(struct db *db, const char *code, struct renewal_project *out,
                              bool *found, struct app_error *err);
/* Projects whose grid lies under scope ("" = all), phase < 0 = any, street NULL = any. */
int renewal_store_project_list(struct db *db, const char *scope, int phase, const char *street,
                               struct renewal_project_list *out, struct app_error *err);
int renewal_store_project_set_phase(struct db *db, int64_t id, int phase, struct app_error *err);
int renewal_store_project_set_finance(struct db *db, int64_t id, int horizon, int64_t discount_nano,
                                      int64_t ceiling, struct app_error *err);
int renewal_store_phase_insert(struct db *db, int64_t project_id, int phase, int64_t at,
                               const char *actor, struct app_error *err);
int renewal_store_phase_list(struct db *db, int64_t project_id, struct renewal_phase_list *out,
                             struct app_error *err);

int renewal_store_parcel_insert(struct db *db, const struct renewal_parcel *p, int64_t *id,
                                struct app_error *err);
int renewal_store_parcel_list(struct db *db, int64_t project_id, struct renewal_parcel_list *out,
                              struct app_error *err);

int renewal_store_finance_clear(struct db *db, int64_t project_id, struct app_error *err);
int renewal_store_flow_insert(struct db *db, int64_t project_id, const struct renewal_flow_line *l,
                              struct app_error *err);
int renewal_store_loan_insert(struct db *db, int64_t project_id, const struct renewal_loan *l,
                              struct app_error *err);
/* Call each(ctx, line) for every flow line of the project. */
int renewal_store_flows(struct db *db, int64_t project_id, int (*each)(void *ctx, void *line),
                        void *ctx, struct app_error *err);
int renewal_store_loans(struct db *db, int64_t project_id, int (*each)(void *ctx, void *loan),
                        void *ctx, struct app_error *err);

int renewal_store_vote_insert(struct db *db, const struct renewal_vote_rec *v, int64_t *id,
                              struct app_error *err);
int renewal_store_vote_get(struct db *db, int64_t id, struct renewal_vote_rec *out, bool *found,
                           struct app_error *err);
/* Votes of a project (project_id > 0) or of every project under scope. */
int renewal_store_vote_list(struct db *db, const char *scope, int64_t project_id,
                            struct renewal_vote_list *out, struct app_error *err);
int renewal_store_ballot_insert(struct db *db, int64_t vote_id, const struct renewal_ballot *b,
                                struct app_error *err);
int renewal_store_ballot_list(struct db *db, int64_t vote_id, struct renewal_ballot_list *out,
                              struct app_error *err);
/* Set the vote of every unit of owner in the vote. */
int renewal_store_ballot_set(struct db *db, int64_t vote_id, const char *owner, int vote,
                             int64_t at, struct app_error *err);

int renewal_store_housing_insert(struct db *db, const struct renewal_housing_unit *u,
                                 struct app_error *err);
int renewal_store_housing_list(struct db *db, const char *scope, struct renewal_housing_list *out,
                               struct app_error *err);

int renewal_store_appraisal_insert(struct db *db, const struct renewal_appraisal *a, int64_t now,
                                   int64_t *id, struct app_error *err);
int renewal_store_appraisal_set_event(struct db *db, int64_t id, const char *code,
                                      struct app_error *err);
int renewal_store_appraisal_list(struct db *db, const char *scope,
                                 struct renewal_appraisal_list *out, struct app_error *err);

int renewal_store_applicant_insert(struct db *db, const struct renewal_applicant_rec *a,
                                   int64_t *id, struct app_error *err);
int renewal_store_applicant_list(struct db *db, struct renewal_applicant_list *out,
                                 struct app_error *err);
int renewal_store_applicant_allocate(struct db *db, int64_t id, const char *unit, int64_t at,
                                     struct app_error *err);
int renewal_store_housing_set_occupied(struct db *db, const char *code, bool occupied,
                                       struct app_error *err);

#endif
