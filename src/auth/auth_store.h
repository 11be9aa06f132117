/* Storage of the auth module: the only place the SQL of users, sessions and login failures
 * lives. Same conventions as auth.h. */
#ifndef AUTH_AUTH_STORE_H
#define AUTH_AUTH_STORE_H

#include "auth/auth.h"

/* Insert u (u->p.user_id ignored) with password hash; *id gets the new id.
 * APP_ERR_CONFLICT "username_taken". */
int auth_store_user_insert(struct db *db, const struct auth_user *u, const char *hash, int64_t *id,
                           struct app_error *err);
/* One user by name; hash (may be NULL) gets the password hash. APP_ERR_NOT_FOUND. */
int auth_store_user_get(struct db *db, const char *username, struct auth_user *out, char *hash,
                        size_t hash_len, struct app_error *err);
int auth_store_user_get_id(struct db *db, int64_t id, struct auth_user *out, char *hash,
                           size_t hash_len, struct app_error *err);
/* Rewrite every field of u (by id); hash NULL keeps the password. */
int auth_store_user_update(struct db *db, const struct auth_user *u, const char *hash,
                           struct app_error *err);
int auth_store_user_list(struct db *db, const char *after, long limit, struct auth_user_list *out,
                         bool *more, struct app_error *err);
int auth_store_user_count(struct db *db, int64_t *n, struct app_error *err);

int auth_store_session_insert(struct db *db, const char *token_hash, int64_t user_id, int64_t now,
                              int64_t expires_at, struct app_error *err);
/* APP_ERR_NOT_FOUND when there is no such session. */
int auth_store_session_get(struct db *db, const char *token_hash, int64_t *user_id,
                           int64_t *last_seen, int64_t *expires_at, struct app_error *err);
int auth_store_session_touch(struct db *db, const char *token_hash, int64_t now,
                             struct app_error *err);
int auth_store_session_delete(struct db *db, const char *token_hash, struct app_error *err);
/* Delete every session of user_id except keep_hash (NULL = all). */
int auth_store_session_delete_user(struct db *db, int64_t user_id, const char *keep_hash,
                                   struct app_error *err);

/* Failure state of key; *found false (and f zeroed) when none. */
int auth_store_failure_get(struct db *db, const char *key, struct auth_failure *f, bool *found,
                           struct app_error *err);
int auth_store_failure_put(struct db *db, const char *key, const struct auth_failure *f,
                           struct app_error *err);
int auth_store_failure_clear(struct db *db, const char *key, struct app_error *err);

#endif
