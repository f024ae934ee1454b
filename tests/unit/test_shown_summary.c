/*
 * test_shown_summary.c - the checks on the summary a device showed the
 * customer before they signed (server/rules/shown_summary.c): none sent
 * is none; a valid one gives its total; every other shape is
 * invalid_summary with the field and a message naming what is wrong,
 * checked in order (the pair, the size, the hash, the text, the JSON).
 */
#include "common/sec.h"
#include "rules/shown_summary.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define JOB 42

static struct shown_summary sum;
static struct err err;

/* Check text with its own hash (or hash_len bytes of it, or, with
 * other, the hash of another text). */
static int check(const char *text, size_t hash_len, int other)
{
    unsigned char h[SEC_HASH_BYTES];

    sec_hash(other ? "{}" : text, other ? 2 : strlen(text), h);
    err = (struct err)ERR_INIT;
    return shown_summary_check((const unsigned char *)text, strlen(text), h,
                               hash_len, JOB, &sum, &err);
}

static void refused(const char *field, const char *msg)
{
    ck_assert_int_eq(err.rc, ERR_INVALID);
    ck_assert_str_eq(err.code, "invalid_summary");
    ck_assert_str_eq(err.field, field);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_int_eq(sum.present, 0);
}

START_TEST(none_sent_is_none)
{
    ck_assert_int_eq(check("", 0, 0), 0);
    ck_assert_int_eq(sum.present, 0);
}
END_TEST

START_TEST(a_valid_summary_gives_its_total)
{
    ck_assert_int_eq(check("{\"currency\":\"EUR\",\"job_id\":42,"
                           "\"lines\":[{\"text\":\"Pump \xc3\xa9\"}],"
                           "\"total_minor\":8400}",
                           32, 0),
                     0);
    ck_assert_int_eq(sum.present, 1);
    ck_assert_int_eq(sum.total_minor, 8400);
}
END_TEST

START_TEST(the_pair_size_and_hash_come_first)
{
    static const char ok[] =
        "{\"job_id\":42,\"total_minor\":1,\"currency\":\"EUR\"}";
    char *big = malloc(SHOWN_SUMMARY_MAX + 2);

    ck_assert_int_eq(check(ok, 0, 0), ERR_INVALID);
    refused("summary_hash", "the summary was sent without summary_hash");
    ck_assert_int_eq(check("", 32, 0), ERR_INVALID);
    refused("summary", "summary_hash was sent without the summary it is the"
                       " hash of");
    ck_assert_int_eq(check(ok, 16, 0), ERR_INVALID);
    refused("summary_hash", "summary_hash is 16 bytes; a BLAKE2b-256 hash is"
                            " 32");
    ck_assert_int_eq(check(ok, 32, 1), ERR_INVALID);
    refused("summary_hash", "summary_hash is not the BLAKE2b-256 of the"
                            " summary sent");
    memset(big, ' ', SHOWN_SUMMARY_MAX + 1);
    big[SHOWN_SUMMARY_MAX + 1] = '\0';
    ck_assert_int_eq(check(big, 32, 0), ERR_INVALID);
    refused("summary", "the summary is 16385 bytes; at most 16384");
    free(big);
}
END_TEST

START_TEST(the_text_must_be_a_json_object_naming_the_job)
{
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"{\"job_id\":42,\"x\":\"\xc3\"}", "the summary is not UTF-8 text"},
        {"[42]", "the summary is not a JSON object"},
        {"{\"job_id\":42,\"job_id\":42,\"total_minor\":1,\"currency\":\"E\"}",
         NULL},
        {"{\"total_minor\":1,\"currency\":\"EUR\"}",
         "the summary has no integer \"job_id\""},
        {"{\"job_id\":7,\"total_minor\":1,\"currency\":\"EUR\"}",
         "the summary is of job 7, not of job 42"},
        {"{\"job_id\":42,\"total_minor\":\"1\",\"currency\":\"EUR\"}",
         "the summary has no integer \"total_minor\""},
        {"{\"job_id\":42,\"total_minor\":1,\"currency\":978}",
         "the summary has no \"currency\" (an ISO 4217 code)"},
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(check(bad[i].text, 32, 0), ERR_INVALID);
        if (bad[i].msg) {
            refused("summary", bad[i].msg);
        } else { /* jansson's own words follow */
            ck_assert_str_eq(err.code, "invalid_summary");
            ck_assert(strncmp(err.msg,
                              "the summary is not a JSON object: ", 34) == 0);
        }
    }
}
END_TEST

START_TEST(a_nul_byte_is_not_text)
{
    static const char text[] = "{\"job_id\":42}\0";
    unsigned char h[SEC_HASH_BYTES];

    sec_hash(text, sizeof text - 1, h);
    err = (struct err)ERR_INIT;
    ck_assert_int_eq(shown_summary_check((const unsigned char *)text,
                                         sizeof text - 1, h, 32, JOB, &sum,
                                         &err),
                     ERR_INVALID);
    refused("summary", "the summary is not UTF-8 text");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shown_summary");
    TCase *tc = tcase_create("check");

    tcase_add_test(tc, none_sent_is_none);
    tcase_add_test(tc, a_valid_summary_gives_its_total);
    tcase_add_test(tc, the_pair_size_and_hash_come_first);
    tcase_add_test(tc, the_text_must_be_a_json_object_naming_the_job);
    tcase_add_test(tc, a_nul_byte_is_not_text);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
