/* The rectification ledger (整改台账, issue 15): problems with their measures, the rules of 销号
 * (closing a problem) and 反弹 (reopening it), and the figures of the ledger as of any day —
 * problems, measures, 销号数, 销号率, overdue measures — by department, source or category.
 * Supervision clues (监督线索), seen only by supervision roles, are the second half (clue_*).
 * The rules are pure functions over the plain structs below; docs/ledger.md. */
#ifndef LEDGER_LEDGER_H
#define LEDGER_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/app.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/error.h"

#define LEDGER_DATE 11 /* "YYYY-MM-DD" + NUL */

/* A problem's status on a day: 整改中, 已销号, 长期坚持 (a standing problem, never 销号 by
 * measures alone: it is watched, so it counts as open). */
enum ledger_status {
    LEDGER_OPEN,      /* 整改中 */
    LEDGER_CLOSED,    /* 已销号 */
    LEDGER_LONG_TERM, /* 长期坚持 */
};

struct ledger_problem {
    int64_t id;
    char title[256];
    char source[24]; /* 督查, 巡察, 审计, 群众反映, 自查, 上级交办 */
    char category[64];
    char department[24];
    char department_name[64];
    char department_region[24];
    char leader[64];
    char deadline[LEDGER_DATE];
    char event[32];
    bool long_term;
    char created_on[LEDGER_DATE];
    char created_by[64];
    int64_t created_at;
    bool synthetic;
};

struct ledger_measure {
    int64_t id, problem_id;
    char title[256];
    char owner[64];
    char deadline[LEDGER_DATE];
    char created_on[LEDGER_DATE];
    char done_on[LEDGER_DATE]; /* "" while open */
    char evidence[1024];
    char events[256];
    char attachments[8 * 65]; /* evidence files: SHA-256 hex, comma-separated */
    char approved_by[64];
    char approved_on[LEDGER_DATE];
    bool synthetic;
};

/* One 销号 (close) or 反弹 (reopen) on the record. */
struct ledger_mark {
    int64_t id, problem_id;
    char kind[8]; /* "close" or "reopen" */
    char on_date[LEDGER_DATE];
    int64_t at;
    char by_user[64];
    char reason[256];
    bool synthetic;
};

struct ledger_problem_list {
    struct ledger_problem *items;
    size_t len, cap;
};
struct ledger_measure_list {
    struct ledger_measure *items;
    size_t len, cap;
};
struct ledger_mark_list {
    struct ledger_mark *items;
    size_t len, cap;
};

/* The whole ledger (or the part in someone's scope): problems by id, measures and marks in
 * (problem_id, id) / (problem_id, on_date, id) order. */
struct ledger_book {
    struct ledger_problem_list problems;
    struct ledger_measure_list measures;
    struct ledger_mark_list marks;
};
void ledger_book_release(struct ledger_book *b);

/* ---- pure rules ---------------------------------------------------------------------------- */

/* Is s one of the six sources? */
bool ledger_source_valid(const char *s);
/* "整改中", "已销号", "长期坚持"; and the API names "open", "closed", "long_term". */
const char *ledger_status_label(enum ledger_status s);
const char *ledger_status_name(enum ledger_status s);

/* Is p on the ledger on day (created on or before it)? */
bool ledger_on_ledger(const struct ledger_problem *p, const char *day);
/* p's status on day from its marks (any order, other problems' marks ignored): the last mark on
 * or before day decides — close → closed; reopen or none → long_term when p is, else open. */
enum ledger_status ledger_status_as_of(const struct ledger_problem *p, const struct ledger_mark *m,
                                       size_t n, const char *day);
/* Is measure m overdue on day: on the ledger, its deadline passed (deadline < day) and not done
 * on or before day? */
bool ledger_measure_overdue(const struct ledger_measure *m, const char *day);
/* Is problem p (status st on day) overdue on day: not closed and its deadline passed? */
bool ledger_problem_overdue(const struct ledger_problem *p, enum ledger_status st, const char *day);

/* May problem p (status now) be closed with its measures m[0..n) (others ignored)? 销号 needs:
 * the problem open (not already closed: "already_closed"), at least one measure ("no_measures"),
 * every measure done ("measure_open"), with evidence ("no_evidence") and approved by someone who
 * is not its owner ("not_approved"). Returns 0, or -1 with APP_ERR_CONFLICT naming the first
 * measure at fault in the message and field "measures". */
int ledger_close_check(enum ledger_status now, const struct ledger_measure *m, size_t n,
                       int64_t problem_id, struct app_error *err);

