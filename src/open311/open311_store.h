/* Storage of the Open311 module: the media_url of reports and the keyed clients' quota rows.
 * The only place the module's SQL lives. */
#ifndef OPEN311_OPEN311_STORE_H
#define OPEN311_OPEN311_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/db.h"
#include "core/error.h"

/* Remember url as the photo link of event code. */
int open311_store_media_put(struct db *db, const char *code, const char *url,
                            struct app_error *err);
/* The photo link of code into out (n bytes), "" when none. */
int open311_store_media_get(struct db *db, const char *code, char *out, size_t n,
                            struct app_error *err);

/* Times of client's posts after `since`, newest first, at most max into times; *n the count. */
int open311_store_posts(struct db *db, const char *client, int64_t since, int64_t *times,
                        size_t max, size_t *n, struct app_error *err);
/* Record a post of client at now and forget its posts at or before `forget`. */
int open311_store_post_add(struct db *db, const char *client, int64_t now, int64_t forget,
                           struct app_error *err);

#endif
