/* Thin handlers for the administrators' writes to the district model: departments, posts of a
 * street's boards, grid team members and region names. Each decodes the body, calls one
 * org_write_* function (validation, change and audit row in one transaction) and encodes. */
#include "org/org_write_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "org/org_write.h"

static json_t *department_json(const struct org_department *d)
{
    return json_pack("{s:s,s:s,s:s}", "code", d->code, "name", d->name, "region", d->region_code);
}

static json_t *post_json(const struct org_post *p)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "code", p->code, "name", p->name, "board", p->board_code,
                     "street", p->street_code);
}

/* The same shape as an item of GET /grids/{code}/team; the phone as the caller may see it. */
static json_t *person_json(const struct http_request *req, const struct org_person *p)
{
    char phone[32];
    auth_show_phone(req->who, p->phone, phone, sizeof(phone));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)p->id, "name", p->name, "role",
                     p->team_role, "phone", phone, "grid", p->grid_code, "synthetic", p->synthetic);
}

/* Read string members keys[i] into *slots[i] (optional; a wrong type names the member). */
static int read_strings(json_t *body, const char *const *keys, const char **slots[], int n,
                        struct app_error *err)
{
    for (int i = 0; i < n; i++)
        if (http_json_string(body, keys[i], false, slots[i], err))
            return -1;
    return 0;
}

static int reply_created(struct http_response *resp, const char *location, json_t *o)
{
    http_set_header(resp, "Location", location);
    return http_reply_json(resp, 201, o);
}

