/* The database handle: one SQLite connection in WAL mode with foreign keys on, a busy timeout,
 * a cache of prepared statements, and the embedded migrations. Every thread uses its own
 * struct db (see app_db). Only *_store.c files reach the sqlite3 handle inside. */
#ifndef CORE_DB_H
#define CORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct db;
struct sqlite3;
struct sqlite3_stmt;

/* Open (creating when missing) the database at path; ":memory:" for tests. Sets WAL, foreign
 * keys, busy timeout. The caller frees with db_close. Returns 0 or -1 (APP_ERR_UNAVAILABLE). */
int db_open(const char *path, long busy_timeout_ms, struct db **out, struct app_error *err);
void db_close(struct db *db);

/* Apply every embedded migration not yet recorded in schema_migrations, in file-name order,
 * all inside one transaction; on failure nothing is applied. *applied (may be NULL) gets the
 * count. */
int db_migrate(struct db *db, int *applied, struct app_error *err);
/* The highest applied migration version (0 for an empty database). */
int db_schema_version(struct db *db);

/* Transactions. db_begin takes the write lock at once (BEGIN IMMEDIATE). */
int db_begin(struct db *db, struct app_error *err);
/* True while a transaction is open on this connection. */
bool db_in_transaction(struct db *db);
int db_commit(struct db *db, struct app_error *err);
void db_rollback(struct db *db);

/* Run SQL text without results (several statements allowed). */
int db_exec(struct db *db, const char *sql, struct app_error *err);

/* A prepared statement for sql, cached per connection by the sql pointer (pass string
 * literals). The statement comes reset with bindings cleared; the caller must not finalize it.
 * Returns NULL with APP_ERR_INTERNAL on a preparation error. */
struct sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct app_error *err);

/* Helpers every *_store.c shares. db_bind_text binds s, or NULL when s is NULL (copied).
 * db_copy_text writes column col as text into dst[n] ("" for NULL, truncated to fit).
 * db_dup_text returns column col as a new string ("" for NULL) that the caller frees. */
void db_bind_text(struct sqlite3_stmt *st, int i, const char *s);
void db_copy_text(char *dst, size_t n, struct sqlite3_stmt *st, int col);
char *db_dup_text(struct sqlite3_stmt *st, int col);

/* Step a statement that returns no rows and reset it: 0 when it ran to SQLITE_DONE, else -1
 * with err filled by db_fail. */
int db_step_done(struct db *db, struct sqlite3_stmt *st, struct app_error *err);

/* The raw connection, for *_store.c only. */
struct sqlite3 *db_sqlite(struct db *db);

/* Fill err from the connection's last error (APP_ERR_CONFLICT for constraint violations,
 * APP_ERR_UNAVAILABLE when busy, APP_ERR_INTERNAL otherwise) and return -1. */
int db_fail(struct db *db, struct app_error *err);

/* Copy the whole database to path with the online backup API while others keep writing. */
int db_backup(struct db *db, const char *path, struct app_error *err);

/* The SQLite library version, e.g. "3.40.1". */
const char *db_engine_version(void);

#endif
