/* Administrators' org writes: the field rules (names, phones, team roles, codes), each write
 * with its audit row, refusals that change nothing and append nothing, and no full phone
 * number in the audit digests' text. */
#include <stdlib.h>

#include "audit/audit.h"
#include "org/org_store.h"
#include "org/org_write.h"
#include "test.h"

static char grid[24];
static struct auth_principal admin = {.user_id = 1, .username = "admin", .role = AUTH_ROLE_ADMIN};
static const struct org_write_by by = {&admin, "req1"};

/* The Yuzhong tree without the demo, plus one grid of the first community. */
static struct db *fresh(void)
{
    struct db *db;
    struct app_error err = {0};
    struct org_region_query q = {.level = "community", .limit = 1};
    struct org_region_list l = {0};
    bool more;
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_migrate(db, NULL, &err), 0);
    CHECK_INT(org_seed(db, false, &err), 0);
    CHECK_INT(org_region_list(db, &q, &l, &more, &err), 0);
    CHECK_INT(l.len, 1);
    struct org_region g = {.level = "grid", .name = "测试网格"};
    snprintf(g.code, sizeof(g.code), "%.12s001", l.items[0].code);
    snprintf(g.parent_code, sizeof(g.parent_code), "%s", l.items[0].code);
    snprintf(grid, sizeof(grid), "%s", g.code);
    org_region_list_release(&l);
    CHECK_INT(org_store_region_insert(db, &g, &err), 0);
    return db;
}

static int64_t audit_rows(struct db *db)
{
    struct audit_query q = {.limit = 100000};
    struct audit_list l = {0};
    struct app_error err = {0};
    bool more;
    CHECK_INT(audit_query(db, &q, &l, &more, &err), 0);
    int64_t n = (int64_t)l.len;
    audit_list_release(&l);
    return n;
}

static void check_fails(int rc, const struct app_error *err, enum app_error_code code,
                        const char *code_name, const char *field)
{
    CHECK_INT(rc, -1);
    CHECK_INT(err->code, code);
    CHECK_STR(err->code_name, code_name);
    if (field)
        CHECK_STR(err->field, field);
}

TEST(names)
{
    struct app_error err = {0};
    CHECK_INT(org_write_check_name("解放碑街道", 128, "name", &err), 0);
    check_fails(org_write_check_name(NULL, 128, "name", &err), &err, APP_ERR_INVALID,
                "missing_field", "name");
    check_fails(org_write_check_name(" \xE3\x80\x80 ", 128, "name", &err), &err, APP_ERR_INVALID,
                "blank", "name");
    check_fails(org_write_check_name("a\nb", 128, "name", &err), &err, APP_ERR_INVALID,
                "control_character", "name");
    check_fails(org_write_check_name("\xff\xfe", 128, "name", &err), &err, APP_ERR_INVALID,
                "invalid_utf8", "name");
    check_fails(org_write_check_name("1234567890", 10, "name", &err), &err, APP_ERR_INVALID,
                "too_long", "name");
    CHECK_INT(org_write_check_name("123456789", 10, "name", &err), 0);
}

TEST(phones)
{
    struct app_error err = {0};
    const char *good[] = {"13812345678", "19912345678", "023-63801234", "02363801234",
                          "0755-1234567"};
    const char *bad[] = {
        "",           "12812345678", "1381234567",    "138123456789",  "1381234567x",
        "023-638012", "23-63801234", "0236-3801-234", "+8613812345678"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        CHECK_INT(org_write_check_phone(good[i], &err), 0);
    char first[256] = "";
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        check_fails(org_write_check_phone(bad[i], &err), &err, APP_ERR_INVALID, "invalid_phone",
                    "phone");
        /* The number is never echoed: the message is the same whatever was sent. */
        if (!first[0])
            snprintf(first, sizeof(first), "%s", err.message);
        CHECK_STR(err.message, first);
    }
}

