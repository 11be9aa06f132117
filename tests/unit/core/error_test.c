/* Error records: a message or field cut at its buffer's end stays valid UTF-8 (a problem+json
 * detail must be text), and codes have their generic names. */
#include "core/csv.h"
#include "core/error.h"
#include "test.h"

TEST(truncated_chinese_stays_utf8)
{
    struct app_error err;
    char long_text[1200] = "";
    /* 3-byte characters after 0, 1 and 2 ASCII bytes hit every cut position in 255 bytes. */
    for (int lead = 0; lead < 3; lead++) {
        size_t o = 0;
        for (int i = 0; i < lead; i++)
            long_text[o++] = 'a';
        for (int i = 0; i < 300; i++) {
            memcpy(long_text + o, "网", 3);
            o += 3;
        }
        long_text[o] = '\0';
        app_fail(&err, APP_ERR_INVALID, "too_long", long_text, "%s", long_text);
        CHECK(utf8_valid(err.message, strlen(err.message)));
        CHECK(utf8_valid(err.field, strlen(err.field)));
        CHECK(strlen(err.message) >= sizeof(err.message) - 4); /* only the cut char is dropped */
        CHECK(strlen(err.field) >= sizeof(err.field) - 4);
    }
    /* A 4-byte character (U+1F600) cut anywhere. */
    size_t o = 0;
    for (int i = 0; i < 300; i++) {
        memcpy(long_text + o, "\xF0\x9F\x98\x80", 4);
        o += 4;
        if (o > 1100)
            break;
    }
    long_text[o] = '\0';
    for (int lead = 0; lead < 4; lead++) {
        app_fail(&err, APP_ERR_INVALID, NULL, NULL, "%.*s%s", lead, "abc", long_text);
        CHECK(utf8_valid(err.message, strlen(err.message)));
    }
}

TEST(short_text_untouched)
{
    struct app_error err;
    CHECK_INT(app_fail(&err, APP_ERR_NOT_FOUND, NULL, "code", "没有 %s", "网格"), -1);
    CHECK_STR(err.message, "没有 网格");
    CHECK_STR(err.code_name, "not_found");
    CHECK_STR(err.field, "code");
    CHECK_STR(app_error_name((enum app_error_code)99), "internal");
    CHECK_INT(app_fail(NULL, APP_ERR_INVALID, NULL, NULL, "x"), -1);
}

TEST_SUITE({"truncated_chinese_stays_utf8", truncated_chinese_stays_utf8},
           {"short_text_untouched", short_text_untouched});
