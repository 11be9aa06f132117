/* The application context shared by every thread: settings, the database location and one
 * SQLite connection per thread, and the state modules keep for the life of the process. */
#ifndef CORE_APP_H
#define CORE_APP_H

#include <stdatomic.h>
#include <stdbool.h>

#include "core/config.h"
#include "core/db.h"

struct app {
    struct config cfg;
    char db_path[4096];
    struct db *db;          /* the main thread's connection */
    atomic_bool stopping;   /* set when a shutdown signal arrived */
    /* Module state, owned by the named module (opaque here). */
    void *org;
    void *auth;
    void *event;
    void *monitor;
    void *stream;
};

/* Create the data directory when missing, open the main connection and apply migrations.
 * *created (may be NULL) is set when the database was empty before. */
int app_open(struct app *app, bool *created, struct app_error *err);
/* Close every connection opened through app_db. */
void app_close(struct app *app);

/* This thread's connection, opened on first use with the same settings. NULL only when the
 * database cannot be opened (logged). Connections are closed by app_close. */
struct db *app_db(struct app *app);

#endif
