/* All SQL of the event module, behind plain-C functions: categories, routes, events and the
 * full-text index, code serials (event_store.c), the history (history_store.c), attachments,
 * residents' intake and idempotency keys (intake_store.c). Used only by src/event/. */
#ifndef EVENT_EVENT_STORE_H
#define EVENT_EVENT_STORE_H

#include "event/event.h"

/* Which events a caller may see, as SQL filters: a region prefix on the grid code and/or a
 * department; both NULL = everything (admin, system). */
struct event_store_scope {
    const char *region_prefix;
    const char *department;
    bool nothing; /* the caller sees no events at all */
};

int event_store_category_get(struct db *db, const char *code, struct event_category *out,
                             struct app_error *err);
int event_store_category_list(struct db *db, struct event_category_list *out,
                              struct app_error *err);
int event_store_category_upsert(struct db *db, const struct event_category *c,
                                struct app_error *err);
int event_store_category_count(struct db *db, long *out, struct app_error *err);

/* Routing: the post/department of the most specific route for category (or '*') whose region
 * contains grid. Returns 1 when found, 0 when none, -1 on error. */
int event_store_route_find(struct db *db, const char *category, const char *grid, char *post,
                           size_t post_n, char *department, size_t dept_n,
                           struct app_error *err);
int event_store_route_put(struct db *db, const char *category, const char *region,
                          const char *post, const char *department, struct app_error *err);

/* Routing rows whose region starts with prefix (NULL = all). */
int event_store_route_list(struct db *db, const char *prefix, struct event_route_list *out,
                           struct app_error *err);
/* Does a board post with this code exist? 1 yes, 0 no, -1 error. */
int event_store_post_exists(struct db *db, const char *code, struct app_error *err);

/* Next serial for a code prefix ("500103-20261129"), starting at 1. Inside a transaction. */
int event_store_next_serial(struct db *db, const char *prefix, int *serial,
                            struct app_error *err);

int event_store_insert(struct db *db, struct event *e, struct app_error *err);
/* Write every mutable field of e (by id). */
int event_store_update(struct db *db, const struct event *e, struct app_error *err);
/* By code or tracking number. APP_ERR_NOT_FOUND when missing. */
int event_store_get(struct db *db, const char *code, struct event *out, struct app_error *err);
int event_store_get_by_tracking(struct db *db, const char *tracking, struct event *out,
                                struct app_error *err);
/* 待我处理 as SQL: the state tokens ("," separated, a handling event with a pending extension
 * is "handling+") whose step is the caller's, and the extra conditions of the caller's party. */
struct event_store_turn {
    const char *states; /* NULL = no turn filter */
    const char *post;   /* board post: only its own events */
    int max_level;      /* center: events at or below this level rank (street 0 .. city 2) */
};
/* One page: before_id for the newest-first order, offset for the others. */
int event_store_list(struct db *db, const struct event_query *q,
                     const struct event_store_scope *scope, const struct event_store_turn *turn,
                     int64_t before_id, long offset, struct event_list *out, struct app_error *err);
/* Open events of category inside the box, for duplicate search. */
int event_store_nearby(struct db *db, const char *category, double min_lon, double min_lat,
                       double max_lon, double max_lat, struct event_list *out,
                       struct app_error *err);
/* Non-final events whose warn_at or due_at has passed at now without their colour yet. */
int event_store_due(struct db *db, int64_t now, struct event_list *out, struct app_error *err);

int event_store_history_insert(struct db *db, int64_t event_id,
                               const struct event_history_item *h, struct app_error *err);
/* History of the event with id and of the events merged into code, oldest first. */
int event_store_history_list(struct db *db, int64_t event_id, const char *code,
                             struct event_history *out, struct app_error *err);
int event_store_history_scan(struct db *db, int64_t from, int64_t to,
                             int (*cb)(void *ctx, const struct event *e,
                                       const struct event_history_item *h),
                             void *ctx, struct app_error *err);

