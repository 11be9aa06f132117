/* The module descriptors of src/modules.c: every module's route tables are joined in
 * http_route_tables and every joined table belongs to one module (besides the system and web
 * infrastructure tables); every route's permission and every view's permission is one of the
 * module's declared prefixes and a row of the authorization matrix; view ids are unique. */
#include <stdbool.h>

#include "auth/auth.h"
#include "core/module.h"
#include "http/http.h"
#include "http/router.h"
#include "http/system_api.h"
#include "test.h"
#include "web/web_api.h"

static bool has_prefix(const struct module *m, const char *action)
{
    for (const char *const *p = m->action_prefixes; p && *p; p++)
        if (strncmp(action, *p, strlen(*p)) == 0)
            return true;
    return false;
}

static bool known_action(const char *action)
{
    for (size_t i = 0; auth_action_at(i); i++)
        if (strcmp(auth_action_at(i), action) == 0)
            return true;
    return false;
}

TEST(route_tables_agree_with_modules)
{
    size_t joined = 0;
    for (size_t t = 0; http_route_tables[t]; t++) {
        const struct http_route *table = http_route_tables[t];
        joined++;
        if (table == system_routes || table == web_routes)
            continue;
        int owners = 0;
        for (size_t i = 0; app_modules[i]; i++)
            for (const struct http_route *const *r = app_modules[i]->routes; r && *r; r++)
                owners += *r == table;
        CHECK_INT(owners, 1);
    }
    size_t declared = 0;
    for (size_t i = 0; app_modules[i]; i++)
        for (const struct http_route *const *r = app_modules[i]->routes; r && *r; r++) {
            declared++;
            bool found = false;
            for (size_t t = 0; http_route_tables[t]; t++)
                found |= http_route_tables[t] == *r;
            if (!found)
                fprintf(stderr, "    module %s: a route table not in http_route_tables\n",
                        app_modules[i]->name);
            CHECK(found);
        }
    CHECK_INT(declared + 2, joined);
}

TEST(route_actions_are_the_modules_own)
{
    for (size_t i = 0; app_modules[i]; i++) {
        const struct module *m = app_modules[i];
        for (const struct http_route *const *t = m->routes; t && *t; t++)
            for (const struct http_route *r = *t; r->method; r++) {
                if (!r->action || strchr(r->action, '<'))
                    continue;
                if (!has_prefix(m, r->action) || !known_action(r->action))
                    fprintf(stderr, "    module %s: %s %s checks %s\n", m->name, r->method,
                            r->pattern, r->action);
                CHECK(has_prefix(m, r->action));
                CHECK(known_action(r->action));
            }
    }
}

static void check_views(const struct module *m, const struct module_view *v, const char **seen,
                        size_t *n)
{
    for (; v && v->id; v++) {
        CHECK(v->title && v->title[0]);
        if (v->action) {
            CHECK(has_prefix(m, v->action));
            CHECK(known_action(v->action));
        }
        for (size_t k = 0; k < *n; k++)
            CHECK(strcmp(seen[k], v->id) != 0);
        if (*n < 64)
            seen[(*n)++] = v->id;
    }
}

TEST(views_are_unique_and_guarded_by_known_actions)
{
    const char *seen[64];
    size_t n = 0;
    for (size_t i = 0; app_modules[i]; i++) {
        check_views(app_modules[i], app_modules[i]->layers, seen, &n);
        check_views(app_modules[i], app_modules[i]->panels, seen, &n);
        for (const struct module_page *p = app_modules[i]->pages; p && p->app; p++)
            CHECK(p->path[0] == '/' && p->title[0]);
    }
    CHECK(n >= 3); /* grids, events, indicators, aqi */
}

TEST_SUITE({"route_tables_agree_with_modules", route_tables_agree_with_modules},
           {"route_actions_are_the_modules_own", route_actions_are_the_modules_own},
           {"views_are_unique_and_guarded_by_known_actions",
            views_are_unique_and_guarded_by_known_actions});
