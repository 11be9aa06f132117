/* GET /api/v1/modules: what each module adds to the web apps — its script, its command-center
 * map layers and panels, its phone pages — from the descriptors of src/modules.c, so the web
 * shell loads each module's script and asks it for the layers and panels listed here. Views the
 * caller may not see (auth_may on the view's action) are left out, and so is a script the binary
 * does not serve (a module whose web part has not landed yet), so the shell never asks for a
 * missing file. */
#include "modules_api.h"

#include "auth/auth.h"
#include "core/module.h"
#include "web/web.h"

static bool may_see(const struct http_request *req, const struct module_view *v)
{
    return !v->action || auth_may(req->who, v->action);
}

static json_t *views_json(const struct http_request *req, const struct module_view *v)
{
    json_t *a = json_array();
    for (; v && v->id; v++)
        if (may_see(req, v))
            json_array_append_new(a, json_pack("{s:s,s:s}", "id", v->id, "title", v->title));
    return a;
}

static int list_modules(struct http_request *req, struct http_response *resp)
{
    json_t *items = json_array();
    for (size_t i = 0; app_modules[i]; i++) {
        const struct module *m = app_modules[i];
        const char *script = m->script && web_find(m->script) ? m->script : NULL;
        json_t *pages = json_array();
        for (const struct module_page *p = m->pages; p && p->app; p++)
            json_array_append_new(pages, json_pack("{s:s,s:s,s:s}", "app", p->app, "path", p->path,
                                                   "title", p->title));
        json_array_append_new(items,
                              json_pack("{s:s,s:s?,s:o,s:o,s:o}", "name", m->name, "script", script,
                                        "layers", views_json(req, m->layers), "panels",
                                        views_json(req, m->panels), "pages", pages));
    }
    return http_reply_json(resp, 200, json_pack("{s:o}", "items", items));
}

const struct http_route modules_routes[] = {
    {"GET", "/api/v1/modules", list_modules, HTTP_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
