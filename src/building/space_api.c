/* The building economy's public routes and the follow-up of what they bring in: 找写字楼
 * (GET /api/v1/buildings/space, anyone), the 入驻意向 an enterprise leaves (POST
 * /api/v1/buildings/space/inquiries, anyone) and the staff's list and status change of them
 * (/api/v1/buildings/inquiries). Thin handlers; the rules are in building/space.h. */
#include "building/building_api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "building/building.h"
#include "building/space.h"

static json_t *round_to(double v, double k)
{
    return isfinite(v) ? json_real(round(v * k) / k) : json_null();
}

static json_t *space_item_json(const struct building_report *rep,
                               const struct building_space_item *it)
{
    const struct building *b = &rep->data.buildings.items[it->building];
    const struct building_result *x = &rep->eval.items[it->building];
    const struct building_zone *z = building_report_zone(rep, b->zone);
    json_t *top = json_array();
    for (size_t t = 0; t < it->ntop; t++)
        json_array_append_new(top, json_pack("{s:s,s:s,s:o}", "section", it->top[t].section, "name",
                                             building_industry_section_name(it->top[t].section),
                                             "share", round_to(it->top[t].share, 1e4)));
    /* the tier is published by the district (亿元楼 lists); no tax figure is */
    return json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:s,s:i,s:i,s:o,s:o,s:o,s:o,s:i,s:s,s:o,s:o,s:b}", "code",
        b->code, "name", b->name, "address", b->address, "zone", b->zone, "zone_name",
        z ? z->name : "", "street", b->street, "lon", b->lon, "lat", b->lat, "building_grade",
        b->grade, "floors", b->floors, "year_built", b->year_built, "gfa_m2",
        round_to(b->gfa_m2, 1), "leasable_m2", round_to(b->leasable_m2, 1), "vacant_m2",
        round_to(it->vacant_m2, 1), "occupancy", round_to(it->occupancy, 1e4), "tenants",
        it->tenants, "tier_name", x->tier >= BUILDING_TIER_10E7 ? building_tier_name(x->tier) : "",
        "industries", top, "industry_share",
        it->industry_share > 0 ? round_to(it->industry_share, 1e4) : json_null(), "synthetic",
        b->synthetic);
}

/* GET /api/v1/buildings/space?zone=&grade=&industry=&min_m2= */
static int get_space(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_report rep;
    struct building_space_list l;
    struct building_space_filter f = {http_query(req, "zone"), http_query(req, "grade"),
                                      http_query(req, "industry"), 0};
    if (http_query_number(req, "min_m2", false, &f.min_m2, &err) ||
        building_report_make(req->db, NULL, 0, &rep, &err))
        return http_reply_error(resp, &err);
    if (building_space_find(&rep, &f, &l, &err)) {
        building_report_release(&rep);
        return http_reply_error(resp, &err);
    }
    json_t *items = json_array(), *zones = json_array(), *sections = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, space_item_json(&rep, &l.items[i]));
    for (size_t i = 0; i < rep.data.zones.len; i++)
        json_array_append_new(zones, json_pack("{s:s,s:s}", "code", rep.data.zones.items[i].code,
                                               "name", rep.data.zones.items[i].name));
    for (char s = 'A'; s <= 'T'; s++) {
        char code[2] = {s, 0};
        json_array_append_new(sections, json_pack("{s:s,s:s}", "code", code, "name",
                                                  building_industry_section_name(code)));
    }
    char as_of[16];
    snprintf(as_of, sizeof as_of, "%d-12-31", rep.year);
    bool synthetic = false;
    for (size_t i = 0; i < l.len; i++)
        synthetic |= rep.data.buildings.items[l.items[i].building].synthetic;
    json_t *j = json_pack("{s:i,s:s,s:o,s:o,s:o,s:b}", "year", rep.year, "as_of", as_of, "items",
                          items, "zones", zones, "sections", sections, "synthetic", synthetic);
    free(l.items);
    building_report_release(&rep);
    return http_reply_json(resp, 200, j);
}

