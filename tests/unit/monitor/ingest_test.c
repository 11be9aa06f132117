/* Ingest against an in-memory database with the migrations applied and a fixed clock: each row
 * validated and refused with its line and a stable code, good rows kept, re-sending changing
 * nothing, hourly/daily aggregates kept incrementally (sound levels by energy, GB 3096), and a
 * threshold rule opening one alert and clearing it (hysteresis) across batches. */
#include <stdlib.h>

#include "core/clock.h"
#include "monitor/dec.h"
#include "monitor/monitor.h"
#include "monitor/monitor_store.h"
#include "org/org.h"
#include "test.h"

/* 2026-11-29 18:00 +08:00 */
#define NOW INT64_C(1795946400)

static struct db *fresh(struct app *app)
{
    struct db *db;
    struct app_error err = {0};
    memset(app, 0, sizeof(*app));
    clock_set_fixed(NOW);
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_migrate(db, NULL, &err), 0);
    CHECK_INT(org_seed(db, false, &err), 0);
    /* a sewer sensor stored directly: no grid index is needed for ingest */
    struct monitor_station s;
    memset(&s, 0, sizeof(s));
    snprintf(s.code, sizeof(s.code), "SW-1");
    snprintf(s.name, sizeof(s.name), "测试液位计");
    s.kind = MONITOR_KIND_SEWER;
    snprintf(s.grid, sizeof(s.grid), "500103003001001");
    snprintf(s.street, sizeof(s.street), "500103003");
    snprintf(s.department, sizeof(s.department), "urban");
    s.nparams = monitor_default_params(MONITOR_KIND_SEWER, s.params, MONITOR_MAX_PARAMS);
    s.created_at = NOW - 86400;
    CHECK_INT(monitor_store_station_insert(db, &s, &err), 0);
    struct monitor_rule r;
    memset(&r, 0, sizeof(r));
    snprintf(r.name, sizeof(r.name), "高液位");
    r.kind = MONITOR_KIND_SEWER;
    snprintf(r.parameter, sizeof(r.parameter), "level");
    r.level = MONITOR_LEVEL_ORANGE;
    r.threshold = MONITOR_DEC(2);
    r.has_clear = true;
    r.clear_at = MONITOR_DEC_TENTHS(15);
    r.consecutive = 1;
    snprintf(r.category, sizeof(r.category), "9103");
    r.enabled = true;
    CHECK_INT(monitor_store_rule_insert(db, &r, &err), 0);
    return db;
}

static int ingest(struct app *app, struct db *db, const struct monitor_reading_in *rows, size_t n,
                  struct monitor_ingest_result *res)
{
    struct app_error err = {0};
    memset(res, 0, sizeof(*res));
    return monitor_ingest(app, db, rows, n, false, res, &err);
}

TEST(bad_rows_by_line_good_rows_kept)
{
    struct app app;
    struct db *db = fresh(&app);
    struct monitor_reading_in rows[] = {
        {"SW-1", "level", "2026-11-29T17:00:00+08:00", "1.25", NULL, 1},
        {"SW-9", "level", "2026-11-29T17:00:00+08:00", "1", NULL, 2},
        {"SW-1", "PM2_5", "2026-11-29T17:00:00+08:00", "1", NULL, 3},
        {"SW-1", "level", "yesterday", "1", NULL, 4},
        {"SW-1", "level", "2026-11-29T18:06:00+08:00", "1", NULL, 5}, /* 6 min ahead */
        {"SW-1", "level", "2026-11-29T17:01:00+08:00", "inf", NULL, 6},
        {"SW-1", "level", "2026-11-29T17:02:00+08:00", "20.000001", NULL, 7},
        {"SW-1", "level", "2026-11-29T17:03:00+08:00", NULL, NULL, 8},
        {"SW-1", "level", "2026-11-29T18:04:00+08:00", "1.30", "N", 9}, /* 4 min: clock skew */
    };
    struct monitor_ingest_result res;
    CHECK_INT(ingest(&app, db, rows, 9, &res), 0);
    CHECK_INT(res.accepted, 2);
    CHECK_INT(res.nrejected, 7);
    static const struct {
        int line;
        const char *field, *code;
    } want[] = {{2, "station", "unknown_station"}, {3, "parameter", "unknown_parameter"},
                {4, "time", "invalid_time"},       {5, "time", "future_time"},
                {6, "value", "invalid_number"},    {7, "value", "out_of_range"},
                {8, "value", "missing_field"}};
    for (size_t i = 0; i < res.nrejected && i < 7; i++) {
        CHECK_INT(res.rejected[i].line, want[i].line);
        CHECK_STR(res.rejected[i].field, want[i].field);
        CHECK_STR(res.rejected[i].code, want[i].code);
        CHECK(res.rejected[i].reason[0] != '\0');
    }
    monitor_ingest_result_release(&res);
    db_close(db);
    clock_set_fixed(-1);
}

