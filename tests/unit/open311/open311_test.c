/* Unit tests of the Open311 GeoReport v2 rules: form decoding, the api_key check, validation of
 * a report, the GET requests window, the phase → status_notes mapping and XML escaping. */
#include <stdlib.h>

#include "core/clock.h"
#include "open311/open311.h"
#include "test.h"

TEST(form_decoding)
{
    struct open311_form f;
    struct app_error err = {0};
    static const char body[] = "service_code=1101&description=%E8%B7%AF+%3C%26%3E&lat=29.5"
                               "&attribute%5Burgency%5D=urgent&empty=&flag&&x=a%2Bb";
    CHECK_INT(open311_form_parse(body, sizeof body - 1, &f, &err), 0);
    CHECK_STR(open311_form_get(&f, "service_code"), "1101");
    CHECK_STR(open311_form_get(&f, "description"), "路 <&>");
    CHECK_STR(open311_form_get(&f, "attribute[urgency]"), "urgent");
    CHECK(open311_form_get(&f, "empty") == NULL); /* empty means absent */
    CHECK(open311_form_get(&f, "flag") == NULL);
    CHECK(open311_form_get(&f, "missing") == NULL);
    CHECK_STR(open311_form_get(&f, "x"), "a+b");
    open311_form_release(&f);
    static const char *const bads[] = {"a=%zz", "a=%4", "a=%", "a=%FF%FE", "a=%00b"};
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        CHECK_INT(open311_form_parse(bads[i], strlen(bads[i]), &f, &err), -1);
        CHECK_STR(err.code_name, "malformed_form");
    }
}

TEST(api_key_rule)
{
    struct app_error err = {0};
    CHECK_INT(open311_check_key("", NULL, &err), 0); /* no key configured: open */
    CHECK_INT(open311_check_key(NULL, "x", &err), 0);
    CHECK_INT(open311_check_key("s3cret", "s3cret", &err), 0);
    CHECK_INT(open311_check_key("s3cret", NULL, &err), -1);
    CHECK_INT(err.code, APP_ERR_FORBIDDEN);
    CHECK_INT(open311_check_key("s3cret", "s3cre", &err), -1);
    CHECK_INT(open311_check_key("s3cret", "s3cretX", &err), -1);
}

TEST(report_validation)
{
    struct open311_post p = {.service_code = "1101",
                             .lat = "29.55",
                             .lon = "106.57",
                             .description =
                                 "井盖缺失，行人容易踩空，请尽快处理，谢谢各位工作人员的辛苦付出！",
                             .first_name = "小明",
                             .last_name = "王",
                             .phone = "13800138000"};
    struct event_input in;
    struct app_error err = {0};
    char name[128], title[256], contact[128];
    CHECK_INT(open311_post_to_input(&p, "暴露垃圾", &in, name, sizeof name, title, sizeof title,
                                    contact, sizeof contact, &err),
              0);
    CHECK_INT(in.channel, EVENT_CHANNEL_CITIZEN_QR);
    CHECK_STR(in.category, "1101");
    CHECK_NEAR(in.lat, 29.55, 1e-12);
    CHECK_NEAR(in.lon, 106.57, 1e-12);
    CHECK_STR(in.reporter_name, "王小明");
    CHECK_STR(in.reporter_contact, "13800138000");
    CHECK_INT(in.urgency, -1);
    /* the title: service name and the first 30 characters of the description */
    CHECK_STR(in.title, "暴露垃圾：井盖缺失，行人容易踩空，请尽快处理，谢谢各位工作人员的辛苦付");

    struct open311_post q = p;
    q.urgency = "urgent";
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              0);
    CHECK_INT(in.urgency, EVENT_URGENCY_URGENT);
    q.urgency = "critical"; /* citizens may not raise 特急 */
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              -1);
    CHECK_STR(err.field, "attribute[urgency]");

    q = p;
    q.lat = q.lon = NULL;
    q.address_string = "解放碑";
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              -1);
    CHECK_STR(err.code_name, "location_required");
    q = p;
    q.lat = "90.5";
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              -1);
    CHECK_STR(err.field, "lat");
    q = p;
    q.lon = "106.5e";
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              -1);
    CHECK_STR(err.field, "long");
    q = p;
    q.service_code = NULL;
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              -1);
    CHECK_STR(err.field, "service_code");
    /* 4000 characters (not bytes) is the limit */
    char *long_desc = malloc(4001 * 3 + 1);
    long_desc[0] = 0;
    for (int i = 0; i < 4000; i++)
        memcpy(long_desc + i * 3, "长", 4);
    q = p;
    q.description = long_desc;
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              0);
    memcpy(long_desc + 4000 * 3, "长", 4);
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              -1);
    CHECK_STR(err.field, "description");
    free(long_desc);
    /* both phone and email are kept */
    q = p;
    q.email = "wang@example.cn";
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              0);
    CHECK_STR(in.reporter_contact, "13800138000 / wang@example.cn");
    q.phone = NULL;
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              0);
    CHECK_STR(in.reporter_contact, "wang@example.cn");
    /* media_url: a link, never anything else */
    q = p;
    q.media_url = "javascript:alert(1)";
    CHECK_INT(open311_post_to_input(&q, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              -1);
    CHECK_STR(err.field, "media_url");
    CHECK(open311_media_url_ok("https://fms.example/photo/1.jpeg"));
    CHECK(!open311_media_url_ok("https://a.example/x\"><b>"));
    CHECK(!open311_media_url_ok("ftp://a.example/x"));
}

