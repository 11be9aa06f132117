/* All SQL of the enterprise module, through the store helper layer (core/db_row.h). */
#include "enterprise/enterprise_store.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/db_row.h"

struct id_row {
    int64_t id;
};
static const struct db_column id_cols[] = {DB_COL(INT64, struct id_row, id)};
static const struct db_row_map id_map = DB_ROW_MAP(struct id_row, id_cols);

/* ---- registry ------------------------------------------------------------------------------ */

static const struct db_column ent_cols[] = {
    DB_COL(INT64, struct enterprise, id),         DB_COL(CHARS, struct enterprise, uscc),
    DB_COL(CHARS, struct enterprise, name),       DB_COL(CHARS, struct enterprise, industry),
    DB_COL(CHARS, struct enterprise, size_class), DB_COL(INT, struct enterprise, employees),
    DB_COL(INT64, struct enterprise, growth_bp),  DB_COL(INT, struct enterprise, violations),
    DB_COL(CHARS, struct enterprise, street),     DB_COL(CHARS, struct enterprise, zone),
    DB_COL(CHARS, struct enterprise, officer),    DB_COL(CHARS, struct enterprise, contact_phone),
    DB_COL(BOOL, struct enterprise, synthetic),
};
static const struct db_row_map ent_map = DB_ROW_MAP(struct enterprise, ent_cols);
#define ENT_SELECT                                                                                 \
    "SELECT e.id, e.uscc, e.name, e.industry, p.size_class, p.employees, p.growth_bp, "            \
    "p.violations, p.street, p.zone, p.officer, p.contact_phone, p.synthetic "                     \
    "FROM building_enterprises e JOIN enterprise_profiles p ON p.enterprise_id = e.id "

int enterprise_store_list(struct db *db, struct enterprise_list *out, struct app_error *err)
{
    static const char sql[] = ENT_SELECT "ORDER BY e.id";
    return db_list(db, sql, DB_NO_PARAMS, &ent_map, DB_LIST(out), -1, NULL, err);
}

static const struct db_column place_cols[] = {
    DB_COL(DOUBLE, struct enterprise_place, lon),
    DB_COL(DOUBLE, struct enterprise_place, lat),
    DB_COL(CHARS, struct enterprise_place, grid),
    DB_COL(CHARS, struct enterprise_place, building),
};
static const struct db_row_map place_map = DB_ROW_MAP(struct enterprise_place, place_cols);

int enterprise_store_by_uscc(struct db *db, const char *uscc, struct enterprise *out,
                             struct enterprise_place *place, bool *found, struct app_error *err)
{
    static const char sql[] = ENT_SELECT "WHERE e.uscc = ?1";
    static const char where[] =
        "SELECT b.lon, b.lat, b.grid, b.name FROM building_enterprises e "
        "JOIN buildings b ON b.id = e.registered_building WHERE e.uscc = ?1";
    bool have_place = false;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(uscc)), &ent_map, out, found, err))
        return -1;
    if (!*found || !place)
        return 0;
    if (db_get(db, where, DB_PARAMS(DB_TEXT(uscc)), &place_map, place, &have_place, err))
        return -1;
    if (!have_place)
        memset(place, 0, sizeof(*place));
    return 0;
}

int enterprise_store_profile_put(struct db *db, const struct enterprise *e, struct app_error *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO enterprise_profiles (enterprise_id, size_class, employees, "
        "growth_bp, violations, street, zone, officer, contact_name, contact_phone, synthetic) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', ?9, ?10)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(e->id), DB_TEXT(e->size_class), DB_INT(e->employees),
                            DB_INT(e->growth_bp), DB_INT(e->violations), DB_TEXT(e->street),
                            DB_TEXT(e->zone), DB_TEXT(e->officer), DB_TEXT(e->contact_phone),
                            DB_INT(e->synthetic)),
                  err);
}

/* ---- appeals -------------------------------------------------------------------------------- */

int enterprise_store_appeal_insert(struct db *db, const char *event_code, int64_t enterprise_id,
                                   int appeal_class, int64_t at, bool synthetic,
                                   struct app_error *err)
{
    static const char sql[] = "INSERT INTO enterprise_appeals (event_code, enterprise_id, class, "
                              "created_at, synthetic) VALUES (?1, ?2, ?3, ?4, ?5)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(event_code), DB_INT(enterprise_id),
                            DB_TEXT(enterprise_appeal_class_name(appeal_class)), DB_INT(at),
                            DB_INT(synthetic)),
                  err);
}

