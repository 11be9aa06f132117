/* Migrations: applied once in order inside a transaction, idempotent, version recorded. */
#include <stdlib.h>

#include "core/db.h"
#include "core/embed.h"
#include "test.h"

static int last_version(void)
{
    int v = 0, n = 0;
    for (const struct embed_file *f = embed_migrations; f->name; f++, n++) {
        const char *base = strrchr(f->name, '/');
        v = atoi(base ? base + 1 : f->name);
    }
    return n ? v : 0;
}

TEST(migrate_twice_is_idempotent)
{
    struct db *db;
    struct app_error err = {0};
    int applied = -1;
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_schema_version(db), 0);
    CHECK_INT(db_migrate(db, &applied, &err), 0);
    CHECK(applied > 0);
    CHECK(last_version() > 0);
    CHECK_INT(db_schema_version(db), last_version());
    CHECK_INT(db_migrate(db, &applied, &err), 0);
    CHECK_INT(applied, 0);
    CHECK_INT(db_schema_version(db), last_version());
    /* The org tables exist and take rows. */
    CHECK_INT(db_exec(db,
                      "INSERT INTO regions(code, name, level) VALUES('500000', '重庆市', 'city')",
                      &err),
              0);
    db_close(db);
}

TEST(transactions_roll_back)
{
    struct db *db;
    struct app_error err = {0};
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_migrate(db, NULL, &err), 0);
    CHECK_INT(db_begin(db, &err), 0);
    CHECK_INT(db_exec(db, "INSERT INTO regions(code, name, level) VALUES('1', 'x', 'city')", &err),
              0);
    db_rollback(db);
    /* After the rollback the same row inserts again without a conflict. */
    CHECK_INT(db_exec(db, "INSERT INTO regions(code, name, level) VALUES('1', 'x', 'city')", &err),
              0);
    CHECK_INT(db_exec(db, "INSERT INTO regions(code, name, level) VALUES('1', 'x', 'city')", &err),
              -1);
    CHECK_INT(
        db_exec(db, "INSERT INTO regions(code, name, level) VALUES('2', 'x', 'planet')", &err), -1);
    db_close(db);
}

TEST_SUITE({"migrate_twice_is_idempotent", migrate_twice_is_idempotent},
           {"transactions_roll_back", transactions_roll_back});