TEST(crlf_is_one_line_break_and_counts_once)
{
    struct open311_form f;
    struct app_error err = {0};
    /* 3,998 characters and a line break sent as %0D%0A: 3,999 characters, accepted */
    size_t n = 3998 * 9 + 32;
    char *body = malloc(n);
    size_t o = (size_t)snprintf(body, n, "description=");
    for (int i = 0; i < 3998; i++)
        o += (size_t)snprintf(body + o, n - o, "%%E9%%95%%BF");
    snprintf(body + o, n - o, "%%0D%%0Ab");
    CHECK_INT(open311_form_parse(body, strlen(body), &f, &err), 0);
    const char *d = open311_form_get(&f, "description");
    CHECK(d && !strchr(d, '\r'));
    CHECK(strstr(d, "\nb") != NULL);
    struct open311_post p = {
        .service_code = "1101", .lat = "29.55", .lon = "106.57", .description = d};
    struct event_input in;
    char name[128], title[256], contact[128];
    CHECK_INT(open311_post_to_input(&p, "x", &in, name, sizeof name, title, sizeof title, contact,
                                    sizeof contact, &err),
              0);
    open311_form_release(&f);
    free(body);
}

TEST(keyed_quota)
{
    int64_t times[3] = {1000, 990, 980};
    int64_t wait = 0;
    CHECK(open311_quota_allow(times, 2, 1001, 3, 60, &wait));
    CHECK(!open311_quota_allow(times, 3, 1001, 3, 60, &wait));
    CHECK_INT(wait, 39);
    CHECK(open311_quota_allow(times, 3, 1041, 3, 60, &wait));
}

static int64_t T(const char *s)
{
    int64_t t;
    struct app_error err = {0};
    if (clock_parse(s, &t, "t", &err))
        abort();
    return t;
}

TEST(request_window)
{
    struct open311_filter f;
    struct app_error err = {0};
    int64_t now = T("2026-11-29T12:00:00+08:00");
    CHECK_INT(open311_filter_parse(NULL, NULL, NULL, NULL, NULL, now, &f, &err), 0);
    CHECK_INT(f.end, now);
    CHECK_INT(f.start, now - 90 * 86400); /* default: the last 90 days */
    CHECK_INT(open311_filter_parse(NULL, "", "2026-11-01T00:00:00Z", NULL, "open", now, &f, &err),
              0);
    CHECK_INT(f.end, now);
    CHECK_STR(f.status, "open");
    CHECK(f.service_code == NULL);
    CHECK_INT(open311_filter_parse(NULL, NULL, "2026-01-01T00:00:00Z", NULL, NULL, now, &f, &err),
              0);
    CHECK_INT(f.end, T("2026-04-01T00:00:00Z")); /* start + 90 days */
    CHECK_INT(open311_filter_parse(NULL, NULL, NULL, "2026-06-01T00:00:00Z", "open,closed", now, &f,
                                   &err),
              0);
    CHECK(f.status == NULL);
    CHECK_INT(f.start, T("2026-03-03T00:00:00Z"));
    CHECK_INT(open311_filter_parse(NULL, NULL, "2026-01-01T00:00:00Z", "2026-04-02T00:00:00Z", NULL,
                                   now, &f, &err),
              -1);
    CHECK_STR(err.code_name, "period_too_long");
    CHECK_INT(open311_filter_parse(NULL, NULL, "2026-11-20T00:00:00Z", "2026-11-10T00:00:00Z", NULL,
                                   now, &f, &err),
              -1);
    CHECK_STR(err.field, "end_date");
    CHECK_INT(open311_filter_parse(NULL, NULL, NULL, NULL, "pending", now, &f, &err), -1);
    CHECK_STR(err.field, "status");
    CHECK_INT(open311_filter_parse(NULL, NULL, "tomorrow", NULL, NULL, now, &f, &err), -1);
    CHECK_STR(err.field, "start_date");
    CHECK_INT(open311_filter_parse("a,b", NULL, NULL, NULL, NULL, now, &f, &err), 0);
    CHECK_STR(f.ids, "a,b");
}

TEST(status_notes_from_phase)
{
    struct event e = {.state = EVENT_STATE_HANDLING};
    char out[192];
    open311_status_notes(&e, "已派遣至区城市管理局", out, sizeof out);
    CHECK_STR(out, "处置：已派遣至区城市管理局");
    open311_status_notes(&e, NULL, out, sizeof out);
    CHECK_STR(out, "处置");
    e.state = EVENT_STATE_MERGED;
    snprintf(e.merged_into, sizeof e.merged_into, "500103-20261129-00001");
    open311_status_notes(&e, "x", out, sizeof out);
    CHECK_STR(out, "并案：已并入 500103-20261129-00001");
    /* open/closed follows the event module's rule */
    CHECK(event_state_open(EVENT_STATE_VERIFYING));
    CHECK(!event_state_open(EVENT_STATE_VOIDED));
    CHECK(!event_state_open(EVENT_STATE_CLOSED));
}

TEST(xml_writer)
{
    struct buf b = BUF_INIT;
    open311_xml_begin(&b);
    open311_xml_text(&b, "description", "a<b>&\"c\" 'd'\x01\t井");
    open311_xml_text(&b, "empty", NULL);
    CHECK_STR(buf_cstr(&b),
              "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
              "<description>a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;\t井</description>"
              "<empty></empty>");
    buf_release(&b);
    char t[32];
    open311_datetime(T("2026-11-29T10:00:00Z"), t, sizeof t);
    CHECK_STR(t, "2026-11-29T18:00:00+08:00");
}

TEST_SUITE({"crlf_is_one_line_break_and_counts_once", crlf_is_one_line_break_and_counts_once},
           {"keyed_quota", keyed_quota}, {"form_decoding", form_decoding},
           {"api_key_rule", api_key_rule}, {"report_validation", report_validation},
           {"request_window", request_window}, {"status_notes_from_phase", status_notes_from_phase},
           {"xml_writer", xml_writer});
