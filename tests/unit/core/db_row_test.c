/* The store helper layer: parameter tables bind by position (NULL for unset optional values),
 * column tables map rows into struct fields, lists grow and stop at a limit, walks stop early. */
#include <stdlib.h>

#include "core/db.h"
#include "core/db_row.h"
#include "test.h"

struct thing {
    int64_t id;
    char name[8];
    double weight;
    bool active;
    int rank;
    char *note;
};

struct thing_list {
    struct thing *items;
    size_t len, cap;
};

static const struct db_column thing_cols[] = {
    DB_COL(INT64, struct thing, id),      DB_COL(CHARS, struct thing, name),
    DB_COL(DOUBLE, struct thing, weight), DB_COL(BOOL, struct thing, active),
    DB_COL(INT, struct thing, rank),      DB_COL(STRDUP, struct thing, note),
};
static const struct db_row_map thing_map = DB_ROW_MAP(struct thing, thing_cols);

static const char insert_sql[] = "INSERT INTO t(id, name, weight, active, rank, note) "
                                 "VALUES(?,?,?,?,?,?)";
static const char select_sql[] = "SELECT id, name, weight, active, rank, note FROM t "
                                 "WHERE id > ?1 ORDER BY id LIMIT ?2";

static struct db *open_table(void)
{
    struct db *db;
    struct app_error err = {0};
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_exec(db,
                      "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, weight REAL, "
                      "active INTEGER, rank INTEGER, note TEXT)",
                      &err),
              0);
    return db;
}

static void insert(struct db *db, int64_t id, const char *name, const char *note)
{
    struct app_error err = {0};
    CHECK_INT(db_run(db, insert_sql,
                     DB_PARAMS(DB_INT(id), DB_TEXT(name), DB_DOUBLE(id * 1.5), DB_INT(id % 2),
                               DB_INT(-id), DB_TEXT_OPT(note)),
                     &err),
              0);
}

TEST(get_maps_every_column_type)
{
    struct db *db = open_table();
    struct app_error err = {0};
    insert(db, 3, "三号-long-name", "备注");
    struct thing t;
    bool found = false;
    CHECK_INT(db_get(db, select_sql, DB_PARAMS(DB_INT(0), DB_INT(1)), &thing_map, &t, &found, &err),
              0);
    CHECK(found);
    CHECK_INT(t.id, 3);
    /* char[8]: truncated to fit, terminated. */
    CHECK_INT(strlen(t.name), 7);
    CHECK_NEAR(t.weight, 4.5, 1e-12);
    CHECK(t.active);
    CHECK_INT(t.rank, -3);
    CHECK_STR(t.note, "备注");
    free(t.note);
    db_close(db);
}

TEST(null_values_bind_and_map_as_empty)
{
    struct db *db = open_table();
    struct app_error err = {0};
    insert(db, 2, NULL, "");
    struct thing t;
    bool found = false;
    CHECK_INT(db_get(db, select_sql, DB_PARAMS(DB_INT(0), DB_INT(5)), &thing_map, &t, &found, &err),
              0);
    CHECK(found);
    CHECK_STR(t.name, "");
    CHECK(t.note == NULL); /* "" bound through DB_TEXT_OPT is NULL, and NULL maps to NULL */
    struct thing n;
    CHECK_INT(db_get(db, "SELECT count(*) FROM t WHERE name IS NULL AND note IS NULL", DB_NO_PARAMS,
                     &thing_map, &n, NULL, &err),
              0);
    CHECK_INT(n.id, 1);
    /* An unset optional integer binds NULL: no row has id NULL. */
    CHECK_INT(db_get(db, "SELECT count(*) FROM t WHERE id = ?", DB_PARAMS(DB_INT_OPT(0)),
                     &thing_map, &n, NULL, &err),
              0);
    CHECK_INT(n.id, 0);
    db_close(db);
}

TEST(get_without_row_is_not_an_error)
{
    struct db *db = open_table();
    struct app_error err = {0};
    struct thing t;
    t.id = 99;
    bool found = true;
    CHECK_INT(db_get(db, select_sql, DB_PARAMS(DB_INT(0), DB_INT(1)), &thing_map, &t, &found, &err),
              0);
    CHECK(!found);
    CHECK_INT(t.id, 0);
    db_close(db);
}

TEST(list_grows_and_reports_more)
{
    struct db *db = open_table();
    struct app_error err = {0};
    for (int i = 1; i <= 40; i++)
        insert(db, i, "n", NULL);
    struct thing_list l = {0};
    bool more = false;
    CHECK_INT(db_list(db, select_sql, DB_PARAMS(DB_INT(0), DB_INT(31)), &thing_map, DB_LIST(&l), 30,
                      &more, &err),
              0);
    CHECK_INT(l.len, 30);
    CHECK(more);
    CHECK_INT(l.items[0].id, 1);
    CHECK_INT(l.items[29].id, 30);
    CHECK_INT(l.items[29].rank, -30);
    /* The next page appends after what is there; the last one has no more. */
    CHECK_INT(db_list(db, select_sql, DB_PARAMS(DB_INT(30), DB_INT(31)), &thing_map, DB_LIST(&l),
                      -1, &more, &err),
              0);
    CHECK_INT(l.len, 40);
    CHECK(!more);
    CHECK_INT(l.items[39].id, 40);
    free(l.items);
    db_close(db);
}

