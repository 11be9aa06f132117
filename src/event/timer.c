/* The event module's lifecycle: seeding (categories, routes, demo events) and the deadline
 * timer thread that sweeps every timer_interval seconds (yellow/red colours, overdue
 * escalation, 督办 notes) until the module stops. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "event/event_internal.h"

struct event_module_state {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    bool running;
};

int event_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    if (event_category_seed(db, err))
        return -1;
    return demo ? event_demo_seed(app, db, err) : 0;
}

static void *timer_main(void *arg)
{
    struct app *app = arg;
    struct event_module_state *st = app->event;
    pthread_mutex_lock(&st->mu);
    while (!st->stop) {
        pthread_mutex_unlock(&st->mu);
        struct db *db = app_db(app);
        struct app_error err = {0};
        if (calendar_refresh(app, &err) < 0) /* after `zhizhi calendar import` */
            log_warn("calendar: %s", err.message);
        if (db) {
            int n = event_sweep(app, db, clock_now(), &err);
            if (n < 0)
                log_warn("event sweep: %s", err.message);
            else if (n > 0)
                log_info("event sweep: %d events changed colour or level", n);
            if (event_public_photo_purge(app, db, clock_now(), &err) < 0)
                log_warn("event photo purge: %s", err.message);
        }
        pthread_mutex_lock(&st->mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += app->cfg.timer_interval > 0 ? app->cfg.timer_interval : 60;
        while (!st->stop && pthread_cond_timedwait(&st->cv, &st->mu, &ts) == 0)
            ;
    }
    pthread_mutex_unlock(&st->mu);
    return NULL;
}

int event_start(struct app *app, struct app_error *err)
{
    struct event_module_state *st = xcalloc(1, sizeof(*st));
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    app->event = st;
    if (pthread_create(&st->thread, NULL, timer_main, app) != 0) {
        app->event = NULL;
        free(st);
        return app_fail(err, APP_ERR_INTERNAL, "thread", NULL, "cannot start the event timer");
    }
    st->running = true;
    return 0;
}

void event_stop(struct app *app)
{
    struct event_module_state *st = app->event;
    if (!st)
        return;
    pthread_mutex_lock(&st->mu);
    st->stop = true;
    pthread_cond_broadcast(&st->cv);
    pthread_mutex_unlock(&st->mu);
    if (st->running)
        pthread_join(st->thread, NULL);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    free(st);
    app->event = NULL;
}