static int sum_hours(void *ctx, const struct monitor_agg *a)
{
    int64_t *acc = ctx;
    acc[0] += a->n;
    acc[1] += a->sum;
    acc[2]++;
    return 0;
}

TEST(resending_changes_nothing_and_aggregates_add_up)
{
    struct app app;
    struct db *db = fresh(&app);
    struct app_error err = {0};
    struct monitor_reading_in rows[] = {
        {"SW-1", "level", "2026-11-29T16:10:00+08:00", "1.10", NULL, 1},
        {"SW-1", "level", "2026-11-29T16:40:00+08:00", "1.30", NULL, 2},
        {"SW-1", "level", "2026-11-29T17:00:00+08:00", "1.20", NULL, 3}, /* ends hour 17 */
        {"SW-1", "level", "2026-11-29T17:20:00+08:00", "0.90", "M", 4},  /* flagged */
    };
    struct monitor_ingest_result res;
    CHECK_INT(ingest(&app, db, rows, 4, &res), 0);
    CHECK_INT(res.accepted, 4);
    monitor_ingest_result_release(&res);
    CHECK_INT(ingest(&app, db, rows, 4, &res), 0);
    CHECK_INT(res.accepted, 0);
    CHECK_INT(res.duplicates, 4);
    monitor_ingest_result_release(&res);
    struct monitor_station st;
    CHECK_INT(monitor_station_get(db, "SW-1", &st, &err), 0);
    int64_t acc[3] = {0};
    CHECK_INT(monitor_store_hourly_scan(db, st.id, "level", 0, INT64_MAX, sum_hours, acc, &err), 0);
    /* the three valid readings in one hour (ending 17:00); the flagged one is kept but not
     * aggregated */
    CHECK_INT(acc[0], 3);
    CHECK_INT(acc[1], MONITOR_DEC_TENTHS(36));
    CHECK_INT(acc[2], 1);
    int64_t dacc[3] = {0};
    CHECK_INT(monitor_store_daily_scan(db, st.id, "level", 0, INT64_MAX, sum_hours, dacc, &err), 0);
    CHECK_INT(dacc[0], 3);
    CHECK_INT(dacc[2], 1);
    db_close(db);
    clock_set_fixed(-1);
}

