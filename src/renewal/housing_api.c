/* Thin handlers of the 保障性租赁住房 applicants under /api/v1/renewal/housing/: the waiting list
 * in the published priority order (names masked for callers who do not see personal data),
 * registering an applicant, and allocating the vacant units. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/clock.h"
#include "renewal/renewal.h"
#include "renewal/renewal_api.h"

static const char *const group_names[] = {"", "service", "newcomer", "youth"};

static int list_applicants(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_applicant_list l = {0};
    if (renewal_applicant_list(req->db, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    bool full = auth_sees_personal_data(req->who);
    for (size_t i = 0; i < l.len; i++) {
        const struct renewal_applicant_rec *a = &l.items[i];
        char name[80], at[32];
        unsigned char c = (unsigned char)a->name[0];
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (full)
            snprintf(name, sizeof name, "%s", a->name);
        else
            snprintf(name, sizeof name, "%.*s*", len, a->name);
        clock_format_local(a->applied_at, at, sizeof at);
        json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:b,s:s,s:b}", "id", (json_int_t)a->id, "name",
                              name, "group", group_names[a->group > 0 && a->group < 4 ? a->group : 0],
                              "group_label", renewal_group_label(a->group), "owns_housing",
                              a->owns_housing, "applied_at", at, "synthetic", a->synthetic);
        json_object_set_new(j, "place", a->place ? json_integer(a->place) : json_null());
        json_object_set_new(j, "unit", a->unit_code[0] ? json_string(a->unit_code) : json_null());
        json_array_append_new(items, j);
    }
    free(l.items);
    return http_reply_json(
        resp, 200,
        json_pack("{s:o,s:s}", "items", items, "order",
                  "在本市无自有住房者方可轮候；依次按：城市基本公共服务人员、新市民、青年人；同类按"
                  "申请时间先后"));
}

static int add_applicant(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *name, *group;
    struct renewal_applicant_rec a = {0};
    if (http_read_json(req, &b, &err) || http_json_string(b, "name", true, &name, &err) ||
        http_json_string(b, "group", true, &group, &err))
        goto fail;
    json_t *own = json_object_get(b, "owns_housing");
    if (own && !json_is_boolean(own)) {
        app_fail(&err, APP_ERR_INVALID, "bad_type", "owns_housing", "owns_housing 应为 true/false");
        goto fail;
    }
    a.owns_housing = json_is_true(own);
    snprintf(a.name, sizeof a.name, "%s", name);
    for (int g = 1; g < 4; g++)
        if (strcmp(group, group_names[g]) == 0 || strcmp(group, renewal_group_label(g)) == 0)
            a.group = g;
    if (renewal_applicant_add(req->db, req->who, &a, req->request_id, &err))
        goto fail;
    json_decref(b);
    return http_reply_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)a.id));
fail:
    json_decref(b);
    return http_reply_error(resp, &err);
}

static int allocate(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    int n;
    if (renewal_allocate(req->db, req->who, req->request_id, &n, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, json_pack("{s:i}", "allocated", n));
}

const struct http_route renewal_housing_routes[] = {
    {"GET", "/api/v1/renewal/housing/applicants", list_applicants, 0, "renewal.housing"},
    {"POST", "/api/v1/renewal/housing/applicants", add_applicant, 0, "renewal.housing"},
    {"POST", "/api/v1/renewal/housing/allocate", allocate, 0, "renewal.housing"},
    {NULL, NULL, NULL, 0, NULL},
};
