/* Thin handlers of the ledger at /api/v1/ledger/: figures as of a day (JSON and CSV, grouped by
 * department, source or category, with the changes since another day), the trend of 销号率, the
 * problems (JSON and CSV), one problem with its measures, marks and what the caller may do
 * next, and the writes: problems, measures, done, approve, close (销号), reopen (反弹). */
#include "ledger/ledger_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "event/event.h"
#include "ledger/ledger.h"

static json_t *rate_json(double v)
{
    return isnan(v) ? json_null() : json_real(round(v * 10000) / 10000);
}

static void counts_into(json_t *o, const struct ledger_counts *c)
{
    json_object_set_new(o, "problems", json_integer(c->problems));
    json_object_set_new(o, "measures", json_integer(c->measures));
    json_object_set_new(o, "closed", json_integer(c->closed));
    json_object_set_new(o, "closure_rate", rate_json(ledger_closure_rate(c)));
    json_object_set_new(o, "overdue_measures", json_integer(c->overdue_measures));
    json_object_set_new(o, "open", json_integer(c->open));
    json_object_set_new(o, "long_term", json_integer(c->long_term));
    json_object_set_new(o, "reopened", json_integer(c->reopened));
    json_object_set_new(o, "overdue_problems", json_integer(c->overdue_problems));
    json_object_set_new(o, "measures_done", json_integer(c->measures_done));
}

static json_t *figures_json(const struct ledger_figures *f)
{
    json_t *o = json_object(), *items = json_array();
    json_object_set_new(o, "as_of", json_string(f->as_of));
    json_object_set_new(o, "group_by",
                        f->group ? json_string(ledger_group_name(f->group)) : json_null());
    counts_into(o, &f->total);
    for (size_t i = 0; i < f->len; i++) {
        json_t *r = json_pack("{s:s,s:s}", "key", f->items[i].key, "label", f->items[i].label);
        counts_into(r, &f->items[i].c);
        json_array_append_new(items, r);
    }
    json_object_set_new(o, "items", items);
    return o;
}

/* as_of and group_by of the query string. */
static int read_figures_query(struct http_request *req, char *day, enum ledger_group *g,
                              struct app_error *err)
{
    int gi = ledger_group_parse(http_query(req, "group_by"));
    if (gi < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_group", "group_by",
                        "group_by 应为 department、source 或 category");
    *g = (enum ledger_group)gi;
    return ledger_day_parse(http_query(req, "as_of"), "as_of", day, err);
}

static int get_figures(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_book book;
    struct ledger_figures f, before;
    enum ledger_group g;
    char day[LEDGER_DATE], since[LEDGER_DATE];
    const char *s = http_query(req, "since");
    if (read_figures_query(req, day, &g, &err) ||
        (s && *s && ledger_day_parse(s, "since", since, &err)) ||
        ledger_book_load(req->db, req->who, &book, &err))
        return http_reply_error(resp, &err);
    ledger_figures_compute(&book, day, g, &f);
    json_t *o = figures_json(&f);
    if (s && *s) {
        /* The ledger of `since` beside this one, and what happened in between. */
        struct ledger_changes c;
        ledger_figures_compute(&book, since, g, &before);
        ledger_changes_compute(&book, since, day, &c);
        json_object_set_new(o, "since", figures_json(&before));
        json_object_set_new(o, "changes",
                            json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "from", since, "to", day,
                                      "problems_added", (json_int_t)c.problems_added,
                                      "measures_added", (json_int_t)c.measures_added, "closed",
                                      (json_int_t)c.closed, "reopened", (json_int_t)c.reopened));
        ledger_figures_release(&before);
    }
    ledger_figures_release(&f);
    ledger_book_release(&book);
    return http_reply_json(resp, 200, o);
}

static int get_figures_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_book book;
    struct ledger_figures f;
    enum ledger_group g;
    char day[LEDGER_DATE], disp[96];
    if (read_figures_query(req, day, &g, &err) || ledger_book_load(req->db, req->who, &book, &err))
        return http_reply_error(resp, &err);
    ledger_figures_compute(&book, day, g, &f);
    struct buf b = BUF_INIT;
    ledger_figures_csv(&f, &b);
    snprintf(disp, sizeof disp, "attachment; filename=\"ledger-figures-%s.csv\"", day);
    http_set_header(resp, "Content-Disposition", disp);
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
    buf_release(&b);
    ledger_figures_release(&f);
    ledger_book_release(&book);
    return 0;
}

