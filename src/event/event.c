/* Domain rules of the event closed loop: the vocabularies, the workflow transition table
 * (governance.md §1.4: CJJ/T 106 phases, 监督员/受理员/值班长/派遣员/专业部门 roles and the
 * 延时/回退/挂账/作废/自处理 exception flows), stage deadlines, scope, and the orchestration of
 * intake and transitions inside one transaction with history, audit and live updates. */
#include "event/event.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "event/event_internal.h"
#include "geo/geo.h"
#include "org/org.h"

/* ---- vocabularies ------------------------------------------------------------------------ */

static const char *const channel_names[][2] = {
    {"grid_patrol", "网格员巡查"}, {"hotline_12345", "12345热线"}, {"citizen_qr", "码上举报"},
    {"enterprise", "企业诉求"},    {"visit", "下访接访"},          {"supervision", "监督"},
    {"sensor", "传感器预警"},      {"assigned", "上级交办"},
};
static const char *const urgency_names[][2] = {
    {"normal", "一般"}, {"urgent", "紧急"}, {"critical", "特急"}};
static const char *const state_names[][2] = {
    {"reported", "上报"},   {"verifying", "核实"}, {"registered", "立案"},
    {"dispatched", "派遣"}, {"handling", "处置"},  {"feedback", "反馈"},
    {"checking", "核查"},   {"closed", "结案"},    {"revisited", "已回访"},
    {"returned", "退回"},   {"parked", "挂账"},    {"void_pending", "作废待批"},
    {"voided", "作废"},     {"merged", "并案"},
};
static const char *const level_names[] = {"street", "district", "city"};
static const char *const alert_names[] = {"none", "yellow", "red"};
static const char *const sat_names[] = {"none", "satisfied", "basic", "unsatisfied"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int parse_name(const char *s, const char *const names[][2], size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, names[i][0]) == 0)
            return (int)i;
    return -1;
}

const char *event_channel_name(enum event_channel c)
{
    return (unsigned)c < COUNT(channel_names) ? channel_names[c][0] : "";
}
const char *event_channel_label(enum event_channel c)
{
    return (unsigned)c < COUNT(channel_names) ? channel_names[c][1] : "";
}
int event_channel_parse(const char *s)
{
    return parse_name(s, channel_names, COUNT(channel_names));
}
const char *event_urgency_name(enum event_urgency u)
{
    return (unsigned)u < COUNT(urgency_names) ? urgency_names[u][0] : "";
}
const char *event_urgency_label(enum event_urgency u)
{
    return (unsigned)u < COUNT(urgency_names) ? urgency_names[u][1] : "";
}
int event_urgency_parse(const char *s)
{
    return parse_name(s, urgency_names, COUNT(urgency_names));
}
const char *event_state_name(enum event_state s)
{
    return (unsigned)s < COUNT(state_names) ? state_names[s][0] : "";
}
const char *event_state_label(enum event_state s)
{
    return (unsigned)s < COUNT(state_names) ? state_names[s][1] : "";
}
int event_state_parse(const char *s)
{
    return parse_name(s, state_names, COUNT(state_names));
}
const char *event_level_name(enum event_level l)
{
    return (unsigned)l < COUNT(level_names) ? level_names[l] : "";
}
int event_level_parse(const char *s)
{
    for (size_t i = 0; s && i < COUNT(level_names); i++)
        if (strcmp(s, level_names[i]) == 0)
            return (int)i;
    return -1;
}
const char *event_alert_name(enum event_alert a)
{
    return (unsigned)a < COUNT(alert_names) ? alert_names[a] : "none";
}
const char *event_satisfaction_name(enum event_satisfaction s)
{
    return (unsigned)s < COUNT(sat_names) ? sat_names[s] : "none";
}
int event_satisfaction_parse(const char *s)
{
    for (size_t i = 1; s && i < COUNT(sat_names); i++)
        if (strcmp(s, sat_names[i]) == 0)
            return (int)i;
    return -1;
}

bool event_state_final(enum event_state s)
{
    return s == EVENT_STATE_REVISITED || s == EVENT_STATE_VOIDED || s == EVENT_STATE_MERGED;
}

bool event_state_open(enum event_state s)
{
    return !event_state_final(s) && s != EVENT_STATE_CLOSED;
}

void event_release(struct event *e)
{
    if (!e)
        return;
    free(e->description);
    e->description = NULL;
}

void event_list_release(struct event_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->len; i++)
        event_release(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

void event_history_release(struct event_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->len; i++) {
        free(h->items[i].comment);
        free(h->items[i].attachments);
    }
    free(h->items);
    memset(h, 0, sizeof(*h));
}

void event_category_list_release(struct event_category_list *l)
{
    if (!l)
        return;
    free(l->items);
    memset(l, 0, sizeof(*l));
}

/* ---- the transition table ---------------------------------------------------------------- */

#define C EVENT_PARTY_CENTER
#define A EVENT_PARTY_ASSIGNEE
#define G EVENT_PARTY_GRID
#define S EVENT_PARTY_SYSTEM
#define R EVENT_PARTY_REPORTER
#define ST(x) EVENT_STATE_##x
#define GU(x) EVENT_GUARD_##x

/* {from, action, to, who may, guard, reason required, label}. Rows with the same from and
 * action are tried in order; the first whose party and guard pass wins (revisit). */
static const struct event_rule rules[] = {
    /* 受理/核实: public reports are verified on site by a grid worker before 立案. */
    {ST(REPORTED), "accept", ST(VERIFYING), C, GU(NONE), false, "受理并派核实"},
    {ST(REPORTED), "register", ST(REGISTERED), C | S, GU(TRUSTED), false, "立案"},
    {ST(VERIFYING), "verify", ST(REGISTERED), C | G, GU(NONE), false, "核实属实并立案"},
    /* 作废 needs a request and a center's approval. */
    {ST(REPORTED), "void", ST(VOID_PENDING), C | G, GU(NONE), true, "申请作废"},
    {ST(VERIFYING), "void", ST(VOID_PENDING), C | G, GU(NONE), true, "申请作废"},
    {ST(REGISTERED), "void", ST(VOID_PENDING), C, GU(NONE), true, "申请作废"},
    {ST(VOID_PENDING), "approve_void", ST(VOIDED), C, GU(NONE), false, "批准作废"},
    {ST(VOID_PENDING), "reject_void", EVENT_TO_PREV, C, GU(NONE), false, "驳回作废"},
    /* 派遣 and re-dispatch after 退回. */
    {ST(REGISTERED), "dispatch", ST(DISPATCHED), C | S, GU(NONE), false, "派遣"},
    {ST(RETURNED), "dispatch", ST(DISPATCHED), C, GU(NONE), false, "派遣"},
    {ST(DISPATCHED), "sign", ST(HANDLING), A, GU(NONE), false, "签收"},
    {ST(DISPATCHED), "return", ST(RETURNED), A, GU(NONE), true, "退回"},
    {ST(HANDLING), "return", ST(RETURNED), A, GU(NONE), true, "退回"},
    /* 延期: the assignee asks, a center decides. */
    {ST(HANDLING), "request_extension", ST(HANDLING), A, GU(EXT_NEW), true, "申请延期"},
    {ST(HANDLING), "approve_extension", ST(HANDLING), C, GU(EXT_PENDING), false, "批准延期"},
    {ST(HANDLING), "reject_extension", ST(HANDLING), C, GU(EXT_PENDING), false, "驳回延期"},
    {ST(HANDLING), "feedback", ST(FEEDBACK), A, GU(RESULT), false, "处置反馈"},
    /* 核查结案 (CJJ/T 106 phase 6): by someone other than the handler; failure = 返工. */
    {ST(FEEDBACK), "send_check", ST(CHECKING), C, GU(NONE), false, "派核查"},
    {ST(CHECKING), "check_pass", ST(CLOSED), C | G, GU(NOT_HANDLER), false, "核查通过并结案"},
    {ST(CHECKING), "check_fail", ST(HANDLING), C | G, GU(NOT_HANDLER), true, "核查不通过(返工)"},
    /* 回访: 不满意 reopens once. */
    {ST(CLOSED), "revisit", ST(HANDLING), C | R, GU(REOPEN), false, "回访(不满意,重办)"},
    {ST(CLOSED), "revisit", ST(REVISITED), C | R, GU(SATISFACTION), false, "回访"},
    /* 挂账 and 恢复. */
    {ST(REGISTERED), "park", ST(PARKED), C, GU(NONE), true, "挂账"},
    {ST(DISPATCHED), "park", ST(PARKED), C, GU(NONE), true, "挂账"},
    {ST(HANDLING), "park", ST(PARKED), C, GU(NONE), true, "挂账"},
    {ST(RETURNED), "park", ST(PARKED), C, GU(NONE), true, "挂账"},
    {ST(PARKED), "resume", EVENT_TO_PREV, C, GU(NONE), false, "挂账恢复"},
    /* 自处理: 小事不出网格. */
    {ST(REPORTED), "self_handle", ST(CLOSED), G, GU(SELF_HANDLE), false, "自处理结案"},
    /* 升级 street → district → city, and 交办 back down. */
    {ST(REGISTERED), "escalate", ST(REGISTERED), C | S, GU(LEVEL_UP), true, "升级"},
    {ST(DISPATCHED), "escalate", ST(REGISTERED), C | S, GU(LEVEL_UP), true, "升级"},
    {ST(HANDLING), "escalate", ST(REGISTERED), C | S, GU(LEVEL_UP), true, "升级"},
    {ST(RETURNED), "escalate", ST(REGISTERED), C | S, GU(LEVEL_UP), true, "升级"},
    {ST(REGISTERED), "assign_down", ST(REGISTERED), C, GU(LEVEL_DOWN), false, "交办"},
    {ST(RETURNED), "assign_down", ST(REGISTERED), C, GU(LEVEL_DOWN), false, "交办"},
    /* 并案: the merged event's code redirects to the surviving one. */
    {ST(REPORTED), "merge", ST(MERGED), C, GU(MERGE), false, "并案"},
    {ST(VERIFYING), "merge", ST(MERGED), C, GU(MERGE), false, "并案"},
    {ST(REGISTERED), "merge", ST(MERGED), C, GU(MERGE), false, "并案"},
    {ST(DISPATCHED), "merge", ST(MERGED), C, GU(MERGE), false, "并案"},
    {ST(HANDLING), "merge", ST(MERGED), C, GU(MERGE), false, "并案"},
    {ST(RETURNED), "merge", ST(MERGED), C, GU(MERGE), false, "并案"},
    {ST(PARKED), "merge", ST(MERGED), C, GU(MERGE), false, "并案"},
    /* 督办: a reminder on the record, no change of state. */
    {ST(REGISTERED), "supervise", ST(REGISTERED), C | S, GU(NONE), false, "督办"},
    {ST(DISPATCHED), "supervise", ST(DISPATCHED), C | S, GU(NONE), false, "督办"},
    {ST(HANDLING), "supervise", ST(HANDLING), C | S, GU(NONE), false, "督办"},
    {ST(RETURNED), "supervise", ST(RETURNED), C | S, GU(NONE), false, "督办"},
    {ST(FEEDBACK), "supervise", ST(FEEDBACK), C | S, GU(NONE), false, "督办"},
    {ST(CHECKING), "supervise", ST(CHECKING), C | S, GU(NONE), false, "督办"},
};