/* Attachments: metadata rows and links to events. */
int event_store_attachment_put(struct db *db, const char *sha, const char *mime, long size,
                               const char *by, int64_t at, struct app_error *err);
/* 1 with mime/uploader filled when known, 0 when unknown, -1 on error. */
int event_store_attachment_get(struct db *db, const char *sha, char *mime, size_t mime_n,
                               char *by, size_t by_n, struct app_error *err);
/* 1 when username uploaded sha (any of its uploads), 0 when not, -1 on error. */
int event_store_attachment_uploaded_by(struct db *db, const char *sha, const char *username,
                                       struct app_error *err);
int event_store_attachment_link(struct db *db, const char *sha, int64_t event_id,
                                struct app_error *err);
/* Ids of the events sha is attached to (at most n); *count gets how many were written. */
int event_store_attachment_events(struct db *db, const char *sha, int64_t *ids, size_t n,
                                  size_t *count, struct app_error *err);
int event_store_get_by_id(struct db *db, int64_t id, struct event *out, struct app_error *err);

/* Residents' public intake. Times (unix s) of client's submissions of kind ("report",
 * "photo") after since, newest first, at most max; *n gets how many. */
int event_store_public_times(struct db *db, const char *client, const char *kind, int64_t since,
                             int64_t *times, size_t max, size_t *n, struct app_error *err);
/* Record one submission at `at`, forgetting every submission before forget_before. */
int event_store_public_record(struct db *db, const char *client, const char *kind, int64_t at,
                              int64_t forget_before, struct app_error *err);
/* A public photo upload: token → sha, unused. */
int event_store_public_photo_put(struct db *db, const char *token, const char *sha,
                                 const char *client, int64_t at, struct app_error *err);
/* The sha of an unused photo token created at or after since: 1 with sha filled, 0 when
 * unknown, used or expired, -1 on error. */
int event_store_public_photo_find(struct db *db, const char *token, int64_t since, char *sha,
                                  size_t sha_n, struct app_error *err);
/* Mark an unused token as used by event_id: 1 done, 0 when it was already used, -1 error. */
int event_store_public_photo_use(struct db *db, const char *token, int64_t event_id,
                                 struct app_error *err);

/* Unused photo tokens created before `before`, oldest first, at most max. */
int event_store_public_photo_expired(struct db *db, int64_t before, char (*tokens)[40],
                                     char (*shas)[EVENT_SHA_SIZE], size_t max, size_t *n,
                                     struct app_error *err);
/* Delete an unused token; then delete its attachment row when nothing else uses the file (no
 * event link, no other token, not uploaded by staff): 1 when the file is now unreferenced, 0
 * when it is still used, -1 on error. */
int event_store_public_photo_drop(struct db *db, const char *token, const char *sha,
                                  struct app_error *err);

/* Reserve (scope, key) at now after dropping rows older than expire_before: 0 = reserved (go
 * ahead; also when a reservation older than stale_before is taken over), 1 = known, with
 * *status (0 = still in progress) and *body (caller frees) of the first answer; -1 on error. */
int event_store_idem_reserve(struct db *db, const char *scope, const char *key, int64_t now,
                             int64_t expire_before, int64_t stale_before, int *status, char **body,
                             struct app_error *err);
/* Store the answer of a reserved key, or with body NULL forget the reservation. */
int event_store_idem_finish(struct db *db, const char *scope, const char *key, int status,
                            const char *body, struct app_error *err);

/* The newest open event (not closed, revisited, voided or merged) linked to (link_type,
 * link_id) with category: 1 with code filled, 0 when none, -1 on error. */
int event_store_open_link_event(struct db *db, const char *link_type, const char *link_id,
                                const char *category, char *code, size_t n, struct app_error *err);

/* Is the database connection inside a transaction? (event_store.c) */
bool event_store_in_tx(struct db *db);
/* Department name for a code ("" when unknown). */
int event_store_department_name(struct db *db, const char *code, char *out, size_t n,
                                struct app_error *err);

#endif
