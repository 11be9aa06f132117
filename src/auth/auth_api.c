/* Thin handlers for sessions, the caller's own password and the users API (administrators). */
#include "auth/auth_api.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"

const char *auth_api_token(const struct http_request *req, bool *from_cookie)
{
    const char *h = http_header(req, "Authorization");
    *from_cookie = false;
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        h += 7;
        while (*h == ' ')
            h++;
        return *h ? h : NULL;
    }
    const char *c = http_cookie(req, AUTH_COOKIE);
    if (c && *c) {
        *from_cookie = true;
        return c;
    }
    return NULL;
}

void auth_api_set_cookie(const struct http_request *req, struct http_response *resp,
                         const char *token, long max_age)
{
    char cookie[200];
    /* Secure when configured, or when a trusted proxy says the browser spoke https to it. */
    bool secure = req->app->cfg.cookie_secure || req->tls;
    snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s",
             AUTH_COOKIE, token, max_age, secure ? "; Secure" : "");
    http_set_header(resp, "Set-Cookie", cookie);
}

static void put(json_t *o, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new(o, key, json_string(value));
}

json_t *auth_api_principal_json(const struct auth_principal *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "username", json_string(p->username));
    json_object_set_new(o, "display_name", json_string(p->display_name));
    json_object_set_new(o, "role", json_string(auth_role_name(p->role)));
    put(o, "level", p->level);
    put(o, "region", p->region);
    put(o, "grid", p->grid);
    put(o, "team_role", p->team_role);
    put(o, "department", p->department);
    put(o, "board", p->board);
    put(o, "post", p->post);
    put(o, "street", p->street);
    return o;
}

static json_t *time_json(int64_t t)
{
    char s[32];
    clock_format_local(t, s, sizeof(s));
    return json_string(s);
}

static json_t *user_json(const struct auth_user *u)
{
    json_t *o = auth_api_principal_json(&u->p);
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    json_object_set_new(o, "created_at", time_json(u->created_at));
    json_object_set_new(o, "updated_at", time_json(u->updated_at));
    return o;
}

static json_t *permissions_json(const struct auth_principal *who)
{
    json_t *a = json_array();
    const char *action;
    for (size_t i = 0; (action = auth_action_at(i)); i++)
        if (auth_may(who, action))
            json_array_append_new(a, json_string(action));
    return a;
}

static int create_session(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *username = NULL, *password = NULL;
    struct auth_login login;
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "username", true, &username, &err) ||
        http_json_string(body, "password", true, &password, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    int rc = auth_login(req->app, req->db, username, password, req->client_addr, req->request_id,
                        &login, &err);
    json_decref(body);
    if (rc) {
        if (err.code == APP_ERR_TOO_MANY) {
            char ra[24];
            snprintf(ra, sizeof(ra), "%lld", (long long)login.retry_after);
            http_set_header(resp, "Retry-After", ra);
        }
        return http_reply_error(resp, &err);
    }
    auth_api_set_cookie(req, resp, login.token, req->app->cfg.session_max);
    json_t *out = json_pack("{s:s,s:o,s:o,s:o}", "token", login.token, "user",
                            auth_api_principal_json(&login.who), "expires",
                            time_json(login.expires), "permissions", permissions_json(&login.who));
    return http_reply_json(resp, 201, out);
}

static int current_session(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    bool from_cookie;
    int64_t expires = 0;
    struct auth_principal p;
    /* The gate identified the caller; ask again for the refreshed expiry. */
    if (auth_session_identify(req->app, req->db, auth_api_token(req, &from_cookie), &p, &expires,
                              &err))
        return http_reply_error(resp, &err);
    json_t *out = json_pack("{s:o,s:o,s:o}", "user", auth_api_principal_json(req->who), "expires",
                            time_json(expires), "permissions", permissions_json(req->who));
    return http_reply_json(resp, 200, out);
}

static int delete_session(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    bool from_cookie;
    if (auth_logout(req->db, req->who, auth_api_token(req, &from_cookie), req->request_id, &err))
        return http_reply_error(resp, &err);
    auth_api_set_cookie(req, resp, "", 0);
    return http_reply_bytes(resp, 204, "application/json", "", 0);
}

