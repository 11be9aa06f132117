/* The one place that lists the modules: each one's whole surface (lifecycle, route tables,
 * permission prefixes, command-center layers and panels, phone pages) in one descriptor. A new
 * module adds its descriptor to app_modules and its route tables to http_route_tables
 * (tests/unit/core/modules_test.c checks that the two lists agree); docs/architecture.md. */
#include <stddef.h>

#include "audit/audit_api.h"
#include "auth/auth.h"
#include "auth/auth_api.h"
#include "building/building.h"
#include "building/building_api.h"
#include "component/component.h"
#include "component/component_api.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/module.h"
#include "enterprise/enterprise.h"
#include "enterprise/enterprise_api.h"
#include "event/event.h"
#include "event/event_api.h"
#include "event/indicator_api.h"
#include "http/router.h"
#include "http/system_api.h"
#include "ledger/ledger.h"
#include "ledger/ledger_api.h"
#include "lifecircle/lifecircle.h"
#include "lifecircle/lifecircle_api.h"
#include "modules_api.h"
#include "monitor/monitor.h"
#include "monitor/monitor_api.h"
#include "open311/open311_api.h"
#include "org/org.h"
#include "org/org_api.h"
#include "org/org_write_api.h"
#include "parking/parking.h"
#include "parking/parking_api.h"
#include "patrol/patrol.h"
#include "patrol/patrol_api.h"
#include "renewal/renewal.h"
#include "renewal/renewal_api.h"
#include "web/web_api.h"

static int org_module_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    (void)app;
    return org_seed(db, demo, err);
}

static const struct http_route *const org_route_tables[] = {org_routes, org_write_routes, NULL};
static const char *const org_action_prefixes[] = {"org.", NULL};
static const struct module_view org_layers[] = {{"grids", "网格", NULL}, {NULL, NULL, NULL}};
static const struct module org_module = {
    .name = "org",
    .seed = org_module_seed,
    .start = org_start,
    .stop = org_stop,
    .routes = org_route_tables,
    .action_prefixes = org_action_prefixes,
    .layers = org_layers,
};
/* After org: accounts are checked against regions, grids, departments and posts. */
static const struct http_route *const auth_route_tables[] = {auth_routes, NULL};
static const char *const auth_action_prefixes[] = {"session.", "self.", "user.", NULL};
static const struct module auth_module = {
    .name = "auth",
    .seed = auth_seed,
    .start = auth_start,
    .routes = auth_route_tables,
    .action_prefixes = auth_action_prefixes,
};
/* The audit log: no lifecycle, its reading routes. */
static const struct http_route *const audit_route_tables[] = {audit_routes, NULL};
static const char *const audit_action_prefixes[] = {"audit.", NULL};
static const struct module audit_module = {
    .name = "audit",
    .routes = audit_route_tables,
    .action_prefixes = audit_action_prefixes,
};
/* First: deadlines need the working-day calendar, and a year missing from it stops start-up. */
static const struct module calendar_module = {
    .name = "calendar",
    .start = calendar_start,
    .stop = calendar_stop,
};
static int event_module_start(struct app *app, struct app_error *err)
{
    event_set_publisher(event_api_publish);
    return event_start(app, err);
}

/* After auth: events are audited and checked against accounts; the deadline timer needs the
 * calendar. */
static const struct http_route *const event_route_tables[] = {event_routes, indicator_routes, NULL};
static const char *const event_action_prefixes[] = {"event.", "indicator.", NULL};
static const struct module_view event_layers[] = {{"events", "事件", "event.read"},
                                                  {NULL, NULL, NULL}};
static const struct module_view event_panels[] = {{"indicators", "考核指标", "indicator.read"},
                                                  {NULL, NULL, NULL}};
static const struct module_page event_pages[] = {
    {"grid", "/grid/", "网格员事件"},
    {"report", "/report/", "我要反映"},
    {"report", "/report/status.html", "办理进度"},
    {NULL, NULL, NULL},
};
static const struct module event_module = {
    .name = "event",
    .seed = event_seed,
    .start = event_module_start,
    .stop = event_stop,
    .routes = event_route_tables,
    .action_prefixes = event_action_prefixes,
    .layers = event_layers,
    .panels = event_panels,
    .pages = event_pages,
};

