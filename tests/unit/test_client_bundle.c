/*
 * test_client_bundle.c - the device's checks on bundles (PROTOCOL.md
 * section 8), with bundles made by the server's own codec: a good bundle
 * applies; the same one again is a no-op; an older one (rollback), one for
 * another device, an expired one, one sealed to another device, one that
 * does not follow the chain, one signed by an unknown key and a truncated
 * one are each refused with their code and change nothing in the store.
 */
#include "client_int.h"
#include "common/sec.h"
#include "sync/codec.h"
#include "testutil.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *dir;
static fsd_client *c;
static uint8_t server_pk[32], server_sk[64];
static char server_kid[17];
static struct sync_device dev;
static uint8_t box_sk[32];

static void setup(void)
{
    char path[300], err[200];

    ck_assert_int_ge(sodium_init(), 0);
    dir = tu_tempdir();
    snprintf(path, sizeof path, "%s/device.db", dir);
    ck_assert_int_eq(fsd_open(path, &c, err, sizeof err), FSD_OK);
    crypto_sign_keypair(server_pk, server_sk);
    sec_key_id(server_pk, server_kid);
    memset(&dev, 0, sizeof dev);
    dev.id = 7;
    dev.technician_id = 3;
    crypto_box_keypair(dev.box_pk, box_sk);
    ck_assert_int_eq(client_meta_set_int(c, "device_id", 7), 0);
    ck_assert_int_eq(client_meta_set_int(c, "technician_id", 3), 0);
    ck_assert_int_eq(client_meta_set_int(c, "keyset_version", 1), 0);
    ck_assert_int_eq(client_meta_set_blob(c, "server_pk", server_pk, 32), 0);
    ck_assert_int_eq(client_meta_set_blob(c, "box_pk", dev.box_pk, 32), 0);
    ck_assert_int_eq(client_meta_set_blob(c, "box_sk", box_sk, 32), 0);
}

static void teardown(void)
{
    fsd_close(c);
    tu_rmtree(dir);
    free(dir);
}

/* A bundle of one job (id job, status) for d, number seq after prev. */
static uint8_t *bundle(const struct sync_device *d, uint64_t seq,
                       const uint8_t prev[32], int64_t issued, int64_t job,
                       uint8_t hash[32], size_t *len)
{
    struct bundle_keys k = {d, server_sk, server_kid, 1, issued};
    struct sync_content ct;
    struct err err = ERR_INIT;
    uint8_t *out;

    memset(&ct, 0, sizeof ct);
    ct.jobs = json_pack("[{s:I, s:i, s:s, s:s, s:[]}]", "id",
                        (json_int_t)job, "version", 4, "status", "assigned",
                        "kind", "repair", "part_lines");
    ct.removed = json_array();
    ct.checkpoint = 100 + seq;
    ct.bundle_seq = seq;
    memcpy(ct.prev_hash, prev, 32);
    ck_assert_int_eq(codec_bundle(&k, &ct, NULL, 0, &out, len, &err), 0);
    memcpy(hash, ct.hash, 32);
    json_decref(ct.jobs);
    json_decref(ct.removed);
    return out;
}

static int apply(const uint8_t *b, size_t len)
{
    struct fsd_sync_result res;
    int more;

    memset(&res, 0, sizeof res);
    return client_apply_bundle(c, b, len, &res, &more);
}

static void jobs_seen(const struct fsd_job_view *j, void *arg)
{
    (void)j;
    (*(int *)arg)++;
}

static int jobs(void)
{
    int n = 0;

    ck_assert_int_eq(fsd_jobs(c, jobs_seen, &n), FSD_OK);
    return n;
}

/* Refused with code, and the store still at bundle 1, one job. */
static void refused(const uint8_t *b, size_t len, const char *code)
{
    ck_assert_int_eq(apply(b, len), FSD_ERR_VERIFY);
    ck_assert_msg(!strncmp(fsd_last_error(c), code, strlen(code)),
                  "expected %s, got %s", code, fsd_last_error(c));
    ck_assert_int_eq(client_meta_int(c, "bundle_seq"), 1);
    ck_assert_int_eq(client_meta_int(c, "cursor"), 101);
    ck_assert_int_eq(jobs(), 1);
}

START_TEST(bundles_are_checked_in_protocol_order)
{
    uint8_t zero[32] = {0}, h1[32], h2[32], hx[32], *b1, *b2, *bad;
    int64_t now = (int64_t)time(NULL);
    struct sync_device other = dev;
    uint8_t other_sk[32], fake_sk[64], fake_pk[32];
    size_t l1, l2, lb;

    b1 = bundle(&dev, 1, zero, now, 11, h1, &l1);
    ck_assert_int_eq(apply(b1, l1), FSD_OK);
    ck_assert_int_eq(jobs(), 1);
    ck_assert_int_eq(apply(b1, l1), FSD_OK); /* the same again: no-op */
    ck_assert_int_eq(client_meta_int(c, "bundle_seq"), 1);

    other.id = 8; /* another device's bundle */
    bad = bundle(&other, 2, h1, now, 12, hx, &lb);
    refused(bad, lb, "wrong_audience");
    free(bad);
    bad = bundle(&dev, 2, h1, now - 2 * 86400, 12, hx, &lb);
    refused(bad, lb, "expired");
    free(bad);
    bad = bundle(&dev, 2, zero, now, 12, hx, &lb);
    refused(bad, lb, "broken_chain");
    free(bad);
    crypto_box_keypair(other.box_pk, other_sk); /* sealed to another key */
    other.id = dev.id;
    bad = bundle(&other, 2, h1, now, 12, hx, &lb);
    refused(bad, lb, "unsealable");
    free(bad);
    bad = bundle(&dev, 2, h1, now, 12, hx, &lb);
    refused(bad, lb / 2, "malformed_envelope");
    bad[lb - 1] ^= 1;
    refused(bad, lb, "bad_signature");
    free(bad);
    crypto_sign_keypair(fake_pk, fake_sk); /* a key nobody trusts */
    memcpy(server_sk, fake_sk, 64);
    sec_key_id(fake_pk, server_kid);
    bad = bundle(&dev, 2, h1, now, 12, hx, &lb);
    ck_assert_int_eq(apply(bad, lb), FSD_ERR_STATE); /* no server to ask */
    free(bad);

    /* bundle 2 applies; then bundle 1 again is a rollback */
    crypto_sign_keypair(server_pk, server_sk);
    sec_key_id(server_pk, server_kid);
    ck_assert_int_eq(client_meta_set_blob(c, "server_pk", server_pk, 32), 0);
    free(b1);
    b1 = bundle(&dev, 1, zero, now, 11, h1, &l1);
    b2 = bundle(&dev, 2, h1, now, 12, h2, &l2);
    ck_assert_int_eq(apply(b2, l2), FSD_ERR_VERIFY); /* chain from old h1 */
    ck_assert_int_eq(client_meta_set_blob(c, "last_bundle_hash", h1, 32), 0);
    ck_assert_int_eq(apply(b2, l2), FSD_OK);
    ck_assert_int_eq(jobs(), 2);
    ck_assert_int_eq(apply(b1, l1), FSD_ERR_VERIFY);
    ck_assert_msg(!strncmp(fsd_last_error(c), "rollback", 8), "%s",
                  fsd_last_error(c));
    ck_assert_int_eq(client_meta_int(c, "bundle_seq"), 2);
    free(b1);
    free(b2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("client_bundle");
    TCase *tc = tcase_create("checks");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, bundles_are_checked_in_protocol_order);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