/* 销号率 week by week from `from` (default 1 May of the as_of year) to as_of. */
static int get_trend(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_book book;
    char day[LEDGER_DATE], from[LEDGER_DATE];
    int64_t d0, d1;
    if (ledger_day_parse(http_query(req, "as_of"), "as_of", day, &err))
        return http_reply_error(resp, &err);
    snprintf(from, sizeof from, "%.4s-05-01", day);
    const char *f = http_query(req, "from");
    if ((f && *f && ledger_day_parse(f, "from", from, &err)))
        return http_reply_error(resp, &err);
    clock_parse_date(from, &d0);
    clock_parse_date(day, &d1);
    if (d0 > d1 || d1 - d0 > 3 * 366)
        return http_reply_problem(resp, APP_ERR_INVALID, "invalid_range", "from",
                                  "from 须早于 as_of，且不超过三年");
    if (ledger_book_load(req->db, req->who, &book, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    for (int64_t d = d1;; d -= 7) {
        int y, m, dd;
        char ds[LEDGER_DATE];
        clock_civil_from_days(d < d0 ? d0 : d, &y, &m, &dd);
        snprintf(ds, sizeof ds, "%04d-%02d-%02d", y, m, dd);
        struct ledger_figures fg;
        ledger_figures_compute(&book, ds, LEDGER_GROUP_NONE, &fg);
        json_t *o = json_pack("{s:s}", "date", ds);
        counts_into(o, &fg.total);
        json_array_insert_new(items, 0, o);
        ledger_figures_release(&fg);
        if (d <= d0)
            break;
    }
    ledger_book_release(&book);
    return http_reply_json(resp, 200,
                           json_pack("{s:s,s:s,s:o}", "from", from, "to", day, "items", items));
}

/* The forms of the actions the server offers (the same shape as an event's actions: name,
 * label, fields with name, type, label, required, max), so the apps draw them and copy no rule. */
struct form_field {
    const char *name, *type, *label;
    bool required;
    int max;
};
struct form {
    const char *name, *label, *verb; /* posted to /api/v1/ledger/{problems|measures}/{id}/verb */
    struct form_field fields[4];
};
static const struct form forms[] = {
    {"add_measure",
     "添加整改措施",
     "measures",
     {{"title", "text", "措施内容", true, 255},
      {"owner", "string", "责任人（用户名）", true, 63},
      {"deadline", "date", "完成时限", true, 0}}},
    {"close", "销号", "close", {{0}}},
    {"reopen", "标记反弹", "reopen", {{"reason", "text", "反弹原因", true, 255}}},
    {"spawn_event",
     "派发事件",
     "events",
     {{"category", "choice", "事件类别", true, 0},
      {"grid", "string", "所在网格编码", true, 23},
      {"description", "text", "事件描述", false, 2000}}},
    {"done",
     "报告完成",
     "done",
     {{"evidence", "text", "佐证说明", true, 1023},
      {"attachments", "photos", "佐证照片", false, 3},
      {"events", "string", "关联事件编号（逗号分隔）", false, 255}}},
    {"approve", "审核通过", "approve", {{0}}},
};

/* The event categories as choices (the spawn form). */
static json_t *category_choices(struct db *db)
{
    struct event_category_list l = {0};
    struct app_error err = {0};
    json_t *a = json_array();
    if (event_category_list(db, &l, &err) == 0)
        for (size_t i = 0; i < l.len; i++) {
            char label[160];
            snprintf(label, sizeof label, "%s · %s", l.items[i].major, l.items[i].name);
            json_array_append_new(a,
                                  json_pack("{s:s,s:s}", "value", l.items[i].code, "label", label));
        }
    event_category_list_release(&l);
    return a;
}

/* Append the offered action `name` on the problem or measure id with its form to arr. */
static void offer(json_t *arr, const char *name, int64_t id, struct db *db)
{
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        if (strcmp(forms[i].name, name))
            continue;
        json_t *fields = json_array();
        for (const struct form_field *f = forms[i].fields; f->name; f++) {
            json_t *fo = json_pack("{s:s,s:s,s:s,s:b}", "name", f->name, "type", f->type, "label",
                                   f->label, "required", f->required);
            json_object_set_new(fo, "max", f->max ? json_integer(f->max) : json_null());
            json_object_set_new(fo, "min", json_null());
            json_object_set_new(fo, "choices",
                                strcmp(f->type, "choice") ? json_null() : category_choices(db));
            json_array_append_new(fields, fo);
        }
        char path[96];
        bool measure = strcmp(name, "done") == 0 || strcmp(name, "approve") == 0;
        snprintf(path, sizeof path, "/api/v1/ledger/%s/%lld/%s", measure ? "measures" : "problems",
                 (long long)id, forms[i].verb);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o}", "name", name, "label",
                                             forms[i].label, "path", path, "fields", fields));
    }
}

