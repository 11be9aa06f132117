/* The monitoring module's lifecycle: the default rules seeded with a new database (and the
 * demo stations), the timer thread that runs the sweep, the live-demo thread, start and stop. */
#include "monitor/monitor.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "monitor/dec.h"
#include "monitor/monitor_internal.h"
#include "monitor/monitor_store.h"

/* ---- module hooks ------------------------------------------------------------------------ */

#define M(x) MONITOR_DEC(x)
#define MT(x) MONITOR_DEC_TENTHS(x)
static const struct {
    const char *name;
    enum monitor_kind kind;
    const char *parameter;
    enum monitor_rule_type type;
    bool below;
    enum monitor_level level;
    int64_t threshold;
    bool has_clear;
    int64_t clear_at;
    int consecutive, stale_minutes;
    const char *category;
} default_rules[] = {
    /* Sewer level near the road surface: 生活污水溢流 risk (local operating thresholds). */
    {"污水管网高液位", MONITOR_KIND_SEWER, "level", MONITOR_RULE_THRESHOLD, false,
     MONITOR_LEVEL_ORANGE, M(2), true, MT(15), 2, 0, "9103"},
    {"污水溢流", MONITOR_KIND_SEWER, "overflow", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_RED,
     M(1), false, 0, 1, 0, "9103"},
    {"污水液位监测离线", MONITOR_KIND_SEWER, "", MONITOR_RULE_STALE, false, MONITOR_LEVEL_BLUE, 0,
     false, 0, 1, 60, "9103"},
    {"井盖开启", MONITOR_KIND_MANHOLE, "open", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_ORANGE,
     M(1), false, 0, 1, 0, "0102"},
    {"井盖倾斜", MONITOR_KIND_MANHOLE, "tilt", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_YELLOW,
     M(15), true, M(5), 2, 0, "0102"},
    /* 扬尘: 15-min PM10 over the local 施工扬尘 alert value, three readings in a row. */
    {"施工扬尘超标", MONITOR_KIND_DUST, "PM10", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_YELLOW,
     M(150), true, M(120), 3, 0, "9101"},
    /* GB 18483-2001: 油烟 maximum permitted emission 2.0 mg/m³. */
    {"餐饮油烟超标", MONITOR_KIND_FUME, "fume", MONITOR_RULE_THRESHOLD, false, MONITOR_LEVEL_YELLOW,
     M(2), true, MT(18), 2, 0, "9105"},
    {"沿江水位超警戒", MONITOR_KIND_RIVER_LEVEL, "level", MONITOR_RULE_THRESHOLD, false,
     MONITOR_LEVEL_RED, M(180), true, MT(1795), 1, 0, "9104"},
    {"沿江水位快速上涨", MONITOR_KIND_RIVER_LEVEL, "level", MONITOR_RULE_RATE, false,
     MONITOR_LEVEL_YELLOW, MT(5), true, MT(2), 2, 0, "9104"},
};
#undef M
#undef MT

int monitor_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    for (size_t i = 0; i < sizeof(default_rules) / sizeof(default_rules[0]); i++) {
        struct monitor_rule r;
        memset(&r, 0, sizeof(r));
        snprintf(r.name, sizeof(r.name), "%s", default_rules[i].name);
        r.kind = default_rules[i].kind;
        snprintf(r.parameter, sizeof(r.parameter), "%s", default_rules[i].parameter);
        r.type = default_rules[i].type;
        r.below = default_rules[i].below;
        r.level = default_rules[i].level;
        r.threshold = default_rules[i].threshold;
        r.has_clear = default_rules[i].has_clear;
        r.clear_at = default_rules[i].clear_at;
        r.consecutive = default_rules[i].consecutive;
        r.stale_minutes = default_rules[i].stale_minutes;
        snprintf(r.category, sizeof(r.category), "%s", default_rules[i].category);
        r.enabled = true;
        if (monitor_rule_create(db, &r, err))
            return -1;
    }
    (void)app;
    (void)demo; /* the demo stations and readings: monitor_demo_seed, called by src/modules.c */
    return 0;
}

/* Wait up to `seconds` or until stop; returns true when stopping. */
static bool wait_or_stop(struct monitor_state *ms, long seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += seconds;
    pthread_mutex_lock(&ms->lock);
    while (!ms->stop)
        if (pthread_cond_timedwait(&ms->cond, &ms->lock, &ts))
            break;
    bool stop = ms->stop;
    pthread_mutex_unlock(&ms->lock);
    return stop;
}

static void *timer_main(void *arg)
{
    struct monitor_state *ms = arg;
    while (!wait_or_stop(ms, ms->app->cfg.timer_interval)) {
        struct db *db = app_db(ms->app);
        struct app_error err = {0};
        if (db && monitor_sweep(ms->app, db, clock_now(), &err) < 0)
            log_warn("monitor: stale sweep failed: %s", err.message);
    }
    return NULL;
}

#define LIVE_PERIOD 5

/* The live-demo reading source (monitor_demo_live), installed by src/modules.c. */
static int (*live_source)(struct app *app, struct db *db, int64_t now, struct app_error *err);

void monitor_set_live_source(int (*source)(struct app *app, struct db *db, int64_t now,
                                           struct app_error *err))
{
    live_source = source;
}

static void *live_main(void *arg)
{
    struct monitor_state *ms = arg;
    while (!wait_or_stop(ms, LIVE_PERIOD)) {
        struct db *db = app_db(ms->app);
        struct app_error err = {0};
        if (db && live_source && live_source(ms->app, db, clock_now(), &err))
            log_warn("monitor: live demo readings failed: %s", err.message);
    }
    return NULL;
}

int monitor_start(struct app *app, monitor_publish_fn publish, struct app_error *err)
{
    struct monitor_state *ms = xcalloc(1, sizeof(*ms));
    ms->publish = publish;
    ms->app = app;
    pthread_mutex_init(&ms->lock, NULL);
    pthread_cond_init(&ms->cond, NULL);
    pthread_mutex_init(&ms->cache_lock, NULL);
    pthread_mutex_init(&ms->ingest_lock, NULL);
    app->monitor = ms;
    if (pthread_create(&ms->timer, NULL, timer_main, ms)) {
        monitor_stop(app);
        return app_fail(err, APP_ERR_INTERNAL, "thread", NULL, "cannot start the monitor timer");
    }
    ms->timer_started = true;
    if (app->cfg.live_demo) {
        if (pthread_create(&ms->live, NULL, live_main, ms) == 0)
            ms->live_started = true;
        else
            log_warn("monitor: live demo thread not started");
    }
    return 0;
}

void monitor_stop(struct app *app)
{
    struct monitor_state *ms = app ? app->monitor : NULL;
    if (!ms)
        return;
    pthread_mutex_lock(&ms->lock);
    ms->stop = true;
    pthread_cond_broadcast(&ms->cond);
    pthread_mutex_unlock(&ms->lock);
    if (ms->timer_started)
        pthread_join(ms->timer, NULL);
    if (ms->live_started)
        pthread_join(ms->live, NULL);
    pthread_mutex_destroy(&ms->lock);
    pthread_cond_destroy(&ms->cond);
    pthread_mutex_destroy(&ms->cache_lock);
    pthread_mutex_destroy(&ms->ingest_lock);
    free(ms->stations);
    free(ms->index.tab);
    monitor_rule_list_release(&ms->rules);
    free(ms);
    app->monitor = NULL;
}