static int create_department(struct http_request *req, struct http_response *resp)
{
    static const char *const keys[] = {"code", "name", "region"};
    struct app_error err = {0};
    struct org_write_by by = {req->who, req->request_id};
    struct org_write_department in = {0};
    struct org_department d;
    const char **slots[] = {&in.code, &in.name, &in.region};
    json_t *body = NULL;
    if (http_read_json(req, &body, &err) || read_strings(body, keys, slots, 3, &err) ||
        org_write_department_create(req->db, &by, &in, &d, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    char loc[96];
    snprintf(loc, sizeof(loc), "/api/v1/departments/%s", d.code);
    return reply_created(resp, loc, department_json(&d));
}

static int update_department(struct http_request *req, struct http_response *resp)
{
    static const char *const keys[] = {"name", "region"};
    struct app_error err = {0};
    struct org_write_by by = {req->who, req->request_id};
    struct org_write_department patch = {0};
    struct org_department d;
    const char **slots[] = {&patch.name, &patch.region};
    json_t *body = NULL;
    if (http_read_json(req, &body, &err) || read_strings(body, keys, slots, 2, &err) ||
        org_write_department_update(req->db, &by, http_param(req, "code"), &patch, &d, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 200, department_json(&d));
}

static int create_post(struct http_request *req, struct http_response *resp)
{
    static const char *const keys[] = {"street", "suffix", "name"};
    struct app_error err = {0};
    struct org_write_by by = {req->who, req->request_id};
    struct org_write_post in = {0};
    struct org_post p;
    const char **slots[] = {&in.street, &in.suffix, &in.name};
    json_t *body = NULL;
    if (http_read_json(req, &body, &err) || read_strings(body, keys, slots, 3, &err) ||
        org_write_post_create(req->db, &by, http_param(req, "code"), &in, &p, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    char loc[128];
    snprintf(loc, sizeof(loc), "/api/v1/boards/%s/posts/%s", p.board_code, p.code);
    return reply_created(resp, loc, post_json(&p));
}

static int rename_post(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_write_by by = {req->who, req->request_id};
    const char *name = NULL;
    struct org_post p;
    json_t *body = NULL;
    if (http_read_json(req, &body, &err) || http_json_string(body, "name", true, &name, &err) ||
        org_write_post_rename(req->db, &by, http_param(req, "code"), http_param(req, "post"), name,
                              &p, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 200, post_json(&p));
}

static int read_person(struct http_request *req, json_t **body, struct org_write_person *in,
                       struct app_error *err)
{
    static const char *const keys[] = {"name", "phone", "team_role"};
    const char **slots[] = {&in->name, &in->phone, &in->team_role};
    return http_read_json(req, body, err) || read_strings(*body, keys, slots, 3, err) ? -1 : 0;
}

/* The {id} of a team member path; a malformed one is as missing as an unknown one. */
static int person_id(const struct http_request *req, int64_t *id, struct app_error *err)
{
    const char *s = http_param(req, "id");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "person_not_found", NULL, "该网格没有这名成员");
    *id = v;
    return 0;
}

static int add_person(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_write_by by = {req->who, req->request_id};
    struct org_write_person in = {0};
    struct org_person p;
    json_t *body = NULL;
    if (read_person(req, &body, &in, &err) ||
        org_write_person_add(req->db, &by, http_param(req, "code"), &in, &p, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    char loc[96];
    snprintf(loc, sizeof(loc), "/api/v1/grids/%s/team/%lld", p.grid_code, (long long)p.id);
    return reply_created(resp, loc, person_json(req, &p));
}

static int update_person(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_write_by by = {req->who, req->request_id};
    struct org_write_person patch = {0};
    struct org_person p;
    int64_t id;
    json_t *body = NULL;
    if (person_id(req, &id, &err) || read_person(req, &body, &patch, &err) ||
        org_write_person_update(req->db, &by, http_param(req, "code"), id, &patch, &p, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 200, person_json(req, &p));
}

static int delete_person(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct org_write_by by = {req->who, req->request_id};
    int64_t id;
    if (person_id(req, &id, &err) ||
        org_write_person_delete(req->db, &by, http_param(req, "code"), id, &err))
        return http_reply_error(resp, &err);
    return http_reply_bytes(resp, 204, "application/json", "", 0);
}

static int rename_region(struct http_request *req, struct http_response *resp)
{
    /* Only the name changes here: the tree and the shapes change by import, as a whole. */
    static const char *const frozen[] = {"code", "level", "parent", "parent_code", "geometry"};
    struct app_error err = {0};
    struct org_write_by by = {req->who, req->request_id};
    const char *name = NULL;
    struct org_region r;
    json_t *body = NULL;
    if (http_read_json(req, &body, &err))
        return http_reply_error(resp, &err);
    for (size_t i = 0; i < sizeof(frozen) / sizeof(frozen[0]); i++)
        if (json_object_get(body, frozen[i])) {
            json_decref(body);
            return http_reply_problem(resp, APP_ERR_INVALID, "use_import", frozen[i],
                                      "区划的编码、层级、上级和边界只能通过导入修改 "
                                      "(POST /api/v1/regions/import)");
        }
    if (http_json_string(body, "name", true, &name, &err) ||
        org_write_region_rename(req->db, &by, http_param(req, "code"), name, &r, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "code", r.code, "name", r.name, "level", r.level,
                          "parent", r.parent_code[0] ? json_string(r.parent_code) : json_null());
    org_region_release(&r);
    return http_reply_json(resp, 200, o);
}

const struct http_route org_write_routes[] = {
    {"POST", "/api/v1/departments", create_department, 0, "org.write"},
    {"PATCH", "/api/v1/departments/{code}", update_department, 0, "org.write"},
    {"POST", "/api/v1/boards/{code}/posts", create_post, 0, "org.write"},
    {"PATCH", "/api/v1/boards/{code}/posts/{post}", rename_post, 0, "org.write"},
    {"POST", "/api/v1/grids/{code}/team", add_person, 0, "org.write"},
    {"PATCH", "/api/v1/grids/{code}/team/{id}", update_person, 0, "org.write"},
    {"DELETE", "/api/v1/grids/{code}/team/{id}", delete_person, 0, "org.write"},
    {"PATCH", "/api/v1/regions/{code}", rename_region, 0, "org.write"},
    {NULL, NULL, NULL, 0, NULL},
};
