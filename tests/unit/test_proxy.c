/*
 * test_proxy.c - the client behind trusted proxies: X-Forwarded-For and
 * X-Forwarded-Proto are believed only from a peer in --trusted-proxy, the
 * list is read from the right past trusted hops, and a list that is not
 * addresses is not believed at all.
 */
#include "http/proxy.h"
#include "testutil.h"

#include <check.h>

static const char *client(const char *trusted, const char *peer,
                          const char *xff)
{
    static char out[64];

    proxy_client(trusted, peer, xff, out, sizeof out);
    return out;
}

START_TEST(only_trusted_peers_are_believed)
{
    ck_assert_str_eq(client("", "127.0.0.1", "203.0.113.7"), "127.0.0.1");
    ck_assert_str_eq(client("10.0.0.1", "127.0.0.1", "203.0.113.7"),
                     "127.0.0.1");
    ck_assert_str_eq(client("127.0.0.1", "127.0.0.1", "203.0.113.7"),
                     "203.0.113.7");
    ck_assert_str_eq(client("::1, 127.0.0.1", "127.0.0.1", " 2001:db8::5 "),
                     "2001:db8::5");
    ck_assert_str_eq(client("127.0.0.1", "127.0.0.1", NULL), "127.0.0.1");
    /* a prefix of a trusted address is not trusted */
    ck_assert_str_eq(client("127.0.0.10", "127.0.0.1", "203.0.113.7"),
                     "127.0.0.1");
}
END_TEST

START_TEST(the_list_is_read_from_the_right)
{
    /* a client may put anything first: only what the proxies added counts */
    ck_assert_str_eq(client("127.0.0.1", "127.0.0.1",
                            "1.2.3.4, 198.51.100.9"),
                     "198.51.100.9");
    ck_assert_str_eq(client("127.0.0.1,10.0.0.2", "127.0.0.1",
                            "1.2.3.4, 198.51.100.9, 10.0.0.2"),
                     "198.51.100.9");
    /* every hop trusted: the left-most */
    ck_assert_str_eq(client("127.0.0.1,10.0.0.2", "127.0.0.1",
                            "10.0.0.2"),
                     "10.0.0.2");
    ck_assert_str_eq(client("127.0.0.1", "127.0.0.1", "evil, 198.51.100.9"),
                     "198.51.100.9");
    /* not addresses where it matters: believed not at all */
    ck_assert_str_eq(client("127.0.0.1", "127.0.0.1", "unknown"),
                     "127.0.0.1");
    ck_assert_str_eq(client("127.0.0.1", "127.0.0.1", ""), "127.0.0.1");
    ck_assert_str_eq(client("127.0.0.1", "127.0.0.1", "198.51.100.9,"),
                     "127.0.0.1");
}
END_TEST

START_TEST(https_only_from_a_trusted_peer)
{
    ck_assert_int_eq(proxy_https("127.0.0.1", "127.0.0.1", "https"), 1);
    ck_assert_int_eq(proxy_https("127.0.0.1", "127.0.0.1", "HTTPS"), 1);
    ck_assert_int_eq(proxy_https("127.0.0.1", "127.0.0.1", "http"), 0);
    ck_assert_int_eq(proxy_https("127.0.0.1", "127.0.0.1", NULL), 0);
    ck_assert_int_eq(proxy_https("", "127.0.0.1", "https"), 0);
    ck_assert_int_eq(proxy_trusted("a,,b", ""), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("proxy");
    TCase *tc = tcase_create("forwarded");

    tcase_add_test(tc, only_trusted_peers_are_believed);
    tcase_add_test(tc, the_list_is_read_from_the_right);
    tcase_add_test(tc, https_only_from_a_trusted_peer);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
