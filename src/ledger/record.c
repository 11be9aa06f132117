/* The ledger on the record: reads scoped to who may see them, and the writes — problems,
 * measures, done with evidence, approval, 销号 and 反弹 — each in one transaction with its audit
 * row; and the links to the event loop (evidence files, events spawned from a problem). */
#include "ledger/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "event/event.h"
#include "ledger/ledger_store.h"

static void set(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

/* ---- reads ----------------------------------------------------------------------------------- */

void ledger_today(char out[LEDGER_DATE])
{
    clock_format_date(clock_now(), out, LEDGER_DATE);
}

int ledger_day_parse(const char *s, const char *field, char out[LEDGER_DATE], struct app_error *err)
{
    int64_t days;
    if (!s || !*s) {
        ledger_today(out);
        return 0;
    }
    if (clock_parse_date(s, &days))
        return app_fail(err, APP_ERR_INVALID, "invalid_date", field, "%s 应为 YYYY-MM-DD 日期",
                        field);
    set(out, LEDGER_DATE, s);
    return 0;
}

/* The scope of who's reads; false when who may read nothing of the ledger. */
static bool scope_of(const struct auth_principal *who, struct ledger_scope *s)
{
    memset(s, 0, sizeof *s);
    if (!auth_may(who, "ledger.read"))
        return false;
    if (who->role == AUTH_ROLE_ADMIN)
        return true;
    if (who->role == AUTH_ROLE_DEPARTMENT) {
        s->department = who->department;
        return who->department[0] != 0;
    }
    s->region = auth_scope_region(who);
    return s->region && s->region[0];
}

bool ledger_problem_visible(const struct auth_principal *who, const struct ledger_problem *p)
{
    struct ledger_scope s;
    if (!scope_of(who, &s))
        return false;
    if (s.department)
        return strcmp(s.department, p->department) == 0;
    return !s.region || auth_region_in_scope(who, p->department_region);
}

int ledger_book_load(struct db *db, const struct auth_principal *who, struct ledger_book *out,
                     struct app_error *err)
{
    struct ledger_scope s;
    memset(out, 0, sizeof *out);
    if (!scope_of(who, &s))
        return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "当前角色无权查看整改台账");
    if (ledger_store_book(db, &s, out, err)) {
        ledger_book_release(out);
        return -1;
    }
    return 0;
}

static int problem_load(struct db *db, const struct auth_principal *who, int64_t id,
                        struct ledger_problem *p, struct app_error *err)
{
    bool found = false;
    if (ledger_store_problem_get(db, id, p, &found, err))
        return -1;
    if (!found || !ledger_problem_visible(who, p))
        return app_fail(err, APP_ERR_NOT_FOUND, "problem_not_found", NULL, "台账中没有该问题");
    return 0;
}

int ledger_problem_get(struct db *db, const struct auth_principal *who, int64_t id,
                       struct ledger_problem *p, struct ledger_measure_list *measures,
                       struct ledger_mark_list *marks, struct app_error *err)
{
    if (problem_load(db, who, id, p, err) || ledger_store_measures_of(db, id, measures, err) ||
        ledger_store_marks_of(db, id, marks, err))
        return -1;
    return 0;
}

/* ---- writes ---------------------------------------------------------------------------------- */

static char *problem_canonical(const struct ledger_problem *p)
{
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "id=%lld;title=%s;source=%s;category=%s;department=%s;leader=%s;deadline=%s;"
               "event=%s;long_term=%d;created_on=%s",
               (long long)p->id, p->title, p->source, p->category, p->department, p->leader,
               p->deadline, p->event, p->long_term, p->created_on);
    return buf_detach(&b, NULL);
}

static char *measure_canonical(const struct ledger_measure *m)
{
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "id=%lld;problem=%lld;title=%s;owner=%s;deadline=%s;created_on=%s;done_on=%s;"
               "evidence=%s;events=%s;attachments=%s;approved_by=%s;approved_on=%s",
               (long long)m->id, (long long)m->problem_id, m->title, m->owner, m->deadline,
               m->created_on, m->done_on, m->evidence, m->events, m->attachments, m->approved_by,
               m->approved_on);
    return buf_detach(&b, NULL);
}