#undef C
#undef A
#undef G
#undef S
#undef R

const struct event_rule *event_rules(size_t *n)
{
    *n = COUNT(rules);
    return rules;
}

bool event_action_known(const char *action)
{
    for (size_t i = 0; action && i < COUNT(rules); i++)
        if (strcmp(rules[i].action, action) == 0)
            return true;
    return false;
}

const char *event_action_label(const char *action)
{
    static const char *const extra[][2] = {
        {"report", "上报"}, {"note", "备注"}, {"overdue", "超期督办"}, {"merged_in", "并入事件"},
        {"recalendar", "期限按正式工作日历重算"}};
    for (size_t i = 0; i < COUNT(rules); i++)
        if (strcmp(rules[i].action, action) == 0)
            return rules[i].label;
    for (size_t i = 0; i < COUNT(extra); i++)
        if (strcmp(extra[i][0], action) == 0)
            return extra[i][1];
    return action;
}

static int level_rank(const char *level)
{
    int l = event_level_parse(level);
    return l < 0 ? 0 : l;
}

unsigned event_parties(const struct auth_principal *who, const struct event *e)
{
    if (!who)
        return EVENT_PARTY_SYSTEM;
    unsigned p = 0;
    switch (who->role) {
    case AUTH_ROLE_ADMIN:
        p |= EVENT_PARTY_CENTER;
        break;
    case AUTH_ROLE_CENTER:
        if (auth_region_in_scope(who, e->grid) && level_rank(who->level) >= (int)e->level)
            p |= EVENT_PARTY_CENTER;
        break;
    case AUTH_ROLE_DEPARTMENT:
        if (e->department[0] && strcmp(who->department, e->department) == 0)
            p |= EVENT_PARTY_ASSIGNEE;
        break;
    case AUTH_ROLE_BOARD_POST:
        if (e->post[0] && strcmp(who->post, e->post) == 0)
            p |= EVENT_PARTY_ASSIGNEE;
        break;
    case AUTH_ROLE_GRID_WORKER:
        if (strcmp(who->grid, e->grid) == 0)
            p |= EVENT_PARTY_GRID;
        break;
    default:
        break;
    }
    return p;
}

static bool empty(const char *s)
{
    return !s || !*s;
}

/* Public channels need a grid worker's verification before 立案 (governance.md §1.4). */
static bool channel_trusted(enum event_channel c)
{
    return c == EVENT_CHANNEL_GRID_PATROL || c == EVENT_CHANNEL_SENSOR ||
           c == EVENT_CHANNEL_ASSIGNED || c == EVENT_CHANNEL_SUPERVISION;
}

static int guard_check(const struct event *e, const struct event_rule *r, const char *actor,
                       const struct event_action_input *in, const struct event_category *cat,
                       struct app_error *err)
{
    switch (r->guard) {
    case EVENT_GUARD_NONE:
        return 0;
    case EVENT_GUARD_TRUSTED:
        if (!channel_trusted(e->channel))
            return app_fail(err, APP_ERR_CONFLICT, "verification_required", NULL,
                            "%s渠道的事件须先受理核实再立案", event_channel_label(e->channel));
        return 0;
    case EVENT_GUARD_EXT_NEW:
        if (e->extension_pending)
            return app_fail(err, APP_ERR_CONFLICT, "extension_pending", NULL,
                            "已有待审批的延期申请");
        if (in->hours <= 0 || in->hours > 24 * 90)
            return app_fail(err, APP_ERR_INVALID, "invalid_hours", "hours",
                            "延期时长须为1至2160之间的整数");
        return 0;
    case EVENT_GUARD_EXT_PENDING:
        if (!e->extension_pending)
            return app_fail(err, APP_ERR_CONFLICT, "no_extension_pending", NULL,
                            "没有待审批的延期申请");
        return 0;
    case EVENT_GUARD_RESULT:
        if (empty(in->result) && empty(in->comment))
            return app_fail(err, APP_ERR_INVALID, "result_required", "result", "请填写处置结果");
        return 0;
    case EVENT_GUARD_NOT_HANDLER:
        if (e->handler[0] && actor && strcmp(actor, e->handler) == 0)
            return app_fail(err, APP_ERR_CONFLICT, "checker_is_handler", NULL,
                            "核查须由处置人以外的人员进行");
        return 0;
    case EVENT_GUARD_REOPEN:
        /* A pass-through row: only 不满意 on the first revisit selects it. */
        if (in->satisfaction == EVENT_SAT_UNSATISFIED && e->reopen_count == 0)
            return 0;
        return app_fail(err, APP_ERR_CONFLICT, "no_reopen", NULL, "不重办");
    case EVENT_GUARD_SATISFACTION:
        if (in->satisfaction < EVENT_SAT_SATISFIED || in->satisfaction > EVENT_SAT_UNSATISFIED)
            return app_fail(err, APP_ERR_INVALID, "satisfaction_required", "satisfaction",
                            "请选择满意、基本满意或不满意");
        return 0;
    case EVENT_GUARD_SELF_HANDLE:
        if (!cat || !cat->self_handle)
            return app_fail(err, APP_ERR_CONFLICT, "self_handle_not_allowed", NULL,
                            "该类别不允许网格员自处理");
        if (in->nattachments < 1)
            return app_fail(err, APP_ERR_INVALID, "photo_required", "attachments",
                            "自处理须上传现场照片");
        return 0;
    case EVENT_GUARD_LEVEL_UP:
        if (e->level >= EVENT_LEVEL_CITY)
            return app_fail(err, APP_ERR_CONFLICT, "top_level", NULL, "已在市级，不能再升级");
        return 0;
    case EVENT_GUARD_LEVEL_DOWN:
        if (e->level <= EVENT_LEVEL_STREET)
            return app_fail(err, APP_ERR_CONFLICT, "bottom_level", NULL, "已在镇街，不能再交办");
        return 0;
    case EVENT_GUARD_MERGE:
        if (empty(in->into))
            return app_fail(err, APP_ERR_INVALID, "into_required", "into", "请指定并入的事件编号");
        if (strcmp(in->into, e->code) == 0)
            return app_fail(err, APP_ERR_INVALID, "merge_self", "into", "不能并入自身");
        return 0;
    }
    return 0;
}

int event_rule_pick(const struct event *e, const char *action, unsigned parties, const char *actor,
                    const struct event_action_input *in, const struct event_category *cat,
                    const struct event_rule **out, struct app_error *err)
{
    static const struct event_action_input none = {0};
    if (!in)
        in = &none;
    bool any_from = false, any_party = false;
    struct app_error last = {0};
    for (size_t i = 0; i < COUNT(rules); i++) {
        const struct event_rule *r = &rules[i];
        if (r->from != e->state || strcmp(r->action, action) != 0)
            continue;
        any_from = true;
        if (!(r->parties & parties))
            continue;
        any_party = true;
        if (guard_check(e, r, actor, in, cat, &last))
            continue;
        if (r->needs_reason && empty(in->reason) && empty(in->comment))
            return app_fail(err, APP_ERR_INVALID, "reason_required", "reason", "请填写理由");
        *out = r;
        return 0;
    }
    if (!any_from)
        return app_fail(err, APP_ERR_CONFLICT, "illegal_transition", "action",
                        "事件处于“%s”环节，现在不能“%s”", event_state_label(e->state),
                        event_action_label(action));
    if (!any_party)
        return app_fail(err, APP_ERR_FORBIDDEN, "not_party", NULL, "您不是该事件“%s”环节的责任方",
                        event_action_label(action));
    if (err)
        *err = last;
    return -1;
}

void event_rule_apply(struct event *e, const struct event_rule *r, const char *actor,
                      const struct event_action_input *in, int64_t now)
{
    static const struct event_action_input none = {0};
    if (!in)
        in = &none;
    enum event_state from = e->state;
    const char *a = r->action;
    if (r->to == EVENT_TO_PREV)
        e->state = e->prev_state;
    else
        e->state = (enum event_state)r->to;
    if (e->state == EVENT_STATE_VOID_PENDING || e->state == EVENT_STATE_PARKED)
        e->prev_state = from;
    if (strcmp(a, "sign") == 0 || strcmp(a, "self_handle") == 0 ||
        (strcmp(a, "feedback") == 0 && !e->handler[0]))
        snprintf(e->handler, sizeof(e->handler), "%s", actor ? actor : "");
    if (strcmp(a, "return") == 0)
        e->return_count++;
    if (strcmp(a, "check_fail") == 0)
        e->rework_count++;
    if (strcmp(a, "request_extension") == 0) {
        e->extension_pending = true;
        e->extension_hours = in->hours;
    }
    if (strcmp(a, "approve_extension") == 0 || strcmp(a, "reject_extension") == 0)
        e->extension_pending = false;
    if (strcmp(a, "revisit") == 0) {
        e->satisfaction = (enum event_satisfaction)in->satisfaction;
        if (e->state == EVENT_STATE_HANDLING) {
            e->reopen_count++;
            e->closed_at = 0;
        }
    }
    if (e->state == EVENT_STATE_CLOSED && from != EVENT_STATE_CLOSED)
        e->closed_at = now;
    if (strcmp(a, "escalate") == 0) {
        e->level++;
        e->escalations++;
    }
    if (strcmp(a, "assign_down") == 0)
        e->level--;
    if (strcmp(a, "escalate") == 0 || strcmp(a, "assign_down") == 0 || strcmp(a, "return") == 0) {
        /* The next center decides the assignee afresh. */
        e->department[0] = 0;
        e->post[0] = 0;
        e->handler[0] = 0;
        e->extension_pending = false;
    }
    if (strcmp(a, "merge") == 0)
        snprintf(e->merged_into, sizeof(e->merged_into), "%s", in->into);
    e->updated_at = now;
    if (e->state != from)
        e->stage_started_at = now;
}

/* ---- the forms of the actions (issue 10) ------------------------------------------------- */

const char *event_field_type_name(enum event_field_type t)
{
    static const char *const names[] = {"string", "text",   "integer",
                                        "choice", "photos", "datetime"};
    return (unsigned)t < COUNT(names) ? names[t] : "string";
}

static const struct event_choice satisfaction_choices[] = {
    {"satisfied", "满意"}, {"basic", "基本满意"}, {"unsatisfied", "不满意"}};

static struct event_field *form_add(struct event_offer *o, const char *name,
                                    enum event_field_type type, bool required, const char *label)
{
    struct event_field *f = &o->fields[o->nfields++];
    memset(f, 0, sizeof(*f));
    f->name = name;
    f->type = type;
    f->required = required;
    f->label = label;
    if (type == EVENT_FIELD_TEXT || type == EVENT_FIELD_STRING) {
        f->limited = true;
        f->min = required ? 1 : 0;
        f->max = 500;
    }
    if (type == EVENT_FIELD_PHOTOS) {
        f->limited = true;
        f->min = required ? 1 : 0;
        f->max = EVENT_PHOTOS_MAX;
    }
    return f;
}

