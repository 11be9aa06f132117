/* The component module's operations: the census (list, state, import all-or-nothing), the sewer
 * segments with their inspections and defects, repairs, the figures for a jurisdiction and the
 * overflow trace. Every write is audited in its own transaction; the rules are in rules.c. */
#include "component/component.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "component/component_store.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "event/event.h"
#include "org/org.h"

/* The local event class of pipe repairs (codes from 90 are local, src/event/category.c); its
 * limits are those of 1404 下水道堵塞. When a database lacks it, 1404 is used. */
#define REPAIR_CLASS "9108" /* 91xx: environment and drainage, beside 9103 生活污水溢流 */
#define REPAIR_CLASS_FALLBACK "1404"

#define LIST_RELEASE(fn, type)                                                                     \
    void fn(struct type *l)                                                                        \
    {                                                                                              \
        if (!l)                                                                                    \
            return;                                                                                \
        free(l->items);                                                                            \
        l->items = NULL;                                                                           \
        l->len = l->cap = 0;                                                                       \
    }
LIST_RELEASE(component_list_release, component_list)
LIST_RELEASE(sewer_segment_list_release, sewer_segment_list)
LIST_RELEASE(sewer_defect_list_release, sewer_defect_list)
LIST_RELEASE(sewer_inspection_list_release, sewer_inspection_list)
LIST_RELEASE(component_import_problems_release, component_import_problems)

static bool visible(const struct auth_principal *who, const char *grid, const char *street)
{
    return auth_region_in_scope(who, grid && *grid ? grid : street);
}

static bool empty(const char *s)
{
    return !s || !*s;
}

/* ---- components ---------------------------------------------------------------------------- */

int component_list(struct db *db, const struct auth_principal *who, const struct component_query *q,
                   struct component_list *out, struct app_error *err)
{
    struct component_query none = {0};
    if (q && q->state && *q->state && !component_state_valid(q->state))
        return app_fail(err, APP_ERR_INVALID, "bad_state", "state", "未知的部件状态");
    if (component_store_list(db, q ? q : &none, out, err))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (visible(who, out->items[i].grid, out->items[i].street))
            out->items[k++] = out->items[i];
    out->len = k;
    return 0;
}

int component_get(struct db *db, const struct auth_principal *who, const char *code,
                  struct component *out, struct app_error *err)
{
    bool found = false;
    if (!empty(code) && component_store_get(db, code, out, &found, err))
        return -1;
    if (!found || !visible(who, out->grid, out->street))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "部件 %s 不存在", code);
    return 0;
}

static void component_canon(const struct component *c, struct buf *b)
{
    buf_printf(b, "code=%s;class=%s;name=%s;state=%s;lon=%.7f;lat=%.7f;grid=%s;department=%s",
               c->code, c->class_code, c->name, c->state, c->lon, c->lat, c->grid, c->department);
}

int component_set_state(struct db *db, const struct auth_principal *who, const char *code,
                        const char *state, const char *request_id, struct component *out,
                        struct app_error *err)
{
    if (!component_state_valid(state))
        return app_fail(err, APP_ERR_INVALID, "bad_state", "state",
                        "状态应为 完好、破损、丢失、占用 或 废弃");
    struct component c;
    if (db_begin(db, err))
        return -1;
    struct buf before = BUF_INIT, after = BUF_INIT;
    int rc = component_get(db, who, code, &c, err);
    if (rc == 0) {
        component_canon(&c, &before);
        snprintf(c.state, sizeof(c.state), "%s", state);
        c.updated_at = clock_now();
        component_canon(&c, &after);
        rc = component_store_set_state(db, code, state, c.updated_at, err);
    }
    if (rc == 0)
        rc = audit_append(db,
                          &(struct audit_entry){.actor = who,
                                                .action = "component.state",
                                                .object_type = "component",
                                                .object_id = code,
                                                .request_id = request_id,
                                                .before = buf_cstr(&before),
                                                .after = buf_cstr(&after),
                                                .region = c.street},
                          err);
    buf_release(&before);
    buf_release(&after);
    if (rc) {
        db_rollback(db);
        return -1;
    }
    if (db_commit(db, err))
        return -1;
    if (out)
        *out = c;
    return 0;
}

