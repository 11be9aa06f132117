/* The tamper-evident audit log: every change appends one row to an append-only table whose rows
 * are hash-chained (SHA-256 over the previous row's hash and this row's canonical content), so
 * editing, inserting or deleting a row outside the program breaks the chain (audit_verify). */
#ifndef AUDIT_AUDIT_H
#define AUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/db.h"
#include "core/error.h"

struct audit_entry {
    const struct auth_principal *actor; /* NULL = anonymous or system */
    const char *action;
    const char *object_type;
    const char *object_id;
    const char *request_id; /* may be NULL */
    const char *before;
    const char *after;  /* canonical text of the object before/after the change, NULL when none;
                           only their SHA-256 digests are stored */
    const char *region; /* region code (any level) the object belongs to, NULL or "" when it has
                           none; decides which auditors may read the row (audit_visible) */
};

/* Append one hash-chained row for e (time = clock_now). Call it inside the same transaction as
 * the change it records, so the change and its record commit or roll back together. Returns 0,
 * or -1 with APP_ERR_INVALID (missing action/object_type) or a database error. */
int audit_append(struct db *db, const struct audit_entry *e, struct app_error *err);

/* One stored row of the log. */
struct audit_record {
    int64_t id;
    int64_t at;       /* Unix seconds */
    int64_t actor_id; /* 0 = anonymous or system */
    char actor_name[64];
    char actor_role[16];
    char action[64];
    char object_type[32];
    char object_id[96];
    char request_id[32];
    char before_digest[65]; /* hex SHA-256, "" when none */
    char after_digest[65];
    char prev_hash[65];
    char hash[65];
    char region[24]; /* "" when the object has no region */
};

struct audit_list {
    struct audit_record *items;
    size_t len, cap;
};
void audit_list_release(struct audit_list *l);

/* Filters of audit_query; NULL / 0 members do not filter. Newest rows come first. */
struct audit_query {
    const char *object_type;
    const char *object_id;
    const char *actor; /* username */
    int64_t from, to;  /* at >= from, at < to (Unix seconds); 0 = open */
    int64_t before_id; /* cursor: rows with id < before_id; 0 = from the newest */
    long limit;
    const struct auth_principal *viewer; /* NULL: every row (CLI, tests); else only the rows
                                            audit_visible to the viewer */
};

/* May who read row r? The rule, in one place: administrators read every row; an auditor reads
 * the rows whose region lies in their jurisdiction (auth_region_in_scope) and, when their region
 * is the whole district (or city), also the rows without a region (administrators' accounts,
 * the system); nobody else reads the log. Pure. */
bool audit_visible(const struct auth_principal *who, const struct audit_record *r);

/* Rows matching q (and visible to q->viewer), newest first, at most q->limit; *more tells
 * whether older ones follow. */
int audit_query(struct db *db, const struct audit_query *q, struct audit_list *out, bool *more,
                struct app_error *err);

/* The chain hash of r: hex SHA-256 over r->prev_hash and the canonical text of r's content
 * (every column but hash, each written as <length>:<bytes>;; region is appended only when it is
 * not empty, so rows written before regions were recorded keep their hashes). Pure. out gets
 * 65 bytes. */
void audit_row_hash(const struct audit_record *r, char out[65]);

/* Hex SHA-256 of text into out (65 bytes); "" for NULL. Pure. */
void audit_digest(const char *text, char out[65]);

/* Walk the whole chain. Returns 0 when intact, 1 when broken (then *broken_id is the first row
 * that fails — edited, inserted, or following a deleted row — or the last id + 1 when the tail
 * was cut, and why gets a short reason), -1 on a database error. *rows gets the row count. */
int audit_verify(struct db *db, int64_t *rows, int64_t *broken_id, char *why, size_t why_len,
                 struct app_error *err);

#endif
