/* Residents' anonymous intake: the sliding-window rate rule and the client key (pure), then —
 * against an in-memory database with the demo district and a fixed clock — the limit on public
 * reports per address, photo tokens used once and only by anonymous reports, and volunteers
 * reading their own grid's events, adding remarks, never taking an action. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/config.h"
#include "event/event_internal.h"
#include "org/org.h"
#include "test.h"

TEST(rate_allows_below_the_limit)
{
    int64_t t[] = {1000, 1100, 1200};
    int64_t ra = -1;
    CHECK(event_rate_allow(NULL, 0, 1300, 3, 600, &ra));
    CHECK_INT(ra, 0);
    CHECK(event_rate_allow(t, 2, 1300, 3, 600, &ra));
    CHECK(!event_rate_allow(t, 3, 1300, 3, 600, &ra));
    /* The oldest (1000) leaves the window at 1600: 300 s from 1300. */
    CHECK_INT(ra, 300);
    /* At 1600 it no longer counts (the window is (now - 600, ...]). */
    CHECK(event_rate_allow(t, 3, 1600, 3, 600, &ra));
    CHECK(!event_rate_allow(t, 3, 1599, 3, 600, &ra));
    CHECK_INT(ra, 1);
}

TEST(rate_retry_after_is_when_enough_have_left)
{
    /* Unordered, with older submissions outside the window and more than the limit inside
     * (the limit was lowered): the third newest (1200) must leave for two to remain. */
    int64_t t[] = {1300, 100, 1200, 1250, 1100, 200};
    int64_t ra = 0;
    CHECK(!event_rate_allow(t, 6, 1400, 3, 600, &ra));
    CHECK_INT(ra, 1200 + 600 - 1400);
    /* A time in the future (clock step) still counts and never gives a retry under 1 s. */
    int64_t f[] = {5000};
    CHECK(!event_rate_allow(f, 1, 1000, 1, 600, &ra));
    CHECK_INT(ra, 4600);
    /* Retry-After is at least 1 even when the oldest leaves this very second. */
    int64_t g[] = {401};
    CHECK(!event_rate_allow(g, 1, 1000, 1, 600, &ra));
    CHECK_INT(ra, 1);
    CHECK(!event_rate_allow(g, 1, 1000, 1, 600, NULL));
}

TEST(client_keys)
{
    char k[96];
    event_rate_client_key("203.0.113.7", k, sizeof(k));
    CHECK_STR(k, "203.0.113.7");
    event_rate_client_key("::ffff:203.0.113.7", k, sizeof(k));
    CHECK_STR(k, "203.0.113.7");
    /* Every address of one /64 shares a key; another /64 does not. */
    char a[96], b[96], c[96];
    event_rate_client_key("2001:db8:1:2:aaaa::1", a, sizeof(a));
    event_rate_client_key("2001:db8:1:2:ffff:1:2:3", b, sizeof(b));
    event_rate_client_key("2001:db8:1:3::1", c, sizeof(c));
    CHECK_STR(a, "2001:0db8:0001:0002::/64");
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);
    event_rate_client_key("not an address", k, sizeof(k));
    CHECK_STR(k, "not an address");
    event_rate_client_key(NULL, k, sizeof(k));
    CHECK_STR(k, "");
}

/* ---- with a database --------------------------------------------------------------------- */

static struct app app;
static char data_dir[64];

static struct db *fixture(long limit)
{
    struct db *db = NULL;
    struct app_error err = {0};
    memset(&app, 0, sizeof(app));
    config_init(&app.cfg);
    snprintf(data_dir, sizeof(data_dir), "/tmp/zhizhi-public-test-XXXXXX");
    if (!mkdtemp(data_dir))
        abort();
    free(app.cfg.data_dir);
    app.cfg.data_dir = strdup(data_dir);
    app.cfg.public_report_limit = limit;
    app.cfg.public_report_window = 600;
    event_set_quiet(true);
    if (db_open(":memory:", 1000, &db, &err) || db_migrate(db, NULL, &err) ||
        org_seed(db, true, &err) || event_category_seed(db, &err)) {
        fprintf(stderr, "    fixture: %s\n", err.message);
        abort();
    }
    app.db = db;
    return db;
}

static void teardown(struct db *db)
{
    char cmd[128];
    db_close(db);
    config_release(&app.cfg);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "    cannot remove %s\n", data_dir);
    clock_set_fixed(-1);
}