struct appeal_row {
    struct enterprise_appeal a;
    char klass[16];
    char sat[16];
};
static const struct db_column appeal_cols[] = {
    DB_COL(CHARS, struct appeal_row, a.event_code),
    DB_COL(INT64, struct appeal_row, a.enterprise_id),
    DB_COL(CHARS, struct appeal_row, a.enterprise),
    DB_COL(CHARS, struct appeal_row, a.street),
    DB_COL(CHARS, struct appeal_row, a.industry),
    DB_COL(CHARS, struct appeal_row, klass),
    DB_COL(CHARS, struct appeal_row, a.state),
    DB_COL(INT64, struct appeal_row, a.created_at),
    DB_COL(INT64, struct appeal_row, a.closed_at),
    DB_COL(BOOL, struct appeal_row, a.overdue),
    DB_COL(CHARS, struct appeal_row, sat),
};
static const struct db_row_map appeal_map = DB_ROW_MAP(struct appeal_row, appeal_cols);

struct appeal_ctx {
    struct enterprise_appeal_list *out;
};

static int appeal_each(void *ctx, void *row)
{
    struct appeal_ctx *c = ctx;
    struct appeal_row *r = row;
    struct enterprise_appeal_list *l = c->out;
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    r->a.appeal_class = enterprise_appeal_class_parse(r->klass);
    r->a.satisfaction = strcmp(r->sat, "satisfied") == 0     ? 1
                        : strcmp(r->sat, "basic") == 0       ? 2
                        : strcmp(r->sat, "unsatisfied") == 0 ? 3
                                                             : 0;
    l->items[l->len++] = r->a;
    return 0;
}

int enterprise_store_appeal_list(struct db *db, struct enterprise_appeal_list *out,
                                 struct app_error *err)
{
    /* closed: the loop reached 结案 (closed_at set) and was not voided/merged; overdue: any step
     * of its history came after a deadline, or it is red now */
    static const char sql[] =
        "SELECT a.event_code, a.enterprise_id, e.name, ev.street, e.industry, a.class, ev.state, "
        "a.created_at, CASE WHEN ev.state IN ('voided', 'merged') THEN 0 ELSE ev.closed_at END, "
        "ev.alert = 'red' OR EXISTS (SELECT 1 FROM event_history h WHERE h.event_id = ev.id "
        "AND h.overdue = 1), ev.satisfaction "
        "FROM enterprise_appeals a JOIN building_enterprises e ON e.id = a.enterprise_id "
        "JOIN events ev ON ev.code = a.event_code ORDER BY a.created_at DESC, a.event_code";
    struct appeal_row row;
    struct appeal_ctx c = {out};
    return db_each(db, sql, DB_NO_PARAMS, &appeal_map, &row, appeal_each, &c, err);
}

/* ---- wage arrears --------------------------------------------------------------------------- */

struct threshold_row {
    char rule[32];
    int value;
};
static const struct db_column threshold_cols[] = {DB_COL(CHARS, struct threshold_row, rule),
                                                  DB_COL(INT, struct threshold_row, value)};
static const struct db_row_map threshold_map = DB_ROW_MAP(struct threshold_row, threshold_cols);

static int threshold_each(void *ctx, void *row)
{
    struct wage_thresholds *t = ctx;
    struct threshold_row *r = row;
    if (!strcmp(r->rule, "payroll_overdue_days"))
        t->payroll_overdue_days = r->value;
    else if (!strcmp(r->rule, "complaint_window_days"))
        t->complaint_window_days = r->value;
    else if (!strcmp(r->rule, "complaint_cluster"))
        t->complaint_cluster = r->value;
    else if (!strcmp(r->rule, "si_stopped_months"))
        t->si_stopped_months = r->value;
    else if (!strcmp(r->rule, "progress_overdue_days"))
        t->progress_overdue_days = r->value;
    return 0;
}

int enterprise_store_thresholds(struct db *db, struct wage_thresholds *t, struct app_error *err)
{
    static const char sql[] = "SELECT rule, value FROM wage_thresholds";
    struct threshold_row row;
    memset(t, 0, sizeof(*t));
    return db_each(db, sql, DB_NO_PARAMS, &threshold_map, &row, threshold_each, t, err);
}

static const struct db_column project_cols[] = {
    DB_COL(INT64, struct wage_project, id),
    DB_COL(CHARS, struct wage_project, code),
    DB_COL(CHARS, struct wage_project, name),
    DB_COL(CHARS, struct wage_project, employer),
    DB_COL(CHARS, struct wage_project, employer_uscc),
    DB_COL(BOOL, struct wage_project, construction),
    DB_COL(INT, struct wage_project, workers),
    DB_COL(DOUBLE, struct wage_project, lon),
    DB_COL(DOUBLE, struct wage_project, lat),
    DB_COL(CHARS, struct wage_project, grid),
    DB_COL(INT, struct wage_project, si_stopped_months),
    DB_COL(INT64, struct wage_project, progress_unpaid_fen),
    DB_COL(CHARS, struct wage_project, progress_due_date),
    DB_COL(BOOL, struct wage_project, synthetic),
};
static const struct db_row_map project_map = DB_ROW_MAP(struct wage_project, project_cols);

