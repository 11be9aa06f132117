/* The HTTP layer's public face for module handlers: the request a handler reads, the response
 * it fills, the route table type, and the helpers every handler uses (JSON in and out,
 * problem+json errors, list paging). Handlers never touch libmicrohttpd directly. */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/app.h"
#include "core/buf.h"
#include "core/error.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_HEADERS 12

struct auth_principal; /* defined by the auth module; NULL for an anonymous caller */

struct http_request {
    struct app *app;
    struct db *db; /* this worker thread's connection */
    const char *method;
    const char *path;
    const char *request_id;
    const char *client_addr; /* the client: the peer, or whom a trusted proxy names */
    bool tls;                /* a trusted proxy says the request came over https */
    const char *body;        /* NUL-terminated; body_len excludes the NUL */
    size_t body_len;
    char param_names[HTTP_MAX_PARAMS][32];
    char *param_values[HTTP_MAX_PARAMS];
    int nparams;
    const struct http_route *route;
    struct auth_principal *who; /* set by the auth gate */
    bool cookie_auth;           /* the session came from a cookie (Origin is checked) */
    void *conn;                 /* libmicrohttpd connection, for headers and query */
};

struct http_header_kv {
    char *name, *value;
};

/* A streaming body (Server-Sent Events): next() appends what is ready to out and returns 0,
 * returns 1 at the end of the stream; it must not block for long. free() releases state. */
struct http_stream {
    int (*next)(void *state, struct buf *out);
    void (*free)(void *state);
    void *state;
};

struct http_response {
    int status;
    char content_type[96];
    struct buf body;
    struct http_header_kv headers[HTTP_MAX_HEADERS];
    int nheaders;
    struct http_stream stream; /* used when stream.next is set */
};

/* A handler fills resp and returns 0 (the value of the http_reply_* helpers), so that error
 * paths read `return http_reply_error(resp, &err);`. */
typedef int (*http_handler)(struct http_request *req, struct http_response *resp);

enum http_route_flags {
    HTTP_PUBLIC = 1 << 0,   /* no session needed */
    HTTP_RAW_BODY = 1 << 1, /* the body is not JSON (CSV, images) */
};

struct http_route {
    const char *method;  /* "GET", "POST", ... */
    const char *pattern; /* "/api/v1/regions/{code}.geojson": {name} captures one segment */
    http_handler fn;
    unsigned flags;
    const char *action; /* permission name checked by the auth gate, NULL when none */
};

/* Path parameter `name` of the matched route, or NULL. */
const char *http_param(const struct http_request *req, const char *name);
/* Query-string argument, or NULL. */
const char *http_query(const struct http_request *req, const char *name);
/* Request header (case-insensitive), or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/* Cookie value, or NULL. */
const char *http_cookie(const struct http_request *req, const char *name);

/* Add a response header; name and value are copied. */
void http_set_header(struct http_response *resp, const char *name, const char *value);

/* The http_reply_* helpers fill resp and return 0. */
/* Reply with JSON; the reference to j is stolen. */
int http_reply_json(struct http_response *resp, int status, json_t *j);
/* Reply with bytes of the given type (copied). */
int http_reply_bytes(struct http_response *resp, int status, const char *content_type,
                     const char *data, size_t len);
/* Reply with an RFC 9457 problem built from err. */
int http_reply_error(struct http_response *resp, const struct app_error *err);
/* Reply with an RFC 9457 problem built from the arguments. */
int http_reply_problem(struct http_response *resp, enum app_error_code code, const char *code_name,
                       const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The HTTP status of an error code. */
int http_status_of(enum app_error_code code);

/* Parse the body as JSON. On malformed JSON: APP_ERR_INVALID, code "malformed_json", message
 * naming line and column. An empty body is malformed too. The caller decrefs *out. */
int http_read_json(const struct http_request *req, json_t **out, struct app_error *err);

/* Read "limit" (default 100, 1..5000) and "cursor" from the query string. */
int http_list_params(const struct http_request *req, long *limit, const char **cursor,
                     struct app_error *err);

/* JSON field helpers that name the field on error. `required` false lets a missing or null
 * member give *out = NULL / leave *out unchanged and return 0. */
int http_json_string(json_t *obj, const char *key, bool required, const char **out,
                     struct app_error *err);
int http_json_int(json_t *obj, const char *key, bool required, int64_t *out, struct app_error *err);
int http_json_number(json_t *obj, const char *key, bool required, double *out,
                     struct app_error *err);

/* The body of a list answer: {"items": items, "next": next or null}. Steals items. */
json_t *http_list_body(json_t *items, const char *next);

/* Parse a finite decimal number from a query argument; APP_ERR_INVALID naming field. */
int http_query_number(const struct http_request *req, const char *name, bool required, double *out,
                      struct app_error *err);

#endif