/* Can who read event code? 1 yes (its canonical code into canon when given), 0 no, -1 error. */
static int event_readable(struct db *db, const struct auth_principal *who, const char *code,
                          char *canon, size_t n)
{
    struct event *e = xcalloc(1, sizeof *e);
    struct app_error eerr = {0};
    int rc = event_get(db, who, code, true, e, &eerr);
    if (rc == 0 && canon)
        snprintf(canon, n, "%s", e->code);
    if (rc == 0)
        event_release(e);
    free(e);
    if (rc == 0)
        return 1;
    return eerr.code == APP_ERR_NOT_FOUND || eerr.code == APP_ERR_FORBIDDEN ||
                   eerr.code == APP_ERR_INVALID
               ? 0
               : -1;
}

/* Append the audit row of a write and commit, or roll back. */
static int audit_commit(struct db *db, const struct auth_principal *who, const char *request_id,
                        const char *action, const char *type, int64_t id, const char *region,
                        char *before, char *after, struct app_error *err)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    struct audit_entry e = {who, action, type, oid, request_id, before, after, region};
    int rc = audit_append(db, &e, err) || db_commit(db, err) ? -1 : 0;
    if (rc)
        db_rollback(db);
    free(before);
    free(after);
    return rc;
}

int ledger_problem_add_within(struct db *db, const struct auth_principal *who,
                              const char *request_id, const struct ledger_problem_input *in,
                              int64_t *id, struct app_error *err)
{
    struct ledger_problem p = {0};
    bool found = false;
    if (ledger_check_text(in->title, "title", sizeof p.title, true, err))
        return -1;
    if (!ledger_source_valid(in->source))
        return app_fail(err, APP_ERR_INVALID, "invalid_source", "source",
                        "来源须为督查、巡察、审计、群众反映、自查或上级交办");
    if (ledger_check_text(in->category, "category", sizeof p.category, true, err) ||
        ledger_check_text(in->leader, "leader", sizeof p.leader, false, err) ||
        ledger_check_date(in->deadline, "deadline", err))
        return -1;
    if (!in->department || !*in->department ||
        ledger_store_department(db, in->department, p.department_name, sizeof p.department_name,
                                p.department_region, sizeof p.department_region, &found, err))
        return in->department && *in->department ? -1
                                                 : app_fail(err, APP_ERR_INVALID, "missing_field",
                                                            "department", "请填写责任单位");
    set(p.department, sizeof p.department, in->department);
    if (!found || !ledger_problem_visible(who, &p))
        return app_fail(err, APP_ERR_INVALID, "unknown_department", "department",
                        "没有该责任单位（或不在本辖区）");
    if (in->event && *in->event) {
        int rc = event_readable(db, who, in->event, p.event, sizeof p.event);
        if (rc < 0)
            return app_fail(err, APP_ERR_INTERNAL, "db_error", NULL, "读取事件失败");
        if (rc == 0)
            return app_fail(err, APP_ERR_INVALID, "unknown_event", "event", "没有该事件");
    }
    set(p.title, sizeof p.title, in->title);
    set(p.source, sizeof p.source, in->source);
    set(p.category, sizeof p.category, in->category);
    set(p.leader, sizeof p.leader, in->leader);
    set(p.deadline, sizeof p.deadline, in->deadline);
    p.long_term = in->long_term;
    ledger_today(p.created_on);
    p.created_at = clock_now();
    set(p.created_by, sizeof p.created_by, who ? who->username : "system");
    if (ledger_store_problem_insert(db, &p, id, err))
        return -1;
    p.id = *id;
    char oid[24], *after = problem_canonical(&p);
    snprintf(oid, sizeof oid, "%lld", (long long)p.id);
    struct audit_entry e = {who,  "ledger.problem.create", "ledger_problem", oid, request_id,
                            NULL, after,                   p.department_region};
    int rc = audit_append(db, &e, err);
    free(after);
    return rc;
}