/* The form of rule r's action, declared beside the table it serves: a reason where the row
 * needs one, the dispatch target with the routing table's default, the extension's duration
 * in the category's unit, evidence photos on 处置反馈/核查/自处理, the satisfaction at 回访. */
static void form_of(const struct event_rule *r, const struct event *e,
                    const struct event_category *cat, const struct event_choice *departments,
                    size_t ndepartments, const char *default_department, struct event_offer *o)
{
    const char *a = r->action;
    o->nfields = 0;
    if (strcmp(a, "dispatch") == 0) {
        struct event_field *f =
            form_add(o, "department", EVENT_FIELD_CHOICE, false, "处置部门（默认按派遣规则）");
        f->choices = departments;
        f->nchoices = ndepartments;
        snprintf(f->def, sizeof(f->def), "%s", default_department ? default_department : "");
        /* After 退回 the center re-dispatches: say why (改派理由). */
        bool again = e->state == EVENT_STATE_RETURNED;
        form_add(o, "reason", EVENT_FIELD_TEXT, again,
                 again ? "改派理由" : "派遣说明（不按默认部门派遣时必填）");
        return;
    }
    if (strcmp(a, "request_extension") == 0) {
        struct event_field *f = form_add(
            o, "hours", EVENT_FIELD_INTEGER, true,
            cat && cat->unit != EVENT_LIMIT_HOURS ? "延期时长（工作小时）" : "延期时长（小时）");
        f->unit = cat && cat->unit != EVENT_LIMIT_HOURS ? "工作小时" : "小时";
        f->limited = true;
        f->min = 1;
        f->max = 24 * 90;
        form_add(o, "reason", EVENT_FIELD_TEXT, true, "延期理由");
        return;
    }
    if (strcmp(a, "feedback") == 0) {
        form_add(o, "result", EVENT_FIELD_TEXT, true, "处置结果");
        form_add(o, "attachments", EVENT_FIELD_PHOTOS, false, "处置后照片");
        return;
    }
    if (strcmp(a, "check_pass") == 0) {
        form_add(o, "comment", EVENT_FIELD_TEXT, false, "核查意见");
        form_add(o, "attachments", EVENT_FIELD_PHOTOS, false, "核查现场照片");
        return;
    }
    if (strcmp(a, "check_fail") == 0) {
        form_add(o, "reason", EVENT_FIELD_TEXT, true, "不通过原因");
        form_add(o, "attachments", EVENT_FIELD_PHOTOS, false, "核查现场照片");
        return;
    }
    if (strcmp(a, "self_handle") == 0) {
        form_add(o, "comment", EVENT_FIELD_TEXT, false, "处置情况");
        form_add(o, "attachments", EVENT_FIELD_PHOTOS, true, "处置后现场照片");
        return;
    }
    if (strcmp(a, "revisit") == 0) {
        struct event_field *f = form_add(o, "satisfaction", EVENT_FIELD_CHOICE, true, "回访满意度");
        f->choices = satisfaction_choices;
        f->nchoices = COUNT(satisfaction_choices);
        snprintf(f->def, sizeof(f->def), "satisfied");
        form_add(o, "comment", EVENT_FIELD_TEXT, false, "回访记录");
        return;
    }
    if (strcmp(a, "merge") == 0) {
        struct event_field *f = form_add(o, "into", EVENT_FIELD_STRING, true, "并入的事件编号");
        f->min = 1;
        f->max = EVENT_CODE_SIZE - 1;
        form_add(o, "comment", EVENT_FIELD_TEXT, false, "说明");
        return;
    }
    if (r->needs_reason) {
        const char *label = strcmp(a, "return") == 0     ? "退回理由"
                            : strcmp(a, "void") == 0     ? "作废理由"
                            : strcmp(a, "park") == 0     ? "挂账理由"
                            : strcmp(a, "escalate") == 0 ? "升级理由"
                                                         : "理由";
        form_add(o, "reason", EVENT_FIELD_TEXT, true, label);
        return;
    }
    form_add(o, "comment", EVENT_FIELD_TEXT, false,
             strcmp(a, "supervise") == 0 ? "督办意见" : "说明");
}

void event_offer_fill(const struct event_offer *o, const char *const *photos,
                      struct event_action_input *in)
{
    memset(in, 0, sizeof(*in));
    for (int i = 0; i < o->nfields; i++) {
        const struct event_field *f = &o->fields[i];
        if (!f->required && !f->def[0])
            continue;
        const char *v = f->def[0]                                      ? f->def
                        : f->type == EVENT_FIELD_CHOICE && f->nchoices ? f->choices[0].value
                                                                       : "情况属实，已处理";
        if (strcmp(f->name, "reason") == 0)
            in->reason = v;
        else if (strcmp(f->name, "comment") == 0)
            in->comment = v;
        else if (strcmp(f->name, "result") == 0)
            in->result = v;
        else if (strcmp(f->name, "department") == 0)
            in->department = v;
        else if (strcmp(f->name, "into") == 0)
            in->into = "500103-20000101-99999";
        else if (strcmp(f->name, "satisfaction") == 0)
            in->satisfaction = event_satisfaction_parse(v);
        else if (strcmp(f->name, "hours") == 0)
            in->hours = (int)f->min;
        else if (strcmp(f->name, "attachments") == 0)
            for (long k = 0; k < f->min && k < EVENT_MAX_ATTACH; k++)
                in->attachments[in->nattachments++] = photos[k];
    }
}

void event_offers_compute(const struct event *e, const struct auth_principal *who,
                          const struct event_category *cat, const struct event_choice *departments,
                          size_t ndepartments, const char *default_department,
                          struct event_offers *out)
{
    static const char *const sample_photos[EVENT_MAX_ATTACH] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "1111111111111111111111111111111111111111111111111111111111111111",
        "2222222222222222222222222222222222222222222222222222222222222222",
        "3333333333333333333333333333333333333333333333333333333333333333",
        "4444444444444444444444444444444444444444444444444444444444444444",
        "5555555555555555555555555555555555555555555555555555555555555555",
        "6666666666666666666666666666666666666666666666666666666666666666",
        "7777777777777777777777777777777777777777777777777777777777777777"};
    out->len = 0;
    if (!who)
        return;
    unsigned parties = event_parties(who, e);
    for (size_t i = 0; i < COUNT(rules) && out->len < COUNT(out->items); i++) {
        const struct event_rule *r = &rules[i];
        if (r->from != e->state || !(r->parties & parties))
            continue;
        bool seen = false;
        for (size_t k = 0; k < out->len; k++)
            seen = seen || strcmp(out->items[k].name, r->action) == 0;
        if (seen)
            continue;
        char perm[48];
        snprintf(perm, sizeof(perm), "event.%s", r->action);
        if (!auth_may(who, perm))
            continue;
        struct event_offer *o = &out->items[out->len];
        memset(o, 0, sizeof(*o));
        o->name = r->action;
        o->label = r->label;
        form_of(r, e, cat, departments, ndepartments, default_department, o);
        /* Offered exactly when the table accepts the form filled as declared: the guards
         * are the single source (须先受理核实再立案, 该类别不允许网格员自处理, ...). */
        struct event_action_input in;
        const struct event_rule *picked;
        event_offer_fill(o, sample_photos, &in);
        if (event_rule_pick(e, r->action, parties, who->username, &in, cat, &picked, NULL))
            continue;
        if (strcmp(r->action, "revisit") == 0)
            o->label = "回访";
        out->len++;
    }
}

void event_offers_release(struct event_offers *o)
{
    if (!o)
        return;
    free(o->departments);
    o->departments = NULL;
    o->ndepartments = 0;
    o->len = 0;
}

/* ---- deadlines --------------------------------------------------------------------------- */

int event_deadline(const struct event_category *cat, enum event_urgency u, int64_t start,
                   int amount, int64_t *out, struct app_error *err)
{
    enum calendar_unit unit;
    if (u >= EVENT_URGENCY_URGENT) {
        /* Urgent classes count natural hours (governance.md §1.6: 2 h / 24 h deadlines). */
        if (cat->unit == EVENT_LIMIT_WORK_DAYS)
            amount *= 24;
        if (u == EVENT_URGENCY_CRITICAL)
            amount = amount > 1 ? amount / 2 : 1;
        unit = CALENDAR_NATURAL_HOURS;
    } else {
        unit = cat->unit == EVENT_LIMIT_WORK_DAYS    ? CALENDAR_WORK_DAYS
               : cat->unit == EVENT_LIMIT_WORK_HOURS ? CALENDAR_WORK_HOURS
                                                     : CALENDAR_NATURAL_HOURS;
    }
    return calendar_deadline(calendar_default(), start, unit, amount, out, err);
}

int event_set_stage_deadline(struct event *e, const struct event_category *cat, int64_t now,
                             double warn_share, bool new_handle_deadline, struct app_error *err)
{
    int amount = 0;
    int64_t due = 0;
    switch (e->state) {
    case EVENT_STATE_REPORTED:
    case EVENT_STATE_REGISTERED:
    case EVENT_STATE_RETURNED:
    case EVENT_STATE_VOID_PENDING:
        amount = cat->limit_dispatch;
        break;
    case EVENT_STATE_VERIFYING:
        amount = cat->limit_verify;
        break;
    case EVENT_STATE_FEEDBACK:
    case EVENT_STATE_CHECKING:
        amount = cat->limit_check;
        break;
    case EVENT_STATE_DISPATCHED:
    case EVENT_STATE_HANDLING:
        if ((new_handle_deadline || !e->handle_due_at) && cat->limit_handle > 0 &&
            event_deadline(cat, e->urgency, now, cat->limit_handle, &e->handle_due_at, err))
            return -1;
        due = e->handle_due_at;
        break;
    default:
        break;
    }
    if (amount > 0 && event_deadline(cat, e->urgency, now, amount, &due, err))
        return -1;
    e->due_at = due;
    e->warn_at = 0;
    if (due > now) {
        int64_t from =
            e->stage_started_at && e->stage_started_at <= now ? e->stage_started_at : now;
        e->warn_at = from + (int64_t)floor((double)(due - from) * warn_share);
        /* Limits in working time turn yellow at the share of the working time, so that a
         * deadline after a weekend does not turn yellow on Saturday night. */
        int64_t work = 0, at;
        const struct calendar *cal = calendar_default();
        if (e->urgency == EVENT_URGENCY_NORMAL && cat->unit != EVENT_LIMIT_HOURS &&
            calendar_work_seconds_between(cal, from, due, &work, NULL) == 0 && work > 0 &&
            calendar_add_work_seconds(cal, from, (int64_t)floor((double)work * warn_share), &at,
                                      NULL) == 0)
            e->warn_at = at;
    }
    e->alert = event_alert_at(e, now);
    return 0;
}

