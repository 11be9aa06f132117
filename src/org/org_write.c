/* Administrators' writes to the district model: the field rules (pure), and each write as one
 * transaction holding the change and its audit row. SQL is in org_write_store.c (and the
 * inserts shared with seeding in org_store.c), HTTP in org_write_api.c. */
#include "org/org_write.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/csv.h"
#include "core/privacy.h"
#include "core/xalloc.h"
#include "org/org_store.h"
#include "org/org_write_store.h"

/* ---- field rules ------------------------------------------------------------------------- */

int org_write_check_name(const char *s, size_t max, const char *field, struct app_error *err)
{
    if (!s)
        return app_fail(err, APP_ERR_INVALID, "missing_field", field, "缺少 %s", field);
    size_t n = strlen(s);
    if (!utf8_valid(s, n))
        return app_fail(err, APP_ERR_INVALID, "invalid_utf8", field, "%s 不是有效的 UTF-8", field);
    if (n >= max)
        return app_fail(err, APP_ERR_INVALID, "too_long", field, "%s 过长（最多 %zu 字节）", field,
                        max - 1);
    bool blank = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return app_fail(err, APP_ERR_INVALID, "control_character", field, "%s 不能含控制字符",
                            field);
        /* U+3000 (E3 80 80), the ideographic space, is as blank as an ASCII one. */
        if (c == 0xe3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x80) {
            i += 2;
            continue;
        }
        if (c != ' ')
            blank = false;
    }
    if (blank)
        return app_fail(err, APP_ERR_INVALID, "blank", field, "%s 不能为空", field);
    return 0;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int org_write_check_phone(const char *phone, struct app_error *err)
{
    size_t n = phone ? strlen(phone) : 0;
    bool ok = false;
    /* Mainland mobile numbers: 11 digits, 1 then 3–9 (GB/T 13467 numbering plan, 13x–19x). */
    if (n == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9')
        ok = all_digits(phone, n);
    /* Landlines: trunk prefix 0, area code of 2–3 digits (Chongqing 023), 7–8 digits. */
    else if (n >= 10 && n <= 13 && phone[0] == '0') {
        const char *dash = strchr(phone, '-');
        if (!dash)
            ok = all_digits(phone, n);
        else {
            size_t area = (size_t)(dash - phone), local = n - area - 1;
            ok = (area == 3 || area == 4) && local >= 7 && local <= 8 && all_digits(phone, area) &&
                 all_digits(dash + 1, local);
        }
    }
    /* The message names the field, never the number (it may reach a log or a screen). */
    return ok ? 0
              : app_fail(err, APP_ERR_INVALID, "invalid_phone", "phone",
                         "电话号码格式不正确：应为 11 位手机号或带区号的固定电话（如 "
                         "023-63801234）");
}

static const char *const team_roles[] = {"网格长",   "专职网格员", "兼职网格员", "网格指导员",
                                         "在职党员", "志愿者",     "热心群众",   "新就业群体"};

int org_write_check_team_role(const char *role, struct app_error *err)
{
    for (size_t i = 0; role && i < sizeof(team_roles) / sizeof(team_roles[0]); i++)
        if (strcmp(role, team_roles[i]) == 0)
            return 0;
    return app_fail(err, APP_ERR_INVALID, "invalid_team_role", "team_role",
                    "团队角色须为 网格长、专职网格员、兼职网格员、网格指导员、在职党员、志愿者、"
                    "热心群众 或 新就业群体");
}

int org_write_check_department_code(const char *code, struct app_error *err)
{
    size_t n = code ? strlen(code) : 0;
    bool ok = n >= 2 && n <= 23 && code[0] >= 'a' && code[0] <= 'z';
    for (size_t i = 0; ok && i < n; i++)
        ok = (code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') ||
             code[i] == '_';
    return ok ? 0
              : app_fail(err, APP_ERR_INVALID, "invalid_code", "code",
                         "部门编码须为 2–23 个小写字母、数字或 _，以字母开头");
}

int org_write_check_post_suffix(const char *suffix, struct app_error *err)
{
    size_t n = suffix ? strlen(suffix) : 0;
    bool ok = n >= 1 && n <= 16;
    for (size_t i = 0; ok && i < n; i++)
        ok = (suffix[i] >= 'a' && suffix[i] <= 'z') || (suffix[i] >= '0' && suffix[i] <= '9');
    return ok ? 0
              : app_fail(err, APP_ERR_INVALID, "invalid_code", "suffix",
                         "岗位编码后缀须为 1–16 个小写字母或数字");
}

/* ---- canonical texts for the audit digests ------------------------------------------------ */

static char *canonical(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *canonical(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    return s;
}

static char *department_canonical(const struct org_department *d)
{
    return canonical("code=%s;name=%s;region=%s", d->code, d->name, d->region_code);
}

static char *post_canonical(const struct org_post *p)
{
    return canonical("code=%s;board=%s;street=%s;name=%s", p->code, p->board_code, p->street_code,
                     p->name);
}

char *org_write_person_canonical(const struct org_person *p)
{
    char masked[32];
    privacy_mask_phone(p->phone, masked, sizeof(masked));
    return canonical("id=%lld;grid=%s;name=%s;team_role=%s;phone=%s", (long long)p->id,
                     p->grid_code, p->name, p->team_role, masked);
}

/* ---- one transaction per write ----------------------------------------------------------- */

/* The audit row of a write: before/after are canonical texts (owned, freed by finish). */
struct change {
    const char *action, *object_type, *region;
    char object_id[96];
    char *before, *after;
};

/* Append the audit row and commit, or roll back when rc (or the append) failed. */
static int finish(struct db *db, const struct org_write_by *by, struct change *c, int rc,
                  struct app_error *err)
{
    if (rc == 0) {
        struct audit_entry e = {.actor = by ? by->actor : NULL,
                                .action = c->action,
                                .object_type = c->object_type,
                                .object_id = c->object_id,
                                .request_id = by ? by->request_id : NULL,
                                .before = c->before,
                                .after = c->after,
                                .region = c->region};
        rc = audit_append(db, &e, err) || db_commit(db, err) ? -1 : 0;
    }
    if (rc)
        db_rollback(db);
    free(c->before);
    free(c->after);
    return rc;
}

/* Does region code exist with one of the levels (NULL-terminated)? */
static int region_of_level(struct db *db, const char *code, const char *const *levels, bool *ok,
                           struct app_error *err)
{
    char level[12];
    bool exists;
    *ok = false;
    if (!code || strlen(code) >= 24)
        return 0;
    if (org_store_region_level(db, code, level, sizeof(level), &exists, err))
        return -1;
    for (size_t i = 0; exists && levels[i]; i++)
        *ok |= strcmp(level, levels[i]) == 0;
    return 0;
}

static int check_department_region(struct db *db, const char *region, struct app_error *err)
{
    static const char *const levels[] = {"district", "street", NULL};
    bool ok;
    if (!region)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "region", "缺少 region");
    if (region_of_level(db, region, levels, &ok, err))
        return -1;
    return ok ? 0
              : app_fail(err, APP_ERR_INVALID, "unknown_region", "region",
                         "没有编码为 %.24s 的区县或街道", region);
}

int org_write_department_create(struct db *db, const struct org_write_by *by,
                                const struct org_write_department *in, struct org_department *out,
                                struct app_error *err)
{
    struct change c = {.action = "department.create", .object_type = "department"};
    memset(out, 0, sizeof(*out));
    if (org_write_check_department_code(in->code, err) ||
        org_write_check_name(in->name, sizeof(out->name), "name", err))
        return -1;
    snprintf(out->code, sizeof(out->code), "%s", in->code);
    snprintf(out->name, sizeof(out->name), "%s", in->name);
    if (db_begin(db, err))
        return -1;
    struct org_department old;
    bool found;
    int rc = check_department_region(db, in->region, err) ||
                     org_write_store_department_get(db, in->code, &old, &found, err)
                 ? -1
                 : 0;
    if (rc == 0 && found)
        rc = app_fail(err, APP_ERR_CONFLICT, "department_exists", "code", "部门 %s 已存在",
                      in->code);
    if (rc == 0) {
        snprintf(out->region_code, sizeof(out->region_code), "%s", in->region);
        rc = org_store_department_insert(db, out, err);
        snprintf(c.object_id, sizeof(c.object_id), "%s", out->code);
        c.region = out->region_code;
        c.after = department_canonical(out);
    }
    return finish(db, by, &c, rc, err);
}

int org_write_department_update(struct db *db, const struct org_write_by *by, const char *code,
                                const struct org_write_department *patch,
                                struct org_department *out, struct app_error *err)
{
    struct change c = {.action = "department.update", .object_type = "department"};
    if (patch->name && org_write_check_name(patch->name, sizeof(out->name), "name", err))
        return -1;
    if (db_begin(db, err))
        return -1;
    struct org_department old;
    bool found;
    int rc = org_write_store_department_get(db, code, &old, &found, err);
    if (rc == 0 && !found)
        rc = app_fail(err, APP_ERR_NOT_FOUND, "department_not_found", NULL, "没有这个部门");
    if (rc == 0 && patch->region)
        rc = check_department_region(db, patch->region, err);
    if (rc == 0) {
        *out = old;
        if (patch->name)
            snprintf(out->name, sizeof(out->name), "%s", patch->name);
        if (patch->region)
            snprintf(out->region_code, sizeof(out->region_code), "%s", patch->region);
        rc = org_write_store_department_update(db, out, err);
        snprintf(c.object_id, sizeof(c.object_id), "%s", out->code);
        c.region = out->region_code;
        c.before = department_canonical(&old);
        c.after = department_canonical(out);
    }
    return finish(db, by, &c, rc, err);
}

int org_write_post_create(struct db *db, const struct org_write_by *by, const char *board,
                          const struct org_write_post *in, struct org_post *out,
                          struct app_error *err)
{
    static const char *const streets[] = {"street", NULL};
    struct change c = {.action = "post.create", .object_type = "post"};
    memset(out, 0, sizeof(*out));
    if (org_write_check_post_suffix(in->suffix, err) ||
        org_write_check_name(in->name, sizeof(out->name), "name", err))
        return -1;
    if (db_begin(db, err))
        return -1;
    bool found, ok = false;
    struct org_post old;
    int rc = org_write_store_board_exists(db, board, &found, err);
    if (rc == 0 && !found)
        rc = app_fail(err, APP_ERR_NOT_FOUND, "board_not_found", NULL, "没有这个板块");
    if (rc == 0)
        rc = region_of_level(db, in->street, streets, &ok, err);
    if (rc == 0 && !ok)
        rc = app_fail(err, APP_ERR_INVALID, in->street ? "unknown_street" : "missing_field",
                      "street", "须给出岗位所属街道的编码（9 位）");
    if (rc == 0) {
        snprintf(out->code, sizeof(out->code), "%s-%s", in->street, in->suffix);
        snprintf(out->board_code, sizeof(out->board_code), "%s", board);
        snprintf(out->street_code, sizeof(out->street_code), "%s", in->street);
        snprintf(out->name, sizeof(out->name), "%s", in->name);
        rc = org_write_store_post_get(db, out->code, &old, &found, err);
    }
    if (rc == 0 && found)
        rc = app_fail(err, APP_ERR_CONFLICT, "post_exists", "suffix", "岗位 %s 已存在", out->code);
    if (rc == 0) {
        rc = org_store_post_insert(db, out, err);
        snprintf(c.object_id, sizeof(c.object_id), "%s", out->code);
        c.region = out->street_code;
        c.after = post_canonical(out);
    }
    return finish(db, by, &c, rc, err);
}

int org_write_post_rename(struct db *db, const struct org_write_by *by, const char *board,
                          const char *code, const char *name, struct org_post *out,
                          struct app_error *err)
{
    struct change c = {.action = "post.update", .object_type = "post"};
    if (org_write_check_name(name, sizeof(out->name), "name", err))
        return -1;
    if (db_begin(db, err))
        return -1;
    struct org_post old;
    bool found;
    int rc = org_write_store_post_get(db, code, &old, &found, err);
    if (rc == 0 && (!found || strcmp(old.board_code, board) != 0))
        rc = app_fail(err, APP_ERR_NOT_FOUND, "post_not_found", NULL, "这个板块没有此岗位");
    if (rc == 0) {
        *out = old;
        snprintf(out->name, sizeof(out->name), "%s", name);
        rc = org_write_store_post_update(db, out, err);
        snprintf(c.object_id, sizeof(c.object_id), "%s", out->code);
        c.region = out->street_code;
        c.before = post_canonical(&old);
        c.after = post_canonical(out);
    }
    return finish(db, by, &c, rc, err);
}

/* Check the members of a person input that are set, naming the field. */
static int check_person(const struct org_write_person *in, struct app_error *err)
{
    struct org_person p;
    if (in->name && org_write_check_name(in->name, sizeof(p.name), "name", err))
        return -1;
    if (in->phone && in->phone[0] && org_write_check_phone(in->phone, err))
        return -1;
    if (in->team_role && org_write_check_team_role(in->team_role, err))
        return -1;
    return 0;
}

static int grid_exists(struct db *db, const char *grid, struct app_error *err)
{
    static const char *const grids[] = {"grid", NULL};
    bool ok;
    if (region_of_level(db, grid, grids, &ok, err))
        return -1;
    return ok ? 0 : app_fail(err, APP_ERR_NOT_FOUND, "region_not_found", NULL, "没有这个网格");
}

int org_write_person_add(struct db *db, const struct org_write_by *by, const char *grid,
                         const struct org_write_person *in, struct org_person *out,
                         struct app_error *err)
{
    struct change c = {.action = "person.create", .object_type = "person"};
    memset(out, 0, sizeof(*out));
    if (!in->name)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "name", "缺少 name");
    if (!in->team_role)
        return app_fail(err, APP_ERR_INVALID, "missing_field", "team_role", "缺少 team_role");
    if (check_person(in, err))
        return -1;
    if (db_begin(db, err))
        return -1;
    int rc = grid_exists(db, grid, err);
    if (rc == 0) {
        snprintf(out->name, sizeof(out->name), "%s", in->name);
        snprintf(out->phone, sizeof(out->phone), "%s", in->phone ? in->phone : "");
        snprintf(out->team_role, sizeof(out->team_role), "%s", in->team_role);
        snprintf(out->grid_code, sizeof(out->grid_code), "%s", grid);
        rc = org_write_store_person_insert(db, out, &out->id, err);
        snprintf(c.object_id, sizeof(c.object_id), "%lld", (long long)out->id);
        c.region = out->grid_code;
        c.after = org_write_person_canonical(out);
    }
    return finish(db, by, &c, rc, err);
}

/* Load member id of grid inside the caller's transaction; NOT_FOUND when in another grid. */
static int load_member(struct db *db, const char *grid, int64_t id, struct org_person *out,
                       struct app_error *err)
{
    bool found;
    if (grid_exists(db, grid, err) || org_write_store_person_get(db, id, out, &found, err))
        return -1;
    if (!found || strcmp(out->grid_code, grid) != 0)
        return app_fail(err, APP_ERR_NOT_FOUND, "person_not_found", NULL, "该网格没有这名成员");
    return 0;
}

int org_write_person_update(struct db *db, const struct org_write_by *by, const char *grid,
                            int64_t id, const struct org_write_person *patch,
                            struct org_person *out, struct app_error *err)
{
    struct change c = {.action = "person.update", .object_type = "person"};
    struct org_person old;
    if (check_person(patch, err) || db_begin(db, err))
        return -1;
    int rc = load_member(db, grid, id, &old, err);
    if (rc == 0) {
        *out = old;
        if (patch->name)
            snprintf(out->name, sizeof(out->name), "%s", patch->name);
        if (patch->phone)
            snprintf(out->phone, sizeof(out->phone), "%s", patch->phone);
        if (patch->team_role)
            snprintf(out->team_role, sizeof(out->team_role), "%s", patch->team_role);
        rc = org_write_store_person_update(db, out, err);
        snprintf(c.object_id, sizeof(c.object_id), "%lld", (long long)id);
        c.region = out->grid_code;
        c.before = org_write_person_canonical(&old);
        c.after = org_write_person_canonical(out);
    }
    return finish(db, by, &c, rc, err);
}

int org_write_person_delete(struct db *db, const struct org_write_by *by, const char *grid,
                            int64_t id, struct app_error *err)
{
    struct change c = {.action = "person.delete", .object_type = "person"};
    struct org_person old;
    if (db_begin(db, err))
        return -1;
    int rc = load_member(db, grid, id, &old, err);
    if (rc == 0) {
        rc = org_write_store_person_delete(db, id, err);
        snprintf(c.object_id, sizeof(c.object_id), "%lld", (long long)id);
        c.region = old.grid_code;
        c.before = org_write_person_canonical(&old);
    }
    return finish(db, by, &c, rc, err);
}

int org_write_region_rename(struct db *db, const struct org_write_by *by, const char *code,
                            const char *name, struct org_region *out, struct app_error *err)
{
    struct change c = {.action = "region.rename", .object_type = "region"};
    memset(out, 0, sizeof(*out));
    /* The import's rule for region names: present, UTF-8, under 128 bytes. */
    if (org_write_check_name(name, sizeof(out->name), "name", err) || db_begin(db, err))
        return -1;
    int rc = org_store_region_get(db, code ? code : "", out, err);
    if (rc == 0) {
        free(out->geometry);
        out->geometry = NULL;
        c.before = canonical("code=%s;name=%s", out->code, out->name);
        snprintf(out->name, sizeof(out->name), "%s", name);
        c.after = canonical("code=%s;name=%s", out->code, out->name);
        rc = org_write_store_region_rename(db, out->code, out->name, err);
        snprintf(c.object_id, sizeof(c.object_id), "%s", out->code);
        c.region = out->code;
    }
    return finish(db, by, &c, rc, err);
}