/* ---- the census import --------------------------------------------------------------------- */

void component_import_release(struct component_import *imp)
{
    if (!imp)
        return;
    for (size_t i = 0; i < imp->len; i++) {
        free(imp->items[i].code);
        free(imp->items[i].name);
        free(imp->items[i].state);
        free(imp->items[i].department);
    }
    free(imp->items);
    imp->items = NULL;
    imp->len = imp->cap = 0;
}

static void problem(struct component_import_problems *p, int line, const char *field,
                    const char *code_name, const char *message)
{
    if (p->len == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->items = xrealloc(p->items, p->cap * sizeof(p->items[0]));
    }
    struct component_import_problem *x = &p->items[p->len++];
    x->line = line;
    snprintf(x->field, sizeof(x->field), "%s", field ? field : "");
    snprintf(x->code_name, sizeof(x->code_name), "%s", code_name ? code_name : "invalid");
    snprintf(x->message, sizeof(x->message), "%s", message ? message : "");
}

static char *field_dup(const struct csv_reader *r, int col)
{
    return col >= 0 && col < r->nfields ? xstrdup(r->fields[col]) : NULL;
}

static bool parse_double(const char *s, double *out)
{
    if (empty(s))
        return false;
    char *end;
    double v = strtod(s, &end);
    if (*end || v != v)
        return false;
    *out = v;
    return true;
}

int component_import_parse_csv(const char *data, size_t len, struct component_import *imp,
                               struct component_import_problems *problems, struct app_error *err)
{
    struct csv_reader r;
    csv_init(&r, data, len);
    int ret = -1;
    int rc = csv_next(&r, err);
    if (rc <= 0) {
        if (rc == 0)
            app_fail(err, APP_ERR_INVALID, "empty_file", "line 1", "文件为空");
        goto out;
    }
    int c_code = csv_column(&r, "code"), c_name = csv_column(&r, "name");
    int c_state = csv_column(&r, "state"), c_lon = csv_column(&r, "lon");
    int c_lat = csv_column(&r, "lat"), c_dep = csv_column(&r, "department");
    if (c_code < 0 || c_lon < 0 || c_lat < 0) {
        app_fail(err, APP_ERR_INVALID, "missing_column", "line 1",
                 "表头须含 code、lon、lat 列（可选 name、state、department）");
        goto out;
    }
    while ((rc = csv_next(&r, err)) == 1) {
        if (imp->len == imp->cap) {
            imp->cap = imp->cap ? imp->cap * 2 : 64;
            imp->items = xrealloc(imp->items, imp->cap * sizeof(imp->items[0]));
        }
        struct component_import_row *row = &imp->items[imp->len++];
        memset(row, 0, sizeof(*row));
        row->line = r.line;
        row->code = field_dup(&r, c_code);
        row->name = field_dup(&r, c_name);
        row->state = field_dup(&r, c_state);
        row->department = field_dup(&r, c_dep);
        const char *lon = c_lon < r.nfields ? r.fields[c_lon] : NULL;
        const char *lat = c_lat < r.nfields ? r.fields[c_lat] : NULL;
        row->has_point = parse_double(lon, &row->lon) && parse_double(lat, &row->lat);
        if (!row->has_point)
            problem(problems, r.line, "lon", "bad_point", "经纬度应为十进制数");
    }
    if (rc < 0)
        goto out;
    ret = 0;
out:
    csv_release(&r);
    return ret;
}