bool event_deadline_provisional(const struct event *e)
{
    if (e->urgency >= EVENT_URGENCY_URGENT || event_state_final(e->state))
        return false;
    const struct calendar *cal = calendar_default();
    int64_t from = e->stage_started_at ? e->stage_started_at : e->created_at;
    return (e->due_at && calendar_span_provisional(cal, from, e->due_at)) ||
           (e->handle_due_at && calendar_span_provisional(cal, from, e->handle_due_at));
}

enum event_alert event_alert_at(const struct event *e, int64_t now)
{
    if (event_state_final(e->state) || e->state == EVENT_STATE_CLOSED ||
        e->state == EVENT_STATE_PARKED)
        return EVENT_ALERT_NONE;
    if (e->due_at && now >= e->due_at)
        return EVENT_ALERT_RED;
    if (e->warn_at && now >= e->warn_at)
        return EVENT_ALERT_YELLOW;
    return EVENT_ALERT_NONE;
}

/* ---- scope ------------------------------------------------------------------------------- */

bool event_visible(const struct auth_principal *who, const struct event *e)
{
    if (!who)
        return true;
    switch (who->role) {
    case AUTH_ROLE_ADMIN:
        return true;
    case AUTH_ROLE_DEPARTMENT:
        return e->department[0] && strcmp(who->department, e->department) == 0;
    case AUTH_ROLE_CENTER:
    case AUTH_ROLE_AUDITOR:
    case AUTH_ROLE_BOARD_POST:
    case AUTH_ROLE_GRID_WORKER:
    case AUTH_ROLE_VOLUNTEER:
        return auth_region_in_scope(who, e->grid);
    default:
        return false;
    }
}

void event_scope_of(const struct auth_principal *who, struct event_store_scope *s, char *prefix_buf,
                    size_t n)
{
    memset(s, 0, sizeof(*s));
    if (!who)
        return;
    const char *region = NULL;
    switch (who->role) {
    case AUTH_ROLE_ADMIN:
        return;
    case AUTH_ROLE_DEPARTMENT:
        s->department = who->department;
        return;
    case AUTH_ROLE_CENTER:
    case AUTH_ROLE_AUDITOR:
        region = who->region;
        break;
    case AUTH_ROLE_BOARD_POST:
        region = who->street;
        break;
    case AUTH_ROLE_GRID_WORKER:
    case AUTH_ROLE_VOLUNTEER:
        region = who->grid;
        break;
    default:
        s->nothing = true;
        return;
    }
    if (empty(region)) {
        s->nothing = true;
        return;
    }
    snprintf(prefix_buf, n, "%s", region);
    size_t len = strlen(prefix_buf);
    /* City and district codes end in zeros deeper codes do not share (org_code_within). */
    if (len == 6 && strcmp(prefix_buf + 2, "0000") == 0)
        prefix_buf[2] = 0;
    s->region_prefix = prefix_buf;
}

/* ---- JSON text for live updates --------------------------------------------------------- */

void event_json_str(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)*p);
        } else if (*p < 0x20) {
            buf_printf(b, "\\u%04x", *p);
        } else {
            buf_putc(b, (char)*p);
        }
    }
    buf_putc(b, '"');
}

static _Atomic bool quiet;
static void (*publisher)(const char *scope, const char *json_text);

void event_set_quiet(bool q)
{
    quiet = q;
}

void event_set_publisher(void (*publish)(const char *scope, const char *json_text))
{
    publisher = publish;
}

void event_publish(const char *scope, const char *json_text)
{
    if (publisher)
        publisher(scope, json_text);
}

static void publish_event(const struct event *e, const char *action)
{
    if (quiet)
        return;
    struct buf b = BUF_INIT;
    char due[32] = "";
    if (e->due_at)
        clock_format_local(e->due_at, due, sizeof(due));
    buf_puts(&b, "{\"code\":");
    event_json_str(&b, e->code);
    buf_puts(&b, ",\"action\":");
    event_json_str(&b, action);
    buf_printf(&b, ",\"state\":\"%s\",\"level\":\"%s\",\"alert\":\"%s\",\"urgency\":\"%s\"",
               event_state_name(e->state), event_level_name(e->level), event_alert_name(e->alert),
               event_urgency_name(e->urgency));
    buf_puts(&b, ",\"category\":");
    event_json_str(&b, e->category);
    buf_puts(&b, ",\"category_name\":");
    event_json_str(&b, e->category_name);
    buf_puts(&b, ",\"title\":");
    event_json_str(&b, e->title);
    buf_printf(&b,
               ",\"channel\":\"%s\",\"grid\":\"%s\",\"street\":\"%s\",\"lon\":%.7f,"
               "\"lat\":%.7f,\"department\":",
               event_channel_name(e->channel), e->grid, e->street, e->lon, e->lat);
    event_json_str(&b, e->department);
    buf_puts(&b, ",\"due_at\":");
    if (due[0])
        event_json_str(&b, due);
    else
        buf_puts(&b, "null");
    buf_puts(&b, "}");
    /* The grid code as scope: every jurisdiction containing it (grid, street, district)
     * matches with auth_region_in_scope. */
    event_publish(e->grid, buf_cstr(&b));
    /* Departments serve the whole district but see only their own events: a second copy
     * scoped "dept:<code>" reaches them (the stream filter drops the grid-scoped one). */
    if (e->department[0]) {
        char scope[40];
        snprintf(scope, sizeof(scope), "dept:%s", e->department);
        event_publish(scope, buf_cstr(&b));
    }
    buf_release(&b);
}

/* ---- orchestration ----------------------------------------------------------------------- */

static int tx_begin(struct db *db, bool *own, struct app_error *err)
{
    *own = !event_store_in_tx(db);
    return *own ? db_begin(db, err) : 0;
}

static int tx_end(struct db *db, bool own, int ret, struct app_error *err)
{
    if (!own)
        return ret;
    if (ret == 0)
        return db_commit(db, err);
    db_rollback(db);
    return ret;
}

static void canon(const struct event *e, struct buf *b)
{
    buf_printf(b, "code=%s;state=%s;level=%s;department=%s;post=%s;handler=%s;due_at=%lld", e->code,
               event_state_name(e->state), event_level_name(e->level), e->department, e->post,
               e->handler, (long long)e->due_at);
}

static int audit_event(struct db *db, const struct auth_principal *who, const char *action,
                       const struct event *before, const struct event *after,
                       const char *request_id, struct app_error *err)
{
    struct buf b1 = BUF_INIT, b2 = BUF_INIT;
    char act[48];
    snprintf(act, sizeof(act), "event.%s", action);
    if (before)
        canon(before, &b1);
    canon(after, &b2);
    struct audit_entry ae = {.actor = who,
                             .action = act,
                             .object_type = "event",
                             .object_id = after->code,
                             .region = after->grid,
                             .request_id = request_id,
                             .before = before ? buf_cstr(&b1) : NULL,
                             .after = buf_cstr(&b2)};
    int ret = audit_append(db, &ae, err);
    buf_release(&b1);
    buf_release(&b2);
    return ret;
}

static void join_attachments(const char *const *a, int n, struct buf *out)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(out, ',');
        buf_puts(out, a[i]);
    }
}

/* Link uploaded files to an event. A person may link only what they uploaded or can already
 * read (issue 11 #3); an unknown hash and a forbidden one answer alike, so the error never
 * tells whether a file exists. who NULL is the system (demo replays, sensors). */
static int link_attachments(struct db *db, const struct auth_principal *who, int64_t event_id,
                            const char *const *a, int n, struct app_error *err)
{
    for (int i = 0; i < n; i++) {
        char mime[32], by[64];
        int rc = event_store_attachment_get(db, a[i], mime, sizeof(mime), by, sizeof(by), err);
        if (rc < 0)
            return -1;
        if (rc == 1 && who) {
            rc = event_attachment_may_use(db, who, a[i], err);
            if (rc < 0)
                return -1;
        }
        if (rc == 0)
            return app_fail(err, APP_ERR_INVALID, "unknown_attachment", "attachments",
                            "第 %d 张照片不可用，请重新上传", i + 1);
        if (event_store_attachment_link(db, a[i], event_id, err))
            return -1;
    }
    return 0;
}

static int history_add(struct db *db, const struct event *e, const char *action,
                       enum event_state from, const struct auth_principal *who, const char *comment,
                       const char *const *att, int natt, bool overdue, bool internal, int64_t now,
                       struct app_error *err)
{
    struct event_history_item h = {0};
    struct buf ab = BUF_INIT;
    join_attachments(att, natt, &ab);
    h.at = now;
    snprintf(h.action, sizeof(h.action), "%s", action);
    h.from_state = from;
    h.to_state = e->state;
    if (who) {
        snprintf(h.actor, sizeof(h.actor), "%s", who->username);
        snprintf(h.actor_role, sizeof(h.actor_role), "%s", auth_role_name(who->role));
        snprintf(h.actor_name, sizeof(h.actor_name), "%s", who->display_name);
    } else {
        snprintf(h.actor_role, sizeof(h.actor_role), "%s",
                 (strcmp(action, "report") == 0 && e->channel == EVENT_CHANNEL_CITIZEN_QR) ||
                         strcmp(action, "revisit") == 0 /* only the reporter revisits unnamed */
                     ? "citizen"
                     : "system");
    }
    h.comment = (char *)(comment ? comment : "");
    h.attachments = (char *)buf_cstr(&ab);
    snprintf(h.department, sizeof(h.department), "%s", e->department);
    snprintf(h.post, sizeof(h.post), "%s", e->post);
    h.level = (int)e->level;
    h.due_at = e->due_at;
    h.overdue = overdue;
    h.internal = internal;
    int ret = event_store_history_insert(db, e->id, &h, err);
    buf_release(&ab);
    return ret;
}

static void make_tracking(const char *seed, char *out, size_t n)
{
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    unsigned char raw[10];
    if (seed) {
        crypto_generichash(raw, sizeof(raw), (const unsigned char *)seed, strlen(seed), NULL, 0);
    } else {
        if (sodium_init() < 0)
            log_error("sodium_init failed");
        randombytes_buf(raw, sizeof(raw));
    }
    size_t k = 0;
    for (size_t i = 0; i < sizeof(raw) && k + 1 < n; i++)
        out[k++] = alphabet[raw[i] % 32];
    out[k] = 0;
}

static int check_text(const char *s, size_t max_chars, size_t max_bytes, const char *field,
                      bool required, struct app_error *err)
{
    if (empty(s)) {
        if (required)
            return app_fail(err, APP_ERR_INVALID, "required", field, "请填写%s", field);
        return 0;
    }
    size_t len = strlen(s);
    if (!utf8_valid(s, len))
        return app_fail(err, APP_ERR_INVALID, "invalid_utf8", field, "%s 不是有效的 UTF-8", field);
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            chars++;
    if (chars > max_chars || len > max_bytes)
        return app_fail(err, APP_ERR_INVALID, "too_long", field, "%s 不能超过 %zu 个字符", field,
                        max_chars);
    return 0;
}

