/* Thin handlers of the supervision clues at /api/v1/supervision/ (supervision roles only; the
 * routes name no action, so the gate asks only for a session, and the domain answers 404 to
 * everyone outside supervision — the same as for a clue that does not exist) and the public
 * 码上举报 intake with its tracking page at /api/v1/public/supervision-reports. */
#include "ledger/ledger_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"
#include "org/org.h"

static json_t *clue_json(const struct ledger_clue *c, bool full)
{
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:i,s:b}", "id",
                  (json_int_t)c->id, "channel", c->channel, "summary", c->summary, "region",
                  c->region, "anonymous", c->anonymous, "status", c->status, "mechanism",
                  c->mechanism, "reason", c->reason, "persons", c->persons, "notice", c->notice,
                  "received_on", c->received_on, "decided_on", c->decided_on, "concluded_on",
                  c->concluded_on, "shares", c->shares, "synthetic", c->synthetic);
    /* The reporter only in one clue's detail, never in lists. */
    if (full && !c->anonymous)
        json_object_set_new(
            o, "reporter",
            json_pack("{s:s,s:s}", "name", c->reporter_name, "phone", c->reporter_phone));
    return o;
}

/* The steps a supervisor may take on clue c now, with their forms (the same shape as the
 * ledger's and the events' actions): 初核处置 from 初核, 办结 of a case, 信息共享 always. */
static json_t *field(const char *name, const char *type, const char *label, bool required)
{
    return json_pack("{s:s,s:s,s:s,s:b,s:n,s:n,s:n}", "name", name, "type", type, "label", label,
                     "required", required, "min", "max", "choices");
}

/* The departments in who's scope as choices (the rectify form's 责任单位). */
static json_t *department_choices(struct db *db, const struct auth_principal *who)
{
    struct org_department_list l = {0};
    struct app_error err = {0};
    json_t *a = json_array();
    if (org_department_list(db, &l, &err) == 0)
        for (size_t i = 0; i < l.len; i++)
            if (auth_region_in_scope(who, l.items[i].region_code))
                json_array_append_new(a, json_pack("{s:s,s:s}", "value", l.items[i].code, "label",
                                                   l.items[i].name));
    org_department_list_release(&l);
    return a;
}

/* 列入整改台账: a case's finding becomes a problem on the ledger, with the ledger's own fields. */
static json_t *rectify_action(struct db *db, const struct auth_principal *who,
                              const struct ledger_clue *c)
{
    static const char *const sources[] = {"督查", "巡察", "审计", "群众反映", "自查", "上级交办"};
    json_t *source = field("source", "choice", "问题来源", true), *ch = json_array();
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        json_array_append_new(ch, json_pack("{s:s,s:s}", "value", sources[i], "label", sources[i]));
    json_object_set_new(source, "choices", ch);
    json_object_set_new(source, "default", json_string("督查"));
    json_t *dept = field("department", "choice", "责任单位", true);
    json_object_set_new(dept, "choices", department_choices(db, who));
    char path[96];
    snprintf(path, sizeof path, "/api/v1/supervision/clues/%lld/problems", (long long)c->id);
    return json_pack("{s:s,s:s,s:s,s:[o,o,o,o,o,o]}", "name", "rectify", "label", "列入整改台账",
                     "path", path, "fields", field("title", "string", "问题", true), source,
                     field("category", "string", "问题类别", true), dept,
                     field("deadline", "date", "整改时限", true),
                     field("leader", "string", "责任领导", false));
}

