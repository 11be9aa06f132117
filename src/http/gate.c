/* The gate every request passes before its handler. Until accounts exist (issue 3) it admits
 * every caller as anonymous and only adds the CORS headers configured. */
#include <string.h>

#include "http/internal.h"

int http_gate(struct http_request *req, struct http_response *resp)
{
    (void)resp;
    req->who = NULL;
    return 0;
}

void http_add_common_headers(struct http_request *req, struct http_response *resp)
{
    const char *allowed = req->app->cfg.cors_origin;
    const char *origin = http_header(req, "Origin");
    if (allowed && *allowed && origin && strcmp(origin, allowed) == 0) {
        http_set_header(resp, "Access-Control-Allow-Origin", allowed);
        http_set_header(resp, "Vary", "Origin");
    }
}