static int locate_input(struct app *app, struct db *db, const struct event_input *in,
                        struct event *e, struct app_error *err)
{
    struct org_location loc = {0};
    double lon = in->lon, lat = in->lat;
    bool have_point = !(lon == 0 && lat == 0);
    if (have_point &&
        (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90))
        return app_fail(err, APP_ERR_INVALID, "invalid_coordinates", "lon", "坐标无效");
    if (!have_point) {
        if (empty(in->grid))
            return app_fail(err, APP_ERR_INVALID, "location_required", "lon",
                            "请提供位置（经纬度或网格编码）");
        struct org_region g = {0};
        if (org_region_get(db, in->grid, &g, err)) {
            if (err)
                snprintf(err->field, sizeof(err->field), "grid");
            return -1;
        }
        bool ok = strcmp(g.level, "grid") == 0 && g.has_geometry;
        lon = g.center_lon;
        lat = g.center_lat;
        org_region_release(&g);
        if (!ok)
            return app_fail(err, APP_ERR_INVALID, "not_a_grid", "grid", "%s 不是网格编码",
                            in->grid);
        /* Codes nest by prefix (GB/T 30428.1 6+3+3+3): no point location needed. */
        e->lon = lon;
        e->lat = lat;
        snprintf(e->grid, sizeof(e->grid), "%s", in->grid);
        snprintf(e->community, sizeof(e->community), "%.12s", in->grid);
        snprintf(e->street, sizeof(e->street), "%.9s", in->grid);
        snprintf(e->district, sizeof(e->district), "%.6s", in->grid);
        return 0;
    } else if (in->gcj02) {
        struct geo_point p = geo_gcj02_to_wgs84((struct geo_point){lon, lat});
        lon = p.lon;
        lat = p.lat;
    }
    if (org_locate(app, db, lon, lat, &loc, err)) {
        if (err && err->code == APP_ERR_NOT_FOUND)
            return app_fail(err, APP_ERR_INVALID, "outside_district", "lon",
                            "该位置不在本辖区网格内");
        return -1;
    }
    e->lon = lon;
    e->lat = lat;
    snprintf(e->grid, sizeof(e->grid), "%s", loc.grid.code);
    snprintf(e->community, sizeof(e->community), "%s", loc.community.code);
    snprintf(e->street, sizeof(e->street), "%s", loc.street.code);
    snprintf(e->district, sizeof(e->district), "%s", loc.district.code);
    org_location_release(&loc);
    return 0;
}

int event_create_at(struct app *app, struct db *db, const struct auth_principal *who,
                    const struct event_input *in, const char *request_id, int64_t now,
                    const char *tracking, struct event *out, struct app_error *err)
{
    struct event e = {0};
    struct event_category cat;
    bool own = false;
    int ret = -1;
    if ((unsigned)in->channel >= EVENT_CHANNEL_COUNT)
        return app_fail(err, APP_ERR_INVALID, "invalid_channel", "channel", "渠道无效");
    if (empty(in->category))
        return app_fail(err, APP_ERR_INVALID, "required", "category", "请选择事件类别");
    struct event *z = NULL; /* only for sizeof */
    if (check_text(in->title, 200, sizeof(z->title) - 1, "title", true, err) ||
        check_text(in->description, 4000, 16000, "description", false, err) ||
        check_text(in->address, 80, sizeof(z->address) - 1, "address", false, err) ||
        check_text(in->reporter_name, 20, sizeof(z->reporter_name) - 1, "reporter_name", false,
                   err) ||
        check_text(in->reporter_contact, 100, sizeof(z->reporter_contact) - 1, "reporter_contact",
                   false, err))
        return -1;
    if (in->urgency >= EVENT_URGENCY_COUNT)
        return app_fail(err, APP_ERR_INVALID, "invalid_urgency", "urgency", "紧急程度无效");
    if (in->nattachments < 0 || in->nattachments > EVENT_MAX_ATTACH)
        return app_fail(err, APP_ERR_INVALID, "too_many_attachments", "attachments", "附件过多");
    if (event_store_category_get(db, in->category, &cat, err)) {
        if (err && err->code == APP_ERR_NOT_FOUND)
            return app_fail(err, APP_ERR_INVALID, "unknown_category", "category",
                            "未知的事件类别 %s", in->category);
        return -1;
    }
    if (locate_input(app, db, in, &e, err))
        return -1;
    /* A grid worker reports inside their own street; a center inside its jurisdiction. */
    if (who && !in->place_checked && who->role == AUTH_ROLE_GRID_WORKER &&
        strncmp(who->grid, e.street, 9) != 0)
        return app_fail(err, APP_ERR_FORBIDDEN, "out_of_scope", "lon",
                        "网格员只能上报本街道范围内的事件");
    if (who && !in->place_checked && who->role != AUTH_ROLE_GRID_WORKER &&
        who->role != AUTH_ROLE_ADMIN && !auth_region_in_scope(who, e.grid))
        return app_fail(err, APP_ERR_FORBIDDEN, "out_of_scope", "lon", "该位置不在您的辖区内");

    e.channel = in->channel;
    snprintf(e.category, sizeof(e.category), "%s", cat.code);
    snprintf(e.category_name, sizeof(e.category_name), "%s", cat.name);
    snprintf(e.title, sizeof(e.title), "%s", in->title);
    e.description = xstrdup(in->description ? in->description : "");
    snprintf(e.address, sizeof(e.address), "%s", in->address ? in->address : "");
    snprintf(e.reporter_name, sizeof(e.reporter_name), "%s",
             in->reporter_name ? in->reporter_name
             : who             ? who->display_name
                               : "");
    snprintf(e.reporter_contact, sizeof(e.reporter_contact), "%s",
             in->reporter_contact ? in->reporter_contact : "");
    e.reporter_user = who ? who->user_id : 0;
    e.urgency = in->urgency >= 0 ? (enum event_urgency)in->urgency
                : cat.urgent     ? EVENT_URGENCY_URGENT
                                 : EVENT_URGENCY_NORMAL;
    e.state = e.prev_state = EVENT_STATE_REPORTED;
    e.level = EVENT_LEVEL_STREET;
    snprintf(e.board, sizeof(e.board), "%s", cat.board);
    e.created_at = e.updated_at = e.stage_started_at = now;
    snprintf(e.link_type, sizeof(e.link_type), "%s", in->link_type ? in->link_type : "");
    snprintf(e.link_id, sizeof(e.link_id), "%s", in->link_id ? in->link_id : "");
    e.synthetic = in->synthetic;
    if (event_set_stage_deadline(&e, &cat, now, app->cfg.warn_share, false, err))
        goto out;

    if (tx_begin(db, &own, err))
        goto out;
    char prefix[32], date[16];
    int serial;
    clock_format_date(now, date, sizeof(date));
    snprintf(prefix, sizeof(prefix), "%.6s-%.4s%.2s%.2s", e.district, date, date + 5, date + 8);
    int rc = event_store_next_serial(db, prefix, &serial, err);
    if (rc == 0) {
        snprintf(e.code, sizeof(e.code), "%.15s-%05d", prefix, serial);
        make_tracking(tracking, e.tracking, sizeof(e.tracking));
        rc = event_store_insert(db, &e, err);
    }
    if (rc == 0)
        rc = link_attachments(db, who, e.id, in->attachments, in->nattachments, err);
    if (rc == 0)
        rc = history_add(db, &e, "report", EVENT_STATE_REPORTED, who, e.description,
                         in->attachments, in->nattachments, false, false, now, err);
    if (rc == 0)
        rc = audit_event(db, who, "report", NULL, &e, request_id, err);
    if (tx_end(db, own, rc, err))
        goto out;
    publish_event(&e, "report");
    if (out) {
        *out = e;
        e.description = NULL;
    }
    ret = 0;
out:
    event_release(&e);
    return ret;
}

int event_create(struct app *app, struct db *db, const struct auth_principal *who,
                 const struct event_input *in, const char *request_id, struct event *out,
                 struct app_error *err)
{
    if (!who && in->channel != EVENT_CHANNEL_CITIZEN_QR)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL, "请先登录");
    if (who && !auth_may(who, "event.create"))
        return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "您无权上报事件");
    if (who && who->role == AUTH_ROLE_GRID_WORKER && in->channel != EVENT_CHANNEL_GRID_PATROL)
        return app_fail(err, APP_ERR_INVALID, "invalid_channel", "channel",
                        "网格员上报的渠道应为网格员巡查");
    if (in->channel == EVENT_CHANNEL_SENSOR)
        return app_fail(err, APP_ERR_INVALID, "invalid_channel", "channel",
                        "传感器预警由监测模块产生");
    if (!who)
        return event_public_create(app, db, in, request_id, clock_now(), out, err);
    if (in->nphotos)
        return app_fail(err, APP_ERR_INVALID, "not_allowed", "photos",
                        "photos 仅用于居民匿名上报，请使用 attachments");
    return event_create_at(app, db, who, in, request_id, clock_now(), NULL, out, err);
}

int event_open_patrol_finding(struct app *app, struct db *db, const struct auth_principal *who,
                              const struct event_patrol_finding *in, const char *request_id,
                              struct event *out, struct app_error *err)
{
    if (!who)
        return app_fail(err, APP_ERR_UNAUTHORIZED, "unauthorized", NULL, "请先登录");
    struct event_input ei = {.channel = EVENT_CHANNEL_GRID_PATROL,
                             .category = in->category,
                             .title = in->title,
                             .description = in->description,
                             .lon = in->lon,
                             .lat = in->lat,
                             .address = in->address,
                             .urgency = -1,
                             .nattachments = in->nattachments,
                             .link_type = "patrol",
                             .link_id = in->patrol,
                             .synthetic = in->synthetic,
                             .place_checked = true};
    if (in->nattachments < 0 || in->nattachments > EVENT_MAX_ATTACH)
        return app_fail(err, APP_ERR_INVALID, "too_many_attachments", "attachments", "附件过多");
    for (int i = 0; i < in->nattachments; i++)
        ei.attachments[i] = in->attachments[i];
    return event_create_at(app, db, who, &ei, request_id, in->at ? in->at : clock_now(), NULL, out,
                           err);
}

/* Resolve the dispatch target: an explicit department/post overrides the routing table (with
 * a reason unless it equals the route), else the route, else the category's department. */
static int route_default(struct db *db, const struct event *e, const struct event_category *cat,
                         char post[48], char dept[24], struct app_error *err)
{
    post[0] = dept[0] = 0;
    int found = event_store_route_find(db, e->category, e->grid, post, 48, dept, 24, err);
    if (found < 0)
        return -1;
    if (!found) {
        snprintf(dept, 24, "%s", cat->department);
        if (!dept[0]) {
            static const char *const board_posts[][2] = {
                {"party", "dj"}, {"economy", "qy"}, {"livelihood", "cg"}, {"safety", "zz2"}};
            for (size_t i = 0; i < COUNT(board_posts); i++)
                if (strcmp(cat->board, board_posts[i][0]) == 0)
                    snprintf(post, 48, "%s-%s", e->street, board_posts[i][1]);
        }
    }
    return 0;
}

