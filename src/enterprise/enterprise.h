/* Enterprise and people services (助企兴业, issue 17): enterprise appeals in the event loop,
 * wage-arrears early warning (欠薪隐患), social-insurance fraud cases (社保骗保), benefits without
 * application (免申即享) and verifiable community certificates (证明事项). Pure rules live in
 * rules.c, certificates in cert.c, orchestration in enterprise.c; docs/enterprise.md. */
#ifndef ENTERPRISE_ENTERPRISE_H
#define ENTERPRISE_ENTERPRISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/app.h"
#include "core/db.h"
#include "core/error.h"

/* ---- the registry (building_enterprises + enterprise_profiles) ----------------------------- */

struct enterprise {
    int64_t id;
    char uscc[20];
    char name[128];
    char industry[8];   /* GB/T 4754-2017 门类 letter + 大类 digits, "I65" */
    char size_class[8]; /* 大型/中型/小型/微型 */
    int employees;
    int64_t growth_bp; /* revenue growth of the latest year, basis points (1250 = 12.50 %) */
    int violations;
    char street[24];
    char zone[16];
    char officer[64];
    char contact_phone[24];
    bool synthetic;
};

struct enterprise_list {
    struct enterprise *items;
    size_t len, cap;
};

/* The enterprises with a profile whose street is in who's scope (all for NULL who), by id. */
int enterprise_list(struct db *db, const struct auth_principal *who, struct enterprise_list *out,
                    struct app_error *err);

/* ---- appeals (企业诉求) ------------------------------------------------------------------ */

enum enterprise_appeal_class {
    APPEAL_POLICY = 0, /* 政策咨询 */
    APPEAL_FINANCE,    /* 融资 */
    APPEAL_LABOUR,     /* 用工 */
    APPEAL_SPACE,      /* 用地/空间 */
    APPEAL_APPROVAL,   /* 审批 */
    APPEAL_IP,         /* 知识产权 */
    APPEAL_LEGAL,      /* 法律 */
    APPEAL_UTILITY,    /* 水电气 */
    APPEAL_WAGE,       /* 欠薪 */
    APPEAL_CLASS_COUNT,
};
const char *enterprise_appeal_class_name(int c);  /* "policy" */
const char *enterprise_appeal_class_label(int c); /* "政策咨询" */
int enterprise_appeal_class_parse(const char *s); /* -1 when unknown */
/* The event category an appeal of class c opens: 9002 欠薪 for wage, 9301 企业诉求 otherwise. */
const char *enterprise_appeal_category(int c);

struct enterprise_appeal_input {
    const char *uscc;
    const char *appeal_class;
    const char *title;
    const char *description;
    bool synthetic;
};

/* File an appeal for the enterprise `uscc` (its service officer or any caller with
 * enterprise.appeal whose scope holds the enterprise's street): opens an event (channel
 * enterprise) at the enterprise's building, then records the appeal row, audited. code_out gets
 * the event code (≥ 24 bytes). APP_ERR_INVALID naming uscc/appeal_class/title; APP_ERR_NOT_FOUND
 * for an unknown enterprise or one outside scope. */
int enterprise_appeal_file(struct app *app, struct db *db, const struct auth_principal *who,
                           const struct enterprise_appeal_input *in, const char *request_id,
                           char *code_out, size_t n, struct app_error *err);

struct enterprise_appeal {
    char event_code[24];
    int64_t enterprise_id;
    char enterprise[128];
    char street[24];
    char industry[8];
    int appeal_class;
    char state[16];
    int64_t created_at;
    int64_t closed_at; /* 0 while open */
    bool overdue;      /* the event ever passed a deadline */
    int satisfaction;  /* enum event_satisfaction, -1 none */
};
struct enterprise_appeal_list {
    struct enterprise_appeal *items;
    size_t len, cap;
};
int enterprise_appeal_list(struct db *db, const struct auth_principal *who,
                           struct enterprise_appeal_list *out, struct app_error *err);