TEST(codes_and_roles)
{
    struct app_error err = {0};
    CHECK_INT(org_write_check_team_role("网格长", &err), 0);
    CHECK_INT(org_write_check_team_role("新就业群体", &err), 0);
    check_fails(org_write_check_team_role("队长", &err), &err, APP_ERR_INVALID, "invalid_team_role",
                "team_role");
    check_fails(org_write_check_team_role(NULL, &err), &err, APP_ERR_INVALID, "invalid_team_role",
                "team_role");
    CHECK_INT(org_write_check_department_code("urban_2", &err), 0);
    check_fails(org_write_check_department_code("2urban", &err), &err, APP_ERR_INVALID,
                "invalid_code", "code");
    check_fails(org_write_check_department_code("Urban", &err), &err, APP_ERR_INVALID,
                "invalid_code", "code");
    check_fails(org_write_check_department_code("u", &err), &err, APP_ERR_INVALID, "invalid_code",
                "code");
    CHECK_INT(org_write_check_post_suffix("cg2", &err), 0);
    check_fails(org_write_check_post_suffix("c-g", &err), &err, APP_ERR_INVALID, "invalid_code",
                "suffix");
    check_fails(org_write_check_post_suffix("", &err), &err, APP_ERR_INVALID, "invalid_code",
                "suffix");
}

TEST(person_canonical_masks_the_phone)
{
    struct org_person p = {.id = 5,
                           .name = "张三",
                           .phone = "13812345678",
                           .team_role = "网格长",
                           .grid_code = "500103003001001"};
    char *s = org_write_person_canonical(&p);
    CHECK(strstr(s, "138****5678") != NULL);
    CHECK(strstr(s, "13812345678") == NULL);
    free(s);
}

TEST(team_member_lifecycle_is_audited)
{
    struct db *db = fresh();
    struct app_error err = {0};
    struct org_person p, q;
    int64_t before = audit_rows(db);
    struct org_write_person in = {"张三", "13812345678", "专职网格员"};
    CHECK_INT(org_write_person_add(db, &by, grid, &in, &p, &err), 0);
    CHECK(p.id > 0);
    CHECK_STR(p.phone, "13812345678"); /* stored in full */
    struct org_person_list team = {0};
    CHECK_INT(org_team(db, grid, &team, &err), 0);
    CHECK_INT(team.len, 1);
    CHECK_STR(team.items[0].phone, "13812345678");
    org_person_list_release(&team);

    struct org_write_person patch = {.phone = ""};
    CHECK_INT(org_write_person_update(db, &by, grid, p.id, &patch, &q, &err), 0);
    CHECK_STR(q.phone, "");
    CHECK_STR(q.name, "张三");
    CHECK_STR(q.team_role, "专职网格员");
    CHECK_INT(org_write_person_delete(db, &by, grid, p.id, &err), 0);
    check_fails(org_write_person_delete(db, &by, grid, p.id, &err), &err, APP_ERR_NOT_FOUND,
                "person_not_found", NULL);
    CHECK_INT(audit_rows(db), before + 3);

    struct audit_query aq = {.object_type = "person", .limit = 10};
    struct audit_list l = {0};
    bool more;
    CHECK_INT(audit_query(db, &aq, &l, &more, &err), 0);
    CHECK_INT(l.len, 3);
    CHECK_STR(l.items[0].action, "person.delete");
    CHECK_STR(l.items[2].action, "person.create");
    CHECK_STR(l.items[2].actor_name, "admin");
    CHECK_STR(l.items[2].request_id, "req1");
    for (size_t i = 0; i < l.len; i++)
        CHECK_STR(l.items[i].region, grid);
    CHECK_STR(l.items[0].after_digest, ""); /* deleted: nothing after */
    audit_list_release(&l);
    int64_t rows, broken;
    char why[128];
    CHECK_INT(audit_verify(db, &rows, &broken, why, sizeof(why), &err), 0);
    db_close(db);
}

