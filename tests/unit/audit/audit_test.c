/* The audit chain: hashing is deterministic and covers every field; appends chain; verify
 * finds an edited row, a deleted row, a forged row and a cut tail. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "test.h"

static struct db *fresh(void)
{
    struct db *db;
    struct app_error err = {0};
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_migrate(db, NULL, &err), 0);
    return db;
}

static void append_n(struct db *db, int n)
{
    struct app_error err = {0};
    struct auth_principal admin = {.user_id = 1, .role = AUTH_ROLE_ADMIN};
    snprintf(admin.username, sizeof(admin.username), "admin");
    for (int i = 0; i < n; i++) {
        char id[16], after[32];
        snprintf(id, sizeof(id), "obj%d", i);
        snprintf(after, sizeof(after), "state %d", i);
        struct audit_entry e = {.actor = i % 2 ? &admin : NULL,
                                .action = "thing.update",
                                .object_type = "thing",
                                .object_id = id,
                                .request_id = "req",
                                .after = after};
        CHECK_INT(audit_append(db, &e, &err), 0);
    }
}

static int verify(struct db *db, int64_t *broken)
{
    struct app_error err = {0};
    int64_t rows;
    char why[160];
    return audit_verify(db, &rows, broken, why, sizeof(why), &err);
}

TEST(row_hash_covers_every_field)
{
    struct audit_record r = {.id = 7, .at = 1800000000, .actor_id = 3};
    snprintf(r.prev_hash, sizeof(r.prev_hash), "%064d", 0);
    snprintf(r.action, sizeof(r.action), "user.create");
    snprintf(r.object_type, sizeof(r.object_type), "user");
    char h1[65], h2[65];
    audit_row_hash(&r, h1);
    audit_row_hash(&r, h2);
    CHECK_STR(h1, h2);
    CHECK_INT(strlen(h1), 64);
    struct audit_record t = r;
    t.at++;
    audit_row_hash(&t, h2);
    CHECK(strcmp(h1, h2) != 0);
    t = r;
    snprintf(t.object_id, sizeof(t.object_id), "x");
    audit_row_hash(&t, h2);
    CHECK(strcmp(h1, h2) != 0);
    /* Moving a boundary between fields changes the hash too. */
    struct audit_record a = r, b = r;
    snprintf(a.action, sizeof(a.action), "ab");
    snprintf(a.object_type, sizeof(a.object_type), "c");
    snprintf(b.action, sizeof(b.action), "a");
    snprintf(b.object_type, sizeof(b.object_type), "bc");
    audit_row_hash(&a, h1);
    audit_row_hash(&b, h2);
    CHECK(strcmp(h1, h2) != 0);
}

