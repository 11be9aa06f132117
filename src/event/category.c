/* Event and component classes: the seed table (GB/T 30428.2 major classes — 部件 01–06 公用设施,
 * 道路交通, 市容环境, 园林绿化, 房屋土地, 其他设施; 事件 市容环境, 宣传广告, 施工管理, 突发事件,
 * 街面秩序, 其他事件 stored as majors 11–16 so both share one 4-digit code space; local 扩展
 * classes 90–94), its CSV import (all lines or none) and the default routing rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/csv.h"
#include "event/event_internal.h"
#include "org/org.h"

/* code,name,major,kind,board,department,unit,verify,dispatch,handle,check,self_handle,urgent.
 * Limits follow the per-subclass tables quoted in governance.md §1.4 (暴露垃圾 4 工作时, 道路不洁
 * 5 工作时, 私搭乱建 15 工作日, ...) and §1.6 (urgent: natural hours). Minor numbering follows
 * common local rulebooks [S]; adjust by importing a CSV. */
static const char *const seed_lines[] = {
    "code,name,major,kind,board,department,unit,verify,dispatch,handle,check,self_handle,urgent",
    "0101,上水井盖,公用设施,component,livelihood,water,h,1,1,4,2,0,1",
    "0102,污水井盖,公用设施,component,livelihood,urban,h,1,1,4,2,0,1",
    "0103,雨水井盖,公用设施,component,livelihood,urban,h,1,1,4,2,0,1",
    "0104,雨水箅子,公用设施,component,livelihood,urban,wh,2,1,8,2,0,0",
    "0105,电力井盖,公用设施,component,livelihood,urban,h,1,1,4,2,0,1",
    "0106,通讯井盖,公用设施,component,livelihood,urban,wh,2,1,8,2,0,0",
    "0107,燃气井盖,公用设施,component,safety,emergency,h,1,1,4,2,0,1",
    "0108,消火栓,公用设施,component,safety,fire,wh,2,1,8,2,0,0",
    "0109,路灯,公用设施,component,livelihood,urban,wh,2,1,16,2,0,0",
    "0110,公交站亭,公用设施,component,livelihood,transport,wh,2,1,16,2,0,0",
    "0201,交通信号灯,道路交通,component,safety,police,h,1,1,4,2,0,1",
    "0202,交通标志牌,道路交通,component,livelihood,transport,wh,2,1,16,2,0,0",
    "0203,道路护栏,道路交通,component,livelihood,transport,wh,2,1,16,2,0,0",
    "0204,路名牌,道路交通,component,livelihood,urban,wd,1,1,5,1,0,0",
    "0205,停车设施,道路交通,component,livelihood,transport,wd,1,1,5,1,0,0",
    "0301,公共厕所,市容环境,component,livelihood,urban,wh,2,1,8,2,0,0",
    "0302,垃圾箱,市容环境,component,livelihood,urban,wh,2,1,4,2,1,0",
    "0303,广告牌匾,市容环境,component,livelihood,urban,wd,1,1,5,1,0,0",
    "0401,行道树,园林绿化,component,livelihood,urban,wh,2,1,16,2,0,0",
    "0402,绿地,园林绿化,component,livelihood,urban,wd,1,1,5,1,0,0",
    "0501,危险房屋,房屋土地,component,safety,housing,h,2,1,24,4,0,1",
    "0601,健身设施,其他设施,component,livelihood,urban,wd,1,1,5,1,0,0",
    "0602,人行地下通道,其他设施,component,livelihood,transport,wh,2,1,16,2,0,0",
    "1101,暴露垃圾,市容环境,event,livelihood,urban,wh,2,1,4,2,1,0",
    "1102,积存垃圾渣土,市容环境,event,livelihood,urban,wh,2,1,8,2,0,0",
    "1103,道路不洁,市容环境,event,livelihood,urban,wh,2,1,5,2,1,0",
    "1104,水域不洁,市容环境,event,livelihood,water,wh,2,1,8,2,0,0",
    "1105,乱涂写乱张贴,市容环境,event,livelihood,urban,wh,2,1,8,2,1,0",
    "1106,焚烧垃圾树叶,市容环境,event,livelihood,eco,wh,1,1,2,2,1,0",
    "1201,非法小广告,宣传广告,event,livelihood,urban,wh,2,1,8,2,1,0",
    "1202,违规户外广告,宣传广告,event,livelihood,urban,wd,1,1,5,1,0,0",
    "1301,施工扰民,施工管理,event,livelihood,housing,wh,2,1,8,2,0,0",
    "1302,施工废弃料,施工管理,event,livelihood,housing,wh,2,1,8,2,0,0",
    "1303,无证掘路,施工管理,event,livelihood,urban,wh,2,1,8,2,0,0",
    "1401,路面塌陷,突发事件,event,safety,housing,h,1,1,4,2,0,1",
    "1402,供水管破裂,突发事件,event,livelihood,water,h,1,1,4,2,0,1",
    "1403,燃气泄漏,突发事件,event,safety,emergency,h,1,1,2,2,0,1",
    "1404,下水道堵塞,突发事件,event,livelihood,urban,wh,2,1,8,2,0,0",
    "1405,火情,突发事件,event,safety,fire,h,1,1,2,2,0,1",
    "1501,占道经营,街面秩序,event,livelihood,,wh,2,1,4,2,1,0",
    "1502,店外经营,街面秩序,event,livelihood,,wh,2,1,4,2,1,0",
    "1503,机动车乱停放,街面秩序,event,safety,police,wh,2,1,4,2,0,0",
    "1504,非机动车乱停放,街面秩序,event,livelihood,,wh,2,1,4,2,1,0",
    "1505,无照经营游商,街面秩序,event,economy,market,wh,2,1,8,2,0,0",
    "1601,违法建设,其他事件,event,livelihood,planning,wd,1,1,15,1,0,0",
    "1602,群租房,其他事件,event,safety,housing,wd,1,1,10,1,0,0",
    "9001,矛盾纠纷,社会治理,event,safety,,wd,1,1,5,1,0,0",
    "9002,欠薪,社会治理,event,safety,hrss,wd,1,1,7,1,0,0",
    "9003,消防隐患,社会治理,event,safety,fire,wh,2,1,16,2,0,0",
    "9004,治安隐患,社会治理,event,safety,police,wh,2,1,8,2,0,0",
    "9005,信访诉求,社会治理,event,safety,petition,wd,1,1,15,1,0,0",
    "9101,扬尘,生态环境,event,livelihood,eco,wh,2,1,8,2,0,0",
    "9102,噪声扰民,生态环境,event,livelihood,eco,wh,2,1,8,2,0,0",
    "9103,生活污水溢流,生态环境,event,livelihood,water,h,1,1,8,2,0,1",
    "9104,河湖问题,生态环境,event,livelihood,water,wd,1,1,5,1,0,0",
    "9105,油烟,生态环境,event,livelihood,eco,wh,2,1,16,2,0,0",
    "9106,空气质量超标,生态环境,event,livelihood,eco,h,1,1,12,2,0,1",
    "9107,水质超标,生态环境,event,livelihood,eco,h,1,1,24,4,0,1",
    "9201,物业服务,民生服务,event,livelihood,,wd,1,1,5,1,0,0",
    "9202,社会救助,民生服务,event,livelihood,civil,wd,1,1,5,1,0,0",
    "9203,公共卫生,民生服务,event,livelihood,health,wh,2,1,16,2,0,0",
    "9301,企业诉求,经济发展,event,economy,commerce,wd,1,1,5,1,0,0",
    "9302,营商环境,经济发展,event,economy,ndrc,wd,1,1,10,1,0,0",
    "9303,食品安全,经济发展,event,economy,market,wh,2,1,8,2,0,0",
    "9401,安全生产隐患,安全生产,event,safety,emergency,wh,2,1,8,2,0,0",
    "9402,地质灾害隐患,安全生产,event,safety,planning,h,1,1,12,2,0,1",
    /* Issue 10: a resident unsure of the class; the center classifies (migration 0031, code 9990). */
    "9990,其他问题,其他,event,livelihood,,wd,1,1,5,1,0,0",
};

