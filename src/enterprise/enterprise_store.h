/* All SQL of the enterprise module (enterprise_store.c), through core/db_row.h. */
#ifndef ENTERPRISE_ENTERPRISE_STORE_H
#define ENTERPRISE_ENTERPRISE_STORE_H

#include "core/xalloc.h"
#include "enterprise/enterprise.h"

/* Where an enterprise is: its registered building's point and grid (found=false without one). */
struct enterprise_place {
    double lon, lat;
    char grid[24];
    char building[128];
};

int enterprise_store_list(struct db *db, struct enterprise_list *out, struct app_error *err);
int enterprise_store_by_uscc(struct db *db, const char *uscc, struct enterprise *out,
                             struct enterprise_place *place, bool *found, struct app_error *err);
int enterprise_store_profile_put(struct db *db, const struct enterprise *e, struct app_error *err);

int enterprise_store_appeal_insert(struct db *db, const char *event_code, int64_t enterprise_id,
                                   int appeal_class, int64_t at, bool synthetic,
                                   struct app_error *err);
int enterprise_store_appeal_list(struct db *db, struct enterprise_appeal_list *out,
                                 struct app_error *err);

struct wage_project {
    int64_t id;
    char code[32];
    char name[128];
    char employer[128];
    char employer_uscc[20];
    bool construction;
    int workers;
    double lon, lat;
    char grid[24];
    int si_stopped_months;
    int64_t progress_unpaid_fen;
    char progress_due_date[12];
    bool synthetic;
};
struct wage_project_list {
    struct wage_project *items;
    size_t len, cap;
};
struct wage_payroll {
    int64_t project_id;
    char month[8];
    char due_date[12];
    char paid_date[12];
    int64_t amount_fen;
    int workers;
};
struct wage_payroll_list {
    struct wage_payroll *items;
    size_t len, cap;
};
struct wage_complaint {
    int64_t project_id;
    char filed_on[12];
    int workers, months;
    int64_t amount_fen;
};
struct wage_complaint_list {
    struct wage_complaint *items;
    size_t len, cap;
};

int enterprise_store_thresholds(struct db *db, struct wage_thresholds *t, struct app_error *err);
int enterprise_store_projects(struct db *db, struct wage_project_list *out, struct app_error *err);
int enterprise_store_payrolls(struct db *db, struct wage_payroll_list *out, struct app_error *err);
int enterprise_store_complaints(struct db *db, struct wage_complaint_list *out,
                                struct app_error *err);
int enterprise_store_project_insert(struct db *db, const struct wage_project *p, int64_t *id,
                                    struct app_error *err);
int enterprise_store_payroll_insert(struct db *db, const struct wage_payroll *p, bool synthetic,
                                    struct app_error *err);
int enterprise_store_complaint_insert(struct db *db, const struct wage_complaint *c, bool synthetic,
                                      struct app_error *err);
int enterprise_store_warning_open(struct db *db, int64_t project_id, bool *open,
                                  struct app_error *err);
int enterprise_store_warning_insert(struct db *db, const struct wage_warning *w, int64_t *id,
                                    struct app_error *err);
int enterprise_store_warning_list(struct db *db, struct wage_warning_list *out,
                                  struct app_error *err);
int enterprise_store_warning_get(struct db *db, int64_t id, struct wage_warning *out, bool *found,
                                 struct app_error *err);
int enterprise_store_warning_resolve(struct db *db, int64_t id, int64_t at, int workers,
                                     int64_t recovered_fen, struct app_error *err);
int enterprise_store_wage_figures(struct db *db, struct wage_figures *out, struct app_error *err);

int enterprise_store_fraud_insert(struct db *db, const struct fraud_case *c, int64_t *id,
                                  struct app_error *err);
int enterprise_store_fraud_list(struct db *db, struct fraud_case_list *out, struct app_error *err);

int enterprise_store_policy_put(struct db *db, const char *code, const char *name, const char *body,
                                bool synthetic, struct app_error *err);
int enterprise_store_policy_body(struct db *db, const char *code, char **body, bool *found,
                                 struct app_error *err);
int enterprise_store_policy_list(struct db *db, struct enterprise_policy_rows *out,
                                 struct app_error *err);
int enterprise_store_notice_insert(struct db *db, const char *policy, int64_t enterprise_id,
                                   int64_t benefit_fen, int64_t at, bool *added,
                                   struct app_error *err);

int enterprise_store_cert_type_put(struct db *db, const struct cert_type *t, struct app_error *err);
int enterprise_store_cert_types(struct db *db, struct cert_type_list *out, struct app_error *err);
int enterprise_store_cert_type(struct db *db, const char *code, struct cert_type *out, bool *found,
                               struct app_error *err);
struct cert_key {
    int64_t id;
    char public_key[72];
    char secret_key[136];
};
int enterprise_store_cert_key(struct db *db, int64_t id, struct cert_key *out, bool *found,
                              struct app_error *err);
int enterprise_store_cert_key_insert(struct db *db, const struct cert_key *k, int64_t at,
                                     int64_t *id, struct app_error *err);
int enterprise_store_cert_count_day(struct db *db, const char *prefix, long *n,
                                    struct app_error *err);
int enterprise_store_cert_insert(struct db *db, const struct certificate *c, struct app_error *err);
int enterprise_store_cert_get(struct db *db, const char *serial, struct certificate *out,
                              bool *found, struct app_error *err);
int enterprise_store_cert_list(struct db *db, struct certificate_list *out, struct app_error *err);
int enterprise_store_cert_revoke(struct db *db, const char *serial, int64_t at, const char *reason,
                                 struct app_error *err);
int enterprise_store_cert_figures(struct db *db, struct cert_figures *out, struct app_error *err);

int enterprise_store_request_insert(struct db *db, const struct cert_request_input *in, int64_t at,
                                    int64_t *id, struct app_error *err);
int enterprise_store_request_list(struct db *db, struct cert_request_list *out,
                                  struct app_error *err);
int enterprise_store_request_get(struct db *db, int64_t id, struct cert_request_row *out,
                                 bool *found, struct app_error *err);
int enterprise_store_request_done(struct db *db, int64_t id, const char *serial,
                                  struct app_error *err);

/* demo (demo.c): synthetic profiles and the demo events of channel enterprise as appeals */
int enterprise_store_demo_profiles(struct db *db, struct app_error *err);
int enterprise_store_demo_appeals(struct db *db, struct app_error *err);
/* up to n points of demo buildings inside grids */
int enterprise_store_demo_places(struct db *db, struct enterprise_place *out, size_t n, size_t *got,
                                 struct app_error *err);
/* mark every unpaid month of a project paid on date */
int enterprise_store_payroll_settle(struct db *db, int64_t project_id, const char *date,
                                    struct app_error *err);

#endif
