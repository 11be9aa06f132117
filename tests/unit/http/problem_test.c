/* problem+json bodies (RFC 9457): every member present and of the right type even when the
 * detail or field echo bytes of the request that are not UTF-8, and the status table. */
#include "http/http.h"
#include "test.h"

static json_t *reply_body(const struct app_error *err, int *status)
{
    struct http_response resp = {0};
    http_reply_error(&resp, err);
    *status = resp.status;
    CHECK_STR(resp.content_type, "application/problem+json");
    json_t *j = json_loadb(buf_cstr(&resp.body), resp.body.len, 0, NULL);
    buf_release(&resp.body);
    return j;
}

TEST(members_of_a_problem)
{
    struct app_error err;
    int status = 0;
    app_fail(&err, APP_ERR_NOT_FOUND, "no_route", NULL, "no such resource: %s", "/x");
    json_t *j = reply_body(&err, &status);
    CHECK_INT(status, 404);
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "type")), "about:blank");
    CHECK(json_is_string(json_object_get(j, "title")));
    CHECK_INT(json_integer_value(json_object_get(j, "status")), 404);
    CHECK_STR(json_string_value(json_object_get(j, "detail")), "no such resource: /x");
    CHECK_STR(json_string_value(json_object_get(j, "code")), "no_route");
    CHECK(json_object_get(j, "field") == NULL);
    json_decref(j);
}

TEST(detail_with_bytes_that_are_not_utf8)
{
    struct app_error err;
    int status = 0;
    /* A handler echoing a decoded path or query value: \xff and a cut 3-byte sequence. */
    app_fail(&err, APP_ERR_NOT_FOUND, "not_found",
             "co\xff"
             "de",
             "没有 %s", "50\xff\xe4\xb8");
    json_t *j = reply_body(&err, &status);
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "detail")),
              "没有 50\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_STR(json_string_value(json_object_get(j, "field")), "co\xEF\xBF\xBD"
                                                              "de");
    CHECK_STR(json_string_value(json_object_get(j, "code")), "not_found");
    json_decref(j);
}

TEST(status_table)
{
    CHECK_INT(http_status_of(APP_ERR_INVALID), 400);
    CHECK_INT(http_status_of(APP_ERR_METHOD), 405);
    CHECK_INT(http_status_of(APP_ERR_TOO_LARGE), 413);
    CHECK_INT(http_status_of(APP_ERR_UNAVAILABLE), 503);
    CHECK_INT(http_status_of((enum app_error_code)99), 500);
}

TEST_SUITE({"members_of_a_problem", members_of_a_problem},
           {"detail_with_bytes_that_are_not_utf8", detail_with_bytes_that_are_not_utf8},
           {"status_table", status_table});
