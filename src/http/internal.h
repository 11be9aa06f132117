/* Declarations shared inside src/http/ only. */
#ifndef HTTP_INTERNAL_H
#define HTTP_INTERNAL_H

#include "http/http.h"

/* Resume every stream that waits for data (called when a message is published). */
void http_streams_wake(void);

/* The auth gate, run before every handler: identifies the caller, enforces the route's
 * permission and scope rules. Returns 0 to go on, or -1 having filled resp. */
int http_gate(struct http_request *req, struct http_response *resp);

/* Headers that the gate or others add to every response (e.g. Set-Cookie). */
void http_add_common_headers(struct http_request *req, struct http_response *resp);

#endif