int enterprise_store_projects(struct db *db, struct wage_project_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT id, code, name, employer, employer_uscc, construction, workers, lon, lat, grid, "
        "si_stopped_months, progress_unpaid_fen, progress_due_date, synthetic FROM wage_projects "
        "ORDER BY id";
    return db_list(db, sql, DB_NO_PARAMS, &project_map, DB_LIST(out), -1, NULL, err);
}

int enterprise_store_project_insert(struct db *db, const struct wage_project *p, int64_t *id,
                                    struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO wage_projects (code, name, employer, employer_uscc, construction, workers, "
        "lon, lat, grid, si_stopped_months, progress_unpaid_fen, progress_due_date, synthetic) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id";
    struct id_row r = {0};
    int rc =
        db_get(db, sql,
               DB_PARAMS(DB_TEXT(p->code), DB_TEXT(p->name), DB_TEXT(p->employer),
                         DB_TEXT(p->employer_uscc), DB_INT(p->construction), DB_INT(p->workers),
                         DB_DOUBLE(p->lon), DB_DOUBLE(p->lat), DB_TEXT_OPT(p->grid),
                         DB_INT(p->si_stopped_months), DB_INT(p->progress_unpaid_fen),
                         DB_TEXT_OPT(p->progress_due_date), DB_INT(p->synthetic)),
               &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

static const struct db_column payroll_cols[] = {
    DB_COL(INT64, struct wage_payroll, project_id), DB_COL(CHARS, struct wage_payroll, month),
    DB_COL(CHARS, struct wage_payroll, due_date),   DB_COL(CHARS, struct wage_payroll, paid_date),
    DB_COL(INT64, struct wage_payroll, amount_fen), DB_COL(INT, struct wage_payroll, workers),
};
static const struct db_row_map payroll_map = DB_ROW_MAP(struct wage_payroll, payroll_cols);

int enterprise_store_payrolls(struct db *db, struct wage_payroll_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT project_id, month, due_date, paid_date, amount_fen, workers "
                              "FROM wage_payrolls ORDER BY project_id, month";
    return db_list(db, sql, DB_NO_PARAMS, &payroll_map, DB_LIST(out), -1, NULL, err);
}

int enterprise_store_payroll_insert(struct db *db, const struct wage_payroll *p, bool synthetic,
                                    struct app_error *err)
{
    static const char sql[] = "INSERT INTO wage_payrolls (project_id, month, due_date, paid_date, "
                              "amount_fen, workers, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(p->project_id), DB_TEXT(p->month), DB_TEXT(p->due_date),
                            DB_TEXT_OPT(p->paid_date), DB_INT(p->amount_fen), DB_INT(p->workers),
                            DB_INT(synthetic)),
                  err);
}

static const struct db_column complaint_cols[] = {
    DB_COL(INT64, struct wage_complaint, project_id),
    DB_COL(CHARS, struct wage_complaint, filed_on),
    DB_COL(INT, struct wage_complaint, workers),
    DB_COL(INT, struct wage_complaint, months),
    DB_COL(INT64, struct wage_complaint, amount_fen),
};
static const struct db_row_map complaint_map = DB_ROW_MAP(struct wage_complaint, complaint_cols);

int enterprise_store_complaints(struct db *db, struct wage_complaint_list *out,
                                struct app_error *err)
{
    static const char sql[] = "SELECT project_id, filed_on, workers, months, amount_fen "
                              "FROM wage_complaints ORDER BY project_id, filed_on";
    return db_list(db, sql, DB_NO_PARAMS, &complaint_map, DB_LIST(out), -1, NULL, err);
}

int enterprise_store_complaint_insert(struct db *db, const struct wage_complaint *c, bool synthetic,
                                      struct app_error *err)
{
    static const char sql[] = "INSERT INTO wage_complaints (project_id, filed_on, workers, months, "
                              "amount_fen, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(c->project_id), DB_TEXT(c->filed_on), DB_INT(c->workers),
                            DB_INT(c->months), DB_INT(c->amount_fen), DB_INT(synthetic)),
                  err);
}

