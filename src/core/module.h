/* What a module plugs into the program, declared in one place: its lifecycle (seeding a new
 * database, starting after migrations and before serving, stopping), its route tables, the
 * permission actions it adds to the authorization matrix, and its web parts (the command
 * center's map layers and panels, the phone pages, the script that draws them). The list of
 * modules lives in src/modules.c; docs/architecture.md walks through adding one. */
#ifndef CORE_MODULE_H
#define CORE_MODULE_H

#include <stdbool.h>

#include "core/app.h"

struct http_route; /* http/http.h: the module's handlers; core never calls them */

/* A map layer or a side panel of the command center (web/static/js/<module>.js draws it). */
struct module_view {
    const char *id;     /* "events": unique across modules */
    const char *title;  /* Chinese, shown in the layer switcher or panel header */
    const char *action; /* permission needed to see it (NULL: every signed-in user) */
};

/* A page of the phone apps (grid worker or citizen). */
struct module_page {
    const char *app;   /* "grid" or "report" */
    const char *path;  /* "/grid/events" */
    const char *title; /* Chinese */
};

struct module {
    const char *name;
    /* Fill a newly created database (demo: also the synthetic Yuzhong demo). May be NULL. */
    int (*seed)(struct app *app, struct db *db, bool demo, struct app_error *err);
    /* Load state and start background work. May be NULL. */
    int (*start)(struct app *app, struct app_error *err);
    /* Stop background work and free state; must accept a module that never started. */
    void (*stop)(struct app *app);
    /* Route tables ({NULL}-terminated each), NULL-terminated list; NULL when none. */
    const struct http_route *const *routes;
    /* The permission actions the module's routes and rules check (rows of the authorization
     * matrix in auth.c) by name prefix ("event."), NULL-terminated; NULL when none. */
    const char *const *action_prefixes;
    /* web/static/js/<module>.js path under /static, NULL when the module has no web part. */
    const char *script;
    /* Command-center map layers and panels, phone pages: each {NULL}-terminated, may be NULL. */
    const struct module_view *layers;
    const struct module_view *panels;
    const struct module_page *pages;
};

/* All modules in dependency order, NULL-terminated. */
extern const struct module *const app_modules[];

/* Seed every module (only on a new database), in order, each inside its own logic. */
int modules_seed(struct app *app, bool demo, struct app_error *err);
/* Start every module in order; on failure the started ones are stopped. */
int modules_start(struct app *app, struct app_error *err);
/* Stop every module in reverse order. */
void modules_stop(struct app *app);

#endif
