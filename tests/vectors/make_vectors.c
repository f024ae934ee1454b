/*
 * make_vectors.c - write the protocol's test vectors (vectors.h) as JSON:
 *
 *   make_vectors > proto/test-vectors.json
 *
 * The sealed job lists are sealed afresh, so every run writes other
 * sealed boxes (and so other bundle bytes); the file in the repository is
 * one run's, and test_vectors holds the code to it.
 */
#include "vectors.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

static json_t *hex(const struct bytes_out *b)
{
    char *text = malloc(b->len * 2 + 1);
    json_t *j;

    sodium_bin2hex(text, b->len * 2 + 1, b->data, b->len);
    j = json_string(text);
    free(text);
    return j;
}

int main(void)
{
    struct bytes_out out[V__COUNT], made[2];
    json_t *doc, *items;

    if (vectors_build(NULL, out, made))
        return 1;
    items = json_object();
    for (int i = 0; i < V__COUNT; i++) {
        json_object_set_new(items, vector_names[i], hex(&out[i]));
        free(out[i].data);
    }
    doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s, s:s}, s:{s:o, s:o}, s:o}", "about",
        "fsd device protocol test vectors (proto/PROTOCOL.md section 13);"
        " all values hex",
        "inputs", "server_v1_seed", vector_secrets.server_v1_seed,
        "server_v2_seed", vector_secrets.server_v2_seed, "device_sign_seed",
        vector_secrets.device_sign_seed, "device_box_secret_key",
        vector_secrets.device_box_sk, "sealed", "bundle_1_sealed_jobs",
        hex(&made[0]), "bundle_2_sealed_jobs", hex(&made[1]), "vectors", items);
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(doc);
    free(made[0].data);
    free(made[1].data);
    return 0;
}
