/* SQLite connections, the statement cache, transactions, migrations and online backup. */
#include "core/db.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/log.h"
#include "core/xalloc.h"

struct cached_stmt {
    const char *sql;
    sqlite3_stmt *stmt;
};

struct db {
    sqlite3 *conn;
    struct cached_stmt *cache;
    size_t ncache, capcache;
};

int db_fail(struct db *db, struct app_error *err)
{
    int rc = sqlite3_extended_errcode(db->conn);
    const char *msg = sqlite3_errmsg(db->conn);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return app_fail(err, APP_ERR_CONFLICT, "constraint", NULL, "%s", msg);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return app_fail(err, APP_ERR_UNAVAILABLE, "database_busy", NULL, "database busy");
    /* A full disk is the operator's to fix, not a bug: the statement's transaction is rolled
     * back whole, and writes resume once space returns (docs/reliability.md, disk-full drill). */
    if ((rc & 0xff) == SQLITE_FULL ||
        ((rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno(db->conn) == ENOSPC)) {
        log_error("sqlite: %s (%d): the data directory's disk is full", msg, rc);
        return app_fail(err, APP_ERR_UNAVAILABLE, "disk_full", NULL,
                        "存储空间已满，暂时无法保存，请稍后重试");
    }
    log_error("sqlite: %s (%d)", msg, rc);
    return app_fail(err, APP_ERR_INTERNAL, "database", NULL, "database error");
}

int db_exec(struct db *db, const char *sql, struct app_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("sqlite exec: %s", msg ? msg : "?");
        app_fail(err, APP_ERR_INTERNAL, "database", NULL, "database error: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int db_open(const char *path, long busy_timeout_ms, struct db **out, struct app_error *err)
{
    sqlite3 *conn = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &conn, flags, NULL) != SQLITE_OK) {
        app_fail(err, APP_ERR_UNAVAILABLE, "database_open", "data_dir", "cannot open %s: %s",
                 path, conn ? sqlite3_errmsg(conn) : "out of memory");
        sqlite3_close(conn);
        return -1;
    }
    struct db *db = xcalloc(1, sizeof(*db));
    db->conn = conn;
    sqlite3_busy_timeout(conn, (int)busy_timeout_ms);
    sqlite3_extended_result_codes(conn, 1);
    if (db_exec(db,
                "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
                err)) {
        db_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->ncache; i++)
        sqlite3_finalize(db->cache[i].stmt);
    free(db->cache);
    sqlite3_close(db->conn);
    free(db);
}

struct sqlite3 *db_sqlite(struct db *db)
{
    return db->conn;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct app_error *err)
{
    for (size_t i = 0; i < db->ncache; i++)
        if (db->cache[i].sql == sql) {
            sqlite3_reset(db->cache[i].stmt);
            sqlite3_clear_bindings(db->cache[i].stmt);
            return db->cache[i].stmt;
        }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
        SQLITE_OK) {
        log_error("sqlite prepare: %s in: %.200s", sqlite3_errmsg(db->conn), sql);
        app_fail(err, APP_ERR_INTERNAL, "database", NULL, "database error");
        return NULL;
    }
    if (db->ncache == db->capcache) {
        db->capcache = db->capcache ? db->capcache * 2 : 32;
        db->cache = xrealloc(db->cache, db->capcache * sizeof(*db->cache));
    }
    db->cache[db->ncache++] = (struct cached_stmt){sql, st};
    return st;
}

int db_begin(struct db *db, struct app_error *err)
{
    return sqlite3_exec(db->conn, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK
               ? 0
               : db_fail(db, err);
}

int db_commit(struct db *db, struct app_error *err)
{
    if (sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    db_fail(db, err);
    db_rollback(db);
    return -1;
}

bool db_in_transaction(struct db *db)
{
    return !sqlite3_get_autocommit(db->conn);
}

void db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->conn))
        sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

static int migration_version(const char *name)
{
    const char *base = strrchr(name, '/');
    return atoi(base ? base + 1 : name);
}

int db_schema_version(struct db *db)
{
    sqlite3_stmt *st;
    int v = 0;
    if (sqlite3_prepare_v2(db->conn, "SELECT max(version) FROM schema_migrations", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static bool migration_applied(struct db *db, int version)
{
    sqlite3_stmt *st;
    bool found = false;
    if (sqlite3_prepare_v2(db->conn, "SELECT 1 FROM schema_migrations WHERE version = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int(st, 1, version);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

int db_migrate(struct db *db, int *applied, struct app_error *err)
{
    int n = 0;
    if (db_exec(db,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
                "(strftime('%Y-%m-%dT%H:%M:%SZ','now')))",
                err))
        return -1;
    if (db_begin(db, err))
        return -1;
    /* Apply every migration not yet recorded, not only those above the highest: modules number
     * their migrations in their own ranges, so a lower number can arrive after a higher one. */
    for (const struct embed_file *m = embed_migrations; m->name; m++) {
        int v = migration_version(m->name);
        if (migration_applied(db, v))
            continue;
        char *msg = NULL;
        if (sqlite3_exec(db->conn, m->data, NULL, NULL, &msg) != SQLITE_OK) {
            app_fail(err, APP_ERR_INTERNAL, "migration_failed", NULL, "migration %s: %s",
                     m->name, msg ? msg : "?");
            sqlite3_free(msg);
            db_rollback(db);
            return -1;
        }
        sqlite3_stmt *st;
        sqlite3_prepare_v2(db->conn, "INSERT INTO schema_migrations(version, name) VALUES(?,?)",
                           -1, &st, NULL);
        sqlite3_bind_int(st, 1, v);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            db_fail(db, err);
            db_rollback(db);
            return -1;
        }
        n++;
    }
    if (db_commit(db, err))
        return -1;
    if (applied)
        *applied = n;
    return 0;
}

int db_backup(struct db *db, const char *path, struct app_error *err)
{
    sqlite3 *dest = NULL;
    int ret = -1;
    if (sqlite3_open(path, &dest) != SQLITE_OK) {
        app_fail(err, APP_ERR_UNAVAILABLE, "backup_open", "file", "cannot open %s", path);
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", db->conn, "main");
    if (!b) {
        app_fail(err, APP_ERR_INTERNAL, "backup", "file", "backup: %s", sqlite3_errmsg(dest));
        goto out;
    }
    int rc;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        app_fail(err, APP_ERR_INTERNAL, "backup", "file", "backup: %s", sqlite3_errstr(rc));
        goto out;
    }
    ret = 0;
out:
    sqlite3_close(dest);
    return ret;
}

const char *db_engine_version(void)
{
    return sqlite3_libversion();
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void db_copy_text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

char *db_dup_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return xstrdup(t ? (const char *)t : "");
}

int db_step_done(struct db *db, sqlite3_stmt *st, struct app_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, err);
}
