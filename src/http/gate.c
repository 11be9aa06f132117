/* The gate every request passes before its handler: it identifies the caller from
 * "Authorization: Bearer <token>" or the zhizhi_session cookie, answers 401 for a route that
 * needs a session, 403 for an action the role may not take, and 403 for a cookie-authenticated
 * write whose Origin is not this server (CSRF defence beside SameSite=Strict). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "auth/auth_api.h"
#include "http/internal.h"

/* The principal lives for one request, which runs entirely on one worker thread. */
static _Thread_local struct auth_principal who_storage;

static bool safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* Does the Origin header name this server (scheme://Host) or the configured cors_origin? */
static bool origin_ok(const struct http_request *req)
{
    const char *origin = http_header(req, "Origin");
    const char *host = http_header(req, "Host");
    const char *allowed = req->app->cfg.cors_origin;
    if (!origin)
        return false;
    if (allowed && *allowed && strcmp(origin, allowed) == 0)
        return true;
    const char *sep = strstr(origin, "://");
    return sep && host && strcasecmp(sep + 3, host) == 0;
}

int http_gate(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    bool from_cookie = false, expired = false;
    const char *token = auth_api_token(req, &from_cookie);
    req->who = NULL;
    req->cookie_auth = false;
    if (token) {
        if (auth_session_identify(req->app, req->db, token, &who_storage, NULL, &err) == 0) {
            req->who = &who_storage;
            req->cookie_auth = from_cookie;
        } else if (err.code == APP_ERR_UNAUTHORIZED) {
            expired = true;
            if (from_cookie)
                auth_api_set_cookie(req, resp, "", 0);
        } else {
            http_reply_error(resp, &err);
            return -1;
        }
    }
    const struct http_route *r = req->route;
    bool need_login = !(r->flags & HTTP_PUBLIC) || (r->action && !auth_may(NULL, r->action));
    if (!req->who && need_login) {
        http_set_header(resp, "WWW-Authenticate", "Bearer");
        http_reply_problem(resp, APP_ERR_UNAUTHORIZED, expired ? "session_expired" : "unauthorized",
                           NULL, expired ? "会话已过期，请重新登录" : "请先登录");
        return -1;
    }
    if (r->action && !auth_may(req->who, r->action)) {
        http_reply_problem(resp, APP_ERR_FORBIDDEN, "forbidden", NULL,
                           "当前角色无权进行此操作 (%s)", r->action);
        return -1;
    }
    /* A write that a browser sent from a foreign page says so in Origin: refuse it whoever the
     * caller is, so that no cross-site form logs a victim into the attacker's account (login
     * CSRF) or files anything in their name. Clients outside browsers send no Origin. */
    if (!safe_method(req->method) && http_header(req, "Origin") && !origin_ok(req)) {
        http_reply_problem(resp, APP_ERR_FORBIDDEN, "origin_mismatch", "Origin",
                           "跨站请求被拒绝：Origin 不是本站");
        return -1;
    }
    if (req->cookie_auth && !safe_method(req->method) && !origin_ok(req)) {
        http_reply_problem(resp, APP_ERR_FORBIDDEN, "origin_mismatch", "Origin",
                           "使用 Cookie 会话的写请求须带有本站的 Origin 头");
        return -1;
    }
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
