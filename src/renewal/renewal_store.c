/* All SQL of the renewal module, through the store helper layer (core/db_row.h). */
#include "renewal/renewal_store.h"

#include <stddef.h>

#include "core/db_row.h"

struct id_row {
    int64_t id;
};
static const struct db_column id_cols[] = {DB_COL(INT64, struct id_row, id)};
static const struct db_row_map id_map = DB_ROW_MAP(struct id_row, id_cols);

static const struct db_column project_cols[] = {
    DB_COL(INT64, struct renewal_project, id),
    DB_COL(CHARS, struct renewal_project, code),
    DB_COL(CHARS, struct renewal_project, name),
    DB_COL(CHARS, struct renewal_project, type),
    DB_COL(INT, struct renewal_project, phase),
    DB_COL(CHARS, struct renewal_project, model),
    DB_COL(CHARS, struct renewal_project, investor),
    DB_COL(CHARS, struct renewal_project, financier),
    DB_COL(CHARS, struct renewal_project, builder),
    DB_COL(CHARS, struct renewal_project, manager),
    DB_COL(CHARS, struct renewal_project, operator_),
    DB_COL(DOUBLE, struct renewal_project, lon),
    DB_COL(DOUBLE, struct renewal_project, lat),
    DB_COL(CHARS, struct renewal_project, grid),
    DB_COL(CHARS, struct renewal_project, street),
    DB_COL(INT, struct renewal_project, households),
    DB_COL(INT, struct renewal_project, horizon),
    DB_COL(INT64, struct renewal_project, discount_nano),
    DB_COL(INT64, struct renewal_project, ceiling),
    DB_COL(BOOL, struct renewal_project, synthetic),
    DB_COL(INT64, struct renewal_project, path_area[0]),
    DB_COL(INT64, struct renewal_project, path_area[1]),
    DB_COL(INT64, struct renewal_project, path_area[2]),
    DB_COL(INT64, struct renewal_project, path_area[3]),
    DB_COL(INT, struct renewal_project, parcels),
};
static const struct db_row_map project_map = DB_ROW_MAP(struct renewal_project, project_cols);
/* 留/改/增 count the floor area after, 拆 the area demolished (before) */
#define PATH_SUM(path, col)                                                                        \
    "(SELECT COALESCE(SUM(" col                                                                    \
    "), 0) FROM renewal_parcels WHERE project_id = p.id AND path = '" path "'), "
#define PROJECT_SELECT                                                                             \
    "SELECT p.id, p.code, p.name, p.type, p.phase, p.model, p.investor, p.financier, p.builder, "  \
    "p.manager, p.operator, p.lon, p.lat, p.grid, p.street, p.households, p.horizon, "             \
    "p.discount_nano, p.ceiling, p.synthetic, " PATH_SUM("keep", "area_after")                     \
        PATH_SUM("renovate", "area_after") PATH_SUM("demolish", "area_before")                     \
            PATH_SUM("add", "area_after") "(SELECT COUNT(*) FROM renewal_parcels WHERE "           \
                                          "project_id = p.id) FROM renewal_projects p "

int renewal_store_project_insert(struct db *db, const struct renewal_project *p,
                                 const char *boundary, int64_t now, int64_t *id,
                                 struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO renewal_projects (code, name, type, phase, model, investor, financier, "
        "builder, manager, operator, lon, lat, boundary, grid, street, households, horizon, "
        "discount_nano, ceiling, synthetic, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) RETURNING id";
    struct id_row r = {0};
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_TEXT(p->code), DB_TEXT(p->name), DB_TEXT(p->type),
                              DB_INT(p->phase), DB_TEXT(p->model), DB_TEXT(p->investor),
                              DB_TEXT(p->financier), DB_TEXT(p->builder), DB_TEXT(p->manager),
                              DB_TEXT(p->operator_), DB_DOUBLE(p->lon), DB_DOUBLE(p->lat),
                              DB_TEXT_OPT(boundary), DB_TEXT(p->grid), DB_TEXT(p->street),
                              DB_INT(p->households), DB_INT(p->horizon), DB_INT(p->discount_nano),
                              DB_INT(p->ceiling), DB_INT(p->synthetic), DB_INT(now)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int renewal_store_project_get(struct db *db, const char *code, struct renewal_project *out,
                              bool *found, struct app_error *err)
{
    static const char sql[] = PROJECT_SELECT "WHERE p.code = ?1";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &project_map, out, found, err);
}

int renewal_store_project_list(struct db *db, const char *scope, int phase, const char *street,
                               struct renewal_project_list *out, struct app_error *err)
{
    static const char sql[] =
        PROJECT_SELECT "WHERE substr(p.grid, 1, length(?1)) = ?1 AND (?2 < 0 OR p.phase = ?2) AND "
                       "(?3 IS NULL OR p.street = ?3) ORDER BY p.code";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(scope), DB_INT(phase), DB_TEXT_OPT(street)),
                   &project_map, DB_LIST(out), -1, NULL, err);
}