int ledger_problem_add(struct db *db, const struct auth_principal *who, const char *request_id,
                       const struct ledger_problem_input *in, int64_t *id, struct app_error *err)
{
    if (db_begin(db, err))
        return -1;
    if (ledger_problem_add_within(db, who, request_id, in, id, err) || db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

static int measure_load(struct db *db, const struct auth_principal *who, int64_t id,
                        struct ledger_measure *m, struct ledger_problem *p, struct app_error *err)
{
    bool found = false;
    if (ledger_store_measure_get(db, id, m, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "measure_not_found", NULL, "没有该整改措施");
    if (problem_load(db, who, m->problem_id, p, err)) {
        if (err)
            set(err->code_name, sizeof err->code_name, "measure_not_found");
        return -1;
    }
    return 0;
}

/* The problem's status today. */
static int status_now(struct db *db, const struct ledger_problem *p, enum ledger_status *st,
                      struct app_error *err)
{
    struct ledger_mark_list marks = {0};
    if (ledger_store_marks_of(db, p->id, &marks, err))
        return -1;
    /* The status now is the last mark whatever its day (a mark is never in the future). */
    *st = ledger_status_as_of(p, marks.items, marks.len, "9999-12-31");
    free(marks.items);
    return 0;
}

int ledger_measure_add(struct db *db, const struct auth_principal *who, const char *request_id,
                       int64_t problem_id, const struct ledger_measure_input *in, int64_t *id,
                       struct app_error *err)
{
    struct ledger_problem p;
    struct ledger_measure m = {0};
    enum ledger_status st;
    if (problem_load(db, who, problem_id, &p, err) || status_now(db, &p, &st, err))
        return -1;
    if (ledger_check_text(in->title, "title", sizeof m.title, true, err) ||
        ledger_check_date(in->deadline, "deadline", err))
        return -1;
    struct auth_user u;
    struct app_error uerr = {0};
    if (!in->owner || !*in->owner)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "owner", "请填写责任人");
    if (auth_user_get(db, in->owner, &u, &uerr))
        return app_fail(err, APP_ERR_INVALID, "unknown_user", "owner", "没有该用户");
    if (st == LEDGER_CLOSED)
        return app_fail(err, APP_ERR_CONFLICT, "problem_closed", NULL,
                        "问题已销号；如有反弹请先标记反弹");
    m.problem_id = problem_id;
    set(m.title, sizeof m.title, in->title);
    set(m.owner, sizeof m.owner, in->owner);
    set(m.deadline, sizeof m.deadline, in->deadline);
    ledger_today(m.created_on);
    if (db_begin(db, err))
        return -1;
    if (ledger_store_measure_insert(db, &m, id, err)) {
        db_rollback(db);
        return -1;
    }
    m.id = *id;
    return audit_commit(db, who, request_id, "ledger.measure.create", "ledger_measure", m.id,
                        p.department_region, NULL, measure_canonical(&m), err);
}

/* Each comma-separated event code of list is one who can read; APP_ERR_INVALID naming it. */
static int check_events(struct db *db, const struct auth_principal *who, const char *list,
                        struct app_error *err)
{
    char copy[256], *save = NULL;
    set(copy, sizeof copy, list);
    for (char *c = strtok_r(copy, ", ", &save); c; c = strtok_r(NULL, ", ", &save)) {
        int rc = event_readable(db, who, c, NULL, 0);
        if (rc < 0)
            return app_fail(err, APP_ERR_INTERNAL, "db_error", NULL, "读取事件失败");
        if (rc == 0)
            return app_fail(err, APP_ERR_INVALID, "unknown_event", "events", "没有事件 %s", c);
    }
    return 0;
}

/* The evidence files: each an attachment who may use, at most LEDGER_FILES, joined into out. */
static int check_files(struct db *db, const struct auth_principal *who,
                       const struct ledger_done_input *in, char *out, size_t n,
                       struct app_error *err)
{
    size_t used = 0;
    out[0] = 0;
    if (in->nfiles < 0 || in->nfiles > LEDGER_FILES)
        return app_fail(err, APP_ERR_INVALID, "too_many", "attachments", "佐证文件最多 %d 个",
                        LEDGER_FILES);
    for (int i = 0; i < in->nfiles; i++) {
        int rc = event_attachment_may_use(db, who, in->files[i], err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return app_fail(err, APP_ERR_INVALID, "unknown_attachment", "attachments",
                            "第 %d 个佐证文件不存在或无权使用，请重新上传", i + 1);
        used += (size_t)snprintf(out + used, used < n ? n - used : 0, "%s%s", i ? "," : "",
                                 in->files[i]);
    }
    return 0;
}

int ledger_measure_done(struct db *db, const struct auth_principal *who, const char *request_id,
                        int64_t id, const struct ledger_done_input *in, struct app_error *err)
{
    struct ledger_measure m;
    struct ledger_problem p;
    if (measure_load(db, who, id, &m, &p, err))
        return -1;
    if (m.done_on[0])
        return app_fail(err, APP_ERR_CONFLICT, "already_done", NULL, "该措施已完成");
    if (!ledger_may_report(who, &m))
        return app_fail(err, APP_ERR_FORBIDDEN, "not_owner", NULL, "只有措施责任人可报完成");
    if (ledger_check_text(in->evidence, "evidence", sizeof m.evidence, true, err) ||
        ledger_check_text(in->events, "events", sizeof m.events, false, err) ||
        check_events(db, who, in->events, err))
        return -1;
    char files[sizeof m.attachments];
    if (check_files(db, who, in, files, sizeof files, err))
        return -1;
    char *before = measure_canonical(&m);
    ledger_today(m.done_on);
    set(m.evidence, sizeof m.evidence, in->evidence);
    set(m.events, sizeof m.events, in->events);
    set(m.attachments, sizeof m.attachments, files);
    if (db_begin(db, err)) {
        free(before);
        return -1;
    }
    if (ledger_store_measure_update(db, &m, err)) {
        db_rollback(db);
        free(before);
        return -1;
    }
    return audit_commit(db, who, request_id, "ledger.measure.done", "ledger_measure", m.id,
                        p.department_region, before, measure_canonical(&m), err);
}

/* Is sha one of the comma-separated list? */
static bool listed(const char *list, const char *sha)
{
    size_t n = strlen(sha);
    for (const char *s = list; n && *s;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len == n && memcmp(s, sha, n) == 0)
            return true;
        if (!e)
            break;
        s = e + 1;
    }
    return false;
}

int ledger_measure_file(struct app *app, struct db *db, const struct auth_principal *who,
                        int64_t id, const char *sha, char **data, size_t *len, const char **mime,
                        struct app_error *err)
{
    struct ledger_measure m;
    struct ledger_problem p;
    *data = NULL;
    if (measure_load(db, who, id, &m, &p, err))
        return -1;
    if (!sha || !listed(m.attachments, sha))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "该措施没有这个佐证文件");
    return event_attachment_read(app, db, sha, data, len, mime, err);
}

int ledger_measure_approve(struct db *db, const struct auth_principal *who, const char *request_id,
                           int64_t id, struct app_error *err)
{
    struct ledger_measure m;
    struct ledger_problem p;
    if (measure_load(db, who, id, &m, &p, err))
        return -1;
    if (!m.done_on[0] || !m.evidence[0])
        return app_fail(err, APP_ERR_CONFLICT, "measure_open", NULL,
                        "措施尚未完成或没有佐证，不能审核");
    if (m.approved_by[0])
        return app_fail(err, APP_ERR_CONFLICT, "already_approved", NULL, "该措施已审核");
    if (who && strcmp(who->username, m.owner) == 0)
        return app_fail(err, APP_ERR_CONFLICT, "self_approval", NULL, "责任人不能审核自己的措施");
    char *before = measure_canonical(&m);
    set(m.approved_by, sizeof m.approved_by, who ? who->username : "system");
    ledger_today(m.approved_on);
    if (db_begin(db, err)) {
        free(before);
        return -1;
    }
    if (ledger_store_measure_update(db, &m, err)) {
        db_rollback(db);
        free(before);
        return -1;
    }
    return audit_commit(db, who, request_id, "ledger.measure.approve", "ledger_measure", m.id,
                        p.department_region, before, measure_canonical(&m), err);
}

static int add_mark(struct db *db, const struct auth_principal *who, const char *request_id,
                    const struct ledger_problem *p, const char *kind, const char *reason,
                    struct app_error *err)
{
    struct ledger_mark k = {.problem_id = p->id, .at = clock_now()};
    int64_t mid;
    set(k.kind, sizeof k.kind, kind);
    ledger_today(k.on_date);
    set(k.by_user, sizeof k.by_user, who ? who->username : "system");
    set(k.reason, sizeof k.reason, reason);
    if (db_begin(db, err))
        return -1;
    if (ledger_store_mark_insert(db, &k, &mid, err)) {
        db_rollback(db);
        return -1;
    }
    struct buf b = BUF_INIT;
    buf_printf(&b, "problem=%lld;kind=%s;on=%s;by=%s;reason=%s", (long long)p->id, k.kind,
               k.on_date, k.by_user, k.reason);
    return audit_commit(
        db, who, request_id,
        strcmp(kind, "close") == 0 ? "ledger.problem.close" : "ledger.problem.reopen",
        "ledger_problem", p->id, p->department_region, NULL, buf_detach(&b, NULL), err);
}

int ledger_problem_close(struct db *db, const struct auth_principal *who, const char *request_id,
                         int64_t id, struct app_error *err)
{
    struct ledger_problem p;
    struct ledger_measure_list ms = {0};
    enum ledger_status st;
    int ret = -1;
    if (problem_load(db, who, id, &p, err) || status_now(db, &p, &st, err) ||
        ledger_store_measures_of(db, id, &ms, err))
        goto out;
    if (ledger_close_check(st, ms.items, ms.len, id, err))
        goto out;
    ret = add_mark(db, who, request_id, &p, "close", "", err);
out:
    free(ms.items);
    return ret;
}

int ledger_problem_reopen(struct db *db, const struct auth_principal *who, const char *request_id,
                          int64_t id, const char *reason, struct app_error *err)
{
    struct ledger_problem p;
    enum ledger_status st;
    if (problem_load(db, who, id, &p, err) || status_now(db, &p, &st, err))
        return -1;
    if (ledger_check_text(reason, "reason", 256, true, err))
        return -1;
    if (st != LEDGER_CLOSED)
        return app_fail(err, APP_ERR_CONFLICT, "not_closed", NULL, "只有已销号的问题才能标记反弹");
    return add_mark(db, who, request_id, &p, "reopen", reason, err);
}

bool ledger_may_spawn_event(const struct auth_principal *who, enum ledger_status now)
{
    return auth_may(who, "ledger.write") && auth_may(who, "event.create") && now != LEDGER_CLOSED;
}

int ledger_problem_events(struct db *db, int64_t id, char *out, size_t n, struct app_error *err)
{
    return ledger_store_problem_events(db, id, out, n, err);
}

int ledger_problem_spawn_event(struct app *app, struct db *db, const struct auth_principal *who,
                               const char *request_id, int64_t id,
                               const struct ledger_spawn_input *in, char code[32],
                               struct app_error *err)
{
    struct ledger_problem p;
    enum ledger_status st;
    if (problem_load(db, who, id, &p, err) || status_now(db, &p, &st, err))
        return -1;
    if (st == LEDGER_CLOSED)
        return app_fail(err, APP_ERR_CONFLICT, "problem_closed", NULL,
                        "问题已销号，不能再派发事件；如有反弹请先标记反弹");
    if (!ledger_may_spawn_event(who, st))
        return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "当前角色不能由台账派发事件");
    if (!in->grid || !*in->grid)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "grid", "请填写事件所在网格");
    char pid[24], title[256];
    snprintf(pid, sizeof pid, "%lld", (long long)p.id);
    snprintf(title, sizeof title, "%s", in->title && *in->title ? in->title : p.title);
    struct event_input ei = {.channel = EVENT_CHANNEL_SUPERVISION,
                             .category = in->category,
                             .title = title,
                             .description = in->description,
                             .grid = in->grid,
                             .urgency = -1,
                             .link_type = "ledger",
                             .link_id = pid};
    struct event ev = {0};
    char today[LEDGER_DATE];
    ledger_today(today);
    if (db_begin(db, err))
        return -1;
    if (event_create(app, db, who, &ei, request_id, &ev, err) ||
        ledger_store_problem_event_insert(db, p.id, ev.code, today, who ? who->username : "system",
                                          err)) {
        db_rollback(db);
        event_release(&ev);
        return -1;
    }
    snprintf(code, 32, "%s", ev.code);
    event_release(&ev);
    struct buf b = BUF_INIT;
    buf_printf(&b, "problem=%lld;event=%s;on=%s", (long long)p.id, code, today);
    return audit_commit(db, who, request_id, "ledger.problem.event", "ledger_problem", p.id,
                        p.department_region, NULL, buf_detach(&b, NULL), err);
}