int event_actions(struct db *db, const struct auth_principal *who, const struct event *e,
                  bool brief, struct event_offers *out, struct app_error *err)
{
    struct event_category cat;
    struct org_department_list dl = {0};
    char post[48] = "", dept[24] = "";
    memset(out, 0, sizeof(*out));
    if (!who)
        return 0;
    if (event_store_category_get(db, e->category, &cat, err))
        return -1;
    if (!brief && e->state != EVENT_STATE_REGISTERED && e->state != EVENT_STATE_RETURNED)
        brief = true; /* only 派遣 needs the departments and the route */
    if (!brief) {
        if (route_default(db, e, &cat, post, dept, err) || org_department_list(db, &dl, err))
            return -1;
        out->departments = xcalloc(dl.len + 1, sizeof(*out->departments));
        for (size_t i = 0; i < dl.len; i++) {
            snprintf(out->departments[i].value, sizeof(out->departments[i].value), "%s",
                     dl.items[i].code);
            snprintf(out->departments[i].label, sizeof(out->departments[i].label), "%s",
                     dl.items[i].name);
        }
        out->ndepartments = dl.len;
        org_department_list_release(&dl);
    }
    event_offers_compute(e, who, &cat, out->departments, out->ndepartments, dept, out);
    return 0;
}

static int dispatch_target(struct db *db, struct event *e, const struct event_category *cat,
                           const struct event_action_input *in, struct app_error *err)
{
    char post[48] = "", dept[24] = "";
    if (route_default(db, e, cat, post, dept, err))
        return -1;
    if (!empty(in->department) || !empty(in->post)) {
        bool same = (!empty(in->department) && strcmp(in->department, dept) == 0) ||
                    (!empty(in->post) && strcmp(in->post, post) == 0);
        if (!same && empty(in->reason) && empty(in->comment))
            return app_fail(err, APP_ERR_INVALID, "reason_required", "reason", "改派须填写理由");
        char name[64];
        if (!empty(in->department)) {
            if (event_store_department_name(db, in->department, name, sizeof(name), err))
                return -1;
            if (!name[0])
                return app_fail(err, APP_ERR_INVALID, "unknown_department", "department",
                                "未知部门 %s", in->department);
        }
        if (!empty(in->post) && strncmp(in->post, e->street, strlen(e->street)) != 0)
            return app_fail(err, APP_ERR_INVALID, "unknown_post", "post",
                            "岗位 %s 不属于事件所在街道", in->post);
        snprintf(dept, sizeof(dept), "%s", in->department ? in->department : "");
        snprintf(post, sizeof(post), "%s", in->post && !in->department ? in->post : "");
    }
    if (!dept[0] && !post[0])
        return app_fail(err, APP_ERR_CONFLICT, "no_route", "department",
                        "未找到处置单位，请指定部门或岗位");
    snprintf(e->department, sizeof(e->department), "%s", dept);
    snprintf(e->post, sizeof(e->post), "%s", post);
    return 0;
}

/* One transition inside the caller's transaction: pick, apply, deadline, history, audit. */
int event_transition_locked(struct app *app, struct db *db, const struct auth_principal *who,
                            struct event *e, const char *action,
                            const struct event_action_input *in, const char *request_id,
                            int64_t now, struct app_error *err)
{
    static const struct event_action_input none = {0};
    if (!in)
        in = &none;
    struct event_category cat;
    const struct event_rule *r;
    if (event_store_category_get(db, e->category, &cat, err))
        return -1;
    unsigned parties = in->by_reporter ? EVENT_PARTY_REPORTER : event_parties(who, e);
    if (event_rule_pick(e, action, parties, who ? who->username : "", in, &cat, &r, err))
        return -1;
    if (in->nattachments < 0 || in->nattachments > EVENT_MAX_ATTACH)
        return app_fail(err, APP_ERR_INVALID, "too_many_attachments", "attachments", "附件过多");
    struct event before = *e;
    before.description = NULL;
    enum event_state from = e->state;
    bool overdue = e->due_at && now > e->due_at;
    struct event target = {0};
    if (strcmp(action, "merge") == 0) {
        if (event_store_get(db, in->into, &target, err)) {
            if (err && err->code == APP_ERR_NOT_FOUND)
                app_fail(err, APP_ERR_INVALID, "unknown_event", "into", "并入的事件 %s 不存在",
                         in->into);
            return -1;
        }
        bool ok = event_state_open(target.state) && target.state != EVENT_STATE_MERGED &&
                  event_visible(who, &target);
        if (!ok) {
            event_release(&target);
            return app_fail(err, APP_ERR_CONFLICT, "merge_target_closed", "into",
                            "并入的事件须为本辖区内未办结的事件");
        }
    }
    if (strcmp(action, "dispatch") == 0 && dispatch_target(db, e, &cat, in, err))
        return -1;
    event_rule_apply(e, r, who ? who->username : "", in, now);
    bool new_handle = strcmp(action, "dispatch") == 0 || strcmp(action, "check_fail") == 0 ||
                      (strcmp(action, "revisit") == 0 && e->state == EVENT_STATE_HANDLING);
    int rc = 0;
    if (strcmp(action, "approve_extension") == 0) {
        /* The extension counts from the current handling deadline. */
        int64_t base = e->handle_due_at ? e->handle_due_at : now;
        struct event_category hours = cat;
        hours.unit = cat.unit == EVENT_LIMIT_HOURS ? EVENT_LIMIT_HOURS : EVENT_LIMIT_WORK_HOURS;
        rc = event_deadline(&hours, e->urgency, base, e->extension_hours, &e->handle_due_at, err);
        e->stage_started_at = now;
    }
    if (rc == 0 && (e->state != from || strcmp(action, "approve_extension") == 0 ||
                    strcmp(action, "escalate") == 0 || strcmp(action, "assign_down") == 0))
        rc = event_set_stage_deadline(e, &cat, now, app->cfg.warn_share, new_handle, err);
    struct buf comment = BUF_INIT;
    if (!empty(in->reason)) {
        buf_puts(&comment, in->reason);
    }
    if (!empty(in->result)) {
        if (comment.len)
            buf_puts(&comment, "；");
        buf_puts(&comment, in->result);
    }
    if (!empty(in->comment)) {
        if (comment.len)
            buf_puts(&comment, "；");
        buf_puts(&comment, in->comment);
    }
    if (strcmp(action, "revisit") == 0) {
        if (comment.len)
            buf_puts(&comment, "；");
        buf_printf(&comment, "满意度：%s",
                   in->satisfaction == EVENT_SAT_SATISFIED ? "满意"
                   : in->satisfaction == EVENT_SAT_BASIC   ? "基本满意"
                                                           : "不满意");
    }
    if (rc == 0)
        rc = event_store_update(db, e, err);
    if (rc == 0)
        rc = link_attachments(db, who, e->id, in->attachments, in->nattachments, err);
    if (rc == 0)
        rc = history_add(db, e, action, from, who, buf_cstr(&comment), in->attachments,
                         in->nattachments, overdue, false, now, err);
    if (rc == 0 && target.id) {
        char note[128];
        snprintf(note, sizeof(note), "事件 %s 并入本事件", e->code);
        target.updated_at = now;
        rc = event_store_update(db, &target, err);
        if (rc == 0)
            rc = history_add(db, &target, "merged_in", target.state, who, note, NULL, 0, false,
                             false, now, err);
    }
    if (rc == 0)
        rc = audit_event(db, who, action, &before, e, request_id, err);
    buf_release(&comment);
    event_release(&target);
    if (rc)
        return -1;
    /* 退回 twice: the street cannot settle it, so it goes up a level (issue 4 item 4). */
    if (strcmp(action, "return") == 0 && e->return_count >= 2 && e->level < EVENT_LEVEL_CITY &&
        e->return_count % 2 == 0) {
        struct event_action_input esc = {.reason = "两次退回，自动升级"};
        if (event_transition_locked(app, db, NULL, e, "escalate", &esc, request_id, now, err))
            return -1;
    }
    return 0;
}

int event_transition_at(struct app *app, struct db *db, const struct auth_principal *who,
                        const char *code, const char *action, const struct event_action_input *in,
                        const char *request_id, int64_t now, struct event *out,
                        struct app_error *err)
{
    struct event e = {0};
    bool own = false;
    if (empty(action) || !event_action_known(action))
        return app_fail(err, APP_ERR_NOT_FOUND, "unknown_action", "action", "未知操作");
    if (tx_begin(db, &own, err))
        return -1;
    int rc = event_store_get(db, code, &e, err);
    if (rc == 0 && !event_visible(who, &e))
        rc = app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "事件 %s 不存在", code);
    if (rc == 0 && who) {
        char perm[48];
        snprintf(perm, sizeof(perm), "event.%s", action);
        if (!auth_may(who, perm))
            rc = app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "您的角色不能执行“%s”",
                          event_action_label(action));
    }
    if (rc == 0)
        rc = event_transition_locked(app, db, who, &e, action, in, request_id, now, err);
    if (tx_end(db, own, rc, err)) {
        event_release(&e);
        return -1;
    }
    publish_event(&e, action);
    if (out)
        *out = e;
    else
        event_release(&e);
    return 0;
}

int event_transition(struct app *app, struct db *db, const struct auth_principal *who,
                     const char *code, const char *action, const struct event_action_input *in,
                     const char *request_id, struct event *out, struct app_error *err)
{
    return event_transition_at(app, db, who, code, action, in, request_id, clock_now(), out, err);
}

int event_get(struct db *db, const struct auth_principal *who, const char *code, bool follow_merge,
              struct event *out, struct app_error *err)
{
    if (event_store_get(db, code ? code : "", out, err))
        return -1;
    for (int hops = 0;
         follow_merge && out->state == EVENT_STATE_MERGED && out->merged_into[0] && hops < 8;
         hops++) {
        char into[EVENT_CODE_SIZE];
        snprintf(into, sizeof(into), "%s", out->merged_into);
        event_release(out);
        if (event_store_get(db, into, out, err))
            return -1;
    }
    if (!event_visible(who, out)) {
        event_release(out);
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "事件 %s 不存在", code);
    }
    return 0;
}

/* ---- whose step it is (issue 10 #7) ------------------------------------------------------ */