TEST(digest_is_sha256)
{
    char d[65];
    audit_digest("abc", d);
    CHECK_STR(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    audit_digest(NULL, d);
    CHECK_STR(d, "");
}

TEST(intact_chain_verifies)
{
    struct db *db = fresh();
    int64_t broken = -1;
    CHECK_INT(verify(db, &broken), 0); /* empty */
    append_n(db, 5);
    CHECK_INT(verify(db, &broken), 0);
    CHECK_INT(broken, 0);
    struct audit_query q = {.limit = 2};
    struct audit_list l = {0};
    bool more;
    struct app_error err = {0};
    CHECK_INT(audit_query(db, &q, &l, &more, &err), 0);
    CHECK_INT(l.len, 2);
    CHECK(more);
    CHECK_INT(l.items[0].id, 5); /* newest first */
    CHECK_INT(l.items[1].id, 4);
    CHECK_STR(l.items[0].prev_hash, l.items[1].hash);
    audit_list_release(&l);
    q = (struct audit_query){.object_id = "obj2", .limit = 10};
    CHECK_INT(audit_query(db, &q, &l, &more, &err), 0);
    CHECK_INT(l.len, 1);
    CHECK_STR(l.items[0].actor_name, "");
    audit_list_release(&l);
    q = (struct audit_query){.actor = "admin", .limit = 10};
    CHECK_INT(audit_query(db, &q, &l, &more, &err), 0);
    CHECK_INT(l.len, 2);
    audit_list_release(&l);
    db_close(db);
}

TEST(rows_cannot_be_changed_through_sql)
{
    struct db *db = fresh();
    struct app_error err = {0};
    append_n(db, 3);
    CHECK_INT(db_exec(db, "UPDATE audit_log SET object_id = 'x' WHERE id = 2", &err), -1);
    CHECK_INT(db_exec(db, "DELETE FROM audit_log WHERE id = 2", &err), -1);
    db_close(db);
}

TEST(edited_row_is_named)
{
    struct db *db = fresh();
    struct app_error err = {0};
    int64_t broken;
    append_n(db, 5);
    CHECK_INT(db_exec(db,
                      "DROP TRIGGER audit_log_no_update;"
                      "UPDATE audit_log SET object_id = 'tampered' WHERE id = 3",
                      &err),
              0);
    CHECK_INT(verify(db, &broken), 1);
    CHECK_INT(broken, 3);
    db_close(db);
}

TEST(deleted_row_is_named)
{
    struct db *db = fresh();
    struct app_error err = {0};
    int64_t broken;
    append_n(db, 5);
    CHECK_INT(
        db_exec(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2", &err),
        0);
    CHECK_INT(verify(db, &broken), 1);
    CHECK_INT(broken, 3);
    db_close(db);
}

TEST(cut_tail_is_noticed)
{
    struct db *db = fresh();
    struct app_error err = {0};
    int64_t broken;
    append_n(db, 5);
    CHECK_INT(
        db_exec(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 5", &err),
        0);
    CHECK_INT(verify(db, &broken), 1);
    CHECK_INT(broken, 5);
    db_close(db);
}

TEST(forged_row_is_named)
{
    struct db *db = fresh();
    struct app_error err = {0};
    int64_t broken;
    append_n(db, 2);
    CHECK_INT(db_exec(db,
                      "INSERT INTO audit_log (id, at, action, object_type, prev_hash, hash) "
                      "SELECT 3, at, 'user.create', 'user', hash, hash FROM audit_log WHERE id = 2;"
                      "UPDATE audit_head SET last_id = 3",
                      &err),
              0);
    CHECK_INT(verify(db, &broken), 1);
    CHECK_INT(broken, 3);
    db_close(db);
}

TEST(incomplete_entry_is_refused)
{
    struct db *db = fresh();
    struct app_error err = {0};
    struct audit_entry e = {.action = "", .object_type = "thing", .object_id = "1"};
    CHECK_INT(audit_append(db, &e, &err), -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
    db_close(db);
}

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

TEST(region_is_hashed_only_when_present)
{
    struct audit_record r = {.id = 1, .at = 1800000000};
    snprintf(r.prev_hash, sizeof(r.prev_hash), "%064d", 0);
    snprintf(r.action, sizeof(r.action), "user.create");
    snprintf(r.object_type, sizeof(r.object_type), "user");
    char h1[65], h2[65], h3[65];
    audit_row_hash(&r, h1);
    /* A row without a region hashes its v1 text exactly as rows written before regions were
     * recorded, so older chains still verify. */
    char v1[65];
    audit_digest("zhizhi-audit-v1;64:" ZEROS ";1:1;10:1800000000;1:0;0:;0:;11:user.create;4:user;"
                 "0:;0:;0:;0:;",
                 v1);
    CHECK_STR(h1, v1);
    snprintf(r.region, sizeof(r.region), "500103003");
    audit_row_hash(&r, h2);
    CHECK(strcmp(h1, h2) != 0);
    snprintf(r.region, sizeof(r.region), "500103001");
    audit_row_hash(&r, h3);
    CHECK(strcmp(h2, h3) != 0);
}

static struct auth_principal person(enum auth_role role, const char *region)
{
    struct auth_principal p = {.user_id = 9, .role = role};
    snprintf(p.username, sizeof(p.username), "someone");
    snprintf(p.region, sizeof(p.region), "%s", region);
    return p;
}

TEST(visibility_follows_the_region)
{
    struct auth_principal admin = person(AUTH_ROLE_ADMIN, "");
    struct auth_principal district = person(AUTH_ROLE_AUDITOR, "500103");
    struct auth_principal street = person(AUTH_ROLE_AUDITOR, "500103003");
    struct auth_principal center = person(AUTH_ROLE_CENTER, "500103");
    struct audit_record in_street = {.id = 1}, other_street = {.id = 2}, none = {.id = 3};
    snprintf(in_street.region, sizeof(in_street.region), "500103003001001");
    snprintf(other_street.region, sizeof(other_street.region), "500103001");
    CHECK(audit_visible(&admin, &in_street) && audit_visible(&admin, &none));
    CHECK(audit_visible(&district, &in_street) && audit_visible(&district, &other_street));
    CHECK(audit_visible(&district, &none));
    CHECK(audit_visible(&street, &in_street));
    CHECK(!audit_visible(&street, &other_street));
    CHECK(!audit_visible(&street, &none)); /* platform-wide rows: district auditors only */
    CHECK(!audit_visible(&center, &in_street));
    CHECK(!audit_visible(NULL, &in_street));
}

TEST(auditor_query_pages_over_their_rows)
{
    struct db *db = fresh();
    struct app_error err = {0};
    struct auth_principal street = person(AUTH_ROLE_AUDITOR, "500103003");
    /* 1200 rows, every third in 解放碑: more than two store batches. */
    for (int i = 0; i < 1200; i++) {
        char id[16];
        snprintf(id, sizeof(id), "obj%d", i);
        struct audit_entry e = {.action = "thing.update",
                                .object_type = "thing",
                                .object_id = id,
                                .region = i % 3 == 0 ? "500103003002" : "500103001"};
        CHECK_INT(audit_append(db, &e, &err), 0);
    }
    struct audit_query q = {.limit = 300, .viewer = &street};
    struct audit_list l = {0};
    bool more;
    CHECK_INT(audit_query(db, &q, &l, &more, &err), 0);
    CHECK_INT(l.len, 300);
    CHECK(more);
    for (size_t i = 0; i < l.len; i++)
        CHECK_STR(l.items[i].region, "500103003002");
    CHECK_INT(l.items[0].id, 1198); /* obj1197: the newest of the street */
    q.before_id = l.items[l.len - 1].id;
    audit_list_release(&l);
    CHECK_INT(audit_query(db, &q, &l, &more, &err), 0);
    CHECK_INT(l.len, 100);
    CHECK(!more);
    CHECK_INT(l.items[l.len - 1].id, 1);
    audit_list_release(&l);
    int64_t broken = -1;
    CHECK_INT(verify(db, &broken), 0);
    db_close(db);
}

/* Two connections to one file appending at once (the CLI beside a running server, two server
 * threads): every append lands with its own id and the chain still verifies. */
struct appender {
    const char *path;
    int failures;
};

static void *append_many(void *arg)
{
    struct appender *a = arg;
    struct db *db;
    struct app_error err = {0};
    if (db_open(a->path, 10000, &db, &err)) {
        a->failures = -1;
        return NULL;
    }
    for (int i = 0; i < 200; i++) {
        struct audit_entry e = {.action = "thing.update", .object_type = "thing", .object_id = "x"};
        if (audit_append(db, &e, &err))
            a->failures++;
    }
    db_close(db);
    return NULL;
}

TEST(concurrent_appends_do_not_collide)
{
    char path[] = "/tmp/zhizhi-audit-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct db *db;
    struct app_error err = {0};
    CHECK_INT(db_open(path, 10000, &db, &err), 0);
    CHECK_INT(db_migrate(db, NULL, &err), 0);
    struct appender a[2] = {{path, 0}, {path, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        CHECK_INT(pthread_create(&t[i], NULL, append_many, &a[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    CHECK_INT(a[0].failures, 0);
    CHECK_INT(a[1].failures, 0);
    int64_t broken = -1, rows = 0;
    char why[160];
    CHECK_INT(audit_verify(db, &rows, &broken, why, sizeof why, &err), 0);
    CHECK_INT(rows, 400);
    CHECK_INT(broken, 0);
    db_close(db);
    char side[64];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

TEST_SUITE({"region_is_hashed_only_when_present", region_is_hashed_only_when_present},
           {"visibility_follows_the_region", visibility_follows_the_region},
           {"auditor_query_pages_over_their_rows", auditor_query_pages_over_their_rows},
           {"row_hash_covers_every_field", row_hash_covers_every_field},
           {"digest_is_sha256", digest_is_sha256}, {"intact_chain_verifies", intact_chain_verifies},
           {"rows_cannot_be_changed_through_sql", rows_cannot_be_changed_through_sql},
           {"edited_row_is_named", edited_row_is_named},
           {"deleted_row_is_named", deleted_row_is_named},
           {"cut_tail_is_noticed", cut_tail_is_noticed},
           {"forged_row_is_named", forged_row_is_named},
           {"incomplete_entry_is_refused", incomplete_entry_is_refused},
           {"concurrent_appends_do_not_collide", concurrent_appends_do_not_collide});