/* Figures of appeals: received, closed, on-time rate, satisfaction, by class/industry/street. */
struct enterprise_appeal_group {
    char key[32];
    long received, closed, closed_on_time, rated, satisfied;
};
struct enterprise_appeal_figures {
    struct enterprise_appeal_group total;
    struct enterprise_appeal_group by_class[APPEAL_CLASS_COUNT];
    struct enterprise_appeal_group *by_street, *by_industry;
    size_t nstreet, nindustry;
};
/* Pure: group the appeals (closed = state closed; on time = closed without ever being overdue;
 * satisfied = rated 满意 or 基本满意). */
void enterprise_appeal_figures(const struct enterprise_appeal *a, size_t n,
                               struct enterprise_appeal_figures *out);
void enterprise_appeal_figures_release(struct enterprise_appeal_figures *f);

/* ---- wage-arrears early warning (rules.c) ------------------------------------------------ */

enum wage_rule {
    WAGE_PAYROLL_OVERDUE = 0, /* a month's wage unpaid more than N days past its due date */
    WAGE_COMPLAINT_CLUSTER,   /* K or more complaints within the window at one employer */
    WAGE_SI_STOPPED,          /* M or more months of stopped social-insurance contributions */
    WAGE_PROGRESS_UNPAID,     /* construction: progress payment unpaid more than D days */
    WAGE_RULE_COUNT,
};
const char *wage_rule_name(int r);
const char *wage_rule_label(int r);

struct wage_thresholds {
    int payroll_overdue_days, complaint_window_days, complaint_cluster, si_stopped_months,
        progress_overdue_days;
};

/* One project's facts as the rules see them (computed by the domain from the records). */
struct wage_record {
    bool construction;
    int workers;
    int max_overdue_days;     /* days the oldest unpaid payroll month is past due, 0 if none */
    int complaints_in_window; /* complaints filed within complaint_window_days before today */
    int si_stopped_months;
    int64_t progress_unpaid_fen;
    int progress_overdue_days; /* days since the unpaid progress payment fell due */
};

/* Pure: which rules fire on r (bit 1 << enum wage_rule), each at its threshold from t. */
unsigned wage_rules_fire(const struct wage_record *r, const struct wage_thresholds *t);

/* Days between two YYYY-MM-DD dates (b − a); -1 on bad input written to *ok=false. */
int enterprise_days_between(const char *a, const char *b, bool *ok);

struct wage_warning {
    int64_t id;
    int64_t project_id;
    char project[128];
    char employer[128];
    char rules[96];
    char detail[256];
    char event_code[24];
    int64_t opened_at, resolved_at;
    int workers_helped;
    int64_t recovered_fen;
    bool synthetic;
};
struct wage_warning_list {
    struct wage_warning *items;
    size_t len, cap;
};

/* Run the rules over every project on `today` (YYYY-MM-DD): each project with a fired rule and
 * no open warning gets a warning and an event (category 9002 欠薪, department hrss, channel
 * sensor-like system intake), audited. *opened = warnings opened. */
int wage_scan(struct app *app, struct db *db, const struct auth_principal *who, const char *today,
              bool synthetic, const char *request_id, int *opened, struct app_error *err);
int wage_warning_list(struct db *db, struct wage_warning_list *out, struct app_error *err);
/* Resolve a warning with the workers helped and wages recovered (integer fen ≥ 0), audited.
 * APP_ERR_INVALID naming workers/recovered_fen; APP_ERR_NOT_FOUND; APP_ERR_CONFLICT resolved. */
int wage_warning_resolve(struct db *db, const struct auth_principal *who, int64_t id, int workers,
                         int64_t recovered_fen, const char *request_id, struct app_error *err);

struct wage_figures {
    long warnings, resolved, workers_helped;
    int64_t recovered_fen;
};
int wage_figures(struct db *db, struct wage_figures *out, struct app_error *err);

/* ---- social-insurance fraud (rules.c) ---------------------------------------------------- */

/* 社会保险法 第八十八条: 处骗取金额二倍以上五倍以下的罚款. 0 when 2×obtained ≤ fine ≤ 5×obtained,
 * -1 below, +1 above. */
int fraud_fine_check(int64_t obtained_fen, int64_t fine_fen);