int event_sort_parse(const char *s)
{
    static const char *const names[] = {"-created_at", "created_at", "due_at", "urgency"};
    if (!s || !*s)
        return EVENT_SORT_NEWEST;
    for (size_t i = 0; i < COUNT(names); i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

unsigned event_turn(enum event_state s, bool extension_pending)
{
    switch (s) {
    case EVENT_STATE_REPORTED:     /* 受理 */
    case EVENT_STATE_REGISTERED:   /* 派遣 */
    case EVENT_STATE_FEEDBACK:     /* 派核查 */
    case EVENT_STATE_CLOSED:       /* 回访 */
    case EVENT_STATE_RETURNED:     /* 改派 */
    case EVENT_STATE_VOID_PENDING: /* 审批作废 */
        return EVENT_PARTY_CENTER;
    case EVENT_STATE_VERIFYING: /* 核实 */
    case EVENT_STATE_CHECKING:  /* 核查 */
        return EVENT_PARTY_GRID;
    case EVENT_STATE_DISPATCHED: /* 签收 */
        return EVENT_PARTY_ASSIGNEE;
    case EVENT_STATE_HANDLING: /* 处置, or the center decides the asked extension */
        return extension_pending ? EVENT_PARTY_CENTER : EVENT_PARTY_ASSIGNEE;
    default:
        return 0;
    }
}

const char *event_turn_name(unsigned turn)
{
    return turn & EVENT_PARTY_CENTER     ? "center"
           : turn & EVENT_PARTY_ASSIGNEE ? "assignee"
           : turn & EVENT_PARTY_GRID     ? "grid"
                                         : "none";
}

const char *event_turn_label(unsigned turn)
{
    return turn & EVENT_PARTY_CENTER     ? "指挥中心"
           : turn & EVENT_PARTY_ASSIGNEE ? "承办单位"
           : turn & EVENT_PARTY_GRID     ? "网格员"
                                         : "";
}

bool event_my_turn(const struct auth_principal *who, const struct event *e)
{
    return who && (event_parties(who, e) & event_turn(e->state, e->extension_pending)) != 0;
}

/* The SQL form of event_my_turn for who's list: the state tokens of who's party's steps and the
 * party's own conditions (event_parties). false when who is no party of any event. */
static bool turn_filter(const struct auth_principal *who, struct event_store_turn *t, char *buf,
                        size_t n)
{
    unsigned party = 0;
    memset(t, 0, sizeof(*t));
    t->max_level = EVENT_LEVEL_CITY;
    if (!who)
        return false;
    switch (who->role) {
    case AUTH_ROLE_ADMIN:
        party = EVENT_PARTY_CENTER;
        break;
    case AUTH_ROLE_CENTER:
        party = EVENT_PARTY_CENTER;
        t->max_level = level_rank(who->level);
        break;
    case AUTH_ROLE_DEPARTMENT:
        party = EVENT_PARTY_ASSIGNEE; /* the scope is the department already */
        break;
    case AUTH_ROLE_BOARD_POST:
        party = EVENT_PARTY_ASSIGNEE;
        t->post = who->post;
        break;
    case AUTH_ROLE_GRID_WORKER:
        party = EVENT_PARTY_GRID; /* the scope is the grid already */
        break;
    default:
        return false;
    }
    struct buf b = BUF_INIT;
    buf_putc(&b, ',');
    for (int s = 0; s < EVENT_STATE_COUNT; s++)
        for (int ext = 0; ext < 2; ext++)
            if (event_turn((enum event_state)s, ext) & party)
                buf_printf(&b, "%s%s,", event_state_name((enum event_state)s), ext ? "+" : "");
    snprintf(buf, n, "%s", buf_cstr(&b));
    buf_release(&b);
    t->states = buf;
    return true;
}

int event_list(struct db *db, const struct auth_principal *who, const struct event_query *q,
               struct event_list *out, char **next, struct app_error *err)
{
    struct event_store_scope scope;
    char prefix[32];
    int64_t before = 0;
    *next = NULL;
    memset(out, 0, sizeof(*out));
    event_scope_of(who, &scope, prefix, sizeof(prefix));
    if (q->status && strcmp(q->status, "open") && strcmp(q->status, "closed") &&
        event_state_parse(q->status) < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_status", "status", "未知状态 %s", q->status);
    if (q->channel && event_channel_parse(q->channel) < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_channel", "channel", "未知渠道 %s",
                        q->channel);
    if (q->urgency && event_urgency_parse(q->urgency) < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_urgency", "urgency", "未知紧急程度 %s",
                        q->urgency);
    /* The newest-first cursor is the last id seen; the other orders page by position. */
    long offset = 0;
    if (q->cursor) {
        char *end;
        long long v = strtoll(q->cursor, &end, 10);
        if (*end || v <= 0 || (q->sort != EVENT_SORT_NEWEST && v > 10000000))
            return app_fail(err, APP_ERR_INVALID, "invalid_cursor", "cursor", "游标无效");
        if (q->sort == EVENT_SORT_NEWEST)
            before = v;
        else
            offset = (long)v;
    }
    if (q->q && !utf8_valid(q->q, strlen(q->q)))
        return app_fail(err, APP_ERR_INVALID, "invalid_utf8", "q", "检索词无效");
    struct event_store_turn turn = {0};
    char states[256];
    if (q->mine && !turn_filter(who, &turn, states, sizeof(states)))
        return 0;
    if (scope.nothing)
        return 0;
    struct event_query qq = *q;
    if (qq.limit <= 0 || qq.limit > 5000)
        qq.limit = 100;
    long limit = qq.limit;
    qq.limit++; /* one more tells whether a next page exists */
    if (event_store_list(db, &qq, &scope, q->mine ? &turn : NULL, before, offset, out, err))
        return -1;
    if ((long)out->len > limit) {
        event_release(&out->items[out->len - 1]);
        out->len--;
        char buf[32];
        snprintf(buf, sizeof(buf), "%lld",
                 q->sort == EVENT_SORT_NEWEST ? (long long)out->items[out->len - 1].id
                                              : (long long)(offset + limit));
        *next = xstrdup(buf);
    }
    return 0;
}

int event_history_get(struct db *db, const struct auth_principal *who, const char *code,
                      struct event_history *out, struct app_error *err)
{
    struct event e;
    memset(out, 0, sizeof(*out));
    if (event_get(db, who, code, false, &e, err))
        return -1;
    int rc = event_store_history_list(db, e.id, e.code, out, err);
    event_release(&e);
    return rc;
}

int event_history_scan(struct db *db, int64_t from, int64_t to,
                       int (*cb)(void *ctx, const struct event *e,
                                 const struct event_history_item *h),
                       void *ctx, struct app_error *err)
{
    return event_store_history_scan(db, from, to, cb, ctx, err);
}

struct dist_pair {
    double d;
    size_t i;
};

static int cmp_dist(const void *a, const void *b)
{
    double da = ((const struct dist_pair *)a)->d, db_ = ((const struct dist_pair *)b)->d;
    return da < db_ ? -1 : da > db_;
}

int event_duplicates(struct app *app, struct db *db, const struct auth_principal *who,
                     const char *category, double lon, double lat, const char *except,
                     struct event_list *out, struct app_error *err)
{
    struct event_list all = {0};
    double m = (double)app->cfg.duplicate_m;
    double dlat = m / 111320.0, dlon = m / (111320.0 * cos(lat * M_PI / 180.0));
    memset(out, 0, sizeof(*out));
    if (event_store_nearby(db, category, lon - dlon, lat - dlat, lon + dlon, lat + dlat, &all, err))
        return -1;
    /* Sort by distance: keep the distance in a parallel array through an index sort. */
    struct dist_pair *ps = xcalloc(all.len + 1, sizeof(*ps));
    size_t n = 0;
    for (size_t i = 0; i < all.len; i++) {
        struct event *e = &all.items[i];
        double d = geo_distance_m((struct geo_point){lon, lat}, (struct geo_point){e->lon, e->lat});
        if (d > m || (except && strcmp(except, e->code) == 0) || !event_visible(who, e))
            continue;
        ps[n].d = d;
        ps[n].i = i;
        n++;
    }
    qsort(ps, n, sizeof(*ps), cmp_dist);
    out->items = xcalloc(n + 1, sizeof(*out->items));
    for (size_t k = 0; k < n; k++) {
        out->items[k] = all.items[ps[k].i];
        all.items[ps[k].i].description = NULL;
    }
    out->len = out->cap = n;
    free(ps);
    event_list_release(&all);
    return 0;
}

/* ---- monitor interface ------------------------------------------------------------------- */

int event_open_sensor_alert(struct app *app, struct db *db, const struct event_sensor_alert *in,
                            char *code_out, struct app_error *err)
{
    /* One station's repeated alert of one class is one event (issue 10): while the station's
     * event of that class is open, the new alert is a row of its history, not a new event. */
    if (in->station && in->category) {
        char open[EVENT_CODE_SIZE];
        int found = event_store_open_link_event(db, in->link_type ? in->link_type : "station",
                                                in->station, in->category, open, sizeof(open), err);
        if (found < 0)
            return -1;
        if (found) {
            struct buf note = BUF_INIT;
            buf_printf(&note, "再次预警：%s",
                       in->description && *in->description ? in->description
                                                           : (in->title ? in->title : ""));
            int rc = event_add_note(app, db, open, buf_cstr(&note), err);
            buf_release(&note);
            if (rc == 0)
                snprintf(code_out, EVENT_CODE_SIZE, "%s", open);
            return rc;
        }
    }
    struct event e = {0};
    bool own = false;
    int64_t now = clock_now();
    /* A rule's generated title may run long: cut it at 200 characters, on a UTF-8 boundary. */
    char title[801];
    snprintf(title, sizeof(title), "%s", in->title ? in->title : "");
    size_t chars = 0, i = 0;
    for (; title[i]; i++)
        if (((unsigned char)title[i] & 0xC0) != 0x80 && ++chars > 200)
            break;
    title[i] = 0; /* 200 characters take at most 800 bytes, so the copy never cut one */
    struct event_input ei = {.channel = EVENT_CHANNEL_SENSOR,
                             .category = in->category,
                             .title = title,
                             .description = in->description,
                             .lon = in->lon,
                             .lat = in->lat,
                             .grid = in->grid,
                             .reporter_name = in->reporter ? in->reporter : "传感器预警",
                             .urgency = in->urgency,
                             .link_type = !in->station    ? NULL
                                          : in->link_type ? in->link_type
                                                          : "station",
                             .link_id = in->station};
    if (tx_begin(db, &own, err))
        return -1;
    int rc = event_create_at(app, db, NULL, &ei, NULL, now, NULL, &e, err);
    /* Sensors are a trusted source: 立案 at once, then 派遣 to the owner department. */
    struct event_action_input dis = {.department = in->department,
                                     .reason = "传感器预警，派遣至责任部门"};
    if (rc == 0)
        rc = event_transition_locked(app, db, NULL, &e, "register", NULL, NULL, now, err);
    if (rc == 0) {
        struct app_error derr = {0};
        if (event_transition_locked(app, db, NULL, &e, "dispatch", &dis, NULL, now, &derr)) {
            /* No owner found (unknown department, no route): the alert still becomes an
             * event, left registered for the center to dispatch by hand. */
            if (derr.code == APP_ERR_INTERNAL || derr.code == APP_ERR_UNAVAILABLE) {
                if (err)
                    *err = derr;
                rc = -1;
            } else {
                char note[320];
                snprintf(note, sizeof(note), "未能自动派遣：%s", derr.message);
                rc = history_add(db, &e, "note", e.state, NULL, note, NULL, 0, false, true, now,
                                 err);
            }
        }
    }
    if (tx_end(db, own, rc, err)) {
        event_release(&e);
        return -1;
    }
    publish_event(&e, e.state == EVENT_STATE_DISPATCHED ? "dispatch" : "register");
    snprintf(code_out, EVENT_CODE_SIZE, "%s", e.code);
    event_release(&e);
    return 0;
}

int event_add_note(struct app *app, struct db *db, const char *code, const char *note,
                   struct app_error *err)
{
    (void)app;
    struct event e;
    bool own = false;
    if (empty(note))
        return app_fail(err, APP_ERR_INVALID, "required", "note", "备注不能为空");
    if (check_text(note, 2000, 8000, "note", true, err))
        return -1;
    if (tx_begin(db, &own, err))
        return -1;
    int rc = event_store_get(db, code ? code : "", &e, err);
    if (rc == 0) {
        e.updated_at = clock_now();
        rc = event_store_update(db, &e, err);
        if (rc == 0)
            rc = history_add(db, &e, "note", e.state, NULL, note, NULL, 0, false, false,
                             e.updated_at, err);
    }
    if (tx_end(db, own, rc, err))
        rc = -1;
    if (rc == 0) {
        publish_event(&e, "note");
        event_release(&e);
    }
    return rc;
}

int event_note(struct app *app, struct db *db, const struct auth_principal *who, const char *code,
               const char *comment, const char *request_id, struct app_error *err)
{
    (void)app;
    struct event e = {0};
    bool own = false;
    if (!who || !auth_may(who, "event.note"))
        return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "您无权添加备注");
    if (check_text(comment, 500, 2000, "comment", true, err))
        return -1;
    if (tx_begin(db, &own, err))
        return -1;
    int rc = event_store_get(db, code ? code : "", &e, err);
    bool got = rc == 0;
    if (rc == 0 && !event_visible(who, &e))
        rc = app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "事件 %s 不存在", code);
    if (rc == 0)
        rc = history_add(db, &e, "note", e.state, who, comment, NULL, 0, false, false, clock_now(),
                         err);
    if (rc == 0)
        rc = audit_event(db, who, "note", &e, &e, request_id, err);
    if (tx_end(db, own, rc, err))
        rc = -1;
    if (rc == 0)
        publish_event(&e, "note");
    if (got)
        event_release(&e);
    return rc;
}

/* ---- Idempotency-Key -------------------------------------------------------------------- */

int event_idempotency_begin(struct db *db, const char *scope, const char *key, int *status,
                            char **body, struct app_error *err)
{
    size_t n = key ? strlen(key) : 0;
    bool ok = n >= 1 && n <= 200;
    for (size_t i = 0; ok && i < n; i++)
        ok = key[i] > 0x20 && key[i] < 0x7f;
    *body = NULL;
    if (!ok)
        return app_fail(err, APP_ERR_INVALID, "invalid_idempotency_key", "Idempotency-Key",
                        "请求标识须为 1 至 200 个可见 ASCII 字符");
    int64_t now = clock_now();
    int rc = event_store_idem_reserve(db, scope, key, now, now - EVENT_IDEM_TTL,
                                      now - EVENT_IDEM_STALE, status, body, err);
    if (rc == 1 && *status == 0) {
        free(*body);
        *body = NULL;
        return app_fail(err, APP_ERR_CONFLICT, "idempotency_in_progress", "Idempotency-Key",
                        "同一请求正在处理，请稍后再查看");
    }
    return rc;
}

int event_idempotency_finish(struct db *db, const char *scope, const char *key, int status,
                             const char *body, struct app_error *err)
{
    return event_store_idem_finish(db, scope, key, status, body, err);
}

/* ---- public status ----------------------------------------------------------------------- */

static const char *public_label(const char *action, enum event_state to)
{
    static const char *const labels[][2] = {
        {"report", "已上报"},          {"accept", "已受理，正在核实"},
        {"register", "已立案"},        {"verify", "经核实已立案"},
        {"dispatch", "已派遣处置单位"}, {"sign", "处置单位已签收，正在处置"},
        {"feedback", "已处置，待核查"}, {"check_pass", "经核查已办结"},
        {"check_fail", "核查未通过，重新处置"}, {"self_handle", "网格员已现场处置办结"},
        {"escalate", "已提级办理"},    {"assign_down", "已交办处理"},
        {"park", "已挂账，待条件具备后处理"}, {"resume", "恢复办理"},
        {"approve_void", "经核实不予立案"}, {"merge", "已与同类事件合并办理"},
        {"revisit", "已回访"},         {"approve_extension", "处置期限已延长"},
        {"recalendar", "办理期限已按正式节假日安排调整"},
    };
    (void)to;
    for (size_t i = 0; i < COUNT(labels); i++)
        if (strcmp(labels[i][0], action) == 0)
            return labels[i][1];
    return NULL;
}

int event_public_status(struct db *db, const char *tracking, struct event_public_status *out,
                        struct app_error *err)
{
    struct event e;
    struct event_history h = {0};
    memset(out, 0, sizeof(*out));
    if (empty(tracking) || strlen(tracking) > 40)
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "查询编号不存在");
    if (event_store_get_by_tracking(db, tracking, &e, err))
        return -1;
    snprintf(out->tracking, sizeof(out->tracking), "%s", e.tracking);
    snprintf(out->category_name, sizeof(out->category_name), "%s", e.category_name);
    snprintf(out->title, sizeof(out->title), "%s", e.title);
    snprintf(out->state, sizeof(out->state), "%s", event_state_name(e.state));
    snprintf(out->state_label, sizeof(out->state_label), "%s", event_state_label(e.state));
    out->open = event_state_open(e.state);
    out->created_at = e.created_at;
    out->updated_at = e.updated_at;
    out->expected_at = e.handle_due_at;
    out->can_rate = e.state == EVENT_STATE_CLOSED;
    out->satisfaction = e.satisfaction;
    if (e.department[0])
        event_store_department_name(db, e.department, out->agency, sizeof(out->agency), err);
    if (!out->agency[0])
        snprintf(out->agency, sizeof(out->agency), "%s", "街道基层治理指挥中心");
    int rc = event_store_history_list(db, e.id, "", &h, err);
    for (size_t i = 0; rc == 0 && i < h.len; i++) {
        const struct event_history_item *it = &h.items[i];
        const char *label = it->internal ? NULL : public_label(it->action, it->to_state);
        if (!label || out->nsteps >= (int)COUNT(out->steps))
            continue;
        out->steps[out->nsteps].at = it->at;
        snprintf(out->steps[out->nsteps].label, sizeof(out->steps[0].label), "%s", label);
        out->nsteps++;
        snprintf(out->status_note, sizeof(out->status_note), "%s", label);
    }
    event_history_release(&h);
    event_release(&e);
    return rc;
}