static int files_in(const char *dir)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/attachments", dir);
    DIR *d = opendir(path);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static const char *a_grid(struct db *db, char *out, size_t n)
{
    struct org_region_query q = {.level = "grid", .parent = NULL, .limit = 1};
    struct org_region_list l = {0};
    struct app_error err = {0};
    bool more;
    if (org_region_list(db, &q, &l, &more, &err) || l.len < 1)
        abort();
    snprintf(out, n, "%s", l.items[0].code);
    org_region_list_release(&l);
    return out;
}

TEST(public_reports_are_limited_per_address)
{
    struct db *db = fixture(2);
    struct app_error err = {0};
    char grid[24];
    struct event_input in = {.channel = EVENT_CHANNEL_CITIZEN_QR,
                             .category = "9102",
                             .title = "噪声扰民",
                             .grid = a_grid(db, grid, sizeof(grid)),
                             .urgency = -1,
                             .client = "198.51.100.9"};
    int64_t t0 = 1772413200;
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0, NULL, &err), 0);
    /* A refused report does not count. */
    in.title = "";
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0 + 1, NULL, &err), -1);
    CHECK_STR(err.field, "title");
    in.title = "噪声扰民";
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0 + 60, NULL, &err), 0);
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0 + 120, NULL, &err), -1);
    CHECK_INT(err.code, APP_ERR_TOO_MANY);
    CHECK_STR(err.code_name, "rate_limited");
    /* Another address is not affected; the first one may report again once t0 has left. */
    in.client = "198.51.100.10";
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0 + 120, NULL, &err), 0);
    in.client = "198.51.100.9";
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0 + 599, NULL, &err), -1);
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0 + 600, NULL, &err), 0);
    /* Retry-After from the stored times: t0+60 and t0+600 count at t0+600 → t0+660. */
    clock_set_fixed(t0 + 600);
    int64_t ra = 0;
    CHECK_INT(event_public_retry_after(&app, db, "198.51.100.9", "report", &ra, &err), 0);
    CHECK_INT(ra, 60);
    CHECK_INT(event_public_retry_after(&app, db, "198.51.100.11", "report", &ra, &err), 0);
    CHECK_INT(ra, 0);
    /* Without a client address (a trusted caller) there is no limit. */
    in.client = NULL;
    for (int i = 0; i < 4; i++)
        CHECK_INT(event_public_create(&app, db, &in, NULL, t0 + 600, NULL, &err), 0);
    teardown(db);
}