struct fraud_case {
    int64_t id;
    char code[32];
    char kind[64];
    int64_t obtained_fen, recovered_fen, fine_fen;
    char decided_on[12];
    bool synthetic;
};
struct fraud_case_list {
    struct fraud_case *items;
    size_t len, cap;
};
/* Record a case: amounts ≥ 0 (obtained > 0), recovered ≤ obtained, the fine within 2×–5×
 * (APP_ERR_INVALID "fine_out_of_range" field fine_fen). Audited. */
int fraud_case_record(struct db *db, const struct auth_principal *who, struct fraud_case *c,
                      const char *request_id, struct app_error *err);
int fraud_case_list(struct db *db, struct fraud_case_list *out, struct app_error *err);

/* ---- 免申即享 policies (rules.c) ---------------------------------------------------------- */

enum policy_field {
    PF_INDUSTRY = 0, /* text, prefix match for in/not_in (I matches I65) */
    PF_SIZE_CLASS,   /* text */
    PF_ZONE,         /* text */
    PF_STREET,       /* text */
    PF_EMPLOYEES,    /* integer */
    PF_GROWTH,       /* revenue growth, percent with up to 2 decimals, compared in basis points */
    PF_VIOLATIONS,   /* integer */
    PF_COUNT,
};
enum policy_op { PO_IN = 0, PO_NOT_IN, PO_EQ, PO_NE, PO_GE, PO_GT, PO_LE, PO_LT, PO_COUNT };
int policy_field_parse(const char *s);
const char *policy_field_name(int f);
const char *policy_field_label(int f);
bool policy_field_numeric(int f);
int policy_op_parse(const char *s);
const char *policy_op_name(int op);

#define POLICY_MAX_RULES 16
#define POLICY_MAX_VALUES 16

struct policy_rule {
    int field, op;
    int64_t number; /* numeric fields; growth in basis points */
    char values[POLICY_MAX_VALUES][24];
    int nvalues; /* text fields: eq/ne use values[0] */
};
struct policy {
    char code[32];
    char name[128];
    struct policy_rule rules[POLICY_MAX_RULES];
    int nrules;
    /* benefit = min(base + per_employee × employees, cap); cap 0 = no cap; all integer fen */
    int64_t base_fen, per_employee_fen, cap_fen;
};

/* Pure: does e pass rule r? reason (≥ 96 bytes) explains the comparison in Chinese. */
bool policy_rule_eval(const struct policy_rule *r, const struct enterprise *e, char *reason,
                      size_t n);
/* Pure: the benefit of an eligible enterprise. */
int64_t policy_benefit(const struct policy *p, const struct enterprise *e);

struct policy_result {
    int64_t enterprise_id;
    bool eligible;
    unsigned passed; /* bit i: rule i passed */
    int64_t benefit_fen;
};
/* Pure: evaluate p over n enterprises into out[n] (no explanation text); returns eligible count. */
size_t policy_run(const struct policy *p, const struct enterprise *e, size_t n,
                  struct policy_result *out);
/* Check a parsed policy: at least one rule, values present, benefit amounts ≥ 0.
 * APP_ERR_INVALID naming the field ("rules[2].value", "base_fen"). */
int policy_validate(const struct policy *p, struct app_error *err);

int enterprise_policy_get(struct db *db, const char *code, char **body, struct app_error *err);
struct enterprise_policy_row {
    char code[32];
    char name[128];
};
struct enterprise_policy_rows {
    struct enterprise_policy_row *items;
    size_t len, cap;
};
int enterprise_policy_list(struct db *db, struct enterprise_policy_rows *out,
                           struct app_error *err);
/* Record notices for the eligible results of a run (existing notices are kept), audited.
 * *added = new notices. */
int enterprise_policy_notify(struct db *db, const struct auth_principal *who,
                             const struct policy *p, const struct policy_result *r, size_t n,
                             const char *request_id, int *added, struct app_error *err);

/* ---- community certificates (cert.c) ----------------------------------------------------- */

/* Pure: 压减率 in tenths of a percent, rounded half up: (total − kept) / total; 22, 6 → 727. */
int cert_reduction_permille(int total, int kept);

struct cert_type {
    char code[16];
    char name[64];
    bool issued;
    char replacement[96];
};
struct cert_type_list {
    struct cert_type *items;
    size_t len, cap;
};
int cert_type_list(struct db *db, struct cert_type_list *out, struct app_error *err);