/* POST /api/v1/buildings/space/inquiries */
static int post_inquiry(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    struct building_inquiry_input in = {0};
    int64_t id = 0;
    if (http_read_json(req, &b, &err) ||
        http_json_string(b, "building", true, &in.building, &err) ||
        http_json_string(b, "enterprise_name", true, &in.enterprise_name, &err) ||
        http_json_string(b, "uscc", false, &in.uscc, &err) ||
        http_json_string(b, "industry", false, &in.industry, &err) ||
        http_json_number(b, "area_m2", true, &in.area_m2, &err) ||
        http_json_string(b, "contact", true, &in.contact, &err) ||
        http_json_string(b, "phone", true, &in.phone, &err) ||
        http_json_string(b, "note", false, &in.note, &err) ||
        building_inquiry_create(req->db, req->request_id, &in, &id, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    return http_reply_json(resp, 201,
                           json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "new",
                                     "status_label", "已提交，楼宇服务专员将与您联系"));
}

static json_t *inquiry_json(const struct auth_principal *who, const struct building_inquiry *q)
{
    char phone[32];
    auth_show_phone(who, q->phone, phone, sizeof phone);
    int s = building_inquiry_status_parse(q->status);
    /* the steps the server allows from here, so the page offers only those */
    json_t *next = json_array();
    for (int t = 0; s >= 0 && t < BUILDING_INQUIRY_STATUS_COUNT; t++)
        if (building_inquiry_next_ok((enum building_inquiry_status)s,
                                     (enum building_inquiry_status)t))
            json_array_append_new(
                next,
                json_pack("{s:s,s:s}", "status",
                          building_inquiry_status_code((enum building_inquiry_status)t), "name",
                          building_inquiry_status_name((enum building_inquiry_status)t)));
    return json_pack(
        "{s:o,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "next", next, "id",
        (json_int_t)q->id, "building", q->building_code, "building_name", q->building_name,
        "enterprise_name", q->enterprise_name, "uscc", q->uscc, "industry", q->industry,
        "industry_name", building_industry_section_name(q->industry), "area_m2", q->area_m2,
        "contact", q->contact, "phone", phone, "note", q->note, "status", q->status, "status_name",
        s < 0 ? "" : building_inquiry_status_name((enum building_inquiry_status)s), "created_at",
        (json_int_t)q->created_at, "updated_at", (json_int_t)q->updated_at);
}

/* GET /api/v1/buildings/inquiries?status= */
static int list_inquiries(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_inquiry_list l;
    if (building_inquiry_list(req->db, req->who, http_query(req, "status"), &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, inquiry_json(req->who, &l.items[i]));
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* POST /api/v1/buildings/inquiries/{id}/status {status} */
static int set_inquiry_status(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct building_inquiry q;
    json_t *b = NULL;
    const char *status = NULL, *s = http_param(req, "id");
    char *end;
    long long id = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || id <= 0)
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "unknown_inquiry", "id",
                                  "没有这条入驻意向");
    if (http_read_json(req, &b, &err) || http_json_string(b, "status", true, &status, &err) ||
        building_inquiry_set_status(req->db, req->who, req->request_id, id, status, &q, &err)) {
        json_decref(b);
        return http_reply_error(resp, &err);
    }
    json_decref(b);
    return http_reply_json(resp, 200, inquiry_json(req->who, &q));
}

const struct http_route building_space_routes[] = {
    {"GET", "/api/v1/buildings/space", get_space, HTTP_PUBLIC, "building.space"},
    {"POST", "/api/v1/buildings/space/inquiries", post_inquiry, HTTP_PUBLIC, "building.inquire"},
    {"GET", "/api/v1/buildings/inquiries", list_inquiries, 0, "building.leads"},
    {"POST", "/api/v1/buildings/inquiries/{id}/status", set_inquiry_status, 0, "building.leads"},
    {NULL, NULL, NULL, 0, NULL},
};