TEST(photo_tokens_are_used_once_by_a_public_report)
{
    struct db *db = fixture(5);
    struct app_error err = {0};
    char grid[24], t1[EVENT_PHOTO_TOKEN_SIZE], t2[EVENT_PHOTO_TOKEN_SIZE],
        t3[EVENT_PHOTO_TOKEN_SIZE];
    static const unsigned char png_a[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 'a'};
    static const unsigned char png_b[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 'b'};
    static const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 'c'};
    int64_t t0 = 1772413200;
    clock_set_fixed(t0);
    CHECK_INT(
        event_public_photo_put(&app, db, "198.51.100.9", NULL, png_a, sizeof(png_a), t1, &err), 0);
    CHECK_INT((int)strlen(t1), 32);
    CHECK_INT(
        event_public_photo_put(&app, db, "198.51.100.9", NULL, png_b, sizeof(png_b), t2, &err), 0);
    CHECK_INT(event_public_photo_put(&app, db, "198.51.100.9", NULL, jpg, sizeof(jpg), t3, &err),
              0);
    CHECK(strcmp(t1, t2) != 0);
    CHECK_INT(event_public_photo_put(&app, db, "198.51.100.9", NULL, "GIF89a", 6, t3, &err), -1);
    CHECK_INT(err.code, APP_ERR_UNSUPPORTED);
    CHECK_INT(event_public_photo_put(&app, db, "198.51.100.9", NULL, png_a,
                                     (size_t)EVENT_PUBLIC_PHOTO_MAX + 1, t3, &err),
              -1);
    CHECK_INT(err.code, APP_ERR_TOO_LARGE);

    struct event_input in = {.channel = EVENT_CHANNEL_CITIZEN_QR,
                             .category = "9102",
                             .title = "噪声扰民",
                             .grid = a_grid(db, grid, sizeof(grid)),
                             .urgency = -1,
                             .client = "198.51.100.9"};
    in.photos[0] = t1;
    in.photos[1] = t1;
    in.nphotos = 2;
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0, NULL, &err), -1);
    CHECK_STR(err.code_name, "duplicate_photo");
    in.photos[1] = t2;
    struct event e;
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0, &e, &err), 0);
    struct event_history h;
    CHECK_INT(event_history_get(db, NULL, e.code, &h, &err), 0);
    CHECK_INT((int)h.len, 1);
    CHECK_INT((int)strlen(h.items[0].attachments), 64 + 1 + 64);
    event_history_release(&h);
    event_release(&e);
    /* Used: a second report cannot take them. */
    in.nphotos = 1;
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0, NULL, &err), -1);
    CHECK_STR(err.code_name, "unknown_photo");
    CHECK_STR(err.field, "photos");
    /* Expired after EVENT_PUBLIC_PHOTO_TTL; an unknown token is refused the same way. */
    in.photos[0] = t3;
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0 + EVENT_PUBLIC_PHOTO_TTL + 1, NULL, &err),
              -1);
    CHECK_STR(err.code_name, "unknown_photo");
    in.photos[0] = "00000000000000000000000000000000";
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0, NULL, &err), -1);
    CHECK_STR(err.code_name, "unknown_photo");
    /* Staff attach by attachments, not photos; residents cannot name a stored file. */
    in.photos[0] = t3;
    struct auth_principal center = {.role = AUTH_ROLE_ADMIN, .user_id = 1};
    snprintf(center.username, sizeof(center.username), "admin");
    in.channel = EVENT_CHANNEL_HOTLINE;
    CHECK_INT(event_create(&app, db, &center, &in, NULL, NULL, &err), -1);
    CHECK_STR(err.field, "photos");
    in.channel = EVENT_CHANNEL_CITIZEN_QR;
    in.nphotos = 0;
    in.attachments[0] = "0123";
    in.nattachments = 1;
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0, NULL, &err), -1);
    CHECK_STR(err.field, "attachments");
    /* The unused photo (t3) is forgotten after its hour, file and all; the report's stay. */
    CHECK_INT(files_in(data_dir), 3);
    CHECK_INT(event_public_photo_purge(&app, db, t0 + EVENT_PUBLIC_PHOTO_TTL, &err), 0);
    CHECK_INT(event_public_photo_purge(&app, db, t0 + EVENT_PUBLIC_PHOTO_TTL + 1, &err), 1);
    CHECK_INT(files_in(data_dir), 2);
    CHECK_INT(event_public_photo_purge(&app, db, t0 + 10 * EVENT_PUBLIC_PHOTO_TTL, &err), 0);
    CHECK_INT(files_in(data_dir), 2);
    teardown(db);
}