int renewal_store_project_set_phase(struct db *db, int64_t id, int phase, struct app_error *err)
{
    static const char sql[] = "UPDATE renewal_projects SET phase = ?2 WHERE id = ?1";
    return db_run(db, sql, DB_PARAMS(DB_INT(id), DB_INT(phase)), err);
}

int renewal_store_project_set_finance(struct db *db, int64_t id, int horizon, int64_t discount_nano,
                                      int64_t ceiling, struct app_error *err)
{
    static const char sql[] = "UPDATE renewal_projects SET horizon = ?2, discount_nano = ?3, "
                              "ceiling = ?4 WHERE id = ?1";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(id), DB_INT(horizon), DB_INT(discount_nano), DB_INT(ceiling)),
                  err);
}

int renewal_store_phase_insert(struct db *db, int64_t project_id, int phase, int64_t at,
                               const char *actor, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO renewal_phase_history (project_id, phase, at, actor) VALUES (?1, ?2, ?3, ?4)";
    return db_run(db, sql, DB_PARAMS(DB_INT(project_id), DB_INT(phase), DB_INT(at), DB_TEXT(actor)),
                  err);
}

static const struct db_column phase_cols[] = {
    DB_COL(INT, struct renewal_phase_step, phase),
    DB_COL(INT64, struct renewal_phase_step, at),
    DB_COL(CHARS, struct renewal_phase_step, actor),
};
static const struct db_row_map phase_map = DB_ROW_MAP(struct renewal_phase_step, phase_cols);

int renewal_store_phase_list(struct db *db, int64_t project_id, struct renewal_phase_list *out,
                             struct app_error *err)
{
    static const char sql[] = "SELECT phase, at, actor FROM renewal_phase_history WHERE "
                              "project_id = ?1 ORDER BY at, id";
    return db_list(db, sql, DB_PARAMS(DB_INT(project_id)), &phase_map, DB_LIST(out), -1, NULL, err);
}

static const struct db_column parcel_cols[] = {
    DB_COL(INT64, struct renewal_parcel, id),
    DB_COL(INT64, struct renewal_parcel, project_id),
    DB_COL(CHARS, struct renewal_parcel, name),
    DB_COL(CHARS, struct renewal_parcel, path),
    DB_COL(INT64, struct renewal_parcel, area_before),
    DB_COL(INT64, struct renewal_parcel, area_after),
    DB_COL(INT, struct renewal_parcel, households),
    DB_COL(INT, struct renewal_parcel, enterprises),
    DB_COL(BOOL, struct renewal_parcel, synthetic),
};
static const struct db_row_map parcel_map = DB_ROW_MAP(struct renewal_parcel, parcel_cols);

