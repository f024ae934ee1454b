/*
 * e2e_keys.c - the server's keys as a device meets them (proto/PROTOCOL.md
 * sections 5 and 11), against a server of their own (a rotation changes
 * its keys): the enrollment reply carries the current keyset exactly as
 * it was signed and the chain of rotations before it, and a batch sent
 * again after a rotation gets its stored bundle issued anew by the new
 * key, the chain going on from it.
 */
#include "common/sec.h"
#include "device.h"
#include "fixture.h"
#include "suites.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The server's current bundle-signing key, as a new device pins it. */
static void current_key(struct e2e_client *desk, int64_t tech,
                        struct envelope_key *key)
{
    struct device fresh;

    device_enroll(desk, tech, &fresh);
    *key = fresh.server;
}

static void rotate_key(void)
{
    char cmd[800];

    snprintf(cmd, sizeof cmd,
             "%s rotate-key --db %s --log-level warn"
             " >/dev/null",
             getenv("FSD_SERVER") ? getenv("FSD_SERVER") : "build/fsd-server",
             e2e_srv.db);
    ck_assert_int_eq(system(cmd), 0);
}

/* The EnrollReply of a new device of tech, unpacked, with the envelope
 * verified by the key its own keyset names. */
static Fsd__V1__EnrollReply *enroll_reply(struct e2e_client *desk, int64_t tech)
{
    struct device d;
    struct bytes reply;
    struct envelope_key key;
    struct err err = ERR_INIT;
    Fsd__V1__Envelope *env;
    Fsd__V1__EnrollReply *er;
    char code[16];
    uint8_t *body;
    size_t len;

    device_new(&d);
    new_code(desk, tech, code, sizeof code);
    enroll_envelope(&d, code, d.sign_sk, &body, &len);
    ck_assert_int_eq(post_bytes("/sync/v1/enroll", body, len,
                                "application/x-protobuf", &reply),
                     200);
    ck_assert_int_eq(
        envelope_unpack(reply.data, reply.len, reply.len, &env, &err), 0);
    er = fsd__v1__enroll_reply__unpack(NULL, env->payload.len,
                                       env->payload.data);
    ck_assert_ptr_nonnull(er);
    ck_assert_uint_eq(er->keyset->n_keys, 1);
    memcpy(key.pk, er->keyset->keys[0]->ed25519.data, 32);
    sec_key_id(key.pk, key.key_id);
    ck_assert_int_eq(envelope_verify(env, "fsd.v1.EnrollReply", &key, 1, &err),
                     0);
    fsd__v1__envelope__free_unpacked(env, NULL);
    free(reply.data);
    free(body);
    return er;
}

START_TEST(the_enroll_reply_carries_the_keysets_as_signed)
{
    struct e2e_client desk;
    Fsd__V1__EnrollReply *er;
    Fsd__V1__Keyset *signed_ks;
    int64_t tech = make_technician();
    e2e_as_role(&desk, "dispatcher", NULL);
    er = enroll_reply(&desk, tech);
    ck_assert_uint_eq(er->keyset->version, 1);
    ck_assert_uint_eq(er->n_keyset_chain, 0);
    /* version 1 was issued with the server's key, before now */
    ck_assert_int_gt(er->keyset->issued_at, 0);
    ck_assert_int_le(er->keyset->issued_at, (int64_t)time(NULL));
    fsd__v1__enroll_reply__free_unpacked(er, NULL);
    rotate_key();
    er = enroll_reply(&desk, tech);
    ck_assert_uint_eq(er->keyset->version, 2);
    ck_assert_uint_eq(er->n_keyset_chain, 1);
    ck_assert_str_eq(er->keyset_chain[0]->payload_type, "fsd.v1.Keyset");
    signed_ks = fsd__v1__keyset__unpack(NULL, er->keyset_chain[0]->payload.len,
                                        er->keyset_chain[0]->payload.data);
    ck_assert_ptr_nonnull(signed_ks);
    /* the keyset handed out is the one signed at the rotation */
    ck_assert_uint_eq(signed_ks->version, 2);
    ck_assert_int_eq(signed_ks->issued_at, er->keyset->issued_at);
    ck_assert_str_eq(signed_ks->keys[0]->key_id, er->keyset->keys[0]->key_id);
    ck_assert_uint_eq(er->keyset_chain[0]->n_sigs, 2);
    fsd__v1__keyset__free_unpacked(signed_ks, NULL);
    fsd__v1__enroll_reply__free_unpacked(er, NULL);
    e2e_client_release(&desk);
}
END_TEST

