/* The CSV reader: quotes and doubled quotes, CRLF and LF, a leading BOM, embedded newlines,
 * blank lines, and invalid UTF-8 reported with its line number. */
#include "core/csv.h"
#include "test.h"

TEST(quotes_crlf_bom)
{
    static const char text[] = "\xEF\xBB\xBFlevel,code,name\r\n"
                               "grid,\"500103001003001\",\"华一坡 \"\"第1\"\" 网格\"\r\n"
                               "\r\n"
                               "street,500103001,\"多行\n名称\"\n"
                               "x,,\n";
    struct csv_reader r;
    struct app_error err = {0};
    csv_init(&r, text, sizeof(text) - 1);
    CHECK_INT(csv_next(&r, &err), 1);
    CHECK_INT(r.nfields, 3);
    CHECK_STR(r.fields[0], "level"); /* the BOM is not part of the first name */
    CHECK_INT(csv_column(&r, "name"), 2);
    CHECK_INT(csv_column(&r, "nope"), -1);
    CHECK_INT(r.line, 1);
    CHECK_INT(csv_next(&r, &err), 1);
    CHECK_STR(r.fields[1], "500103001003001");
    CHECK_STR(r.fields[2], "华一坡 \"第1\" 网格");
    CHECK_INT(r.line, 2);
    CHECK_INT(csv_next(&r, &err), 1); /* the blank line is skipped */
    CHECK_INT(r.line, 4);
    CHECK_STR(r.fields[2], "多行\n名称");
    CHECK_INT(csv_next(&r, &err), 1);
    CHECK_INT(r.line, 6); /* the quoted newline counted */
    CHECK_INT(r.nfields, 3);
    CHECK_STR(r.fields[1], "");
    CHECK_INT(csv_next(&r, &err), 0);
    csv_release(&r);
}

TEST(bad_utf8_names_the_line)
{
    static const char text[] = "a,b\nok,fine\nbad,\xC3\x28\n";
    struct csv_reader r;
    struct app_error err = {0};
    csv_init(&r, text, sizeof(text) - 1);
    CHECK_INT(csv_next(&r, &err), 1);
    CHECK_INT(csv_next(&r, &err), 1);
    CHECK_INT(csv_next(&r, &err), -1);
    CHECK_STR(err.code_name, "invalid_utf8");
    CHECK(strstr(err.message, "line 3") != NULL);
    csv_release(&r);
}

TEST(unterminated_quote)
{
    static const char text[] = "a,b\n\"open,x\n";
    struct csv_reader r;
    struct app_error err = {0};
    csv_init(&r, text, sizeof(text) - 1);
    CHECK_INT(csv_next(&r, &err), 1);
    CHECK_INT(csv_next(&r, &err), -1);
    CHECK_STR(err.code_name, "csv_unterminated_quote");
    CHECK(strstr(err.message, "line 2") != NULL);
    csv_release(&r);
}

TEST(utf8_valid_rules)
{
    CHECK(utf8_valid("渝中区", strlen("渝中区")));
    CHECK(utf8_valid("", 0));
    CHECK(utf8_valid("\xF0\x9F\x98\x80", 4));  /* U+1F600 */
    CHECK(!utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    CHECK(!utf8_valid("\xED\xA0\x80", 3));     /* surrogate U+D800 */
    CHECK(!utf8_valid("\xE6\xB8", 2));         /* truncated */
    CHECK(!utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    CHECK(!utf8_valid("\xFF", 1));
}

TEST_SUITE({"quotes_crlf_bom", quotes_crlf_bom},
           {"bad_utf8_names_the_line", bad_utf8_names_the_line},
           {"unterminated_quote", unterminated_quote}, {"utf8_valid_rules", utf8_valid_rules});
