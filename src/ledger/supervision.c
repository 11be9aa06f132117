/* Supervision clues (监督线索, issue 15 item 4): received from 码上举报 (anonymous, with a tracking
 * code), letters and visits; 初核 → 立案 / 了结 / 移送, 立案 → 办结 with persons handled and the
 * 通报; information shared with other mechanisms. Only supervision roles see any of it: to
 * everyone else every clue answers 404, as if there were none. The reporter's name and phone
 * never leave this scope (not in lists, not in audit digests). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "ledger/ledger.h"
#include "event/event.h"
#include "ledger/ledger_store.h"
#include "org/org.h"
#include "org/org_write.h"

static void set(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

bool ledger_clue_visible_to(const struct auth_principal *who)
{
    return who && auth_may(who, "supervision.read") && auth_scope_region(who)[0];
}

/* The steps of a clue, as a table: {from, decision, to}. 初核 ends in 立案 (a case, 在办), 了结
 * (closed without a case) or 移送 (handed to another mechanism, recorded); a case ends 办结. */
static const struct {
    const char *from, *decision, *to;
} steps[] = {
    {"初核", "立案", "立案"},
    {"初核", "了结", "了结"},
    {"初核", "移送", "移送"},
    {"立案", "办结", "办结"},
};

const char *ledger_clue_next(const char *status, const char *decision)
{
    for (size_t i = 0; status && decision && i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(steps[i].from, status) == 0 && strcmp(steps[i].decision, decision) == 0)
            return steps[i].to;
    return NULL;
}

static const char *const channels[] = {"码上举报", "来信", "来访", "其他"};

static int check_text(const char *s, const char *field, size_t max, bool required,
                      struct app_error *err)
{
    if (!s || !*s)
        return required ? app_fail(err, APP_ERR_INVALID, "missing_field", field, "请填写 %s", field)
                        : 0;
    size_t n = strlen(s);
    if (n >= max || !utf8_valid(s, n))
        return app_fail(err, APP_ERR_INVALID, "invalid_text", field,
                        "%s 须为不超过 %zu 字节的 UTF-8 文本", field, max - 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\n')
            return app_fail(err, APP_ERR_INVALID, "invalid_text", field, "%s 含有控制字符", field);
    return 0;
}

/* The digest text of a clue: never the reporter (name and phone are left out). */
static char *clue_canonical(const struct ledger_clue *c)
{
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "id=%lld;channel=%s;summary=%s;region=%s;anonymous=%d;status=%s;mechanism=%s;"
               "reason=%s;persons=%d;notice=%s;received_on=%s;decided_on=%s;concluded_on=%s",
               (long long)c->id, c->channel, c->summary, c->region, c->anonymous, c->status,
               c->mechanism, c->reason, c->persons, c->notice, c->received_on, c->decided_on,
               c->concluded_on);
    return buf_detach(&b, NULL);
}

static int commit_audited(struct db *db, const struct auth_principal *who, const char *request_id,
                          const char *action, const struct ledger_clue *c, char *before,
                          struct app_error *err)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)c->id);
    char *after = clue_canonical(c);
    struct audit_entry e = {who,    action, "supervision_clue", oid, request_id,
                            before, after,  c->region};
    int rc = audit_append(db, &e, err) || db_commit(db, err) ? -1 : 0;
    if (rc)
        db_rollback(db);
    free(before);
    free(after);
    return rc;
}

