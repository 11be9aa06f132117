/* HTTP face of the event module: its route table (events, actions, attachments, categories,
 * the live stream and the residents' public report endpoints). */
#ifndef EVENT_EVENT_API_H
#define EVENT_EVENT_API_H

#include "event/event.h"
#include "http/http.h"

extern const struct http_route event_routes[];

/* The JSON object of an event as who sees it (reporter phone masked unless who may see
 * personal data). The caller owns the reference. */
json_t *event_api_json(const struct auth_principal *who, const struct event *e);

/* The live-update publisher src/modules.c installs with event_set_publisher: sse_publish on the
 * "event" stream. */
void event_api_publish(const char *scope, const char *json_text);

#endif