static json_t *problem_json(const struct ledger_problem *p, enum ledger_status st)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:b}", "id",
                     (json_int_t)p->id, "title", p->title, "source", p->source, "category",
                     p->category, "department", p->department, "department_name",
                     p->department_name, "leader", p->leader, "deadline", p->deadline, "event",
                     p->event, "long_term", p->long_term, "created_on", p->created_on, "status",
                     ledger_status_name(st), "status_label", ledger_status_label(st), "synthetic",
                     p->synthetic);
}

static int get_problems(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_book book;
    char day[LEDGER_DATE];
    const char *status = http_query(req, "status"), *dep = http_query(req, "department");
    const char *src = http_query(req, "source"), *cat = http_query(req, "category");
    if (ledger_day_parse(http_query(req, "as_of"), "as_of", day, &err))
        return http_reply_error(resp, &err);
    if (status && *status && strcmp(status, "open") && strcmp(status, "closed") &&
        strcmp(status, "long_term"))
        return http_reply_problem(resp, APP_ERR_INVALID, "invalid_status", "status",
                                  "status 应为 open、closed 或 long_term");
    if (ledger_book_load(req->db, req->who, &book, &err))
        return http_reply_error(resp, &err);
    json_t *items = json_array();
    size_t k = 0;
    for (size_t i = 0; i < book.problems.len; i++) {
        const struct ledger_problem *p = &book.problems.items[i];
        while (k < book.marks.len && book.marks.items[k].problem_id < p->id)
            k++;
        size_t kh = k;
        while (kh < book.marks.len && book.marks.items[kh].problem_id == p->id)
            kh++;
        enum ledger_status st = ledger_status_as_of(p, book.marks.items + k, kh - k, day);
        if (!ledger_on_ledger(p, day) ||
            (status && *status && strcmp(status, ledger_status_name(st))) ||
            (dep && *dep && strcmp(dep, p->department)) ||
            (src && *src && strcmp(src, p->source)) || (cat && *cat && strcmp(cat, p->category)))
            continue;
        json_t *o = problem_json(p, st);
        json_object_set_new(o, "overdue", json_boolean(ledger_problem_overdue(p, st, day)));
        json_array_append_new(items, o);
    }
    ledger_book_release(&book);
    /* What the caller may do with the ledger as a whole: import the board's spreadsheet. */
    json_t *actions = json_array();
    if (auth_may(req->who, "ledger.write"))
        json_array_append_new(
            actions, json_pack("{s:s,s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:b}]}", "name", "import", "label",
                               "导入台账 CSV", "path", "/api/v1/ledger/problems.csv",
                               "content_type", "text/csv", "fields", "name", "file", "type", "file",
                               "label", "台账文件（CSV）", "required", 1));
    return http_reply_json(
        resp, 200, json_pack("{s:s,s:o,s:o}", "as_of", day, "items", items, "actions", actions));
}

static int get_problems_csv(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_book book;
    char day[LEDGER_DATE], disp[96];
    if (ledger_day_parse(http_query(req, "as_of"), "as_of", day, &err) ||
        ledger_book_load(req->db, req->who, &book, &err))
        return http_reply_error(resp, &err);
    struct buf b = BUF_INIT;
    ledger_problems_csv(&book, day, &b);
    snprintf(disp, sizeof disp, "attachment; filename=\"ledger-%s.csv\"", day);
    http_set_header(resp, "Content-Disposition", disp);
    http_reply_bytes(resp, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
    buf_release(&b);
    ledger_book_release(&book);
    return 0;
}

/* The id in the path; a malformed one is a missing one. */
static int path_id(struct http_request *req, int64_t *id, struct app_error *err)
{
    const char *s = http_param(req, "id");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "没有该记录");
    *id = v;
    return 0;
}