int ledger_clue_receive(struct app *app, struct db *db, const struct auth_principal *who, const char *request_id,
                        const struct ledger_clue_input *in, int64_t *id, char *tracking,
                        struct app_error *err)
{
    struct ledger_clue c = {0};
    if (who && (!ledger_clue_visible_to(who) || !auth_may(who, "supervision.write")))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "not found");
    const char *channel = who ? in->channel : "码上举报";
    bool ok = false;
    for (size_t i = 0; channel && i < sizeof channels / sizeof channels[0]; i++)
        ok |= strcmp(channel, channels[i]) == 0;
    if (!ok)
        return app_fail(err, APP_ERR_INVALID, "invalid_channel", "channel",
                        "来源须为码上举报、来信、来访或其他");
    if (check_text(in->summary, "summary", sizeof c.summary, true, err) ||
        check_text(in->reporter_name, "reporter_name", sizeof c.reporter_name, false, err))
        return -1;
    const char *region = in->region && *in->region ? in->region : "500103";
    struct org_region r;
    struct app_error rerr = {0};
    if (org_region_get(db, region, &r, &rerr))
        return app_fail(err, APP_ERR_INVALID, "unknown_region", "region", "没有该地区");
    if (who && !auth_region_in_scope(who, region))
        return app_fail(err, APP_ERR_INVALID, "unknown_region", "region", "没有该地区");
    bool anonymous = in->anonymous || (!in->reporter_name || !*in->reporter_name);
    if (in->reporter_phone && *in->reporter_phone &&
        org_write_check_phone(in->reporter_phone, err)) {
        if (err)
            set(err->field, sizeof err->field, "reporter_phone");
        return -1;
    }
    /* A tracking code the reporter keeps: 10 characters without look-alikes (50 bits). */
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    unsigned char raw[10];
    randombytes_buf(raw, sizeof raw);
    for (size_t i = 0; i < sizeof raw; i++)
        c.tracking_code[i] = alphabet[raw[i] & 31];
    set(c.channel, sizeof c.channel, channel);
    set(c.summary, sizeof c.summary, in->summary);
    set(c.region, sizeof c.region, region);
    c.anonymous = anonymous;
    if (!anonymous) {
        set(c.reporter_name, sizeof c.reporter_name, in->reporter_name);
        set(c.reporter_phone, sizeof c.reporter_phone, in->reporter_phone);
    }
    set(c.status, sizeof c.status, "初核");
    ledger_today(c.received_on);
    if (db_begin(db, err))
        return -1;
    if ((!who && event_public_admit(app, db, in->client, in->device, "supervision", err)) ||
        ledger_store_clue_insert(db, &c, id, err)) {
        db_rollback(db);
        return -1;
    }
    c.id = *id;
    if (tracking)
        set(tracking, sizeof c.tracking_code, c.tracking_code);
    return commit_audited(db, who, request_id, "supervision.clue.receive", &c, NULL, err);
}

int ledger_clue_list(struct db *db, const struct auth_principal *who, struct ledger_clue_list *out,
                     struct app_error *err)
{
    memset(out, 0, sizeof *out);
    if (!ledger_clue_visible_to(who))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "not found");
    return ledger_store_clue_list(db, auth_scope_region(who), out, err);
}

int ledger_clue_get(struct db *db, const struct auth_principal *who, int64_t id,
                    struct ledger_clue *out, struct app_error *err)
{
    bool found = false;
    if (!ledger_clue_visible_to(who))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "not found");
    if (ledger_store_clue_get(db, id, out, &found, err))
        return -1;
    if (!found || !auth_region_in_scope(who, out->region))
        return app_fail(err, APP_ERR_NOT_FOUND, "clue_not_found", NULL, "没有该线索");
    return 0;
}

/* A write needs supervision.write on top of seeing the clue (auditors only read). */
static int writable(struct db *db, const struct auth_principal *who, int64_t id,
                    struct ledger_clue *c, struct app_error *err)
{
    if (ledger_clue_get(db, who, id, c, err))
        return -1;
    if (!auth_may(who, "supervision.write"))
        return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "当前角色只能查阅监督线索");
    return 0;
}

int ledger_clue_decide(struct db *db, const struct auth_principal *who, const char *request_id,
                       int64_t id, const char *decision, const char *mechanism, const char *reason,
                       int persons, const char *notice, struct app_error *err)
{
    struct ledger_clue c;
    if (writable(db, who, id, &c, err))
        return -1;
    if (!decision || (strcmp(decision, "立案") && strcmp(decision, "了结") &&
                      strcmp(decision, "移送") && strcmp(decision, "办结")))
        return app_fail(err, APP_ERR_INVALID, "invalid_decision", "decision",
                        "decision 须为立案、了结、移送或办结");
    const char *to = ledger_clue_next(c.status, decision);
    if (!to)
        return app_fail(err, APP_ERR_CONFLICT, "bad_step", "decision", "线索当前为%s，不能%s",
                        c.status, decision);
    if (strcmp(decision, "移送") == 0 && check_text(mechanism, "mechanism", 64, true, err))
        return -1;
    if (check_text(reason, "reason", sizeof c.reason, strcmp(decision, "了结") == 0, err) ||
        check_text(notice, "notice", sizeof c.notice, false, err))
        return -1;
    if (persons < 0 || persons > 10000)
        return app_fail(err, APP_ERR_INVALID, "invalid_number", "persons",
                        "persons 须为 0 到 10000 的整数");
    char *before = clue_canonical(&c);
    set(c.status, sizeof c.status, to);
    if (strcmp(decision, "办结") == 0) {
        c.persons = persons;
        set(c.notice, sizeof c.notice, notice);
        ledger_today(c.concluded_on);
    } else {
        set(c.mechanism, sizeof c.mechanism, mechanism);
        set(c.reason, sizeof c.reason, reason);
        ledger_today(c.decided_on);
    }
    if (db_begin(db, err)) {
        free(before);
        return -1;
    }
    if (ledger_store_clue_update(db, &c, err)) {
        db_rollback(db);
        free(before);
        return -1;
    }
    return commit_audited(db, who, request_id, "supervision.clue.decide", &c, before, err);
}