TEST(volunteers_read_their_grid_and_take_no_action)
{
    struct db *db = fixture(5);
    struct app_error err = {0};
    char grid[24];
    struct event_input in = {.channel = EVENT_CHANNEL_GRID_PATROL,
                             .category = "1101",
                             .title = "垃圾",
                             .grid = a_grid(db, grid, sizeof(grid)),
                             .urgency = -1};
    struct event e;
    CHECK_INT(event_create_at(&app, db, NULL, &in, NULL, 1772413200, NULL, &e, &err), 0);
    struct auth_principal v = {.role = AUTH_ROLE_VOLUNTEER, .user_id = 7};
    snprintf(v.username, sizeof(v.username), "volunteer");
    snprintf(v.grid, sizeof(v.grid), "%s", grid);
    CHECK(auth_may(&v, "event.read"));
    CHECK(event_visible(&v, &e));
    CHECK_INT((int)event_parties(&v, &e), 0);
    struct event got;
    CHECK_INT(event_get(db, &v, e.code, false, &got, &err), 0);
    event_release(&got);
    struct event_query q = {.limit = 100};
    struct event_list l = {0};
    char *next = NULL;
    CHECK_INT(event_list(db, &v, &q, &l, &next, &err), 0);
    CHECK_INT((int)l.len, 1);
    for (size_t i = 0; i < l.len; i++)
        CHECK_STR(l.items[i].grid, grid);
    event_list_release(&l);
    free(next);
    /* Every action of the table is refused: no permission row names volunteers. */
    size_t n;
    const struct event_rule *rules = event_rules(&n);
    for (size_t i = 0; i < n; i++) {
        char perm[48];
        snprintf(perm, sizeof(perm), "event.%s", rules[i].action);
        CHECK(!auth_may(&v, perm));
    }
    CHECK(!auth_may(&v, "event.create"));
    CHECK(!auth_may(&v, "event.attach"));
    CHECK_INT(event_transition(&app, db, &v, e.code, "register", NULL, NULL, NULL, &err), -1);
    CHECK_INT(err.code, APP_ERR_FORBIDDEN);
    /* A remark on the record is the one thing they add: a history row, no change of state. */
    CHECK_INT(event_note(&app, db, &v, e.code, "井盖仍未修复，雨天积水", NULL, &err), 0);
    CHECK_INT(event_note(&app, db, &v, e.code, "", NULL, &err), -1);
    CHECK_STR(err.field, "comment");
    struct event_history h;
    CHECK_INT(event_history_get(db, &v, e.code, &h, &err), 0);
    CHECK_INT((int)h.len, 2);
    CHECK_STR(h.items[1].action, "note");
    CHECK_STR(h.items[1].actor, "volunteer");
    CHECK_STR(h.items[1].actor_role, "volunteer");
    CHECK_INT(h.items[1].to_state, EVENT_STATE_REPORTED);
    event_history_release(&h);
    struct auth_principal auditor = {.role = AUTH_ROLE_AUDITOR};
    snprintf(auditor.region, sizeof(auditor.region), "500103");
    CHECK_INT(event_note(&app, db, &auditor, e.code, "x", NULL, &err), -1);
    CHECK_INT(err.code, APP_ERR_FORBIDDEN);
    /* Another grid's volunteer sees nothing of it. */
    snprintf(v.grid, sizeof(v.grid), "%s", "500103999999999");
    CHECK(!event_visible(&v, &e));
    CHECK_INT(event_get(db, &v, e.code, false, &got, &err), -1);
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
    CHECK_INT(event_note(&app, db, &v, e.code, "x", NULL, &err), -1);
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
    event_release(&e);
    teardown(db);
}

TEST(idempotency_keys_replay_the_first_answer)
{
    struct db *db = fixture(5);
    struct app_error err = {0};
    int status = -1;
    char *body = NULL;
    int64_t t0 = 1772409600; /* 2026-03-02 08:00 +08:00 */
    clock_set_fixed(t0);
    /* Bad keys: empty, too long, control or non-ASCII characters. */
    char longkey[202];
    memset(longkey, 'k', 201);
    longkey[201] = 0;
    const char *bad[] = {"", longkey, "a b", "键"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_INT(event_idempotency_begin(db, "u|/p", bad[i], &status, &body, &err), -1);
        CHECK_STR(err.field, "Idempotency-Key");
    }
    /* First time: go ahead; while in progress a repeat is a conflict. */
    CHECK_INT(event_idempotency_begin(db, "u|/p", "k1", &status, &body, &err), 0);
    CHECK_INT(event_idempotency_begin(db, "u|/p", "k1", &status, &body, &err), -1);
    CHECK_STR(err.code_name, "idempotency_in_progress");
    /* Finished: the repeat gets the first answer; another scope is another request. */
    CHECK_INT(event_idempotency_finish(db, "u|/p", "k1", 201, "{\"a\":1}", &err), 0);
    CHECK_INT(event_idempotency_begin(db, "u|/p", "k1", &status, &body, &err), 1);
    CHECK_INT(status, 201);
    CHECK_STR(body, "{\"a\":1}");
    free(body);
    CHECK_INT(event_idempotency_begin(db, "v|/p", "k1", &status, &body, &err), 0);
    /* A failed first request is forgotten: the retry goes ahead. */
    CHECK_INT(event_idempotency_finish(db, "v|/p", "k1", 0, NULL, &err), 0);
    CHECK_INT(event_idempotency_begin(db, "v|/p", "k1", &status, &body, &err), 0);
    /* An unfinished first request (the process died) is taken over after EVENT_IDEM_STALE. */
    clock_set_fixed(t0 + EVENT_IDEM_STALE + 1);
    CHECK_INT(event_idempotency_begin(db, "v|/p", "k1", &status, &body, &err), 0);
    /* After EVENT_IDEM_TTL the first answer is gone. */
    clock_set_fixed(t0 + EVENT_IDEM_TTL + 1);
    CHECK_INT(event_idempotency_begin(db, "u|/p", "k1", &status, &body, &err), 0);
    teardown(db);
}