int enterprise_store_warning_open(struct db *db, int64_t project_id, bool *open,
                                  struct app_error *err)
{
    static const char sql[] =
        "SELECT id FROM wage_warnings WHERE project_id = ?1 AND resolved_at IS NULL";
    struct id_row r;
    return db_get(db, sql, DB_PARAMS(DB_INT(project_id)), &id_map, &r, open, err);
}

int enterprise_store_warning_insert(struct db *db, const struct wage_warning *w, int64_t *id,
                                    struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO wage_warnings (project_id, rules, detail, event_code, opened_at, synthetic) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct id_row r = {0};
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_INT(w->project_id), DB_TEXT(w->rules), DB_TEXT(w->detail),
                              DB_TEXT(w->event_code), DB_INT(w->opened_at), DB_INT(w->synthetic)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

static const struct db_column warning_cols[] = {
    DB_COL(INT64, struct wage_warning, id),
    DB_COL(INT64, struct wage_warning, project_id),
    DB_COL(CHARS, struct wage_warning, project),
    DB_COL(CHARS, struct wage_warning, employer),
    DB_COL(CHARS, struct wage_warning, rules),
    DB_COL(CHARS, struct wage_warning, detail),
    DB_COL(CHARS, struct wage_warning, event_code),
    DB_COL(INT64, struct wage_warning, opened_at),
    DB_COL(INT64, struct wage_warning, resolved_at),
    DB_COL(INT, struct wage_warning, workers_helped),
    DB_COL(INT64, struct wage_warning, recovered_fen),
    DB_COL(BOOL, struct wage_warning, synthetic),
};
static const struct db_row_map warning_map = DB_ROW_MAP(struct wage_warning, warning_cols);
#define WARNING_SELECT                                                                             \
    "SELECT w.id, w.project_id, p.name, p.employer, w.rules, w.detail, w.event_code, "             \
    "w.opened_at, coalesce(w.resolved_at, 0), w.workers_helped, w.recovered_fen, w.synthetic "     \
    "FROM wage_warnings w JOIN wage_projects p ON p.id = w.project_id "

int enterprise_store_warning_list(struct db *db, struct wage_warning_list *out,
                                  struct app_error *err)
{
    static const char sql[] = WARNING_SELECT "ORDER BY w.opened_at DESC, w.id DESC";
    return db_list(db, sql, DB_NO_PARAMS, &warning_map, DB_LIST(out), -1, NULL, err);
}

int enterprise_store_warning_get(struct db *db, int64_t id, struct wage_warning *out, bool *found,
                                 struct app_error *err)
{
    static const char sql[] = WARNING_SELECT "WHERE w.id = ?1";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &warning_map, out, found, err);
}

int enterprise_store_warning_resolve(struct db *db, int64_t id, int64_t at, int workers,
                                     int64_t recovered_fen, struct app_error *err)
{
    static const char sql[] = "UPDATE wage_warnings SET resolved_at = ?2, workers_helped = ?3, "
                              "recovered_fen = ?4 WHERE id = ?1 AND resolved_at IS NULL";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(id), DB_INT(at), DB_INT(workers), DB_INT(recovered_fen)), err);
}

static const struct db_column wfig_cols[] = {
    DB_COL(INT64, struct wage_figures, warnings),
    DB_COL(INT64, struct wage_figures, resolved),
    DB_COL(INT64, struct wage_figures, workers_helped),
    DB_COL(INT64, struct wage_figures, recovered_fen),
};
static const struct db_row_map wfig_map = DB_ROW_MAP(struct wage_figures, wfig_cols);

int enterprise_store_wage_figures(struct db *db, struct wage_figures *out, struct app_error *err)
{
    /* integer sums of integer fen: no rounding anywhere */
    static const char sql[] =
        "SELECT count(*), count(resolved_at), coalesce(sum(workers_helped), 0), "
        "coalesce(sum(recovered_fen), 0) FROM wage_warnings";
    return db_get(db, sql, DB_NO_PARAMS, &wfig_map, out, NULL, err);
}

/* ---- fraud cases ---------------------------------------------------------------------------- */

