/* Fuzz the router over the real route tables of every module: "METHOD\npath" in, a route with
 * its parameters, a 404, or a 405 with a non-empty Allow list out; parameters lie inside the
 * path and never hold a slash (except the final star capture). */
#include <assert.h>

#include "fuzz.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    char *nl = strchr(s, '\n');
    const char *method = "GET", *path = s;
    if (nl) {
        *nl = '\0';
        method = s;
        path = nl + 1;
    }
    struct http_request req = {0};
    char allow[64];
    enum router_result rr =
        router_match(http_route_tables, method, path, &req, allow, sizeof(allow));
    if (rr == ROUTER_FOUND) {
        assert(req.route && req.route->fn);
        assert(req.nparams >= 0 && req.nparams <= HTTP_MAX_PARAMS);
        for (int i = 0; i < req.nparams; i++) {
            assert(strstr(path, req.param_values[i]) != NULL);
            if (strcmp(req.param_names[i], "*") != 0)
                assert(!strchr(req.param_values[i], '/') && req.param_values[i][0]);
        }
    } else if (rr == ROUTER_BAD_METHOD) {
        assert(allow[0]);
    }
    router_release(&req);
    /* The pattern matcher alone, against a few pattern shapes. */
    static const char *const patterns[] = {"/api/v1/regions/{code}.geojson", "/static/*",
                                           "/a/{x}/{y}/b", "/{a}"};
    for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
        router_match_pattern(patterns[i], path, &req);
        router_release(&req);
    }
    free(s);
    return 0;
}
