/* All SQL of the administrators' org writes: departments, posts, team members, region names,
 * through the store helper layer (core/db_row.h). */
#include "org/org_write_store.h"

#include "core/db_row.h"

static const struct db_column department_cols[] = {
    DB_COL(CHARS, struct org_department, code),
    DB_COL(CHARS, struct org_department, name),
    DB_COL(CHARS, struct org_department, region_code),
};
static const struct db_row_map department_map = DB_ROW_MAP(struct org_department, department_cols);

int org_write_store_department_get(struct db *db, const char *code, struct org_department *out,
                                   bool *found, struct app_error *err)
{
    static const char sql[] = "SELECT code, name, region_code FROM departments WHERE code = ?";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &department_map, out, found, err);
}

int org_write_store_department_update(struct db *db, const struct org_department *d,
                                      struct app_error *err)
{
    static const char sql[] = "UPDATE departments SET name = ?, region_code = ? WHERE code = ?";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(d->name), DB_TEXT(d->region_code), DB_TEXT(d->code)),
                  err);
}

struct one_flag {
    bool v;
};
static const struct db_column one_flag_cols[] = {DB_COL(BOOL, struct one_flag, v)};
static const struct db_row_map one_flag_map = DB_ROW_MAP(struct one_flag, one_flag_cols);

int org_write_store_board_exists(struct db *db, const char *code, bool *found,
                                 struct app_error *err)
{
    static const char sql[] = "SELECT 1 FROM boards WHERE code = ?";
    struct one_flag r;
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &one_flag_map, &r, found, err);
}

static const struct db_column post_cols[] = {
    DB_COL(CHARS, struct org_post, code),
    DB_COL(CHARS, struct org_post, board_code),
    DB_COL(CHARS, struct org_post, street_code),
    DB_COL(CHARS, struct org_post, name),
};
static const struct db_row_map post_map = DB_ROW_MAP(struct org_post, post_cols);

int org_write_store_post_get(struct db *db, const char *code, struct org_post *out, bool *found,
                             struct app_error *err)
{
    static const char sql[] =
        "SELECT code, board_code, street_code, name FROM posts WHERE code = ?";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &post_map, out, found, err);
}

int org_write_store_post_update(struct db *db, const struct org_post *p, struct app_error *err)
{
    static const char sql[] = "UPDATE posts SET name = ? WHERE code = ?";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(p->name), DB_TEXT(p->code)), err);
}

struct one_id {
    int64_t v;
};
static const struct db_column one_id_cols[] = {DB_COL(INT64, struct one_id, v)};
static const struct db_row_map one_id_map = DB_ROW_MAP(struct one_id, one_id_cols);

int org_write_store_person_insert(struct db *db, const struct org_person *p, int64_t *id,
                                  struct app_error *err)
{
    static const char sql[] = "INSERT INTO people(name, phone, grid_code, team_role, synthetic) "
                              "VALUES(?,?,?,?,?) RETURNING id";
    struct one_id r;
    int rc = db_get(db, sql,
                    DB_PARAMS(DB_TEXT(p->name), DB_TEXT_OPT(p->phone), DB_TEXT(p->grid_code),
                              DB_TEXT(p->team_role), DB_INT(p->synthetic)),
                    &one_id_map, &r, NULL, err);
    *id = r.v;
    return rc;
}

static const struct db_column person_cols[] = {
    DB_COL(INT64, struct org_person, id),        DB_COL(CHARS, struct org_person, name),
    DB_COL(CHARS, struct org_person, phone),     DB_COL(CHARS, struct org_person, team_role),
    DB_COL(CHARS, struct org_person, grid_code), DB_COL(BOOL, struct org_person, synthetic),
};
static const struct db_row_map person_map = DB_ROW_MAP(struct org_person, person_cols);

int org_write_store_person_get(struct db *db, int64_t id, struct org_person *out, bool *found,
                               struct app_error *err)
{
    static const char sql[] = "SELECT id, name, coalesce(phone, ''), team_role, grid_code, "
                              "synthetic FROM people WHERE id = ?";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &person_map, out, found, err);
}

int org_write_store_person_update(struct db *db, const struct org_person *p, struct app_error *err)
{
    static const char sql[] = "UPDATE people SET name = ?, phone = ?, team_role = ? WHERE id = ?";
    return db_run(
        db, sql,
        DB_PARAMS(DB_TEXT(p->name), DB_TEXT_OPT(p->phone), DB_TEXT(p->team_role), DB_INT(p->id)),
        err);
}

int org_write_store_person_delete(struct db *db, int64_t id, struct app_error *err)
{
    static const char sql[] = "DELETE FROM people WHERE id = ?";
    return db_run(db, sql, DB_PARAMS(DB_INT(id)), err);
}

int org_write_store_region_rename(struct db *db, const char *code, const char *name,
                                  struct app_error *err)
{
    static const char sql[] = "UPDATE regions SET name = ? WHERE code = ?";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(name), DB_TEXT(code)), err);
}