int enterprise_store_fraud_insert(struct db *db, const struct fraud_case *c, int64_t *id,
                                  struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO fraud_cases (code, kind, obtained_fen, recovered_fen, fine_fen, decided_on, "
        "synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
    struct id_row r = {0};
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_TEXT(c->code), DB_TEXT(c->kind), DB_INT(c->obtained_fen),
                              DB_INT(c->recovered_fen), DB_INT(c->fine_fen), DB_TEXT(c->decided_on),
                              DB_INT(c->synthetic)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

static const struct db_column fraud_cols[] = {
    DB_COL(INT64, struct fraud_case, id),
    DB_COL(CHARS, struct fraud_case, code),
    DB_COL(CHARS, struct fraud_case, kind),
    DB_COL(INT64, struct fraud_case, obtained_fen),
    DB_COL(INT64, struct fraud_case, recovered_fen),
    DB_COL(INT64, struct fraud_case, fine_fen),
    DB_COL(CHARS, struct fraud_case, decided_on),
    DB_COL(BOOL, struct fraud_case, synthetic),
};
static const struct db_row_map fraud_map = DB_ROW_MAP(struct fraud_case, fraud_cols);

int enterprise_store_fraud_list(struct db *db, struct fraud_case_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT id, code, kind, obtained_fen, recovered_fen, fine_fen, "
                              "decided_on, synthetic FROM fraud_cases ORDER BY decided_on, id";
    return db_list(db, sql, DB_NO_PARAMS, &fraud_map, DB_LIST(out), -1, NULL, err);
}

/* ---- policies ------------------------------------------------------------------------------- */

int enterprise_store_policy_put(struct db *db, const char *code, const char *name, const char *body,
                                bool synthetic, struct app_error *err)
{
    static const char sql[] = "INSERT OR REPLACE INTO enterprise_policies (code, name, body, "
                              "synthetic) VALUES (?1, ?2, ?3, ?4)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(code), DB_TEXT(name), DB_TEXT(body), DB_INT(synthetic)), err);
}

struct body_row {
    char *body;
};
static const struct db_column body_cols[] = {DB_COL(STRDUP, struct body_row, body)};
static const struct db_row_map body_map = DB_ROW_MAP(struct body_row, body_cols);

int enterprise_store_policy_body(struct db *db, const char *code, char **body, bool *found,
                                 struct app_error *err)
{
    static const char sql[] = "SELECT body FROM enterprise_policies WHERE code = ?1";
    struct body_row r = {0};
    int rc = db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &body_map, &r, found, err);
    *body = r.body;
    return rc;
}

static const struct db_column prow_cols[] = {
    DB_COL(CHARS, struct enterprise_policy_row, code),
    DB_COL(CHARS, struct enterprise_policy_row, name),
};
static const struct db_row_map prow_map = DB_ROW_MAP(struct enterprise_policy_row, prow_cols);

int enterprise_store_policy_list(struct db *db, struct enterprise_policy_rows *out,
                                 struct app_error *err)
{
    static const char sql[] = "SELECT code, name FROM enterprise_policies ORDER BY code";
    return db_list(db, sql, DB_NO_PARAMS, &prow_map, DB_LIST(out), -1, NULL, err);
}

int enterprise_store_notice_insert(struct db *db, const char *policy, int64_t enterprise_id,
                                   int64_t benefit_fen, int64_t at, bool *added,
                                   struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO enterprise_policy_notices (policy_code, enterprise_id, benefit_fen, "
        "notified_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING RETURNING enterprise_id";
    struct id_row r;
    return db_get(
        db, sql, DB_PARAMS(DB_TEXT(policy), DB_INT(enterprise_id), DB_INT(benefit_fen), DB_INT(at)),
        &id_map, &r, added, err);
}

/* ---- certificates --------------------------------------------------------------------------- */

static const struct db_column ctype_cols[] = {
    DB_COL(CHARS, struct cert_type, code),
    DB_COL(CHARS, struct cert_type, name),
    DB_COL(BOOL, struct cert_type, issued),
    DB_COL(CHARS, struct cert_type, replacement),
};
static const struct db_row_map ctype_map = DB_ROW_MAP(struct cert_type, ctype_cols);

int enterprise_store_cert_type_put(struct db *db, const struct cert_type *t, struct app_error *err)
{
    static const char sql[] = "INSERT OR REPLACE INTO cert_types (code, name, issued, replacement, "
                              "synthetic) VALUES (?1, ?2, ?3, ?4, 1)";
    return db_run(
        db, sql,
        DB_PARAMS(DB_TEXT(t->code), DB_TEXT(t->name), DB_INT(t->issued), DB_TEXT(t->replacement)),
        err);
}

int enterprise_store_cert_types(struct db *db, struct cert_type_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT code, name, issued, replacement FROM cert_types ORDER BY issued DESC, code";
    return db_list(db, sql, DB_NO_PARAMS, &ctype_map, DB_LIST(out), -1, NULL, err);
}

int enterprise_store_cert_type(struct db *db, const char *code, struct cert_type *out, bool *found,
                               struct app_error *err)
{
    static const char sql[] =
        "SELECT code, name, issued, replacement FROM cert_types WHERE code = ?1";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &ctype_map, out, found, err);
}

static const struct db_column key_cols[] = {
    DB_COL(INT64, struct cert_key, id),
    DB_COL(CHARS, struct cert_key, public_key),
    DB_COL(CHARS, struct cert_key, secret_key),
};
static const struct db_row_map key_map = DB_ROW_MAP(struct cert_key, key_cols);

int enterprise_store_cert_key(struct db *db, int64_t id, struct cert_key *out, bool *found,
                              struct app_error *err)
{
    static const char latest[] =
        "SELECT id, public_key, secret_key FROM cert_keys ORDER BY id DESC LIMIT 1";
    static const char by_id[] = "SELECT id, public_key, secret_key FROM cert_keys WHERE id = ?1";
    if (id)
        return db_get(db, by_id, DB_PARAMS(DB_INT(id)), &key_map, out, found, err);
    return db_get(db, latest, DB_NO_PARAMS, &key_map, out, found, err);
}

int enterprise_store_cert_key_insert(struct db *db, const struct cert_key *k, int64_t at,
                                     int64_t *id, struct app_error *err)
{
    static const char sql[] = "INSERT INTO cert_keys (public_key, secret_key, created_at) "
                              "VALUES (?1, ?2, ?3) RETURNING id";
    struct id_row r = {0};
    int rc = db_get(db, sql, DB_PARAMS(DB_TEXT(k->public_key), DB_TEXT(k->secret_key), DB_INT(at)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int enterprise_store_cert_count_day(struct db *db, const char *prefix, long *n,
                                    struct app_error *err)
{
    static const char sql[] =
        "SELECT count(*) FROM certificates WHERE substr(serial, 1, length(?1)) = ?1";
    struct id_row r = {0};
    int rc = db_get(db, sql, DB_PARAMS(DB_TEXT(prefix)), &id_map, &r, NULL, err);
    *n = (long)r.id;
    return rc;
}

int enterprise_store_cert_insert(struct db *db, const struct certificate *c, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO certificates (serial, type_code, community, holder_masked, purpose, "
        "requested_at, issued_at, key_id, signature, synthetic) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(c->serial), DB_TEXT(c->type_code), DB_TEXT(c->community),
                            DB_TEXT(c->holder_masked), DB_TEXT(c->purpose), DB_INT(c->requested_at),
                            DB_INT(c->issued_at), DB_INT(c->key_id), DB_TEXT(c->signature),
                            DB_INT(c->synthetic)),
                  err);
}

static const struct db_column cert_cols[] = {
    DB_COL(CHARS, struct certificate, serial),
    DB_COL(CHARS, struct certificate, type_code),
    DB_COL(CHARS, struct certificate, type_name),
    DB_COL(CHARS, struct certificate, community),
    DB_COL(CHARS, struct certificate, community_name),
    DB_COL(CHARS, struct certificate, holder_masked),
    DB_COL(CHARS, struct certificate, purpose),
    DB_COL(INT64, struct certificate, requested_at),
    DB_COL(INT64, struct certificate, issued_at),
    DB_COL(INT64, struct certificate, revoked_at),
    DB_COL(CHARS, struct certificate, revoke_reason),
    DB_COL(INT64, struct certificate, key_id),
    DB_COL(CHARS, struct certificate, signature),
    DB_COL(BOOL, struct certificate, synthetic),
};
static const struct db_row_map cert_map = DB_ROW_MAP(struct certificate, cert_cols);
#define CERT_SELECT                                                                                \
    "SELECT c.serial, c.type_code, t.name, c.community, coalesce(r.name, ''), c.holder_masked, "   \
    "c.purpose, c.requested_at, c.issued_at, coalesce(c.revoked_at, 0), c.revoke_reason, "         \
    "c.key_id, c.signature, c.synthetic FROM certificates c "                                      \
    "JOIN cert_types t ON t.code = c.type_code LEFT JOIN regions r ON r.code = c.community "

int enterprise_store_cert_get(struct db *db, const char *serial, struct certificate *out,
                              bool *found, struct app_error *err)
{
    static const char sql[] = CERT_SELECT "WHERE c.serial = ?1";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(serial)), &cert_map, out, found, err);
}

int enterprise_store_cert_list(struct db *db, struct certificate_list *out, struct app_error *err)
{
    static const char sql[] = CERT_SELECT "ORDER BY c.issued_at DESC, c.serial DESC";
    return db_list(db, sql, DB_NO_PARAMS, &cert_map, DB_LIST(out), -1, NULL, err);
}

int enterprise_store_cert_revoke(struct db *db, const char *serial, int64_t at, const char *reason,
                                 struct app_error *err)
{
    static const char sql[] = "UPDATE certificates SET revoked_at = ?2, revoke_reason = ?3 "
                              "WHERE serial = ?1 AND revoked_at IS NULL";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(serial), DB_INT(at), DB_TEXT(reason)), err);
}

