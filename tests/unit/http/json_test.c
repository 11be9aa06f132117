/* Decoding request bodies: malformed JSON is refused naming line and column; typed field
 * helpers name the member at fault; problem+json status mapping. */
#include "http/http.h"
#include "test.h"

static int read_body(const char *body, json_t **out, struct app_error *err)
{
    struct http_request req = {0};
    req.body = body;
    req.body_len = strlen(body);
    return http_read_json(&req, out, err);
}

TEST(malformed_names_line_and_column)
{
    json_t *j = NULL;
    struct app_error err = {0};
    CHECK_INT(read_body("{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}", &j, &err), -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
    CHECK_STR(err.code_name, "malformed_json");
    CHECK_STR(err.field, "body");
    CHECK(strstr(err.message, "line 3") != NULL);
    CHECK(strstr(err.message, "column 14") != NULL);
    CHECK_INT(read_body("", &j, &err), -1);
    CHECK_STR(err.code_name, "malformed_json");
    CHECK_INT(read_body("{\"a\":1,\"a\":2}", &j, &err), -1);   /* duplicate keys refused */
    CHECK_INT(read_body("{\"name\":\"\xff\"}", &j, &err), -1); /* invalid UTF-8 */
    CHECK_INT(read_body("{\"a\": [1, 2]}", &j, &err), 0);
    json_decref(j);
}

TEST(field_helpers)
{
    struct app_error err = {0};
    json_t *o = json_pack("{s:s,s:i,s:f,s:n}", "name", "渝中", "n", 3, "x", 1.5, "nothing");
    const char *s = NULL;
    int64_t n = 0;
    double d = 0;
    CHECK_INT(http_json_string(o, "name", true, &s, &err), 0);
    CHECK_STR(s, "渝中");
    CHECK_INT(http_json_string(o, "n", true, &s, &err), -1);
    CHECK_STR(err.field, "n");
    CHECK_STR(err.code_name, "invalid_type");
    CHECK_INT(http_json_string(o, "missing", true, &s, &err), -1);
    CHECK_STR(err.field, "missing");
    CHECK_STR(err.code_name, "missing_field");
    CHECK_INT(http_json_string(o, "nothing", false, &s, &err), 0);
    CHECK(s == NULL);
    CHECK_INT(http_json_int(o, "n", true, &n, &err), 0);
    CHECK_INT(n, 3);
    CHECK_INT(http_json_int(o, "x", true, &n, &err), -1);
    CHECK_STR(err.field, "x");
    CHECK_INT(http_json_number(o, "x", true, &d, &err), 0);
    CHECK_NEAR(d, 1.5, 1e-12);
    CHECK_INT(http_json_number(o, "name", true, &d, &err), -1);
    json_decref(o);
}

TEST(status_mapping)
{
    CHECK_INT(http_status_of(APP_ERR_INVALID), 400);
    CHECK_INT(http_status_of(APP_ERR_NOT_FOUND), 404);
    CHECK_INT(http_status_of(APP_ERR_METHOD), 405);
    CHECK_INT(http_status_of(APP_ERR_TOO_LARGE), 413);
    CHECK_INT(http_status_of(APP_ERR_UNSUPPORTED), 415);
    CHECK_INT(http_status_of(APP_ERR_INTERNAL), 500);
}

TEST(problem_body)
{
    struct http_response resp = {0};
    http_reply_problem(&resp, APP_ERR_INVALID, "invalid_number", "lat", "lat 无效");
    CHECK_INT(resp.status, 400);
    CHECK_STR(resp.content_type, "application/problem+json");
    json_t *j = json_loads(buf_cstr(&resp.body), 0, NULL);
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "code")), "invalid_number");
    CHECK_STR(json_string_value(json_object_get(j, "field")), "lat");
    CHECK_INT(json_integer_value(json_object_get(j, "status")), 400);
    CHECK(json_object_get(j, "type") && json_object_get(j, "title") &&
          json_object_get(j, "detail"));
    json_decref(j);
    buf_release(&resp.body);
}

TEST_SUITE({"malformed_names_line_and_column", malformed_names_line_and_column},
           {"field_helpers", field_helpers}, {"status_mapping", status_mapping},
           {"problem_body", problem_body});