/* Figures of a set of problems on a day. */
struct ledger_counts {
    long problems, open, closed, long_term, overdue_problems;
    long measures, measures_done, overdue_measures;
    long reopened; /* problems that have been reopened (反弹) at least once by the day */
};
/* 销号率 = closed / problems on the ledger that day (NaN without problems). */
double ledger_closure_rate(const struct ledger_counts *c);

enum ledger_group {
    LEDGER_GROUP_NONE,
    LEDGER_GROUP_DEPARTMENT,
    LEDGER_GROUP_SOURCE,
    LEDGER_GROUP_CATEGORY,
};
/* "", "department", "source", "category" → the group, or -1. NULL is NONE. */
int ledger_group_parse(const char *s);
const char *ledger_group_name(enum ledger_group g);

struct ledger_figure_row {
    char key[64];
    char label[64];
    struct ledger_counts c;
};
struct ledger_figures {
    char as_of[LEDGER_DATE];
    enum ledger_group group;
    struct ledger_counts total;
    struct ledger_figure_row *items; /* by key; empty without a grouping */
    size_t len, cap;
};
void ledger_figures_release(struct ledger_figures *f);

/* The figures of book on day, grouped by g. Pure; the caller releases out. */
void ledger_figures_compute(const struct ledger_book *book, const char *day, enum ledger_group g,
                            struct ledger_figures *out);

/* What changed between two days (after from, up to and including to). */
struct ledger_changes {
    long problems_added, measures_added, closed, reopened;
};
void ledger_changes_compute(const struct ledger_book *book, const char *from, const char *to,
                            struct ledger_changes *out);

/* The figures as CSV (UTF-8 with BOM, CRLF): one row per group and the total. */
void ledger_figures_csv(const struct ledger_figures *f, struct buf *out);
/* The problems of book on day as CSV (the spreadsheet the board keeps): one row a problem. */
void ledger_problems_csv(const struct ledger_book *book, const char *day, struct buf *out);

/* Text the user typed in field: present (when required), valid UTF-8, under max bytes, no
 * control characters but newlines, not blank; a date YYYY-MM-DD. APP_ERR_INVALID naming field. */
int ledger_check_text(const char *s, const char *field, size_t max, bool required,
                      struct app_error *err);
int ledger_check_date(const char *s, const char *field, struct app_error *err);

/* ---- reads and writes (scoped to who, audited) ---------------------------------------------- */

/* The part of the ledger who may read (administrators: all; centers, auditors, supervisors,
 * board posts: problems of departments serving a region in their scope; departments: their
 * own). Fails with APP_ERR_FORBIDDEN when who may not read the ledger. */
int ledger_book_load(struct db *db, const struct auth_principal *who, struct ledger_book *out,
                     struct app_error *err);

/* Today in Shanghai (from clock_now), "YYYY-MM-DD". */
void ledger_today(char out[LEDGER_DATE]);
/* Parse an optional as_of (NULL or "" = today) into out; APP_ERR_INVALID naming field. */
int ledger_day_parse(const char *s, const char *field, char out[LEDGER_DATE],
                     struct app_error *err);

struct ledger_problem_input {
    const char *title, *source, *category, *department, *deadline, *leader, *event;
    bool long_term;
};
/* Add a problem to the ledger today, audited. APP_ERR_INVALID naming the field ("title",
 * "source", "category", "department" unknown or outside who's scope, "deadline", "event").
 * *id gets the new id. */
int ledger_problem_add(struct db *db, const struct auth_principal *who, const char *request_id,
                       const struct ledger_problem_input *in, int64_t *id, struct app_error *err);

/* The same inside the caller's open transaction: the problem and its audit row, no commit (a
 * supervision case puts its findings on the ledger in the clue's own transaction). */
int ledger_problem_add_within(struct db *db, const struct auth_principal *who,
                              const char *request_id, const struct ledger_problem_input *in,
                              int64_t *id, struct app_error *err);

/* May who read problem p (its department serves a region in who's scope, or is who's own)? */
bool ledger_problem_visible(const struct auth_principal *who, const struct ledger_problem *p);

/* Import the board's spreadsheet (CSV, UTF-8, optional BOM), all or nothing. Columns by header
 * name: 问题, 来源, 类别, 责任单位 (name or code), 整改时限 required; 责任领导, 列入日期 (default
 * today, never later), 长期坚持 (是/否), 措施, 措施责任人, 措施时限 optional. Rows with the same
 * 问题 and 责任单位 are one problem (their problem columns must agree); a row with 措施 adds that
 * measure (owner and deadline then required). Every bad row is listed by line in res->errors and
 * nothing is written (APP_ERR_INVALID "invalid_rows"); else one transaction, one audit row. */
