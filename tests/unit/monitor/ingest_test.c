/* Ingest against an in-memory database with the migrations applied and a fixed clock: each row
 * validated and refused with its line and a stable code, good rows kept, re-sending changing
 * nothing, hourly/daily aggregates kept incrementally, and a threshold rule opening one alert
 * and clearing it (hysteresis) across batches. */
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

TEST_SUITE({"bad_rows_by_line_good_rows_kept", bad_rows_by_line_good_rows_kept},
           {"resending_changes_nothing_and_aggregates_add_up",
            resending_changes_nothing_and_aggregates_add_up},
           {"one_alert_opens_and_clears_across_batches", one_alert_opens_and_clears_across_batches},
           {"malformed_csv_is_refused_whole", malformed_csv_is_refused_whole});
