/* The request-line judge in front of libmicrohttpd: what may begin an HTTP/1.x request, what
 * needs more bytes, and what is refused with 400 (issue 11, #8). */
#include <string.h>

#include "http/accept.h"
#include "test.h"

static enum http_line_verdict v(const char *s)
{
    return http_request_line_check(s, strlen(s));
}

TEST(request_lines)
{
    CHECK_INT(v("GET / HTTP/1.1\r\n"), HTTP_LINE_GOOD);
    CHECK_INT(v("POST /api/v1/sessions HTTP/1.0\n"), HTTP_LINE_GOOD);
    CHECK_INT(v("\r\n\r\nGET / HTTP/1.1\r\nHost: x"), HTTP_LINE_GOOD);
    CHECK_INT(v("BREW /pot HTTP/1.1\r\n"), HTTP_LINE_GOOD); /* 405 is the application's */
    CHECK_INT(v("GET /\xe4\xb8\xad HTTP/1.1\r\n"), HTTP_LINE_GOOD);
    /* prefixes wait */
    CHECK_INT(v(""), HTTP_LINE_MORE);
    CHECK_INT(v("GE"), HTTP_LINE_MORE);
    CHECK_INT(v("GET /api"), HTTP_LINE_MORE);
    CHECK_INT(v("GET / HTT"), HTTP_LINE_MORE);
    CHECK_INT(v("GET / HTTP/1.1\r"), HTTP_LINE_MORE);
    /* garbage is refused */
    CHECK_INT(http_request_line_check("\x00\x01\x02", 3), HTTP_LINE_BAD);
    CHECK_INT(v("\x16\x03\x01\x02"), HTTP_LINE_BAD);
    CHECK_INT(v("GET\r\n"), HTTP_LINE_BAD);
    CHECK_INT(v("GET  / HTTP/1.1\r\n"), HTTP_LINE_BAD);
    CHECK_INT(v("GET / HTTQ/1.1\r\n"), HTTP_LINE_BAD);
    CHECK_INT(v("GET / HTTP/2.0\r\n"), HTTP_LINE_BAD);
    CHECK_INT(v("GET / HTTP/1.1 \r\n"), HTTP_LINE_BAD);
    CHECK_INT(v("GET /\x01 HTTP/1.1\r\n"), HTTP_LINE_BAD);
    CHECK_INT(v("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), HTTP_LINE_BAD);
}

TEST_SUITE({"request_lines", request_lines});
