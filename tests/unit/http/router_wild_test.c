/* Router patterns: the trailing slash-star wildcard that serves the browser apps' static files, and
 * that it leaves the existing literal and {name} matching alone. */
#include "http/router.h"

#include "test.h"

TEST(wildcard_takes_rest_of_path)
{
    struct http_request req = {0};
    CHECK(router_match_pattern("/static/*", "/static/js/app.js", &req));
    CHECK_STR(http_param(&req, "*"), "js/app.js");
    router_release(&req);
}

TEST(wildcard_may_be_empty)
{
    struct http_request req = {0};
    CHECK(router_match_pattern("/center/*", "/center/", &req));
    CHECK_STR(http_param(&req, "*"), "");
    router_release(&req);
}

TEST(wildcard_needs_the_slash)
{
    CHECK(!router_match_pattern("/center/*", "/center", NULL));
    CHECK(!router_match_pattern("/center/*", "/centerx/a", NULL));
    CHECK(!router_match_pattern("/center/*", "/other/center/", NULL));
}

TEST(wildcard_after_param)
{
    struct http_request req = {0};
    CHECK(router_match_pattern("/a/{code}/*", "/a/500103/x/y.svg", &req));
    CHECK_STR(http_param(&req, "code"), "500103");
    CHECK_STR(http_param(&req, "*"), "x/y.svg");
    router_release(&req);
}

TEST(star_elsewhere_is_literal)
{
    CHECK(router_match_pattern("/a*", "/a*", NULL));
    CHECK(!router_match_pattern("/a*", "/ab", NULL));
}

TEST(plain_patterns_unchanged)
{
    struct http_request req = {0};
    CHECK(router_match_pattern("/api/v1/regions/{code}.geojson", "/api/v1/regions/5001.geojson",
                               &req));
    CHECK_STR(http_param(&req, "code"), "5001");
    router_release(&req);
    CHECK(!router_match_pattern("/api/v1/regions/{code}", "/api/v1/regions/5001/qr.svg", NULL));
    CHECK(router_match_pattern("/api/v1/regions", "/api/v1/regions", NULL));
    CHECK(!router_match_pattern("/api/v1/regions", "/api/v1/regions/", NULL));
}

TEST_SUITE({"wildcard_takes_rest_of_path", wildcard_takes_rest_of_path},
           {"wildcard_may_be_empty", wildcard_may_be_empty},
           {"wildcard_needs_the_slash", wildcard_needs_the_slash},
           {"wildcard_after_param", wildcard_after_param},
           {"star_elsewhere_is_literal", star_elsewhere_is_literal},
           {"plain_patterns_unchanged", plain_patterns_unchanged});