static int get_problem(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_problem p;
    struct ledger_measure_list ms = {0};
    struct ledger_mark_list ks = {0};
    int64_t id;
    if (path_id(req, &id, &err) || ledger_problem_get(req->db, req->who, id, &p, &ms, &ks, &err)) {
        free(ms.items);
        free(ks.items);
        return http_reply_error(resp, &err);
    }
    enum ledger_status st = ledger_status_as_of(&p, ks.items, ks.len, "9999-12-31");
    json_t *o = problem_json(&p, st), *measures = json_array(), *marks = json_array();
    json_t *actions = json_array();
    char today[LEDGER_DATE];
    ledger_today(today);
    for (size_t i = 0; i < ms.len; i++) {
        const struct ledger_measure *m = &ms.items[i];
        json_t *ma = json_array();
        if (ledger_may_report(req->who, m))
            offer(ma, "done", m->id, req->db);
        if (ledger_may_approve(req->who, m))
            offer(ma, "approve", m->id, req->db);
        json_t *files = json_array();
        char list[sizeof m->attachments], *save = NULL;
        snprintf(list, sizeof list, "%s", m->attachments);
        for (char *h = strtok_r(list, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
            char url[160];
            snprintf(url, sizeof url, "/api/v1/ledger/measures/%lld/files/%s", (long long)m->id, h);
            json_array_append_new(files, json_pack("{s:s,s:s}", "sha256", h, "url", url));
        }
        json_array_append_new(
            measures, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:o}", "id",
                                (json_int_t)m->id, "title", m->title, "owner", m->owner, "deadline",
                                m->deadline, "created_on", m->created_on, "done_on", m->done_on,
                                "evidence", m->evidence, "events", m->events, "approved_by",
                                m->approved_by, "approved_on", m->approved_on, "overdue",
                                ledger_measure_overdue(m, today), "files", files, "actions", ma));
    }
    for (size_t i = 0; i < ks.len; i++)
        json_array_append_new(marks, json_pack("{s:s,s:s,s:s,s:s}", "kind", ks.items[i].kind,
                                               "on_date", ks.items[i].on_date, "by",
                                               ks.items[i].by_user, "reason", ks.items[i].reason));
    if (ledger_may_add_measure(req->who, st))
        offer(actions, "add_measure", p.id, req->db);
    if (ledger_may_close(req->who, st))
        offer(actions, "close", p.id, req->db);
    if (ledger_may_reopen(req->who, st))
        offer(actions, "reopen", p.id, req->db);
    if (ledger_may_spawn_event(req->who, st))
        offer(actions, "spawn_event", p.id, req->db);
    char spawned[1024] = "";
    struct app_error eerr = {0};
    ledger_problem_events(req->db, p.id, spawned, sizeof spawned, &eerr);
    json_t *evs = json_array();
    char *save = NULL;
    for (char *c = strtok_r(spawned, ",", &save); c; c = strtok_r(NULL, ",", &save))
        json_array_append_new(evs, json_string(c));
    json_object_set_new(o, "events", evs);
    json_object_set_new(o, "measures", measures);
    json_object_set_new(o, "marks", marks);
    json_object_set_new(o, "actions", actions);
    free(ms.items);
    free(ks.items);
    return http_reply_json(resp, 200, o);
}

