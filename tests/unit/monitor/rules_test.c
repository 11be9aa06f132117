/* Tests of the early-warning rules (monitor/monitor.h) as pure functions: threshold, N
 * consecutive readings, rate of change, stale stations, hysteresis and at most one open alert;
 * and the hour/day labels of the aggregates. */
#include "core/clock.h"
#include "monitor/dec.h"
#include "monitor/monitor.h"
#include "test.h"

static struct monitor_rule threshold_rule(int64_t at, int64_t clear, int n)
{
    struct monitor_rule r;
    memset(&r, 0, sizeof(r));
    snprintf(r.name, sizeof(r.name), "高液位");
    r.kind = MONITOR_KIND_SEWER;
    snprintf(r.parameter, sizeof(r.parameter), "level");
    r.type = MONITOR_RULE_THRESHOLD;
    r.level = MONITOR_LEVEL_ORANGE;
    r.threshold = at;
    r.has_clear = clear >= 0;
    r.clear_at = clear;
    r.consecutive = n;
    snprintf(r.category, sizeof(r.category), "9103");
    r.enabled = true;
    return r;
}

#define M(x) MONITOR_DEC(x)
#define MT(x) MONITOR_DEC_TENTHS(x)

/* Feed values at t = 60, 120, ... and return the actions as a string: '.' none, 'O' open,
 * 'C' clear. */
static void feed(const struct monitor_rule *r, struct monitor_rule_state *s, const int64_t *v,
                 size_t n, char *out)
{
    static int64_t t = 0;
    for (size_t i = 0; i < n; i++) {
        t += 60;
        enum monitor_rule_action a = monitor_rule_feed(r, s, t, v[i]);
        out[i] = a == MONITOR_ACTION_OPEN ? 'O' : a == MONITOR_ACTION_CLEAR ? 'C' : '.';
    }
    out[n] = '\0';
}

TEST(threshold_opens_once_and_clears)
{
    struct monitor_rule r = threshold_rule(M(2), -1, 1);
    struct monitor_rule_state s = {0};
    char got[16];
    int64_t v[] = {M(1), M(2), MT(25), M(3), MT(19), M(1)};
    feed(&r, &s, v, 6, got);
    /* exactly at the threshold opens; further high readings open nothing more (no storm);
     * without a clear_at the first reading under the threshold clears */
    CHECK_STR(got, ".O..C.");
    CHECK(!s.open);
}

TEST(consecutive_readings)
{
    struct monitor_rule r = threshold_rule(M(2), -1, 3);
    struct monitor_rule_state s = {0};
    char got[16];
    int64_t v[] = {M(3), M(3), M(1), M(3), M(3), M(3), M(1), M(1), M(3), M(1)};
    feed(&r, &s, v, 10, got);
    /* two highs then a low reset the count; three highs open; a high among the lows resets
     * the count towards clearing: three lows in a row clear */
    CHECK_STR(got, ".....O....");
    int64_t w[] = {M(1), M(1)};
    feed(&r, &s, w, 2, got);
    CHECK_STR(got, ".C");
}

TEST(hysteresis_band_keeps_alert_open)
{
    struct monitor_rule r = threshold_rule(M(2), MT(15), 1);
    struct monitor_rule_state s = {0};
    char got[16];
    int64_t v[] = {MT(21), MT(19), MT(16), MT(15), MT(22), MT(14)};
    feed(&r, &s, v, 6, got);
    /* 1.9, 1.6 and exactly 1.5 are in the band [1.5, 2.0): still open; 1.4 clears */
    CHECK_STR(got, "O....C");
    /* after clearing, a value in the band does not reopen */
    int64_t w[] = {MT(19), M(2)};
    feed(&r, &s, w, 2, got);
    CHECK_STR(got, ".O");
}

TEST(below_direction)
{
    /* dissolved oxygen style: raise when <= 3, normal again above 4 */
    struct monitor_rule r = threshold_rule(M(3), M(4), 1);
    r.below = true;
    struct monitor_rule_state s = {0};
    char got[16];
    int64_t v[] = {M(5), M(3), MT(35), M(4), MT(41)};
    feed(&r, &s, v, 5, got);
    CHECK_STR(got, ".O..C");
}

TEST(rate_of_change)
{
    struct monitor_rule r = threshold_rule(MT(5), MT(2), 1); /* 0.5 m/h up, clear below 0.2 */
    r.type = MONITOR_RULE_RATE;
    struct monitor_rule_state s = {0};
    /* readings every 10 minutes: +0.1 m = 0.6 m/h */
    CHECK_INT(monitor_rule_feed(&r, &s, 600, M(170)), MONITOR_ACTION_NONE); /* no previous */
    CHECK_INT(monitor_rule_feed(&r, &s, 1200, M(170) + MT(1)), MONITOR_ACTION_OPEN);
    CHECK_INT(monitor_rule_feed(&r, &s, 1800, M(170) + MT(2)), MONITOR_ACTION_NONE);
    /* +0.05 m in 10 min = 0.3 m/h: in the band */
    CHECK_INT(monitor_rule_feed(&r, &s, 2400, M(170) + MT(2) + MONITOR_DEC_ONE / 20),
              MONITOR_ACTION_NONE);
    /* flat: 0 m/h clears */
    CHECK_INT(monitor_rule_feed(&r, &s, 3000, M(170) + MT(2) + MONITOR_DEC_ONE / 20),
              MONITOR_ACTION_CLEAR);
    /* a fall is not a rise */
    CHECK_INT(monitor_rule_feed(&r, &s, 3600, M(160)), MONITOR_ACTION_NONE);
}

