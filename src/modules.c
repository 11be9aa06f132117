/* The one place that lists the modules: their lifecycle hooks and their route tables. A new
 * module adds its descriptor to app_modules and its routes to http_route_tables. */
#include <stddef.h>

#include "audit/audit_api.h"
#include "auth/auth.h"
#include "auth/auth_api.h"
#include "core/calendar.h"
#include "core/module.h"
#include "event/event.h"
#include "event/event_api.h"
#include "event/indicator_api.h"
#include "http/router.h"
#include "http/system_api.h"
#include "monitor/monitor.h"
#include "open311/open311_api.h"
#include "monitor/monitor_api.h"
#include "org/org.h"
#include "org/org_api.h"
#include "org/org_write_api.h"
#include "web/web_api.h"

static int org_module_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    (void)app;
    return org_seed(db, demo, err);
}

static const struct module org_module = {"org", org_module_seed, org_start, org_stop};
/* After org: accounts are checked against regions, grids, departments and posts. */
static const struct module auth_module = {"auth", auth_seed, auth_start, NULL};
/* First: deadlines need the working-day calendar, and a year missing from it stops start-up. */
static const struct module calendar_module = {"calendar", NULL, calendar_start, calendar_stop};
/* After auth: events are audited and checked against accounts; the deadline timer needs the
 * calendar. */
static const struct module event_module = {"event", event_seed, event_start, event_stop};

static int monitor_module_start(struct app *app, struct app_error *err)
{
    return monitor_start(app, monitor_api_publish, err);
}
/* After org (stations are located in grids) and the event module (alerts open events). */
static const struct module monitor_module = {"monitor", monitor_seed, monitor_module_start,
                                             monitor_stop};

const struct module *const app_modules[] = {
    &calendar_module,
    &org_module,
    &auth_module,
    &event_module,
    &monitor_module,
    NULL,
};

/* Routes are matched in order: system first, then each module's. */
const struct http_route *const http_route_tables[] = {
    system_routes,
    org_routes,
    org_write_routes,
    auth_routes,
    audit_routes,
    monitor_routes,
    event_routes,
    indicator_routes,
    open311_routes,
    web_routes, /* last: the apps' pages and files */
    NULL,
};

int modules_seed(struct app *app, bool demo, struct app_error *err)
{
    for (size_t i = 0; app_modules[i]; i++)
        if (app_modules[i]->seed && app_modules[i]->seed(app, app->db, demo, err))
            return -1;
    return 0;
}

int modules_start(struct app *app, struct app_error *err)
{
    for (size_t i = 0; app_modules[i]; i++)
        if (app_modules[i]->start && app_modules[i]->start(app, err)) {
            while (i-- > 0)
                if (app_modules[i]->stop)
                    app_modules[i]->stop(app);
            return -1;
        }
    return 0;
}

void modules_stop(struct app *app)
{
    size_t n = 0;
    while (app_modules[n])
        n++;
    while (n-- > 0)
        if (app_modules[n]->stop)
            app_modules[n]->stop(app);
}