TEST(one_alert_opens_and_clears_across_batches)
{
    struct app app;
    struct db *db = fresh(&app);
    struct app_error err = {0};
    struct monitor_ingest_result res;
    struct monitor_reading_in a[] = {
        {"SW-1", "level", "2026-11-29T17:00:00+08:00", "2.1", NULL, 1},
        {"SW-1", "level", "2026-11-29T17:01:00+08:00", "2.5", NULL, 2}};
    CHECK_INT(ingest(&app, db, a, 2, &res), 0);
    CHECK_INT(res.alerts_opened, 1);
    monitor_ingest_result_release(&res);
    /* in the band, then high again: no second alert */
    struct monitor_reading_in b[] = {
        {"SW-1", "level", "2026-11-29T17:02:00+08:00", "1.6", NULL, 1},
        {"SW-1", "level", "2026-11-29T17:03:00+08:00", "2.6", NULL, 2}};
    CHECK_INT(ingest(&app, db, b, 2, &res), 0);
    CHECK_INT(res.alerts_opened, 0);
    CHECK_INT(res.alerts_cleared, 0);
    monitor_ingest_result_release(&res);
    struct monitor_alert_list l = {0};
    CHECK_INT(monitor_alert_list(db, true, "SW-1", 10, &l, &err), 0);
    CHECK_INT(l.len, 1);
    monitor_alert_list_release(&l);
    /* rows of a batch are judged in time order whatever their order in the batch */
    struct monitor_reading_in c[] = {
        {"SW-1", "level", "2026-11-29T17:05:00+08:00", "1.0", NULL, 1},
        {"SW-1", "level", "2026-11-29T17:04:00+08:00", "2.2", NULL, 2}};
    CHECK_INT(ingest(&app, db, c, 2, &res), 0);
    CHECK_INT(res.alerts_cleared, 1);
    monitor_ingest_result_release(&res);
    CHECK_INT(monitor_alert_list(db, false, "SW-1", 10, &l, &err), 0);
    CHECK_INT(l.len, 1);
    CHECK(l.len == 1 && l.items[0].cleared);
    CHECK(l.len == 1 && l.items[0].clear_value == MONITOR_DEC(1));
    CHECK(l.len == 1 && l.items[0].open_value == MONITOR_DEC_TENTHS(21));
    monitor_alert_list_release(&l);
    db_close(db);
    clock_set_fixed(-1);
}

TEST(malformed_csv_is_refused_whole)
{
    struct app app;
    struct db *db = fresh(&app);
    struct app_error err = {0};
    struct monitor_ingest_result res = {0};
    static const char bad[] = "SW-1,level,2026-11-29T17:00:00+08:00,1\nSW-1,level,\"2026";
    CHECK_INT(monitor_ingest_csv(&app, db, bad, sizeof(bad) - 1, NULL, NULL, &res, &err), -1);
    CHECK_STR(err.code_name, "malformed_csv");
    CHECK_INT(res.accepted, 0);
    monitor_ingest_result_release(&res);
    static const char ok[] = "station,parameter,time,value,flag\r\n"
                             "SW-1,level,2026-11-29T17:00:00+08:00,1\r\n"
                             "SW-1,level\r\n";
    CHECK_INT(monitor_ingest_csv(&app, db, ok, sizeof(ok) - 1, NULL, NULL, &res, &err), 0);
    CHECK_INT(res.accepted, 1);
    CHECK_INT(res.nrejected, 1);
    CHECK(res.nrejected == 1 && res.rejected[0].line == 3);
    CHECK(res.nrejected == 1 && strcmp(res.rejected[0].code, "field_count") == 0);
    monitor_ingest_result_release(&res);
    db_close(db);
    clock_set_fixed(-1);
}

/* A noise station of zone 2 stored directly, as fresh() stores the sewer sensor. */
static void noise_station(struct db *db)
{
    struct app_error err = {0};
    struct monitor_station s;
    memset(&s, 0, sizeof(s));
    snprintf(s.code, sizeof(s.code), "NS-1");
    snprintf(s.name, sizeof(s.name), "测试噪声站");
    s.kind = MONITOR_KIND_NOISE;
    snprintf(s.zone, sizeof(s.zone), "2");
    snprintf(s.grid, sizeof(s.grid), "500103003001001");
    snprintf(s.street, sizeof(s.street), "500103003");
    snprintf(s.department, sizeof(s.department), "urban");
    s.nparams = monitor_default_params(MONITOR_KIND_NOISE, s.params, MONITOR_MAX_PARAMS);
    s.created_at = NOW - 3 * 86400;
    CHECK_INT(monitor_store_station_insert(db, &s, &err), 0);
}

