/* Thin handlers of owners' votes under /api/v1/renewal/: opening a vote with its roster,
 * recording ballots, the tally of 民法典 第二百七十八条 with its four ratios, and the ballots as
 * CSV. Owners' names are masked for callers who do not see personal data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "renewal/renewal.h"
#include "renewal/renewal_api.h"

/* 张三 → 张*: the first character (UTF-8) and a star */
static void owner_shown(const struct auth_principal *who, const char *owner, char *out, size_t n)
{
    if (auth_sees_personal_data(who)) {
        snprintf(out, n, "%s", owner);
        return;
    }
    unsigned char c = (unsigned char)owner[0];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if ((int)strlen(owner) < len)
        len = (int)strlen(owner);
    snprintf(out, n, "%.*s*", len, owner);
}

static double ratio(int64_t a, int64_t b)
{
    return b ? (double)a / (double)b : 0;
}

static json_t *tally_json(const struct renewal_tally *t, int matter)
{
    return json_pack(
        "{s:b,s:b,s:b,s:s,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:i,s:i,s:i,s:i,s:i,s:s,s:s}", "passed",
        t->passed, "quorum", t->quorum, "approved", t->approved, "matter",
        renewal_matter_name((enum renewal_matter)matter), "participating_area_ratio",
        ratio(t->part_area, t->total_area), "participating_owners_ratio",
        ratio(t->part_owners, t->total_owners), "approving_area_ratio",
        ratio(t->yes_area, t->part_area), "approving_owners_ratio",
        ratio(t->yes_owners, t->part_owners), "total_area_m2", (double)t->total_area / 100,
        "participating_area_m2", (double)t->part_area / 100, "approving_area_m2",
        (double)t->yes_area / 100, "total_owners", t->total_owners, "participating_owners",
        t->part_owners, "approving_owners", t->yes_owners, "opposing_owners", t->no_owners,
        "abstain_owners", t->abstain_owners, "rule",
        matter == RENEWAL_MATTER_MAJOR
            ? "民法典第二百七十八条：专有部分面积和人数均三分之二以上参与；参与表决专有部分面积和"
              "人数均四分之三以上同意"
            : "民法典第二百七十八条：专有部分面积和人数均三分之二以上参与；参与表决专有部分面积和"
              "人数均过半数同意",
        "result_label", t->passed ? "通过" : "未通过");
}

static json_t *vote_json(const struct renewal_vote_rec *v)
{
    char at[32];
    clock_format_local(v->opened_at, at, sizeof at);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:b}", "id", (json_int_t)v->id, "project",
                     v->project_code, "project_name", v->project_name, "title", v->title, "matter",
                     renewal_matter_name((enum renewal_matter)v->matter), "matter_label",
                     v->matter == RENEWAL_MATTER_MAJOR ? "重大事项（第六至八项）" : "一般事项",
                     "building_area_m2", (double)v->building_area / 100, "opened_at", at,
                     "synthetic", v->synthetic);
}

static int vote_id(struct http_request *req, int64_t *id, struct app_error *err)
{
    const char *s = http_param(req, "id");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "no_vote", "id", "没有这次表决");
    *id = v;
    return 0;
}

static int list_votes(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_vote_list l = {0};
    struct renewal_project p = {0};
    const char *code = http_query(req, "project");
    if ((code && *code && renewal_project_get(req->db, req->who, code, &p, &err)) ||
        renewal_vote_list(req->db, req->who, p.id, &l, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < l.len; i++) {
        struct renewal_vote_rec v;
        struct renewal_ballot_list bl = {0};
        struct renewal_tally t;
        json_t *j = vote_json(&l.items[i]);
        if (renewal_vote_get(req->db, req->who, l.items[i].id, &v, &bl, &t, &err) == 0)
            json_object_set_new(j, "tally", tally_json(&t, v.matter));
        free(bl.items);
        json_array_append_new(items, j);
    }
    free(l.items);
    return http_reply_json(resp, 200, http_list_body(items, NULL));
}

static int open_vote(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL, *u;
    const char *title, *matter;
    double barea;
    struct renewal_vote_rec v = {0};
    struct renewal_ballot *units = NULL;
    size_t n = 0, i;
    char field[48];
    enum renewal_matter m;
    if (http_read_json(req, &b, &err) || http_json_string(b, "title", true, &title, &err) ||
        http_json_string(b, "matter", true, &matter, &err) ||
        http_json_number(b, "building_area", true, &barea, &err))
        goto fail;
    if (renewal_matter_parse(matter, &m)) {
        app_fail(&err, APP_ERR_INVALID, "bad_matter", "matter", "matter 应为 major 或 ordinary");
        goto fail;
    }
    json_t *ul = json_object_get(b, "units");
    if (!json_is_array(ul) || json_array_size(ul) == 0 || json_array_size(ul) > 20000) {
        app_fail(&err, APP_ERR_INVALID, "required", "units", "units 应为 1–20000 个专有部分");
        goto fail;
    }
    units = calloc(json_array_size(ul), sizeof *units);
    json_array_foreach(ul, i, u)
    {
        const char *unit, *owner;
        double area;
        snprintf(field, sizeof field, "units[%zu]", i);
        if (http_json_string(u, "unit", true, &unit, &err) ||
            http_json_string(u, "owner", true, &owner, &err) ||
            http_json_number(u, "area", true, &area, &err) || strlen(unit) >= 32 ||
            strlen(owner) >= 64 || area <= 0 || area > 1e8) {
            app_fail(&err, APP_ERR_INVALID, "bad_unit", field,
                     "%s: 需要房号、业主和大于 0 的专有部分面积", field);
            goto fail;
        }
        snprintf(units[n].unit, sizeof units[n].unit, "%s", unit);
        snprintf(units[n].owner, sizeof units[n].owner, "%s", owner);
        units[n].area = (int64_t)(area * 100 + 0.5);
        n++;
    }
    snprintf(v.title, sizeof v.title, "%s", title);
    v.matter = (int)m;
    v.building_area = barea > 0 && barea < 1e9 ? (int64_t)(barea * 100 + 0.5) : 0;
    if (renewal_vote_open(req->db, req->who, http_param(req, "code"), &v, units, n, req->request_id,
                          &err))
        goto fail;
    free(units);
    json_decref(b);
    return http_reply_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)v.id));
