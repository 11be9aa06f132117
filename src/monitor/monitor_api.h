/* HTTP face of the monitor module: its route table and the publisher that hands alerts to the
 * live stream. */
#ifndef MONITOR_MONITOR_API_H
#define MONITOR_MONITOR_API_H

#include "http/http.h"

extern const struct http_route monitor_routes[];

/* Publish a live message on the SSE stream (sse_publish); the monitor module's publisher. */
void monitor_api_publish(const char *type, const char *scope, const char *json);

#endif