struct ledger_row_error {
    int line;
    char field[64];
    char code[48];
    char message[256];
};
struct ledger_import_result {
    size_t problems, measures;
    struct ledger_row_error *errors;
    size_t nerrors, cap;
};
int ledger_import_csv(struct db *db, const struct auth_principal *who, const char *request_id,
                      const char *csv, size_t len, struct ledger_import_result *res,
                      struct app_error *err);
void ledger_import_result_release(struct ledger_import_result *r);

/* One problem with its measures and marks, if who may read it (else APP_ERR_NOT_FOUND). */
int ledger_problem_get(struct db *db, const struct auth_principal *who, int64_t id,
                       struct ledger_problem *p, struct ledger_measure_list *measures,
                       struct ledger_mark_list *marks, struct app_error *err);

/* What who may do next with problem p (status now): actions "add_measure", "close", "reopen"
 * and per measure "done", "approve"; a pure rule over the permission table and the state. */
bool ledger_may_close(const struct auth_principal *who, enum ledger_status now);
bool ledger_may_reopen(const struct auth_principal *who, enum ledger_status now);
bool ledger_may_add_measure(const struct auth_principal *who, enum ledger_status now);
bool ledger_may_report(const struct auth_principal *who, const struct ledger_measure *m);
bool ledger_may_approve(const struct auth_principal *who, const struct ledger_measure *m);

struct ledger_measure_input {
    const char *title, *owner, *deadline;
};
/* Add a measure to problem id (not while closed: APP_ERR_CONFLICT "problem_closed"); owner must
 * be an existing user (APP_ERR_INVALID "unknown_user", field owner). Audited. */
int ledger_measure_add(struct db *db, const struct auth_principal *who, const char *request_id,
                       int64_t problem_id, const struct ledger_measure_input *in, int64_t *id,
                       struct app_error *err);
/* The owner (or a ledger writer) reports measure id done today with evidence (required, field
 * evidence), optional event codes (comma-separated, each one who can read: field events) and
 * up to LEDGER_FILES evidence files (SHA-256 of attachments who uploaded or can see: field
 * attachments). APP_ERR_CONFLICT "already_done". */
#define LEDGER_FILES 8
struct ledger_done_input {
    const char *evidence, *events;
    const char *files[LEDGER_FILES];
    int nfiles;
};
int ledger_measure_done(struct db *db, const struct auth_principal *who, const char *request_id,
                        int64_t id, const struct ledger_done_input *in, struct app_error *err);
/* An evidence file of measure id, if who may read the measure and sha is one of its files
 * (else APP_ERR_NOT_FOUND). *data is the caller's to free. */
int ledger_measure_file(struct app *app, struct db *db, const struct auth_principal *who,
                        int64_t id, const char *sha, char **data, size_t *len, const char **mime,
                        struct app_error *err);

/* A problem spawns an event (issue 15 item 5): work for a department or grid, channel
 * supervision, linked back to the problem (link type "ledger"). grid (a grid code) places it;
 * category is an event category code; title defaults to the problem's. Not on a closed problem
 * (APP_ERR_CONFLICT "problem_closed"). code gets the new event's code. Audited. */
struct ledger_spawn_input {
    const char *category, *grid, *title, *description;
};
int ledger_problem_spawn_event(struct app *app, struct db *db, const struct auth_principal *who,
                               const char *request_id, int64_t id,
                               const struct ledger_spawn_input *in, char code[32],
                               struct app_error *err);
/* The codes of the events problem id has spawned, comma-separated into out. */
int ledger_problem_events(struct db *db, int64_t id, char *out, size_t n, struct app_error *err);
bool ledger_may_spawn_event(const struct auth_principal *who, enum ledger_status now);
/* Approve measure id: done, with evidence, by someone other than its owner
 * (APP_ERR_CONFLICT "measure_open", "self_approval", "already_approved"). Audited. */
int ledger_measure_approve(struct db *db, const struct auth_principal *who, const char *request_id,
                           int64_t id, struct app_error *err);
/* 销号: close problem id today when ledger_close_check allows (else APP_ERR_CONFLICT). */
int ledger_problem_close(struct db *db, const struct auth_principal *who, const char *request_id,
                         int64_t id, struct app_error *err);
/* 反弹: reopen closed problem id today with a reason (required, field reason;
 * APP_ERR_CONFLICT "not_closed"). Audited. */
int ledger_problem_reopen(struct db *db, const struct auth_principal *who, const char *request_id,
                          int64_t id, const char *reason, struct app_error *err);

/* Module hook: the synthetic demo ledger (May to the day of init, about the seed's
 * proportions: 464 problems and 1085 measures in May, 598 and 1443 now, 销号率 about 90.7%). */