/* Check one row into c; every problem found goes to problems. */
static void check_row(struct app *app, struct db *db, const struct auth_principal *who,
                      const struct component_import_row *row, struct component *c,
                      struct component_import_problems *problems, struct app_error *err)
{
    struct app_error e = {0};
    struct component_code cc;
    memset(c, 0, sizeof(*c));
    if (component_code_check(row->code, COMPONENT_DISTRICT, &cc, &e)) {
        problem(problems, row->line, "code", e.code_name, e.message);
        return;
    }
    snprintf(c->code, sizeof(c->code), "%s", row->code);
    snprintf(c->class_code, sizeof(c->class_code), "%s", cc.class_code);
    struct event_category cat;
    if (event_category_get(db, cc.class_code, &cat, &e) || strcmp(cat.kind, "component") != 0)
        problem(problems, row->line, "code", "unknown_class", "第 7–10 位不是已登记的部件小类");
    else
        snprintf(c->name, sizeof(c->name), "%s", empty(row->name) ? cat.name : row->name);
    if (!empty(row->name) && strlen(row->name) >= sizeof(c->name))
        problem(problems, row->line, "name", "too_long", "名称过长");
    snprintf(c->state, sizeof(c->state), "%s", empty(row->state) ? "完好" : row->state);
    if (!component_state_valid(c->state))
        problem(problems, row->line, "state", "bad_state",
                "状态应为 完好、破损、丢失、占用 或 废弃");
    if (!empty(row->department)) {
        bool known = false;
        if (component_store_department_known(db, row->department, &known, err) == 0 && !known)
            problem(problems, row->line, "department", "unknown_department", "未知的部门代码");
        snprintf(c->department, sizeof(c->department), "%s", row->department);
    } else if (cat.code[0]) {
        snprintf(c->department, sizeof(c->department), "%s", cat.department);
    }
    if (row->has_point) {
        struct org_location loc;
        memset(&loc, 0, sizeof(loc));
        if (org_locate(app, db, row->lon, row->lat, &loc, &e))
            problem(problems, row->line, "lon", "outside_district", "点位不在本区任何网格内");
        else if (!auth_region_in_scope(who, loc.grid.code))
            problem(problems, row->line, "lon", "out_of_scope", "点位不在您的辖区内");
        else {
            snprintf(c->grid, sizeof(c->grid), "%s", loc.grid.code);
            snprintf(c->street, sizeof(c->street), "%s", loc.street.code);
        }
        org_location_release(&loc);
        c->lon = row->lon;
        c->lat = row->lat;
    }
}

int component_import_run(struct app *app, struct db *db, const struct auth_principal *who,
                         struct component_import *imp, const char *request_id,
                         struct component_import_problems *problems, long *inserted, long *updated,
                         struct app_error *err)
{
    *inserted = *updated = 0;
    if (imp->len == 0 && problems->len == 0)
        return app_fail(err, APP_ERR_INVALID, "empty_file", "file", "没有数据行");
    struct component *rows = xcalloc(imp->len ? imp->len : 1, sizeof(rows[0]));
    int ret = -1;
    for (size_t i = 0; i < imp->len; i++) {
        size_t before = problems->len;
        check_row(app, db, who, &imp->items[i], &rows[i], problems, err);
        for (size_t j = 0; j < i && problems->len == before; j++)
            if (imp->items[j].code && imp->items[i].code &&
                strcmp(imp->items[j].code, imp->items[i].code) == 0) {
                char msg[96];
                snprintf(msg, sizeof(msg), "与第 %d 行重复", imp->items[j].line);
                problem(problems, imp->items[i].line, "code", "duplicate", msg);
            }
    }
    if (problems->len) {
        app_fail(err, APP_ERR_INVALID, "import_refused", "file", "%zu 行有误，未导入任何数据",
                 problems->len);
        goto out;
    }
    if (db_begin(db, err))
        goto out;
    int64_t now = clock_now();
    int rc = 0;
    for (size_t i = 0; i < imp->len && rc == 0; i++) {
        struct component old;
        bool found = false;
        struct buf before = BUF_INIT, after = BUF_INIT;
        rows[i].updated_at = now;
        rc = component_store_get(db, rows[i].code, &old, &found, err);
        if (rc == 0 && found && !visible(who, old.grid, old.street)) {
            /* The code exists outside the importer's scope: say so without showing it. */
            rc = app_fail(err, APP_ERR_INVALID, "import_refused", "file", "有行不能导入");
            problem(problems, imp->items[i].line, "code", "out_of_scope", "该部件不在您的辖区内");
        }
        if (found)
            component_canon(&old, &before);
        component_canon(&rows[i], &after);
        bool ins = false;
        if (rc == 0)
            rc = component_store_upsert(db, &rows[i], &ins, err);
        if (rc == 0)
            rc = audit_append(db,
                              &(struct audit_entry){.actor = who,
                                                    .action = "component.import",
                                                    .object_type = "component",
                                                    .object_id = rows[i].code,
                                                    .request_id = request_id,
                                                    .before = found ? buf_cstr(&before) : NULL,
                                                    .after = buf_cstr(&after),
                                                    .region = rows[i].street},
                              err);
        if (rc == 0)
            (ins ? (*inserted)++ : (*updated)++);
        buf_release(&before);
        buf_release(&after);
    }
    if (rc) {
        db_rollback(db);
        *inserted = *updated = 0;
        goto out;
    }
    if (db_commit(db, err))
        goto out;
    ret = 0;
out:
    free(rows);
    return ret;
}