TEST(noise_hours_are_energy_means_and_lmax_the_maximum)
{
    struct app app;
    struct db *db = fresh(&app);
    struct app_error err = {0};
    noise_station(db);
    struct monitor_reading_in rows[] = {
        /* the hour 14-15 of 2026-11-28: 60 and 70 → 10·lg((10^6 + 10^7) / 2) = 67.4, not 65 */
        {"NS-1", "LAeq", "2026-11-28T14:10:00+08:00", "60", NULL, 1},
        {"NS-1", "LAeq", "2026-11-28T14:40:00+08:00", "70", NULL, 2},
        /* the hour 08-09: one reading of 60 */
        {"NS-1", "LAeq", "2026-11-28T09:00:00+08:00", "60", NULL, 3},
        /* the night 22:00-06:00: one hour at 52; Lmax readings 70 and 85 → 85 */
        {"NS-1", "LAeq", "2026-11-28T23:30:00+08:00", "52", NULL, 4},
        {"NS-1", "Lmax", "2026-11-28T23:10:00+08:00", "70", NULL, 5},
        {"NS-1", "Lmax", "2026-11-28T23:50:00+08:00", "85", NULL, 6},
        /* a day-time Lmax does not count for the night maximum */
        {"NS-1", "Lmax", "2026-11-28T14:20:00+08:00", "95", NULL, 7},
    };
    struct monitor_ingest_result res;
    CHECK_INT(ingest(&app, db, rows, 7, &res), 0);
    CHECK_INT(res.accepted, 7);
    monitor_ingest_result_release(&res);

    /* the hourly series: the 14-15 hour's LAeq is 67.4 dB, its Lmax the highest reading */
    struct monitor_series s = {0};
    int64_t from = 1795795200; /* 2026-11-28 00:00 +08:00 */
    CHECK_INT(monitor_series_get(db, "NS-1", "LAeq", false, from, NOW, &s, &err), 0);
    CHECK_INT(s.average, MONITOR_AVERAGE_ENERGY);
    CHECK_INT(s.len, 3);
    CHECK(s.len == 3 && s.items[1].n == 2);
    CHECK(s.len == 3 && monitor_dec_round(s.items[1].mean, 1) == MONITOR_DEC_TENTHS(674));
    monitor_series_release(&s);
    CHECK_INT(monitor_series_get(db, "NS-1", "Lmax", false, from, NOW, &s, &err), 0);
    CHECK_INT(s.average, MONITOR_AVERAGE_MAXIMUM);
    CHECK(s.len == 2 && s.items[1].mean == MONITOR_DEC(85));
    monitor_series_release(&s);
    /* the day's aggregate of LAeq is an energy mean too: 10·lg((10^6 + 10^7 + 10^6 + 10^5.2) / 4)
     */
    CHECK_INT(monitor_series_get(db, "NS-1", "LAeq", true, from, NOW, &s, &err), 0);
    CHECK(s.len == 1 && monitor_dec_round(s.items[0].mean, 1) == MONITOR_DEC_TENTHS(648));
    monitor_series_release(&s);

    /* Ld is the energy mean of the hourly Leq {67.4…, 60} = 65.1 (the readings' energy mean
     * would be 66.0, the arithmetic mean of the hours 63.7); Ln of the one night hour 52.0 (over
     * the limit 50) */
    int64_t day;
    CHECK_INT(clock_parse_date("2026-11-28", &day), 0);
    struct monitor_noise_figures f;
    CHECK_INT(monitor_noise_get(db, day, &f, &err), 0);
    CHECK_INT(f.len, 1);
    if (f.len == 1) {
        const struct monitor_noise_result *r = &f.items[0].result;
        CHECK_INT(f.items[0].day_hours, 2);
        CHECK_INT(f.items[0].night_hours, 1);
        CHECK_INT(r->ld, 651);
        CHECK_INT(r->ln, 520);
        CHECK(!r->day_ok && !r->night_ok); /* zone 2: 60 / 50 */
        CHECK_INT(r->day_excess, 51);
        CHECK(r->has_lmax);
        CHECK_INT(r->lmax, 850);
        CHECK(!r->lmax_ok); /* 85 > 50 + 15 */
    }
    monitor_noise_figures_release(&f);
    db_close(db);
    clock_set_fixed(-1);
}

