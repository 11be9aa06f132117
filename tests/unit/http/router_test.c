/* The router: literal paths, {param} and {param}.suffix captures, first match wins, and the
 * Allow list of a 405. */
#include "http/router.h"
#include "test.h"

static int h(struct http_request *req, struct http_response *resp)
{
    (void)req;
    (void)resp;
    return 0;
}

static const struct http_route routes_a[] = {
    {"GET", "/api/v1/regions", h, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/regions.csv", h, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/regions/{code}.geojson", h, HTTP_PUBLIC, NULL},
    {"GET", "/api/v1/regions/{code}", h, HTTP_PUBLIC, NULL},
    {"POST", "/api/v1/regions/import", h, HTTP_RAW_BODY, "org.write"},
    {NULL, NULL, NULL, 0, NULL},
};
static const struct http_route routes_b[] = {
    {"PUT", "/api/v1/regions/{code}", h, 0, "org.write"},
    {"GET", "/api/v1/grids/{code}/team", h, HTTP_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
static const struct http_route *const tables[] = {routes_a, routes_b, NULL};

TEST(patterns)
{
    struct http_request req = {0};
    CHECK(router_match_pattern("/api/v1/regions", "/api/v1/regions", NULL));
    CHECK(!router_match_pattern("/api/v1/regions", "/api/v1/regions/", NULL));
    CHECK(!router_match_pattern("/api/v1/regions", "/api/v1/region", NULL));
    CHECK(router_match_pattern("/api/v1/regions/{code}", "/api/v1/regions/500103", &req));
    CHECK_STR(http_param(&req, "code"), "500103");
    CHECK(!router_match_pattern("/api/v1/regions/{code}", "/api/v1/regions/500103/x", NULL));
    CHECK(!router_match_pattern("/api/v1/regions/{code}", "/api/v1/regions/", NULL));
    CHECK(router_match_pattern("/api/v1/regions/{code}.geojson",
                               "/api/v1/regions/500103001.geojson", &req));
    CHECK_STR(http_param(&req, "code"), "500103001");
    CHECK(
        !router_match_pattern("/api/v1/regions/{code}.geojson", "/api/v1/regions/.geojson", NULL));
    CHECK(!router_match_pattern("/api/v1/regions/{code}.geojson", "/api/v1/regions/500103.csv",
                                NULL));
    CHECK(router_match_pattern("/api/v1/grids/{code}/team", "/api/v1/grids/500103001003001/team",
                               &req));
    CHECK_STR(http_param(&req, "code"), "500103001003001");
    CHECK(http_param(&req, "other") == NULL);
    router_release(&req);
}

TEST(match_and_405)
{
    struct http_request req = {0};
    char allow[64];
    CHECK_INT(
        router_match(tables, "GET", "/api/v1/regions/500103.geojson", &req, allow, sizeof(allow)),
        ROUTER_FOUND);
    CHECK_STR(req.route->pattern, "/api/v1/regions/{code}.geojson");
    CHECK_STR(http_param(&req, "code"), "500103");
    CHECK_INT(router_match(tables, "HEAD", "/api/v1/regions", &req, allow, sizeof(allow)),
              ROUTER_FOUND);
    CHECK_INT(router_match(tables, "POST", "/api/v1/regions/import", &req, allow, sizeof(allow)),
              ROUTER_FOUND);
    CHECK_STR(req.route->action, "org.write");
    CHECK(req.route->flags & HTTP_RAW_BODY);
    /* The path exists for GET (in one table) and PUT (in another): 405 lists both, and HEAD,
     * which every GET route answers. */
    CHECK_INT(router_match(tables, "DELETE", "/api/v1/regions/500103", &req, allow, sizeof(allow)),
              ROUTER_BAD_METHOD);
    CHECK_STR(allow, "GET, PUT, HEAD");
    CHECK_INT(router_match(tables, "BREW", "/api/v1/grids/7/team", &req, allow, sizeof(allow)),
              ROUTER_BAD_METHOD);
    CHECK_STR(allow, "GET, HEAD");
    CHECK_INT(router_match(tables, "GET", "/api/v1/nothing", &req, allow, sizeof(allow)),
              ROUTER_NOT_FOUND);
    router_release(&req);
}

TEST_SUITE({"patterns", patterns}, {"match_and_405", match_and_405});