TEST(refused_writes_change_nothing_and_append_nothing)
{
    struct db *db = fresh();
    struct app_error err = {0};
    struct org_person p;
    struct org_department d;
    struct org_post post;
    struct org_region r;
    int64_t before = audit_rows(db);
    struct org_write_person bad_phone = {"张三", "138", "网格长"};
    check_fails(org_write_person_add(db, &by, grid, &bad_phone, &p, &err), &err, APP_ERR_INVALID,
                "invalid_phone", "phone");
    struct org_write_person ok = {"张三", NULL, "网格长"};
    check_fails(org_write_person_add(db, &by, "500103003", &ok, &p, &err), &err, APP_ERR_NOT_FOUND,
                "region_not_found", NULL);
    struct org_write_department dup = {"urban", "重复的部门", "500103"};
    check_fails(org_write_department_create(db, &by, &dup, &d, &err), &err, APP_ERR_CONFLICT,
                "department_exists", "code");
    struct org_write_department far = {"newdep", "新部门", "500112"};
    check_fails(org_write_department_create(db, &by, &far, &d, &err), &err, APP_ERR_INVALID,
                "unknown_region", "region");
    struct org_write_department rename = {.name = "x", .region = grid};
    check_fails(org_write_department_update(db, &by, "urban", &rename, &d, &err), &err,
                APP_ERR_INVALID, "unknown_region", "region");
    struct org_write_post other = {"500103003", "cg", "重复"};
    check_fails(org_write_post_create(db, &by, "livelihood", &other, &post, &err), &err,
                APP_ERR_CONFLICT, "post_exists", "suffix");
    check_fails(org_write_post_rename(db, &by, "party", "500103003-cg", "x", &post, &err), &err,
                APP_ERR_NOT_FOUND, "post_not_found", NULL);
    check_fails(org_write_region_rename(db, &by, "500103999", "x", &r, &err), &err,
                APP_ERR_NOT_FOUND, "region_not_found", NULL);
    CHECK_INT(audit_rows(db), before);
    struct org_department_list deps = {0};
    CHECK_INT(org_department_list(db, &deps, &err), 0);
    for (size_t i = 0; i < deps.len; i++)
        if (strcmp(deps.items[i].code, "urban") == 0)
            CHECK_STR(deps.items[i].name, "区城市管理局");
    org_department_list_release(&deps);
    db_close(db);
}

TEST(departments_posts_regions)
{
    struct db *db = fresh();
    struct app_error err = {0};
    struct org_department d;
    struct org_post post;
    struct org_region r;
    struct org_write_department dep = {"culture", "区文化旅游委", "500103003"};
    CHECK_INT(org_write_department_create(db, &by, &dep, &d, &err), 0);
    CHECK_STR(d.region_code, "500103003");
    struct org_write_department ren = {.name = "区文旅委"};
    CHECK_INT(org_write_department_update(db, &by, "culture", &ren, &d, &err), 0);
    CHECK_STR(d.name, "区文旅委");
    CHECK_STR(d.region_code, "500103003");
    struct org_write_post in = {"500103001", "yl", "养老服务岗"};
    CHECK_INT(org_write_post_create(db, &by, "livelihood", &in, &post, &err), 0);
    CHECK_STR(post.code, "500103001-yl");
    struct org_post_list posts = {0};
    CHECK_INT(org_post_list(db, "500103001", "livelihood", &posts, &err), 0);
    bool found = false;
    for (size_t i = 0; i < posts.len; i++)
        found |= strcmp(posts.items[i].code, "500103001-yl") == 0;
    CHECK(found);
    org_post_list_release(&posts);
    CHECK_INT(org_write_region_rename(db, &by, "500103001", "七星岗", &r, &err), 0);
    CHECK_STR(r.name, "七星岗");
    CHECK_STR(r.level, "street");
    org_region_release(&r);
    CHECK_INT(org_region_get(db, "500103001", &r, &err), 0);
    CHECK_STR(r.name, "七星岗");
    org_region_release(&r);
    struct audit_query q = {.object_type = "region", .limit = 10};
    struct audit_list l = {0};
    bool more;
    CHECK_INT(audit_query(db, &q, &l, &more, &err), 0);
    CHECK_INT(l.len, 1);
    CHECK_STR(l.items[0].region, "500103001");
    CHECK(strcmp(l.items[0].before_digest, l.items[0].after_digest) != 0);
    audit_list_release(&l);
    db_close(db);
}

TEST_SUITE({"names", names}, {"phones", phones}, {"codes_and_roles", codes_and_roles},
           {"person_canonical_masks_the_phone", person_canonical_masks_the_phone},
           {"team_member_lifecycle_is_audited", team_member_lifecycle_is_audited},
           {"refused_writes_change_nothing_and_append_nothing",
            refused_writes_change_nothing_and_append_nothing},
           {"departments_posts_regions", departments_posts_regions});