static int stop_at_three(void *ctx, void *row)
{
    int *seen = ctx;
    const struct thing *t = row;
    (*seen)++;
    return t->id == 3 ? 7 : 0;
}

TEST(each_stops_when_told)
{
    struct db *db = open_table();
    struct app_error err = {0};
    for (int i = 1; i <= 5; i++)
        insert(db, i, "n", NULL);
    int seen = 0;
    struct thing row;
    CHECK_INT(db_each(db, select_sql, DB_PARAMS(DB_INT(0), DB_INT(10)), &thing_map, &row,
                      stop_at_three, &seen, &err),
              7);
    CHECK_INT(seen, 3);
    /* The statement was reset: the same SQL runs again from the start. */
    seen = 0;
    CHECK_INT(db_each(db, select_sql, DB_PARAMS(DB_INT(3), DB_INT(10)), &thing_map, &row,
                      stop_at_three, &seen, &err),
              0);
    CHECK_INT(seen, 2);
    db_close(db);
}

TEST(errors_map_to_codes)
{
    struct db *db = open_table();
    struct app_error err = {0};
    insert(db, 1, "a", NULL);
    /* The same primary key again: a constraint, reported as a conflict. */
    CHECK_INT(
        db_run(db, insert_sql,
               DB_PARAMS(DB_INT(1), DB_TEXT("b"), DB_DOUBLE(0), DB_INT(0), DB_INT(0), DB_NULL),
               &err),
        -1);
    CHECK_INT(err.code, APP_ERR_CONFLICT);
    struct app_error err2 = {0};
    CHECK_INT(db_run(db, "SELECT nope FROM missing", DB_NO_PARAMS, &err2), -1);
    CHECK_INT(err2.code, APP_ERR_INTERNAL);
    db_close(db);
}

TEST(run_changes_counts_rows)
{
    struct db *db = open_table();
    struct app_error err = {0};
    for (int i = 1; i <= 4; i++)
        insert(db, i, "n", NULL);
    int64_t n = -1;
    CHECK_INT(db_run_changes(db, "UPDATE t SET rank = 0 WHERE id > ?", DB_PARAMS(DB_INT(1)), &n,
                             &err),
              0);
    CHECK_INT(n, 3);
    /* A statement that meets its key or matches nothing changes nothing. */
    CHECK_INT(db_run_changes(db, "INSERT OR IGNORE INTO t(id) VALUES(?)", DB_PARAMS(DB_INT(2)), &n,
                             &err),
              0);
    CHECK_INT(n, 0);
    CHECK_INT(db_run_changes(db, "DELETE FROM t WHERE id = ?", DB_PARAMS(DB_INT(9)), &n, &err), 0);
    CHECK_INT(n, 0);
    CHECK_INT(db_run_changes(db, "DELETE FROM t WHERE id <= ?", DB_PARAMS(DB_INT(2)), &n, &err), 0);
    CHECK_INT(n, 2);
    db_close(db);
}

TEST(text_ref_binds_like_text)
{
    struct db *db = open_table();
    struct app_error err = {0};
    char name[8] = "借用";
    CHECK_INT(db_run(db, insert_sql,
                     DB_PARAMS(DB_INT(5), DB_TEXT_REF(name), DB_DOUBLE(1), DB_INT(1), DB_INT(1),
                               DB_TEXT_REF(NULL)),
                     &err),
              0);
    /* The caller's buffer changes after the call: the row keeps what was bound. */
    name[0] = 'x';
    struct thing t;
    bool found = false;
    CHECK_INT(db_get(db, select_sql, DB_PARAMS(DB_INT(0), DB_INT(1)), &thing_map, &t, &found, &err),
              0);
    CHECK(found);
    CHECK_STR(t.name, "借用");
    CHECK(t.note == NULL);
    db_close(db);
}

TEST_SUITE({"get_maps_every_column_type", get_maps_every_column_type},
           {"null_values_bind_and_map_as_empty", null_values_bind_and_map_as_empty},
           {"get_without_row_is_not_an_error", get_without_row_is_not_an_error},
           {"list_grows_and_reports_more", list_grows_and_reports_more},
           {"each_stops_when_told", each_stops_when_told},
           {"errors_map_to_codes", errors_map_to_codes},
           {"run_changes_counts_rows", run_changes_counts_rows},
           {"text_ref_binds_like_text", text_ref_binds_like_text});
