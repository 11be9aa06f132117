/* Storage of the audit log: the only place its SQL lives. */
#ifndef AUDIT_AUDIT_STORE_H
#define AUDIT_AUDIT_STORE_H

#include "audit/audit.h"

/* The last row's id and hash (0 and 64 zeros for an empty log). */
int audit_store_last(struct db *db, int64_t *id, char hash[65], struct app_error *err);
/* The recorded head (last_id, hash); *found false when none was recorded. */
int audit_store_head(struct db *db, bool *found, int64_t *id, char hash[65], struct app_error *err);
/* Insert r with its id and hash already computed, and move the head to it. */
int audit_store_insert(struct db *db, const struct audit_record *r, struct app_error *err);
/* Call each(ctx, r) for every row in id order; a non-zero return stops the walk early. */
int audit_store_scan(struct db *db, int (*each)(void *ctx, const struct audit_record *r), void *ctx,
                     struct app_error *err);
/* Rows matching q's filters (q->viewer is not looked at), newest first. region_prefix (NULL =
 * none) keeps only rows whose region starts with it: a cheap, indexed pre-filter for
 * audit_query, which still applies audit_visible to every row. */
int audit_store_query(struct db *db, const struct audit_query *q, const char *region_prefix,
                      struct audit_list *out, bool *more, struct app_error *err);

#endif