bool ledger_clue_may_rectify(const char *status)
{
    return status && (strcmp(status, "立案") == 0 || strcmp(status, "办结") == 0);
}

int ledger_clue_rectify(struct db *db, const struct auth_principal *who, const char *request_id,
                        int64_t id, const struct ledger_problem_input *in, int64_t *problem_id,
                        struct app_error *err)
{
    struct ledger_clue c;
    char today[LEDGER_DATE];
    if (writable(db, who, id, &c, err))
        return -1;
    if (!ledger_clue_may_rectify(c.status))
        return app_fail(err, APP_ERR_CONFLICT, "bad_step", NULL,
                        "线索当前为%s，立案后才能列入整改台账", c.status);
    struct ledger_problem_input p = *in;
    if (!p.source || !*p.source)
        p.source = "督查";
    ledger_today(today);
    char *before = clue_canonical(&c);
    if (db_begin(db, err)) {
        free(before);
        return -1;
    }
    if (ledger_problem_add_within(db, who, request_id, &p, problem_id, err) ||
        ledger_store_clue_problem_insert(db, id, *problem_id, today, who->username, err)) {
        db_rollback(db);
        free(before);
        return -1;
    }
    return commit_audited(db, who, request_id, "supervision.clue.rectify", &c, before, err);
}

int ledger_clue_problems(struct db *db, int64_t id, char *out, size_t n, struct app_error *err)
{
    return ledger_store_clue_problems(db, id, out, n, err);
}

int ledger_clue_share(struct db *db, const struct auth_principal *who, const char *request_id,
                      int64_t id, const char *mechanism, const char *note, struct app_error *err)
{
    struct ledger_clue c;
    char today[LEDGER_DATE];
    if (writable(db, who, id, &c, err))
        return -1;
    if (check_text(mechanism, "mechanism", 64, true, err) ||
        check_text(note, "note", 512, false, err))
        return -1;
    ledger_today(today);
    char *before = clue_canonical(&c);
    if (db_begin(db, err)) {
        free(before);
        return -1;
    }
    if (ledger_store_share_insert(db, id, mechanism, note ? note : "", today, who->username, false,
                                  err)) {
        db_rollback(db);
        free(before);
        return -1;
    }
    c.shares++;
    return commit_audited(db, who, request_id, "supervision.clue.share", &c, before, err);
}

void ledger_clue_figures_compute(const struct ledger_clue *l, size_t n,
                                 struct ledger_clue_figures *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const char *s = l[i].status;
        out->received++;
        out->shares += l[i].shares;
        out->screening += strcmp(s, "初核") == 0;
        out->filed += strcmp(s, "立案") == 0;
        out->dismissed += strcmp(s, "了结") == 0;
        out->transferred += strcmp(s, "移送") == 0;
        out->concluded += strcmp(s, "办结") == 0;
        out->persons += l[i].persons;
    }
    /* 查处问题 = cases filed, 在办 = those not yet concluded (the seed's "48起(含在办12起)"). */
    out->cases = out->filed + out->concluded;
    out->cases_open = out->filed;
}

int ledger_clue_track(struct db *db, const char *tracking, char *status, size_t n,
                      char *received_on, struct app_error *err)
{
    struct ledger_clue c;
    bool found = false;
    if (!tracking || strlen(tracking) != 10)
        return app_fail(err, APP_ERR_NOT_FOUND, "report_not_found", NULL, "没有该查询码");
    if (ledger_store_clue_by_tracking(db, tracking, &c, &found, err))
        return -1;
    if (!found)
        return app_fail(err, APP_ERR_NOT_FOUND, "report_not_found", NULL, "没有该查询码");
    /* The reporter learns the stage, never who handles it or what others said. */
    set(status, n, strcmp(c.status, "初核") == 0 ? "已受理，正在初核" : "已处理");
    set(received_on, LEDGER_DATE, c.received_on);
    return 0;
}