TEST(out_of_order_readings_are_ignored)
{
    struct monitor_rule r = threshold_rule(M(2), -1, 1);
    struct monitor_rule_state s = {0};
    CHECK_INT(monitor_rule_feed(&r, &s, 1000, M(1)), MONITOR_ACTION_NONE);
    CHECK_INT(monitor_rule_feed(&r, &s, 900, M(5)), MONITOR_ACTION_NONE);  /* older */
    CHECK_INT(monitor_rule_feed(&r, &s, 1000, M(5)), MONITOR_ACTION_NONE); /* same time */
    CHECK(!s.open);
    CHECK_INT(s.last_t, 1000);
}

TEST(stale_station)
{
    struct monitor_rule r = threshold_rule(0, -1, 1);
    r.type = MONITOR_RULE_STALE;
    r.stale_minutes = 60;
    r.parameter[0] = '\0';
    CHECK_INT(monitor_rule_check_stale(&r, false, 10000, 10000 + 3599), MONITOR_ACTION_NONE);
    CHECK_INT(monitor_rule_check_stale(&r, false, 10000, 10000 + 3600), MONITOR_ACTION_OPEN);
    /* already open: nothing more */
    CHECK_INT(monitor_rule_check_stale(&r, true, 10000, 10000 + 99999), MONITOR_ACTION_NONE);
    /* a reading clears an open stale alert */
    struct monitor_rule_state s = {.open = true};
    CHECK_INT(monitor_rule_feed(&r, &s, 20000, M(1)), MONITOR_ACTION_CLEAR);
    CHECK_INT(monitor_rule_feed(&r, &s, 20060, M(1)), MONITOR_ACTION_NONE);
    /* a threshold rule is never stale */
    struct monitor_rule t = threshold_rule(M(2), -1, 1);
    CHECK_INT(monitor_rule_check_stale(&t, false, 0, 1000000), MONITOR_ACTION_NONE);
}

TEST(validate)
{
    struct app_error err;
    struct monitor_rule r = threshold_rule(M(2), MT(15), 2);
    CHECK(monitor_rule_validate(&r, &err) == 0);
    r.consecutive = 0;
    CHECK(monitor_rule_validate(&r, &err) == -1);
    CHECK_STR(err.field, "consecutive");
    r = threshold_rule(M(2), MT(25), 1); /* clear_at above an "above" threshold */
    CHECK(monitor_rule_validate(&r, &err) == -1);
    CHECK_STR(err.field, "clear_at");
    r = threshold_rule(M(2), -1, 1);
    snprintf(r.parameter, sizeof(r.parameter), "PM2_5"); /* sewers have no PM2.5 */
    CHECK(monitor_rule_validate(&r, &err) == -1);
    CHECK_STR(err.code_name, "unknown_parameter");
    r = threshold_rule(M(2), -1, 1);
    r.type = MONITOR_RULE_STALE;
    r.stale_minutes = 0;
    CHECK(monitor_rule_validate(&r, &err) == -1);
    CHECK_STR(err.field, "stale_minutes");
    r = threshold_rule(0, -1, 1);
    r.type = MONITOR_RULE_RATE;
    CHECK(monitor_rule_validate(&r, &err) == -1);
    CHECK_STR(err.field, "threshold");
}

TEST(levels_and_names)
{
    enum monitor_level l;
    CHECK(monitor_level_parse("红", &l) == 0 && l == MONITOR_LEVEL_RED);
    CHECK(monitor_level_parse("黄色", &l) == 0 && l == MONITOR_LEVEL_YELLOW);
    CHECK(monitor_level_parse("blue", &l) == 0 && l == MONITOR_LEVEL_BLUE);
    CHECK(monitor_level_parse("purple", &l) == -1);
    CHECK_STR(monitor_level_label(MONITOR_LEVEL_ORANGE), "橙色");
    enum monitor_kind k;
    CHECK(monitor_kind_parse("river_level", &k) == 0 && k == MONITOR_KIND_RIVER_LEVEL);
    CHECK(monitor_kind_parse("volcano", &k) == -1);
    struct monitor_param p[MONITOR_MAX_PARAMS];
    CHECK_INT(monitor_default_params(MONITOR_KIND_AIR, p, MONITOR_MAX_PARAMS), 6);
    CHECK_STR(p[5].name, "PM2_5");
}

TEST(hour_and_day_labels)
{
    /* 2026-11-29 18:00 +08:00 */
    int64_t h18 = 1795946400;
    CHECK_INT(monitor_hour_of(h18), h18);            /* 18:00:00 ends the hour 17-18 */
    CHECK_INT(monitor_hour_of(h18 - 1800), h18);     /* 17:30 */
    CHECK_INT(monitor_hour_of(h18 + 1), h18 + 3600); /* 18:00:01 */
    int64_t day = clock_days_from_civil(2026, 11, 29);
    CHECK_INT(monitor_day_of_hour(h18), day);
    /* the hour ending 24:00 (00:00 of the 30th) belongs to the 29th; 01:00 to the 30th */
    int64_t midnight = h18 + 6 * 3600;
    CHECK_INT(monitor_day_of_hour(midnight), day);
    CHECK_INT(monitor_day_of_hour(midnight + 3600), day + 1);
}

TEST_SUITE({"threshold_opens_once_and_clears", threshold_opens_once_and_clears},
           {"consecutive_readings", consecutive_readings},
           {"hysteresis_band_keeps_alert_open", hysteresis_band_keeps_alert_open},
           {"below_direction", below_direction}, {"rate_of_change", rate_of_change},
           {"out_of_order_readings_are_ignored", out_of_order_readings_are_ignored},
           {"stale_station", stale_station}, {"validate", validate},
           {"levels_and_names", levels_and_names}, {"hour_and_day_labels", hour_and_day_labels});
