/* Path matching over route tables: literal segments, {name} segments, {name}.suffix, and a
 * final star segment ("/static/" + "*") that captures the rest of the path as parameter "*". */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"

void router_release(struct http_request *req)
{
    for (int i = 0; i < req->nparams; i++)
        free(req->param_values[i]);
    req->nparams = 0;
}

bool router_match_pattern(const char *pattern, const char *path, struct http_request *req)
{
    const char *p = pattern, *s = path;
    int n = 0;
    const char *names[HTTP_MAX_PARAMS];
    const char *vals[HTTP_MAX_PARAMS];
    size_t lens[HTTP_MAX_PARAMS], nlens[HTTP_MAX_PARAMS];
    for (;;) {
        /* A final star after a slash takes whatever is left, slashes included. */
        if (p[0] == '*' && p[1] == '\0' && p > pattern && p[-1] == '/') {
            if (n == HTTP_MAX_PARAMS)
                return false;
            names[n] = p;
            nlens[n] = 1;
            vals[n] = s;
            lens[n] = strlen(s);
            n++;
            p++;
            s += lens[n - 1];
            break;
        }
        if (!*p || !*s)
            break;
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close || n == HTTP_MAX_PARAMS)
                return false;
            /* The capture runs to the end of the segment, minus a literal suffix. */
            const char *pend = close + 1;
            const char *pseg_end = strchr(pend, '/');
            size_t suffix = pseg_end ? (size_t)(pseg_end - pend) : strlen(pend);
            const char *send = strchr(s, '/');
            size_t seglen = send ? (size_t)(send - s) : strlen(s);
            if (seglen <= suffix || memcmp(s + seglen - suffix, pend, suffix) != 0)
                return false;
            names[n] = p + 1;
            nlens[n] = (size_t)(close - p - 1);
            vals[n] = s;
            lens[n] = seglen - suffix;
            n++;
            p = pend + suffix;
            s += seglen;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    if (*p || *s)
        return false;
    if (req) {
        router_release(req);
        for (int i = 0; i < n; i++) {
            snprintf(req->param_names[i], sizeof(req->param_names[i]), "%.*s", (int)nlens[i],
                     names[i]);
            req->param_values[i] = xstrndup(vals[i], lens[i]);
        }
        req->nparams = n;
    }
    return true;
}

enum router_result router_match(const struct http_route *const *tables, const char *method,
                                const char *path, struct http_request *req, char *allow,
                                size_t allow_len)
{
    bool path_seen = false;
    allow[0] = '\0';
    for (size_t t = 0; tables[t]; t++)
        for (const struct http_route *r = tables[t]; r->method; r++) {
            if (!router_match_pattern(r->pattern, path, NULL))
                continue;
            if (strcmp(r->method, method) == 0 ||
                (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
                router_match_pattern(r->pattern, path, req);
                req->route = r;
                return ROUTER_FOUND;
            }
            if (!strstr(allow, r->method)) {
                size_t len = strlen(allow);
                snprintf(allow + len, allow_len - len, "%s%s", len ? ", " : "", r->method);
            }
            path_seen = true;
        }
    /* HEAD is answered wherever GET is (RFC 9110 9.3.2), so Allow names it too. */
    if (path_seen && strstr(allow, "GET") && !strstr(allow, "HEAD")) {
        size_t len = strlen(allow);
        snprintf(allow + len, allow_len - len, ", HEAD");
    }
    return path_seen ? ROUTER_BAD_METHOD : ROUTER_NOT_FOUND;
}