struct cfig_row {
    int64_t requests, issued, revoked;
    double avg_seconds;
    int64_t types_total, types_issued;
};
static const struct db_column cfig_cols[] = {
    DB_COL(INT64, struct cfig_row, requests),    DB_COL(INT64, struct cfig_row, issued),
    DB_COL(INT64, struct cfig_row, revoked),     DB_COL(DOUBLE, struct cfig_row, avg_seconds),
    DB_COL(INT64, struct cfig_row, types_total), DB_COL(INT64, struct cfig_row, types_issued),
};
static const struct db_row_map cfig_map = DB_ROW_MAP(struct cfig_row, cfig_cols);

int enterprise_store_cert_figures(struct db *db, struct cert_figures *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM cert_requests) + "
        "(SELECT count(*) FROM certificates c WHERE NOT EXISTS (SELECT 1 FROM cert_requests q "
        "WHERE q.serial = c.serial)), count(*), count(revoked_at), "
        "coalesce(avg(issued_at - requested_at), 0), "
        "(SELECT count(*) FROM cert_types), (SELECT count(*) FROM cert_types WHERE issued = 1) "
        "FROM certificates";
    struct cfig_row r = {0};
    if (db_get(db, sql, DB_NO_PARAMS, &cfig_map, &r, NULL, err))
        return -1;
    memset(out, 0, sizeof(*out));
    out->requests = (long)r.requests;
    out->issued = (long)r.issued;
    out->revoked = (long)r.revoked;
    out->avg_issue_hours = r.avg_seconds / 3600.0;
    out->types_total = (int)r.types_total;
    out->types_issued = (int)r.types_issued;
    return 0;
}