int ledger_seed(struct app *app, struct db *db, bool demo, struct app_error *err);

/* ---- supervision clues (监督线索): supervision roles only ------------------------------------ */

struct ledger_clue {
    int64_t id;
    char tracking_code[16];
    char channel[16]; /* 码上举报, 来信, 来访, 其他 */
    char summary[1024];
    char region[24];
    bool anonymous;
    char reporter_name[64];
    char reporter_phone[24];
    char status[12]; /* 初核, 立案, 了结, 移送, 办结 */
    char mechanism[64];
    char reason[256];
    int persons;
    char notice[1024];
    char received_on[LEDGER_DATE];
    char decided_on[LEDGER_DATE];
    char concluded_on[LEDGER_DATE];
    int shares;
    bool synthetic;
};
struct ledger_clue_list {
    struct ledger_clue *items;
    size_t len, cap;
};

/* Is who a supervision role (supervision.read)? Everyone else gets APP_ERR_NOT_FOUND from every
 * clue function, as if nothing were there. */
bool ledger_clue_visible_to(const struct auth_principal *who);
/* The next status of a clue after decision ("立案", "了结", "移送") from status 初核, or after
 * "办结" from 立案; NULL when the step is not allowed. Pure. */
const char *ledger_clue_next(const char *status, const char *decision);

struct ledger_clue_input {
    const char *channel, *summary, *region, *reporter_name, *reporter_phone;
    bool anonymous;
    const char *client, *device; /* the public intake: address and device id for the rate limit */
};
/* Receive a clue. who NULL = the public 码上举报 (channel forced to 码上举报); else a supervisor
 * records a letter or visit. tracking (16 bytes) gets the reporter's tracking code. Audited
 * (the digest never holds the reporter). The public intake shares the residents' report limit
 * per network and device (APP_ERR_TOO_MANY "rate_limited"). */
int ledger_clue_receive(struct app *app, struct db *db, const struct auth_principal *who, const char *request_id,
                        const struct ledger_clue_input *in, int64_t *id, char *tracking,
                        struct app_error *err);
int ledger_clue_list(struct db *db, const struct auth_principal *who, struct ledger_clue_list *out,
                     struct app_error *err);
int ledger_clue_get(struct db *db, const struct auth_principal *who, int64_t id,
                    struct ledger_clue *out, struct app_error *err);
/* 初核 decision or 办结: decision "立案", "了结", "移送" (mechanism required), "办结" (persons,
 * notice). APP_ERR_CONFLICT "bad_step" when the clue's status does not allow it. Audited. */
int ledger_clue_decide(struct db *db, const struct auth_principal *who, const char *request_id,
                       int64_t id, const char *decision, const char *mechanism, const char *reason,
                       int persons, const char *notice, struct app_error *err);
/* May a clue in status put problems on the rectification ledger? Only a case (立案, 办结): a
 * clue still in 初核 is unproven, a 了结 or 移送 one is not this mechanism's to rectify. */
bool ledger_clue_may_rectify(const char *status);
/* Put a finding of case clue id on the rectification ledger as a problem (in; source defaults
 * to 督查), linked to the clue on the supervision side only. Needs supervision.write (not
 * ledger.write: the supervisor hands the finding over); APP_ERR_CONFLICT "bad_step" outside a
 * case; the problem's own checks as ledger_problem_add. One transaction, two audit rows. */
int ledger_clue_rectify(struct db *db, const struct auth_principal *who, const char *request_id,
                        int64_t id, const struct ledger_problem_input *in, int64_t *problem_id,
                        struct app_error *err);
/* The ids of the problems clue id put on the ledger, as "12,15" (supervision roles only). */
int ledger_clue_problems(struct db *db, int64_t id, char *out, size_t n, struct app_error *err);

/* Record information shared with another mechanism about clue id. Audited. */
int ledger_clue_share(struct db *db, const struct auth_principal *who, const char *request_id,
                      int64_t id, const char *mechanism, const char *note, struct app_error *err);

struct ledger_clue_figures {
    long received, screening, filed, dismissed, transferred, concluded, shares, persons;
    long cases, cases_open; /* 查处: 立案 + 办结, 在办 = 立案 */
};
/* Pure: the figures of clues l. */
void ledger_clue_figures_compute(const struct ledger_clue *l, size_t n,
                                 struct ledger_clue_figures *out);
/* The public tracking page: the status of the clue with tracking code (APP_ERR_NOT_FOUND). */
int ledger_clue_track(struct db *db, const char *tracking, char *status, size_t n,
                      char *received_on, struct app_error *err);

#endif