/* ---- segments ------------------------------------------------------------------------------ */

int sewer_segment_list(struct db *db, const struct auth_principal *who, const char *street,
                       struct sewer_segment_list *out, struct app_error *err)
{
    if (sewer_store_segments(db, empty(street) ? NULL : street, out, err))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < out->len; i++)
        if (visible(who, out->items[i].grid, out->items[i].street))
            out->items[k++] = out->items[i];
    out->len = k;
    return 0;
}

static int segment_visible_get(struct db *db, const struct auth_principal *who, const char *code,
                               struct sewer_segment *out, struct app_error *err)
{
    bool found = false;
    if (empty(code))
        return app_fail(err, APP_ERR_INVALID, "required", "segment", "请给出管段编号");
    if (sewer_store_segment_get(db, code, out, &found, err))
        return -1;
    if (!found || !visible(who, out->grid, out->street))
        return app_fail(err, APP_ERR_NOT_FOUND, "not_found", "segment", "管段 %s 不存在", code);
    return 0;
}

int sewer_segment_get(struct db *db, const struct auth_principal *who, const char *code,
                      struct sewer_segment *out, struct sewer_inspection_list *insp,
                      struct sewer_defect_list *defs, struct app_error *err)
{
    if (segment_visible_get(db, who, code, out, err))
        return -1;
    if (insp && sewer_store_inspections(db, code, insp, err))
        return -1;
    if (defs && sewer_store_defects(db, code, defs, err))
        return -1;
    return 0;
}

static int check_inspection(const struct sewer_inspection_input *in, struct app_error *err)
{
    if (empty(in->method) || (strcmp(in->method, "cctv") && strcmp(in->method, "periscope")))
        return app_fail(err, APP_ERR_INVALID, "bad_method", "method",
                        "检测方法应为 cctv（电视检测）或 periscope（管道潜望镜）");
    if (!component_date_valid(in->inspected_on))
        return app_fail(err, APP_ERR_INVALID, "bad_date", "inspected_on", "日期应为 YYYY-MM-DD");
    char today[16];
    clock_format_date(clock_now(), today, sizeof(today));
    if (strcmp(in->inspected_on, today) > 0)
        return app_fail(err, APP_ERR_INVALID, "future_date", "inspected_on",
                        "检测日期不能晚于今天");
    if (in->length_m < 0 || in->length_m != in->length_m)
        return app_fail(err, APP_ERR_INVALID, "bad_length", "length_m", "检测长度应为正数");
    for (size_t i = 0; i < in->ndefects; i++) {
        const struct sewer_defect_input *d = &in->defects[i];
        char f[48];
        if (empty(d->kind) || (strcmp(d->kind, "structural") && strcmp(d->kind, "functional"))) {
            snprintf(f, sizeof(f), "defects[%zu].kind", i);
            return app_fail(err, APP_ERR_INVALID, "bad_kind", f,
                            "缺陷类别应为 structural（结构性）或 functional（功能性）");
        }
        if (!sewer_defect_known(d->kind, d->defect)) {
            snprintf(f, sizeof(f), "defects[%zu].defect", i);
            return app_fail(err, APP_ERR_INVALID, "unknown_defect", f, "不是该类别的缺陷名称");
        }
        if (d->grade < 1 || d->grade > 4) {
            snprintf(f, sizeof(f), "defects[%zu].grade", i);
            return app_fail(err, APP_ERR_INVALID, "bad_grade", f, "缺陷等级应为 1–4");
        }
        if (d->position_m < 0 || d->position_m != d->position_m) {
            snprintf(f, sizeof(f), "defects[%zu].position_m", i);
            return app_fail(err, APP_ERR_INVALID, "bad_position", f, "位置应为非负的米数");
        }
    }
    return 0;
}