/* ---- demo ----------------------------------------------------------------------------------- */

int enterprise_store_demo_profiles(struct db *db, struct app_error *err)
{
    /* Synthetic profiles for the building economy's synthetic enterprises: size, head count and
     * violations spread by id; growth from the enterprise's own revenue of its last two years;
     * street and zone of its registered building (else the building it leases first). */
    static const char sql[] =
        "INSERT OR IGNORE INTO enterprise_profiles (enterprise_id, size_class, employees, "
        "growth_bp, violations, street, zone, officer, contact_name, contact_phone, synthetic) "
        "SELECT e.id, "
        "CASE WHEN e.id % 23 = 0 THEN '大型' WHEN e.id % 7 = 0 THEN '中型' "
        "WHEN e.id % 3 = 0 THEN '微型' ELSE '小型' END, "
        "CASE WHEN e.id % 23 = 0 THEN 300 + e.id % 700 WHEN e.id % 7 = 0 THEN 100 + e.id % 200 "
        "WHEN e.id % 3 = 0 THEN 1 + e.id % 9 ELSE 10 + (e.id * 13) % 90 END, "
        "coalesce((SELECT CAST((f1.revenue - f0.revenue) * 10000 / f0.revenue AS INTEGER) "
        "FROM building_figures f1 JOIN building_figures f0 ON f0.enterprise_id = f1.enterprise_id "
        "AND f0.year = f1.year - 1 WHERE f1.enterprise_id = e.id AND f0.revenue > 0 "
        "ORDER BY f1.year DESC LIMIT 1), 0), "
        "CASE WHEN e.id % 17 = 0 THEN 1 ELSE 0 END, b.street, b.zone, b.street || '-qy', "
        "'联系人', '138' || printf('%08d', (e.id * 7919) % 100000000), 1 "
        "FROM building_enterprises e JOIN buildings b ON b.id = coalesce(e.registered_building, "
        "(SELECT building_id FROM building_leases WHERE enterprise_id = e.id "
        "ORDER BY start_date LIMIT 1)) WHERE e.synthetic = 1";
    return db_run(db, sql, DB_NO_PARAMS, err);
}

