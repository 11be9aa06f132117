/* Server-Sent Events hub: modules publish messages; each /stream client gets those newer than
 * its last id that its filter accepts. Clients wait suspended, not on a thread. */
#ifndef HTTP_SSE_H
#define HTTP_SSE_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

/* Decide whether a subscriber may see a message; scope is the publisher's scope key
 * (e.g. the region code of the event). */
typedef bool (*sse_filter)(void *filter_state, const char *type, const char *scope);

/* Publish one message of `type` (SSE event name) with JSON text data and a scope key. Copies
 * both. Wakes every waiting client. Safe from any thread. */
void sse_publish(const char *type, const char *scope, const char *json_data);

/* Turn resp into an event stream starting after last_id (0 = only new messages; from the
 * Last-Event-ID header when the client reconnects). The filter state is freed with
 * free_state when the client leaves. */
void sse_reply(struct http_response *resp, struct app *app, uint64_t last_id, sse_filter filter,
               void *filter_state, void (*free_state)(void *));

#endif