static int change_password(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    const char *current = NULL, *fresh = NULL;
    bool from_cookie;
    int64_t retry_after = 0;
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "current_password", true, &current, &err) ||
        http_json_string(body, "new_password", true, &fresh, &err) ||
        auth_password_change(req->app, req->db, req->who, auth_api_token(req, &from_cookie),
                             req->request_id, current, fresh, &retry_after, &err)) {
        json_decref(body);
        if (err.code == APP_ERR_TOO_MANY) {
            char ra[24];
            snprintf(ra, sizeof(ra), "%lld", (long long)retry_after);
            http_set_header(resp, "Retry-After", ra);
        }
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_bytes(resp, 204, "application/json", "", 0);
}

static int list_users(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    long limit;
    const char *cursor;
    struct auth_user_list list = {0};
    bool more;
    if (http_list_params(req, &limit, &cursor, &err) ||
        auth_user_list(req->db, cursor, limit, &list, &more, &err)) {
        auth_user_list_release(&list);
        return http_reply_error(resp, &err);
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.len; i++)
        json_array_append_new(items, user_json(&list.items[i]));
    http_reply_json(
        resp, 200,
        http_list_body(items, more && list.len ? list.items[list.len - 1].p.username : NULL));
    auth_user_list_release(&list);
    return 0;
}

static int get_user(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct auth_user u;
    if (auth_user_get(req->db, http_param(req, "username"), &u, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, user_json(&u));
}

/* The role fields shared by POST and PATCH. */
static int read_role_fields(json_t *b, const char **f[9], struct app_error *err)
{
    static const char *const keys[] = {"display_name", "role",       "level", "region", "grid",
                                       "team_role",    "department", "board", "post"};
    for (int i = 0; i < 9; i++)
        if (http_json_string(b, keys[i], false, f[i], err))
            return -1;
    return 0;
}

static int create_user(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct auth_user_input in = {0};
    struct auth_user u;
    int64_t id;
    const char **f[] = {&in.display_name, &in.role,       &in.level, &in.region, &in.grid,
                        &in.team_role,    &in.department, &in.board, &in.post};
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "username", true, &in.username, &err) ||
        http_json_string(body, "password", true, &in.password, &err) ||
        read_role_fields(body, f, &err) ||
        auth_user_add(req->app, req->db, req->who, req->request_id, &in, &id, &err) ||
        auth_user_get(req->db, in.username, &u, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    char loc[128];
    snprintf(loc, sizeof(loc), "/api/v1/users/%s", u.p.username);
    http_set_header(resp, "Location", loc);
    return http_reply_json(resp, 201, user_json(&u));
}

static int update_user(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *body = NULL;
    struct auth_user_patch patch = {.disabled = -1};
    struct auth_user u;
    const char *username = http_param(req, "username");
    const char **f[] = {&patch.display_name, &patch.role,  &patch.level,
                        &patch.region,       &patch.grid,  &patch.team_role,
                        &patch.department,   &patch.board, &patch.post};
    if (http_read_json(req, &body, &err) || read_role_fields(body, f, &err) ||
        http_json_string(body, "password", false, &patch.password, &err))
        goto fail;
    json_t *d = json_object_get(body, "disabled");
    if (d && !json_is_boolean(d)) {
        app_fail(&err, APP_ERR_INVALID, "invalid_type", "disabled", "disabled 须为 true 或 false");
        goto fail;
    }
    if (d)
        patch.disabled = json_is_true(d);
    if (auth_user_update(req->app, req->db, req->who, req->request_id, username, &patch, &err) ||
        auth_user_get(req->db, username, &u, &err))
        goto fail;
    json_decref(body);
    return http_reply_json(resp, 200, user_json(&u));
fail:
    json_decref(body);
    return http_reply_error(resp, &err);
}

const struct http_route auth_routes[] = {
    {"POST", "/api/v1/sessions", create_session, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/sessions/current", current_session, 0, "session.read"},
    {"DELETE", "/api/v1/sessions/current", delete_session, 0, "session.delete"},
    {"POST", "/api/v1/users/me/password", change_password, 0, "self.password"},
    {"GET", "/api/v1/users", list_users, 0, "user.read"},
    {"POST", "/api/v1/users", create_user, 0, "user.write"},
    {"GET", "/api/v1/users/{username}", get_user, 0, "user.read"},
    {"PATCH", "/api/v1/users/{username}", update_user, 0, "user.write"},
    {NULL, NULL, NULL, 0, NULL},
};