static int reply_id(struct http_response *resp, const char *what, int64_t id)
{
    char loc[96];
    snprintf(loc, sizeof loc, "/api/v1/ledger/%s/%lld", what, (long long)id);
    http_set_header(resp, "Location", loc);
    return http_reply_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int post_problem(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_problem_input in = {0};
    json_t *body = NULL, *lt;
    int64_t id;
    if (http_read_json(req, &body, &err) ||
        http_json_string(body, "title", false, &in.title, &err) ||
        http_json_string(body, "source", false, &in.source, &err) ||
        http_json_string(body, "category", false, &in.category, &err) ||
        http_json_string(body, "department", false, &in.department, &err) ||
        http_json_string(body, "deadline", false, &in.deadline, &err) ||
        http_json_string(body, "leader", false, &in.leader, &err) ||
        http_json_string(body, "event", false, &in.event, &err))
        goto fail;
    lt = json_object_get(body, "long_term");
    if (lt && !json_is_boolean(lt) && !json_is_null(lt)) {
        app_fail(&err, APP_ERR_INVALID, "invalid_type", "long_term",
                 "long_term 应为 true 或 false");
        goto fail;
    }
    in.long_term = lt && json_is_true(lt);
    if (ledger_problem_add(req->db, req->who, req->request_id, &in, &id, &err))
        goto fail;
    json_decref(body);
    return reply_id(resp, "problems", id);
fail:
    json_decref(body);
    return http_reply_error(resp, &err);
}

static int post_measure(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_measure_input in = {0};
    json_t *body = NULL;
    int64_t pid, id;
    if (path_id(req, &pid, &err) || http_read_json(req, &body, &err) ||
        http_json_string(body, "title", false, &in.title, &err) ||
        http_json_string(body, "owner", false, &in.owner, &err) ||
        http_json_string(body, "deadline", false, &in.deadline, &err) ||
        ledger_measure_add(req->db, req->who, req->request_id, pid, &in, &id, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return reply_id(resp, "measures", id);
}

/* "attachments": [sha, ...] of the done form into in (borrowed from body). */
static int read_files(json_t *body, struct ledger_done_input *in, struct app_error *err)
{
    json_t *arr = json_object_get(body, "attachments");
    if (!arr || json_is_null(arr))
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > LEDGER_FILES)
        return app_fail(err, APP_ERR_INVALID, "invalid_type", "attachments",
                        "attachments 须为不超过 %d 个附件编号的数组", LEDGER_FILES);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *v = json_string_value(json_array_get(arr, i));
        if (!v)
            return app_fail(err, APP_ERR_INVALID, "invalid_type", "attachments",
                            "attachments 须为附件编号（字符串）的数组");
        in->files[in->nfiles++] = v;
    }
    return 0;
}

static int post_done(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_done_input in = {0};
    json_t *body = NULL;
    int64_t id;
    if (path_id(req, &id, &err) || http_read_json(req, &body, &err) ||
        http_json_string(body, "evidence", false, &in.evidence, &err) ||
        http_json_string(body, "events", false, &in.events, &err) || read_files(body, &in, &err) ||
        ledger_measure_done(req->db, req->who, req->request_id, id, &in, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "done", 1));
}

static int get_file(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    char *data;
    size_t len;
    const char *mime;
    int64_t id;
    if (path_id(req, &id, &err) ||
        ledger_measure_file(req->app, req->db, req->who, id, http_param(req, "sha"), &data, &len,
                            &mime, &err))
        return http_reply_error(resp, &err);
    http_set_header(resp, "Cache-Control", "private, max-age=86400, immutable");
    http_reply_bytes(resp, 200, mime, data, len);
    free(data);
    return 0;
}

static int post_event(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_spawn_input in = {0};
    json_t *body = NULL;
    int64_t id;
    char code[32], loc[96];
    if (path_id(req, &id, &err) || http_read_json(req, &body, &err) ||
        http_json_string(body, "category", false, &in.category, &err) ||
        http_json_string(body, "grid", false, &in.grid, &err) ||
        http_json_string(body, "title", false, &in.title, &err) ||
        http_json_string(body, "description", false, &in.description, &err) ||
        ledger_problem_spawn_event(req->app, req->db, req->who, req->request_id, id, &in, code,
                                   &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    snprintf(loc, sizeof loc, "/api/v1/events/%s", code);
    http_set_header(resp, "Location", loc);
    return http_reply_json(resp, 201,
                           json_pack("{s:s,s:I}", "event", code, "problem", (json_int_t)id));
}

static int post_approve(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    int64_t id;
    if (path_id(req, &id, &err) ||
        ledger_measure_approve(req->db, req->who, req->request_id, id, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "approved", 1));
}

static int post_close(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    int64_t id;
    if (path_id(req, &id, &err) ||
        ledger_problem_close(req->db, req->who, req->request_id, id, &err))
        return http_reply_error(resp, &err);
    return http_reply_json(resp, 200,
                           json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "closed",
                                     "status_label", ledger_status_label(LEDGER_CLOSED)));
}

static int post_reopen(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    const char *reason = NULL;
    json_t *body = NULL;
    int64_t id;
    if (path_id(req, &id, &err) || http_read_json(req, &body, &err) ||
        http_json_string(body, "reason", false, &reason, &err) ||
        ledger_problem_reopen(req->db, req->who, req->request_id, id, reason, &err)) {
        json_decref(body);
        return http_reply_error(resp, &err);
    }
    json_decref(body);
    return http_reply_json(resp, 200,
                           json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "status", "open",
                                     "status_label", ledger_status_label(LEDGER_OPEN)));
}

/* POST /api/v1/ledger/problems.csv (text/csv): the board's spreadsheet, all or nothing. */
static int post_import(struct http_request *req, struct http_response *resp)
{
    struct app_error err = {0};
    struct ledger_import_result res;
    const char *ct = http_header(req, "Content-Type");
    if (!ct || strncasecmp(ct, "text/csv", 8) != 0)
        return http_reply_problem(resp, APP_ERR_UNSUPPORTED, "unsupported_media_type",
                                  "Content-Type", "请以 text/csv 上传");
    if (ledger_import_csv(req->db, req->who, req->request_id, req->body ? req->body : "",
                          req->body_len, &res, &err) == 0) {
        json_t *o = json_pack("{s:I,s:I}", "problems", (json_int_t)res.problems, "measures",
                              (json_int_t)res.measures);
        ledger_import_result_release(&res);
        return http_reply_json(resp, 201, o);
    }
    http_reply_error(resp, &err);
    if (res.nerrors) {
        /* every refused row, by line (RFC 9457 extension member "errors") */
        json_error_t je;
        json_t *p = json_loadb(resp->body.data, resp->body.len, 0, &je);
        json_t *rows = json_array();
        for (size_t i = 0; i < res.nerrors; i++) {
            const struct ledger_row_error *e = &res.errors[i];
            json_array_append_new(rows, json_pack("{s:i,s:s,s:s,s:s}", "line", e->line, "field",
                                                  e->field, "code", e->code, "detail", e->message));
        }
        json_object_set_new(p, "errors", rows);
        int status = resp->status;
        http_reply_json(resp, status, p);
        snprintf(resp->content_type, sizeof(resp->content_type), "application/problem+json");
    }
    ledger_import_result_release(&res);
    return 0;
}

const struct http_route ledger_routes[] = {
    {"GET", "/api/v1/ledger/figures", get_figures, 0, "ledger.read"},
    {"GET", "/api/v1/ledger/figures.csv", get_figures_csv, 0, "ledger.read"},
    {"GET", "/api/v1/ledger/trend", get_trend, 0, "ledger.read"},
    {"GET", "/api/v1/ledger/problems", get_problems, 0, "ledger.read"},
    {"GET", "/api/v1/ledger/problems.csv", get_problems_csv, 0, "ledger.read"},
    {"POST", "/api/v1/ledger/problems", post_problem, 0, "ledger.write"},
    {"POST", "/api/v1/ledger/problems.csv", post_import, HTTP_RAW_BODY, "ledger.write"},
    {"GET", "/api/v1/ledger/problems/{id}", get_problem, 0, "ledger.read"},
    {"POST", "/api/v1/ledger/problems/{id}/measures", post_measure, 0, "ledger.write"},
    {"POST", "/api/v1/ledger/problems/{id}/close", post_close, 0, "ledger.close"},
    {"POST", "/api/v1/ledger/problems/{id}/reopen", post_reopen, 0, "ledger.reopen"},
    {"POST", "/api/v1/ledger/measures/{id}/done", post_done, 0, "ledger.report"},
    {"POST", "/api/v1/ledger/measures/{id}/approve", post_approve, 0, "ledger.approve"},
    {"GET", "/api/v1/ledger/measures/{id}/files/{sha}", get_file, 0, "ledger.read"},
    {"POST", "/api/v1/ledger/problems/{id}/events", post_event, 0, "ledger.write"},
    {NULL, NULL, NULL, 0, NULL},
};
