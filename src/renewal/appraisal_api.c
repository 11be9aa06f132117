/* Thin handlers of dangerous-building appraisals under /api/v1/renewal/appraisals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "renewal/renewal.h"
#include "renewal/renewal_api.h"

static json_t *appraisal_json(const struct renewal_appraisal *a)
{
    return json_pack(
        "{s:I,s:s,s:s,s:f,s:f,s:s,s:s,s:s,s:s,s:s,s:o,s:b}", "id", (json_int_t)a->id, "building",
        a->building, "address", a->address, "lon", a->lon, "lat", a->lat, "grid", a->grid, "grade",
        a->grade, "grade_label", renewal_grade_label(a->grade), "appraised_on", a->appraised_on,
        "appraiser", a->appraiser, "event",
        a->event_code[0] ? json_string(a->event_code) : json_null(), "synthetic", a->synthetic);
}

static int list_appraisals(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_appraisal_list l = {0};
    if (renewal_appraisal_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, appraisal_json(&l.items[i]));
    free(l.items);
    return http_reply_json(resp, 200, http_list_body(items, NULL));
}

static int record_appraisal(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *building, *grade, *on, *appraiser, *address = NULL;
    struct renewal_appraisal a = {0};
    if (http_read_json(req, &b, &err) || http_json_string(b, "building", true, &building, &err) ||
        http_json_string(b, "grade", true, &grade, &err) ||
        http_json_string(b, "appraised_on", true, &on, &err) ||
        http_json_string(b, "appraiser", true, &appraiser, &err) ||
        http_json_string(b, "address", false, &address, &err) ||
        http_json_number(b, "lon", true, &a.lon, &err) ||
        http_json_number(b, "lat", true, &a.lat, &err))
        goto fail;
    snprintf(a.building, sizeof a.building, "%s", building);
    snprintf(a.grade, sizeof a.grade, "%s", strlen(grade) == 1 ? grade : "?");
    snprintf(a.appraised_on, sizeof a.appraised_on, "%s", strlen(on) == 10 ? on : "");
    snprintf(a.appraiser, sizeof a.appraiser, "%s", appraiser);
    snprintf(a.address, sizeof a.address, "%s", address ? address : "");
    if (renewal_appraisal_record(req->app, req->db, req->who, &a, req->request_id, &err))
        goto fail;
    json_decref(b);
    return http_reply_json(resp, 201, appraisal_json(&a));
fail:
    json_decref(b);
    return http_reply_error(resp, &err);
}

const struct http_route renewal_appraisal_routes[] = {
    {"GET", "/api/v1/renewal/appraisals", list_appraisals, 0, "renewal.read"},
    {"POST", "/api/v1/renewal/appraisals", record_appraisal, 0, "renewal.manage"},
    {NULL, NULL, NULL, 0, NULL},
};
