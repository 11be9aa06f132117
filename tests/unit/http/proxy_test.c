/* Trusted proxies: parsing the setting, matching addresses and networks (IPv4, IPv6,
 * IPv4-mapped), and which X-Forwarded-For entry is the client. */
#include "http/proxy.h"
#include "test.h"

TEST(parse_and_match)
{
    struct proxy_list l;
    struct app_error err = {0};
    CHECK_INT(proxy_parse("127.0.0.1, ::1 10.0.0.0/8,192.168.1.0/25", &l, &err), 0);
    CHECK_INT(l.len, 4);
    CHECK(proxy_trusted(&l, "127.0.0.1"));
    CHECK(proxy_trusted(&l, "::ffff:127.0.0.1"));
    CHECK(proxy_trusted(&l, "::1"));
    CHECK(proxy_trusted(&l, "10.200.3.4"));
    CHECK(proxy_trusted(&l, "192.168.1.127"));
    CHECK(!proxy_trusted(&l, "192.168.1.128"));
    CHECK(!proxy_trusted(&l, "127.0.0.2"));
    CHECK(!proxy_trusted(&l, "unknown"));
    CHECK(!proxy_trusted(&l, NULL));
    CHECK_INT(proxy_parse("", &l, &err), 0);
    CHECK_INT(l.len, 0);
    CHECK(!proxy_trusted(&l, "127.0.0.1"));
    CHECK_INT(proxy_parse("10.0.0.0/33", &l, &err), -1);
    CHECK_STR(err.field, "trusted_proxies");
    CHECK_INT(proxy_parse("proxy.example", &l, &err), -1);
    CHECK_INT(proxy_parse("10.0.0.0/", &l, &err), -1);
}

TEST(client_behind_proxies)
{
    struct proxy_list l;
    struct app_error err = {0};
    char out[64];
    CHECK_INT(proxy_parse("127.0.0.1, 10.0.0.0/8", &l, &err), 0);
    /* Untrusted peer: its headers are not believed. */
    proxy_client(&l, "203.0.113.9", "198.51.100.1", out, sizeof(out));
    CHECK_STR(out, "203.0.113.9");
    /* Trusted peer: the rightmost untrusted entry, so a client cannot hide behind a forged
     * entry it wrote at the left itself. */
    proxy_client(&l, "127.0.0.1", "1.2.3.4, 198.51.100.1", out, sizeof(out));
    CHECK_STR(out, "198.51.100.1");
    proxy_client(&l, "127.0.0.1", "198.51.100.1, 10.1.1.1", out, sizeof(out));
    CHECK_STR(out, "198.51.100.1");
    proxy_client(&l, "127.0.0.1", NULL, out, sizeof(out));
    CHECK_STR(out, "127.0.0.1");
    /* Garbage stops the walk at the last good entry. */
    proxy_client(&l, "127.0.0.1", "198.51.100.1, <script>", out, sizeof(out));
    CHECK_STR(out, "127.0.0.1");
    proxy_client(&l, "127.0.0.1", "evil, 198.51.100.2", out, sizeof(out));
    CHECK_STR(out, "198.51.100.2");
    CHECK(proxy_tls(&l, "127.0.0.1", "https"));
    CHECK(!proxy_tls(&l, "127.0.0.1", "http"));
    CHECK(!proxy_tls(&l, "203.0.113.9", "https"));
    CHECK(!proxy_tls(&l, "127.0.0.1", NULL));
}

TEST_SUITE({"parse_and_match", parse_and_match}, {"client_behind_proxies", client_behind_proxies});