/* The rules, then (demo) the demo generator, which depends on the module, not the reverse. */
static int monitor_module_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    if (monitor_seed(app, db, demo, err))
        return -1;
    if (!demo)
        return 0;
    double t0 = clock_mono_ms();
    if (monitor_demo_seed(app, db, clock_now(), err))
        return -1;
    log_info("monitor: demo stations and a year of synthetic readings in %.0f ms",
             clock_mono_ms() - t0);
    return 0;
}

static int monitor_module_start(struct app *app, struct app_error *err)
{
    monitor_set_live_source(monitor_demo_live);
    return monitor_start(app, monitor_api_publish, err);
}
/* After org (stations are located in grids) and the event module (alerts open events). */
static const struct http_route *const monitor_route_tables[] = {monitor_routes, NULL};
static const char *const monitor_action_prefixes[] = {"monitor.", NULL};
static const struct module_view monitor_layers[] = {{"stations", "监测站点", "monitor.read"},
                                                    {NULL, NULL, NULL}};
static const struct module_view monitor_panels[] = {{"aqi", "空气质量", "monitor.read"},
                                                    {"alerts", "监测预警", "monitor.read"},
                                                    {NULL, NULL, NULL}};
static const struct module monitor_module = {
    .name = "monitor",
    .seed = monitor_module_seed,
    .start = monitor_module_start,
    .stop = monitor_stop,
    .routes = monitor_route_tables,
    .action_prefixes = monitor_action_prefixes,
    .script = "/static/js/monitor.js",
    .layers = monitor_layers,
    .panels = monitor_panels,
};

/* Open311 GeoReport v2 (citizen reports from other apps): routes only. */
static const struct http_route *const open311_route_tables[] = {open311_routes, NULL};
static const struct module open311_module = {.name = "open311", .routes = open311_route_tables};

/* Shared parking (issue 20): after org (lots lie in grids) and event (repeated overstays open
 * events); the demo lots and a month of bookings at seed. */
static int parking_module_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    double t0 = clock_mono_ms();
    if (parking_seed(app, db, demo, err))
        return -1;
    if (demo)
        log_info("parking: demo seeded in %.0f ms", clock_mono_ms() - t0);
    return 0;
}
static const struct http_route *const parking_route_tables[] = {parking_routes, NULL};
static const char *const parking_action_prefixes[] = {"parking.", NULL};
static const struct module_view parking_layers[] = {{"parking", "共享停车", "parking.read"},
                                                    {NULL, NULL, NULL}};
static const struct module_view parking_panels[] = {
    {"parking_figures", "共享停车统计", "parking.figures"}, {NULL, NULL, NULL}};
static const struct module_page parking_pages[] = {
    {"report", "/report/parking.html", "共享停车"},
    {NULL, NULL, NULL},
};
static const struct module parking_module = {
    .name = "parking",
    .seed = parking_module_seed,
    .routes = parking_route_tables,
    .action_prefixes = parking_action_prefixes,
    .script = "/static/js/parking.js",
    .layers = parking_layers,
    .panels = parking_panels,
    .pages = parking_pages,
};

/* River-chief patrols: after org (segments pass grids), event (findings open events) and
 * monitor (the checklist reads the water sections). */
static int patrol_module_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    return patrol_seed(app, db, demo, err);
}
static const struct http_route *const patrol_route_tables[] = {patrol_routes, patrol_run_routes,
                                                               patrol_manage_routes, NULL};
static const char *const patrol_action_prefixes[] = {"patrol.", NULL};
static const struct module_view patrol_layers[] = {{"patrol", "河长巡河", "patrol.read"},
                                                   {NULL, NULL, NULL}};
static const struct module_view patrol_panels[] = {
    {"patrol_compliance", "河长制巡河", "patrol.read"}, {NULL, NULL, NULL}};
static const struct module_page patrol_pages[] = {
    {"grid", "/grid/patrol.html", "巡河"},
    {"grid", "/grid/river.html", "幸福河流清单"},
    {NULL, NULL, NULL},
};
static const struct module patrol_module = {
    .name = "patrol",
    .seed = patrol_module_seed,
    .routes = patrol_route_tables,
    .action_prefixes = patrol_action_prefixes,
    .script = "/static/js/patrol.js",
    .layers = patrol_layers,
    .panels = patrol_panels,
    .pages = patrol_pages,
};