int enterprise_store_demo_appeals(struct db *db, struct app_error *err)
{
    /* The event demo's enterprise-channel events become appeals of enterprises in their street;
     * 9002 欠薪 ones are wage appeals, the others spread over the eight other classes. */
    static const char sql[] =
        "WITH pr AS (SELECT enterprise_id, street, row_number() OVER (PARTITION BY street "
        "ORDER BY enterprise_id) AS rn, count(*) OVER (PARTITION BY street) AS cnt "
        "FROM enterprise_profiles) "
        "INSERT OR IGNORE INTO enterprise_appeals (event_code, enterprise_id, class, created_at, "
        "synthetic) SELECT ev.code, pr.enterprise_id, CASE WHEN ev.category = '9002' THEN 'wage' "
        "ELSE CASE ev.id % 8 WHEN 0 THEN 'policy' WHEN 1 THEN 'finance' WHEN 2 THEN 'labour' "
        "WHEN 3 THEN 'space' WHEN 4 THEN 'approval' WHEN 5 THEN 'ip' WHEN 6 THEN 'legal' "
        "ELSE 'utility' END END, ev.created_at, 1 FROM events ev JOIN pr ON pr.street = ev.street "
        "AND pr.rn = (ev.id * 31) % pr.cnt + 1 "
        "WHERE ev.channel = 'enterprise' AND ev.synthetic = 1";
    return db_run(db, sql, DB_NO_PARAMS, err);
}

int enterprise_store_payroll_settle(struct db *db, int64_t project_id, const char *date,
                                    struct app_error *err)
{
    static const char sql[] =
        "UPDATE wage_payrolls SET paid_date = ?2 WHERE project_id = ?1 AND paid_date IS NULL";
    return db_run(db, sql, DB_PARAMS(DB_INT(project_id), DB_TEXT(date)), err);
}

int enterprise_store_demo_places(struct db *db, struct enterprise_place *out, size_t n, size_t *got,
                                 struct app_error *err)
{
    static const char sql[] = "SELECT lon, lat, coalesce(grid, ''), name FROM buildings "
                              "WHERE grid IS NOT NULL ORDER BY id";
    struct {
        struct enterprise_place *items;
        size_t len, cap;
    } l = {0};
    if (db_list(db, sql, DB_NO_PARAMS, &place_map, DB_LIST(&l), (long)n, NULL, err))
        return -1;
    *got = l.len;
    if (l.len)
        memcpy(out, l.items, l.len * sizeof(*out));
    free(l.items);
    return 0;
}

/* ---- certificate requests ------------------------------------------------------------------- */

int enterprise_store_request_insert(struct db *db, const struct cert_request_input *in, int64_t at,
                                    int64_t *id, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO cert_requests (type_code, community, holder_name, phone, purpose, "
        "requested_at, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
    struct id_row r = {0};
    int rc =
        db_get(db, sql,
               DB_PARAMS(DB_TEXT(in->type_code), DB_TEXT(in->community), DB_TEXT(in->holder_name),
                         DB_TEXT(in->phone), DB_TEXT(in->purpose ? in->purpose : ""), DB_INT(at),
                         DB_INT(in->synthetic)),
               &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

static const struct db_column req_cols[] = {
    DB_COL(INT64, struct cert_request_row, id),
    DB_COL(CHARS, struct cert_request_row, type_code),
    DB_COL(CHARS, struct cert_request_row, type_name),
    DB_COL(CHARS, struct cert_request_row, community),
    DB_COL(CHARS, struct cert_request_row, holder_name),
    DB_COL(CHARS, struct cert_request_row, phone),
    DB_COL(CHARS, struct cert_request_row, purpose),
    DB_COL(INT64, struct cert_request_row, requested_at),
    DB_COL(CHARS, struct cert_request_row, serial),
};
static const struct db_row_map req_map = DB_ROW_MAP(struct cert_request_row, req_cols);
#define REQ_SELECT                                                                                 \
    "SELECT q.id, q.type_code, t.name, q.community, q.holder_name, q.phone, q.purpose, "           \
    "q.requested_at, coalesce(q.serial, '') FROM cert_requests q "                                 \
    "JOIN cert_types t ON t.code = q.type_code "

int enterprise_store_request_list(struct db *db, struct cert_request_list *out,
                                  struct app_error *err)
{
    static const char sql[] = REQ_SELECT "ORDER BY q.requested_at DESC, q.id DESC";
    return db_list(db, sql, DB_NO_PARAMS, &req_map, DB_LIST(out), -1, NULL, err);
}

int enterprise_store_request_get(struct db *db, int64_t id, struct cert_request_row *out,
                                 bool *found, struct app_error *err)
{
    static const char sql[] = REQ_SELECT "WHERE q.id = ?1";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &req_map, out, found, err);
}

int enterprise_store_request_done(struct db *db, int64_t id, const char *serial,
                                  struct app_error *err)
{
    static const char sql[] = "UPDATE cert_requests SET serial = ?2 WHERE id = ?1";
    return db_run(db, sql, DB_PARAMS(DB_INT(id), DB_TEXT(serial)), err);
}