/* ---- deadline sweep ---------------------------------------------------------------------- */

int event_sweep(struct app *app, struct db *db, int64_t now, struct app_error *err)
{
    struct event_list due = {0};
    int changed = 0;
    if (event_store_due(db, now, &due, err))
        return -1;
    for (size_t i = 0; i < due.len; i++) {
        struct event e;
        bool own;
        if (tx_begin(db, &own, err))
            goto fail;
        int rc = event_store_get(db, due.items[i].code, &e, err);
        if (rc) {
            tx_end(db, own, rc, err);
            goto fail;
        }
        struct app_error one = {0};
        enum event_alert a = event_alert_at(&e, now);
        const char *action = NULL;
        if (a == EVENT_ALERT_RED && e.alert != EVENT_ALERT_RED) {
            e.alert = EVENT_ALERT_RED;
            rc = event_store_update(db, &e, &one);
            if (rc == 0)
                rc = history_add(db, &e, "overdue", e.state, NULL, "已超过办理时限，系统督办", NULL,
                                 0, true, false, now, &one);
            action = "overdue";
            /* Overdue at a stage a center must act on or a handler is holding: go up.
             * Only street → district is automatic; the city takes a person's decision. */
            bool up = e.level == EVENT_LEVEL_STREET &&
                      (e.state == EVENT_STATE_REGISTERED || e.state == EVENT_STATE_DISPATCHED ||
                       e.state == EVENT_STATE_HANDLING || e.state == EVENT_STATE_RETURNED);
            if (rc == 0 && up) {
                struct event_action_input esc = {.reason = "超期未办结，自动升级"};
                rc = event_transition_locked(app, db, NULL, &e, "escalate", &esc, NULL, now, &one);
                action = "escalate";
            }
        } else if (a == EVENT_ALERT_YELLOW && e.alert == EVENT_ALERT_NONE) {
            e.alert = EVENT_ALERT_YELLOW;
            rc = event_store_update(db, &e, &one);
            action = "warn";
        }
        if (rc) {
            /* One event's failure (e.g. a calendar year missing) must not stop the sweep. */
            tx_end(db, own, rc, err);
            log_warn("event sweep: %s: %s", e.code, one.message);
            event_release(&e);
            continue;
        }
        if (tx_end(db, own, 0, err)) {
            event_release(&e);
            goto fail;
        }
        if (action) {
            publish_event(&e, action);
            changed++;
        }
        event_release(&e);
    }
    event_list_release(&due);
    return changed;
fail:
    event_list_release(&due);
    return -1;
}

int event_public_rate(struct app *app, struct db *db, const char *tracking, int satisfaction,
                      const char *comment, const char *request_id, struct app_error *err)
{
    struct event e = {0};
    if (satisfaction < EVENT_SAT_SATISFIED || satisfaction > EVENT_SAT_UNSATISFIED)
        return app_fail(err, APP_ERR_INVALID, "invalid_satisfaction", "satisfaction",
                        "请选择满意、基本满意或不满意");
    size_t chars = 0;
    for (const char *p = comment ? comment : ""; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    if (comment && (!utf8_valid(comment, strlen(comment)) || chars > 200))
        return app_fail(err, APP_ERR_INVALID, "too_long", "comment", "评价内容不能超过 200 字");
    if (empty(tracking) || strlen(tracking) > 40 ||
        event_store_get_by_tracking(db, tracking, &e, err))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "查无此查询码");
    enum event_state st = e.state;
    char code[EVENT_CODE_SIZE];
    snprintf(code, sizeof(code), "%s", e.code);
    event_release(&e);
    if (st == EVENT_STATE_REVISITED)
        return app_fail(err, APP_ERR_CONFLICT, "already_rated", NULL, "您已评价过，感谢您的反馈");
    if (st != EVENT_STATE_CLOSED)
        return app_fail(err, APP_ERR_CONFLICT, "not_closed", NULL, "事项尚未办结，办结后可评价");
    struct event_action_input in = {
        .satisfaction = satisfaction, .comment = comment, .by_reporter = true};
    return event_transition(app, db, NULL, code, "revisit", &in, request_id, NULL, err);
}