static json_t *clue_actions(struct db *db, const struct auth_principal *who,
                            const struct ledger_clue *c)
{
    json_t *a = json_array();
    char path[96];
    if (!auth_may(who, "supervision.write"))
        return a;
    if (ledger_clue_next(c->status, "立案")) {
        json_t *choice = field("decision", "choice", "初核结论", true), *ch = json_array();
        for (const char *const *d = (const char *const[]){"立案", "了结", "移送", NULL}; *d; d++)
            json_array_append_new(ch, json_pack("{s:s,s:s}", "value", *d, "label", *d));
        json_object_set_new(choice, "choices", ch);
        snprintf(path, sizeof path, "/api/v1/supervision/clues/%lld/decide", (long long)c->id);
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:[o,o,o]}", "name", "decide", "label", "初核处置", "path",
                         path, "fields", choice,
                         field("mechanism", "string", "移送机关（移送时必填）", false),
                         field("reason", "text", "理由", true)));
    }
    if (ledger_clue_next(c->status, "办结")) {
        json_t *persons = field("persons", "integer", "处理人数", true);
        json_object_set_new(persons, "min", json_integer(0));
        json_object_set_new(persons, "max", json_integer(100000));
        snprintf(path, sizeof path, "/api/v1/supervision/clues/%lld/decide", (long long)c->id);
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:{s:s},s:[o,o]}", "name", "conclude",
                                           "label", "办结", "path", path, "payload", "decision",
                                           "办结", "fields", persons,
                                           field("notice", "text", "通报内容", false)));
    }
    if (ledger_clue_may_rectify(c->status))
        json_array_append_new(a, rectify_action(db, who, c));
    snprintf(path, sizeof path, "/api/v1/supervision/clues/%lld/shares", (long long)c->id);
    json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:[o,o]}", "name", "share", "label",
                                       "信息共享", "path", path, "fields",
                                       field("mechanism", "string", "共享给（机制名称）", true),
                                       field("note", "text", "共享内容", false)));
    return a;
}

static int path_id(struct http_request *req, int64_t *id, struct app_error *err)
{
    const char *s = http_param(req, "id");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "not found");
    *id = v;
    return 0;
}

static int list_clues(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_clue_list l;
    if (ledger_clue_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++)
        json_array_append_new(items, clue_json(&l.items[i], false));
    free(l.items);
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int get_figures(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_clue_list l;
    struct ledger_clue_figures f;
    if (ledger_clue_list(req->db, req->who, &l, &err))
        return http_reply_error(resp, &err);
    ledger_clue_figures_compute(l.items, l.len, &f);
    free(l.items);
    return http_reply_json(
        resp, 200,
        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "received", (json_int_t)f.received,
                  "screening", (json_int_t)f.screening, "filed", (json_int_t)f.filed, "dismissed",
                  (json_int_t)f.dismissed, "transferred", (json_int_t)f.transferred, "concluded",
                  (json_int_t)f.concluded, "shares", (json_int_t)f.shares, "persons",
                  (json_int_t)f.persons, "cases", (json_int_t)f.cases, "cases_open",
                  (json_int_t)f.cases_open));
}

static int get_clue(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_clue c;
    int64_t id;
    if (path_id(req, &id, &err) || ledger_clue_get(req->db, req->who, id, &c, &err))
        return http_reply_error(resp, &err);
    json_t *o = clue_json(&c, auth_may(req->who, "supervision.write"));
    char ids[512];
    if (ledger_clue_problems(req->db, c.id, ids, sizeof ids, &err)) {
        json_decref(o);
        return http_reply_error(resp, &err);
    }
    json_t *problems = json_array();
    for (char *p = ids, *end; *p; p = *end ? end + 1 : end)
        json_array_append_new(problems, json_integer(strtoll(p, &end, 10)));
    json_object_set_new(o, "problems", problems);
    json_object_set_new(o, "actions", clue_actions(req->db, req->who, &c));
    return http_reply_json(resp, 200, o);
}

/* Read the intake fields of a clue from body into in. */
static int read_clue(json_t *body, struct ledger_clue_input *in, struct app_error *err)
{
    json_t *anon = json_object_get(body, "anonymous");
    if (http_json_string(body, "channel", false, &in->channel, err) ||
        http_json_string(body, "summary", false, &in->summary, err) ||
        http_json_string(body, "region", false, &in->region, err) ||
        http_json_string(body, "reporter_name", false, &in->reporter_name, err) ||
        http_json_string(body, "reporter_phone", false, &in->reporter_phone, err))
        return -1;
    if (anon && !json_is_boolean(anon) && !json_is_null(anon))
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "anonymous",
                        "anonymous 应为 true 或 false");
    in->anonymous = !anon || !json_is_false(anon);
    return 0;
}