int renewal_store_parcel_insert(struct db *db, const struct renewal_parcel *p, int64_t *id,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO renewal_parcels (project_id, name, path, area_before, area_after, "
        "households, enterprises, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
    struct id_row r = {0};
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_INT(p->project_id), DB_TEXT(p->name), DB_TEXT(p->path),
                              DB_INT(p->area_before), DB_INT(p->area_after), DB_INT(p->households),
                              DB_INT(p->enterprises), DB_INT(p->synthetic)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int renewal_store_parcel_list(struct db *db, int64_t project_id, struct renewal_parcel_list *out,
                              struct app_error *err)
{
    static const char sql[] = "SELECT id, project_id, name, path, area_before, area_after, "
                              "households, enterprises, synthetic FROM renewal_parcels WHERE "
                              "project_id = ?1 ORDER BY id";
    return db_list(db, sql, DB_PARAMS(DB_INT(project_id)), &parcel_map, DB_LIST(out), -1, NULL,
                   err);
}

int renewal_store_finance_clear(struct db *db, int64_t project_id, struct app_error *err)
{
    static const char flows[] = "DELETE FROM renewal_flows WHERE project_id = ?1";
    static const char loans[] = "DELETE FROM renewal_loans WHERE project_id = ?1";
    if (db_run(db, flows, DB_PARAMS(DB_INT(project_id)), err))
        return -1;
    return db_run(db, loans, DB_PARAMS(DB_INT(project_id)), err);
}

int renewal_store_flow_insert(struct db *db, int64_t project_id, const struct renewal_flow_line *l,
                              struct app_error *err)
{
    /* lines of one year and kind add up */
    static const char sql[] =
        "INSERT INTO renewal_flows (project_id, year, kind, amount) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (project_id, year, kind) DO UPDATE SET amount = amount + excluded.amount";
    return db_run(
        db, sql, DB_PARAMS(DB_INT(project_id), DB_INT(l->year), DB_INT(l->kind), DB_INT(l->amount)),
        err);
}

int renewal_store_loan_insert(struct db *db, int64_t project_id, const struct renewal_loan *l,
                              struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO renewal_loans (project_id, principal, rate_nano, term, grace, draw_year, "
        "repay) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(project_id), DB_INT(l->principal), DB_INT(l->rate_nano),
                            DB_INT(l->term), DB_INT(l->grace), DB_INT(l->draw_year),
                            DB_INT(l->repay)),
                  err);
}

static const struct db_column flow_cols[] = {
    DB_COL(INT, struct renewal_flow_line, year),
    DB_COL(INT, struct renewal_flow_line, kind),
    DB_COL(INT64, struct renewal_flow_line, amount),
};
static const struct db_row_map flow_map = DB_ROW_MAP(struct renewal_flow_line, flow_cols);

int renewal_store_flows(struct db *db, int64_t project_id, int (*each)(void *ctx, void *line),
                        void *ctx, struct app_error *err)
{
    static const char sql[] =
        "SELECT year, kind, amount FROM renewal_flows WHERE project_id = ?1 ORDER BY year, kind";
    struct renewal_flow_line row;
    return db_each(db, sql, DB_PARAMS(DB_INT(project_id)), &flow_map, &row, each, ctx, err);
}

static const struct db_column loan_cols[] = {
    DB_COL(INT64, struct renewal_loan, principal), DB_COL(INT64, struct renewal_loan, rate_nano),
    DB_COL(INT, struct renewal_loan, term),        DB_COL(INT, struct renewal_loan, grace),
    DB_COL(INT, struct renewal_loan, draw_year),   DB_COL(INT, struct renewal_loan, repay),
};
static const struct db_row_map loan_map = DB_ROW_MAP(struct renewal_loan, loan_cols);

int renewal_store_loans(struct db *db, int64_t project_id, int (*each)(void *ctx, void *loan),
                        void *ctx, struct app_error *err)
{
    static const char sql[] = "SELECT principal, rate_nano, term, grace, draw_year, repay FROM "
                              "renewal_loans WHERE project_id = ?1 ORDER BY id";
    struct renewal_loan row;
    return db_each(db, sql, DB_PARAMS(DB_INT(project_id)), &loan_map, &row, each, ctx, err);
}

static const struct db_column vote_cols[] = {
    DB_COL(INT64, struct renewal_vote_rec, id),
    DB_COL(INT64, struct renewal_vote_rec, project_id),
    DB_COL(CHARS, struct renewal_vote_rec, project_code),
    DB_COL(CHARS, struct renewal_vote_rec, project_name),
    DB_COL(CHARS, struct renewal_vote_rec, grid),
    DB_COL(CHARS, struct renewal_vote_rec, title),
    DB_COL(INT, struct renewal_vote_rec, matter),
    DB_COL(INT64, struct renewal_vote_rec, building_area),
    DB_COL(INT64, struct renewal_vote_rec, opened_at),
    DB_COL(BOOL, struct renewal_vote_rec, synthetic),
};
static const struct db_row_map vote_map = DB_ROW_MAP(struct renewal_vote_rec, vote_cols);
#define VOTE_SELECT                                                                                \
    "SELECT v.id, v.project_id, p.code, p.name, p.grid, v.title, v.matter, v.building_area, "      \
    "v.opened_at, v.synthetic FROM renewal_votes v JOIN renewal_projects p ON p.id = "             \
    "v.project_id "

int renewal_store_vote_insert(struct db *db, const struct renewal_vote_rec *v, int64_t *id,
                              struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO renewal_votes (project_id, title, matter, building_area, opened_at, "
        "synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct id_row r = {0};
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_INT(v->project_id), DB_TEXT(v->title), DB_INT(v->matter),
                              DB_INT(v->building_area), DB_INT(v->opened_at), DB_INT(v->synthetic)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int renewal_store_vote_get(struct db *db, int64_t id, struct renewal_vote_rec *out, bool *found,
                           struct app_error *err)
{
    static const char sql[] = VOTE_SELECT "WHERE v.id = ?1";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &vote_map, out, found, err);
}

int renewal_store_vote_list(struct db *db, const char *scope, int64_t project_id,
                            struct renewal_vote_list *out, struct app_error *err)
{
    static const char sql[] = VOTE_SELECT "WHERE substr(p.grid, 1, length(?1)) = ?1 AND "
                                          "(?2 = 0 OR v.project_id = ?2) ORDER BY v.id";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(scope), DB_INT(project_id)), &vote_map, DB_LIST(out),
                   -1, NULL, err);
}