/* Open (or join) the repair event of segment s for defect d. */
static int open_repair(struct app *app, struct db *db, const struct sewer_segment *s,
                       const struct sewer_defect *d, char *code, struct app_error *err)
{
    struct event_category cat;
    struct app_error e = {0};
    const char *cls =
        event_category_get(db, REPAIR_CLASS, &cat, &e) == 0 ? REPAIR_CLASS : REPAIR_CLASS_FALLBACK;
    char title[256], desc[512];
    snprintf(title, sizeof(title), "管段 %s 结构性缺陷需修复：%s %d 级", s->code, d->defect,
             d->grade);
    snprintf(desc, sizeof(desc),
             "%s 检测发现：%s（%d 级），距上游井 %.1f 米；管段 %s → %s，管径 %d 毫米，%s。",
             d->found_on, d->defect, d->grade, d->position_m, s->up, s->down, s->diameter_mm,
             s->material);
    struct event_sensor_alert a = {.category = cls,
                                   .title = title,
                                   .description = desc,
                                   .lon = (s->up_lon + s->down_lon) / 2,
                                   .lat = (s->up_lat + s->down_lat) / 2,
                                   .grid = s->grid[0] ? s->grid : NULL,
                                   .urgency = -1,
                                   .department = s->department[0] ? s->department : NULL,
                                   .station = s->code,
                                   .link_type = "segment",
                                   .reporter = "管网检测"};
    return event_open_sensor_alert(app, db, &a, code, err);
}

int sewer_inspection_record(struct app *app, struct db *db, const struct auth_principal *who,
                            const struct sewer_inspection_input *in, const char *request_id,
                            int64_t *id, char *opened, size_t opened_n, struct app_error *err)
{
    struct sewer_segment s;
    if (opened && opened_n)
        opened[0] = 0;
    if (segment_visible_get(db, who, in->segment, &s, err) || check_inspection(in, err))
        return -1;
    struct sewer_inspection row = {0};
    snprintf(row.segment, sizeof(row.segment), "%s", s.code);
    snprintf(row.method, sizeof(row.method), "%s", in->method);
    snprintf(row.inspected_on, sizeof(row.inspected_on), "%s", in->inspected_on);
    snprintf(row.inspector, sizeof(row.inspector), "%s",
             empty(in->inspector) ? (who ? who->display_name : "") : in->inspector);
    row.length_m = in->length_m > 0 ? in->length_m : s.length_m;
    if (db_begin(db, err))
        return -1;
    int rc = sewer_store_inspection_insert(db, &row, clock_now(), id, err);
    struct buf after = BUF_INIT;
    buf_printf(&after, "segment=%s;method=%s;on=%s;length_m=%.2f;defects=%zu", row.segment,
               row.method, row.inspected_on, row.length_m, in->ndefects);
    for (size_t i = 0; i < in->ndefects && rc == 0; i++) {
        struct sewer_defect d = {.inspection_id = *id,
                                 .grade = in->defects[i].grade,
                                 .position_m = in->defects[i].position_m};
        snprintf(d.segment, sizeof(d.segment), "%s", s.code);
        snprintf(d.kind, sizeof(d.kind), "%s", in->defects[i].kind);
        snprintf(d.defect, sizeof(d.defect), "%s", in->defects[i].defect);
        snprintf(d.found_on, sizeof(d.found_on), "%s", row.inspected_on);
        int64_t did = 0;
        rc = sewer_store_defect_insert(db, &d, &did, err);
        buf_printf(&after, ";%s:%s:%d@%.1f", d.kind, d.defect, d.grade, d.position_m);
        if (rc == 0 && strcmp(d.kind, "structural") == 0 && d.grade >= COMPONENT_ACTION_GRADE) {
            char code[EVENT_CODE_SIZE] = "";
            rc = open_repair(app, db, &s, &d, code, err);
            if (rc == 0)
                rc = sewer_store_defect_set_event(db, did, code, err);
            if (rc == 0 && opened && opened_n)
                snprintf(opened, opened_n, "%s", code);
        }
    }
    char oid[32];
    snprintf(oid, sizeof(oid), "%lld", (long long)*id);
    if (rc == 0)
        rc = audit_append(db,
                          &(struct audit_entry){.actor = who,
                                                .action = "sewer.inspect",
                                                .object_type = "sewer_inspection",
                                                .object_id = oid,
                                                .request_id = request_id,
                                                .after = buf_cstr(&after),
                                                .region = s.street},
                          err);
    buf_release(&after);
    if (rc) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db, err);
}

