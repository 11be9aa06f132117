/* Importing the board's spreadsheet ledger (issue 15: "today it is a spreadsheet"): every row
 * checked, every bad one reported by its line, nothing written unless all are good; then the
 * problems and measures in one transaction with one audit row. */
#include "ledger/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "ledger/ledger_store.h"

#define MAX_ROW_ERRORS 200

void ledger_import_result_release(struct ledger_import_result *r)
{
    if (!r)
        return;
    free(r->errors);
    memset(r, 0, sizeof *r);
}

static void row_error(struct ledger_import_result *r, int line, const struct app_error *e)
{
    if (r->nerrors >= MAX_ROW_ERRORS)
        return;
    if (r->nerrors == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->errors = xrealloc(r->errors, r->cap * sizeof *r->errors);
    }
    struct ledger_row_error *x = &r->errors[r->nerrors++];
    x->line = line;
    snprintf(x->field, sizeof x->field, "%s", e->field);
    snprintf(x->code, sizeof x->code, "%s", e->code_name);
    snprintf(x->message, sizeof x->message, "%s", e->message);
}

/* One problem of the file with the measures its rows add. */
struct item {
    struct ledger_problem p;
    struct ledger_measure *m;
    size_t nm, cap;
};

enum col {
    C_TITLE,
    C_SOURCE,
    C_CATEGORY,
    C_DEPT,
    C_DEADLINE,
    C_LEADER,
    C_ON,
    C_LONG,
    C_MEASURE,
    C_OWNER,
    C_MDEADLINE,
    C_COUNT
};
static const char *const headers[C_COUNT] = {"问题",     "来源",       "类别",     "责任单位",
                                             "整改时限", "责任领导",   "列入日期", "长期坚持",
                                             "措施",     "措施责任人", "措施时限"};
static const bool required_col[C_COUNT] = {true, true, true, true, true};

static const char *cell(const struct csv_reader *r, const int *at, enum col c)
{
    return at[c] >= 0 && at[c] < r->nfields ? r->fields[at[c]] : "";
}

/* Check one row into items (a new problem, or a measure of one already seen). 0 or -1 with e. */
static int take_row(struct db *db, const struct auth_principal *who, const struct csv_reader *r,
                    const int *at, const char *today, struct item **items, size_t *n, size_t *cap,
                    struct app_error *e)
{
    struct ledger_problem p = {0};
    const char *title = cell(r, at, C_TITLE), *source = cell(r, at, C_SOURCE);
    const char *category = cell(r, at, C_CATEGORY), *dept = cell(r, at, C_DEPT);
    const char *deadline = cell(r, at, C_DEADLINE), *on = cell(r, at, C_ON);
    const char *lt = cell(r, at, C_LONG);
    if (ledger_check_text(title, "问题", sizeof p.title, true, e) ||
        ledger_check_text(source, "来源", sizeof p.source, true, e) ||
        ledger_check_text(category, "类别", sizeof p.category, true, e) ||
        ledger_check_text(cell(r, at, C_LEADER), "责任领导", sizeof p.leader, false, e) ||
        ledger_check_date(deadline, "整改时限", e) || (*on && ledger_check_date(on, "列入日期", e)))
        return -1;
    if (!ledger_source_valid(source))
        return app_fail(e, APP_ERR_INVALID, "invalid_source", "来源",
                        "来源须为督查、巡察、审计、群众反映、自查或上级交办");
    if (*on && strcmp(on, today) > 0)
        return app_fail(e, APP_ERR_INVALID, "future_date", "列入日期", "列入日期不能晚于今天");
    if (*lt && strcmp(lt, "是") && strcmp(lt, "否"))
        return app_fail(e, APP_ERR_INVALID, "invalid_value", "长期坚持", "长期坚持应为“是”或“否”");
    bool found = false;
    if (!*dept)
        return app_fail(e, APP_ERR_INVALID, "missing_field", "责任单位", "请填写责任单位");
    if (ledger_store_department_find(db, dept, &p, &found, e))
        return -1;
    if (!found || !ledger_problem_visible(who, &p))
        return app_fail(e, APP_ERR_INVALID, "unknown_department", "责任单位",
                        "没有责任单位“%s”（或不在本辖区）", dept);
    snprintf(p.title, sizeof p.title, "%s", title);
    snprintf(p.source, sizeof p.source, "%s", source);
    snprintf(p.category, sizeof p.category, "%s", category);
    snprintf(p.leader, sizeof p.leader, "%s", cell(r, at, C_LEADER));
    snprintf(p.deadline, sizeof p.deadline, "%s", deadline);
    snprintf(p.created_on, sizeof p.created_on, "%s", *on ? on : today);
    p.long_term = strcmp(lt, "是") == 0;

    /* The same problem on an earlier row: its columns must agree. */
    struct item *it = NULL;
    for (size_t i = 0; i < *n && !it; i++)
        if (strcmp((*items)[i].p.title, p.title) == 0 &&
            strcmp((*items)[i].p.department, p.department) == 0)
            it = &(*items)[i];
    if (it && (strcmp(it->p.source, p.source) || strcmp(it->p.category, p.category) ||
               strcmp(it->p.deadline, p.deadline) || strcmp(it->p.created_on, p.created_on) ||
               strcmp(it->p.leader, p.leader) || it->p.long_term != p.long_term))
        return app_fail(e, APP_ERR_INVALID, "inconsistent", "问题",
                        "同一问题的来源、类别、时限、日期或领导与前面的行不一致");