static const struct db_column ballot_cols[] = {
    DB_COL(CHARS, struct renewal_ballot, unit),
    DB_COL(CHARS, struct renewal_ballot, owner),
    DB_COL(INT64, struct renewal_ballot, area),
    DB_COL(INT, struct renewal_ballot, vote),
};
static const struct db_row_map ballot_map = DB_ROW_MAP(struct renewal_ballot, ballot_cols);

int renewal_store_ballot_insert(struct db *db, int64_t vote_id, const struct renewal_ballot *b,
                                struct app_error *err)
{
    static const char sql[] = "INSERT INTO renewal_ballots (vote_id, unit, owner, area, vote) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(vote_id), DB_TEXT(b->unit), DB_TEXT(b->owner), DB_INT(b->area),
                            DB_INT(b->vote)),
                  err);
}

int renewal_store_ballot_list(struct db *db, int64_t vote_id, struct renewal_ballot_list *out,
                              struct app_error *err)
{
    static const char sql[] =
        "SELECT unit, owner, area, vote FROM renewal_ballots WHERE vote_id = ?1 ORDER BY unit";
    return db_list(db, sql, DB_PARAMS(DB_INT(vote_id)), &ballot_map, DB_LIST(out), -1, NULL, err);
}

int renewal_store_ballot_set(struct db *db, int64_t vote_id, const char *owner, int vote,
                             int64_t at, struct app_error *err)
{
    static const char sql[] =
        "UPDATE renewal_ballots SET vote = ?3, cast_at = ?4 WHERE vote_id = ?1 AND owner = ?2";
    return db_run(db, sql, DB_PARAMS(DB_INT(vote_id), DB_TEXT(owner), DB_INT(vote), DB_INT(at)),
                  err);
}

static const struct db_column housing_cols[] = {
    DB_COL(INT64, struct renewal_housing_unit, id),
    DB_COL(CHARS, struct renewal_housing_unit, code),
    DB_COL(CHARS, struct renewal_housing_unit, project),
    DB_COL(CHARS, struct renewal_housing_unit, grid),
    DB_COL(INT64, struct renewal_housing_unit, area),
    DB_COL(INT64, struct renewal_housing_unit, rent),
    DB_COL(INT64, struct renewal_housing_unit, market_rent),
    DB_COL(DOUBLE, struct renewal_housing_unit, lon),
    DB_COL(DOUBLE, struct renewal_housing_unit, lat),
    DB_COL(BOOL, struct renewal_housing_unit, occupied),
    DB_COL(BOOL, struct renewal_housing_unit, synthetic),
};
static const struct db_row_map housing_map = DB_ROW_MAP(struct renewal_housing_unit, housing_cols);

int renewal_store_housing_insert(struct db *db, const struct renewal_housing_unit *u,
                                 struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO renewal_housing_units (code, project, grid, area, rent, market_rent, lon, "
        "lat, occupied, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(u->code), DB_TEXT(u->project), DB_TEXT(u->grid),
                            DB_INT(u->area), DB_INT(u->rent), DB_INT(u->market_rent),
                            DB_DOUBLE(u->lon), DB_DOUBLE(u->lat), DB_INT(u->occupied),
                            DB_INT(u->synthetic)),
                  err);
}

int renewal_store_housing_list(struct db *db, const char *scope, struct renewal_housing_list *out,
                               struct app_error *err)
{
    static const char sql[] =
        "SELECT id, code, project, grid, area, rent, market_rent, lon, lat, occupied, synthetic "
        "FROM renewal_housing_units WHERE substr(grid, 1, length(?1)) = ?1 ORDER BY code";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(scope)), &housing_map, DB_LIST(out), -1, NULL, err);
}

