/* What a module plugs into the program: seeding a new database, starting (after migrations,
 * before serving) and stopping. The list of modules lives in src/modules.c. */
#ifndef CORE_MODULE_H
#define CORE_MODULE_H

#include <stdbool.h>

#include "core/app.h"

struct module {
    const char *name;
    /* Fill a newly created database (demo: also the synthetic Yuzhong demo). May be NULL. */
    int (*seed)(struct app *app, struct db *db, bool demo, struct app_error *err);
    /* Load state and start background work. May be NULL. */
    int (*start)(struct app *app, struct app_error *err);
    /* Stop background work and free state; must accept a module that never started. */
    void (*stop)(struct app *app);
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