    const char *measure = cell(r, at, C_MEASURE), *owner = cell(r, at, C_OWNER);
    const char *mdl = cell(r, at, C_MDEADLINE);
    struct ledger_measure m = {0};
    if (*measure) {
        struct auth_user u;
        struct app_error uerr = {0};
        if (ledger_check_text(measure, "措施", sizeof m.title, true, e) ||
            ledger_check_date(mdl, "措施时限", e))
            return -1;
        if (!*owner)
            return app_fail(e, APP_ERR_INVALID, "missing_field", "措施责任人", "请填写措施责任人");
        if (auth_user_get(db, owner, &u, &uerr))
            return app_fail(e, APP_ERR_INVALID, "unknown_user", "措施责任人", "没有用户“%.60s”",
                            owner);
        snprintf(m.title, sizeof m.title, "%s", measure);
        snprintf(m.owner, sizeof m.owner, "%s", owner);
        snprintf(m.deadline, sizeof m.deadline, "%s", mdl);
        snprintf(m.created_on, sizeof m.created_on, "%s", p.created_on);
    } else if (*owner || *mdl)
        return app_fail(e, APP_ERR_INVALID, "missing_field", "措施",
                        "有措施责任人或时限却没有措施");

    if (!it) {
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 32;
            *items = xrealloc(*items, *cap * sizeof **items);
        }
        it = &(*items)[(*n)++];
        memset(it, 0, sizeof *it);
        it->p = p;
    }
    if (*measure) {
        if (it->nm == it->cap) {
            it->cap = it->cap ? 2 * it->cap : 4;
            it->m = xrealloc(it->m, it->cap * sizeof *it->m);
        }
        it->m[it->nm++] = m;
    }
    return 0;
}

static int write_all(struct db *db, const struct auth_principal *who, const char *request_id,
                     struct item *items, size_t n, struct ledger_import_result *res,
                     struct app_error *err)
{
    int64_t first = 0, last = 0;
    if (db_begin(db, err))
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct item *it = &items[i];
        int64_t pid, mid;
        it->p.created_at = clock_now();
        snprintf(it->p.created_by, sizeof it->p.created_by, "%s", who ? who->username : "system");
        if (ledger_store_problem_insert(db, &it->p, &pid, err))
            goto fail;
        first = first ? first : pid;
        last = pid;
        for (size_t j = 0; j < it->nm; j++) {
            it->m[j].problem_id = pid;
            if (ledger_store_measure_insert(db, &it->m[j], &mid, err))
                goto fail;
            res->measures++;
        }
        res->problems++;
    }
    struct buf b = BUF_INIT;
    buf_printf(&b, "problems=%zu;measures=%zu;ids=%lld-%lld", res->problems, res->measures,
               (long long)first, (long long)last);
    char *after = buf_detach(&b, NULL);
    struct audit_entry e = {who,  "ledger.import", "ledger_problem",      "import", request_id,
                            NULL, after,           auth_scope_region(who)};
    int rc = audit_append(db, &e, err);
    free(after);
    if (rc || db_commit(db, err))
        goto fail;
    return 0;
fail:
    db_rollback(db);
    res->problems = res->measures = 0;
    return -1;
}

int ledger_import_csv(struct db *db, const struct auth_principal *who, const char *request_id,
                      const char *csv, size_t len, struct ledger_import_result *res,
                      struct app_error *err)
{
    memset(res, 0, sizeof *res);
    if (!auth_may(who, "ledger.write"))
        return app_fail(err, APP_ERR_FORBIDDEN, "forbidden", NULL, "当前角色不能导入整改台账");
    struct csv_reader r;
    struct app_error e = {0};
    struct item *items = NULL;
    size_t n = 0, cap = 0;
    int at[C_COUNT], ret = -1;
    char today[LEDGER_DATE];
    ledger_today(today);
    csv_init(&r, csv, len);
    int rc = csv_next(&r, &e);
    if (rc <= 0) {
        if (rc == 0)
            app_fail(err, APP_ERR_INVALID, "empty_file", "file", "文件为空");
        else
            *err = e;
        goto out;
    }
    for (int c = 0; c < C_COUNT; c++) {
        at[c] = csv_column(&r, headers[c]);
        if (at[c] < 0 && required_col[c]) {
            app_fail(err, APP_ERR_INVALID, "missing_column", "file", "缺少“%s”列", headers[c]);
            goto out;
        }
    }
    while ((rc = csv_next(&r, &e)) != 0) {
        if (rc < 0) {
            row_error(res, r.line, &e);
            break; /* the reader cannot go on past malformed text */
        }
        struct app_error re = {0};
        if (take_row(db, who, &r, at, today, &items, &n, &cap, &re))
            row_error(res, r.line, &re);
    }
    if (res->nerrors) {
        app_fail(err, APP_ERR_INVALID, "invalid_rows", res->errors[0].field,
                 "第 %d 行：%s（共 %zu 行有误，未导入任何数据）", res->errors[0].line,
                 res->errors[0].message, res->nerrors);
        goto out;
    }
    if (n == 0) {
        app_fail(err, APP_ERR_INVALID, "empty_file", "file", "文件中没有问题");
        goto out;
    }
    ret = write_all(db, who, request_id, items, n, res, err);
out:
    for (size_t i = 0; i < n; i++)
        free(items[i].m);
    free(items);
    csv_release(&r);
    return ret;
}
