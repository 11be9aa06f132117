/* Fuzz request-body decoding: http_read_json on any bytes gives a document or "malformed_json"
 * naming the body; the typed field helpers on whatever came back name their field; and the
 * problem+json built from any such error is itself valid JSON with all its members. */
#include <assert.h>

#include "fuzz.h"
#include "http/http.h"

static void check_problem(const struct app_error *err)
{
    struct http_response resp = {0};
    http_reply_error(&resp, err);
    json_t *p = json_loadb(buf_cstr(&resp.body), resp.body.len, 0, NULL);
    assert(p);
    assert(json_is_string(json_object_get(p, "detail")));
    assert(json_is_string(json_object_get(p, "code")));
    assert(json_integer_value(json_object_get(p, "status")) == resp.status);
    json_decref(p);
    buf_release(&resp.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_request req = {0};
    char *body = fuzz_cstr(data, size);
    req.body = body;
    req.body_len = size;
    json_t *j = NULL;
    struct app_error err = {0};
    if (http_read_json(&req, &j, &err) == 0) {
        const char *s;
        int64_t n;
        double d;
        /* Each helper either fills its output or names the member at fault. */
        static const char *const keys[] = {"name", "code", "lon", "lat", "limit", ""};
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
            struct app_error e = {0};
            if (http_json_string(j, keys[i], i % 2 == 0, &s, &e))
                assert(strcmp(e.field, keys[i]) == 0), check_problem(&e);
            if (http_json_int(j, keys[i], false, &n, &e))
                assert(strcmp(e.field, keys[i]) == 0);
            if (http_json_number(j, keys[i], true, &d, &e))
                assert(strcmp(e.field, keys[i]) == 0);
        }
        json_decref(j);
    } else {
        assert(strcmp(err.code_name, "malformed_json") == 0);
        assert(strcmp(err.field, "body") == 0);
        check_problem(&err);
    }
    /* An error message that echoes raw input, as handlers do with paths and values. */
    app_fail(&err, APP_ERR_NOT_FOUND, "not_found", body, "没有 %s", body);
    check_problem(&err);
    free(body);
    return 0;
}