static int post_clue(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_clue_input in = {0};
    json_t *body = NULL;
    int64_t id;
    char tracking[16] = "";
    /* Outside supervision the path does not exist, whatever the body. */
    if (!ledger_clue_visible_to(req->who))
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "not_found", NULL, "not found");
    if (http_read_json(req, &body, &err) || read_clue(body, &in, &err) ||
        ledger_clue_receive(req->app, req->db, req->who, req->request_id, &in, &id, tracking,
                            &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 201,
                           json_pack("{s:I,s:s}", "id", (json_int_t)id, "tracking_code", tracking));
}

static int post_decide(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    const char *decision = NULL, *mechanism = NULL, *reason = NULL, *notice = NULL;
    int64_t id, persons = 0;
    json_t *body = NULL;
    if (path_id(req, &id, &err) || !ledger_clue_visible_to(req->who))
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "not_found", NULL, "not found");
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "decision", false, &decision, &err) ||
        http_json_string(body, "mechanism", false, &mechanism, &err) ||
        http_json_string(body, "reason", false, &reason, &err) ||
        http_json_string(body, "notice", false, &notice, &err) ||
        http_json_int(body, "persons", false, &persons, &err) ||
        ledger_clue_decide(req->db, req->who, req->request_id, id, decision, mechanism, reason,
                           persons > 100000 || persons < -1 ? -1 : (int)persons, notice, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    struct ledger_clue c;
    if (ledger_clue_get(req->db, req->who, id, &c, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, clue_json(&c, true));
}

static int post_share(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    const char *mechanism = NULL, *note = NULL;
    int64_t id;
    json_t *body = NULL;
    if (path_id(req, &id, &err) || !ledger_clue_visible_to(req->who))
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "not_found", NULL, "not found");
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "mechanism", false, &mechanism, &err) ||
        http_json_string(body, "note", false, &note, &err) ||
        ledger_clue_share(req->db, req->who, req->request_id, id, mechanism, note, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 201, json_pack("{s:I}", "clue", (json_int_t)id));
}

static int post_rectify(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_problem_input in = {0};
    int64_t id, problem;
    json_t *body = NULL;
    if (path_id(req, &id, &err) || !ledger_clue_visible_to(req->who))
        return http_reply_problem(resp, APP_ERR_NOT_FOUND, "not_found", NULL, "not found");
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "title", false, &in.title, &err) ||
        http_json_string(body, "source", false, &in.source, &err) ||
        http_json_string(body, "category", false, &in.category, &err) ||
        http_json_string(body, "department", false, &in.department, &err) ||
        http_json_string(body, "deadline", false, &in.deadline, &err) ||
        http_json_string(body, "leader", false, &in.leader, &err) ||
        ledger_clue_rectify(req->db, req->who, req->request_id, id, &in, &problem, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 201,
                           json_pack("{s:I,s:I}", "id", (json_int_t)problem, "clue", (json_int_t)id));
}

/* 码上举报: anyone, anonymous by default; the answer is the tracking code only. */
static int post_public_report(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_clue_input in = {0};
    json_t *body = NULL;
    int64_t id;
    char tracking[16] = "";
    in.client = req->client_addr;
    in.device = http_header(req, "X-Device-Id");
    if (http_read_json(req, &body, &err) || read_clue(body, &in, &err) ||
        ledger_clue_receive(req->app, req->db, NULL, req->request_id, &in, &id, tracking, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 201, json_pack("{s:s}", "tracking_code", tracking));
}

static int get_public_report(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    char status[64], received[LEDGER_DATE];
    if (ledger_clue_track(req->db, http_param(req, "code"), status, sizeof status, received, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200,
                           json_pack("{s:s,s:s}", "status", status, "received_on", received));
}

const struct http_route ledger_supervision_routes[] = {
    {"GET", "/api/v1/supervision/clues", list_clues, 0, NULL},
    {"POST", "/api/v1/supervision/clues", post_clue, 0, NULL},
    {"GET", "/api/v1/supervision/figures", get_figures, 0, NULL},
    {"GET", "/api/v1/supervision/clues/{id}", get_clue, 0, NULL},
    {"POST", "/api/v1/supervision/clues/{id}/decide", post_decide, 0, NULL},
    {"POST", "/api/v1/supervision/clues/{id}/shares", post_share, 0, NULL},
    {"POST", "/api/v1/supervision/clues/{id}/problems", post_rectify, 0, NULL},
    {"POST", "/api/v1/public/supervision-reports", post_public_report, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/public/supervision-reports/{code}", get_public_report, HTTP_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
