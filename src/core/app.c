/* Application context: data directory, migrations, and a connection per thread. */
#include "core/app.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "core/xalloc.h"

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db **conns;
static size_t nconns;
static _Thread_local struct db *thread_db;
static _Thread_local struct app *thread_app;

static void remember(struct db *db)
{
    pthread_mutex_lock(&conns_lock);
    conns = xrealloc(conns, (nconns + 1) * sizeof(*conns));
    conns[nconns++] = db;
    pthread_mutex_unlock(&conns_lock);
}

static int mkdir_p(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0750) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0750) && errno != EEXIST ? -1 : 0;
}

int app_open(struct app *app, bool *created, struct app_error *err)
{
    if (mkdir_p(app->cfg.data_dir))
        return app_fail(err, APP_ERR_UNAVAILABLE, "data_dir", "data_dir",
                        "cannot create data directory %s: %s", app->cfg.data_dir,
                        strerror(errno));
    snprintf(app->db_path, sizeof(app->db_path), "%s/zhizhi.db", app->cfg.data_dir);
    if (db_open(app->db_path, app->cfg.busy_timeout_ms, &app->db, err))
        return -1;
    remember(app->db);
    thread_db = app->db;
    thread_app = app;
    bool was_empty = db_schema_version(app->db) == 0;
    int applied = 0;
    if (db_migrate(app->db, &applied, err))
        return -1;
    if (applied)
        log_info("database %s: applied %d migration(s), schema version %d", app->db_path,
                 applied, db_schema_version(app->db));
    if (created)
        *created = was_empty;
    return 0;
}

struct db *app_db(struct app *app)
{
    if (thread_db && thread_app == app)
        return thread_db;
    struct app_error err;
    struct db *db;
    if (db_open(app->db_path, app->cfg.busy_timeout_ms, &db, &err)) {
        log_error("%s", err.message);
        return NULL;
    }
    remember(db);
    thread_db = db;
    thread_app = app;
    return db;
}

void app_close(struct app *app)
{
    pthread_mutex_lock(&conns_lock);
    for (size_t i = 0; i < nconns; i++)
        db_close(conns[i]);
    free(conns);
    conns = NULL;
    nconns = 0;
    pthread_mutex_unlock(&conns_lock);
    app->db = NULL;
    thread_db = NULL;
    thread_app = NULL;
}