static const char *const columns[] = {"code",  "name",     "major",  "kind",  "board",
                                      "department", "unit", "verify", "dispatch", "handle",
                                      "check", "self_handle", "urgent"};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

static int line_fail(struct app_error *err, int line, const char *col, const char *what)
{
    return app_fail(err, APP_ERR_INVALID, "bad_category_csv", col, "第 %d 行 %s：%s", line, col,
                    what);
}

static int parse_int(const char *s, int max, int *out)
{
    char *end;
    if (!*s)
        return -1;
    long v = strtol(s, &end, 10);
    if (*end || v < 0 || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 15)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= 'a' && s[i] <= 'z')))
            return false;
    return true;
}

static bool in_list(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Validate one record into c. */
static int parse_record(const struct csv_reader *r, const int *idx,
                        const struct org_board_list *boards,
                        const struct org_department_list *depts, struct event_category *c,
                        struct app_error *err)
{
    const char *f[NCOLS];
    for (size_t i = 0; i < NCOLS; i++)
        f[i] = idx[i] < r->nfields ? r->fields[idx[i]] : "";
    memset(c, 0, sizeof(*c));
    if (!code_ok(f[0]))
        return line_fail(err, r->line, "code", "编码须为2至15位字母或数字");
    if (!*f[1] || chars(f[1]) > 30)
        return line_fail(err, r->line, "name", "名称不能为空且不超过30字");
    if (!*f[2] || chars(f[2]) > 30)
        return line_fail(err, r->line, "major", "大类不能为空且不超过30字");
    if (strcmp(f[3], "event") && strcmp(f[3], "component"))
        return line_fail(err, r->line, "kind", "须为 event 或 component");
    bool board_ok = false;
    for (size_t i = 0; i < boards->len; i++)
        board_ok |= strcmp(boards->items[i].code, f[4]) == 0;
    if (!board_ok)
        return line_fail(err, r->line, "board", "未知板块");
    bool dept_ok = !*f[5];
    for (size_t i = 0; i < depts->len; i++)
        dept_ok |= strcmp(depts->items[i].code, f[5]) == 0;
    if (!dept_ok)
        return line_fail(err, r->line, "department", "未知部门");
    static const char *const units[] = {"wh", "wd", "h"};
    if (!in_list(f[6], units, 3))
        return line_fail(err, r->line, "unit", "须为 wh（工作时）、wd（工作日）或 h（自然小时）");
    int lim[4], b[2];
    for (int i = 0; i < 4; i++)
        if (parse_int(f[7 + i], 10000, &lim[i]))
            return line_fail(err, r->line, columns[7 + i], "时限须为0至10000的整数");
    for (int i = 0; i < 2; i++)
        if (parse_int(f[11 + i], 1, &b[i]))
            return line_fail(err, r->line, columns[11 + i], "须为0或1");
    snprintf(c->code, sizeof(c->code), "%s", f[0]);
    snprintf(c->name, sizeof(c->name), "%s", f[1]);
    snprintf(c->major, sizeof(c->major), "%s", f[2]);
    snprintf(c->kind, sizeof(c->kind), "%s", f[3]);
    snprintf(c->board, sizeof(c->board), "%s", f[4]);
    snprintf(c->department, sizeof(c->department), "%s", f[5]);
    c->unit = strcmp(f[6], "wd") == 0  ? EVENT_LIMIT_WORK_DAYS
              : strcmp(f[6], "h") == 0 ? EVENT_LIMIT_HOURS
                                       : EVENT_LIMIT_WORK_HOURS;
    c->limit_verify = lim[0];
    c->limit_dispatch = lim[1];
    c->limit_handle = lim[2];
    c->limit_check = lim[3];
    c->self_handle = b[0];
    c->urgent = b[1];
    return 0;
}

static int import(struct db *db, const char *csv, size_t len, int *count, struct app_error *err)
{
    struct csv_reader r;
    struct org_board_list boards = {0};
    struct org_department_list depts = {0};
    int idx[NCOLS];
    int ret = -1, rc, n = 0;
    csv_init(&r, csv, len);
    if (org_board_list(db, &boards, err) || org_department_list(db, &depts, err))
        goto out;
    rc = csv_next(&r, err);
    if (rc < 0)
        goto out;
    if (rc == 0) {
        app_fail(err, APP_ERR_INVALID, "empty_csv", "body", "CSV 为空");
        goto out;
    }
    for (size_t i = 0; i < NCOLS; i++) {
        idx[i] = csv_column(&r, columns[i]);
        if (idx[i] < 0) {
            app_fail(err, APP_ERR_INVALID, "missing_column", columns[i], "缺少列 %s",
                     columns[i]);
            goto out;
        }
    }
    while ((rc = csv_next(&r, err)) == 1) {
        struct event_category c;
        if (parse_record(&r, idx, &boards, &depts, &c, err) ||
            event_store_category_upsert(db, &c, err))
            goto out;
        n++;
    }
    if (rc < 0)
        goto out;
    if (n == 0) {
        app_fail(err, APP_ERR_INVALID, "empty_csv", "body", "CSV 没有数据行");
        goto out;
    }
    if (count)
        *count = n;
    ret = 0;
out:
    csv_release(&r);
    org_board_list_release(&boards);
    org_department_list_release(&depts);
    return ret;
}

int event_category_import_csv(struct db *db, const char *csv, size_t len, int *count,
                              struct app_error *err)
{
    if (!csv || !utf8_valid(csv, len))
        return app_fail(err, APP_ERR_INVALID, "invalid_utf8", "body", "CSV 须为 UTF-8 编码");
    if (db_begin(db, err))
        return -1;
    if (import(db, csv, len, count, err)) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

int event_category_get(struct db *db, const char *code, struct event_category *out,
                       struct app_error *err)
{
    return event_store_category_get(db, code, out, err);
}

int event_category_list(struct db *db, struct event_category_list *out, struct app_error *err)
{
    return event_store_category_list(db, out, err);
}

/* Classes that a street's own board post settles (矛盾纠纷 → 矛盾调解岗, 物业服务 → 物业管理岗,
 * street-order classes → 城市管理岗); everything else goes by the category's department. */
static const char *const street_routes[][2] = {
    {"9001", "tj"}, {"9201", "wy"}, {"1501", "cg"}, {"1502", "cg"}, {"1504", "cg"},
};

int event_category_seed(struct db *db, struct app_error *err)
{
    struct org_region_list streets = {0};
    struct org_region_query q = {.level = "street", .limit = 1000};
    bool more;
    int ret = -1;
    struct buf csv = BUF_INIT;
    for (size_t i = 0; i < sizeof(seed_lines) / sizeof(seed_lines[0]); i++) {
        buf_puts(&csv, seed_lines[i]);
        buf_putc(&csv, '\n');
    }
    int rc = import(db, csv.data, csv.len, NULL, err);
    buf_release(&csv);
    if (rc)
        return -1;
    if (org_region_list(db, &q, &streets, &more, err))
        return -1;
    for (size_t s = 0; s < streets.len; s++)
        for (size_t i = 0; i < sizeof(street_routes) / sizeof(street_routes[0]); i++) {
            char post[48];
            snprintf(post, sizeof(post), "%s-%s", streets.items[s].code, street_routes[i][1]);
            if (event_store_route_put(db, street_routes[i][0], streets.items[s].code, post, "",
                                      err))
                goto out;
        }
    ret = 0;
out:
    org_region_list_release(&streets);
    return ret;
}

/* ---- the routing table -------------------------------------------------------------------- */

void event_route_list_release(struct event_route_list *l)
{
    if (!l)
        return;
    free(l->items);
    memset(l, 0, sizeof(*l));
}

int event_route_list(struct db *db, const struct auth_principal *who,
                     struct event_route_list *out, struct app_error *err)
{
    struct event_store_scope scope;
    char prefix[32];
    event_scope_of(who, &scope, prefix, sizeof(prefix));
    memset(out, 0, sizeof(*out));
    if (scope.nothing)
        return 0;
    return event_store_route_list(db, scope.region_prefix, out, err);
}

static int route_check(struct db *db, const struct auth_principal *who,
                       const struct event_route *r, struct app_error *err)
{
    struct event_category c;
    struct org_region reg = {0};
    char name[64];
    if (strcmp(r->category, "*") != 0 && event_store_category_get(db, r->category, &c, err)) {
        if (err && err->code == APP_ERR_NOT_FOUND)
            return app_fail(err, APP_ERR_INVALID, "unknown_category", "category",
                            "未知的事件类别 %s", r->category);
        return -1;
    }
    if (org_region_get(db, r->region, &reg, err)) {
        if (err && err->code == APP_ERR_NOT_FOUND)
            return app_fail(err, APP_ERR_INVALID, "unknown_region", "region", "未知区域 %s",
                            r->region);
        return -1;
    }
    org_region_release(&reg);
    if (who && who->role != AUTH_ROLE_ADMIN && !auth_region_in_scope(who, r->region))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "region", "区域 %s 不在您的辖区内",
                        r->region);
    if (!!r->post[0] == !!r->department[0])
        return app_fail(err, APP_ERR_INVALID, "post_or_department", "department",
                        "须且只能指定岗位或部门之一");
    if (r->department[0]) {
        if (event_store_department_name(db, r->department, name, sizeof(name), err))
            return -1;
        if (!name[0])
            return app_fail(err, APP_ERR_INVALID, "unknown_department", "department",
                            "未知部门 %s", r->department);
    } else {
        int rc = event_store_post_exists(db, r->post, err);
        if (rc < 0)
            return -1;
        /* A post serves one street: the region must lie inside it (or be it). */
        if (!rc || strlen(r->region) < 9 || strncmp(r->post, r->region, 9) != 0)
            return app_fail(err, APP_ERR_INVALID, "unknown_post", "post",
                            "岗位 %s 不存在或不属于该区域所在街道", r->post);
    }
    return 0;
}

int event_route_put(struct db *db, const struct auth_principal *who, const struct event_route *r,
                    const char *request_id, struct app_error *err)
{
    if (route_check(db, who, r, err))
        return -1;
    char id[96], after[160];
    snprintf(id, sizeof(id), "%s@%s", r->category, r->region);
    snprintf(after, sizeof(after), "post=%s;department=%s", r->post, r->department);
    struct audit_entry ae = {.actor = who,
                             .action = "event.route",
                             .object_type = "event_route",
                             .object_id = id,
                             .request_id = request_id,
                             .after = after};
    if (db_begin(db, err))
        return -1;
    if (event_store_route_put(db, r->category, r->region, r->post, r->department, err) ||
        audit_append(db, &ae, err)) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}
