/* The tamper-evident audit log: every change appends one row to an append-only table whose rows
 * are hash-chained (SHA-256 over the previous row's hash and this row's canonical content), so
 * editing, inserting or deleting a row outside the program breaks the chain (audit_verify). */
#ifndef AUDIT_AUDIT_H
#define AUDIT_AUDIT_H

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
    const char *after; /* canonical text of the object before/after the change, NULL when none;
                          only their SHA-256 digests are stored */
};

/* Append one hash-chained row for e (time = clock_now). Call it inside the same transaction as
 * the change it records, so the change and its record commit or roll back together. Returns 0,
 * or -1 with APP_ERR_INVALID (missing action/object_type) or a database error. */
int audit_append(struct db *db, const struct audit_entry *e, struct app_error *err);

#endif