/* Batches longer than one insert statement (several rows per statement), with repeats inside a
 * batch and across batches: only the first row of a key counts, once. */
TEST(long_batches_with_repeats_count_each_reading_once)
{
    struct app app;
    struct db *db = fresh(&app);
    struct app_error err = {0};
    static char times[120][40], values[120][16];
    struct monitor_reading_in rows[100];
    for (int i = 0; i < 120; i++) {
        snprintf(times[i], sizeof(times[i]), "2026-11-29T%02d:%02d:00+08:00", 10 + i / 60, i % 60);
        snprintf(values[i], sizeof(values[i]), "1.%d", i % 10);
    }
    /* batch 1: minutes 0..79, then minutes 0..19 again with another value (lines 81..100) */
    for (int i = 0; i < 100; i++)
        rows[i] = (struct monitor_reading_in){
            "SW-1", "level", times[i % 80], i < 80 ? values[i] : "0.50", NULL, i + 1};
    struct monitor_ingest_result res;
    CHECK_INT(ingest(&app, db, rows, 100, &res), 0);
    CHECK_INT(res.accepted, 80);
    CHECK_INT(res.duplicates, 20);
    monitor_ingest_result_release(&res);
    /* batch 2: minutes 60..119, of which 60..79 are stored already */
    for (int i = 0; i < 60; i++)
        rows[i] = (struct monitor_reading_in){"SW-1",         "level", times[60 + i],
                                              values[60 + i], NULL,    i + 1};
    CHECK_INT(ingest(&app, db, rows, 60, &res), 0);
    CHECK_INT(res.accepted, 40);
    CHECK_INT(res.duplicates, 20);
    monitor_ingest_result_release(&res);
    struct monitor_station st;
    CHECK_INT(monitor_station_get(db, "SW-1", &st, &err), 0);
    int64_t acc[3] = {0};
    CHECK_INT(monitor_store_hourly_scan(db, st.id, "level", 0, INT64_MAX, sum_hours, acc, &err), 0);
    CHECK_INT(acc[0], 120);
    CHECK_INT(acc[1], MONITOR_DEC(174)); /* 120 × 1 + 12 × (0.0 + 0.1 + ... + 0.9) */
    db_close(db);
    clock_set_fixed(-1);
}

static struct auth_principal person(enum auth_role role, const char *region, const char *dept)
{
    struct auth_principal p = {0};
    p.role = role;
    snprintf(p.username, sizeof(p.username), "u%d", (int)role);
    snprintf(p.region, sizeof(p.region), "%s", region);
    snprintf(p.department, sizeof(p.department), "%s", dept);
    if (role == AUTH_ROLE_CENTER)
        snprintf(p.level, sizeof(p.level), "%s", strlen(region) == 6 ? "district" : "street");
    return p;
}

TEST(who_may_write_a_station)
{
    struct monitor_station st = {0};
    snprintf(st.grid, sizeof(st.grid), "500103003001001");
    snprintf(st.street, sizeof(st.street), "500103003");
    snprintf(st.department, sizeof(st.department), "urban");
    struct auth_principal admin = person(AUTH_ROLE_ADMIN, "", ""),
                          jfb = person(AUTH_ROLE_CENTER, "500103003", ""),
                          qxg = person(AUTH_ROLE_CENTER, "500103001", ""),
                          yz = person(AUTH_ROLE_CENTER, "500103", ""),
                          urban = person(AUTH_ROLE_DEPARTMENT, "500103", "urban"),
                          eco = person(AUTH_ROLE_DEPARTMENT, "500103", "eco"),
                          grid = person(AUTH_ROLE_GRID_WORKER, "", "");
    snprintf(grid.grid, sizeof(grid.grid), "500103003001001");
    CHECK(monitor_may_write_station(&admin, &st));
    CHECK(monitor_may_write_station(&jfb, &st));
    CHECK(monitor_may_write_station(&yz, &st));
    CHECK(!monitor_may_write_station(&qxg, &st)); /* the probe: another street's center */
    CHECK(monitor_may_write_station(&urban, &st));
    CHECK(!monitor_may_write_station(&eco, &st)); /* another department */
    CHECK(!monitor_may_write_station(&grid, &st));
    CHECK(!monitor_may_write_station(NULL, &st));
}