/* The building economy (issue 16): after org (buildings lie in grids) and audit; the demo's
 * buildings, tenants and three years of figures when seeding a demo database. */
static int building_module_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    if (!demo)
        return 0;
    double t0 = clock_mono_ms();
    if (building_demo_seed(app, db, err))
        return -1;
    log_info("building: demo buildings, tenants and three years of synthetic figures in %.0f ms",
             clock_mono_ms() - t0);
    return 0;
}
static const struct http_route *const building_route_tables[] = {building_space_routes,
                                                                 building_routes, NULL};
static const char *const building_action_prefixes[] = {"building.", NULL};
static const struct module_view building_layers[] = {{"buildings", "楼宇经济", "building.read"},
                                                     {NULL, NULL, NULL}};
static const struct module_view building_panels[] = {
    {"building_economy", "楼均论英雄", "building.read"},
    {"building_leads", "入驻意向", "building.leads"},
    {NULL, NULL, NULL}};
static const struct module_page building_pages[] = {
    {"report", "/report/buildings.html", "找写字楼"}, {NULL, NULL, NULL}};
static const struct module building_module = {
    .name = "building",
    .seed = building_module_seed,
    .routes = building_route_tables,
    .action_prefixes = building_action_prefixes,
    .script = "/static/js/building.js",
    .layers = building_layers,
    .panels = building_panels,
    .pages = building_pages,
};

/* The 15-minute living circle: after org (facilities and demand lie in communities) and
 * audit; loads the walking network at start. */
static const struct http_route *const lifecircle_route_tables[] = {lifecircle_routes, NULL};
static const char *const lifecircle_action_prefixes[] = {"lifecircle.", NULL};
static const struct module_view lifecircle_layers[] = {
    {"lifecircle", "生活圈设施", "lifecircle.read"}, {NULL, NULL, NULL}};
static const struct module_view lifecircle_panels[] = {
    {"lifecircle_gaps", "15分钟生活圈", "lifecircle.read"}, {NULL, NULL, NULL}};
static const struct module lifecircle_module = {
    .name = "lifecircle",
    .seed = lifecircle_seed,
    .start = lifecircle_start,
    .stop = lifecircle_stop,
    .routes = lifecircle_route_tables,
    .action_prefixes = lifecircle_action_prefixes,
    .script = "/static/js/lifecircle.js",
    .layers = lifecircle_layers,
    .panels = lifecircle_panels,
};

/* component (issue 23): after org (grids), auth (scope), audit and event (repair events). */
static int component_module_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    double t0 = clock_mono_ms();
    if (component_seed(app, db, demo, err))
        return -1;
    if (demo)
        log_info("component: seeded in %.0f ms", clock_mono_ms() - t0);
    return 0;
}
static const struct http_route *const component_route_tables[] = {component_routes, sewer_routes,
                                                                  NULL};
static const char *const component_action_prefixes[] = {"component.", "sewer.", NULL};
static const struct module_view component_layers[] = {{"sewer", "排水管网", "sewer.read"},
                                                      {NULL, NULL, NULL}};
static const struct module component_module = {
    .name = "component",
    .seed = component_module_seed,
    .routes = component_route_tables,
    .action_prefixes = component_action_prefixes,
    .layers = component_layers,
};

/* ledger module (issue 15): the rectification ledger and supervision clues; after org (problems
 * belong to departments), auth (owners, the supervisor role) and event (problems link events). */
static const struct http_route *const ledger_route_tables[] = {ledger_routes,
                                                               ledger_supervision_routes, NULL};
static const char *const ledger_action_prefixes[] = {"ledger.", "supervision.", NULL};
static const struct module_view ledger_panels[] = {{"ledger", "整改台账", "ledger.read"},
                                                   {"supervision", "监督线索", "supervision.read"},
                                                   {NULL, NULL, NULL}};
static const struct module ledger_module = {
    .name = "ledger",
    .seed = ledger_seed,
    .routes = ledger_route_tables,
    .action_prefixes = ledger_action_prefixes,
    .script = "/static/js/ledger.js",
    .panels = ledger_panels,
};