int sewer_defect_repair(struct app *app, struct db *db, const struct auth_principal *who,
                        int64_t id, const char *repaired_on, const char *note,
                        const char *request_id, struct sewer_defect *out, struct app_error *err)
{
    (void)app;
    if (!component_date_valid(repaired_on))
        return app_fail(err, APP_ERR_INVALID, "bad_date", "repaired_on", "日期应为 YYYY-MM-DD");
    if (empty(note) || strlen(note) > 240)
        return app_fail(err, APP_ERR_INVALID, "required", "note", "请填写修复记录（240 字节以内）");
    struct sewer_defect d;
    struct sewer_segment s;
    bool found = false;
    if (db_begin(db, err))
        return -1;
    int rc = sewer_store_defect_get(db, id, &d, &found, err);
    if (rc == 0 && !found)
        rc = app_fail(err, APP_ERR_NOT_FOUND, "not_found", NULL, "缺陷不存在");
    if (rc == 0)
        rc = segment_visible_get(db, who, d.segment, &s, err);
    if (rc == 0 && d.repaired_on[0])
        rc = app_fail(err, APP_ERR_CONFLICT, "already_repaired", NULL, "该缺陷已于 %s 修复",
                      d.repaired_on);
    if (rc == 0 && strcmp(repaired_on, d.found_on) < 0)
        rc = app_fail(err, APP_ERR_INVALID, "before_found", "repaired_on",
                      "修复日期不能早于发现日期 %s", d.found_on);
    char today[16];
    clock_format_date(clock_now(), today, sizeof(today));
    if (rc == 0 && strcmp(repaired_on, today) > 0)
        rc = app_fail(err, APP_ERR_INVALID, "future_date", "repaired_on", "修复日期不能晚于今天");
    if (rc == 0)
        rc = sewer_store_defect_repair(db, id, repaired_on, note, err);
    char oid[32];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    struct buf after = BUF_INIT;
    buf_printf(&after, "segment=%s;defect=%s;grade=%d;repaired_on=%s;note=%s", d.segment, d.defect,
               d.grade, repaired_on, note ? note : "");
    if (rc == 0)
        rc = audit_append(db,
                          &(struct audit_entry){.actor = who,
                                                .action = "sewer.repair",
                                                .object_type = "sewer_defect",
                                                .object_id = oid,
                                                .request_id = request_id,
                                                .after = buf_cstr(&after),
                                                .region = s.street},
                          err);
    buf_release(&after);
    if (rc) {
        db_rollback(db);
        return -1;
    }
    if (db_commit(db, err))
        return -1;
    if (out) {
        *out = d;
        snprintf(out->repaired_on, sizeof(out->repaired_on), "%s", repaired_on);
        snprintf(out->repair_note, sizeof(out->repair_note), "%s", note);
    }
    return 0;
}