fail:
    free(units);
    json_decref(b);
    return http_reply_error(resp, &err);
}

static int get_vote(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_vote_rec v;
    struct renewal_ballot_list bl = {0};
    struct renewal_tally t;
    int64_t id;
    if (vote_id(req, &id, &err) || renewal_vote_get(req->db, req->who, id, &v, &bl, &t, &err)) {
        free(bl.items);
        return http_reply_error(resp, &err);
    }
    json_t *j = vote_json(&v), *ballots = json_array();
    for (size_t i = 0; i < bl.len; i++) {
        char owner[80];
        owner_shown(req->who, bl.items[i].owner, owner, sizeof owner);
        json_array_append_new(ballots,
                              json_pack("{s:s,s:s,s:f,s:s,s:s}", "unit", bl.items[i].unit, "owner",
                                        owner, "area_m2", (double)bl.items[i].area / 100, "vote",
                                        renewal_vote_name(bl.items[i].vote), "vote_label",
                                        renewal_vote_label(bl.items[i].vote)));
    }
    json_object_set_new(j, "ballots", ballots);
    json_object_set_new(j, "tally", tally_json(&t, v.matter));
    /* what a ballot may say: the form's choices come from the server */
    json_t *choices = json_array();
    for (int k = 0; k <= RENEWAL_VOTE_ABSENT; k++)
        json_array_append_new(choices, json_pack("{s:s,s:s}", "value", renewal_vote_name(k),
                                                 "label", renewal_vote_label(k)));
    json_object_set_new(j, "choices", choices);
    json_object_set_new(j, "may_record", json_boolean(auth_may(req->who, "renewal.ballot")));
    free(bl.items);
    return http_reply_json(resp, 200, j);
}

static int cast_ballot(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    json_t *b = NULL;
    const char *unit, *vote;
    enum renewal_vote v;
    int64_t id;
    if (vote_id(req, &id, &err) || http_read_json(req, &b, &err) ||
        http_json_string(b, "unit", true, &unit, &err) ||
        http_json_string(b, "vote", true, &vote, &err))
        goto fail;
    if (renewal_vote_parse(vote, &v)) {
        app_fail(&err, APP_ERR_INVALID, "bad_vote", "vote", "vote 应为 同意/反对/弃权/未参与");
        goto fail;
    }
    if (renewal_ballot_cast(req->db, req->who, id, unit, v, req->request_id, &err))
        goto fail;
    json_decref(b);
    return get_vote(req, resp);
fail:
    json_decref(b);
    return http_reply_error(resp, &err);
}

static int ballots_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct renewal_vote_rec v;
    struct renewal_ballot_list bl = {0};
    struct renewal_tally t;
    int64_t id;
    if (vote_id(req, &id, &err) || renewal_vote_get(req->db, req->who, id, &v, &bl, &t, &err)) {
        free(bl.items);
        return http_reply_error(resp, &err);
    }
    /* the same header `zhizhi vote tally` reads, so the file re-tallies */
    struct buf b = BUF_INIT;
    buf_puts(&b, "\xEF\xBB\xBFunit,owner,area,vote\r\n");
    for (size_t i = 0; i < bl.len; i++) {
        char owner[80], area[32];
        owner_shown(req->who, bl.items[i].owner, owner, sizeof owner);
        renewal_decimal_format(bl.items[i].area, 2, area, sizeof area);
        buf_put_csv(&b, bl.items[i].unit);
        buf_putc(&b, ',');
        buf_put_csv(&b, owner);
        buf_printf(&b, ",%s,%s\r\n", area, renewal_vote_label(bl.items[i].vote));
    }
    free(bl.items);
    char disp[80];
    snprintf(disp, sizeof disp, "attachment; filename=\"renewal-vote-%lld.csv\"", (long long)id);
    http_set_header(resp, "Content-Disposition", disp);
    int rc = http_reply_bytes(resp, 200, "text/csv; charset=utf-8", b.data, b.len);
    buf_release(&b);
    return rc;
}

const struct http_route renewal_vote_routes[] = {
    {"GET", "/api/v1/renewal/votes", list_votes, 0, "renewal.read"},
    {"POST", "/api/v1/renewal/projects/{code}/votes", open_vote, 0, "renewal.manage"},
    {"GET", "/api/v1/renewal/votes/{id}", get_vote, 0, "renewal.read"},
    {"GET", "/api/v1/renewal/votes/{id}/ballots.csv", ballots_csv, 0, "renewal.read"},
    {"POST", "/api/v1/renewal/votes/{id}/ballots", cast_ballot, 0, "renewal.ballot"},
    {NULL, NULL, NULL, 0, NULL},
};
