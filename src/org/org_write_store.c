/* All SQL of the administrators' org writes: departments, posts, team members, region names. */
#include "org/org_write_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Step a statement that returns nothing; reset it. */
/* Step a statement that returns at most one row; *found tells whether it did. The caller reads
 * the row before calling finish_one. */
static int step_one(struct db *db, sqlite3_stmt *st, bool *found, struct app_error *err)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return 0;
    sqlite3_reset(st);
    return db_fail(db, err);
}

int org_write_store_department_get(struct db *db, const char *code, struct org_department *out,
                                   bool *found, struct app_error *err)
{
    static const char sql[] = "SELECT code, name, region_code FROM departments WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    memset(out, 0, sizeof(*out));
    if (step_one(db, st, found, err))
        return -1;
    if (*found) {
        db_copy_text(out->code, sizeof(out->code), st, 0);
        db_copy_text(out->name, sizeof(out->name), st, 1);
        db_copy_text(out->region_code, sizeof(out->region_code), st, 2);
    }
    sqlite3_reset(st);
    return 0;
}

int org_write_store_department_update(struct db *db, const struct org_department *d,
                                      struct app_error *err)
{
    static const char sql[] = "UPDATE departments SET name = ?, region_code = ? WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, d->name);
    db_bind_text(st, 2, d->region_code);
    db_bind_text(st, 3, d->code);
    return db_step_done(db, st, err);
}

int org_write_store_board_exists(struct db *db, const char *code, bool *found,
                                 struct app_error *err)
{
    static const char sql[] = "SELECT 1 FROM boards WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    if (step_one(db, st, found, err))
        return -1;
    sqlite3_reset(st);
    return 0;
}

int org_write_store_post_get(struct db *db, const char *code, struct org_post *out, bool *found,
                             struct app_error *err)
{
    static const char sql[] =
        "SELECT code, board_code, street_code, name FROM posts WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, code);
    memset(out, 0, sizeof(*out));
    if (step_one(db, st, found, err))
        return -1;
    if (*found) {
        db_copy_text(out->code, sizeof(out->code), st, 0);
        db_copy_text(out->board_code, sizeof(out->board_code), st, 1);
        db_copy_text(out->street_code, sizeof(out->street_code), st, 2);
        db_copy_text(out->name, sizeof(out->name), st, 3);
    }
    sqlite3_reset(st);
    return 0;
}

int org_write_store_post_update(struct db *db, const struct org_post *p, struct app_error *err)
{
    static const char sql[] = "UPDATE posts SET name = ? WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, p->name);
    db_bind_text(st, 2, p->code);
    return db_step_done(db, st, err);
}

int org_write_store_person_insert(struct db *db, const struct org_person *p, int64_t *id,
                                  struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO people(name, phone, grid_code, team_role, synthetic) VALUES(?,?,?,?,?)";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, p->name);
    db_bind_text(st, 2, p->phone[0] ? p->phone : NULL);
    db_bind_text(st, 3, p->grid_code);
    db_bind_text(st, 4, p->team_role);
    sqlite3_bind_int(st, 5, p->synthetic);
    if (db_step_done(db, st, err))
        return -1;
    *id = sqlite3_last_insert_rowid(db_sqlite(db));
    return 0;
}

int org_write_store_person_get(struct db *db, int64_t id, struct org_person *out, bool *found,
                               struct app_error *err)
{
    static const char sql[] = "SELECT id, name, coalesce(phone, ''), team_role, grid_code, "
                              "synthetic FROM people WHERE id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    memset(out, 0, sizeof(*out));
    if (step_one(db, st, found, err))
        return -1;
    if (*found) {
        out->id = sqlite3_column_int64(st, 0);
        db_copy_text(out->name, sizeof(out->name), st, 1);
        db_copy_text(out->phone, sizeof(out->phone), st, 2);
        db_copy_text(out->team_role, sizeof(out->team_role), st, 3);
        db_copy_text(out->grid_code, sizeof(out->grid_code), st, 4);
        out->synthetic = sqlite3_column_int(st, 5) != 0;
    }
    sqlite3_reset(st);
    return 0;
}

int org_write_store_person_update(struct db *db, const struct org_person *p, struct app_error *err)
{
    static const char sql[] = "UPDATE people SET name = ?, phone = ?, team_role = ? WHERE id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, p->name);
    db_bind_text(st, 2, p->phone[0] ? p->phone : NULL);
    db_bind_text(st, 3, p->team_role);
    sqlite3_bind_int64(st, 4, p->id);
    return db_step_done(db, st, err);
}

int org_write_store_person_delete(struct db *db, int64_t id, struct app_error *err)
{
    static const char sql[] = "DELETE FROM people WHERE id = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    return db_step_done(db, st, err);
}

int org_write_store_region_rename(struct db *db, const char *code, const char *name,
                                  struct app_error *err)
{
    static const char sql[] = "UPDATE regions SET name = ? WHERE code = ?";
    sqlite3_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, code);
    return db_step_done(db, st, err);
}