/* ---- figures and tracing ------------------------------------------------------------------- */

int sewer_figures(struct db *db, const struct auth_principal *who, const char *from, const char *to,
                  enum sewer_group group, struct sewer_figures_list *out, struct app_error *err)
{
    if (!component_date_valid(from))
        return app_fail(err, APP_ERR_INVALID, "bad_date", "from", "起始日期应为 YYYY-MM-DD");
    if (!component_date_valid(to))
        return app_fail(err, APP_ERR_INVALID, "bad_date", "to", "截止日期应为 YYYY-MM-DD");
    if (strcmp(from, to) > 0)
        return app_fail(err, APP_ERR_INVALID, "bad_period", "to", "截止日期早于起始日期");
    struct sewer_segment_list segs = {0};
    struct sewer_inspection_list insp = {0};
    struct sewer_defect_list defs = {0};
    int ret = -1;
    if (sewer_segment_list(db, who, NULL, &segs, err) ||
        sewer_store_inspections(db, NULL, &insp, err) || sewer_store_defects(db, NULL, &defs, err))
        goto out;
    sewer_figures_compute(segs.items, segs.len, insp.items, insp.len, defs.items, defs.len, from,
                          to, group, out);
    for (size_t i = 1; i < out->len; i++) {
        struct sewer_figures *r = &out->items[i];
        struct org_region reg;
        struct app_error e = {0};
        if (group == SEWER_GROUP_STREET && r->group[0] &&
            org_region_get(db, r->group, &reg, &e) == 0) {
            snprintf(r->group_name, sizeof(r->group_name), "%s", reg.name);
            org_region_release(&reg);
        }
    }
    ret = 0;
out:
    sewer_segment_list_release(&segs);
    sewer_inspection_list_release(&insp);
    sewer_defect_list_release(&defs);
    return ret;
}

int sewer_upstream_open(struct db *db, const struct auth_principal *who, const char *manhole,
                        struct sewer_segment_list *out, struct app_error *err)
{
    struct component m;
    if (empty(manhole))
        return app_fail(err, APP_ERR_INVALID, "required", "manhole", "请给出检查井的部件标识码");
    if (component_get(db, who, manhole, &m, err))
        return -1;
    struct sewer_segment_list all = {0};
    if (sewer_store_segments(db, NULL, &all, err))
        return -1;
    struct sewer_edge *edges = xcalloc(all.len ? all.len : 1, sizeof(edges[0]));
    size_t *idx = xcalloc(all.len ? all.len : 1, sizeof(idx[0]));
    for (size_t i = 0; i < all.len; i++)
        edges[i] = (struct sewer_edge){all.items[i].up, all.items[i].down};
    size_t n = sewer_upstream(edges, all.len, manhole, idx);
    for (size_t i = 0; i < n; i++) {
        const struct sewer_segment *s = &all.items[idx[i]];
        if (s->open_defects == 0 || !visible(who, s->grid, s->street))
            continue;
        if (out->len == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->items = xrealloc(out->items, out->cap * sizeof(out->items[0]));
        }
        out->items[out->len++] = *s;
    }
    free(edges);
    free(idx);
    sewer_segment_list_release(&all);
    return 0;
}

/* ---- seed ---------------------------------------------------------------------------------- */

int component_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    static const char cls[] =
        "code,name,major,kind,board,department,unit,verify,dispatch,handle,check,self_handle,"
        "urgent\n" REPAIR_CLASS
        ",排水管道病害,公用设施,component,livelihood,urban,wh,2,1,8,2,0,0\n";
    int n = 0;
    if (event_category_import_csv(db, cls, sizeof(cls) - 1, &n, err))
        return -1;
    return demo ? component_demo_seed(app, db, clock_now(), err) : 0;
}