struct certificate {
    char serial[24];
    char type_code[16];
    char type_name[64];
    char community[24];
    char community_name[64];
    char holder_masked[64];
    char purpose[128];
    int64_t requested_at, issued_at, revoked_at;
    char revoke_reason[128];
    int64_t key_id;
    char signature[132];
    bool synthetic;
};
struct certificate_list {
    struct certificate *items;
    size_t len, cap;
};

/* Pure: mask a holder's name: the first character kept, the rest as * ("张三丰" → "张**"). */
void cert_mask_name(const char *name, char *out, size_t n);
/* Pure: the canonical text that is signed (serial, type, community, masked name, issue time). */
void cert_text(const struct certificate *c, char *out, size_t n);

struct cert_request {
    const char *type_code;
    const char *community;
    const char *holder_name; /* full name, only its mask is stored */
    const char *purpose;
    int64_t requested_at; /* 0 = now */
    int64_t issued_at;    /* 0 = now (or requested_at + 2 h for a past request) */
    bool synthetic;
};
/* Issue a certificate of one of the 6 issued types for a community in who's scope: serial,
 * Ed25519 signature with the district key (made on first use), audited. APP_ERR_INVALID naming
 * type_code ("abolished" for one of the 16, with what replaces it), holder_name, community. */
int cert_issue(struct db *db, const struct auth_principal *who, const struct cert_request *in,
               const char *request_id, struct certificate *out, struct app_error *err);
int cert_revoke(struct db *db, const struct auth_principal *who, const char *serial,
                const char *reason, const char *request_id, struct app_error *err);
int cert_list(struct db *db, const struct auth_principal *who, struct certificate_list *out,
              struct app_error *err);

enum cert_status { CERT_VALID = 0, CERT_REVOKED, CERT_FORGED, CERT_UNKNOWN };
const char *cert_status_name(int s);  /* valid/revoked/forged/unknown */
const char *cert_status_label(int s); /* 有效/已撤销/伪造/不存在 */
/* Public verification: the stored record's signature checked against the district key, and
 * when sig_hex is given (from the QR code), that it is the same signature. out gets the record
 * (masked name only) when it exists. */
int cert_verify(struct db *db, const char *serial, const char *sig_hex, struct certificate *out,
                int *status, struct app_error *err);

/* A resident's online request (no login): one of the issued types, refused for an abolished
 * type with what replaces it. Strings borrowed. */
struct cert_request_input {
    const char *type_code, *community, *holder_name, *phone, *purpose;
    bool synthetic;
};
struct cert_request_row {
    int64_t id;
    char type_code[16];
    char type_name[64];
    char community[24];
    char holder_name[64];
    char phone[24];
    char purpose[128];
    int64_t requested_at;
    char serial[24]; /* "" while pending */
};
struct cert_request_list {
    struct cert_request_row *items;
    size_t len, cap;
};
/* Record a request; *id gets its number. APP_ERR_INVALID naming type_code ("abolished"),
 * community, holder_name, phone (11 digits starting with 1), purpose. Audited (actor none). */
int cert_request_create(struct db *db, const struct cert_request_input *in, int64_t *id,
                        struct app_error *err);
/* Pending and issued requests of communities in who's scope, newest first. */
int cert_request_list(struct db *db, const struct auth_principal *who,
                      struct cert_request_list *out, struct app_error *err);
/* Issue the certificate a request asked for (requested_at = the request's time, issued now).
 * APP_ERR_NOT_FOUND outside scope or unknown; APP_ERR_CONFLICT when already issued. */
int cert_request_issue(struct db *db, const struct auth_principal *who, int64_t id,
                       const char *request_id, struct certificate *out, struct app_error *err);

struct cert_figures {
    long requests, issued, revoked;
    double avg_issue_hours;
    int types_total, types_issued, reduction_permille;
};
int cert_figures(struct db *db, struct cert_figures *out, struct app_error *err);

/* ---- module lifecycle -------------------------------------------------------------------- */

/* The certificate catalogue always; with demo the synthetic Yuzhong data (demo.c). */
int enterprise_seed(struct app *app, struct db *db, bool demo, struct app_error *err);

#endif