/* Issue 10 #3: a device has the limit, its address ten times that; emergencies are not filed. */
TEST(public_reports_are_limited_per_device_under_an_address_ceiling)
{
    struct db *db = fixture(2);
    struct app_error err = {0};
    char grid[24], key[96];
    event_device_key("abcdefgh-1234567", key, sizeof(key));
    CHECK_STR(key, "device:abcdefgh-1234567");
    event_device_key("short", key, sizeof(key));
    CHECK_STR(key, "");
    event_device_key("abcdefgh 1234567!", key, sizeof(key));
    CHECK_STR(key, "");
    event_device_key(NULL, key, sizeof(key));
    CHECK_STR(key, "");
    struct event_input in = {.channel = EVENT_CHANNEL_CITIZEN_QR,
                             .category = "9102",
                             .title = "噪声扰民",
                             .grid = a_grid(db, grid, sizeof(grid)),
                             .urgency = -1,
                             .client = "203.0.113.7"};
    int64_t t0 = 1772413200;
    char dev[32];
    int ok = 0;
    /* Eleven devices behind one address: two each until the address has 20. */
    for (int d = 0; d < 11; d++) {
        snprintf(dev, sizeof(dev), "device-%010d", d);
        in.device = dev;
        for (int k = 0; k < 3; k++) {
            int rc = event_public_create(&app, db, &in, NULL, t0 + d * 3 + k, NULL, &err);
            if (rc == 0)
                ok++;
            else {
                CHECK_INT(err.code, APP_ERR_TOO_MANY);
                CHECK(strstr(err.message, d < 10 ? "本设备" : "同一网络") != NULL);
            }
            CHECK_INT(rc == 0, k < 2 && d < 10);
        }
    }
    CHECK_INT(ok, 2 * EVENT_PUBLIC_ADDRESS_FACTOR);
    /* The wait of a device that is refused: its oldest report leaves the window. */
    clock_set_fixed(t0 + 40);
    int64_t ra = 0;
    CHECK_INT(
        event_public_wait(&app, db, "198.51.100.77", "device-0000000000", "report", &ra, &err), 0);
    CHECK_INT(ra, 600 - 40);
    clock_set_fixed(-1);
    /* 燃气泄漏 and 火情 are called in, not filed. */
    in.client = "198.51.100.78";
    in.device = NULL;
    in.category = "1403";
    CHECK_INT(event_public_create(&app, db, &in, NULL, t0, NULL, &err), -1);
    CHECK_STR(err.code_name, "emergency");
    CHECK_STR(err.field, "category");
    CHECK(strstr(err.message, "119") != NULL);
    CHECK(event_public_emergency_of("1405") != NULL);
    CHECK(event_public_emergency_of("1101") == NULL);
    /* Every class of the residents' groups exists. */
    size_t ng;
    const struct event_public_group *g = event_public_groups(&ng);
    CHECK(ng >= 8 && ng <= 12);
    for (size_t i = 0; i < ng; i++)
        for (size_t k = 0; k < 12 && g[i].categories[k]; k++) {
            struct event_category c;
            CHECK_INT(event_category_get(db, g[i].categories[k], &c, &err), 0);
            CHECK(event_public_emergency_of(g[i].categories[k]) == NULL);
        }
    struct event_category other;
    CHECK_INT(event_category_get(db, EVENT_PUBLIC_OTHER, &other, &err), 0);
    teardown(db);
}

TEST_SUITE({"public_reports_are_limited_per_device_under_an_address_ceiling",
            public_reports_are_limited_per_device_under_an_address_ceiling},
           {"rate_allows_below_the_limit", rate_allows_below_the_limit},
           {"rate_retry_after_is_when_enough_have_left", rate_retry_after_is_when_enough_have_left},
           {"client_keys", client_keys},
           {"public_reports_are_limited_per_address", public_reports_are_limited_per_address},
           {"photo_tokens_are_used_once_by_a_public_report",
            photo_tokens_are_used_once_by_a_public_report},
           {"volunteers_read_their_grid_and_take_no_action",
            volunteers_read_their_grid_and_take_no_action},
           {"idempotency_keys_replay_the_first_answer", idempotency_keys_replay_the_first_answer});