/* renewal (issue 18): after org (projects lie in grids), auth (scope) and audit; the demo
 * projects, votes and housing register when seeding a demo database. */
static int renewal_module_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    double t0 = clock_mono_ms();
    if (renewal_seed(app, db, demo, err))
        return -1;
    if (demo)
        log_info("renewal: demo seeded in %.0f ms", clock_mono_ms() - t0);
    return 0;
}
static const struct http_route *const renewal_route_tables[] = {
    renewal_routes, renewal_vote_routes, renewal_appraisal_routes, renewal_housing_routes, NULL};
static const char *const renewal_action_prefixes[] = {"renewal.", NULL};
static const struct module_view renewal_layers[] = {{"renewal", "城市更新项目", "renewal.read"},
                                                    {NULL, NULL, NULL}};
static const struct module_view renewal_panels[] = {{"renewal_figures", "城市更新", "renewal.read"},
                                                    {NULL, NULL, NULL}};
static const struct module_page renewal_pages[] = {
    {"grid", "/grid/renewal-vote.html", "业主表决登记"}, {NULL, NULL, NULL}};
static const struct module renewal_module = {
    .name = "renewal",
    .seed = renewal_module_seed,
    .routes = renewal_route_tables,
    .action_prefixes = renewal_action_prefixes,
    .script = "/static/js/renewal.js",
    .layers = renewal_layers,
    .panels = renewal_panels,
    .pages = renewal_pages,
};

/* Enterprise services (issue 17): after building (its registry), event (appeals and wage
 * warnings open events) and auth (the hrss and service-officer demo accounts). */
static const struct http_route *const enterprise_route_tables[] = {
    enterprise_routes, enterprise_policy_routes, enterprise_cert_routes, NULL};
static const char *const enterprise_action_prefixes[] = {"enterprise.", NULL};
static const struct module_view enterprise_panels[] = {
    {"enterprise", "助企兴业", "enterprise.read"},
    {"wage_warnings", "欠薪隐患预警", "enterprise.wage_read"},
    {NULL, NULL, NULL}};
static const struct module enterprise_module = {
    .name = "enterprise",
    .seed = enterprise_seed,
    .routes = enterprise_route_tables,
    .action_prefixes = enterprise_action_prefixes,
    .script = "/static/js/enterprise.js",
    .panels = enterprise_panels,
};

/* The module list itself, for the web shell (GET /api/v1/modules). */
static const struct http_route *const modules_route_tables[] = {modules_routes, NULL};
static const struct module modules_module = {.name = "modules", .routes = modules_route_tables};

const struct module *const app_modules[] = {
    &calendar_module,
    &org_module,
    &auth_module,
    &audit_module,
    &event_module,
    &monitor_module,
    &open311_module,
    &modules_module,
    /* parking (issue 20) */
    &parking_module,
    /* patrol (issue 21) */
    &patrol_module,
    /* building economy */
    &building_module,
    /* lifecircle (issue 19) */
    &lifecircle_module,
    /* component (issue 23) */
    &component_module,
    &ledger_module, /* ledger module */
    /* renewal (issue 18) */
    &renewal_module,
    &enterprise_module, /* enterprise services (issue 17) */
    NULL,
};

/* Routes are matched in order: system first, then each module's. */
const struct http_route *const http_route_tables[] = {
    system_routes,
    modules_routes,
    org_routes,
    org_write_routes,
    auth_routes,
    audit_routes,
    monitor_routes,
    event_routes,
    indicator_routes,
    open311_routes,
    /* parking (issue 20) */
    parking_routes,
    /* patrol (issue 21) */
    patrol_routes,
    patrol_run_routes,
    patrol_manage_routes,
    building_space_routes, /* building economy: 找写字楼 before {code} */
    building_routes,
    /* lifecircle (issue 19) */
    lifecircle_routes,
    /* component (issue 23) */
    component_routes,
    sewer_routes,
    ledger_routes,
    ledger_supervision_routes, /* ledger module */
    /* renewal (issue 18) */
    renewal_routes,
    renewal_vote_routes,
    renewal_appraisal_routes,
    renewal_housing_routes,
    enterprise_routes, /* enterprise services (issue 17) */
    enterprise_policy_routes,
    enterprise_cert_routes,
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