TEST(device_keys_write_their_station_only)
{
    struct app app;
    struct db *db = fresh(&app);
    struct app_error err = {0};
    char key[MONITOR_KEY_LEN + 1], key2[MONITOR_KEY_LEN + 1];
    int64_t id = 0, id2 = 0;
    int n = 0;
    struct monitor_sender snd;
    struct monitor_ingest_result res = {0};
    CHECK_INT(monitor_key_issue(db, "SW-1", false, key, &id, &err), 0);
    CHECK_INT((int)strlen(key), MONITOR_KEY_LEN);
    CHECK_INT(monitor_key_identify(db, key, &snd, &err), 0);
    CHECK_STR(snd.key_station, "SW-1");
    CHECK_INT(snd.key_id, id);
    struct monitor_reading_in ok[] = {{"SW-1", "level", "2026-11-29T17:00:00+08:00", "1", NULL, 1}};
    CHECK_INT(monitor_ingest_from(&app, db, &snd, ok, 1, &res, &err), 0);
    CHECK_INT(res.accepted, 1);
    monitor_ingest_result_release(&res);
    /* another station named: the whole batch is refused */
    snprintf(snd.key_station, sizeof(snd.key_station), "SW-2");
    memset(&res, 0, sizeof(res));
    struct monitor_reading_in two[] = {
        {"SW-1", "level", "2026-11-29T17:10:00+08:00", "1", NULL, 1}};
    CHECK_INT(monitor_ingest_from(&app, db, &snd, two, 1, &res, &err), -1);
    CHECK_STR(err.code_name, "station_out_of_scope");
    CHECK_INT(res.accepted, 0);
    monitor_ingest_result_release(&res);
    /* rotation revokes the first key; revocation by station ends the second */
    CHECK_INT(monitor_key_issue(db, "SW-1", true, key2, &id2, &err), 0);
    CHECK_INT(monitor_key_identify(db, key, &snd, &err), -1);
    CHECK_STR(err.code_name, "invalid_device_key");
    CHECK_INT(monitor_key_identify(db, key2, &snd, &err), 0);
    CHECK_INT(monitor_key_revoke(db, "SW-1", 0, &n, &err), 0);
    CHECK_INT(n, 1);
    CHECK_INT(monitor_key_identify(db, key2, &snd, &err), -1);
    CHECK_INT(monitor_key_identify(db, "zzk_short", &snd, &err), -1);
    CHECK_INT(monitor_key_issue(db, "SW-9", false, key, &id, &err), -1);
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
    db_close(db);
}

TEST_SUITE({"who_may_write_a_station", who_may_write_a_station},
           {"device_keys_write_their_station_only", device_keys_write_their_station_only},
           {"bad_rows_by_line_good_rows_kept", bad_rows_by_line_good_rows_kept},
           {"noise_hours_are_energy_means_and_lmax_the_maximum",
            noise_hours_are_energy_means_and_lmax_the_maximum},
           {"resending_changes_nothing_and_aggregates_add_up",
            resending_changes_nothing_and_aggregates_add_up},
           {"one_alert_opens_and_clears_across_batches", one_alert_opens_and_clears_across_batches},
           {"malformed_csv_is_refused_whole", malformed_csv_is_refused_whole},
           {"long_batches_with_repeats_count_each_reading_once",
            long_batches_with_repeats_count_each_reading_once});
