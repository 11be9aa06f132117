/* The first look at a new connection: zhizhi accepts connections itself and hands one to
 * libmicrohttpd only once its first bytes can begin an HTTP/1.x request line. libmicrohttpd
 * 0.9.75 closes (or keeps waiting on) a connection whose request line is binary garbage without
 * a word; here such a client gets "HTTP/1.1 400" and the connection closes (issue 11, #8). */
#ifndef HTTP_ACCEPT_H
#define HTTP_ACCEPT_H

#include <stddef.h>
#include <sys/socket.h>

#include "core/error.h"

struct MHD_Daemon;
struct http_acceptor;

enum http_line_verdict {
    HTTP_LINE_MORE = 0, /* a valid prefix: wait for more bytes */
    HTTP_LINE_GOOD,     /* a complete request line (or a long valid prefix): hand it over */
    HTTP_LINE_BAD,      /* cannot be the start of an HTTP/1.x request */
};

/* Judge the first n bytes of a connection (pure): optional empty lines (RFC 9112 §2.2), then a
 * method token, one space, a target of visible bytes (bytes >= 0x80 allowed: the application
 * answers non-UTF-8 paths itself), one space, "HTTP/1.<digit>", CRLF or LF. */
enum http_line_verdict http_request_line_check(const char *p, size_t n);

/* Bind and listen on sa (errors: APP_ERR_UNAVAILABLE "listen_failed" naming field listen), for
 * http_acceptor_run to serve. *port gets the bound port. */
int http_acceptor_bind(const struct sockaddr *sa, socklen_t len, struct http_acceptor **out,
                       unsigned *port, struct app_error *err);
/* Start the accepting thread: connections whose first line passes go to d (a daemon started
 * with MHD_USE_NO_LISTEN_SOCKET); the others get a 400 and are closed; a connection that says
 * nothing for idle_seconds is closed. Returns 0 or -1. */
int http_acceptor_run(struct http_acceptor *a, struct MHD_Daemon *d, long idle_seconds);
/* Stop accepting and close the listening socket and the connections still being looked at. */
void http_acceptor_stop(struct http_acceptor *a);

#endif