START_TEST(a_retry_after_a_rotation_is_signed_anew)
{
    struct e2e_client desk;
    struct device d;
    struct bytes sent, lost, again, next;
    struct muts b;
    Fsd__V1__SealedJobs *jobs;
    Fsd__V1__Bundle *first, *second, *third;
    int64_t tech = make_technician(), job;
    unsigned char hash[32];
    char id[32];

    e2e_as_role(&desk, "dispatcher", NULL);
    job = job_assigned(&desk, tech, NULL);
    device_enroll(&desk, tech, &d);
    snprintf(id, sizeof id, "%lld-1", (long long)d.id);
    en_route(&b, 0, id, job);
    ck_assert_int_eq(device_sync(&d, d.sign_sk, 1, 0, b.pm, 1, &lost, &sent),
                     200);
    first = device_open_bundle(&d, &lost, &jobs);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    /* the reply was lost; meanwhile the key was rotated, and the device
     * learned the new keyset before it sent the batch again */
    rotate_key();
    current_key(&desk, tech, &d.server);
    ck_assert_str_ne(d.server.key_id, first->signer_key_id);
    ck_assert_int_eq(post_bytes("/sync/v1/sync", sent.data, sent.len,
                                "application/x-protobuf", &again),
                     200);
    second = device_open_bundle(&d, &again, &jobs); /* the new key's */
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    ck_assert_uint_eq(second->bundle_seq, first->bundle_seq);
    ck_assert_uint_eq(second->n_acks, 1);
    ck_assert_str_eq(second->acks[0]->mutation_id, id);
    ck_assert_int_eq(second->acks[0]->result, FSD__V1__ACK__RESULT__APPLIED);
    ck_assert_uint_eq(second->keyset_version, first->keyset_version + 1);
    ck_assert_str_eq(job_status(&desk, job), "en_route"); /* once */
    {
        /* the chain goes on from the bundle issued again */
        Fsd__V1__Envelope *env =
            fsd__v1__envelope__unpack(NULL, again.len, again.data);
        sec_hash(env->payload.data, env->payload.len, hash);
        fsd__v1__envelope__free_unpacked(env, NULL);
    }
    ck_assert_int_eq(
        device_sync(&d, d.sign_sk, 2, second->checkpoint, NULL, 0, &next, NULL),
        200);
    third = device_open_bundle(&d, &next, &jobs);
    fsd__v1__sealed_jobs__free_unpacked(jobs, NULL);
    ck_assert_mem_eq(third->prev_bundle_hash.data, hash, 32);
    fsd__v1__bundle__free_unpacked(first, NULL);
    fsd__v1__bundle__free_unpacked(second, NULL);
    fsd__v1__bundle__free_unpacked(third, NULL);
    free(sent.data);
    free(lost.data);
    free(again.data);
    free(next.data);
    e2e_client_release(&desk);
}
END_TEST

Suite *e2e_keys_suite(void)
{
    Suite *s = suite_create("e2e_keys");
    TCase *tc = tcase_create("keys");

    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, e2e_setup_ready, e2e_teardown);
    tcase_add_test(tc, the_enroll_reply_carries_the_keysets_as_signed);
    tcase_add_test(tc, a_retry_after_a_rotation_is_signed_anew);
    suite_add_tcase(s, tc);
    return s;
}
