/* The router: matches a method and path against the joined route tables of all modules. */
#ifndef HTTP_ROUTER_H
#define HTTP_ROUTER_H

#include <stdbool.h>

#include "http/http.h"

/* A module's routes end with {NULL}. The list of tables ends with NULL. */
extern const struct http_route *const http_route_tables[];

enum router_result { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_METHOD };

/* Match; on ROUTER_FOUND fills req->route and the path parameters (owned by req, freed by
 * router_release). On ROUTER_BAD_METHOD allow gets the allowed methods ("GET, POST"). */
enum router_result router_match(const struct http_route *const *tables, const char *method,
                                const char *path, struct http_request *req, char *allow,
                                size_t allow_len);
void router_release(struct http_request *req);

/* Does `pattern` match `path`? Fills captured params when req is non-NULL. Exposed for tests. */
bool router_match_pattern(const char *pattern, const char *path, struct http_request *req);

#endif
