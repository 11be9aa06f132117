/* The HTTP server: libmicrohttpd with its internal thread pool, the auth gate, the router,
 * security headers, request ids, the access log and graceful shutdown. */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include "core/app.h"

struct server;

/* Start listening on app->cfg.listen. The caller stops with server_stop. */
int server_start(struct app *app, struct server **out, struct app_error *err);
/* The bound port (useful with port 0). */
unsigned server_port(const struct server *s);
/* Stop accepting, let in-flight requests finish (up to grace_ms), then stop and free. */
void server_stop(struct server *s, int grace_ms);

#endif
