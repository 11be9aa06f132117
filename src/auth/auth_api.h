/* HTTP face of accounts: sessions (login, who am I, logout), password change and the users
 * API, plus the token lookup the gate uses. */
#ifndef AUTH_AUTH_API_H
#define AUTH_AUTH_API_H

#include <jansson.h>

#include "auth/auth.h"
#include "http/http.h"

#define AUTH_COOKIE "zhizhi_session"

extern const struct http_route auth_routes[];

/* The session token of req: "Authorization: Bearer <token>" first, else the zhizhi_session
 * cookie (then *from_cookie is set). NULL when there is none. Borrowed from the request. */
const char *auth_api_token(const struct http_request *req, bool *from_cookie);

/* Set the session cookie to token for max_age seconds ("" and 0 clear it): HttpOnly,
 * SameSite=Strict, and Secure when the cookie_secure setting is on or req->tls. */
void auth_api_set_cookie(const struct http_request *req, struct http_response *resp,
                         const char *token, long max_age);

/* The principal as JSON for the API: username, display_name, role and the scope fields that
 * apply. New reference. */
json_t *auth_api_principal_json(const struct auth_principal *p);

#endif
