/* Routes of the browser apps: the embedded static files and the poster QR code. */
#ifndef WEB_WEB_API_H
#define WEB_WEB_API_H

#include "http/http.h"

/* GET /, /center/, /grid/, /report/, /poster/, /login/ and /static/... (the embedded files),
 * and GET /api/v1/regions/{code}/qr.svg. All public. Terminated by {NULL}. */
extern const struct http_route web_routes[];

#endif