static const struct db_column appraisal_cols[] = {
    DB_COL(INT64, struct renewal_appraisal, id),
    DB_COL(CHARS, struct renewal_appraisal, building),
    DB_COL(CHARS, struct renewal_appraisal, address),
    DB_COL(DOUBLE, struct renewal_appraisal, lon),
    DB_COL(DOUBLE, struct renewal_appraisal, lat),
    DB_COL(CHARS, struct renewal_appraisal, grid),
    DB_COL(CHARS, struct renewal_appraisal, grade),
    DB_COL(CHARS, struct renewal_appraisal, appraised_on),
    DB_COL(CHARS, struct renewal_appraisal, appraiser),
    DB_COL(CHARS, struct renewal_appraisal, event_code),
    DB_COL(BOOL, struct renewal_appraisal, synthetic),
};
static const struct db_row_map appraisal_map = DB_ROW_MAP(struct renewal_appraisal, appraisal_cols);

int renewal_store_appraisal_insert(struct db *db, const struct renewal_appraisal *a, int64_t now,
                                   int64_t *id, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO renewal_appraisals (building, address, lon, lat, grid, grade, appraised_on, "
        "appraiser, synthetic, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
        "RETURNING id";
    struct id_row r = {0};
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_TEXT(a->building), DB_TEXT(a->address), DB_DOUBLE(a->lon),
                              DB_DOUBLE(a->lat), DB_TEXT(a->grid), DB_TEXT(a->grade),
                              DB_TEXT(a->appraised_on), DB_TEXT(a->appraiser), DB_INT(a->synthetic),
                              DB_INT(now)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int renewal_store_appraisal_set_event(struct db *db, int64_t id, const char *code,
                                      struct app_error *err)
{
    static const char sql[] = "UPDATE renewal_appraisals SET event_code = ?2 WHERE id = ?1";
    return db_run(db, sql, DB_PARAMS(DB_INT(id), DB_TEXT(code)), err);
}

int renewal_store_appraisal_list(struct db *db, const char *scope,
                                 struct renewal_appraisal_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT id, building, address, lon, lat, grid, grade, appraised_on, appraiser, "
        "event_code, synthetic FROM renewal_appraisals WHERE substr(grid, 1, length(?1)) = ?1 "
        "ORDER BY appraised_on DESC, id DESC";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(scope)), &appraisal_map, DB_LIST(out), -1, NULL, err);
}

static const struct db_column applicant_cols[] = {
    DB_COL(INT64, struct renewal_applicant_rec, id),
    DB_COL(CHARS, struct renewal_applicant_rec, name),
    DB_COL(INT, struct renewal_applicant_rec, group),
    DB_COL(BOOL, struct renewal_applicant_rec, owns_housing),
    DB_COL(INT64, struct renewal_applicant_rec, applied_at),
    DB_COL(CHARS, struct renewal_applicant_rec, unit_code),
    DB_COL(INT64, struct renewal_applicant_rec, allocated_at),
    DB_COL(BOOL, struct renewal_applicant_rec, synthetic),
};
static const struct db_row_map applicant_map =
    DB_ROW_MAP(struct renewal_applicant_rec, applicant_cols);

int renewal_store_applicant_insert(struct db *db, const struct renewal_applicant_rec *a,
                                   int64_t *id, struct app_error *err)
{
    static const char sql[] = "INSERT INTO renewal_applicants (name, grp, owns_housing, "
                              "applied_at, synthetic) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    struct id_row r = {0};
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_TEXT(a->name), DB_INT(a->group), DB_INT(a->owns_housing),
                              DB_INT(a->applied_at), DB_INT(a->synthetic)),
                    &id_map, &r, NULL, err);
    *id = r.id;
    return rc;
}

int renewal_store_applicant_list(struct db *db, struct renewal_applicant_list *out,
                                 struct app_error *err)
{
    static const char sql[] = "SELECT id, name, grp, owns_housing, applied_at, unit_code, "
                              "allocated_at, synthetic FROM renewal_applicants ORDER BY id";
    return db_list(db, sql, DB_NO_PARAMS, &applicant_map, DB_LIST(out), -1, NULL, err);
}

int renewal_store_applicant_allocate(struct db *db, int64_t id, const char *unit, int64_t at,
                                     struct app_error *err)
{
    static const char sql[] = "UPDATE renewal_applicants SET unit_code = ?2, allocated_at = ?3 "
                              "WHERE id = ?1 AND unit_code = ''";
    return db_run(db, sql, DB_PARAMS(DB_INT(id), DB_TEXT(unit), DB_INT(at)), err);
}

int renewal_store_housing_set_occupied(struct db *db, const char *code, bool occupied,
                                       struct app_error *err)
{
    static const char sql[] = "UPDATE renewal_housing_units SET occupied = ?2 WHERE code = ?1";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(code), DB_INT(occupied)), err);
}
